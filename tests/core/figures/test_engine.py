"""The figure engine (core.figures.engine): a Draft must equal what plotly's own API builds, and a
finished figure stays on the fast path until the go.Figure API is used on it."""

import gc
import json
import logging
import threading

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from _plotly_utils.utils import PlotlyJSONEncoder, convert_to_base64
from plotly.subplots import make_subplots

from core.figures import engine
from core.figures.engine import (
    VALIDATE_ENV,
    Draft,
    SpecFigure,
    _copy_json,
    fast_path_watch,
    frozen,
    plottable,
    trace_dicts,
)
from core.figures.matrices import matrix_heatmap
from core.figures.style import styled


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
                assert mine["x"] == pytest.approx(ref["x"])
                assert mine["y"] == pytest.approx(ref["y"])
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
        assert mine["type"] == expected["type"]
        assert mine["xaxis"] == expected["xaxis"]
        assert mine["yaxis"] == expected["yaxis"]
    layout, expected = ours["layout"], theirs["layout"]
    assert layout["legend"] == {"x": 0.5, "y": -0.2}
    assert expected["legend"] == {"x": 0.5, "y": -0.2}
    assert layout["yaxis"]["title"] == expected["yaxis"]["title"]
    assert layout["yaxis"]["range"] == list(expected["yaxis"]["range"])
    assert layout["xaxis"]["type"] == "log"
    assert layout["xaxis2"]["type"] == "log"
    assert expected["xaxis2"]["type"] == "log"
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
    monkeypatch.setenv(VALIDATE_ENV, "1")
    draft = Draft().add_scatter(x=[1], y=[1], colour="red")
    with pytest.raises(ValueError, match="colour"):
        draft.figure()
    monkeypatch.setenv(VALIDATE_ENV, "0")
    assert draft.figure().data[0].type == "scatter"  # unchecked in the app: no cost, no error


def test_builder_exposes_its_draft_for_composition():
    draft = matrix_heatmap.draft([[1.0, -1.0]], title="t", row_label="r", col_label="c")
    assert isinstance(draft, Draft)
    fig = matrix_heatmap([[1.0, -1.0]], title="t", row_label="r", col_label="c")
    assert isinstance(fig, go.Figure)
    assert fig.layout.title.text == "t"


def test_spec_figure_serializes_like_plotly_and_builds_its_objects_lazily(monkeypatch):
    monkeypatch.setenv(VALIDATE_ENV, "0")
    x = np.linspace(0, 1, 50)
    draft = Draft().add_scatter(x=x, y=x**2, name="a").add_bar(x=["p", "q"], y=np.array([1, 2]))
    styled(draft, title="t", x_title="x", y_title="y")
    fig = draft.figure()
    assert isinstance(fig, go.Figure)
    assert not fig._built
    ours = fig.to_dict()
    assert not fig._built  # st.plotly_chart needs only to_dict
    reference = go.Figure(draft.figure().to_dict() | {}).to_dict()  # plotly's own serialization
    assert ours["data"][0]["x"] == reference["data"][0]["x"]  # the same typed-array encoding
    assert ours["data"][0]["x"]["dtype"] == "f8"
    assert "bdata" in ours["data"][0]["x"]
    assert ours["layout"]["title"] == reference["layout"]["title"]
    ours["layout"]["title"]["text"] = "changed"  # to_dict hands out a copy
    assert fig.to_dict()["layout"]["title"]["text"] == "t"
    assert fig.data[1].name is None
    assert fig.layout.title.text == "t"
    assert fig._built


def _finished(title="t"):
    draft = Draft().add_scatter(x=np.linspace(0, 1, 5), y=np.zeros(5), name="a")
    return styled(draft, title=title).figure()


def test_typed_figure_serializes_like_the_original_and_hands_out_copies():
    fig = Draft().add_scatter(x=np.arange(5.0), y=np.linspace(0, 1, 5), line={"width": 2}).figure()
    typed = fig.typed()

    assert typed.to_dict() == fig.to_dict()
    assert typed.to_dict()["data"][0]["x"]["bdata"]  # converted once, for plotly.js
    assert typed.typed() is typed
    typed.to_dict()["data"][0]["line"]["width"] = 9
    assert typed.to_dict()["data"][0]["line"]["width"] == 2
    assert typed.materialised_by is None


def test_drawing_a_figure_keeps_it_on_the_fast_path():
    fig = _finished()
    with fast_path_watch() as lost:
        fig.to_dict()
        fig.to_json()
        trace_dicts(fig)
    assert lost == []
    assert fig.materialised_by is None
    assert not fig._built


def test_a_figure_method_on_a_finished_figure_is_recorded_with_its_line(caplog):
    fig = _finished("Loss")
    with fast_path_watch() as lost, caplog.at_level(logging.WARNING, logger="core.figures.engine"):
        fig.update_yaxes(range=[0, 5])
    assert fig.materialised_by.startswith("update_yaxes at tests/core/figures/test_engine.py:")
    assert lost == [f"'Loss': {fig.materialised_by}"]
    assert "left the fast path" in caplog.text
    assert fig.to_dict()["layout"]["yaxis"]["range"] == [0, 5]  # still correct, only slower


def test_reading_a_property_is_recorded_once_under_its_name():
    fig = _finished()
    with fast_path_watch() as lost:
        assert fig.data[0].name == "a"
        assert fig.layout.title.text == "t"  # already built: not recorded again
    assert fig.materialised_by.startswith("data at ")
    assert len(lost) == 1


def test_fast_path_watch_sees_figures_of_other_threads_and_stops_at_the_end_of_its_block():
    # AppTest runs a page's script in a thread of its own.
    inside, outside = _finished("inside"), _finished("outside")
    with fast_path_watch() as lost:
        worker = threading.Thread(target=lambda: inside.layout)
        worker.start()
        worker.join()
    _ = outside.layout
    assert [entry.split(":")[0] for entry in lost] == ["'inside'"]


def test_plottable_turns_inf_and_on_a_log_axis_nonpositive_values_into_gaps():
    linear = plottable([1.0, np.inf, -np.inf, 0.0, -1.0])
    assert np.isnan(linear[1:3]).all()
    assert linear[[0, 3, 4]].tolist() == [1.0, 0.0, -1.0]
    log = plottable([1.0, 0.0, -1.0], log=True)
    assert log[0] == 1.0
    assert np.isnan(log[1:]).all()


@pytest.mark.parametrize(
    "value",
    [
        np.linspace(0, 1, 7),
        np.arange(12.0).reshape(3, 4),
        np.array([[1.0, np.nan], [np.inf, -2.0]]),
        np.arange(5, dtype=np.float32),
        np.array([1, -2, 3]),  # int64 that fits int8
        np.array([1, 40_000]),  # int16 is too small: int32
        np.array([2**40, 1]),  # no smaller type: left to the JSON encoder
        np.array([3, 300], dtype=np.uint64),
        np.arange(6, dtype=np.int32)[::2],  # not contiguous
        np.array([], dtype=np.float64),
        np.array([True, False]),
        np.array(["a", "b"]),
        np.array(["a", 1], dtype=object),
        np.float64(2.5),
        np.int64(3),
        pd.Series([0.5, 1.5]),
        pd.Index([1, 2]),
    ],
    ids=repr,
)
def test_to_dict_encodes_arrays_exactly_as_plotlys_convert_to_base64(value):
    spec = {
        "data": [{"type": "scatter", "x": value, "y": [value, {"z": value}], "marker": {"size": value}}],
        "layout": {"xaxis": {"range": value}, "updatemenus": ({"args": value},)},
    }
    expected = _copy_json(spec)
    convert_to_base64(expected)
    ours = SpecFigure(spec).to_dict()
    assert _json(ours) == _json(expected)
    assert spec["data"][0]["x"] is value  # the figure's own spec is untouched


def _json(spec) -> str:
    return json.dumps(spec, cls=PlotlyJSONEncoder, sort_keys=True)


# ------------------------------------------------------------------------------------------ read-only arrays
def test_frozen_makes_every_array_read_only_and_copies_views():
    base = np.arange(6.0)
    view = base[::2]
    spec = {"data": [{"x": np.arange(3.0), "y": view, "marker": {"size": np.ones(3)}}], "layout": {}}
    assert frozen(spec) is spec
    trace = spec["data"][0]
    for array in (trace["x"], trace["y"], trace["marker"]["size"]):
        assert not array.flags.writeable
        assert array.base is None
    np.testing.assert_array_equal(trace["y"], [0.0, 2.0, 4.0])
    base[0] = 99.0  # the view was replaced by a copy: the figure's array does not follow its old base
    assert trace["y"][0] == 0.0


def test_a_read_only_array_is_encoded_once_while_it_lives(monkeypatch):
    calls = []
    encode = engine._encode_typed
    monkeypatch.setattr(engine, "_encode_typed", lambda arr: calls.append(1) or encode(arr))
    fixed = np.linspace(0.0, 1.0, 50).reshape(5, 10).copy()  # owns its data
    fixed.setflags(write=False)
    first, second = engine._typed_array(fixed), engine._typed_array(fixed)
    expected = {"z": fixed.copy()}
    convert_to_base64(expected)  # plotly's own encoding, in place
    assert first == second == expected["z"]
    assert first is not second  # each caller gets its own dict
    assert len(calls) == 1
    key = id(fixed)
    del fixed
    gc.collect()
    assert key not in engine._typed_once


def test_a_writeable_array_is_encoded_at_every_call():
    changing = np.zeros(4)
    before = engine._typed_array(changing)
    changing[0] = 1.0
    after = engine._typed_array(changing)
    assert before != after
    expected = {"x": changing.copy()}
    convert_to_base64(expected)
    assert after == expected["x"]
