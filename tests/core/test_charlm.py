"""Character-level language models: the alphabet's rule, the counting models, the network and sampling."""

import math
import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.charlm import (
    ALPHABET,
    HELD_OUT_FRACTION,
    TEXT_PATH,
    VOCAB_SIZE,
    bigram_model,
    char_surprise,
    clean_text,
    contexts,
    decode,
    encode,
    load_corpus,
    next_char_probs,
    pair_counts,
    sample_text,
    scores,
    split_text,
    uniform_model,
    unigram_model,
)
from core.charnet import trained_network

LN27 = math.log(27)
CORPUS = load_corpus()


# ------------------------------------------------------------------------------------------- the alphabet
def test_alphabet_is_the_space_and_26_letters():
    assert VOCAB_SIZE == 27
    assert ALPHABET[0] == " "
    assert ALPHABET[1:] == "abcdefghijklmnopqrstuvwxyz"


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("Hello, World!", "hello world"),
        ("Café crème brûlée", "cafe creme brulee"),
        ("ﬁne ﬂour", "fine flour"),
        ("Straße", "strasse"),
        ("ÅNGSTRÖM", "angstrom"),
        ("line one\nline\ttwo", "line one line two"),
        ("3.14 is pi", "is pi"),
        ("emoji 😀 here", "emoji here"),
        ("Ｆｕｌｌ ｗｉｄｔｈ", "full width"),
        ("日本語 and Ελληνικά", "and"),
        ("   spaced    out   ", "spaced out"),
        ("<script>alert(1)</script>", "script alert script"),
        ("", ""),
        ("!!! ???", ""),
    ],
)
def test_clean_text_follows_the_documented_rule(text, cleaned):
    assert clean_text(text).text == cleaned


def test_clean_text_lists_each_changed_character_once_in_order():
    out = clean_text("Éé! É\n")
    assert out.changes == (("É", "e"), ("é", "e"), ("!", " "), ("\n", " "))


def test_a_lone_combining_accent_disappears():
    accent = "\u0301"
    assert unicodedata.combining(accent)
    assert clean_text(f"a{accent}b").text == "ab"
    assert clean_text(f"a{accent}b").changes == ((accent, ""),)


def test_clean_text_rejects_non_strings():
    with pytest.raises(ValueError, match="text must be a str; got bytes"):
        clean_text(b"abc")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_cleaned_text_uses_only_the_alphabet_with_single_inner_spaces(text):
    out = clean_text(text).text
    assert set(out) <= set(ALPHABET)
    assert "  " not in out
    assert out == out.strip(" ")
    assert clean_text(out).text == out  # idempotent
    assert decode(encode(out)) == out


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1))
def test_encode_and_decode_are_inverses(text):
    ids = encode(text)
    assert ids.dtype == np.intp
    assert ids.shape == (len(text),)
    assert decode(ids) == text


def test_encode_names_the_first_character_outside_the_alphabet():
    with pytest.raises(
        ValueError, match=r"only a-z and the space \(run clean_text first\); got 'B' at position 2"
    ):
        encode("abBa")


@pytest.mark.parametrize("bad", [[27], [-1], [[1, 2]], [0.5]])
def test_decode_rejects_anything_but_character_indices(bad):
    with pytest.raises(ValueError, match="ids must be"):
        decode(bad)


def test_contexts_pad_the_start_with_spaces_oldest_first():
    ids = encode("abcd")
    assert contexts(ids, 3).tolist() == [[0, 0, 0], [0, 0, 1], [0, 1, 2], [1, 2, 3]]
    assert contexts(ids, 0).shape == (4, 0)
    with pytest.raises(ValueError, match=r"size must be an integer in \[0, inf\); got -1"):
        contexts(ids, -1)


# ------------------------------------------------------------------------------------------- the text
def test_split_text_cuts_at_the_paragraph_break_nearest_the_fraction():
    text = "a" * 50 + "\n\n" + "b" * 30 + "\n\n" + "c" * 18
    assert split_text(text, 0.2) == ("a" * 50 + "\n\n" + "b" * 30, "c" * 18)
    assert split_text(text, 0.5) == ("a" * 50, "b" * 30 + "\n\n" + "c" * 18)


def test_split_text_rejects_a_single_paragraph_and_bad_fractions():
    with pytest.raises(ValueError, match="at least two paragraphs"):
        split_text("one paragraph only", 0.2)
    with pytest.raises(ValueError, match=r"held_out_fraction must be in \(0, 1\); got 1"):
        split_text("a\n\nb", 1.0)


def test_the_shipped_text_is_small_plain_and_documented():
    raw = TEXT_PATH.read_bytes()
    assert 20_000 < len(raw) < 300_000  # tens of KB: enough for bigram counts, small enough to ship
    text = raw.decode("utf-8")
    assert text.isascii()
    readme = (TEXT_PATH.parent / "README.md").read_text(encoding="utf-8")
    assert TEXT_PATH.name in readme
    assert "license" in readme.lower()


def test_the_corpus_is_cleaned_split_and_covers_every_character():
    total = len(CORPUS.train) + len(CORPUS.held_out)
    assert abs(len(CORPUS.held_out) / total - HELD_OUT_FRACTION) < 0.03
    assert set(CORPUS.train) == set(ALPHABET)  # every letter is seen in training
    assert CORPUS.train_ids.flags.writeable is False
    assert decode(CORPUS.held_out_ids) == CORPUS.held_out
    assert CORPUS.raw_held_out.split("\n\n")[0] not in CORPUS.raw_train


# ------------------------------------------------------------------------------------------- counting models
def test_uniform_model_costs_log_v_on_any_text():
    s = scores(uniform_model(), encode("whatever the text is"))
    assert s.nats == pytest.approx(LN27, rel=1e-14)
    assert s.bits == pytest.approx(math.log2(27), rel=1e-14)
    assert s.perplexity == pytest.approx(27.0, rel=1e-12)


@pytest.mark.parametrize("k", [1e-3, 0.5, 1.0, 10.0])
def test_unigram_is_add_k_counts(k):
    ids = CORPUS.train_ids
    model = unigram_model(ids, k)
    counts = np.bincount(ids, minlength=27)
    expected = (counts + k) / (ids.size + 27 * k)
    np.testing.assert_allclose(np.exp(model.log_probs), expected, rtol=1e-12)
    assert np.exp(model.log_probs).sum() == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("k", [1e-3, 0.5, 1.0, 10.0])
def test_bigram_rows_are_add_k_pair_counts(k):
    ids = CORPUS.train_ids
    model = bigram_model(ids, k)
    counts = np.zeros((27, 27))
    previous = np.concatenate([[0], ids[:-1]])
    for a, b in zip(previous, ids, strict=True):
        counts[a, b] += 1
    np.testing.assert_array_equal(pair_counts(ids), counts)
    expected = (counts + k) / (counts.sum(axis=1, keepdims=True) + 27 * k)
    np.testing.assert_allclose(np.exp(model.log_probs), expected, rtol=1e-12)
    np.testing.assert_allclose(np.exp(model.log_probs).sum(axis=1), 1.0, atol=1e-12)


def test_a_context_never_seen_gets_the_uniform_row():
    model = bigram_model(encode("ab ab"), k=0.3)
    np.testing.assert_allclose(model.log_probs[26], -LN27)  # "z" never occurs


def test_cleaned_text_never_holds_two_spaces_so_the_bigram_barely_expects_them():
    model = bigram_model(CORPUS.train_ids, k=1.0)
    assert np.exp(model.log_probs[0, 0]) < 1e-3


@pytest.mark.parametrize("k", [0, -1, float("nan"), "1"])
def test_smoothing_must_be_positive(k):
    with pytest.raises(ValueError, match="k must be"):
        bigram_model(encode("abc"), k)


def test_training_cross_entropy_rises_with_k_and_large_k_forgets_the_previous_character():
    ks = [1e-3, 0.1, 1, 10, 100, 1e4]
    train = [scores(bigram_model(CORPUS.train_ids, k), CORPUS.train_ids).nats for k in ks]
    assert np.all(np.diff(train) > 0)
    unigram = scores(unigram_model(CORPUS.train_ids, 1e-9), CORPUS.train_ids).nats
    assert scores(bigram_model(CORPUS.train_ids, 1e7), CORPUS.train_ids).nats == pytest.approx(LN27, abs=0.01)
    assert train[0] < unigram < LN27


def test_on_held_out_text_bigram_beats_unigram_beats_uniform():
    held = CORPUS.held_out_ids
    uniform = scores(uniform_model(), held).bits
    unigram = scores(unigram_model(CORPUS.train_ids, 1.0), held).bits
    bigram = scores(bigram_model(CORPUS.train_ids, 1.0), held).bits
    assert bigram < unigram - 0.5
    assert unigram < uniform - 0.5
    # the essay's own claims about these numbers on English
    assert 4.0 < unigram < 4.3
    assert 3.0 < bigram < 4.0


# ------------------------------------------------------------------------------------------- scoring
def test_char_surprise_sums_to_minus_the_log_probability_of_the_whole_text():
    model = bigram_model(CORPUS.train_ids, 0.5)
    text = "the quick brown fox"
    q = np.exp(model.log_probs)
    log_p, previous = 0.0, 0
    for ch in text:
        b = ALPHABET.index(ch)
        log_p += math.log(q[previous, b])
        previous = b
    surprise = char_surprise(model, encode(text))
    assert surprise.shape == (len(text),)
    assert surprise.sum() == pytest.approx(-log_p, rel=1e-12)


def test_scores_are_one_number_in_three_units():
    s = scores(bigram_model(CORPUS.train_ids, 1.0), CORPUS.held_out_ids)
    assert s.bits == pytest.approx(s.nats / math.log(2), rel=1e-14)
    assert s.perplexity == pytest.approx(math.exp(s.nats), rel=1e-14)
    assert s.perplexity == pytest.approx(2**s.bits, rel=1e-12)
    assert s.n_chars == CORPUS.held_out_ids.size


def test_scores_reject_an_empty_text_and_char_surprise_accepts_it():
    with pytest.raises(ValueError, match="at least one character"):
        scores(uniform_model(), encode(""))
    assert char_surprise(uniform_model(), encode("")).shape == (0,)
    with pytest.raises(
        ValueError,
        match=r"model must be a character model \(a CountModel or a core.charnet.CharMLP\); got str",
    ):
        char_surprise("bigram", encode("ab"))


# ------------------------------------------------------------------------------------------- sampling
def test_sampling_is_reproducible_from_the_seed():
    model = bigram_model(CORPUS.train_ids, 1.0)
    a = sample_text(model, 200, temperature=1.0, seed=4)
    assert a.text == sample_text(model, 200, temperature=1.0, seed=4).text
    assert a.text != sample_text(model, 200, temperature=1.0, seed=5).text
    assert set(a.text) <= set(ALPHABET)
    assert len(a.text) == 200


def test_the_sample_reports_the_models_own_surprise_and_entropy():
    net = trained_network(context=3).model
    sample = sample_text(net, 150, temperature=0.7, seed=2)
    assert net.E.dtype == np.float32  # the shipped network trains in float32: compare to its precision
    np.testing.assert_allclose(sample.surprise, char_surprise(net, encode(sample.text)), rtol=1e-5, atol=1e-6)
    q = np.exp(net.next_log_probs(contexts(encode(sample.text), 3)).astype(np.float64))
    np.testing.assert_allclose(sample.entropy, -(q * np.log(q)).sum(axis=1), rtol=1e-5, atol=1e-6)


def test_near_zero_temperature_always_takes_the_most_likely_character():
    model = bigram_model(CORPUS.train_ids, 1.0)
    sample = sample_text(model, 40, temperature=1e-3, seed=0)
    previous = 0
    for ch in sample.text:
        assert ALPHABET.index(ch) == int(np.argmax(model.log_probs[previous]))
        previous = ALPHABET.index(ch)


def test_lower_temperature_lowers_the_surprise_of_what_the_model_writes():
    model = bigram_model(CORPUS.train_ids, 1.0)
    means = [sample_text(model, 3000, temperature=t, seed=0).surprise.mean() for t in (0.5, 1.0, 2.0)]
    assert means[0] < means[1] < means[2]


def test_at_temperature_one_a_long_sample_costs_about_the_models_entropy():
    sample = sample_text(bigram_model(CORPUS.train_ids, 1.0), 8000, temperature=1.0, seed=1)
    assert sample.surprise.mean() == pytest.approx(sample.entropy.mean(), abs=0.05)


def test_a_very_high_temperature_samples_like_the_uniform_model():
    sample = sample_text(unigram_model(CORPUS.train_ids, 1.0), 27_00, temperature=1e4, seed=0)
    counts = np.bincount(encode(sample.text), minlength=27)
    assert counts.min() > 50
    assert counts.max() < 160  # about 100 each


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_chars": 0}, r"n_chars must be an integer in \[1, 10000\]; got 0"),
        ({"n_chars": 5, "temperature": 0}, r"temperature must be in \(0, inf\]; got 0"),
        ({"n_chars": 5, "seed": -2}, r"seed must be an integer in \[0, inf\); got -2"),
    ],
)
def test_sampling_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        sample_text(uniform_model(), **kwargs)


# ------------------------------------------------------------------------------------------- next character
def test_next_char_probs_is_the_row_after_the_last_character_and_its_tempered_copy():
    model = bigram_model(CORPUS.train_ids, 1.0)
    nxt = next_char_probs(model, encode("the q"), temperature=0.5)
    np.testing.assert_allclose(nxt.probs, np.exp(model.log_probs[ALPHABET.index("q")]), rtol=1e-12)
    powered = nxt.probs**2  # T = 0.5: q^(1/T), renormalised
    np.testing.assert_allclose(nxt.tempered, powered / powered.sum(), rtol=1e-10)
    assert int(np.argmax(nxt.probs)) == ALPHABET.index("u")  # after q comes u
    assert nxt.probs.sum() == pytest.approx(1.0)
    assert nxt.tempered.sum() == pytest.approx(1.0)


def test_next_char_after_nothing_is_the_start_of_a_text():
    model = bigram_model(CORPUS.train_ids, 1.0)
    np.testing.assert_allclose(next_char_probs(model, encode("")).probs, np.exp(model.log_probs[0]))


@pytest.mark.parametrize("temperature", [0.3, 1.0, 2.5])
def test_the_first_character_written_is_drawn_from_next_char_probs(temperature):
    model = bigram_model(CORPUS.train_ids, 1.0)
    tempered = next_char_probs(model, encode(""), temperature=temperature).tempered
    u = np.random.default_rng(3).random()  # the first number sample_text(seed=3) uses
    expected = int(np.searchsorted(np.cumsum(tempered), u, side="right"))
    first = sample_text(model, 1, temperature=temperature, seed=3).text
    assert first == ALPHABET[expected]


def test_the_readme_beside_the_text_states_its_size():
    raw = TEXT_PATH.read_bytes()
    readme = (TEXT_PATH.parent / "README.md").read_text(encoding="utf-8")
    text = raw.decode("utf-8")
    assert f"{len(raw):,} bytes" in readme
    assert f"{len(text.split()):,} words in {text.count(chr(10) * 2) + 1} paragraphs" in readme
    assert f"{len(CORPUS.raw_train):,} characters" in readme
    assert f"{len(CORPUS.train):,} after cleaning" in readme
    assert f"{len(CORPUS.raw_held_out):,} characters" in readme
    assert "CC0 1.0" in readme
