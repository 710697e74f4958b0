"""ui.common helpers, run inside AppTest scripts."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from ui.common import FRIENDLY_ERROR


def test_show_figure_stretches_hides_the_plotly_logo_and_sets_alt():
    def page():
        import plotly.graph_objects as go

        from ui.common import show_figure

        show_figure(go.Figure(go.Scatter(x=[0, 1], y=[1, 0])), key="line", alt="  A falling line.  ")

    at = AppTest.from_function(page, default_timeout=30).run()

    assert not at.exception
    (chart,) = at.main.get("plotly_chart")
    assert chart.proto.alt == "A falling line."
    assert json.loads(chart.proto.config) == {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": "line", "scale": 2},
    }
    (button,) = at.main.get("download_button")
    assert "CSV" in button.proto.label


def _scatter_page():
    import streamlit as st

    from core.figures.engine import Draft
    from ui.common import show_figure
    from ui.frame import PRESENT_KEY

    st.session_state.setdefault(PRESENT_KEY, False)
    fig = Draft().add_scatter(x=[0, 1], y=[1, 0], line={"width": 2, "color": "#000000"}).figure()
    show_figure(fig, key="line", alt="A falling line.")


def _line(at):
    (chart,) = at.main.get("plotly_chart")
    return json.loads(chart.proto.spec)["data"][0]["line"]


def test_presenter_mode_scales_the_chart_and_drops_the_csv_button():
    at = AppTest.from_function(_scatter_page, default_timeout=30).run()
    assert _line(at) == {"width": 2, "color": "#000000"}
    at.session_state["present"] = True
    at.run()
    assert not at.exception
    assert _line(at)["width"] == pytest.approx(2 * 1.35)
    assert not at.main.get("download_button")


def _shared_page():
    import streamlit as st

    from core.figures.engine import Draft
    from ui.common import show_shared_figure
    from ui.frame import PRESENT_KEY

    st.session_state.setdefault(PRESENT_KEY, False)
    builds = st.session_state.setdefault("builds", [])

    def build():
        builds.append(1)
        return Draft().add_scatter(x=[0, 1], y=[1, 0], line={"width": 2, "color": "#000000"}).figure()

    show_shared_figure(build, share=("test-share", 1), key="shared_line", alt="A falling line.")


def test_a_shared_figure_is_built_once_per_process_and_per_presenter_mode():
    first = AppTest.from_function(_shared_page, default_timeout=30).run()
    second = AppTest.from_function(_shared_page, default_timeout=30).run()  # another session
    assert not second.exception
    assert len(first.session_state["builds"]) == 1
    assert second.session_state["builds"] == []
    assert _line(second) == {"width": 2, "color": "#000000"}
    (button,) = second.main.get("download_button")
    assert "CSV" in button.proto.label

    second.session_state["present"] = True
    second.run()
    assert second.session_state["builds"] == [1]  # the projector's figure is another one
    assert _line(second)["width"] == pytest.approx(2 * 1.35)
    assert not second.main.get("download_button")


def test_shared_figures_are_bounded(monkeypatch):
    from ui import common

    monkeypatch.setattr(common, "MAX_SHARED_FIGURES", 3)

    def page():
        from core.figures.engine import Draft
        from ui.common import show_shared_figure

        for k in range(5):
            show_shared_figure(
                lambda k=k: Draft().add_scatter(x=[0, k], y=[1, 0]).figure(),
                share=k,
                key=f"line_{k}",
                alt="A line.",
            )

    at = AppTest.from_function(page, default_timeout=30).run()
    assert not at.exception
    assert len(at.main.get("plotly_chart")) == 5
    assert [key[1] for key in common._shared] == [2, 3, 4]


@pytest.mark.parametrize("alt", ["", "   "])
def test_show_figure_rejects_a_missing_alt_text(alt):
    import plotly.graph_objects as go

    from ui.common import show_figure

    with pytest.raises(ValueError, match="alt must describe the chart for screen readers; got"):
        show_figure(go.Figure(), key="empty", alt=alt)


def test_units_defaults_to_nats_before_the_sidebar_is_drawn():
    def page():
        import streamlit as st

        from ui.common import units

        st.write(units())

    at = AppTest.from_function(page, default_timeout=30).run()

    assert [m.value for m in at.markdown] == ["nats"]


def test_a_failing_page_body_shows_a_friendly_error_not_a_traceback(monkeypatch):
    monkeypatch.delenv("EXPLORER_RAISE_PAGE_ERRORS")

    def page():
        import streamlit as st

        from ui.common import safe_page

        st.write("before")
        with safe_page():
            raise RuntimeError("boom")
        st.write("after")

    at = AppTest.from_function(page, default_timeout=30).run()

    assert not at.exception
    assert [e.value for e in at.error] == [FRIENDLY_ERROR]
    assert "boom" not in str(at.error[0].proto)
    assert [m.value for m in at.markdown] == ["before", "after"]


def test_safe_page_lets_errors_through_in_tests_so_apptest_reports_them():
    def page():
        from ui.common import safe_page

        with safe_page():
            raise RuntimeError("boom")

    at = AppTest.from_function(page, default_timeout=30).run()

    assert [e.value for e in at.exception] == ["boom"]


def test_process_cache_keeps_one_cache_per_page_file_even_for_functions_of_the_same_name():
    from ui.common import process_cache

    made = []
    for page, factor in (("pages/one_test_page.py", 2), ("pages/other_test_page.py", 3)):
        scope = {"process_cache": process_cache, "factor": factor}
        # Streamlit runs every page as "__main__": only the file tells the two `_scaled`s apart.
        code = compile("@process_cache(maxsize=4)\ndef _scaled(x):\n    return factor * x\n", page, "exec")
        exec(code, scope)
        made.append(scope["_scaled"])
    assert [scaled(5) for scaled in made] == [10, 15]
    assert [scaled(5) for scaled in made] == [10, 15]  # served from each page's own cache
