"""Entropy and KL: H(P, Q) = H(P) + KL(P ‖ Q), and the floor that label smoothing puts under the loss."""

import math

import numpy as np
import streamlit as st

from core.comparison import EntropyKLSweep, entropy_kl_sweep, smooth_labels, smoothing_floor_curve
from core.defaults import DEFAULT_CLASS_NAMES, KL_CLASSES, KL_P_WEIGHTS, KL_Q_WEIGHTS
from core.figures.information import (
    distribution_bars_figure,
    distribution_frames,
    entropy_kl_axes,
    entropy_kl_bar_figure,
    entropy_kl_frames,
    floor_point_frames,
    smoothing_floor_figure,
)
from core.information import cross_entropy_between, entropy, kl_divergence, surprise
from core.proportions import normalise_weights
from ui.common import csv_button, process_cache, show_dataframe, show_figure, units
from ui.frame import presenter
from ui.page import page_header
from ui.scrub import drag_group, follow_drag, scrub_payload, track, tracked
from ui.sections import metric_row, safe_fragment

CLASSES_KEY, MODE_KEY, TRUE_KEY, EPS_KEY = "kl_classes", "kl_mode", "kl_true", "kl_eps"
Q0_KEY = "kl_q0"  # Q's weight of the first class: a drag of it, or of ε, moves the charts in the browser
STACK_CHART, DIST_CHART, FLOOR_CHART = "kl_stack_chart", "kl_dist_chart", "kl_floor_chart"
ONE_HOT, SOFT = "One-hot (a hard label)", "Soft (a distribution)"
CLASS_CHOICES = (3, 4)
DEFAULT_P = KL_P_WEIGHTS  # soft truth, in percent-like weights
DEFAULT_Q = KL_Q_WEIGHTS  # the guessing game's model: Cat 85 %, Dog 10 %, Bird 3 %, Fish 2 %
EPS_GRID = np.linspace(0.0, 0.5, 101)
EPS_RANGE, EPS_STEP = (0.0, 0.5), 0.01
Q_RANGE = (1, 100)
EPS_VALUES = tuple(round(EPS_RANGE[0] + k * EPS_STEP, 2) for k in range(51))  # 0.00, 0.01, ..., 0.50
Q_VALUES = tuple(range(Q_RANGE[0], Q_RANGE[1] + 1))  # 1, 2, ..., 100


@st.cache_data(max_entries=256, show_spinner=False)
def _sweep(p_weights: tuple, q_weights: tuple, eps: float, vary, unit: str) -> EntropyKLSweep:
    """The split at every value of Q's first weight (``vary`` 0) or of ε (``"label_smoothing"``).

    The varied control's own entry (``q_weights[0]`` or ``eps``) is 0 in the arguments, so a drag and its
    release leave this sweep cached.
    """
    values = EPS_VALUES if vary == "label_smoothing" else Q_VALUES
    return entropy_kl_sweep(p_weights, q_weights, eps, vary, values, base=2.0 if unit == "bits" else math.e)


@st.cache_data(max_entries=256, show_spinner=False)
def _scrub(p_weights: tuple, q_weights: tuple, eps: float, vary, unit: str, top: float) -> tuple:
    """The payloads for a drag of Q's first weight or of ε: the stacked bar (on an axis holding ``top``),
    the distributions and, for ε, the floor's point (None for Q's weight, which does not move it)."""
    s = _sweep(p_weights, q_weights, eps, vary, unit)
    values = EPS_VALUES if vary == "label_smoothing" else Q_VALUES
    return (
        scrub_payload(values, entropy_kl_frames(s.entropy, s.kl, unit=unit, top=top)),
        scrub_payload(values, distribution_frames(s.p, s.q)),
        scrub_payload(values, floor_point_frames(values, s.entropy, unit=unit)) if vary != 0 else None,
    )


page_header(
    "Entropy and KL",
    "Cross-entropy splits into two parts: the **entropy** H(P) of the truth, which no model can remove, "
    "and the **KL divergence** KL(P ‖ Q), the extra cost of predicting Q instead of P. Training can only "
    "shrink the second part. Edit the truth P and the prediction Q and watch the split.",
)


def _split_top(p_weights: tuple, q_weights: tuple, eps: float, unit: str) -> float:
    """The largest H(P, Q) a drag of Q's first weight or of ε reaches from here: the stacked bar's axis."""
    q_drag = (p_weights, (0, *q_weights[1:]), eps, 0, unit)
    e_drag = (p_weights, q_weights, 0.0, "label_smoothing", unit)
    return max(float(_sweep(*drag).cross_entropy.max()) for drag in (q_drag, e_drag))


def _stack_figure(p_weights: tuple, q_weights: tuple, eps: float, unit: str):
    """The stacked bar H(P, Q) = H(P) + KL(P ‖ Q) for these settings (what the page draws)."""
    base = 2.0 if unit == "bits" else math.e
    p = smooth_labels(normalise_weights(p_weights), eps)
    q = normalise_weights(q_weights)
    return entropy_kl_bar_figure(
        float(entropy(p, base=base)),
        float(kl_divergence(p, q, base=base)),
        unit=unit,
        top=_split_top(p_weights, q_weights, eps, unit),
    )


def _dist_figure(names: list, p_weights: tuple, q_weights: tuple, eps: float):
    """P (smoothed) and Q side by side per class (what the page draws)."""
    return distribution_bars_figure(
        names, smooth_labels(normalise_weights(p_weights), eps), normalise_weights(q_weights)
    )


@process_cache(maxsize=2048)
def _split(p_weights: tuple, q_weights: tuple, eps: float, base: float) -> tuple:
    """P (smoothed), Q, H(P), KL(P ‖ Q) and H(P, Q) for these settings (shared, never written to)."""
    p = smooth_labels(normalise_weights(p_weights), eps)
    q = normalise_weights(q_weights)
    h_p = float(entropy(p, base=base))
    return p, q, h_p, float(kl_divergence(p, q, base=base)), float(cross_entropy_between(p, q, base=base))


@process_cache(maxsize=2048)
def _drags(p_weights: tuple, q_weights: tuple, eps: float, unit: str) -> tuple:
    """The drag payloads of Q's first weight and of ε (stacked bar, then distributions), and the axis."""
    split_top = _split_top(p_weights, q_weights, eps, unit)
    q_stack, q_dist, _ = _scrub(p_weights, (0, *q_weights[1:]), eps, 0, unit, split_top)
    e_stack, e_dist, _ = _scrub(p_weights, q_weights, 0.0, "label_smoothing", unit, split_top)
    return q_stack, e_stack, q_dist, e_dist, entropy_kl_axes(split_top)


@safe_fragment
def prediction(p_weights: tuple, eps: float, names: list, true_index, unit: str, slots: dict) -> None:
    """Q's sliders and every number they move (reruns alone when Q moves).

    The metrics, the message, the table and the drag listeners (whose frames depend on Q) are written into
    ``slots`` laid out by :func:`explorer`; the charts, drawn there, follow in the browser.
    """
    base = 2.0 if unit == "bits" else math.e
    q_weights = tuple(
        track(
            f"kl_q{k}",
            st.slider(f"Q weight: {names[k]}", *Q_RANGE, DEFAULT_Q[k], key=f"kl_q{k}", bind="query-params"),
        )
        for k in range(len(names))
    )
    p, q, h_p, kl, ce = _split(p_weights, q_weights, eps, base)

    row = metric_row(slots["metrics"])
    row.metric(f"H(P) ({unit})", f"{h_p:.4f}", help="The entropy of the truth: the unavoidable part.")
    row.metric(f"KL(P ‖ Q) ({unit})", f"{kl:.4f}", help="Wasted by predicting Q instead of P; 0 iff Q = P.")
    row.metric(f"H(P, Q) ({unit})", f"{ce:.4f}", help="The cross-entropy loss = H(P) + KL(P ‖ Q).")
    if true_index is not None and eps == 0:
        surprise_true = float(surprise(q[true_index], base=base))
        slots["message"].success(
            f"**One-hot truth: every {unit[:-1]} of the loss is wasted.** H(P) = 0, so the "
            f"cross-entropy, the KL divergence and the surprise −log Q({names[true_index]}) = "
            f"{surprise_true:.4f} {unit} are one and the same number. (A popular web article on "
            "cross-entropy shows no waste at all here: a slip. With a one-hot truth the wasted part, "
            "KL(P ‖ Q), is the whole surprise.)",
            icon=":material/info:",
        )
    elif kl < 5e-5:
        slots["message"].success(
            "Q = P (to 4 digits): the KL divergence is 0 and the loss sits on its floor H(P)."
        )
    else:
        slots["message"].markdown(
            f"KL(P ‖ Q) ≥ 0 always, and it is 0 only when Q = P: with this Q the loss is "
            f"{ce:.4f} {unit}, {kl:.4f} {unit} above the floor H(P) = {h_p:.4f} {unit} that even a "
            "perfect model must pay."
        )
    with slots["table"]:
        show_dataframe(
            {"class": names, "P (used)": tuple(map(float, p)), "Q (normalised)": tuple(map(float, q))},
            hide_index=True,
            width="stretch",
            column_config={
                "P (used)": st.column_config.NumberColumn(
                    f"P (smoothed, ε = {eps:.2f})" if eps else "P", format="%.4f"
                ),
                "Q (normalised)": st.column_config.NumberColumn(format="%.4f"),
            },
            key="kl_table",
        )

    # While Q's first weight or ε is dragged, the charts follow the thumb (ui.scrub): one sweep per
    # slider, the other held.  The stacked bar's axis holds every H(P, Q) either drag reaches, so it stays
    # put; it is sent with the frames, as the chart on screen may have been drawn for another Q.
    q_stack, e_stack, q_dist, e_dist, axis = _drags(p_weights, q_weights, eps, unit)
    # One running listener per chart key, so ε's listeners find the two charts through keyed containers of
    # their own around them.  One element for the four: each element costs every rerun.
    with drag_group("kl-prediction"):
        follow_drag(STACK_CHART, Q0_KEY, q_stack, layout=axis)
        follow_drag(f"{STACK_CHART}_eps", EPS_KEY, e_stack, layout=axis)
        follow_drag(DIST_CHART, Q0_KEY, q_dist)
        follow_drag(f"{DIST_CHART}_eps", EPS_KEY, e_dist)


def explorer() -> None:
    """The truth, the prediction, the split and the smoothing floor; moving Q reruns only :func:`prediction`.

    Not a fragment itself: Q's fragment writes into slots laid out here, and Streamlit 1.67 drops what a
    nested fragment wrote into its parent fragment's slots when the parent reruns (ui.sections).  So the
    truth P and ε rerun the page.
    """
    unit = units()
    base = 2.0 if unit == "bits" else math.e

    # The label-smoothing section sits below the split but its slider is read first: containers are drawn in
    # the order they are created, not filled.
    top = st.container()
    st.header("Label smoothing raises the floor")
    floor_col, smooth_col = st.columns([3, 2], gap="large")
    with smooth_col:
        eps = st.slider(
            "Label smoothing ε",
            *EPS_RANGE,
            0.0,
            step=EPS_STEP,
            key=EPS_KEY,
            help="P_ε = (1 − ε) P + ε / C, the target that cross_entropy(label_smoothing=ε) trains towards. "
            "It also changes the split above.",
            bind="query-params",
        )
        eps = round(eps, 2)  # the slider's value, as the drag's frames name it

    with top:
        # The truth P on a row of its own, then the prediction Q's sliders beside the charts they move (on a
        # phone the charts come first and Q's sliders just below them, ui.frame.SCREEN_CSS).
        classes_col, mode_col, truth_col = st.columns(3, gap="large")
        with classes_col:
            n_classes = st.radio(
                "Number of classes C",
                CLASS_CHOICES,
                index=CLASS_CHOICES.index(KL_CLASSES),
                horizontal=True,
                key=CLASSES_KEY,
                bind="query-params",
            )
            names = list(DEFAULT_CLASS_NAMES[:n_classes])
        with mode_col:
            mode = st.radio(
                "P is", (ONE_HOT, SOFT), index=0, horizontal=True, key=MODE_KEY, bind="query-params"
            )
        true_index = None
        with truth_col:
            if mode == ONE_HOT:
                if st.session_state.get(TRUE_KEY, 0) >= n_classes:
                    st.session_state[TRUE_KEY] = 0
                true_index = st.radio(
                    "True class",
                    range(n_classes),
                    format_func=lambda k: names[k],
                    horizontal=True,
                    key=TRUE_KEY,
                    bind="query-params",
                )
                p_weights = [100.0 if k == true_index else 0.0 for k in range(n_classes)]
            else:
                p_weights = [
                    st.slider(
                        f"P weight: {names[k]}", 0, 100, DEFAULT_P[k], key=f"kl_p{k}", bind="query-params"
                    )
                    for k in range(n_classes)
                ]
        p_weights = tuple(float(w) for w in p_weights)
        controls, charts = st.columns([1, 2.3], gap="large")
        try:
            p_raw = normalise_weights(p_weights)
        except ValueError as exc:
            with charts:
                st.warning(f"These settings cannot be used: {exc}", icon=":material/warning:")
            st.stop()

        # Every slot first, in the page's order; Q's fragment then fills its slots.
        with charts:
            slots = {"metrics": st.empty()}
            stack_box = st.container(key=f"{STACK_CHART}_eps")
            st.latex(r"H(P, Q) = -\sum_x P(x)\log Q(x) = H(P) + \mathrm{KL}(P\,\|\,Q)")
            h_col, kl_col = st.columns(2)
            h_col.latex(r"H(P) = -\sum_x P(x)\log P(x)")
            kl_col.latex(r"\mathrm{KL}(P\,\|\,Q) = \sum_x P(x)\log\frac{P(x)}{Q(x)}")
            slots["message"] = st.empty()
        dist_col, table_col = st.columns([3, 2], gap="large")
        dist_box = dist_col.container(key=f"{DIST_CHART}_eps")
        with table_col:
            slots["table"] = st.empty()
            if eps:
                st.caption(f"P is the smoothed target P_ε with ε = {eps:.2f} (set below).")
        with controls:
            st.subheader("The prediction Q")
            st.caption(
                "Weights are normalised to sum to 1. They stay above 0: Q = 0 where P > 0 is an infinite "
                "loss."
            )
            prediction(p_weights, eps, names, true_index, unit, slots)

        q_now = tuple(st.session_state[f"kl_q{k}"] for k in range(n_classes))
        noted = tracked()

        def q_noted() -> tuple:
            return tuple(noted.get(f"kl_q{k}", v) for k, v in enumerate(q_now))

        show_export = not presenter()
        with stack_box:
            show_figure(
                _stack_figure(p_weights, q_now, eps, unit),
                key=STACK_CHART,
                alt=f"Stacked bar in {unit}: the cross-entropy of the prediction Q is the entropy of the "
                "truth plus the KL divergence, under the best possible prediction Q = P with only the "
                "entropy; the numbers above the chart give the three values.",
                export=False,
            )
            if show_export:
                csv_button(lambda: _stack_figure(p_weights, q_noted(), eps, unit), key=STACK_CHART)
        with dist_box:
            show_figure(
                _dist_figure(names, p_weights, q_now, eps),
                key=DIST_CHART,
                alt="Grouped bars of the true distribution P and the prediction Q for each class.",
                export=False,
            )
            if show_export:
                csv_button(lambda: _dist_figure(names, p_weights, q_noted(), eps), key=DIST_CHART)

    h_p = float(entropy(smooth_labels(p_raw, eps), base=base))
    floor = smoothing_floor_curve(p_raw, EPS_GRID, base=base)
    # The floor's point depends on P and ε only, so its listener is drawn here, not in Q's fragment.
    e_drag = (p_weights, q_now, 0.0, "label_smoothing", unit)
    _, _, e_floor = _scrub(*e_drag, _split_top(p_weights, q_now, eps, unit))
    with floor_col:
        show_figure(
            smoothing_floor_figure(
                EPS_GRID, floor, eps=eps, floor_at_eps=h_p, unit=unit, n_classes=n_classes
            ),
            key=FLOOR_CHART,
            alt="The entropy of the smoothed target, the smallest loss any prediction can reach, rising "
            "with the label smoothing epsilon, with the current epsilon marked.",
        )
        follow_drag(FLOOR_CHART, EPS_KEY, e_floor)
    with smooth_col:
        st.latex(r"P_\varepsilon = (1-\varepsilon)\,P + \frac{\varepsilon}{C}")
        st.latex(r"\min_Q H(P_\varepsilon, Q) = H(P_\varepsilon) \quad\text{at } Q = P_\varepsilon")
        if eps == 0 and h_p == 0:
            st.markdown(
                "Without smoothing a one-hot target has H(P) = 0: the loss can approach 0, but only as the "
                "true "
                "logit runs off to infinity, which is how networks become over-confident. Raise ε to see the "
                "floor rise."
            )
        elif eps == 0:
            st.markdown(
                f"A soft target already has a floor: H(P) = **{h_p:.4f} {unit}**, reached only at Q = P. "
                f"Raise ε "
                "to see smoothing lift it further."
            )
        else:
            st.markdown(
                f"With ε = {eps:.2f} the best any model can do is **{h_p:.4f} {unit}**: H(P_ε) grows with ε, "
                "so the loss can never reach 0 and the logits never have to grow without bound. That is the "
                "regulariser: the model is kept from becoming over-confident. Minimising H(P_ε, Q) is still "
                "minimising KL(P_ε ‖ Q), because H(P_ε) does not depend on the model."
            )


explorer()
