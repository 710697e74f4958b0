"""What the lesson tests share: the *italic* spans of a prompt, and the option a question's answer names."""

import re

from words.lesson import Question


def italic_spans(markdown: str) -> list[str]:
    """The *italic* spans of a Markdown text (bold **spans** left out)."""
    without_bold = re.sub(r"\*\*.+?\*\*", "", markdown)
    return re.findall(r"\*([^*]+)\*", without_bold)


def option_index(question: Question, start: str) -> int:
    """The index of the one option that starts with ``start``."""
    hits = [k for k, option in enumerate(question.options) if option.startswith(start)]
    assert len(hits) == 1, (start, question.options)
    return hits[0]
