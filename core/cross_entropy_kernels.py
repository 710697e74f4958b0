"""Softmax cross-entropy twice: :func:`cross_entropy_reference`, the formula to read, and
:func:`_cross_entropy`, the fast kernel behind :func:`core.losses.cross_entropy`,
:func:`core.losses.cross_entropy_grad` and :func:`core.losses.loss_and_grad`.

Both take the arguments of :func:`core.losses.cross_entropy`, validated once by
:func:`_cross_entropy_inputs`, and return the same numbers (tests/core/test_losses.py holds them equal to
1e-12 in float64).  Shapes: ``logits (n, C)`` or ``(C,)``; ``target`` class indices ``(n,)`` / ``()`` or
class probabilities of the logits' shape.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from core._blocks import for_row_blocks
from core._loss_common import _finish, _is_probability_target, _prob_target
from core._validation import (
    check_class_indices,
    check_class_weight,
    check_int,
    check_logits_2d,
    check_reduction,
    check_scalar,
    compute_dtype,
)

__all__ = ["cross_entropy_reference"]


def _check_mean_denominator(denom: float, reduction: str, what: str) -> None:
    """Reject a mean over nothing: ``what`` says why the denominator is 0."""
    if reduction == "mean" and denom == 0:
        raise ValueError(
            f"the mean is undefined because {what} (PyTorch returns nan here); "
            "use reduction='sum' or reduction='none'"
        )


class _CrossEntropyInputs(NamedTuple):
    """The arguments of :func:`core.losses.cross_entropy`, validated by :func:`_cross_entropy_inputs`."""

    logits: np.ndarray  # (n, C) in the compute dtype (float16 becomes float32)
    target: np.ndarray  # class indices (n,), ignore_index kept, or class probabilities (n, C) in that dtype
    weight: np.ndarray | None  # (C,) in the compute dtype
    ignore_index: int
    reduction: str
    label_smoothing: float
    batch_shape: tuple[int, ...]  # the logits' shape without the class axis: (n,) or ()
    dtype: np.dtype  # the caller's dtype, which the result has


def _cross_entropy_inputs(logits, target, weight, ignore_index, reduction, label_smoothing):
    """Validate the arguments of :func:`core.losses.cross_entropy`, for the fast kernel and the reference."""
    z = check_logits_2d(logits)
    reduction = check_reduction(reduction)
    label_smoothing = check_scalar(label_smoothing, "label_smoothing", low=0, high=1)
    ignore_index = check_int(ignore_index, "ignore_index")
    work = compute_dtype(z.dtype)
    n_classes = z.shape[-1]
    weight = check_class_weight(weight, n_classes, work)
    if _is_probability_target(target, z):
        target = _prob_target(target, z, work)
    else:
        target = check_class_indices(target, z, ignore_index=ignore_index).reshape(-1)
        if reduction == "mean":  # the mean divides by the kept targets' total weight: it must not be 0
            kept = target != ignore_index
            if not kept.any():
                what = f"every target equals ignore_index={ignore_index}"
            else:
                what = "every target's class has weight 0"
            total = weight[target[kept]].sum() if weight is not None else kept.sum()
            _check_mean_denominator(total, reduction, what)
    logits_2d = z.astype(work, copy=False).reshape(-1, n_classes)
    return _CrossEntropyInputs(
        logits_2d, target, weight, ignore_index, reduction, label_smoothing, z.shape[:-1], z.dtype
    )


def cross_entropy_reference(
    logits, target, *, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0
):
    """Softmax cross-entropy written as the formula: the version to read.

    .. math:: \\log p_{ic} = z_{ic} - \\max_k z_{ik} - \\log \\sum_k e^{z_{ik} - \\max_k z_{ik}},
              \\qquad \\ell_i = -\\sum_c w_c\\, y_{ic} \\log p_{ic},
              \\qquad y_i = (1 - ε)\\, \\text{target}_i + ε / C

    where target_i is the one-hot row of class index t_i (all zeros if t_i = ignore_index) or the row of
    class probabilities.  ``reduction="mean"`` divides Σ_i ℓ_i by Σ_i w_{t_i} over the kept class indices
    (n without weights), or by n for class probabilities; ``"sum"`` returns Σ_i ℓ_i; ``"none"`` every ℓ_i.

    It takes every argument of :func:`core.losses.cross_entropy`, validates them the same way, and
    returns the same numbers (to 1e-12 in float64: tests/core/test_losses.py).  That function computes
    them with the fast kernel :func:`_cross_entropy` below, which builds no one-hot rows, keeps one
    (n, C) array, works in cache-sized blocks of rows and, for large arrays, on two threads; use it in
    real work.

    Parameters
    ----------
    Same as :func:`core.losses.cross_entropy`.

    Returns
    -------
    float scalar of the logits' dtype, or ``(n,)`` / ``()`` per-sample losses for ``reduction="none"``.

    Examples
    --------
    >>> from core.losses import cross_entropy
    >>> round(float(cross_entropy_reference([3.5, 0.8, 0.2, -0.5], 0)), 4)
    0.1155
    >>> z, t = [[2.0, 0.5, -1.0], [0.0, 1.0, 3.0]], [0, 1]
    >>> kw = {"weight": [1.0, 2.0, 0.5], "label_smoothing": 0.1}
    >>> reference = cross_entropy_reference(z, t, **kw)
    >>> round(float(reference), 6), bool(abs(reference - cross_entropy(z, t, **kw)) < 1e-12)
    (1.518068, True)
    """
    args = _cross_entropy_inputs(logits, target, weight, ignore_index, reduction, label_smoothing)
    z, eps = args.logits, args.label_smoothing  # z: (n, C)
    n, C = z.shape
    w = np.ones(C, z.dtype) if args.weight is None else args.weight
    log_p = z - z.max(axis=1, keepdims=True)  # subtract each row's max: exp cannot overflow
    log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))  # log p = z - logsumexp(z), never log(softmax)
    if args.target.ndim == 2:  # class probabilities
        y, kept = args.target, np.ones(n, bool)
    else:  # class indices: one-hot rows
        kept = args.target != args.ignore_index
        y = np.eye(C, dtype=z.dtype)[np.where(kept, args.target, 0)]
    y = kept[:, None] * ((1 - eps) * y + eps / C)  # label smoothing; an ignored row counts nothing
    losses = -(w * y * log_p).sum(axis=1)
    if args.reduction == "none":
        return losses.reshape(args.batch_shape).astype(args.dtype)
    total_weight = n if args.target.ndim == 2 else w[args.target[kept]].sum()  # PyTorch's (weighted) mean
    return args.dtype.type(losses.sum() / total_weight if args.reduction == "mean" else losses.sum())


def _cross_entropy(logits, target, weight, ignore_index, reduction, label_smoothing, *, want_loss, want_grad):
    """The fast cross-entropy kernel: loss and/or gradient of :func:`core.losses.cross_entropy` in one pass.

    It returns the numbers that :func:`cross_entropy_reference` writes out as the formula (the tests hold
    the two equal to 1e-12 in float64); read that one to see what is computed.  This one is arranged for
    speed on large inputs, in three ways (``python -m tests.perf.bench_core`` times it against PyTorch's
    fused kernel on (4096, 1000) logits; README has the numbers):

    - **One (n, C) array.**  The reference builds one-hot rows, log-probabilities and their product,
      each an (n, C) array.  Here a single scratch array holds the shifted logits z - max z; then, once
      the loss has read what it needs from them, their exp; then, scaled in place, the gradient
      p Σ_c q_c - q, which is returned.  Class-index targets are never expanded: the loss reads one
      entry per row, and the gradient subtracts at one entry per row.
    - **Row blocks.**  Each pass over the array (subtract, exp, sum, scale) run on the whole of it streams
      it through memory: (4096, 1000) float64 logits are 33 MB, far more than a CPU cache.  So the passes
      are functions of a slice of rows (``exp_pass``, ``grad_pass``), and :func:`core._blocks.for_row_blocks`
      runs them block by block (about 1 MiB each), so a block stays in cache from one step to the next.
    - **Two threads.**  numpy's ufuncs release the GIL, so from 2^20 elements on ``for_row_blocks`` shares
      the blocks between two threads.  Each pass writes only the rows of its own slice, so threads never
      write the same memory.  Smaller inputs (everything the pages draw) are one block on the calling
      thread.

    Per row, with target distribution q (class probabilities or the one-hot row, smoothed and weighted as
    in the reference), ℓ = Σ_c q_c (logsumexp(z) - z_c) = (Σ_c q_c) log(Σ_k e^{shifted_k}) - q · shifted
    with shifted = z - max z, and ∂ℓ/∂z = p Σ_c q_c - q.  When only the loss is wanted, the kernel stops
    before the gradient pass.

    Parameters
    ----------
    Those of :func:`core.losses.cross_entropy`, and ``want_loss`` / ``want_grad``: which of the two
    to compute.

    Returns
    -------
    (loss, grad) : the loss as :func:`core.losses.cross_entropy` returns it, and the gradient in the
    logits' shape and dtype; None for what was not wanted.
    """
    args = _cross_entropy_inputs(logits, target, weight, ignore_index, reduction, label_smoothing)
    z, w, eps = args.logits, args.weight, args.label_smoothing  # z: (n, C) in the compute dtype
    n_rows, n_classes = z.shape
    work = z.dtype
    scratch = np.empty_like(z)  # z - max z, then exp(z - max z), then the gradient
    exp_sums = np.empty(n_rows, work)  # Σ_c exp(z_c - max z): its log is logsumexp(z) - max z
    losses = None

    if args.target.ndim == 2:  # class probabilities
        q = args.target  # the (smoothed, weighted) target each row is pulled towards
        if eps:
            q = q * (1 - eps) + eps / n_classes
        if w is not None:
            q = q * w
        q_sum = q.sum(axis=1)
        denom = n_rows
        q_dot_shifted = np.empty(n_rows, work)

        def exp_pass(rows: slice) -> None:
            shifted = np.subtract(z[rows], z[rows].max(axis=1, keepdims=True), out=scratch[rows])
            q_dot_shifted[rows] = np.einsum("ij,ij->i", q[rows], shifted)
            np.exp(shifted, out=shifted)
            exp_sums[rows] = shifted.sum(axis=1)

        for_row_blocks(n_rows, n_classes, exp_pass)
        if want_loss:
            losses = q_sum * np.log(exp_sums) - q_dot_shifted
        if not want_grad:
            return _finish(losses.reshape(args.batch_shape), args.reduction, denom, args.dtype), None
        scale = 1.0 / denom if args.reduction == "mean" else 1.0
        row_factor = q_sum * scale / exp_sums

        def grad_pass(rows: slice) -> None:
            scratch[rows] *= row_factor[rows, None]
            scratch[rows] -= q[rows] * scale

        for_row_blocks(n_rows, n_classes, grad_pass)
    else:  # class indices: q = (1 - eps) w_t e_t + (eps / C) w per kept row, 0 for an ignored row
        kept = args.target != args.ignore_index
        target_or_0 = np.where(kept, args.target, 0)  # safe to index with; `kept` zeroes the ignored rows
        w_target = (w[target_or_0] if w is not None else np.ones(n_rows, work)) * kept
        denom = float(w_target.sum())
        w_all = w if w is not None else np.ones(n_classes, work)
        smooth = kept.astype(work) * (eps / n_classes)  # each row's weight of the uniform part
        q_sum = (1 - eps) * w_target + smooth * w_all.sum()
        shifted_target = np.empty(n_rows, work)
        shifted_dot_w = np.empty(n_rows, work) if (eps and want_loss) else None

        def exp_pass(rows: slice) -> None:
            shifted = np.subtract(z[rows], z[rows].max(axis=1, keepdims=True), out=scratch[rows])
            shifted_target[rows] = shifted[np.arange(shifted.shape[0]), target_or_0[rows]]
            if shifted_dot_w is not None:
                shifted_dot_w[rows] = shifted @ w_all
            np.exp(shifted, out=shifted)
            exp_sums[rows] = shifted.sum(axis=1)

        for_row_blocks(n_rows, n_classes, exp_pass)
        if want_loss:
            lse_shifted = np.log(exp_sums)
            losses = (1 - eps) * w_target * (lse_shifted - shifted_target)
            if eps:
                losses += smooth * (w_all.sum() * lse_shifted - shifted_dot_w)
        if not want_grad:
            return _finish(losses.reshape(args.batch_shape), args.reduction, denom, args.dtype), None
        scale = 1.0 / denom if args.reduction == "mean" else 1.0
        row_factor = q_sum * scale / exp_sums
        smooth_scaled = smooth * scale

        def grad_pass(rows: slice) -> None:
            scratch[rows] *= row_factor[rows, None]
            if eps:
                scratch[rows] -= np.multiply.outer(smooth_scaled[rows], w_all)

        for_row_blocks(n_rows, n_classes, grad_pass)
        scratch[np.arange(n_rows), target_or_0] -= (1 - eps) * w_target * scale
    loss = _finish(losses.reshape(args.batch_shape), args.reduction, denom, args.dtype) if want_loss else None
    return loss, scratch.reshape(*args.batch_shape, n_classes).astype(args.dtype, copy=False)
