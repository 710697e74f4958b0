"""The Calibration lab through AppTest: every control at its minimum, middle and maximum, crafted links,
and every number the page shows checked against ``core`` run on the same settings."""

import functools
import json

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.calibration import calibration_at, train_calibration_run
from core.defaults import (
    CALIBRATION_BINS,
    CALIBRATION_COMPARE_SMOOTHING,
    CALIBRATION_EPOCH,
    CALIBRATION_EPOCHS,
    CALIBRATION_SMOOTHING,
    CALIBRATION_SMOOTHINGS,
    CALIBRATION_WIDTH,
    CALIBRATION_WIDTHS,
)
from core.figures.calibration import ReliabilityFrame, reliability_scrub_frames
from core.figures.scrub import check_frame
from core.formatting import number, percent
from core.units import in_unit
from tests.pages._apptest import (
    APP,
    assert_clean,
    chart,
    chart_titles,
    open_page,
    rerun,
    tables,
    text,
    values,
)
from ui.common import UNITS_KEY
from ui.scrub import scrub_payload
from words.calibration import cross_entropy_claim, diagram_readout, scaling_sentence, smoothing_claim

PAGE = "pages/calibration.py"
KEYS = {
    "epochs": "calibration_epochs",
    "width": "calibration_width",
    "eps": "calibration_eps",
    "bins": "calibration_bins",
}
SECTION_KEY = "calibration_section"  # the tabs under the diagrams: only the open one is drawn
OVER_EPOCHS, TEMPERATURE, CLAIMS = (
    "Over the epochs",
    "Temperature scaling",
    "Two claims, tested on this network",
)
DEFAULTS = {
    "epochs": CALIBRATION_EPOCH,
    "width": CALIBRATION_WIDTH,
    "eps": CALIBRATION_SMOOTHING,
    "bins": CALIBRATION_BINS[2],
}


@functools.cache
def _run(width, eps):
    return train_calibration_run(width, eps, CALIBRATION_EPOCHS)


def expected_at(width, eps, epochs, bins):
    return calibration_at(_run(width, eps), epochs, bins)


@pytest.fixture
def at() -> AppTest:
    return open_page(PAGE, timeout=180)


def _set(at: AppTest, name: str, value) -> AppTest:
    widget = at.slider(key=KEYS[name]) if name == "bins" else at.select_slider(key=KEYS[name])
    widget.set_value(value)
    return rerun(at)


def _open_section(at: AppTest, label: str) -> AppTest:
    """Open the tab ``label`` under the diagrams (as a click on it does) and rerun."""
    at.session_state[SECTION_KEY] = label
    return rerun(at)


def _check_numbers(at: AppTest, settings: dict, unit: str = "nats") -> None:
    """The scores table, the chart titles and the sentences are core's numbers for ``settings``."""
    width, eps, epochs, bins = (settings[k] for k in ("width", "eps", "epochs", "bins"))
    exp = expected_at(width, eps, epochs, bins)
    scores = tables(at)[0]
    t_column = f"T = {number(exp.fit.temperature, 3)}"
    assert list(scores.columns) == ["as trained", t_column]
    for column, s in (("as trained", exp.before), (t_column, exp.after)):
        assert scores.loc["accuracy", column] == percent(s.accuracy, 1, space=True)
        assert scores.loc["mean confidence", column] == percent(s.confidence, 1, space=True)
        assert scores.loc[f"ECE ({bins} bins)", column] == percent(s.ece, 2, space=True)
        assert scores.loc[f"NLL ({unit})", column] == number(in_unit(s.nll, unit), 4)
        assert scores.loc["Brier score", column] == number(s.brier, 4)
    assert chart_titles(at)[:2] == ["As trained", "After temperature scaling"]
    before, after = chart(at, "As trained"), chart(at, "After temperature scaling")
    for fig, scaled in ((before, False), (after, True)):
        readout = [t for t in fig["data"] if t.get("name") == "readout"][0]["text"]
        assert readout == [diagram_readout(exp, scaled=scaled)]
    shown = text(at)
    assert scaling_sentence(exp) in shown
    # the reliability bars are core's bins
    counts = [t for t in before["data"] if t.get("name") == "test digits per bin"][0]["y"]
    assert [int(c) for c in counts] == exp.before.reliability.counts.tolist()
    assert len(counts) == bins
    # the claims: plain cross-entropy and the smoothed network at the same width and epochs
    _open_section(at, CLAIMS)
    shown = text(at)
    plain = expected_at(width, 0.0, epochs, bins)
    eps_compare = eps if eps > 0 else CALIBRATION_COMPARE_SMOOTHING
    smoothed = expected_at(width, eps_compare, epochs, bins)
    assert cross_entropy_claim(plain, epochs) in shown
    assert smoothing_claim(plain, smoothed, eps_compare) in shown
    claims = tables(at)[1]
    assert claims["fitted T"].tolist() == [
        number(plain.fit.temperature, 3),
        number(smoothed.fit.temperature, 3),
    ]
    _open_section(at, OVER_EPOCHS)


def test_defaults_show_an_overconfident_network_that_temperature_scaling_repairs(at):
    assert [t.value for t in at.title] == ["Calibration lab"]
    assert [tab.label for tab in at.tabs] == [OVER_EPOCHS, TEMPERATURE, CLAIMS]
    diagrams = ["As trained", "After temperature scaling"]
    assert chart_titles(at) == [
        *diagrams,
        "Sure against right, epoch by epoch",
        "Loss on the test digits, epoch by epoch",
    ]
    assert chart_titles(_open_section(at, TEMPERATURE)) == [*diagrams, "NLL against the temperature"]
    assert chart_titles(_open_section(at, CLAIMS)) == diagrams
    _check_numbers(at, DEFAULTS)
    exp = expected_at(CALIBRATION_WIDTH, 0.0, CALIBRATION_EPOCH, CALIBRATION_BINS[2])
    assert exp.before.overconfidence > 0.02
    assert exp.fit.temperature > 1.5  # the story the page tells
    shown = text(_open_section(at, CLAIMS))
    assert "**Not here.** Trained with plain cross-entropy for 50 epochs" in shown
    assert "**It prevents it, and overshoots.** With ε = 0.1" in shown
    assert "Most of the over-confidence is gone" in shown
    assert any(
        c.value.startswith("Network 64 → 32 → 10 (ReLU), trained with cross-entropy") for c in at.caption
    )
    assert not at.warning


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("epochs", CALIBRATION_EPOCHS[0]),
        ("epochs", 10),
        ("epochs", CALIBRATION_EPOCHS[-1]),
        ("width", CALIBRATION_WIDTHS[0]),
        ("width", 64),
        ("width", CALIBRATION_WIDTHS[-1]),
        ("eps", CALIBRATION_SMOOTHINGS[-1]),
        ("eps", 0.05),
        ("bins", CALIBRATION_BINS[0]),
        ("bins", 17),
        ("bins", CALIBRATION_BINS[1]),
    ],
)
def test_each_control_at_min_middle_and_max_shows_cores_numbers(at, name, value):
    _set(at, name, value)
    _check_numbers(at, DEFAULTS | {name: value})


def test_label_smoothing_is_tested_with_the_chosen_epsilon(at):
    _set(at, "eps", 0.2)
    _open_section(at, CLAIMS)
    assert "Tested with ε" not in text(at)
    assert tables(at)[1].index.tolist() == ["cross-entropy (ε = 0)", "label smoothing (ε = 0.2)"]
    assert any("label-smoothed cross-entropy (ε = 0.2)" in c.value for c in at.caption)


def test_dragging_epochs_sends_each_diagram_every_epochs_numbers(monkeypatch):
    calls = []
    monkeypatch.setattr("ui.scrub.follow_drag", lambda *args, redraw=False: calls.append(args))
    at = open_page(PAGE, timeout=180)
    assert [(chart_key, widget) for chart_key, widget, _ in calls[-2:]] == [
        ("calibration_before", KEYS["epochs"]),
        ("calibration_after", KEYS["epochs"]),
    ]
    for (_, _, payload), scaled in zip(calls[-2:], (False, True), strict=True):
        states = []
        for epochs in CALIBRATION_EPOCHS:
            exp = expected_at(CALIBRATION_WIDTH, 0.0, epochs, CALIBRATION_BINS[2])
            scores = exp.after if scaled else exp.before
            states.append(ReliabilityFrame(scores.reliability, diagram_readout(exp, scaled=scaled)))
        # the select slider's range input holds its option's index, so the frames follow indices
        expected = scrub_payload(range(len(CALIBRATION_EPOCHS)), reliability_scrub_frames(states))
        assert payload == expected
        assert json.loads(payload)["values"] == list(range(len(CALIBRATION_EPOCHS)))
    assert not at.exception


@pytest.mark.parametrize("unit", ["nats", "bits"])
def test_dragging_epochs_moves_the_epoch_by_epoch_charts_line_to_each_option(monkeypatch, unit):
    """The two charts of the first tab mark the epochs with a line a drag moves (ui.scrub): each frame
    puts it at its option, and the frame of the epochs on screen is the chart the page drew."""
    calls = {}
    monkeypatch.setattr(
        "ui.scrub.follow_drag", lambda chart, widget, payload, redraw=False: calls.update({chart: payload})
    )
    at = open_page(PAGE, timeout=180)
    if unit == "bits":
        at.sidebar.radio(key=UNITS_KEY).set_value("bits")
        rerun(at)
    drawn = {
        key: chart(at, title)
        for key, title in (
            ("calibration_confidence", "Sure against right, epoch by epoch"),
            ("calibration_nll", "Loss on the test digits, epoch by epoch"),
        )
    }
    for key, fig in drawn.items():
        payload = json.loads(calls[key])
        assert payload["values"] == list(range(len(CALIBRATION_EPOCHS)))
        lines = [i for i, t in enumerate(fig["data"]) if str(t.get("name", "")).startswith("chosen epoch")]
        assert set(lines) <= set(payload["traces"])
        for epochs, frame in zip(CALIBRATION_EPOCHS, payload["frames"], strict=True):
            for i, update in zip(payload["traces"], frame, strict=True):
                if i in lines:  # the epoch's lines move
                    assert update == {"x": [epochs, epochs]}
                else:  # a trace of each panel, touched unchanged so that plotly.js keeps the panel drawn
                    assert update == {"name": fig["data"][i]["name"]}
        check_frame(fig, payload, CALIBRATION_EPOCHS.index(CALIBRATION_EPOCH))
    nll = [t for t in drawn["calibration_nll"]["data"] if t.get("name") == "test NLL, as trained"][0]
    run = _run(CALIBRATION_WIDTH, 0.0)
    expected = np.asarray(run.curve["nll"])[1:] * in_unit(1.0, unit)
    assert np.allclose(values(nll["y"]), expected, rtol=1e-12)
    assert not at.exception


def test_a_drag_that_ends_on_a_step_sets_the_epochs(at):
    # What ui.scrub.follow_drag's callback does when the browser reports the step the grip stopped on.
    at.session_state[KEYS["epochs"]] = 10
    rerun(at)
    assert at.select_slider(key=KEYS["epochs"]).value == 10
    _check_numbers(at, DEFAULTS | {"epochs": 10})


def test_bits_change_the_nll_but_not_the_rest(at):
    at.sidebar.radio(key=UNITS_KEY).set_value("bits")
    rerun(at)
    _check_numbers(at, DEFAULTS, unit="bits")


def _open_link(params: dict) -> AppTest:
    test = AppTest.from_file(str(APP), default_timeout=180)
    for key, value in params.items():
        test.query_params[key] = value
    test.switch_page(PAGE)  # before the first run: a link opens the page directly, with its parameters
    test.run()
    assert_clean(test)
    return test


def test_a_link_sets_every_control():
    link = {KEYS["epochs"]: "100", KEYS["width"]: "16", KEYS["eps"]: "0.02", KEYS["bins"]: "25"}
    at = _open_link(link)
    assert at.select_slider(key=KEYS["epochs"]).value == 100
    assert at.select_slider(key=KEYS["width"]).value == 16
    assert at.select_slider(key=KEYS["eps"]).value == 0.02
    assert at.slider(key=KEYS["bins"]).value == 25
    _check_numbers(at, {"epochs": 100, "width": 16, "eps": 0.02, "bins": 25})


@pytest.mark.parametrize(
    "link",
    [
        {KEYS["epochs"]: "5000", KEYS["width"]: "<script>alert(1)</script>", KEYS["bins"]: "%%x"},
        {KEYS["eps"]: "0.5", KEYS["bins"]: "-3", KEYS["epochs"]: "x" * 5000},
        {KEYS["width"]: "33", KEYS["eps"]: "nan"},
    ],
)
def test_a_crafted_link_falls_back_to_the_defaults(link):
    at = _open_link(link)
    values = {
        "epochs": at.select_slider(key=KEYS["epochs"]).value,
        "width": at.select_slider(key=KEYS["width"]).value,
        "eps": at.select_slider(key=KEYS["eps"]).value,
        "bins": at.slider(key=KEYS["bins"]).value,
    }
    assert values == DEFAULTS
    _check_numbers(at, DEFAULTS)
