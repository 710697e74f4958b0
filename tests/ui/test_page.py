"""ui.page: the top of every page."""

from streamlit.testing.v1 import AppTest


def test_page_header_draws_the_title_and_the_lead():
    def page():
        from ui.page import page_header

        page_header("Binary cross-entropy", "The loss of one yes/no prediction.")

    at = AppTest.from_function(page, default_timeout=30).run()

    assert [t.value for t in at.title] == ["Binary cross-entropy"]
    assert [m.value for m in at.markdown] == ["The loss of one yes/no prediction."]
