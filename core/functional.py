"""Softmax, log-sum-exp, sigmoid and their logs, computed stably from logits.

Every function takes logits of any float dtype and returns the same dtype (float64 for Python scalars,
lists and integer arrays).  float16 input is computed in float32 and cast back, as PyTorch's CPU
kernels do.  No function here produces NaN or inf for finite input.
"""

from __future__ import annotations

import numpy as np

from core._validation import as_float_array, check_axis, check_logits_2d, check_scalar, compute_dtype

__all__ = ["logsumexp", "softmax", "log_softmax", "sigmoid", "log_sigmoid", "softmax_jacobian"]


def _shifted(z: np.ndarray, axis: int, temperature: float) -> np.ndarray:
    """(z - max z) / T along ``axis``: every entry <= 0 and the largest exactly 0, so exp never overflows."""
    out = z - z.max(axis=axis, keepdims=True)
    if temperature != 1.0:
        out /= temperature
    return out


def _log_softmax(z: np.ndarray, axis: int = -1, temperature: float = 1.0) -> np.ndarray:
    shifted = _shifted(z, axis, temperature)
    shifted -= np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
    return shifted


def _softmax(z: np.ndarray, axis: int = -1, temperature: float = 1.0) -> np.ndarray:
    out = _shifted(z, axis, temperature)
    np.exp(out, out=out)  # in place: one (n, C) allocation in all
    out *= 1 / out.sum(axis=axis, keepdims=True)  # the sum is >= 1 (the max's exp is 1)
    return out


def _sigmoid(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(z.dtype, copy=False)


def _log_sigmoid(z: np.ndarray) -> np.ndarray:
    return np.minimum(z, 0) - np.log1p(np.exp(-np.abs(z)))


def _prepare(z, name: str = "z") -> tuple[np.ndarray, np.dtype]:
    arr = as_float_array(z, name)
    return arr.astype(compute_dtype(arr.dtype), copy=False), arr.dtype


def _temperature(temperature) -> float:
    return check_scalar(temperature, "temperature", low=0, low_open=True)


def logsumexp(z, axis: int = -1, keepdims: bool = False) -> np.ndarray:
    """Log of the sum of exponentials, computed without overflow.

    .. math:: \\operatorname{LSE}(z) = m + \\log \\sum_j e^{z_j - m}, \\qquad m = \\max_j z_j

    Parameters
    ----------
    z : array_like, any shape with at least one dimension
        Logits.
    axis : int, default -1
        The axis to reduce.
    keepdims : bool, default False
        Keep the reduced axis with length 1.

    Returns
    -------
    ndarray
        ``z``'s shape without ``axis`` (or with length 1 there), in ``z``'s float dtype.

    Examples
    --------
    >>> float(logsumexp([1000.0, 1000.0]))  # log(2 e^1000), where exp(1000) alone overflows
    1000.6931471805599
    """
    arr, dtype = _prepare(z)
    axis = check_axis(arr, axis, "z")
    m = arr.max(axis=axis, keepdims=True)
    out = m + np.log(np.exp(arr - m).sum(axis=axis, keepdims=True))
    if not keepdims:
        out = np.squeeze(out, axis=axis)
    return out.astype(dtype, copy=False)


def softmax(z, axis: int = -1, temperature: float = 1.0) -> np.ndarray:
    """Softmax along ``axis``, with an optional temperature.

    .. math:: \\operatorname{softmax}(z)_i = \\frac{e^{z_i / T}}{\\sum_j e^{z_j / T}}

    The maximum is subtracted first, so the result is exact for any finite logits (|z| up to the
    dtype's limit) and any temperature T > 0; probabilities that underflow are exactly 0.

    Parameters
    ----------
    z : array_like, e.g. logits ``(C,)`` or ``(n, C)``
    axis : int, default -1
        The class axis.
    temperature : float, default 1.0
        T > 0; T < 1 sharpens the distribution, T > 1 flattens it.

    Returns
    -------
    ndarray
        Probabilities of ``z``'s shape and float dtype, summing to 1 along ``axis``.

    Examples
    --------
    >>> softmax([3.5, 0.8, 0.2, -0.5]).round(3)
    array([0.891, 0.06 , 0.033, 0.016])
    """
    arr, dtype = _prepare(z)
    axis = check_axis(arr, axis, "z")
    return _softmax(arr, axis, _temperature(temperature)).astype(dtype, copy=False)


def log_softmax(z, axis: int = -1, temperature: float = 1.0) -> np.ndarray:
    """Log of the softmax, computed directly from logits (never as ``log(softmax(z))``).

    .. math:: \\log \\operatorname{softmax}(z)_i = \\frac{z_i - m}{T} - \\log \\sum_j e^{(z_j - m)/T}

    Parameters
    ----------
    z : array_like, e.g. logits ``(C,)`` or ``(n, C)``
    axis : int, default -1
    temperature : float, default 1.0 (must be > 0)

    Returns
    -------
    ndarray
        Log-probabilities of ``z``'s shape and float dtype; finite for finite input.

    Examples
    --------
    >>> log_softmax([0.0, 1000.0])  # log(softmax) would give log(0) = -inf
    array([-1000.,     0.])
    """
    arr, dtype = _prepare(z)
    axis = check_axis(arr, axis, "z")
    return _log_softmax(arr, axis, _temperature(temperature)).astype(dtype, copy=False)


def sigmoid(z) -> np.ndarray:
    """Logistic sigmoid, evaluated without overflow for either sign of ``z``.

    .. math:: \\sigma(z) = \\frac{1}{1 + e^{-z}} = \\frac{e^{z}}{1 + e^{z}}

    Parameters
    ----------
    z : array_like, any shape

    Returns
    -------
    ndarray
        Values in [0, 1] of ``z``'s shape and float dtype.

    Examples
    --------
    >>> sigmoid([-800.0, 0.0, 800.0])
    array([0. , 0.5, 1. ])
    """
    arr, dtype = _prepare(z)
    return _sigmoid(arr).astype(dtype, copy=False)


def log_sigmoid(z) -> np.ndarray:
    """Log of the sigmoid, stable for large negative ``z``.

    .. math:: \\log \\sigma(z) = \\min(z, 0) - \\log(1 + e^{-|z|}) = -\\operatorname{logaddexp}(0, -z)

    Parameters
    ----------
    z : array_like, any shape

    Returns
    -------
    ndarray
        Values <= 0 of ``z``'s shape and float dtype; finite for finite input.

    Examples
    --------
    >>> log_sigmoid([-800.0])  # log(sigmoid(-800)) would be log(0) = -inf
    array([-800.])
    >>> round(float(log_sigmoid(0.0)), 6)  # log(1/2)
    -0.693147
    """
    arr, dtype = _prepare(z)
    return _log_sigmoid(arr).astype(dtype, copy=False)


def softmax_jacobian(z) -> np.ndarray:
    """Jacobian of the softmax with respect to its logits.

    .. math:: J_{ik} = \\frac{\\partial s_i}{\\partial z_k} = s_i(\\delta_{ik} - s_k),
              \\qquad J = \\operatorname{diag}(s) - s s^\\top

    The diagonal is s_i(1 - s_i); the off-diagonal entries are -s_i s_k (not -s_i s_i, a slip in
    the four-layer notes).  J is symmetric, and each row and column sums to 0.

    Parameters
    ----------
    z : array_like, logits ``(C,)`` or ``(n, C)``

    Returns
    -------
    ndarray
        ``(C, C)`` for ``(C,)`` logits, ``(n, C, C)`` for ``(n, C)``, in ``z``'s float dtype.

    Examples
    --------
    >>> softmax_jacobian([0.0, 0.0])
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    """
    arr = check_logits_2d(z, "z")
    dtype = arr.dtype
    s = _softmax(arr.astype(compute_dtype(dtype), copy=False))
    jac = -s[..., :, None] * s[..., None, :]
    idx = np.arange(arr.shape[-1])
    jac[..., idx, idx] += s
    return jac.astype(dtype, copy=False)
