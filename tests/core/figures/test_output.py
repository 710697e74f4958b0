"""core.figures.output: a figure adapted to presenter mode and a dark page, and its CSV export."""

import plotly.graph_objects as go
import pytest

from core.figures.engine import VALIDATE_ENV, Draft, fast_path_watch
from core.figures.matrices import matrix_heatmap
from core.figures.output import PROJECTOR_SCALE, PROJECTOR_TICK_SIZE, adapt, figure_csv
from core.figures.style import FONT_SIZE, styled


def test_adapt_for_a_projector_and_a_dark_page(monkeypatch):
    monkeypatch.setenv(VALIDATE_ENV, "1")
    draft = Draft().add_scatter(
        x=[0, 1], y=[0, 1], marker={"size": 10}, line={"width": 2, "color": "#000000"}
    )
    styled(draft, title="t", x_title="x", y_title="y")
    draft.update_layout(legend={"y": -0.2, "yanchor": "top"}, margin={"b": 100})
    draft.add_annotation(x=0, y=0, text="a", bgcolor="rgba(255,255,255,0.85)", font={"color": "#000000"})
    fig = draft.figure()
    big = adapt(fig, projector=True).to_dict()
    assert big["data"][0]["marker"]["size"] == pytest.approx(13.5)
    assert big["layout"]["font"]["size"] == pytest.approx(FONT_SIZE * PROJECTOR_SCALE)
    assert big["layout"]["xaxis"]["tickfont"]["size"] == PROJECTOR_TICK_SIZE
    assert big["layout"]["legend"]["yref"] == "container"
    assert big["layout"]["margin"]["b"] == 150
    assert big["layout"]["height"] > fig.to_dict()["layout"]["height"]
    assert big["data"][0]["line"]["color"] == "#000000"  # colours unchanged on a light page
    dark = adapt(fig, dark=True).to_dict()
    assert dark["data"][0]["line"] == {"width": 2, "color": "#FAFAFA"}
    note = dark["layout"]["annotations"][0]
    assert note["bgcolor"] == "rgba(14,17,23,0.85)"
    assert note["font"]["color"] == "#FAFAFA"
    assert fig.to_dict()["data"][0]["line"]["color"] == "#000000"  # the original is untouched
    go.Figure(big)  # still valid plotly


def test_figure_csv_has_one_row_per_point_and_per_heatmap_cell():
    fig = matrix_heatmap([[1.0, -2.0], [0.5, 0.0]], title="t", row_label="r", col_label="c")
    rows = figure_csv(fig).strip().splitlines()
    assert rows[0] == "series,x,y,z"
    assert len(rows) == 1 + 4
    assert rows[2].endswith(",-2.0")


def test_figure_csv_reads_the_figure_without_leaving_the_fast_path():
    fig = matrix_heatmap([[1.0, -2.0]], title="t", row_label="r", col_label="c")
    built = matrix_heatmap([[1.0, -2.0]], title="t", row_label="r", col_label="c")
    _ = built.layout  # an ordinary go.Figure from here on
    with fast_path_watch() as lost:
        text = figure_csv(fig)
        shown = adapt(fig, projector=True, dark=True)
    assert lost == []
    assert fig.materialised_by is None
    assert shown.materialised_by is None
    assert text == figure_csv(built)  # the same numbers either way
    assert text.splitlines()[1:] == ["heatmap 1,1,1,1.0", "heatmap 1,2,1,-2.0"]
