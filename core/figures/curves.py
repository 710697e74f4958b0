"""Several curves over one x grid, each with its operating point: shared by the Loss comparison and
Numerical pitfalls pages (and extended by :func:`core.figures.pitfalls.clipping_figure`).

Curve families tell their series apart by colour AND dash AND marker symbol, never by colour alone.

With ``point_traces=True`` the operating point's line, its label and a readout of every curve's value
there are traces, so a drag can move them: :func:`curves_point_frames` gives, for every value of the
page's slider, what :func:`curves_figure` draws there, for ``ui.scrub.follow_drag``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from core.figures.engine import Draft, figure_builder, plottable
from core.figures.style import (
    COLORS,
    FONT_SIZE,
    LINE_WIDTH,
    MARKER_SIZE,
    NEUTRAL,
    marked_vline,
    move_legend_below,
    styled,
)
from core.formatting import number

__all__ = ["CURVE_STYLES", "curves_figure", "curves_point_frames"]

# The operating point's line and label, drawn as traces, live on this hidden y axis over the plot: it runs
# from 0 (the bottom of the plot) to 1 (the top) whatever the data's y range or scale, as a shape's
# "y domain" does.
PLOT_HEIGHT_AXIS = "y2"
# Corner of the plot -> (end of the x range, height on PLOT_HEIGHT_AXIS, textposition); at the top, below
# the operating point's label.
_READOUT_PLACES = {
    "top right": (1, 0.9, "bottom left"),
    "bottom right": (1, 0.02, "top left"),
    "top left": (0, 0.9, "bottom right"),
    "bottom left": (0, 0.02, "top right"),
}


def _point_marks(
    point_x: float, values: Sequence[float], names: Sequence[str], label: str, *, y_log: bool, readout: bool
) -> list[dict]:
    """The attributes of the operating point's traces that move with it, in trace order.

    One marker per curve (``y`` None where the value cannot be drawn), the dotted line, its label and,
    with ``readout``, the text naming each curve's value at the point.
    """
    x = float(point_x)
    ys = [None if v is None or not math.isfinite(v) or (y_log and v <= 0) else float(v) for v in values]
    marks = [{"x": [x], "y": [y]} for y in ys]
    marks += [{"x": [x, x]}, {"x": [x], "text": [label]}]
    if readout:
        lines = [
            f"{name.split(' (')[0]}: {'—' if y is None else number(y)}"
            for name, y in zip(names, ys, strict=True)
        ]
        marks.append({"text": ["<br>".join(lines)]})
    return marks


def curves_point_frames(
    point_xs,
    point_values: Mapping[str, Sequence[float]],
    point_labels: Sequence[str],
    *,
    y_log=False,
    readout=False,
) -> dict:
    """What :func:`curves_figure` (``point_traces=True``) shows at every value of the operating point.

    Parameters
    ----------
    point_xs : array_like ``(n,)``
        Every value the page's slider can take, in order, as the figure's x (``point_x``).
    point_values : mapping of str to array_like ``(n,)``
        Each curve's value at each of them: the figure's ``series`` names, in the same order.
    point_labels : sequence of str ``(n,)``
        The line's label at each (``point_label``).
    y_log, readout : bool
        As given to :func:`curves_figure` (``y_log``; ``readout_corner`` given or not).

    Returns
    -------
    dict
        ``{"traces": [i, ...], "frames": [[update of each trace] for each value]}`` for
        ``ui.scrub.follow_drag``: the markers' x and y, the line's x, the label's x and text and the
        readout's text, made by the helper the builder draws them with.

    Raises
    ------
    ValueError
        If the lengths differ.

    Examples
    --------
    >>> out = curves_point_frames([0.5, 0.7], {"CE": [0.69, 0.36]}, ["p = 0.50", "p = 0.70"], readout=True)
    >>> out["traces"], out["frames"][1][:2]
    ([1, 2, 3, 4], [{'x': [0.7], 'y': [0.36]}, {'x': [0.7, 0.7]}])
    >>> out["frames"][1][2:]
    [{'x': [0.7], 'text': ['p = 0.70']}, {'text': ['CE: 0.3600']}]
    """
    xs = np.asarray(point_xs, dtype=np.float64).tolist()
    names = list(point_values)
    columns = [np.asarray(point_values[name], dtype=np.float64).tolist() for name in names]
    lengths = {len(xs), len(point_labels), *(len(c) for c in columns)}
    if xs == [] or len(lengths) != 1:
        raise ValueError(
            f"point_xs, point_labels and each of point_values must hold one entry per value; got lengths "
            f"{len(xs)}, {len(point_labels)} and {[len(c) for c in columns]}"
        )
    frames = [
        _point_marks(x, [c[i] for c in columns], names, str(point_labels[i]), y_log=y_log, readout=readout)
        for i, x in enumerate(xs)
    ]
    first = len(names)  # the curves' lines come first
    return {"traces": list(range(first, first + len(frames[0]))), "frames": frames}


CURVE_STYLES: tuple[tuple[str, str, str], ...] = (
    (COLORS["blue"], "solid", "circle"),
    (COLORS["vermillion"], "dash", "square"),
    (COLORS["green"], "dot", "diamond"),
    (COLORS["purple"], "dashdot", "triangle-up"),
    (COLORS["orange"], "longdash", "star"),
    (COLORS["sky"], "longdashdot", "hexagon"),
)


@figure_builder
def curves_figure(
    x,
    series,
    *,
    title: str,
    x_title: str,
    y_title: str,
    point_x: float | None = None,
    point_values=None,
    point_label: str | None = None,
    x_log: bool = False,
    y_log: bool = False,
    zero_line: bool = False,
    labels_at: float | None = None,
    legend_below: bool = False,
    notes=(),
    x_range: tuple[float, float] | None = None,
    y_range: tuple[float, float] | None = None,
    x_dtick: float | None = None,
    height: int = 440,
    point_traces: bool = False,
    readout_corner: str | None = None,
) -> Draft:
    """Several curves over one x grid, with an optional operating point marked on each.

    Parameters
    ----------
    x : array_like ``(m,)``
    series : mapping of str to array_like ``(m,)``
        Legend label -> y values; NaN and inf are drawn as gaps.  Styles follow :data:`CURVE_STYLES`
        in order (colour, dash and marker differ together).
    title, x_title, y_title : str
    point_x : float, optional
        Where to draw a dotted vertical line and one marker per curve.
    point_values : mapping of str to float, optional
        The y of each curve at ``point_x`` (same labels as ``series``); non-finite values are skipped.
    point_label : str, optional
        Text on the vertical line, e.g. ``"p = 0.70"``.
    x_log, y_log : bool
        Logarithmic axes (values <= 0 become gaps on a log axis).
    zero_line : bool
        Emphasise y = 0 (for gradients).
    labels_at : float, optional
        Write each curve's name next to it at this x, so the curves are named on the chart itself.
    legend_below : bool
        Put the legend under the plot (for many or long names, which would cover the title on top).
    notes : sequence of (x, y, text), optional
        Short texts written on the chart at data coordinates (one text trace, after the others).
    x_range, y_range : (float, float), optional
        Fixed axis ranges, ``(low, high)`` in data units (on a log axis in log10 of them, as in plotly);
        default: plotly fits the range to the data.
    x_dtick : float, optional
        The step between x-axis ticks, e.g. ``0.2``; default: plotly chooses.
    height : int
    point_traces : bool
        Draw the operating point's line and label as traces (on a hidden y axis over the plot) instead of
        a shape and an annotation, and keep a marker trace for every series (``y`` None where its value
        cannot be drawn), so a drag can move them all (:func:`curves_point_frames`).
    readout_corner : {"top right", "bottom right", "top left", "bottom left"}, optional
        With ``point_traces`` and ``x_range``: write each curve's value at the point (4 decimals, the
        name up to its first " (") in that corner of the plot.

    Returns
    -------
    go.Figure
        One line trace per series, then (with ``point_x``) one marker trace per series (with
        ``point_traces``: then the line, its label and, with ``readout_corner``, the readout), then (with
        ``labels_at``) one text trace, then (with ``notes``) one text trace.
    """
    xs = np.asarray(x, dtype=np.float64)
    if len(series) > len(CURVE_STYLES):
        raise ValueError(f"series can hold at most {len(CURVE_STYLES)} curves; got {len(series)}")
    fig = Draft()
    styles = dict(zip(series, CURVE_STYLES, strict=False))
    for name, ys in series.items():
        color, dash, _ = styles[name]
        fig.add_scatter(
            x=xs,
            y=plottable(ys, log=y_log),
            mode="lines",
            name=name,
            legendgroup=name,
            line={"color": color, "dash": dash, "width": LINE_WIDTH},
            hovertemplate=f"{name}<br>x = %{{x:.4g}}<br>y = %{{y:.4g}}<extra></extra>",
        )
    if point_x is not None and point_traces:
        _add_point_traces(
            fig,
            styles,
            float(point_x),
            dict(point_values or {}),
            point_label or "",
            y_log,
            x_range,
            readout_corner,
        )
    elif point_x is not None:
        values = dict(point_values or {})
        for name in series:
            v = values.get(name)
            if v is None or not np.isfinite(v) or (y_log and v <= 0):
                continue
            fig.add_scatter(x=[float(point_x)], y=[float(v)], **_point_marker(name, styles[name]))
        marked_vline(fig, float(point_x), point_label or "", log=x_log)
    if labels_at is not None:
        i = int(np.argmin(np.abs(xs - labels_at)))
        names, ys_at, colors = [], [], []
        for name, ys in series.items():
            y = plottable(ys, log=y_log)[i]
            if np.isfinite(y):
                names.append(name.split(" (")[0])
                ys_at.append(float(y))
                colors.append(styles[name][0])
        fig.add_scatter(
            x=[xs[i]] * len(names),
            y=ys_at,
            mode="text",
            text=names,
            textposition="middle right",
            textfont={"color": colors, "size": FONT_SIZE - 2},
            showlegend=False,
            hoverinfo="skip",
            name="curve labels",
        )
    if notes:
        fig.add_scatter(
            x=[float(n[0]) for n in notes],
            y=[float(n[1]) for n in notes],
            mode="text",
            text=[str(n[2]) for n in notes],
            textposition="middle right",
            textfont={"size": FONT_SIZE, "color": COLORS["black"]},
            showlegend=False,
            hoverinfo="skip",
            name="notes",
        )
    styled(fig, title=title, x_title=x_title, y_title=y_title, height=height)
    if legend_below:
        move_legend_below(fig, entries=len(series))
    if x_log:
        fig.update_xaxes(type="log")
    if y_log:
        fig.update_yaxes(type="log")
    if zero_line:
        fig.update_yaxes(zeroline=True, zerolinecolor=COLORS["black"], zerolinewidth=2)
    if x_range is not None:
        fig.update_xaxes(range=list(x_range))
    if x_dtick is not None:
        fig.update_xaxes(dtick=x_dtick)
    if y_range is not None:
        fig.update_yaxes(range=list(y_range))
    if (
        point_x is not None and point_traces
    ):  # after the data's y axis is set up: its updates stay off this one
        fig.update_layout(
            {
                f"yaxis{PLOT_HEIGHT_AXIS[1:]}": {
                    "overlaying": "y",
                    "range": [0, 1],
                    "visible": False,
                    "fixedrange": True,
                }
            }
        )
    return fig


def _point_marker(name: str, style: tuple[str, str, str]) -> dict:
    """A series' marker at the operating point: every property but its x and y."""
    color, _, symbol = style
    return {
        "mode": "markers",
        "name": f"{name} at the point",
        "legendgroup": name,
        "showlegend": False,
        "marker": {
            "symbol": symbol,
            "size": MARKER_SIZE,
            "color": color,
            "line": {"width": 2, "color": "white"},
        },
        "hovertemplate": f"{name}<br>x = %{{x:.4g}}<br>y = %{{y:.4g}}<extra></extra>",
    }


def _add_point_traces(fig: Draft, styles, point_x, values, label, y_log, x_range, readout_corner) -> None:
    """The operating point as traces only: a marker per series, the line, its label, the readout."""
    if readout_corner is not None and (readout_corner not in _READOUT_PLACES or x_range is None):
        raise ValueError(
            f"readout_corner must be one of {sorted(_READOUT_PLACES)}, with x_range given; got "
            f"{readout_corner!r} and x_range={x_range!r}"
        )
    names = list(styles)
    marks = _point_marks(
        point_x,
        [values.get(name, math.nan) for name in names],
        names,
        label,
        y_log=y_log,
        readout=readout_corner is not None,
    )
    for name, mark in zip(names, marks, strict=False):
        fig.add_scatter(**mark, **_point_marker(name, styles[name]))
    line, text, *readout = marks[len(names) :]
    on_plot = {"yaxis": PLOT_HEIGHT_AXIS, "showlegend": False, "hoverinfo": "skip", "cliponaxis": False}
    fig.add_scatter(
        **line,
        y=[0, 1],
        mode="lines",
        name="operating point",
        line={"dash": "dot", "color": NEUTRAL, "width": 2},
        **on_plot,
    )
    fig.add_scatter(
        **text,
        y=[1],
        mode="text",
        name="operating point label",
        textposition="bottom right",
        textfont={"size": FONT_SIZE - 2, "color": COLORS["black"]},
        **on_plot,
    )
    if readout:
        end, height, position = _READOUT_PLACES[readout_corner]
        fig.add_scatter(
            **readout[0],
            x=[float(x_range[end])],
            y=[height],
            mode="text",
            name="values at the point",
            textposition=position,
            textfont={"size": FONT_SIZE - 2, "color": COLORS["black"]},
            **on_plot,
        )
