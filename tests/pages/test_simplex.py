"""The Probability simplex page, driven through AppTest: every control at its minimum, middle and maximum."""

import json
import math

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.defaults import (
    SIMPLEX_LOGIT_RANGE,
    SIMPLEX_LOGITS,
    SIMPLEX_LR,
    SIMPLEX_SMOOTHING,
    SIMPLEX_STEPS,
    SIMPLEX_TEMPERATURE,
)
from core.figures.scrub import check_frame
from core.figures.simplex import PLOT_DECIMALS
from core.formatting import number
from core.information import entropy
from core.simplex import descent_path, point_readout, smoothed_target, to_cartesian
from tests.pages._apptest import APP, assert_clean, chart, metric, open_page, rerun, tables, text, trace
from ui.common import UNITS_KEY

PAGE = "pages/simplex.py"
TRIANGLE = "Loss over every prediction"
DEFAULTS = {
    "z1": SIMPLEX_LOGITS[0],
    "z2": SIMPLEX_LOGITS[1],
    "T": SIMPLEX_TEMPERATURE[2],
    "true": 0,
    "eps": SIMPLEX_SMOOTHING[2],
    "steps": SIMPLEX_STEPS[2],
    "lr": SIMPLEX_LR[2],
}


@pytest.fixture
def at():
    return open_page(PAGE)


def settings(at) -> dict:
    return {
        "z1": at.slider(key="sx_z1").value,
        "z2": at.slider(key="sx_z2").value,
        "T": at.slider(key="sx_T").value,
        "true": at.radio(key="sx_true").value,
        "eps": at.slider(key="sx_eps").value,
        "steps": at.slider(key="sx_steps").value,
        "lr": at.slider(key="sx_lr").value,
    }


def check_numbers(at, s: dict, unit: str = "nats") -> None:
    """Every number the page shows for the settings ``s``, recomputed with core."""
    scale = math.log(2) if unit == "bits" else 1.0
    z = np.array([s["z1"], s["z2"], 0.0])
    target = smoothed_target(s["true"], s["eps"])
    now = point_readout(z, target, s["T"])
    path = descent_path(z, target, s["lr"], s["steps"], s["T"])
    assert metric(at, f"Loss ({unit})") == number(now.loss / scale, 3)
    assert metric(at, "|∂L/∂z|") == number(now.grad_norm, 3)
    assert metric(at, f"At step {s['steps']}") == number(path.losses[-1] / scale, 3)
    shown = text(at)
    assert "(" + ", ".join(number(float(p), 3) for p in now.probs) + ")" in shown
    fig = chart(at, TRIANGLE)
    point = trace(fig, "q = softmax(z/T) now")
    np.testing.assert_allclose([point["x"][0], point["y"][0]], to_cartesian(now.probs), atol=1e-12)
    drawn = fig["data"][-3]
    assert drawn["name"] == f"descent: {s['steps']} step{'s' if s['steps'] != 1 else ''} from q"
    # positions rounded to PLOT_DECIMALS (a 100,000th of the triangle's side), as the figure draws them
    np.testing.assert_array_equal(
        np.c_[drawn["x"], drawn["y"]], np.round(to_cartesian(path.probs), PLOT_DECIMALS)
    )
    assert trace(fig, "readout")["text"] == [
        f"T = {s['T']:.1f}<br>loss {number(now.loss / scale, 3)} {unit}<br>|∂L/∂z| {number(now.grad_norm, 3)}"
    ]
    star = trace(fig, "target y′ (lowest loss)")
    np.testing.assert_allclose([star["x"][0], star["y"][0]], to_cartesian(target), atol=1e-12)
    losses = chart(at, "Loss along the descent path")["data"]
    np.testing.assert_allclose(losses[0]["y"], path.losses / scale, rtol=1e-12)
    np.testing.assert_allclose(losses[1]["y"], float(entropy(target)) / scale, rtol=1e-12, atol=1e-15)
    table = tables(at)[0]
    assert table.loc["q now", "|∂L/∂z|"] == number(now.grad_norm, 3)
    assert table.loc["q now", f"loss ({unit})"] == number(now.loss / scale, 3)


def test_default_view(at):
    assert [t.value for t in at.title] == ["Probability simplex"]
    assert settings(at) == DEFAULTS
    check_numbers(at, DEFAULTS)
    assert metric(at, "Loss (nats)") == "1.408"
    assert metric(at, "|∂L/∂z|") == "1.010"
    shown = text(at)
    assert "**(0.245, 0.665, 0.090)** for (Cat, Dog, Bird)" in shown
    assert "**(−0.755, +0.665, +0.090)**" in shown
    assert "adding the same number to all three changes nothing" in "\n".join(c.value for c in at.caption)
    table = tables(at)[0]
    assert list(table.index) == ["q now", "Cat corner (true)", "Dog corner", "Bird corner"]
    assert list(table["loss (nats)"]) == ["1.408", "0.000", "∞", "∞"]
    assert list(table["|∂L/∂z|"]) == ["1.010", "0.000", "1.414", "1.414"]
    assert not at.warning
    assert len(at.latex) == 3


@pytest.mark.parametrize("key", ["z1", "z2"])
@pytest.mark.parametrize("value", [SIMPLEX_LOGIT_RANGE[0], 0.0, SIMPLEX_LOGIT_RANGE[1]])
def test_each_logit_min_middle_max(at, key, value):
    at.slider(key=f"sx_{key}").set_value(value)
    rerun(at)
    check_numbers(at, DEFAULTS | {key: value})


@pytest.mark.parametrize("value", [SIMPLEX_TEMPERATURE[0], 2.5, SIMPLEX_TEMPERATURE[1]])
def test_temperature_min_middle_max(at, value):
    at.slider(key="sx_T").set_value(value)
    rerun(at)
    check_numbers(at, DEFAULTS | {"T": value})
    assert f"at T = {value:g}, q = (" in text(at)


@pytest.mark.parametrize("true_index", [0, 1, 2])
def test_true_class(at, true_index):
    at.radio(key="sx_true").set_value(true_index)
    rerun(at)
    check_numbers(at, DEFAULTS | {"true": true_index})
    name = ("Cat", "Dog", "Bird")[true_index]
    assert f"{name} corner (true)" in list(tables(at)[0].index)
    assert f"<b>{name} (true)</b>" in [a["text"] for a in chart(at, TRIANGLE)["layout"]["annotations"]]


@pytest.mark.parametrize("eps", [SIMPLEX_SMOOTHING[0], 0.5, SIMPLEX_SMOOTHING[1]])
def test_label_smoothing_min_middle_max(at, eps):
    at.slider(key="sx_eps").set_value(eps)
    rerun(at)
    check_numbers(at, DEFAULTS | {"eps": eps})
    shown = text(at)
    if eps == 0:
        assert "only infinite logits reach" in shown
    else:
        target = smoothed_target(0, eps)
        assert "y′ = (" + ", ".join(number(float(v), 3) for v in target) + ")" in shown
        assert list(tables(at)[0]["loss (nats)"])[1:] == ["∞", "∞", "∞"]  # every corner misses some mass
    if eps == 1:
        floor = chart(at, "Loss along the descent path")["data"][1]
        assert floor["name"] == f"lowest possible: H(y′) = {number(math.log(3), 4)} nats"


def test_with_smoothing_and_enough_steps_the_path_stops_on_the_target(at):
    at.slider(key="sx_eps").set_value(0.3)
    at.slider(key="sx_steps").set_value(200)
    rerun(at)
    assert "has reached it" in text(at)
    end = chart(at, TRIANGLE)["data"][-3]
    np.testing.assert_allclose([end["x"][-1], end["y"][-1]], to_cartesian([0.8, 0.1, 0.1]), atol=1e-6)


@pytest.mark.parametrize("steps", [SIMPLEX_STEPS[0], 100, SIMPLEX_STEPS[1]])
def test_steps_min_middle_max(at, steps):
    at.slider(key="sx_steps").set_value(steps)
    rerun(at)
    check_numbers(at, DEFAULTS | {"steps": steps})
    assert len(chart(at, "Loss along the descent path")["data"][0]["x"]) == steps + 1


@pytest.mark.parametrize("lr", [SIMPLEX_LR[0], 5.0, SIMPLEX_LR[1]])
def test_learning_rate_min_middle_max(at, lr):
    at.slider(key="sx_lr").set_value(lr)
    rerun(at)
    check_numbers(at, DEFAULTS | {"lr": lr})
    warnings = [w.value for w in at.warning]
    if lr <= 4 * DEFAULTS["T"] ** 2:
        assert not warnings
    else:
        assert warnings
        assert warnings[0].startswith(f"η = {lr:g} is above 4T² = 4:")


def test_a_step_that_raises_the_loss_is_called_out(at):
    at.slider(key="sx_eps").set_value(0.3)
    at.slider(key="sx_lr").set_value(10.0)
    rerun(at)
    assert "It does here: the loss rises on some steps." in at.warning[0].value


def test_bits_change_the_losses_only(at):
    at.sidebar.radio(key=UNITS_KEY).set_value("bits")
    rerun(at)
    check_numbers(at, DEFAULTS, unit="bits")
    assert chart(at, TRIANGLE)["data"][0]["name"] == "loss (bits); above 6 drawn as 6.5"


# ----------------------------------------------------------------------------------------------- links
def open_link(params: dict) -> AppTest:
    """Open the page straight from a link (a first run on Home would drop the page's parameters)."""
    test = AppTest.from_file(str(APP), default_timeout=120)
    for key, value in params.items():
        test.query_params[key] = value
    test.switch_page(PAGE)
    test.run()
    assert_clean(test)
    return test


def test_a_link_sets_every_control():
    link = {"sx_z1": "-3.5", "sx_z2": "4.2", "sx_T": "2.3", "sx_true": "Dog", "sx_eps": "0.25"}
    link |= {"sx_steps": "77", "sx_lr": "0.7"}
    at = open_link(link)
    expected = {"z1": -3.5, "z2": 4.2, "T": 2.3, "true": 1, "eps": 0.25, "steps": 77, "lr": 0.7}
    assert settings(at) == expected
    check_numbers(at, expected)


@pytest.mark.parametrize(
    "link",
    [
        {"sx_T": "99", "sx_z1": "abc", "sx_steps": "1e9", "sx_true": "<script>alert(1)</script>"},
        {"sx_lr": "nan", "sx_eps": "-1", "sx_z2": "inf", "sx_true": "7"},
        {"sx_T": "0", "sx_steps": "-5", "sx_lr": "x" * 5000},
    ],
)
def test_a_crafted_link_falls_back_to_the_defaults(link):
    at = open_link(link)
    assert settings(at) == DEFAULTS
    check_numbers(at, DEFAULTS)


def test_dragging_z1_moves_the_triangle_through_cores_numbers(monkeypatch):
    """z₁'s listener carries the triangle at every value of z₁ (the other settings as set); T's follows T."""
    calls = {}

    def follow(chart_key, widget_key, payload, *, layout=None, redraw=False):
        calls[chart_key] = (widget_key, json.loads(payload), redraw)

    monkeypatch.setattr("ui.scrub.follow_drag", follow)
    at = open_page(PAGE)
    at.slider(key="sx_z2").set_value(-1.3).run()
    at.slider(key="sx_T").set_value(0.6).run()
    at.slider(key="sx_z1").set_value(2.4).run()
    assert_clean(at)
    widget, payload, redraw = calls["sx_chart"]
    assert (widget, redraw) == ("sx_z1", False)
    assert payload["values"] == [round(-6 + 0.1 * k, 1) for k in range(121)]
    assert calls["sx_chart_box"][0] == "sx_T"
    fig = chart(at, TRIANGLE)
    check_frame(fig, payload, payload["values"].index(2.4))  # a drag starts without a jump
    target = smoothed_target(DEFAULTS["true"], DEFAULTS["eps"])
    for z1 in (-6.0, 0.0, 5.5):
        now = point_readout([z1, -1.3, 0.0], target, 0.6)
        _, path, point, readout = payload["frames"][payload["values"].index(z1)]
        np.testing.assert_allclose([point["x"][0], point["y"][0]], to_cartesian(now.probs), atol=1e-12)
        assert readout["text"] == [
            f"T = 0.6<br>loss {number(now.loss, 3)} nats<br>|∂L/∂z| {number(now.grad_norm, 3)}"
        ]
        assert len(path["x"]) == DEFAULTS["steps"] + 1
