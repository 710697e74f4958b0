"""Probability simplex: all predictions for three classes as a triangle, the loss over it, descent on it."""

import numpy as np
import streamlit as st

from core.defaults import (
    SIMPLEX_ARROWS,
    SIMPLEX_CONTOURS,
    SIMPLEX_CURVE_TEMPERATURES,
    SIMPLEX_HOVER_RESOLUTION,
    SIMPLEX_LOGIT_RANGE,
    SIMPLEX_LOGITS,
    SIMPLEX_LR,
    SIMPLEX_RESOLUTION,
    SIMPLEX_SMOOTHING,
    SIMPLEX_STEPS,
    SIMPLEX_TEMPERATURE,
    SIMPLEX_TRUE_INDEX,
)
from core.figures.engine import trace_dicts
from core.figures.simplex import (
    SimplexFrame,
    SimplexSurface,
    descent_loss_figure,
    logit_frames,
    simplex_figure_on,
    simplex_surface,
    temperature_frames,
    temperature_label,
)
from core.formatting import number
from core.information import entropy
from core.simplex import (
    corner_gradient_norms,
    cross_entropy_surface,
    cross_entropy_to,
    descent_path,
    lattice_points,
    logit_gradient,
    point_readout,
    simplex_grid,
    smoothed_target,
    temperature_path,
)
from core.units import in_unit
from ui.common import process_cache, show_figure, show_table, units
from ui.page import page_header
from ui.scrub import follow_drag, scrub_payload, scrubbed_chart, slider_values, track
from ui.sections import metric_row, safe_fragment
from words.simplex import (
    BARYCENTRIC_NOTE,
    LEAD,
    MATH_NOTE,
    NAMES,
    SHIFT_NOTE,
    descent_alt,
    descent_sentence,
    overshoot_warning,
    signed_vector,
    simplex_alt,
    temperature_sentence,
    vector_text,
    why_sentence,
)

LOGIT_KEYS = ("sx_z1", "sx_z2")
T_KEY = "sx_T"
CHART_BOX = "sx_chart_box"


def _t_values() -> tuple[float, ...]:
    """Every value the temperature slider can take, as Streamlit steps it (0.1 apart)."""
    t_min, t_max, _ = SIMPLEX_TEMPERATURE
    return tuple(round(t_min + 0.1 * k, 1) for k in range(round((t_max - t_min) / 0.1) + 1))


@process_cache(maxsize=128)  # every value of one logit (101): a hall sweeping z₁ hits (75 KB each)
def _temperature_scrub(
    z12: tuple[float, float], true_index: int, eps: float, lr: float, steps: int, unit: str, n_traces: int
) -> str:
    """What the chart shows at every T (:func:`core.figures.simplex.temperature_frames`), for ``ui.scrub``.

    Shared by every session with these settings."""
    values = _t_values()
    frames = temperature_frames(
        [*z12, 0.0],
        smoothed_target(true_index, eps),
        values,
        lr,
        steps,
        unit=unit,
        names=NAMES,
        n_traces=n_traces,
    )
    return scrub_payload(values, frames)


@process_cache(maxsize=16)  # 0.3 to 0.9 MB each (the path's length follows k)
def _logit_scrub(
    z2: float, temperature: float, true_index: int, eps: float, lr: float, steps: int, unit: str
) -> str:
    """What the chart shows at every value of z₁ (:func:`core.figures.simplex.logit_frames`), for
    ``ui.scrub``: the curve softmax(z/T), the path, the point and the readout.  Shared by every session
    with these settings."""
    low, high = SIMPLEX_LOGIT_RANGE
    values = slider_values(low, high, 0.1, 1)
    below = len(_surface_layer(true_index, eps, unit).below)  # the curve is drawn just above these
    t_low, t_high, t_count = SIMPLEX_CURVE_TEMPERATURES
    frames = logit_frames(
        [SIMPLEX_LOGITS[0], z2, 0.0],
        0,
        values,
        smoothed_target(true_index, eps),
        temperature,
        lr,
        steps,
        unit=unit,
        names=NAMES,
        n_traces=len(
            trace_dicts(_at((SIMPLEX_LOGITS[0], z2), temperature, true_index, eps, steps, lr, unit)[2])
        ),
        curve_index=below,
        curve_temperatures=np.geomspace(t_low, t_high, t_count),
    )
    return scrub_payload(values, frames)


@process_cache(maxsize=64)
def _surface_layer(true_index: int, eps: float, unit: str) -> SimplexSurface:
    """What the triangle shows for a target (the loss surface, hover points, arrows, y′): every T and z of
    every session with this target and unit draw on it (core.figures.simplex.simplex_figure_on)."""
    target = smoothed_target(true_index, eps)
    grid = simplex_grid(SIMPLEX_RESOLUTION)
    hover_points = lattice_points(SIMPLEX_HOVER_RESOLUTION)
    arrow_lattice = lattice_points(SIMPLEX_ARROWS)
    arrow_points = np.vstack([np.eye(3), arrow_lattice[(arrow_lattice > 0).all(axis=1)]])
    arrow_steps = -logit_gradient(arrow_points, target)  # −(p − y′) at T = 1: the direction, drawn where p is
    return simplex_surface(
        grid.x,
        grid.y,
        in_unit(cross_entropy_surface(target, grid), unit),
        levels=SIMPLEX_CONTOURS[unit],
        unit=unit,
        names=NAMES,
        true_index=true_index,
        target=target,
        hover_points=hover_points,
        hover_losses=in_unit(cross_entropy_to(target, hover_points), unit),
        arrow_points=arrow_points,
        arrow_directions=arrow_steps,
        arrow_norms=np.linalg.norm(arrow_steps, axis=1),
    )


page_header("Probability simplex", LEAD)


def explorer() -> None:
    """The controls, the triangle and the sections under it: everything a logit or T moves.

    Laid out once per full run: z₂, the temperature, the target and the descent's settings rerun the page.
    z₁, the slider a student moves most, is a fragment of its own (:func:`logits_readouts`) that fills the
    slots laid out here: a release reruns only the numbers and the descent, not the other controls and
    headings.  The triangle is drawn outside it (``ui.scrub.scrubbed_chart``): while z₁ is dragged, and
    after it is released, the browser shows z₁'s frame, computed here for every value of z₁."""
    unit = units()
    low, high = SIMPLEX_LOGIT_RANGE
    controls, main = st.columns([1, 2], gap="large")
    with controls:
        st.subheader("The logits")
        logits_box = st.container()
        z2 = st.slider(
            f"{NAMES[1]} logit z₂",
            low,
            high,
            SIMPLEX_LOGITS[1],
            step=0.1,
            format="%.1f",
            key=LOGIT_KEYS[1],
            bind="query-params",
        )
        st.caption(f"{NAMES[2]} logit z₃ = 0, fixed. {SHIFT_NOTE}")
        t_min, t_max, t_default = SIMPLEX_TEMPERATURE
        temperature = st.slider(
            "Temperature T",
            t_min,
            t_max,
            t_default,
            step=0.1,
            format="%.1f",
            key=T_KEY,
            help="q = softmax(z / T): T < 1 sharpens q towards the largest logit, T > 1 flattens it.",
            bind="query-params",
        )
        st.subheader("The target")
        true_index = st.radio(
            "True class",
            range(3),
            index=SIMPLEX_TRUE_INDEX,
            format_func=lambda k: NAMES[k],
            horizontal=True,
            key="sx_true",
            bind="query-params",
        )
        e_min, e_max, e_default = SIMPLEX_SMOOTHING
        eps = st.slider(
            "Label smoothing ε",
            e_min,
            e_max,
            e_default,
            step=0.01,
            format="%.2f",
            key="sx_eps",
            help="The target becomes y′ = (1 − ε)·onehot + ε/3: a fraction ε of the way from the true corner "
            "to the centre.",
            bind="query-params",
        )
        st.subheader("Gradient descent in the logits")
        k_min, k_max, k_default = SIMPLEX_STEPS
        steps = st.slider("Steps k", k_min, k_max, k_default, key="sx_steps", bind="query-params")
        lr_min, lr_max, lr_default = SIMPLEX_LR
        lr = st.slider(
            "Learning rate η",
            lr_min,
            lr_max,
            lr_default,
            step=0.1,
            format="%.1f",
            key="sx_lr",
            help="Each step: z ← z − η (softmax(z / T) − y′) / T.",
            bind="query-params",
        )
    with main:
        slots = {"metrics": st.empty(), "q": st.empty()}
        # Keyed: T's listener (sent with the fragment) finds the chart through this box, as z₁'s finds it
        # through the chart's own key (ui/scrub.js runs one listener per key).
        chart_box = st.container(key=CHART_BOX)
        st.caption(BARYCENTRIC_NOTE)
    descent_col, why_col = st.columns(2, gap="large")
    with descent_col:
        st.subheader("Gradient descent")
        slots["descent"] = st.container()
    with why_col:
        st.subheader("Why it slows: the gradient q − y′")
        slots["why"] = st.container()
        st.subheader("Temperature")
        slots["temperature"] = st.empty()
    with logits_box:
        logits_readouts(z2, temperature, true_index, eps, steps, lr, unit, slots)
    with chart_box:
        scrubbed_chart(
            lambda z1: _at((z1, z2), temperature, true_index, eps, steps, lr, unit)[2],
            key="sx_chart",
            widget_key=LOGIT_KEYS[0],
            payload=_logit_scrub(z2, temperature, true_index, eps, lr, steps, unit),
            alt=simplex_alt(smoothed_target(true_index, eps), steps, unit),
        )


@process_cache(maxsize=128)  # as _temperature_scrub: a sweep of one logit stays in
def _at(
    z12: tuple[float, float],
    temperature: float,
    true_index: int,
    eps: float,
    steps: int,
    lr: float,
    unit: str,
):
    """Everything the logits' fragment shows at these settings: q and its gradient, the descent path, the
    triangle and the descent's loss chart.  The same for every session on these settings: computed once
    per process (the figures share the surface layer's arrays; never written to)."""
    z = np.array([*z12, 0.0])
    target = smoothed_target(true_index, eps)
    now = point_readout(z, target, temperature)
    path = descent_path(z, target, lr, steps, temperature)
    frame = SimplexFrame(
        label=temperature_label(temperature),
        point=now.probs,
        point_loss=float(in_unit(now.loss, unit)),
        grad_norm=now.grad_norm,
        path_probs=path.probs,
    )
    t_low, t_high, t_count = SIMPLEX_CURVE_TEMPERATURES
    curve_temperatures = np.geomspace(t_low, t_high, t_count)
    chart = simplex_figure_on(
        _surface_layer(true_index, eps, unit),
        unit=unit,
        names=NAMES,
        temperatures=curve_temperatures,
        temperature_probs=temperature_path(z, curve_temperatures),
        frame=frame,
    )
    floor = float(entropy(target))
    loss_chart = descent_loss_figure(in_unit(path.losses, unit), floor=float(in_unit(floor, unit)), unit=unit)
    return now, path, chart, loss_chart


@safe_fragment
def logits_readouts(
    z2: float, temperature: float, true_index: int, eps: float, steps: int, lr: float, unit: str, slots: dict
) -> None:
    """The z₁ slider and everything it moves but the triangle, written into the slots :func:`explorer`
    laid out (the triangle follows z₁ in the browser)."""
    low, high = SIMPLEX_LOGIT_RANGE
    z1 = st.slider(
        f"{NAMES[0]} logit z₁",
        low,
        high,
        SIMPLEX_LOGITS[0],
        step=0.1,
        format="%.1f",
        key=LOGIT_KEYS[0],
        bind="query-params",
    )
    z12 = [track(LOGIT_KEYS[0], z1), z2]
    z = np.array([*z12, 0.0])
    target = smoothed_target(true_index, eps)
    now, path, chart, loss_chart = _at(tuple(z12), temperature, true_index, eps, steps, lr, unit)
    floor = float(entropy(target))

    row = metric_row(slots["metrics"])
    row.metric(
        f"Loss ({unit})", number(float(in_unit(now.loss, unit)), 3), help="The cross-entropy of q to y′."
    )
    row.metric("|∂L/∂z|", number(now.grad_norm, 3), help="The size of the gradient, for the loss in nats.")
    row.metric(
        f"At step {steps}",
        number(float(in_unit(path.losses[-1], unit)), 3),
        help=f"The loss where the descent path ends, in {unit}.",
    )
    slots["q"].markdown(
        f"q = softmax(z/T) = **{vector_text(now.probs)}** for ({', '.join(NAMES)})  \n"
        f"∂L/∂z = (q − y′)/T = **{signed_vector(now.grad)}** with y′ = {vector_text(target)}"
    )
    # While the T slider is dragged, the triangle's path, point and readout follow it in the browser: the
    # frames depend on z₁, so this listener is sent with each run of the fragment.
    scrub = _temperature_scrub(tuple(z12), true_index, eps, lr, steps, unit, len(trace_dicts(chart)))
    follow_drag(CHART_BOX, T_KEY, scrub)

    with slots["descent"]:
        st.markdown(
            descent_sentence(
                path.probs,
                path.losses,
                target=target,
                true_index=true_index,
                label_smoothing=eps,
                lr=lr,
                unit=unit,
            )
        )
        warning = overshoot_warning(lr, temperature, bool((np.diff(path.losses) > 1e-12).any()))
        if warning:
            st.warning(warning, icon=":material/warning:")
        show_figure(loss_chart, key="sx_loss_chart", alt=descent_alt(path.losses, floor, unit))
    with slots["why"]:
        corners = corner_gradient_norms(target, temperature)
        corner_losses = cross_entropy_to(target, np.eye(3))
        rows = [("q now", now.probs, now.loss, now.grad_norm)] + [
            (
                f"{NAMES[k]} corner" + (" (true)" if k == true_index else ""),
                np.eye(3)[k],
                corner_losses[k],
                corners[k],
            )
            for k in range(3)
        ]
        show_table(
            {
                "where": [r[0] for r in rows],
                f"q ({', '.join(NAMES)})": [vector_text(r[1]) for r in rows],
                f"loss ({unit})": [
                    "∞" if np.isinf(r[2]) else number(float(in_unit(r[2], unit)), 3) for r in rows
                ],
                "|∂L/∂z|": [number(float(r[3]), 3) for r in rows],
            },
            index="where",
        )
        st.markdown(why_sentence(now.grad_norm, corners, true_index=true_index, temperature=temperature))
    slots["temperature"].markdown(temperature_sentence(z, temperature, now.probs))


explorer()

st.subheader("The math")
st.latex(
    r"q = \operatorname{softmax}(z / T), \qquad y' = (1 - \varepsilon)\, \mathrm{onehot}(t) + \varepsilon / 3"
)
st.latex(r"L(z) = -\sum_{c} y'_c \ln q_c = -y' \cdot \frac{z}{T} + \ln \sum_j e^{z_j / T}")
st.latex(r"\frac{\partial L}{\partial z} = \frac{q - y'}{T}, \qquad z \leftarrow z - \eta\, \frac{q - y'}{T}")
st.caption(MATH_NOTE)
