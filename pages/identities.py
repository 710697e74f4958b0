"""Vectorized identities: the CS224n identities (1)-(7), its 1-layer network and the shape convention."""

import numpy as np
import streamlit as st

from core.defaults import IDENTITIES_M, IDENTITIES_N, IDENTITIES_SEED
from core.figures.matrices import (
    LABELLED_COLUMNS,
    difference_heatmap,
    grid_height,
    matrix_grid,
    matrix_heatmap,
)
from core.formatting import compact, scientific, subscript, tex_number
from core.jacobians import (
    IDENTITIES,
    identity_case,
    identity_check,
    one_layer_example,
    one_layer_gradcheck,
    one_layer_network,
    to_row_convention,
)
from core.losses import one_hot
from ui.common import csv_button, process_cache, show_figure, show_shared_figure, show_table
from ui.frame import presenter
from ui.page import page_header
from ui.scrub import drag_group, figure_sweep, follow_drag, track, tracked
from ui.sections import safe_fragment

MAX_SEED = 9999
SEED_KEY = "ident_seed"  # every section's random matrices; each section reruns on its own
DEFAULT_SEED = IDENTITIES_SEED  # its default network has 3 of its 4 hidden units active (seed 0: only 1)
SIZE_RANGE = (1, 5)  # n and m of the identities
SIZES = tuple(range(SIZE_RANGE[0], SIZE_RANGE[1] + 1))  # every value of their sliders
CHART_KEY = "ident_check"
CHART_BOX = "ident_check_box"  # the container around the chart: m's drag listener follows it
NET_RANGE = (1, 6)  # Dx, Dh; Nc starts at 2
ELEMENTWISE_LABELS = {"sigmoid": "sigmoid σ", "tanh": "tanh", "relu": "ReLU"}
F_PRIME_TEX = {
    "sigmoid": r"f(x) = \sigma(x),\quad f'(x) = \sigma(x)\,(1 - \sigma(x))",
    "tanh": r"f(x) = \tanh x,\quad f'(x) = 1 - \tanh^2 x",
    "relu": r"f(x) = \max(x, 0),\quad f'(x) = [x > 0]\ \ (\text{points kept }\ge 0.1\text{ from the kink})",
}
SHORT_NAMES = {
    1: "(1) z = Wx, ∂z/∂x",
    2: "(2) z = xW, ∂z/∂x",
    3: "(3) z = x",
    4: "(4) z = f(x)",
    5: "(5) z = Wx, ∂J/∂W",
    6: "(6) z = xW, ∂J/∂W",
    7: "(7) CE, ∂J/∂θ",
}


@st.cache_data(max_entries=256)
def gradient_errors(dx: int, dh: int, nc: int, seed: int, convention: str) -> dict[str, float]:
    """Relative errors of the example network's gradients (a few hundred network evaluations: cached)."""
    example = one_layer_example(dx, dh, nc, seed=seed)
    if convention == "row":
        example = to_row_convention(example)
    return one_layer_gradcheck(**example, convention=convention)


def shape(arr) -> str:
    """``(3×4)`` for a matrix, ``(3)`` for a 1-D vector."""
    return "(" + "×".join(str(d) for d in np.shape(arr)) + ")"


def identity_statement(number: int, n: int, m: int, f: str) -> tuple[str, str]:
    """LaTeX of identity ``number`` with the sizes filled in, and one sentence of derivation (CS224n notes).

    The set-up ends with ``:\\qquad``; the page breaks the line there so the formula fits a 1280-wide screen.
    """
    if number == 1:
        return (
            rf"z = Wx,\quad W \in \mathbb{{R}}^{{{n}\times {m}}},\ x \in \mathbb{{R}}^{{{m}}}:\qquad"
            rf"\Big(\frac{{\partial z}}{{\partial x}}\Big)_{{ij}} = \frac{{\partial}}{{\partial x_j}}"
            rf"\sum_k W_{{ik}} x_k = W_{{ij}} \quad\Rightarrow\quad \frac{{\partial z}}{{\partial x}} = W"
            rf"\ \ ({n}\times {m})",
            "z maps m numbers to n numbers, so its Jacobian is n × m: row i holds z_i's derivatives, and "
            "only the k = j term of the sum depends on x_j.",
        )
    if number == 2:
        return (
            rf"z = xW,\quad x \in \mathbb{{R}}^{{1\times {n}}},\ W \in \mathbb{{R}}^{{{n}\times {m}}}:\qquad"
            rf"\Big(\frac{{\partial z}}{{\partial x}}\Big)_{{ji}} = \frac{{\partial}}{{\partial x_i}}"
            rf"\sum_k x_k W_{{kj}} = W_{{ij}} \quad\Rightarrow\quad"
            rf"\frac{{\partial z}}{{\partial x}} = W^\top"
            rf"\ \ ({m}\times {n})",
            "The same computation as (1) with the roles of rows and columns swapped: z has m entries and x "
            "has n, so the Jacobian is m × n, the transpose of W.",
        )
    if number == 3:
        return (
            rf"z = x,\quad x \in \mathbb{{R}}^{{{n}}}:\qquad"
            rf"\Big(\frac{{\partial z}}{{\partial x}}\Big)_{{ij}}"
            rf"= \frac{{\partial x_i}}{{\partial x_j}} = \begin{{cases}}1 & i = j\\ 0 & i \ne j\end{{cases}}"
            rf"\quad\Rightarrow\quad \frac{{\partial z}}{{\partial x}} = I\ \ ({n}\times {n})",
            "In the chain rule this factor disappears: multiplying by the identity changes nothing. It is "
            "why a bias's gradient equals the error signal (∂z/∂b = I).",
        )
    if number == 4:
        return (
            rf"z = f(x)\ \text{{elementwise}}:\qquad \Big(\frac{{\partial z}}{{\partial x}}\Big)_{{ij}}"
            rf"= \begin{{cases}}f'(x_i) & i = j\\ 0 & i \ne j\end{{cases}}"
            rf"\quad\Rightarrow\quad \frac{{\partial z}}{{\partial x}} = \operatorname{{diag}}(f'(x))"
            rf"\ \ ({n}\times {n}) \\[4pt] {F_PRIME_TEX[f]}",
            "Multiplying by a diagonal matrix is an elementwise product, so the chain rule writes this "
            "factor as ∘ f′(x): that is the ⊙ σ′(z) in every backpropagation formula.",
        )
    if number == 5:
        return (
            rf"z = Wx,\ \delta = \frac{{\partial J}}{{\partial z}} \in \mathbb{{R}}^{{1\times {n}}}:\qquad"
            rf"\frac{{\partial J}}{{\partial W_{{ij}}}} = \sum_k \delta_k"
            rf"\frac{{\partial z_k}}{{\partial W_{{ij}}}}"
            rf"= \delta_i x_j \quad\Rightarrow\quad \frac{{\partial J}}{{\partial W}} = \delta^\top x^\top"
            rf"\ \ ({n}\times {m},\ \text{{the shape of }} W)",
            "∂z/∂W would be an n × m × n tensor; one weight at a time it is a vector with the single "
            "non-zero entry x_j at position i. Here J = δ·z with a random δ, so that ∂J/∂z = δ exactly.",
        )
    if number == 6:
        return (
            rf"z = xW,\ \delta = \frac{{\partial J}}{{\partial z}} \in \mathbb{{R}}^{{1\times {m}}}:\qquad"
            rf"\frac{{\partial J}}{{\partial W_{{ij}}}} = x_i \delta_j"
            rf"\quad\Rightarrow\quad \frac{{\partial J}}{{\partial W}} = x^\top \delta"
            rf"\ \ ({n}\times {m},\ \text{{the shape of }} W)",
            "The row-vector twin of (5), and the form backprop uses for every layer in the row convention: "
            "∇W_l = σ(z_{l−1})ᵀ δ^l. "
            "Only one orientation of x and δ gives the shape of W (when W is not square).",
        )
    return (
        rf"\hat y = \operatorname{{softmax}}(\theta),\ J = \mathrm{{CE}}(y, \hat y) = -\log \hat y_t,\ "
        rf"\theta \in \mathbb{{R}}^{{{n}}}:\qquad \frac{{\partial J}}{{\partial \theta}} = \hat y - y"
        rf"\ \ (\text{{or }} (\hat y - y)^\top \text{{ for column vectors}})",
        "The result of the Softmax gradient page, used as a building block: the error signal δ₁ of the "
        "network below. The true class t is drawn at random with the other inputs.",
    )


def text_size(cols: int) -> int:
    """Cell label size that fits a half-width heatmap at 1280 px: smaller for more columns."""
    return 16 if cols <= 4 else 14 if cols == 5 else 12


def axis_names(number: int, n: int, m: int, check) -> tuple[list[str], list[str], str, str]:
    """Tick labels and axis titles of an identity's Jacobian."""
    rows, cols = check.analytic.shape if check.analytic.ndim == 2 else (1, check.analytic.shape[0])
    if number in (5, 6):
        return (
            [str(i + 1) for i in range(rows)],
            [str(j + 1) for j in range(cols)],
            "row i of W",
            "column j of W",
        )
    if number == 7:
        return ["∂J/∂θ"], [f"θ{subscript(j + 1)}" for j in range(cols)], "", "logit θ_j"
    return (
        [f"z{subscript(i + 1)}" for i in range(rows)],
        [f"x{subscript(j + 1)}" for j in range(cols)],
        "output z_i",
        "input x_j",
    )


page_header(
    "Vectorized identities",
    "The CS224n notes *Computing Neural Network Gradients* compute gradients a whole matrix at a time "
    "with a handful of Jacobian identities. Each one is checked here on small random matrices: the "
    "analytic Jacobian, the numerical one from central differences, and their difference. Then the "
    "identities are put to work on the notes' 1-layer network, in both the column and the row convention.",
)

# The section's heading shares its row with the seed (which every section reads, so it stays outside
# the sections' fragments): the identity's controls and its chart then fit a projector's first screen.
heading_col, seed_col = st.columns([3, 1], vertical_alignment="bottom")
heading_col.header("The identities")
seed_col.number_input(
    "Random seed",
    min_value=0,
    max_value=MAX_SEED,
    value=DEFAULT_SEED,
    step=1,
    key=SEED_KEY,
    help="Draws every random matrix on this page (np.random.default_rng(seed)). The sizes of each "
    "section are set in the section.",
    bind="query-params",
)


@process_cache(maxsize=512)
def checked(number: int, seed: int, n: int, m: int, f: str):
    """``core.identity_check`` for these settings, shared by every session (never written to)."""
    return identity_check(number, seed=seed, n=n, m=m, elementwise=f)


@process_cache(maxsize=64)
def check_height(number: int, seed: int, f: str) -> int:
    """The most pixels the identity's check needs at any n and m: it is drawn that high at every size."""
    return max(grid_height(check_figure(number, seed, n, m, f, fit=True)) for n in SIZES for m in SIZES)


def check_figure(number: int, seed: int, n: int, m: int, f: str, *, fit: bool = False):
    """The identity's check as one chart: the analytic matrix, the numerical one and their difference.

    One under the other (side by side their labels collide on a phone).  Its title is the same at every n
    and m: the browser draws the chart at each value of a dragged size (``ui.scrub.figure_sweep``), and a
    chart keeps the title it was first drawn with, and its first height: every size is drawn as high as
    the largest (:func:`check_height`) unless ``fit``.  The panels' titles give the shapes.
    """
    check = checked(number, seed, n, m, f)
    rows, cols, row_label, col_label = axis_names(number, n, m, check)
    axes = {"row_label": row_label, "col_label": col_label, "row_names": rows, "col_names": cols}
    size = text_size(len(cols))
    panels = [
        matrix_heatmap.draft(
            check.analytic,
            title=f"Analytic: {check.case.formula}  {shape(check.analytic)}",
            **axes,
            text_size=size,
            value_name="analytic",
            show_scale=False,
        ),
        matrix_heatmap.draft(
            check.numerical,
            title=f"Numerical: central differences  {shape(check.numerical)}",
            **axes,
            text_size=size,
            value_name="numerical",
            show_scale=False,
        ),
        difference_heatmap.draft(check.difference, title="Analytic − numerical", **axes, text_size=13),
    ]
    height = None if fit else check_height(number, seed, f)
    return matrix_grid(panels, title=f"Identity ({number}), checked three ways", per_row=1, height=height)


@safe_fragment
def sizes(number: int, f: str, seed: int, slots: dict) -> None:
    """The sizes n and m and all they move, written into ``slots`` laid out by :func:`identities_section`.

    Reruns alone when n or m moves: the largest difference, the formula, the random inputs and the drag
    listeners of the chart (drawn by the section, outside this fragment: each size's listener draws the
    chart at the value under its thumb, at a drag and at a key press, so a release sends no chart).
    The n slider is this fragment's own; m's column is a slot.
    """
    n = track(
        "ident_n",
        st.slider("Size n (rows of W)", *SIZE_RANGE, IDENTITIES_N, key="ident_n", bind="query-params"),
    )
    m = track(
        "ident_m",
        slots["m"].slider(
            "Size m (columns of W)", *SIZE_RANGE, IDENTITIES_M, key="ident_m", bind="query-params"
        ),
    )
    check = checked(number, seed, n, m, f)
    statement, _ = identity_statement(number, n, m, f)
    _, cols, _, _ = axis_names(number, n, m, check)
    # Each size's listener, the other size fixed: n's follows the chart's key, m's the keyed container around
    # it (one listener per key).
    sweeps = {
        "ident_n": (CHART_KEY, lambda k: check_figure(number, seed, int(k), m, f), ("m", m)),
        "ident_m": (CHART_BOX, lambda k: check_figure(number, seed, n, int(k), f), ("n", n)),
    }
    with drag_group("ident-sizes"):
        for widget, (chart, build, fixed) in sweeps.items():
            follow_drag(chart, widget, figure_sweep(build, SIZES, share=(number, seed, *fixed, f)))
    if len(cols) > LABELLED_COLUMNS:
        slots["caption"].caption(
            f"With more than {LABELLED_COLUMNS} columns the difference's cells are too small for "
            "labels: hover for the values."
        )
    else:
        slots["caption"].empty()
    slots["metric"].metric("max |analytic − numerical|", scientific(check.max_abs_diff))
    slots["statement"].latex(
        r"\begin{gathered}" + statement.replace(r":\qquad", r":\\[4pt]") + r"\end{gathered}"
    )
    slots["inputs"].markdown(
        "  \n".join(
            f"**{name}** {shape(value)}: "
            + ", ".join(compact(float(v)) for v in np.ravel(value)[:30])
            + (" …" if np.size(value) > 30 else "")
            for name, value in check.case.inputs.items()
        )
    )


def identities_section() -> None:
    """One identity checked three ways.

    Not a fragment itself: the sizes' fragment (:func:`sizes`) writes into slots laid out here, and
    Streamlit 1.67 drops what a nested fragment wrote into its parent fragment's slots when the parent
    reruns (ui.sections).  The identity and f rerun the page; n and m rerun only the fragment, which sends
    only what they change (each element sent is server work, for every student).
    """
    seed = int(st.session_state[SEED_KEY])
    c_which, c_n, c_m = st.columns([2, 1, 1], gap="large")
    number = c_which.selectbox(
        "Identity",
        list(IDENTITIES),
        format_func=lambda k: SHORT_NAMES[k],
        key="ident_which",
        bind="query-params",
    )
    f = "sigmoid"
    if number == 4:
        f = st.radio(
            "Elementwise function f",
            list(ELEMENTWISE_LABELS),
            format_func=ELEMENTWISE_LABELS.get,
            horizontal=True,
            key="ident_f",
            bind="query-params",
        )
    # The variable differentiated against and the note depend on the identity alone, not on the sizes (the
    # case is set up without checking it: the check runs in the fragment).
    variable = identity_case(number, seed=seed, elementwise=f).variable
    what = "gradient ∂J/∂" + variable if number >= 5 else "Jacobian ∂z/∂x"
    _, note = identity_statement(number, IDENTITIES_N, IDENTITIES_M, f)

    chart_col, text_col = st.columns([3, 2], gap="large")
    # The chart, drawn after the sizes' fragment has run (it needs n and m), goes into a keyed container at
    # the top of its column, the caption under it; the phone layout (ui.frame.SCREEN_CSS) puts the chart
    # next to the sizes.
    chart_box = chart_col.container(key=CHART_BOX)
    slots = {"m": c_m, "caption": chart_col.empty(), "metric": text_col.empty()}
    text_col.markdown(
        f"The numerical {what} perturbs each input entry by ±ε (ε = 10⁻⁶) with "
        "`core.numerical_jacobian`; its error is about ε² from truncation plus 10⁻¹⁶/ε from rounding, "
        "so a difference near 10⁻¹⁰ means the formula is right. A wrong orientation (W instead of Wᵀ, "
        "xᵀδ instead of δᵀxᵀ) would not even have the right shape when W is not square."
    )

    # What the chart checks: the identity with its sizes, one line of derivation, the random inputs.
    st.markdown(f"**({number}) {IDENTITIES[number]}**")
    slots["statement"] = st.empty()
    st.markdown(note)
    with st.expander("The random inputs"):
        slots["inputs"] = st.empty()
    with c_n:
        sizes(number, f, seed, slots)
    n, m = st.session_state["ident_n"], st.session_state["ident_m"]
    with chart_box:
        show_shared_figure(
            lambda: check_figure(number, seed, n, m, f),
            share=(number, seed, n, m, f),
            key=CHART_KEY,
            alt=f"Three annotated heatmaps, one under the other: the analytic {what} of identity ({number}), "
            f"its numerical counterpart, which matches it, and their difference, rounding errors only. The "
            "sizes n and m above set their shapes.",
            export=False,
        )
        if not presenter():
            noted = tracked()  # the sizes' fragment's last values: the chart as it is on screen
            csv_button(
                lambda: check_figure(number, seed, noted.get("ident_n", n), noted.get("ident_m", m), f),
                key=CHART_KEY,
            )


identities_section()


def column(values) -> str:
    return r"\begin{bmatrix}" + r"\\".join(tex_number(float(v)) for v in np.ravel(values)) + r"\end{bmatrix}"


@safe_fragment
def network_sections() -> None:
    """The 1-layer network and the two conventions (rerun on their own when Dx, Dh or Nc change)."""
    seed = int(st.session_state[SEED_KEY])
    st.header("The CS224n notes' 1-layer network")
    c1, c2, c3 = st.columns(3, gap="large")
    dx = c1.slider("Input size Dx", *NET_RANGE, 3, key="ident_dx", bind="query-params")
    dh = c2.slider("Hidden size Dh", *NET_RANGE, 4, key="ident_dh", bind="query-params")
    nc = c3.slider("Classes Nc", 2, NET_RANGE[1], 3, key="ident_nc", bind="query-params")
    example = one_layer_example(dx, dh, nc, seed=seed)
    y = example["y"]
    out = one_layer_network(**example)
    errors = gradient_errors(dx, dh, nc, seed, "column")

    st.latex(
        rf"x_{{({dx}\times 1)}} \xrightarrow{{\ z = Wx + b_1\ }} z_{{({dh}\times 1)}}"
        rf"\xrightarrow{{\ \mathrm{{ReLU}}\ }} h_{{({dh}\times 1)}}"
        rf"\xrightarrow{{\ \theta = Uh + b_2\ }} \theta_{{({nc}\times 1)}}"
        rf"\xrightarrow{{\ \mathrm{{softmax}}\ }} \hat y_{{({nc}\times 1)}}"
        rf"\xrightarrow{{\ \mathrm{{CE}}(y,\,\cdot)\ }} J_{{(1\times 1)}}"
    )
    st.caption(
        f"W is {dh}×{dx}, b₁ {dh}×1, U {nc}×{dh}, b₂ {nc}×1 (the notes' column convention); the true class "
        f"is y = {y + 1} of {nc}. Biases are nudged so that no z_j sits within 0.05 of ReLU's kink."
    )

    st.markdown("**Forward**, the numbers of each stage:")
    one_hot_y = r"\begin{bmatrix}" + r"\\".join(str(int(v)) for v in one_hot(y, nc)) + r"\end{bmatrix}"
    st.latex(
        rf"\small x = {column(example['x'])}\; z = {column(out['z'])}\; h = {column(out['h'])}\;"
        rf"\theta = {column(out['theta'])}\; \hat y = {column(out['y_hat'])}\; y = {one_hot_y}"
    )
    st.latex(rf"J = -\log \hat y_{{{y + 1}}} = {tex_number(float(out['J']), 4)}")

    left, right = st.columns([1.3, 1], gap="large")
    with left:
        st.markdown("**Backward, with the identities** (δ₁ and δ₂ are row vectors, as in the notes)")
        st.latex(
            r"\begin{aligned}"
            r"\delta_1 &= \frac{\partial J}{\partial \theta} = (\hat y - y)^\top &&\text{(7)}\\"
            r"\delta_2 &= \frac{\partial J}{\partial z} = \delta_1 U \circ \operatorname{sgn}(h)^\top"
            r" &&\text{(1), (4)}\\"
            rf"(1\times {dh}) &= (1\times {nc})\,({nc}\times {dh}) \circ (1\times {dh})"
            r"\end{aligned}"
        )
        st.markdown(
            "ReLU′(z) = sgn(h): the derivative of the activation is written with the activation itself. "
            "Then each gradient is an identity, transposed where needed so that it has the shape of what it "
            "differentiates (the notes' shape convention)."
        )
    with right:
        worst = max(errors.values())
        st.metric("Largest relative error of a gradient vs finite differences", scientific(worst))
        st.caption(
            "Relative error = max |analytic − numerical| / max(|analytic|, |numerical|), per gradient "
            "(`core.gradcheck`, central differences with ε = 10⁻⁶)."
        )

    GRADIENT_ROWS = {
        "U": (r"δ₁ᵀ hᵀ", "identity (5)", "U"),
        "b2": (r"δ₁ᵀ", "identity (3), transposed", "b₂"),
        "W": (r"δ₂ᵀ xᵀ", "identity (5)", "W"),
        "b1": (r"δ₂ᵀ", "identity (3), transposed", "b₁"),
        "x": (r"(δ₂ W)ᵀ", "identity (1), transposed", "x"),
    }
    show_table(
        {
            "gradient": [f"∂J/∂{GRADIENT_ROWS[k][2]}" for k in GRADIENT_ROWS],
            "formula": [GRADIENT_ROWS[k][0] for k in GRADIENT_ROWS],
            "from": [GRADIENT_ROWS[k][1] for k in GRADIENT_ROWS],
            "shape of gradient": [shape(out[k]) for k in GRADIENT_ROWS],
            "shape of parameter": [shape(example[k]) for k in GRADIENT_ROWS],
            "max relative error": [scientific(errors[k]) for k in GRADIENT_ROWS],
        },
        index="gradient",
    )
    left, right = st.columns([1.6, 1], gap="large")
    with left:
        show_figure(
            matrix_heatmap(
                out["U"],
                title=f"∂J/∂U = δ₁ᵀhᵀ  {shape(out['U'])}",
                row_label="class (row of U)",
                col_label="hidden unit (column of U)",
                text_size=text_size(dh),
                value_name="∂J/∂U",
            ),
            key="ident_net_dU",
            alt="Annotated heatmap of the gradient of the loss with respect to U; columns of inactive hidden "
            "units are zero.",
        )
    with right:
        show_figure(
            matrix_heatmap(
                out["x"],
                title=f"∂J/∂x = (δ₂W)ᵀ  {shape(out['x'])}",
                row_label="input x_j",
                col_label="",
                col_names=["∂J/∂x"],
                value_name="∂J/∂x",
            ),
            key="ident_net_dx",
            alt="Annotated heatmap of the gradient of the loss with respect to the input x, a column vector.",
        )

    st.header("The shape convention: columns against rows")
    row_params = to_row_convention(example)
    row_out = one_layer_network(**row_params, convention="row")
    row_errors = gradient_errors(dx, dh, nc, seed, "row")
    left, right = st.columns(2, gap="large")
    with left:
        st.markdown("**Column vectors (the CS224n notes)**: x is Dx×1, W is Dh×Dx.")
        st.latex(
            r"z = Wx + b_1,\quad \theta = Uh + b_2,\quad \frac{\partial J}{\partial W} = \delta_2^\top x^\top"
        )
    with right:
        st.markdown("**Row vectors (code, and the Backpropagation page)**: x is 1×Dx, W is Dx×Dh.")
        st.latex(r"z = xW + b_1,\quad \theta = hU + b_2,\quad \nabla_W = x^\top \delta_2")
    diffs = {k: float(np.abs(out[k] - row_out[k].T).max()) for k in GRADIENT_ROWS}
    left, right = st.columns(2, gap="large")
    with left:
        show_figure(
            matrix_heatmap(
                out["W"],
                title=f"Column convention: ∂J/∂W = δ₂ᵀxᵀ  {shape(out['W'])}",
                row_label="hidden unit",
                col_label="input",
                text_size=text_size(dx),
                value_name="∂J/∂W",
            ),
            key="ident_conv_col",
            alt="Heatmap of the column-convention gradient of W, hidden units by inputs.",
        )
    with right:
        show_figure(
            matrix_heatmap(
                row_out["W"],
                title=f"Row convention: ∇W = xᵀδ₂  {shape(row_out['W'])}",
                row_label="input",
                col_label="hidden unit",
                text_size=text_size(dh),
                value_name="∇W",
            ),
            key="ident_conv_row",
            alt="Heatmap of the row-convention gradient of W, inputs by hidden units: the transpose of the "
            "column-convention gradient.",
        )
    c1, c2, c3 = st.columns(3)
    c1.metric("max |∂J/∂W − (∇W)ᵀ|", scientific(diffs["W"]))
    c2.metric("|J (column) − J (row)|", scientific(abs(float(out["J"]) - float(row_out["J"]))))
    c3.metric("Largest relative error, row convention", scientific(max(row_errors.values())))
    show_table(
        {
            "parameter": [GRADIENT_ROWS[k][2] for k in GRADIENT_ROWS],
            "column convention": [shape(out[k]) for k in GRADIENT_ROWS],
            "row convention": [shape(row_out[k]) for k in GRADIENT_ROWS],
            "max |column − rowᵀ|": [scientific(diffs[k]) for k in GRADIENT_ROWS],
        },
        index="parameter",
    )
    st.markdown(
        "Both conventions compute the same numbers; every array, and so every gradient, is transposed. "
        "The row-convention gradients are computed with the row-vector formulas (xᵀδ, δWᵀ), not by "
        "transposing the column results, so the differences above (0, or rounding near 10⁻¹⁶) are a real "
        "check. Row vectors stack a mini-batch as the rows of a matrix, which is why code (and the "
        "Backpropagation page) uses them; the CS224n notes use columns, as most textbooks do. "
        "Either way the gradient has the shape of the parameter, so W − η ∂J/∂W is a valid update."
    )


network_sections()
