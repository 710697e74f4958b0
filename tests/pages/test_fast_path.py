"""Every page draws its figures on the fast path: no figure's plotly object tree is built.

A page that calls a method on a figure (``fig.update_yaxes(...)``) still draws the right chart, only
about 5 ms slower per figure and rerun, so nothing else would notice.  ``core.figures.engine`` records
every figure that leaves the fast path; here every page of ``ui/registry.py`` runs through ``app.py``
under that watch.
"""

import pytest
from streamlit.testing.v1 import AppTest

from core.figures.engine import fast_path_watch
from tests.pages._apptest import open_page
from ui.registry import PAGES

PAGES_WITHOUT_FIGURES = {"pages/home.py"}


@pytest.mark.parametrize("spec", PAGES, ids=lambda spec: spec.url_path)
def test_every_figure_of_the_page_stays_on_the_fast_path(spec):
    with fast_path_watch() as lost:
        at = open_page(spec.path, timeout=30)
    charts = at.get("plotly_chart")
    if spec.path in PAGES_WITHOUT_FIGURES:
        assert not charts
    else:
        assert charts, f"{spec.path} drew no chart: nothing was checked"
    assert lost == [], f"{spec.path}: figures left the fast path: {lost}"


def _page_that_adjusts_its_figure():
    from core.figures.engine import Draft
    from ui.common import show_figure

    fig = Draft().add_scatter(x=[0, 1], y=[1, 0]).update_layout(title_text="adjusted").figure()
    fig.update_yaxes(range=[0, 2])  # what a page must not do: pass the range to the builder instead
    show_figure(fig, key="adjusted", alt="A falling line.")


def test_the_watch_catches_a_page_that_calls_a_method_on_its_figure():
    at = AppTest.from_function(_page_that_adjusts_its_figure, default_timeout=30)
    with fast_path_watch() as lost:
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.get("plotly_chart")) == 1
    assert len(lost) == 1
    assert lost[0].startswith("'adjusted': update_yaxes at ")
