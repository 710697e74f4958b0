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

__all__ = ["MulticlassBreakdown", "multiclass_breakdown"]


class MulticlassBreakdown(NamedTuple):
    """Softmax cross-entropy of one sample, class by class (losses in nats).

    ``contributions.sum() == loss``; ``grad == grad_scaled / temperature``; both gradients sum to 0.
    """

    probs: np.ndarray  # p = softmax(z / T), (C,)
    target: np.ndarray  # y' = (1 - ε) y + ε / C, (C,)
    contributions: np.ndarray  # -y'_c log p_c, (C,)
    loss: float  # core.losses.cross_entropy(z / T, t, label_smoothing=ε)
    grad_scaled: np.ndarray  # dL/d(z/T) = p - y' (core.losses.cross_entropy_grad), (C,)
    grad: np.ndarray  # dL/dz = (p - y') / T, the gradient with respect to the raw logits, (C,)


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
    scaled = z / temperature
    probs = softmax(scaled)
    target = (1 - eps) * one_hot(t, n_classes) + eps / n_classes
    contributions = -target * log_softmax(scaled)
    loss = float(cross_entropy(scaled, t, label_smoothing=eps))
    grad_scaled = cross_entropy_grad(scaled, t, label_smoothing=eps)
    return MulticlassBreakdown(
        probs=probs,
        target=target,
        contributions=contributions,
        loss=loss,
        grad_scaled=grad_scaled,
        grad=grad_scaled / temperature,
    )
