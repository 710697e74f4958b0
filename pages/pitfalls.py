"""Numerical pitfalls: naive softmax-then-log, clipping, BCE on softmax, MSE on a sigmoid."""

import numpy as np
import pandas as pd
import streamlit as st

from core.defaults import DEFAULT_CLASS_NAMES, PITFALLS_LOG_EPS, PITFALLS_LOG_P, PITFALLS_LOGITS
from core.figures.curves import curves_figure
from core.figures.pitfalls import (
    clipping_figure,
    gradient_bars_figure,
    naive_vs_stable_figure,
    naive_vs_stable_frames,
)
from core.formatting import signed, significant
from core.functional import sigmoid, softmax
from core.gradcheck import numerical_gradient
from core.losses import (
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    cross_entropy,
    cross_entropy_grad,
)
from core.pitfalls import (
    NAIVE_DTYPES,
    bce_on_softmax,
    bce_on_softmax_grad,
    clipping_comparison,
    mse_on_sigmoid,
    mse_on_sigmoid_grad,
    naive_and_stable_at,
    naive_scale_sweep,
)
from ui.common import process_cache, show_dataframe, show_figure
from ui.page import page_header
from ui.scrub import scrub_payload, scrubbed_chart, track
from ui.sections import safe_fragment

PATTERN = (1.0, 0.0, -1.0)
TRUE_CHOICES = {0: "the largest logit (+s)", 1: "the middle logit (0)", 2: "the smallest logit (−s)"}
SCALES = np.geomspace(0.1, 1e4, 400)
DEFAULT_LOGITS = PITFALLS_LOGITS  # the multi-class page's default logits
NAMES = list(DEFAULT_CLASS_NAMES[: len(DEFAULT_LOGITS)])
LOG_SCALES = tuple(round(-1.0 + 0.1 * k, 1) for k in range(51))  # every value of the scale slider (log₁₀ s)
SCALE_KEY = "pit_scale"
NAIVE_CHART = "pit_naive_chart"


@process_cache(maxsize=len(TRUE_CHOICES))
def _naive_sweeps(target: int) -> tuple:
    """Naive and stable loss over the scale grid in each dtype: depends on the true class alone."""
    return tuple(naive_scale_sweep(SCALES, PATTERN, target, dtype) for dtype in NAIVE_DTYPES)


@process_cache(maxsize=len(TRUE_CHOICES))
def _losses_at(target: int) -> tuple:
    """The (naive, stable) loss per dtype at every scale the slider can take, for this true class."""
    return tuple(naive_and_stable_at(10**v, PATTERN, target, NAIVE_DTYPES) for v in LOG_SCALES)


def _naive_chart(log_scale: float, target: int):
    """The chart at the slider's value: the curves, and the marked s with both losses on it."""
    log_scale = LOG_SCALES[LOG_SCALES.index(round(log_scale, 1))]  # the slider's step, as the drag's frames
    at = _losses_at(target)[LOG_SCALES.index(log_scale)]
    return naive_vs_stable_figure(_naive_sweeps(target), point_scale=10**log_scale, point_losses=at)


@process_cache(maxsize=len(TRUE_CHOICES))
def _naive_scrub(target: int) -> str:
    """What the chart shows at every s, for ui.scrub (the marked line, its label and both markers)."""
    frames = naive_vs_stable_frames(_naive_sweeps(target), [10**v for v in LOG_SCALES], _losses_at(target))
    return scrub_payload(LOG_SCALES, frames)


@process_cache(maxsize=len(TRUE_CHOICES) * len(LOG_SCALES))
def _naive_table(target: int, log_scale: float) -> dict:
    """Section 1's table at s: where each dtype's naive loss breaks, and both losses at s."""
    scale = 10**log_scale
    at_scale = _losses_at(target)[LOG_SCALES.index(log_scale)]
    rows = [
        {
            "dtype": sweep.dtype,
            "exp overflows above": f"{sweep.overflow_threshold:.4f}",
            "naive breaks from s =": "never (in range)"
            if sweep.first_break is None
            else f"{sweep.first_break:.4f}",
            "naive gives": sweep.first_break_kind or "—",
            f"naive at s = {scale:.4g}": significant(naive),
            f"stable at s = {scale:.4g}": significant(stable),
        }
        for sweep, (naive, stable) in zip(_naive_sweeps(target), at_scale, strict=True)
    ]
    return {column: tuple(row[column] for row in rows) for column in rows[0]}


page_header(
    "Numerical pitfalls",
    "Cross-entropy is simple on paper and easy to get wrong in code. Four classic mistakes, each next to "
    "the right way, computed both ways so you can see exactly where and how the wrong one fails.",
)


# ------------------------------------------------------------------------------ (a) naive vs stable
def naive_section() -> None:
    """Naive softmax-then-log against log-sum-exp, in three dtypes.

    What the scale s moves (the marked s on the chart, the table) is redrawn by its own fragment; the
    chart is drawn outside it and follows the slider in the browser (``ui.scrub.scrubbed_chart``), so a
    release reruns only the slider and the table.  The true class reruns the page."""
    st.header("1. Softmax, then log: overflow and underflow")
    a_controls, a_chart = st.columns([1, 2.4], gap="large")
    with a_controls:
        target = st.radio(
            "The true class is",
            tuple(TRUE_CHOICES),
            index=2,
            format_func=TRUE_CHOICES.get,
            key="pit_true",
            bind="query-params",
        )
        scale_box = st.container()
        st.latex(r"z = s\cdot[1,\ 0,\ -1]")
        st.latex(r"\text{naive: } -\log\frac{e^{z_t}}{\sum_j e^{z_j}}")
        st.latex(r"\text{stable: } \operatorname{LSE}(z) - z_t")
        st.latex(
            r"\begin{aligned}\operatorname{LSE}(z) &= m \\ &+ \log\textstyle\sum_j e^{z_j - m}"
            r"\end{aligned}"
        )
        st.latex(r"\text{where } m = \max_j z_j")
    table_slot = st.empty()
    mechanism = {
        0: "exp(s) overflows to inf, so the true class's probability is inf / inf = **NaN**",
        1: "exp(s) overflows to inf, so the true class's probability is 1 / inf = 0 and −log 0 = **+inf**",
        2: "its probability e⁻ˢ / eˢ ≈ e⁻²ˢ **underflows** to 0 (long before exp(s) overflows) and "
        "−log 0 = **+inf**",
    }[target]
    st.markdown(
        f"With the true class at {TRUE_CHOICES[target]}, the naive loss breaks because {mechanism}. The "
        "log-sum-exp form subtracts the largest logit first, so every exponent is ≤ 0 and the log of a sum "
        "that is at least 1 is always finite. (`core`, like PyTorch on the CPU, computes float16 in float32 "
        "and rounds the result back; the naive column really runs in float16.) A loss that rounds to exactly "
        "0 is not drawn on the log axis."
    )
    with scale_box:
        scale_readouts(target, table_slot)
    with a_chart:
        scrubbed_chart(
            lambda v: _naive_chart(v, target),
            key=NAIVE_CHART,
            widget_key=SCALE_KEY,
            payload=_naive_scrub(target),
            alt="Cross-entropy against the logit scale on log axes for float16, float32 and float64: the "
            "naive softmax-then-log stops at a dtype-dependent scale, marked with crosses; the log-sum-exp "
            "one continues. A dotted line marks the scale s of the slider.",
        )


@safe_fragment
def scale_readouts(target: int, table_slot) -> None:
    """The scale slider, the logits it makes and the table at s: a release reruns only this."""
    log_scale = track(
        SCALE_KEY,
        st.slider(
            "Logit scale s (log₁₀)",
            LOG_SCALES[0],
            LOG_SCALES[-1],
            2.0,
            step=0.1,
            key=SCALE_KEY,
            help="The logits are s · [1, 0, −1]; the table below lists both losses at this s.",
            bind="query-params",
        ),
    )
    log_scale = round(log_scale, 1)
    scale = 10**log_scale
    shown = NAIVE_DTYPES.index("float32")  # the dtype most networks train in
    naive, stable = _losses_at(target)[LOG_SCALES.index(log_scale)][shown]
    st.caption(
        f"s = {scale:.4g}: z = [{scale:.4g}, 0, −{scale:.4g}]. In float32 the naive loss is "
        f"{significant(naive)} and the stable one {significant(stable)}."
    )
    # From a cached Arrow table, without pandas: on each move of s this table cost more than its chart.
    with table_slot:
        show_dataframe(
            _naive_table(target, log_scale), hide_index=True, width="stretch", key="pit_naive_table"
        )


naive_section()


# ------------------------------------------------------------------------------------ (b) clipping
@safe_fragment
def clipping_section() -> None:
    """Probability clipping against the exact loss and PyTorch's clamp."""
    st.header("2. Clipping probabilities: the epsilon hides loss and kills the gradient")
    b_controls, b_text = st.columns([1, 2.4], gap="large")
    with b_controls:
        log_eps = st.slider(
            "ε (log₁₀)",
            -12,
            -1,
            PITFALLS_LOG_EPS,
            step=1,
            key="pit_eps",
            help="Keras clips at 1e-7.",
            bind="query-params",
        )
        log_p = st.slider(
            "p of the true class (log₁₀)",
            -50,
            0,
            PITFALLS_LOG_P,
            step=1,
            key="pit_clip_p",
            bind="query-params",
        )
    eps = float(10.0**log_eps)
    p_point = float(10.0**log_p)
    grid = np.geomspace(1e-50, 1.0, 400)
    clip = clipping_comparison(grid, eps=eps)
    at = clipping_comparison([p_point, 0.0], eps=eps)
    with b_text:
        m1, m2, m3 = st.columns(3)
        m1.metric("Max clipped loss (nats)", f"{float(at.clipped[1]):.4f}", help="−ln ε: what p = 0 costs.")
        m2.metric("Loss hidden at p (nats)", f"{float(at.bias[0]):.4f}", help="−ln p − (−ln max(p, ε))")
        m3.metric(
            "Clipped ∂ℓ/∂p at p",
            significant(float(at.clipped_grad[0]), 4),
            help="Exactly 0 wherever the clip is active.",
        )
        st.latex(
            r"\ell_\text{clip} = -\ln \operatorname{clip}(p,\ \varepsilon,\ 1-\varepsilon), \qquad "
            r"\ell_\text{torch} = -\max(\ln p,\ -100)"
        )
    point = clipping_comparison([p_point], eps=eps)
    l_col, g_col = st.columns(2, gap="medium")
    with l_col:
        show_figure(
            clipping_figure(clip, point=point, kind="loss"),
            key="pit_clip_loss_chart",
            alt="Loss for a true label against the predicted probability on a log axis: the exact minus "
            "log p keeps rising, the clipped loss is flat below epsilon, PyTorch's clamp is flat at 100.",
        )
    with g_col:
        show_figure(
            clipping_figure(clip, point=point, kind="gradient"),
            key="pit_clip_grad_chart",
            alt="Magnitude of the derivative of the loss with respect to p on log axes: the clipped loss has "
            "no gradient below epsilon.",
        )
    clip_rows = pd.DataFrame(
        {
            "way": ["exact −ln p", f"clipped, ε = {eps:.0e}", "PyTorch BCE (clamp at −100)"],
            f"loss at p = {p_point:.0e}": [
                significant(float(v[0])) for v in (at.exact, at.clipped, at.torch)
            ],
            f"∂ℓ/∂p at p = {p_point:.0e}": [
                significant(float(v[0])) for v in (at.exact_grad, at.clipped_grad, at.torch_grad)
            ],
            "loss at p = 0": [significant(float(v[1])) for v in (at.exact, at.clipped, at.torch)],
        }
    )
    st.dataframe(clip_rows, hide_index=True, width="stretch", key="pit_clip_table")
    st.markdown(
        "A popular web article on cross-entropy says the epsilon has “negligible effect”. That holds for p "
        "well above ε, but below ε the "
        f"clipped loss is stuck at −ln ε = {float(at.clipped[1]):.2f} nats, hiding −ln p − (−ln ε) of loss, "
        "and its gradient is **exactly zero**: a confidently wrong prediction gets no signal at all. "
        "PyTorch's `binary_cross_entropy` clamps the *log* at −100 instead (only p < e⁻¹⁰⁰ ≈ 3.7·10⁻⁴⁴ is "
        "affected) and floors p(1 − p) at 10⁻¹² in its gradient. The real fix is not to take the log of a "
        "probability: use `binary_cross_entropy_with_logits` / `cross_entropy` on logits."
    )


clipping_section()


# ---------------------------------------------------------------------------------- (c) BCE on softmax
@safe_fragment
def bce_softmax_section() -> None:
    """BCE on softmax outputs against cross-entropy, for logits the user sets."""
    st.header("3. Binary cross-entropy on softmax outputs: the wrong loss")
    c_controls, c_chart = st.columns([1, 2.4], gap="large")
    with c_controls:
        true_class = st.radio(
            "True class",
            range(4),
            format_func=lambda k: NAMES[k],
            horizontal=True,
            key="pit_t",
            bind="query-params",
        )
        z = np.array(
            [
                st.slider(
                    f"Logit z: {NAMES[k]}",
                    -10.0,
                    10.0,
                    DEFAULT_LOGITS[k],
                    step=0.1,
                    key=f"pit_z{k}",
                    bind="query-params",
                )
                for k in range(4)
            ]
        )
    ce_grad = cross_entropy_grad(z, true_class)
    bce_grad = bce_on_softmax_grad(z, true_class, reduction="sum")
    ce_loss = float(cross_entropy(z, true_class))
    bce_loss = float(bce_on_softmax(z, true_class, reduction="sum"))
    check = numerical_gradient(lambda v: float(bce_on_softmax(v, true_class, reduction="sum")), z)
    probs = softmax(z)
    with c_chart:
        m1, m2, m3 = st.columns(3)
        m1.metric(f"p({NAMES[true_class]})", f"{float(probs[true_class]):.4f}")
        m2.metric("Cross-entropy (nats)", f"{ce_loss:.4f}")
        m3.metric("BCE on softmax (nats)", f"{bce_loss:.4f}", help="Summed over the C classes.")
        show_figure(
            gradient_bars_figure(
                NAMES,
                {"CE: p − y (correct)": ce_grad, "BCE on softmax (wrong)": bce_grad},
                target=true_class,
                title="∂ℓ/∂z: cross-entropy vs BCE on softmax",
            ),
            key="pit_bce_chart",
            alt="Grouped bars per class of the cross-entropy gradient p minus y and the gradient of binary "
            "cross-entropy applied to softmax outputs, each labelled with its signed value.",
        )
    st.latex(
        r"\ell_\text{BCE∘softmax} = -\sum_c \left[y_c \log s_c + (1-y_c)\log(1-s_c)\right], \qquad "
        r"s = \operatorname{softmax}(z)"
    )
    st.latex(
        r"\frac{\partial \ell}{\partial z} = J_s^\top g, \qquad g_c = \frac{s_c - y_c}{s_c(1-s_c)}, \qquad "
        r"J_s = \operatorname{diag}(s) - s s^\top"
    )
    st.latex(
        r"\frac{\partial \ell_\text{BCE∘softmax}}{\partial z_t} = (s_t - 1) - s_t \sum_{c \ne t}"
        r"\frac{s_c}{1 - s_c} \qquad\text{vs.}\qquad \frac{\partial \ell_\text{CE}}{\partial z_t} = s_t - 1"
    )
    pushed_up = [NAMES[k] for k in range(4) if k != true_class and bce_grad[k] < 0]
    if pushed_up:
        up_text = (
            f" Worse, the wrong class{'es' if len(pushed_up) > 1 else ''} {', '.join(pushed_up)} get"
            f"{'' if len(pushed_up) > 1 else 's'} a **negative** gradient: BCE pushes "
            f"{'them' if len(pushed_up) > 1 else 'it'} *up*, which cross-entropy never does (its wrong-class "
            "entries are p_c > 0)."
        )
    else:
        up_text = ""
    st.markdown(
        "BCE asks C independent yes/no questions, but the softmax makes the classes compete: each extra "
        "−log(1 − s_c) term penalises one wrong class, and through the softmax every penalty moves all the "
        "logits, so the gradient is no longer the clean p − y. Here the true-class entry is "
        f"{signed(float(bce_grad[true_class]))} instead of {signed(float(ce_grad[true_class]))}."
        f"{up_text} (With two classes BCE on softmax is exactly "
        "2 × CE; with more it is a different loss.) The gradient comes from the chain rule through "
        "`core.softmax_jacobian`; finite differences agree to "
        f"{float(np.abs(check - bce_grad).max()):.1e}. For multi-label problems BCE is right, but on a "
        "**sigmoid** per class, not on a softmax."
    )


bce_softmax_section()


# -------------------------------------------------------------------------------- (d) MSE on sigmoid
@safe_fragment
def mse_sigmoid_section() -> None:
    """MSE on a sigmoid output against BCE, against the logit."""
    st.header("4. MSE on a sigmoid output: the gradient saturates")
    d_controls, d_text = st.columns([1, 2.4], gap="large")
    with d_controls:
        y = st.radio("Label y", (0, 1), index=1, horizontal=True, key="pit_y", bind="query-params")
        z0 = st.slider("Logit z", -10.0, 10.0, -6.0, step=0.1, key="pit_sz", bind="query-params")
    z_grid = np.linspace(-10.0, 10.0, 400)
    labels = np.full(z_grid.shape, float(y))
    mse = mse_on_sigmoid(z_grid, labels, reduction="none")
    mse_g = mse_on_sigmoid_grad(z_grid, labels, reduction="none")
    bce = binary_cross_entropy_with_logits(z_grid, labels, reduction="none")
    bce_g = binary_cross_entropy_with_logits_grad(z_grid, labels, reduction="none")
    at_mse = float(mse_on_sigmoid(z0, float(y)))
    at_mse_g = float(mse_on_sigmoid_grad(z0, float(y)))
    at_bce = float(binary_cross_entropy_with_logits(z0, float(y)))
    at_bce_g = float(binary_cross_entropy_with_logits_grad(z0, float(y)))
    with d_text:
        m1, m2, m3 = st.columns(3)
        m1.metric("σ(z)", f"{float(sigmoid(z0)):.4f}")
        m2.metric("MSE ∂ℓ/∂z", signed(at_mse_g, 6))
        m3.metric("BCE ∂ℓ/∂z", signed(at_bce_g, 6))
        st.latex(
            r"\ell_\text{MSE} = (\sigma(z) - y)^2,\quad \frac{\partial \ell_\text{MSE}}{\partial z} = "
            r"2(\sigma(z) - y)\,\sigma(z)(1-\sigma(z))"
        )
        st.latex(
            r"\ell_\text{BCE} = -y\log\sigma(z) - (1-y)\log(1-\sigma(z)),\quad "
            r"\frac{\partial \ell_\text{BCE}}{\partial z} = \sigma(z) - y"
        )
    MSE_NAME, BCE_NAME = "MSE (σ(z) − y)²", "BCE"

    def against_z(mse_values, bce_values, at_mse_value: float, at_bce_value: float, **options):
        """MSE's and BCE's ``*_values`` against the logit, their values at z0 marked."""
        return curves_figure(
            z_grid,
            {MSE_NAME: mse_values, BCE_NAME: bce_values},
            x_title="logit z",
            point_x=z0,
            point_values={MSE_NAME: at_mse_value, BCE_NAME: at_bce_value},
            point_label=f"z = {z0:.1f}",
            **options,
        )

    l_col, g_col = st.columns(2, gap="medium")
    with l_col:
        fig = against_z(
            mse, bce, at_mse, at_bce, title=f"Loss for y = {y}", y_title="loss (nats; MSE unitless)"
        )
        show_figure(
            fig,
            key="pit_mse_loss_chart",
            alt="MSE and binary cross-entropy of a sigmoid output against the logit.",
        )
    with g_col:
        fig = against_z(
            mse_g,
            bce_g,
            at_mse_g,
            at_bce_g,
            title=f"Gradient ∂ℓ/∂z for y = {y}",
            y_title="∂ℓ/∂z",
            zero_line=True,
        )
        show_figure(
            fig,
            key="pit_mse_grad_chart",
            alt="The gradients against the logit: MSE's goes to zero when the prediction is confidently "
            "wrong, BCE's stays near minus or plus one.",
        )
    wrong = (y == 1 and z0 < 0) or (y == 0 and z0 > 0)
    if wrong and abs(z0) >= 3:
        st.warning(
            f"Confidently wrong (σ(z) = {float(sigmoid(z0)):.4f} for y = {y}): BCE still pushes with "
            f"{signed(at_bce_g, 4)}, MSE only with {signed(at_mse_g, 6)}. The factor "
            "σ(z)(1 − σ(z)) has saturated, so the model barely moves exactly when it is most wrong.",
            icon=":material/warning:",
        )
    else:
        st.markdown(
            "Drag z to the wrong side (z < −3 for y = 1, z > 3 for y = 0) to see MSE's gradient vanish while "
            "BCE's stays near ±1. MSE's gradient is largest in the middle and dies at both ends; BCE's is "
            "σ(z) − y, which only vanishes when the prediction is right."
        )


mse_sigmoid_section()
