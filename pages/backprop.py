"""Backpropagation: a 4-layer network stepped through forward and backward, one stage at a time."""

import streamlit as st

from core.defaults import (
    BACKPROP_BATCH,
    BACKPROP_CLASSES,
    BACKPROP_FEATURES,
    BACKPROP_HIDDEN,
    BACKPROP_N_LAYERS,
    BACKPROP_SEED,
)
from core.figures.backprop import backprop_stage_figure, batch_points_figure
from core.figures.matrices import grid_height
from core.formatting import times_ten
from core.minibatch import blobs_and_network
from core.mlp import ACTIVATIONS, mlp_gradcheck
from ui.common import process_cache, show_figure, show_table, units
from ui.page import page_header
from ui.scrub import figure_sweep, scrubbed_chart, track
from ui.sections import safe_fragment
from words.backprop import Stage, backprop_stages
from words.sources import FOUR_LAYER_NOTES, capital

BATCH = BACKPROP_BATCH  # (min, max, default) of each size slider: small enough for readable heatmaps
FEATURES = BACKPROP_FEATURES
HIDDEN = BACKPROP_HIDDEN
CLASSES = BACKPROP_CLASSES
SEED_MAX = 999
N_LAYERS = BACKPROP_N_LAYERS  # D → H → H → H → C
N_STAGES = 3 * N_LAYERS  # N forward stages, then δᴺ, and ∇W/∇b plus one δ per layer below
ACTIVATION_NAMES = {"relu": "ReLU", "tanh": "tanh", "sigmoid": "sigmoid", "leaky_relu": "leaky ReLU (0.01)"}
KEY_STAGE = "backprop_stage"
SETTING_KEYS = ("backprop_b", "backprop_d", "backprop_h", "backprop_c", "backprop_act", "backprop_seed")
GRADCHECK_TOLERANCE = 1e-6
STAGES = tuple(range(1, N_STAGES + 1))


def step_stage(delta: int) -> None:
    """Move the stage slider by one (the prev/next buttons); clamp to the first and last stage."""
    current = int(st.session_state.get(KEY_STAGE, 1))
    st.session_state[KEY_STAGE] = min(N_STAGES, max(1, current + delta))


def layer_sizes(features: int, hidden: int, classes: int) -> list[int]:
    """D → H → … → H → C: N_LAYERS layers."""
    return [features] + [hidden] * (N_LAYERS - 1) + [classes]


@st.cache_data(show_spinner=False, max_entries=64)
def compute_stages(batch: int, features: int, hidden: int, classes: int, activation: str, seed: int):
    """The batch, the network's sizes and every stage (pure; a few milliseconds)."""
    X, y, net = blobs_and_network(
        layer_sizes(features, hidden, classes), batch, activation=activation, seed=seed
    )
    stages = backprop_stages(net, X, y)
    return X, y, stages, net.n_params, net.loss_value(X, y)


@process_cache(maxsize=1024)  # a dict look-up per step, shared by every session (never written to)
def compute_stage(
    batch: int, features: int, hidden: int, classes: int, activation: str, seed: int, number: int
) -> Stage:
    """Stage ``number`` (1-based) alone: what a step of the stepper needs, without copying all twelve."""
    return compute_stages(batch, features, hidden, classes, activation, seed)[2][number - 1]


@st.cache_data(show_spinner="Checking every parameter against finite differences…", max_entries=64)
def compute_gradcheck(batch: int, features: int, hidden: int, classes: int, activation: str, seed: int):
    """Max relative error per parameter, backprop against central differences (two forwards per entry)."""
    X, y, net = blobs_and_network(
        layer_sizes(features, hidden, classes), batch, activation=activation, seed=seed
    )
    errors = mlp_gradcheck(net, X, y)
    _, grads = net.loss_and_grads(X, y)
    return (
        errors,
        {name: float(abs(g).max()) for name, g in grads.items()},
        {n: p.shape for n, p in net.params.items()},
    )


page_header(
    "Backpropagation",
    "A four-layer network, **D → H → H → H → C** with a ReLU (or another activation) after each hidden "
    "layer, reads a small batch of labelled points. Step through the forward pass and then backward: "
    "every stage shows its formula, the actual matrices with their shapes, and the dimension check of "
    "each product. At the end every gradient is checked against finite differences.",
)

with st.container(border=True):
    # The network's sizes, then the batch size last: on a phone, where the row stacks, B sits just above
    # the batch it draws.
    c_d, c_h, c_c, c_act, c_seed, c_b = st.columns([1, 1, 1, 1.2, 0.8, 1])
    features = c_d.slider(
        "Input features D", *FEATURES[:2], FEATURES[2], key="backprop_d", bind="query-params"
    )
    hidden = c_h.slider("Hidden width H", *HIDDEN[:2], HIDDEN[2], key="backprop_h", bind="query-params")
    classes = c_c.slider("Classes C", *CLASSES[:2], CLASSES[2], key="backprop_c", bind="query-params")
    activation = c_act.selectbox(
        "Activation σ",
        ACTIVATIONS,
        index=0,
        format_func=ACTIVATION_NAMES.get,
        key="backprop_act",
        bind="query-params",
    )
    seed = c_seed.number_input(
        "Seed", 0, SEED_MAX, BACKPROP_SEED, step=1, key="backprop_seed", bind="query-params"
    )
    batch = c_b.slider("Batch size B", *BATCH[:2], BATCH[2], key="backprop_b", bind="query-params")

X, y, stages, n_params, loss = compute_stages(batch, features, hidden, classes, activation, int(seed))
sizes = layer_sizes(features, hidden, classes)

left, right = st.columns([1, 1.3], gap="large")
with left:
    title = "The batch (features 1 and 2)" if features > 2 else "The batch: B labelled points"
    show_figure(
        batch_points_figure(X, y, title=title),
        key="backprop_batch",
        alt=f"Scatter plot of the {batch} input points, one marker shape and colour per class.",
    )
with right:
    st.markdown(
        f"**The network** (row-vector convention: one example per row):  \n"
        f"D → H → H → H → C = {' → '.join(str(n) for n in sizes)}, "
        f"{n_params} parameters, {ACTIVATION_NAMES[activation]} after the three hidden layers, "
        "the last layer linear (the logits)."
    )
    st.markdown(
        f"**The input** X is B × D = {batch} × {features}: {batch} points from {classes} Gaussian clouds "
        f"(`core.gaussian_blobs`, seed {int(seed)}), one row per example; Y holds their classes one-hot. "
        "Weights are He-initialised (Glorot for tanh and sigmoid), biases small random numbers, so that "
        "the bias terms are visible."
    )
    m1, m2 = st.columns(2)
    m1.metric("Loss L (nats)", f"{loss:.6f}")
    m2.metric("Parameters", f"{n_params}")
    if units() == "bits":
        st.caption(
            "This page works in nats, as the frameworks do: backprop differentiates the natural-log loss "
            "(in bits every gradient would be divided by ln 2)."
        )


@safe_fragment
def stepper() -> None:
    """The stage slider, its buttons and the stage's formulas and dimension checks.

    A fragment: stepping reruns only this section (the settings above are read from the session). What
    a step does not change (the heading, the network's formula, the colour key) is drawn around it, once
    per run of the page: every element a step sends costs server time, a hundred students stepping at once.
    The stage's matrices are drawn after it (:func:`stage_chart`), by the browser at each step.
    """
    nav_prev, nav_slider, nav_next = st.columns([1.4, 7, 1.4], vertical_alignment="bottom")
    nav_prev.button("◀ Previous", on_click=step_stage, args=(-1,), key="backprop_prev", width="stretch")
    st.session_state.setdefault(KEY_STAGE, 1)  # the slider's start; the buttons move it through session state
    stage_number = track(
        KEY_STAGE,
        nav_slider.slider(
            "Stage",
            1,
            N_STAGES,
            key=KEY_STAGE,
            help="1–4: forward, layer by layer. 5: δ⁴, where the 1/B enters. Then backward: the gradients "
            "of a layer, then the δ of the layer below.",
            bind="query-params",
        ),
    )
    nav_next.button("Next ▶", on_click=step_stage, args=(1,), key="backprop_next", width="stretch")

    stage = compute_stage(*settings(), stage_number)
    st.markdown(f"#### Stage {stage_number} of {N_STAGES} · {stage.title}")
    formulas, checks = st.columns([1, 1.5], gap="large")
    with formulas:
        for formula in stage.formulas:
            st.latex(formula)
    with checks:
        st.markdown("**Dimension check** of each product, from the real shapes:")
        products, symbolic, numeric = zip(*stage.checks, strict=True)
        show_table({"product": products, "in symbols": symbolic, "this batch": numeric}, index="product")
    if stage.key == "output":
        st.info(
            f"**Where the 1/B lives.** {capital(FOUR_LAYER_NOTES)} write δ⁴ = S(z₄) − y for one example. "
            "The loss here is the batch mean L = (1/B) Σᵢ ℓᵢ, so its gradient is δ⁴ = (S(z₄) − Y)/B: the "
            "1/B enters once, here, and every later δ and gradient inherits it. That is why ∇b is a plain "
            "sum over the batch and ∇W = aᵀδ needs no extra division (their mini-batch section divides a δ "
            "without the 1/B instead).",
            icon=":material/info:",
        )
    if stage.key == "grad-1":
        st.warning(
            f"**A slip in {FOUR_LAYER_NOTES}.** Their list ends with ∇W₂ = xᵀδ¹; the gradient that uses the "
            "input is that of the *first* layer: **∇W₁ = Xᵀδ¹** (σ(z₀) = X), with shape D × H.",
            icon=":material/error:",
        )


def settings() -> tuple:
    """The network's settings (batch, sizes, activation, seed), as the widgets above hold them."""
    *sizes, seed = (st.session_state[key] for key in SETTING_KEYS)
    return (*sizes, int(seed))


@process_cache(maxsize=256)
def stage_chart_height(*settings) -> int:
    """The most pixels any stage's matrices need at these settings: every stage is drawn that high."""
    return max(grid_height(backprop_stage_figure(stage.matrices, title="")) for stage in stages_of(*settings))


@process_cache(maxsize=256)
def stages_of(*settings) -> tuple:
    """Every stage at these settings, shared by every session (never written to)."""
    return tuple(compute_stage(*settings, number) for number in STAGES)


def stage_chart(number: int):
    """One chart for stage ``number``: its matrices two to a row, operands first, in the order of the formula.

    A drag of the stage slider draws each stage's figure in the browser (``ui.scrub.figure_sweep``), and
    a chart keeps the title it was first drawn with and its first height: the stage is named in a heading
    drawn as an annotation, the matrices in the panels' titles, and every stage is as high as the
    highest.
    """
    current = settings()
    return backprop_stage_figure(
        compute_stage(*current, number).matrices,
        title="",
        heading=f"<b>Stage {number} of {N_STAGES}</b>: its matrices",
        height=stage_chart_height(*current),
    )


st.subheader("Step through the passes")
st.latex(
    r"f(X) = \sigma\bigl(\sigma\bigl(\sigma(X W_1 + b_1)\, W_2 + b_2\bigr)\, W_3 + b_3\bigr)\, W_4 + b_4"
)
stepper()
# Drawn outside the stepper's fragment, at the stage of the page's last full run: a step (a drag, a key, a
# button) draws that stage's figure in the browser at once, and its rerun sends only the formulas and checks.
scrubbed_chart(
    stage_chart,
    key="backprop_stage_matrices",
    widget_key=KEY_STAGE,
    payload=figure_sweep(stage_chart, STAGES, share=settings()),
    alt="Heatmaps with their values of the matrices of the stage chosen above, each titled with its name and "
    "its shape; the dimension check above lists them.",
)
st.caption(
    "Blue cells are negative, vermillion positive, white 0; the labels carry the sign. Each heatmap has "
    "its own colour scale. Matrices too wide for labels show a colour bar; hover over a cell for its value."
)

st.subheader("Gradient check: every parameter against finite differences")
errors, grad_sizes, shapes = compute_gradcheck(batch, features, hidden, classes, activation, int(seed))
worst_name = max(errors, key=errors.get)
worst = errors[worst_name]
left, right = st.columns([1, 1.6], gap="large")
with left:
    st.metric(
        "Largest relative error, all parameters",
        times_ten(worst),
        delta="below 10⁻⁶ ✓" if worst < GRADCHECK_TOLERANCE else "above 10⁻⁶ ✗",
        delta_color="normal" if worst < GRADCHECK_TOLERANCE else "inverse",
        delta_arrow="off",
    )
    st.markdown(
        "Each entry θ of each parameter is nudged both ways and the loss recomputed: "
        "(L(θ + ε) − L(θ − ε)) / 2ε with ε = 2⁻²⁰ ≈ 10⁻⁶, in extended precision (`core.mlp_gradcheck`, "
        "built on `core.gradcheck`). Relative error = max |backprop − numeric| / max |gradient|, per "
        "parameter. A wrong formula (σ' of the wrong z, a transposed weight, a lost 1/B) gives errors "
        "far above 10⁻⁶: a lost 1/B alone gives 1 − 1/B."
    )
with right:
    symbols = ["D"] + ["H"] * (N_LAYERS - 1) + ["C"]
    rows = []
    for name, error in errors.items():
        layer = int(name[1:])
        symbolic = f"{symbols[layer - 1]}×{symbols[layer]}" if name.startswith("W") else symbols[layer]
        rows.append(
            {
                "parameter": name,
                "shape": f"{symbolic} = {'×'.join(str(d) for d in shapes[name])}",
                "max |∇|": f"{grad_sizes[name]:.3e}",
                "max relative error": times_ten(error),
                "< 10⁻⁶": "✓" if error < GRADCHECK_TOLERANCE else "✗",
            }
        )
    show_table({name: [row[name] for row in rows] for name in rows[0]}, index="parameter")
    dead = [name for name, size in grad_sizes.items() if size == 0]
    if dead:
        st.caption(
            f"{', '.join(dead)}: exactly zero gradient. In this batch every ReLU unit of some hidden layer "
            "is 0 for every example (a dead layer): no gradient flows back through it (σ′ = 0 there), and "
            "the weights it feeds see inputs of 0. The check then compares 0 with 0. Another seed or a "
            "bigger batch may bring the units back."
            if activation == "relu"
            else f"{', '.join(dead)}: exactly zero gradient for this batch; the check compares 0 with 0."
        )

st.subheader("The rule for any depth")
left, right = st.columns(2, gap="large")
with left:
    st.markdown("For a network of N layers, row vectors, and the batch-mean loss L:")
    st.latex(
        r"\begin{aligned}"
        r"\delta^{N} &= \frac{\partial L}{\partial z_N} \\"
        r"\delta^{l} &= \bigl(\delta^{l+1} W_{l+1}^\top\bigr) \odot \sigma'(z_l) \\"
        r"\nabla_{W_l} L &= \sigma(z_{l-1})^\top \delta^{l} \\"
        r"\nabla_{b_l} L &= \mathbf{1}^\top \delta^{l}"
        r"\end{aligned}"
    )
    st.markdown(
        r"for $l = N-1, \dots, 1$, with $\sigma(z_0) = X$. For softmax cross-entropy "
        r"$\delta^N = \frac{1}{B}\bigl(S(z_N) - Y\bigr)$, the batch mean's $1/B$ included. "
        r"(N counts the layers; L is the loss.)"
    )
    st.markdown(
        "Shapes: δˡ is B × nₗ like zₗ; ∇Wₗ is nₗ₋₁ × nₗ like Wₗ; ∇bₗ has nₗ entries like bₗ. "
        "One matrix product per layer carries δ down, one more gives the weight gradient: backprop "
        "costs about twice the forward pass, whatever the depth."
    )
with right:
    st.markdown(
        f"Written out for N = {N_LAYERS} layers (the last line corrected: **∇W₁**, not the ∇W₂ of "
        f"{FOUR_LAYER_NOTES}):"
    )
    st.latex(
        r"\begin{aligned}"
        r"\delta^4 &= \tfrac{1}{B}\bigl(S(z_4) - Y\bigr) & \nabla_{W_4} &= \sigma(z_3)^\top \delta^4 \\"
        r"\delta^3 &= (\delta^4 W_4^\top) \odot \sigma'(z_3) & \nabla_{W_3} &= \sigma(z_2)^\top \delta^3 \\"
        r"\delta^2 &= (\delta^3 W_3^\top) \odot \sigma'(z_2) & \nabla_{W_2} &= \sigma(z_1)^\top \delta^2 \\"
        r"\delta^1 &= (\delta^2 W_2^\top) \odot \sigma'(z_1) & \nabla_{W_1} &= X^\top \delta^1"
        r"\end{aligned}"
    )
    st.markdown("and ∇bₗ = 1ᵀδˡ (the sum of the rows of δˡ) for every layer.")
