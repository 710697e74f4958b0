"""Multi-class logits: softmax, each class's share of the loss and the gradient (p − y′)/T."""

import numpy as np
import streamlit as st

from core.defaults import DEFAULT_CLASS_NAMES, MULTICLASS_CLASSES, MULTICLASS_LOGITS
from core.figures.multiclass import multiclass_axes, multiclass_bars_figure, multiclass_scrub_frames
from core.formatting import signed
from core.multiclass import multiclass_breakdown, multiclass_sweep
from core.units import in_unit
from ui.common import csv_button, process_cache, show_figure, units
from ui.frame import presenter
from ui.page import page_header
from ui.scrub import drag_group, follow_drag, scrub_payload, slider_values, track, tracked
from ui.sections import safe_fragment
from words.class_names import MAX_NAME_LENGTH, class_label, sanitize_class_names
from words.sentences import gradient_insight, multiclass_sentence

MIN_CLASSES, MAX_CLASSES = 2, len(DEFAULT_CLASS_NAMES)
# The default state is the first four: Cat 3.5, Dog 0.8, Bird 0.2, Fish -0.5 (Cat true)
# -> P(true) 89.1 %, loss 0.1155 nats, true-class gradient -0.109.
DEFAULT_LOGITS = MULTICLASS_LOGITS
LOGIT_RANGE, LOGIT_STEP = (-10.0, 10.0), 0.1
T_RANGE, T_STEP = (0.1, 5.0), 0.1
T_KEY, CHART_KEY, T_CHART_BOX = "mc_T", "mc_chart", "mc_chart_T"


LOGIT_VALUES = slider_values(*LOGIT_RANGE, LOGIT_STEP, 1)  # -10.0, -9.9, ..., 10.0
T_VALUES = slider_values(*T_RANGE, T_STEP, 1)  # 0.1, 0.2, ..., 5.0


@process_cache(maxsize=256)  # one object per sweep, shared (st.cache_data would hand out copies)
def _scrub(held: tuple[float, ...], true_index: int, vary, temperature: float, eps: float, unit: str):
    """The bars at every value of one slider (logit ``vary``, or ``"temperature"``), the others held.

    ``held`` holds the logits with the varied one's entry set to 0 and ``temperature`` is 0 when it is the
    one varied, so dragging a slider and releasing it leaves its own sweep cached.  Returns the payload
    for ``follow_drag`` and the largest loss part (in ``unit``) and |gradient| the sweep reaches.
    """
    values = T_VALUES if vary == "temperature" else LOGIT_VALUES
    s = multiclass_sweep(held, true_index, vary, values, temperature=temperature, label_smoothing=eps)
    parts = in_unit(s.contributions, unit)
    payload = scrub_payload(values, multiclass_scrub_frames(s.probs, parts, s.grad))
    return payload, float(parts.max()), float(np.abs(s.grad).max())


page_header(
    "Multi-class logits",
    "With more than two classes the model outputs one **logit** per class; softmax turns them into "
    "probabilities, and cross-entropy charges −log p of the true class. Drag the logits and watch the "
    "probabilities, each class's part of the loss and the famous gradient p − y.",
)


@process_cache(maxsize=1024)
def _scrubs(z: tuple, true_index: int, temperature: float, smoothing: float, unit: str) -> tuple:
    """The drag payloads of the true logit and of T at these logits, and the bars' axis ranges.

    The axes hold every state either drag reaches, so they stay put while the bars move; the payloads
    carry them, so a chart drawn before the logits last moved takes them too (``scrub_payload(layout=)``).
    """
    held = tuple(0.0 if k == true_index else float(v) for k, v in enumerate(z))
    z_payload, z_loss_top, z_grad_top = _scrub(held, true_index, true_index, temperature, smoothing, unit)
    t_payload, t_loss_top, t_grad_top = _scrub(
        tuple(map(float, z)), true_index, "temperature", 0.0, smoothing, unit
    )
    return (
        z_payload,
        t_payload,
        {"loss_top": max(z_loss_top, t_loss_top), "grad_top": max(z_grad_top, t_grad_top)},
    )


@safe_fragment
def logits_section(
    n, labels, names, true_index, temperature, smoothing, unit, metrics_slot, insight_slot
) -> None:
    """The logit sliders and every number they move (reruns alone when a logit moves).

    The metrics and the insight are written into slots drawn by :func:`explorer`; the bars, drawn there
    too, follow in the browser: the drag listeners here carry the bars at every value of the true logit
    and of T for the logits as they are now.
    """
    logits = [
        track(
            f"mc_z{k}",
            st.slider(
                labels[k] + (" (true)" if k == true_index else ""),
                *LOGIT_RANGE,
                DEFAULT_LOGITS[k],
                step=LOGIT_STEP,
                format="%.1f",
                key=f"mc_z{k}",
                bind="query-params",
            ),
        )
        for k in range(n)
    ]
    z = tuple(round(float(v), 1) for v in logits)  # the sliders' values, as the drag's frames name them
    b = _breakdown(z, true_index, temperature, smoothing)
    # Four columns, not a wrapping row: on a projector the four metrics stay on one line above the bars.
    m1, m2, m3, m4 = metrics_slot.container().columns(4)
    m1.metric("P(true class)", f"{b.probs[true_index]:.1%}")
    m2.metric(f"Total CE loss ({unit})", f"{in_unit(b.loss, unit):.4f}")
    m3.metric("True class logit", f"{z[true_index]:.1f}")
    m4.metric(
        "Gradient on the true logit",
        signed(float(b.grad[true_index]), 3),
        help="∂L/∂z of the true class, for the loss in nats (divide by ln 2 for bits).",
    )
    insight_slot.markdown(  # one element, not a container of two
        multiclass_sentence(b.probs, true_index, names, label_smoothing=smoothing)
        + "\n\n"
        + gradient_insight(b, true_index, names, temperature=temperature, label_smoothing=smoothing)
    )
    # While the true class's logit or T is dragged, the bars follow the thumb (ui.scrub): one sweep per
    # slider, the other sliders held.  (Every logit's sweep would cost a rerun C times as much.)
    z_payload, t_payload, tops = _scrubs(z, true_index, temperature, smoothing, unit)
    axes = multiclass_axes(**tops)
    with drag_group("mc-logits"):  # one element for both listeners: each costs every rerun
        follow_drag(CHART_KEY, f"mc_z{true_index}", z_payload, layout=axes)
        # One running listener per chart key, so T's listener finds the chart through a keyed container of
        # its own around it.
        follow_drag(T_CHART_BOX, T_KEY, t_payload, layout=axes)


@process_cache(maxsize=1024)
def _breakdown(z: tuple, true_index: int, temperature: float, smoothing: float):
    """Probabilities, loss, its parts and the gradient at logits ``z`` (shared, never written to)."""
    return multiclass_breakdown(z, true_index, temperature=temperature, label_smoothing=smoothing)


def _bars(labels, z: tuple, true_index: int, temperature: float, smoothing: float, unit: str):
    """The bars at logits ``z`` (what the page draws; the drags' frames show the same)."""
    b = _breakdown(z, true_index, temperature, smoothing)
    _, _, tops = _scrubs(z, true_index, temperature, smoothing, unit)
    return multiclass_bars_figure(
        labels, b.probs, in_unit(b.contributions, unit), b.grad, true_index=true_index, unit=unit, **tops
    )


def explorer() -> None:
    """The controls, the bars and the numbers; a logit's move reruns only :func:`logits_section`.

    Not a fragment itself: the logits' fragment writes into slots laid out here, and Streamlit 1.67 drops
    what a nested fragment wrote into its parent fragment's slots when the parent reruns.  So the other
    controls (C, names, true class, T, ε) rerun the page.
    """
    unit = units()

    c1, c2, c3, c4, names_col = st.columns([1, 1, 1, 1, 2], gap="medium")
    n = c1.slider(
        "Number of classes C", MIN_CLASSES, MAX_CLASSES, MULTICLASS_CLASSES, key="mc_n", bind="query-params"
    )
    names_text = names_col.text_input(
        "Class names, comma separated",
        ", ".join(DEFAULT_CLASS_NAMES[:MULTICLASS_CLASSES]),
        max_chars=300,
        key="mc_names",
        help=f"Up to {MAX_NAME_LENGTH} characters each: letters, digits, spaces, - ' . and emoji. "
        "Missing, repeated or other names fall back to the default animals.",
        bind="query-params",
    )
    names, notes = sanitize_class_names(names_text, n)
    for note in notes:
        st.warning(note, icon=":material/edit_off:")
    labels = [class_label(name) for name in names]

    if st.session_state.get("mc_true", 0) >= n:  # the true class was removed with the classes above it
        st.session_state["mc_true"] = 0
    true_index = c2.selectbox(
        "True class", range(n), format_func=lambda k: labels[k], key="mc_true", bind="query-params"
    )
    temperature = c3.slider(
        "Temperature T",
        *T_RANGE,
        1.0,
        step=T_STEP,
        format="%.1f",
        key=T_KEY,
        help="softmax(z / T): T < 1 sharpens the probabilities, T > 1 flattens them.",
        bind="query-params",
    )
    temperature = round(temperature, 1)  # the slider's value, as the drag's frames name it
    smoothing = c4.slider(
        "Label smoothing ε",
        0.0,
        0.5,
        0.0,
        step=0.01,
        format="%.2f",
        key="mc_eps",
        help="The target becomes y′ = (1 − ε)·y + ε/C: a little probability for every class.",
        bind="query-params",
    )

    # The logits beside the chart they drive (on a phone the chart comes first, ui.frame.SCREEN_CSS).
    # Every slot is laid out first, in the page's order; the logits' fragment then fills its slots.
    logits_col, chart_col = st.columns([1, 2.2], gap="large")
    metrics_slot = chart_col.empty()
    chart_box = chart_col.container(key=T_CHART_BOX)
    st.caption(
        "Gradient bars: **+** (vermillion, plain) means gradient descent pushes that logit down; **−** "
        "(blue, hatched) pushes it up. "
        + (
            "Only the true class has a loss part, because y is one-hot."
            if smoothing == 0
            else "With smoothing every class has a loss part; the parts add up to the total loss."
        )
    )
    text, math = st.columns([1.25, 1], gap="large")
    with text:
        st.subheader("Gradient insight")
        insight_slot = st.empty()
    with math:
        st.subheader("The math")
        st.latex(r"p_i = \operatorname{softmax}(z / T)_i = \frac{e^{z_i / T}}{\sum_{j=1}^{C} e^{z_j / T}}")
        st.latex(r"\mathcal{L} = -\sum_{i=1}^{C} y'_i \ln p_i")
        st.latex(r"y' = (1 - \varepsilon)\, y + \frac{\varepsilon}{C}")
        st.latex(
            r"\frac{\partial \mathcal{L}}{\partial z_i} = \frac{p_i - y'_i}{T}"
            r" \;\overset{T=1,\ \varepsilon=0}{=}\; p_i - y_i"
        )
        st.caption(
            "With a one-hot y (ε = 0) only one term of the sum survives: the loss is −ln p of the true "
            "class, the negative log-likelihood. The loss and p − y′ come from the tested "
            "`core.cross_entropy` and `core.cross_entropy_grad` applied to z / T; the chain rule through "
            "z / T divides the gradient by T."
        )

    with logits_col:
        logits_col.markdown("**Logits z** (one per class)")
        logits_section(n, labels, names, true_index, temperature, smoothing, unit, metrics_slot, insight_slot)

    def draw(z) -> object:
        return _bars(labels, tuple(round(float(v), 1) for v in z), true_index, temperature, smoothing, unit)

    noted = tracked()
    z_now = [st.session_state[f"mc_z{k}"] for k in range(n)]
    with chart_box:
        show_figure(
            draw(z_now),
            key=CHART_KEY,
            alt=(
                f"For each of {n} classes: the softmax probability, the part of the loss and the gradient "
                f"with respect to its logit, with the true class {names[true_index]} marked; the numbers "
                "above the chart give its probability and gradient."
            ),
            export=False,
        )
        if not presenter():
            csv_button(lambda: draw([noted.get(f"mc_z{k}", v) for k, v in enumerate(z_now)]), key=CHART_KEY)


explorer()
