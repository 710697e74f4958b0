"""Finite-difference derivatives: the independent check of every analytic gradient in :mod:`core`."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from core._validation import as_float_array, check_scalar

__all__ = ["numerical_gradient", "numerical_jacobian", "gradcheck"]


def _point(x) -> np.ndarray:
    return np.array(as_float_array(x, "x"), dtype=np.float64)  # a float64 copy we may perturb


def _eps(eps) -> float:
    return check_scalar(eps, "eps", low=0, low_open=True)


def numerical_gradient(f: Callable[[np.ndarray], float], x, eps: float = 1e-6) -> np.ndarray:
    """Gradient of a scalar function by central differences.

    .. math:: \\frac{\\partial f}{\\partial x_i} \\approx \\frac{f(x + ε e_i) - f(x - ε e_i)}{2ε}

    The error is O(ε²) from truncation plus O(u/ε) from rounding (u ≈ 1e-16 in float64), so ε = 1e-6
    gives about 1e-10 absolute accuracy for a well-scaled f.  The point is copied to float64 first.

    Parameters
    ----------
    f : callable
        Takes an array of ``x``'s shape and returns a scalar.
    x : array_like, any shape
    eps : float > 0, default 1e-6

    Returns
    -------
    ndarray of ``x``'s shape, float64.

    Examples
    --------
    >>> numerical_gradient(lambda v: (v**2).sum(), [1.0, -2.0]).round(6)
    array([ 2., -4.])
    """
    point = _point(x)
    eps = _eps(eps)
    grad = np.zeros_like(point)
    flat, gflat = point.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        up = float(f(point))
        flat[i] = old - eps
        down = float(f(point))
        flat[i] = old
        gflat[i] = (up - down) / (2 * eps)
    return grad


def numerical_jacobian(f: Callable[[np.ndarray], np.ndarray], x, eps: float = 1e-6) -> np.ndarray:
    """Jacobian of an array-valued function by central differences.

    .. math:: J_{ij} = \\frac{\\partial f_i}{\\partial x_j}
              \\approx \\frac{f_i(x + ε e_j) - f_i(x - ε e_j)}{2ε}

    Parameters
    ----------
    f : callable
        Takes an array of ``x``'s shape and returns an array (any fixed shape).
    x : array_like, any shape
    eps : float > 0, default 1e-6

    Returns
    -------
    ndarray of shape ``f(x).shape + x.shape``, float64; for vectors, the usual (m, n) Jacobian.

    Examples
    --------
    >>> numerical_jacobian(lambda v: 3 * v, [1.0, 2.0]).round(6)
    array([[3., 0.],
           [0., 3.]])
    """
    point = _point(x)
    eps = _eps(eps)
    out_shape = np.shape(f(point))
    jac = np.zeros((int(np.prod(out_shape, dtype=int)), point.size))
    flat = point.reshape(-1)
    for j in range(flat.size):
        old = flat[j]
        flat[j] = old + eps
        up = np.array(f(point), dtype=np.float64).reshape(-1)  # a copy: f may return its input itself
        flat[j] = old - eps
        down = np.array(f(point), dtype=np.float64).reshape(-1)
        flat[j] = old
        jac[:, j] = (up - down) / (2 * eps)
    return jac.reshape(out_shape + point.shape)


def gradcheck(
    f: Callable[[np.ndarray], float], grad_f: Callable[[np.ndarray], np.ndarray], x, eps=1e-6
) -> float:
    """Largest relative error between an analytic gradient and central differences.

    .. math:: \\text{err} = \\frac{\\lVert g_a - g_n \\rVert_\\infty}
                              {\\max(\\lVert g_a \\rVert_\\infty, \\lVert g_n \\rVert_\\infty)}

    with g_a the analytic and g_n the numerical gradient.

    Normalising by the largest entry (not entry by entry) keeps gradients that are zero or tiny in
    places (ReLU, saturated units) from reporting a huge relative error made of rounding noise.
    Returns 0 when both gradients are exactly zero.  A correct gradient gives about 1e-9 or less.

    Parameters
    ----------
    f : callable, array -> scalar
    grad_f : callable, array -> array of ``x``'s shape
    x : array_like
    eps : float > 0, default 1e-6

    Examples
    --------
    >>> gradcheck(lambda v: (v**3).sum(), lambda v: 3 * v**2, [0.5, -1.0]) < 1e-8
    True
    """
    point = _point(x)
    analytic = np.asarray(grad_f(point.copy()), dtype=np.float64)
    if analytic.shape != point.shape:
        raise ValueError(f"grad_f must return the shape of x {point.shape}; got shape {analytic.shape}")
    numeric = numerical_gradient(f, point, eps)
    scale = max(np.abs(analytic).max(initial=0.0), np.abs(numeric).max(initial=0.0))
    if scale == 0:
        return 0.0
    return float(np.abs(analytic - numeric).max() / scale)
