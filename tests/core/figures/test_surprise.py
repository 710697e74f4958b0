"""Figure builders of the Surprise page (core.figures.surprise)."""

import math

import numpy as np
import pytest

from core.bands import band_intervals
from core.curves import neg_log_curve
from core.figures.style import NEUTRAL, TRUE_CLASS
from core.figures.surprise import neg_log_curve_figure, surprise_game_figure
from core.formatting import signed
from core.information import surprise, surprise_or_inf
from core.losses import binary_cross_entropy_grad
from core.units import in_unit
from tests.core.figures._helpers import LABELS, annotation_texts, trace_names


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
    base = 2 if unit == "bits" else math.e
    grid, curve = neg_log_curve(unit)
    loss = float(surprise(p_true, base=base))
    slope = in_unit(float(binary_cross_entropy_grad(p_true, 1.0)), unit)
    fig = neg_log_curve_figure(
        grid, curve, p_true=p_true, loss_true=loss, slope=slope, unit=unit, bands=band_intervals()
    )
    assert trace_names(fig) == [
        f"loss = −log p ({unit})",
        f"tangent: slope {signed(slope, 2)} {unit} per unit p",
        "guides",
        "you are here",
    ]
    line, tangent, _, point = fig.data
    np.testing.assert_allclose(line.y, curve)
    assert point.x == (p_true,)
    assert point.y == (loss,)
    # The tangent passes through the point with the given slope.
    tx, ty = np.asarray(tangent.x), np.asarray(tangent.y)
    assert (ty[1] - ty[0]) / (tx[1] - tx[0]) == pytest.approx(slope)
    assert ty[0] + slope * (p_true - tx[0]) == pytest.approx(loss)
    texts = annotation_texts(fig)
    assert f"p = {100 * p_true:.1f}%, loss = {loss:.4f} {unit}" in texts
    assert f"slope {signed(slope, 2)}" in texts
    assert "doubtful" in texts
    assert "confidently<br>wrong" in texts
    assert len(fig.layout.shapes) == 4  # one shaded rectangle per band
    assert fig.layout.yaxis.title.text == f"loss ({unit})"
    assert fig.layout.showlegend is False
