"""Softmax cross-entropy of one sample, class by class, with temperature and label smoothing.

What the Multi-class logits page draws: each class's probability, its part of the loss and the gradient
with respect to its logit.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from core._validation import as_vector, check_int, check_scalar
from core.functional import log_softmax, softmax
from core.losses import cross_entropy, cross_entropy_grad, one_hot

__all__ = ["MulticlassBreakdown", "multiclass_breakdown", "multiclass_sweep"]


class MulticlassBreakdown(NamedTuple):
    """Softmax cross-entropy of one sample, class by class (losses in nats).

    ``contributions.sum() == loss``; ``grad == grad_scaled / temperature``; both gradients sum to 0.
    For one sample (:func:`multiclass_breakdown`) the arrays are ``(C,)`` and ``loss`` a float; for a
    sweep (:func:`multiclass_sweep`) they are ``(n, C)``, one row per state, and ``loss`` is ``(n,)``.
    """

    probs: np.ndarray  # p = softmax(z / T), (C,)
    target: np.ndarray  # y' = (1 - ε) y + ε / C, (C,)
    contributions: np.ndarray  # -y'_c log p_c, (C,)
    loss: float  # core.losses.cross_entropy(z / T, t, label_smoothing=ε)
    grad_scaled: np.ndarray  # dL/d(z/T) = p - y' (core.losses.cross_entropy_grad), (C,)
    grad: np.ndarray  # dL/dz = (p - y') / T, the gradient with respect to the raw logits, (C,)


def _breakdowns(z: np.ndarray, t: int, temperature: np.ndarray, eps: float) -> MulticlassBreakdown:
    """Validated logits ``(n, C)``, temperatures ``(n, 1)``: every state's breakdown, row by row.

    One sample and a sweep go through these same lines, so a sweep's row has, to the last bit, the
    probabilities, contributions and gradients of that one state (the Multi-class page's scrub frames
    rely on it); only the loss may differ in the last bits (the fast kernel adds in row blocks).
    """
    n, n_classes = z.shape
    scaled = z / temperature
    target = (1 - eps) * one_hot(t, n_classes) + eps / n_classes
    targets = np.full(n, t)
    grad_scaled = cross_entropy_grad(scaled, targets, label_smoothing=eps, reduction="none")
    return MulticlassBreakdown(
        probs=softmax(scaled),
        target=target,
        contributions=-target * log_softmax(scaled),
        loss=cross_entropy(scaled, targets, label_smoothing=eps, reduction="none"),
        grad_scaled=grad_scaled,
        grad=grad_scaled / temperature,
    )


def multiclass_breakdown(
    logits, true_index: int, *, temperature: float = 1.0, label_smoothing: float = 0.0
) -> MulticlassBreakdown:
    """Softmax with temperature, then cross-entropy with label smoothing, split into per-class parts.

    .. math:: p = \\operatorname{softmax}(z / T), \\quad y' = (1 - ε)\\, y + ε / C, \\quad
              \\ell = -\\sum_c y'_c \\log p_c, \\quad
              \\frac{\\partial \\ell}{\\partial z} = \\frac{1}{T}\\,(p - y')

    The loss and ∂ℓ/∂(z/T) = p - y' come from :func:`core.losses.cross_entropy` and
    :func:`core.losses.cross_entropy_grad` on the scaled logits z / T; the chain rule through z / T
    divides by T.  The per-class contributions -y'_c log p_c use :func:`core.functional.log_softmax`
    (never log of softmax).

    Parameters
    ----------
    logits : array_like ``(C,)``, C >= 2
    true_index : int in [0, C)
    temperature : float > 0, default 1.0
    label_smoothing : float in [0, 1], default 0.0

    Returns
    -------
    MulticlassBreakdown

    Examples
    --------
    >>> b = multiclass_breakdown([3.5, 0.8, 0.2, -0.5], 0)  # the page's default
    >>> round(float(b.probs[0]), 3), round(b.loss, 4), round(float(b.grad[0]), 3)
    (0.891, 0.1155, -0.109)
    """
    z = as_vector(logits, "logits", "have shape (C,) with C >= 2 classes", min_size=2)
    n_classes = z.size
    t = check_int(true_index, "true_index", low=0, below=n_classes)
    temperature = check_scalar(temperature, "temperature", low=0, low_open=True)
    eps = check_scalar(label_smoothing, "label_smoothing", low=0, high=1)
    b = _breakdowns(z[None, :], t, np.array([[temperature]]), eps)
    return MulticlassBreakdown(
        probs=b.probs[0],
        target=b.target,
        contributions=b.contributions[0],
        loss=float(b.loss[0]),
        grad_scaled=b.grad_scaled[0],
        grad=b.grad[0],
    )


def multiclass_sweep(
    logits, true_index: int, vary, values, *, temperature: float = 1.0, label_smoothing: float = 0.0
) -> MulticlassBreakdown:
    """:func:`multiclass_breakdown` at every value of one control, the others held: what a drag shows.

    Row i is ``multiclass_breakdown`` of the state with the varied control at ``values[i]``: the logit
    ``z[vary]`` if ``vary`` is a class index, the temperature T if it is ``"temperature"``.  Its
    probabilities, contributions and gradients are equal to the last bit (the loss to rounding).

    Parameters
    ----------
    logits : array_like ``(C,)``, C >= 2
        The held logits (the varied one's entry is replaced).
    true_index : int in [0, C)
    vary : int in [0, C) or "temperature"
    values : array_like ``(n,)``, n >= 1
        The varied control's values (finite; temperatures > 0).
    temperature : float > 0, default 1.0
        Held unless ``vary == "temperature"``.
    label_smoothing : float in [0, 1], default 0.0

    Returns
    -------
    MulticlassBreakdown
        With ``(n, C)`` arrays (``target`` stays ``(C,)``) and ``loss`` of shape ``(n,)``.

    Examples
    --------
    >>> s = multiclass_sweep([3.5, 0.8, 0.2, -0.5], 0, 0, [0.8, 3.5])  # drag the true logit
    >>> s.probs.shape, s.probs[:, 0].round(3), s.loss.round(4)
    ((2, 4), array([0.354, 0.891]), array([1.0372, 0.1155]))
    >>> multiclass_sweep([3.5, 0.8], 0, "temperature", [1.0, 5.0]).grad[:, 0].round(3)
    array([-0.063, -0.074])
    """
    z = as_vector(logits, "logits", "have shape (C,) with C >= 2 classes", min_size=2)
    n_classes = z.size
    t = check_int(true_index, "true_index", low=0, below=n_classes)
    eps = check_scalar(label_smoothing, "label_smoothing", low=0, high=1)
    swept = as_vector(values, "values", "be a 1-D array of at least one value")
    rows = np.repeat(z[None, :], swept.size, axis=0)
    if vary == "temperature":
        if np.any(swept <= 0):
            raise ValueError(f"temperatures must be > 0; got {float(swept.min())}")
        temperatures = swept[:, None]
    else:
        if isinstance(vary, str):
            raise ValueError(f"vary must be a class index or 'temperature'; got {vary!r}")
        rows[:, check_int(vary, "vary", low=0, below=n_classes)] = swept
        temperature = check_scalar(temperature, "temperature", low=0, low_open=True)
        temperatures = np.full((swept.size, 1), temperature)
    return _breakdowns(rows, t, temperatures, eps)
