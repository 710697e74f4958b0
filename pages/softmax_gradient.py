"""Softmax gradient: ∂L/∂z = s − y through the softmax Jacobian, term by term, and a common slip in it."""

import math

import numpy as np
import streamlit as st

from core.defaults import DEFAULT_CLASS_NAMES, SOFTMAX_GRADIENT_CLASSES, SOFTMAX_GRADIENT_LOGITS
from core.figures.matrices import LABELLED_COLUMNS, difference_heatmap, matrix_heatmap
from core.figures.softmax_gradient import (
    chain_rule_check_figure,
    chain_rule_cost_figure,
    softmax_jacobian_figure,
    softmax_jacobian_frames,
)
from core.formatting import compact, human_bytes, scientific, subscript, tex_number
from core.information import surprise
from core.jacobians import SoftmaxChain, chain_rule_cost, softmax_cross_entropy_chain
from ui.common import process_cache, show_figure, show_shared_figure, show_table, units
from ui.page import page_header
from ui.scrub import follow_drag, scrub_payload, slider_values
from ui.sections import metric_row, open_tab, safe_fragment
from words.lessons_gradients import RESET_LABEL
from words.sources import FOUR_LAYER_NOTES, capital

MIN_CLASSES, MAX_CLASSES, DEFAULT_CLASSES = 3, 6, SOFTMAX_GRADIENT_CLASSES
CLASS_NAMES = DEFAULT_CLASS_NAMES[:MAX_CLASSES]  # the app's class names (Cat, Dog, Bird, Fish, ...)
DEFAULT_LOGITS = SOFTMAX_GRADIENT_LOGITS  # the first four are the multi-class page's default
LOGIT_RANGE, LOGIT_STEP = (-8.0, 8.0), 0.1
LOGIT_VALUES = slider_values(*LOGIT_RANGE, LOGIT_STEP, 1)  # -8.0, -7.9, ..., 8.0
JACOBIAN_KEY = "sgrad_jacobian"
COST_CLASSES = (10, 1000, 50_000)

KEY_CLASSES, KEY_TRUE = "sgrad_classes", "sgrad_true"


def logit_key(k: int) -> str:
    return f"sgrad_z{k + 1}"


@process_cache(maxsize=4096)
def chain_at(logits: tuple[float, ...], t: int) -> SoftmaxChain:
    """The chain at these logits, shared by every session: the numerical Jacobian is most of a rerun.

    Kept per process and handed out as it is (never written to): ``st.cache_data`` would hash the key and
    unpickle a copy of the arrays on every rerun.
    """
    return softmax_cross_entropy_chain(np.array(logits), t)


@process_cache(maxsize=256)  # one text per setting of the other logits, shared by every session
def _jacobian_scrub(held: tuple[float, ...], t: int) -> str:
    """The Jacobian at every value of logit ``t``'s slider, the other logits as in ``held``, for ui.scrub.

    ``held`` has 0 at ``t``, so dragging and releasing the true class's logit leaves its sweep cached.
    """
    return scrub_payload(LOGIT_VALUES, softmax_jacobian_frames(held, t, LOGIT_VALUES))


def reset_logits() -> None:
    for k in range(MAX_CLASSES):
        st.session_state[logit_key(k)] = DEFAULT_LOGITS[k]
    st.session_state[KEY_CLASSES] = DEFAULT_CLASSES
    st.session_state[KEY_TRUE] = 0


SECTIONS = (  # the derivation, one tab each: only the open one is drawn
    "1 · The Jacobian",
    "2 · Sparse ∂L/∂s",
    "3 · The product",
    "4 · Three routes to s − y",
    "5 · Numerical Jacobian",
    "6 · Why J is never built",
)
KEY_SECTION = "sgrad_section"


page_header(
    "Softmax gradient",
    "The gradient of softmax cross-entropy with respect to the logits is **s − y**. Here it is derived "
    "the long way, as course notes do: the chain rule multiplies the sparse ∂L/∂s by the softmax "
    "Jacobian ∂s/∂z, and almost everything cancels. Move the logits and watch every factor.",
)

# The number of classes, the true class and the reset change what every section shows: a change reruns
# the whole page.  The logits rerun only the fragment below (see explorer()).
st.subheader("Logits and true class")
classes_col, true_col, reset_col = st.columns([1, 1.5, 1.1], gap="large", vertical_alignment="bottom")
n_classes = classes_col.slider(
    "Number of classes C", MIN_CLASSES, MAX_CLASSES, DEFAULT_CLASSES, key=KEY_CLASSES, bind="query-params"
)
if st.session_state.get(KEY_TRUE, 0) >= n_classes:
    st.session_state[KEY_TRUE] = 0
names = [f"{k + 1} · {CLASS_NAMES[k]}" for k in range(n_classes)]
true_col.radio(
    "True class t",
    range(n_classes),
    index=0,
    format_func=lambda k: names[k],
    horizontal=True,
    key=KEY_TRUE,
    bind="query-params",
)
reset_col.button(RESET_LABEL, on_click=reset_logits, key="sgrad_reset")


# Each section of the derivation comes in two parts.  Its layout (``*_layout``) runs with the page: the
# formulas, the prose and the charts that no logit moves, and a slot for each number or
# chart that a logit moves.  Its numbers (``*_numbers``) run in the logits' fragment and fill those slots:
# a slider move sends only what it changes (each element sent is server work, for every student).


def jacobian_layout(n_classes: int, t: int) -> dict:
    left, right = st.columns(2, gap="large")
    with left:
        st.latex(
            r"\frac{\partial s_i}{\partial z_k} = s_i(\delta_{ik} - s_k) = "
            r"\begin{cases} s_i(1 - s_i) & i = k \\ -\,s_i\, s_k & i \neq k \end{cases}"
        )
        st.latex(r"J = \operatorname{diag}(s) - s s^\top")
        st.markdown(
            "The Jacobian is drawn above, next to the logits. The diagonal is positive (raising z_i raises "
            "s_i), every off-diagonal entry is negative (raising z_k takes probability from every other "
            "class), J is symmetric, and each row and column sums to 0 because the probabilities always "
            "sum to 1."
        )
    return {"slip": right.empty()}


def jacobian_numbers(chain, s, t: int, tick_s: list[str], tick_z: list[str], slots: dict) -> None:
    i, k = 0, 1
    si, sk = subscript(i + 1), subscript(k + 1)
    slots["slip"].warning(
        f"**A common slip.** {capital(FOUR_LAYER_NOTES)} write the off-diagonal entries as −S_i S_i; the "
        f"correct entry is **−s_i s_k**. At these logits ∂s{si}/∂z{sk} = −s{si} s{sk} = "
        f"{compact(float(chain.jacobian[i, k]))} (the numerical Jacobian gives "
        f"{compact(float(chain.numerical_jacobian[i, k]))}), while −s{si} s{si} would be "
        f"{compact(float(-s[i] * s[i]))}.",
        icon=":material/error:",
    )


def sparse_layout(n_classes: int, t: int) -> dict:
    left, right = st.columns([1, 1.3], gap="large")
    with left:
        st.latex(r"L = -\sum_i y_i \log s_i = -\log s_t")
        st.latex(
            r"\frac{\partial L}{\partial s_i} = -\frac{y_i}{s_i} = "
            r"\begin{cases} -1/s_t & i = t \\ 0 & i \neq t \end{cases}"
        )
        slots = {"text": st.empty()}
    slots["chart"] = right  # the chart column itself (the fragment's writes are appended to it)
    return slots


def sparse_numbers(chain, s, t: int, tick_s: list[str], tick_z: list[str], slots: dict) -> None:
    s_t, n_classes = float(s[t]), len(s)
    slots["text"].markdown(
        f"Only the true class **{t + 1} · {CLASS_NAMES[t]}** enters the loss, so ∂L/∂s has one "
        f"non-zero entry: −1/s_t = −1/{s_t:.3g} = **{compact(float(chain.dloss_dprobs[t]))}**. "
        f"The other {n_classes - 1} entries are exactly 0."
    )
    dl_ds = chain.dloss_dprobs
    with slots["chart"]:
        show_figure(
            matrix_heatmap(
                dl_ds,
                title="∂L/∂s: one non-zero entry",
                row_label="",
                col_label="probability s_i",
                row_names=["∂L/∂s"],
                col_names=tick_s,
                scientific=bool(np.abs(dl_ds).max() >= 1e4),
                digits=2 if np.abs(dl_ds).max() >= 1e4 else 3,
                show_scale=False,
                height=230,
                value_name="∂L/∂s_i",
            ),
            key="sgrad_dl_ds",
            alt="A row of the partial derivatives of the loss with respect to the probabilities: zero "
            "everywhere except −1/s_t at the true class.",
        )


def product_layout(n_classes: int, t: int) -> dict:
    left, right = st.columns([1, 1.3], gap="large")
    with left:
        st.markdown(
            "The chain rule multiplies the row vector ∂L/∂s by the Jacobian: term (i, k) of the product is "
            "(∂L/∂s_i)(∂s_i/∂z_k), and column k sums to ∂L/∂z_k. Because ∂L/∂s is zero except at t, "
            f"every row except row t = {t + 1} is zero: of the {n_classes * n_classes} terms only "
            f"{n_classes} survive, and in each of them s_t cancels."
        )
    slots = {"chart": right}
    st.latex(
        r"\begin{aligned}\frac{\partial L}{\partial z_k} &= \sum_i \frac{\partial L}{\partial s_i}"
        r"\frac{\partial s_i}{\partial z_k}"
        r" = \frac{\partial L}{\partial s_t}\frac{\partial s_t}{\partial z_k}"
        r" + \sum_{i \neq t} 0 \cdot \frac{\partial s_i}{\partial z_k} \\"
        r"&= \Big(-\frac{1}{s_t}\Big)\, s_t(\delta_{tk} - s_k) = s_k - \delta_{tk}\end{aligned}"
    )
    slots["terms"] = st.empty()
    slots["result"] = st.empty()
    return slots


def product_numbers(chain, s, t: int, tick_s: list[str], tick_z: list[str], slots: dict) -> None:
    s_t, n_classes = float(s[t]), len(s)
    with slots["chart"]:
        show_figure(
            matrix_heatmap(
                chain.terms,
                title="Terms (∂L/∂s_i)(∂s_i/∂z_k)",
                row_label="term from s_i (row i)",
                col_label="logit z_k; column sums to ∂L/∂z_k",
                row_names=[f"{name} (true)" if i == t else name for i, name in enumerate(tick_s)],
                col_names=tick_z,
                scientific=bool(np.abs(chain.terms).max() >= 1e4),
                digits=2 if np.abs(chain.terms).max() >= 1e4 else 3,
                text_size=16 if n_classes <= 4 else 14,
                value_name="(∂L/∂s_i)(∂s_i/∂z_k)",
            ),
            key="sgrad_terms",
            alt="Heatmap of the C by C products of ∂L/∂s_i and ∂s_i/∂z_k: every row but the true class's "
            "is zero, and each column sums to s_k − y_k.",
        )
    rows = []
    for k in range(n_classes):
        delta = 1 if k == t else 0
        rows.append(
            rf"\frac{{\partial L}}{{\partial z_{{{k + 1}}}}} &= \Big(-\frac{{1}}{{{tex_number(s_t)}}}\Big)"
            rf"\cdot {tex_number(s_t)}\,({delta} - {tex_number(float(s[k]))}) + 0"
            rf"&&= {tex_number(float(s[k]))} - {delta} = {tex_number(float(chain.chain[k]), sign=True)}"
        )
    slots["terms"].latex(r"\begin{aligned}" + r"\\[2pt]".join(rows) + r"\end{aligned}")
    slots["result"].latex(
        r"\frac{\partial L}{\partial z} = s - y = ("
        + ",\\ ".join(tex_number(float(v), sign=True) for v in chain.chain)
        + ")"
    )


def check_layout(n_classes: int, t: int) -> dict:
    slots = {"checks": st.empty()}
    st.caption(
        "s − y comes from `core.cross_entropy_grad`, the shortcut every framework uses; the numerical "
        "Jacobian from `core.numerical_jacobian` applied to `core.softmax` (central differences, ε = 10⁻⁶), "
        "drawn in the next tab."
    )
    left, right = st.columns([1.2, 1], gap="large")
    slots["chart"], slots["table"] = left, right.empty()
    return slots


def check_numbers(chain, s, t: int, tick_s: list[str], tick_z: list[str], slots: dict) -> None:
    n_classes = len(s)
    row = metric_row(slots["checks"])
    row.metric("max |Jᵀ∂L/∂s − (s − y)|", scientific(chain.chain_max_abs_diff))
    row.metric("max |J − numerical J|", scientific(chain.jacobian_max_abs_diff))
    row.metric("max |(numerical J)ᵀ∂L/∂s − (s − y)|", scientific(chain.numerical_max_abs_diff))
    with slots["chart"]:
        show_figure(
            chain_rule_check_figure(
                chain.grad,
                chain.chain,
                chain.chain_numerical,
                class_names=[f"{k + 1} {CLASS_NAMES[k]}" for k in range(n_classes)],
                target=t,
            ),
            key="sgrad_check",
            alt="Bar chart of s − y per class, negative only for the true class, with markers showing that "
            "the products with the analytic and the numerical Jacobian land on the same values.",
        )
    table = {
        "class": [f"{k + 1} · {CLASS_NAMES[k]}" + (" (true)" if k == t else "") for k in range(n_classes)],
        "s_k": [f"{v:.3f}" for v in s],
        "y_k": [str(int(v)) for v in chain.target],
        "Jᵀ∂L/∂s": [compact(float(v)) for v in chain.chain],
        "numerical": [compact(float(v)) for v in chain.chain_numerical],
        "s − y": [compact(float(v)) for v in chain.grad],
    }
    with slots["table"]:
        show_table(table, index="class")


def numerical_layout(n_classes: int, t: int) -> dict:
    st.markdown(
        "The same Jacobian without calculus: nudge each logit by ±ε (ε = 10⁻⁶) and measure how every "
        "s_i moves (central differences). It agrees with diag(s) − ssᵀ to rounding."
    )
    left, right = st.columns(2, gap="large")
    return {"numerical": left, "difference": right}


def numerical_numbers(chain, s, t: int, tick_s: list[str], tick_z: list[str], slots: dict) -> None:
    n_classes = len(s)
    jacobian_axes = {
        "row_label": "output s_i",
        "col_label": "logit z_k",
        "row_names": tick_s,
        "col_names": tick_z,
    }
    with slots["numerical"]:
        show_figure(
            matrix_heatmap(
                chain.numerical_jacobian,
                title="Numerical Jacobian (central differences)",
                **jacobian_axes,
                text_size=16 if n_classes <= 4 else 12,
                value_name="numerical ∂s_i/∂z_k",
            ),
            key="sgrad_jac_numerical",
            alt="Annotated heatmap of the softmax Jacobian computed by central differences; it matches the "
            "analytic one to the digits shown.",
        )
    with slots["difference"]:
        show_figure(
            difference_heatmap(
                chain.jacobian - chain.numerical_jacobian,
                title="Analytic − numerical Jacobian",
                **jacobian_axes,
                text_size=14,
            ),
            key="sgrad_jac_diff",
            alt="Heatmap of the analytic minus the numerical softmax Jacobian: every entry is a rounding "
            "error below 1e-8.",
        )
        if n_classes > LABELLED_COLUMNS:
            st.caption(
                f"With more than {LABELLED_COLUMNS} classes the cells are too small for labels: "
                "hover for the values."
            )


def cost_layout(n_classes: int, t: int) -> dict:
    """The cost of the long way: it depends on C alone, so no logit reruns it (no slots)."""
    left, right = st.columns([1, 1.2], gap="large")
    with left:
        st.markdown(
            "The derivation closes with the point that matters in practice: ∂L/∂s is **one-hot-sparse**, so "
            "of the C × C terms in the product only the C of row t are non-zero, and those collapse to "
            "s − y. Building the Jacobian costs C² numbers and C² multiply-adds; the shortcut costs one "
            "subtraction per class, **O(C) instead of O(C²)** (the softmax s is needed either way). "
            "Frameworks fuse softmax and cross-entropy into one operation for exactly this reason, and for "
            "numerical stability."
        )
        st.markdown(
            "A language model with a 50,000-word vocabulary would need a 20 GB Jacobian per token to take "
            "the long way; s − y needs 50,000 subtractions."
        )
    with right:
        grid = np.unique(np.round(np.logspace(0, math.log10(100_000), 60)).astype(int))
        grid = np.union1d(grid, COST_CLASSES)
        grid_costs = [chain_rule_cost(int(c)) for c in grid]
        show_figure(
            chain_rule_cost_figure(
                grid,
                [c.product_multiply_adds for c in grid_costs],
                [c.shortcut_operations for c in grid_costs],
                marked=COST_CLASSES,
            ),
            key="sgrad_cost",
            alt="Log-log plot: the Jacobian route grows as C squared, the shortcut s − y as C; at 50,000 "
            "classes the Jacobian route needs 2.5 billion multiply-adds.",
        )
    classes = sorted({n_classes, *COST_CLASSES})
    costs = [chain_rule_cost(c) for c in classes]
    show_table(
        {
            "classes C": [
                f"{c.classes:,}" + (" (this page)" if c.classes == n_classes else "") for c in costs
            ],
            "Jacobian entries C²": [f"{c.jacobian_entries:,}" for c in costs],
            "Jacobian memory (float64)": [human_bytes(c.jacobian_bytes) for c in costs],
            "multiply-adds ∂L/∂s · J": [f"{c.product_multiply_adds:,}" for c in costs],
            "shortcut s − y (operations)": [f"{c.shortcut_operations:,}" for c in costs],
            "ratio": [f"{c.ratio:,.0f}×" for c in costs],
        },
        index="classes C",
    )
    return {}


def cost_numbers(chain, s, t: int, tick_s: list[str], tick_z: list[str], slots: dict) -> None:
    """Nothing: no number of the cost section moves with the logits."""


LAYOUT_SECTION = (jacobian_layout, sparse_layout, product_layout, check_layout, numerical_layout, cost_layout)
FILL_SECTION = (
    jacobian_numbers,
    sparse_numbers,
    product_numbers,
    check_numbers,
    numerical_numbers,
    cost_numbers,
)


@safe_fragment
def logits(n_classes: int, t: int, section: int, slots: dict) -> None:
    """The logits' sliders and everything they move, written into ``slots`` laid out by :func:`explorer`.

    Reruns alone when a logit moves: the three metrics, the Jacobian and the open section's numbers.
    """
    z = tuple(
        st.slider(
            f"z{subscript(k + 1)}  ({CLASS_NAMES[k]})",
            *LOGIT_RANGE,
            DEFAULT_LOGITS[k],
            step=LOGIT_STEP,
            format="%.1f",
            key=logit_key(k),
            bind="query-params",
        )
        for k in range(n_classes)
    )

    chain = chain_at(z, t)
    s, s_t = chain.probs, float(chain.probs[t])
    tick_s = [f"s{subscript(i + 1)}" for i in range(n_classes)]
    tick_z = [f"z{subscript(k + 1)}" for k in range(n_classes)]
    unit = units()
    loss_shown = float(surprise(s_t, base=2)) if unit == "bits" else chain.loss

    row = metric_row(slots["metrics"])
    row.metric(f"s_t, probability of class {t + 1}", f"{s_t:.3f}" if s_t >= 1e-3 else scientific(s_t, 2))
    row.metric(f"Loss L = −log s_t ({unit})", f"{loss_shown:.4f}")
    row.metric("∂L/∂s_t = −1/s_t", compact(float(chain.dloss_dprobs[t])))
    with slots["jacobian"]:
        show_shared_figure(  # the same for every student at these logits (the Jacobian does not depend on t)
            lambda: softmax_jacobian_figure(chain.jacobian),
            share=z,
            key=JACOBIAN_KEY,
            alt="Annotated heatmap of the softmax Jacobian: positive diagonal s_i(1 − s_i), negative "
            "off-diagonal entries −s_i s_k.",
        )
        # While the true class's logit is dragged, the Jacobian follows the thumb (ui.scrub).
        held = tuple(0.0 if k == t else v for k, v in enumerate(z))
        follow_drag(JACOBIAN_KEY, logit_key(t), _jacobian_scrub(held, t), redraw=True)
    FILL_SECTION[section](chain, s, t, tick_s, tick_z, slots)


def explorer() -> None:
    """The logits, the Jacobian beside them, and the open section of the derivation.

    Not a fragment itself: the logits' fragment writes into slots laid out here, and Streamlit 1.67 drops
    what a nested fragment wrote into its parent fragment's slots when the parent reruns (ui.sections).
    The formulas, the prose and the tabs are drawn here, once per page run; a logit's move reruns
    :func:`logits` alone, which sends only the numbers and charts that move.  Opening a tab reruns the page.
    """
    n_classes, t = st.session_state[KEY_CLASSES], st.session_state[KEY_TRUE]
    controls, main = st.columns([1, 2.2], gap="large")
    # A chart's slot is its column itself: the fragment's chart and CSV button are appended to it as the
    # column's own elements, which the phone layout (ui.frame.SCREEN_CSS) reorders around the chart.
    slots = {"metrics": main.empty(), "jacobian": main}
    section, panel = open_tab(SECTIONS, key=KEY_SECTION)
    with panel:
        slots.update(LAYOUT_SECTION[section](n_classes, t))
    with controls:
        logits(n_classes, t, section, slots)


explorer()
