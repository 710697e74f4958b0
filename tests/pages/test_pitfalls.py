"""The Numerical pitfalls page through AppTest: every widget at its minimum, maximum and a middle value."""

import math

import numpy as np
import pytest

from core.figures.scrub import check_frame
from core.formatting import signed, significant
from core.functional import softmax
from core.losses import binary_cross_entropy_with_logits_grad, cross_entropy
from core.pitfalls import (
    bce_on_softmax,
    bce_on_softmax_grad,
    clipping_comparison,
    mse_on_sigmoid,
    mse_on_sigmoid_grad,
)
from tests.pages._apptest import (
    charts,
    dataframe,
    metric,
    open_page,
    open_recording_drags,
    rerun,
    text,
    trace,
    values,
)

PAGE = "pages/pitfalls.py"
SEED_LOGITS = [3.5, 0.8, 0.2, -0.5]


@pytest.fixture
def at():
    return open_page(PAGE)


def breaks_table(at):
    return dataframe(at, 0).set_index("dtype")


# ---------------------------------------------------------------------------------- 1. naive vs stable
def test_defaults_break_float16_float32_float64_in_order(at):
    assert [t.value for t in at.title] == ["Numerical pitfalls"]
    table = breaks_table(at)
    assert list(table.index) == ["float16", "float32", "float64"]
    assert list(table["exp overflows above"]) == ["11.0899", "88.7228", "709.7827"]
    # the smallest logit: p = e^-2s underflows (float32: 2s > 150 ln 2) before exp(s) overflows
    assert list(table["naive breaks from s ="]) == ["8.6680", "51.9860", "372.5666"]
    assert list(table["naive gives"]) == ["inf", "inf", "inf"]
    assert list(table["naive at s = 100"]) == ["+inf", "+inf", "200"]
    assert list(table["stable at s = 100"]) == ["200", "200", "200"]
    assert "**underflows** to 0" in text(at)


def test_naive_chart_marks_the_breaks_with_crosses(at):
    fig = charts(at)[0]
    for dtype, first in (("float16", 8.668), ("float32", 51.986), ("float64", 372.567)):
        strip = trace(fig, f"{dtype} naive breaks")
        assert strip["marker"]["symbol"] == "x"
        assert strip["text"][0] == f"inf from s = {first:.4g} "
        naive = values(trace(fig, f"{dtype} naive")["y"])
        scales = values(trace(fig, f"{dtype} naive")["x"])
        assert np.isnan(naive[scales > first]).all()
        assert np.isfinite(naive[scales < first * 0.99]).all()
        stable = values(trace(fig, f"{dtype} log-sum-exp")["y"])
        assert np.isfinite(stable).all()
    marks = trace(fig, "naive breaks here")
    assert values(marks["x"]) == pytest.approx([8.668, 51.986, 372.567], rel=1e-4)
    assert list(marks["text"]) == ["float16 naive → inf ", "float32 naive → inf ", "float64 naive → inf "]


@pytest.mark.parametrize(
    ("target", "kind", "float32_break", "phrase"),
    [
        (0, "NaN", "88.7228", "inf / inf = **NaN**"),
        (1, "inf", "88.7228", "1 / inf = 0"),
        (2, "inf", "51.9860", "underflows"),
    ],
)
def test_true_class_radio(at, target, kind, float32_break, phrase):
    at.radio(key="pit_true").set_value(target)
    rerun(at)
    table = breaks_table(at)
    assert table.loc["float32", "naive gives"] == kind
    assert table.loc["float32", "naive breaks from s ="] == float32_break
    assert phrase in text(at)


def test_scale_slider_reads_out_both_losses(at):
    for log_scale, naive32, stable32 in ((-1.0, None, None), (1.5, None, None), (4.0, "+inf", "20000")):
        at.slider(key="pit_scale").set_value(log_scale)
        rerun(at)
        scale = 10**log_scale
        z = np.array([1.0, 0.0, -1.0]) * scale
        table = breaks_table(at)
        col_naive, col_stable = f"naive at s = {scale:.4g}", f"stable at s = {scale:.4g}"
        want_stable = float(cross_entropy(z.astype(np.float32), 2))
        assert float(table.loc["float32", col_stable]) == pytest.approx(want_stable, rel=1e-5)
        if naive32 is None:  # below every break: naive = stable
            assert float(table.loc["float32", col_naive]) == pytest.approx(want_stable, rel=1e-4)
        else:
            assert table.loc["float32", col_naive] == naive32
            assert table.loc["float32", col_stable] == stable32
        fig = charts(at)[0]
        assert values(trace(fig, "marked s")["x"]) == pytest.approx([scale] * 2)
        marker = trace(fig, "log-sum-exp at the marked s")
        assert values(marker["x"]) == pytest.approx([scale] * 3)
        assert values(marker["y"])[1] == pytest.approx(want_stable, rel=1e-5)
        naive_text = naive32 or significant(float(table.loc["float32", col_naive]))
        readout = (
            f"s = {scale:.4g}: z = [{scale:.4g}, 0, −{scale:.4g}]. In float32 the naive loss is {naive_text}"
        )
        assert any(caption.value.startswith(readout) for caption in at.main.caption)


@pytest.fixture
def dragged(monkeypatch):
    return open_recording_drags(PAGE, monkeypatch)


@pytest.mark.parametrize("target", [0, 2])
def test_the_chart_follows_a_drag_of_the_scale_with_cores_losses(dragged, target):
    at, sent = dragged
    at.radio(key="pit_true").set_value(target)
    rerun(at)
    widget, payload = sent["pit_naive_chart"]
    assert widget == "pit_scale"
    slider = at.slider(key="pit_scale")
    log_scales = [round(slider.min + 0.1 * k, 1) for k in range(round((slider.max - slider.min) / 0.1) + 1)]
    assert payload["values"] == log_scales
    for log_scale, (_strip, stable, _naive, line, lower_line, label, left_label) in zip(
        log_scales, payload["frames"], strict=True
    ):
        scale = 10**log_scale
        z = np.array([1.0, 0.0, -1.0]) * scale
        loss = float(cross_entropy(z, target))  # float64
        if loss > 0:
            assert stable["y"][2] == pytest.approx(loss, rel=1e-12)
        else:  # rounds to 0: not drawn on the log axis
            assert stable["y"][2] is None
        assert line["x"] == lower_line["x"] == [pytest.approx(scale)] * 2
        assert f"s = {scale:.4g}" in label["text"][0] + left_label["text"][0]
    check_frame(charts(at)[0], payload, log_scales.index(round(slider.value, 1)))


# ------------------------------------------------------------------------------------------ 2. clipping
def test_eps_slider(at):
    for log_eps in (-12, -1, -7):
        check_eps(at, log_eps)


def check_eps(at, log_eps):
    at.slider(key="pit_eps").set_value(log_eps)
    rerun(at)
    eps = 10.0**log_eps
    assert metric(at, "Max clipped loss (nats)") == f"{-math.log(eps):.4f}"
    hidden = max(0.0, -math.log(1e-10) + math.log(eps))
    assert metric(at, "Loss hidden at p (nats)") == f"{hidden:.4f}"
    assert metric(at, "Clipped ∂ℓ/∂p at p") == ("0" if eps > 1e-10 else "−1e+10")
    loss_fig = charts(at)[1]
    clipped = values(trace(loss_fig, f"clipped, ε = {eps:.0e}")["y"])
    assert clipped[0] == pytest.approx(-math.log(eps))


def test_clip_probability_slider(at):
    for log_p in (-50, 0, -25):
        check_clip_probability(at, log_p)


def check_clip_probability(at, log_p):
    at.slider(key="pit_clip_p").set_value(log_p)
    rerun(at)
    p = 10.0**log_p
    c = clipping_comparison([p], eps=1e-7)
    assert metric(at, "Loss hidden at p (nats)") == f"{float(c.bias[0]):.4f}"
    table = dataframe(at, 1)
    assert table.columns[1] == f"loss at p = {p:.0e}"
    assert float(table.iloc[0, 1]) == pytest.approx(-math.log(p), rel=1e-5, abs=1e-12)
    assert float(table.iloc[2, 1]) == pytest.approx(min(100.0, -math.log(p)), rel=1e-5, abs=1e-12)
    assert list(table["loss at p = 0"]) == ["+inf", "16.1181", "100"]
    point = trace(charts(at)[1], "exact −ln p at the point")
    assert values(point["x"]) == pytest.approx([p])


# ------------------------------------------------------------------------------------ 3. BCE on softmax
def test_bce_on_softmax_defaults_are_the_seed_logits(at):
    assert metric(at, "p(Cat)") == "0.8909"
    assert metric(at, "Cross-entropy (nats)") == "0.1155"  # seed 003
    want = float(bce_on_softmax(SEED_LOGITS, 0, reduction="sum"))
    assert metric(at, "BCE on softmax (nats)") == f"{want:.4f}"
    fig = charts(at)[3]
    ce, bce = fig["data"]
    assert list(ce["text"]) == ["−0.109", "+0.060", "+0.033", "+0.016"]  # seed 003's p − y
    grad = bce_on_softmax_grad(SEED_LOGITS, 0, reduction="sum")
    np.testing.assert_allclose(values(bce["y"]), grad)
    assert list(bce["x"])[0] == "Cat (true)"
    assert f"Here the true-class entry is {signed(float(grad[0]))} instead of −0.109" in text(at)


def test_bce_on_softmax_can_push_wrong_classes_up(at):
    assert "BCE pushes" not in text(at)  # default (Cat true): no wrong class is pushed up
    at.radio(key="pit_t").set_value(2)  # Bird true, Cat at 0.89: its -log(1 - s) term dominates
    rerun(at)
    grad = bce_on_softmax_grad(SEED_LOGITS, 2, reduction="sum")
    assert grad[1] < 0
    assert grad[3] < 0
    assert grad[0] > 0
    assert "the wrong classes Dog, Fish get a **negative** gradient: BCE pushes them *up*" in text(at)


def test_true_class_of_the_bce_demo(at):
    for true_class in (3, 1, 0):
        at.radio(key="pit_t").set_value(true_class)
        rerun(at)
        name = ["Cat", "Dog", "Bird", "Fish"][true_class]
        assert metric(at, "Cross-entropy (nats)") == f"{float(cross_entropy(SEED_LOGITS, true_class)):.4f}"
        assert metric(at, f"p({name})") == f"{float(softmax(SEED_LOGITS)[true_class]):.4f}"
        assert list(charts(at)[3]["data"][0]["x"])[true_class] == f"{name} (true)"


@pytest.mark.parametrize("k", range(4))
def test_logit_sliders(at, k):
    for value in (-10.0, 10.0, 0.0):
        check_logit(at, k, value)


def check_logit(at, k, value):
    at.slider(key=f"pit_z{k}").set_value(value)
    rerun(at)
    z = list(SEED_LOGITS)
    z[k] = value
    assert metric(at, "Cross-entropy (nats)") == f"{float(cross_entropy(z, 0)):.4f}"
    assert metric(at, "BCE on softmax (nats)") == f"{float(bce_on_softmax(z, 0, reduction='sum')):.4f}"
    np.testing.assert_allclose(
        values(charts(at)[3]["data"][1]["y"]), bce_on_softmax_grad(z, 0, reduction="sum")
    )


# ------------------------------------------------------------------------------------ 4. MSE on sigmoid
def test_mse_defaults_show_the_saturation_warning(at):
    assert metric(at, "σ(z)") == "0.0025"
    assert metric(at, "MSE ∂ℓ/∂z") == signed(float(mse_on_sigmoid_grad(-6.0, 1.0)), 6)
    assert metric(at, "BCE ∂ℓ/∂z") == "−0.997527"
    assert [w.value for w in at.warning][0].startswith("Confidently wrong (σ(z) = 0.0025 for y = 1)")


def test_label_and_logit(at):
    for y, z, warns in (
        (1, -10.0, True),
        (1, 0.0, False),
        (1, 10.0, False),
        (0, 10.0, True),
        (0, -10.0, False),
    ):
        check_label_and_logit(at, y, z, warns)


def check_label_and_logit(at, y, z, warns):
    at.radio(key="pit_y").set_value(y)
    at.slider(key="pit_sz").set_value(z)
    rerun(at)
    assert metric(at, "MSE ∂ℓ/∂z") == signed(float(mse_on_sigmoid_grad(z, float(y))), 6)
    assert metric(at, "BCE ∂ℓ/∂z") == signed(float(binary_cross_entropy_with_logits_grad(z, float(y))), 6)
    assert bool(at.warning) == warns
    loss_fig, grad_fig = charts(at)[4:6]
    grid = values(trace(grad_fig, "BCE")["x"])
    np.testing.assert_allclose(values(trace(grad_fig, "BCE")["y"]), 1 / (1 + np.exp(-grid)) - y, atol=1e-12)
    assert values(trace(loss_fig, "MSE (σ(z) − y)² at the point")["y"]) == pytest.approx(
        [float(mse_on_sigmoid(z, float(y)))]
    )
    assert loss_fig["layout"]["title"]["text"] == f"Loss for y = {y}"
