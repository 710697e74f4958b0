"""Mini-batches: per-example gradients, where the 1/B goes, and noise shrinking like σ/√B."""

import numpy as np
import streamlit as st

from core.defaults import MINIBATCH_LAYER_SIZES, MINIBATCH_N_SAMPLES, MINIBATCH_SEED
from core.figures.minibatch import gradient_spread_figure, per_example_gradient_figure
from core.figures.scrub import sweep_frames
from core.formatting import scientific, signed
from core.minibatch import (
    GradientSpread,
    blobs_and_network,
    last_layer_gradient_routes,
    minibatch_gradient_spread,
    minibatch_indices,
    most_variable_entry,
    per_example_grads,
)
from ui.common import process_cache, show_figure, show_table
from ui.page import page_header
from ui.scrub import scrub_payload, scrubbed_chart, track
from ui.sections import metric_row, safe_fragment
from words.sources import FOUR_LAYER_NOTES, capital

N_SAMPLES = MINIBATCH_N_SAMPLES  # the fixed data set the batches come from
SIZES = list(MINIBATCH_LAYER_SIZES)  # D → H → H → H → C
SPREAD_SIZES = [1, 2, 4, 8, 16, 32, 64, 128, 256]
BATCH = (2, 64, 16)  # (min, max, default) of the batch for the per-example view
B_VALUES = tuple(range(BATCH[0], BATCH[1] + 1))  # every value of the B slider
BATCH_KEY, DRAW_KEY = "minibatch_b", "minibatch_draw"
DRAW_MAX = 9999
DRAW_OPTIONS = [50, 100, 200, 500, 1000]
SAMPLING = {"without replacement": False, "with replacement": True}
PARAM_KEY = "minibatch_param"  # the parameter followed, shared by both sections (each reruns on its own)
SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
N_LAYERS = len(SIZES) - 1
PARAMS = [f"{kind}{k}" for k in range(N_LAYERS, 0, -1) for kind in ("b", "W")]
PARAM_NAMES = {
    f"b{N_LAYERS}": "b₄, output bias",
    f"W{N_LAYERS}": "W₄, output weights",
    "b3": "b₃, bias of hidden layer 3",
    "W3": "W₃, weights into hidden layer 3",
    "b2": "b₂, bias of hidden layer 2",
    "W2": "W₂, weights into hidden layer 2",
    "b1": "b₁, bias of hidden layer 1",
    "W1": "W₁, weights from the input",
}


def pretty(name: str, index: tuple[int, ...]) -> str:
    """``"W₂[3, 12]"``: the parameter with its 1-based entry, as in the formulas."""
    return f"{name[0]}{name[1:].translate(SUB)}[{', '.join(str(i + 1) for i in index)}]"


def network() -> tuple:
    return blobs_and_network(SIZES, N_SAMPLES, seed=MINIBATCH_SEED)


@st.cache_data(show_spinner=False, max_entries=16)
def entry_of(name: str) -> tuple[tuple[int, ...], float]:
    """The entry of ``name`` whose per-example gradients spread most over the data set, and that σ."""
    X, y, net = network()
    return most_variable_entry(net, X, y, name)


@process_cache(maxsize=1024)  # a dict look-up per move of B, shared by every session (never written to)
def one_batch(batch: int, draw: int, name: str, index: tuple[int, ...]) -> dict:
    """One mini-batch: its per-example gradients of the entry, backprop's batch gradient, the 1/B routes."""
    X, y, net = network()
    idx = minibatch_indices(N_SAMPLES, batch, seed=draw)
    Xb, yb = X[idx], y[idx]
    per_example = per_example_grads(net, Xb, yb)[name][(slice(None),) + index]
    _, grads = net.loss_and_grads(Xb, yb)
    routes = last_layer_gradient_routes(net, Xb, yb)
    classes = np.bincount(yb, minlength=SIZES[-1])
    for array in (per_example, classes, *routes["b"].values(), *routes["W"].values()):
        array.setflags(write=False)  # shared by every session
    return {
        "per_example": per_example,
        "mean": float(per_example.mean()),
        "backprop": float(grads[name][index]),
        "routes": routes,
        "classes": classes,
    }


@st.cache_data(show_spinner="Drawing mini-batches…", max_entries=64)
def spread(name: str, index: tuple[int, ...], draws: int, replace: bool) -> GradientSpread:
    X, y, net = network()
    return minibatch_gradient_spread(
        net, X, y, SPREAD_SIZES, name=name, index=index, n_draws=draws, replace=replace, seed=0
    )


page_header(
    "Mini-batches",
    "A network is trained on the gradient of the **batch-mean** loss L = (1/B) Σᵢ ℓᵢ. That gradient is "
    "the average of the examples' own gradients, an estimate of the gradient over the whole data set "
    f"(as {FOUR_LAYER_NOTES} derive it for a mini-batch). Here: the per-example gradients behind one "
    "batch, where the 1/B goes in backprop, and how quickly the estimate's noise shrinks as B grows.",
)
st.markdown(
    f"**Set-up.** A fixed data set of N = {N_SAMPLES} points in {SIZES[-1]} Gaussian clouds "
    f"(`core.gaussian_blobs`), a four-layer network D → H → H → H → C = {' → '.join(map(str, SIZES))} with "
    "ReLU, at its initial weights, and softmax cross-entropy. All gradients are at these weights."
)

st.selectbox(
    "Parameter to follow",
    PARAMS,
    index=0,
    format_func=PARAM_NAMES.get,
    key=PARAM_KEY,
    help="The page follows the entry of this parameter whose per-example gradients vary most.",
    bind="query-params",
)


def one_batch_sections() -> None:
    """Sections 1 and 2: one batch's per-example gradients and the 1/B routes.

    Not a fragment itself: B reruns only :func:`one_batch_controls`, which writes the numbers it moves
    into slots laid out here, while the chart, drawn here, follows B in the browser; the text and formulas
    around them are sent once per full run.  A new draw reruns the page.
    """
    name = st.session_state[PARAM_KEY]
    index, _sigma = entry_of(name)
    label = pretty(name, index)
    st.subheader(f"1. One batch: per-example gradients of {label} and their mean")
    top = st.container()  # the controls and the chart, filled below: containers are drawn where created
    left, right = st.columns([1, 1.6], gap="large")
    with left:
        st.latex(
            r"\nabla_\theta L = \nabla_\theta \frac{1}{B}\sum_{i=1}^{B} \ell_i"
            r" = \frac{1}{B}\sum_{i=1}^{B} \nabla_\theta \ell_i"
        )
    slots = {"batch": right.empty()}

    st.subheader("2. Where the 1/B goes")
    left, right = st.columns([1, 1.2], gap="large")
    with left:
        st.markdown(
            f"{capital(FOUR_LAYER_NOTES)} derive the gradients for one example, with δ⁴ = S(z₄) − y. For a "
            "batch they keep that δ without the 1/B (call it δ̃, B × K) and divide afterwards:"
        )
        st.latex(r"\nabla_{b_l} L = \frac{1}{B}\,\mathbf{1}^\top \tilde\delta^{l}")
        st.latex(r"\nabla_{W_l} L = \frac{1}{B}\,\sigma(z_{l-1})^\top \tilde\delta^{l}")
        st.markdown(
            "For the bias the sum over the batch is the row of ones 1ᵀ (1 × B); for the weights the matrix "
            "product already sums over the batch, since row i of σ(zₗ₋₁) meets row i of δ̃. "
            "Backprop as written on the Backpropagation page puts the 1/B into δ⁴ = (S(z₄) − Y)/B instead, "
            "once, and every later δ carries it. Same numbers, for this batch's last layer:"
        )
    with right:
        slots["routes"] = st.empty()
        slots["differences"] = st.empty()
    # B, the draw and the three numbers beside the chart they move (on a phone the chart comes first).
    # B is a fragment of its own that sends only its numbers; the chart is drawn here, once per full run,
    # and follows B in the browser (ui.scrub).  A new draw reruns the page: every bar changes.
    with top:
        controls, chart_col = st.columns([1, 2], gap="large")
        with controls:
            b_box = st.container()
            draw = int(
                st.number_input(
                    "Which batch (draw number)", 0, DRAW_MAX, 0, step=1, key=DRAW_KEY, bind="query-params"
                )
            )
            slots["numbers"] = st.empty()
        with b_box:
            one_batch_controls(name, index, label, draw, slots)
        with chart_col:
            scrubbed_chart(
                lambda batch: _batch_figure(batch, draw, name, index, label).figure(),
                key="minibatch_per_example",
                widget_key=BATCH_KEY,
                payload=_batch_scrub(draw, name, index, label),
                alt=f"Bar chart of the per-example gradients of {label} in the batch, one bar per example, "
                "with a dashed line at their mean (the numbers beside the chart).",
                redraw=True,
            )


def _batch_figure(batch: int, draw: int, name: str, index: tuple[int, ...], label: str):
    """The per-example bars of one batch (what the page draws, and each frame of a drag of B), a Draft."""
    one = one_batch(int(batch), draw, name, index)
    return per_example_gradient_figure.draft(
        one["per_example"], label=label, mean=one["mean"], batch_gradient=one["backprop"]
    )


@process_cache(maxsize=64)  # one text per draw and parameter, shared by every session
def _batch_scrub(draw: int, name: str, index: tuple[int, ...], label: str) -> str:
    """:func:`_batch_figure` at every B, for ui.scrub: the axes follow the number of bars (redrawn)."""
    frames = sweep_frames(
        lambda b: _batch_figure(b, draw, name, index, label), B_VALUES, name="B", redrawn=True
    )
    return scrub_payload(B_VALUES, frames)


@safe_fragment
def one_batch_controls(name: str, index: tuple[int, ...], label: str, draw: int, slots: dict) -> None:
    """B and the numbers it moves (written into ``slots``): reruns alone; the chart follows in the browser."""
    batch = track(
        BATCH_KEY, st.slider("Batch size B", *BATCH[:2], BATCH[2], key=BATCH_KEY, bind="query-params")
    )
    one = one_batch(batch, draw, name, index)
    with slots["numbers"].container():
        st.metric("Mean of the bars", signed(one["mean"], 6))
        st.metric("Backprop on the batch", signed(one["backprop"], 6))
        st.metric("Difference", scientific(abs(one["mean"] - one["backprop"])))
    slots["batch"].markdown(
        f"Each bar is ∂ℓᵢ/∂{label} for one example of the batch, the gradient that example alone would "
        "give (batch of one, no 1/B). The examples disagree, often even in sign: each pulls the "
        "parameter its own way. The batch gradient that backprop returns is their **average**, the "
        "dashed line. "
        f"This batch holds {', '.join(f'{n} of class {c + 1}' for c, n in enumerate(one['classes']))}."
    )

    routes = one["routes"]
    rows = []
    for c in range(SIZES[-1]):
        rows.append(
            {
                "entry": f"∇b₄[{c + 1}]",
                "1ᵀδ⁴ (1/B inside δ⁴)": signed(float(routes["b"]["backward"][c]), 8),
                "(1/B) 1ᵀ(S − Y)  (1/B afterwards)": signed(float(routes["b"]["seed"][c]), 8),
                "mean of per-example": signed(float(routes["b"]["per_example"][c]), 8),
            }
        )
    with slots["routes"]:
        show_table({column: [row[column] for row in rows] for column in rows[0]}, index="entry")
    diff_b = max(
        float(np.abs(routes["b"][k] - routes["b"]["backward"]).max()) for k in ("seed", "per_example")
    )
    diff_w = max(
        float(np.abs(routes["W"][k] - routes["W"]["backward"]).max()) for k in ("seed", "per_example")
    )
    row = metric_row(slots["differences"])
    row.metric(
        "∇b₄, largest difference", scientific(diff_b), help="Between the three routes, over all entries."
    )
    row.metric(
        f"∇W₄ ({SIZES[-2]}×{SIZES[-1]}), largest difference",
        scientific(diff_w),
        help="Between the three routes.",
    )


one_batch_sections()


@safe_fragment
def spread_section() -> None:
    """Section 3: the spread of the mini-batch gradient against B (reruns on its own)."""
    name = st.session_state[PARAM_KEY]
    index, _sigma = entry_of(name)
    label = pretty(name, index)
    st.subheader("3. The noise of the estimate shrinks like 1/√B")
    c1, c2 = st.columns(2)
    draws = c1.select_slider(
        "Mini-batches drawn per batch size",
        DRAW_OPTIONS,
        value=200,
        key="minibatch_draws",
        bind="query-params",
    )
    sampling = c2.radio(
        "Drawing the examples of a batch",
        list(SAMPLING),
        index=0,
        key="minibatch_sampling",
        horizontal=True,
        bind="query-params",
    )
    replace = SAMPLING[sampling]
    result = spread(name, index, int(draws), replace)
    left, right = st.columns([1.6, 1], gap="large")
    with left:
        show_figure(
            gradient_spread_figure(
                result.batch_sizes,
                result.measured,
                result.expected,
                label=label,
                expected_finite=None if replace else result.expected_finite,
                n_samples=N_SAMPLES,
            ),
            key="minibatch_spread",
            alt=f"Log-log plot of the measured spread of the mini-batch gradient of {label} against the "
            "batch size, falling along the line sigma over root B.",
        )
    with right:
        m1, m2 = st.columns(2)
        m1.metric(
            "Fitted slope",
            f"{result.slope:.3f}".replace("-", "−"),
            help="Least-squares slope of log(spread) against log(B). Theory: −1/2.",
        )
        m2.metric("σ (one example)", f"{result.sigma:.4f}", help="Spread of the per-example gradients.")
        m1.metric("Full-data gradient", signed(result.full, 4))
        m2.metric(
            "Mean at B = 1",
            signed(float(result.mean[0]), 4),
            help=f"Average of the {result.n_draws} one-example gradients drawn; it scatters around the "
            f"full-data gradient by about σ/√{result.n_draws}.",
        )
        st.markdown(
            f"For each B, {result.n_draws} mini-batches are drawn from the N = {N_SAMPLES} examples and the "
            f"RMS distance of their gradients of {label} from the full-data gradient is plotted. Averaging B "
            "independent examples divides the variance by B, so the spread is **σ/√B**: 4× the batch for "
            "half the noise, a slope of −1/2 on log-log axes. The mini-batch gradient is unbiased: averaged "
            "over many draws it is the full-data gradient, for every B."
        )
        if not replace:
            st.caption(
                "Without replacement, as SGD cuts batches from shuffled epochs, the spread is a little "
                "smaller: σ/√B · √((N − B)/(N − 1)), the dotted line (at B = N it would be 0). With "
                "replacement the draws are independent and σ/√B is exact."
            )
        st.caption(
            f"Each mini-batch gradient is the mean of its examples' gradients; backprop run on the first "
            f"batch of every size agrees to {scientific(result.backprop_difference)}."
        )


spread_section()
