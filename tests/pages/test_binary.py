"""The Binary cross-entropy page: probability space and logit space, driven through AppTest."""

import math

import numpy as np
import pytest

from core.figures.scrub import check_frame
from core.formatting import signed
from core.functional import sigmoid
from core.losses import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
)
from tests.pages._apptest import (
    annotation_texts,
    assert_clean,
    chart,
    markdown_text,
    metric,
    open_page,
    open_recording_drags,
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
    """(tail x, head x) of the descent arrow (a two-point line trace)."""
    return tuple(trace(fig, "descent arrow (−∂L/∂p)")["x"])


def _texts(fig) -> list[str]:
    """Every text the chart writes: its traces' texts (labels, readouts) and its annotations."""
    return [text for t in fig["data"] for text in t.get("text") or []] + annotation_texts(fig)


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
    point = trace(fig, "operating point")
    assert point["x"] == [0.7]
    assert point["y"][0] == pytest.approx(-math.log(0.7))
    assert "dL/dp = −1.43" in _texts(fig)
    assert "p = 0.70<br>loss = 0.3567 nats" in _texts(fig)  # the readout names the metrics' numbers
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
    assert f"dL/dp = {expected[2]}" in _texts(fig)
    assert f"p = {expected[0]}<br>loss = {expected[1]} nats" in _texts(fig)
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
    assert f"dL/dz = {signed(s - 1, 3)}" in _texts(fig)  # as the metric writes it
    assert f"p = σ(z) = {s:.4f}<br>loss = {loss:.4f} nats" in trace(fig, "readout")["text"][0]


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


# ---------------------------------------------------------------------------------------------- scrubbing
@pytest.fixture
def dragged(monkeypatch):
    return open_recording_drags(PAGE, monkeypatch)


def _slider_values(at, key):
    """Every value the slider can take, from what the page gave st.slider."""
    slider = at.slider(key=key)
    decimals = len(repr(slider.step).split(".")[1])
    count = round((slider.max - slider.min) / slider.step) + 1
    return [round(slider.min + k * slider.step, decimals) for k in range(count)]


def test_the_probability_chart_follows_a_drag_of_p_with_cores_numbers(dragged):
    at, sent = dragged
    widget, payload = sent["bce_prob_chart"]
    assert widget == "bce_p"
    values = _slider_values(at, "bce_p")
    assert len(values) == 99
    assert payload["values"] == values
    for value, (point, arrow, label, readout) in zip(values, payload["frames"], strict=True):
        loss = float(binary_cross_entropy(value, 1.0))
        grad = float(binary_cross_entropy_grad(value, 1.0))
        assert point == {"x": [value], "y": [pytest.approx(loss, rel=1e-12)]}
        assert arrow["x"][0] == value
        assert np.sign(arrow["x"][1] - value) == -np.sign(grad)
        assert label["text"] == [f"dL/dp = {signed(grad, 2)}"]
        assert readout["text"] == [f"p = {value:.2f}<br>loss = {loss:.4f} nats"]
    # The frame at the slider's value is the chart the page draws there: the drag starts without a jump.
    check_frame(chart(at, 0), payload, values.index(0.7))
    at.slider(key="bce_p").set_value(0.23).run()
    assert_clean(at)
    check_frame(chart(at, 0), sent["bce_prob_chart"][1], values.index(0.23))


def test_the_logit_chart_follows_a_drag_of_z_with_cores_numbers(dragged):
    at, sent = dragged
    widget, payload = sent["bce_logit_chart"]
    assert widget == "bce_z"
    values = _slider_values(at, "bce_z")
    assert len(values) == 321
    assert payload["values"] == values
    for value, (point, gradient, readout, gradient_readout) in zip(values, payload["frames"], strict=True):
        loss = float(binary_cross_entropy_with_logits(value, 1.0))
        grad = float(binary_cross_entropy_with_logits_grad(value, 1.0))
        assert point == {"x": [value], "y": [pytest.approx(loss, rel=1e-12)]}
        assert gradient == {"x": [value], "y": [pytest.approx(grad, rel=1e-12, abs=1e-15)]}
        z_text = f"{value:.2f}".replace("-", "−")
        sigma = float(sigmoid(value))
        assert readout["text"] == [f"z = {z_text}<br>p = σ(z) = {sigma:.4f}<br>loss = {loss:.4f} nats"]
        assert gradient_readout["text"] == [f"dL/dz = {signed(grad, 3)}"]
    check_frame(chart(at, 1), payload, values.index(0.85))


def test_the_frames_follow_the_label_the_unit_and_pos_weight(dragged):
    at, sent = dragged
    at.radio(key="bce_y").set_value(0)
    at.sidebar.radio(key=UNITS_KEY).set_value("bits")
    at.slider(key="bce_pw").set_value(3.0).run()
    assert_clean(at)
    p_frames, z_frames = sent["bce_prob_chart"][1], sent["bce_logit_chart"][1]
    loss = float(binary_cross_entropy(0.7, 0.0)) / math.log(2)
    assert p_frames["frames"][69][3]["text"] == [f"p = 0.70<br>loss = {loss:.4f} bits"]
    check_frame(chart(at, 0), p_frames, 69)
    check_frame(chart(at, 1), z_frames, _slider_values(at, "bce_z").index(0.85))
    z_loss = float(binary_cross_entropy_with_logits(-8.0, 0.0, pos_weight=3.0)) / math.log(2)
    assert z_frames["frames"][0][2]["text"][0].endswith(f"loss = {z_loss:.4f} bits")
