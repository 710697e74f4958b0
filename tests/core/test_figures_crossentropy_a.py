"""Figure builders of the Surprise, Binary cross-entropy and Multi-class logits pages (core.figures)."""

import math

import numpy as np
import plotly.graph_objects as go
import pytest

import core
from core import figures
from core.figures import NEGATIVE, POSITIVE, TRUE_CLASS

LABELS = ["🐱 Cat", "🐶 Dog", "🐦 Bird", "🐟 Fish"]


def _names(fig: go.Figure) -> list[str]:
    return [t.name for t in fig.data]


def _annotations(fig: go.Figure) -> list[str]:
    return [a.text for a in fig.layout.annotations]


# ---------------------------------------------------------------------------------------------- Surprise
def test_surprise_game_figure_shows_truth_prediction_and_surprise_per_answer():
    q = np.array([0.85, 0.10, 0.03, 0.02])
    fig = figures.surprise_game_figure(LABELS, q, 0, core.surprise_or_inf(q))
    assert _names(fig) == ["truth P (one-hot, outline)", "prediction Q", "surprise −log₂ q (bits)"]
    truth, pred, surprise = fig.data
    np.testing.assert_allclose(truth.y, [100, 0, 0, 0])
    np.testing.assert_allclose(pred.y, 100 * q)
    assert list(pred.text) == ["85.0%", "10.0%", "3.0%", "2.0%"]
    np.testing.assert_allclose(surprise.y, -np.log2(q))
    assert list(surprise.text) == ["0.23", "3.32", "5.06", "5.64"]
    assert list(surprise.marker.color) == [TRUE_CLASS] + [figures.NEUTRAL] * 3
    assert list(pred.x) == ["🐱 Cat ✓", "🐶 Dog", "🐦 Bird", "🐟 Fish"]  # the answer is marked in text too
    assert fig.layout.title.text == "The answer is 🐱 Cat"
    assert fig.layout.barmode == "overlay"
    assert fig.layout.yaxis.title.text == "P and Q (%)" and fig.layout.yaxis2.title.text == "surprise (bits)"


def test_surprise_game_figure_draws_an_impossible_answer_as_a_capped_infinite_bar():
    q = np.array([0.0, 0.5, 0.5, 0.0])
    fig = figures.surprise_game_figure(LABELS, q, 0, core.surprise_or_inf(q))
    surprise = fig.data[2]
    assert list(surprise.text) == ["∞", "1.00", "1.00", "∞"]
    assert np.all(np.isfinite(surprise.y)) and surprise.y[0] > 1.0
    assert list(surprise.customdata) == ["∞", "1.0000", "1.0000", "∞"]


@pytest.mark.parametrize("unit", ["nats", "bits"])
@pytest.mark.parametrize("p_true", [0.005, 0.3, 0.7, 0.99])
def test_neg_log_curve_figure_marks_the_point_and_its_tangent(unit, p_true):
    base = 2 if unit == "bits" else math.e
    grid, curve = core.neg_log_curve(unit)
    loss = float(core.surprise(p_true, base=base))
    slope = core.in_unit(float(core.binary_cross_entropy_grad(p_true, 1.0)), unit)
    fig = figures.neg_log_curve_figure(
        grid, curve, p_true=p_true, loss_true=loss, slope=slope, unit=unit, bands=core.band_intervals()
    )
    assert _names(fig) == [
        f"loss = −log p ({unit})",
        f"tangent: slope {figures.signed_label(slope, 2)} {unit} per unit p",
        "guides",
        "you are here",
    ]
    line, tangent, _, point = fig.data
    np.testing.assert_allclose(line.y, curve)
    assert point.x == (p_true,) and point.y == (loss,)
    # The tangent passes through the point with the given slope.
    tx, ty = np.asarray(tangent.x), np.asarray(tangent.y)
    assert (ty[1] - ty[0]) / (tx[1] - tx[0]) == pytest.approx(slope)
    assert ty[0] + slope * (p_true - tx[0]) == pytest.approx(loss)
    texts = _annotations(fig)
    assert f"p = {100 * p_true:.1f}%, loss = {loss:.4f} {unit}" in texts
    assert f"slope {figures.signed_label(slope, 2)}" in texts
    assert "doubtful" in texts and "confidently<br>wrong" in texts
    assert len(fig.layout.shapes) == 4  # one shaded rectangle per band
    assert fig.layout.yaxis.title.text == f"loss ({unit})"
    assert fig.layout.showlegend is False


# ----------------------------------------------------------------------------------- Binary cross-entropy
def _bce_prob_figure(p, y, unit="nats"):
    c = core.bce_probability_curves()
    loss = core.in_unit(float(core.binary_cross_entropy(p, float(y))), unit)
    grad = float(core.binary_cross_entropy_grad(p, float(y)))
    fig = figures.bce_probability_figure(
        c.p,
        core.in_unit(c.loss_pos, unit),
        core.in_unit(c.loss_neg, unit),
        p=p,
        y=y,
        loss=loss,
        grad=grad,
        unit=unit,
    )
    return fig, loss, grad


def _arrow(fig):
    (arrow,) = [a for a in fig.layout.annotations if a.showarrow and a.axref == "x"]
    return arrow


def test_bce_probability_figure_seed_state():
    fig, loss, grad = _bce_prob_figure(0.7, 1)
    assert _names(fig) == ["y = 1: −log p (true label)", "y = 0: −log(1 − p)", "p = 0.70: loss 0.3567 nats"]
    pos, neg, point = fig.data
    assert pos.line.width > neg.line.width and neg.opacity < 1  # the true label's curve stands out
    assert point.x == (0.7,) and point.y[0] == pytest.approx(0.35667494)
    assert "dL/dp = −1.43" in _annotations(fig)
    assert "decision boundary p = 0.5" in _annotations(fig)
    assert "y = 1: −log p (true label)" in _annotations(fig)  # curves are named on the chart
    arrow = _arrow(fig)
    assert arrow.ax == 0.7 and arrow.x > 0.7 and arrow.y == arrow.ay == pytest.approx(loss)
    assert fig.layout.shapes[0].x0 == fig.layout.shapes[0].x1 == 0.5


@pytest.mark.parametrize("p", [0.01, 0.2, 0.5, 0.8, 0.99])
@pytest.mark.parametrize("y", [0, 1])
def test_bce_probability_figure_arrow_points_downhill_and_stays_inside(p, y):
    fig, _, grad = _bce_prob_figure(p, y)
    arrow = _arrow(fig)
    assert 0 <= arrow.x <= 1
    assert np.sign(arrow.x - arrow.ax) == -np.sign(grad)
    assert f"dL/dp = {figures.signed_label(grad, 2)}" in _annotations(fig)


def test_bce_probability_arrow_grows_with_the_gradient():
    short = abs(_arrow(_bce_prob_figure(0.9, 1)[0]).x - 0.9)
    long = abs(_arrow(_bce_prob_figure(0.1, 1)[0]).x - 0.1)
    assert long > short


def test_bce_probability_figure_in_bits():
    fig, loss, _ = _bce_prob_figure(0.7, 1, unit="bits")
    assert loss == pytest.approx(-math.log2(0.7))
    np.testing.assert_allclose(fig.data[0].y, -np.log2(fig.data[0].x))
    assert fig.layout.yaxis.title.text == "loss (bits)"


@pytest.mark.parametrize(("y", "pos_weight"), [(1, 1.0), (1, 3.0), (0, 1.0), (0, 3.0)])
def test_bce_logit_figure_draws_losses_sigmoid_and_gradient(y, pos_weight):
    c = core.bce_logit_curves(pos_weight=pos_weight)
    z = 0.85
    loss = float(core.binary_cross_entropy_with_logits(z, float(y), pos_weight=pos_weight))
    grad = float(core.binary_cross_entropy_with_logits_grad(z, float(y), pos_weight=pos_weight))
    fig = figures.bce_logit_figure(
        c.z,
        c.sigma,
        c.loss_pos,
        c.loss_neg,
        c.grad_pos if y == 1 else c.grad_neg,
        z=z,
        y=y,
        loss=loss,
        grad=grad,
        pos_weight=pos_weight,
        unit="nats",
    )
    names = _names(fig)
    assert len(fig.data) == 6
    positive = "−3·log σ(z)" if pos_weight == 3 else "−log σ(z)"
    assert names[0] == f"y = 1: {positive}" + (" (true label)" if y == 1 else "")
    assert names[1] == "y = 0: −log(1 − σ(z))" + (" (true label)" if y == 0 else "")
    assert names[3] == "σ(z)"
    assert names[4].startswith(f"dL/dz for y = {y}")
    np.testing.assert_allclose(fig.data[3].y, 1 / (1 + np.exp(-c.z)))
    np.testing.assert_allclose(fig.data[4].y, c.grad_pos if y == 1 else c.grad_neg)
    point = fig.data[5]
    assert point.x == (z,) and point.y == (grad,)
    assert f"dL/dz = {figures.signed_label(grad, 2)}" in _annotations(fig)
    assert fig.data[3].xaxis == "x2" and fig.data[0].xaxis == "x"  # loss on top, gradient below
    assert fig.layout.yaxis2.range[0] <= min(fig.data[4].y)


# ------------------------------------------------------------------------------------ Multi-class logits
def test_multiclass_bars_figure_seed_state():
    b = core.multiclass_breakdown([3.5, 0.8, 0.2, -0.5], 0)
    fig = figures.multiclass_bars_figure(LABELS, b.probs, b.contributions, b.grad, true_index=0, unit="nats")
    assert _names(fig) == ["probability", "loss contribution", "gradient"]
    probs, parts, grads = fig.data
    assert list(probs.y) == ["🐱 Cat (true)", "🐶 Dog", "🐦 Bird", "🐟 Fish"]
    assert all(t.orientation == "h" for t in fig.data)
    assert list(probs.text) == ["89.1%", "6.0%", "3.3%", "1.6%"]
    assert probs.marker.color[0] == TRUE_CLASS
    assert list(parts.text) == ["0.1155", "0.0000", "0.0000", "0.0000"]
    assert list(grads.text) == ["−0.109", "+0.060", "+0.033", "+0.016"]
    assert list(grads.marker.color) == [NEGATIVE, POSITIVE, POSITIVE, POSITIVE]
    assert list(grads.marker.pattern.shape) == ["/", "", "", ""]  # sign by pattern too, not colour alone
    assert fig.layout.xaxis3.range[0] < -0.109 < 0.06 < fig.layout.xaxis3.range[1]
    assert [a.text for a in fig.layout.annotations] == [
        "probability p",
        "loss part −y′ log p (nats)",
        "gradient ∂L/∂z",
    ]


@pytest.mark.parametrize("n", [2, 10])
def test_multiclass_bars_figure_height_grows_with_the_classes(n):
    z = np.linspace(-2, 2, n)
    b = core.multiclass_breakdown(z, n - 1, temperature=0.5, label_smoothing=0.2)
    labels = [f"class {k}" for k in range(n)]
    fig = figures.multiclass_bars_figure(
        labels, b.probs, b.contributions, b.grad, true_index=n - 1, unit="bits"
    )
    assert len(fig.data[0].y) == n and fig.data[0].y[-1] == f"class {n - 1} (true)"
    assert fig.layout.height == 170 + 44 * n
    assert sum(fig.data[1].x) == pytest.approx(b.loss)
    assert "(bits)" in fig.layout.annotations[1].text


def test_bce_logit_figure_fits_the_true_labels_curve_when_pos_weight_is_large():
    c = core.bce_logit_curves(pos_weight=10.0)
    fig = figures.bce_logit_figure(
        c.z,
        c.sigma,
        c.loss_pos,
        c.loss_neg,
        c.grad_neg,
        z=-8.0,
        y=0,
        loss=0.0003,
        grad=0.0003,
        pos_weight=10.0,
        unit="nats",
    )
    top = fig.layout.yaxis.range[1]
    assert top == pytest.approx(1.05 * 1.5 * float(np.max(c.loss_neg)))  # not the y = 1 curve's 80 nats
    assert float(np.max(c.loss_pos)) > top
    labels = [a for a in fig.layout.annotations if a.name == "curve label" and a.yref == "y"]
    assert len(labels) == 2 and all(a.y <= 0.85 * top for a in labels)  # both names stay inside the plot
    assert [s.xref for s in fig.layout.shapes] == ["x", "x2"]  # the boundary z = 0 in both panels


def test_hatched_bars_keep_their_colour_under_any_template():
    # Plotly's default fillmode "replace" would draw white hatching on a transparent bar: invisible.
    q = np.array([0.85, 0.10, 0.03, 0.02])
    game = figures.surprise_game_figure(LABELS, q, 0, core.surprise_or_inf(q))
    b = core.multiclass_breakdown([3.5, 0.8, 0.2, -0.5], 0)
    bars = figures.multiclass_bars_figure(LABELS, b.probs, b.contributions, b.grad, true_index=0, unit="nats")
    for pattern in (game.data[1].marker.pattern, bars.data[2].marker.pattern):
        assert pattern.fillmode == "overlay" and pattern.fgcolor == "white"
