"""The Loss comparison page through AppTest: every slider at its minimum, maximum and a middle value."""

import json
import math

import numpy as np
import pytest

from core.comparison import COMPARISON_LOSSES, comparison_curves, imbalance_dataset, imbalance_shares
from core.figures.scrub import check_frame
from core.formatting import number
from tests.pages._apptest import charts, dataframe, open_page, rerun, text, trace, values
from ui.common import UNITS_KEY

PAGE = "pages/comparison.py"
LOSS_ROWS = ["CE", "MSE on probabilities", "focal", "hinge", "label-smoothed CE"]


@pytest.fixture
def at():
    return open_page(PAGE)


def point_table(at) -> dict[str, tuple[float, float]]:
    """The operating-point table as {loss label prefix: (loss, gradient)}."""
    df = dataframe(at, 0)
    rows = {}
    for label, loss, grad in zip(df["loss"], df["ℓ (nats)"], df["∂ℓ/∂z_true"], strict=True):
        key = next(k for k in LOSS_ROWS if label.startswith(k))
        rows[key] = (float(loss), float(grad))
    return rows


def assert_rows(actual, wanted):
    assert list(actual) == list(wanted)
    for key in wanted:
        assert actual[key] == pytest.approx(wanted[key], rel=1e-9, abs=1e-12), key


def expected(p, gamma=2.0, margin=1.0, eps=0.1):
    c = comparison_curves([p], gamma=gamma, margin=margin, label_smoothing=eps)
    return {
        label: (float(c.loss[name][0]), float(c.grad[name][0]))
        for label, name in zip(LOSS_ROWS, COMPARISON_LOSSES, strict=True)
    }


def test_defaults_show_the_seed_operating_point(at):
    assert [t.value for t in at.title] == ["Loss comparison"]
    assert [s.value for s in at.slider] == [2.0, 1.0, 0.1, 0.70, 2.0]  # γ, margin, ε, then p_true
    rows = point_table(at)
    assert rows["CE"][0] == pytest.approx(0.3567, abs=5e-5)  # seed: -ln 0.7
    assert rows["CE"][1] == pytest.approx(-0.3)
    assert rows["MSE on probabilities"] == pytest.approx((0.18, -4 * 0.7 * 0.09))
    assert_rows(rows, expected(0.7))
    assert "z = 0.8473" in text(at)
    assert len(at.latex) >= 2


def test_gradient_chart_shows_the_vanishing_mse_gradient(at):
    loss_fig, grad_fig, _ = charts(at)
    ce = values(trace(grad_fig, "CE")["y"])
    mse = values(trace(grad_fig, "MSE on probabilities")["y"])
    p = values(trace(grad_fig, "CE")["x"])
    assert p[0] == pytest.approx(1e-3)
    # CE -> -1, MSE -> 0 as p_true -> 0
    assert ce[0] == pytest.approx(-0.999)
    assert abs(mse[0]) < 0.005
    assert list(trace(grad_fig, "notes")["text"]) == ["CE → −1", "MSE → 0"]
    np.testing.assert_allclose(values(trace(loss_fig, "CE")["y"]), -np.log(p), rtol=1e-9)
    assert "The vanishing gradient of MSE" in text(at)
    assert "0.001: −0.0040" in text(at)
    assert "0.001: −0.9990" in text(at)


def test_operating_point_is_marked_on_both_charts(at):
    loss_fig, grad_fig, _ = charts(at)
    assert values(trace(loss_fig, "CE at the point")["x"]) == pytest.approx([0.7])
    assert values(trace(loss_fig, "CE at the point")["y"]) == pytest.approx([-math.log(0.7)])
    assert values(trace(grad_fig, "hinge (margin 1) at the point")["y"]) == pytest.approx([-0.5])


@pytest.mark.parametrize("p", [0.01, 0.5, 0.99])
def test_operating_point_slider(at, p):
    at.slider(key="cmp_p").set_value(p)
    rerun(at)
    assert_rows(point_table(at), expected(p))
    loss_fig = charts(at)[0]
    assert values(trace(loss_fig, "MSE on probabilities at the point")["y"]) == pytest.approx(
        [2 * (1 - p) ** 2]
    )
    assert f"p_true = {p:.2f}" in at.subheader[0].value


@pytest.mark.parametrize("gamma", [0.0, 2.5, 5.0])
def test_focal_gamma_slider_changes_the_curves_and_the_table(at, gamma):
    imbalance_before = charts(at)[2]
    at.slider(key="cmp_gamma").set_value(gamma)
    rerun(at)
    rows = point_table(at)
    assert rows["focal"] == pytest.approx(expected(0.7, gamma=gamma)["focal"])
    if gamma == 0:
        assert rows["focal"] == pytest.approx(rows["CE"])  # γ = 0 is plain cross-entropy
    _, grad_fig, imbalance = charts(at)
    focal = trace(grad_fig, f"focal (γ = {gamma:g})")
    grid = values(focal["x"])
    want = comparison_curves(grid, gamma=gamma).grad["focal"]
    np.testing.assert_allclose(values(focal["y"]), want, rtol=1e-9, atol=1e-15)
    for before, after in zip(imbalance_before["data"], imbalance["data"], strict=True):
        np.testing.assert_array_equal(values(after["y"]), values(before["y"]))  # it has its own γ


@pytest.mark.parametrize("gamma", [0.0, 2.5, 5.0])
def test_imbalance_gamma_slider(at, gamma):
    at.slider(key="cmp_imb_gamma").set_value(gamma)
    rerun(at)
    label = f"focal (γ = {gamma:g})"
    imbalance = charts(at)[2]
    shares = imbalance_shares(*imbalance_dataset(), gamma=gamma)
    minority_loss = values(imbalance["data"][1]["y"])
    np.testing.assert_allclose(minority_loss, 100 * shares.loss_share[:, 1], rtol=1e-9)
    assert list(imbalance["data"][1]["x"])[2] == label
    table = dataframe(at, 1)
    assert table["minority gradient share"].iloc[2] == pytest.approx(100 * shares.grad_share[2, 1])
    assert f"Focal loss uses γ = {gamma:g}" in text(at)
    if gamma == 0:
        assert "focal loss is plain CE" in text(at)
        np.testing.assert_allclose(table["minority loss share"].iloc[2], table["minority loss share"].iloc[0])
    else:
        assert f"focal loss gets to **{100 * shares.grad_share[2, 0]:.1f}%**" in text(at)
    assert point_table(at) == point_table(open_page(PAGE))  # the curves do not depend on it


@pytest.mark.parametrize("margin", [0.0, 1.5, 3.0])
def test_hinge_margin_slider(at, margin):
    at.slider(key="cmp_margin").set_value(margin)
    rerun(at)
    z = math.log(0.7 / 0.3)
    assert point_table(at)["hinge"] == pytest.approx((max(0.0, margin - z) / 2, -0.5 if z < margin else 0.0))
    if margin == 0.0:
        assert "the hinge loss is **exactly 0** here" in text(at)
    else:
        assert "exactly 0" not in text(at)


@pytest.mark.parametrize("eps", [0.0, 0.25, 0.5])
def test_label_smoothing_slider(at, eps):
    at.slider(key="cmp_eps").set_value(eps)
    rerun(at)
    loss, grad = point_table(at)["label-smoothed CE"]
    assert loss == pytest.approx(-(1 - eps / 2) * math.log(0.7) - eps / 2 * math.log(0.3))
    assert grad == pytest.approx(0.7 - (1 - eps / 2))
    assert f"1 − ε/2 = {1 - eps / 2:.3f}" in text(at)


def test_comparison_table_has_the_corrected_formulas(at):
    table = at.table[0].value
    formulas = " ".join(table["Formula (one sample)"])
    assert "max(0, margin − z_y + z_j)" in formulas
    assert "y′ = (1 − ε) y + ε/C" in formulas
    assert "−(1 − ε)log p − ε/C" not in formulas
    assert list(table.index) == [
        "Cross-entropy",
        "MSE on probabilities",
        "Focal",
        "Hinge (multi-class)",
        "Label-smoothed CE",
    ]
    assert list(table.columns) == [
        "Formula (one sample)",
        "Imbalance",
        "Calibration",
        "Stability",
        "Gradients",
        "Best for",
    ]
    assert "proper scoring rule" in table.loc["MSE on probabilities", "Calibration"]
    assert [h.value for h in at.subheader[1:3]] == [
        "Use cross-entropy when…",
        "Consider something else when…",
    ]


def test_imbalance_demo_numbers(at):
    shares = imbalance_shares(*imbalance_dataset(), gamma=2.0)
    table = dataframe(at, 1)
    assert list(table["loss"]) == ["plain CE", "class-weighted CE", "focal (γ = 2)"]
    np.testing.assert_allclose(table["minority loss share"], 100 * shares.loss_share[:, 1])
    np.testing.assert_allclose(table["total loss"], shares.loss_total.sum(axis=1))
    assert "**95 majority**" in text(at)
    assert "0.5263 and 10.0000" in text(at)
    assert f"steer **{100 * shares.grad_share[0, 0]:.1f}%**" in text(at)


def test_units_choice_does_not_change_the_nats_shown_here(at):
    before = point_table(at)
    at.sidebar.radio(key=UNITS_KEY).set_value("bits")
    rerun(at)
    assert point_table(at) == before
    assert any("**nats**" in c.value for c in at.caption)


P_VALUES = [round(0.01 + 0.01 * k, 2) for k in range(99)]


@pytest.mark.parametrize(
    ("settings", "p"), [({}, 0.7), ({"cmp_gamma": 0.5, "cmp_margin": 2.5, "cmp_eps": 0.3}, 0.42)]
)
def test_dragging_the_operating_point_moves_both_charts_through_every_p_from_core(monkeypatch, settings, p):
    calls = []
    monkeypatch.setattr("ui.scrub.follow_drag", lambda *args, redraw=False: calls.append(args))
    at = open_page(PAGE)
    for key, value in {**settings, "cmp_p": p}.items():
        at.slider(key=key).set_value(value)
    rerun(at)
    calls = calls[-2:]
    assert [(chart_key, widget) for chart_key, widget, _ in calls] == [
        ("cmp_loss_chart", "cmp_p"),
        ("cmp_grad_chart", "cmp_p"),
    ]
    gamma, margin, eps = (
        settings.get(k, d) for k, d in (("cmp_gamma", 2.0), ("cmp_margin", 1.0), ("cmp_eps", 0.1))
    )
    figures = charts(at)[:2]
    for (_, _, sent), kind, fig in zip(calls, ("loss", "grad"), figures, strict=True):
        payload = json.loads(sent)
        assert payload["values"] == P_VALUES
        for i, value in enumerate(P_VALUES):
            at_value = getattr(
                comparison_curves([value], gamma=gamma, margin=margin, label_smoothing=eps), kind
            )
            frame = payload["frames"][i]
            assert [m["y"][0] for m in frame[:5]] == [float(at_value[name][0]) for name in COMPARISON_LOSSES]
            assert frame[6]["text"] == [f"p = {value:.2f}"]
            readout = frame[7]["text"][0].split("<br>")
            assert [line.rsplit(": ", 1)[1] for line in readout] == [
                number(float(at_value[name][0])) for name in COMPARISON_LOSSES
            ]
        check_frame(fig, payload, P_VALUES.index(p))  # the chart on the page is the frame at p
