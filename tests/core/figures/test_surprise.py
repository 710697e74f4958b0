"""Figure builders of the Surprise page (core.figures.surprise)."""

import math

import numpy as np
import pytest

from core.bands import band_intervals
from core.curves import neg_log_curve
from core.figures.scrub import check_frame, sweep_frames
from core.figures.style import NEUTRAL, TRUE_CLASS
from core.figures.surprise import (
    CURVE_MARKS,
    neg_log_curve_figure,
    neg_log_curve_frames,
    surprise_game_figure,
)
from core.formatting import signed
from core.information import surprise, surprise_or_inf
from core.losses import binary_cross_entropy_grad
from core.units import in_unit
from tests.core.figures._helpers import LABELS, annotation_texts, trace_names

# Every value of the explorer's true-class slider (pages/surprise.py), in %: 0.5, 1.0, ..., 99.0.
EXPLORER_VALUES = [round(0.5 * k, 1) for k in range(1, 199)]


def _curve_figure(p_true, unit, *, draft=False):
    """The -log p chart at p_true, from core's numbers, as the page draws it."""
    base = 2 if unit == "bits" else math.e
    grid, curve = neg_log_curve(unit)
    loss = float(surprise(p_true, base=base))
    slope = in_unit(float(binary_cross_entropy_grad(p_true, 1.0)), unit)
    build = neg_log_curve_figure.draft if draft else neg_log_curve_figure
    fig = build(grid, curve, p_true=p_true, loss_true=loss, slope=slope, unit=unit, bands=band_intervals())
    return fig, loss, slope


def test_surprise_game_figure_shows_truth_prediction_and_surprise_per_answer():
    q = np.array([0.85, 0.10, 0.03, 0.02])
    fig = surprise_game_figure(LABELS, q, 0, surprise_or_inf(q))
    assert trace_names(fig) == ["truth P (one-hot, outline)", "prediction Q", "surprise −log₂ q (bits)"]
    truth, pred, surprise = fig.data
    np.testing.assert_allclose(truth.y, [100, 0, 0, 0])
    np.testing.assert_allclose(pred.y, 100 * q)
    assert list(pred.text) == ["85.0%", "10.0%", "3.0%", "2.0%"]
    np.testing.assert_allclose(surprise.y, -np.log2(q))
    assert list(surprise.text) == ["0.23", "3.32", "5.06", "5.64"]
    assert list(surprise.marker.color) == [TRUE_CLASS] + [NEUTRAL] * 3
    assert list(pred.x) == ["🐱 Cat ✓", "🐶 Dog", "🐦 Bird", "🐟 Fish"]  # the answer is marked in text too
    assert fig.layout.title.text == "The answer is 🐱 Cat"
    assert fig.layout.barmode == "overlay"
    assert fig.layout.yaxis.title.text == "P and Q (%)"
    assert fig.layout.yaxis2.title.text == "surprise (bits)"


def test_surprise_game_figure_draws_an_impossible_answer_as_a_capped_infinite_bar():
    q = np.array([0.0, 0.5, 0.5, 0.0])
    fig = surprise_game_figure(LABELS, q, 0, surprise_or_inf(q))
    surprise = fig.data[2]
    assert list(surprise.text) == ["∞", "1.00", "1.00", "∞"]
    assert np.all(np.isfinite(surprise.y))
    assert surprise.y[0] > 1.0
    assert list(surprise.customdata) == ["∞", "1.0000", "1.0000", "∞"]


@pytest.mark.parametrize("unit", ["nats", "bits"])
@pytest.mark.parametrize("p_true", [0.005, 0.3, 0.7, 0.99])
def test_neg_log_curve_figure_marks_the_point_and_its_tangent(unit, p_true):
    grid, curve = neg_log_curve(unit)
    fig, loss, slope = _curve_figure(p_true, unit)
    assert trace_names(fig) == [
        f"loss = −log p ({unit})",
        f"tangent ({unit} per unit p)",
        "guides",
        "you are here",
        "slope label",
        "readout",
    ]
    line, tangent, guides, point, label, readout = fig.data
    np.testing.assert_allclose(line.y, curve)
    assert point.x == (p_true,)
    assert point.y == (loss,)
    assert guides.x == (p_true, p_true, 0.0)
    assert guides.y == (0.0, loss, loss)
    # The tangent passes through the point with the given slope.
    tx, ty = np.asarray(tangent.x), np.asarray(tangent.y)
    assert (ty[1] - ty[0]) / (tx[1] - tx[0]) == pytest.approx(slope)
    assert ty[0] + slope * (p_true - tx[0]) == pytest.approx(loss)
    # Its label, and the readout: p, the loss and the slope, all in the chart's unit.
    assert label.text == (f"slope {signed(slope, 2)}",)
    assert readout.text == (
        f"p = {100 * p_true:.1f}%, loss = {loss:.4f} {unit}<br>slope {signed(slope, 2)} {unit} per unit p",
    )
    texts = annotation_texts(fig)
    assert "doubtful" in texts
    assert "confidently<br>wrong" in texts
    assert len(fig.layout.shapes) == 4  # one shaded rectangle per band
    assert fig.layout.yaxis.title.text == f"loss ({unit})"
    assert fig.layout.showlegend is False


@pytest.mark.parametrize(("p_true", "x"), [(0.005, 0.0315), (0.3, 0.42), (0.7, 0.8), (0.99, 0.8)])
def test_the_slope_label_starts_at_the_tangents_end_and_stays_inside_the_plot(p_true, x):
    fig, loss, slope = _curve_figure(p_true, "nats")
    label = fig.data[4]
    assert label.x[0] == pytest.approx(x, abs=1e-3)  # at p = 0.005 where the tangent reaches loss 0
    assert label.y[0] == pytest.approx(max(loss + slope * (x - p_true), 0.0), abs=0.01)
    assert label.textposition == "top right"


@pytest.mark.parametrize("unit", ["nats", "bits"])
def test_neg_log_curve_frames_are_the_figure_at_every_p(unit):
    # As the page computes them: core's surprise and slope at every value of the slider, at once.
    p = np.asarray(EXPLORER_VALUES) / 100
    base = 2 if unit == "bits" else math.e
    slopes = in_unit(binary_cross_entropy_grad(p, np.ones_like(p), reduction="none"), unit)
    frames = neg_log_curve_frames(p, surprise(p, base=base), slopes, unit=unit)
    assert frames["traces"] == list(CURVE_MARKS) == [1, 2, 3, 4, 5]
    assert len(frames["frames"]) == len(EXPLORER_VALUES)
    for index, value in enumerate(EXPLORER_VALUES):
        fig, loss, slope = _curve_figure(value / 100, unit, draft=True)
        check_frame(fig, frames, index)  # exactly what the builder draws from core's numbers at this p
        _, _, point, label, readout = frames["frames"][index]
        assert point == {"x": [value / 100], "y": [loss]}
        assert label["text"] == [f"slope {signed(slope, 2)}"]
        assert readout["text"] == [
            f"p = {value:.1f}%, loss = {loss:.4f} {unit}<br>slope {signed(slope, 2)} {unit} per unit p"
        ]


def test_nothing_else_moves_with_the_true_class():
    frames = sweep_frames(lambda v: _curve_figure(v / 100, "bits", draft=True)[0], EXPLORER_VALUES[::9])
    assert frames["traces"] == list(CURVE_MARKS)


def test_neg_log_curve_frames_need_one_number_per_value():
    with pytest.raises(ValueError, match=r"losses must have the shape of p_values \(2,\); got shape \(1,\)"):
        neg_log_curve_frames([0.1, 0.2], [1.0], [0.5, 0.5], unit="nats")
