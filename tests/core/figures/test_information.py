"""Figure builders of the Entropy and KL page (core.figures.information)."""

import numpy as np
import pytest

from core.comparison import smoothing_floor_curve
from core.figures.information import distribution_bars_figure, entropy_kl_bar_figure, smoothing_floor_figure


def test_entropy_kl_bar_stacks_entropy_and_kl_and_labels_the_total():
    fig = entropy_kl_bar_figure(0.5, 0.25, unit="bits")
    h, kl, totals = fig.data
    assert fig.layout.barmode == "stack"
    assert list(h.y) == ["best Q = P", "your Q"]
    assert list(h.x) == [0.5, 0.5]
    assert list(kl.x) == [0.0, 0.25]
    assert list(kl.marker.line.width) == [0, 2]
    assert list(kl.text) == ["KL = 0.0000", "KL = 0.2500"]
    assert list(h.text) == ["H(P) = 0.5000"] * 2
    assert list(totals.text) == ["  H(P, Q) = 0.5000 bits", "  H(P, Q) = 0.7500 bits"]
    assert "bits" in fig.layout.title.text


def test_entropy_kl_bar_with_zero_loss_still_has_a_range():
    fig = entropy_kl_bar_figure(0.0, 0.0, unit="nats")
    assert fig.layout.xaxis.range[1] > 0


def test_distribution_bars_show_p_and_q_in_percent():
    fig = distribution_bars_figure(["Cat", "Dog"], [1.0, 0.0], [0.85, 0.15])
    p, q = fig.data
    assert p.name == "P (truth)"
    assert q.name == "Q (model)"
    assert list(q.text) == ["85.0%", "15.0%"]
    assert list(p.x) == ["Cat", "Dog"]
    assert q.marker.line.width > 0
    assert p.marker.line.width == 0


def test_smoothing_floor_figure_marks_the_current_epsilon():
    eps = np.linspace(0, 0.5, 11)
    floor = smoothing_floor_curve([1.0, 0.0, 0.0], eps)
    fig = smoothing_floor_figure(eps, floor, eps=0.1, floor_at_eps=float(floor[2]), unit="nats", n_classes=3)
    curve, point = fig.data
    np.testing.assert_allclose(np.asarray(curve.y, dtype=float), floor)
    assert list(point.x) == [0.1]
    assert point.y[0] == pytest.approx(floor[2])
    assert "C = 3" in fig.layout.title.text
    assert fig.layout.yaxis.range[0] < 0
