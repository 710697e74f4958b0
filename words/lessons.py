"""``LESSONS``: every page's teaching aids, keyed by the page's ``url_path`` (see :mod:`ui.registry`).

Built once, when the module is imported: every number in a prompt is computed from :mod:`core` then.
"""

from __future__ import annotations

from words.calibration import calibration_lesson
from words.language import language_lesson
from words.lesson import Lesson
from words.lessons_cross_entropy import (
    binary_lesson,
    comparison_lesson,
    home_lesson,
    kl_lesson,
    multiclass_lesson,
    pitfalls_lesson,
    surprise_lesson,
)
from words.lessons_gradients import (
    backprop_lesson,
    identities_lesson,
    minibatch_lesson,
    softmax_gradient_lesson,
    train_lesson,
)
from words.predictions import predictions_lesson
from words.simplex import simplex_lesson

__all__ = ["LESSONS"]

LESSONS: dict[str, Lesson] = {
    "home": home_lesson(),
    "surprise": surprise_lesson(),
    "binary": binary_lesson(),
    "multiclass": multiclass_lesson(),
    "simplex": simplex_lesson(),
    "comparison": comparison_lesson(),
    "kl": kl_lesson(),
    "language": language_lesson(),
    "pitfalls": pitfalls_lesson(),
    "softmax_gradient": softmax_gradient_lesson(),
    "backprop": backprop_lesson(),
    "minibatch": minibatch_lesson(),
    "identities": identities_lesson(),
    "train": train_lesson(),
    "calibration": calibration_lesson(),
    "predictions": predictions_lesson(),
}
