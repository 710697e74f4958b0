"""``LESSONS``: every page's teaching aids, keyed by the page's ``url_path`` (see :mod:`ui.registry`).

A read-only mapping whose lessons are built when first asked for, once per process: every number in a
prompt is computed from :mod:`core` then.  Building a lesson imports its page's words and ``core``
modules, so a cold start that opens Home does not pay for all sixteen pages' (about 0.25 s).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from importlib import import_module

from words.lesson import Lesson

__all__ = ["LESSONS"]

# url_path -> (module, function) that builds the page's lesson.
_BUILDERS: dict[str, tuple[str, str]] = {
    "home": ("words.lessons_home", "home_lesson"),
    "surprise": ("words.lessons_cross_entropy", "surprise_lesson"),
    "binary": ("words.lessons_cross_entropy", "binary_lesson"),
    "multiclass": ("words.lessons_cross_entropy", "multiclass_lesson"),
    "simplex": ("words.simplex", "simplex_lesson"),
    "comparison": ("words.lessons_cross_entropy", "comparison_lesson"),
    "kl": ("words.lessons_cross_entropy", "kl_lesson"),
    "language": ("words.language", "language_lesson"),
    "pitfalls": ("words.lessons_cross_entropy", "pitfalls_lesson"),
    "softmax_gradient": ("words.lessons_gradients", "softmax_gradient_lesson"),
    "backprop": ("words.lessons_gradients", "backprop_lesson"),
    "minibatch": ("words.lessons_gradients", "minibatch_lesson"),
    "identities": ("words.lessons_gradients", "identities_lesson"),
    "train": ("words.lessons_gradients", "train_lesson"),
    "calibration": ("words.calibration", "calibration_lesson"),
    "predictions": ("words.predictions", "predictions_lesson"),
}


@functools.cache
def _build(url_path: str) -> Lesson:
    module, function = _BUILDERS[url_path]
    return getattr(import_module(module), function)()


class _Lessons(Mapping):
    """The lessons by ``url_path``, each built on first access (``LESSONS[url]``, ``LESSONS.get(url)``)."""

    def __getitem__(self, url_path: str) -> Lesson:
        if url_path not in _BUILDERS:
            raise KeyError(url_path)
        return _build(url_path)

    def __iter__(self) -> Iterator[str]:
        return iter(_BUILDERS)

    def __len__(self) -> int:
        return len(_BUILDERS)


LESSONS: Mapping[str, Lesson] = _Lessons()
