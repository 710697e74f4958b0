"""Figure builders of the Entropy and KL page (core.figures.information)."""

import math

import numpy as np
import pytest

from core.comparison import entropy_kl_sweep, smooth_labels, smoothing_floor_curve
from core.figures.information import (
    distribution_bars_figure,
    distribution_frames,
    entropy_kl_bar_figure,
    entropy_kl_frames,
    floor_point_frames,
    smoothing_floor_figure,
)
from core.figures.scrub import check_frame
from core.information import cross_entropy_between, entropy, kl_divergence
from core.proportions import normalise_weights


def test_entropy_kl_bar_stacks_entropy_and_kl_and_labels_the_total():
    fig = entropy_kl_bar_figure(0.5, 0.25, unit="bits")
    h, kl, totals = fig.data
    assert fig.layout.barmode == "stack"
    assert list(h.y) == ["best Q = P", "your Q"]
    assert list(h.x) == [0.5, 0.5]
    assert list(kl.x) == [0.0, 0.25]
    assert list(kl.marker.line.width) == [0, 2]
    assert list(kl.text) == ["", "KL = 0.2500"]  # no segment, no label
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


Q_VALUES = list(range(1, 101))
EPS_VALUES = [round(0.01 * k, 2) for k in range(51)]
NAMES = ["Cat", "Dog", "Bird", "Fish"]


@pytest.mark.parametrize(
    ("p_weights", "vary", "unit"),
    [((100, 0, 0, 0), 0, "nats"), ((60, 25, 10, 5), 0, "bits"), ((100, 0, 0, 0), "label_smoothing", "nats")],
)
def test_split_and_distribution_frames_show_what_core_computes_at_every_value(p_weights, vary, unit):
    base = 2.0 if unit == "bits" else math.e
    q_weights, eps = (85, 10, 3, 2), 0.1
    values = EPS_VALUES if vary == "label_smoothing" else Q_VALUES
    s = entropy_kl_sweep(p_weights, q_weights, eps, vary, values, base=base)
    top = float(s.cross_entropy.max())
    split = entropy_kl_frames(s.entropy, s.kl, unit=unit, top=top)
    dist = distribution_frames(s.p, s.q)
    floor = floor_point_frames(values, s.entropy, unit=unit)
    for i, value in enumerate(values):
        qw, e = list(q_weights), eps
        if vary == "label_smoothing":
            e = value
        else:
            qw[vary] = value
        p, q = smooth_labels(normalise_weights(p_weights), e), normalise_weights(qw)  # core, this one state
        h, kl = float(entropy(p, base=base)), float(kl_divergence(p, q, base=base))
        ce = float(cross_entropy_between(p, q, base=base))
        h_bar, kl_bar, totals = split["frames"][i]
        assert totals["text"] == [f"  H(P, Q) = {h:.4f} {unit}", f"  H(P, Q) = {ce:.4f} {unit}"]
        assert kl_bar["x"] == [0.0, kl]
        assert h_bar["x"] == [h, h]
        assert kl_bar["text"][1] in ("", f"KL = {kl:.4f}")
        assert dist["frames"][i][1]["text"] == [f"{100 * v:.1f}%" for v in q]
        assert dist["frames"][i][0]["y"] == p.tolist()
        # and each frame is exactly what the builders draw at that value
        check_frame(entropy_kl_bar_figure.draft(h, kl, unit=unit, top=top), split, i)
        check_frame(distribution_bars_figure.draft(NAMES, p, q), dist, i)
        if vary == "label_smoothing":
            assert floor["frames"][i][0]["text"] == [f"ε = {value:.2f}: {h:.4f} {unit}"]
            check_frame(
                smoothing_floor_figure.draft(
                    EPS_VALUES, s.entropy, eps=value, floor_at_eps=h, unit=unit, n_classes=4
                ),
                floor,
                i,
            )


def test_a_segment_is_labelled_only_where_it_spans_a_fifth_of_the_axis():
    fig = entropy_kl_bar_figure(0.5, 0.05, unit="nats", top=2.0)  # the axis runs to 3.1
    h, kl, _ = fig.data
    assert list(fig.layout.xaxis.range) == [0, 3.1]
    assert list(h.text) == ["", ""]  # 0.5 < 0.2 · 3.1
    assert list(kl.text) == ["", ""]
    wide = entropy_kl_bar_figure(0.7, 0.65, unit="nats", top=2.0)
    assert list(wide.data[0].text) == ["H(P) = 0.7000"] * 2
    assert list(wide.data[1].text) == ["", "KL = 0.6500"]
    assert all(t.textangle == 0 for t in wide.data[:2])  # never turned on its side to fit


def test_frames_reject_sweeps_of_different_lengths():
    with pytest.raises(ValueError, match="one entry per slider value is expected"):
        entropy_kl_frames([0.1, 0.2], [0.1], unit="nats", top=1.0)
    with pytest.raises(ValueError, match="one entry per slider value is expected"):
        distribution_frames([], [])
