"""The Mini-batches page: every widget changed, and what it shows checked against core."""

import json

import numpy as np
import pytest

from core.figures.scrub import check_frame
from core.minibatch import gaussian_blobs, minibatch_indices, most_variable_entry, per_example_grads
from core.mlp import demo_network
from tests.pages._apptest import assert_clean, chart, metric, number, open_page, tables

PAGE = "pages/minibatch.py"
N, SIZES = 2048, [2, 16, 16, 16, 3]
PARAMS = ["b4", "W4", "b3", "W3", "b2", "W2", "b1", "W1"]


@pytest.fixture(scope="module")
def data():
    x, y = gaussian_blobs(N, 2, 3, seed=0)
    return x, y, demo_network(SIZES, seed=0)


@pytest.fixture
def at():
    return open_page(PAGE)


def entry(data, name: str) -> tuple[int, ...]:
    x, y, net = data
    return most_variable_entry(net, x, y, name)[0]


def label(name: str, index) -> str:
    return (
        name[0]
        + name[1:].translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
        + ("[" + ", ".join(str(i + 1) for i in index) + "]")
    )


def check_batch_section(at, data) -> None:
    """Section 1 and 2: the bars are the batch's per-example gradients, their mean is backprop's."""
    assert_clean(at)
    x, y, net = data
    name = at.selectbox(key="minibatch_param").value
    batch = at.slider(key="minibatch_b").value
    draw = int(at.number_input(key="minibatch_draw").value)
    index = entry(data, name)
    idx = minibatch_indices(N, batch, seed=draw)
    per = per_example_grads(net, x[idx], y[idx])[name][(slice(None),) + index]
    _, grads = net.loss_and_grads(x[idx], y[idx])
    fig = chart(at, f"Per-example gradients of {label(name, index)}")
    bars, line = fig["data"]
    np.testing.assert_allclose(bars["y"], per, atol=1e-15)
    assert len(bars["y"]) == batch
    assert line["y"][0] == pytest.approx(per.mean(), abs=1e-15)
    assert number(metric(at, "Backprop on the batch")) == pytest.approx(grads[name][index], abs=6e-6)
    assert number(metric(at, "Mean of the bars")) == pytest.approx(per.mean(), abs=6e-6)
    assert number(metric(at, "Difference")) < 1e-14
    routes = tables(at)[0]
    assert list(routes.index) == ["∇b₄[1]", "∇b₄[2]", "∇b₄[3]"]
    for column in routes.columns:
        np.testing.assert_allclose([number(v) for v in routes[column]], grads["b4"], atol=6e-9)
    assert number(metric(at, "∇b₄, largest difference")) < 1e-15
    assert number(metric(at, "∇W₄ (16×3), largest difference")) < 1e-15


def check_spread_section(at, data) -> None:
    assert_clean(at)
    name = at.selectbox(key="minibatch_param").value
    index = entry(data, name)
    draws = at.select_slider(key="minibatch_draws").value
    replace = at.radio(key="minibatch_sampling").value == "with replacement"
    fig = chart(at, f"Spread of the mini-batch gradient of {label(name, index)}")
    names = [trace["name"] for trace in fig["data"]]
    assert names[:2] == ["measured", "σ/√B (slope −1/2)"]
    assert len(names) == (2 if replace else 3)
    sizes = np.asarray(fig["data"][0]["x"])
    measured = np.asarray(fig["data"][0]["y"])
    np.testing.assert_array_equal(sizes, [1, 2, 4, 8, 16, 32, 64, 128, 256])
    slope = number(metric(at, "Fitted slope"))
    assert slope == pytest.approx(np.polyfit(np.log(sizes), np.log(measured), 1)[0], abs=5e-4)
    assert abs(slope + 0.5) < (0.08 if draws >= 200 else 0.15)
    theory = np.asarray(fig["data"][1]["y"])
    sigma = number(metric(at, "σ (one example)"))
    np.testing.assert_allclose(theory, theory[0] / np.sqrt(sizes), rtol=1e-12)
    assert theory[0] == pytest.approx(sigma, abs=6e-5)
    x, y, net = data
    _, full = net.loss_and_grads(x, y)
    assert number(metric(at, "Full-data gradient")) == pytest.approx(full[name][index], abs=6e-5)
    assert np.all(np.abs(np.log(measured / theory)) < (0.25 if draws >= 200 else 0.45))
    assert f"For each B, {draws} mini-batches" in "\n".join(m.value for m in at.markdown)


def test_default_page(at, data):
    assert at.selectbox(key="minibatch_param").value == "b4"
    assert at.slider(key="minibatch_b").value == 16
    assert at.select_slider(key="minibatch_draws").value == 200
    assert at.radio(key="minibatch_sampling").value == "without replacement"
    check_batch_section(at, data)
    check_spread_section(at, data)


@pytest.mark.parametrize("name", PARAMS)
def test_every_parameter(at, data, name):
    at.selectbox(key="minibatch_param").set_value(name).run()
    check_batch_section(at, data)
    check_spread_section(at, data)


@pytest.mark.parametrize("batch", [2, 33, 64])
def test_batch_size_min_middle_max(at, data, batch):
    at.slider(key="minibatch_b").set_value(batch).run()
    check_batch_section(at, data)


@pytest.mark.parametrize("draw", [0, 4321, 9999])
def test_draw_number_picks_another_batch(at, data, draw):
    before = chart(at, "Per-example gradients")["data"][0]["y"]
    at.number_input(key="minibatch_draw").set_value(draw).run()
    check_batch_section(at, data)
    after = chart(at, "Per-example gradients")["data"][0]["y"]
    assert np.array_equal(before, after) == (draw == 0)


@pytest.mark.parametrize("draws", [50, 500, 1000])
def test_number_of_draws(at, data, draws):
    at.select_slider(key="minibatch_draws").set_value(draws).run()
    check_spread_section(at, data)


def test_with_replacement_drops_the_finite_population_line(at, data):
    at.radio(key="minibatch_sampling").set_value("with replacement").run()
    check_spread_section(at, data)
    at.radio(key="minibatch_sampling").set_value("without replacement").run()
    check_spread_section(at, data)
    fig = chart(at, "Spread of the mini-batch gradient")
    finite = np.asarray(fig["data"][2]["y"])
    theory = np.asarray(fig["data"][1]["y"])
    sizes = np.asarray(fig["data"][2]["x"])
    np.testing.assert_allclose(finite, theory * np.sqrt((N - sizes) / (N - 1)), rtol=1e-12)


@pytest.mark.parametrize("draw", [0, 4321])
def test_dragging_b_moves_the_bars_and_axes_through_cores_batches(monkeypatch, data, draw):
    calls = []

    def follow(chart_key, widget_key, payload, *, layout=None, redraw=False):
        calls.append((chart_key, widget_key, json.loads(payload), redraw))

    monkeypatch.setattr("ui.scrub.follow_drag", follow)
    at = open_page(PAGE)
    at.number_input(key="minibatch_draw").set_value(draw).run()
    assert_clean(at)
    chart_key, widget, payload, redraw = calls[-1]
    assert (chart_key, widget, redraw) == ("minibatch_per_example", "minibatch_b", True)
    assert payload["values"] == list(range(2, 65))
    x, y, net = data
    index = entry(data, "b4")
    for batch in (2, 24, 25, 64):
        idx = minibatch_indices(N, batch, seed=draw)
        per = per_example_grads(net, x[idx], y[idx])["b4"][(slice(None),) + index]
        bars, line = payload["frames"][batch - 2]
        np.testing.assert_allclose(bars["y"], per, atol=1e-15)
        assert bars["x"] == list(range(1, batch + 1))
        assert line["y"] == pytest.approx([per.mean()] * 2, abs=1e-15)
        layout = payload["layouts"][batch - 2]
        assert layout["xaxis"] == {"range": [0.4, batch + 0.6], "dtick": 1 if batch <= 24 else 5}
        top = float(np.abs(per).max())
        assert layout["yaxis"]["range"] == pytest.approx([-1.25 * top, 1.25 * top])
    # the frame at B is the chart on the page: a drag starts without a jump
    check_frame(chart(at, "Per-example gradients"), payload, at.slider(key="minibatch_b").value - 2)
