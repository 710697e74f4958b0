"""Figure builders of the Binary cross-entropy page (core.figures.binary)."""

import math

import numpy as np
import pytest

from core.curves import bce_logit_curves, bce_probability_curves
from core.figures.binary import (
    LOGIT_MARKS,
    PROBABILITY_MARKS,
    bce_logit_figure,
    bce_logit_frames,
    bce_probability_figure,
    bce_probability_frames,
)
from core.figures.scrub import check_frame, sweep_frames
from core.formatting import signed
from core.functional import sigmoid
from core.losses import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
)
from core.units import in_unit
from tests.core.figures._helpers import annotation_texts, trace_names, traces_by_name

# Every value of the page's sliders (pages/binary.py): p from 0.01 to 0.99 by 0.01, z from -8 to 8 by 0.05.
P_VALUES = [round(0.01 * k, 2) for k in range(1, 100)]
Z_VALUES = [round(-8 + 0.05 * k, 2) for k in range(321)]


def _bce_prob_figure(p, y, unit="nats", *, draft=False):
    c = bce_probability_curves()
    loss = in_unit(float(binary_cross_entropy(p, float(y))), unit)
    grad = float(binary_cross_entropy_grad(p, float(y)))
    build = bce_probability_figure.draft if draft else bce_probability_figure
    fig = build(
        c.p,
        in_unit(c.loss_pos, unit),
        in_unit(c.loss_neg, unit),
        p=p,
        y=y,
        loss=loss,
        grad=grad,
        unit=unit,
    )
    return fig, loss, grad


def _bce_logit_figure(z, y, unit="nats", pos_weight=1.0, *, draft=False):
    c = bce_logit_curves(pos_weight=pos_weight)
    loss = in_unit(float(binary_cross_entropy_with_logits(z, float(y), pos_weight=pos_weight)), unit)
    grad = float(binary_cross_entropy_with_logits_grad(z, float(y), pos_weight=pos_weight))
    build = bce_logit_figure.draft if draft else bce_logit_figure
    fig = build(
        c.z,
        c.sigma,
        in_unit(c.loss_pos, unit),
        in_unit(c.loss_neg, unit),
        c.grad_pos if y == 1 else c.grad_neg,
        z=z,
        y=y,
        loss=loss,
        grad=grad,
        sigma_z=float(sigmoid(z)),
        pos_weight=pos_weight,
        unit=unit,
    )
    return fig, loss, grad


def _arrow(fig):
    """(tail x, head x) of the descent arrow, a two-point line trace."""
    arrow = traces_by_name(fig)["descent arrow (−∂L/∂p)"]
    assert arrow.y[0] == arrow.y[1]
    return arrow.x


def _texts(fig) -> list[str]:
    """Every text the chart writes: its traces' texts and its annotations."""
    return [text for t in fig.data if t.text is not None for text in t.text] + annotation_texts(fig)


def test_bce_probability_figure_seed_state():
    fig, loss, grad = _bce_prob_figure(0.7, 1)
    assert trace_names(fig) == [
        "y = 1: −log p (true label)",
        "y = 0: −log(1 − p)",
        "operating point",
        "descent arrow (−∂L/∂p)",
        "gradient label",
        "readout",
    ]
    pos, neg, point, arrow, label, readout = fig.data
    # the true label's curve stands out
    assert pos.line.width > neg.line.width
    assert neg.opacity < 1
    assert point.x == (0.7,)
    assert point.y[0] == pytest.approx(0.35667494)
    assert label.text == ("dL/dp = −1.43",)
    assert readout.text == ("p = 0.70<br>loss = 0.3567 nats",)
    assert "decision boundary p = 0.5" in annotation_texts(fig)
    assert "y = 1: −log p (true label)" in annotation_texts(fig)  # curves are named on the chart
    # The arrow: a line from the point, its head an arrow marker along the line (the tail has none).
    assert arrow.x[0] == 0.7
    assert arrow.x[1] > 0.7
    assert arrow.y == (loss, loss)
    assert arrow.marker.symbol == "arrow"
    assert arrow.marker.angleref == "previous"
    assert arrow.marker.size == (0, 18)
    assert label.x[0] == pytest.approx(sum(arrow.x) / 2)  # the label sits above the arrow's middle
    assert fig.layout.shapes[0].x0 == 0.5
    assert fig.layout.shapes[0].x1 == 0.5


@pytest.mark.parametrize("p", [0.01, 0.2, 0.5, 0.8, 0.99])
@pytest.mark.parametrize("y", [0, 1])
def test_bce_probability_figure_arrow_points_downhill_and_stays_inside(p, y):
    fig, _, grad = _bce_prob_figure(p, y)
    tail, head = _arrow(fig)
    assert 0 <= head <= 1
    assert np.sign(head - tail) == -np.sign(grad)
    assert f"dL/dp = {signed(grad, 2)}" in _texts(fig)


def test_bce_probability_arrow_grows_with_the_gradient():
    short = abs(_arrow(_bce_prob_figure(0.9, 1)[0])[1] - 0.9)
    long = abs(_arrow(_bce_prob_figure(0.1, 1)[0])[1] - 0.1)
    assert long > short


@pytest.mark.parametrize(
    ("p", "y", "position"), [(0.01, 0, "top right"), (0.01, 1, "top center"), (0.99, 1, "top left")]
)
def test_bce_probability_gradient_label_leans_away_from_the_edge_it_would_leave(p, y, position):
    label = traces_by_name(_bce_prob_figure(p, y)[0])["gradient label"]
    assert label.textposition == position


def test_bce_probability_figure_in_bits():
    fig, loss, _ = _bce_prob_figure(0.7, 1, unit="bits")
    assert loss == pytest.approx(-math.log2(0.7))
    np.testing.assert_allclose(fig.data[0].y, -np.log2(fig.data[0].x))
    assert fig.layout.yaxis.title.text == "loss (bits)"


@pytest.mark.parametrize(("y", "pos_weight"), [(1, 1.0), (1, 3.0), (0, 1.0), (0, 3.0)])
def test_bce_logit_figure_draws_losses_sigmoid_and_gradient(y, pos_weight):
    c = bce_logit_curves(pos_weight=pos_weight)
    z = 0.85
    fig, loss, grad = _bce_logit_figure(z, y, pos_weight=pos_weight)
    names = trace_names(fig)
    assert len(fig.data) == 8
    positive = "−3·log σ(z)" if pos_weight == 3 else "−log σ(z)"
    assert names[0] == f"y = 1: {positive}" + (" (true label)" if y == 1 else "")
    assert names[1] == "y = 0: −log(1 − σ(z))" + (" (true label)" if y == 0 else "")
    assert names[2] == "operating point"
    assert names[3] == "σ(z)"
    assert names[4].startswith(f"dL/dz for y = {y}")
    assert names[5:] == ["dL/dz at z", "readout", "gradient readout"]
    np.testing.assert_allclose(fig.data[3].y, 1 / (1 + np.exp(-c.z)))
    np.testing.assert_allclose(fig.data[4].y, c.grad_pos if y == 1 else c.grad_neg)
    assert fig.data[2].x == (z,)
    assert fig.data[2].y == (loss,)
    point = fig.data[5]
    assert point.x == (z,)
    assert point.y == (grad,)
    sigma = 1 / (1 + math.exp(-z))
    assert fig.data[6].text == (f"z = 0.85<br>p = σ(z) = {sigma:.4f}<br>loss = {loss:.4f} nats",)
    assert fig.data[7].text == (f"dL/dz = {signed(grad, 3)}",)
    # loss on top, gradient below; the readouts in their panels
    assert fig.data[3].xaxis == "x2"
    assert fig.data[0].xaxis == "x"
    assert [fig.data[6].yaxis, fig.data[7].yaxis] == ["y", "y2"]
    assert fig.layout.yaxis2.range[0] <= min(fig.data[4].y)
    assert (
        tuple(fig.layout.xaxis.range) == tuple(fig.layout.xaxis2.range) == (-8.0, 8.0)
    )  # the curves' extent


def test_bce_logit_figure_fits_the_true_labels_curve_when_pos_weight_is_large():
    c = bce_logit_curves(pos_weight=10.0)
    fig = bce_logit_figure(
        c.z,
        c.sigma,
        c.loss_pos,
        c.loss_neg,
        c.grad_neg,
        z=-8.0,
        y=0,
        loss=0.0003,
        grad=0.0003,
        sigma_z=0.0003,
        pos_weight=10.0,
        unit="nats",
    )
    top = fig.layout.yaxis.range[1]
    assert top == pytest.approx(1.05 * 1.5 * float(np.max(c.loss_neg)))  # not the y = 1 curve's 80 nats
    assert float(np.max(c.loss_pos)) > top
    labels = [a for a in fig.layout.annotations if a.name == "curve label" and a.yref == "y"]
    # both names stay inside the plot
    assert len(labels) == 2
    assert all(a.y <= 0.85 * top for a in labels)
    assert [s.xref for s in fig.layout.shapes] == ["x", "x2"]  # the boundary z = 0 in both panels


# ---------------------------------------------------------------------------------------------- scrubbing
def _probability_frames(y, unit):
    """The frames as the page computes them: core's losses and gradients at every p, at once."""
    p = np.asarray(P_VALUES)
    target = np.full_like(p, float(y))
    losses = in_unit(binary_cross_entropy(p, target, reduction="none"), unit)
    return bce_probability_frames(
        p, losses, binary_cross_entropy_grad(p, target, reduction="none"), unit=unit
    )


def _logit_frames(y, unit, pos_weight):
    z = np.asarray(Z_VALUES)
    target = np.full_like(z, float(y))
    losses = in_unit(
        binary_cross_entropy_with_logits(z, target, pos_weight=pos_weight, reduction="none"), unit
    )
    grads = binary_cross_entropy_with_logits_grad(z, target, pos_weight=pos_weight, reduction="none")
    return bce_logit_frames(z, sigmoid(z), losses, grads, unit=unit)


@pytest.mark.parametrize("unit", ["nats", "bits"])
@pytest.mark.parametrize("y", [0, 1])
def test_bce_probability_frames_are_the_figure_at_every_p(y, unit):
    frames = _probability_frames(y, unit)
    assert frames["traces"] == list(PROBABILITY_MARKS) == [2, 3, 4, 5]
    assert len(frames["frames"]) == len(P_VALUES)
    for index, p in enumerate(P_VALUES):
        fig, loss, grad = _bce_prob_figure(p, y, unit, draft=True)
        check_frame(fig, frames, index)  # exactly what the builder draws from core's numbers at this p
        point, arrow, label, readout = frames["frames"][index]
        assert point == {"x": [p], "y": [loss]}
        assert arrow["x"][0] == p
        assert label["text"] == [f"dL/dp = {signed(grad, 2)}"]
        assert readout["text"] == [f"p = {p:.2f}<br>loss = {loss:.4f} {unit}"]


@pytest.mark.parametrize(("y", "unit", "pos_weight"), [(1, "nats", 1.0), (0, "bits", 1.0), (1, "bits", 4.0)])
def test_bce_logit_frames_are_the_figure_at_every_z(y, unit, pos_weight):
    frames = _logit_frames(y, unit, pos_weight)
    assert frames["traces"] == list(LOGIT_MARKS) == [2, 5, 6, 7]
    assert len(frames["frames"]) == len(Z_VALUES)
    for index, z in enumerate(Z_VALUES):
        fig, loss, grad = _bce_logit_figure(z, y, unit, pos_weight, draft=True)
        check_frame(fig, frames, index)
        point, gradient, readout, gradient_readout = frames["frames"][index]
        assert point == {"x": [z], "y": [loss]}
        assert gradient == {"x": [z], "y": [grad]}
        sigma = float(sigmoid(z))
        assert readout["text"] == [
            f"z = {z:.2f}<br>p = σ(z) = {sigma:.4f}<br>loss = {loss:.4f} {unit}".replace("-", "−")
        ]
        assert gradient_readout["text"] == [f"dL/dz = {signed(grad, 3)}"]


@pytest.mark.parametrize("which", ["probability", "logit"])
def test_nothing_else_moves_with_the_slider(which):
    """The builder drawn at many values changes only the traces the frames move (and no annotation)."""
    if which == "probability":
        frames = sweep_frames(lambda p: _bce_prob_figure(p, 1, draft=True)[0], P_VALUES[::7], name="p")
        assert frames["traces"] == list(PROBABILITY_MARKS)
    else:
        frames = sweep_frames(lambda z: _bce_logit_figure(z, 1, draft=True)[0], Z_VALUES[::20], name="z")
        assert frames["traces"] == list(LOGIT_MARKS)


def test_frames_need_one_number_per_value():
    with pytest.raises(
        ValueError, match=r"losses must have the shape of the slider's values \(2,\); got shape \(1,\)"
    ):
        bce_probability_frames([0.1, 0.2], [1.0], [0.5, 0.5], unit="nats")
    with pytest.raises(ValueError, match="sigmas must be a 1-D sequence"):
        bce_logit_frames([0.0], [[0.5]], [0.7], [-0.5], unit="nats")
