"""Figure builders of the Binary cross-entropy page (core.figures.binary)."""

import math

import numpy as np
import pytest

from core.curves import bce_logit_curves, bce_probability_curves
from core.figures.binary import bce_logit_figure, bce_probability_figure
from core.formatting import signed
from core.losses import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
)
from core.units import in_unit
from tests.core.figures._helpers import annotation_texts, trace_names


def _bce_prob_figure(p, y, unit="nats"):
    c = bce_probability_curves()
    loss = in_unit(float(binary_cross_entropy(p, float(y))), unit)
    grad = float(binary_cross_entropy_grad(p, float(y)))
    fig = bce_probability_figure(
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


def _arrow(fig):
    (arrow,) = [a for a in fig.layout.annotations if a.showarrow and a.axref == "x"]
    return arrow


def test_bce_probability_figure_seed_state():
    fig, loss, grad = _bce_prob_figure(0.7, 1)
    assert trace_names(fig) == [
        "y = 1: −log p (true label)",
        "y = 0: −log(1 − p)",
        "p = 0.70: loss 0.3567 nats",
    ]
    pos, neg, point = fig.data
    # the true label's curve stands out
    assert pos.line.width > neg.line.width
    assert neg.opacity < 1
    assert point.x == (0.7,)
    assert point.y[0] == pytest.approx(0.35667494)
    assert "dL/dp = −1.43" in annotation_texts(fig)
    assert "decision boundary p = 0.5" in annotation_texts(fig)
    assert "y = 1: −log p (true label)" in annotation_texts(fig)  # curves are named on the chart
    arrow = _arrow(fig)
    assert arrow.ax == 0.7
    assert arrow.x > 0.7
    assert arrow.y == arrow.ay
    assert arrow.ay == pytest.approx(loss)
    assert fig.layout.shapes[0].x0 == 0.5
    assert fig.layout.shapes[0].x1 == 0.5


@pytest.mark.parametrize("p", [0.01, 0.2, 0.5, 0.8, 0.99])
@pytest.mark.parametrize("y", [0, 1])
def test_bce_probability_figure_arrow_points_downhill_and_stays_inside(p, y):
    fig, _, grad = _bce_prob_figure(p, y)
    arrow = _arrow(fig)
    assert 0 <= arrow.x <= 1
    assert np.sign(arrow.x - arrow.ax) == -np.sign(grad)
    assert f"dL/dp = {signed(grad, 2)}" in annotation_texts(fig)


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
    c = bce_logit_curves(pos_weight=pos_weight)
    z = 0.85
    loss = float(binary_cross_entropy_with_logits(z, float(y), pos_weight=pos_weight))
    grad = float(binary_cross_entropy_with_logits_grad(z, float(y), pos_weight=pos_weight))
    fig = bce_logit_figure(
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
    names = trace_names(fig)
    assert len(fig.data) == 6
    positive = "−3·log σ(z)" if pos_weight == 3 else "−log σ(z)"
    assert names[0] == f"y = 1: {positive}" + (" (true label)" if y == 1 else "")
    assert names[1] == "y = 0: −log(1 − σ(z))" + (" (true label)" if y == 0 else "")
    assert names[3] == "σ(z)"
    assert names[4].startswith(f"dL/dz for y = {y}")
    np.testing.assert_allclose(fig.data[3].y, 1 / (1 + np.exp(-c.z)))
    np.testing.assert_allclose(fig.data[4].y, c.grad_pos if y == 1 else c.grad_neg)
    point = fig.data[5]
    assert point.x == (z,)
    assert point.y == (grad,)
    assert f"dL/dz = {signed(grad, 2)}" in annotation_texts(fig)
    # loss on top, gradient below
    assert fig.data[3].xaxis == "x2"
    assert fig.data[0].xaxis == "x"
    assert fig.layout.yaxis2.range[0] <= min(fig.data[4].y)


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
