"""Words, curves and breakdowns for the pages Surprise, Binary cross-entropy and Multi-class logits.

The pages explain a chart with a sentence that changes with the model's confidence in the true class.
The sentences, the thresholds that choose them, the curves the pages draw and the per-class breakdown
of the multi-class loss all live here, as pure functions, so they are tested without Streamlit.
Every number in a sentence is computed by :mod:`core.information` or :mod:`core.losses`.

Confidence bands of p, the probability the model gives the true class (:func:`confidence_band`):

======================  ===================  =============================================================
band                    p                    meaning
======================  ===================  =============================================================
``"confidently_wrong"`` p < 0.10             more than 3.32 bits of surprise; |d(-ln p)/dp| = 1/p > 10
``"doubtful"``          0.10 <= p < 0.50     less than even odds on the truth (in binary: the wrong side)
``"moderate"``          0.50 <= p < 0.90     the truth is favoured, but the loss still has a clear slope
``"confident"``         p >= 0.90            under 0.152 bits of surprise; the curve is nearly flat
======================  ===================  =============================================================

The seed article's worked examples fall where its sentences put them: p = 0.70 (explorer, binary
demo) is ``"moderate"`` and the multi-class default, p = 0.891, is ``"moderate"`` ("correct but not
fully confident").

Losses are in nats (natural log) unless a function takes a ``unit``; :func:`in_unit` converts to bits.
Gradients are always those of the loss in nats, the loss every framework trains with.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from core._validation import as_float_array, check_scalar
from core.functional import log_softmax, sigmoid, softmax
from core.information import surprise
from core.losses import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    cross_entropy,
    cross_entropy_grad,
    one_hot,
)

__all__ = [
    "BANDS",
    "BAND_LABELS",
    "CONFIDENT_FROM",
    "CONFIDENTLY_WRONG_BELOW",
    "DEFAULT_CLASS_NAMES",
    "MAX_NAME_LENGTH",
    "RIGHT_SIDE_FROM",
    "BCECurves",
    "BCELogitCurves",
    "MulticlassBreakdown",
    "band_intervals",
    "bce_logit_curves",
    "bce_logit_sentence",
    "bce_probability_curves",
    "bce_sentence",
    "class_label",
    "confidence_band",
    "gradient_insight",
    "in_unit",
    "multiclass_breakdown",
    "multiclass_sentence",
    "neg_log_curve",
    "normalise_weights",
    "rebalance_percentages",
    "sanitize_class_names",
    "surprise_or_inf",
    "surprise_sentence",
]

# ------------------------------------------------------------------------------------------------ bands
CONFIDENTLY_WRONG_BELOW = 0.10  # p_true below this: confidently wrong (surprise > 3.32 bits)
RIGHT_SIDE_FROM = 0.50  # p_true from here: the truth is favoured (binary: the right side of the boundary)
CONFIDENT_FROM = 0.90  # p_true from here: confident and right (surprise < 0.152 bits)

BANDS: tuple[str, ...] = ("confidently_wrong", "doubtful", "moderate", "confident")
BAND_LABELS: dict[str, str] = {
    "confidently_wrong": "confidently wrong",
    "doubtful": "doubtful",
    "moderate": "moderate",
    "confident": "confident",
}

UNITS: tuple[str, ...] = ("nats", "bits")
_LN2 = math.log(2)


def _probability(p, name: str = "p") -> float:
    return check_scalar(p, name, low=0, high=1)


def confidence_band(p_true: float) -> str:
    """The confidence band of the probability a model gives the true class.

    Thresholds (module constants): p < ``CONFIDENTLY_WRONG_BELOW`` (0.10) is ``"confidently_wrong"``,
    p < ``RIGHT_SIDE_FROM`` (0.50) is ``"doubtful"``, p < ``CONFIDENT_FROM`` (0.90) is ``"moderate"``,
    and p >= 0.90 is ``"confident"``.  Each lower bound belongs to its band.

    Parameters
    ----------
    p_true : float in [0, 1]
        The probability of the class that turned out to be true.

    Returns
    -------
    str
        One of :data:`BANDS`.

    Examples
    --------
    >>> confidence_band(0.05), confidence_band(0.3), confidence_band(0.7), confidence_band(0.95)
    ('confidently_wrong', 'doubtful', 'moderate', 'confident')
    >>> confidence_band(0.891)  # seed 003's multi-class default: "correct but not fully confident"
    'moderate'
    """
    p = _probability(p_true, "p_true")
    if p < CONFIDENTLY_WRONG_BELOW:
        return "confidently_wrong"
    if p < RIGHT_SIDE_FROM:
        return "doubtful"
    if p < CONFIDENT_FROM:
        return "moderate"
    return "confident"


def band_intervals() -> list[tuple[float, float, str]]:
    """The bands as ``(low, high, label)`` intervals of p_true covering [0, 1], in order (to shade a chart).

    >>> band_intervals()[0]
    (0.0, 0.1, 'confidently wrong')
    """
    edges = [0.0, CONFIDENTLY_WRONG_BELOW, RIGHT_SIDE_FROM, CONFIDENT_FROM, 1.0]
    return [(edges[i], edges[i + 1], BAND_LABELS[band]) for i, band in enumerate(BANDS)]


def in_unit(value_nats, unit: str):
    """Convert a loss in nats to ``unit``: unchanged for ``"nats"``, divided by ln 2 for ``"bits"``.

    Parameters
    ----------
    value_nats : float or array_like
    unit : {"nats", "bits"}

    Returns
    -------
    float or ndarray
        A float for a scalar input, otherwise an array.

    Examples
    --------
    >>> in_unit(math.log(2), "bits")
    1.0
    >>> in_unit(0.5, "nats")
    0.5
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be 'nats' or 'bits'; got {unit!r}")
    arr = np.asarray(value_nats, dtype=np.float64)
    out = arr / _LN2 if unit == "bits" else arr
    return float(out) if out.ndim == 0 else out


# -------------------------------------------------------------------------------------------- sentences
def _pct(p: float) -> str:
    return f"{100 * p:.1f}%"


def _signed(value: float, digits: int) -> str:
    """``+0.060`` / ``−0.109`` with a true minus sign, and no sign on a value that rounds to 0."""
    text = f"{abs(value):.{digits}f}"
    if float(text) == 0:
        return text
    return ("+" if value > 0 else "−") + text


def surprise_sentence(p_true: float) -> str:
    """The sentence under the -log(p) explorer, chosen by :func:`confidence_band`.

    It names the surprise in bits (:func:`core.surprise`) and the slope of the loss,
    d(-ln p)/dp = -1/p (:func:`core.binary_cross_entropy_grad` with y = 1).

    Parameters
    ----------
    p_true : float in [0, 1]
        The probability given to the true class; 0 means infinite surprise.

    Returns
    -------
    str
        Markdown (no HTML).

    Examples
    --------
    >>> print(surprise_sentence(0.7))
    **Moderate confidence.** The loss gradient is gentle here (slope −1/p = −1.43 per unit of
    probability), so learning will be steady but not urgent.
    """
    p = _probability(p_true, "p_true")
    if p == 0:
        return (
            "**Impossible, said the model.** The true class got probability 0, so the surprise is "
            "infinite: −log 0 = ∞. Real models never output exactly 0 from logits; code that works "
            "with probabilities clips them for this reason."
        )
    bits = float(surprise(p, base=2))
    slope = float(binary_cross_entropy_grad(p, 1.0))
    slope_text = f"slope −1/p = {slope:.2f}".replace("-", "−")
    band = confidence_band(p)
    if band == "confidently_wrong":
        return (
            f"**Confidently wrong.** The true class got only {_pct(p)}: a surprise of {bits:.2f} bits. "
            f"The curve is steep here ({slope_text}), an urgent signal to fix the mistake."
        )
    if band == "doubtful":
        return (
            f"**Doubtful.** Less than even odds on the truth ({_pct(p)}) costs {bits:.2f} bits of surprise. "
            f"The curve is still steep ({slope_text}), so learning moves fast."
        )
    if band == "moderate":
        return (
            f"**Moderate confidence.** The loss gradient is gentle here ({slope_text} per unit of "
            "probability), so learning will be steady but not urgent."
        )
    return (
        f"**Confident and right.** Only {bits:.2f} bits of surprise. The curve is nearly flat "
        f"({slope_text}): little is left to learn, yet the loss reaches 0 only at p = 1."
    )


def _check_label(y) -> int:
    if isinstance(y, bool) or y not in (0, 1):
        raise ValueError(f"y must be the label 0 or 1; got {y!r}")
    return int(y)


def bce_sentence(p: float, y: int) -> str:
    """The band-dependent explanation of binary cross-entropy in probability space.

    The band comes from p_true = p for y = 1 and 1 - p for y = 0; p = 0.5 is the decision boundary.
    The gradient quoted is dL/dp from :func:`core.binary_cross_entropy_grad`.

    Parameters
    ----------
    p : float in [0, 1]
        The predicted probability of the positive class.
    y : {0, 1}
        The true label.

    Returns
    -------
    str
        Markdown (no HTML).

    Examples
    --------
    >>> print(bce_sentence(0.7, 1))  # seed 003's binary demo
    **Correct side of the boundary but not fully confident.** The gradient dL/dp = −1.43 is moderate,
    pushing the model toward higher confidence.
    """
    p = _probability(p)
    y = _check_label(y)
    grad = float(binary_cross_entropy_grad(p, float(y)))
    g = f"dL/dp = {_signed(grad, 2)}"
    p_true = p if y == 1 else 1 - p
    if p == 0.5:
        return (
            f"**On the decision boundary.** p = 0.5 says nothing about the label: the loss is ln 2 "
            f"(1 bit) whatever y is, and the gradient {g} pushes p toward y = {y}."
        )
    band = confidence_band(p_true)
    if band == "confidently_wrong":
        return (
            f"**Confidently wrong.** The model gives the true label y = {y} only {_pct(p_true)}. "
            f"The loss explodes toward infinity here and the gradient {g} is huge: an urgent "
            "signal to correct the mistake."
        )
    if band == "doubtful":
        return (
            f"**Wrong side of the decision boundary.** p = {p:.2f} predicts class {1 - y}, but y = {y}. "
            f"The loss is large and the gradient {g} steep, pushing p across the boundary."
        )
    if band == "moderate":
        return (
            f"**Correct side of the boundary but not fully confident.** The gradient {g} is moderate, "
            "pushing the model toward higher confidence."
        )
    return (
        f"**Confident and right.** The gradient {g} is small, so this example barely moves the model; "
        "the loss still reaches 0 only at p = y."
    )


def bce_logit_sentence(z: float, y: int, pos_weight: float = 1.0) -> str:
    """The band-dependent explanation of binary cross-entropy in logit space.

    The band comes from p_true of p = σ(z); the gradient quoted is dL/dz from
    :func:`core.binary_cross_entropy_with_logits_grad`, which is σ(z) - y for ``pos_weight`` 1.

    Parameters
    ----------
    z : float
        The logit.
    y : {0, 1}
    pos_weight : float >= 0, default 1.0

    Returns
    -------
    str
        Markdown (no HTML).

    Examples
    --------
    >>> print(bce_logit_sentence(-4.0, 1))
    **Confidently wrong.** σ(z) = 0.018 for y = 1. The gradient dL/dz = −0.98 is close to its
    largest size, 1: a strong push that never explodes, unlike dL/dp.
    """
    z = check_scalar(z, "z")
    y = _check_label(y)
    pos_weight = check_scalar(pos_weight, "pos_weight", low=0)
    p = float(sigmoid(z))
    grad = float(binary_cross_entropy_with_logits_grad(z, float(y), pos_weight=pos_weight))
    g = f"dL/dz = {_signed(grad, 2)}"
    cap = "1" if y == 0 or pos_weight == 1 else f"pos_weight = {pos_weight:g}"
    p_true = p if y == 1 else 1 - p
    if z == 0:
        return (
            f"**On the decision boundary.** z = 0 gives σ(z) = 0.5; the gradient {g} pushes z toward "
            f"{'positive' if y == 1 else 'negative'} values."
        )
    band = confidence_band(p_true)
    if band == "confidently_wrong":
        return (
            f"**Confidently wrong.** σ(z) = {p:.3f} for y = {y}. The gradient {g} is close to its largest "
            f"size, {cap}: a strong push that never explodes, unlike dL/dp."
        )
    if band == "doubtful":
        return (
            f"**Wrong side of the boundary.** z = {z:.2f} is on the side of class {1 - y}. The gradient {g} "
            f"pushes z across 0; its size is bounded by {cap}."
        )
    if band == "moderate":
        return (
            f"**Correct side of the boundary but not fully confident.** The gradient {g} keeps pushing "
            f"z {'up' if y == 1 else 'down'}."
        )
    return (
        f"**Confident and right.** The gradient {g} is small: the logit barely moves. It shrinks "
        "toward 0 as |z| grows but never reaches it."
    )


def multiclass_sentence(
    probs, true_index: int, names: Sequence[str] | None = None, *, label_smoothing: float = 0.0
) -> str:
    """The band-dependent verdict on a softmax prediction: right or wrong, how confident, which way pushed.

    Right means the true class has the largest probability alone; a tie for the top is called a tie.
    The band of p_true (:func:`confidence_band`) says how confident.  With label smoothing ε the target
    of the true class is y′ = 1 - ε + ε/C; a prediction above it is pushed back **down**, and the
    sentence says so instead of the usual "pushed up".

    Parameters
    ----------
    probs : array_like ``(C,)``
        A probability distribution (the softmax output).
    true_index : int
        The true class, in [0, C).
    names : sequence of str, optional
        Class names for the text (default "class 0", "class 1", ...).
    label_smoothing : float in [0, 1], default 0.0

    Returns
    -------
    str
        Markdown (no HTML); names are inserted as given, so pass sanitised names.

    Examples
    --------
    >>> print(multiclass_sentence([0.891, 0.060, 0.033, 0.016], 0, ["Cat", "Dog", "Bird", "Fish"]))
    **Correct prediction but not fully confident.** Cross-entropy will keep pushing the true class
    logit higher relative to the others.
    >>> print(multiclass_sentence([0.97, 0.01, 0.01, 0.01], 0, label_smoothing=0.1))
    **Confident and right.** class 0 gets 97.0%. That is above its smoothed target y′ = 0.925, so the
    gradient pushes its logit **down**: label smoothing gives no reward for overconfidence.
    """
    q = as_float_array(probs, "probs").astype(np.float64)
    if q.ndim != 1 or q.size < 2:
        raise ValueError(f"probs must be a distribution of shape (C,) with C >= 2; got shape {q.shape}")
    t = _class_index(true_index, q.size)
    labels = list(names) if names is not None else [f"class {c}" for c in range(q.size)]
    if len(labels) != q.size:
        raise ValueError(f"names must have one entry per class ({q.size}); got {len(labels)}")
    eps = check_scalar(label_smoothing, "label_smoothing", low=0, high=1)
    p_true = float(np.clip(q[t], 0, 1))
    y_true = 1 - eps + eps / q.size
    top = int(np.argmax(q))
    others = np.delete(q, t)
    band = confidence_band(p_true)
    true_name = labels[t]

    if q[t] < q.max():
        lead = f"{labels[top]} ({_pct(float(q[top]))}) beats the true class {true_name} ({_pct(p_true)})"
        if band == "confidently_wrong":
            verdict = f"**Confidently wrong.** {lead}."
            push = "The loss −log p is large and the true logit gets a strong push up."
        else:
            verdict = f"**Wrong prediction.** {lead}."
            push = "Cross-entropy pushes the true logit up and the winner's down."
    elif others.max() == q[t]:
        verdict = f"**A tie at the top.** {true_name} shares the largest probability ({_pct(p_true)})."
        push = "Cross-entropy breaks the tie in favour of the true class."
    elif band == "doubtful":
        verdict = f"**Correct, but barely.** {true_name} is the top guess with only {_pct(p_true)}."
        push = "Most of the probability is elsewhere, so the loss is still large."
    elif band == "moderate":
        verdict = "**Correct prediction but not fully confident.**"
        push = "Cross-entropy will keep pushing the true class logit higher relative to the others."
    else:
        verdict = f"**Confident and right.** {true_name} gets {_pct(p_true)}."
        push = "The gradients are small but never exactly zero: cross-entropy is never fully satisfied."
    if eps > 0 and p_true > y_true:
        push = (
            f"That is above its smoothed target y′ = {y_true:.3f}, so the gradient pushes its logit "
            "**down**: label smoothing gives no reward for overconfidence."
        )
    return f"{verdict} {push}"


# ------------------------------------------------------------------------------------------- the curves
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


def _grid_size(n) -> int:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or not 2 <= n <= 400:
        raise ValueError(f"n must be an integer in [2, 400] (points on the curve); got {n!r}")
    return int(n)


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
        Increasing p ending at 1, and -log p in ``unit`` (from :func:`core.surprise`).

    Examples
    --------
    >>> p, loss = neg_log_curve("bits", n=5, p_min=0.01)
    >>> float(p[-1]), float(loss[-1])
    (1.0, 0.0)
    """
    n = _grid_size(n)
    p_min = check_scalar(p_min, "p_min", low=0, high=0.1, low_open=True, high_open=True)
    if unit not in UNITS:
        raise ValueError(f"unit must be 'nats' or 'bits'; got {unit!r}")
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
        :func:`core.binary_cross_entropy` (``reduction="none"``).

    Examples
    --------
    >>> c = bce_probability_curves(n=3, p_min=0.25)
    >>> c.p.tolist(), c.loss_pos.round(4).tolist()
    ([0.25, 0.5, 0.75], [1.3863, 0.6931, 0.2877])
    """
    n = _grid_size(n)
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
        Weight of the positive (y = 1) term, as in :func:`core.binary_cross_entropy_with_logits`.

    Returns
    -------
    BCELogitCurves
        ``z``, ``sigma`` = σ(z), ``loss_pos``/``loss_neg`` (nats, for y = 1 / y = 0) and
        ``grad_pos``/``grad_neg`` = dL/dz, all ``(n,)``, computed by :mod:`core`.

    Examples
    --------
    >>> c = bce_logit_curves(z_max=1.0, n=3)
    >>> c.grad_pos.tolist(), c.grad_neg.tolist()  # σ(z) - y
    ([-0.7310585786300049, -0.5, -0.2689414213699951], [0.2689414213699951, 0.5, 0.7310585786300049])
    """
    n = _grid_size(n)
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


# ---------------------------------------------------------------------------------- probabilities input
def normalise_weights(weights) -> np.ndarray:
    """Scale non-negative weights (e.g. slider percentages) into a probability distribution.

    Parameters
    ----------
    weights : array_like ``(K,)``
        Non-negative, not all zero.

    Returns
    -------
    ndarray ``(K,)``, float64, summing to 1.

    Examples
    --------
    >>> normalise_weights([85, 10, 3, 2]).tolist()
    [0.85, 0.1, 0.03, 0.02]
    """
    w = as_float_array(weights, "weights").astype(np.float64)
    if w.ndim != 1 or w.size == 0:
        raise ValueError(f"weights must be a 1-D array with at least one entry; got shape {w.shape}")
    if (w < 0).any():
        raise ValueError(f"weights must be non-negative; got {float(w.min()):g}")
    total = w.sum()
    if total == 0:
        raise ValueError("weights are all 0: give at least one class some probability")
    return w / total


def surprise_or_inf(q, base: float = 2) -> np.ndarray:
    """The surprise -log_b q of each outcome, with inf where q = 0 (the answer the model ruled out).

    :func:`core.surprise` rejects q = 0; a chart of "the surprise if this were the answer" needs the
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


def rebalance_percentages(
    values: Sequence[float], changed: int, *, step: float = 0.5, minimum: float = 0.5, total: float = 100.0
) -> list[float]:
    """Keep percentages summing to ``total`` after one of them changed: the others share the rest.

    The changed entry is kept (clipped so every other entry can keep ``minimum``); the others share the
    rest in proportion to their current values (equally if those are all 0), rounded to multiples of
    ``step`` by the largest-remainder method and kept at or above ``minimum``, so the result sums to
    ``total`` exactly.

    Parameters
    ----------
    values : sequence of float, length K >= 2
        The percentages, with the new value already at ``changed``.
    changed : int
        Index of the entry the user moved.
    step, minimum, total : float
        The slider step, the smallest allowed entry (a multiple of ``step``) and the required sum.

    Returns
    -------
    list of float
        K multiples of ``step``, each >= ``minimum``, summing to ``total``.

    Examples
    --------
    >>> rebalance_percentages([80.0, 20.0, 10.0], 0)  # Cat moved 70 -> 80; Dog and Bird keep a 2:1 ratio
    [80.0, 13.5, 6.5]
    """
    vals = as_float_array(values, "values").astype(np.float64)
    if vals.ndim != 1 or vals.size < 2:
        raise ValueError(f"values must be a 1-D sequence of at least 2 percentages; got shape {vals.shape}")
    k = vals.size
    changed = _class_index(changed, k, name="changed")
    step = check_scalar(step, "step", low=0, low_open=True)
    minimum = check_scalar(minimum, "minimum", low=0)
    total = check_scalar(total, "total", low=0, low_open=True)
    units_total = round(total / step)
    units_min = round(minimum / step)
    if not math.isclose(units_total * step, total) or not math.isclose(units_min * step, minimum):
        raise ValueError(f"total ({total:g}) and minimum ({minimum:g}) must be multiples of step ({step:g})")
    if units_min * k > units_total:
        raise ValueError(f"{k} entries of at least {minimum:g} cannot sum to {total:g}")
    units_changed = int(np.clip(round(vals[changed] / step), units_min, units_total - units_min * (k - 1)))
    others = np.delete(np.maximum(vals, 0), changed)
    if others.sum() == 0:
        others = np.ones_like(others)
    units_rest = units_total - units_changed
    ideal = units_rest * others / others.sum()
    units = np.maximum(np.floor(ideal), units_min).astype(int)
    short = units_rest - int(units.sum())
    if short > 0:  # flooring lost at most one unit per entry: give them to the largest remainders
        order = np.argsort(-(ideal - np.floor(ideal)), kind="stable")
        units[order[:short]] += 1
    while short < 0:  # raising entries to the minimum overshot: take from the largest entries
        units[int(np.argmax(units))] -= 1
        short += 1
    result = np.insert(units, changed, units_changed) * step
    return [float(v) for v in result]


# ---------------------------------------------------------------------------------------- class names
DEFAULT_CLASS_NAMES: tuple[str, ...] = (
    "Cat",
    "Dog",
    "Bird",
    "Fish",
    "Horse",
    "Rabbit",
    "Turtle",
    "Frog",
    "Fox",
    "Owl",
)
_EMOJI_FOR_DEFAULTS = ("🐱", "🐶", "🐦", "🐟", "🐴", "🐰", "🐢", "🐸", "🦊", "🦉")
_EMOJI = dict(zip(DEFAULT_CLASS_NAMES, _EMOJI_FOR_DEFAULTS, strict=True))
MAX_NAME_LENGTH = 16
_NAME_PUNCTUATION = frozenset(" -'.")
_EMOJI_JOINERS = frozenset("\u200d\ufe0f")  # zero-width joiner, emoji variation selector


def _allowed_name_char(ch: str) -> bool:
    return ch.isalnum() or ch in _NAME_PUNCTUATION or ch in _EMOJI_JOINERS or unicodedata.category(ch) == "So"


def class_label(name: str) -> str:
    """A class name with its animal emoji when it is one of the default names (any case).

    >>> class_label("cat"), class_label("Zebra")
    ('🐱 cat', 'Zebra')
    """
    match = {n.lower(): e for n, e in _EMOJI.items()}.get(name.strip().lower())
    return f"{match} {name}" if match else name


def sanitize_class_names(text: str, n: int) -> tuple[list[str], list[str]]:
    """Turn a comma-separated line of user-typed class names into ``n`` safe, distinct names.

    A name is kept if, after stripping spaces, it is non-empty, at most :data:`MAX_NAME_LENGTH`
    characters long, made only of letters, digits, spaces, ``-``, ``'``, ``.`` and emoji, not starting
    with one of those punctuation marks (nothing that Markdown, LaTeX or HTML would interpret), and not
    a repeat of an earlier name (case-insensitive).
    Any other entry, and any missing one, becomes the first default name (:data:`DEFAULT_CLASS_NAMES`)
    not already used.  Entries beyond ``n`` are ignored.

    Parameters
    ----------
    text : str
        E.g. ``"Cat, Dog, Bird, Fish"``.
    n : int in [1, 10]
        The number of classes.

    Returns
    -------
    names : list of str, length n
    notes : list of str
        One plain sentence per replaced or ignored entry (empty when everything was kept).

    Examples
    --------
    >>> names, notes = sanitize_class_names("Cat, <b>x</b>, cat", 3)
    >>> names
    ['Cat', 'Dog', 'Bird']
    >>> print("\\n".join(notes))
    Name 2 ('<b>x</b>') uses characters other than letters, digits, spaces, - ' . and emoji; using 'Dog'.
    Name 3 ('cat') repeats an earlier name; using 'Bird'.
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a string of comma-separated names; got {type(text).__name__}")
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or not 1 <= n <= len(DEFAULT_CLASS_NAMES):
        raise ValueError(f"n must be an integer in [1, {len(DEFAULT_CLASS_NAMES)}]; got {n!r}")
    n = int(n)
    typed = [part.strip() for part in text.split(",")] if text.strip() else []
    notes: list[str] = []
    if len(typed) > n:
        notes.append(f"Only the first {n} names are used ({len(typed)} were given).")

    # First pass: keep the good names, and note why the others are replaced.
    kept: list[str | None] = []
    problems: dict[int, str] = {}
    seen: set[str] = set()
    for i in range(n):
        entry = typed[i] if i < len(typed) else None
        problem = None
        if entry is None:
            pass  # not typed: a default, without a note
        elif not entry:
            problem = "is empty"
        elif len(entry) > MAX_NAME_LENGTH:
            problem = f"is longer than {MAX_NAME_LENGTH} characters"
        elif not all(_allowed_name_char(ch) for ch in entry):
            problem = "uses characters other than letters, digits, spaces, - ' . and emoji"
        elif entry[0] in _NAME_PUNCTUATION:
            problem = "starts with punctuation (Markdown could read it as a list or a quote)"
        elif entry.lower() in seen:
            problem = "repeats an earlier name"
        if entry and problem is None:
            seen.add(entry.lower())
            kept.append(entry)
        else:
            kept.append(None)
            if problem is not None:
                problems[i] = problem

    # Second pass: fill the gaps with the defaults no kept name uses.
    spare = iter([d for d in DEFAULT_CLASS_NAMES if d.lower() not in seen])
    names: list[str] = []
    for i, name in enumerate(kept):
        if name is None:
            name = next(spare)
            if i in problems:
                entry = typed[i]
                shown = f" ({entry if len(entry) <= 40 else entry[:40] + '…'!r})" if entry else ""
                notes.append(f"Name {i + 1}{shown} {problems[i]}; using {name!r}.")
        names.append(name)
    return names, notes


def _class_index(index, n_classes: int, name: str = "true_index") -> int:
    if isinstance(index, bool) or not isinstance(index, int | np.integer):
        raise ValueError(f"{name} must be an integer class index; got {index!r}")
    if not 0 <= index < n_classes:
        raise ValueError(f"{name} must be in [0, {n_classes}); got {index}")
    return int(index)


# ------------------------------------------------------------------------------------ multi-class loss
class MulticlassBreakdown(NamedTuple):
    """Softmax cross-entropy of one sample, class by class (losses in nats).

    ``contributions.sum() == loss``; ``grad == grad_scaled / temperature``; both gradients sum to 0.
    """

    probs: np.ndarray  # p = softmax(z / T), (C,)
    target: np.ndarray  # y' = (1 - ε) y + ε / C, (C,)
    contributions: np.ndarray  # -y'_c log p_c, (C,)
    loss: float  # core.cross_entropy(z / T, t, label_smoothing=ε)
    grad_scaled: np.ndarray  # dL/d(z/T) = p - y' (core.cross_entropy_grad), (C,)
    grad: np.ndarray  # dL/dz = (p - y') / T, the gradient with respect to the raw logits, (C,)


def multiclass_breakdown(
    logits, true_index: int, *, temperature: float = 1.0, label_smoothing: float = 0.0
) -> MulticlassBreakdown:
    """Softmax with temperature, then cross-entropy with label smoothing, split into per-class parts.

    .. math:: p = \\operatorname{softmax}(z / T), \\quad y' = (1 - ε)\\, y + ε / C, \\quad
              \\ell = -\\sum_c y'_c \\log p_c, \\quad
              \\frac{\\partial \\ell}{\\partial z} = \\frac{1}{T}\\,(p - y')

    The loss and ∂ℓ/∂(z/T) = p - y' come from :func:`core.cross_entropy` and
    :func:`core.cross_entropy_grad` on the scaled logits z / T; the chain rule through z / T divides
    by T.  The per-class contributions -y'_c log p_c use :func:`core.log_softmax` (never log of softmax).

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
    >>> b = multiclass_breakdown([3.5, 0.8, 0.2, -0.5], 0)  # seed 003's default
    >>> round(float(b.probs[0]), 3), round(b.loss, 4), round(float(b.grad[0]), 3)
    (0.891, 0.1155, -0.109)
    """
    z = as_float_array(logits, "logits").astype(np.float64)
    if z.ndim != 1 or z.size < 2:
        raise ValueError(f"logits must have shape (C,) with C >= 2 classes; got shape {z.shape}")
    n_classes = z.size
    t = _class_index(true_index, n_classes)
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


def gradient_insight(
    breakdown: MulticlassBreakdown,
    true_index: int,
    names: Sequence[str],
    *,
    temperature: float = 1.0,
    label_smoothing: float = 0.0,
) -> str:
    """The "gradient insight" paragraph for the multi-class page, with this state's numbers.

    Plain cross-entropy (T = 1, ε = 0): the true class's gradient p_true - 1 is negative (gradient
    descent pushes its logit up), every other class's is p_c > 0 (pushed down), they sum to 0 and lie
    in [-1, 1].  The text adapts when a temperature divides the gradient by T or label smoothing
    changes the target to y'.

    Parameters
    ----------
    breakdown : MulticlassBreakdown
        From :func:`multiclass_breakdown` with the same ``temperature`` and ``label_smoothing``.
    true_index : int
    names : sequence of str, one per class (sanitised)
    temperature, label_smoothing : float

    Returns
    -------
    str
        Markdown (no HTML).

    Examples
    --------
    >>> b = multiclass_breakdown([3.5, 0.8, 0.2, -0.5], 0)
    >>> "−0.109" in gradient_insight(b, 0, ["Cat", "Dog", "Bird", "Fish"])
    True
    """
    n_classes = breakdown.probs.size
    t = _class_index(true_index, n_classes)
    if len(names) != n_classes:
        raise ValueError(f"names must have one entry per class ({n_classes}); got {len(names)}")
    temperature = check_scalar(temperature, "temperature", low=0, low_open=True)
    eps = check_scalar(label_smoothing, "label_smoothing", low=0, high=1)
    g_true = float(breakdown.grad[t])
    g_true_text = _signed(g_true, 3)
    total = float(breakdown.grad.sum())
    total_text = f"{abs(total):.3f}"  # exactly 0 up to rounding
    parts = []
    if eps == 0:
        parts.append(
            f"For the true class **{names[t]}** the gradient is "
            + ("p − 1" if temperature == 1 else f"(p − 1)/T with T = {temperature:g}")
            + f" = **{g_true_text}**: negative, so gradient descent pushes its logit **up**. For every "
            "other class it is the softmax probability p_c itself"
            + (" (over T)" if temperature != 1 else "")
            + ": positive, pushing those logits **down**, each in proportion to how much probability "
            "it wrongly holds."
        )
    else:
        y_true = float(breakdown.target[t])
        y_other = eps / n_classes
        parts.append(
            f"With label smoothing ε = {eps:g} the target is y′ = (1 − ε)·y + ε/C: {y_true:.3f} for "
            f"**{names[t]}** and {y_other:.3f} for each other class. The gradient is "
            + ("p − y′" if temperature == 1 else f"(p − y′)/T with T = {temperature:g}")
            + f": **{g_true_text}** for {names[t]}"
            + (" (positive: its logit is pushed **down**)" if g_true > 0 else "")
            + ". Another class is pushed down only while its probability exceeds "
            f"{y_other:.3f}; below that it is pushed **up**, which is how smoothing stops the model "
            "from becoming overconfident."
        )
    inv_t = f"{1 / temperature:.3g}"
    bound = "[−1, 1]" if temperature == 1 else f"[−1/T, 1/T] = [−{inv_t}, {inv_t}]"
    parts.append(
        f"The entries sum to 0 (here {total_text}), because both p and the target sum to 1, and each lies "
        f"in {bound}: the signal never explodes, and it does not vanish while the prediction is wrong."
    )
    if temperature != 1:
        parts.append(
            f"Temperature: the softmax sees z/T, so the chain rule gives ∂L/∂z = (p − y′)/T; "
            f"with T = {temperature:g} every gradient is {'larger' if temperature < 1 else 'smaller'} "
            f"than p − y′ by a factor {1 / temperature:.3g}."
        )
    return " ".join(parts)
