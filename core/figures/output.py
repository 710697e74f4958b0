"""What leaves the builders: a figure adapted to the screen, and the numbers behind it as CSV.

:func:`adapt` scales a finished figure for presenter mode (a projector) and swaps the colours fixed for a
white page when the app's theme is dark; :func:`figure_csv` writes the points and cells of its traces.
``ui.common.show_figure`` calls both.  Neither builds plotly's object tree, so a figure stays on the fast
path (:mod:`core.figures.engine`).
"""

from __future__ import annotations

import csv
import io

import numpy as np
import plotly.graph_objects as go

from core.figures.engine import SpecFigure, trace_dicts
from core.figures.style import COLORS

PROJECTOR_SCALE = 1.35  # fonts, line widths and marker sizes in presenter mode
PROJECTOR_TICK_SIZE = 18  # tick labels in presenter mode (Streamlit's theme draws them at 12 px)
_FONT_KEYS = frozenset({"font", "textfont", "tickfont", "insidetextfont", "outsidetextfont"})
# Colours chosen for a white page that would vanish on a dark one, and their dark-theme stand-ins.
_DARK_SWAPS = {
    COLORS["black"]: "#FAFAFA",
    "black": "#FAFAFA",
    "white": "#0E1117",
    "rgba(255,255,255,0.85)": "rgba(14,17,23,0.85)",
    "rgba(255,255,255,0.8)": "rgba(14,17,23,0.8)",
}
_COLOR_KEYS = frozenset({"color", "bgcolor", "arrowcolor", "zerolinecolor", "linecolor", "bordercolor"})


def _scaled(value, scale: float):
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value * scale
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_scaled(v, scale) for v in value]
    return value


def _adapt(node, parent: str, scale: float, dark: bool):
    """Walk plotly JSON: scale font sizes, line widths and marker sizes; swap light-only colours."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("colorscale", "fgcolor"):  # colour scales and hatching read on both themes
                continue
            if scale != 1 and (
                (key == "size" and (parent in _FONT_KEYS or parent == "marker"))
                or (key == "width" and parent == "line")
            ):
                node[key] = _scaled(value, scale)
            elif dark and key in _COLOR_KEYS:
                if isinstance(value, str):
                    node[key] = _DARK_SWAPS.get(value, value)
                elif isinstance(value, (list, tuple)):
                    node[key] = [_DARK_SWAPS.get(v, v) if isinstance(v, str) else v for v in value]
                else:
                    _adapt(value, key, scale, dark)
            else:
                _adapt(value, key, scale, dark)
    elif isinstance(node, list):
        for item in node:
            _adapt(item, parent, scale, dark)


def adapt(fig: go.Figure, *, projector: bool = False, dark: bool = False) -> go.Figure:
    """The figure for a projector (larger type, thicker lines, bigger markers) and/or a dark page.

    Streamlit's chart theme already sets the background, grid and default text colours for the
    app's theme; ``dark`` swaps only the colours the builders fixed for a white page (black text
    and zero lines, white outlines, translucent white label boxes).  Colour scales and hatching
    are kept.  Returns a new figure; ``fig`` is unchanged.

    >>> from core.figures.engine import Draft
    >>> fig = Draft().add_scatter(x=[0, 1], y=[0, 1], line={"width": 2, "color": "#000000"}).figure()
    >>> out = adapt(fig, projector=True, dark=True)
    >>> out.data[0].line.width, out.data[0].line.color, fig.data[0].line.width
    (2.7, '#FAFAFA', 2)
    """
    spec = fig.to_dict()
    _adapt(spec, "", PROJECTOR_SCALE if projector else 1.0, dark)
    if projector:
        layout = spec.setdefault("layout", {})
        layout["height"] = round(layout.get("height", 420) * 1.15)
        # Streamlit's chart theme sets small tick fonts of its own; state ours outright.  (The legend keeps
        # its size: the builders place legends below the plot with room measured for it.)
        for name in [key for key in layout if key[1:5] == "axis"] or ["xaxis", "yaxis"]:
            axis = layout.setdefault(name, {})
            axis.setdefault("tickfont", {})["size"] = PROJECTOR_TICK_SIZE
            title = axis.get("title")
            if isinstance(title, dict):
                title.setdefault("font", {})["size"] = PROJECTOR_TICK_SIZE + 2
        legend = layout.get("legend", {})
        below = isinstance(legend.get("y"), (int, float)) and legend["y"] < 0
        if below and legend.get("yref") != "container":
            # A legend below the plot sits a fixed fraction under it; larger tick labels push the axis
            # title into it.  Pin it to the bottom edge of the figure instead, with room for the bigger type.
            legend.update(yref="container", y=0.0, yanchor="bottom")
            margin = layout.setdefault("margin", {})
            margin["b"] = margin.get("b", 80) + 50
    return SpecFigure(spec, typed=True)  # to_dict() converted the arrays


def _column(values) -> list:
    if values is None:
        return []
    return np.asarray(values).tolist() if not isinstance(values, (list, tuple)) else list(values)


def figure_csv(fig: go.Figure) -> str:
    """The numbers behind a chart as CSV: one row per point (``series,x,y``) or heatmap cell (``…,z``).

    >>> from core.figures.engine import Draft
    >>> print(figure_csv(Draft().add_bar(x=["a", "b"], y=[0.25, 0.75], name="p").figure()).strip())
    series,x,y,z
    p,a,0.25,
    p,b,0.75,
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["series", "x", "y", "z"])
    for k, trace in enumerate(trace_dicts(fig)):
        kind = trace.get("type", "scatter")
        name = trace.get("name") or f"{kind} {k + 1}"
        if kind in ("heatmap", "contour"):  # a grid of cells
            z = np.asarray(trace["z"])
            xs = _column(trace.get("x")) or list(range(z.shape[1]))
            ys = _column(trace.get("y")) or list(range(z.shape[0]))
            writer.writerows(
                [name, xs[j], ys[i], z[i, j].item()] for i in range(z.shape[0]) for j in range(z.shape[1])
            )
            continue
        xs, ys = _column(trace.get("x")), _column(trace.get("y"))
        if not xs and not ys:
            continue
        xs = xs or [None] * len(ys)
        ys = ys or [None] * len(xs)
        writer.writerows([name, x, y, None] for x, y in zip(xs, ys, strict=False))
    return out.getvalue()
