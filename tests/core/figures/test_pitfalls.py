"""Figure builders of the Numerical pitfalls page (core.figures.pitfalls)."""

import numpy as np
import pytest

from core.figures.pitfalls import DTYPE_COLORS, clipping_figure, gradient_bars_figure, naive_vs_stable_figure
from core.losses import cross_entropy_grad
from core.pitfalls import NAIVE_DTYPES, bce_on_softmax_grad, clipping_comparison, naive_scale_sweep
from tests.core.figures._helpers import traces_by_name


@pytest.fixture
def sweeps():
    scales = np.geomspace(0.1, 1e4, 120)
    return [naive_scale_sweep(scales, (1.0, 0.0, -1.0), 1, dt) for dt in NAIVE_DTYPES]


def test_naive_vs_stable_figure_marks_the_chosen_scale(sweeps):
    losses = [(np.inf, 100.0), (100.0, 100.0), (100.0, 100.0)]
    fig = naive_vs_stable_figure(sweeps, point_scale=100.0, point_losses=losses)
    assert len(fig.data) == 3 * 2 + 3 + 1 + 2
    stable, naive = traces_by_name(fig)["log-sum-exp at s = 100"], traces_by_name(fig)["naive at s = 100"]
    assert list(stable.x) == [100.0] * 3
    assert list(stable.y) == [100.0] * 3
    # inf is not drawn
    assert np.isnan(naive.y[0])
    assert list(naive.y[1:]) == [100.0, 100.0]
    assert list(naive.customdata) == list(NAIVE_DTYPES)


def test_naive_vs_stable_figure_has_lines_break_strips_and_break_markers(sweeps):
    fig = naive_vs_stable_figure(sweeps, point_scale=100.0)
    assert len(fig.data) == 3 * 2 + 3 + 1
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
