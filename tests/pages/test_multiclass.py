"""The Multi-class logits page: logits, softmax, temperature, label smoothing, driven through AppTest."""

import json
import math

import numpy as np
import pytest

from core.figures.scrub import check_frame
from core.figures.style import NEGATIVE, POSITIVE
from core.formatting import signed
from core.functional import softmax
from core.losses import cross_entropy
from core.multiclass import multiclass_breakdown
from tests.pages._apptest import assert_clean, chart, markdown_text, metric, open_page, rerun, trace
from ui.common import UNITS_KEY

PAGE = "pages/multiclass.py"
SEED_LOGITS = [3.5, 0.8, 0.2, -0.5]
DEFAULT_LOGITS = [3.5, 0.8, 0.2, -0.5, -1.0, 0.4, -0.2, 1.0, -1.5, 0.6]


@pytest.fixture
def at():
    return open_page(PAGE)


def _metrics(at, unit="nats"):
    return (
        metric(at, "P(true class)"),
        metric(at, f"Total CE loss ({unit})"),
        metric(at, "True class logit"),
        metric(at, "Gradient on the true logit"),
    )


def _bars(at):
    fig = chart(at, 0)
    return trace(fig, "probability"), trace(fig, "loss contribution"), trace(fig, "gradient")


def _logit_sliders(at):
    return [s for s in at.slider if s.key and s.key.startswith("mc_z")]


def _expected(logits, true_index, temperature=1.0, eps=0.0):
    return multiclass_breakdown(logits, true_index, temperature=temperature, label_smoothing=eps)


def test_seed_default_state_shows_89_1_percent_0_1155_and_minus_0_109(at):
    assert [t.value for t in at.title] == ["Multi-class logits"]
    assert [s.value for s in _logit_sliders(at)] == SEED_LOGITS
    assert _metrics(at) == ("89.1%", "0.1155", "3.5", "−0.109")
    probs, parts, grads = _bars(at)
    assert probs["y"] == ["🐱 Cat (true)", "🐶 Dog", "🐦 Bird", "🐟 Fish"]
    assert probs["text"] == ["89.1%", "6.0%", "3.3%", "1.6%"]
    assert parts["text"] == ["0.1155", "0.0000", "0.0000", "0.0000"]
    assert grads["text"] == ["−0.109", "+0.060", "+0.033", "+0.016"]
    np.testing.assert_allclose(grads["x"], np.asarray(probs["x"]) - [1, 0, 0, 0], atol=1e-15)
    text = markdown_text(at)
    assert "p − 1 = **−0.109**" in text
    assert "**Correct prediction but not fully confident.**" in text
    assert "sum to 0" in text
    assert "[−1, 1]" in text
    assert len(at.latex) == 4


def test_gradient_sign_is_shown_by_colour_and_label(at):
    _, _, grads = _bars(at)
    colors = grads["marker"]["color"]
    assert colors[0] == NEGATIVE
    assert set(colors[1:]) == {POSITIVE}
    assert grads["text"][0].startswith("−")
    assert all(t.startswith("+") for t in grads["text"][1:])


@pytest.mark.parametrize("n", [2, 6, 10])
def test_number_of_classes_min_middle_max(at, n):
    at.slider(key="mc_n").set_value(n).run()
    assert_clean(at)
    sliders = _logit_sliders(at)
    assert [s.value for s in sliders] == DEFAULT_LOGITS[:n]
    b = _expected(DEFAULT_LOGITS[:n], 0)
    assert _metrics(at) == (f"{b.probs[0]:.1%}", f"{b.loss:.4f}", "3.5", signed(b.grad[0], 3))
    probs, _, grads = _bars(at)
    assert len(probs["y"]) == n
    np.testing.assert_allclose(probs["x"], b.probs, rtol=1e-12)
    assert sum(grads["x"]) == pytest.approx(0, abs=1e-12)


def test_true_class_choice_and_shrinking_below_it(at):
    at.selectbox(key="mc_true").set_value(3).run()
    assert_clean(at)
    b = _expected(SEED_LOGITS, 3)
    assert _metrics(at) == ("1.6%", f"{b.loss:.4f}", "-0.5", signed(b.grad[3], 3))
    assert "**Confidently wrong.**" in markdown_text(at)
    assert _bars(at)[0]["y"][3] == "🐟 Fish (true)"

    at.slider(key="mc_n").set_value(2).run()  # Fish is gone: the true class falls back to the first
    assert_clean(at)
    assert at.selectbox(key="mc_true").value == 0
    assert metric(at, "True class logit") == "3.5"


@pytest.mark.parametrize("temperature", [0.1, 2.0, 5.0])
def test_temperature_divides_the_gradient_by_t(at, temperature):
    at.slider(key="mc_T").set_value(temperature).run()
    assert_clean(at)
    b = _expected(SEED_LOGITS, 0, temperature=temperature)
    assert _metrics(at) == (f"{b.probs[0]:.1%}", f"{b.loss:.4f}", "3.5", signed(b.grad[0], 3))
    _, _, grads = _bars(at)
    p = softmax(np.array(SEED_LOGITS) / temperature)
    np.testing.assert_allclose(grads["x"], (p - [1, 0, 0, 0]) / temperature, rtol=1e-12, atol=1e-15)
    assert "(p − y′)/T" in markdown_text(at)


@pytest.mark.parametrize("eps", [0.1, 0.5])
def test_label_smoothing_spreads_the_loss_over_all_classes(at, eps):
    at.slider(key="mc_eps").set_value(eps).run()
    assert_clean(at)
    b = _expected(SEED_LOGITS, 0, eps=eps)
    assert metric(at, "Total CE loss (nats)") == f"{b.loss:.4f}"
    assert b.loss == pytest.approx(float(cross_entropy(SEED_LOGITS, 0, label_smoothing=eps)))
    _, parts, grads = _bars(at)
    assert all(x > 0 for x in parts["x"])
    assert sum(parts["x"]) == pytest.approx(b.loss, rel=1e-12)
    target = (1 - eps) * np.eye(4)[0] + eps / 4
    np.testing.assert_allclose(grads["x"], softmax(SEED_LOGITS) - target, atol=1e-15)
    assert f"label smoothing ε = {eps:g}" in markdown_text(at)
    # ε = 0.5 puts the true class's target at 0.625, below its 89.1 %: the gradient pushes it down.
    assert ("**down**: label smoothing gives no reward" in markdown_text(at)) == (eps == 0.5)
    assert (grads["x"][0] > 0) == (eps == 0.5)
    assert any("parts add up to the total loss" in c.value for c in at.caption)


@pytest.mark.parametrize(
    ("value", "sentence"),
    [(-10.0, "**Confidently wrong.**"), (0.5, "**Wrong prediction.**"), (10.0, "**Confident and right.**")],
)
def test_true_logit_slider_min_middle_max(at, value, sentence):
    at.slider(key="mc_z0").set_value(value).run()
    assert_clean(at)
    logits = [value, *SEED_LOGITS[1:]]
    b = _expected(logits, 0)
    assert _metrics(at) == (f"{b.probs[0]:.1%}", f"{b.loss:.4f}", f"{value:.1f}", signed(b.grad[0], 3))
    assert sentence in markdown_text(at)


def test_other_logit_sliders_move_their_class(at):
    at.slider(key="mc_z3").set_value(10.0).run()  # Fish, max
    assert_clean(at)
    b = _expected([3.5, 0.8, 0.2, 10.0], 0)
    assert metric(at, "P(true class)") == f"{b.probs[0]:.1%}"
    assert "Fish" in markdown_text(at)  # "Fish (…) beats the true class Cat"
    at.slider(key="mc_z1").set_value(-10.0).run()  # Dog, min
    assert_clean(at)
    b = _expected([3.5, -10.0, 0.2, 10.0], 0)
    np.testing.assert_allclose(_bars(at)[0]["x"], b.probs, rtol=1e-12)


def test_class_names_are_sanitised_and_never_rendered_as_html(at):
    at.text_input(key="mc_names").input("Zebra, <b>x</b>, zebra, Lion").run()
    assert_clean(at)
    probs, _, _ = _bars(at)
    assert probs["y"] == ["Zebra (true)", "🐱 Cat", "🐶 Dog", "Lion"]
    assert not any("<" in label for label in probs["y"])
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 2
    assert "Name 2" in warnings[0]
    assert "using 'Cat'" in warnings[0]
    assert "Name 3" in warnings[1]
    assert "repeats" in warnings[1]
    assert "**Zebra**" in markdown_text(at)
    assert at.selectbox(key="mc_true").options == ["Zebra", "🐱 Cat", "🐶 Dog", "Lion"]


def test_empty_names_fall_back_to_the_animals(at):
    at.text_input(key="mc_names").input("").run()
    assert_clean(at)
    assert _bars(at)[0]["y"] == ["🐱 Cat (true)", "🐶 Dog", "🐦 Bird", "🐟 Fish"]
    assert not at.warning


def test_total_loss_follows_the_sidebar_unit(at):
    at.sidebar.radio(key=UNITS_KEY).set_value("bits").run()
    assert_clean(at)
    b = _expected(SEED_LOGITS, 0)
    assert _metrics(at, "bits") == ("89.1%", f"{b.loss / math.log(2):.4f}", "3.5", "−0.109")
    _, parts, _ = _bars(at)
    assert parts["x"][0] == pytest.approx(b.loss / math.log(2))


LOGIT_VALUES = [round(-10 + 0.1 * k, 1) for k in range(201)]
T_VALUES = [round(0.1 + 0.1 * k, 1) for k in range(50)]


def _drags(monkeypatch, change=None):
    """The page's follow_drag calls (chart key, slider key, payload as JSON), after ``change(at)``."""
    calls = []
    monkeypatch.setattr("ui.scrub.follow_drag", lambda *args, layout=None: calls.append((*args, layout)))
    at = open_page(PAGE)
    if change is not None:
        change(at)
        rerun(at)
        calls = calls[-2:]
    # A listener's axis ranges are the chart's: the chart on screen may have been drawn for other logits.
    fig = chart(at, 0)
    drawn = {name: fig["layout"][name.split(".")[0]]["range"] for name in ("xaxis2.range", "xaxis3.range")}
    for *_, layout in calls:
        assert sorted(layout) == sorted(drawn)
        for name, bounds in drawn.items():
            np.testing.assert_allclose(layout[name], bounds, rtol=1e-12)
    return at, [(chart_key, widget, json.loads(payload)) for chart_key, widget, payload, _ in calls]


@pytest.mark.parametrize(
    ("change", "true_index", "logits", "temperature", "eps"),
    [
        (None, 0, SEED_LOGITS, 1.0, 0.0),
        (
            lambda at: (at.selectbox(key="mc_true").set_value(2), at.slider(key="mc_T").set_value(0.4)),
            2,
            SEED_LOGITS,
            0.4,
            0.0,
        ),
        (lambda at: at.slider(key="mc_eps").set_value(0.1), 0, SEED_LOGITS, 1.0, 0.1),
    ],
)
def test_dragging_the_true_logit_or_t_shows_every_states_numbers_from_core(
    monkeypatch, change, true_index, logits, temperature, eps
):
    at, calls = _drags(monkeypatch, change)
    assert [(c, w) for c, w, _ in calls] == [("mc_chart", f"mc_z{true_index}"), ("mc_chart_T", "mc_T")]
    fig = chart(at, 0)
    for (_, widget, payload), values, now in (
        (calls[0], LOGIT_VALUES, logits[true_index]),
        (calls[1], T_VALUES, temperature),
    ):
        assert payload["values"] == values
        for i, value in enumerate(values):
            z, t = np.array(logits, dtype=float), temperature
            if widget == "mc_T":
                t = value
            else:
                z[true_index] = value
            b = _expected(z, true_index, temperature=t, eps=eps)
            probs, parts, grads = payload["frames"][i]
            assert probs["text"] == [f"{100 * v:.1f}%" for v in b.probs]
            assert parts["text"] == [f"{v:.4f}" for v in b.contributions]
            assert grads["text"] == [signed(float(v), 3) for v in b.grad]
        # the frame at the slider's value is the chart on the page: a drag starts without a jump
        check_frame(fig, payload, values.index(now))
        loss_axis, grad_axis = fig["layout"]["xaxis2"]["range"], fig["layout"]["xaxis3"]["range"]
        for _, parts, grads in payload["frames"]:
            assert max(parts["x"]) <= loss_axis[1]
            assert grad_axis[0] <= min(grads["x"]) <= max(grads["x"]) <= grad_axis[1]


def test_a_drag_released_on_a_value_is_the_pages_state(at):
    # What the browser sends at release: the value under the thumb, as the slider's state.
    at.slider(key="mc_z0").set_value(-2.3).run()
    assert_clean(at)
    b = _expected([-2.3, *SEED_LOGITS[1:]], 0)
    assert _metrics(at) == (f"{b.probs[0]:.1%}", f"{b.loss:.4f}", "-2.3", signed(b.grad[0], 3))
    probs, parts, grads = _bars(at)
    assert probs["text"] == [f"{100 * v:.1f}%" for v in b.probs]
    assert parts["text"][0] == f"{b.loss:.4f}"
