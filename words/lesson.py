"""What a lesson is: "What to try" prompts and a predict-then-check question, and the feedback on an answer.

- :class:`Lesson` holds three or four prompts and, on the cross-entropy and gradient pages, a
  :class:`Question`.
- A question's ``solve(unit)`` computes the correct option and the explanation from :mod:`core` (no
  stored answer): the numbers a student reads are the numbers ``core`` computes.
- :func:`feedback` turns a chosen option into the verdict a student reads.

Each page's lesson is built by a ``*_lesson()`` function (:mod:`words.lessons_cross_entropy`,
:mod:`words.lessons_gradients`); its question's ``solve`` is that page's ``*_solve(unit)``, which answers
from :mod:`core` on the page's own defaults (:mod:`core.defaults`).

Writing conventions of the prompts: a control is named by its on-screen label in *italics* (the tests
check that each one exists on its page), a quantity the page shows in **bold**.  Numbers in the prompts
are computed from ``core`` and the pages' defaults (:mod:`core.defaults`), never typed in.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core.formatting import number
from core.units import in_unit

__all__ = ["Lesson", "Question", "and_list", "feedback", "loss_text", "matching_option", "nearest_ratio"]


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
        Computes the answer with ``core``; ``unit`` is ``"nats"`` or ``"bits"`` (the sidebar's choice),
        used for losses.
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


def feedback(question: Question, choice: int, unit: str) -> tuple[bool, str]:
    """Whether option ``choice`` is right, and the feedback Markdown (verdict, why, where to see it).

    >>> q = Question("1 + 1?", ("2", "3"), lambda unit: (0, "One and one make two."), "Count.")
    >>> feedback(q, 1, "nats")
    (False, '**Not quite: the answer is “2”.** One and one make two.\\n\\n**See it:** Count.')
    """
    correct, explanation = question.solve(unit)
    if choice == correct:
        verdict = "**Right.**"
    else:
        verdict = f"**Not quite: the answer is “{question.options[correct]}”.**"
    return choice == correct, f"{verdict} {explanation}\n\n**See it:** {question.try_it}"


# ------------------------------------------------------------------------------- helpers of the solvers
def loss_text(value_nats: float, unit: str, digits: int = 4) -> str:
    """A loss in the chosen unit with its unit: ``0.3567 nats`` or ``0.5146 bits``.

    >>> loss_text(math.log(2), "bits")
    '1.0000 bits'
    """
    return f"{number(in_unit(value_nats, unit), digits)} {unit}"


def and_list(names: Sequence[str]) -> str:
    """``"Dog, Bird and Fish"``.

    >>> and_list(["Dog"]), and_list(["Dog", "Bird", "Fish"])
    ('Dog', 'Dog, Bird and Fish')
    """
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def matching_option(value: float, candidates: Sequence[float], *, atol: float) -> int:
    """The index of the one candidate within ``atol`` of ``value`` (NaN matches NaN).

    Raises ValueError when none or several match: the question's options no longer fit ``core``.

    >>> matching_option(0.0, [-1.0, 0.0, math.nan], atol=1e-12)
    1
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


def nearest_ratio(value: float, candidates: Sequence[float]) -> int:
    """The index of the candidate closest to the positive ``value`` on a log scale.

    >>> nearest_ratio(1.45, [2.0, math.sqrt(2.0), 4.0, 1.0])
    1
    """
    return min(range(len(candidates)), key=lambda k: abs(math.log(value / candidates[k])))  # the first best
