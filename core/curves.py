"""The loss curves the cross-entropy pages draw: -log p, and binary cross-entropy against p and against z.

Each is computed by :mod:`core.information` or :mod:`core.losses` on a grid; losses are in nats unless a
function takes a ``unit``, gradients are those of the loss in nats.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from core._validation import check_int, check_scalar
from core.functional import sigmoid
from core.information import surprise
from core.losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
)
from core.units import check_unit

__all__ = [
    "BCECurves",
    "BCELogitCurves",
    "bce_logit_curves",
    "bce_probability_curves",
    "neg_log_curve",
]


class BCECurves(NamedTuple):
    """Binary cross-entropy against the predicted probability, for both labels (losses in nats)."""

    p: np.ndarray
    loss_pos: np.ndarray  # y = 1: -log p
    loss_neg: np.ndarray  # y = 0: -log(1 - p)


class BCELogitCurves(NamedTuple):
    """Binary cross-entropy against the logit, for both labels (losses in nats, gradients dL/dz)."""

    z: np.ndarray
    sigma: np.ndarray
    loss_pos: np.ndarray
    loss_neg: np.ndarray
    grad_pos: np.ndarray
    grad_neg: np.ndarray


def neg_log_curve(unit: str = "nats", n: int = 300, p_min: float = 0.005) -> tuple[np.ndarray, np.ndarray]:
    """The curve -log p on (0, 1], denser near 0 where it is steep.

    Parameters
    ----------
    unit : {"nats", "bits"}, default "nats"
    n : int in [2, 400], default 300
        Points on the curve (about a third of them in [p_min, 0.1]).
    p_min : float in (0, 0.1), default 0.005
        The smallest p drawn (-ln 0.005 = 5.3 nats).

    Returns
    -------
    p, loss : ndarray ``(n,)`` each
        Increasing p ending at 1, and -log p in ``unit`` (from :func:`core.information.surprise`).

    Examples
    --------
    >>> p, loss = neg_log_curve("bits", n=5, p_min=0.01)
    >>> float(p[-1]), float(loss[-1])
    (1.0, 0.0)
    """
    n = check_int(n, "n", low=2, high=400)
    p_min = check_scalar(p_min, "p_min", low=0, high=0.1, low_open=True, high_open=True)
    check_unit(unit)
    n_low = max(1, n // 3)
    low = np.geomspace(p_min, 0.1, n_low, endpoint=False)
    p = np.concatenate([low, np.linspace(0.1, 1.0, n - n_low)])
    return p, surprise(p, base=2 if unit == "bits" else math.e)


def bce_probability_curves(n: int = 300, p_min: float = 0.005) -> BCECurves:
    """Binary cross-entropy on a grid of predicted probabilities, for y = 1 and y = 0.

    Parameters
    ----------
    n : int in [2, 400], default 300
    p_min : float in (0, 0.5), default 0.005
        The grid runs from p_min to 1 - p_min.

    Returns
    -------
    BCECurves
        ``p (n,)``, ``loss_pos`` = -ln p and ``loss_neg`` = -ln(1 - p), from
        :func:`core.losses.binary_cross_entropy` (``reduction="none"``).

    Examples
    --------
    >>> c = bce_probability_curves(n=3, p_min=0.25)
    >>> c.p.tolist(), c.loss_pos.round(4).tolist()
    ([0.25, 0.5, 0.75], [1.3863, 0.6931, 0.2877])
    """
    n = check_int(n, "n", low=2, high=400)
    p_min = check_scalar(p_min, "p_min", low=0, high=0.5, low_open=True, high_open=True)
    p = np.linspace(p_min, 1 - p_min, n)
    return BCECurves(
        p=p,
        loss_pos=binary_cross_entropy(p, np.ones_like(p), reduction="none"),
        loss_neg=binary_cross_entropy(p, np.zeros_like(p), reduction="none"),
    )


def bce_logit_curves(z_max: float = 8.0, n: int = 321, pos_weight: float = 1.0) -> BCELogitCurves:
    """Binary cross-entropy with logits, its gradient and σ(z) on a grid of z in [-z_max, z_max].

    Parameters
    ----------
    z_max : float > 0, default 8.0
    n : int in [2, 400], default 321 (a step of 0.05 for z_max = 8)
    pos_weight : float >= 0, default 1.0
        Weight of the positive (y = 1) term, as in :func:`core.losses.binary_cross_entropy_with_logits`.

    Returns
    -------
    BCELogitCurves
        ``z``, ``sigma`` = σ(z), ``loss_pos``/``loss_neg`` (nats, for y = 1 / y = 0) and
        ``grad_pos``/``grad_neg`` = dL/dz, all ``(n,)``, computed by :mod:`core.losses`.

    Examples
    --------
    >>> c = bce_logit_curves(z_max=1.0, n=3)
    >>> c.grad_pos.tolist(), c.grad_neg.tolist()  # σ(z) - y
    ([-0.7310585786300049, -0.5, -0.2689414213699951], [0.2689414213699951, 0.5, 0.7310585786300049])
    """
    n = check_int(n, "n", low=2, high=400)
    z_max = check_scalar(z_max, "z_max", low=0, low_open=True)
    pos_weight = check_scalar(pos_weight, "pos_weight", low=0)
    z = np.linspace(-z_max, z_max, n)
    ones, zeros = np.ones_like(z), np.zeros_like(z)
    kw = {"pos_weight": pos_weight, "reduction": "none"}
    return BCELogitCurves(
        z=z,
        sigma=sigmoid(z),
        loss_pos=binary_cross_entropy_with_logits(z, ones, **kw),
        loss_neg=binary_cross_entropy_with_logits(z, zeros, **kw),
        grad_pos=binary_cross_entropy_with_logits_grad(z, ones, **kw),
        grad_neg=binary_cross_entropy_with_logits_grad(z, zeros, **kw),
    )
