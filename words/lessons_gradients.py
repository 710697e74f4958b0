"""The lessons of the gradient pages and of Train a network: Softmax gradient to Vectorized identities.

How a page's ``*_lesson()`` and ``*_solve(unit)`` work together is told in :mod:`words.lesson`.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from core.defaults import (
    BACKPROP_BATCH,
    BACKPROP_CLASSES,
    BACKPROP_FEATURES,
    BACKPROP_HIDDEN,
    BACKPROP_LAYER_SIZES,
    BACKPROP_N_LAYERS,
    BACKPROP_SEED,
    DEFAULT_CLASS_NAMES,
    IDENTITIES_M,
    IDENTITIES_N,
    IDENTITIES_SEED,
    MINIBATCH_LAYER_SIZES,
    MINIBATCH_N_SAMPLES,
    MINIBATCH_SEED,
    SOFTMAX_GRADIENT_CLASSES,
    SOFTMAX_GRADIENT_LOGITS,
)
from core.formatting import number, signed, subscript, superscript, times_ten
from core.functional import softmax, softmax_jacobian
from core.jacobians import chain_rule_cost, identity_check, softmax_cross_entropy_chain
from core.losses import cross_entropy_grad, softmax_mse_loss_grad
from core.minibatch import GradientSpread, blobs_and_network, minibatch_gradient_spread
from words.lesson import Lesson, Question, matching_option, nearest_ratio
from words.sources import FOUR_LAYER_NOTES, capital

__all__ = [
    "RESET_LABEL",
    "backprop_lesson",
    "identities_lesson",
    "minibatch_lesson",
    "softmax_gradient_lesson",
    "train_lesson",
]

# The Softmax gradient page's button that brings its default logits back (its key is "sgrad_reset").
RESET_LABEL = "Reset to the default logits"


# ---------------------------------------------------------------------------------- softmax gradient
_COUNTS = {3: "three", 4: "four", 5: "five", 6: "six"}
SOFTMAX_GRADIENT_DEFAULT = np.array(SOFTMAX_GRADIENT_LOGITS[:SOFTMAX_GRADIENT_CLASSES])


def softmax_gradient_solve(unit: str) -> tuple[int, str]:
    del unit  # a Jacobian entry has no loss unit
    chain = softmax_cross_entropy_chain(SOFTMAX_GRADIENT_DEFAULT, 0)
    s = chain.probs
    entry = float(chain.numerical_jacobian[0, 1])  # ∂s₁/∂z₂ by central differences, not by the formula
    candidates = (-s[0] * s[1], -s[0] * s[0], s[0] * (1 - s[1]), 0.0)
    correct = matching_option(entry, [float(c) for c in candidates], atol=1e-8)
    explanation = (
        f"Here s₁ = {s[0]:.4f} and s₂ = {s[1]:.4f}. Central differences give **∂s₁/∂z₂ = "
        f"{signed(entry, 4)}**, and −s₁s₂ = {signed(float(candidates[0]), 4)}, while −s₁s₁ = "
        f"{signed(float(candidates[1]), 4)}. s₁ does contain z₂, in its denominator Σⱼ e^(zⱼ): raising z₂ "
        "takes probability away from class 1, so the entry is negative, ∂sᵢ/∂zₖ = −sᵢsₖ for i ≠ k. "
        f"{capital(FOUR_LAYER_NOTES)} write −Sᵢ Sᵢ here: a slip."
    )
    return correct, explanation


def softmax_gradient_lesson() -> Lesson:
    n = SOFTMAX_GRADIENT_CLASSES
    flat = softmax_jacobian(np.zeros(n))
    cost = chain_rule_cost(6)
    names = DEFAULT_CLASS_NAMES
    logits = ", ".join(number(float(v), 1) for v in SOFTMAX_GRADIENT_DEFAULT)
    return Lesson(
        what_to_try=(
            f"Drag *z₁ ({names[0]})* up to 8: s₁ approaches 1, every entry of the Jacobian heatmap shrinks "
            "towards 0 and s − y vanishes: a confident, correct model gets almost no gradient.",
            f"Set *True class t* to 2 · {names[1]}: in step 3 only the row of s₂ is non-zero now, and each "
            "column still sums to s_k − y_k.",
            f"Set all {_COUNTS.get(n, n)} logits, *z₁ ({names[0]})* to *z{subscript(n)} ({names[n - 1]})*, "
            f"to 0: every s is 1/{n}, the Jacobian's diagonal is {number(float(flat[0, 0]))} and every "
            f"off-diagonal entry {number(float(flat[0, 1]))}; rows and columns sum to 0. *{RESET_LABEL}* "
            "brings the defaults back.",
            "Raise *Number of classes C* to 6 and read the table in step 5: the Jacobian route needs C² = "
            f"{cost.product_multiply_adds} multiply-adds, the shortcut s − y only {cost.shortcut_operations} "
            "operations, and the gap grows with C.",
        ),
        question=Question(
            prompt=f"At the page's default logits ({logits}), what is **∂s₁/∂z₂**, an off-diagonal entry "
            "of the softmax Jacobian?",
            options=(
                "−s₁ s₂",
                "−s₁ s₁, as some lecture notes write it",
                "s₁ (1 − s₂)",
                "0: z₂ is not in the numerator of s₁",
            ),
            solve=softmax_gradient_solve,
            try_it=f"Press *{RESET_LABEL}*: the warning box of step 1 shows this entry, and the "
            "heatmap's row s₁, column z₂ holds it.",
        ),
    )


# ------------------------------------------------------------------------------------------- backprop
BACKPROP_SIZES = {  # the page's defaults
    "B": BACKPROP_BATCH[2],
    "D": BACKPROP_FEATURES[2],
    "H": BACKPROP_HIDDEN[2],
    "C": BACKPROP_CLASSES[2],
}
BACKPROP_SHAPES = (("B", "H"), ("D", "H"), ("H", "D"), ("B", "D"))
BACKPROP_NOTES = ("one row per example", "the shape of W₁", "", "the shape of X")


def _backprop_network(activation: str = "relu"):
    return blobs_and_network(
        list(BACKPROP_LAYER_SIZES), BACKPROP_SIZES["B"], activation=activation, seed=BACKPROP_SEED
    )


def _backprop_option(shape: tuple[str, str], note: str) -> str:
    numbers = " × ".join(str(BACKPROP_SIZES[s]) for s in shape)
    return f"{numbers} ({' × '.join(shape)})" + (f": {note}" if note else "")


def backprop_solve(unit: str) -> tuple[int, str]:
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
        f"W₁ − η∇W₁ possible. {capital(FOUR_LAYER_NOTES)} name this last gradient ∇W₂: a slip, it is ∇W₁."
    )
    return matches[0], explanation


def backprop_lesson() -> Lesson:
    n, depth = BACKPROP_SIZES, BACKPROP_N_LAYERS
    X, y, sigmoid_net = _backprop_network("sigmoid")
    _, grads = sigmoid_net.loss_and_grads(X, y)
    w_first, w_last = (float(np.abs(grads[k]).max()) for k in ("W1", f"W{depth}"))
    output_stage, last_stage = depth + 1, 3 * depth
    top = superscript(depth)
    return Lesson(
        what_to_try=(
            f"Press *Next ▶* through stages 1 to {depth}, the forward pass: every dimension check multiplies "
            "(B × D)(D × H) and so on, and the inner sizes always agree.",
            f"At *Stage* {output_stage}, δ{top} = (S(z{subscript(depth)}) − Y)/B: set *Batch size B* from "
            f"{n['B']} to {BACKPROP_BATCH[1]} and δ{top} gets {BACKPROP_BATCH[1]} rows. The 1/B of the "
            "batch-mean loss enters here, once, and every later δ inherits it.",
            f"Move *Stage* to {last_stage}: ∇W₁ = Xᵀδ¹ is D × H, the shape of W₁. "
            f"{capital(FOUR_LAYER_NOTES)} call it ∇W₂, a slip.",
            "Set *Activation σ* to sigmoid and compare **max |∇|** in the gradient-check table: W₁'s "
            f"({number(w_first)}) is about {w_last / w_first:.0f} times smaller than W{subscript(depth)}'s "
            f"({number(w_last)}). On its way back the gradient is multiplied, layer by layer, by σ′ ≤ 0.25 "
            "and by a weight matrix Wᵀ: with these weights the product shrinks it, but σ′ ≤ 0.25 alone does "
            "not force that; larger weights can make it grow.",
        ),
        question=Question(
            prompt=f"X is B × D = {n['B']} × {n['D']} and every hidden layer has H = {n['H']} units. What is "
            "the shape of **∇W₁**, the gradient of the first layer's weights?",
            options=tuple(
                _backprop_option(shape, note)
                for shape, note in zip(BACKPROP_SHAPES, BACKPROP_NOTES, strict=True)
            ),
            solve=backprop_solve,
            try_it=f"Move *Stage* to {last_stage} (∇W₁ and ∇b₁) and read the dimension check; change *Batch "
            "size B* and the shape of ∇W₁ stays the same.",
        ),
    )


# ------------------------------------------------------------------------------------------ minibatch
MINIBATCH_SIZES = (16, 32)
MINIBATCH_FACTORS = (2.0, math.sqrt(2.0), 4.0, 1.0)  # the options, in order
MINIBATCH_DRAWS = 1000
MINIBATCH_PARAM = f"b{len(MINIBATCH_LAYER_SIZES) - 1}"  # the page's default parameter, the output bias


@functools.lru_cache(maxsize=1)
def _minibatch_spread() -> GradientSpread:
    """The page's data set and network at their defaults, following its default parameter.

    Deterministic and a few tenths of a second, so it is computed once per process (never mutated).
    """
    X, y, net = blobs_and_network(MINIBATCH_LAYER_SIZES, MINIBATCH_N_SAMPLES, seed=MINIBATCH_SEED)
    return minibatch_gradient_spread(
        net, X, y, list(MINIBATCH_SIZES), name=MINIBATCH_PARAM, n_draws=MINIBATCH_DRAWS, replace=False, seed=0
    )


def minibatch_solve(unit: str) -> tuple[int, str]:
    del unit  # gradients, no loss unit
    spread = _minibatch_spread()
    small, large = (float(v) for v in spread.measured)
    ratio = small / large
    correct = nearest_ratio(ratio, MINIBATCH_FACTORS)
    b_small, b_large = MINIBATCH_SIZES
    param = f"b{subscript(len(MINIBATCH_LAYER_SIZES) - 1)}"
    explanation = (
        f"Drawing {spread.n_draws} mini-batches of each size from the page's data set, the gradient of "
        f"{param}[{spread.index[0] + 1}] scatters around the full-data gradient by {number(small)} at B = "
        f"{b_small} and by {number(large)} at B = {b_large}: **divided by {ratio:.2f}**. Theory: the mean of "
        "B independent examples has variance σ²/B, so its spread (standard deviation) is σ/√B and doubling B "
        f"divides it by √2 = {math.sqrt(2):.4f}, not by 2. Halving the noise takes four times the batch."
    )
    return correct, explanation


def minibatch_lesson() -> Lesson:
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
            solve=minibatch_solve,
            try_it=f"In section 3, compare the measured points at B = {MINIBATCH_SIZES[0]} and B = "
            f"{MINIBATCH_SIZES[1]} on the chart; set *Batch size B* to {MINIBATCH_SIZES[0]}, then "
            f"{MINIBATCH_SIZES[1]}, and step *Which batch (draw number)* to feel the difference.",
        ),
    )


# ----------------------------------------------------------------------------------------- identities
def identities_solve(unit: str) -> tuple[int, str]:
    del unit  # no loss here
    check = identity_check(2, seed=IDENTITIES_SEED, n=IDENTITIES_N, m=IDENTITIES_M)
    W, x = check.case.inputs["W"], check.case.inputs["x"]
    numerical = check.numerical
    candidates = (W, W.T, np.eye(IDENTITIES_N), x.reshape(-1, 1))
    hits = [
        k
        for k, c in enumerate(candidates)
        if c.shape == numerical.shape and np.allclose(c, numerical, atol=1e-8)
    ]
    if len(hits) != 1:
        raise ValueError(f"the numerical Jacobian matches options {hits}")
    rows, cols = numerical.shape
    agreement = times_ten(check.max_abs_diff, 2, fixed_between=(1e-3, 1e4))
    explanation = (
        f"x has n = {IDENTITIES_N} entries and z = xW has m = {IDENTITIES_M}, so the Jacobian ∂z/∂x has one "
        f"row per output: it is m × n = **{rows} × {cols}**, while W is {W.shape[0]} × {W.shape[1]}. Entry "
        f"(j, i) is ∂z_j/∂x_i = W_ij: that is Wᵀ. Central differences agree to {agreement}. W itself would "
        "be right for z = Wx, identity (1); when W is not square, only one orientation even has the right "
        "shape."
    )
    return hits[0], explanation


def identities_lesson() -> Lesson:
    n, m = IDENTITIES_N, IDENTITIES_M
    return Lesson(
        what_to_try=(
            f"With *Size n (rows of W)* at {n} and *Size m (columns of W)* at {m}, switch *Identity* between "
            f"(1) and (2): the Jacobian of z = Wx is {n} × {m} (W), that of z = xW is {m} × {n} (Wᵀ).",
            "Set *Identity* to (4) and *Elementwise function f* to ReLU: the Jacobian is diagonal, 1 where "
            "x > 0 and 0 where x < 0. That diagonal is the ⊙ σ′(z) of every backprop formula.",
            "Set *Identity* to (6): ∂J/∂W = xᵀδ has the shape of W (n × m), the form backpropagation uses "
            "for every layer in the row convention, ∇W_l = σ(z_(l−1))ᵀδˡ.",
            "In the 1-layer network, change *Hidden size Dh* and *Random seed*: every gradient in the table "
            "keeps the shape of its parameter, and a hidden unit with h = 0 leaves a column of zeros in "
            "∂J/∂U.",
        ),
        question=Question(
            prompt=f"Identity (2): z = xW with x a row of n = {n} numbers and W of shape {n} × {m}. What is "
            "the Jacobian **∂z/∂x**?",
            options=(
                "W, as for z = Wx",
                "Wᵀ",
                "I, the identity matrix",
                "xᵀ, a column",
            ),
            solve=identities_solve,
            try_it=f"Set *Identity* to (2) z = xW, ∂z/∂x with *Random seed* {IDENTITIES_SEED}: the analytic "
            f"and numerical heatmaps are {m} × {n}; switch to (1) and they are {n} × {m}.",
        ),
    )


# ---------------------------------------------------------------------------------------------- train
TRAIN_LOGITS = (-2.0, 1.5, 2.0)  # the true class 0 gets about 1 %: confidently wrong


def train_solve(unit: str) -> tuple[int, str]:
    del unit  # gradients, no loss unit
    z = np.array(TRAIN_LOGITS)
    s = softmax(z)
    ce = float(cross_entropy_grad(z, 0)[0])
    mse = float(softmax_mse_loss_grad(z, 0)[0])
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
        f"= **{signed(ce, 4)}**, the strongest push it can give. MSE on softmax (averaged over the C = "
        f"{len(z)} classes, as the page trains it) gives only **{signed(mse, 4)}**, {abs(ce / mse):.0f} "
        "times less: its gradient carries the factor s_y, which is almost 0 exactly when the network is "
        "most wrong. That is why cross-entropy usually wins the race."
    )
    return correct, explanation


def train_lesson() -> Lesson:
    logits = ", ".join(number(v, 1) for v in TRAIN_LOGITS)
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
            prompt=f"One example, three classes, logits ({logits}) with the **first** class true: the "
            "network is confidently wrong. Which loss pushes the true class's logit up harder?",
            options=(
                "cross-entropy, by far",
                "MSE on softmax",
                "about the same: both measure how wrong the prediction is",
                "neither: a confident prediction gets no gradient",
            ),
            solve=train_solve,
            try_it="Race *Loss* Cross-entropy against MSE on softmax (*Race against*), press *▶ Play* and "
            "compare the two runs' lines in the gradient-norm chart.",
        ),
    )
