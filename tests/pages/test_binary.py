"""The Binary cross-entropy page: probability space and logit space, driven through AppTest."""

import math

import numpy as np
import pytest

from core.formatting import signed
from core.losses import binary_cross_entropy_with_logits
from tests.pages._apptest import (
    annotation_texts,
    assert_clean,
    chart,
    markdown_text,
    metric,
    open_page,
    trace,
)
from ui.common import UNITS_KEY

PAGE = "pages/binary.py"


@pytest.fixture
def at():
    return open_page(PAGE)


def _prob(at):
    return (metric(at, "Predicted p"), metric(at, "BCE loss (nats)", 0), metric(at, "Gradient ∂L/∂p"))


def _logit(at):
    return (metric(at, "σ(z) = p"), metric(at, "BCE loss (nats)", 1), metric(at, "Gradient ∂L/∂z"))


def _arrow(fig):
    """(tail x, head x) of the descent arrow."""
    arrows = [a for a in fig["layout"]["annotations"] if a.get("showarrow") and a.get("axref") == "x"]
    assert len(arrows) == 1
    return arrows[0]["ax"], arrows[0]["x"]


def test_defaults_show_the_seed_numbers(at):
    assert [t.value for t in at.title] == ["Binary cross-entropy"]
    # Seed: y = 1, p = 0.70 -> loss 0.3567, gradient -1.43 (core.binary_cross_entropy(_grad)).
    assert _prob(at) == ("0.70", "0.3567", "−1.43")
    assert "**Correct side of the boundary but not fully confident.**" in markdown_text(at)
    # Logit space: z = 0.85 -> σ = 0.7006, dL/dz = σ(z) - 1.
    assert _logit(at) == (
        "0.7006",
        f"{math.log1p(math.exp(-0.85)):.4f}",
        f"−{1 - 1 / (1 + math.exp(-0.85)):.3f}",
    )
    assert len(at.latex) == 4


def test_probability_chart_draws_both_curves_the_boundary_point_and_arrow(at):
    fig = chart(at, 0)
    pos = trace(fig, "y = 1: −log p (true label)")
    neg = trace(fig, "y = 0: −log(1 − p)")
    np.testing.assert_allclose(pos["y"], -np.log(pos["x"]), rtol=1e-12)
    np.testing.assert_allclose(neg["y"], -np.log1p(-neg["x"]), rtol=1e-12)
    assert len(pos["x"]) <= 400
    point = trace(fig, "p = 0.70: loss 0.3567 nats")
    assert point["x"] == [0.7]
    assert point["y"][0] == pytest.approx(-math.log(0.7))
    assert "dL/dp = −1.43" in annotation_texts(fig)
    assert "decision boundary p = 0.5" in annotation_texts(fig)
    assert any(s["type"] == "line" and s["x0"] == 0.5 == s["x1"] for s in fig["layout"]["shapes"])
    tail, head = _arrow(fig)
    assert tail == 0.7
    assert head > tail  # descent raises p toward y = 1


def test_label_zero_switches_curve_loss_gradient_and_arrow(at):
    at.radio(key="bce_y").set_value(0).run()
    assert_clean(at)
    assert _prob(at) == ("0.70", f"{-math.log(0.3):.4f}", "+3.33")
    assert "**Wrong side of the decision boundary.**" in markdown_text(at)
    fig = chart(at, 0)
    trace(fig, "y = 0: −log(1 − p) (true label)")
    tail, head = _arrow(fig)
    assert head < tail  # descent lowers p toward y = 0
    # Logit space uses the same label: dL/dz = σ(z) - 0.
    assert metric(at, "Gradient ∂L/∂z") == f"+{1 / (1 + math.exp(-0.85)):.3f}"


@pytest.mark.parametrize(
    ("p", "expected", "sentence"),
    [
        (0.01, ("0.01", "4.6052", "−100.00"), "**Confidently wrong.**"),
        (0.5, ("0.50", "0.6931", "−2.00"), "**On the decision boundary.**"),
        (0.3, ("0.30", "1.2040", "−3.33"), "**Wrong side of the decision boundary.**"),
        (0.99, ("0.99", "0.0101", "−1.01"), "**Confident and right.**"),
    ],
)
def test_p_slider_min_middle_max(at, p, expected, sentence):
    at.slider(key="bce_p").set_value(p).run()
    assert_clean(at)
    assert _prob(at) == expected
    assert sentence in markdown_text(at)
    fig = chart(at, 0)
    assert f"dL/dp = {expected[2]}" in annotation_texts(fig)
    tail, head = _arrow(fig)
    assert tail == p
    assert 0 <= head <= 1
    assert head > tail


@pytest.mark.parametrize(
    ("z", "sentence"),
    [
        (-8.0, "**Confidently wrong.**"),
        (0.0, "**On the decision boundary.**"),
        (8.0, "**Confident and right.**"),
    ],
)
def test_z_slider_min_middle_max(at, z, sentence):
    at.slider(key="bce_z").set_value(z).run()
    assert_clean(at)
    s = 1 / (1 + math.exp(-z))
    loss = float(binary_cross_entropy_with_logits(z, 1.0))
    assert _logit(at) == (f"{s:.4f}", f"{loss:.4f}", signed(s - 1, 3))
    assert sentence in markdown_text(at)
    fig = chart(at, 1)
    point = trace(fig, "dL/dz at z")
    assert point["x"] == [z]
    assert point["y"][0] == pytest.approx(s - 1)
    assert f"dL/dz = {signed(s - 1, 2)}" in annotation_texts(fig)


@pytest.mark.parametrize(
    ("pos_weight", "loss", "grad"),
    [(0.1, "0.0693", "−0.050"), (3.0, "2.0794", "−1.500"), (10.0, "6.9315", "−5.000")],
)
def test_pos_weight_scales_the_positive_term(at, pos_weight, loss, grad):
    at.slider(key="bce_z").set_value(0.0)
    at.slider(key="bce_pw").set_value(pos_weight).run()
    assert_clean(at)
    assert _logit(at) == ("0.5000", loss, grad)  # p_w ln 2 and σ(0) p_w - p_w
    fig = chart(at, 1)
    curve = trace(fig, f"y = 1: −{pos_weight:g}·log σ(z) (true label)")
    np.testing.assert_allclose(curve["y"], pos_weight * np.logaddexp(0, -np.asarray(curve["x"])), rtol=1e-10)
    grad_curve = trace(fig, "dL/dz for y = 1")
    assert min(grad_curve["y"]) == pytest.approx(-pos_weight, rel=1e-3)


def test_the_logit_text_says_pos_weight_lifts_the_bound_of_one_that_the_slider_then_shows(at):
    text = markdown_text(at)
    assert "never larger than 1 in size for the plain loss" in text
    assert "at the slider's end (p_w = 10) it approaches −10" in text
    at.slider(key="bce_z").set_value(-8.0)
    at.slider(key="bce_pw").set_value(10.0).run()
    assert_clean(at)
    grad = float(metric(at, "Gradient ∂L/∂z").replace("−", "-"))
    assert grad < -9.99
    assert "largest size, pos_weight = 10" in markdown_text(at)


@pytest.mark.parametrize(("p", "slope", "logit"), [(0.95, "−1.05", "−0.05"), (0.99, "−1.01", "−0.01")])
def test_a_confident_prediction_says_which_gradient_is_small(at, p, slope, logit):
    at.slider(key="bce_p").set_value(p).run()
    assert_clean(at)
    text = markdown_text(at)
    assert f"the slope dL/dp = {slope} is not small" in text
    assert f"dL/dz = p − y = {logit}" in text
    assert "common slip" in text


def test_pos_weight_does_nothing_for_a_negative_label_and_says_so(at):
    at.radio(key="bce_y").set_value(0)
    at.slider(key="bce_z").set_value(0.0)
    at.slider(key="bce_pw").set_value(5.0).run()
    assert_clean(at)
    assert _logit(at) == ("0.5000", "0.6931", "+0.500")
    assert any("pos_weight changes nothing" in c.value for c in at.caption)


def test_losses_follow_the_sidebar_unit_and_gradients_stay_in_nats(at):
    at.sidebar.radio(key=UNITS_KEY).set_value("bits").run()
    assert_clean(at)
    assert metric(at, "BCE loss (bits)", 0) == f"{-math.log2(0.7):.4f}"
    assert metric(at, "Gradient ∂L/∂p") == "−1.43"
    fig = chart(at, 0)
    assert fig["layout"]["yaxis"]["title"]["text"] == "loss (bits)"
    pos = trace(fig, "y = 1: −log p (true label)")
    np.testing.assert_allclose(pos["y"], -np.log2(pos["x"]), rtol=1e-12)
    assert chart(at, 1)["layout"]["yaxis"]["title"]["text"] == "loss (bits)"
