"""Binary cross-entropy: the loss against p for both labels, its gradient, and the same in logit space."""

import numpy as np
import streamlit as st

from core.curves import bce_logit_curves, bce_probability_curves
from core.defaults import BINARY_LABEL, BINARY_P, BINARY_POS_WEIGHT, BINARY_Z
from core.figures.binary import (
    bce_logit_figure,
    bce_logit_frames,
    bce_probability_figure,
    bce_probability_frames,
)
from core.formatting import signed
from core.functional import sigmoid
from core.losses import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
)
from core.units import in_unit
from ui.common import units
from ui.page import page_header
from ui.scrub import scrub_payload, scrubbed_chart, slider_values, track
from ui.sections import metric_row, safe_fragment
from words.sentences import bce_logit_sentence, bce_sentence

page_header(
    "Binary cross-entropy",
    "Binary cross-entropy (log loss) scores one predicted probability p of the positive class against "
    "a label y ∈ {0, 1}. It rises gently while the model is slightly wrong and explodes when it is "
    "confidently wrong, and that steep wall is what makes a confident mistake urgent to fix.",
)
LABEL_KEY = "bce_y"  # the true label, shared by both sections (each reruns on its own as a fragment)
GRAD_HELP = (
    "The gradient of the loss in nats, as frameworks compute it (natural log). "
    "For the loss in bits, divide by ln 2 ≈ 0.693."
)
P_STEP, Z_STEP = 0.01, 0.05


P_VALUES = slider_values(BINARY_P[0], BINARY_P[1], P_STEP, 2)  # 0.01, 0.02, ..., 0.99
Z_VALUES = slider_values(BINARY_Z[0], BINARY_Z[1], Z_STEP, 2)  # -8.00, -7.95, ..., 8.00


@st.cache_data(max_entries=4, show_spinner=False)
def _probability_scrub(y: int, unit: str) -> str:
    """The probability chart at every p, for a drag of the p slider (one text per label and unit)."""
    p = np.asarray(P_VALUES)
    target = np.full_like(p, float(y))
    losses = in_unit(binary_cross_entropy(p, target, reduction="none"), unit)
    grads = binary_cross_entropy_grad(p, target, reduction="none")
    return scrub_payload(P_VALUES, bce_probability_frames(p, losses, grads, unit=unit))


@st.cache_data(max_entries=64, show_spinner=False)
def _logit_scrub(y: int, unit: str, pos_weight: float) -> str:
    """The logit chart at every z, for a drag of the z slider (one text per label, unit and pos_weight)."""
    z = np.asarray(Z_VALUES)
    target = np.full_like(z, float(y))
    losses = in_unit(
        binary_cross_entropy_with_logits(z, target, pos_weight=pos_weight, reduction="none"), unit
    )
    grads = binary_cross_entropy_with_logits_grad(z, target, pos_weight=pos_weight, reduction="none")
    return scrub_payload(Z_VALUES, bce_logit_frames(z, sigmoid(z), losses, grads, unit=unit))


st.radio(
    "True label y (used by both charts)",
    (0, 1),
    index=BINARY_LABEL,
    format_func=lambda v: f"y = {v} ({'positive' if v else 'negative'})",
    key=LABEL_KEY,
    horizontal=True,
    bind="query-params",
)


def point_metrics(point: tuple[str, str], loss: float, unit: str, gradient: tuple[str, str]) -> None:
    """The operating point, its loss in ``unit`` and its gradient (label, value), as metrics in a row."""
    row = metric_row()
    row.metric(*point)
    row.metric(f"BCE loss ({unit})", f"{loss:.4f}")
    row.metric(*gradient, help=GRAD_HELP)


@safe_fragment
def probability_readouts() -> None:
    """The p slider and the numbers it moves (reruns alone when p moves; the chart follows in the browser)."""
    y, unit = st.session_state[LABEL_KEY], units()
    p = track(
        "bce_p",
        st.slider(
            "Predicted p = P(y = 1)",
            *BINARY_P,
            step=P_STEP,
            format="%.2f",
            key="bce_p",
            bind="query-params",
        ),
    )
    loss = in_unit(float(binary_cross_entropy(p, float(y))), unit)
    grad = float(binary_cross_entropy_grad(p, float(y)))
    point_metrics(("Predicted p", f"{p:.2f}"), loss, unit, ("Gradient ∂L/∂p", signed(grad, 2)))
    st.markdown(bce_sentence(p, y))


def _probability_figure(p: float, y: int, unit: str):
    """The probability-space chart at p (what the page draws, and what each frame of a drag shows)."""
    curves = bce_probability_curves()
    return bce_probability_figure(
        curves.p,
        in_unit(curves.loss_pos, unit),
        in_unit(curves.loss_neg, unit),
        p=p,
        y=y,
        loss=in_unit(float(binary_cross_entropy(p, float(y))), unit),
        grad=float(binary_cross_entropy_grad(p, float(y))),
        unit=unit,
    )


@safe_fragment
def probability_space() -> None:
    """BCE against p for both labels, with dL/dp; p's own moves rerun only ``probability_readouts``."""
    y, unit = st.session_state[LABEL_KEY], units()
    st.header("In probability space")
    controls, chart = st.columns([1, 2.2], gap="large")
    with controls:
        probability_readouts()
        st.caption(
            "With y = 1 only −ln p is active; with y = 0 only −ln(1 − p). The orange arrow points along "
            "−∂L/∂p, the way a gradient-descent step moves p; it grows with the size of the gradient."
        )
    with chart:
        scrubbed_chart(
            lambda p: _probability_figure(p, y, unit),
            key="bce_prob_chart",
            widget_key="bce_p",
            payload=_probability_scrub(y, unit),
            alt=(
                f"Binary cross-entropy against p for y = 1 and y = 0, with the decision boundary at 0.5, "
                f"the point at the predicted p on the y = {y} curve (its loss and gradient are the numbers "
                f"beside the chart) and an arrow for the gradient."
            ),
        )
        st.latex(r"\mathcal{L} = -\bigl[\,y \ln p + (1 - y) \ln(1 - p)\,\bigr]")
        st.latex(
            r"\frac{\partial \mathcal{L}}{\partial p} = -\frac{y}{p} + \frac{1 - y}{1 - p}"
            r" = \frac{p - y}{p\,(1 - p)}"
        )


@safe_fragment
def logit_readouts() -> None:
    """The z slider and the numbers it moves (reruns alone when z moves; the chart follows in the browser)."""
    y, unit = st.session_state[LABEL_KEY], units()
    pos_weight = st.session_state["bce_pw"]
    z = track(
        "bce_z", st.slider("Logit z", *BINARY_Z, step=Z_STEP, format="%.2f", key="bce_z", bind="query-params")
    )
    sigma = float(sigmoid(z))
    z_loss = in_unit(float(binary_cross_entropy_with_logits(z, float(y), pos_weight=pos_weight)), unit)
    z_grad = float(binary_cross_entropy_with_logits_grad(z, float(y), pos_weight=pos_weight))
    point_metrics(("σ(z) = p", f"{sigma:.4f}"), z_loss, unit, ("Gradient ∂L/∂z", signed(z_grad, 3)))
    st.markdown(bce_logit_sentence(z, y, pos_weight))


def _logit_figure(z: float, y: int, unit: str, pos_weight: float):
    """The logit-space chart at z (what the page draws, and what each frame of a drag shows)."""
    curves = bce_logit_curves(pos_weight=pos_weight)
    return bce_logit_figure(
        curves.z,
        curves.sigma,
        in_unit(curves.loss_pos, unit),
        in_unit(curves.loss_neg, unit),
        curves.grad_pos if y == 1 else curves.grad_neg,
        z=z,
        y=y,
        loss=in_unit(float(binary_cross_entropy_with_logits(z, float(y), pos_weight=pos_weight)), unit),
        grad=float(binary_cross_entropy_with_logits_grad(z, float(y), pos_weight=pos_weight)),
        sigma_z=float(sigmoid(z)),
        pos_weight=pos_weight,
        unit=unit,
    )


@safe_fragment
def logit_space() -> None:
    """BCE against the logit z, σ(z) and dL/dz, with pos_weight; moving z reruns only ``logit_readouts``."""
    y, unit = st.session_state[LABEL_KEY], units()
    st.header("In logit space")
    st.markdown(
        "A network outputs a **logit** z, and p = σ(z). Frameworks compute the loss from z directly "
        "(`binary_cross_entropy_with_logits`): ln σ(z) = min(z, 0) − ln(1 + e^{−|z|}) never takes the log of "
        "a probability that rounded to 0. Through the sigmoid the steep 1/p of the loss cancels: the "
        "gradient is simply σ(z) − y, never larger than 1 in size for the plain loss. A pos_weight p_w "
        "multiplies the y = 1 term, and its gradient with it: for y = 1 the gradient lies between −p_w and "
        f"0, so at the slider's end (p_w = {BINARY_POS_WEIGHT[1]:g}) it approaches −{BINARY_POS_WEIGHT[1]:g}."
    )
    controls, chart = st.columns([1, 2.2], gap="large")
    with controls:
        pos_weight = st.slider(
            "pos_weight p_w",
            *BINARY_POS_WEIGHT,
            step=0.1,
            format="%.1f",
            key="bce_pw",
            help="Multiplies the y = 1 term. p_w > 1 makes a missed positive costlier (higher recall); "
            "for an imbalanced data set a common choice is (number of negatives) / (number of positives).",
            bind="query-params",
        )
        logit_readouts()
        if y == 0 and pos_weight != 1:
            st.caption("With y = 0 the positive term is 0, so pos_weight changes nothing here. Try y = 1.")

    with chart:
        scrubbed_chart(
            lambda z: _logit_figure(z, y, unit, pos_weight),
            key="bce_logit_chart",
            widget_key="bce_z",
            payload=_logit_scrub(y, unit, pos_weight),
            alt=(
                f"Binary cross-entropy against the logit z for both labels (pos_weight {pos_weight:g}), and "
                f"below it σ(z) and the gradient ∂L/∂z, with the point at the logit z (its loss and gradient "
                f"are the numbers beside the chart)."
            ),
        )
        st.latex(r"\mathcal{L} = -\bigl[\,p_w\, y \ln \sigma(z) + (1 - y) \ln(1 - \sigma(z))\,\bigr]")
        st.latex(
            r"\frac{\partial \mathcal{L}}{\partial z} = \sigma(z)\,\bigl(1 + (p_w - 1)\,y\bigr) - p_w\, y"
            r"\;\overset{p_w = 1}{=}\; \sigma(z) - y"
        )


probability_space()
st.divider()
logit_space()
