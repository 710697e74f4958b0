"""The Entropy and KL page through AppTest: every widget at its minimum, maximum and a middle value."""

import json
import math

import numpy as np
import pytest

from core.comparison import smooth_labels
from core.figures.scrub import check_frame
from core.information import cross_entropy_between, entropy, kl_divergence
from core.proportions import normalise_weights
from tests.pages._apptest import (
    charts,
    dataframe,
    metric,
    open_page,
    rerun,
    text,
    trace,
    values,
)
from ui.common import UNITS_KEY

PAGE = "pages/kl.py"
SOFT = "Soft (a distribution)"


@pytest.fixture
def at():
    return open_page(PAGE)


def shown(at, unit="nats"):
    return tuple(float(metric(at, f"{name} ({unit})")) for name in ("H(P)", "KL(P ‖ Q)", "H(P, Q)"))


def expected(p, q, eps=0.0, base=math.e):
    p = smooth_labels(normalise_weights(p), eps)
    q = normalise_weights(q)
    return (
        float(entropy(p, base=base)),
        float(kl_divergence(p, q, base=base)),
        float(cross_entropy_between(p, q, base=base)),
    )


def test_defaults_are_the_seed_guessing_game(at):
    assert [t.value for t in at.title] == ["Entropy and KL"]
    # seed 003: Cat true, Q = 85/10/3/2 -> CE 0.1625 nats; H(P) = 0, so all of it is KL ("wasted")
    assert shown(at) == (0.0, 0.1625, 0.1625)
    assert "every nat of the loss is wasted" in text(at)
    assert "−log Q(Cat) = 0.1625 nats" in text(at)
    # The web article's slip is corrected where the number is shown, in the selected unit only.
    assert "shows no waste at all here: a slip" in text(at)
    assert "bits" not in text(at)
    stack = charts(at)[0]
    assert values(trace(stack, "KL(P ‖ Q): wasted by predicting Q")["x"]) == pytest.approx(
        [0.0, 0.16252], abs=1e-5
    )
    assert list(trace(stack, "totals")["text"])[1] == "  H(P, Q) = 0.1625 nats"
    table = dataframe(at, 0)
    np.testing.assert_allclose(table["Q (normalised)"], [0.85, 0.10, 0.03, 0.02])


def test_bits_show_the_seed_surprise(at):
    at.sidebar.radio(key=UNITS_KEY).set_value("bits")
    rerun(at)
    assert shown(at, "bits") == (0.0, 0.2345, 0.2345)  # seed: 0.23 bits of surprise, all of it wasted
    assert "every bit of the loss is wasted" in text(at)


def test_number_of_classes(at):
    at.radio(key="kl_classes").set_value(3)
    rerun(at)
    q = np.array([85, 10, 3]) / 98
    assert shown(at) == pytest.approx((0.0, round(-math.log(q[0]), 4), round(-math.log(q[0]), 4)))
    assert [s.key for s in at.slider] == ["kl_q0", "kl_q1", "kl_q2", "kl_eps"]
    np.testing.assert_allclose(dataframe(at, 0)["Q (normalised)"], q)
    assert list(charts(at)[1]["data"][0]["x"]) == ["Cat", "Dog", "Bird"]
    assert "(C = 3)" in charts(at)[2]["layout"]["title"]["text"]


def test_true_class_choice_keeps_working_when_the_class_count_shrinks(at):
    at.radio(key="kl_true").set_value(3)
    rerun(at)
    assert shown(at)[1] == pytest.approx(round(-math.log(0.02), 4))
    at.radio(key="kl_classes").set_value(3)
    rerun(at)
    assert at.radio(key="kl_true").value == 0


@pytest.mark.parametrize(("index", "q"), [(0, 0.85), (1, 0.10), (2, 0.03)])
def test_true_class_radio(at, index, q):
    at.radio(key="kl_true").set_value(index)
    rerun(at)
    assert shown(at) == (0.0, round(-math.log(q), 4), round(-math.log(q), 4))


@pytest.mark.parametrize("weight", [1, 50, 100])
def test_q_sliders(at, weight):
    at.slider(key="kl_q0").set_value(weight)
    rerun(at)
    q = [weight, 10, 3, 2]
    assert shown(at) == pytest.approx(tuple(round(v, 4) for v in expected([1, 0, 0, 0], q)))
    assert dataframe(at, 0)["Q (normalised)"][0] == pytest.approx(weight / (weight + 15))
    assert at.slider(key="kl_q0").min == 1  # Q never reaches 0


def test_q_slider_of_another_class_at_its_extremes(at):
    for weight in (1, 100, 40):
        at.slider(key="kl_q3").set_value(weight)
        rerun(at)
        assert shown(at) == pytest.approx(
            tuple(round(v, 4) for v in expected([1, 0, 0, 0], [85, 10, 3, weight]))
        )


def test_soft_truth(at):
    at.radio(key="kl_mode").set_value(SOFT)
    rerun(at)
    assert [s.key for s in at.slider][:4] == ["kl_p0", "kl_p1", "kl_p2", "kl_p3"]
    h, kl, ce = expected([60, 25, 10, 5], [85, 10, 3, 2])
    assert shown(at) == pytest.approx((round(h, 4), round(kl, 4), round(ce, 4)))
    assert h > 0
    assert ce == pytest.approx(h + kl)
    assert "wasted" not in text(at)
    assert "above the floor H(P)" in text(at)
    np.testing.assert_allclose(dataframe(at, 0)["P (used)"], [0.6, 0.25, 0.1, 0.05])


@pytest.mark.parametrize("weight", [0, 50, 100])
def test_p_sliders(at, weight):
    at.radio(key="kl_mode").set_value(SOFT)
    rerun(at)
    at.slider(key="kl_p1").set_value(weight)
    rerun(at)
    assert shown(at) == pytest.approx(
        tuple(round(v, 4) for v in expected([60, weight, 10, 5], [85, 10, 3, 2]))
    )


def test_all_zero_truth_warns_instead_of_failing(at):
    at.radio(key="kl_mode").set_value(SOFT)
    rerun(at)
    for k in range(4):
        at.slider(key=f"kl_p{k}").set_value(0)
    rerun(at)
    assert [w.value for w in at.warning] == [
        "These settings cannot be used: weights are all 0: give at least one class some probability"
    ]
    assert not at.metric
    for k in range(4):
        at.slider(key=f"kl_p{k}").set_value(100)
    rerun(at)
    assert not at.warning
    assert shown(at)[0] == pytest.approx(round(math.log(4), 4))


def test_q_equal_to_p_has_no_kl(at):
    at.radio(key="kl_mode").set_value(SOFT)
    rerun(at)
    for k, w in enumerate((85, 10, 3, 2)):
        at.slider(key=f"kl_p{k}").set_value(w)
    rerun(at)
    h, kl, ce = shown(at)
    assert kl == 0
    assert ce == h
    assert "the KL divergence is 0" in text(at)


@pytest.mark.parametrize("eps", [0.0, 0.25, 0.5])
def test_label_smoothing_raises_the_floor(at, eps):
    at.slider(key="kl_eps").set_value(eps)
    rerun(at)
    h, kl, ce = expected([1, 0, 0, 0], [85, 10, 3, 2], eps)
    assert shown(at) == pytest.approx((round(h, 4), round(kl, 4), round(ce, 4)))
    floor_fig = charts(at)[2]
    point = trace(floor_fig, "current ε")
    assert values(point["x"]) == pytest.approx([eps])
    assert values(point["y"]) == pytest.approx([h])
    curve = values(trace(floor_fig, "H(P_ε) = min over Q of H(P_ε, Q)")["y"])
    assert curve[0] == 0
    assert curve[-1] == pytest.approx(float(entropy(smooth_labels([1, 0, 0, 0], 0.5))))
    if eps:
        assert f"With ε = {eps:.2f} the best any model can do is **{h:.4f} nats**" in text(at)
        assert "wasted" not in text(at)
        np.testing.assert_allclose(dataframe(at, 0).iloc[:, 1], smooth_labels([1.0, 0, 0, 0], eps))
    else:
        assert "Raise ε to see the floor rise" in text(at)


Q_VALUES = list(range(1, 101))
EPS_VALUES = [round(0.01 * k, 2) for k in range(51)]


@pytest.mark.parametrize(
    ("change", "p_weights", "q_weights", "eps", "unit"),
    [
        (None, (100, 0, 0, 0), (85, 10, 3, 2), 0.0, "nats"),
        (
            lambda at: (
                at.radio(key="kl_mode").set_value(SOFT),
                at.slider(key="kl_q0").set_value(30),
                at.slider(key="kl_eps").set_value(0.2),
                at.sidebar.radio(key=UNITS_KEY).set_value("bits"),
            ),
            (60, 25, 10, 5),
            (30, 10, 3, 2),
            0.2,
            "bits",
        ),
    ],
)
def test_dragging_q_or_eps_moves_the_charts_through_every_value_from_core(
    monkeypatch, change, p_weights, q_weights, eps, unit
):
    calls, layouts = [], []
    monkeypatch.setattr(
        "ui.scrub.follow_drag", lambda *args, layout=None: (calls.append(args), layouts.append(layout))
    )
    at = open_page(PAGE)
    if change is not None:
        change(at)
        rerun(at)
    calls, layouts = calls[-5:], layouts[-5:]
    assert [(chart_key, widget) for chart_key, widget, _ in calls] == [
        ("kl_stack_chart", "kl_q0"),
        ("kl_stack_chart_eps", "kl_eps"),
        ("kl_dist_chart", "kl_q0"),
        ("kl_dist_chart_eps", "kl_eps"),
        ("kl_floor_chart", "kl_eps"),
    ]
    base = 2.0 if unit == "bits" else math.e
    stack, dist, floor = charts(at)
    now = {"kl_q0": Q_VALUES.index(q_weights[0]), "kl_eps": EPS_VALUES.index(eps)}
    for (chart_key, widget, sent), fig in zip(calls, (stack, stack, dist, dist, floor), strict=True):
        payload = json.loads(sent)
        assert payload["values"] == (Q_VALUES if widget == "kl_q0" else EPS_VALUES)
        for i, value in enumerate(payload["values"]):
            qw, e = list(q_weights), eps
            if widget == "kl_q0":
                qw[0] = value
            else:
                e = value
            h, kl, ce = expected(p_weights, qw, e, base=base)
            frame = payload["frames"][i]
            if chart_key.startswith("kl_stack"):
                assert frame[2]["text"][1] == f"  H(P, Q) = {ce:.4f} {unit}"
                assert frame[1]["x"][1] == pytest.approx(kl, rel=1e-12, abs=1e-15)
            elif chart_key.startswith("kl_dist"):
                q = normalise_weights(qw)
                assert frame[1]["text"] == [f"{100 * v:.1f}%" for v in q]
            else:
                assert frame[0]["text"] == [f"ε = {value:.2f}: {h:.4f} {unit}"]
        check_frame(fig, payload, now[widget])  # the chart on the page is the frame at the slider's value
    # the stacked bar's axis holds every H(P, Q) either drag reaches
    reach = max(expected(p_weights, [w, *q_weights[1:]], eps, base)[2] for w in Q_VALUES)
    reach = max(reach, *(expected(p_weights, q_weights, e, base)[2] for e in EPS_VALUES))
    assert stack["layout"]["xaxis"]["range"][1] == pytest.approx(1.55 * reach)
    # the stacked bar's listeners carry that axis (the chart on screen may have been drawn for another Q)
    assert layouts[:2] == [{"xaxis.range": list(stack["layout"]["xaxis"]["range"])}] * 2
    assert layouts[2:] == [None, None, None]
