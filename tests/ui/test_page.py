"""ui.page: the top of every page."""

from streamlit.testing.v1 import AppTest

from ui.page import ABOUT_TITLE
from ui.teaching import QUESTION_TITLE


def test_page_header_draws_the_title_and_the_lead():
    def page():
        from ui.page import page_header

        page_header("Binary cross-entropy", "The loss of one yes/no prediction.")

    at = AppTest.from_function(page, default_timeout=30).run()

    assert [t.value for t in at.title] == ["Binary cross-entropy"]
    assert [m.value for m in at.markdown] == ["The loss of one yes/no prediction."]


def _header_in_presenter_mode(url_path: str) -> AppTest:
    def page(url_path):
        import streamlit as st

        from ui.frame import PAGE_KEY, PRESENT_KEY
        from ui.page import page_header

        st.session_state[PRESENT_KEY] = True
        st.session_state[PAGE_KEY] = url_path
        page_header("Binary cross-entropy", "The loss of one yes/no prediction.")

    at = AppTest.from_function(page, kwargs={"url_path": url_path}, default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_in_presenter_mode_the_lead_and_the_question_fold_into_two_expanders():
    at = _header_in_presenter_mode("binary")

    assert [t.value for t in at.title] == ["Binary cross-entropy"]
    assert [e.label for e in at.expander] == [ABOUT_TITLE, QUESTION_TITLE]
    assert [m.value for m in at.expander[0].markdown] == ["The loss of one yes/no prediction."]
    assert len(at.expander[1].radio) == 1  # the page's predict-then-check question
    assert [m.value for m in at.main.markdown if m.value == "The loss of one yes/no prediction."] == [
        "The loss of one yes/no prediction."
    ]  # drawn once, inside its expander


def test_in_presenter_mode_a_page_without_a_question_gets_no_empty_expander():
    at = _header_in_presenter_mode("no_such_page")

    assert [e.label for e in at.expander] == [ABOUT_TITLE]
