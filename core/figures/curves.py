"""Several curves over one x grid, each with its operating point: shared by the Loss comparison and
Numerical pitfalls pages (and extended by :func:`core.figures.pitfalls.clipping_figure`).

Curve families tell their series apart by colour AND dash AND marker symbol, never by colour alone.
"""

from __future__ import annotations

import numpy as np

from core.figures.engine import Draft, figure_builder, plottable
from core.figures.style import (
    COLORS,
    FONT_SIZE,
    LINE_WIDTH,
    MARKER_SIZE,
    marked_vline,
    move_legend_below,
    styled,
)

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

    Returns
    -------
    go.Figure
        One line trace per series, then (with ``point_x``) one marker trace per series, then (with
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
    if point_x is not None:
        values = dict(point_values or {})
        for name in series:
            color, _, symbol = styles[name]
            v = values.get(name)
            if v is None or not np.isfinite(v) or (y_log and v <= 0):
                continue
            fig.add_scatter(
                x=[float(point_x)],
                y=[float(v)],
                mode="markers",
                name=f"{name} at the point",
                legendgroup=name,
                showlegend=False,
                marker={
                    "symbol": symbol,
                    "size": MARKER_SIZE,
                    "color": color,
                    "line": {"width": 2, "color": "white"},
                },
                hovertemplate=f"{name}<br>x = %{{x:.4g}}<br>y = %{{y:.4g}}<extra></extra>",
            )
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
    return fig
