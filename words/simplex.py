"""The words of the Probability simplex page: its lead, the sentences beside its charts, and its lesson.

Every number a sentence quotes is passed in from :mod:`core` (or computed here with :mod:`core` on the
page's defaults, :mod:`core.defaults`) and formatted by :mod:`core.formatting`.  Losses arrive in nats and
are written in the sidebar's unit; gradients are those of the loss in nats.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from core.defaults import (
    DEFAULT_CLASS_NAMES,
    SIMPLEX_LOGITS,
    SIMPLEX_LR,
    SIMPLEX_SMOOTHING,
    SIMPLEX_STEPS,
    SIMPLEX_TEMPERATURE,
    SIMPLEX_TRUE_INDEX,
)
from core.formatting import number, scientific, signed, superscript
from core.information import entropy
from core.simplex import (
    corner_gradient_norms,
    descent_path,
    logit_gradient,
    max_stable_lr,
    smoothed_target,
    temperature_limit,
    temperature_path,
)
from words.lesson import Lesson, Question, and_list, loss_text

__all__ = [
    "BARYCENTRIC_NOTE",
    "LEAD",
    "MATH_NOTE",
    "NAMES",
    "SHIFT_NOTE",
    "descent_alt",
    "descent_sentence",
    "overshoot_warning",
    "q_text",
    "signed_vector",
    "simplex_alt",
    "simplex_lesson",
    "simplex_solve",
    "temperature_sentence",
    "vector_text",
    "why_sentence",
]

NAMES: tuple[str, str, str] = DEFAULT_CLASS_NAMES[:3]

LEAD = (
    "With three classes, every prediction q (three probabilities for Cat, Dog and Bird that add up to 1) "
    "is a point of a triangle: each corner is a certain prediction, the centre is the uniform guess (⅓ "
    "each). The colours show the cross-entropy to the target at every point, so training is a walk "
    "downhill on this map. Move the logits and watch the prediction, gradient descent and temperature "
    "travel across it."
)
SHIFT_NOTE = (
    "Only the differences between logits matter: adding the same number to all three changes nothing, "
    "because softmax(z + c) = softmax(z). So the Bird logit z₃ stays at 0 and two sliders reach every "
    "prediction inside the triangle."
)
BARYCENTRIC_NOTE = (
    "How to read the triangle: a class's probability is the point's distance from the edge opposite that "
    "class's corner, as a fraction of the triangle's height. The three always add up to 1, and the loss is "
    "infinite on an edge where a class the target wants has probability 0."
)
MATH_NOTE = (
    "Why (q − y′)/T: with u = z/T, ln q_c = u_c − ln Σ_j e^{u_j}, so L = −y′·u + ln Σ_j e^{u_j} (the "
    "entries of y′ add up to 1). The derivative of ln Σ_j e^{u_j} is q, so ∂L/∂u = q − y′, and u = z/T "
    "divides by T once more. The entries add up to 0, so a step never changes the sum of the logits; "
    "and no step raises the loss while η ≤ 4T²."
)


def vector_text(values, digits: int = 3) -> str:
    """A vector in round brackets with true minus signs: ``(0.245, 0.665, 0.090)``.

    >>> vector_text([0.5, -0.25, 0.0])
    '(0.500, −0.250, 0.000)'
    """
    return "(" + ", ".join(number(float(v), digits) for v in values) + ")"


def signed_vector(values, digits: int = 3) -> str:
    """A signed vector, each entry with its sign: ``(−0.755, +0.665, +0.090)``.

    >>> signed_vector([-0.7551, 0.6652, 0.0899])
    '(−0.755, +0.665, +0.090)'
    """
    return "(" + ", ".join(signed(float(v), digits) for v in values) + ")"


def q_text(q, names: Sequence[str] = NAMES, digits: int = 3) -> str:
    """A prediction with its class names: ``Cat 0.245, Dog 0.665, Bird 0.090``.

    >>> q_text([0.8, 0.1, 0.1])
    'Cat 0.800, Dog 0.100, Bird 0.100'
    """
    return ", ".join(f"{name} {number(float(v), digits)}" for name, v in zip(names, q, strict=True))


def descent_sentence(
    path_probs,
    path_losses,
    *,
    target,
    true_index: int,
    label_smoothing: float,
    lr: float,
    unit: str,
    names: Sequence[str] = NAMES,
) -> str:
    """What k steps of gradient descent did: the loss, the true class's probability and the step lengths.

    Parameters
    ----------
    path_probs : array_like ``(k + 1, 3)``
    path_losses : array_like ``(k + 1,)``
        In nats.
    target : array_like ``(3,)``
        y′.
    true_index : int
    label_smoothing : float
        ε: with ε > 0 the sentence says where the path stops.
    lr : float
        η.
    unit : {"nats", "bits"}

    Returns
    -------
    str
        Markdown.

    Examples
    --------
    >>> from core.simplex import descent_path
    >>> path = descent_path([1.0, 2.0, 0.0], [1.0, 0.0, 0.0], lr=1.0, steps=30)
    >>> text = descent_sentence(path.probs, path.losses, target=[1.0, 0.0, 0.0], true_index=0,
    ...                         label_smoothing=0.0, lr=1.0, unit="nats")
    >>> print(text[:77])
    **30 steps of η = 1** take the loss from 1.4076 nats to **0.0219 nats**, and
    >>> "Cat's probability goes from 0.245 to **0.978**" in text
    True
    """
    probs = np.asarray(path_probs, dtype=np.float64)
    losses = np.asarray(path_losses, dtype=np.float64)
    y = np.asarray(target, dtype=np.float64)
    k = len(probs) - 1
    t = names[true_index]
    moves = np.linalg.norm(np.diff(probs, axis=0), axis=1)
    text = (
        f"**{k} step{'s' if k != 1 else ''} of η = {lr:g}** take the loss from "
        f"{loss_text(losses[0], unit)} to **{loss_text(losses[-1], unit)}**, and {t}'s probability goes "
        f"from {number(probs[0, true_index], 3)} to **{number(probs[-1, true_index], 3)}**."
    )
    if k >= 2:
        text += (
            f" The first step moves q by {number(moves[0], 3)} across the triangle, the last by "
            f"{_small(moves[-1])}."
        )
    if label_smoothing == 0:
        text += (
            f" The target is the {t} corner itself, which only infinite logits reach: each step is shorter "
            "than the one before, because near the corner both the gradient q − y and softmax's response "
            "to a logit shrink."
        )
    else:
        gap = float(np.linalg.norm(probs[-1] - y))
        where = "has reached" if gap < 5e-4 else "is heading for"
        text += (
            f" With ε = {label_smoothing:.2f} the target y′ = {vector_text(y)} lies inside the triangle, "
            f"and q {where} it (|q − y′| {'' if gap < 1e-6 else '= '}{_small(gap)}): at y′ the gradient "
            f"q − y′ is 0 and descent stops, at the lowest loss H(y′) = {loss_text(float(entropy(y)), unit)}."
        )
    return text


def _small(value: float) -> str:
    """A small non-negative number readably: three decimals, a power of ten below 0.001, or "< 10⁻⁶".

    >>> _small(0.4311), _small(9.14e-4), _small(2.4e-16)
    ('0.431', '9.1e−4', '< 10⁻⁶')
    """
    if value >= 1e-3 or value == 0:
        return number(value, 3)
    return scientific(value, 1) if value >= 1e-6 else f"< 10{superscript(-6)}"


def overshoot_warning(lr: float, temperature: float, rises: bool) -> str | None:
    """The warning for a learning rate above the stable 4T², or None below it.

    >>> overshoot_warning(10.0, 1.0, True)[:46]
    'η = 10 is above 4T² = 4: a step can overshoot '
    >>> overshoot_warning(1.0, 1.0, False) is None
    True
    """
    limit = max_stable_lr(temperature)
    if lr <= limit:
        return None
    seen = " It does here: the loss rises on some steps." if rises else ""
    return (
        f"η = {lr:g} is above 4T² = {limit:.3g}: a step can overshoot the minimum and raise the loss "
        f"(below 4T² no step can).{seen}"
    )


def why_sentence(point_norm: float, corner_norms, *, true_index: int, temperature: float, names=NAMES) -> str:
    """Why descent slows near the right corner: |∂L/∂z| there, at the current point and at a wrong corner.

    Parameters
    ----------
    point_norm : float
        |∂L/∂z| at the current prediction.
    corner_norms : array_like ``(3,)``
        |∂L/∂z| at each corner (:func:`core.simplex.corner_gradient_norms`).
    true_index : int
    temperature : float

    Returns
    -------
    str
        Markdown.

    Examples
    --------
    >>> why_sentence(0.9, [0.0, 1.4142, 1.4142], true_index=0, temperature=1.0)[:60]
    'The gradient is ∂L/∂z = (q − y′)/T: it depends only on where'
    """
    norms = np.asarray(corner_norms, dtype=np.float64)
    wrong = [k for k in range(3) if k != true_index]
    worst = max(wrong, key=lambda k: norms[k])
    return (
        "The gradient is ∂L/∂z = (q − y′)/T: it depends only on where q is, and its arrow −(q − y′) points "
        f"straight at the target. At the {names[true_index]} corner its size is "
        f"**{number(norms[true_index], 3)}**, at the {names[worst]} corner **{number(norms[worst], 3)}** "
        f"(the largest anywhere), and at q now {number(point_norm, 3)} (all divided by T = {temperature:g}). "
        "A confidently wrong prediction gets the hardest push (its loss is infinite, yet the push stays "
        "finite); an almost-right one gets almost none, which is why the last steps crawl."
    )


def temperature_sentence(logits, temperature: float, probs_now, *, names=NAMES) -> str:
    """Where the dotted temperature curve starts and ends, and where the current T puts q on it.

    Examples
    --------
    >>> temperature_sentence([1.0, 2.0, 0.0], 1.0, [0.245, 0.665, 0.090])[:62]
    'The dotted curve is softmax(z/T) for every T. As T → 0 it runs'
    """
    limit = temperature_limit(logits)
    top = [names[k] for k in range(3) if limit[k] > 0]
    if len(top) == 1:
        start = f"into the {top[0]} corner, the largest logit's (argmax)"
    elif len(top) == 2:
        start = f"to the middle of the {top[0]}–{top[1]} edge, where the two largest logits tie"
    else:
        start = "nowhere: all three logits are equal, so q is the centre at every T"
    return (
        f"The dotted curve is softmax(z/T) for every T. As T → 0 it runs {start}; as T grows it runs to the "
        f"centre, ⅓ each. Temperature never changes which class is ahead, it only slides q along this curve: "
        f"at T = {temperature:g}, q = ({q_text(probs_now)})."
    )


def simplex_alt(target, steps: int, unit: str, *, names=NAMES) -> str:
    """The main chart's alt text: what the triangle shows.

    It names no number that the logit slider moves: the chart follows that slider in the browser and is
    not sent again when it moves, so its alt text would go stale.  The readouts beside the chart (q, the
    loss, the gradient) name them."""
    return (
        f"A triangle of all predictions for {and_list(list(names))}, coloured by the cross-entropy to the "
        f"target {vector_text(target)}, lowest at the target. A large dot marks the current prediction q "
        f"(its values and loss in {unit} are in the readouts above the chart); a path of {steps} "
        "gradient-descent steps leads from it towards the target; a dotted curve shows softmax(z/T) from T "
        "near 0 to large T; arrows point from points of the triangle towards the target."
    )


def descent_alt(losses_nats, floor_nats: float, unit: str) -> str:
    """The loss chart's alt text."""
    losses = np.asarray(losses_nats, dtype=np.float64)
    return (
        f"Line chart of the loss after each of {len(losses) - 1} gradient-descent steps, falling from "
        f"{loss_text(losses[0], unit)} to {loss_text(losses[-1], unit)}, above a dashed line at the lowest "
        f"possible loss {loss_text(floor_nats, unit)}."
    )


# ------------------------------------------------------------------------------------------------ lesson
QUESTION_NEAR_RIGHT = (0.90, 0.05, 0.05)  # "almost right" in the question


def _first_wrong(true_index: int) -> int:
    return 1 if true_index == 0 else 0


def simplex_solve(unit: str) -> tuple[int, str]:
    """Where is |∂L/∂z| largest: the centre, near the true corner, a wrong corner, or the same everywhere?"""
    del unit  # the answer is a gradient size, the same in any unit of the loss
    target = smoothed_target(SIMPLEX_TRUE_INDEX, 0.0)
    centre = float(np.linalg.norm(logit_gradient(np.full(3, 1 / 3), target)))
    near = float(np.linalg.norm(logit_gradient(QUESTION_NEAR_RIGHT, target)))
    wrong = _first_wrong(SIMPLEX_TRUE_INDEX)
    sizes = [centre, near, float(corner_gradient_norms(target)[wrong])]
    if math.isclose(min(sizes), max(sizes)):
        correct = 3
    else:
        correct = int(np.argmax(sizes))
    t, w = NAMES[SIMPLEX_TRUE_INDEX], NAMES[wrong]
    explanation = (
        f"The gradient is q − y (T = 1, ε = 0), so its size is the distance from q to the {t} corner. At "
        f"the centre it is {number(centre, 3)}, at q = {vector_text(QUESTION_NEAR_RIGHT, 2)} only "
        f"{number(near, 3)}, and at the {w} corner **{number(sizes[2], 3)} = √2**, the largest on the whole "
        "triangle. Cross-entropy pushes hardest on a confidently wrong prediction and hardly at all on an "
        "almost-right one, which is why descent races away from a wrong corner and crawls into the right "
        "one. It is not the same everywhere: q − y is a different vector at every point."
    )
    return correct, explanation


def simplex_lesson() -> Lesson:
    """The page's "What to try" prompts and its predict-then-check question, computed on the defaults."""
    z = np.array([*SIMPLEX_LOGITS, 0.0])
    t = SIMPLEX_TRUE_INDEX
    lr, steps, temp = SIMPLEX_LR[2], SIMPLEX_STEPS[2], SIMPLEX_TEMPERATURE[2]
    cat, dog = NAMES[t], NAMES[int(np.argmax(z))]
    eps_try = 0.30
    y_smooth = smoothed_target(t, eps_try)
    floor = float(entropy(y_smooth))
    one_hot = smoothed_target(t, SIMPLEX_SMOOTHING[2])
    short = descent_path(z, one_hot, lr, steps, temp)
    long_steps = SIMPLEX_STEPS[1]
    long = descent_path(z, one_hot, lr, long_steps, temp)
    last_move = float(np.linalg.norm(long.probs[-1] - long.probs[-2]))
    cold, hot = SIMPLEX_TEMPERATURE[0], SIMPLEX_TEMPERATURE[1]
    q_cold, q_hot = temperature_path(z, [cold, hot])
    big_lr = SIMPLEX_LR[1]
    jumpy = descent_path(z, y_smooth, big_lr, steps, temp)
    return Lesson(
        what_to_try=(
            f"Set *Label smoothing ε* to {eps_try:.2f}: the star y′ leaves the {cat} corner for "
            f"{vector_text(y_smooth, 2)}, the lowest loss rises from 0 to H(y′) = {number(floor, 3)} nats, "
            "and the descent path now stops on the star instead of creeping into the corner.",
            f"With ε = 0, raise *Steps k* from {steps} to {long_steps}: {cat}'s probability only goes from "
            f"{number(short.probs[-1, t], 3)} to {number(long.probs[-1, t], 3)}. Each step is shorter than "
            f"the one before; the last one moves q by {_small(last_move)}.",
            f"Drag *Temperature T* from {temp:.1f} down to {cold:.1f}: q slides along the dotted curve into "
            f"the {dog} corner ({dog}'s probability {number(q_cold[1], 3)}), the largest logit's; at "
            f"{hot:.1f} it nears the centre, {vector_text(q_hot, 2)}.",
            f"With ε = {eps_try:.2f}, raise *Learning rate η* to {big_lr:g}: that is above 4T² = "
            f"{max_stable_lr(temp):g}, and the first step overshoots, raising the loss from "
            f"{number(jumpy.losses[0], 3)} to {number(jumpy.losses[1], 3)} nats.",
        ),
        question=Question(
            prompt=f"The target is **{cat}** (one-hot, ε = 0) and T = 1. Where on the triangle is the "
            "gradient ∂L/∂z **largest** in size?",
            options=(
                "At the centre, the uniform guess",
                f"Near the {cat} corner, almost right",
                f"At the {NAMES[_first_wrong(t)]} corner, certain of a wrong class",
                "The same everywhere",
            ),
            solve=simplex_solve,
            try_it=f"Set *True class* to {cat} and *Label smoothing ε* to 0, then compare the arrows' "
            "lengths and the table of |∂L/∂z| at the corners.",
        ),
    )
