"""The teaching aids of every page, drawn: "What to try" prompts and a predict-then-check question.

The words live in :mod:`words.lessons` (``LESSONS``, keyed by a page's ``url_path``); this module only
draws them.  ``render_teaching_aids(url_path, presenter=...)`` is called by :func:`ui.page.page_header`.
"""

from __future__ import annotations

import streamlit as st

from ui.common import safe_page, units
from words.lesson import Question, feedback
from words.lessons import LESSONS

__all__ = [
    "PICK_HINT",
    "QUESTION_TITLE",
    "has_question",
    "WHAT_TO_TRY_TITLE",
    "question_key",
    "render_question",
    "render_teaching_aids",
    "render_what_to_try",
]

QUESTION_TITLE = "Predict, then check"
WHAT_TO_TRY_TITLE = "What to try"
PICK_HINT = "Pick the answer you expect: the explanation appears as soon as you choose."


def question_key(url_path: str) -> str:
    """The widget key (and URL query parameter) of a page's question: ``"binary_predict"``."""
    return f"{url_path}_predict"


def render_what_to_try(url_path: str) -> None:
    """The page's prompts as a numbered list in a collapsed "What to try" expander (nothing if none)."""
    lesson = LESSONS.get(url_path)
    if lesson is None or not lesson.what_to_try:
        return
    with st.expander(WHAT_TO_TRY_TITLE, icon=":material/lightbulb:"):
        st.markdown("\n".join(f"{k}. {prompt}" for k, prompt in enumerate(lesson.what_to_try, start=1)))


@st.fragment
def _question_box(url_path: str, question: Question) -> None:
    """The bordered question; a fragment, so choosing an answer reruns only this box."""
    with st.container(border=True):
        st.markdown(f"**:material/quiz: {QUESTION_TITLE}**")
        choice = st.radio(
            question.prompt,
            question.options,
            index=None,
            key=question_key(url_path),
            bind="query-params",
        )
        if choice is None:
            st.caption(PICK_HINT)
            return
        with safe_page():
            right, text = feedback(question, question.options.index(choice), units())
            if right:
                st.success(text, icon=":material/check_circle:")
            else:
                st.error(text, icon=":material/cancel:")


def has_question(url_path: str) -> bool:
    """Whether the page ``url_path`` has a predict-then-check question."""
    lesson = LESSONS.get(url_path)
    return lesson is not None and lesson.question is not None


def render_question(url_path: str) -> None:
    """The page's predict-then-check question in a bordered box (nothing if the page has none)."""
    lesson = LESSONS.get(url_path)
    if lesson is None or lesson.question is None:
        return
    _question_box(url_path, lesson.question)


def render_teaching_aids(url_path: str, *, presenter: bool = False) -> None:
    """Draw a page's "What to try" prompts and its question; in presenter mode only the question.

    An unknown ``url_path`` draws nothing.
    """
    if not presenter:
        render_what_to_try(url_path)
    render_question(url_path)
