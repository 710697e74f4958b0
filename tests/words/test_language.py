"""words.language: the Language-model surprise page's sentences, alt texts and lesson.

The lesson's numbers are recomputed here from the counts themselves (another route than core.charlm's
models), and its claims about the networks are checked on the networks the page trains.
"""

import math
import re

import numpy as np
import pytest

from core.charlm import ALPHABET, clean_text, load_corpus, scores_from_nats
from core.charnet import trained_network
from core.defaults import LANGUAGE_SMOOTHING, LANGUAGE_SMOOTHINGS, LANGUAGE_TEXT
from core.losses import cross_entropy
from tests.words._lesson_helpers import italic_spans
from words.language import (
    ALPHABET_NOTE,
    CONSONANTS,
    LEAD,
    NETWORK_NOTE,
    SAMPLING_NOTE,
    baseline_sentence,
    char_description,
    curve_sentence,
    language_lesson,
    language_solve,
    model_labels,
    next_char_alt,
    next_char_context,
    passage_sentence,
    sample_sentence,
    text_note,
    uniform_label,
)

CORPUS = load_corpus()
LESSON = language_lesson()


def bigram_bits(k: float, text_ids: np.ndarray) -> float:
    """Held-out bits per character of add-k pair counts, counted with a plain loop."""
    counts = np.zeros((27, 27))
    previous = 0
    for b in CORPUS.train_ids:
        counts[previous, b] += 1
        previous = b
    q = (counts + k) / (counts.sum(axis=1, keepdims=True) + 27 * k)
    total, previous = 0.0, 0
    for b in text_ids:
        total -= math.log2(q[previous, b])
        previous = b
    return total / len(text_ids)


def test_fixed_texts_are_plain_markdown():
    for block in (LEAD, ALPHABET_NOTE, NETWORK_NOTE, SAMPLING_NOTE):
        assert not re.search(r"<[a-zA-Z/]", block)
    assert "Multi-class logits page" in SAMPLING_NOTE  # temperature tied back to where it was met
    assert "27 characters" in ALPHABET_NOTE
    assert "emoji" in ALPHABET_NOTE


def test_the_text_note_names_the_license_and_the_split():
    note = text_note(27946, 5074)
    assert "CC0 1.0" in note
    assert "nothing is downloaded" in note
    assert "27,946 characters train" in note
    assert "5,074 characters (about 15%)" in note


@pytest.mark.parametrize(("unit", "log_v"), [("nats", "ln 27 = 3.30 nats"), ("bits", "log₂ 27 = 4.75 bits")])
def test_the_uniform_label_is_log_v_in_the_unit(unit, log_v):
    assert uniform_label(unit) == f"uniform guess: {log_v}"


def test_the_baseline_sentence_says_the_uniform_cost_plainly_and_quotes_each_model():
    held = {
        "uniform": scores_from_nats(math.log(27), 100),
        "unigram": scores_from_nats(2.8, 100),
        "bigram": scores_from_nats(2.27, 100),
        "network": scores_from_nats(1.59, 100),
    }
    sentence = baseline_sentence(held, "bits")
    assert "costs ln 27 = 3.30 nats (log₂ 27 = 4.75 bits) per character, whatever the text" in sentence
    assert "a perplexity of 27" in sentence
    assert f"{2.8 / math.log(2):.3f} bits on the held-out text (perplexity {math.exp(2.8):.1f})" in sentence
    assert f"the network {1.59 / math.log(2):.3f} bits" in sentence


def test_model_labels_and_plurals():
    assert model_labels(0.001, 1) == (
        "uniform",
        "unigram (k = 0.001)",
        "bigram (k = 0.001)",
        "network (1 character)",
    )
    assert model_labels(1000.0, 5)[3] == "network (5 characters)"


def test_char_description_names_characters_and_only_code_points_for_invisible_ones():
    assert char_description("😀") == "“😀” (GRINNING FACE)"
    assert char_description("<") == "“<” (LESS-THAN SIGN)"
    assert char_description("\t") == "U+0009 (a line break or control character)"
    assert char_description("\u00a0") == "U+00A0 (no-break space)"
    assert char_description("\u0378").startswith("U+0378")  # unassigned: no name


def test_passage_sentence_counts_the_changes():
    means = {"uniform": math.log(27), "network": 1.0}
    one = passage_sentence("Your text", 12, means, "nats", typed=True, n_changed=1)
    assert "changed 1 different character of what you typed" in one
    none = passage_sentence("Your text", 12, means, "nats", typed=True, n_changed=0)
    assert "already in the alphabet" in none
    held = passage_sentence("The start", 12, means, "bits", typed=False, n_changed=0)
    assert "you typed" not in held
    assert f"uniform {math.log2(27):.2f} bits" in held


def test_curve_and_sample_sentences_follow_the_numbers():
    below = curve_sentence(math.log(27), 1.4, 1.6, 2.27, "nats")
    assert "below the bigram model's 2.270 nats" in below
    assert "gap of 0.200 nats" in below
    assert "not below" in curve_sentence(math.log(27), 2.2, 2.4, 2.27, "nats")
    assert "at T = 1 a long text costs about its entropy" in sample_sentence("bigram", 2.3, 2.27, 1.0, "nats")
    assert "T = 0.5 sharpens" in sample_sentence("bigram", 1.0, 2.0, 0.5, "nats")
    assert "T = 2 flattens" in sample_sentence("bigram", 4.0, 2.0, 2.0, "nats")
    assert next_char_context("the q") == "after “the␣q”"
    # the chart follows T without being sent again: its alt text names no T but the fixed T = 1
    assert next_char_alt("bigram").replace("T = 1;", "").count("T = ") == 0


# ------------------------------------------------------------------------------------------ the lesson
def test_the_prompts_quote_core_numbers_recomputed_from_the_counts():
    held = CORPUS.held_out_ids
    k0, low, high = LANGUAGE_SMOOTHING, LANGUAGE_SMOOTHINGS[0], LANGUAGE_SMOOTHINGS[-1]
    first = LESSON.what_to_try[0]
    assert f"from {k0:g} to {high:g}" in first
    assert f"climbs from {bigram_bits(k0, held):.2f} to {bigram_bits(high, held):.2f} bits" in first
    assert f"At {low:g} it is {bigram_bits(low, held):.2f}" in first
    assert f"uniform guess's {math.log2(27):.2f}" in first
    third = LESSON.what_to_try[2]
    consonants = np.array([ALPHABET.index(c) for c in CONSONANTS])
    assert f"pays {bigram_bits(k0, consonants):.2f} bits per character" in third
    sentence = np.array([ALPHABET.index(c) for c in clean_text(LANGUAGE_TEXT).text])
    assert f"already in the box costs {bigram_bits(k0, sentence):.2f}" in third
    assert bigram_bits(k0, consonants) > math.log2(27) > bigram_bits(k0, sentence)


def test_the_prompts_name_only_controls_the_page_has():
    labels = {
        "Smoothing k",
        "Context (characters)",
        "Hidden units",
        "Passage",
        "Temperature T",
    }
    for prompt in LESSON.what_to_try:
        assert set(italic_spans(prompt)) - {"embedding"} <= labels, prompt


def test_the_network_prompt_holds_on_the_pages_networks():
    bigram_held = bigram_bits(LANGUAGE_SMOOTHING, CORPUS.held_out_ids)
    one = trained_network(1, 64)
    assert abs(one.held_out_nats[-1] / math.log(2) - bigram_held) < 0.1  # "lands next to its held-out cost"
    wide = trained_network(5, 128)
    gap_wide = wide.held_out_nats[-1] - wide.train_nats[-1]
    gap_one = one.held_out_nats[-1] - one.train_nats[-1]
    assert gap_wide > 5 * gap_one  # "falls much further than the held-out cost"


def test_the_temperature_prompt_brackets_the_uniform_guess():
    prompt = LESSON.what_to_try[3]
    cold = float(re.search(r"falls to (\d+\.\d+)", prompt).group(1))
    hot = float(re.search(r"rises to (\d+\.\d+)", prompt).group(1))
    assert cold < bigram_bits(LANGUAGE_SMOOTHING, CORPUS.held_out_ids) < math.log2(27) < hot
    assert "Multi-class logits page's temperature" in prompt


@pytest.mark.parametrize("unit", ["nats", "bits"])
def test_the_question_answer_is_ln_27_because_the_untrained_logits_are_equal(unit):
    correct, explanation = language_solve(unit)
    assert LESSON.question.options[correct].startswith("ln 27")
    # another route: core's cross-entropy of all-equal logits is ln 27 whatever the targets
    logits = np.zeros((CORPUS.held_out_ids.size, 27))
    assert float(cross_entropy(logits, CORPUS.held_out_ids)) == pytest.approx(math.log(27))
    value = math.log(27) if unit == "nats" else math.log2(27)
    assert f"ln 27 = {value:.4f} {unit}" in explanation
    assert f"**{math.log(27):.2f} nats ({math.log2(27):.2f} bits) per character**" in LESSON.question.prompt
