"""Figure builders of the Multi-class logits page (core.figures.multiclass)."""

import json
import math

import numpy as np
import pytest

from core.figures.multiclass import multiclass_bars_figure, multiclass_scrub_frames
from core.figures.scrub import check_frame
from core.figures.style import NEGATIVE, POSITIVE, TRUE_CLASS
from core.formatting import signed
from core.multiclass import multiclass_breakdown, multiclass_sweep
from tests.core.figures._helpers import LABELS, trace_names


def test_multiclass_bars_figure_seed_state():
    b = multiclass_breakdown([3.5, 0.8, 0.2, -0.5], 0)
    fig = multiclass_bars_figure(LABELS, b.probs, b.contributions, b.grad, true_index=0, unit="nats")
    assert trace_names(fig) == ["probability", "loss contribution", "gradient"]
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
    b = multiclass_breakdown(z, n - 1, temperature=0.5, label_smoothing=0.2)
    labels = [f"class {k}" for k in range(n)]
    fig = multiclass_bars_figure(labels, b.probs, b.contributions, b.grad, true_index=n - 1, unit="bits")
    assert len(fig.data[0].y) == n
    assert fig.data[0].y[-1] == f"class {n - 1} (true)"
    assert fig.layout.height == 170 + 44 * n
    assert sum(fig.data[1].x) == pytest.approx(b.loss)
    assert "(bits)" in fig.layout.annotations[1].text


LOGIT_VALUES = [round(-10 + 0.1 * k, 1) for k in range(201)]
T_VALUES = [round(0.1 + 0.1 * k, 1) for k in range(50)]
Z = np.array([3.5, 0.8, 0.2, -0.5])


@pytest.mark.parametrize(
    ("true_index", "vary", "temperature", "eps", "unit"),
    [(0, 0, 1.0, 0.0, "nats"), (2, 2, 0.4, 0.1, "bits"), (0, "temperature", 1.0, 0.0, "nats")],
)
def test_scrub_frames_show_what_core_computes_at_every_value(true_index, vary, temperature, eps, unit):
    values = T_VALUES if vary == "temperature" else LOGIT_VALUES
    s = multiclass_sweep(Z, true_index, vary, values, temperature=temperature, label_smoothing=eps)
    scale = math.log(2) if unit == "bits" else 1.0
    frames = multiclass_scrub_frames(s.probs, s.contributions / scale, s.grad)
    assert frames["traces"] == [0, 1, 2]
    assert len(frames["frames"]) == len(values)
    loss_top, grad_top = float((s.contributions / scale).max()), float(np.abs(s.grad).max())
    for i, value in enumerate(values):
        state, t = Z.copy(), temperature
        if vary == "temperature":
            t = value
        else:
            state[vary] = value
        b = multiclass_breakdown(state, true_index, temperature=t, label_smoothing=eps)
        probs, parts, grads = frames["frames"][i]
        # the numbers core gives at that value, to the digits the bars show
        assert probs["text"] == [f"{100 * v:.1f}%" for v in b.probs]
        assert parts["text"] == [f"{v / scale:.4f}" for v in b.contributions]
        assert grads["text"] == [signed(float(v)) for v in b.grad]
        assert grads["marker"]["color"] == [POSITIVE if v > 0 else NEGATIVE for v in b.grad]
        np.testing.assert_allclose(probs["x"], b.probs, rtol=1e-15)
        np.testing.assert_allclose(grads["x"], b.grad, rtol=1e-15)
        # and exactly what the builder draws there
        fig = multiclass_bars_figure.draft(
            LABELS,
            b.probs,
            b.contributions / scale,
            b.grad,
            true_index=true_index,
            unit=unit,
            loss_top=loss_top,
            grad_top=grad_top,
        )
        check_frame(fig, frames, i)
        assert fig.layout["xaxis2"]["range"][1] >= 1.6 * max(parts["x"])  # the axes hold every frame
        assert fig.layout["xaxis3"]["range"][1] >= 1.8 * max(abs(v) for v in grads["x"])


def test_scrub_frames_are_plain_json_and_reject_mismatched_shapes():
    s = multiclass_sweep(Z, 0, 0, LOGIT_VALUES[:3])
    frames = multiclass_scrub_frames(s.probs, s.contributions, s.grad)
    assert json.loads(json.dumps(frames)) == frames
    with pytest.raises(ValueError, match=r"must be \(n, C\) arrays of one shape; got \(3, 4\), \(4,\)"):
        multiclass_scrub_frames(s.probs, s.contributions[0], s.grad)


def test_fixed_axis_tops_replace_the_states_own():
    b = multiclass_breakdown(Z, 0)
    fig = multiclass_bars_figure(LABELS, b.probs, b.contributions, b.grad, true_index=0, unit="nats")
    fixed = multiclass_bars_figure(
        LABELS, b.probs, b.contributions, b.grad, true_index=0, unit="nats", loss_top=10.0, grad_top=0.5
    )
    assert list(fig.layout.xaxis2.range) == pytest.approx([0, 1.6 * b.loss])
    assert list(fixed.layout.xaxis2.range) == [0, 16.0]
    assert list(fixed.layout.xaxis3.range) == [-0.9, 0.9]
    assert fixed.data == fig.data  # only the axes differ
