"""Information theory behind cross-entropy: surprise, entropy, cross-entropy between distributions, KL.

Distributions live on the last axis.  The convention 0 · log 0 = 0 holds throughout, so an outcome
that P never produces costs nothing whatever Q says about it.
"""

from __future__ import annotations

import math

import numpy as np

from core._validation import as_float_array, check_base, check_distribution, check_same_shape, compute_dtype

__all__ = ["surprise", "surprise_or_inf", "entropy", "cross_entropy_between", "kl_divergence"]


def _xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """x · log y with 0 · log y = 0 (also for y = 0)."""
    safe = np.where(x > 0, y, 1)
    return x * np.log(safe)


def _pair(p, q) -> tuple[np.ndarray, np.ndarray, np.dtype]:
    p_arr = as_float_array(p, "p")
    q_arr = as_float_array(q, "q")
    check_distribution(p_arr, "p")
    check_distribution(q_arr, "q")
    check_same_shape(q_arr, p_arr, "q", "p")
    dtype = np.result_type(p_arr.dtype, q_arr.dtype)
    work = compute_dtype(dtype)
    p_arr, q_arr = p_arr.astype(work, copy=False), q_arr.astype(work, copy=False)
    impossible = (p_arr > 0) & (q_arr == 0)
    if impossible.any():
        pos = tuple(int(i) for i in np.argwhere(impossible)[0])
        where = pos[0] if len(pos) == 1 else pos
        raise ValueError(
            f"q gives probability 0 to outcome {where}, which p gives probability {float(p_arr[pos]):g}: "
            "the cross-entropy and KL divergence are infinite. Give q a small positive probability there "
            "(or compute from logits)"
        )
    return p_arr, q_arr, dtype


def surprise(p, base: float = 2) -> np.ndarray:
    """Surprise (self-information) of an event that had probability ``p``.

    .. math:: I(p) = -\\log_b p

    In bits for base 2 (the default), nats for base e.  Cross-entropy loss with a one-hot label is the
    surprise of the true class under the model, in nats.

    Parameters
    ----------
    p : array_like, any shape, entries in (0, 1]
        Probabilities of the events that happened.  p = 0 (an event thought impossible) has infinite
        surprise and is rejected.
    base : float, default 2

    Returns
    -------
    ndarray
        Surprise >= 0, of ``p``'s shape and float dtype.

    Examples
    --------
    >>> round(float(surprise(0.85)), 2)  # the explainer article: the cat at 85 %
    0.23
    >>> float(surprise(0.5))
    1.0
    """
    arr = as_float_array(p, "p")
    base = check_base(base)
    if arr.size and (arr.min() <= 0 or arr.max() > 1):
        bad = tuple(int(i) for i in np.argwhere((arr <= 0) | (arr > 1))[0]) if arr.ndim else ()
        value = float(arr[bad])
        hint = " (an event with probability 0 has infinite surprise)" if value == 0 else ""
        raise ValueError(f"p must be in (0, 1]{hint}; got {value:g}")
    work = arr.astype(compute_dtype(arr.dtype), copy=False)
    out = -np.log(work) / math.log(base)
    return (out + 0.0).astype(arr.dtype, copy=False)  # + 0.0 turns -0.0 (p = 1) into 0.0


def entropy(p, base: float = math.e) -> np.ndarray:
    """Shannon entropy of the distributions on the last axis of ``p``.

    .. math:: H(P) = -\\sum_x P(x) \\log_b P(x), \\qquad 0 \\log 0 = 0

    Parameters
    ----------
    p : array_like ``(..., K)``
        Distributions: entries in [0, 1] summing to 1 on the last axis.
    base : float, default e (nats)

    Returns
    -------
    ndarray ``(...)``
        H(P) >= 0, zero exactly for a one-hot P.

    Examples
    --------
    >>> float(entropy([0.5, 0.5], base=2))
    1.0
    >>> float(entropy([1.0, 0.0, 0.0]))
    0.0
    """
    arr = as_float_array(p, "p")
    check_distribution(arr, "p")
    base = check_base(base)
    work = arr.astype(compute_dtype(arr.dtype), copy=False)
    out = np.maximum(-_xlogy(work, work).sum(axis=-1), 0) / math.log(base)
    return out.astype(arr.dtype, copy=False)


def cross_entropy_between(p, q, base: float = math.e) -> np.ndarray:
    """Cross-entropy H(P, Q) of the model distribution Q relative to the true distribution P.

    .. math:: H(P, Q) = -\\sum_x P(x) \\log_b Q(x) = H(P) + D_{KL}(P \\| Q)

    The average code length when events drawn from P are coded with a code built for Q.

    Parameters
    ----------
    p : array_like ``(..., K)``
        True distributions.
    q : array_like ``(..., K)``, the shape of ``p``
        Model distributions.  Q(x) = 0 where P(x) > 0 gives an infinite cross-entropy and is rejected.
    base : float, default e (nats)

    Returns
    -------
    ndarray ``(...)``
        H(P, Q) of each distribution pair, in units of log base ``base``.

    Examples
    --------
    >>> round(float(cross_entropy_between([1, 0, 0, 0], [0.85, 0.10, 0.03, 0.02])), 4)
    0.1625
    """
    p_arr, q_arr, dtype = _pair(p, q)
    base = check_base(base)
    out = np.maximum(-_xlogy(p_arr, q_arr).sum(axis=-1), 0) / math.log(base)
    return out.astype(dtype, copy=False)


def kl_divergence(p, q, base: float = math.e) -> np.ndarray:
    """Kullback–Leibler divergence D_KL(P ‖ Q): the extra code length wasted by using Q's code for P.

    .. math:: D_{KL}(P \\| Q) = \\sum_x P(x) \\log_b \\frac{P(x)}{Q(x)} = H(P, Q) - H(P) \\ge 0

    For a one-hot P, H(P) = 0 and the KL divergence equals the cross-entropy: every bit of surprise
    is wasted.  Rounding can make the sum a hair below 0 when Q ≈ P; it is clamped at 0.

    Parameters
    ----------
    p : array_like ``(..., K)``
        True distributions.
    q : array_like ``(..., K)``, the shape of ``p``
        Model distributions (Q(x) = 0 where P(x) > 0 is rejected: the divergence is infinite).
    base : float, default e (nats)

    Returns
    -------
    ndarray ``(...)``
        D_KL(P ‖ Q) >= 0 of each distribution pair, in units of log base ``base``.

    Examples
    --------
    >>> round(float(kl_divergence([1, 0, 0, 0], [0.85, 0.10, 0.03, 0.02], base=2)), 2)  # = the surprise
    0.23
    """
    p_arr, q_arr, dtype = _pair(p, q)
    base = check_base(base)
    safe_p = np.where(p_arr > 0, p_arr, 1)
    safe_q = np.where(p_arr > 0, q_arr, 1)
    out = np.maximum((p_arr * (np.log(safe_p) - np.log(safe_q))).sum(axis=-1), 0) / math.log(base)
    return out.astype(dtype, copy=False)


def surprise_or_inf(q, base: float = 2) -> np.ndarray:
    """The surprise -log_b q of each outcome, with inf where q = 0 (the answer the model ruled out).

    :func:`surprise` rejects q = 0; a chart of "the surprise if this were the answer" needs the
    infinite bar instead.

    Parameters
    ----------
    q : array_like, entries in [0, 1]
    base : float, default 2 (bits)

    Returns
    -------
    ndarray of ``q``'s shape, float64.

    Examples
    --------
    >>> surprise_or_inf([0.5, 0.25, 0.0]).tolist()
    [1.0, 2.0, inf]
    """
    arr = as_float_array(q, "q").astype(np.float64)
    if arr.size and (arr.min() < 0 or arr.max() > 1):
        raise ValueError(f"q must lie in [0, 1]; got {float(arr.min() if arr.min() < 0 else arr.max()):g}")
    out = np.full(arr.shape, np.inf)
    positive = arr > 0
    out[positive] = surprise(arr[positive], base=base)
    return out
