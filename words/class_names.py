"""Class names a student types, made safe to show, and the emoji of the default names.

This is text handling of user input, so it lives with the words, not in :mod:`core`: it decides which
characters may reach Markdown, LaTeX or HTML, and computes no number.  The default names themselves are a
page default (:data:`core.defaults.DEFAULT_CLASS_NAMES`).
"""

from __future__ import annotations

import unicodedata

from core._validation import check_int
from core.defaults import DEFAULT_CLASS_NAMES

__all__ = ["MAX_NAME_LENGTH", "class_label", "sanitize_class_names"]

_EMOJI_FOR_DEFAULTS = ("🐱", "🐶", "🐦", "🐟", "🐴", "🐰", "🐢", "🐸", "🦊", "🦉")
_EMOJI = {name.lower(): emoji for name, emoji in zip(DEFAULT_CLASS_NAMES, _EMOJI_FOR_DEFAULTS, strict=True)}
MAX_NAME_LENGTH = 16
_NAME_PUNCTUATION = frozenset(" -'.")
_EMOJI_JOINERS = frozenset("\u200d\ufe0f")  # zero-width joiner, emoji variation selector


def _allowed_name_char(ch: str) -> bool:
    return ch.isalnum() or ch in _NAME_PUNCTUATION or ch in _EMOJI_JOINERS or unicodedata.category(ch) == "So"


def class_label(name: str) -> str:
    """A class name with its animal emoji when it is one of the default names (any case).

    >>> class_label("cat"), class_label("Zebra")
    ('🐱 cat', 'Zebra')
    """
    match = _EMOJI.get(name.strip().lower())
    return f"{match} {name}" if match else name


def sanitize_class_names(text: str, n: int) -> tuple[list[str], list[str]]:
    """Turn a comma-separated line of user-typed class names into ``n`` safe, distinct names.

    A name is kept if, after stripping spaces, it is non-empty, at most :data:`MAX_NAME_LENGTH`
    characters long, made only of letters, digits, spaces, ``-``, ``'``, ``.`` and emoji, not starting
    with one of those punctuation marks (nothing that Markdown, LaTeX or HTML would interpret), and not
    a repeat of an earlier name (case-insensitive).
    Any other entry, and any missing one, becomes the first default name
    (:data:`core.defaults.DEFAULT_CLASS_NAMES`) not already used.  Entries beyond ``n`` are ignored.

    Parameters
    ----------
    text : str
        E.g. ``"Cat, Dog, Bird, Fish"``.
    n : int in [1, 10]
        The number of classes.

    Returns
    -------
    names : list of str, length n
    notes : list of str
        One plain sentence per replaced or ignored entry (empty when everything was kept).

    Examples
    --------
    >>> names, notes = sanitize_class_names("Cat, <b>x</b>, cat", 3)
    >>> names
    ['Cat', 'Dog', 'Bird']
    >>> print("\\n".join(notes))
    Name 2 ('<b>x</b>') uses characters other than letters, digits, spaces, - ' . and emoji; using 'Dog'.
    Name 3 ('cat') repeats an earlier name; using 'Bird'.
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a string of comma-separated names; got {type(text).__name__}")
    n = check_int(n, "n", low=1, high=len(DEFAULT_CLASS_NAMES))
    typed = [part.strip() for part in text.split(",")] if text.strip() else []
    notes: list[str] = []
    if len(typed) > n:
        notes.append(f"Only the first {n} names are used ({len(typed)} were given).")

    # First pass: keep the good names, and note why the others are replaced.
    kept: list[str | None] = []
    problems: dict[int, str] = {}
    seen: set[str] = set()
    for i in range(n):
        entry = typed[i] if i < len(typed) else None
        problem = None
        if entry is None:
            pass  # not typed: a default, without a note
        elif not entry:
            problem = "is empty"
        elif len(entry) > MAX_NAME_LENGTH:
            problem = f"is longer than {MAX_NAME_LENGTH} characters"
        elif not all(_allowed_name_char(ch) for ch in entry):
            problem = "uses characters other than letters, digits, spaces, - ' . and emoji"
        elif entry[0] in _NAME_PUNCTUATION:
            problem = "starts with punctuation (Markdown could read it as a list or a quote)"
        elif entry.lower() in seen:
            problem = "repeats an earlier name"
        if entry and problem is None:
            seen.add(entry.lower())
            kept.append(entry)
        else:
            kept.append(None)
            if problem is not None:
                problems[i] = problem

    # Second pass: fill the gaps with the defaults no kept name uses.
    spare = iter([d for d in DEFAULT_CLASS_NAMES if d.lower() not in seen])
    names: list[str] = []
    for i, name in enumerate(kept):
        if name is None:
            name = next(spare)
            if i in problems:
                entry = typed[i]
                shown = f" ({entry if len(entry) <= 40 else entry[:40] + '…'!r})" if entry else ""
                notes.append(f"Name {i + 1}{shown} {problems[i]}; using {name!r}.")
        names.append(name)
    return names, notes
