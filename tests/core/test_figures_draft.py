"""core.figures.Draft: the dict-built figure must equal what plotly's own API builds."""

import numpy as np
import plotly.graph_objects as go
import pytest
from plotly.subplots import make_subplots

from core import figures
from core.figures import Draft


def _layout(fig: go.Figure) -> dict:
    layout = fig.to_dict()["layout"]
    layout.pop("template", None)
    return layout


GRIDS = [
    {"rows": 2, "cols": 1, "shared_xaxes": True, "row_heights": [0.56, 0.44], "vertical_spacing": 0.07},
    {"rows": 2, "cols": 1, "shared_xaxes": True, "row_heights": [0.74, 0.26], "vertical_spacing": 0.06},
    {
        "rows": 1,
        "cols": 3,
        "shared_yaxes": True,
        "horizontal_spacing": 0.07,
        "subplot_titles": ("a", "b", "c"),
    },
    {"rows": 1, "cols": 2, "column_widths": [0.56, 0.44], "horizontal_spacing": 0.1},
    {"rows": 1, "cols": 2, "subplot_titles": ("left", "right"), "shared_yaxes": True},
    {"rows": 2, "cols": 2},
]


@pytest.mark.parametrize("grid", GRIDS)
def test_subplot_grid_equals_make_subplots(grid):
    ours = _layout(Draft(**grid).figure())
    theirs = _layout(make_subplots(**grid))
    assert ours.keys() == theirs.keys()
    for key, axis in theirs.items():
        if key == "annotations":
            for mine, ref in zip(ours[key], axis, strict=True):
                assert mine.keys() == ref.keys()
                assert mine["text"] == ref["text"]
                assert mine["x"] == pytest.approx(ref["x"]) and mine["y"] == pytest.approx(ref["y"])
            continue
        assert ours[key].keys() == axis.keys(), key
        assert ours[key]["domain"] == pytest.approx(axis["domain"]), key
        assert {k: v for k, v in ours[key].items() if k != "domain"} == {
            k: v for k, v in axis.items() if k != "domain"
        }


def test_traces_axis_updates_and_lines_match_plotly():
    x = np.linspace(0, 1, 5)
    draft = Draft(rows=2, cols=1, shared_xaxes=True)
    ref = make_subplots(rows=2, cols=1, shared_xaxes=True)
    for fig in (draft, ref):
        fig.add_scatter(x=x, y=x**2, name="a", row=1, col=1)
        fig.add_bar(x=["p", "q"], y=[1.0, 2.0], name="b", row=2, col=1)
        fig.update_layout(barmode="group", legend={"y": -0.2})
        fig.update_layout(legend={"x": 0.5})
        fig.update_yaxes(title_text="top", range=[0, 2], row=1, col=1)
        fig.update_xaxes(type="log")
        fig.add_vline(x=0.5, line={"dash": "dot"}, row=2, col=1)
    ours, theirs = draft.figure().to_dict(), ref.to_dict()
    for mine, expected in zip(ours["data"], theirs["data"], strict=True):
        assert mine["type"] == expected["type"] and mine["xaxis"] == expected["xaxis"]
        assert mine["yaxis"] == expected["yaxis"]
    layout, expected = ours["layout"], theirs["layout"]
    assert layout["legend"] == expected["legend"] == {"x": 0.5, "y": -0.2}
    assert layout["yaxis"]["title"] == expected["yaxis"]["title"]
    assert layout["yaxis"]["range"] == list(expected["yaxis"]["range"])
    assert layout["xaxis"]["type"] == layout["xaxis2"]["type"] == expected["xaxis2"]["type"] == "log"
    for key in ("type", "x0", "x1", "xref", "y0", "y1", "yref", "line"):
        assert layout["shapes"][0][key] == expected["shapes"][0][key], key


def test_hline_with_label_matches_plotly():
    draft, ref = Draft(), go.Figure()
    for fig in (draft, ref):
        fig.add_scatter(x=[0, 1], y=[0, 1])
        fig.add_hline(y=0.9, line={"width": 2}, annotation_text="target", annotation_position="top left")
    shape, note = draft.layout["shapes"][0], draft.layout["annotations"][0]
    ref_shape, ref_note = ref.layout.shapes[0], ref.layout.annotations[0]
    assert (shape["xref"], shape["yref"], shape["y0"], shape["y1"]) == (
        ref_shape.xref,
        ref_shape.yref,
        ref_shape.y0,
        ref_shape.y1,
    )
    assert (note["text"], note["xanchor"], note["yanchor"], note["x"], note["y"]) == (
        ref_note.text,
        ref_note.xanchor,
        ref_note.yanchor,
        ref_note.x,
        ref_note.y,
    )


def test_magic_underscores_nest():
    draft = Draft()
    draft.update_layout(title_text="t", title_font_size=20, xaxis={"range": [0, 1]})
    draft.update_xaxes(title_text="x")
    assert draft.layout == {
        "title": {"text": "t", "font": {"size": 20}},
        "xaxis": {"range": [0, 1], "title": {"text": "x"}},
    }


def test_validation_catches_an_unknown_property(monkeypatch):
    monkeypatch.setenv(figures.VALIDATE_ENV, "1")
    draft = Draft().add_scatter(x=[1], y=[1], colour="red")
    with pytest.raises(ValueError, match="colour"):
        draft.figure()
    monkeypatch.setenv(figures.VALIDATE_ENV, "0")
    assert draft.figure().data[0].type == "scatter"  # unchecked in the app: no cost, no error


def test_builder_exposes_its_draft_for_composition():
    draft = figures.matrix_heatmap.draft([[1.0, -1.0]], title="t", row_label="r", col_label="c")
    assert isinstance(draft, Draft)
    fig = figures.matrix_heatmap([[1.0, -1.0]], title="t", row_label="r", col_label="c")
    assert isinstance(fig, go.Figure) and fig.layout.title.text == "t"


def test_spec_figure_serializes_like_plotly_and_builds_its_objects_lazily(monkeypatch):
    monkeypatch.setenv(figures.VALIDATE_ENV, "0")
    x = np.linspace(0, 1, 50)
    draft = Draft().add_scatter(x=x, y=x**2, name="a").add_bar(x=["p", "q"], y=np.array([1, 2]))
    figures.styled(draft, title="t", x_title="x", y_title="y")
    fig = draft.figure()
    assert isinstance(fig, go.Figure) and not fig._built
    ours = fig.to_dict()
    assert not fig._built  # st.plotly_chart needs only to_dict
    reference = go.Figure(draft.figure().to_dict() | {}).to_dict()  # plotly's own serialization
    assert ours["data"][0]["x"] == reference["data"][0]["x"]  # the same typed-array encoding
    assert ours["data"][0]["x"]["dtype"] == "f8" and "bdata" in ours["data"][0]["x"]
    assert ours["layout"]["title"] == reference["layout"]["title"]
    ours["layout"]["title"]["text"] = "changed"  # to_dict hands out a copy
    assert fig.to_dict()["layout"]["title"]["text"] == "t"
    assert fig.data[1].name is None and fig.layout.title.text == "t" and fig._built


def test_adapt_for_a_projector_and_a_dark_page(monkeypatch):
    monkeypatch.setenv(figures.VALIDATE_ENV, "1")
    draft = Draft().add_scatter(
        x=[0, 1], y=[0, 1], marker={"size": 10}, line={"width": 2, "color": "#000000"}
    )
    figures.styled(draft, title="t", x_title="x", y_title="y")
    draft.update_layout(legend={"y": -0.2, "yanchor": "top"}, margin={"b": 100})
    draft.add_annotation(x=0, y=0, text="a", bgcolor="rgba(255,255,255,0.85)", font={"color": "#000000"})
    fig = draft.figure()
    big = figures.adapt(fig, projector=True).to_dict()
    assert big["data"][0]["marker"]["size"] == pytest.approx(13.5)
    assert big["layout"]["font"]["size"] == pytest.approx(figures.FONT_SIZE * figures.PROJECTOR_SCALE)
    assert big["layout"]["xaxis"]["tickfont"]["size"] == figures.PROJECTOR_TICK_SIZE
    assert big["layout"]["legend"]["yref"] == "container" and big["layout"]["margin"]["b"] == 150
    assert big["layout"]["height"] > fig.to_dict()["layout"]["height"]
    assert big["data"][0]["line"]["color"] == "#000000"  # colours unchanged on a light page
    dark = figures.adapt(fig, dark=True).to_dict()
    assert dark["data"][0]["line"] == {"width": 2, "color": "#FAFAFA"}
    note = dark["layout"]["annotations"][0]
    assert note["bgcolor"] == "rgba(14,17,23,0.85)" and note["font"]["color"] == "#FAFAFA"
    assert fig.to_dict()["data"][0]["line"]["color"] == "#000000"  # the original is untouched
    go.Figure(big)  # still valid plotly


def test_figure_csv_has_one_row_per_point_and_per_heatmap_cell():
    fig = figures.matrix_heatmap([[1.0, -2.0], [0.5, 0.0]], title="t", row_label="r", col_label="c")
    rows = figures.figure_csv(fig).strip().splitlines()
    assert rows[0] == "series,x,y,z" and len(rows) == 1 + 4
    assert rows[2].endswith(",-2.0")
