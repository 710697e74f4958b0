"""Figure builders of the Numerical pitfalls page (core.figures.pitfalls)."""

import json

import numpy as np
import pytest

from core.figures.pitfalls import (
    DTYPE_COLORS,
    MARK_AXES,
    clipping_figure,
    gradient_bars_figure,
    naive_vs_stable_figure,
    naive_vs_stable_frames,
)
from core.figures.scrub import check_frame
from core.losses import cross_entropy, cross_entropy_grad
from core.pitfalls import (
    NAIVE_DTYPES,
    bce_on_softmax_grad,
    clipping_comparison,
    naive_and_stable_at,
    naive_cross_entropy,
    naive_scale_sweep,
)
from tests.core.figures._helpers import traces_by_name


@pytest.fixture
def sweeps():
    scales = np.geomspace(0.1, 1e4, 120)
    return [naive_scale_sweep(scales, (1.0, 0.0, -1.0), 1, dt) for dt in NAIVE_DTYPES]


def test_naive_vs_stable_figure_marks_the_chosen_scale(sweeps):
    losses = [(np.inf, 100.0), (100.0, 100.0), (100.0, 100.0)]
    fig = naive_vs_stable_figure(sweeps, point_scale=100.0, point_losses=losses)
    assert len(fig.data) == 3 * 2 + 3 + 1 + 2 + 4
    names = traces_by_name(fig)
    stable, naive = names["log-sum-exp at the marked s"], names["naive at the marked s"]
    assert list(stable.x) == [100.0] * 3
    assert list(stable.y) == [100.0] * 3
    # inf is not drawn
    assert naive.y[0] is None
    assert list(naive.y[1:]) == [100.0, 100.0]
    assert list(naive.customdata) == list(NAIVE_DTYPES)


def test_the_marked_scale_is_a_line_in_each_panel_and_a_label(sweeps):
    """Traces, not shapes and an annotation: a drag of the slider moves them (ui.scrub)."""
    fig = naive_vs_stable_figure(sweeps, point_scale=100.0)
    assert not fig.layout.shapes
    assert not fig.layout.annotations
    names = traces_by_name(fig)
    for name, (xaxis, panel, yaxis) in zip(("marked s", "marked s, panel 2"), MARK_AXES, strict=True):
        line = names[name]
        assert (list(line.x), list(line.y)) == ([100.0, 100.0], [0, 1])
        assert (line.xaxis, line.yaxis) == (xaxis, yaxis)
        axis = fig.layout[f"yaxis{yaxis[1:]}"]  # hidden, 0 to 1 over the panel, drawing no background
        assert (axis.overlaying, list(axis.range), axis.visible) == (panel, [0, 1], False)
    assert list(names["marked s label"].text) == [" s = 100"]
    assert list(names["marked s label, left"].text) == [""]


def test_near_the_right_end_the_label_goes_left_of_the_line(sweeps):
    names = traces_by_name(naive_vs_stable_figure(sweeps, point_scale=5000.0))  # the axis ends at 10⁴
    assert list(names["marked s label"].text) == [""]
    assert list(names["marked s label, left"].text) == ["s = 5000 "]


@pytest.mark.parametrize("target", [0, 1, 2])
def test_naive_vs_stable_frames_are_the_figure_at_every_scale(target):
    """Every frame of a drag is what the figure draws at that scale, from core's losses there."""
    scales_grid = np.geomspace(0.1, 1e4, 400)
    sweeps = [naive_scale_sweep(scales_grid, (1.0, 0.0, -1.0), target, dt) for dt in NAIVE_DTYPES]
    log_scales = [round(-1.0 + 0.1 * k, 1) for k in range(51)]  # the page's slider
    scales = [10**v for v in log_scales]
    losses = [naive_and_stable_at(s, (1.0, 0.0, -1.0), target) for s in scales]
    frames = naive_vs_stable_frames(sweeps, scales, losses)
    names = [t.name for t in naive_vs_stable_figure(sweeps, point_scale=1.0, point_losses=losses[0]).data]
    moving = [names[i] for i in frames["traces"]]
    assert moving == [
        "float16 naive breaks",  # unchanged, so that plotly.js keeps the lower panel drawn during a drag
        "log-sum-exp at the marked s",
        "naive at the marked s",
        "marked s",
        "marked s, panel 2",
        "marked s label",
        "marked s label, left",
    ]
    for index, scale in enumerate(scales):
        fig = naive_vs_stable_figure.draft(sweeps, point_scale=scale, point_losses=losses[index])
        check_frame(fig, frames, index)
        strip, stable, naive, line, lower_line, label, left_label = frames["frames"][index]
        assert strip == {"name": "float16 naive breaks"}
        for k, dtype in enumerate(NAIVE_DTYPES):
            z = (np.array([1.0, 0.0, -1.0]) * scale).astype(dtype)
            # A loss that is not finite or rounds to 0 has no place on the log axis: a gap (None).
            for drawn, value in (
                (stable["y"][k], float(cross_entropy(z, target))),
                (naive["y"][k], float(naive_cross_entropy(z, target))),
            ):
                if np.isfinite(value) and value > 0:
                    assert drawn == pytest.approx(value, rel=1e-12)
                else:
                    assert drawn is None
        assert line["x"] == lower_line["x"] == [scale, scale]
        assert label["text"] + left_label["text"] in ([f" s = {scale:.4g}", ""], ["", f"s = {scale:.4g} "])
    json.dumps(frames, allow_nan=False)  # a gap is None: the frames are JSON


def test_naive_vs_stable_frames_need_one_pair_list_per_scale(sweeps):
    with pytest.raises(ValueError, match="point_losses must hold one"):
        naive_vs_stable_frames(sweeps, [1.0, 2.0], [naive_and_stable_at(1.0)])


def test_naive_vs_stable_figure_has_lines_break_strips_and_break_markers(sweeps):
    fig = naive_vs_stable_figure(sweeps, point_scale=100.0)
    assert len(fig.data) == 3 * 2 + 3 + 1 + 4
    names = traces_by_name(fig)
    stable = names["float32 log-sum-exp"]
    naive = names["float32 naive"]
    np.testing.assert_allclose(np.asarray(stable.y, dtype=float), sweeps[1].stable)
    naive_y = np.asarray(naive.y, dtype=float)
    assert np.isnan(naive_y[sweeps[1].broken]).all()
    strip = names["float32 naive breaks"]
    assert set(strip.y) == {"float32"}
    assert strip.marker.symbol == "x"
    assert strip.text[0] == f"inf from s = {sweeps[1].first_break:.4g} "
    assert float(strip.x[0]) == pytest.approx(sweeps[1].scales[sweeps[1].broken][0])
    assert set(strip.customdata) == {"inf"}
    marks = names["naive breaks here"]
    assert list(marks.x) == pytest.approx([s.first_break for s in sweeps])
    assert marks.marker.color == tuple(DTYPE_COLORS[d] for d in NAIVE_DTYPES)
    assert marks.text[1] == "float32 naive → inf "
    assert fig.layout.xaxis.type == "log"
    assert fig.layout.yaxis.type == "log"
    assert fig.layout.yaxis2.type == "category"


def test_naive_vs_stable_figure_with_no_break_has_empty_strips():
    sweep = naive_scale_sweep([0.1, 1.0], (1.0, 0.0, -1.0), 1, "float64")
    fig = naive_vs_stable_figure([sweep])
    assert len(fig.data[2].x) == 0
    assert len(fig.data[3].x) == 0


@pytest.mark.parametrize("kind", ["loss", "gradient"])
def test_clipping_figure_draws_three_ways_with_the_point(kind):
    grid = np.geomspace(1e-50, 1, 60)
    c = clipping_comparison(grid, eps=1e-7)
    point = clipping_comparison([1e-10], eps=1e-7)
    fig = clipping_figure(c, point=point, kind=kind)
    lines = [t for t in fig.data if t.mode == "lines"]
    assert [t.name for t in lines] == [
        "exact −ln p",
        "clipped, ε = 1e-07",
        "PyTorch BCE (log clamped at −100)",
    ]
    markers = [t for t in fig.data if t.mode == "markers"]
    if kind == "loss":
        assert [float(t.y[0]) for t in markers] == pytest.approx([23.02585, 16.11810, 23.02585], rel=1e-5)
        np.testing.assert_allclose(np.asarray(lines[2].y, dtype=float), c.torch)
    else:
        # the clipped gradient is 0 here: not drawable on the log axis, so only two markers
        assert [float(t.y[0]) for t in markers] == pytest.approx([1e10, 1e10])
        assert fig.layout.yaxis.type == "log"
    assert fig.layout.xaxis.type == "log"
    # the clipped band ends at eps
    assert fig.layout.shapes[-1].type == "rect"
    assert fig.layout.shapes[-1].x1 == 1e-7


def test_clipping_figure_rejects_unknown_kind():
    c = clipping_comparison([0.5])
    with pytest.raises(ValueError, match="kind must be 'loss' or 'gradient'"):
        clipping_figure(c, kind="both")


def test_gradient_bars_label_signs_and_mark_the_true_class():
    ce = cross_entropy_grad([3.5, 0.8, 0.2, -0.5], 0)
    bce = bce_on_softmax_grad([3.5, 0.8, 0.2, -0.5], 0, reduction="sum")
    fig = gradient_bars_figure(["Cat", "Dog", "Bird", "Fish"], {"CE": ce, "BCE": bce}, target=0, title="T")
    assert [t.name for t in fig.data] == ["CE", "BCE"]
    assert list(fig.data[0].x)[0] == "Cat (true)"
    assert list(fig.data[0].text) == ["−0.109", "+0.060", "+0.033", "+0.016"]
    assert fig.data[1].text[0] == "−0.211"
    assert fig.data[1].marker.line.width > 0
    assert fig.data[0].marker.line.width == 0
    assert fig.layout.yaxis.range[0] < -0.211
