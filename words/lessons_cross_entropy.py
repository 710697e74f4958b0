"""The lessons of the Home page and the cross-entropy pages: Surprise to Numerical pitfalls.

How a page's ``*_lesson()`` and ``*_solve(unit)`` work together is told in :mod:`words.lesson`.
"""

from __future__ import annotations

import math

import numpy as np

from core.comparison import (
    comparison_curves,
    imbalance_dataset,
    imbalance_shares,
    smooth_labels,
    true_class_logits,
)
from core.defaults import (
    BINARY_LABEL,
    BINARY_P,
    BINARY_Z,
    COMPARISON_GAMMA,
    COMPARISON_MARGIN,
    COMPARISON_SMOOTHING,
    DEFAULT_CLASS_NAMES,
    KL_CLASSES,
    KL_P_WEIGHTS,
    KL_Q_WEIGHTS,
    MULTICLASS_CLASSES,
    MULTICLASS_LOGITS,
    PITFALLS_LOG_EPS,
    PITFALLS_LOG_P,
    PITFALLS_LOGITS,
    SURPRISE_EXPLORER,
    SURPRISE_GAME,
    SURPRISE_TRUE_INDEX,
)
from core.formatting import number, percent, signed, superscript, times_ten
from core.functional import softmax
from core.information import entropy, kl_divergence, surprise
from core.losses import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    cross_entropy,
    cross_entropy_grad,
    one_hot,
)
from core.multiclass import multiclass_breakdown
from core.pitfalls import (
    NAIVE_DTYPES,
    bce_on_softmax_grad,
    clipped_log_loss_grad,
    clipping_comparison,
    mse_on_sigmoid_grad,
    naive_scale_sweep,
)
from core.proportions import normalise_weights
from words.lesson import Lesson, Question, and_list, loss_text, matching_option

__all__ = [
    "binary_lesson",
    "comparison_lesson",
    "kl_lesson",
    "multiclass_lesson",
    "pitfalls_lesson",
    "surprise_lesson",
]

ANIMALS = DEFAULT_CLASS_NAMES[:4]


def _sci(value: float) -> str:
    """``−1.00 × 10¹⁰`` for very large or very small numbers, fixed point (4 decimals) otherwise."""
    return times_ten(value, 2, fixed_between=(1e-3, 1e4))


ONE_BIT = float(surprise(0.5, base=math.e))  # 1 bit in nats: ln 2, the surprise of a fair coin's toss


# ---------------------------------------------------------------------------------------------- home
# ------------------------------------------------------------------------------------------ surprise
SURPRISE_P = (SURPRISE_EXPLORER[0] / 100, 0.10)  # the explorer's default P(true), and a small one


def surprise_solve(unit: str) -> tuple[int, str]:
    (p_a, p_b), ln = SURPRISE_P, math.e
    before = [float(surprise(p, base=ln)) for p in SURPRISE_P]
    after = [float(surprise(p / 2, base=ln)) for p in SURPRISE_P]
    rise = [a - b for a, b in zip(after, before, strict=True)]
    if rise[0] <= 0:
        correct = 3  # it went down
    elif math.isclose(rise[0], rise[1], rel_tol=1e-9):
        correct = 1  # the same step whatever p was
    elif rise[1] > rise[0]:
        correct = 2
    else:
        correct = 0
    halving_bits = float(surprise(0.5, base=2))
    explanation = (
        f"At p = {p_a:.2f} the loss is −log {p_a:.2f} = {loss_text(before[0], unit)}; at p = "
        f"{p_a / 2:.3g} it is {loss_text(after[0], unit)}: up by **{loss_text(rise[0], unit)}**, a factor of "
        f"{after[0] / before[0]:.2f}, not 2. At p = {p_b:.2f} → {p_b / 2:.3g} it goes from "
        f"{loss_text(before[1], unit)} to {loss_text(after[1], unit)}: up by the same "
        f"{loss_text(rise[1], unit)}. Because −log(p/2) = −log p + log 2, halving the probability of the "
        f"truth always costs exactly ln 2 = {number(rise[0])} nats = {number(halving_bits, 0)} bit, wherever "
        "you start. The curve is steeper at small p, but that steepness is spread over a smaller step in p."
    )
    return correct, explanation


def surprise_lesson() -> Lesson:
    t = SURPRISE_TRUE_INDEX
    right_q, unsure_q, wrong_q = (normalise_weights(SURPRISE_GAME[k]) for k in ("right", "unsure", "wrong"))
    right, wrong = float(surprise(right_q[t], base=2)), float(surprise(wrong_q[t], base=2))
    favourite = int(np.argmax(wrong_q))  # the answer the "wrong" model bet on
    favourite_bits = float(surprise(wrong_q[favourite], base=2))
    unsure = [float(surprise(q, base=2)) for q in (unsure_q.max(), unsure_q.min())]
    start, end = SURPRISE_EXPLORER[0] / 100, 0.05
    ce_start, ce_end = (float(surprise(p, base=math.e)) for p in (start, end))
    return Lesson(
        what_to_try=(
            "Press *Confident and right*, then *Confident and wrong*: **Surprise (bits)** jumps from "
            f"{right:.2f} to {wrong:.2f}, and **Wasted bits** shows the same number each time: with a "
            "one-hot truth H(P) = 0, so every bit of surprise is wasted.",
            "With *Confident and wrong* set, switch *The true answer (revealed)* to "
            f"{ANIMALS[favourite]}: the model bet {percent(wrong_q[favourite], 0)} on {ANIMALS[favourite]}, "
            f"so the surprise falls back to {favourite_bits:.2f} bits. Only the probability given to the "
            "answer that happened counts.",
            "Press *Unsure* and click through the four answers of *The true answer (revealed)*: the "
            f"surprise stays between {unsure[0]:.2f} and {unsure[1]:.2f} bits. A model that hedges is never "
            "shocked, but never cheap either.",
            f"In the explorer, drag *{ANIMALS[t]} (true)* from {percent(start, 0)} down to "
            f"{percent(end, 0)}: the point climbs the −log p curve and **CE loss (nats)** rises from "
            f"{number(ce_start)} to {number(ce_end)}. Each halving of p adds the same "
            f"ln 2 = {number(ONE_BIT)} nats (1 bit).",
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
            solve=surprise_solve,
            try_it=f"In the explorer, drag *{ANIMALS[t]} (true)* from {percent(SURPRISE_P[0], 0)} to "
            f"{percent(SURPRISE_P[0] / 2, 0)}, then from {percent(SURPRISE_P[1], 0)} to "
            f"{percent(SURPRISE_P[1] / 2, 0)}, and compare the rise of **CE loss (nats)** and **Surprise "
            "(bits)**.",
        ),
    )


# -------------------------------------------------------------------------------------------- binary
BINARY_QUESTION_P = BINARY_P[0]  # the slider's minimum: confidently wrong for y = 1
BINARY_OPTIONS = (-1.0, -10.0, -100.0, 0.0)


def binary_solve(unit: str) -> tuple[int, str]:
    grad = float(binary_cross_entropy_grad(BINARY_QUESTION_P, 1.0))
    correct = int(np.argmin([abs(grad - c) for c in BINARY_OPTIONS]))
    loss = float(binary_cross_entropy(BINARY_QUESTION_P, 1.0))
    grad_09 = float(binary_cross_entropy_grad(0.9, 1.0))
    z = float(true_class_logits(BINARY_QUESTION_P)[0, 0])  # logit(p)
    grad_z = float(binary_cross_entropy_with_logits_grad(z, 1.0))
    explanation = (
        f"For y = 1 the loss is −log p = {loss_text(loss, unit)} and its slope is **∂L/∂p = −1/p = "
        f"{signed(grad, 2)}** (for the loss in nats), against {signed(grad_09, 2)} at p = 0.9: the wall of "
        "the curve is steep exactly where the model is confidently wrong. In logit space the same "
        f"prediction is z = {number(z, 2)} and **∂L/∂z = σ(z) − y = {signed(grad_z, 3)}**: through the "
        "sigmoid the 1/p cancels, so the gradient a network actually receives stays between −1 and 1 "
        "(with pos_weight 1)."
    )
    return correct, explanation


def binary_lesson() -> Lesson:
    p_default, (z_min, _, z_default) = BINARY_P[2], BINARY_Z
    loss_09, loss_01 = (float(binary_cross_entropy(p, 1.0)) for p in (0.9, 0.1))
    grad_09, grad_01 = (float(binary_cross_entropy_grad(p, 1.0)) for p in (0.9, 0.1))
    loss_pos, loss_neg = (float(binary_cross_entropy(p_default, y)) for y in (1.0, 0.0))
    grad_z = float(binary_cross_entropy_with_logits_grad(z_min, 1.0))
    weighted = float(binary_cross_entropy_with_logits(z_default, 1.0, pos_weight=5.0)) / float(
        binary_cross_entropy_with_logits(z_default, 1.0)
    )
    return Lesson(
        what_to_try=(
            f"With *True label y (used by both charts)* at y = {BINARY_LABEL}, drag *Predicted p = P(y = 1)* "
            f"from 0.90 down to 0.10: **BCE loss** rises from {number(loss_09)} to {number(loss_01)} nats "
            f"and **Gradient ∂L/∂p** grows from {signed(grad_09, 2)} to {signed(grad_01, 2)}: it is −1/p.",
            f"At p = {p_default:.2f}, switch *True label y (used by both charts)* to y = 0: the other curve, "
            f"−ln(1 − p), is now active, the loss jumps from {number(loss_pos)} to {number(loss_neg)} nats "
            "and the arrow turns towards p = 0.",
            f"With y = 1, drag *Logit z* down to {number(z_min, 0)}: **Gradient ∂L/∂z** = σ(z) − y "
            f"approaches {signed(grad_z, 4)}, close to −1 but never beyond, while −1/p in probability space "
            "would explode.",
            f"Set *pos_weight p_w* to 5 with y = 1: the loss (and its gradient) is {weighted:.0f} times "
            "larger, a missed positive costs more. Switch to y = 0 and p_w changes nothing.",
        ),
        question=Question(
            prompt=f"The label is y = 1 and the model predicts **p = {BINARY_QUESTION_P}**. How big is the "
            "gradient ∂L/∂p of the binary cross-entropy?",
            options=(
                "about −1",
                "about −10",
                "about −100",
                "about 0: the curve is flat down there",
            ),
            solve=binary_solve,
            try_it=f"Drag *Predicted p = P(y = 1)* to {BINARY_QUESTION_P} with y = 1 and read **Gradient "
            f"∂L/∂p**; then drag *Logit z* to {number(float(true_class_logits(BINARY_QUESTION_P)[0, 0]), 2)} "
            "and read **Gradient ∂L/∂z**.",
        ),
    )


# ---------------------------------------------------------------------------------------- multiclass
MULTICLASS_QUESTION_LOGITS = (2.0, 1.0, 0.1)  # Cat (true), Dog, Bird
MULTICLASS_DEFAULT = np.array(MULTICLASS_LOGITS[:MULTICLASS_CLASSES])  # the page's default logits


def multiclass_solve(unit: str) -> tuple[int, str]:
    z = np.array(MULTICLASS_QUESTION_LOGITS)
    names = ANIMALS[: z.size]
    probs = softmax(z)
    grad = cross_entropy_grad(z, 0)
    loss = float(cross_entropy(z, 0))
    sizes = np.abs(grad)
    correct = 3 if np.allclose(sizes, sizes[0]) else int(np.argmax(sizes))
    parts = ", ".join(f"{name} {signed(float(g))}" for name, g in zip(names, grad, strict=True))
    explanation = (
        f"softmax(z) = ({', '.join(f'{p:.3f}' for p in probs)}) and the loss is −log {probs[0]:.3f} = "
        f"{loss_text(loss, unit)}. The gradient p − y is **({parts})**. The true class's entry is p − 1 = "
        f"{signed(float(grad[0]))}, and the entries always sum to {number(abs(float(grad.sum())), 3)}, so "
        f"its size 1 − p_{names[0]} = {number(1 - float(probs[0]), 3)} is the sum of all the wrong classes' "
        "entries: it is always the largest. The wrong classes are pushed down in proportion to their "
        "probability; the true class is pushed up by all of that at once."
    )
    return correct, explanation


def multiclass_lesson() -> Lesson:
    z0 = MULTICLASS_DEFAULT
    true_up, dog_up, true_smooth = 8.0, 5.0, 5.0
    base = multiclass_breakdown(z0, 0)
    up = multiclass_breakdown(np.array([true_up, *z0[1:]]), 0)
    dog = multiclass_breakdown(np.array([z0[0], dog_up, *z0[2:]]), 0)
    hot = multiclass_breakdown(z0, 0, temperature=5.0)
    target = float(smooth_labels(one_hot(0, z0.size), 0.1)[0])
    smooth = multiclass_breakdown(np.array([true_smooth, *z0[1:]]), 0, label_smoothing=0.1)
    cat, dog_name, bird = ANIMALS[:3]
    q = MULTICLASS_QUESTION_LOGITS
    return Lesson(
        what_to_try=(
            f"Drag *{cat} (true)* from {z0[0]:g} up to {true_up:g}: **P(true class)** climbs from "
            f"{percent(base.probs[0])} to {percent(up.probs[0], 2)} and **Gradient on the true logit** "
            f"shrinks from {signed(float(base.grad[0]))} to {signed(float(up.grad[0]), 4)}: small, but never "
            "exactly 0.",
            f"Drag *{dog_name}* up to {dog_up:g}, past {cat}'s {z0[0]:g}: the loss rises from "
            f"{number(base.loss)} to {number(dog.loss)} nats and {dog_name}'s bar gets the biggest push down "
            f"({signed(float(dog.grad[1]))}), while {cat}'s is pushed up ({signed(float(dog.grad[0]))}).",
            f"Move *Temperature T* from 1.0 to 5.0: the probabilities flatten ({cat} falls to "
            f"{percent(hot.probs[0])}) and the loss rises to {number(hot.loss)} nats; at T = 0.1 they are "
            "almost one-hot.",
            f"Set *Label smoothing ε* to 0.10: {cat}'s target becomes {target:.3f} and every class has a "
            f"share of the loss. Now drag *{cat} (true)* to {true_smooth:g}: P(true) = "
            f"{percent(smooth.probs[0])} is past {target:.3f}, so the true logit's gradient turns positive "
            f"({signed(float(smooth.grad[0]))}): smoothing pulls the logit back.",
        ),
        question=Question(
            prompt=f"Three classes with logits **{cat} {q[0]:.1f} (true), {dog_name} {q[1]:.1f}, {bird} "
            f"{q[2]:.1f}**. Which logit gets the gradient ∂L/∂z of the largest size?",
            options=(
                f"{cat}'s, the true class",
                f"{dog_name}'s, the strongest wrong class",
                f"{bird}'s, the smallest logit",
                "all three are the same size",
            ),
            solve=multiclass_solve,
            try_it=f"Set *Number of classes C* to 3 and the logits *{cat} (true)* to {q[0]:.1f}, "
            f"*{dog_name}* to {q[1]:.1f} and *{bird}* to {q[2]:.1f}, and compare the gradient bars.",
        ),
    )


# ---------------------------------------------------------------------------------------- comparison
COMPARISON_QUESTION_P = 0.90
COMPARISON_OPTION_LOSSES = ("cross_entropy", "focal", "hinge")  # the first three options, in order
COMPARISON_NAMES = {
    "cross_entropy": "CE",
    "mse": "MSE",
    "focal": f"focal (γ = {COMPARISON_GAMMA:g})",
    "hinge": f"hinge (margin {COMPARISON_MARGIN:g})",
    "label_smoothing": f"label-smoothed CE (ε = {COMPARISON_SMOOTHING:g})",
}


def comparison_solve(unit: str) -> tuple[int, str]:
    del unit  # the page works in nats: MSE and hinge are not information quantities
    c = comparison_curves(
        [COMPARISON_QUESTION_P],
        gamma=COMPARISON_GAMMA,
        margin=COMPARISON_MARGIN,
        label_smoothing=COMPARISON_SMOOTHING,
    )
    grads = {k: float(v[0]) for k, v in c.grad.items()}
    zero = [k for k, name in enumerate(COMPARISON_OPTION_LOSSES) if grads[name] == 0]
    if len(zero) > 1:
        raise ValueError(f"several losses have a zero gradient at p = {COMPARISON_QUESTION_P}: {zero}")
    correct = zero[0] if zero else len(COMPARISON_OPTION_LOSSES)
    z = float(c.logits[0, 0])
    listing = "; ".join(f"{COMPARISON_NAMES[k]} {signed(g, 4)}" for k, g in grads.items())
    explanation = (
        f"At p_true = {COMPARISON_QUESTION_P:.2f} the true logit is z = {number(z, 3)}, and ∂ℓ/∂z is: "
        f"{listing}. The hinge loss max(0, margin − z)/2 is exactly 0 as soon as z beats the other logit by "
        f"the margin {COMPARISON_MARGIN:g}, so it stops pushing: the example is done. Cross-entropy's p − 1 "
        "shrinks but is never 0, and focal loss, the same times (1 − p)^γ, is tiny but not 0; label-smoothed "
        "CE still pushes too, until p_true = 1 − ε/2."
    )
    return correct, explanation


def comparison_lesson() -> Lesson:
    p = COMPARISON_QUESTION_P
    wrong = comparison_curves([0.01])
    focal = comparison_curves([p], gamma=5.0)
    right = comparison_curves([p], margin=3.0)
    logits, target = imbalance_dataset()
    plain = imbalance_shares(logits, target, gamma=0.0)
    strong = imbalance_shares(logits, target, gamma=5.0)
    focal_row = list(strong.methods).index("focal")
    return Lesson(
        what_to_try=(
            "Drag *Operating point: p_true* down to 0.01: in the table CE's ∂ℓ/∂z_true is "
            f"{signed(float(wrong.grad['cross_entropy'][0]), 2)}, MSE's only "
            f"{signed(float(wrong.grad['mse'][0]), 3)}. Confidently wrong is exactly where MSE's gradient "
            "vanishes and CE's does not.",
            f"Set *Focal loss γ* to 0: the focal curve lies on CE. Raise it to 5 at p_true = {p:.2f}: "
            f"focal's gradient drops to {_sci(float(focal.grad['focal'][0]))} while CE still pushes with "
            f"{signed(float(focal.grad['cross_entropy'][0]), 2)}: easy examples are switched off.",
            f"At p_true = {p:.2f} (z = {number(float(right.logits[0, 0]), 3)}) the hinge loss is 0 with "
            f"margin {COMPARISON_MARGIN:g}. Raise *Hinge margin* to 3 and it pushes again "
            f"({signed(float(right.grad['hinge'][0]), 1)}), until z beats the margin.",
            "In the imbalance demo, raise *Focal loss γ (this demo)* from 0 to 5: the minority class's "
            f"share of the gradient grows from {percent(float(plain.grad_share[focal_row, 1]))} to "
            f"{percent(float(strong.grad_share[focal_row, 1]))}, without focal loss knowing the classes.",
        ),
        question=Question(
            prompt=f"At p_true = **{p:.2f}** the model is right and fairly confident. Which loss "
            "gives this example **no gradient at all**?",
            options=(
                "cross-entropy: the example is already classified correctly",
                f"focal loss (γ = {COMPARISON_GAMMA:g})",
                f"hinge (margin {COMPARISON_MARGIN:g})",
                "none of them: every loss keeps pushing",
            ),
            solve=comparison_solve,
            try_it=f"Set *Operating point: p_true* to {p:.2f} and read the table; then raise "
            "*Hinge margin* to 3 and watch the hinge push again.",
        ),
    )


# ------------------------------------------------------------------------------------------------ kl
KL_NAMES = DEFAULT_CLASS_NAMES[:KL_CLASSES]


def kl_solve(unit: str) -> tuple[int, str]:
    base = 2.0 if unit == "bits" else math.e
    p, q = normalise_weights(KL_P_WEIGHTS), normalise_weights(KL_Q_WEIGHTS)
    forward = float(kl_divergence(p, q, base=base))
    reverse = float(kl_divergence(q, p, base=base))
    if math.isclose(forward, reverse, rel_tol=1e-9, abs_tol=1e-12):
        correct = 0
    else:
        correct = 1 if forward > reverse else 2
    under = [name for name, pk, qk in zip(KL_NAMES, p, q, strict=True) if pk > qk]
    explanation = (
        f"With P = ({', '.join(f'{v:.2f}' for v in p)}) and Q = ({', '.join(f'{v:.2f}' for v in q)}): **KL(P "
        f"‖ Q) = {number(forward)} {unit}** but **KL(Q ‖ P) = {number(reverse)} {unit}**. KL is not a "
        "distance: it is not symmetric. KL(P ‖ Q) averages log P/Q over the truth P, so it is large where P "
        f"is likely and Q is not (here {and_list(under)}, which Q under-rates). Cross-entropy training "
        "minimises this forward KL(P ‖ Q), with the truth first."
    )
    return correct, explanation


def kl_lesson() -> Lesson:
    p, q = normalise_weights(KL_P_WEIGHTS), normalise_weights(KL_Q_WEIGHTS)
    h_p = float(entropy(p))
    floor = float(entropy(smooth_labels(one_hot(0, KL_CLASSES), 0.5)))
    first = KL_NAMES[0]
    p_text, q_text = (", ".join(str(w) for w in weights) for weights in (KL_P_WEIGHTS, KL_Q_WEIGHTS))
    return Lesson(
        what_to_try=(
            f"Keep *P is* on one-hot with *True class* {first} and drag *Q weight: {first}* from "
            f"{KL_Q_WEIGHTS[0]} down to 10: **H(P)** stays 0 while **KL(P ‖ Q)** and **H(P, Q)** rise "
            "together. For a hard label the whole loss is KL divergence: all of it is wasted.",
            "Switch *P is* to “Soft (a distribution)” and set each *Q weight* to the matching *P weight* "
            f"({p_text}): KL(P ‖ Q) drops to 0 and the loss sits on its floor H(P) = {number(h_p)} nats.",
            f"With a one-hot P and {KL_CLASSES} classes, raise *Label smoothing ε* from 0 to 0.5: the floor "
            f"H(P_ε) climbs from 0 to {number(floor)} nats. No prediction gets below it, so the logits never "
            "have to run off to infinity.",
        ),
        question=Question(
            prompt=f"Soft truth P = ({', '.join(f'{v:.2f}' for v in p)}), prediction Q = "
            f"({', '.join(f'{v:.2f}' for v in q)}). Swap their roles: how do **KL(P ‖ Q)** and **KL(Q ‖ P)** "
            "compare?",
            options=(
                "equal: KL is a distance, the order does not matter",
                "KL(P ‖ Q) is larger",
                "KL(Q ‖ P) is larger",
            ),
            solve=kl_solve,
            try_it="Switch *P is* to “Soft (a distribution)”: the page shows KL(P ‖ Q). Then swap the "
            f"numbers (each *P weight* to Q's {q_text} and each *Q weight* to {p_text}) and read it again.",
        ),
    )


# ------------------------------------------------------------------------------------------ pitfalls
PITFALLS_EPS = 10.0**PITFALLS_LOG_EPS  # the page's default ε, Keras' choice
PITFALLS_P = 10.0**PITFALLS_LOG_P  # the page's default p of the true class


def pitfalls_solve(unit: str) -> tuple[int, str]:
    del unit  # the page works in nats
    grad = float(clipped_log_loss_grad(PITFALLS_P, 1.0, eps=PITFALLS_EPS))
    correct = matching_option(grad, (-1 / PITFALLS_P, -1 / PITFALLS_EPS, 0.0, math.nan), atol=1e-12)
    c = clipping_comparison([PITFALLS_P, 0.0], eps=PITFALLS_EPS)
    explanation = (
        f"p = 10{superscript(PITFALLS_LOG_P)} is below ε = 10{superscript(PITFALLS_LOG_EPS)}, so clip(p, ε, "
        f"1 − ε) = ε and the loss is the constant −ln ε = {number(float(c.clipped[0]))} nats. A constant has "
        f"slope 0: the clipped **∂ℓ/∂p = {float(c.clipped_grad[0]):g}**, exactly. The true −ln p = "
        f"{number(float(c.exact[0]))} nats with slope −1/p = {_sci(float(c.exact_grad[0]))}; the clip hides "
        f"{number(float(c.bias[0]))} nats of loss and all of the learning signal. PyTorch's BCE clamps the "
        f"log at −100 instead and still gives {_sci(float(c.torch_grad[0]))} here. The real fix is not to "
        "take the log of a probability: use the logits."
    )
    return correct, explanation


def pitfalls_lesson() -> Lesson:
    scales = np.geomspace(0.1, 1e4, 400)
    breaks = {dt: naive_scale_sweep(scales, (1.0, 0.0, -1.0), 2, dt).first_break for dt in NAIVE_DTYPES}
    low_log_p = -5
    low, high = (clipping_comparison([p], eps=PITFALLS_EPS) for p in (10.0**low_log_p, PITFALLS_P))
    dog_up = 5.0
    z_dog = np.array([PITFALLS_LOGITS[0], dog_up, *PITFALLS_LOGITS[2:]])
    bce = bce_on_softmax_grad(z_dog, 0, reduction="sum")
    pushed_up = [k for k in range(1, len(z_dog)) if bce[k] < 0]
    up = [ANIMALS[k] for k in pushed_up]
    mse_6, mse_10 = (float(mse_on_sigmoid_grad(z, 1.0)) for z in (-6.0, -10.0))
    bce_10 = float(binary_cross_entropy_with_logits_grad(-10.0, 1.0))
    eps_text, p_text = number(PITFALLS_LOG_EPS, 0), number(PITFALLS_LOG_P, 0)
    return Lesson(
        what_to_try=(
            "In section 1, with *The true class is* on the smallest logit (−s), drag *Logit scale s "
            "(log₁₀)* from 1 to 2 (s = 100): the naive float32 loss is already +inf (it breaks from s ≈ "
            f"{breaks['float32']:.0f}; float16 from s ≈ {breaks['float16']:.1f}, float64 from s ≈ "
            f"{breaks['float64']:.0f}), while the stable loss stays finite, about 2s.",
            f"In section 2, keep *ε (log₁₀)* at {eps_text} and drag *p of the true class (log₁₀)* from "
            f"{number(low_log_p, 0)} to {p_text}: the clipped loss freezes at "
            f"{number(float(high.clipped[0]), 2)} nats and its gradient drops from "
            f"{_sci(float(low.clipped_grad[0]))} to exactly 0.",
            f"In section 3, drag *Logit z: {ANIMALS[1]}* from {PITFALLS_LOGITS[1]:g} up to {dog_up:g}: BCE "
            f"on softmax now gives {and_list(up)} negative gradients "
            f"({', '.join(signed(float(bce[k]), 4) for k in pushed_up)}), pushing wrong classes up, which "
            "cross-entropy never does.",
            "In section 4, keep *Label y* at 1 and drag *Logit z* from −6 to −10: MSE's gradient fades from "
            f"{signed(mse_6, 4)} to {signed(mse_10, 6)} while BCE's stays at {signed(bce_10, 4)}.",
        ),
        question=Question(
            prompt=f"Probabilities are clipped to [ε, 1 − ε] with **ε = 10{superscript(PITFALLS_LOG_EPS)}** "
            f"(Keras' default), and the true class gets **p = 10{superscript(PITFALLS_LOG_P)}**. What is the "
            "gradient ∂ℓ/∂p of the clipped loss?",
            options=(
                f"about −10{superscript(-PITFALLS_LOG_P)} (−1/p): a huge push",
                f"about −10{superscript(-PITFALLS_LOG_EPS)} (−1/ε): capped by the clip",
                "exactly 0",
                "NaN: the log of such a small number breaks",
            ),
            solve=pitfalls_solve,
            try_it=f"In section 2, set *ε (log₁₀)* to {eps_text} and *p of the true class (log₁₀)* to "
            f"{p_text} and read **Clipped ∂ℓ/∂p at p**; then raise p to −6 and the gradient comes back.",
        ),
    )
