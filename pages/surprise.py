"""Surprise: the guessing game, and the -log(p) explorer of three class probabilities."""

import math

import numpy as np
import streamlit as st

from core.bands import band_intervals
from core.curves import neg_log_curve
from core.defaults import (
    DEFAULT_CLASS_NAMES,
    SURPRISE_EXPLORER,
    SURPRISE_EXPLORER_STEP,
    SURPRISE_GAME,
    SURPRISE_GAME_PRESET,
    SURPRISE_TRUE_INDEX,
)
from core.figures.surprise import neg_log_curve_figure, neg_log_curve_frames, surprise_game_figure
from core.information import cross_entropy_between, entropy, kl_divergence, surprise, surprise_or_inf
from core.losses import binary_cross_entropy_grad, one_hot
from core.proportions import normalise_weights, rebalance_percentages
from core.units import in_unit
from ui.common import show_figure, units
from ui.page import page_header
from ui.scrub import scrub_payload, scrubbed_chart, track
from ui.sections import metric_row, safe_fragment
from words.class_names import class_label
from words.sentences import surprise_sentence, surprise_tex

ANIMALS = DEFAULT_CLASS_NAMES[:4]
LABELS = [class_label(name) for name in ANIMALS]
GAME_KEYS = ("sur_cat", "sur_dog", "sur_bird", "sur_fish")
TRUE_KEY = "sur_true"
# name -> (button label, percentages Cat/Dog/Bird/Fish, true answer, what it shows)
PRESETS = {
    "right": (
        "Confident and right",
        SURPRISE_GAME["right"],
        SURPRISE_TRUE_INDEX,
        "The model assigns high probability to the correct class: low surprise, low loss.",
    ),
    "unsure": (
        "Unsure",
        SURPRISE_GAME["unsure"],
        SURPRISE_TRUE_INDEX,
        "The model spreads its bets: whatever the answer, it is moderately surprised.",
    ),
    "wrong": (
        "Confident and wrong",
        SURPRISE_GAME["wrong"],
        SURPRISE_TRUE_INDEX,
        "The model bet on Dog, but it is a cat: a huge surprise and a large loss.",
    ),
}
DEFAULT_PRESET = SURPRISE_GAME_PRESET  # Cat 85/10/3/2, true Cat -> 0.23 bits, 0.1625 nats

EXPLORER_KEYS = ("sur_x_cat", "sur_x_dog", "sur_x_bird")
EXPLORER_DEFAULTS = SURPRISE_EXPLORER  # P(true) = 70.0 %, 0.3567 nats, 0.51 bits
EXPLORER_STEP = SURPRISE_EXPLORER_STEP
EXPLORER_RANGE = (EXPLORER_STEP, 100.0 - 2 * EXPLORER_STEP)  # each class keeps at least one step
# Every value an explorer slider can take, rounded as the slider rounds them: 0.5, 1.0, ..., 99.0 (%).
EXPLORER_VALUES = tuple(
    round(EXPLORER_RANGE[0] + k * EXPLORER_STEP, 1)
    for k in range(round((EXPLORER_RANGE[1] - EXPLORER_RANGE[0]) / EXPLORER_STEP) + 1)
)


def _apply_preset(name: str) -> None:
    _, percents, true_index, _ = PRESETS[name]
    for key, value in zip(GAME_KEYS, percents, strict=True):
        st.session_state[key] = value
    st.session_state[TRUE_KEY] = true_index


def _rebalance(changed: int) -> None:
    """Slider callback: the other two classes share what the moved one left, keeping their ratio."""
    values = [st.session_state[key] for key in EXPLORER_KEYS]
    new = rebalance_percentages(values, changed, step=EXPLORER_STEP, minimum=EXPLORER_STEP)
    for key, value in zip(EXPLORER_KEYS, new, strict=True):
        st.session_state[key] = value


@st.cache_data(max_entries=2, show_spinner=False)
def _curve_scrub(unit: str) -> str:
    """The -log p chart at every value of the true class's slider, for a drag of it (one text per unit)."""
    p = np.asarray(EXPLORER_VALUES) / 100
    losses = surprise(p, base=2 if unit == "bits" else math.e)
    slopes = in_unit(binary_cross_entropy_grad(p, np.ones_like(p), reduction="none"), unit)
    return scrub_payload(EXPLORER_VALUES, neg_log_curve_frames(p, losses, slopes, unit=unit))


@safe_fragment
def guessing_game() -> None:
    """The game: presets, the true answer, Q, and surprise / loss / wasted bits (reruns on its own)."""
    st.header("The guessing game")
    st.markdown(
        "A photo appears and the model must guess the animal. Before the answer is revealed it spreads "
        "its belief over the four animals. When the truth comes out, the model is **surprised** in "
        "proportion to how unlikely it thought that answer was: surprise = −log Q(true answer)."
    )
    # Each control declares the page's default as its own (value=, index=): Streamlit leaves a control at
    # its declared default out of the link, so a default set only in session state would lose, e.g., 0 %.
    _, default_percents, default_true, _ = PRESETS[DEFAULT_PRESET]

    buttons = st.columns(len(PRESETS))
    for column, (name, (label, *_)) in zip(buttons, PRESETS.items(), strict=True):
        column.button(label, key=f"sur_preset_{name}", on_click=_apply_preset, args=(name,), width="stretch")

    controls, chart = st.columns([1, 2.2], gap="large")
    with controls:
        true_index = st.radio(
            "The true answer (revealed)",
            range(len(ANIMALS)),
            index=default_true,
            format_func=lambda k: LABELS[k],
            key=TRUE_KEY,
            horizontal=True,
            bind="query-params",
        )
        st.markdown("**The model's predicted probabilities**")
        weights = [
            st.slider(label, 0, 100, value, step=1, format="%d%%", key=key, bind="query-params")
            for label, key, value in zip(LABELS, GAME_KEYS, default_percents, strict=True)
        ]
    try:
        q = normalise_weights(weights)
    except ValueError as err:
        chart.warning(f"{err}.", icon=":material/warning:")
        return
    total = sum(weights)
    with controls:
        if total != 100:
            st.caption(
                f"The sliders add up to {total}%, so they are scaled to sum to 100%: "
                + ", ".join(f"{name} {100 * v:.1f}%" for name, v in zip(ANIMALS, q, strict=True))
                + "."
            )
        preset = next(
            (p for p in PRESETS.values() if list(p[1]) == weights and p[2] == true_index),
            None,
        )
        if preset is not None:
            st.info(f"**{preset[0]}.** {preset[3]}", icon=":material/lightbulb:")

    truth = one_hot(true_index, len(ANIMALS))
    with chart:
        show_figure(
            surprise_game_figure(LABELS, q, true_index, surprise_or_inf(q, base=2)),
            key="sur_game_chart",
            alt=(
                f"Bars of the one-hot truth P ({ANIMALS[true_index]}) next to the prediction Q, and the "
                "surprise in bits each answer would have caused."
            ),
        )
        m1, m2, m3 = st.columns(3)
        try:
            bits = float(surprise(q[true_index], base=2))
            nats = float(cross_entropy_between(truth, q))
            wasted = float(kl_divergence(truth, q, base=2))
        except ValueError as err:
            m1.metric("Surprise (bits)", "∞")
            m2.metric("CE loss (nats)", "∞")
            m3.metric("Wasted bits", "∞")
            st.warning(
                "The model ruled out the true answer, so its surprise, loss and wasted bits are all "
                f"infinite. Give {ANIMALS[true_index]} some probability. (core: {err}.)",
                icon=":material/warning:",
            )
            return
        m1.metric("Surprise (bits)", f"{bits:.2f}", help="−log₂ Q(true answer)")
        m2.metric("CE loss (nats)", f"{nats:.4f}", help="H(P, Q) = −Σ P(x) ln Q(x) = −ln Q(true answer)")
        m3.metric("Wasted bits", f"{wasted:.2f}", help="KL(P ‖ Q) = H(P, Q) − H(P), in bits")
        h_p = float(entropy(truth, base=2))
        st.markdown(
            f"**Why wasted bits = surprise:** the truth is one-hot, so H(P) = {h_p:.2f} bits and "
            f"KL(P ‖ Q) = H(P, Q) − H(P) = H(P, Q): every one of the {wasted:.2f} bits is wasted, and "
            "only a model that gave the answer 100% would waste none. (A popular web article on "
            "cross-entropy shows 0.00 wasted bits here: a slip. With a one-hot truth the wasted bits are the "
            "whole surprise, never 0 unless the model was certain of the answer.)"
        )

    st.latex(
        r"I(x) = -\log_2 Q(x) \qquad H(P, Q) = -\sum_x P(x)\,\log Q(x) = H(P) + D_{\mathrm{KL}}(P \,\|\, Q)"
    )
    st.caption(
        "One bit is ln 2 ≈ 0.693 nats: the same surprise in base 2 (bits) or base e (nats, what "
        "frameworks use). Cross-entropy is at least H(P), with equality only when Q = P."
    )


@safe_fragment
def explorer_controls() -> None:
    """The three sliders and the numbers they move (reruns alone; the chart follows in the browser)."""
    names = [f"{LABELS[0]} (true)", LABELS[1], LABELS[2]]
    for k, (name, key) in enumerate(zip(names, EXPLORER_KEYS, strict=True)):
        st.slider(
            name,
            *EXPLORER_RANGE,
            EXPLORER_DEFAULTS[k],  # declared, so that 0.5 % (the minimum) stays in the link
            step=EXPLORER_STEP,
            format="%.1f%%",
            key=key,
            on_change=_rebalance,
            args=(k,),
            bind="query-params",
        )
    p = track(EXPLORER_KEYS[0], st.session_state[EXPLORER_KEYS[0]]) / 100
    row = metric_row()
    row.metric("P(true class)", f"{p:.1%}")
    row.metric("CE loss (nats)", f"{float(surprise(p, base=math.e)):.4f}")
    row.metric("Surprise (bits)", f"{float(surprise(p, base=2)):.2f}")
    st.markdown(surprise_sentence(p, units()))


def _curve_figure(percent: float, unit: str):
    """The -log p chart with the true class at ``percent`` % (drawn, and each frame of a drag)."""
    p = percent / 100
    grid, curve = neg_log_curve(unit)
    return neg_log_curve_figure(
        grid,
        curve,
        p_true=p,
        loss_true=float(surprise(p, base=2 if unit == "bits" else math.e)),
        slope=in_unit(float(binary_cross_entropy_grad(p, 1.0)), unit),
        unit=unit,
        bands=band_intervals(),
    )


@safe_fragment
def explorer() -> None:
    """Three probabilities that sum to 1 and the -log p curve (a slider move reruns only the controls)."""
    st.header("Explorer: three classes that always sum to 1")
    st.markdown(
        "Drag any slider: the other two share what is left, keeping their ratio, so the three always "
        "sum to 100%. Only the probability of the true class (Cat) moves the loss along the curve."
    )
    controls, chart = st.columns([1, 2.2], gap="large")
    with controls:
        explorer_controls()
    unit = units()
    with chart:
        scrubbed_chart(
            lambda percent: _curve_figure(percent, unit),
            key="sur_curve_chart",
            widget_key=EXPLORER_KEYS[0],
            payload=_curve_scrub(unit),
            alt=(
                f"The curve −log p in {unit}, with the operating point at the true class's probability "
                f"(its loss and surprise are the numbers beside the chart) and its tangent."
            ),
        )
        st.latex(surprise_tex(unit))
        st.caption(
            f"p_t is the probability of the true class. The chart is in {unit} (choose in the sidebar), "
            f"its slope in {unit} per unit of probability; the sentence on the left names the shaded band."
        )


page_header(
    "Surprise",
    "Cross-entropy loss is the model's **surprise** when the true answer is revealed: tiny when it was "
    "confident and right, huge when it was confident and wrong. Measured with log base 2 it is in bits; "
    "with the natural log (what frameworks use) in nats.",
)
guessing_game()
st.divider()
explorer()
