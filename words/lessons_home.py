"""The Home page's lesson: what to try first.

A module of its own, apart from the cross-entropy pages' lessons: Home is the page a cold server draws
first, and this lesson needs nothing from ``core`` that imports numpy (the unit's size is ``core.units.LN2``,
the surprise of a fair coin's toss in nats).
"""

from __future__ import annotations

from core.formatting import number
from core.units import LN2
from words.lesson import Lesson

__all__ = ["home_lesson"]


def home_lesson() -> Lesson:
    return Lesson(
        what_to_try=(
            "Switch *Units* in the sidebar to bits: the cross-entropy pages then show every loss in bits (1 "
            f"bit = ln 2 = {number(LN2)} nats). Nats, the natural-log unit the frameworks use, are the "
            "default.",
            "Open *Surprise* for takeaway 1: play the guessing game and watch surprise, loss and wasted "
            "bits move together.",
            "Open *Softmax gradient* for takeaway 2: the chain rule through the softmax Jacobian collapses, "
            "term by term, to **s − y**.",
            "Open *Numerical pitfalls* for takeaway 4: the naive log(softmax(z)) returns inf or NaN where "
            "the log-sum-exp form stays finite.",
        ),
    )
