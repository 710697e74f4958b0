"""Character-level language models scored by surprise: uniform, unigram, bigram and a small network.

A language model over an alphabet of V symbols gives, at every position t of a text x₁ … x_n, a
distribution q(· | context) over the next symbol; it pays the surprise −ln q(x_t | context) when x_t is
revealed.  Averaged over the text this is the cross-entropy per character,

.. math:: H = -\\frac{1}{n} \\sum_{t=1}^{n} \\ln q(x_t \\mid x_{t-k} … x_{t-1})
          \\quad\\text{nats}, \\qquad H / \\ln 2 \\ \\text{bits}, \\qquad
          \\text{perplexity} = e^{H} = 2^{H / \\ln 2}

and a model that knows nothing (q uniform) pays ln V nats = log₂ V bits on every character, with
perplexity V.

**The alphabet** is the space and the 26 letters a–z (V = 27; index 0 is the space).  :func:`clean_text`
maps any Unicode text onto it by one rule: each character is case-folded (``"A"`` → ``"a"``,
``"ß"`` → ``"ss"``) and decomposed (NFKD: ``"é"`` → ``"e"`` + an accent, ``"ﬁ"`` → ``"fi"``); of the
result, the letters a–z are kept, accents (combining marks) are dropped and every other character
(digits, punctuation, line breaks, other scripts, emoji) becomes a space.  Runs of spaces become one
space, and spaces at the start and the end are dropped.

**Context.** Every text is scored as if it followed a space (a word boundary): the contexts of the first
characters are padded with spaces (:func:`contexts`).

**The models** all answer :meth:`next_log_probs` for a batch of contexts:

- :func:`uniform_model`: q = 1/V whatever came before;
- :func:`unigram_model`: q(b) = (c_b + k) / (N + kV), the letter counts with add-k smoothing;
- :func:`bigram_model`: q(b | a) = (c_ab + k) / (c_a + kV), the counts of pairs (a, b) with add-k
  smoothing (c_a = Σ_b c_ab, so each row sums to 1);
- :class:`core.charnet.CharMLP` (its own module): an embedding of each of the last few characters and
  a small MLP, trained with the batch-mean cross-entropy.

:func:`scores` gives nats, bits and perplexity per character; :func:`char_surprise` the surprise of each
character; :func:`sample_text` writes text from a model at a temperature T (the logits divided by T, as
:func:`core.functional.softmax` does; for a counting model the logits are its log-probabilities).
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from pathlib import Path
from typing import NamedTuple

import numpy as np

from core._validation import check_int, check_scalar
from core.functional import log_softmax

__all__ = [
    "ALPHABET",
    "HELD_OUT_FRACTION",
    "TEXT_PATH",
    "VOCAB_SIZE",
    "Cleaned",
    "Corpus",
    "CountModel",
    "Sample",
    "Scores",
    "char_surprise",
    "clean_text",
    "contexts",
    "decode",
    "encode",
    "load_corpus",
    "NextChar",
    "next_char_probs",
    "pair_counts",
    "sample_text",
    "scores",
    "scores_from_nats",
    "split_text",
    "bigram_model",
    "unigram_model",
    "uniform_model",
]

ALPHABET = " abcdefghijklmnopqrstuvwxyz"
VOCAB_SIZE = len(ALPHABET)  # V = 27
SPACE = 0  # the index of " ", also the padding of the first contexts
TEXT_PATH = Path(__file__).with_name("data_files") / "surprise_essay.txt"
HELD_OUT_FRACTION = 0.15  # about the last 15 % of the text, cut at a paragraph break
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}
_SPACES = re.compile(" {2,}")


# ------------------------------------------------------------------------------------------- the alphabet
def _map_char(ch: str) -> str:
    """One character of any text → letters a–z and spaces, by the module's rule (before collapsing)."""
    if ch in _INDEX:
        return ch
    out = []
    for part in unicodedata.normalize("NFKD", ch.casefold()):
        if part in _INDEX:
            out.append(part)
        elif not unicodedata.combining(part):
            out.append(" ")
    return "".join(out)


class Cleaned(NamedTuple):
    """A text mapped onto the alphabet.

    Attributes
    ----------
    text : str
        Only ``" "`` and a–z, no double spaces, no space at either end (may be empty).
    changes : tuple of (str, str)
        Each distinct character of the input that the rule changed, in order of first appearance, with
        what it became (letters, ``" "``, or ``""`` for an accent on its own).
    """

    text: str
    changes: tuple[tuple[str, str], ...]


def clean_text(text: str) -> Cleaned:
    """Map any Unicode text onto the 27-symbol alphabet (see the module docstring for the rule).

    Parameters
    ----------
    text : str

    Returns
    -------
    Cleaned

    Examples
    --------
    >>> clean_text("Café au lait, 2 ﬁne cups!").text
    'cafe au lait fine cups'
    >>> clean_text("Straße 😀").changes
    (('S', 's'), ('ß', 'ss'), ('😀', ' '))
    >>> clean_text("  ¡¿ 42 ?!  ").text
    ''
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str; got {type(text).__name__}")
    changes: dict[str, str] = {}
    pieces = []
    for ch in text:
        mapped = _map_char(ch)
        if mapped != ch:
            changes.setdefault(ch, mapped)
        pieces.append(mapped)
    cleaned = _SPACES.sub(" ", "".join(pieces)).strip(" ")
    return Cleaned(cleaned, tuple(changes.items()))


def encode(text: str) -> np.ndarray:
    """Indices ``(n,)`` (``np.intp``) of a text that holds only the alphabet's characters.

    Run :func:`clean_text` first on any other text.

    Examples
    --------
    >>> encode("a b").tolist()
    [1, 0, 2]
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str; got {type(text).__name__}")
    for pos, ch in enumerate(text):
        if ch not in _INDEX:
            raise ValueError(
                f"text must hold only a-z and the space (run clean_text first); got {ch!r} at position {pos}"
            )
    return np.fromiter((_INDEX[ch] for ch in text), dtype=np.intp, count=len(text))


def _check_ids(ids, name: str = "ids", *, allow_empty: bool = False) -> np.ndarray:
    arr = np.asarray(ids)
    if arr.ndim != 1 or not (np.issubdtype(arr.dtype, np.integer) or arr.size == 0):
        raise ValueError(f"{name} must be a 1-D array of character indices; got {arr.dtype} {arr.shape}")
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name} must hold at least one character; got an empty array")
    bad = np.flatnonzero((arr < 0) | (arr >= VOCAB_SIZE))
    if bad.size:
        raise ValueError(
            f"{name} must be character indices in [0, {VOCAB_SIZE}); "
            f"got {int(arr[bad[0]])} at position {bad[0]}"
        )
    return arr.astype(np.intp, copy=False)


def decode(ids) -> str:
    """The text of character indices ``(n,)``: the inverse of :func:`encode`.

    >>> decode([8, 9, 0])
    'hi '
    """
    arr = _check_ids(ids, allow_empty=True)
    return "".join(ALPHABET[i] for i in arr)


def contexts(ids, size: int) -> np.ndarray:
    """The ``size`` characters before each position: ``(n, size)``, oldest first, padded with spaces.

    Row t holds x_{t−size} … x_{t−1}; positions before the text are the space (index 0), so the first
    character is predicted as if it followed a word boundary.  ``size = 0`` gives ``(n, 0)``.

    Examples
    --------
    >>> contexts(encode("abc"), 2).tolist()
    [[0, 0], [0, 1], [1, 2]]
    """
    arr = _check_ids(ids, allow_empty=True)
    size = check_int(size, "size", low=0)
    padded = np.concatenate([np.full(size, SPACE, dtype=np.intp), arr])
    n = arr.size
    out = np.empty((n, size), dtype=np.intp)
    for j in range(size):
        out[:, j] = padded[j : j + n]
    return out


# ------------------------------------------------------------------------------------------- the text
def split_text(text: str, held_out_fraction: float) -> tuple[str, str]:
    """Split a text at the paragraph break (a blank line) nearest to ``1 − held_out_fraction`` of it.

    The first part trains the models; the second, the last paragraphs, is held out.

    Parameters
    ----------
    text : str
        Paragraphs separated by blank lines (``"\\n\\n"``); at least two paragraphs.
    held_out_fraction : float in (0, 1)

    Returns
    -------
    (train, held_out) : str, str
        ``train + "\\n\\n" + held_out == text``.

    Examples
    --------
    >>> split_text("one two\\n\\nthree\\n\\nfour five six", 0.5)
    ('one two\\n\\nthree', 'four five six')
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str; got {type(text).__name__}")
    fraction = check_scalar(
        held_out_fraction, "held_out_fraction", low=0, high=1, low_open=True, high_open=True
    )
    breaks = [m.start() for m in re.finditer("\n\n", text)]
    if not breaks:
        raise ValueError("text must hold at least two paragraphs separated by a blank line; found none")
    goal = (1 - fraction) * len(text)
    cut = min(breaks, key=lambda b: abs(b - goal))
    return text[:cut], text[cut + 2 :]


class Corpus(NamedTuple):
    """The shipped text, cleaned and split.

    Attributes
    ----------
    raw_train, raw_held_out : str
        The two parts as written (paragraphs, punctuation, capitals).
    train, held_out : str
        The same mapped onto the alphabet by :func:`clean_text`.
    train_ids, held_out_ids : ndarray ``(n,)`` of intp
        :func:`encode` of ``train`` and ``held_out`` (read-only).
    """

    raw_train: str
    raw_held_out: str
    train: str
    held_out: str
    train_ids: np.ndarray
    held_out_ids: np.ndarray


@functools.lru_cache(maxsize=4)
def load_corpus(held_out_fraction: float = HELD_OUT_FRACTION, path: Path | str = TEXT_PATH) -> Corpus:
    """Read the shipped text (UTF-8, nothing downloaded), split it with :func:`split_text` and clean it.

    Cached: the arrays are shared and read-only.

    Examples
    --------
    >>> corpus = load_corpus()
    >>> set(corpus.train) <= set(ALPHABET), len(corpus.held_out) < len(corpus.train)
    (True, True)
    """
    text = Path(path).read_text(encoding="utf-8")
    raw_train, raw_held_out = split_text(text, held_out_fraction)
    train, held_out = clean_text(raw_train).text, clean_text(raw_held_out).text
    train_ids, held_out_ids = encode(train), encode(held_out)
    train_ids.flags.writeable = False
    held_out_ids.flags.writeable = False
    return Corpus(raw_train, raw_held_out, train, held_out, train_ids, held_out_ids)


# ------------------------------------------------------------------------------------------- counting models
class CountModel(NamedTuple):
    """A model that looks up its log-probabilities in a table.

    Attributes
    ----------
    name : str
        ``"uniform"``, ``"unigram"`` or ``"bigram"``.
    order : int
        How many previous characters it reads: 0 (uniform, unigram) or 1 (bigram).
    log_probs : ndarray, ``(V,)`` for order 0 or ``(V, V)`` for order 1 (row = previous character)
        ln q, each distribution summing to 1; read-only.
    k : float
        The add-k pseudo-count (0 for the uniform model, which counts nothing).
    """

    name: str
    order: int
    log_probs: np.ndarray
    k: float

    @property
    def context_size(self) -> int:
        return self.order

    def next_log_probs(self, context) -> np.ndarray:
        """ln q(· | context) ``(n, V)`` for contexts ``(n, order)`` of character indices."""
        ctx = _check_contexts(context, self.order)
        if self.order == 0:
            return np.broadcast_to(self.log_probs, (ctx.shape[0], VOCAB_SIZE)).copy()
        return self.log_probs[ctx[:, 0]]


def _check_contexts(context, size: int) -> np.ndarray:
    arr = np.asarray(context)
    if arr.ndim != 2 or arr.shape[1] != size or not (np.issubdtype(arr.dtype, np.integer) or arr.size == 0):
        raise ValueError(
            f"context must be an integer array of shape (n, {size}), one row of previous characters per "
            f"prediction; got {arr.dtype} {arr.shape}"
        )
    if arr.size and (arr.min() < 0 or arr.max() >= VOCAB_SIZE):
        raise ValueError(f"context must hold character indices in [0, {VOCAB_SIZE}); got {int(arr.max())}")
    return arr.astype(np.intp, copy=False)


def _check_k(k) -> float:
    return check_scalar(k, "k", low=0, low_open=True)


def _readonly(arr: np.ndarray) -> np.ndarray:
    arr.flags.writeable = False
    return arr


def uniform_model() -> CountModel:
    """q(b) = 1/V for every character whatever came before: ln V nats per character on any text.

    >>> round(float(-uniform_model().log_probs[0]), 4)  # ln 27
    3.2958
    """
    return CountModel("uniform", 0, _readonly(np.full(VOCAB_SIZE, -math.log(VOCAB_SIZE))), 0.0)


def unigram_model(ids, k: float = 1.0) -> CountModel:
    """Letter frequencies with add-k smoothing: q(b) = (c_b + k) / (N + kV).

    Parameters
    ----------
    ids : array_like of int ``(N,)``
        The training text's character indices.
    k : float > 0, default 1 (add-one, Laplace)

    Examples
    --------
    >>> model = unigram_model(encode("aab"), k=1)
    >>> np.exp(model.log_probs[[0, 1, 2]]).round(4).tolist()   # (0+1)/30, (2+1)/30, (1+1)/30
    [0.0333, 0.1, 0.0667]
    """
    arr = _check_ids(ids)
    k = _check_k(k)
    counts = np.bincount(arr, minlength=VOCAB_SIZE).astype(np.float64)
    log_probs = np.log(counts + k) - math.log(arr.size + k * VOCAB_SIZE)
    return CountModel("unigram", 0, _readonly(log_probs), k)


def pair_counts(ids) -> np.ndarray:
    """c_ab ``(V, V)``: how often b follows a, the first character counted after a space.

    >>> c = pair_counts(encode("ab a"))
    >>> int(c[0, 1]), int(c[1, 2]), int(c[2, 0]), int(c.sum())
    (2, 1, 1, 4)
    """
    arr = _check_ids(ids)
    previous = contexts(arr, 1)[:, 0]
    return np.bincount(previous * VOCAB_SIZE + arr, minlength=VOCAB_SIZE * VOCAB_SIZE).reshape(
        VOCAB_SIZE, VOCAB_SIZE
    )


def bigram_model(ids, k: float = 1.0) -> CountModel:
    """Pair counts with add-k smoothing: q(b | a) = (c_ab + k) / (c_a + kV), c_a = Σ_b c_ab.

    A character never seen as a context gets the uniform row (all its counts are 0).

    Parameters
    ----------
    ids : array_like of int ``(N,)``
        The training text's character indices (the first one counts as following a space).
    k : float > 0, default 1

    Examples
    --------
    >>> model = bigram_model(encode("qu qu"), k=0.5)
    >>> round(float(np.exp(model.log_probs[17, 21])), 4)   # q then u: (2 + 0.5) / (2 + 0.5 · 27)
    0.1613
    """
    arr = _check_ids(ids)
    k = _check_k(k)
    counts = pair_counts(arr).astype(np.float64)
    log_probs = np.log(counts + k) - np.log(counts.sum(axis=1, keepdims=True) + k * VOCAB_SIZE)
    return CountModel("bigram", 1, _readonly(log_probs), k)


# ------------------------------------------------------------------------------------------- scoring
def _mean_surprise(model, ctx: np.ndarray, ids: np.ndarray) -> float:
    log_probs = model.next_log_probs(ctx)
    return float(-log_probs[np.arange(ids.size), ids].astype(np.float64).mean())


def _check_model(model) -> None:
    """A model is anything with ``context_size`` and ``next_log_probs`` (a CountModel, a CharMLP)."""
    if not (hasattr(model, "context_size") and callable(getattr(model, "next_log_probs", None))):
        raise ValueError(
            "model must be a character model (a CountModel or a core.charnet.CharMLP); "
            f"got {type(model).__name__}"
        )


def char_surprise(model, ids) -> np.ndarray:
    """The surprise −ln q(x_t | context) of each character of a text, in nats: ``(n,)`` float64.

    Parameters
    ----------
    model : CountModel or core.charnet.CharMLP
    ids : int array ``(n,)``
        The text (see :func:`encode`); the first characters' contexts are padded with spaces.

    Examples
    --------
    >>> char_surprise(uniform_model(), encode("ab")).round(4).tolist()
    [3.2958, 3.2958]
    """
    _check_model(model)
    arr = _check_ids(ids, allow_empty=True)
    if arr.size == 0:
        return np.zeros(0)
    log_probs = model.next_log_probs(contexts(arr, model.context_size))
    return -log_probs[np.arange(arr.size), arr].astype(np.float64)


class Scores(NamedTuple):
    """A model's average surprise on a text in three units.

    Attributes
    ----------
    nats : float
        H = mean of −ln q(x_t | context).
    bits : float
        H / ln 2.
    perplexity : float
        e^H = 2^bits: the number of equally likely choices that would cause the same surprise.
    n_chars : int
    """

    nats: float
    bits: float
    perplexity: float
    n_chars: int


def scores(model, ids) -> Scores:
    """Nats, bits and perplexity per character of ``model`` on the text ``ids``.

    Examples
    --------
    >>> s = scores(uniform_model(), encode("any text at all"))
    >>> round(s.bits, 4), round(s.perplexity, 6)   # log₂ 27 and 27
    (4.7549, 27.0)
    """
    surprise = char_surprise(model, _check_ids(ids))
    return scores_from_nats(float(surprise.mean()), int(surprise.size))


def scores_from_nats(nats: float, n_chars: int) -> Scores:
    """:class:`Scores` of a mean surprise already known in nats (e.g. a learning curve's last point).

    >>> scores_from_nats(math.log(4), 10).bits
    2.0
    """
    nats = check_scalar(nats, "nats", low=0)
    return Scores(nats, nats / math.log(2), math.exp(nats), check_int(n_chars, "n_chars", low=1))


# ------------------------------------------------------------------------------------------- sampling
class Sample(NamedTuple):
    """Text written by a model, with what the model thought of each character.

    Attributes
    ----------
    text : str
    surprise : ndarray ``(n,)``
        −ln q(x_t | context) at temperature 1 (the model's own surprise at what it wrote), nats.
    entropy : ndarray ``(n,)``
        The entropy of q(· | context) at temperature 1 at each step, nats.
    """

    text: str
    surprise: np.ndarray
    entropy: np.ndarray


class NextChar(NamedTuple):
    """What a model would draw after a text.

    Attributes
    ----------
    probs : ndarray ``(V,)``
        q(· | the text's last characters), float64.
    tempered : ndarray ``(V,)``
        softmax(ln q / T): the probabilities a draw at temperature T uses.
    """

    probs: np.ndarray
    tempered: np.ndarray


def next_char_probs(model, ids, temperature: float = 1.0) -> NextChar:
    """The model's distribution of the character after ``ids``, and the same at temperature T.

    .. math:: q_T(b) = \\frac{q(b)^{1/T}}{\\sum_c q(c)^{1/T}} = \\operatorname{softmax}(\\ln q / T)_b

    Parameters
    ----------
    model : CountModel or core.charnet.CharMLP
    ids : int array ``(n,)``
        The text so far (may be empty: then the context is all spaces, a text's start).
    temperature : float > 0, default 1

    Examples
    --------
    >>> nxt = next_char_probs(bigram_model(encode("ab ab ac"), k=0.01), encode("a"), temperature=0.5)
    >>> # after "a": b seen twice, c once; q(b | a) = (2 + 0.01) / (3 + 27 · 0.01)
    >>> [round(float(p), 3) for p in nxt.probs[[2, 3]]], [round(float(p), 3) for p in nxt.tempered[[2, 3]]]
    ([0.615, 0.309], [0.798, 0.201])
    """
    _check_model(model)
    arr = _check_ids(ids, allow_empty=True)
    temperature = check_scalar(temperature, "temperature", low=0, low_open=True)
    size = model.context_size
    ctx = contexts(np.concatenate([arr, [SPACE]]).astype(np.intp), size)[-1:]  # the context after the text
    log_q = model.next_log_probs(ctx)[0].astype(np.float64)
    return NextChar(np.exp(log_q), np.exp(log_softmax(log_q, temperature=temperature)))


def _draw_tables(log_q: np.ndarray, temperature: float) -> list[tuple[np.ndarray, np.ndarray, float]]:
    """Per row of ln q ``(m, V)``: (ln q, the cumulative weights of softmax(ln q / T), the entropy of q)."""
    shifted = (log_q - log_q.max(axis=1, keepdims=True)) / temperature
    cumulative = np.cumsum(np.exp(shifted), axis=1)  # unnormalised: a draw scales u by the last entry
    entropy = -(np.exp(log_q) * log_q).sum(axis=1)
    return [(log_q[r], cumulative[r], float(entropy[r])) for r in range(log_q.shape[0])]


def sample_text(model, n_chars: int, *, temperature: float = 1.0, seed: int = 0) -> Sample:
    """Write ``n_chars`` characters, each drawn from softmax(ln q(· | context) / T), starting after a space.

    At T = 1 the draws follow the model's probabilities; T < 1 sharpens them (T → 0 always takes the
    most likely character), T > 1 flattens them (T → ∞ is the uniform model).  For a counting model
    softmax(ln q / T) ∝ q^{1/T}.  Draw t uses u_t = ``np.random.default_rng(seed).random()`` (the t-th
    number) against the cumulative probabilities, so the same seed gives the same text.

    Parameters
    ----------
    model : CountModel or core.charnet.CharMLP
    n_chars : int in [1, 10000]
    temperature : float > 0, default 1
    seed : int >= 0, default 0

    Returns
    -------
    Sample

    Examples
    --------
    >>> model = bigram_model(encode("ab ab ab ab"), k=0.01)
    >>> sample_text(model, 8, temperature=0.1).text
    'ab ab ab'
    """
    _check_model(model)
    n_chars = check_int(n_chars, "n_chars", low=1, high=10_000)
    temperature = check_scalar(temperature, "temperature", low=0, low_open=True)
    seed = check_int(seed, "seed", low=0)
    uniforms = np.random.default_rng(seed).random(n_chars)
    size = model.context_size
    if isinstance(model, CountModel):  # one table of distributions, one row per possible context
        rows = model.log_probs.reshape(-1, VOCAB_SIZE).astype(np.float64)
        tables = _draw_tables(rows, temperature)
        step = lambda history: tables[history[-1] if size else 0]  # noqa: E731
    else:

        def step(history):
            ctx = np.array(history[len(history) - size :], dtype=np.intp).reshape(1, size)
            return _draw_tables(model.next_log_probs(ctx).astype(np.float64), temperature)[0]

    history = [SPACE] * size
    out = np.empty(n_chars, dtype=np.intp)
    surprise = np.empty(n_chars)
    entropy = np.empty(n_chars)
    for t in range(n_chars):
        log_q, cumulative, h = step(history)
        b = min(int(np.searchsorted(cumulative, uniforms[t] * cumulative[-1], side="right")), VOCAB_SIZE - 1)
        out[t], surprise[t], entropy[t] = b, -log_q[b], h
        history.append(b)
    return Sample(decode(out), _readonly(surprise), _readonly(entropy))
