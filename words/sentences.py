"""The sentence under a cross-entropy chart, chosen by how confident the model is in the true class.

The pages Surprise, Binary cross-entropy and Multi-class logits explain their charts with a sentence that
changes with the confidence band of p_true (:func:`core.bands.confidence_band`).  Every number in a
sentence is computed by :mod:`core` and formatted by :mod:`core.formatting`.

Two gradients are easy to confuse, and the sentences name which one they mean:

- dL/dp, the slope of the loss in probability space: −1/p for y = 1.  Its size 1/p is never below 1, so a
  confident, correct prediction still has a slope of about −1; it is *not* small.
- dL/dz, the gradient on the logit that a network actually receives: p − y.  This is what shrinks to 0
  as the prediction becomes confident and right, and what barely moves the model.

Losses and slopes are in nats unless a function takes a ``unit``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from core._validation import as_vector, check_int, check_scalar
from core.bands import confidence_band
from core.formatting import number, percent, signed
from core.functional import sigmoid
from core.information import surprise
from core.losses import binary_cross_entropy_grad, binary_cross_entropy_with_logits_grad
from core.multiclass import MulticlassBreakdown
from core.units import check_unit, in_unit

__all__ = [
    "SLIP_NOTE",
    "bce_logit_sentence",
    "bce_sentence",
    "gradient_insight",
    "multiclass_sentence",
    "surprise_sentence",
    "surprise_slope",
    "surprise_tex",
]

# Said wherever the app shows a confident prediction's dL/dp: the slip that a source we follow makes.
SLIP_NOTE = "Calling −1/p small here is a common slip, made even in popular write-ups on cross-entropy."

_SLOPE_FORMULA = {"nats": "−1/p", "bits": "−1/(p ln 2)"}


def surprise_tex(unit: str) -> str:
    r"""The LaTeX of the loss -log p and its slope in ``unit``, as the Surprise explorer draws them.

    >>> print(surprise_tex("bits"))
    \mathcal{L} = -\log_2 p_t \qquad \frac{d\mathcal{L}}{dp_t} = -\frac{1}{p_t \ln 2}
    """
    if check_unit(unit) == "bits":
        return r"\mathcal{L} = -\log_2 p_t \qquad \frac{d\mathcal{L}}{dp_t} = -\frac{1}{p_t \ln 2}"
    return r"\mathcal{L} = -\ln p_t \qquad \frac{d\mathcal{L}}{dp_t} = -\frac{1}{p_t}"


def surprise_slope(p_true: float, unit: str) -> float:
    """d(-log p)/dp at p in ``unit`` per unit of probability: -1/p in nats, -1/(p ln 2) in bits.

    >>> round(surprise_slope(0.7, "bits"), 2)
    -2.06
    """
    return in_unit(float(binary_cross_entropy_grad(p_true, 1.0)), unit)


def _by_band(p_true: float, sentences: dict[str, str]) -> str:
    """The sentence for ``p_true``'s confidence band: ``sentences`` has one per :data:`core.bands.BANDS`."""
    return sentences[confidence_band(p_true)]


def surprise_sentence(p_true: float, unit: str = "nats") -> str:
    """The sentence under the -log(p) explorer, chosen by :func:`core.bands.confidence_band`.

    It names the surprise in bits (:func:`core.information.surprise`) and the slope of the loss in
    ``unit``: d(-ln p)/dp = -1/p in nats, d(-log₂ p)/dp = -1/(p ln 2) in bits, the slope of the
    chart's tangent (:func:`core.losses.binary_cross_entropy_grad` with y = 1, converted by
    :func:`core.units.in_unit`).

    Parameters
    ----------
    p_true : float in [0, 1]
        The probability given to the true class; 0 means infinite surprise.
    unit : {"nats", "bits"}, default "nats"
        The unit of the chart the sentence sits next to.

    Returns
    -------
    str
        The band's verdict with the surprise in bits and the slope in ``unit``: Markdown (no HTML).

    Examples
    --------
    >>> print(surprise_sentence(0.7))
    **Moderate confidence.** The loss gradient is gentle here (slope −1/p = −1.43 nats per unit of
    probability), so learning will be steady but not urgent.
    >>> "slope −1/(p ln 2) = −2.06 bits" in surprise_sentence(0.7, "bits")
    True
    """
    p = check_scalar(p_true, "p_true", low=0, high=1)
    check_unit(unit)
    if p == 0:
        return (
            "**Impossible, said the model.** The true class got probability 0, so the surprise is "
            "infinite: −log 0 = ∞. Real models never output exactly 0 from logits; code that works "
            "with probabilities clips them for this reason."
        )
    if p == 1:
        return (
            "**Certain and right.** The true class got probability 1: no surprise and no loss. Only a limit: "
            "a softmax of finite logits never outputs exactly 1."
        )
    bits = float(surprise(p, base=2))
    slope = signed(surprise_slope(p, unit), 2)
    slope_text = f"slope {_SLOPE_FORMULA[unit]} = {slope} {unit} per unit of probability"
    sentences = {
        "confidently_wrong": (
            f"**Confidently wrong.** The true class got only {percent(p)}: a surprise of {bits:.2f} bits. "
            f"The curve is steep here ({slope_text}), an urgent signal to fix the mistake."
        ),
        "doubtful": (
            f"**Doubtful.** Less than even odds on the truth ({percent(p)}) costs {bits:.2f} bits of "
            f"surprise. The curve is still steep ({slope_text}), so learning moves fast."
        ),
        "moderate": (
            f"**Moderate confidence.** The loss gradient is gentle here ({slope_text}), so learning will be "
            "steady but not urgent."
        ),
        "confident": (
            f"**Confident and right.** Only {bits:.2f} bits of surprise: little is left to learn, yet the "
            f"loss reaches 0 only at p = 1. The curve is not flat ({slope_text}; it is never shallower than "
            f"{signed(in_unit(-1.0, unit), 2)}, its slope as p → 1). What fades is the gradient a network "
            f"receives on the true class's logit, p − 1 = {signed(p - 1, 2)}. {SLIP_NOTE}"
        ),
    }
    return _by_band(p, sentences)


def _check_label(y) -> int:
    if isinstance(y, bool) or y not in (0, 1):
        raise ValueError(f"y must be the label 0 or 1; got {y!r}")
    return int(y)


def bce_sentence(p: float, y: int) -> str:
    """The band-dependent explanation of binary cross-entropy in probability space.

    The band comes from p_true = p for y = 1 and 1 - p for y = 0; p = 0.5 is the decision boundary.
    The slope quoted is dL/dp from :func:`core.losses.binary_cross_entropy_grad`; where it matters the
    sentence also quotes the gradient on the logit, dL/dz = p - y, which is what a network receives
    (through the sigmoid the 1/p cancels).  |dL/dp| is never below 1, so it is dL/dz that is small when
    the prediction is confident and right.

    Parameters
    ----------
    p : float in [0, 1]
        The predicted probability of the positive class.
    y : {0, 1}
        The true label.

    Returns
    -------
    str
        The band's verdict with dL/dp, and dL/dz where it matters: Markdown (no HTML).

    Examples
    --------
    >>> print(bce_sentence(0.7, 1))  # the page's default
    **Correct side of the boundary but not fully confident.** The slope dL/dp = −1.43 keeps pushing p
    toward y = 1; on the logit the gradient is dL/dz = p − y = −0.30.
    """
    p = check_scalar(p, "p", low=0, high=1)
    y = _check_label(y)
    grad = float(binary_cross_entropy_grad(p, float(y)))
    g = f"dL/dp = {signed(grad, 2)}"
    g_logit = f"dL/dz = p − y = {signed(p - y, 2)}"
    p_true = p if y == 1 else 1 - p
    if p_true == 1:
        return (
            f"**Certain and right.** p = y = {y}: the loss is 0. Only a limit: a sigmoid of a finite logit "
            "never outputs exactly 0 or 1."
        )
    if p == 0.5:
        return (
            f"**On the decision boundary.** p = 0.5 says nothing about the label: the loss is ln 2 "
            f"(1 bit) whatever y is, and the gradient {g} pushes p toward y = {y}."
        )
    inverse = "1/p" if y == 1 else "1/(1 − p)"
    sentences = {
        "confidently_wrong": (
            f"**Confidently wrong.** The model gives the true label y = {y} only {percent(p_true)}. "
            f"The loss explodes toward infinity here and the slope {g} is huge: an urgent "
            f"signal to correct the mistake. On the logit the push stays bounded: {g_logit}."
        ),
        "doubtful": (
            f"**Wrong side of the decision boundary.** p = {p:.2f} predicts class {1 - y}, but y = {y}. "
            f"The loss is large and the slope {g} steep, pushing p across the boundary."
        ),
        "moderate": (
            f"**Correct side of the boundary but not fully confident.** The slope {g} keeps pushing p "
            f"toward y = {y}; on the logit the gradient is {g_logit}."
        ),
        "confident": (
            f"**Confident and right.** The loss is nearly 0, but the slope {g} is not small: its size "
            f"{inverse} is never below 1. What barely moves the model is the gradient on the logit, "
            f"{g_logit}. {SLIP_NOTE} The loss still reaches 0 only at p = y."
        ),
    }
    return _by_band(p_true, sentences)


def bce_logit_sentence(z: float, y: int, pos_weight: float = 1.0) -> str:
    """The band-dependent explanation of binary cross-entropy in logit space.

    The band comes from p_true of p = σ(z); the gradient quoted is dL/dz from
    :func:`core.losses.binary_cross_entropy_with_logits_grad`, which is σ(z) - y for ``pos_weight`` 1.
    Its size is at most 1, or ``pos_weight`` when y = 1.

    Parameters
    ----------
    z : float
        The logit.
    y : {0, 1}
    pos_weight : float >= 0, default 1.0

    Returns
    -------
    str
        The band's verdict with dL/dz and its bound: Markdown (no HTML).

    Examples
    --------
    >>> print(bce_logit_sentence(-4.0, 1))
    **Confidently wrong.** σ(z) = 0.018 for y = 1. The gradient dL/dz = −0.98 is close to its
    largest size, 1: a strong push, yet bounded, unlike the slope dL/dp in probability space.
    """
    z = check_scalar(z, "z")
    y = _check_label(y)
    pos_weight = check_scalar(pos_weight, "pos_weight", low=0)
    p = float(sigmoid(z))
    grad = float(binary_cross_entropy_with_logits_grad(z, float(y), pos_weight=pos_weight))
    g = f"dL/dz = {signed(grad, 2)}"
    cap = "1" if y == 0 or pos_weight == 1 else f"pos_weight = {pos_weight:g}"
    p_true = p if y == 1 else 1 - p
    if z == 0:
        return (
            f"**On the decision boundary.** z = 0 gives σ(z) = 0.5; the gradient {g} pushes z toward "
            f"{'positive' if y == 1 else 'negative'} values."
        )
    sentences = {
        "confidently_wrong": (
            f"**Confidently wrong.** σ(z) = {p:.3f} for y = {y}. The gradient {g} is close to its largest "
            f"size, {cap}: a strong push, yet bounded, unlike the slope dL/dp in probability space."
        ),
        "doubtful": (
            f"**Wrong side of the boundary.** z = {z:.2f} is on the side of class {1 - y}. The gradient {g} "
            f"pushes z across 0; its size is bounded by {cap}."
        ),
        "moderate": (
            f"**Correct side of the boundary but not fully confident.** The gradient {g} keeps pushing "
            f"z {'up' if y == 1 else 'down'}."
        ),
        "confident": (
            f"**Confident and right.** The gradient {g} is small: the logit barely moves. It shrinks "
            "toward 0 as |z| grows but never reaches it."
        ),
    }
    return _by_band(p_true, sentences)


def multiclass_sentence(
    probs, true_index: int, names: Sequence[str] | None = None, *, label_smoothing: float = 0.0
) -> str:
    """The band-dependent verdict on a softmax prediction: right or wrong, how confident, which way pushed.

    Right means the true class has the largest probability alone; a tie for the top is called a tie.
    The band of p_true (:func:`core.bands.confidence_band`) says how confident.  With label smoothing ε
    the target of the true class is y′ = 1 - ε + ε/C; a prediction above it is pushed back **down**, and
    the sentence says so instead of the usual "pushed up".

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
        Markdown (no HTML); names are inserted as given, so pass sanitised names
        (:func:`words.class_names.sanitize_class_names`).

    Examples
    --------
    >>> print(multiclass_sentence([0.891, 0.060, 0.033, 0.016], 0, ["Cat", "Dog", "Bird", "Fish"]))
    **Correct prediction but not fully confident.** Cross-entropy will keep pushing the true class
    logit higher relative to the others.
    >>> print(multiclass_sentence([0.97, 0.01, 0.01, 0.01], 0, label_smoothing=0.1))
    **Confident and right.** class 0 gets 97.0%. That is above its smoothed target y′ = 0.925, so the
    gradient pushes its logit **down**: label smoothing gives no reward for overconfidence.
    """
    q = as_vector(probs, "probs", "be a distribution of shape (C,) with C >= 2", min_size=2)
    t = check_int(true_index, "true_index", low=0, below=q.size)
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
        winner = f"{labels[top]} ({percent(float(q[top]))})"
        lead = f"{winner} beats the true class {true_name} ({percent(p_true)})"
        if band == "confidently_wrong":
            verdict = f"**Confidently wrong.** {lead}."
            push = "The loss −log p is large and the true logit gets a strong push up."
        else:
            verdict = f"**Wrong prediction.** {lead}."
            push = "Cross-entropy pushes the true logit up and the winner's down."
    elif others.max() == q[t]:
        verdict = f"**A tie at the top.** {true_name} shares the largest probability ({percent(p_true)})."
        push = "Cross-entropy breaks the tie in favour of the true class."
    elif band == "doubtful":
        verdict = f"**Correct, but barely.** {true_name} is the top guess with only {percent(p_true)}."
        push = "Most of the probability is elsewhere, so the loss is still large."
    elif band == "moderate":
        verdict = "**Correct prediction but not fully confident.**"
        push = "Cross-entropy will keep pushing the true class logit higher relative to the others."
    else:
        verdict = f"**Confident and right.** {true_name} gets {percent(p_true)}."
        push = "The gradients are small but never exactly zero: cross-entropy is never fully satisfied."
    if eps > 0 and p_true > y_true:
        push = (
            f"That is above its smoothed target y′ = {y_true:.3f}, so the gradient pushes its logit "
            "**down**: label smoothing gives no reward for overconfidence."
        )
    return f"{verdict} {push}"


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
    in [-1, 1].  That bound holds for this gradient on the logits only: deeper in a network the
    gradient is multiplied by weights and can still grow.  The text adapts when a temperature divides
    the gradient by T or label smoothing changes the target to y'.

    Parameters
    ----------
    breakdown : MulticlassBreakdown
        From :func:`core.multiclass.multiclass_breakdown` with the same ``temperature`` and
        ``label_smoothing``.
    true_index : int
    names : sequence of str, one per class (sanitised)
    temperature, label_smoothing : float

    Returns
    -------
    str
        One paragraph with this state's numbers: the gradient's signs, sum and bound, and what T and ε
        change; Markdown (no HTML).

    Examples
    --------
    >>> from core.multiclass import multiclass_breakdown
    >>> b = multiclass_breakdown([3.5, 0.8, 0.2, -0.5], 0)
    >>> "−0.109" in gradient_insight(b, 0, ["Cat", "Dog", "Bird", "Fish"])
    True
    """
    n_classes = breakdown.probs.size
    t = check_int(true_index, "true_index", low=0, below=n_classes)
    if len(names) != n_classes:
        raise ValueError(f"names must have one entry per class ({n_classes}); got {len(names)}")
    temperature = check_scalar(temperature, "temperature", low=0, low_open=True)
    eps = check_scalar(label_smoothing, "label_smoothing", low=0, high=1)
    g_true = float(breakdown.grad[t])
    g_true_text = signed(g_true, 3)
    total_text = number(abs(float(breakdown.grad.sum())), 3)  # exactly 0 up to rounding
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
        f"in {bound}: this gradient on the logits never explodes, and it does not vanish while the "
        "prediction is wrong. The bound is for the logits only: on its way back through a network the "
        "gradient is multiplied by the weights, and there it can still explode or vanish."
    )
    if temperature != 1:
        parts.append(
            f"Temperature: the softmax sees z/T, so the chain rule gives ∂L/∂z = (p − y′)/T; "
            f"with T = {temperature:g} every gradient is {'larger' if temperature < 1 else 'smaller'} "
            f"than p − y′ by a factor {1 / temperature:.3g}."
        )
    return " ".join(parts)
