"""Loss comparison: CE, MSE, focal, hinge and label-smoothed CE side by side."""

import numpy as np
import pandas as pd
import streamlit as st

from core.comparison import (
    COMPARISON_LOSSES,
    comparison_curves,
    comparison_grid,
    imbalance_dataset,
    imbalance_shares,
)
from core.defaults import COMPARISON_GAMMA, COMPARISON_MARGIN, COMPARISON_P_TRUE, COMPARISON_SMOOTHING
from core.figures.comparison import imbalance_share_figure
from core.figures.curves import curves_figure, curves_point_frames
from core.formatting import signed
from core.functional import softmax
from ui.common import show_dataframe, show_figure
from ui.page import page_header
from ui.scrub import scrub_payload, scrubbed_chart, slider_values, track
from ui.sections import safe_fragment

P_KEY, GAMMA_KEY, MARGIN_KEY, EPS_KEY = "cmp_p", "cmp_gamma", "cmp_margin", "cmp_eps"
IMB_GAMMA_KEY = "cmp_imb_gamma"
LOSS_CHART, GRAD_CHART = "cmp_loss_chart", "cmp_grad_chart"
P_RANGE, P_STEP = (0.01, 0.99), 0.01
# Where each chart writes the curves' values at the operating point: a corner no curve reaches.
LOSS_READOUT, GRAD_READOUT = "top right", "bottom right"


P_VALUES = slider_values(*P_RANGE, P_STEP, 2)  # 0.01, 0.02, ..., 0.99


def loss_labels(gamma: float, margin: float, eps: float) -> dict[str, str]:
    """Each loss's name on the charts and in the table, with its parameter."""
    return {
        "cross_entropy": "CE",
        "mse": "MSE on probabilities",
        "focal": f"focal (γ = {gamma:g})",
        "hinge": f"hinge (margin {margin:g})",
        "label_smoothing": f"label-smoothed CE (ε = {eps:g})",
    }


def point_label(p: float) -> str:
    return f"p = {p:.2f}"


@st.cache_data(max_entries=64, show_spinner=False)
def _point_scrub(gamma: float, margin: float, eps: float) -> tuple[str, str]:
    """Both charts at every p_true, for a drag of the operating point (one pair per loss setting)."""
    at = comparison_curves(P_VALUES, gamma=gamma, margin=margin, label_smoothing=eps)
    labels = loss_labels(gamma, margin, eps)
    names = [point_label(p) for p in P_VALUES]
    return tuple(
        scrub_payload(
            P_VALUES,
            curves_point_frames(
                P_VALUES, {labels[k]: values[k] for k in COMPARISON_LOSSES}, names, readout=True
            ),
        )
        for values in (at.loss, at.grad)
    )


page_header(
    "Loss comparison",
    "Cross-entropy is the default classification loss, but not the only one. Here five losses are "
    "computed on the **same** prediction, so their shapes and, above all, their **gradients** can be "
    "compared directly. Move the operating point and the loss parameters and watch where each loss "
    "still pushes the model and where it gives up.",
)
st.caption(
    "All losses here are in **nats** (natural logarithm), as the frameworks compute them: MSE and hinge "
    "are not information quantities, so the sidebar's bits/nats choice does not apply on this page."
)


# ------------------------------------------------------------------------------------------ controls
@st.cache_data(max_entries=4096, show_spinner=False)
def _at_point(p: float, gamma: float, margin: float, eps: float) -> tuple[float, tuple, tuple]:
    """The logit z of p_true = p, and each loss and its gradient there (in COMPARISON_LOSSES' order)."""
    point = comparison_curves([p], gamma=gamma, margin=margin, label_smoothing=eps)
    return (
        float(point.logits[0, 0]),
        tuple(float(point.loss[k][0]) for k in COMPARISON_LOSSES),
        tuple(float(point.grad[k][0]) for k in COMPARISON_LOSSES),
    )


def _loss_settings() -> tuple[float, float, float]:
    """The losses' parameters (γ, margin, ε) as their sliders hold them."""
    return st.session_state[GAMMA_KEY], st.session_state[MARGIN_KEY], st.session_state[EPS_KEY]


@safe_fragment
def operating_point(slots: dict) -> None:
    """The operating-point slider and every number it moves (reruns alone; the charts follow in the browser).

    The setting's sentence, the table of the five losses and what to notice are written into ``slots``
    laid out by :func:`curves_section`.
    """
    gamma, margin, eps = _loss_settings()
    labels = loss_labels(gamma, margin, eps)
    p = track(
        P_KEY,
        st.slider(
            "Operating point: p_true",
            *P_RANGE,
            COMPARISON_P_TRUE,
            step=P_STEP,
            key=P_KEY,
            help="The probability the model gives the true class; marked on both charts and listed in the "
            "table.",
            bind="query-params",
        ),
    )
    p = round(p, 2)  # the slider's value, as the drag's frames name it
    z_point, losses, grads = _at_point(p, gamma, margin, eps)
    slots["setting"].markdown(
        "**The setting.** Two classes, class 0 the true one, logits **[z, 0]**, so p_true = σ(z). The charts "
        "show each loss and ∂ℓ/∂z, its derivative with respect to the **true-class logit**. The operating "
        f"point p_true = {p:.2f} is z = {z_point:.4f}."
    )
    with slots["table"].container():
        st.subheader(f"The five losses at p_true = {p:.2f}")
        show_dataframe(
            {"loss": [labels[k] for k in COMPARISON_LOSSES], "ℓ (nats)": losses, "∂ℓ/∂z_true": grads},
            hide_index=True,
            width="stretch",
            column_config={
                "ℓ (nats)": st.column_config.NumberColumn(format="%.4f"),
                "∂ℓ/∂z_true": st.column_config.NumberColumn(format="%+.4f"),
            },
            key="cmp_point_table",
        )
        notes = []
        if losses[COMPARISON_LOSSES.index("hinge")] == 0:
            notes.append(
                f"the hinge loss is **exactly 0** here: z = {z_point:.3f} already beats the other logit by "
                f"the margin {margin:g}, so it gives no gradient at all"
            )
        notes.append(
            f"label-smoothed CE is smallest at p_true = 1 − ε/2 = {1 - eps / 2:.3f}, not at 1: beyond it "
            "its gradient turns positive and pulls the logit back"
        )
        st.markdown("At this point " + "; ".join(notes) + ".")


def curves_section() -> None:
    """The four loss sliders, the loss and gradient charts and the operating-point table.

    Not a fragment itself: the operating point's fragment writes into slots laid out here, and Streamlit
    1.67 drops what a nested fragment wrote into its parent fragment's slots when the parent reruns
    (ui.sections).  So the losses' parameters rerun the page; the operating point reruns only its fragment.
    """
    # The losses' parameters on a row, then the operating point just above the charts it moves (on a
    # phone too, where the row stacks).
    c1, c2, c3 = st.columns(3)
    gamma = c1.slider(
        "Focal loss γ",
        0.0,
        5.0,
        COMPARISON_GAMMA,
        step=0.5,
        key=GAMMA_KEY,
        help="γ = 0 is plain cross-entropy.",
        bind="query-params",
    )
    margin = c2.slider(
        "Hinge margin", 0.0, 3.0, COMPARISON_MARGIN, step=0.1, key=MARGIN_KEY, bind="query-params"
    )
    eps = c3.slider(
        "Label smoothing ε", 0.0, 0.5, COMPARISON_SMOOTHING, step=0.01, key=EPS_KEY, bind="query-params"
    )
    setting_col, p_col = st.columns([2, 1], gap="large", vertical_alignment="center")
    slots = {"setting": setting_col.empty()}
    charts_row = st.container()
    latex_box = st.container()
    slots["table"] = st.empty()
    with p_col:
        operating_point(slots)

    LABELS = loss_labels(gamma, margin, eps)
    grid = comparison_grid()
    curves = comparison_curves(grid, gamma=gamma, margin=margin, label_smoothing=eps)
    edge = comparison_curves([float(grid[0])], gamma=gamma, margin=margin, label_smoothing=eps)

    def against_p_true(values: dict, which: str, p: float, **options):
        """Each loss's ``values`` against p_true, its ``which`` ("loss" or "grad") marked at p."""
        at_point = getattr(comparison_curves([p], gamma=gamma, margin=margin, label_smoothing=eps), which)
        return curves_figure(
            curves.p_true,
            {LABELS[k]: values[k] for k in COMPARISON_LOSSES},
            x_title="p_true = σ(z)",
            point_x=p,
            point_values={LABELS[k]: float(at_point[k][0]) for k in COMPARISON_LOSSES},
            point_label=point_label(p),
            legend_below=True,
            x_range=(0, 1),
            x_dtick=0.2,
            height=520,
            point_traces=True,  # the point, its line and the readout follow a drag of p (ui.scrub)
            **options,
        )

    loss_scrub, grad_scrub = _point_scrub(gamma, margin, eps)
    low = min(-1.0, min(float(g.min()) for g in curves.grad.values()))
    high = max(0.1, max(float(g.max()) for g in curves.grad.values()))

    left, right = charts_row.columns(2, gap="medium")
    with left:
        scrubbed_chart(
            lambda p: against_p_true(
                curves.loss,
                "loss",
                round(p, 2),
                title="Loss against the true-class probability",
                y_title="loss ℓ (nats)",
                y_range=(0, 5),
                readout_corner=LOSS_READOUT,
            ),
            key=LOSS_CHART,
            widget_key=P_KEY,
            payload=loss_scrub,
            alt="Five classification losses against the probability of the true class, with the operating "
            "point marked on each curve.",
        )
    with right:
        scrubbed_chart(
            lambda p: against_p_true(
                curves.grad,
                "grad",
                round(p, 2),
                title="Gradient with respect to the true-class logit",
                y_title="∂ℓ/∂z (nats per unit logit)",
                zero_line=True,
                notes=[
                    (0.03, float(edge.grad["cross_entropy"][0]) - 0.06, "CE → −1"),
                    (0.03, float(edge.grad["mse"][0]) + 0.06, "MSE → 0"),
                ],
                y_range=(low - 0.08, high + 0.08),
                readout_corner=GRAD_READOUT,
            ),
            key=GRAD_CHART,
            widget_key=P_KEY,
            payload=grad_scrub,
            alt="The derivative of each loss with respect to the true-class logit against the probability of "
            "the true class: cross-entropy tends to minus one as p goes to zero while MSE tends to zero.",
        )

    with latex_box:
        st.latex(
            r"\begin{array}{lll}"
            r"\text{loss} & \ell \text{ as a function of } p = \sigma(z) & \partial\ell/\partial z \\ \hline"
            r"\text{CE} & -\ln p & p - 1 \\"
            r"\text{MSE} & \textstyle\sum_c (p_c - y_c)^2 = 2(1-p)^2 & -4p(1-p)^2 \\"
            r"\text{focal} & -(1-p)^\gamma \ln p & (1-p)^\gamma\,[\gamma p \ln p - (1-p)] \\"
            r"\text{hinge} & \tfrac12 \max(0,\ \text{margin} - z)"
            r" & -\tfrac12 \ (z < \text{margin}),\ 0 \text{ else} \\"
            r"\text{smoothed CE} & -(1 - \tfrac{\varepsilon}{2}) \ln p - \tfrac{\varepsilon}{2} \ln(1 - p)"
            r" & p - (1 - \tfrac{\varepsilon}{2})"
            r"\end{array}"
        )
        st.caption(
            'Each loss is computed on the logit row [z, 0] with reduction="none", and its gradient by the '
            "loss's exact derivative (not by finite differences). "
            "With C = 2 classes: the hinge is PyTorch's multi_margin_loss, (1/C) Σ_{j≠y} max(0, margin − "
            "z_y + z_j); label smoothing is −Σ_c y′_c ln p_c with y′ = (1 − ε) y + ε/C."
        )

        ce_at_small = comparison_curves([0.001])
        ce_small = signed(float(ce_at_small.grad["cross_entropy"][0]), 4)
        mse_small = signed(float(ce_at_small.grad["mse"][0]), 4)
        st.info(
            "**The vanishing gradient of MSE.** When the model is confidently wrong (p_true → 0), "
            f"cross-entropy still pushes the true logit up with ∂ℓ/∂z → −1 (at p_true = 0.001: {ce_small}), "
            f"while MSE's gradient −4p(1 − p)² fades to 0 (at p_true = 0.001: {mse_small}): the "
            "sigmoid/softmax saturates and the squared error cannot undo it. That is exactly where learning "
            "is needed most.",
            icon=":material/trending_down:",
        )


curves_section()

# ---------------------------------------------------------------------------------- comparison table
st.header("How the losses compare")
st.markdown(
    "The comparison table of a popular web article on cross-entropy, with its slips fixed: the "
    "multi-class hinge is max(0, margin − z_y + z_j) summed over j ≠ y (not the binary max(0, 1 − y·f(x))), "
    "label-smoothed CE is −Σ y′_c log p_c with y′ = (1 − ε)y + ε/C (not −(1 − ε)log p − ε/C), and the "
    "reasons say why, not just how."
)
COMPARISON = pd.DataFrame(
    [
        {
            "Loss": "Cross-entropy",
            "Formula (one sample)": "−log p_y = −Σ_c y_c log p_c",
            "Imbalance": "Moderate: every sample counts alike; add class weights (weight=) or resample.",
            "Calibration": "Good in principle: a proper scoring rule, minimised by the true probabilities "
            "(big networks still end up over-confident).",
            "Stability": "Excellent from logits (log-sum-exp); fragile as log(softmax(z)).",
            "Gradients": "p − y: about −1 while the sample is badly wrong, → 0 only as p_y → 1.",
            "Best for": "Classification: the default choice.",
        },
        {
            "Loss": "MSE on probabilities",
            "Formula (one sample)": "Σ_c (p_c − y_c)²  (the Brier score)",
            "Imbalance": "Poor: no built-in mechanism.",
            "Calibration": "Fair: also a proper scoring rule, but its bounded penalty (at most 2) barely "
            "punishes confident mistakes, and the weak gradient makes the optimum slow to reach.",
            "Stability": "Excellent: bounded, no logarithms.",
            "Gradients": "Poor: through the softmax/sigmoid, ∂ℓ/∂z → 0 as p_y → 0 (confidently wrong).",
            "Best for": "Regression; the Brier score as an evaluation metric, not as a classifier's loss.",
        },
        {
            "Loss": "Focal",
            "Formula (one sample)": "−(1 − p_y)^γ log p_y",
            "Imbalance": "Good: down-weights easy, well-classified samples, so the many easy ones stop "
            "dominating; α adds class weights.",
            "Calibration": "Good in practice, not proper for γ > 0: its optimum is less confident than the "
            "truth, which counters over-confidence.",
            "Stability": "Good: from log-softmax, with 1 − p computed without cancellation.",
            "Gradients": "Strong on hard samples, near 0 on easy ones (by design).",
            "Best for": "Dense object detection (RetinaNet), severe imbalance with many easy negatives.",
        },
        {
            "Loss": "Hinge (multi-class)",
            "Formula (one sample)": "(1/C) Σ_{j≠y} max(0, margin − z_y + z_j)  (PyTorch multi_margin_loss)",
            "Imbalance": "Moderate: no built-in mechanism; class weights possible.",
            "Calibration": "None: works on raw scores and produces no probabilities.",
            "Stability": "Excellent: piecewise linear.",
            "Gradients": "Constant while a class violates the margin, exactly 0 once the true logit wins by "
            "the margin (not merely once it is correct).",
            "Best for": "SVMs, max-margin classifiers, when only the decision matters.",
        },
        {
            "Loss": "Label-smoothed CE",
            "Formula (one sample)": "−Σ_c y′_c log p_c,  y′ = (1 − ε) y + ε/C",
            "Imbalance": "Moderate: same as cross-entropy.",
            "Calibration": "Often better: it caps the confidence at p_y = 1 − ε + ε/C; the optimum is y′, "
            "not the true probabilities.",
            "Stability": "Excellent: same as cross-entropy (from logits).",
            "Gradients": "p − y′: zero only at p = y′, so logits stay finite; the loss floor is H(y′) > 0.",
            "Best for": "Large-scale classification (ImageNet, translation); a poor choice for "
            "distillation teachers.",
        },
    ]
)
st.table(COMPARISON.set_index("Loss"))

use_col, avoid_col = st.columns(2, gap="large")
with use_col:
    st.subheader("Use cross-entropy when…")
    st.markdown(
        "- you train a single-label classifier with a softmax (or a sigmoid for two classes): the default;\n"
        "- you want probabilities: it is a proper scoring rule (still check calibration, e.g. with "
        "temperature scaling);\n"
        "- the class imbalance is mild to moderate (class weights handle more);\n"
        "- you need a gradient that stays large while a sample is wrong: p − y."
    )
with avoid_col:
    st.subheader("Consider something else when…")
    st.markdown(
        "- the imbalance is severe with many easy samples: focal loss, class weights or resampling;\n"
        "- you need a max-margin decision and no probabilities: hinge loss;\n"
        "- the model is over-confident: label smoothing (or temperature scaling after training);\n"
        "- several classes can be true at once (multi-label): a sigmoid and binary cross-entropy per "
        "class, not softmax cross-entropy;\n"
        "- the target is a number (regression): MSE or MAE."
    )


# ------------------------------------------------------------------------------------- imbalance demo
@safe_fragment
def imbalance_section() -> None:
    """The 95/5 data set: each class's share of the loss and of the gradient, with its own focal γ."""
    st.header("Class imbalance: who gets the loss and the gradient?")
    intro_col, gamma_col = st.columns([3, 1], gap="large")
    gamma = gamma_col.slider(
        "Focal loss γ (this demo)",
        0.0,
        5.0,
        2.0,
        step=0.5,
        key=IMB_GAMMA_KEY,
        help="γ = 0 is plain cross-entropy; larger γ shrinks the loss of easy samples more.",
        bind="query-params",
    )
    logits, target = imbalance_dataset()
    shares = imbalance_shares(logits, target, gamma=gamma)
    counts = shares.counts
    p_true_all = softmax(logits)[np.arange(len(target)), target]
    intro_col.markdown(
        f"A fixed data set (seed 0) of **{counts[0]} majority** samples (class 0), mostly easy (mean "
        f"p_true = {p_true_all[target == 0].mean():.3f}), and **{counts[1]} minority** samples (class 1), "
        f"hard (mean p_true = {p_true_all[target == 1].mean():.3f}). For each loss, the bars show each "
        "class's share of the summed per-sample loss and of the summed per-sample gradient norm ‖∂ℓᵢ/∂zᵢ‖, "
        f"which decides where training moves the model. Focal loss uses γ = {gamma:g}; the class weights "
        f"are the inverse frequencies n/(C·n_c) = {shares.weights[0]:.4f} and {shares.weights[1]:.4f}."
    )
    METHOD_LABELS = {
        "cross_entropy": "plain CE",
        "weighted": "class-weighted CE",
        "focal": f"focal (γ = {gamma:g})",
    }
    methods = [METHOD_LABELS[m] for m in shares.methods]
    show_figure(
        imbalance_share_figure(
            methods,
            [f"majority ({counts[0]})", f"minority ({counts[1]})"],
            shares.loss_share,
            shares.grad_share,
        ),
        key="cmp_imbalance_chart",
        alt="Grouped bars: the share of the total loss and of the total gradient that the majority and the "
        "minority class get under plain, class-weighted and focal cross-entropy.",
    )
    math_col, table_col = st.columns([2, 3], gap="large")
    with math_col:
        st.latex(
            r"L_c = \sum_{i:\,t_i = c} \ell_i, \qquad G_c = \sum_{i:\,t_i = c}"
            r" \left\lVert \frac{\partial \ell_i}{\partial z_i} \right\rVert_2"
        )
        st.latex(r"\text{share}_c = \frac{L_c}{\sum_k L_k}")
        st.markdown("and likewise for the gradient shares, with $G_c$ in place of $L_c$.")
    with table_col:
        numbers = pd.DataFrame(
            {
                "loss": methods,
                "minority loss share": 100 * shares.loss_share[:, 1],
                "minority gradient share": 100 * shares.grad_share[:, 1],
                "total loss": shares.loss_total.sum(axis=1),
            }
        )
        st.dataframe(
            numbers,
            hide_index=True,
            width="stretch",
            column_config={
                "minority loss share": st.column_config.NumberColumn(format="%.1f %%"),
                "minority gradient share": st.column_config.NumberColumn(format="%.1f %%"),
                "total loss": st.column_config.NumberColumn("total loss (nats)", format="%.3f"),
            },
            key="cmp_imbalance_table",
        )
        plain, weighted, focal = (shares.grad_share[i, 0] for i in range(3))
        if gamma > 0:
            focal_text = (
                f"focal loss gets to **{100 * focal:.1f}%** without knowing the classes, by shrinking every "
                "easy sample's loss by (1 − p)^γ."
            )
        else:
            focal_text = "with γ = 0 focal loss is plain CE: raise γ to see it shift the gradient."
        st.markdown(
            f"With plain CE the {counts[0]} easy majority samples still steer **{100 * plain:.1f}%** of the "
            f"gradient, simply because there are so many of them. Class weights cut that to "
            f"**{100 * weighted:.1f}%**; " + focal_text
        )


imbalance_section()
