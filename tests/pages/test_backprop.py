"""The Backpropagation page: every widget changed, and what it shows checked against core."""

import numpy as np
import pytest

from core.figures.scrub import check_frame
from core.functional import softmax
from core.losses import one_hot
from core.minibatch import gaussian_blobs
from core.mlp import ACTIVATIONS, activation_derivative, demo_network
from tests.pages._apptest import (
    assert_clean,
    chart,
    charts,
    decode_plotly,
    latex,
    markdown_text,
    metric,
    number,
    open_page,
    open_recording_drags,
    tables,
)
from words.backprop import ACTIVATION_TEX, backprop_stages

PAGE = "pages/backprop.py"
HEADING = ": its matrices"  # the stage chart's heading ends so
SLIDERS = {  # key: (min, middle, max)
    "backprop_b": (1, 9, 16),
    "backprop_d": (2, 4, 6),
    "backprop_h": (2, 5, 8),
    "backprop_c": (2, 3, 5),
}


@pytest.fixture
def at():
    return open_page(PAGE)


def settings(at) -> tuple:
    return (
        at.slider(key="backprop_b").value,
        at.slider(key="backprop_d").value,
        at.slider(key="backprop_h").value,
        at.slider(key="backprop_c").value,
        at.selectbox(key="backprop_act").value,
        int(at.number_input(key="backprop_seed").value),
    )


def reference(at):
    """The batch and the network the page should be showing, built here from the widgets."""
    batch, features, hidden, classes, activation, seed = settings(at)
    x, y = gaussian_blobs(batch, features, classes, seed=seed)
    net = demo_network([features, hidden, hidden, hidden, classes], activation=activation, seed=seed)
    return x, y, net


def gradcheck_table(at):
    return next(t for t in tables(at) if "max relative error" in t.columns)


def check_page(at) -> None:
    """Everything on the page agrees with the network built from the widgets."""
    assert_clean(at)
    x, y, net = reference(at)
    batch, features, hidden, classes, *_ = settings(at)
    assert number(metric(at, "Loss L (nats)")) == pytest.approx(net.loss_value(x, y), abs=6e-7)
    assert metric(at, "Parameters") == str(net.n_params)
    assert number(metric(at, "Largest relative error, all parameters")) < 1e-6
    table = gradcheck_table(at)
    assert list(table.index) == ["W1", "b1", "W2", "b2", "W3", "b3", "W4", "b4"]
    assert set(table["< 10⁻⁶"]) == {"✓"}
    assert all(number(v) < 1e-6 for v in table["max relative error"])
    assert table.loc["W1", "shape"] == f"D×H = {features}×{hidden}"
    assert table.loc["W4", "shape"] == f"H×C = {hidden}×{classes}"
    assert table.loc["b4", "shape"] == f"C = {classes}"
    _, grads = net.loss_and_grads(x, y)
    for name in ("W1", "b4"):
        assert number(table.loc[name, "max |∇|"]) == pytest.approx(np.abs(grads[name]).max(), rel=1e-3)
    scatter = chart(at, "The batch")
    assert sum(len(trace["x"]) for trace in scatter["data"]) == batch
    assert [trace["name"] for trace in scatter["data"]] == [f"class {c + 1}" for c in np.unique(y)]
    check_stage(at, x, y, net)


def stage_chart(at) -> dict:
    """The stage's one chart: its heading (an annotation, not the title) names the stage."""
    found = [
        fig for fig in charts(at) if any(HEADING in a["text"] for a in fig["layout"].get("annotations", []))
    ]
    assert len(found) == 1, [fig["layout"]["title"]["text"] for fig in charts(at)]
    return found[0]


def panels(at) -> list[dict]:
    """The heatmaps of the stage: the panels of its one chart, in order (each named by its panel title)."""
    return stage_chart(at)["data"]


def panel(at, name: str) -> np.ndarray:
    """The values of the panel whose title starts with ``name`` (e.g. ``"σ′(z₃)"``)."""
    found = [trace for trace in panels(at) if trace["name"].startswith(f"{name}  (")]
    assert len(found) == 1, [trace["name"] for trace in panels(at)]
    return np.asarray(found[0]["z"], dtype=float)


def check_stage(at, x, y, net) -> None:
    """The current stage's heading, heatmaps and dimension checks are those of words.backprop_stages."""
    number_shown = at.slider(key="backprop_stage").value
    stage = backprop_stages(net, x, y)[number_shown - 1]
    assert f"Stage {number_shown} of 12 · {stage.title}" in markdown_text(at)
    heatmaps = panels(at)
    assert [trace["type"] for trace in heatmaps] == ["heatmap"] * len(stage.matrices)
    *titles, heading = [annotation["text"] for annotation in stage_chart(at)["layout"]["annotations"]]
    assert heading == f"<b>Stage {number_shown} of 12</b>{HEADING}"
    for trace, title, matrix in zip(heatmaps, titles, stage.matrices, strict=True):
        rows, cols = matrix.values.shape
        assert title == f"{matrix.name}  ({'×'.join(matrix.symbols)} = {rows}×{cols})"
        assert trace["name"] == title
        np.testing.assert_allclose(np.asarray(trace["z"], dtype=float), matrix.values, rtol=1e-12, atol=1e-15)
    checks = next(t for t in tables(at) if "in symbols" in t.columns)
    assert list(checks.index) == [product for product, *_ in stage.checks]
    assert list(checks["this batch"]) == [numeric for *_, numeric in stage.checks]
    assert all("✓" in text for text in checks["this batch"])
    for formula in stage.formulas:
        assert formula in latex(at)


def test_default_page_shows_seed_001s_network_and_the_first_forward_stage(at):
    assert settings(at) == (8, 2, 5, 3, "relu", 0)
    assert [t.value for t in at.title] == ["Backpropagation"]
    assert at.slider(key="backprop_stage").value == 1
    text = markdown_text(at)
    assert "D → H → H → H → C = 2 → 5 → 5 → 5 → 3" in text
    assert "93 parameters" in text
    assert [fig["layout"]["title"]["text"] for fig in charts(at)] == [
        "The batch (features 1 and 2)" if settings(at)[1] > 2 else "The batch: B labelled points",
        "",  # the stage is named by a heading inside the chart (the browser redraws the chart stage by stage)
    ]
    assert [trace["name"] for trace in panels(at)] == [
        "X  (B×D = 8×2)",
        "W₁  (D×H = 2×5)",
        "z₁  (B×H = 8×5)",
        "a₁  (B×H = 8×5)",
    ]
    checks = next(t for t in tables(at) if "in symbols" in t.columns)
    assert list(checks["in symbols"]) == [
        "(B×D)·(D×H) → (B×H) ✓",
        "(B×H) + (H) → (B×H) ✓ (b added to every row)",
    ]
    assert list(checks["this batch"]) == [
        "(8×2)·(2×5) → (8×5) ✓",
        "(8×5) + (5) → (8×5) ✓ (b added to every row)",
    ]
    check_page(at)


@pytest.mark.parametrize(("key", "index"), [(key, i) for key in SLIDERS for i in range(3)])
def test_each_size_slider_at_min_middle_and_max(at, key, index):
    at.slider(key=key).set_value(SLIDERS[key][index]).run()
    assert at.slider(key=key).value == SLIDERS[key][index]
    check_page(at)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_each_activation(at, activation):
    at.selectbox(key="backprop_act").set_value(activation).run()
    at.slider(key="backprop_stage").set_value(7).run()  # δ³ = (δ⁴ W₄ᵀ) ⊙ σ'(z₃)
    check_page(at)
    assert ACTIVATION_TEX[activation][1] in latex(at)
    x, y, net = reference(at)
    net.forward(x)
    sigma_prime = panel(at, "σ′(z₃)")
    np.testing.assert_allclose(sigma_prime, activation_derivative(net.zs[3], activation), atol=1e-15)


@pytest.mark.parametrize("seed", [0, 500, 999])
def test_seed_changes_the_batch_and_the_weights(at, seed):
    before = panel(at, "X")
    at.number_input(key="backprop_seed").set_value(seed).run()
    check_page(at)
    assert np.array_equal(panel(at, "X"), before) == (seed == 0)


@pytest.mark.parametrize("stage", range(1, 13))
def test_every_stage(at, stage):
    at.slider(key="backprop_stage").set_value(stage).run()
    assert_clean(at)
    x, y, net = reference(at)
    check_stage(at, x, y, net)


def test_output_stage_shows_where_the_one_over_b_lives(at):
    at.slider(key="backprop_b").set_value(4).run()
    at.slider(key="backprop_stage").set_value(5).run()
    assert_clean(at)
    x, y, net = reference(at)
    logits = net.forward(x)
    expected = (softmax(logits) - one_hot(y, 3)) / 4
    np.testing.assert_allclose(panel(at, "δ⁴"), expected, atol=1e-16)
    assert "Where the 1/B lives" in at.info[0].value
    assert r"B = 4" in latex(at)


def test_last_stage_corrects_the_seeds_gradient_label(at):
    at.slider(key="backprop_stage").set_value(12).run()
    assert_clean(at)
    warning = at.warning[0].value
    assert "∇W₂ = xᵀδ¹" in warning
    assert "∇W₁ = Xᵀδ¹" in warning
    assert r"\nabla_{W_1} L = X^\top \delta^{1}" in latex(at)
    x, y, net = reference(at)
    _, grads = net.loss_and_grads(x, y)
    np.testing.assert_allclose(panel(at, "∇W₁"), grads["W1"], atol=1e-16)
    np.testing.assert_allclose(panel(at, "∇W₁"), x.T @ net.deltas[1], atol=1e-15)


def test_previous_and_next_buttons_step_and_stop_at_the_ends(at):
    at.button(key="backprop_prev").click().run()
    assert at.slider(key="backprop_stage").value == 1
    at.button(key="backprop_next").click().run()
    at.button(key="backprop_next").click().run()
    assert at.slider(key="backprop_stage").value == 3
    assert "Stage 3 of 12" in markdown_text(at)
    at.button(key="backprop_prev").click().run()
    assert at.slider(key="backprop_stage").value == 2
    at.slider(key="backprop_stage").set_value(12).run()
    at.button(key="backprop_next").click().run()
    assert at.slider(key="backprop_stage").value == 12
    assert_clean(at)


def test_general_rule_and_the_corrected_four_layer_list(at):
    text = latex(at)
    assert r"\delta^{l} &= \bigl(\delta^{l+1} W_{l+1}^\top\bigr) \odot \sigma'(z_l)" in text
    assert r"\nabla_{W_1} &= X^\top \delta^1" in text
    assert r"\nabla_{W_2} &= \sigma(z_1)^\top \delta^2" in text


def test_bits_unit_keeps_nats_and_says_why(at):
    at.sidebar.radio(key="units").set_value("bits").run()
    assert_clean(at)
    assert any("works in nats" in c.value for c in at.caption)
    x, y, net = reference(at)
    assert number(metric(at, "Loss L (nats)")) == pytest.approx(net.loss_value(x, y), abs=6e-7)


def test_a_dead_relu_layer_is_explained(at):
    # B = 1, D = 6, H = 2, C = 2, seed 0: both units of hidden layer 2 are 0 for the one example.
    for key, value in (("backprop_b", 1), ("backprop_d", 6), ("backprop_h", 2), ("backprop_c", 2)):
        at.slider(key=key).set_value(value).run()
    check_page(at)
    x, y, net = reference(at)
    _, grads = net.loss_and_grads(x, y)
    dead = [name for name, g in grads.items() if not g.any()]
    assert dead == ["W1", "b1", "W2", "b2", "W3"]
    assert any(c.value.startswith("W1, b1, W2, b2, W3: exactly zero gradient") for c in at.caption)
    at.selectbox(key="backprop_act").set_value("tanh").run()
    check_page(at)
    assert not any("exactly zero gradient" in c.value for c in at.caption)


def test_every_stage_is_drawn_in_the_browser_from_cores_matrices(monkeypatch):
    """The stage slider's listener carries each stage's whole figure, at one height, with core's matrices."""
    at, sent = open_recording_drags(PAGE, monkeypatch)
    at.slider(key="backprop_b").set_value(5).run()
    at.selectbox(key="backprop_act").set_value("tanh").run()
    assert_clean(at)
    widget, payload = sent["backprop_stage_matrices"]
    assert widget == "backprop_stage"
    assert payload["values"] == list(range(1, 13))
    figures = decode_plotly(payload["figures"])
    assert len({fig["layout"]["height"] for fig in figures}) == 1  # the page never jumps
    assert all("title" not in fig["layout"] for fig in figures)  # the chart keeps its own
    x, y, net = reference(at)
    stages = backprop_stages(net, x, y)
    for k, (fig, stage) in enumerate(zip(figures, stages, strict=True), start=1):
        *titles, heading = [annotation["text"] for annotation in fig["layout"]["annotations"]]
        assert heading == f"<b>Stage {k} of 12</b>{HEADING}"
        for trace, title, matrix in zip(fig["data"], titles, stage.matrices, strict=True):
            rows, cols = matrix.values.shape
            assert title == trace["name"] == f"{matrix.name}  ({'×'.join(matrix.symbols)} = {rows}×{cols})"
            np.testing.assert_allclose(
                np.asarray(trace["z"], dtype=float), matrix.values, rtol=1e-12, atol=1e-15
            )
    for k in (1, 7, 12):  # the stage drawn by the page is its frame: a drag starts without a jump
        at.slider(key="backprop_stage").set_value(k).run()
        check_frame(stage_chart(at), {"figures": figures}, k - 1)
        check_stage(at, x, y, net)
