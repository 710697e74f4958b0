"""What the losses of :mod:`core.losses` and :mod:`core.cross_entropy_kernels` share after validation:
telling class-probability targets from class indices, and reducing per-element losses the PyTorch way."""

from __future__ import annotations

import numpy as np

from core._validation import as_float_array, check_unit_interval


def _finish(losses: np.ndarray, reduction: str, denom: float, dtype: np.dtype):
    """Reduce per-element losses and cast back to the caller's dtype."""
    if reduction == "none":
        return losses.astype(dtype, copy=False)
    total = losses.sum()
    if reduction == "mean":
        total = total / denom
    return dtype.type(total)


def _is_probability_target(target, logits: np.ndarray) -> bool:
    arr = np.asarray(target)
    return np.issubdtype(arr.dtype, np.floating) and arr.shape == logits.shape and arr.ndim > 0


def _prob_target(target, logits: np.ndarray, work: np.dtype) -> np.ndarray:
    arr = as_float_array(target, "target")
    check_unit_interval(arr, "target")
    return arr.astype(work, copy=False).reshape(-1, logits.shape[-1])
