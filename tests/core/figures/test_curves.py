"""core.figures.curves: several curves over one x grid (Loss comparison, Numerical pitfalls)."""

import numpy as np
import pytest

from core.comparison import COMPARISON_LOSSES, comparison_curves, comparison_grid
from core.figures.curves import CURVE_STYLES, curves_figure, curves_point_frames
from core.figures.scrub import check_frame
from core.formatting import number
from tests.core.figures._helpers import traces_by_name


@pytest.fixture
def comparison():
    grid = comparison_grid(50)
    curves = comparison_curves(grid)
    point = comparison_curves([0.7])
    series = {name: curves.grad[name] for name in COMPARISON_LOSSES}
    values = {name: float(point.grad[name][0]) for name in COMPARISON_LOSSES}
    return grid, series, values


def test_curves_figure_draws_one_line_and_one_point_per_series(comparison):
    grid, series, values = comparison
    fig = curves_figure(
        grid,
        series,
        title="T",
        x_title="p",
        y_title="g",
        point_x=0.7,
        point_values=values,
        point_label="p = 0.70",
    )
    lines = [t for t in fig.data if t.mode == "lines"]
    points = [t for t in fig.data if t.mode == "markers"]
    assert [t.name for t in lines] == list(series)
    assert len(points) == 5
    assert [float(t.y[0]) for t in points] == pytest.approx(list(values.values()))
    assert all(float(t.x[0]) == 0.7 for t in points)
    # colour, dash and symbol all differ between series: never colour alone
    assert len({t.line.dash for t in lines}) == 5
    assert len({t.line.color for t in lines}) == 5
    assert len({t.marker.symbol for t in points}) == 5
    assert fig.layout.title.text == "T"
    assert fig.layout.xaxis.title.text == "p"
    assert any(a.text == "p = 0.70" for a in fig.layout.annotations)
    assert len(fig.layout.shapes) == 1
    assert fig.layout.shapes[0].x0 == 0.7


def test_curves_figure_turns_inf_and_nonpositive_log_values_into_gaps():
    fig = curves_figure([1, 2, 3], {"a": [1.0, np.inf, 0.0]}, title="T", x_title="x", y_title="y", y_log=True)
    y = np.asarray(fig.data[0].y, dtype=float)
    assert y[0] == 1
    assert np.isnan(y[1])
    assert np.isnan(y[2])
    assert fig.layout.yaxis.type == "log"


def test_curves_figure_places_log_axis_labels_in_log10_units():
    fig = curves_figure(
        [1e-3, 1.0],
        {"a": [1, 2]},
        title="T",
        x_title="x",
        y_title="y",
        point_x=1e-2,
        point_values={"a": 1.5},
        point_label="here",
        x_log=True,
    )
    label = next(a for a in fig.layout.annotations if a.text == "here")
    assert label.x == pytest.approx(-2)  # annotations on log axes take log10 (plotly.py #2580)
    assert fig.layout.shapes[0].x0 == pytest.approx(1e-2)  # shapes take data units


def test_curves_figure_notes_labels_and_legend_below():
    fig = curves_figure(
        [0, 1],
        {"CE (x)": [0, 1], "MSE": [1, 0]},
        title="T",
        x_title="x",
        y_title="y",
        labels_at=1,
        notes=[(0, -1, "CE → −1")],
        legend_below=True,
    )
    names = traces_by_name(fig)
    assert list(names["curve labels"].text) == ["CE", "MSE"]
    assert list(names["notes"].text) == ["CE → −1"]
    assert fig.layout.legend.y < 0


def test_curves_figure_rejects_too_many_series():
    with pytest.raises(ValueError, match="at most 6 curves"):
        curves_figure(
            [0], {str(i): [0] for i in range(len(CURVE_STYLES) + 1)}, title="T", x_title="x", y_title="y"
        )


def test_curves_figure_takes_its_axis_ranges_and_tick_step(comparison):
    grid, series, values = comparison
    fig = curves_figure(
        grid, series, title="T", x_title="p", y_title="g", x_range=(0, 1), x_dtick=0.2, y_range=(-1.1, 0.2)
    )
    assert list(fig.layout.xaxis.range) == [0, 1]
    assert fig.layout.xaxis.dtick == 0.2
    assert list(fig.layout.yaxis.range) == [-1.1, 0.2]
    default = curves_figure(grid, series, title="T", x_title="p", y_title="g")
    assert default.layout.xaxis.range is None
    assert default.layout.xaxis.dtick is None
    assert default.layout.yaxis.range is None


P_VALUES = [round(0.01 + 0.01 * k, 2) for k in range(99)]


def _point_figure(grid, curves, p, at, **options):
    """The Loss comparison page's loss chart at p (its point from ``at``, core at that p)."""
    return curves_figure.draft(
        grid,
        {name: curves.loss[name] for name in COMPARISON_LOSSES},
        title="T",
        x_title="p",
        y_title="ℓ",
        point_x=p,
        point_values={name: float(at.loss[name][0]) for name in COMPARISON_LOSSES},
        point_label=f"p = {p:.2f}",
        x_range=(0, 1),
        y_range=(0, 5),
        point_traces=True,
        **options,
    )


@pytest.mark.parametrize("readout", [False, True])
def test_point_frames_show_what_core_computes_at_every_p(readout):
    grid = comparison_grid(50)
    curves = comparison_curves(grid)
    sweep = comparison_curves(P_VALUES)
    labels = [f"p = {p:.2f}" for p in P_VALUES]
    frames = curves_point_frames(P_VALUES, sweep.loss, labels, readout=readout)
    n = len(COMPARISON_LOSSES)
    assert frames["traces"] == list(range(n, 2 * n + 2 + readout))
    for i, p in enumerate(P_VALUES):
        at = comparison_curves([p])  # core at this one p
        frame = frames["frames"][i]
        markers, (line, label, *text) = frame[:n], frame[n:]
        assert [m["y"][0] for m in markers] == [float(at.loss[name][0]) for name in COMPARISON_LOSSES]
        assert all(m["x"] == [p] for m in markers)
        assert line == {"x": [p, p]}
        assert label == {"x": [p], "text": [f"p = {p:.2f}"]}
        if readout:
            want = [f"{name}: {number(float(at.loss[name][0]))}" for name in COMPARISON_LOSSES]
            assert text == [{"text": ["<br>".join(want)]}]
        fig = _point_figure(grid, curves, p, at, readout_corner="top right" if readout else None)
        check_frame(fig, frames, i)  # the figure drawn at p is the frame at p


def test_point_traces_draw_the_line_label_and_readout_as_traces_on_the_plots_height():
    grid = comparison_grid(50)
    curves = comparison_curves(grid)
    fig = _point_figure(grid, curves, 0.7, comparison_curves([0.7]), readout_corner="bottom right").figure()
    names = traces_by_name(fig)
    assert not fig.layout.shapes  # nothing a frame could not move
    assert not fig.layout.annotations
    line, label, readout = (
        names["operating point"],
        names["operating point label"],
        names["values at the point"],
    )
    assert (list(line.x), list(line.y), line.yaxis) == ([0.7, 0.7], [0, 1], "y2")
    assert (list(label.text), label.yaxis) == (["p = 0.70"], "y2")
    assert readout.text[0].split("<br>")[0] == "cross_entropy: 0.3567"
    assert (list(readout.x), list(readout.y), readout.textposition) == ([1.0], [0.02], "top left")
    assert list(fig.layout.yaxis2.range) == [0, 1]
    assert fig.layout.yaxis2.overlaying == "y"
    assert fig.layout.yaxis2.visible is False
    assert list(fig.layout.yaxis.range) == [0, 5]  # the data's axis keeps its own range


def test_point_traces_keep_a_marker_where_a_value_cannot_be_drawn():
    fig = curves_figure(
        [1.0, 2.0],
        {"a (x)": [1.0, 2.0], "b": [1.0, 2.0]},
        title="T",
        x_title="x",
        y_title="y",
        point_x=1.5,
        point_values={"a (x)": 1.5, "b": float("inf")},
        point_label="here",
        x_range=(1, 2),
        point_traces=True,
        readout_corner="top left",
    )
    names = traces_by_name(fig)
    assert list(names["b at the point"].y) == [None]
    assert names["values at the point"].text[0] == "a: 1.5000<br>b: —"


def test_point_frames_and_readout_reject_bad_input():
    with pytest.raises(ValueError, match="one entry per value; got lengths 2, 1 and \\[2\\]"):
        curves_point_frames([0.1, 0.2], {"a": [1, 2]}, ["p"])
    with pytest.raises(ValueError, match="readout_corner must be one of"):
        curves_figure(
            [0, 1],
            {"a": [0, 1]},
            title="T",
            x_title="x",
            y_title="y",
            point_x=0.5,
            point_values={"a": 0.5},
            point_traces=True,
            readout_corner="middle",
        )
