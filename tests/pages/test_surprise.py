"""The Surprise page: the guessing game and the -log p explorer, driven through AppTest."""

import math

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.figures.scrub import check_frame
from core.formatting import signed
from core.information import surprise
from core.losses import binary_cross_entropy_grad
from tests.pages._apptest import (
    APP,
    annotation_texts,
    assert_clean,
    chart,
    markdown_text,
    metric,
    metrics,
    open_page,
    open_recording_drags,
    trace,
)
from ui.common import UNITS_KEY

PAGE = "pages/surprise.py"
GAME = ("sur_cat", "sur_dog", "sur_bird", "sur_fish")
EXPLORER = ("sur_x_cat", "sur_x_dog", "sur_x_bird")


@pytest.fixture
def at():
    return open_page(PAGE)


def _game(at):
    return (metric(at, "Surprise (bits)", 0), metric(at, "CE loss (nats)", 0), metric(at, "Wasted bits"))


def _explorer(at):
    return (metric(at, "P(true class)"), metric(at, "CE loss (nats)", 1), metric(at, "Surprise (bits)", 1))


def _texts(fig) -> list[str]:
    """Every text the chart writes: its traces' texts (labels, readouts) and its annotations."""
    return [text for t in fig["data"] for text in t.get("text") or []] + annotation_texts(fig)


def test_defaults_show_the_seed_numbers_with_the_wasted_bits_corrected(at):
    assert [t.value for t in at.title] == ["Surprise"]
    # Seed: Cat 85/10/3/2, true Cat -> 0.23 bits, 0.1625 nats. The seed's "0.00 wasted bits" is wrong:
    # for a one-hot truth KL(P || Q) = H(P, Q) - 0 = the surprise.
    assert _game(at) == ("0.23", "0.1625", "0.23")
    assert [at.slider(key=k).value for k in GAME] == [85, 10, 3, 2]
    assert at.radio(key="sur_true").value == 0
    assert "H(P) = 0.00 bits" in markdown_text(at)
    assert "Confident and right." in at.info[0].value
    # Seed explorer: 70/20/10 -> 70.0 %, 0.3567 nats, 0.51 bits, "moderate confidence".
    assert _explorer(at) == ("70.0%", "0.3567", "0.51")
    assert "**Moderate confidence.**" in markdown_text(at)
    assert len(at.latex) >= 2


def test_game_chart_shows_q_and_the_surprise_of_every_answer(at):
    fig = chart(at, 0)
    np.testing.assert_allclose(trace(fig, "prediction Q")["y"], [85, 10, 3, 2])
    np.testing.assert_allclose(trace(fig, "truth P (one-hot, outline)")["y"], [100, 0, 0, 0])
    surprise = trace(fig, "surprise −log₂ q (bits)")
    np.testing.assert_allclose(surprise["y"], -np.log2([0.85, 0.10, 0.03, 0.02]), rtol=1e-12)
    assert surprise["text"] == ["0.23", "3.32", "5.06", "5.64"]
    assert surprise["x"][0].endswith("Cat ✓")
    assert "The answer is 🐱 Cat" in fig["layout"]["title"]["text"]


@pytest.mark.parametrize(
    ("preset", "weights", "expected"),
    [
        ("unsure", [30, 25, 25, 20], ("1.74", "1.2040", "1.74")),
        ("wrong", [5, 85, 6, 4], ("4.32", "2.9957", "4.32")),
        ("right", [85, 10, 3, 2], ("0.23", "0.1625", "0.23")),
    ],
)
def test_presets_set_the_sliders_and_the_numbers(at, preset, weights, expected):
    at.slider(key="sur_cat").set_value(50).run()
    at.button(key=f"sur_preset_{preset}").click().run()
    assert_clean(at)
    assert [at.slider(key=k).value for k in GAME] == weights
    assert _game(at) == expected
    assert len(at.info) == 1  # the preset's description, since the sliders match it


@pytest.mark.parametrize(
    ("true_index", "expected"),
    [(1, ("3.32", "2.3026", "3.32")), (2, ("5.06", "3.5066", "5.06")), (3, ("5.64", "3.9120", "5.64"))],
)
def test_revealing_another_answer_changes_surprise_loss_and_wasted_bits(at, true_index, expected):
    at.radio(key="sur_true").set_value(true_index).run()
    assert_clean(at)
    assert _game(at) == expected
    assert not at.info  # no preset has this state
    fig = chart(at, 0)
    assert trace(fig, "truth P (one-hot, outline)")["y"][true_index] == 100


def test_a_slider_that_does_not_sum_to_100_is_normalised_and_shown(at):
    at.slider(key="sur_cat").set_value(100).run()  # max: 100/10/3/2 sums to 115
    assert_clean(at)
    assert _game(at) == (
        f"{-math.log2(100 / 115):.2f}",
        f"{-math.log(100 / 115):.4f}",
        f"{-math.log2(100 / 115):.2f}",
    )
    assert any("add up to 115%" in c.value and "Cat 87.0%" in c.value for c in at.caption)
    np.testing.assert_allclose(trace(chart(at, 0), "prediction Q")["y"], np.array([100, 10, 3, 2]) / 1.15)

    at.slider(key="sur_dog").set_value(50).run()  # a middle value
    assert_clean(at)
    assert metric(at, "Surprise (bits)", 0) == f"{-math.log2(100 / 155):.2f}"  # the game's


def test_zero_probability_for_the_truth_shows_infinite_surprise_not_an_error(at):
    at.slider(key="sur_cat").set_value(0).run()  # min
    assert_clean(at)
    assert _game(at) == ("∞", "∞", "∞")
    assert any("infinite" in w.value for w in at.warning)
    surprise = trace(chart(at, 0), "surprise −log₂ q (bits)")
    assert surprise["text"][0] == "∞"


def test_all_sliders_at_zero_warn_instead_of_failing(at):
    for key in GAME:
        at.slider(key=key).set_value(0)
    at.run()
    assert_clean(at)
    assert any("all 0" in w.value for w in at.warning)
    # No game metrics; the explorer below still works.
    assert metrics(at) == [
        ("P(true class)", "70.0%"),
        ("CE loss (nats)", "0.3567"),
        ("Surprise (bits)", "0.51"),
    ]


@pytest.mark.parametrize(
    ("key", "value", "expected_sliders", "expected", "sentence"),
    [
        ("sur_x_cat", 0.5, [0.5, 66.5, 33.0], ("0.5%", "5.2983", "7.64"), "**Confidently wrong.**"),
        ("sur_x_cat", 99.0, [99.0, 0.5, 0.5], ("99.0%", "0.0101", "0.01"), "**Confident and right.**"),
        ("sur_x_cat", 30.0, [30.0, 46.5, 23.5], ("30.0%", "1.2040", "1.74"), "**Doubtful.**"),
        ("sur_x_dog", 50.0, [44.0, 50.0, 6.0], ("44.0%", "0.8210", "1.18"), "**Doubtful.**"),
        ("sur_x_bird", 99.0, [0.5, 0.5, 99.0], ("0.5%", "5.2983", "7.64"), "**Confidently wrong.**"),
        ("sur_x_bird", 0.5, [77.5, 22.0, 0.5], ("77.5%", "0.2549", "0.37"), "**Moderate confidence.**"),
    ],
)
def test_explorer_sliders_always_sum_to_100_and_move_the_point(
    at, key, value, expected_sliders, expected, sentence
):
    at.slider(key=key).set_value(value).run()
    assert_clean(at)
    values = [at.slider(key=k).value for k in EXPLORER]
    assert values == expected_sliders
    assert sum(values) == 100.0
    assert _explorer(at) == expected
    assert sentence in markdown_text(at)
    fig = chart(at, 1)
    point = trace(fig, "you are here")
    assert point["x"][0] == pytest.approx(expected_sliders[0] / 100)
    assert point["y"][0] == pytest.approx(-math.log(expected_sliders[0] / 100))


def test_curve_follows_the_sidebar_unit(at):
    fig = chart(at, 1)
    assert fig["layout"]["yaxis"]["title"]["text"] == "loss (nats)"
    assert "p = 70.0%, loss = 0.3567 nats<br>slope −1.43 nats per unit p" in _texts(fig)
    assert "slope −1.43" in _texts(fig)

    at.sidebar.radio(key=UNITS_KEY).set_value("bits").run()
    assert_clean(at)
    fig = chart(at, 1)
    assert fig["layout"]["yaxis"]["title"]["text"] == "loss (bits)"
    assert "p = 70.0%, loss = 0.5146 bits<br>slope −2.06 bits per unit p" in _texts(fig)
    assert "slope −2.06" in _texts(fig)  # -1 / (0.7 ln 2)
    assert trace(fig, "you are here")["y"][0] == pytest.approx(-math.log2(0.7))
    # The metrics show both units, as the seed does, whatever the sidebar says.
    assert _game(at) == ("0.23", "0.1625", "0.23")
    assert _explorer(at) == ("70.0%", "0.3567", "0.51")


@pytest.mark.parametrize(
    ("unit", "slope", "formula"), [("nats", "−1.43", r"-\ln p_t"), ("bits", "−2.06", r"-\log_2 p_t")]
)
def test_the_sentence_the_tangent_and_the_formula_agree_on_the_slope_in_the_chosen_unit(
    at, unit, slope, formula
):
    at.sidebar.radio(key=UNITS_KEY).set_value(unit).run()
    assert_clean(at)
    assert f"slope {slope}" in _texts(chart(at, 1))  # the tangent's label, -1/(p ln b) at p = 0.7
    sentence = next(md.value for md in at.main.markdown if md.value.startswith("**Moderate confidence.**"))
    assert f"= {slope} {unit} per unit of probability" in sentence
    other = "−2.06" if unit == "nats" else "−1.43"
    assert other not in sentence
    assert any(formula in block.value for block in at.latex)


def test_the_wasted_bits_correction_is_said_next_to_the_number(at):
    assert "shows 0.00 wasted bits here: a slip" in markdown_text(at)


def test_curve_names_the_confidence_bands(at):
    texts = annotation_texts(chart(at, 1))
    for band in ("confidently<br>wrong", "doubtful", "moderate", "confident"):
        assert band in texts


# ---------------------------------------------------------------------------------------------- scrubbing
@pytest.fixture
def dragged(monkeypatch):
    return open_recording_drags(PAGE, monkeypatch)


def _slider_values(at, key):
    """Every value the slider can take, from what the page gave st.slider."""
    slider = at.slider(key=key)
    decimals = len(repr(float(slider.step)).split(".")[1])
    count = round((slider.max - slider.min) / slider.step) + 1
    return [round(slider.min + k * slider.step, decimals) for k in range(count)]


@pytest.mark.parametrize("unit", ["nats", "bits"])
def test_the_curve_follows_a_drag_of_the_true_class_in_the_sidebars_unit(dragged, unit):
    at, sent = dragged
    if unit == "bits":
        at.sidebar.radio(key=UNITS_KEY).set_value("bits").run()
        assert_clean(at)
    assert list(sent) == ["sur_curve_chart"]  # only the explorer's true class sweeps the curve
    widget, payload = sent["sur_curve_chart"]
    assert widget == "sur_x_cat"
    values = _slider_values(at, "sur_x_cat")
    assert len(values) == 198
    assert payload["values"] == values
    base = 2 if unit == "bits" else math.e
    for value, (tangent, guides, point, label, readout) in zip(values, payload["frames"], strict=True):
        p = value / 100
        loss = float(surprise(p, base=base))
        slope = float(binary_cross_entropy_grad(p, 1.0)) / math.log(base)
        assert point == {"x": [p], "y": [pytest.approx(loss, rel=1e-12)]}
        assert guides["y"][1] == point["y"][0]
        assert (tangent["y"][1] - tangent["y"][0]) / (tangent["x"][1] - tangent["x"][0]) == pytest.approx(
            slope
        )
        # The tangent's label and the readout name the same slope, in the unit the readout names.
        assert label["text"] == [f"slope {signed(slope, 2)}"]
        assert readout["text"] == [
            f"p = {value:.1f}%, loss = {loss:.4f} {unit}<br>slope {signed(slope, 2)} {unit} per unit p"
        ]
    check_frame(chart(at, 1), payload, values.index(70.0))


def test_after_a_release_the_frame_at_the_new_value_is_the_chart(dragged):
    at, sent = dragged
    at.slider(key="sur_x_dog").set_value(50.0).run()  # Cat follows: 44 %
    assert_clean(at)
    check_frame(chart(at, 1), sent["sur_curve_chart"][1], _slider_values(at, "sur_x_cat").index(44.0))


def test_a_link_holds_the_sliders_minimum_not_only_values_away_from_it():
    """A control is left out of the link at its declared default, so the page declares its real defaults:
    a link with Cat at 0.5 % (the drag's end) or the game's Cat at 0 % opens that view."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.query_params["sur_x_cat"] = "0.5"
    at.query_params["sur_cat"] = "0"
    at.switch_page(PAGE)
    at.run()
    assert_clean(at)
    assert at.slider(key="sur_x_cat").value == 0.5
    assert _explorer(at) == ("0.5%", "5.2983", "7.64")
    assert _game(at) == ("∞", "∞", "∞")
