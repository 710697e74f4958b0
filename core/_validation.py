"""Input validation shared by the public functions of :mod:`core`.

Every public function validates its arguments here and then trusts them: the private math below the
validation never re-checks.  Each helper raises :class:`ValueError` with a message that names the
argument, shows what was given and says what is expected.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

REDUCTIONS = ("mean", "sum", "none")


def _position(index: tuple[int, ...]) -> str:
    return str(index[0]) if len(index) == 1 else str(tuple(int(i) for i in index))


def _first_bad(mask: np.ndarray) -> tuple[int, ...]:
    return tuple(int(i) for i in np.argwhere(mask)[0]) if mask.ndim else ()


def as_float_array(x, name: str) -> np.ndarray:
    """Return ``x`` as a finite floating array, keeping a float dtype and promoting anything else to float64.

    Raises
    ------
    ValueError
        If ``x`` is not numeric, or holds NaN or inf.
    """
    arr = np.asarray(x)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or np.issubdtype(arr.dtype, np.bool_)):
        raise ValueError(f"{name} must be a numeric array; got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.complexfloating):
        raise ValueError(f"{name} must be real; got complex dtype {arr.dtype}")
    if not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(np.float64)
    check_finite(arr, name)
    return arr


def _quiet_sum(arr: np.ndarray):
    with np.errstate(over="ignore", invalid="ignore"):  # an overflowing sum only sends us to the exact check
        return arr.sum()


def check_finite(arr: np.ndarray, name: str) -> None:
    """Raise if ``arr`` holds NaN or inf, naming the first bad position."""
    # Fast path: a finite sum proves every entry finite (NaN and inf propagate through a sum); only when the
    # sum is not finite (bad entries, or finite entries that overflow when added) is the exact check run.
    if arr.size and not np.isfinite(_quiet_sum(arr)) and not np.isfinite(arr).all():
        bad = _first_bad(~np.isfinite(arr))
        where = f" at position {_position(bad)}" if bad else ""
        raise ValueError(f"{name} must be finite; got {float(arr[bad])}{where}")


def check_unit_interval(arr: np.ndarray, name: str) -> None:
    """Raise unless every entry of ``arr`` lies in [0, 1]."""
    if arr.size and (arr.min() < 0 or arr.max() > 1):
        bad = _first_bad((arr < 0) | (arr > 1))
        where = f" at position {_position(bad)}" if bad else ""
        raise ValueError(f"{name} must lie in [0, 1]; got {float(arr[bad]):g}{where}")


def check_reduction(reduction) -> str:
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none'; got {reduction!r}")
    return reduction


def check_scalar(value, name: str, *, low=None, high=None, low_open=False, high_open=False) -> float:
    """Return ``value`` as a float after checking that it is a finite real number in the given interval."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number; got {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value!r}")
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and (value >= high if high_open else value > high)
    if too_low or too_high:
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        raise ValueError(f"{name} must be in {left}{lo}, {hi}{right}; got {value:g}")
    return value


def check_int(
    value, name: str, *, low: int | None = None, high: int | None = None, below: int | None = None
) -> int:
    """Return ``value`` as a Python ``int`` if it is an integer in range; raise otherwise.

    The one integer check of :mod:`core`.  ``bool`` is rejected (``True`` is not a count), numpy
    integers are accepted.  The range is ``[low, high]``, or ``[low, below)`` for an index.

    >>> check_int(np.int64(3), "n", low=1, high=10)
    3
    >>> check_int(2.0, "n")
    Traceback (most recent call last):
    ...
    ValueError: n must be an integer; got 2.0
    >>> check_int(0, "batch_size", low=1)
    Traceback (most recent call last):
    ...
    ValueError: batch_size must be an integer in [1, inf); got 0
    >>> check_int(4, "true_index", low=0, below=4)
    Traceback (most recent call last):
    ...
    ValueError: true_index must be an integer in [0, 4); got 4
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer; got {value!r}")
    value = int(value)
    lowest = -math.inf if low is None else low
    if below is not None and not lowest <= value < below:
        raise ValueError(f"{name} must be an integer in [{lowest}, {below}); got {value}")
    highest = math.inf if high is None else high
    if below is None and not lowest <= value <= highest:
        right = "]" if high is not None else ")"
        raise ValueError(f"{name} must be an integer in [{lowest}, {highest}{right}; got {value}")
    return value


def check_axis(arr: np.ndarray, axis, name: str) -> int:
    check_int(axis, "axis")
    if arr.ndim == 0:
        raise ValueError(f"{name} must have at least one dimension; got a scalar")
    if not -arr.ndim <= axis < arr.ndim:
        raise ValueError(f"axis {axis} is out of range for {name} of shape {arr.shape}")
    axis = int(axis) % arr.ndim
    if arr.shape[axis] == 0:
        raise ValueError(f"{name} must have at least one entry along axis {axis}; got shape {arr.shape}")
    return axis


def as_vector(x, name: str, expected: str, *, min_size: int = 1) -> np.ndarray:
    """Return ``x`` as a finite float64 vector ``(k,)`` with k >= ``min_size``.

    ``expected`` completes the error message "{name} must {expected}; got shape (…)", e.g.
    ``"be a 1-D array of at least 2 logits"``.
    """
    arr = as_float_array(x, name).astype(np.float64)
    if arr.ndim != 1 or arr.size < min_size:
        raise ValueError(f"{name} must {expected}; got shape {arr.shape}")
    return arr


def check_logits_2d(logits, name: str = "logits") -> np.ndarray:
    """Validate logits of shape ``(C,)`` or ``(n, C)`` with C >= 1."""
    arr = as_float_array(logits, name)
    if arr.ndim not in (1, 2):
        raise ValueError(f"{name} must be a 1-D (C,) or 2-D (n, C) array; got shape {arr.shape}")
    if arr.shape[-1] == 0:
        raise ValueError(f"{name} must have at least one class; got shape {arr.shape}")
    if arr.ndim == 2 and arr.shape[0] == 0:
        raise ValueError(f"{name} must hold at least one sample; got shape {arr.shape}")
    return arr


def check_class_indices(target, logits: np.ndarray, *, ignore_index=None, name: str = "target") -> np.ndarray:
    """Validate class indices of shape ``logits.shape[:-1]`` in ``[0, C)`` (or equal to ``ignore_index``)."""
    arr = np.asarray(target)
    if not np.issubdtype(arr.dtype, np.integer):
        if np.issubdtype(arr.dtype, np.floating) and arr.shape == logits.shape[:-1]:
            raise ValueError(
                f"{name} holds class indices and must have an integer dtype; got {arr.dtype}. "
                f"Pass integers (e.g. target.astype(int)) or class probabilities of shape {logits.shape}"
            )
        raise ValueError(
            f"{name} must be integer class indices of shape {logits.shape[:-1]}; "
            f"got dtype {arr.dtype} and shape {arr.shape}"
        )
    expected = logits.shape[:-1]
    if arr.shape != expected:
        hint = (
            f" (class probabilities of shape {logits.shape} must be floats)"
            if arr.shape == logits.shape
            else ""
        )
        raise ValueError(
            f"{name} class indices must have shape {expected} to match logits of shape {logits.shape}; "
            f"got shape {arr.shape}{hint}"
        )
    n_classes = logits.shape[-1]
    bad = (arr < 0) | (arr >= n_classes)
    if ignore_index is not None:
        bad &= arr != ignore_index
    if bad.any():
        pos = _first_bad(bad)
        value = int(arr[pos])
        where = f" at position {_position(pos)}" if pos else ""
        ignore = f" (or ignore_index={ignore_index})" if ignore_index is not None else ""
        raise ValueError(f"{name} class indices must be in [0, {n_classes}){ignore}; got {value}{where}")
    return arr.astype(np.intp, copy=False)


def check_class_weight(weight, n_classes: int, dtype, name: str = "weight") -> np.ndarray | None:
    """Validate an optional per-class weight of shape ``(C,)`` with non-negative finite entries."""
    if weight is None:
        return None
    arr = as_float_array(weight, name)
    if arr.shape != (n_classes,):
        raise ValueError(f"{name} must have shape ({n_classes},), one entry per class; got shape {arr.shape}")
    if (arr < 0).any():
        pos = _first_bad(arr < 0)
        raise ValueError(f"{name} must be non-negative; got {float(arr[pos]):g} at position {_position(pos)}")
    return arr.astype(dtype, copy=False)


def check_same_shape(arr: np.ndarray, other: np.ndarray, name: str, other_name: str) -> None:
    if arr.shape != other.shape:
        raise ValueError(f"{name} must have the shape of {other_name} {other.shape}; got shape {arr.shape}")


def check_broadcastable(arr: np.ndarray, shape: tuple[int, ...], name: str, to: str) -> None:
    try:
        out = np.broadcast_shapes(arr.shape, shape)
    except ValueError:
        out = None
    if out != shape:
        raise ValueError(f"{name} of shape {arr.shape} cannot be broadcast to the shape of {to} {shape}")


def check_base(base) -> float:
    base = check_scalar(base, "base", low=0, low_open=True)
    if base == 1:
        raise ValueError("base must be positive and not 1 (use 2 for bits, math.e for nats); got 1")
    return base


def compute_dtype(dtype: np.dtype) -> np.dtype:
    """The dtype the math runs in: float16 is computed in float32 (as PyTorch's CPU kernels do).

    >>> compute_dtype(np.dtype(np.float16))
    dtype('float32')
    """
    return np.dtype(np.float32) if dtype == np.float16 else np.dtype(dtype)


def check_distribution(arr: np.ndarray, name: str) -> None:
    """Raise unless the last axis of ``arr`` holds probability distributions (entries in [0, 1], sum 1)."""
    if arr.ndim == 0:
        raise ValueError(f"{name} must be a distribution over its last axis; got a scalar")
    if arr.shape[-1] == 0:
        raise ValueError(f"{name} must have at least one outcome; got shape {arr.shape}")
    check_unit_interval(arr, name)
    totals = arr.sum(axis=-1, dtype=np.float64)
    tol = max(1e-6, 16 * float(np.finfo(arr.dtype).eps)) * arr.shape[-1]
    off = np.abs(totals - 1) > tol
    if off.any():
        pos = _first_bad(np.atleast_1d(off))
        total = float(np.atleast_1d(totals)[pos])
        where = f" (distribution {_position(pos)})" if arr.ndim > 1 else ""
        raise ValueError(f"{name} must sum to 1 over its last axis; got a sum of {total:.6g}{where}")
