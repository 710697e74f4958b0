"""The Softmax gradient page: every widget changed, and the numbers it shows checked against core."""

import json
import math

import numpy as np
import pytest

from core.figures.scrub import check_frame
from core.functional import softmax, softmax_jacobian
from core.losses import cross_entropy, cross_entropy_grad
from tests.pages._apptest import (
    assert_clean,
    chart,
    charts,
    latex,
    metric,
    number,
    open_page,
    rerun,
    tables,
    z,
)

PAGE = "pages/softmax_gradient.py"
SEED_LOGITS = [3.5, 0.8, 0.2, -0.5]
SECTION_KEY = "sgrad_section"  # the tabs of the derivation: only the open one is drawn
JACOBIAN, SPARSE, PRODUCT, CHECKED, NUMERICAL, COST = range(6)


@pytest.fixture
def at():
    return open_page(PAGE)


def open_section(at, number: int):
    """Open tab ``number`` of the derivation (as a click on it does) and rerun."""
    at.session_state[SECTION_KEY] = at.tabs[number].label
    return rerun(at)


def logits_shown(at) -> list[float]:
    n_classes = at.slider(key="sgrad_classes").value
    return [at.slider(key=f"sgrad_z{k + 1}").value for k in range(n_classes)]


def assert_shows(text: str, value: float) -> None:
    """``text`` is ``value`` to the 3 decimals (or 3 significant digits below 10⁻³) the page writes."""
    shown = number(text)
    if abs(value) >= 1e-3:
        assert shown == pytest.approx(value, abs=5e-4 + 1e-12), (text, value)
    else:
        assert shown == pytest.approx(value, rel=5e-3, abs=1e-300), (text, value)


def check_consistent(at) -> None:
    """Everything the page shows, in every tab, agrees with core for the current widgets."""
    assert_clean(at)
    zs = logits_shown(at)
    t = at.radio(key="sgrad_true").value
    s = softmax(zs)
    grad = cross_entropy_grad(zs, t)
    np.testing.assert_allclose(z(chart(at, "Softmax Jacobian")), softmax_jacobian(zs), atol=1e-15)
    open_section(at, SPARSE)
    np.testing.assert_allclose(z(chart(at, "∂L/∂s"))[0], -np.eye(len(zs))[t] / s[t], rtol=1e-12)
    open_section(at, PRODUCT)
    terms = z(chart(at, "Terms"))
    assert not np.delete(terms, t, axis=0).any()
    np.testing.assert_allclose(terms.sum(axis=0), grad, atol=1e-12)
    open_section(at, NUMERICAL)
    np.testing.assert_allclose(z(chart(at, "Numerical Jacobian")), softmax_jacobian(zs), atol=1e-8)
    assert np.abs(z(chart(at, "Analytic − numerical"))).max() < 1e-8
    open_section(at, CHECKED)
    bars = chart(at, "∂L/∂z = s − y")["data"]
    np.testing.assert_allclose(bars[0]["y"], grad, atol=1e-15)
    np.testing.assert_allclose(bars[1]["y"], grad, atol=1e-12)
    np.testing.assert_allclose(bars[2]["y"], grad, atol=1e-6)
    for label in ("max |Jᵀ∂L/∂s − (s − y)|", "max |J − numerical J|", "max |(numerical J)ᵀ∂L/∂s − (s − y)|"):
        assert number(metric(at, label)) < 1e-6, label
    assert_shows(metric(at, f"s_t, probability of class {t + 1}"), s[t])
    table = tables(at)[0]
    for column in ("s − y", "Jᵀ∂L/∂s", "numerical"):
        for text, value in zip(table[column], grad, strict=True):
            assert_shows(text, value)
    assert list(table["y_k"]) == [str(int(k == t)) for k in range(len(zs))]
    open_section(at, COST)
    assert f"{len(zs)} (this page)" in tables(at)[0].index
    open_section(at, JACOBIAN)


def test_only_the_open_section_is_drawn_and_the_jacobian_always(at):
    assert [tab.label for tab in at.tabs] == [
        "1 · The Jacobian",
        "2 · Sparse ∂L/∂s",
        "3 · The product",
        "4 · Three routes to s − y",
        "5 · Numerical Jacobian",
        "6 · Why J is never built",
    ]
    drawn = {}
    for section in range(len(at.tabs)):
        open_section(at, section)
        drawn[section] = [fig["layout"]["title"]["text"].split(" ")[0] for fig in charts(at)]
    assert drawn == {
        JACOBIAN: ["Softmax"],
        SPARSE: ["Softmax", "∂L/∂s:"],
        PRODUCT: ["Softmax", "Terms"],
        CHECKED: ["Softmax", "∂L/∂z"],
        NUMERICAL: ["Softmax", "Numerical", "Analytic"],
        COST: ["Softmax", "Cost"],
    }


def test_default_is_seed_003s_logits_and_shows_s_minus_y(at):
    assert logits_shown(at) == SEED_LOGITS
    assert at.radio(key="sgrad_true").value == 0
    assert metric(at, "s_t, probability of class 1") == "0.891"
    assert metric(at, "Loss L = −log s_t (nats)") == "0.1155"
    assert metric(at, "∂L/∂s_t = −1/s_t") == "−1.122"
    open_section(at, PRODUCT)
    text = latex(at)
    assert r"= s - y = (-0.109,\ +0.060,\ +0.033,\ +0.016)" in text
    assert r"\Big(-\frac{1}{0.891}\Big)\cdot 0.891\,(1 - 0.891) + 0&&= 0.891 - 1 = -0.109" in text
    assert r"(0 - 0.060) + 0&&= 0.060 - 0 = +0.060" in text
    open_section(at, CHECKED)
    table = tables(at)[0]
    assert list(table["s − y"]) == ["−0.109", "+0.060", "+0.033", "+0.016"]
    assert list(table["Jᵀ∂L/∂s"]) == ["−0.109", "+0.060", "+0.033", "+0.016"]
    assert list(table["numerical"]) == ["−0.109", "+0.060", "+0.033", "+0.016"]
    check_consistent(at)


def test_seed_001s_slip_is_corrected_with_the_current_numbers(at):
    s = softmax(SEED_LOGITS)
    warning = at.warning[0].value
    assert "−S_i S_i" in warning
    assert "−s_i s_k" in warning
    assert f"= −{s[0] * s[1]:.3f}" in warning
    assert f"would be −{s[0] * s[0]:.3f}" in warning


def test_cost_table_shows_10_1000_50000_classes(at):
    open_section(at, COST)
    cost = tables(at)[0]
    assert list(cost.index) == ["4 (this page)", "10", "1,000", "50,000"]
    assert list(cost["Jacobian entries C²"]) == ["16", "100", "1,000,000", "2,500,000,000"]
    assert list(cost["Jacobian memory (float64)"]) == ["128 B", "800 B", "8.0 MB", "20.0 GB"]
    assert list(cost["shortcut s − y (operations)"]) == ["4", "10", "1,000", "50,000"]
    fig = chart(at, "Cost of ∂L/∂z")
    assert list(fig["data"][2]["text"]) == ["C = 10: 100", "C = 1,000: 1·10⁶", "C = 50,000: 2.5·10⁹"]


@pytest.mark.parametrize("n_classes", [3, 5, 6])
def test_number_of_classes_changes_every_chart(at, n_classes):
    at.slider(key="sgrad_classes").set_value(n_classes).run()
    assert len(logits_shown(at)) == n_classes
    assert z(chart(at, "Softmax Jacobian")).shape == (n_classes, n_classes)
    assert len(at.radio(key="sgrad_true").options) == n_classes
    open_section(at, COST)
    assert tables(at)[0].index[0] == f"{n_classes} (this page)"
    check_consistent(at)


@pytest.mark.parametrize("k", range(6))
def test_each_logit_slider_min_middle_max(at, k):
    at.slider(key="sgrad_classes").set_value(6).run()
    for value in (-8.0, 1.3, 8.0):
        at.slider(key=f"sgrad_z{k + 1}").set_value(value).run()
        assert logits_shown(at)[k] == value
        check_consistent(at)


@pytest.mark.parametrize("t", [0, 2, 3])
def test_true_class_moves_the_minus_one(at, t):
    at.radio(key="sgrad_true").set_value(t).run()
    grad = cross_entropy_grad(SEED_LOGITS, t)
    open_section(at, CHECKED)
    assert np.argmin(chart(at, "∂L/∂z = s − y")["data"][0]["y"]) == t
    assert grad[t] < 0
    assert metric(at, f"s_t, probability of class {t + 1}") == f"{softmax(SEED_LOGITS)[t]:.3f}"
    check_consistent(at)


def test_extreme_logits_with_a_nearly_impossible_true_class_stay_accurate(at):
    at.slider(key="sgrad_classes").set_value(6).run()
    for k, value in enumerate([8.0, -8.0, 8.0, -8.0, 8.0, -8.0]):
        at.slider(key=f"sgrad_z{k + 1}").set_value(value)
    at.radio(key="sgrad_true").set_value(5).run()
    s_t = softmax([8.0, -8.0, 8.0, -8.0, 8.0, -8.0])[5]
    assert metric(at, "s_t, probability of class 6") == f"{s_t:.2e}".replace("e-0", "e−")  # 3.77e−8
    check_consistent(at)


def test_true_class_resets_when_its_class_is_removed(at):
    at.slider(key="sgrad_classes").set_value(6).run()
    at.radio(key="sgrad_true").set_value(5).run()
    at.slider(key="sgrad_classes").set_value(3).run()
    assert at.radio(key="sgrad_true").value == 0
    check_consistent(at)


def test_reset_button_restores_seed_003s_logits(at):
    at.slider(key="sgrad_classes").set_value(5).run()
    at.slider(key="sgrad_z1").set_value(-2.0).run()
    at.radio(key="sgrad_true").set_value(4).run()
    at.button(key="sgrad_reset").click().run()
    assert logits_shown(at) == SEED_LOGITS
    assert at.radio(key="sgrad_true").value == 0
    assert metric(at, "s_t, probability of class 1") == "0.891"


def test_units_in_bits_change_only_the_loss(at):
    at.sidebar.radio(key="units").set_value("bits").run()
    loss_bits = cross_entropy(SEED_LOGITS, 0) / math.log(2)
    assert metric(at, "Loss L = −log s_t (bits)") == f"{loss_bits:.4f}" == "0.1666"
    check_consistent(at)


LOGIT_VALUES = [round(-8 + 0.1 * k, 1) for k in range(161)]


def _drags(monkeypatch, change=None):
    """The page's follow_drag calls after ``change(at)``: (chart key, slider key, payload, redraw)."""
    calls = []

    def follow(chart_key, widget_key, payload, *, layout=None, redraw=False):
        calls.append((chart_key, widget_key, json.loads(payload), redraw))

    monkeypatch.setattr("ui.scrub.follow_drag", follow)
    at = open_page(PAGE)
    if change is not None:
        calls.clear()
        change(at)
        rerun(at)
    return at, calls


@pytest.mark.parametrize(
    ("change", "t", "logits"),
    [
        (None, 0, SEED_LOGITS),
        (lambda at: at.radio(key="sgrad_true").set_value(2), 2, SEED_LOGITS),
        (lambda at: at.slider(key="sgrad_z2").set_value(-3.7), 0, [3.5, -3.7, 0.2, -0.5]),
        (lambda at: at.slider(key="sgrad_classes").set_value(3), 0, SEED_LOGITS[:3]),
    ],
)
def test_dragging_the_true_logit_moves_the_jacobian_through_cores_values(monkeypatch, change, t, logits):
    at, calls = _drags(monkeypatch, change)
    assert_clean(at)
    ((chart_key, widget, payload, redraw),) = calls[-1:]
    assert (chart_key, widget, redraw) == ("sgrad_jacobian", f"sgrad_z{t + 1}", True)
    assert payload["values"] == LOGIT_VALUES
    for k in (0, 37, 80, 160):  # the payload's frames equal core's Jacobian at that value of z_t
        z = np.array(logits, dtype=float)
        z[t] = LOGIT_VALUES[k]
        np.testing.assert_allclose(payload["frames"][k][0]["z"], softmax_jacobian(z), rtol=1e-12, atol=1e-15)
    # the frame at the slider's value is the chart on the page: a drag starts without a jump
    check_frame(chart(at, "Softmax Jacobian"), payload, LOGIT_VALUES.index(logits[t]))
