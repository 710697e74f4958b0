"""The Your own predictions page through AppTest: the example, pasted and uploaded data, every bad file,
every control at its minimum, middle and maximum, and links."""

import ast
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.defaults import PREDICTIONS_BINS, PREDICTIONS_WORST
from core.figures.scrub import check_frame
from core.formatting import number, percent
from core.prediction_scores import score_predictions, worst_examples
from core.predictions import PredictionsError, example_csv, parse_predictions
from core.units import in_unit
from tests._prediction_files import BAD_INPUTS, TOO_MANY_ROWS
from tests.pages._apptest import (
    APP,
    assert_clean,
    chart,
    chart_titles,
    charts,
    dataframe,
    markdown_text,
    metric,
    open_page,
    rerun,
    values,
    z,
)
from ui.common import UNITS_KEY
from words.predictions import EXAMPLE_SOURCES, KIND_LABELS, SOURCES, WAITING, error_markdown, worst_sentence

PAGE = "pages/predictions.py"
ROOT = Path(__file__).resolve().parents[2]
KEYS = {
    "source": "preds_source",
    "file": "preds_file",
    "text": "preds_text",
    "kind": "preds_kind",
    "renormalise": "preds_renormalise",
    "bins": "preds_bins",
    "worst": "preds_worst",
}
PASTED = "label,Cat,Dog,Bird\nCat,0.7,0.2,0.1\nDog,0.1,0.6,0.3\nBird,0.2,0.2,0.6\nCat,0.3,0.4,0.3\n"


@pytest.fixture
def at():
    return open_page(PAGE, timeout=180)


@pytest.fixture(scope="module")
def example():
    pred = parse_predictions(example_csv("probabilities"))
    return pred, score_predictions(pred.log_probs, pred.labels)


def _open_link(params: dict) -> AppTest:
    """Open the page straight from a link (a first run on Home would drop the page's parameters)."""
    test = AppTest.from_file(str(APP), default_timeout=180)
    for key, value in params.items():
        test.query_params[key] = value
    test.switch_page(PAGE)
    test.run()
    assert not test.exception, [e.value for e in test.exception]
    return test


def _shown(at, unit="nats") -> dict[str, str]:
    return {
        "ce": metric(at, f"Cross-entropy ({unit})"),
        "accuracy": metric(at, "Accuracy"),
        "ece": metric(at, "ECE"),
        "uniform": metric(at, f"Uniform guess ({unit})"),
        "shares": metric(at, f"H(P̂) ({unit})"),
    }


def _expected(scores, unit="nats") -> dict[str, str]:
    return {
        "ce": number(in_unit(scores.cross_entropy, unit), 4),
        "accuracy": percent(scores.accuracy),
        "ece": number(scores.reliability.ece, 3),
        "uniform": number(in_unit(scores.uniform_loss, unit), 4),
        "shares": number(in_unit(scores.label_entropy, unit), 4),
    }


def _plain(markdown: str) -> str:
    """Markdown with its backslash escapes removed: the text a visitor reads."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _paste(at, text: str) -> AppTest:
    at.radio(key=KEYS["source"]).set_value(SOURCES[3])
    at.run()
    at.text_area(key=KEYS["text"]).input(text)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _upload(data: bytes, kind: str = "auto") -> AppTest:
    at = _open_link({KEYS["source"]: SOURCES[2], KEYS["kind"]: KIND_LABELS[kind]})
    assert at.radio(key=KEYS["kind"]).value == kind
    at.file_uploader(key=KEYS["file"]).set_value(("predictions.csv", data, "text/csv"))
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# ------------------------------------------------------------------------------------------ the example
def test_defaults_show_the_example_scored_by_core(at, example):
    pred, scores = example
    assert [t.value for t in at.title] == ["Your own predictions"]
    assert any("Your data stays private" in info.value for info in at.info)
    assert _shown(at) == _expected(scores)
    assert _shown(at)["ce"] == "0.3762"  # the calibration lab's network at its defaults, on the test digits
    text = markdown_text(at)
    assert "Read **1,078 examples** of **10 classes**" in text
    assert "read as **probabilities**, detected" in text
    assert "These predictions cost **0.3762 nats**" in text
    assert chart_titles(at) == [
        "Reliability: accuracy per confidence bin",
        "Confusion matrix",
        "Loss per class (nats)",
        "Cross-entropy = entropy + KL divergence (nats)",
        "Class shares P̂ and mean prediction Q̄",
    ]
    reliability = chart(at, "Reliability")
    counts = [t for t in reliability["data"] if t["name"] == "examples per bin"][0]
    assert list(counts["y"]) == scores.reliability.counts.tolist()
    np.testing.assert_array_equal(z(chart(at, "Confusion matrix")), scores.confusion)
    np.testing.assert_allclose(values(chart(at, "Loss per class")["data"][0]["x"]), scores.class_loss)
    classes = dataframe(at, 0)
    assert classes["class"].tolist() == list("0123456789")
    assert classes["P̂_k · CE_k"].sum() == pytest.approx(scores.cross_entropy)
    np.testing.assert_allclose(values(chart(at, "Class shares")["data"][1]["y"]), scores.mean_prediction)
    worst = dataframe(at, 1)
    rows = worst_examples(scores.surprise, PREDICTIONS_WORST[2])
    assert worst["line"].tolist() == pred.lines[rows].tolist()
    np.testing.assert_allclose(worst["surprise (nats)"], scores.surprise[rows])
    assert worst_sentence(scores, 10) in text
    assert [u.key for u in at.get("file_uploader") if u.key == KEYS["file"]] == []
    assert [t.key for t in at.text_area if t.key == KEYS["text"]] == []


def test_bits_divide_every_loss_by_ln_2(at, example):
    _, scores = example
    at.sidebar.radio(key=UNITS_KEY).set_value("bits")
    rerun(at)
    assert _shown(at, "bits") == _expected(scores, "bits")
    assert dataframe(at, 0)["P̂_k · CE_k"].sum() == pytest.approx(scores.cross_entropy / math.log(2))
    assert "CE_k (bits)" in dataframe(at, 0).columns
    assert "(bits)" in chart_titles(at)[2]


def test_the_example_as_logits_is_detected_and_scores_the_same(at, example):
    _, scores = example
    at.radio(key=KEYS["source"]).set_value(SOURCES[1])
    rerun(at)
    assert "read as **logits** and turned into probabilities by softmax, detected" in markdown_text(at)
    assert _shown(at) == _expected(scores)


def test_reading_probabilities_as_logits_flattens_them_but_keeps_the_accuracy(at, example):
    _, scores = example
    at.radio(key=KEYS["kind"]).set_value("logits")
    rerun(at)
    as_logits = parse_predictions(example_csv("probabilities"), kind="logits")
    flat = score_predictions(as_logits.log_probs, as_logits.labels)
    assert _shown(at) == _expected(flat)
    assert metric(at, "Accuracy") == percent(scores.accuracy)
    assert 1.5 < flat.cross_entropy < math.log(10)
    assert "as chosen under *The numbers are*" in markdown_text(at)


def test_reading_logits_as_probabilities_names_the_problem_and_the_fix(at):
    at.radio(key=KEYS["source"]).set_value(SOURCES[1])
    at.radio(key=KEYS["kind"]).set_value("probabilities")
    at.run()
    assert not at.exception
    with pytest.raises(PredictionsError) as info:
        parse_predictions(example_csv("logits"), kind="probabilities")
    assert [e.value for e in at.error] == [error_markdown(info.value)]
    assert "Probabilities lie between 0 and 1, but line 2, column “0” holds" in _plain(at.error[0].value)
    assert charts(at) == []


@pytest.mark.parametrize("bins", [PREDICTIONS_BINS[0], 17, PREDICTIONS_BINS[1]])
def test_confidence_bins_at_min_middle_and_max(at, example, bins):
    pred, _ = example
    at.slider(key=KEYS["bins"]).set_value(bins)
    rerun(at)
    scores = score_predictions(pred.log_probs, pred.labels, n_bins=bins)
    readout = [t for t in chart(at, "Reliability")["data"] if t["name"] == "readout"][0]
    assert readout["text"][0].startswith(f"{bins} bins · ECE {number(scores.reliability.ece, 3)}<br>")
    assert metric(at, "ECE") == number(scores.reliability.ece, 3)
    assert len(chart(at, "Reliability")["data"][0]["x"]) == bins


@pytest.mark.parametrize("k", [PREDICTIONS_WORST[0], 50, PREDICTIONS_WORST[1]])
def test_worst_examples_at_min_middle_and_max(at, example, k):
    pred, scores = example
    at.number_input(key=KEYS["worst"]).set_value(k)
    rerun(at)
    table = dataframe(at, 1)
    assert len(table) == k
    assert table["line"].tolist() == pred.lines[worst_examples(scores.surprise, k)].tolist()
    assert worst_sentence(scores, k) in markdown_text(at)


# ------------------------------------------------------------------------------------------ pasted text
def test_paste_waits_for_text_then_scores_it(at):
    at.radio(key=KEYS["source"]).set_value(SOURCES[3])
    rerun(at)
    assert [i.value for i in at.info][-1] == WAITING[SOURCES[3]]
    assert charts(at) == []
    _paste(at, PASTED)
    assert_clean(at)
    assert metric(at, "Cross-entropy (nats)") == "0.6456"  # −(ln 0.7 + 2 ln 0.6 + ln 0.3) / 4
    assert metric(at, "Accuracy") == "75.0%"
    assert "Read **4 examples** of **3 classes** (Cat, Dog, Bird)" in markdown_text(at)
    assert "Labels: **class names** from the header." in markdown_text(at)
    assert dataframe(at, 0)["n_k"].tolist() == [2, 1, 1]


def test_html_in_a_class_name_is_shown_as_text(at):
    _paste(at, "label,<b>Dog</b>,<script>alert(1)</script>,:red[Cat]\n0,0.5,0.3,0.2\n2,0.1,0.1,0.8\n")
    assert_clean(at)
    summary = markdown_text(at)
    assert r"\<b\>Dog\<\/b\>, \<script\>alert\(1\)\<\/script\>, \:red\[Cat\]" in summary
    assert "<b>" not in summary
    ticks = chart(at, "Confusion matrix")["data"][0]["x"]
    assert list(ticks) == ["&lt;b&gt;Dog&lt;/b&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;", ":red[Cat]"]
    assert dataframe(at, 0)["class"].tolist() == ["<b>Dog</b>", "<script>alert(1)</script>", ":red[Cat]"]


def test_rows_that_do_not_sum_to_one_can_be_renormalised_with_the_button(at):
    _paste(at, "label,a,b\n0,0.5,0.5\n1,0.2,0.2\n0,0.6,0.2\n")
    assert "2 of 3 rows are off by more than 0.01: the worst, line 3, sums to 0.4" in _plain(
        at.error[0].value
    )
    assert "Renormalise rows that do not sum to 1" in at.error[0].value
    at.button(key="preds_renormalise_now").click()
    at.run()
    assert_clean(at)
    assert at.toggle(key=KEYS["renormalise"]).value is True
    assert any("2 rows did not sum to 1" in w.value for w in at.warning)
    probs = np.array([[0.5, 0.5], [0.5, 0.5], [0.75, 0.25]])
    expected = -np.mean(np.log(probs[[0, 1, 2], [0, 1, 0]]))
    assert metric(at, "Cross-entropy (nats)") == number(expected, 4)


def test_the_renormalise_toggle_at_both_ends(at):
    _paste(at, "label,a,b\n0,0.5,0.6\n1,0.2,0.7\n")
    assert at.error
    at.toggle(key=KEYS["renormalise"]).set_value(True)
    rerun(at)
    assert metric(at, "Accuracy") == "50.0%"
    at.toggle(key=KEYS["renormalise"]).set_value(False)
    at.run()
    assert "rows are off by more than 0.01" in _plain(at.error[0].value)


def test_a_true_class_with_probability_zero_gives_an_infinite_loss(at):
    _paste(at, "label,a,b\n0,0,1\n1,0.3,0.7\n")
    assert_clean(at)
    assert metric(at, "Cross-entropy (nats)") == "∞"
    assert any("1 example gave its true class probability 0" in w.value for w in at.warning)
    assert dataframe(at, 1)["line"].tolist()[0] == 2
    assert "misses them by KL(P̂ ‖ Q̄) = " in markdown_text(at)


def test_the_labels_and_id_of_a_richer_file(at):
    # Labels 1 and 2 name the columns 1 and 2; read as indices they would name the columns 2 and 3.
    _paste(at, "id,y,1,2,3\nfirst,1,0.8,0.1,0.1\nsecond,2,0.1,0.1,0.8\nthird,1,0.6,0.2,0.2\n")
    assert_clean(at)
    assert any("The labels are numbers that are also class names" in w.value for w in at.warning)
    worst = dataframe(at, 1)
    assert worst["id"].tolist() == ["second", "third", "first"]
    assert worst["true class"].tolist() == ["2", "1", "1"]
    np.testing.assert_allclose(worst["q(true class)"], [0.1, 0.6, 0.8])


# ------------------------------------------------------------------------------------------ uploads
def test_upload_waits_for_a_file_and_says_a_link_cannot_carry_it():
    at = _open_link({KEYS["source"]: SOURCES[2]})
    assert_clean(at)
    assert [i.value for i in at.info][-1] == WAITING[SOURCES[2]]
    assert any("cannot travel in a link" in c.value for c in at.caption)
    assert charts(at) == []


def test_an_uploaded_file_is_scored():
    at = _upload(PASTED.encode("utf-8"))
    assert_clean(at)
    assert metric(at, "Cross-entropy (nats)") == "0.6456"


@pytest.mark.parametrize(
    ("data", "kind"),
    [(c[1], c[2]) for c in BAD_INPUTS] + [(TOO_MANY_ROWS, "auto")],
    ids=[c[0] for c in BAD_INPUTS] + ["too-many-rows"],
)
def test_every_bad_file_gets_its_message_and_no_traceback(data, kind):
    data = data if isinstance(data, bytes) else data.encode("utf-8")  # a file holds bytes
    at = _upload(data, kind)
    with pytest.raises(PredictionsError) as info:
        parse_predictions(data, kind=kind)
    assert [e.value for e in at.error] == [error_markdown(info.value)]
    assert not at.exception
    assert charts(at) == []


def test_a_second_session_does_not_see_the_first_sessions_file():
    first = _upload(PASTED.encode("utf-8"))
    assert metric(first, "Cross-entropy (nats)") == "0.6456"
    second = _open_link({KEYS["source"]: SOURCES[2]})
    assert [i.value for i in second.info][-1] == WAITING[SOURCES[2]]
    assert not second.metric


def test_only_the_example_is_cached_across_sessions():
    tree = ast.parse((ROOT / PAGE).read_text(encoding="utf-8"))
    cached = [
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef)
        for d in node.decorator_list
        if "cache" in ast.unparse(d)
    ]
    # the CSV of the example, its scores per bin count, and its diagram's frames for a drag of the bins
    assert cached == ["_example", "_example_scores", "_example_frames"]


def test_a_visitors_data_stays_out_of_the_process_wide_caches():
    """The example's scores and reliability diagrams (their frames at every number of bins) are shared by
    every session (ui.common's process caches); a visitor's pasted data and its diagram never are, whatever
    the bins."""
    at = open_page(PAGE, timeout=180)
    at.slider(key=KEYS["bins"]).set_value(13).run()
    pred = parse_predictions(example_csv("probabilities"))
    assert metric(at, "ECE") == number(
        score_predictions(pred.log_probs, pred.labels, n_bins=13).reliability.ece, 3
    )
    scores, figures = _process_cached()
    assert ("probabilities", "auto", False, 13) in scores  # the example is shared: the check below can fail
    assert ("probabilities", "auto", False) in figures
    _paste(at, PASTED)
    for bins in (7, 11):
        at.slider(key=KEYS["bins"]).set_value(bins).run()
        assert_clean(at)
        readout = [t for t in chart(at, "Reliability")["data"] if t["name"] == "readout"][0]
        assert readout["text"][0].startswith(f"{bins} bins · ECE")
    scores, figures = _process_cached()
    examples = set(EXAMPLE_SOURCES.values())
    assert {args[0] for args in scores} <= examples
    assert {share[0] for share in figures} <= examples


def _process_cached() -> tuple[set, set]:
    """The page's keys in ui.common's process caches: _example_scores' arguments, and the examples whose
    reliability diagram's frames are kept (_example_frames' argument)."""
    from ui import common

    scores = next(
        (m for name, m in common._memos.items() if name.endswith("predictions.py:_example_scores")), {}
    )
    frames = next(
        (m for name, m in common._memos.items() if name.endswith("predictions.py:_example_frames")), {}
    )
    return set(scores), {args[0] for args in frames}


# ------------------------------------------------------------------------------------------ links
def test_a_link_sets_every_control(example):
    pred, _ = example
    link = {
        KEYS["source"]: SOURCES[1],
        KEYS["kind"]: "Logits",
        KEYS["renormalise"]: "true",
        KEYS["bins"]: "30",
        KEYS["worst"]: "100",
    }
    at = _open_link(link)
    assert_clean(at)
    assert at.radio(key=KEYS["source"]).value == SOURCES[1]
    assert at.radio(key=KEYS["kind"]).value == "logits"
    assert at.toggle(key=KEYS["renormalise"]).value is True
    assert at.slider(key=KEYS["bins"]).value == 30
    assert at.number_input(key=KEYS["worst"]).value == 100
    scores = score_predictions(pred.log_probs, pred.labels, n_bins=30)
    assert metric(at, "ECE") == number(scores.reliability.ece, 3)
    assert len(dataframe(at, 1)) == 100


@pytest.mark.parametrize(
    "link",
    [
        {KEYS["source"]: "<script>alert(1)</script>", KEYS["bins"]: "1000", KEYS["worst"]: "0"},
        {KEYS["kind"]: "both", KEYS["renormalise"]: "maybe", KEYS["bins"]: "x" * 5000},
        {KEYS["text"]: "label,a,b\n0,1,0", KEYS["file"]: "secret.csv", KEYS["worst"]: "-4"},
    ],
)
def test_a_crafted_link_falls_back_to_the_defaults(link, example):
    _, scores = example
    at = _open_link(link)
    assert_clean(at)
    assert at.radio(key=KEYS["source"]).value == SOURCES[0]
    assert at.radio(key=KEYS["kind"]).value == "auto"
    assert at.toggle(key=KEYS["renormalise"]).value is False
    assert at.slider(key=KEYS["bins"]).value == PREDICTIONS_BINS[2]
    assert at.number_input(key=KEYS["worst"]).value == PREDICTIONS_WORST[2]
    assert _shown(at) == _expected(scores)


# ---------------------------------------------------------------------------------- a drag of the bins
@pytest.mark.parametrize("pasted", [False, True])
def test_dragging_the_bins_moves_the_diagram_through_cores_reliability(monkeypatch, pasted):
    """The reliability diagram's frames (ui.scrub) at every number of bins are core's bins for the data
    shown, the example's or a visitor's; the frame at the slider's value is the diagram on the page."""
    calls = []

    def follow(chart_key, widget_key, payload, *, layout=None, redraw=False):
        calls.append((chart_key, widget_key, json.loads(payload), redraw))

    monkeypatch.setattr("ui.scrub.follow_drag", follow)
    at = open_page(PAGE, timeout=180)
    pred = parse_predictions(example_csv("probabilities"))
    if pasted:
        at = _paste(at, PASTED)
        pred = parse_predictions(PASTED)
    assert_clean(at)
    chart_key, widget, payload, redraw = calls[-1]
    assert (chart_key, widget, redraw) == ("preds_reliability", KEYS["bins"], True)
    low, high, default = PREDICTIONS_BINS
    assert payload["values"] == list(range(low, high + 1))
    for n_bins in (low, 13, high):
        rel = score_predictions(pred.log_probs, pred.labels, n_bins=n_bins).reliability
        # trace index -> its update: 0 the accuracy bars, 5 the counts, 6 the readout (a trace that is the
        # same at every number of bins, e.g. no bin under-confident for a few pasted rows, is not moved)
        update = dict(zip(payload["traces"], payload["frames"][n_bins - low], strict=True))
        assert len(update[0]["x"]) == n_bins
        assert update[5]["y"] == rel.counts.astype(int).tolist()
        assert update[6]["text"][0].startswith(f"{n_bins} bins · ECE {number(rel.ece, 3)}<br>")
        assert set(payload["layouts"][n_bins - low]) == {"yaxis2"}  # the count axis fits the fullest bin
    check_frame(chart(at, "Reliability"), payload, default - low)
