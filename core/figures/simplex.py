"""Figures of the Probability simplex page: the loss over every prediction of three classes, and descent.

:func:`simplex_figure` draws the triangle of predictions with the cross-entropy as filled contours, the
target y′, arrows of −(p − y′), the curve softmax(z/T) traces as T sweeps, the gradient-descent path and
the current prediction.

Everything that moves with the temperature T is in one :class:`SimplexFrame` and is drawn as the last
three traces: the path, the point and the readout (:data:`PATH_TRACE`, :data:`POINT_TRACE`,
:data:`READOUT_TRACE`), each built from numbers alone (:func:`path_trace`, :func:`point_trace`,
:func:`readout_trace`).  The rest of the figure does not depend on T.  So a chart that follows a drag of
T needs only those three traces at each slider value, from :func:`core.simplex.temperature_sweep`.
:func:`descent_loss_figure` plots the loss along the path.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from core.figures.engine import Draft, figure_builder, frozen, plottable
from core.figures.scrub import Step, scrub_frames
from core.figures.style import COLORS, FONT_SIZE, LINE_WIDTH, MARKER_SIZE, NEUTRAL, move_legend_below, styled
from core.formatting import number
from core.simplex import CORNERS, HEIGHT, logit_sweep, temperature_path, temperature_sweep, to_cartesian
from core.units import in_unit

if TYPE_CHECKING:
    import plotly.graph_objects as go

# The loss surface looks the same on a light and a dark page, so what is drawn on it keeps its colours in
# both themes: these are not the swapped "black"/"white" of core.figures.output.adapt.
ON_SURFACE_DARK = "#1A1A1A"
ON_SURFACE_LIGHT = "#FFFFFF"
# Viridis (perceptually uniform, colour-blind safe) reversed: low loss bright yellow, high loss dark blue.
# It stops short of Viridis' darkest purple so the dark arrows stay visible on the highest band.
LOSS_SCALE = [
    [0.0, "#FDE725"],
    [0.25, "#7AD151"],
    [0.5, "#22A884"],
    [0.75, "#2A788E"],
    [1.0, "#414487"],
]
POINT_COLOR = COLORS["vermillion"]
ARROW_COLOR = COLORS["purple"]  # reads on every band of the surface and on a light or dark page
ARROW_SCALE = 0.25  # an arrow from p is drawn a quarter of the way to y′
PATH_TRACE, POINT_TRACE, READOUT_TRACE = -3, -2, -1  # the last three traces: all that moves with T
_PAD = 0.09  # room around the triangle for the corner labels
PLOT_DECIMALS = 5  # the path's and the curve's positions (the triangle's side is 1): far below a pixel


class SimplexFrame(NamedTuple):
    """What the chart shows at one value of the temperature, all computed by ``core``."""

    label: str  # the readout's first line, e.g. "T = 1.0"
    point: np.ndarray  # q = softmax(z/T), (3,)
    point_loss: float  # its loss in the chart's unit
    grad_norm: float  # |∂L/∂z| there
    path_probs: np.ndarray  # q after 0 … k steps of descent, (k + 1, 3)


def _q_text(names, q) -> str:
    # number() with 3 decimals; a probability (>= 0) needs no minus, so most values skip its checks
    return " · ".join(
        f"{name} {v + 0.0:.3f}" if v >= 0 else f"{name} {number(v, 3)}"  # + 0.0: no "-0.000"
        for name, v in zip(names, np.asarray(q, dtype=np.float64).tolist(), strict=True)
    )


def path_trace(path_probs) -> dict:
    """The gradient-descent path as a trace: q₀ … q_k, one marker per step (its number on hover).

    Parameters
    ----------
    path_probs : array_like ``(k + 1, 3)``
        q after 0 … k steps.

    Returns
    -------
    dict
        A scatter trace (plotly JSON).
    """
    probs = np.asarray(path_probs, dtype=np.float64)
    xy = np.round(to_cartesian(probs), PLOT_DECIMALS)
    steps = len(probs) - 1
    return {
        "type": "scatter",
        "x": xy[:, 0],
        "y": xy[:, 1],
        "mode": "lines+markers",
        "name": f"descent: {steps} step{'s' if steps != 1 else ''} from q",
        "line": {"color": ON_SURFACE_DARK, "width": 2},
        "marker": {
            "symbol": "circle",
            "size": 7,
            "color": ON_SURFACE_LIGHT,
            "line": {"color": ON_SURFACE_DARK, "width": 1.5},
        },
        "hovertemplate": "descent, step %{pointNumber}<extra></extra>",
    }


def curve_trace(temperatures, temperature_probs, *, names) -> dict:
    """The curve softmax(z/T) as T sweeps: a dotted line, T and q on hover.

    The q of each point is in ``customdata``, rounded to the 3 decimals the hover shows (Plotly prints
    them with the ``hovertemplate``'s ``.3f``, which then changes no digit), and T in ``text``: a chart
    that follows a logit's slider (:func:`logit_frames`) moves the curve by sending numbers only, a
    third of the size of the hover texts written out.

    Parameters
    ----------
    temperatures : array_like ``(m,)``
        The sweep of T, increasing.
    temperature_probs : array_like ``(m, 3)``
        softmax(z/T) for each.
    names : sequence of 3 str

    Returns
    -------
    dict
        A scatter trace (plotly JSON).
    """
    temps = np.asarray(temperatures, dtype=np.float64)
    probs = np.asarray(temperature_probs, dtype=np.float64)
    curve = np.round(to_cartesian(probs), PLOT_DECIMALS)
    template = " · ".join(f"{name} %{{customdata[{k}]:.3f}}" for k, name in enumerate(names))
    return {
        "type": "scatter",
        "x": curve[:, 0],
        "y": curve[:, 1],
        "mode": "lines",
        "name": f"softmax(z/T), T = {temps[0]:g} … {temps[-1]:g}",
        "line": {"color": POINT_COLOR, "width": LINE_WIDTH, "dash": "dot"},
        "text": [f"T = {t:.3g}" for t in temps],
        "customdata": np.round(probs, 3) + 0.0,  # + 0.0: no -0.0
        "hovertemplate": f"%{{text}}<br>{template}<extra></extra>",
    }


def _point_hover(q: np.ndarray, loss: float, names, unit: str) -> str:
    return f"q = softmax(z/T)<br>{_q_text(names, q)}<br>loss {number(float(loss), 4)} {unit}"


def point_trace(probs, loss: float, *, names, unit: str) -> dict:
    """The current prediction q = softmax(z/T) as a trace: one large marker, labelled "q".

    Parameters
    ----------
    probs : array_like ``(3,)``
    loss : float
        Its loss in ``unit``.
    names : sequence of 3 str
    unit : {"nats", "bits"}

    Returns
    -------
    dict
        A scatter trace (plotly JSON).
    """
    q = np.asarray(probs, dtype=np.float64)
    x, y = to_cartesian(q)
    return {
        "type": "scatter",
        "x": [float(x)],
        "y": [float(y)],
        "mode": "markers+text",
        "name": "q = softmax(z/T) now",
        "marker": {
            "symbol": "circle",
            "size": MARKER_SIZE + 4,
            "color": POINT_COLOR,
            "line": {"color": ON_SURFACE_LIGHT, "width": 2},
        },
        "text": ["q"],
        "textposition": "middle right",
        "textfont": {"size": FONT_SIZE + 2, "color": ON_SURFACE_DARK},
        "hovertext": [_point_hover(q, loss, names, unit)],
        "hovertemplate": "%{hovertext}<extra></extra>",
    }


def readout_trace(frame: SimplexFrame, *, unit: str) -> dict:
    """The frame's numbers as text in the empty corner right of the triangle's apex: T, loss, |∂L/∂z|.

    A trace (not an annotation), so it changes with the path and the point.

    Parameters
    ----------
    frame : SimplexFrame
    unit : {"nats", "bits"}

    Returns
    -------
    dict
        A text-only scatter trace (plotly JSON).
    """
    return {
        "type": "scatter",
        "x": [1 + _PAD],
        "y": [HEIGHT + _PAD / 2],
        "mode": "text",
        "name": "readout",
        "text": [
            f"{frame.label}<br>loss {number(float(frame.point_loss), 3)} {unit}"
            f"<br>|∂L/∂z| {number(float(frame.grad_norm), 3)}"
        ],
        "textposition": "bottom left",
        "textfont": {"size": FONT_SIZE - 1, "color": COLORS["black"]},
        "hoverinfo": "skip",
        "showlegend": False,
    }


def _arrow_traces(points, directions, norms, scale: float) -> tuple[dict, dict]:
    """Shafts (one line trace, segments split by gaps) and heads (markers turned along each shaft)."""
    start = to_cartesian(np.asarray(points, dtype=np.float64))
    end = start + scale * to_cartesian(np.asarray(directions, dtype=np.float64))
    norms = np.asarray(norms, dtype=np.float64)
    xs, ys = [], []
    for (x0, y0), (x1, y1) in zip(start, end, strict=True):
        xs += [float(x0), float(x1), None]
        ys += [float(y0), float(y1), None]
    delta = end - start
    angles = np.degrees(np.arctan2(delta[:, 0], delta[:, 1]))  # clockwise from "up", as plotly turns markers
    moving = norms > 1e-12
    shafts = {
        "type": "scatter",
        "x": xs,
        "y": ys,
        "mode": "lines",
        "name": "−(q − y′): the push on the logits",
        "legendgroup": "arrows",
        "line": {"color": ARROW_COLOR, "width": 2.5},
        "hoverinfo": "skip",
    }
    heads = {
        "type": "scatter",
        "x": end[:, 0],
        "y": end[:, 1],
        "mode": "markers",
        "name": "arrow heads",
        "legendgroup": "arrows",
        "showlegend": False,
        "marker": {
            "symbol": "arrow",
            "size": np.where(moving, 13, 0),
            "angle": np.where(moving, angles, 0.0),
            "color": ARROW_COLOR,
        },
        "text": [f"|p − y′| = {number(float(v), 3)}" for v in norms],
        "hovertemplate": "%{text}<extra></extra>",
    }
    return shafts, heads


class SimplexSurface(NamedTuple):
    """The part of :func:`simplex_figure` that depends on the target (and the unit) alone, as plotly JSON.

    Built by :func:`simplex_surface`; a page can cache it per target and unit, and draw every logit and
    temperature on it with :func:`simplex_figure_on` (most of the chart's bytes, a fraction of its work).
    """

    below: list[dict]  # the contour surface, the triangle, the hover points: under the temperature curve
    above: list[dict]  # the arrow shafts and heads, the target y′: over it
    layout: dict  # title, corner labels, axes and legend


def simplex_surface(
    grid_x,
    grid_y,
    surface,
    *,
    levels: tuple[float, float],
    unit: str,
    names,
    true_index: int,
    target,
    hover_points,
    hover_losses,
    arrow_points,
    arrow_directions,
    arrow_norms,
    height: int = 680,
) -> SimplexSurface:
    """What :func:`simplex_figure` draws for a target, before any logit or temperature: see there.

    Parameters
    ----------
    grid_x, grid_y, surface, levels, unit, names, true_index, target, hover_points, hover_losses,
    arrow_points, arrow_directions, arrow_norms, height
        As for :func:`simplex_figure`.

    Returns
    -------
    SimplexSurface
    """
    spacing, top = (float(v) for v in levels)
    loss = np.asarray(surface, dtype=np.float64)
    shown = np.where(np.isnan(loss), np.nan, np.minimum(loss, top + spacing))  # +inf → the top band
    step = 1.0 if top >= 2 else spacing
    ticks = [float(v) for v in np.arange(0, top - step / 2, step)]  # whole units below the top band's label
    fig = Draft()
    fig.add_trace(
        {
            "type": "contour",
            "x": np.asarray(grid_x, dtype=np.float64),
            "y": np.asarray(grid_y, dtype=np.float64),
            "z": shown,
            "name": f"loss ({unit}); above {top:g} drawn as {top + spacing:g}",
            "connectgaps": False,
            "colorscale": LOSS_SCALE,
            "zmin": 0.0,
            "zmax": top + spacing,
            "contours": {"start": spacing, "end": top, "size": spacing, "coloring": "fill"},
            "line": {"width": 0.6, "color": "rgba(26,26,26,0.35)"},
            "hoverinfo": "skip",
            "colorbar": {  # in the empty corner left of the triangle's apex, at any screen width
                "title": {"text": f"loss ({unit})", "side": "top", "font": {"size": FONT_SIZE - 2}},
                "tickvals": [*ticks, top + spacing / 2],
                "ticktext": [f"{v:g}" for v in ticks] + [f"≥ {top:g}"],
                "tickfont": {"size": FONT_SIZE - 3},
                "orientation": "v",
                "x": 0.0,
                "xanchor": "left",
                "y": 1.0,
                "yanchor": "top",
                "len": 0.5,
                "thickness": 12,
            },
        }
    )
    outline = np.vstack([CORNERS, CORNERS[:1]])
    fig.add_scatter(
        x=outline[:, 0],
        y=outline[:, 1],
        mode="lines",
        name="the triangle of all predictions",
        line={"color": COLORS["black"], "width": 2},
        hoverinfo="skip",
        showlegend=False,
    )
    hover_q = np.asarray(hover_points, dtype=np.float64)
    hover_xy = to_cartesian(hover_q)
    fig.add_scatter(
        x=hover_xy[:, 0],
        y=hover_xy[:, 1],
        mode="markers",
        name="loss at lattice points",
        marker={"size": 14, "opacity": 0, "color": NEUTRAL},
        text=[
            f"{_q_text(names, q)}<br>loss {'∞' if np.isinf(v) else number(float(v), 3)} {unit}"
            for q, v in zip(hover_q, np.asarray(hover_losses, dtype=np.float64), strict=True)
        ],
        hovertemplate="%{text}<extra></extra>",
        showlegend=False,
    )
    below = fig.data
    fig.data = []
    shafts, heads = _arrow_traces(arrow_points, arrow_directions, arrow_norms, ARROW_SCALE)
    fig.add_trace(shafts)
    fig.add_trace(heads)
    y_target = np.asarray(target, dtype=np.float64)
    tx, ty = to_cartesian(y_target)
    fig.add_scatter(
        x=[float(tx)],
        y=[float(ty)],
        mode="markers",
        name="target y′ (lowest loss)",
        marker={
            "symbol": "star",
            "size": MARKER_SIZE + 8,
            "color": ON_SURFACE_LIGHT,
            "line": {"color": ON_SURFACE_DARK, "width": 2},
        },
        hovertext=[f"target y′<br>{_q_text(names, y_target)}"],
        hovertemplate="%{hovertext}<extra></extra>",
    )
    for k, (name, corner) in enumerate(zip(names, CORNERS, strict=True)):
        top_corner = k == 0
        fig.add_annotation(
            x=float(corner[0]),
            y=float(corner[1]) + (0.025 if top_corner else -0.025),
            text=f"<b>{name} (true)</b>" if k == true_index else name,
            showarrow=False,
            xanchor="center",
            yanchor="bottom" if top_corner else "top",
            font={"size": FONT_SIZE + 1, "color": COLORS["black"]},
        )
    styled(fig, title=f"Loss over every prediction ({unit})", height=height)
    fig.update_layout(  # the legend: five entries, one to a row, pinned to the figure's bottom edge
        legend={
            "orientation": "v",
            "x": 0,
            "xanchor": "left",
            "y": 0,
            "yref": "container",
            "yanchor": "bottom",
        },
        hovermode="closest",
        margin={"l": 30, "r": 30, "t": 60, "b": 175},
    )
    fig.update_xaxes(range=[-_PAD, 1 + _PAD], visible=False, fixedrange=True)
    fig.update_yaxes(
        range=[-_PAD, HEIGHT + _PAD / 2], visible=False, scaleanchor="x", scaleratio=1, fixedrange=True
    )
    # Shared by every figure drawn on it: read-only, so each array is encoded for plotly.js once (engine).
    return SimplexSurface(below=frozen(below), above=frozen(fig.data), layout=fig.layout)


@figure_builder
def simplex_figure_on(
    surface: SimplexSurface, *, unit: str, names, temperatures, temperature_probs, frame: SimplexFrame
) -> Draft:
    """:func:`simplex_figure` on a :class:`SimplexSurface`: adds the temperature curve and the frame.

    Parameters
    ----------
    surface : SimplexSurface
        From :func:`simplex_surface` (not changed).
    unit, names, temperatures, temperature_probs, frame
        As for :func:`simplex_figure`.

    Returns
    -------
    go.Figure
        The same figure as :func:`simplex_figure`.
    """
    fig = Draft()
    for trace in surface.below:
        fig.add_trace(trace)
    fig.add_trace(curve_trace(temperatures, temperature_probs, names=names))
    for trace in surface.above:
        fig.add_trace(trace)
    fig.add_trace(path_trace(frame.path_probs))
    fig.add_trace(point_trace(frame.point, frame.point_loss, names=names, unit=unit))
    fig.add_trace(readout_trace(frame, unit=unit))
    fig.layout = copy.deepcopy(surface.layout)
    return fig


def simplex_figure(
    grid_x,
    grid_y,
    surface,
    *,
    levels: tuple[float, float],
    unit: str,
    names,
    true_index: int,
    target,
    hover_points,
    hover_losses,
    arrow_points,
    arrow_directions,
    arrow_norms,
    temperatures,
    temperature_probs,
    frame: SimplexFrame,
    height: int = 680,
) -> go.Figure:
    """Every prediction of three classes as a triangle, the cross-entropy to y′ as filled contours on it.

    Traces, bottom to top: the loss surface (contours), the triangle's edges, invisible hover points (q and
    the exact loss), the temperature curve, the arrow shafts and heads, the target y′, then
    :func:`path_trace`, :func:`point_trace` and :func:`readout_trace` (always the last three,
    :data:`PATH_TRACE`, :data:`POINT_TRACE` and :data:`READOUT_TRACE`: all that depends on T).  Corners
    are labelled with the class names, the true class marked "(true)".

    Parameters
    ----------
    grid_x, grid_y : array_like ``(nx,)``, ``(ny,)``
        The cartesian grid of :func:`core.simplex.simplex_grid`.
    surface : array_like ``(ny, nx)``
        The loss in ``unit`` (NaN outside the triangle, +inf where it is infinite).  Drawn with
        contour lines every ``levels[0]`` from 0 up to ``levels[1]``; everything above ``levels[1]``
        (+inf too) is drawn in one top band, at ``levels[1] + levels[0]``, and the colour bar says so.
    levels : (spacing, top)
        In ``unit``.
    unit : {"nats", "bits"}
    names : sequence of 3 str
        Class names for corners 0, 1, 2 (plain text).
    true_index : int in [0, 3)
    target : array_like ``(3,)``
        y′.
    hover_points : array_like ``(h, 3)``
        Points whose q and loss show on hover (a coarse lattice).
    hover_losses : array_like ``(h,)``
        Their losses in ``unit`` (+inf written "∞").
    arrow_points, arrow_directions : array_like ``(a, 3)``
        Where the arrows start (predictions p) and their directions −(p − y′); drawn at
        :data:`ARROW_SCALE` of their length.
    arrow_norms : array_like ``(a,)``
        |p − y′|, on hover.
    temperatures : array_like ``(m,)``
        The sweep of T, increasing.
    temperature_probs : array_like ``(m, 3)``
        softmax(z/T) for each.
    frame : SimplexFrame
        The path, the point and the readout at the current T.
    height : int, default 680

    Returns
    -------
    go.Figure

    Notes
    -----
    :func:`simplex_surface` then :func:`simplex_figure_on`: a page that caches the first per target draws
    each logit and temperature at the cost of the second alone.
    """
    layer = simplex_surface(
        grid_x,
        grid_y,
        surface,
        levels=levels,
        unit=unit,
        names=names,
        true_index=true_index,
        target=target,
        hover_points=hover_points,
        hover_losses=hover_losses,
        arrow_points=arrow_points,
        arrow_directions=arrow_directions,
        arrow_norms=arrow_norms,
        height=height,
    )
    return simplex_figure_on(
        layer,
        unit=unit,
        names=names,
        temperatures=temperatures,
        temperature_probs=temperature_probs,
        frame=frame,
    )


@figure_builder
def descent_loss_figure(losses, *, floor: float, unit: str, height: int = 360) -> Draft:
    """The loss after each step of gradient descent, and the lowest possible loss H(y′) as a dashed line.

    Parameters
    ----------
    losses : array_like ``(k + 1,)``
        In ``unit``, after 0 … k steps.
    floor : float
        H(y′) in ``unit``: no prediction has a lower loss (0 for a one-hot target).
    unit : {"nats", "bits"}
    height : int, default 360

    Returns
    -------
    go.Figure
        Two line traces: the losses, then the floor H(y′) across the same steps.
    """
    values = plottable(losses)
    steps = np.arange(len(values))
    fig = Draft()
    fig.add_scatter(
        x=steps,
        y=values,
        mode="lines+markers",
        name=f"loss after k steps ({unit})",
        line={"color": COLORS["blue"], "width": LINE_WIDTH},
        marker={"size": 6},
        hovertemplate=f"step %{{x}}<br>loss %{{y:.4f}} {unit}<extra></extra>",
    )
    fig.add_scatter(
        x=[float(steps[0]), float(steps[-1])],
        y=[float(floor), float(floor)],
        mode="lines",
        name=f"lowest possible: H(y′) = {number(float(floor), 4)} {unit}",
        line={"dash": "dash", "color": COLORS["black"], "width": 2},
        hovertemplate=f"H(y′) = {number(float(floor), 4)} {unit}<extra></extra>",
    )
    top = max(float(np.nanmax(values)) if np.isfinite(values).any() else 1.0, float(floor)) * 1.1 + 1e-3
    styled(
        fig,
        title="Loss along the descent path",
        x_title="step k",
        y_title=f"loss ({unit})",
        height=height,
    )
    move_legend_below(fig, entries=2, per_row=None, y=-0.3)
    fig.update_yaxes(range=[0, top])
    fig.update_xaxes(range=[-0.02 * max(len(values) - 1, 1), (len(values) - 1) * 1.02 + 0.5])
    return fig


def temperature_label(temperature: float) -> str:
    """The readout's first line: ``T = 1.0`` (one decimal when that is exact, else all digits needed).

    >>> temperature_label(1.0), temperature_label(0.25)
    ('T = 1.0', 'T = 0.25')
    """
    return f"T = {temperature:.1f}" if round(temperature, 1) == temperature else f"T = {temperature:g}"


# What moves with T in the last three traces (path, point, readout): the attributes a frame can set.
_MOVING = (("x", "y"), ("hovertext", "x", "y"), ("text",))


def temperature_frames(
    logits, target, temperatures, lr: float, steps: int, *, unit: str, names, n_traces: int
) -> dict:
    """The frames a chart follows while its temperature slider is dragged (``ui.scrub``): one per T.

    At each T of ``temperatures`` (every value the slider can take, in order), the path, the point and
    the readout that :func:`simplex_figure` draws there, from :func:`core.simplex.temperature_sweep` and
    the same trace builders.  They are the chart's last three traces, of ``n_traces``.  A frame sets
    what differs between the values (the path's and the point's positions, the hover text, the readout):
    what :func:`core.figures.scrub.steps_from_figures` keeps, without diffing whole figures (a logit move
    rebuilds these frames, so their cost is paid on every rerun of the page).

    Returns
    -------
    dict
        ``{"traces": [n_traces - 3, n_traces - 2, n_traces - 1], "frames": [...]}``
        (:func:`core.figures.scrub.scrub_frames`).
    """
    sweep = temperature_sweep(logits, target, temperatures, lr, steps)
    drawn = []
    for i, t in enumerate(sweep.temperatures):
        loss = float(in_unit(sweep.losses[i], unit))
        frame = SimplexFrame(
            label=temperature_label(float(t)),
            point=sweep.probs[i],
            point_loss=loss,
            grad_norm=float(np.linalg.norm(sweep.grads[i])),
            path_probs=sweep.path_probs[i],
        )
        traces = (
            path_trace(frame.path_probs),
            point_trace(frame.point, loss, names=names, unit=unit),
            readout_trace(frame, unit=unit),
        )
        drawn.append([{a: trace[a] for a in attrs} for trace, attrs in zip(traces, _MOVING, strict=True)])
    first = drawn[0]
    moving = [
        [a for a in attrs if any(not _same(d[k][a], first[k][a]) for d in drawn)]
        for k, attrs in enumerate(_MOVING)
    ]
    offset = n_traces - len(_MOVING)
    return scrub_frames(
        [
            Step(
                temperature_label(float(t)),
                traces={offset + k: {a: d[k][a] for a in attrs} for k, attrs in enumerate(moving) if attrs},
            )
            for t, d in zip(sweep.temperatures, drawn, strict=True)
        ]
    )


def _same(a, b) -> bool:
    """Whether two values of a trace attribute (lists or numpy arrays) are equal."""
    return bool(np.array_equal(a, b))


def logit_frames(
    logits,
    index: int,
    values,
    target,
    temperature: float,
    lr: float,
    steps: int,
    *,
    unit: str,
    names,
    n_traces: int,
    curve_index: int,
    curve_temperatures,
) -> dict:
    """The frames a chart follows while logit ``index``'s slider is dragged (``ui.scrub``): one per value.

    At each value of ``values`` (every value the slider can take, in order), what
    :func:`simplex_figure` draws there that a logit moves: the temperature curve (trace ``curve_index``,
    :func:`curve_trace` over ``curve_temperatures``), the path, the point and the readout (the last three
    of ``n_traces``), from :func:`core.simplex.logit_sweep` and the same trace builders.

    Returns
    -------
    dict
        ``{"traces": [curve_index, n_traces - 3, n_traces - 2, n_traces - 1], "frames": [...]}``
        (:func:`core.figures.scrub.scrub_frames`).
    """
    sweep = logit_sweep(logits, index, values, target, temperature, lr, steps)
    label = temperature_label(float(temperature))
    offset = n_traces - len(_MOVING)
    steps_out = []
    for i, value in enumerate(sweep.values):
        loss = float(in_unit(sweep.losses[i], unit))
        frame = SimplexFrame(
            label=label,
            point=sweep.probs[i],
            point_loss=loss,
            grad_norm=float(np.linalg.norm(sweep.grads[i])),
            path_probs=sweep.path_probs[i],
        )
        curve = curve_trace(
            curve_temperatures, temperature_path(sweep.logits[i], curve_temperatures), names=names
        )
        moving = {curve_index: {a: curve[a] for a in _CURVE_MOVING}}
        traces = (
            path_trace(frame.path_probs),
            point_trace(frame.point, loss, names=names, unit=unit),
            readout_trace(frame, unit=unit),
        )
        for k, (trace, attrs) in enumerate(zip(traces, _MOVING, strict=True)):
            moving[offset + k] = {a: trace[a] for a in attrs}
        steps_out.append(Step(f"z[{index}] = {value:g}", traces=moving))
    return scrub_frames(steps_out)


# What a logit moves in the temperature curve (its T, in text, does not move).
_CURVE_MOVING = ("x", "y", "customdata")
