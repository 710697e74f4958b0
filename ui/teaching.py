"""Teaching aids for every page: "What to try" prompts and a predict-then-check question.

- ``LESSONS``: plain data keyed by a page's ``url_path`` (see :mod:`ui.registry`). A :class:`Lesson` holds
  three or four prompts and, on the cross-entropy and gradient pages, a :class:`Question`.
- A question's ``solve(unit)`` computes the correct option and the explanation from ``core`` (no
  Streamlit, no stored answer): the numbers a student reads are the numbers ``core`` computes.
- ``render_teaching_aids(url_path, presenter=...)`` draws both; it is meant to be called from
  ``ui.common.page_header``.

Writing conventions of the prompts: a control is named by its on-screen label in *italics* (the tests
check that each one exists on its page), a quantity the page shows in **bold**. Numbers in the prompts
are computed from ``core`` when this module is imported, never typed in.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import streamlit as st

import core
from ui.common import safe_page, units

__all__ = [
    "LESSONS",
    "Lesson",
    "Question",
    "feedback",
    "question_key",
    "render_question",
    "render_teaching_aids",
    "render_what_to_try",
]

QUESTION_TITLE = "Predict, then check"
WHAT_TO_TRY_TITLE = "What to try"
PICK_HINT = "Pick the answer you expect: the explanation appears as soon as you choose."


@dataclass(frozen=True)
class Question:
    """A predict-then-check question.

    Attributes
    ----------
    prompt : str
        The question, Markdown (it is the radio's label).
    options : tuple of str
        The answers to choose from, plain text (they also go into the URL), one of them the common
        misconception.
    solve : callable ``(unit) -> (correct_index, explanation_markdown)``
        Computes the answer with ``core``; ``unit`` is ``"nats"`` or ``"bits"`` (the sidebar's choice), used
        for losses. No Streamlit.
    try_it : str
        Where to see it on the page: "set X to Y ...", Markdown, controls in *italics*.
    """

    prompt: str
    options: tuple[str, ...]
    solve: Callable[[str], tuple[int, str]]
    try_it: str


@dataclass(frozen=True)
class Lesson:
    """The teaching aids of one page: three or four "What to try" prompts and an optional question."""

    what_to_try: tuple[str, ...]
    question: Question | None = None


def question_key(url_path: str) -> str:
    """The widget key (and URL query parameter) of a page's question: ``"binary_predict"``."""
    return f"{url_path}_predict"


# ------------------------------------------------------------------------------------------- formatting
def _num(value: float, digits: int = 4) -> str:
    """``0.6931``, ``−0.1090`` (a true minus sign)."""
    text = f"{value:.{digits}f}"
    return text.replace("-", "−") if value < 0 and float(text) != 0 else text.lstrip("-")


def _signed(value: float, digits: int = 3) -> str:
    """``+0.060``, ``−0.109``, ``0.000``."""
    if round(value, digits) == 0:
        return f"{0:.{digits}f}"
    return ("+" if value > 0 else "−") + f"{abs(value):.{digits}f}"


def _sci(value: float) -> str:
    """``−1.00 × 10¹⁰``-style text for very large or very small numbers, else fixed point."""
    if value == 0 or 1e-3 <= abs(value) < 1e4:
        return _num(value, 4)
    mantissa, exponent = f"{value:.2e}".split("e")
    power = str(int(exponent)).replace("-", "⁻").translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{mantissa.replace('-', '−')} × 10{power}"


def _loss(value_nats: float, unit: str, digits: int = 4) -> str:
    """A loss in the chosen unit with its unit: ``0.3567 nats`` or ``0.5146 bits``."""
    return f"{_num(core.in_unit(value_nats, unit), digits)} {unit}"


def _pct(p: float, digits: int = 1) -> str:
    return f"{100 * p:.{digits}f}%"


def _and(names: Sequence[str]) -> str:
    """``"Dog, Bird and Fish"``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _matching(value: float, candidates: Sequence[float], *, atol: float) -> int:
    """The index of the one candidate within ``atol`` of ``value`` (NaN matches NaN).

    Raises ValueError when none or several match: the question's options no longer fit ``core``.
    """
    hits = [
        k
        for k, c in enumerate(candidates)
        if (math.isnan(value) and math.isnan(c)) or (not math.isnan(c) and abs(value - c) <= atol)
    ]
    if len(hits) != 1:
        raise ValueError(
            f"expected exactly one option to match {value!r}; matches: {hits} of {list(candidates)}"
        )
    return hits[0]


def _nearest_ratio(value: float, candidates: Sequence[float]) -> int:
    """The index of the candidate closest to the positive ``value`` on a log scale."""
    return int(np.argmin([abs(math.log(value / c)) for c in candidates]))


# ---------------------------------------------------------------------------------------------- home
def _home() -> Lesson:
    one_bit = float(core.surprise(0.5, base=math.e))
    return Lesson(
        what_to_try=(
            "Switch *Units* in the sidebar to bits: the cross-entropy pages then show every loss in bits (1 "
            f"bit = ln 2 = {_num(one_bit)} nats). Nats, the natural-log unit the frameworks use, are the "
            "default.",
            "Open *Surprise* for takeaway 1: play the guessing game and watch surprise, loss and wasted "
            "bits move together.",
            "Open *Softmax gradient* for takeaway 2: the chain rule through the softmax Jacobian collapses, "
            "term by term, to **s − y**.",
            "Open *Numerical pitfalls* for takeaway 4: the naive log(softmax(z)) returns inf or NaN where "
            "the log-sum-exp form stays finite.",
        ),
    )


# ------------------------------------------------------------------------------------------ surprise
SURPRISE_P = (0.70, 0.10)  # the explorer's default P(true), and a small one


def _surprise_solve(unit: str) -> tuple[int, str]:
    (p_a, p_b), ln = SURPRISE_P, math.e
    before = [float(core.surprise(p, base=ln)) for p in SURPRISE_P]
    after = [float(core.surprise(p / 2, base=ln)) for p in SURPRISE_P]
    rise = [a - b for a, b in zip(after, before, strict=True)]
    if rise[0] <= 0:
        correct = 3  # it went down
    elif math.isclose(rise[0], rise[1], rel_tol=1e-9):
        correct = 1  # the same step whatever p was
    elif rise[1] > rise[0]:
        correct = 2
    else:
        correct = 0
    halving_bits = float(core.surprise(0.5, base=2))
    explanation = (
        f"At p = {p_a:.2f} the loss is −log {p_a:.2f} = {_loss(before[0], unit)}; at p = {p_a / 2:.3g} it is "
        f"{_loss(after[0], unit)}: up by **{_loss(rise[0], unit)}**, a factor of {after[0] / before[0]:.2f}, "
        f"not 2. At p = {p_b:.2f} → {p_b / 2:.3g} it goes from {_loss(before[1], unit)} to "
        f"{_loss(after[1], unit)}: up by the same {_loss(rise[1], unit)}. Because −log(p/2) = −log p + log "
        f"2, halving the probability of the truth always costs exactly ln 2 = {_num(rise[0])} nats = "
        f"{_num(halving_bits, 0)} bit, wherever you start. The curve is steeper at small p, but that "
        "steepness is spread over a smaller step in p."
    )
    return correct, explanation


def _surprise() -> Lesson:
    right, wrong = float(core.surprise(0.85, base=2)), float(core.surprise(0.05, base=2))
    unsure = [float(core.surprise(q, base=2)) for q in (0.30, 0.20)]
    ce_70, ce_05 = (float(core.surprise(p, base=math.e)) for p in (0.70, 0.05))
    half = float(core.surprise(0.5, base=math.e))
    return Lesson(
        what_to_try=(
            "Press *Confident and right*, then *Confident and wrong*: **Surprise (bits)** jumps from "
            f"{right:.2f} to {wrong:.2f}, and **Wasted bits** shows the same number each time: with a "
            "one-hot truth H(P) = 0, so every bit of surprise is wasted.",
            "With *Confident and wrong* set, switch *The true answer (revealed)* to Dog: the model bet 85% "
            f"on Dog, so the surprise falls back to {right:.2f} bits. Only the probability given to the "
            "answer that happened counts.",
            "Press *Unsure* and click through the four answers of *The true answer (revealed)*: the "
            f"surprise stays between {unsure[0]:.2f} and {unsure[1]:.2f} bits. A model that hedges is never "
            "shocked, but never cheap either.",
            "In the explorer, drag *Cat (true)* from 70% down to 5%: the point climbs the −log p curve and "
            f"**CE loss (nats)** rises from {_num(ce_70)} to {_num(ce_05)}. Each halving of p adds the same "
            f"ln 2 = {_num(half)} nats (1 bit).",
        ),
        question=Question(
            prompt=f"The model gives the true class p = {SURPRISE_P[0]:.2f}. If that probability **halves**, "
            "the cross-entropy loss −log p …",
            options=(
                "doubles",
                "goes up by the same fixed amount, whatever p was",
                "goes up by more, the smaller p already was",
                "goes down",
            ),
            solve=_surprise_solve,
            try_it="In the explorer, drag *Cat (true)* from 70% to 35%, then from 10% to 5%, and compare "
            "the rise of **CE loss (nats)** and **Surprise (bits)**.",
        ),
    )


# -------------------------------------------------------------------------------------------- binary
BINARY_P = 0.01  # the slider's minimum: confidently wrong for y = 1
BINARY_OPTIONS = (-1.0, -10.0, -100.0, 0.0)


def _binary_solve(unit: str) -> tuple[int, str]:
    grad = float(core.binary_cross_entropy_grad(BINARY_P, 1.0))
    correct = int(np.argmin([abs(grad - c) for c in BINARY_OPTIONS]))
    loss = float(core.binary_cross_entropy(BINARY_P, 1.0))
    grad_09 = float(core.binary_cross_entropy_grad(0.9, 1.0))
    z = float(core.true_class_logits(BINARY_P)[0, 0])  # logit(p)
    grad_z = float(core.binary_cross_entropy_with_logits_grad(z, 1.0))
    explanation = (
        f"For y = 1 the loss is −log p = {_loss(loss, unit)} and its slope is **∂L/∂p = −1/p = "
        f"{_signed(grad, 2)}** (for the loss in nats), against {_signed(grad_09, 2)} at p = 0.9: the wall of "
        "the curve is steep exactly where the model is confidently wrong. In logit space the same "
        f"prediction is z = {_num(z, 2)} and **∂L/∂z = σ(z) − y = {_signed(grad_z, 3)}**: through the "
        "sigmoid the 1/p cancels, so the gradient a network actually receives stays between −1 and 1."
    )
    return correct, explanation


def _binary() -> Lesson:
    loss_09, loss_01 = (float(core.binary_cross_entropy(p, 1.0)) for p in (0.9, 0.1))
    grad_09, grad_01 = (float(core.binary_cross_entropy_grad(p, 1.0)) for p in (0.9, 0.1))
    loss_pos, loss_neg = (float(core.binary_cross_entropy(0.7, y)) for y in (1.0, 0.0))
    grad_z = float(core.binary_cross_entropy_with_logits_grad(-8.0, 1.0))
    weighted = float(core.binary_cross_entropy_with_logits(0.85, 1.0, pos_weight=5.0)) / float(
        core.binary_cross_entropy_with_logits(0.85, 1.0)
    )
    return Lesson(
        what_to_try=(
            "With *True label y (used by both charts)* at y = 1, drag *Predicted p = P(y = 1)* from 0.90 "
            f"down to 0.10: **BCE loss** rises from {_num(loss_09)} to {_num(loss_01)} nats and **Gradient "
            f"∂L/∂p** grows from {_signed(grad_09, 2)} to {_signed(grad_01, 2)}: it is −1/p.",
            "At p = 0.70, switch *True label y (used by both charts)* to y = 0: the other curve, −ln(1 − "
            f"p), is now active, the loss jumps from {_num(loss_pos)} to {_num(loss_neg)} nats and the arrow "
            "turns towards p = 0.",
            "With y = 1, drag *Logit z* down to −8: **Gradient ∂L/∂z** = σ(z) − y approaches "
            f"{_signed(grad_z, 4)}, close to −1 but never beyond, while −1/p in probability space would "
            "explode.",
            f"Set *pos_weight p_w* to 5 with y = 1: the loss (and its gradient) is {weighted:.0f} times "
            "larger, a missed positive costs more. Switch to y = 0 and p_w changes nothing.",
        ),
        question=Question(
            prompt=f"The label is y = 1 and the model predicts **p = {BINARY_P}**. How big is the gradient "
            "∂L/∂p of the binary cross-entropy?",
            options=(
                "about −1",
                "about −10",
                "about −100",
                "about 0: the curve is flat down there",
            ),
            solve=_binary_solve,
            try_it="Drag *Predicted p = P(y = 1)* to 0.01 with y = 1 and read **Gradient ∂L/∂p**; then drag "
            "*Logit z* to −4.60 and read **Gradient ∂L/∂z**.",
        ),
    )


# ---------------------------------------------------------------------------------------- multiclass
MULTICLASS_LOGITS = (2.0, 1.0, 0.1)  # Cat (true), Dog, Bird
MULTICLASS_NAMES = ("Cat", "Dog", "Bird")
MC_DEFAULT = np.array([3.5, 0.8, 0.2, -0.5])  # the page's (and seed 003's) default logits


def _multiclass_solve(unit: str) -> tuple[int, str]:
    z = np.array(MULTICLASS_LOGITS)
    probs = core.softmax(z)
    grad = core.cross_entropy_grad(z, 0)
    loss = float(core.cross_entropy(z, 0))
    sizes = np.abs(grad)
    correct = 3 if np.allclose(sizes, sizes[0]) else int(np.argmax(sizes))
    parts = ", ".join(f"{name} {_signed(float(g))}" for name, g in zip(MULTICLASS_NAMES, grad, strict=True))
    explanation = (
        f"softmax(z) = ({', '.join(f'{p:.3f}' for p in probs)}) and the loss is −log {probs[0]:.3f} = "
        f"{_loss(loss, unit)}. The gradient p − y is **({parts})**. The true class's entry is p − 1 = "
        f"{_signed(float(grad[0]))}, and the entries always sum to {_num(abs(float(grad.sum())), 3)}, so its "
        f"size 1 − p_Cat = {_num(1 - float(probs[0]), 3)} is the sum of all the wrong classes' entries: it "
        "is always the largest. The wrong classes are pushed down in proportion to their probability; the "
        "true class is pushed up by all of that at once."
    )
    return correct, explanation


def _multiclass() -> Lesson:
    base = core.multiclass_breakdown(MC_DEFAULT, 0)
    up = core.multiclass_breakdown(np.array([8.0, 0.8, 0.2, -0.5]), 0)
    dog = core.multiclass_breakdown(np.array([3.5, 5.0, 0.2, -0.5]), 0)
    hot = core.multiclass_breakdown(MC_DEFAULT, 0, temperature=5.0)
    target = float(core.smooth_labels(core.one_hot(0, 4), 0.1)[0])
    smooth = core.multiclass_breakdown(np.array([5.0, 0.8, 0.2, -0.5]), 0, label_smoothing=0.1)
    return Lesson(
        what_to_try=(
            f"Drag *Cat (true)* from 3.5 up to 8: **P(true class)** climbs from {_pct(base.probs[0])} to "
            f"{_pct(up.probs[0], 2)} and **Gradient on the true logit** shrinks from "
            f"{_signed(float(base.grad[0]))} to {_signed(float(up.grad[0]), 4)}: small, but never exactly 0.",
            f"Drag *Dog* up to 5, past Cat's 3.5: the loss rises from {_num(base.loss)} to {_num(dog.loss)} "
            f"nats and Dog's bar gets the biggest push down ({_signed(float(dog.grad[1]))}), while Cat's is "
            f"pushed up ({_signed(float(dog.grad[0]))}).",
            "Move *Temperature T* from 1.0 to 5.0: the probabilities flatten (Cat falls to "
            f"{_pct(hot.probs[0])}) and the loss rises to {_num(hot.loss)} nats; at T = 0.1 they are almost "
            "one-hot.",
            f"Set *Label smoothing ε* to 0.10: Cat's target becomes {target:.3f} and every class has a share "
            f"of the loss. Now drag *Cat (true)* to 5: P(true) = {_pct(smooth.probs[0])} is past "
            f"{target:.3f}, so the true logit's gradient turns positive ({_signed(float(smooth.grad[0]))}): "
            "smoothing pulls the logit back.",
        ),
        question=Question(
            prompt="Three classes with logits **Cat 2.0 (true), Dog 1.0, Bird 0.1**. Which logit gets the "
            "gradient ∂L/∂z of the largest size?",
            options=(
                "Cat's, the true class",
                "Dog's, the strongest wrong class",
                "Bird's, the smallest logit",
                "all three are the same size",
            ),
            solve=_multiclass_solve,
            try_it="Set *Number of classes C* to 3 and the logits *Cat (true)* to 2.0, *Dog* to 1.0 and "
            "*Bird* to 0.1, and compare the gradient bars.",
        ),
    )


# ---------------------------------------------------------------------------------------- comparison
COMPARISON_P = 0.90
COMPARISON_OPTION_LOSSES = ("cross_entropy", "focal", "hinge")  # the first three options, in order
COMPARISON_NAMES = {
    "cross_entropy": "CE",
    "mse": "MSE",
    "focal": "focal (γ = 2)",
    "hinge": "hinge (margin 1)",
    "label_smoothing": "label-smoothed CE (ε = 0.1)",
}


def _comparison_solve(unit: str) -> tuple[int, str]:
    del unit  # the page works in nats: MSE and hinge are not information quantities
    c = core.comparison_curves([COMPARISON_P], gamma=2.0, margin=1.0, label_smoothing=0.1)
    grads = {k: float(v[0]) for k, v in c.grad.items()}
    zero = [k for k, name in enumerate(COMPARISON_OPTION_LOSSES) if grads[name] == 0]
    if len(zero) > 1:
        raise ValueError(f"several losses have a zero gradient at p = {COMPARISON_P}: {zero}")
    correct = zero[0] if zero else len(COMPARISON_OPTION_LOSSES)
    z = float(c.logits[0, 0])
    listing = "; ".join(f"{COMPARISON_NAMES[k]} {_signed(g, 4)}" for k, g in grads.items())
    explanation = (
        f"At p_true = {COMPARISON_P:.2f} the true logit is z = {_num(z, 3)}, and ∂ℓ/∂z is: {listing}. The "
        "hinge loss max(0, margin − z)/2 is exactly 0 as soon as z beats the other logit by the margin 1, "
        "so it stops pushing: the example is done. Cross-entropy's p − 1 shrinks but is never 0, and focal "
        "loss, the same times (1 − p)^γ, is tiny but not 0; label-smoothed CE still pushes too, until "
        "p_true = 1 − ε/2."
    )
    return correct, explanation


def _comparison() -> Lesson:
    wrong = core.comparison_curves([0.01])
    focal = core.comparison_curves([COMPARISON_P], gamma=5.0)
    right = core.comparison_curves([COMPARISON_P], margin=3.0)
    logits, target = core.imbalance_dataset()
    plain = core.imbalance_shares(logits, target, gamma=0.0)
    strong = core.imbalance_shares(logits, target, gamma=5.0)
    focal_row = list(strong.methods).index("focal")
    return Lesson(
        what_to_try=(
            "Drag *Operating point: p_true* down to 0.01: in the table CE's ∂ℓ/∂z_true is "
            f"{_signed(float(wrong.grad['cross_entropy'][0]), 2)}, MSE's only "
            f"{_signed(float(wrong.grad['mse'][0]), 3)}. Confidently wrong is exactly where MSE's gradient "
            "vanishes and CE's does not.",
            "Set *Focal loss γ* to 0: the focal curve lies on CE. Raise it to 5 at p_true = "
            f"{COMPARISON_P:.2f}: focal's gradient drops to {_sci(float(focal.grad['focal'][0]))} while CE "
            f"still pushes with {_signed(float(focal.grad['cross_entropy'][0]), 2)}: easy examples are "
            "switched off.",
            f"At p_true = {COMPARISON_P:.2f} (z = {_num(float(right.logits[0, 0]), 3)}) the hinge loss is 0 "
            "with margin 1. Raise *Hinge margin* to 3 and it pushes again "
            f"({_signed(float(right.grad['hinge'][0]), 1)}), until z beats the margin.",
            "In the imbalance demo, raise *Focal loss γ (this demo)* from 0 to 5: the minority class's "
            f"share of the gradient grows from {_pct(float(plain.grad_share[focal_row, 1]))} to "
            f"{_pct(float(strong.grad_share[focal_row, 1]))}, without focal loss knowing the classes.",
        ),
        question=Question(
            prompt=f"At p_true = **{COMPARISON_P:.2f}** the model is right and fairly confident. Which loss "
            "gives this example **no gradient at all**?",
            options=(
                "cross-entropy: the example is already classified correctly",
                "focal loss (γ = 2)",
                "hinge (margin 1)",
                "none of them: every loss keeps pushing",
            ),
            solve=_comparison_solve,
            try_it=f"Set *Operating point: p_true* to {COMPARISON_P:.2f} and read the table; then raise "
            "*Hinge margin* to 3 and watch the hinge push again.",
        ),
    )


# ------------------------------------------------------------------------------------------------ kl
KL_P = (60, 25, 10, 5)  # the page's soft truth (weights)
KL_Q = (85, 10, 3, 2)  # the page's prediction: seed 003's guessing game
KL_NAMES = ("Cat", "Dog", "Bird", "Fish")


def _kl_solve(unit: str) -> tuple[int, str]:
    base = 2.0 if unit == "bits" else math.e
    p, q = core.normalise_weights(KL_P), core.normalise_weights(KL_Q)
    forward = float(core.kl_divergence(p, q, base=base))
    reverse = float(core.kl_divergence(q, p, base=base))
    if math.isclose(forward, reverse, rel_tol=1e-9, abs_tol=1e-12):
        correct = 0
    else:
        correct = 1 if forward > reverse else 2
    under = [name for name, pk, qk in zip(KL_NAMES, p, q, strict=True) if pk > qk]
    explanation = (
        f"With P = ({', '.join(f'{v:.2f}' for v in p)}) and Q = ({', '.join(f'{v:.2f}' for v in q)}): **KL(P "
        f"‖ Q) = {_num(forward)} {unit}** but **KL(Q ‖ P) = {_num(reverse)} {unit}**. KL is not a distance: "
        "it is not symmetric. KL(P ‖ Q) averages log P/Q over the truth P, so it is large where P is likely "
        f"and Q is not (here {_and(under)}, which Q under-rates). Cross-entropy training minimises this "
        "forward KL(P ‖ Q), with the truth first."
    )
    return correct, explanation


def _kl() -> Lesson:
    h_p = float(core.entropy(core.normalise_weights(KL_P)))
    floor = float(core.entropy(core.smooth_labels(core.one_hot(0, 4), 0.5)))
    return Lesson(
        what_to_try=(
            "Keep *P is* on one-hot with *True class* Cat and drag *Q weight: Cat* from 85 down to 10: "
            "**H(P)** stays 0 while **KL(P ‖ Q)** and **H(P, Q)** rise together. For a hard label the whole "
            "loss is wasted bits.",
            "Switch *P is* to “Soft (a distribution)” and set each *Q weight* to the matching *P weight* "
            f"(60, 25, 10, 5): KL(P ‖ Q) drops to 0 and the loss sits on its floor H(P) = {_num(h_p)} nats.",
            "With a one-hot P and 4 classes, raise *Label smoothing ε* from 0 to 0.5: the floor H(P_ε) "
            f"climbs from 0 to {_num(floor)} nats. No prediction gets below it, so the logits never have to "
            "run off to infinity.",
        ),
        question=Question(
            prompt="Soft truth P = (0.60, 0.25, 0.10, 0.05), prediction Q = (0.85, 0.10, 0.03, 0.02). Swap "
            "their roles: how do **KL(P ‖ Q)** and **KL(Q ‖ P)** compare?",
            options=(
                "equal: KL is a distance, the order does not matter",
                "KL(P ‖ Q) is larger",
                "KL(Q ‖ P) is larger",
            ),
            solve=_kl_solve,
            try_it="Switch *P is* to “Soft (a distribution)”: the page shows KL(P ‖ Q). Then swap the "
            "numbers (each *P weight* to Q's 85, 10, 3, 2 and each *Q weight* to 60, 25, 10, 5) and read it "
            "again.",
        ),
    )


# ------------------------------------------------------------------------------------------ pitfalls
PITFALLS_EPS = 1e-7  # the page's default ε (log₁₀ = −7), Keras' choice
PITFALLS_P = 1e-10  # the page's default p of the true class (log₁₀ = −10)


def _pitfalls_solve(unit: str) -> tuple[int, str]:
    del unit  # the page works in nats
    grad = float(core.clipped_log_loss_grad(PITFALLS_P, 1.0, eps=PITFALLS_EPS))
    correct = _matching(grad, (-1 / PITFALLS_P, -1 / PITFALLS_EPS, 0.0, math.nan), atol=1e-12)
    c = core.clipping_comparison([PITFALLS_P, 0.0], eps=PITFALLS_EPS)
    explanation = (
        "p = 10⁻¹⁰ is below ε = 10⁻⁷, so clip(p, ε, 1 − ε) = ε and the loss is the constant −ln ε = "
        f"{_num(float(c.clipped[0]))} nats. A constant has slope 0: the clipped **∂ℓ/∂p = "
        f"{float(c.clipped_grad[0]):g}**, exactly. The true −ln p = {_num(float(c.exact[0]))} nats with "
        f"slope −1/p = {_sci(float(c.exact_grad[0]))}; the clip hides {_num(float(c.bias[0]))} nats of loss "
        "and all of the learning signal. PyTorch's BCE clamps the log at −100 instead and still gives "
        f"{_sci(float(c.torch_grad[0]))} here. The real fix is not to take the log of a probability: use the "
        "logits."
    )
    return correct, explanation


def _pitfalls() -> Lesson:
    scales = np.geomspace(0.1, 1e4, 400)
    breaks = {
        dt: core.naive_scale_sweep(scales, (1.0, 0.0, -1.0), 2, dt).first_break for dt in core.NAIVE_DTYPES
    }
    low, high = (core.clipping_comparison([p], eps=PITFALLS_EPS) for p in (1e-5, PITFALLS_P))
    z_dog = np.array([3.5, 5.0, 0.2, -0.5])
    bce = core.bce_on_softmax_grad(z_dog, 0, reduction="sum")
    pushed_up = [k for k in range(1, len(z_dog)) if bce[k] < 0]
    up = [KL_NAMES[k] for k in pushed_up]
    mse_6, mse_10 = (float(core.mse_on_sigmoid_grad(z, 1.0)) for z in (-6.0, -10.0))
    bce_10 = float(core.binary_cross_entropy_with_logits_grad(-10.0, 1.0))
    return Lesson(
        what_to_try=(
            "In section 1, with *The true class is* on the smallest logit (−s), drag *Logit scale s "
            "(log₁₀)* from 1 to 2 (s = 100): the naive float32 loss is already +inf (it breaks from s ≈ "
            f"{breaks['float32']:.0f}; float16 from s ≈ {breaks['float16']:.1f}, float64 from s ≈ "
            f"{breaks['float64']:.0f}), while the stable loss stays finite, about 2s.",
            "In section 2, keep *ε (log₁₀)* at −7 and drag *p of the true class (log₁₀)* from −5 to −10: "
            f"the clipped loss freezes at {_num(float(high.clipped[0]), 2)} nats and its gradient drops from "
            f"{_sci(float(low.clipped_grad[0]))} to exactly 0.",
            f"In section 3, drag *Logit z: Dog* from 0.8 up to 5: BCE on softmax now gives {_and(up)} "
            f"negative gradients ({', '.join(_signed(float(bce[k]), 4) for k in pushed_up)}), pushing wrong "
            "classes up, which cross-entropy never does.",
            "In section 4, keep *Label y* at 1 and drag *Logit z* from −6 to −10: MSE's gradient fades from "
            f"{_signed(mse_6, 4)} to {_signed(mse_10, 6)} while BCE's stays at {_signed(bce_10, 4)}.",
        ),
        question=Question(
            prompt="Probabilities are clipped to [ε, 1 − ε] with **ε = 10⁻⁷** (Keras' default), and the "
            "true class gets **p = 10⁻¹⁰**. What is the gradient ∂ℓ/∂p of the clipped loss?",
            options=(
                "about −10¹⁰ (−1/p): a huge push",
                "about −10⁷ (−1/ε): capped by the clip",
                "exactly 0",
                "NaN: the log of such a small number breaks",
            ),
            solve=_pitfalls_solve,
            try_it="In section 2, set *ε (log₁₀)* to −7 and *p of the true class (log₁₀)* to −10 and read "
            "**Clipped ∂ℓ/∂p at p**; then raise p to −6 and the gradient comes back.",
        ),
    )


# ---------------------------------------------------------------------------------- softmax gradient
def _softmax_gradient_solve(unit: str) -> tuple[int, str]:
    chain = core.softmax_cross_entropy_chain(MC_DEFAULT, 0)
    s = chain.probs
    entry = float(chain.numerical_jacobian[0, 1])  # ∂s₁/∂z₂ by central differences, not by the formula
    candidates = (-s[0] * s[1], -s[0] * s[0], s[0] * (1 - s[1]), 0.0)
    correct = _matching(entry, [float(c) for c in candidates], atol=1e-8)
    explanation = (
        f"Here s₁ = {s[0]:.4f} and s₂ = {s[1]:.4f}. Central differences give **∂s₁/∂z₂ = "
        f"{_signed(entry, 4)}**, and −s₁s₂ = {_signed(float(candidates[0]), 4)}, while −s₁s₁ = "
        f"{_signed(float(candidates[1]), 4)}. s₁ does contain z₂, in its denominator Σⱼ e^(zⱼ): raising z₂ "
        "takes probability away from class 1, so the entry is negative, ∂sᵢ/∂zₖ = −sᵢsₖ for i ≠ k. Seed 001 "
        "writes −Sᵢ Sᵢ here: a slip."
    )
    return correct, explanation


def _softmax_gradient() -> Lesson:
    flat = core.softmax_jacobian(np.zeros(4))
    cost = core.chain_rule_cost(6)
    return Lesson(
        what_to_try=(
            "Drag *z₁ (Cat)* up to 8: s₁ approaches 1, every entry of the Jacobian heatmap shrinks towards "
            "0 and s − y vanishes: a confident, correct model gets almost no gradient.",
            "Set *True class t* to 2 · Dog: in step 3 only the row of s₂ is non-zero now, and each column "
            "still sums to s_k − y_k.",
            "Set all four logits, *z₁ (Cat)* to *z₄ (Fish)*, to 0: every s is 1/4, the Jacobian's diagonal "
            f"is {_num(float(flat[0, 0]))} and every off-diagonal entry {_num(float(flat[0, 1]))}; rows and "
            "columns sum to 0. *Reset to seed 003's logits* brings the defaults back.",
            "Raise *Number of classes C* to 6 and read the table in step 5: the Jacobian route needs C² = "
            f"{cost.product_multiply_adds} multiply-adds, the shortcut s − y only {cost.shortcut_operations} "
            "operations, and the gap grows with C.",
        ),
        question=Question(
            prompt="At seed 003's logits (3.5, 0.8, 0.2, −0.5), what is **∂s₁/∂z₂**, an off-diagonal entry "
            "of the softmax Jacobian?",
            options=(
                "−s₁ s₂",
                "−s₁ s₁, as seed 001 writes it",
                "s₁ (1 − s₂)",
                "0: z₂ is not in the numerator of s₁",
            ),
            solve=_softmax_gradient_solve,
            try_it="Press *Reset to seed 003's logits*: the warning box of step 1 shows this entry, and the "
            "heatmap's row s₁, column z₂ holds it.",
        ),
    )


# ------------------------------------------------------------------------------------------- backprop
BACKPROP_SIZES = {"B": 8, "D": 2, "H": 5, "C": 3}  # the page's defaults
BACKPROP_SHAPES = (("B", "H"), ("D", "H"), ("H", "D"), ("B", "D"))
BACKPROP_NOTES = ("one row per example", "the shape of W₁", "", "the shape of X")


def _backprop_network():
    n = BACKPROP_SIZES
    X, y = core.gaussian_blobs(n["B"], n["D"], n["C"], seed=0)
    return X, y, core.demo_network([n["D"], n["H"], n["H"], n["H"], n["C"]], seed=0)


def _backprop_option(shape: tuple[str, str], note: str) -> str:
    numbers = " × ".join(str(BACKPROP_SIZES[s]) for s in shape)
    return f"{numbers} ({' × '.join(shape)})" + (f": {note}" if note else "")


def _backprop_solve(unit: str) -> tuple[int, str]:
    del unit  # backprop works in nats
    X, y, net = _backprop_network()
    _, grads = net.loss_and_grads(X, y)
    shape = grads["W1"].shape
    numeric = [tuple(BACKPROP_SIZES[s] for s in option) for option in BACKPROP_SHAPES]
    matches = [k for k, option in enumerate(numeric) if option == shape]
    if len(matches) != 1:
        raise ValueError(f"∇W₁ has shape {shape}; the options are {numeric}")
    n = BACKPROP_SIZES
    explanation = (
        f"The network computes ∇W₁ = Xᵀδ¹ with X of shape B × D = {n['B']} × {n['D']} and δ¹ of shape B × H "
        f"= {n['B']} × {n['H']}: (D × B)(B × H) gives **D × H = {shape[0]} × {shape[1]}**, the shape of W₁ "
        f"(core.MLP returns a {shape[0]} × {shape[1]} array). The product sums over the B examples, so no "
        "batch dimension is left, and a gradient always has the shape of its parameter: that is what makes "
        "W₁ − η∇W₁ possible. Seed 001 names this last gradient ∇W₂: a slip, it is ∇W₁."
    )
    return matches[0], explanation


def _backprop() -> Lesson:
    X, y, _ = _backprop_network()
    n = BACKPROP_SIZES
    sigmoid_net = core.demo_network([n["D"], n["H"], n["H"], n["H"], n["C"]], activation="sigmoid", seed=0)
    _, grads = sigmoid_net.loss_and_grads(X, y)
    w1, w4 = (float(np.abs(grads[k]).max()) for k in ("W1", "W4"))
    return Lesson(
        what_to_try=(
            "Press *Next ▶* through stages 1 to 4, the forward pass: every dimension check multiplies (B × "
            "D)(D × H) and so on, and the inner sizes always agree.",
            "At *Stage* 5, δ⁴ = (S(z₄) − Y)/B: set *Batch size B* from 8 to 16 and δ⁴ gets 16 rows. The 1/B "
            "of the batch-mean loss enters here, once, and every later δ inherits it.",
            "Move *Stage* to 12: ∇W₁ = Xᵀδ¹ is D × H, the shape of W₁. Seed 001 calls it ∇W₂, a slip.",
            "Set *Activation σ* to sigmoid and compare **max |∇|** in the gradient-check table: W₁'s "
            f"({_num(w1)}) is about {w4 / w1:.0f} times smaller than W₄'s ({_num(w4)}). Since σ′ ≤ 0.25, the "
            "gradient shrinks at every layer on its way back.",
        ),
        question=Question(
            prompt=f"X is B × D = {n['B']} × {n['D']} and every hidden layer has H = {n['H']} units. What is "
            "the shape of **∇W₁**, the gradient of the first layer's weights?",
            options=tuple(
                _backprop_option(shape, note)
                for shape, note in zip(BACKPROP_SHAPES, BACKPROP_NOTES, strict=True)
            ),
            solve=_backprop_solve,
            try_it="Move *Stage* to 12 (∇W₁ and ∇b₁) and read the dimension check; change *Batch size B* "
            "and the shape of ∇W₁ stays the same.",
        ),
    )


# ------------------------------------------------------------------------------------------ minibatch
MINIBATCH_SIZES = (16, 32)
MINIBATCH_FACTORS = (2.0, math.sqrt(2.0), 4.0, 1.0)  # the options, in order
MINIBATCH_DRAWS = 1000


@functools.lru_cache(maxsize=1)
def _minibatch_spread() -> core.GradientSpread:
    """The page's data set and network (N = 2048, 2 → 16 → 16 → 16 → 3), its default parameter b₄.

    Deterministic and a few tenths of a second, so it is computed once per process (never mutated).
    """
    X, y = core.gaussian_blobs(2048, 2, 3, seed=0)
    net = core.demo_network([2, 16, 16, 16, 3], seed=0)
    return core.minibatch_gradient_spread(
        net, X, y, list(MINIBATCH_SIZES), name="b4", n_draws=MINIBATCH_DRAWS, replace=False, seed=0
    )


def _minibatch_solve(unit: str) -> tuple[int, str]:
    del unit  # gradients, no loss unit
    spread = _minibatch_spread()
    small, large = (float(v) for v in spread.measured)
    ratio = small / large
    correct = _nearest_ratio(ratio, MINIBATCH_FACTORS)
    b_small, b_large = MINIBATCH_SIZES
    explanation = (
        f"Drawing {spread.n_draws} mini-batches of each size from the page's data set, the gradient of "
        f"b₄[{spread.index[0] + 1}] scatters around the full-data gradient by {_num(small)} at B = {b_small} "
        f"and by {_num(large)} at B = {b_large}: **divided by {ratio:.2f}**. Theory: the mean of B "
        "independent examples has variance σ²/B, so its spread (standard deviation) is σ/√B and doubling B "
        f"divides it by √2 = {math.sqrt(2):.4f}, not by 2. Halving the noise takes four times the batch."
    )
    return correct, explanation


def _minibatch() -> Lesson:
    return Lesson(
        what_to_try=(
            "Click through *Which batch (draw number)*: the bars change every time, but **Mean of the "
            "bars** always equals **Backprop on the batch** (the difference is rounding): a batch gradient "
            "is the average of its examples' gradients.",
            "Set *Batch size B* to 2 and step *Which batch (draw number)* a few times, then do the same at "
            "64: with 2 examples the mean jumps around, with 64 it hardly moves.",
            "In section 3, read **Fitted slope**: about −0.5 on log-log axes, the noise falls like σ/√B. "
            "Switch *Drawing the examples of a batch* to “with replacement”: the draws are independent and "
            "σ/√B holds exactly.",
            "Change *Parameter to follow* to “W₁, weights from the input”: σ is different, the slope is "
            "still about −1/2. The 1/√B law does not care which parameter you follow.",
        ),
        question=Question(
            prompt=f"With B = {MINIBATCH_SIZES[0]} examples per batch, you double the batch to B = "
            f"{MINIBATCH_SIZES[1]}. The spread (noise) of the mini-batch gradient is divided by about …",
            options=(
                "2",
                "√2 ≈ 1.41",
                "4",
                "1: it does not change, the noise is in the data",
            ),
            solve=_minibatch_solve,
            try_it="In section 3, compare the measured points at B = 16 and B = 32 on the chart; set *Batch "
            "size B* to 16, then 32, and step *Which batch (draw number)* to feel the difference.",
        ),
    )


# ----------------------------------------------------------------------------------------- identities
IDENTITY_SEED, IDENTITY_N, IDENTITY_M = 1, 3, 4  # the page's defaults


def _identities_solve(unit: str) -> tuple[int, str]:
    del unit  # no loss here
    check = core.identity_check(2, seed=IDENTITY_SEED, n=IDENTITY_N, m=IDENTITY_M)
    W, x = check.case.inputs["W"], check.case.inputs["x"]
    numerical = check.numerical
    candidates = (W, W.T, np.eye(IDENTITY_N), x.reshape(-1, 1))
    hits = [
        k
        for k, c in enumerate(candidates)
        if c.shape == numerical.shape and np.allclose(c, numerical, atol=1e-8)
    ]
    if len(hits) != 1:
        raise ValueError(f"the numerical Jacobian matches options {hits}")
    rows, cols = numerical.shape
    explanation = (
        f"x has n = {IDENTITY_N} entries and z = xW has m = {IDENTITY_M}, so the Jacobian ∂z/∂x has one row "
        f"per output: it is m × n = **{rows} × {cols}**, while W is {W.shape[0]} × {W.shape[1]}. Entry (j, "
        f"i) is ∂z_j/∂x_i = W_ij: that is Wᵀ. Central differences agree to {_sci(check.max_abs_diff)}. W "
        "itself would be right for z = Wx, identity (1); when W is not square, only one orientation even "
        "has the right shape."
    )
    return hits[0], explanation


def _identities() -> Lesson:
    return Lesson(
        what_to_try=(
            "With *Size n (rows of W)* at 3 and *Size m (columns of W)* at 4, switch *Identity* between (1) "
            "and (2): the Jacobian of z = Wx is 3 × 4 (W), that of z = xW is 4 × 3 (Wᵀ).",
            "Set *Identity* to (4) and *Elementwise function f* to ReLU: the Jacobian is diagonal, 1 where "
            "x > 0 and 0 where x < 0. That diagonal is the ⊙ σ′(z) of every backprop formula.",
            "Set *Identity* to (6): ∂J/∂W = xᵀδ has the shape of W (n × m), the form seed 001 uses for "
            "every layer, ∇W_l = σ(z_(l−1))ᵀδˡ.",
            "In the 1-layer network, change *Hidden size Dh* and *Random seed*: every gradient in the table "
            "keeps the shape of its parameter, and a hidden unit with h = 0 leaves a column of zeros in "
            "∂J/∂U.",
        ),
        question=Question(
            prompt=f"Identity (2): z = xW with x a row of n = {IDENTITY_N} numbers and W of shape "
            f"{IDENTITY_N} × {IDENTITY_M}. What is the Jacobian **∂z/∂x**?",
            options=(
                "W, as for z = Wx",
                "Wᵀ",
                "I, the identity matrix",
                "xᵀ, a column",
            ),
            solve=_identities_solve,
            try_it="Set *Identity* to (2) z = xW, ∂z/∂x with *Random seed* 1: the analytic and numerical "
            "heatmaps are 4 × 3; switch to (1) and they are 3 × 4.",
        ),
    )


# ---------------------------------------------------------------------------------------------- train
TRAIN_LOGITS = (-2.0, 1.5, 2.0)  # the true class 0 gets about 1 %: confidently wrong


def _train_solve(unit: str) -> tuple[int, str]:
    del unit  # gradients, no loss unit
    z = np.array(TRAIN_LOGITS)
    s = core.softmax(z)
    ce = float(core.cross_entropy_grad(z, 0)[0])
    mse = float(core.softmax_mse_loss_grad(z, 0)[0])
    if max(abs(ce), abs(mse)) < 1e-3:
        correct = 3
    elif abs(ce) > 2 * abs(mse):
        correct = 0
    elif abs(mse) > 2 * abs(ce):
        correct = 1
    else:
        correct = 2
    explanation = (
        f"softmax(z) gives the true class s_y = {s[0]:.4f}. Cross-entropy's gradient on its logit is s_y − 1 "
        f"= **{_signed(ce, 4)}**, the strongest push it can give. MSE on softmax (averaged over the C = "
        f"{len(z)} classes, as the page trains it) gives only **{_signed(mse, 4)}**, {abs(ce / mse):.0f} "
        "times less: its gradient carries the factor s_y, which is almost 0 exactly when the network is "
        "most wrong. That is why cross-entropy usually wins the race."
    )
    return correct, explanation


def _train() -> Lesson:
    return Lesson(
        what_to_try=(
            "Keep *Loss* on Cross-entropy and *Race against* on MSE on softmax with the Spiral, and press "
            "*▶ Play*: the sentence above the charts says which run reached the *Race target: training "
            "accuracy* first, and after how many epochs.",
            "Set *Activation* to sigmoid and *Hidden layers* to 4, then play: in the gradient-norm chart "
            "the first layer's line sits orders of magnitude below the last one's: vanishing gradients.",
            "Set *Learning rate* to 1 and *Momentum* to 0.9 on the spiral: cross-entropy's big steps can "
            "switch off every ReLU (accuracy falls to chance, gradient norms to 0), and the race may go to "
            "MSE.",
        ),
        question=Question(
            prompt="One example, three classes, logits (−2.0, 1.5, 2.0) with the **first** class true: the "
            "network is confidently wrong. Which loss pushes the true class's logit up harder?",
            options=(
                "cross-entropy, by far",
                "MSE on softmax",
                "about the same: both measure how wrong the prediction is",
                "neither: a confident prediction gets no gradient",
            ),
            solve=_train_solve,
            try_it="Race *Loss* Cross-entropy against MSE on softmax (*Race against*), press *▶ Play* and "
            "compare the two runs' lines in the gradient-norm chart.",
        ),
    )


LESSONS: dict[str, Lesson] = {
    "home": _home(),
    "surprise": _surprise(),
    "binary": _binary(),
    "multiclass": _multiclass(),
    "comparison": _comparison(),
    "kl": _kl(),
    "pitfalls": _pitfalls(),
    "softmax_gradient": _softmax_gradient(),
    "backprop": _backprop(),
    "minibatch": _minibatch(),
    "identities": _identities(),
    "train": _train(),
}


# ------------------------------------------------------------------------------------------ rendering
def render_what_to_try(url_path: str) -> None:
    """The page's prompts as a numbered list in a collapsed "What to try" expander (nothing if none)."""
    lesson = LESSONS.get(url_path)
    if lesson is None or not lesson.what_to_try:
        return
    with st.expander(WHAT_TO_TRY_TITLE, icon=":material/lightbulb:"):
        st.markdown("\n".join(f"{k}. {prompt}" for k, prompt in enumerate(lesson.what_to_try, start=1)))


def feedback(question: Question, choice: int, unit: str) -> tuple[bool, str]:
    """Whether option ``choice`` is right, and the feedback Markdown (verdict, why, where to see it)."""
    correct, explanation = question.solve(unit)
    if choice == correct:
        verdict = "**Right.**"
    else:
        verdict = f"**Not quite: the answer is “{question.options[correct]}”.**"
    return choice == correct, f"{verdict} {explanation}\n\n**See it:** {question.try_it}"


@st.fragment
def _question_box(url_path: str, question: Question) -> None:
    """The bordered question; a fragment, so choosing an answer reruns only this box."""
    with st.container(border=True):
        st.markdown(f"**:material/quiz: {QUESTION_TITLE}**")
        choice = st.radio(
            question.prompt,
            question.options,
            index=None,
            key=question_key(url_path),
            bind="query-params",
        )
        if choice is None:
            st.caption(PICK_HINT)
            return
        with safe_page():
            right, text = feedback(question, question.options.index(choice), units())
            if right:
                st.success(text, icon=":material/check_circle:")
            else:
                st.error(text, icon=":material/cancel:")


def render_question(url_path: str) -> None:
    """The page's predict-then-check question in a bordered box (nothing if the page has none)."""
    lesson = LESSONS.get(url_path)
    if lesson is None or lesson.question is None:
        return
    _question_box(url_path, lesson.question)


def render_teaching_aids(url_path: str, *, presenter: bool = False) -> None:
    """Draw a page's "What to try" prompts and its question; in presenter mode only the question.

    An unknown ``url_path`` draws nothing.
    """
    if not presenter:
        render_what_to_try(url_path)
    render_question(url_path)
