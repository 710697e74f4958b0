"""Language-model surprise: four character models in bits, nats and perplexity; surprise per character."""

import math

import numpy as np
import pandas as pd
import streamlit as st

from core.charlm import (
    VOCAB_SIZE,
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
    LANGUAGE_PASSAGE_CHARS,
    LANGUAGE_PASSAGE_WIDTH,
    LANGUAGE_SAMPLE_CHARS,
    LANGUAGE_SAMPLE_DRAW,
    LANGUAGE_SMOOTHING,
    LANGUAGE_SMOOTHING_SWEEP,
    LANGUAGE_SMOOTHINGS,
    LANGUAGE_SURPRISE_TOP_BITS,
    LANGUAGE_TEMPERATURE,
    LANGUAGE_TEXT,
    LANGUAGE_TEXT_MAX_CHARS,
)
from core.figures.language import (
    SPACE_MARK,
    learning_curve_figure,
    model_costs_figure,
    next_char_figure,
    smoothing_figure,
    smoothing_scrub_frames,
    surprise_figure,
)
from core.figures.scrub import sweep_frames
from core.formatting import number
from core.units import LN2, in_unit
from ui.common import process_cache, show_figure, units
from ui.frame import side_by_side
from ui.page import page_header
from ui.scrub import follow_drag, scrub_payload, scrubbed_chart, slider_values, track
from ui.sections import safe_fragment
from words.language import (
    ALPHABET_NOTE,
    LEAD,
    MATH_NOTE,
    MODEL_NAMES,
    NETWORK_NOTE,
    NEXT_CHAR_TITLE,
    SAMPLING_NOTE,
    baseline_sentence,
    char_description,
    costs_alt,
    curve_alt,
    curve_sentence,
    model_labels,
    next_char_alt,
    next_char_context,
    passage_alt,
    passage_sentence,
    sample_sentence,
    smoothing_alt,
    smoothing_sentence,
    text_note,
    uniform_label,
)

K_KEY, CONTEXT_KEY, HIDDEN_KEY = "lm_k", "lm_context", "lm_hidden"
PASSAGE_KEY, TEXT_KEY, MODEL_KEY = "lm_passage", "lm_text", "lm_model"
T_KEY, LENGTH_KEY, DRAW_KEY = "lm_T", "lm_length", "lm_draw"
T_STEP = 0.1
T_VALUES = slider_values(*LANGUAGE_TEMPERATURE[:2], T_STEP, 1)  # 0.1, 0.2, ..., 3.0: every value of T
PASSAGES = ("Held-out text", "Your own text")
TAIL_CHARS = 6  # the end of a written text named in its next-character chart
CORPUS = load_corpus()


def _network(context: int, hidden: int):
    """The trained network for a setting: trained once per process (about a second), then shared."""
    with st.spinner("Training the network for this setting (once; about a second)…"):
        return trained_network(context, hidden)


def _models(k: float, context: int, hidden: int) -> dict:
    """The four models; the network's setting has been trained by the page's main part already."""
    train = CORPUS.train_ids
    return {
        "uniform": uniform_model(),
        "unigram": unigram_model(train, k),
        "bigram": bigram_model(train, k),
        "network": trained_network(context, hidden).model,
    }


def _labels(k: float, context: int) -> dict[str, str]:
    return dict(zip(MODEL_NAMES, model_labels(k, context), strict=True))


def _settings() -> tuple[float, int, int]:
    """The model controls' values, also inside a fragment that reruns alone."""
    state = st.session_state
    return (
        state.get(K_KEY, LANGUAGE_SMOOTHING),
        state.get(CONTEXT_KEY, LANGUAGE_CONTEXT[2]),
        state.get(HIDDEN_KEY, LANGUAGE_HIDDEN),
    )


@st.cache_data(max_entries=2)
def _smoothing_sweep() -> dict[str, np.ndarray]:
    """The bigram model's costs (nats) on both texts over a log grid of k and at the page's k options."""
    low, high, n = LANGUAGE_SMOOTHING_SWEEP
    ks = np.geomspace(low, high, n)
    out: dict[str, list[float]] = {"train": [], "held": [], "option_train": [], "option_held": []}
    for grid, prefix in ((ks, ""), (LANGUAGE_SMOOTHINGS, "option_")):
        for k in grid:
            model = bigram_model(CORPUS.train_ids, float(k))
            out[prefix + "train"].append(scores(model, CORPUS.train_ids).nats)
            out[prefix + "held"].append(scores(model, CORPUS.held_out_ids).nats)
    return {"ks": ks, **{key: np.array(values) for key, values in out.items()}}


@st.cache_data(max_entries=4)
def _smoothing_scrub(unit: str) -> str:
    """The smoothing chart's marks at every k option, for a drag of the k control (one text per unit).

    A select_slider's range input holds the index of the option under the thumb: those are its values.
    """
    sweep = _smoothing_sweep()
    frames = smoothing_scrub_frames(
        LANGUAGE_SMOOTHINGS, in_unit(sweep["option_train"], unit), in_unit(sweep["option_held"], unit)
    )
    return scrub_payload(range(len(LANGUAGE_SMOOTHINGS)), frames)


page_header("Language-model surprise", LEAD)
unit = units()
# ------------------------------------------------------------------------------------------ four models
st.header("Four models, one score")
k_col, context_col, hidden_col = st.columns(3)
with k_col:
    k = st.select_slider(
        "Smoothing k",
        options=LANGUAGE_SMOOTHINGS,
        value=LANGUAGE_SMOOTHING,
        format_func=lambda v: f"{v:g}",
        key=K_KEY,
        bind="query-params",
        help="Add-k smoothing of the unigram and bigram counts: every count gets k added before the counts "
        "become probabilities, so no character or pair is ever impossible.",
    )
with context_col:
    c_min, c_max, c_default = LANGUAGE_CONTEXT
    context = st.slider(
        "Context (characters)",
        c_min,
        c_max,
        c_default,
        key=CONTEXT_KEY,
        bind="query-params",
        help="How many previous characters the network reads to predict the next one.",
    )
with hidden_col:
    hidden = st.select_slider(
        "Hidden units",
        options=LANGUAGE_HIDDENS,
        value=LANGUAGE_HIDDEN,
        key=HIDDEN_KEY,
        bind="query-params",
        help="The width of the network's hidden layer.",
    )

run = _network(context, hidden)
models = _models(k, context, hidden)
labels = model_labels(k, context)
train_scores = {name: scores(models[name], CORPUS.train_ids) for name in MODEL_NAMES[:3]}
held_scores = {name: scores(models[name], CORPUS.held_out_ids) for name in MODEL_NAMES[:3]}
train_scores["network"] = scores_from_nats(float(run.train_nats[-1]), CORPUS.train_ids.size)
held_scores["network"] = scores_from_nats(float(run.held_out_nats[-1]), CORPUS.held_out_ids.size)
train_costs = [float(in_unit(train_scores[name].nats, unit)) for name in MODEL_NAMES]
held_costs = [float(in_unit(held_scores[name].nats, unit)) for name in MODEL_NAMES]
log_v = float(in_unit(math.log(VOCAB_SIZE), unit))

chart_col, words_col = side_by_side([3, 2], gap="large")
with chart_col:
    show_figure(
        model_costs_figure(
            labels,
            train_costs,
            held_costs,
            perplexity_train=[train_scores[name].perplexity for name in MODEL_NAMES],
            perplexity_held_out=[held_scores[name].perplexity for name in MODEL_NAMES],
            uniform=log_v,
            uniform_label=uniform_label(unit),
            unit=unit,
            y_max=1.2 * log_v,
        ),
        key="lm_costs_chart",
        alt=costs_alt(labels, train_costs, held_costs, unit),
    )
with words_col:
    st.markdown(baseline_sentence(held_scores, unit))
st.dataframe(
    pd.DataFrame(
        {
            "model": labels,
            "bits/char train": [number(train_scores[n].bits, 3) for n in MODEL_NAMES],
            "bits/char held-out": [number(held_scores[n].bits, 3) for n in MODEL_NAMES],
            "nats/char train": [number(train_scores[n].nats, 3) for n in MODEL_NAMES],
            "nats/char held-out": [number(held_scores[n].nats, 3) for n in MODEL_NAMES],
            "perplexity train": [number(train_scores[n].perplexity, 2) for n in MODEL_NAMES],
            "perplexity held-out": [number(held_scores[n].perplexity, 2) for n in MODEL_NAMES],
        }
    ),
    hide_index=True,
    key="lm_costs_table",
)

# ------------------------------------------------------------------------------------------ the text
# After the first chart, so the first screen shows the models, their scores and the controls that set them.
st.subheader("The text and its alphabet")
st.markdown(text_note(CORPUS.train_ids.size, CORPUS.held_out_ids.size))
st.markdown(ALPHABET_NOTE)
with st.expander("Read the text the models learn from"):
    st.markdown("**The training part**")
    st.text(CORPUS.raw_train)
    st.markdown("**The held-out part** (never trained on)")
    st.text(CORPUS.raw_held_out)

# ------------------------------------------------------------------------------------- smoothing, training
st.header("Smoothing the counts, training the network")
smooth_col, curve_col = side_by_side(2, gap="large")
with smooth_col:
    sweep = _smoothing_sweep()
    active = LANGUAGE_SMOOTHINGS.index(k)
    best = int(np.argmin(sweep["held"]))
    unigram_held = float(in_unit(held_scores["unigram"].nats, unit))
    costs = [in_unit(sweep[key], unit) for key in ("train", "held", "option_train", "option_held")]
    top = max(float(np.max(costs[1])), log_v)
    show_figure(
        smoothing_figure(
            sweep["ks"],
            costs[0],
            costs[1],
            unigram_held_out=unigram_held,
            uniform=log_v,
            uniform_label=uniform_label(unit),
            k=k,
            k_train=float(costs[2][active]),
            k_held_out=float(costs[3][active]),
            unit=unit,
            y_range=(0.9 * float(np.min(costs[0])), 1.08 * top),
        ),
        key="lm_smoothing_chart",
        alt=smoothing_alt(k, sweep["option_train"][active], sweep["option_held"][active], unit),
    )
    follow_drag("lm_smoothing_chart", K_KEY, _smoothing_scrub(unit))
    st.markdown(
        smoothing_sentence(
            k,
            float(sweep["option_train"][active]),
            float(sweep["option_held"][active]),
            float(sweep["ks"][best]),
            float(sweep["held"][best]),
            unit,
        )
    )
with curve_col:
    curve_train, curve_held = in_unit(run.train_nats, unit), in_unit(run.held_out_nats, unit)
    show_figure(
        learning_curve_figure(
            run.steps,
            curve_train,
            curve_held,
            bigram_held_out=float(in_unit(held_scores["bigram"].nats, unit)),
            uniform=log_v,
            uniform_label=uniform_label(unit),
            unit=unit,
            y_range=(0.0, 1.2 * log_v),
        ),
        key="lm_curve_chart",
        alt=curve_alt(float(run.train_nats[-1]), float(run.held_out_nats[-1]), unit),
    )
    st.markdown(
        curve_sentence(
            float(run.train_nats[0]),
            float(run.train_nats[-1]),
            float(run.held_out_nats[-1]),
            held_scores["bigram"].nats,
            unit,
        )
    )
    st.caption(NETWORK_NOTE)


# ------------------------------------------------------------------------------------------ the passage
@safe_fragment
def passage_section() -> None:
    st.header("Surprise, character by character")
    k, context, hidden = _settings()
    models = _models(k, context, hidden)
    pick_col, model_col = st.columns(2)
    with pick_col:
        passage = st.radio("Passage", PASSAGES, horizontal=True, key=PASSAGE_KEY, bind="query-params")
    with model_col:
        shown = st.radio(
            "Colour by model",
            MODEL_NAMES,
            index=MODEL_NAMES.index("network"),
            horizontal=True,
            key=MODEL_KEY,
            bind="query-params",
        )
    typed = passage == PASSAGES[1]
    changes: tuple = ()
    if typed:
        raw = st.text_area(
            "Your text",
            value=LANGUAGE_TEXT,
            max_chars=LANGUAGE_TEXT_MAX_CHARS,
            key=TEXT_KEY,
            bind="query-params",
            help=f"Up to {LANGUAGE_TEXT_MAX_CHARS} characters of anything: it is mapped onto the "
            "27-character alphabet by the rule above before the models read it.",
        )
        cleaned = clean_text((raw or "")[:LANGUAGE_TEXT_MAX_CHARS])
        text, changes = cleaned.text, cleaned.changes
        label = "Your text, as the models read it"
    else:
        start = CORPUS.held_out[:LANGUAGE_PASSAGE_CHARS]
        text = start[: start.rfind(" ")] if " " in start else start  # end at a word boundary
        label = "The start of the held-out text"
    if not text:
        st.info(
            "None of these characters is a letter, so after the alphabet's rule nothing is left to score. "
            "Type some words.",
            icon=":material/info:",
        )
        return
    ids = encode(text)
    surprise = {name: char_surprise(models[name], ids) for name in MODEL_NAMES}
    top = float(in_unit(LANGUAGE_SURPRISE_TOP_BITS * LN2, unit))
    show_figure(
        surprise_figure(
            text,
            in_unit(surprise[shown], unit),
            np.exp(-surprise[shown]),
            width=LANGUAGE_PASSAGE_WIDTH,
            unit=unit,
            z_max=top,
            title=f"Surprise per character<br><sup>{_labels(k, context)[shown]}</sup>",
        ),
        key="lm_passage_chart",
        alt=passage_alt(shown, text, float(surprise[shown].mean()), unit),
    )
    means = {name: float(values.mean()) for name, values in surprise.items()}
    st.markdown(passage_sentence(label, len(text), means, unit, typed=typed, n_changed=len(changes)))
    if changes:
        st.dataframe(
            pd.DataFrame(
                {
                    "you typed": [char_description(ch) for ch, _ in changes],
                    "the models read": [
                        "a space" if new == " " else ("nothing (dropped)" if new == "" else new)
                        for _, new in changes
                    ],
                }
            ),
            hide_index=True,
            key="lm_changes_table",
        )
    with st.expander("Every character under every model"):
        st.dataframe(
            pd.DataFrame(
                {
                    "#": np.arange(1, len(text) + 1),
                    "character": [SPACE_MARK if ch == " " else ch for ch in text],
                    **{
                        f"{name}: q": [number(float(p), 4) for p in np.exp(-surprise[name])]
                        for name in MODEL_NAMES
                    },
                    **{
                        f"{name}: surprise ({unit})": np.round(in_unit(surprise[name], unit), 3)
                        for name in MODEL_NAMES
                    },
                }
            ),
            hide_index=True,
            key="lm_chars_table",
        )


passage_section()


# ------------------------------------------------------------------------------------------ sampling
@process_cache(maxsize=1024)  # a dict look-up per move of T, shared by every session (never written to)
def _written(k: float, context: int, hidden: int, name: str, length: int, temperature: float, draw: int):
    """A model's written text and its next-character distribution: sampling is seeded (``draw``), so a
    setting's text is the same for everyone, written once per process and then shared (read-only)."""
    model = _models(k, context, hidden)[name]
    sample = sample_text(model, length, temperature=temperature, seed=draw)
    nxt = next_char_probs(model, encode(sample.text), temperature=temperature)
    for value in (*sample, *nxt):
        if isinstance(value, np.ndarray):
            value.setflags(write=False)
    return sample, nxt


def _next_char_draft(model: tuple, name: str, length: int, draw: int, temperature: float):
    """The next-character chart of one model's text at T (a Draft): what the page draws, and each frame
    of a drag of T."""
    sample, nxt = _written(*model, name, length, float(temperature), draw)
    return next_char_figure.draft(
        nxt.probs,
        nxt.tempered,
        temperature=float(temperature),
        title=NEXT_CHAR_TITLE,
        context=next_char_context(sample.text[-TAIL_CHARS:]),
    )


@process_cache(maxsize=64)  # one text per model, length and draw, for every session (the text is seeded)
def _next_char_scrub(model: tuple, name: str, length: int, draw: int) -> str:
    """:func:`_next_char_draft` at every T, for ui.scrub: the bars, the context and the axis follow T."""
    frames = sweep_frames(
        lambda t: _next_char_draft(model, name, length, draw, t), T_VALUES, name="T", redrawn=True
    )
    return scrub_payload(T_VALUES, frames)


def sampling_section() -> None:
    """The length and the sample number (they rerun the page), T, and what T moves.

    T, the control a student moves most here, is a fragment of its own (:func:`temperature_readouts`): a
    release rewrites the two texts and their sentences, nothing else.  The next-character charts are drawn
    here, once per full run, and follow T in the browser (ui.scrub)."""
    model = _settings()
    t_col, n_col, draw_col = st.columns(3)
    with n_col:
        n_min, n_max, n_default = LANGUAGE_SAMPLE_CHARS
        length = st.slider(
            "Characters to write", n_min, n_max, n_default, step=10, key=LENGTH_KEY, bind="query-params"
        )
    with draw_col:
        d_min, d_max, d_default = LANGUAGE_SAMPLE_DRAW
        draw = st.number_input(
            "Sample number",
            d_min,
            d_max,
            d_default,
            step=1,
            key=DRAW_KEY,
            bind="query-params",
            help="Each number is a different run of random draws; the same number always writes the same "
            "text.",
        )
    st.caption(SAMPLING_NOTE)
    names = _labels(*model[:2])
    slots = {}
    for column, name in zip(side_by_side(2, gap="large"), ("bigram", "network"), strict=True):
        with column:
            st.subheader(f"The {names[name]} writes")
            slots[name] = (st.empty(), st.empty(), st.container())  # the text, its sentence, its chart
    length, draw = int(length), int(draw)
    with t_col:
        temperature_readouts(model, length, draw, slots)
    for name, (_, _, chart_slot) in slots.items():
        with chart_slot:
            scrubbed_chart(
                lambda t, name=name: _next_char_draft(model, name, length, draw, t).figure(),
                key=f"lm_next_{name}_chart",
                widget_key=T_KEY,
                payload=_next_char_scrub(model, name, length, draw),
                alt=next_char_alt(names[name]),
                redraw=True,
            )


@safe_fragment
def temperature_readouts(model: tuple, length: int, draw: int, slots: dict) -> None:
    """The temperature slider, and the texts and sentences it moves, written into ``slots``."""
    t_min, t_max, t_default = LANGUAGE_TEMPERATURE
    temperature = track(
        T_KEY,
        st.slider(
            "Temperature T",
            t_min,
            t_max,
            t_default,
            step=T_STEP,
            format="%.1f",
            key=T_KEY,
            bind="query-params",
            help="The logits are divided by T before the softmax: T < 1 sharpens, T > 1 flattens.",
        ),
    )
    unit = units()
    for name, (text_slot, sentence_slot, _) in slots.items():
        sample, _ = _written(*model, name, length, float(temperature), draw)
        text_slot.code(sample.text, language=None, wrap_lines=True)
        sentence_slot.caption(
            sample_sentence(
                name,
                float(sample.surprise.mean()),
                float(sample.entropy.mean()),
                float(temperature),
                unit,
            )
        )


st.header("Writing with a temperature")  # outside the fragment: sent once per full run, not per move of T
sampling_section()

# ------------------------------------------------------------------------------------------ the math
st.header("The math")
math_left, math_right = side_by_side(2, gap="large")
with math_left:
    st.latex(r"\text{surprise at } x_t = -\ln q(x_t \mid \text{context})")
    st.latex(r"H = -\frac{1}{N} \sum_{t=1}^{N} \ln q(x_t \mid \text{context})")
    st.latex(r"H_\text{bits} = \frac{H}{\ln 2}, \qquad \text{perplexity} = e^{H} = 2^{H_\text{bits}}")
    st.latex(r"q_\text{uniform} = \tfrac{1}{27} \;\Rightarrow\; H = \ln 27,\ \text{perplexity } 27")
    st.latex(r"q(b \mid a) = \frac{c_{ab} + k}{c_a + 27k}")
with math_right:
    st.latex(r"x = [E_{x_{t-n}}, \dots, E_{x_{t-1}}]")
    st.latex(r"z = \tanh(x W_1 + b_1)\, W_2 + b_2")
    st.latex(r"q = \operatorname{softmax}(z / T)")
    st.latex(
        r"\frac{\partial L}{\partial E_v} = "
        r"\sum_{\text{uses of } v} \frac{\partial L}{\partial x_\text{block}}"
    )
    st.caption(MATH_NOTE)
