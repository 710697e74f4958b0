"""Curves and data behind the Loss comparison and the Entropy and KL pages.

- :func:`comparison_grid` and :func:`comparison_curves`: five classification losses (cross-entropy, MSE on
  the softmax probabilities, focal, multi-class hinge, label-smoothed cross-entropy) and their gradients
  with respect to the true-class logit, as functions of the true-class probability, in one precisely
  defined two-class setting.  Every value comes from the losses in :mod:`core.losses`.
- :func:`imbalance_dataset` and :func:`imbalance_shares`: a deterministic 95/5 data set and how much of
  the total loss and of the total gradient each class gets under plain, class-weighted and focal
  cross-entropy.
- :func:`smooth_labels`, :func:`smoothing_floor_curve`: label smoothing of a target distribution, and
  the entropy floor it puts under the loss; :func:`entropy_kl_sweep`: H(P, Q) = H(P) + KL(P ‖ Q) at every
  value of one of the Entropy and KL page's sliders.

Shapes: ``logits (n, C)``, class indices ``(n,)``, distributions on the last axis.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from core._validation import (
    as_float_array,
    check_base,
    check_class_indices,
    check_distribution,
    check_int,
    check_logits_2d,
    check_scalar,
    check_unit_interval,
)
from core.information import cross_entropy_between, entropy, kl_divergence
from core.losses import (
    cross_entropy,
    cross_entropy_grad,
    focal_loss,
    focal_loss_grad,
    multi_margin_loss,
    multi_margin_loss_grad,
    softmax_mse_loss,
    softmax_mse_loss_grad,
)
from core.proportions import normalise_weights

__all__ = [
    "COMPARISON_LOSSES",
    "comparison_grid",
    "true_class_logits",
    "ComparisonCurves",
    "comparison_curves",
    "imbalance_dataset",
    "balanced_class_weights",
    "ImbalanceShares",
    "imbalance_shares",
    "smooth_labels",
    "smoothing_floor_curve",
    "EntropyKLSweep",
    "entropy_kl_sweep",
]

# The losses of the comparison, in the order they are drawn.
COMPARISON_LOSSES: tuple[str, ...] = ("cross_entropy", "mse", "focal", "hinge", "label_smoothing")

# The largest grid the pages draw (keeps reruns under the slider fast).
_MAX_GRID = 400


def comparison_grid(n: int = 400, p_min: float = 1e-3) -> np.ndarray:
    """True-class probabilities from ``p_min`` to ``1 - p_min``, evenly spaced in the logit.

    Even spacing in z = logit(p) puts more points near 0 and 1, where the losses and gradients bend.

    Parameters
    ----------
    n : int in [2, 400], default 400
    p_min : float in (0, 0.5), default 1e-3

    Returns
    -------
    ndarray ``(n,)``, float64, increasing, symmetric about 0.5.

    Examples
    --------
    >>> comparison_grid(3, 0.1).round(3)
    array([0.1, 0.5, 0.9])
    """
    n = check_int(n, "n", low=2, high=_MAX_GRID)
    p_min = check_scalar(p_min, "p_min", low=0, high=0.5, low_open=True, high_open=True)
    z_max = math.log((1 - p_min) / p_min)
    z = np.linspace(-z_max, z_max, n)
    return 1.0 / (1.0 + np.exp(-z))


def true_class_logits(p_true) -> np.ndarray:
    """Two-class logits ``[z, 0]`` whose softmax gives the true class (class 0) probability ``p_true``.

    .. math:: z = \\operatorname{logit}(p) = \\ln p - \\ln(1 - p), \\qquad
              \\operatorname{softmax}([z, 0])_0 = σ(z) = p

    Parameters
    ----------
    p_true : array_like ``(n,)`` or scalar, entries in (0, 1)

    Returns
    -------
    ndarray ``(n, 2)`` (``(1, 2)`` for a scalar), float64.

    Examples
    --------
    >>> true_class_logits([0.5, 0.75]).round(4)
    array([[0.    , 0.    ],
           [1.0986, 0.    ]])
    """
    p = as_float_array(p_true, "p_true").astype(np.float64).reshape(-1)
    if p.size == 0:
        raise ValueError("p_true must hold at least one probability; got an empty array")
    if (p <= 0).any() or (p >= 1).any():
        bad = float(p[(p <= 0) | (p >= 1)][0])
        raise ValueError(f"p_true must be in (0, 1) (the logit of 0 or 1 is infinite); got {bad:g}")
    z = np.log(p) - np.log1p(-p)
    return np.stack([z, np.zeros_like(z)], axis=1)


@dataclass(frozen=True)
class ComparisonCurves:
    """Per-sample losses and true-logit gradients of the five compared losses.

    Attributes
    ----------
    p_true : ndarray ``(n,)``
    logits : ndarray ``(n, 2)``
        ``[logit(p), 0]``, class 0 true.
    loss : dict[str, ndarray ``(n,)``]
        Keyed by :data:`COMPARISON_LOSSES`, in nats where a log is involved.
    grad : dict[str, ndarray ``(n,)``]
        ∂ loss / ∂ z_true, the derivative with respect to the true-class logit z.
    gamma, margin, label_smoothing : float
    """

    p_true: np.ndarray
    logits: np.ndarray
    loss: dict[str, np.ndarray]
    grad: dict[str, np.ndarray]
    gamma: float
    margin: float
    label_smoothing: float


def comparison_curves(p_true, *, gamma=2.0, margin=1.0, label_smoothing=0.1) -> ComparisonCurves:
    """The five losses and their true-logit gradients at the true-class probabilities ``p_true``.

    The setting: two classes, logits ``[z, 0]`` with class 0 true, so p_true = σ(z).  For each row the
    per-sample loss (``reduction="none"``) and the true-logit column of the ``_grad`` twin (which for
    ``reduction="none"`` is the gradient of the sum, i.e. each row's own gradient) of

    - ``"cross_entropy"``: :func:`core.cross_entropy`, -ln p;
    - ``"mse"``: :func:`core.softmax_mse_loss` summed over the two classes, Σ_c (p_c - y_c)² = 2(1 - p)²;
    - ``"focal"``: :func:`core.focal_loss`, -(1 - p)^γ ln p;
    - ``"hinge"``: :func:`core.multi_margin_loss`, (1/C) Σ_{j≠y} max(0, margin - z_y + z_j),
      here max(0, margin - z)/2;
    - ``"label_smoothing"``: :func:`core.cross_entropy` with ``label_smoothing=ε``,
      -Σ_c y'_c ln p_c with y' = (1 - ε) y + ε/C.

    Parameters
    ----------
    p_true : array_like ``(n,)`` or scalar, entries in (0, 1)
    gamma : float >= 0, default 2.0
    margin : float >= 0, default 1.0
    label_smoothing : float in [0, 1], default 0.1

    Returns
    -------
    ComparisonCurves

    Examples
    --------
    >>> c = comparison_curves([0.001, 0.5])
    >>> c.grad["cross_entropy"].round(3), c.grad["mse"].round(3)  # MSE's gradient vanishes as p -> 0
    (array([-0.999, -0.5  ]), array([-0.004, -0.5  ]))
    """
    logits = true_class_logits(p_true)
    gamma = check_scalar(gamma, "gamma", low=0)
    margin = check_scalar(margin, "margin", low=0)
    eps = check_scalar(label_smoothing, "label_smoothing", low=0, high=1)
    target = np.zeros(logits.shape[0], dtype=np.intp)
    none = {"reduction": "none"}
    loss = {
        "cross_entropy": cross_entropy(logits, target, **none),
        "mse": softmax_mse_loss(logits, target, **none).sum(axis=1),
        "focal": focal_loss(logits, target, gamma=gamma, **none),
        "hinge": multi_margin_loss(logits, target, margin=margin, **none),
        "label_smoothing": cross_entropy(logits, target, label_smoothing=eps, **none),
    }
    grad = {
        "cross_entropy": cross_entropy_grad(logits, target, **none)[:, 0],
        "mse": softmax_mse_loss_grad(logits, target, **none)[:, 0],
        "focal": focal_loss_grad(logits, target, gamma=gamma, **none)[:, 0],
        "hinge": multi_margin_loss_grad(logits, target, margin=margin, **none)[:, 0],
        "label_smoothing": cross_entropy_grad(logits, target, label_smoothing=eps, **none)[:, 0],
    }
    p = 1.0 / (1.0 + np.exp(-logits[:, 0]))
    return ComparisonCurves(
        p_true=p, logits=logits, loss=loss, grad=grad, gamma=gamma, margin=margin, label_smoothing=eps
    )


# -------------------------------------------------------------------------------------- class imbalance
def imbalance_dataset(n_major: int = 95, n_minor: int = 5, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A deterministic two-class data set with a majority that is mostly easy and a minority that is hard.

    Each sample gets a margin m = z_true - z_other: majority samples (class 0) m ~ N(3, 1), so p_true is
    about 0.95; minority samples (class 1) m ~ N(-0.5, 1), so p_true is about 0.38.  Its logits are
    ±m/2 (the true class +m/2).  Majority samples come first.

    Parameters
    ----------
    n_major, n_minor : int >= 1, default 95 and 5
    seed : int, default 0
        Seed of ``np.random.default_rng``.

    Returns
    -------
    logits : ndarray ``(n, 2)``, float64
    target : ndarray ``(n,)`` of class indices (0 = majority, 1 = minority)

    Examples
    --------
    >>> logits, target = imbalance_dataset()
    >>> logits.shape, np.bincount(target).tolist()
    ((100, 2), [95, 5])
    """
    n_major = check_int(n_major, "n_major", low=1, high=100_000)
    n_minor = check_int(n_minor, "n_minor", low=1, high=100_000)
    seed = check_int(seed, "seed", low=0, high=2**32 - 1)
    rng = np.random.default_rng(seed)
    margin = np.concatenate([rng.normal(3.0, 1.0, n_major), rng.normal(-0.5, 1.0, n_minor)])
    target = np.concatenate([np.zeros(n_major, np.intp), np.ones(n_minor, np.intp)])
    logits = np.empty((margin.size, 2))
    rows = np.arange(margin.size)
    logits[rows, target] = margin / 2
    logits[rows, 1 - target] = -margin / 2
    return logits, target


def balanced_class_weights(target, n_classes: int) -> np.ndarray:
    """Inverse-frequency class weights n / (C · n_c) (scikit-learn's "balanced"); 0 for absent classes.

    Examples
    --------
    >>> balanced_class_weights([0] * 95 + [1] * 5, 2).round(4)
    array([ 0.5263, 10.    ])
    """
    n_classes = check_int(n_classes, "n_classes", low=1, high=100_000)
    t = check_class_indices(np.asarray(target), np.empty(np.shape(target) + (n_classes,)))
    if t.ndim != 1 or t.size == 0:
        raise ValueError(f"target must be a non-empty 1-D array of class indices; got shape {t.shape}")
    counts = np.bincount(t, minlength=n_classes).astype(np.float64)
    with np.errstate(divide="ignore"):
        w = np.where(counts > 0, t.size / (n_classes * counts), 0.0)
    return w


@dataclass(frozen=True)
class ImbalanceShares:
    """Per-class totals and shares of loss and gradient magnitude under several losses.

    Attributes
    ----------
    methods : tuple of str
        ``("cross_entropy", "weighted", "focal")``.
    counts : ndarray ``(C,)``
        Samples per class.
    weights : ndarray ``(C,)``
        The class weights of the weighted cross-entropy.
    gamma : float
        γ of the focal loss.
    loss_total, grad_total : ndarray ``(M, C)``
        Σ over the class's samples of the per-sample loss, and of the per-sample gradient's Euclidean
        norm ‖∂ℓ_i/∂z_i‖.
    loss_share, grad_share : ndarray ``(M, C)``
        The totals divided by their row sums (each row sums to 1; a row of zeros stays zero).
    """

    methods: tuple[str, ...]
    counts: np.ndarray
    weights: np.ndarray
    gamma: float
    loss_total: np.ndarray
    grad_total: np.ndarray
    loss_share: np.ndarray
    grad_share: np.ndarray


def _shares(totals: np.ndarray) -> np.ndarray:
    sums = totals.sum(axis=1, keepdims=True)
    return np.divide(totals, sums, out=np.zeros_like(totals), where=sums > 0)


def imbalance_shares(logits, target, *, gamma=2.0, weight=None) -> ImbalanceShares:
    """How the loss and the gradient split between classes under plain, weighted and focal cross-entropy.

    For each method the per-sample losses (``reduction="none"``) and per-sample logit gradients (the
    ``_grad`` twins with ``reduction="none"``) are summed per class:

    .. math:: L_c = \\sum_{i: t_i = c} \\ell_i, \\qquad
              G_c = \\sum_{i: t_i = c} \\lVert ∂\\ell_i / ∂z_i \\rVert_2, \\qquad
              \\text{share}_c = L_c / \\textstyle\\sum_k L_k

    with ℓ the plain :func:`core.cross_entropy`, the class-weighted one (``weight=``, by default
    :func:`balanced_class_weights`) and :func:`core.focal_loss` with ``gamma``.

    Parameters
    ----------
    logits : array_like ``(n, C)``
    target : integer class indices ``(n,)``
    gamma : float >= 0, default 2.0
    weight : array_like ``(C,)``, optional
        Class weights for the weighted cross-entropy; default inverse frequency.

    Returns
    -------
    ImbalanceShares

    Examples
    --------
    >>> s = imbalance_shares(*imbalance_dataset(), gamma=2.0)
    >>> s.loss_share.sum(axis=1).round(12).tolist()
    [1.0, 1.0, 1.0]
    >>> bool(s.loss_share[0, 1] < s.loss_share[1, 1])  # weighting raises the minority's share
    True
    """
    z = check_logits_2d(logits)
    if z.ndim != 2:
        raise ValueError(f"logits must be a 2-D (n, C) batch; got shape {z.shape}")
    t = check_class_indices(target, z)
    gamma = check_scalar(gamma, "gamma", low=0)
    n_classes = z.shape[1]
    w = balanced_class_weights(t, n_classes) if weight is None else as_float_array(weight, "weight")
    none = {"reduction": "none"}
    per_sample = {
        "cross_entropy": (cross_entropy(z, t, **none), cross_entropy_grad(z, t, **none)),
        "weighted": (cross_entropy(z, t, weight=w, **none), cross_entropy_grad(z, t, weight=w, **none)),
        "focal": (focal_loss(z, t, gamma=gamma, **none), focal_loss_grad(z, t, gamma=gamma, **none)),
    }
    methods = tuple(per_sample)
    loss_total = np.array(
        [
            np.bincount(t, weights=loss.astype(np.float64), minlength=n_classes)
            for loss, _ in per_sample.values()
        ]
    )
    grad_total = np.array(
        [
            np.bincount(t, weights=np.linalg.norm(grad.astype(np.float64), axis=1), minlength=n_classes)
            for _, grad in per_sample.values()
        ]
    )
    return ImbalanceShares(
        methods=methods,
        counts=np.bincount(t, minlength=n_classes),
        weights=np.asarray(w, dtype=np.float64),
        gamma=gamma,
        loss_total=loss_total,
        grad_total=grad_total,
        loss_share=_shares(loss_total),
        grad_share=_shares(grad_total),
    )


# ------------------------------------------------------------------------------------ distributions, KL
def smooth_labels(p, label_smoothing) -> np.ndarray:
    """Label smoothing of a target distribution: mix it with the uniform distribution.

    .. math:: P_ε = (1 - ε)\\, P + ε / C

    Parameters
    ----------
    p : array_like ``(..., C)``
        Distributions on the last axis.
    label_smoothing : float in [0, 1]

    Returns
    -------
    ndarray of ``p``'s shape.

    Examples
    --------
    >>> smooth_labels([1.0, 0.0, 0.0, 0.0], 0.1).tolist()
    [0.925, 0.025, 0.025, 0.025]
    """
    arr = as_float_array(p, "p")
    check_distribution(arr, "p")
    eps = check_scalar(label_smoothing, "label_smoothing", low=0, high=1)
    return (1 - eps) * arr + eps / arr.shape[-1]


def smoothing_floor_curve(p, label_smoothing, base: float = math.e) -> np.ndarray:
    """The entropy H(P_ε) of the smoothed target for each ε: the smallest cross-entropy any Q can reach.

    .. math:: \\min_Q H(P_ε, Q) = H(P_ε), \\text{ reached at } Q = P_ε

    Parameters
    ----------
    p : array_like ``(C,)``
        The unsmoothed target distribution.
    label_smoothing : array_like ``(m,)`` of ε in [0, 1]
    base : float, default e (nats); 2 for bits

    Returns
    -------
    ndarray ``(m,)``

    Examples
    --------
    >>> smoothing_floor_curve([1.0, 0.0, 0.0, 0.0], [0.0, 0.1, 1.0], base=2).round(4)
    array([0.    , 0.5032, 2.    ])
    """
    arr = as_float_array(p, "p").astype(np.float64)
    if arr.ndim != 1:
        raise ValueError(f"p must be one distribution of shape (C,); got shape {arr.shape}")
    check_distribution(arr, "p")
    eps = as_float_array(label_smoothing, "label_smoothing").astype(np.float64).reshape(-1)
    check_unit_interval(eps, "label_smoothing")
    base = check_base(base)
    smoothed = (1 - eps[:, None]) * arr + eps[:, None] / arr.size
    return entropy(smoothed, base=base)


class EntropyKLSweep(NamedTuple):
    """H(P, Q) = H(P) + KL(P ‖ Q) in n states, one row each (in the unit of the base asked for)."""

    p: np.ndarray  # the (smoothed) target P_ε of each state, (n, K)
    q: np.ndarray  # the prediction Q of each state, (n, K)
    entropy: np.ndarray  # H(P), (n,)
    kl: np.ndarray  # KL(P ‖ Q), (n,)
    cross_entropy: np.ndarray  # H(P, Q), (n,)


def entropy_kl_sweep(
    p_weights, q_weights, label_smoothing: float, vary, values: Sequence[float], *, base: float = math.e
) -> EntropyKLSweep:
    """The split of the cross-entropy at every value of one control, the others held: what a drag shows.

    State i is P = :func:`smooth_labels` (``normalise_weights(p_weights)``, ε) and
    Q = ``normalise_weights(q_weights)``, with the varied control at ``values[i]``: Q's weight ``vary``
    if it is a class index, ε if it is ``"label_smoothing"``.  Its P, Q, entropy, KL divergence and
    cross-entropy are, to the last bit, those :mod:`core.information` gives for that one state.

    Parameters
    ----------
    p_weights, q_weights : array_like ``(K,)``
        Non-negative weights (:func:`core.proportions.normalise_weights`); Q's stay positive where P's are.
    label_smoothing : float in [0, 1]
        ε, held unless ``vary == "label_smoothing"``.
    vary : int in [0, K) or "label_smoothing"
    values : sequence of float ``(n,)``, n >= 1
    base : float, default e (nats); 2 for bits

    Returns
    -------
    EntropyKLSweep

    Examples
    --------
    >>> s = entropy_kl_sweep([100, 0, 0, 0], [85, 10, 3, 2], 0.0, 0, [85, 50])  # drag Q's first weight
    >>> s.q[:, 0].round(4), s.kl.round(4), s.entropy
    (array([0.85  , 0.7692]), array([0.1625, 0.2624]), array([0., 0.]))
    >>> entropy_kl_sweep([100, 0], [85, 15], 0.0, "label_smoothing", [0.0, 0.2]).entropy.round(4)
    array([0.    , 0.3251])
    """
    n_classes = len(normalise_weights(q_weights))
    if vary == "label_smoothing":
        p_rows = [smooth_labels(normalise_weights(p_weights), eps) for eps in values]
        q_rows = [normalise_weights(q_weights)] * len(p_rows)
    else:
        if isinstance(vary, str):
            raise ValueError(f"vary must be a class index or 'label_smoothing'; got {vary!r}")
        k = check_int(vary, "vary", low=0, below=n_classes)
        p = smooth_labels(normalise_weights(p_weights), label_smoothing)
        q_rows = [normalise_weights([w if j != k else v for j, w in enumerate(q_weights)]) for v in values]
        p_rows = [p] * len(q_rows)
    if not q_rows:
        raise ValueError("values must hold at least one value")
    p_arr, q_arr = np.stack(p_rows), np.stack(q_rows)
    return EntropyKLSweep(
        p=p_arr,
        q=q_arr,
        entropy=entropy(p_arr, base=base),
        kl=kl_divergence(p_arr, q_arr, base=base),
        cross_entropy=cross_entropy_between(p_arr, q_arr, base=base),
    )
