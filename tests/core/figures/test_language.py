"""Figure builders of the Language-model surprise page (core.figures.language)."""

import numpy as np
import pytest

from core.charlm import bigram_model, char_surprise, encode, load_corpus, next_char_probs, scores
from core.figures.engine import trace_dicts
from core.figures.language import (
    SMOOTHING_MARKS,
    SPACE_MARK,
    learning_curve_figure,
    model_costs_figure,
    next_char_figure,
    smoothing_figure,
    smoothing_scrub_frames,
    surprise_figure,
)
from core.figures.output import figure_csv
from tests.core.figures._helpers import annotation_texts, trace_names

LABELS = ["uniform", "unigram (k = 1)", "bigram (k = 1)", "network (3 characters)"]


def _costs(**kwargs):
    args = {
        "perplexity_train": [27.0, 16.8, 9.4, 4.1],
        "perplexity_held_out": [27.0, 16.8, 9.7, 4.9],
        "uniform": 4.755,
        "uniform_label": "uniform guess: log₂ 27 = 4.75 bits",
        "unit": "bits",
        "y_max": 5.7,
    }
    return model_costs_figure(LABELS, [4.755, 4.07, 3.23, 2.03], [4.755, 4.07, 3.28, 2.29], **(args | kwargs))


def test_model_costs_figure_groups_training_and_held_out_bars_with_the_uniform_line():
    fig = _costs()
    assert trace_names(fig) == ["training text", "held-out text"]
    train, held = trace_dicts(fig)
    assert train["x"] == LABELS
    assert held["y"] == [4.755, 4.07, 3.28, 2.29]
    assert held["text"] == ["4.75", "4.07", "3.28", "2.29"]  # rounded half-even by format: 4.755 -> 4.75
    assert "pattern" in held["marker"]
    assert "pattern" not in train["marker"]  # told apart without colour
    assert [c[0] for c in held["customdata"]] == [27.0, 16.8, 9.7, 4.9]
    assert "perplexity %{customdata[0]:.2f}" in held["hovertemplate"]
    assert annotation_texts(fig) == ["uniform guess: log₂ 27 = 4.75 bits"]
    assert fig.layout.shapes[0].y0 == 4.755
    assert fig.layout.yaxis.range == (0, 5.7)
    assert fig.layout.yaxis.title.text == "bits per character"


def test_model_costs_figure_rejects_lists_of_different_lengths():
    with pytest.raises(ValueError, match="must have the same length"):
        _costs(perplexity_train=[27.0])


def _smoothing(**kwargs):
    args = {
        "unigram_held_out": 4.07,
        "uniform": 4.755,
        "uniform_label": "uniform",
        "k": 1.0,
        "k_train": 3.23,
        "k_held_out": 3.28,
        "unit": "bits",
        "y_range": (3.0, 5.0),
    }
    ks = np.geomspace(1e-3, 1e3, 7)
    return smoothing_figure(ks, np.linspace(3.2, 4.6, 7), np.linspace(3.3, 4.65, 7), **(args | kwargs))


def test_smoothing_figure_marks_the_pages_k_with_its_costs():
    fig = _smoothing()
    assert trace_names(fig) == [
        "training text",
        "held-out text",
        "unigram, held-out",
        "k now: training",
        "k now: held-out",
    ]
    data = trace_dicts(fig)
    assert [data[i]["name"] for i in SMOOTHING_MARKS] == ["k now: training", "k now: held-out"]
    assert (data[3]["x"], data[3]["y"], data[3]["text"]) == ([1.0], [3.23], ["3.230"])
    assert (data[4]["x"], data[4]["y"], data[4]["text"]) == ([1.0], [3.28], ["3.280"])
    assert data[3]["marker"]["symbol"] != data[4]["marker"]["symbol"]
    assert fig.layout.xaxis.type == "log"
    assert fig.layout.title.text == "Bigram cost against smoothing k"
    assert annotation_texts(fig) == ["uniform"]
    assert not fig.layout.sliders  # the page's own control is dragged (ui.scrub), not a slider in the chart


def test_smoothing_scrub_frames_hold_what_the_figure_draws_at_each_k():
    options, trains, helds = [0.01, 1.0, 100.0], [3.21, 3.23, 3.9], [3.27, 3.28, 4.0]
    frames = smoothing_scrub_frames(options, trains, helds)
    assert frames["traces"] == list(SMOOTHING_MARKS)
    assert len(frames["frames"]) == 3
    for k, train, held, frame in zip(options, trains, helds, frames["frames"], strict=True):
        drawn = trace_dicts(_smoothing(k=k, k_train=train, k_held_out=held))
        for index, update in zip(SMOOTHING_MARKS, frame, strict=True):
            assert {key: drawn[index][key] for key in update} == update
    with pytest.raises(ValueError, match="must have the same length"):
        smoothing_scrub_frames(options, trains[:2], helds)


def test_smoothing_figure_needs_a_curve():
    with pytest.raises(ValueError, match="at least two values"):
        smoothing_figure(
            [1.0],
            [3.2],
            [3.3],
            **{
                "unigram_held_out": 4.07,
                "uniform": 4.755,
                "uniform_label": "u",
                "k": 1.0,
                "k_train": 3.2,
                "k_held_out": 3.3,
                "unit": "bits",
                "y_range": (3.0, 5.0),
            },
        )


def test_learning_curve_figure_draws_both_texts_and_the_bigram_line():
    fig = learning_curve_figure(
        [0, 200, 400],
        [4.75, 3.0, 2.5],
        [4.75, 3.1, 2.8],
        bigram_held_out=3.28,
        uniform=4.755,
        uniform_label="uniform",
        unit="bits",
        y_range=(0, 5.7),
    )
    assert trace_names(fig) == ["training text", "held-out text", "bigram, held-out"]
    data = trace_dicts(fig)
    assert data[0]["x"] == [0, 200, 400]
    assert data[1]["y"] == [4.75, 3.1, 2.8]
    assert data[2]["x"] == [0, 400]
    assert data[2]["y"] == [3.28, 3.28]
    assert data[0]["marker"]["symbol"] != data[1]["marker"]["symbol"]
    assert fig.layout.legend.y < 0  # below the plot, clear of the title in a half-width column


def test_surprise_figure_wraps_the_passage_into_lines_with_core_surprises():
    corpus = load_corpus()
    text = corpus.held_out[:95]
    surprise = char_surprise(bigram_model(corpus.train_ids, 1.0), encode(text))
    fig = surprise_figure(text, surprise, np.exp(-surprise), width=40, unit="nats", z_max=6.9, title="t")
    (heat,) = trace_dicts(fig)
    assert len(heat["z"]) == 3
    assert all(len(row) == 40 for row in heat["z"])
    flat = np.array([v for row in heat["z"] for v in row], dtype=float)
    np.testing.assert_allclose(flat[:95], surprise)
    assert np.isnan(flat[95:]).all()
    assert flat[95:].size == 25  # gaps past the end of the text
    cells = [c for row in heat["text"] for c in row]
    assert "".join(cells[:95]) == text.replace(" ", SPACE_MARK)
    assert heat["y"] == [1, 41, 81]
    assert heat["customdata"][2][14] == [
        text[94].replace(" ", SPACE_MARK),
        95,
        pytest.approx(np.exp(-surprise[94])),
    ]
    assert heat["zmin"] == 0
    assert heat["zmax"] == 6.9
    assert fig.layout.yaxis.autorange == "reversed"
    rows = figure_csv(fig).strip().splitlines()  # the CSV export: one row per cell
    assert rows[0] == "series,x,y,z"
    assert len(rows) == 1 + 3 * 40
    assert rows[1] == f"surprise,1,1,{float(surprise[0])!r}"


@pytest.mark.parametrize("text", ["Hello", "<b>x</b>", "a\nb", "é"])
def test_surprise_figure_takes_only_cleaned_text(text):
    with pytest.raises(ValueError, match="only a-z and the space"):
        surprise_figure(
            text, [1.0] * len(text), [0.5] * len(text), width=10, unit="bits", z_max=10, title="t"
        )


def test_next_char_figure_overlays_tempered_and_plain_probabilities():
    corpus = load_corpus()
    nxt = next_char_probs(bigram_model(corpus.train_ids, 1.0), encode("q"), temperature=0.5)
    fig = next_char_figure(nxt.probs, nxt.tempered, temperature=0.5, title="after q")
    tempered, plain = trace_dicts(fig)
    assert tempered["name"] == "drawn from, T = 0.5"
    assert plain["name"] == "the model's q (T = 1)"
    np.testing.assert_allclose(tempered["y"], 100 * nxt.tempered)
    np.testing.assert_allclose(plain["y"], 100 * nxt.probs)
    assert tempered["x"][0] == SPACE_MARK
    assert tempered["x"][21] == "u"
    assert tempered["text"][21] == f"{100 * nxt.tempered[21]:.0f}%"
    assert plain["marker"]["color"] == "rgba(0,0,0,0)"  # an outline: the T = 1 bar does not rely on colour
    with pytest.raises(ValueError, match=r"shape \(27,\)"):
        next_char_figure(nxt.probs[:5], nxt.tempered, temperature=1.0, title="t")


def test_next_char_figure_writes_its_context_as_a_trace_inside_the_axes():
    q = np.full(27, 1 / 27)
    _, _, context = trace_dicts(next_char_figure(q, q, temperature=2.0, title="t", context="after “q”"))
    top = 1.15 * 100 / 27
    assert (context["mode"], context["text"], context["x"]) == ("text", ["after “q”"], ["z"])
    assert 0 < context["y"][0] < top  # inside the y range, so a frame of a temperature drag can move it


def test_the_held_out_costs_the_page_charts_come_from_core():
    corpus = load_corpus()
    model = bigram_model(corpus.train_ids, 1.0)
    assert scores(model, corpus.held_out_ids).nats == pytest.approx(
        float(char_surprise(model, corpus.held_out_ids).mean())
    )
