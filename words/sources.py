"""How the app names the documents it is built from: by what each one is.

A student has never seen the project's internal file names, so a page that credits or corrects a source
names it with one of these phrases (lower case, to sit inside a sentence; :func:`capital` starts one).
"""

from __future__ import annotations

__all__ = ["CS224N_NOTES", "FOUR_LAYER_NOTES", "SOFTMAX_NOTE", "WEB_ARTICLE", "capital"]

SOFTMAX_NOTE = "a course note on the softmax cross-entropy gradient"
FOUR_LAYER_NOTES = "the notes on a four-layer network's gradients"
CS224N_NOTES = "the CS224n notes on computing neural-network gradients"
WEB_ARTICLE = "a popular web article on cross-entropy"


def capital(phrase: str) -> str:
    """The phrase with a capital first letter, to start a sentence.

    >>> capital(FOUR_LAYER_NOTES)
    "The notes on a four-layer network's gradients"
    """
    return phrase[:1].upper() + phrase[1:]
