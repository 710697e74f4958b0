"""Figure builders of the Loss comparison, Entropy and KL and Numerical pitfalls pages."""

import numpy as np
import plotly.graph_objects as go
import pytest

import core
from core.figures import (
    CURVE_STYLES,
    DTYPE_COLORS,
    clipping_figure,
    curves_figure,
    distribution_bars_figure,
    entropy_kl_bar_figure,
    gradient_bars_figure,
    imbalance_share_figure,
    naive_vs_stable_figure,
    smoothing_floor_figure,
)


def by_name(fig: go.Figure) -> dict:
    return {trace.name: trace for trace in fig.data}


# ------------------------------------------------------------------------------------------- curves
@pytest.fixture
def comparison():
    grid = core.comparison_grid(50)
    curves = core.comparison_curves(grid)
    point = core.comparison_curves([0.7])
    series = {name: curves.grad[name] for name in core.COMPARISON_LOSSES}
    values = {name: float(point.grad[name][0]) for name in core.COMPARISON_LOSSES}
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
    assert len({t.line.dash for t in lines}) == 5 and len({t.line.color for t in lines}) == 5
    assert len({t.marker.symbol for t in points}) == 5
    assert fig.layout.title.text == "T" and fig.layout.xaxis.title.text == "p"
    assert any(a.text == "p = 0.70" for a in fig.layout.annotations)
    assert len(fig.layout.shapes) == 1 and fig.layout.shapes[0].x0 == 0.7


def test_curves_figure_turns_inf_and_nonpositive_log_values_into_gaps():
    fig = curves_figure([1, 2, 3], {"a": [1.0, np.inf, 0.0]}, title="T", x_title="x", y_title="y", y_log=True)
    y = np.asarray(fig.data[0].y, dtype=float)
    assert y[0] == 1 and np.isnan(y[1]) and np.isnan(y[2])
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
    names = by_name(fig)
    assert list(names["curve labels"].text) == ["CE", "MSE"]
    assert list(names["notes"].text) == ["CE → −1"]
    assert fig.layout.legend.y < 0


def test_curves_figure_rejects_too_many_series():
    with pytest.raises(ValueError, match="at most 6 curves"):
        curves_figure(
            [0], {str(i): [0] for i in range(len(CURVE_STYLES) + 1)}, title="T", x_title="x", y_title="y"
        )


# ---------------------------------------------------------------------------------------- imbalance
def test_imbalance_share_figure_groups_percentages_by_class():
    shares = core.imbalance_shares(*core.imbalance_dataset(), gamma=2.0)
    fig = imbalance_share_figure(
        ["plain", "weighted", "focal"], ["major", "minor"], shares.loss_share, shares.grad_share
    )
    assert len(fig.data) == 4 and all(t.type == "bar" for t in fig.data)
    minor_loss = fig.data[1]
    assert minor_loss.name == "minor" and list(minor_loss.x) == ["plain", "weighted", "focal"]
    np.testing.assert_allclose(np.asarray(minor_loss.y, dtype=float), 100 * shares.loss_share[:, 1])
    assert minor_loss.text[0] == f"{100 * shares.loss_share[0, 1]:.1f}%"
    # the minority is outlined, so the classes differ by more than colour (and no fill patterns are used)
    assert minor_loss.marker.line.width > 0 and fig.data[0].marker.line.width == 0
    assert all(t.marker.pattern.shape is None for t in fig.data)
    np.testing.assert_allclose(np.asarray(fig.data[3].y, dtype=float), 100 * shares.grad_share[:, 1])
    assert [t.showlegend for t in fig.data] == [True, True, False, False]
    assert fig.layout.barmode == "group"


# ---------------------------------------------------------------------------------------- entropy, KL
def test_entropy_kl_bar_stacks_entropy_and_kl_and_labels_the_total():
    fig = entropy_kl_bar_figure(0.5, 0.25, unit="bits")
    h, kl, totals = fig.data
    assert fig.layout.barmode == "stack"
    assert list(h.y) == ["best Q = P", "your Q"] and list(h.x) == [0.5, 0.5]
    assert list(kl.x) == [0.0, 0.25] and list(kl.marker.line.width) == [0, 2]
    assert list(kl.text) == ["KL = 0.0000", "KL = 0.2500"] and list(h.text) == ["H(P) = 0.5000"] * 2
    assert list(totals.text) == ["  H(P, Q) = 0.5000 bits", "  H(P, Q) = 0.7500 bits"]
    assert "bits" in fig.layout.title.text


def test_entropy_kl_bar_with_zero_loss_still_has_a_range():
    fig = entropy_kl_bar_figure(0.0, 0.0, unit="nats")
    assert fig.layout.xaxis.range[1] > 0


def test_distribution_bars_show_p_and_q_in_percent():
    fig = distribution_bars_figure(["Cat", "Dog"], [1.0, 0.0], [0.85, 0.15])
    p, q = fig.data
    assert p.name == "P (truth)" and q.name == "Q (model)"
    assert list(q.text) == ["85.0%", "15.0%"] and list(p.x) == ["Cat", "Dog"]
    assert q.marker.line.width > 0 and p.marker.line.width == 0


def test_smoothing_floor_figure_marks_the_current_epsilon():
    eps = np.linspace(0, 0.5, 11)
    floor = core.smoothing_floor_curve([1.0, 0.0, 0.0], eps)
    fig = smoothing_floor_figure(eps, floor, eps=0.1, floor_at_eps=float(floor[2]), unit="nats", n_classes=3)
    curve, point = fig.data
    np.testing.assert_allclose(np.asarray(curve.y, dtype=float), floor)
    assert list(point.x) == [0.1] and point.y[0] == pytest.approx(floor[2])
    assert "C = 3" in fig.layout.title.text and fig.layout.yaxis.range[0] < 0


# ------------------------------------------------------------------------------------------ pitfalls
@pytest.fixture
def sweeps():
    scales = np.geomspace(0.1, 1e4, 120)
    return [core.naive_scale_sweep(scales, (1.0, 0.0, -1.0), 1, dt) for dt in core.NAIVE_DTYPES]


def test_naive_vs_stable_figure_marks_the_chosen_scale(sweeps):
    losses = [(np.inf, 100.0), (100.0, 100.0), (100.0, 100.0)]
    fig = naive_vs_stable_figure(sweeps, point_scale=100.0, point_losses=losses)
    assert len(fig.data) == 3 * 2 + 3 + 1 + 2
    stable, naive = by_name(fig)["log-sum-exp at s = 100"], by_name(fig)["naive at s = 100"]
    assert list(stable.x) == [100.0] * 3 and list(stable.y) == [100.0] * 3
    assert np.isnan(naive.y[0]) and list(naive.y[1:]) == [100.0, 100.0]  # inf is not drawn
    assert list(naive.customdata) == list(core.NAIVE_DTYPES)


def test_naive_vs_stable_figure_has_lines_break_strips_and_break_markers(sweeps):
    fig = naive_vs_stable_figure(sweeps, point_scale=100.0)
    assert len(fig.data) == 3 * 2 + 3 + 1
    names = by_name(fig)
    stable = names["float32 log-sum-exp"]
    naive = names["float32 naive"]
    np.testing.assert_allclose(np.asarray(stable.y, dtype=float), sweeps[1].stable)
    naive_y = np.asarray(naive.y, dtype=float)
    assert np.isnan(naive_y[sweeps[1].broken]).all()
    strip = names["float32 naive breaks"]
    assert set(strip.y) == {"float32"} and strip.marker.symbol == "x"
    assert strip.text[0] == f"inf from s = {sweeps[1].first_break:.4g} "
    assert float(strip.x[0]) == pytest.approx(sweeps[1].scales[sweeps[1].broken][0])
    assert set(strip.customdata) == {"inf"}
    marks = names["naive breaks here"]
    assert list(marks.x) == pytest.approx([s.first_break for s in sweeps])
    assert marks.marker.color == tuple(DTYPE_COLORS[d] for d in core.NAIVE_DTYPES)
    assert marks.text[1] == "float32 naive → inf "
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"
    assert fig.layout.yaxis2.type == "category"


def test_naive_vs_stable_figure_with_no_break_has_empty_strips():
    sweep = core.naive_scale_sweep([0.1, 1.0], (1.0, 0.0, -1.0), 1, "float64")
    fig = naive_vs_stable_figure([sweep])
    assert len(fig.data[2].x) == 0
    assert len(fig.data[3].x) == 0


@pytest.mark.parametrize("kind", ["loss", "gradient"])
def test_clipping_figure_draws_three_ways_with_the_point(kind):
    grid = np.geomspace(1e-50, 1, 60)
    c = core.clipping_comparison(grid, eps=1e-7)
    point = core.clipping_comparison([1e-10], eps=1e-7)
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
    assert (
        fig.layout.shapes[-1].type == "rect" and fig.layout.shapes[-1].x1 == 1e-7
    )  # the clipped band ends at eps


def test_clipping_figure_rejects_unknown_kind():
    c = core.clipping_comparison([0.5])
    with pytest.raises(ValueError, match="kind must be 'loss' or 'gradient'"):
        clipping_figure(c, kind="both")


def test_gradient_bars_label_signs_and_mark_the_true_class():
    ce = core.cross_entropy_grad([3.5, 0.8, 0.2, -0.5], 0)
    bce = core.bce_on_softmax_grad([3.5, 0.8, 0.2, -0.5], 0, reduction="sum")
    fig = gradient_bars_figure(["Cat", "Dog", "Bird", "Fish"], {"CE": ce, "BCE": bce}, target=0, title="T")
    assert [t.name for t in fig.data] == ["CE", "BCE"]
    assert list(fig.data[0].x)[0] == "Cat (true)"
    assert list(fig.data[0].text) == ["−0.109", "+0.060", "+0.033", "+0.016"]
    assert fig.data[1].text[0] == "−0.211"
    assert fig.data[1].marker.line.width > 0 and fig.data[0].marker.line.width == 0
    assert fig.layout.yaxis.range[0] < -0.211
