"""The top of every page: the one place that puts the frame and the teaching aids together.

``page_header(title, lead)`` makes sure the page runs inside ``app.py``'s frame, draws the title and the
lead paragraph, then the page's teaching aids ("What to try" and the predict-then-check question), sized
for presenter mode.  It is the only module that imports both :mod:`ui.frame` and :mod:`ui.teaching`,
so the helpers below it (``ui.common``, ``ui.frame``, ``ui.teaching``) never import each other in a circle.
"""

from __future__ import annotations

import streamlit as st

from ui.common import leave_legacy_pages_mode
from ui.frame import current_page, presenter
from ui.teaching import QUESTION_TITLE, has_question, render_teaching_aids

ABOUT_TITLE = "About this page"


def page_header(title: str, lead: str) -> None:
    """Draw a page's title and its one-paragraph lead (Markdown, no HTML), then its teaching aids; in
    presenter mode the lead and the question fold into two expanders side by side, so the first screen
    shows the page's chart and its controls.

    Every page starts with it, so it first makes sure the page runs in the app's frame
    (:func:`ui.common.leave_legacy_pages_mode`).
    """
    leave_legacy_pages_mode()
    if not presenter():
        st.title(title)
        st.markdown(lead)
        render_teaching_aids(current_page())
        return
    # On a projector the first screen belongs to the page's chart and the controls that drive it: the lead
    # and the question fold away beside the title, one click from the room.
    heading, about, question = st.columns([2, 1, 1], vertical_alignment="center")
    heading.title(title)
    with about.expander(ABOUT_TITLE, icon=":material/info:"):
        st.markdown(lead)
    if has_question(current_page()):
        with question.expander(QUESTION_TITLE, icon=":material/quiz:"):
            render_teaching_aids(current_page(), presenter=True)
