"""The words of the Language-model surprise page: its lead, the notes on the text and the alphabet, the
sentences beside its charts, the charts' alt texts, and its lesson.

Every number a sentence quotes is passed in from :mod:`core.charlm` (or computed here with it on the
page's defaults, :mod:`core.defaults`) and formatted by :mod:`core.formatting`.  Costs arrive in nats
per character and are written in the sidebar's unit (:func:`core.units.in_unit`).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence

import numpy as np

from core.charlm import (
    HELD_OUT_FRACTION,
    VOCAB_SIZE,
    Scores,
    bigram_model,
    clean_text,
    encode,
    load_corpus,
    sample_text,
    scores,
    unigram_model,
)
from core.charnet import CharMLP
from core.defaults import (
    LANGUAGE_CONTEXT,
    LANGUAGE_HIDDEN,
    LANGUAGE_SMOOTHING,
    LANGUAGE_SMOOTHINGS,
    LANGUAGE_TEMPERATURE,
    LANGUAGE_TEXT,
)
from core.formatting import number, percent
from core.units import in_unit
from words.lesson import Lesson, Question, loss_text

__all__ = [
    "ALPHABET_NOTE",
    "LEAD",
    "MATH_NOTE",
    "MODEL_NAMES",
    "NETWORK_NOTE",
    "SAMPLING_NOTE",
    "baseline_sentence",
    "char_description",
    "costs_alt",
    "curve_alt",
    "curve_sentence",
    "language_lesson",
    "language_solve",
    "model_labels",
    "NEXT_CHAR_TITLE",
    "next_char_alt",
    "next_char_context",
    "passage_alt",
    "passage_sentence",
    "sample_sentence",
    "smoothing_alt",
    "smoothing_sentence",
    "text_note",
    "uniform_label",
]

#: The four models, in the order of every table and chart.
MODEL_NAMES: tuple[str, ...] = ("uniform", "unigram", "bigram", "network")

LEAD = (
    "A language model reads a text one character at a time and, before each one, gives every character "
    "that could come next a probability q. When the next character is revealed it pays the surprise "
    "−log q, exactly the cross-entropy loss of a classifier whose classes are the 27 characters. "
    "Averaged over a text, that surprise is the model's **cost per character**, in bits or nats, and "
    "2 to the power of the bits is its **perplexity**. Here four models of growing skill are trained on "
    "one text and scored on paragraphs they never saw: guessing uniformly, letter frequencies (unigram), "
    "pairs of letters (bigram) and a small neural network."
)

ALPHABET_NOTE = (
    f"**The alphabet** has {VOCAB_SIZE} characters: the space and the letters a to z. Any text is mapped "
    "onto it by one rule: capitals become small letters, accents are dropped (é → e, ß → ss, ﬁ → fi), and "
    "every other character (digits, punctuation, line breaks, other scripts, emoji) becomes a space; "
    "several spaces in a row count as one, and spaces at the start and the end are dropped. Each text is "
    "read as if it followed a space."
)

NETWORK_NOTE = (
    "**The network** looks up a learned list of 10 numbers (an *embedding*) for each of the last few "
    "characters, joins them into one list, passes it through a hidden layer of tanh units and then a layer "
    "of 27 logits; softmax turns the logits into q. It is trained like every network in this explorer: "
    "2,000 steps of gradient descent (with momentum) on the cross-entropy of 128 characters at a time. "
    "Its output layer starts at zero, so before training every logit is equal and it *is* the uniform "
    "model."
)

SAMPLING_NOTE = (
    "To write, a model draws each next character at random with its probabilities q, adds it to the "
    "context and draws again. The temperature T divides the logits before the softmax, exactly as on the "
    "Multi-class logits page; for the counting models the logits are ln q, so each q is raised to the "
    "power 1/T and the results are rescaled to add up to 1. T < 1 sharpens the draw towards the likeliest "
    "character, T > 1 flattens it towards the uniform guess. Both models below use the same random "
    "numbers, so their texts differ only because their probabilities do."
)


MATH_NOTE = (
    "The embedding E holds one row of numbers per character. Its gradient adds up the gradient of every "
    "place in a batch where a row was looked up; the explorer checks it, like every gradient of the "
    "network, against finite differences and against PyTorch."
)


def _in(value_nats: float, unit: str, digits: int = 3) -> str:
    """A cost in the chosen unit: ``3.296 nats`` or ``4.755 bits``."""
    return f"{number(in_unit(value_nats, unit), digits)} {unit}"


def uniform_label(unit: str) -> str:
    """The label of the uniform line: ``uniform guess: ln 27 = 3.30 nats`` (or log₂ 27 in bits)."""
    log = "log₂" if unit == "bits" else "ln"
    return f"uniform guess: {log} {VOCAB_SIZE} = {number(in_unit(math.log(VOCAB_SIZE), unit), 2)} {unit}"


def model_labels(k: float, context: int) -> tuple[str, ...]:
    """The four models as the charts name them, with their settings.

    >>> model_labels(1.0, 3)
    ('uniform', 'unigram (k = 1)', 'bigram (k = 1)', 'network (3 characters)')
    """
    chars = "character" if context == 1 else "characters"
    return ("uniform", f"unigram (k = {k:g})", f"bigram (k = {k:g})", f"network ({context} {chars})")


def text_note(n_train: int, n_held_out: int) -> str:
    """Where the text comes from, its license, and how it is split (character counts after cleaning)."""
    return (
        "**The text** is *Surprise, Probability and Cross-Entropy: A Plain Account*, an essay written for "
        "this explorer, so the explorer owns it; it is free for anyone to reuse (CC0 1.0, a public-domain "
        f"dedication) and it ships with the app: nothing is downloaded. Its first {n_train:,} "
        f"characters train the models; its last paragraphs, {n_held_out:,} characters (about "
        f"{percent(HELD_OUT_FRACTION, 0)}), are **held out**: no model ever trains on them, so a model's "
        "cost there is a fair test of what it learned."
    )


def baseline_sentence(held_out: dict[str, Scores], unit: str) -> str:
    """The baselines said plainly, then how far each real model gets below them on the held-out text.

    ``held_out`` maps each of :data:`MODEL_NAMES` to its :class:`core.charlm.Scores` on the held-out text.
    """
    uniform, unigram = held_out["uniform"], held_out["unigram"]
    bigram, network = held_out["bigram"], held_out["network"]
    log_v = math.log(VOCAB_SIZE)
    return (
        f"**Guessing uniformly among the {VOCAB_SIZE} characters costs ln {VOCAB_SIZE} = "
        f"{number(log_v, 2)} nats (log₂ {VOCAB_SIZE} = {number(log_v / math.log(2), 2)} bits) per character, "
        f"whatever the text**: a perplexity of {number(uniform.perplexity, 0)}, as if choosing among "
        f"{number(uniform.perplexity, 0)} equal options every time. Knowing only how common each letter is, "
        f"the unigram model costs {_in(unigram.nats, unit)} on the held-out text (perplexity "
        f"{number(unigram.perplexity, 1)}). Reading one previous character, the bigram model costs "
        f"{_in(bigram.nats, unit)} (perplexity {number(bigram.perplexity, 1)}), and the network "
        f"{_in(network.nats, unit)} (perplexity {number(network.perplexity, 1)}). Each saving is knowledge "
        "of English spelling the model found in the training text."
    )


def costs_alt(labels: Sequence[str], train: Sequence[float], held_out: Sequence[float], unit: str) -> str:
    """Alt text of the cost chart (costs in ``unit``)."""
    parts = "; ".join(
        f"{label}: {number(t, 2)} on training, {number(h, 2)} on held-out text"
        for label, t, h in zip(labels, train, held_out, strict=True)
    )
    return f"Bar chart of the cost per character in {unit} of four models. {parts}."


def smoothing_sentence(
    k: float, train_nats: float, held_nats: float, best_k: float, best_held_nats: float, unit: str
) -> str:
    """What smoothing does at the page's k, and which k of the sweep does best on held-out text."""
    return (
        f"Add-k smoothing pretends that every one of the {VOCAB_SIZE}² = {VOCAB_SIZE**2} pairs of characters "
        f"was seen k more times than it was, so no pair is ever impossible. At k = {k:g} the bigram model "
        f"costs {_in(train_nats, unit)} on its training text and {_in(held_nats, unit)} on held-out text. "
        "A larger k always costs more on the training text (the counts are trusted less); on held-out "
        f"text the best k of the curve is about {best_k:.2g} ({_in(best_held_nats, unit)}). A very large k "
        "drowns the real counts: every row of pairs tends to the uniform guess, so the cost climbs past the "
        "unigram model's line towards the uniform one."
    )


def smoothing_alt(k: float, train_nats: float, held_nats: float, unit: str) -> str:
    return (
        f"Line chart of the bigram model's cost per character in {unit} against the smoothing k on a log "
        f"scale, for the training and the held-out text; at k = {k:g} they are "
        f"{number(in_unit(train_nats, unit), 2)} and {number(in_unit(held_nats, unit), 2)}."
    )


def curve_sentence(
    initial_nats: float, train_nats: float, held_nats: float, bigram_held_nats: float, unit: str
) -> str:
    """How the network's training went: where it started, where it ended, and the gap between texts."""
    gap = held_nats - train_nats
    if held_nats < bigram_held_nats:
        versus = f"below the bigram model's {_in(bigram_held_nats, unit)}"
    else:
        versus = f"not below the bigram model's {_in(bigram_held_nats, unit)}"
    return (
        f"Before training the network costs {_in(initial_nats, unit)} per character, the uniform guess. "
        f"After training it costs {_in(train_nats, unit)} on its training text and {_in(held_nats, unit)} on "
        f"held-out text, {versus}. The gap of {_in(gap, unit)} between the two texts is what it learned "
        "about this one essay that does not carry over to new paragraphs: more context and more hidden "
        "units widen it."
    )


def curve_alt(train_nats: float, held_nats: float, unit: str) -> str:
    return (
        f"Line chart of the network's cost per character in {unit} during training, on the training and "
        "on the held-out text; it starts at the uniform guess and ends at "
        f"{number(in_unit(train_nats, unit), 2)} and {number(in_unit(held_nats, unit), 2)}."
    )


def char_description(ch: str) -> str:
    """How a character the rule changed is named in a table: ``"É" (LATIN CAPITAL LETTER E WITH ACUTE)``.

    Invisible characters (spaces, line breaks, controls) are named only by their code point.

    >>> char_description("é"), char_description("\\n")
    ('“é” (LATIN SMALL LETTER E WITH ACUTE)', 'U+000A (a line break or control character)')
    """
    name = unicodedata.name(ch, "")
    if not ch.isprintable() or ch.isspace() or not name:
        kind = "a line break or control character" if not ch.isprintable() else "a kind of space"
        return f"U+{ord(ch):04X} ({name.lower() or kind})" if name else f"U+{ord(ch):04X} ({kind})"
    return f"“{ch}” ({name})"


def passage_sentence(
    label: str, n_chars: int, mean_nats: dict[str, float], unit: str, *, typed: bool, n_changed: int
) -> str:
    """The passage's average surprise under each model, and (for typed text) how much the rule changed."""
    per_model = ", ".join(f"{name} {_in(value, unit, 2)}" for name, value in mean_nats.items())
    changed = ""
    if typed:
        changed = (
            f" The rule changed {n_changed} different character{'s' if n_changed != 1 else ''} of what you "
            "typed (listed below)."
            if n_changed
            else " Every character you typed was already in the alphabet."
        )
    return (
        f"{label}: {n_chars} characters. Average surprise per character: {per_model}.{changed} "
        "Hover over a character to see q and its surprise; the table below gives every character under "
        "every model."
    )


def passage_alt(model: str, text: str, mean_nats: float, unit: str) -> str:
    return (
        f"The passage written as a grid of characters, each coloured by its surprise under the {model} "
        f"model, from dark (expected) to bright yellow (surprising); the average is "
        f"{number(in_unit(mean_nats, unit), 2)} {unit} per character. The text: {text}"
    )


def sample_sentence(model: str, text_nats: float, entropy_nats: float, temperature: float, unit: str) -> str:
    """What the model itself thought of what it wrote (at T = 1), against the entropy of its predictions."""
    return (
        f"The {model}'s own surprise at this text: {_in(text_nats, unit, 2)} per character; the "
        f"average entropy of its predictions along the way: {_in(entropy_nats, unit, 2)}"
        + (
            " (at T = 1 a long text costs about its entropy)."
            if temperature == 1
            else f" (T = {temperature:g} {'sharpens' if temperature < 1 else 'flattens'} the draws)."
        )
    )


# The title of a "what would it draw next" chart.  What the character comes after is written inside the
# chart (next_char_context): it changes with the temperature, and the chart follows that slider in the
# browser, where only its traces move.
NEXT_CHAR_TITLE = "The next character"


def next_char_context(tail: str) -> str:
    """What the next character comes after: the end of the text written so far (spaces as ␣).

    >>> next_char_context("ing t")
    'after “ing␣t”'
    """
    return f"after “{tail.replace(' ', '␣')}”"


def next_char_alt(label: str) -> str:
    """Alt text of a next-character chart.

    It names nothing the temperature changes (the chart follows that slider in the browser and is not
    sent again): the text above the chart and the sentence under it give the numbers.

    >>> next_char_alt("bigram")[:60]
    "Bar chart of the bigram model's probability of each characte"
    """
    return (
        f"Bar chart of the {label} model's probability of each character coming next, after the text it "
        "has written: filled bars at the temperature T, outlined bars at T = 1; the temperature sharpens "
        "or flattens the filled bars."
    )


# ------------------------------------------------------------------------------------------- the lesson
CONSONANTS = "xqzvbkj"  # a typed run of consonants for the prompt


def _untrained() -> CharMLP:
    """The page's default network before training (in float32, as the page trains it)."""
    return CharMLP(LANGUAGE_CONTEXT[2], hidden=LANGUAGE_HIDDEN, dtype=np.float32)


def _bigram(k: float):
    return bigram_model(load_corpus().train_ids, k)


def language_solve(unit: str) -> tuple[int, str]:
    """The untrained network's cost is ln 27 (its logits start equal): option 0, computed with core."""
    corpus = load_corpus()
    untrained = scores(_untrained(), corpus.held_out_ids)
    unigram = scores(unigram_model(corpus.train_ids, LANGUAGE_SMOOTHING), corpus.train_ids)
    bigram = scores(_bigram(LANGUAGE_SMOOTHING), corpus.train_ids)
    candidates = (math.log(VOCAB_SIZE), unigram.nats, bigram.nats, math.log(2))
    correct = min(range(len(candidates)), key=lambda i: abs(candidates[i] - untrained.nats))
    explanation = (
        f"Before training, the network costs {loss_text(untrained.nats, unit)} per character, and "
        f"ln {VOCAB_SIZE} = {loss_text(math.log(VOCAB_SIZE), unit)}: its output layer starts at zero, so all "
        f"{VOCAB_SIZE} logits are equal and softmax gives every character q = 1/{VOCAB_SIZE}. That is the "
        "uniform guess, the cost of knowing nothing, and its perplexity is exactly 27. The letter "
        f"frequencies would already cost only {loss_text(unigram.nats, unit)} and pairs of letters "
        f"{loss_text(bigram.nats, unit)}: training has to discover both, and then more."
    )
    return correct, explanation


def language_lesson() -> Lesson:
    """The page's "What to try" prompts and its question, with numbers computed from core."""
    corpus = load_corpus()
    held, train = corpus.held_out_ids, corpus.train_ids
    k0, k_low, k_high = LANGUAGE_SMOOTHING, LANGUAGE_SMOOTHINGS[0], LANGUAGE_SMOOTHINGS[-1]
    held_bits = {k: scores(_bigram(k), held).bits for k in (k0, k_low, k_high)}
    unigram_bits = scores(unigram_model(train, k0), held).bits
    log2v = math.log2(VOCAB_SIZE)
    bigram = _bigram(k0)
    consonant_bits = scores(bigram, encode(CONSONANTS)).bits
    sentence_bits = scores(bigram, encode(clean_text(LANGUAGE_TEXT).text)).bits
    cold, hot = 0.2, LANGUAGE_TEMPERATURE[1]
    cold_bits = sample_text(bigram, 300, temperature=cold).surprise.mean() / math.log(2)
    hot_bits = sample_text(bigram, 300, temperature=hot).surprise.mean() / math.log(2)
    untrained = scores(_untrained(), held).nats
    return Lesson(
        what_to_try=(
            f"Drag *Smoothing k* from {k0:g} to {k_high:g}: the bigram model's **held-out** cost climbs from "
            f"{number(held_bits[k0], 2)} to {number(held_bits[k_high], 2)} bits per character, past the "
            f"unigram model's {number(unigram_bits, 2)} and towards the uniform guess's {number(log2v, 2)}: "
            f"{k_high:g} pretend counts for every pair drown the real ones. At {k_low:g} it is "
            f"{number(held_bits[k_low], 2)}: the text is long enough that few held-out pairs were never "
            "seen.",
            "Set *Context (characters)* to 1: the network reads only the previous character, like the "
            "bigram model, and lands next to its held-out cost. Then try 5 with 128 *Hidden units*: the "
            "training cost falls much further than the held-out cost, and the gap between them is the part "
            "of this one essay the network learned by heart.",
            f"Set *Passage* to “Your own text” and type a run of consonants such as “{CONSONANTS}”: "
            f"the bigram model pays {number(consonant_bits, 2)} bits per character for it, more than the "
            f"uniform guess's {number(log2v, 2)}, while the sentence already in the box costs "
            f"{number(sentence_bits, 2)}. Paste text with accents or emoji too: the table shows what each "
            "character became.",
            f"Move *Temperature T* down to {cold:g}: the bigram model gets stuck on its commonest pairs and "
            f"its own surprise at what it writes falls to {number(cold_bits, 2)} bits per character. At "
            f"{hot:g} it rises to {number(hot_bits, 2)}, above the uniform guess's {number(log2v, 2)}: "
            "rare letters turn up as often as common ones. It is the Multi-class logits page's "
            "temperature, dividing the logits of the next character.",
        ),
        question=Question(
            prompt=f"Before any training, the network's cost on the held-out text is "
            f"**{number(untrained, 2)} nats ({number(untrained / math.log(2), 2)} bits) per character**. "
            "Where does that number come from?",
            options=(
                f"ln {VOCAB_SIZE}: a uniform guess among the {VOCAB_SIZE} characters",
                "the letter frequencies, as in the unigram model",
                "the pairs of letters, as in the bigram model",
                "ln 2: one coin toss per character",
            ),
            solve=language_solve,
            try_it="Look at the first point (step 0) of the learning curve for any *Context (characters)*: "
            "it sits on the dashed uniform line.",
        ),
    )
