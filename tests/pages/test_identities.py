"""The Vectorized identities page: every widget changed, and the numbers it shows checked against core."""

import numpy as np
import pytest

from core.figures.scrub import check_frame
from core.jacobians import IDENTITIES, identity_check, one_layer_example, one_layer_network
from tests.pages._apptest import (
    assert_clean,
    chart,
    decode_plotly,
    latex,
    metric,
    number,
    open_page,
    open_recording_drags,
    tables,
    z,
)

PAGE = "pages/identities.py"
DIFF = "max |analytic − numerical|"
NET_ERR = "Largest relative error of a gradient vs finite differences"
ROW_ERR = "Largest relative error, row convention"


@pytest.fixture
def at():
    return open_page(PAGE)


def settings(at) -> dict:
    return {
        "seed": int(at.number_input(key="ident_seed").value),
        "n": at.slider(key="ident_n").value,
        "m": at.slider(key="ident_m").value,
        "number": at.selectbox(key="ident_which").value,
        "f": at.radio(key="ident_f").value if at.selectbox(key="ident_which").value == 4 else "sigmoid",
    }


def panel(at, title: str) -> np.ndarray:
    """The values of the panel of the identity's chart whose title starts with ``title``."""
    fig = chart(at, "Identity (")
    found = [trace for trace in fig["data"] if trace["name"].startswith(title)]
    assert len(found) == 1, [trace["name"] for trace in fig["data"]]
    assert [a["text"] for a in fig["layout"]["annotations"]] == [trace["name"] for trace in fig["data"]]
    return np.asarray(found[0]["z"], dtype=float)


def check_identity_shown(at) -> None:
    """The three heatmaps and the metric are core.identity_check's for the current widgets."""
    assert_clean(at)
    s = settings(at)
    check = identity_check(s["number"], seed=s["seed"], n=s["n"], m=s["m"], elementwise=s["f"])
    analytic = check.analytic if check.analytic.ndim == 2 else check.analytic[None, :]
    np.testing.assert_allclose(panel(at, "Analytic: "), analytic, atol=1e-15)
    np.testing.assert_allclose(panel(at, "Numerical: "), check.numerical.reshape(analytic.shape), atol=1e-15)
    np.testing.assert_allclose(panel(at, "Analytic − numerical"), check.difference.reshape(analytic.shape))
    shown = number(metric(at, DIFF))
    assert shown < 1e-6
    assert shown == pytest.approx(check.max_abs_diff, rel=0.06)
    heading = f"**({s['number']}) {IDENTITIES[s['number']]}**"
    assert heading in [md.value for md in at.markdown]


def net_sizes(at) -> tuple[int, int, int]:
    return at.slider(key="ident_dx").value, at.slider(key="ident_dh").value, at.slider(key="ident_nc").value


def check_network_shown(at) -> None:
    """Shapes, gradient checks and the column/row comparison agree with core for the current widgets."""
    assert_clean(at)
    dx, dh, nc = net_sizes(at)
    seed = int(at.number_input(key="ident_seed").value)
    ex = one_layer_example(dx, dh, nc, seed=seed)
    out = one_layer_network(**ex)
    text = latex(at)
    assert rf"x_{{({dx}\times 1)}}" in text
    assert rf"\theta_{{({nc}\times 1)}}" in text
    assert rf"J = -\log \hat y_{{{ex['y'] + 1}}} = {float(out['J']):.4f}" in text
    grads, conventions = tables(at)
    assert list(grads["shape of gradient"]) == list(grads["shape of parameter"])
    assert list(grads["shape of parameter"]) == [
        f"({nc}×{dh})",
        f"({nc}×1)",
        f"({dh}×{dx})",
        f"({dh}×1)",
        f"({dx}×1)",
    ]
    assert all(number(v) < 1e-6 for v in grads["max relative error"])
    assert number(metric(at, NET_ERR)) < 1e-6
    assert number(metric(at, ROW_ERR)) < 1e-6
    assert all(number(v) < 1e-12 for v in conventions["max |column − rowᵀ|"])
    assert list(conventions["row convention"])[2] == f"({dx}×{dh})"
    column_w = z(chart(at, "Column convention"))
    row_w = z(chart(at, "Row convention"))
    np.testing.assert_allclose(column_w, out["W"], atol=1e-15)
    np.testing.assert_allclose(row_w, column_w.T, atol=1e-12)
    np.testing.assert_allclose(z(chart(at, "∂J/∂U")), out["U"], atol=1e-15)
    np.testing.assert_allclose(z(chart(at, "∂J/∂x")), out["x"], atol=1e-15)
    assert number(metric(at, "max |∂J/∂W − (∇W)ᵀ|")) < 1e-12


def test_default_page_checks_identity_1_and_the_network(at):
    assert settings(at) == {"seed": 1, "n": 3, "m": 4, "number": 1, "f": "sigmoid"}
    assert panel(at, "Analytic: W").shape == (3, 4)
    check_identity_shown(at)
    check_network_shown(at)


@pytest.mark.parametrize("number_", list(IDENTITIES))
def test_each_identity_shows_analytic_numerical_and_a_tiny_difference(at, number_):
    at.selectbox(key="ident_which").set_value(number_).run()
    check_identity_shown(at)
    expected_shape = {1: (3, 4), 2: (4, 3), 3: (3, 3), 4: (3, 3), 5: (3, 4), 6: (3, 4), 7: (1, 3)}[number_]
    assert panel(at, "Analytic: ").shape == expected_shape


def test_elementwise_function_choice_for_identity_4(at):
    at.selectbox(key="ident_which").set_value(4).run()
    for f in ("relu", "tanh", "sigmoid"):
        at.radio(key="ident_f").set_value(f).run()
        check_identity_shown(at)
        diag = np.diag(panel(at, "Analytic: "))
        if f == "relu":
            assert set(diag) <= {0.0, 1.0}
        else:
            assert np.all(diag > 0)
            assert np.all(diag <= (0.25 if f == "sigmoid" else 1.0))


@pytest.mark.parametrize("key", ["ident_n", "ident_m"])
def test_size_sliders_min_middle_max(at, key):
    for number_ in (2, 5):
        at.selectbox(key="ident_which").set_value(number_).run()
        for value in (1, 3, 5):
            at.slider(key=key).set_value(value).run()
            check_identity_shown(at)
    n, m = at.slider(key="ident_n").value, at.slider(key="ident_m").value
    assert panel(at, "Analytic: ").shape == (n, m)  # identity (5): the shape of W


def test_seed_min_middle_max_redraws_everything(at):
    first = panel(at, "Analytic: W")
    for seed in (0, 5000, 9999):
        at.number_input(key="ident_seed").set_value(seed).run()
        check_identity_shown(at)
        check_network_shown(at)
    assert not np.array_equal(first, panel(at, "Analytic: W"))


@pytest.mark.parametrize(
    ("key", "values"), [("ident_dx", (1, 3, 6)), ("ident_dh", (1, 4, 6)), ("ident_nc", (2, 4, 6))]
)
def test_network_size_sliders_min_middle_max(at, key, values):
    for value in values:
        at.slider(key=key).set_value(value).run()
        assert net_sizes(at)[["ident_dx", "ident_dh", "ident_nc"].index(key)] == value
        check_network_shown(at)


def test_largest_network_and_identity_sizes_together(at):
    for key, value in (("ident_n", 5), ("ident_m", 5), ("ident_dx", 6), ("ident_dh", 6), ("ident_nc", 6)):
        at.slider(key=key).set_value(value)
    at.selectbox(key="ident_which").set_value(6).run()
    check_identity_shown(at)
    check_network_shown(at)


def test_dragging_n_or_m_draws_cores_check_at_every_size(monkeypatch):
    """n's and m's listeners carry the identity's whole check at each of their values, the other one fixed."""
    at, sent = open_recording_drags(PAGE, monkeypatch)
    at.selectbox(key="ident_which").set_value(2).run()
    at.slider(key="ident_m").set_value(4).run()
    assert_clean(at)
    s = settings(at)
    for chart_key, widget in (("ident_check", "ident_n"), ("ident_check_box", "ident_m")):
        sent_widget, payload = sent[chart_key]
        assert sent_widget == widget
        assert payload["values"] == [1, 2, 3, 4, 5]
        figures = decode_plotly(payload["figures"])
        assert len({fig["layout"]["height"] for fig in figures}) == 1  # the page never jumps
        for size, fig in zip(payload["values"], figures, strict=True):
            sizes = {"n": s["n"], "m": s["m"], widget[len("ident_") :]: int(size)}
            check = identity_check(2, seed=s["seed"], n=sizes["n"], m=sizes["m"], elementwise=s["f"])
            analytic, numerical, difference = (np.asarray(trace["z"], dtype=float) for trace in fig["data"])
            np.testing.assert_allclose(analytic, check.analytic, atol=1e-15)
            np.testing.assert_allclose(numerical, check.numerical, atol=1e-15)
            np.testing.assert_allclose(difference, check.difference, atol=0)
        # The chart on the page is its frame at the slider's value: a drag starts without a jump.
        check_frame(chart(at, "Identity ("), {"figures": figures}, payload["values"].index(s[widget[-1]]))
    check_identity_shown(at)
