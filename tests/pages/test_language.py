"""The Language-model surprise page through AppTest: every control at its minimum, middle and maximum,
typed text of any kind, crafted links, and every number shown checked against ``core.charlm``."""

import json
import math

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.charlm import (
    bigram_model,
    char_surprise,
    clean_text,
    encode,
    load_corpus,
    next_char_probs,
    sample_text,
    scores,
    scores_from_nats,
    uniform_model,
    unigram_model,
)
from core.charnet import trained_network
from core.defaults import (
    LANGUAGE_CONTEXT,
    LANGUAGE_HIDDEN,
    LANGUAGE_HIDDENS,
    LANGUAGE_SAMPLE_CHARS,
    LANGUAGE_SAMPLE_DRAW,
    LANGUAGE_SMOOTHING,
    LANGUAGE_SMOOTHINGS,
    LANGUAGE_TEMPERATURE,
    LANGUAGE_TEXT,
    LANGUAGE_TEXT_MAX_CHARS,
)
from core.figures.scrub import check_frame
from core.formatting import number
from core.units import in_unit
from tests.pages._apptest import (
    APP,
    assert_clean,
    chart,
    chart_titles,
    charts,
    open_page,
    rerun,
    text,
    trace,
    values,
)
from ui.common import UNITS_KEY
from words.language import (
    MODEL_NAMES,
    NEXT_CHAR_TITLE,
    baseline_sentence,
    model_labels,
    next_char_context,
    uniform_label,
)

PAGE = "pages/language.py"
KEYS = {
    "k": "lm_k",
    "context": "lm_context",
    "hidden": "lm_hidden",
    "passage": "lm_passage",
    "text": "lm_text",
    "model": "lm_model",
    "T": "lm_T",
    "length": "lm_length",
    "draw": "lm_draw",
}
DEFAULTS = {"k": LANGUAGE_SMOOTHING, "context": LANGUAGE_CONTEXT[2], "hidden": LANGUAGE_HIDDEN}
SAMPLING = {"T": LANGUAGE_TEMPERATURE[2], "length": LANGUAGE_SAMPLE_CHARS[2], "draw": LANGUAGE_SAMPLE_DRAW[2]}
CORPUS = load_corpus()


@pytest.fixture
def at() -> AppTest:
    return open_page(PAGE, timeout=180)


def models(k, context, hidden) -> dict:
    return {
        "uniform": uniform_model(),
        "unigram": unigram_model(CORPUS.train_ids, k),
        "bigram": bigram_model(CORPUS.train_ids, k),
        "network": trained_network(context, hidden).model,
    }


def expected_scores(k, context, hidden):
    ms = models(k, context, hidden)
    train = {name: scores(ms[name], CORPUS.train_ids) for name in MODEL_NAMES}
    held = {name: scores(ms[name], CORPUS.held_out_ids) for name in MODEL_NAMES}
    return train, held


def _set(at: AppTest, name: str, value) -> AppTest:
    if name in ("k", "hidden"):
        at.select_slider(key=KEYS[name]).set_value(value)
    elif name == "draw":
        at.number_input(key=KEYS[name]).set_value(value)
    else:
        at.slider(key=KEYS[name]).set_value(value)
    return rerun(at)


def _table(at: AppTest, first_column: str):
    """The one st.dataframe whose first column is ``first_column`` (AppTest does not expose their keys)."""
    found = [df.value for df in at.dataframe if df.value.columns[0] == first_column]
    assert len(found) == 1, [df.value.columns[0] for df in at.dataframe]
    return found[0]


def _costs_table(at: AppTest):
    return _table(at, "model")


def _check_costs(at: AppTest, settings: dict, unit: str = "nats") -> None:
    """The costs table, the cost chart, the curves and the sentences are core's numbers for ``settings``."""
    k, context, hidden = (settings[key] for key in ("k", "context", "hidden"))
    train, held = expected_scores(k, context, hidden)
    table = _costs_table(at)
    assert table["model"].tolist() == list(model_labels(k, context))
    for column, got in (("train", train), ("held-out", held)):
        assert table[f"bits/char {column}"].tolist() == [number(got[n].bits, 3) for n in MODEL_NAMES]
        assert table[f"nats/char {column}"].tolist() == [number(got[n].nats, 3) for n in MODEL_NAMES]
        assert table[f"perplexity {column}"].tolist() == [number(got[n].perplexity, 2) for n in MODEL_NAMES]
    costs = chart(at, "Cost per character")
    for name, got in (("training text", train), ("held-out text", held)):
        np.testing.assert_allclose(
            values(trace(costs, name)["y"]), [in_unit(got[n].nats, unit) for n in MODEL_NAMES], rtol=1e-6
        )
    shown = text(at)
    run = trained_network(context, hidden)
    held_shown = held | {"network": scores_from_nats(float(run.held_out_nats[-1]), CORPUS.held_out_ids.size)}
    assert baseline_sentence(held_shown, unit) in shown
    curve = chart(at, "Training the network")
    np.testing.assert_allclose(values(trace(curve, "held-out text")["y"]), in_unit(run.held_out_nats, unit))
    np.testing.assert_allclose(values(trace(curve, "training text")["y"]), in_unit(run.train_nats, unit))
    assert values(trace(curve, "training text")["y"])[0] == pytest.approx(
        in_unit(math.log(27), unit), abs=1e-6
    )
    bigram = bigram_model(CORPUS.train_ids, k)
    smoothing = chart(at, "Bigram cost against smoothing k")
    for name, ids in (("k now: training", CORPUS.train_ids), ("k now: held-out", CORPUS.held_out_ids)):
        mark = trace(smoothing, name)
        cost = float(in_unit(scores(bigram, ids).nats, unit))
        assert values(mark["x"]).tolist() == [k]
        assert values(mark["y"])[0] == pytest.approx(cost)
        assert mark["text"] == [number(cost, 3)]


def test_defaults_show_four_models_against_the_uniform_guess(at):
    assert [t.value for t in at.title] == ["Language-model surprise"]
    assert chart_titles(at)[:4] == [
        "Cost per character, four models",
        "Bigram cost against smoothing k",
        "Training the network",
        "Surprise per character<br><sup>network (3 characters)</sup>",
    ]
    _check_costs(at, DEFAULTS)
    shown = text(at)
    assert "Guessing uniformly among the 27 characters costs ln 27 = 3.30 nats (log₂ 27 = 4.75 bits)" in shown
    assert "CC0 1.0" in shown
    assert "nothing is downloaded" in shown
    train, held = expected_scores(**DEFAULTS)
    assert held["network"].bits < held["bigram"].bits < held["unigram"].bits < held["uniform"].bits
    costs = chart(at, "Cost per character")
    assert uniform_label("nats") in [a["text"] for a in costs["layout"]["annotations"]]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("k", LANGUAGE_SMOOTHINGS[0]),
        ("k", 5.0),
        ("k", LANGUAGE_SMOOTHINGS[-1]),
        ("context", LANGUAGE_CONTEXT[0]),
        ("context", LANGUAGE_CONTEXT[1]),
        ("hidden", LANGUAGE_HIDDENS[0]),
        ("hidden", LANGUAGE_HIDDENS[-1]),
    ],
)
def test_each_model_control_at_min_middle_and_max_shows_cores_numbers(at, name, value):
    _set(at, name, value)
    _check_costs(at, DEFAULTS | {name: value})


def test_bits_change_every_cost_to_bits(at):
    at.sidebar.radio(key=UNITS_KEY).set_value("bits")
    rerun(at)
    _check_costs(at, DEFAULTS, unit="bits")
    costs = chart(at, "Cost per character")
    assert costs["layout"]["yaxis"]["title"]["text"] == "bits per character"
    assert "uniform guess: log₂ 27 = 4.75 bits" in [a["text"] for a in costs["layout"]["annotations"]]


# ------------------------------------------------------------------------------------------ the passage
def _passage_cells(at: AppTest) -> tuple[str, np.ndarray]:
    """The passage chart's characters (spaces back as " ") and their surprises, in reading order."""
    fig = chart(at, "Surprise per character")
    heat = fig["data"][0]
    cells = [ch for row in heat["text"] for ch in row if ch]
    z = np.array([v for row in heat["z"] for v in row], dtype=float)
    z = z[~np.isnan(z)]  # the gaps past the end of the text
    return "".join(" " if ch == "␣" else ch for ch in cells), z


@pytest.mark.parametrize("model", MODEL_NAMES)
def test_the_held_out_passage_is_coloured_by_each_models_surprise(at, model):
    at.radio(key=KEYS["model"]).set_value(model)
    rerun(at)
    passage, z = _passage_cells(at)
    assert CORPUS.held_out.startswith(passage)
    assert 150 < len(passage) <= 240
    expected = char_surprise(models(**DEFAULTS)[model], encode(passage))
    np.testing.assert_allclose(z, expected, rtol=1e-6)


def _type(at: AppTest, typed: str) -> AppTest:
    at.radio(key=KEYS["passage"]).set_value("Your own text")
    rerun(at)
    at.text_area(key=KEYS["text"]).set_value(typed)
    return rerun(at)


def test_own_text_starts_with_the_default_sentence(at):
    at.radio(key=KEYS["passage"]).set_value("Your own text")
    rerun(at)
    assert at.text_area(key=KEYS["text"]).value == LANGUAGE_TEXT
    passage, z = _passage_cells(at)
    assert passage == clean_text(LANGUAGE_TEXT).text
    np.testing.assert_allclose(z, char_surprise(models(**DEFAULTS)["network"], encode(passage)), rtol=1e-6)


def test_any_unicode_is_mapped_by_the_rule_and_the_changes_are_listed_as_text(at):
    typed = "Ünïcödé <b>ＨＴＭＬ</b> 😀\n42 ﬁne, Straße"
    _type(at, typed)
    passage, z = _passage_cells(at)
    assert passage == clean_text(typed).text == "unicode b html b fine strasse"
    at.radio(key=KEYS["model"]).set_value("bigram")
    rerun(at)
    _, z = _passage_cells(at)
    np.testing.assert_allclose(z, char_surprise(models(**DEFAULTS)["bigram"], encode(passage)), rtol=1e-6)
    changes = _table(at, "you typed")
    typed_column = changes["you typed"].tolist()
    assert "“Ü” (LATIN CAPITAL LETTER U WITH DIAERESIS)" in typed_column
    assert "“<” (LESS-THAN SIGN)" in typed_column  # shown as a character, never interpreted
    assert "U+000A (a line break or control character)" in typed_column
    became = dict(zip(typed_column, changes["the models read"], strict=True))
    assert became["“ß” (LATIN SMALL LETTER SHARP S)"] == "ss"
    assert became["“😀” (GRINNING FACE)"] == "a space"
    assert "The rule changed" in text(at)


def test_text_with_no_letters_says_so_instead_of_scoring_nothing(at):
    _type(at, "¡¿ 123 😀 !!!")
    assert any("nothing is left to score" in info.value for info in at.info)
    assert not [t for t in chart_titles(at) if t.startswith("Surprise per character")]


def test_text_past_the_limit_is_cut_to_it(at):
    _type(at, "ab " * 200)  # 600 characters, twice the limit
    passage, _ = _passage_cells(at)
    assert passage == clean_text(("ab " * 200)[:LANGUAGE_TEXT_MAX_CHARS]).text


# ------------------------------------------------------------------------------------------ sampling
def _check_samples(at: AppTest, settings: dict) -> None:
    ms = models(**DEFAULTS)
    codes = [c.value for c in at.code]
    for code, name, fig in zip(codes, ("bigram", "network"), charts(at)[-2:], strict=True):
        sample = sample_text(ms[name], settings["length"], temperature=settings["T"], seed=settings["draw"])
        assert code == sample.text
        nxt = next_char_probs(ms[name], encode(sample.text), temperature=settings["T"])
        assert fig["layout"]["title"]["text"] == NEXT_CHAR_TITLE
        assert fig["data"][2]["text"] == [next_char_context(sample.text[-6:])]
        np.testing.assert_allclose(values(fig["data"][0]["y"]), 100 * nxt.tempered, rtol=1e-6)
        np.testing.assert_allclose(values(fig["data"][1]["y"]), 100 * nxt.probs, rtol=1e-6)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("T", LANGUAGE_TEMPERATURE[0]),
        ("T", 1.5),
        ("T", LANGUAGE_TEMPERATURE[1]),
        ("length", LANGUAGE_SAMPLE_CHARS[0]),
        ("length", LANGUAGE_SAMPLE_CHARS[1]),
        ("draw", LANGUAGE_SAMPLE_DRAW[1]),
        ("draw", 500),
    ],
)
def test_each_sampling_control_at_min_middle_and_max_writes_cores_text(at, name, value):
    _check_samples(at, SAMPLING)
    _set(at, name, value)
    _check_samples(at, SAMPLING | {name: value})


def test_dragging_t_moves_each_next_character_chart_through_cores_texts(monkeypatch):
    """The next-character charts' frames (ui.scrub) at every T are core's text and next-character
    probabilities at that T; the frame at the slider's value is the chart on the page."""
    calls = []

    def follow(chart_key, widget_key, payload, *, layout=None, redraw=False):
        calls.append((chart_key, widget_key, json.loads(payload), redraw))

    monkeypatch.setattr("ui.scrub.follow_drag", follow)
    at = open_page(PAGE, timeout=180)
    at = _set(at, "length", 120)
    ms = models(**DEFAULTS)
    drags = [(key, payload) for key, widget, payload, redraw in calls[-3:] if widget == KEYS["T"] and redraw]
    assert [key for key, _ in drags] == ["lm_next_bigram_chart", "lm_next_network_chart"]
    values = [round(0.1 * k, 1) for k in range(1, 31)]
    for (_, payload), name, fig in zip(drags, ("bigram", "network"), charts(at)[-2:], strict=True):
        assert payload["values"] == values
        for t in (0.1, 1.7, 3.0):
            sample = sample_text(ms[name], 120, temperature=t, seed=SAMPLING["draw"])
            nxt = next_char_probs(ms[name], encode(sample.text), temperature=t)
            update = dict(zip(payload["traces"], payload["frames"][values.index(t)], strict=True))
            np.testing.assert_allclose(update[0]["y"], 100 * nxt.tempered, rtol=1e-12)
            assert update[2]["text"] == [next_char_context(sample.text[-6:])]
            top = 1.15 * 100 * max(nxt.probs.max(), nxt.tempered.max())
            assert payload["layouts"][values.index(t)]["yaxis"]["range"] == pytest.approx([0, top], rel=1e-12)
        check_frame(fig, payload, values.index(SAMPLING["T"]))


def test_one_step_of_the_length_slider_changes_a_next_character_chart(at):
    before = [fig["data"] for fig in charts(at)[-2:]]
    _set(at, "length", SAMPLING["length"] + 10)
    after = [fig["data"] for fig in charts(at)[-2:]]
    assert before != after


# ------------------------------------------------------------------------------------------ links
def _open_link(params: dict) -> AppTest:
    test = AppTest.from_file(str(APP), default_timeout=180)
    for key, value in params.items():
        test.query_params[key] = value
    test.switch_page(PAGE)  # before the first run: a link opens the page directly, with its parameters
    test.run()
    assert_clean(test)
    return test


def test_a_link_sets_every_control():
    link = {
        KEYS["k"]: "5",
        KEYS["context"]: "2",
        KEYS["hidden"]: "32",
        KEYS["passage"]: "Your own text",
        KEYS["text"]: "Hello, Wörld",
        KEYS["model"]: "unigram",
        KEYS["T"]: "0.5",
        KEYS["length"]: "120",
        KEYS["draw"]: "7",
    }
    at = _open_link(link)
    assert at.select_slider(key=KEYS["k"]).value == 5.0
    assert at.slider(key=KEYS["context"]).value == 2
    assert at.select_slider(key=KEYS["hidden"]).value == 32
    assert at.text_area(key=KEYS["text"]).value == "Hello, Wörld"
    _check_costs(at, {"k": 5.0, "context": 2, "hidden": 32})
    passage, z = _passage_cells(at)
    assert passage == "hello world"
    np.testing.assert_allclose(
        z, char_surprise(unigram_model(CORPUS.train_ids, 5.0), encode(passage)), rtol=1e-6
    )
    codes = [c.value for c in at.code]
    assert codes[0] == sample_text(bigram_model(CORPUS.train_ids, 5.0), 120, temperature=0.5, seed=7).text


@pytest.mark.parametrize(
    "link",
    [
        {KEYS["k"]: "0", KEYS["context"]: "99", KEYS["hidden"]: "<script>alert(1)</script>"},
        {KEYS["k"]: "nan", KEYS["context"]: "-1", KEYS["hidden"]: "7", KEYS["T"]: "0"},
        {KEYS["passage"]: "nope", KEYS["model"]: "<img src=x onerror=alert(1)>", KEYS["draw"]: "x" * 5000},
        {KEYS["length"]: "100000", KEYS["T"]: "inf", KEYS["draw"]: "-5"},
    ],
)
def test_a_crafted_link_never_raises_and_keeps_the_defaults(link):
    at = _open_link(link)
    assert at.select_slider(key=KEYS["k"]).value == DEFAULTS["k"]
    assert at.slider(key=KEYS["context"]).value == DEFAULTS["context"]
    assert at.select_slider(key=KEYS["hidden"]).value == DEFAULTS["hidden"]
    assert at.slider(key=KEYS["T"]).value == SAMPLING["T"]
    _check_costs(at, DEFAULTS)


def test_a_link_with_a_long_typed_text_is_cut_to_the_limit():
    at = _open_link({KEYS["passage"]: "Your own text", KEYS["text"]: "xy " * 1000})
    passage, _ = _passage_cells(at)
    assert len(passage) <= LANGUAGE_TEXT_MAX_CHARS
