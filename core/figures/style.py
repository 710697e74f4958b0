"""The house style every builder shares: colours, sizes, titles, legends and marks.

- the Okabe–Ito palette (colour-blind safe) in :data:`COLORS`; colour never carries meaning alone,
  so signs and classes are also written in labels, hover text or marker symbols;
- fonts and lines large enough to read on a projector;
- titles and axis titles with units; ``uirevision`` so a user's zoom survives reruns (:func:`styled`);
- no ``template``: Streamlit's chart theme styles the background and grid (and follows the app's light or
  dark theme), and assigning a template costs about 50 ms per figure in plotly's validators.

The helpers here work on a :class:`~core.figures.engine.Draft`, before it is finished.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from core.figures.engine import Draft, scatter

# Okabe & Ito (2008), "Color Universal Design": distinguishable under the common colour-vision deficiencies.
COLORS = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
    "grey": "#7F7F7F",
}
# An ordered cycle for series without a fixed meaning.
PALETTE = [COLORS[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky", "yellow", "black")]
# Fixed meanings used across the app.
POSITIVE = COLORS["vermillion"]  # a positive gradient (pushes a logit down); always labelled "+"
NEGATIVE = COLORS["blue"]  # a negative gradient (pushes a logit up); always labelled "−"
TRUE_CLASS = COLORS["green"]
NEUTRAL = COLORS["grey"]
# A diverging colour scale centred at 0 (blue negative, white 0, vermillion positive), for signed matrices.
DIVERGING_SCALE = [[0.0, NEGATIVE], [0.5, "#FFFFFF"], [1.0, POSITIVE]]
# Marker symbols that tell classes apart without colour (class k gets CLASS_SYMBOLS[k % 8]).
CLASS_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star", "cross", "triangle-down"]

FONT_SIZE = 16
TITLE_SIZE = 20
LINE_WIDTH = 3
MARKER_SIZE = 14


def styled(
    fig: Draft,
    *,
    title: str,
    x_title: str | None = None,
    y_title: str | None = None,
    height: int = 420,
    legend: bool = True,
) -> Draft:
    """Apply the house style to a draft: title, axis titles, fonts, margins, legend on top, stable zoom.

    Parameters
    ----------
    fig : Draft
        The figure under construction (before :meth:`Draft.figure`); changed in place.
    title : str
        The chart's title (what it shows).
    x_title, y_title : str, optional
        Axis titles, with units where there are any.
    height : int, default 420
        Pixels.
    legend : bool, default True
        Show the legend (horizontal, above the plot).

    Returns
    -------
    Draft
        The same draft, for chaining.

    Examples
    --------
    >>> draft = styled(Draft(), title="Loss", y_title="loss (nats)", legend=False)
    >>> draft.layout["title"]["text"], draft.layout["yaxis"], draft.layout["margin"]["t"]
    ('Loss', {'title': {'text': 'loss (nats)'}}, 60)
    """
    layout = fig.layout
    layout.update(
        title={"text": title, "font": {"size": TITLE_SIZE}, "x": 0, "xanchor": "left"},
        font={"size": FONT_SIZE},
        height=height,
        margin={"l": 70, "r": 30, "t": 90 if legend else 60, "b": 60},
        showlegend=legend,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "xanchor": "left"},
        uirevision=title,
        hoverlabel={"font": {"size": FONT_SIZE}},
    )
    for axis, text in (("xaxis", x_title), ("yaxis", y_title)):
        if text is not None:
            layout.setdefault(axis, {})["title"] = {"text": text}
    return fig


def marked_point(x: float, y: float, name: str, *, color: str, size: int, symbol: str | None = None, **props):
    """One point as a scatter trace: a marker with a white outline, so it stands out on the curve under it.

    ``props`` are the trace's other properties (``hovertemplate``, ...); add it with :meth:`Draft.add_trace`.

    >>> marked_point(0.5, 1.0, "p", color="#000000", size=16)["marker"]
    {'color': '#000000', 'size': 16, 'line': {'width': 2, 'color': 'white'}}
    """
    marker = {"color": color, "size": size} | ({} if symbol is None else {"symbol": symbol})
    marker["line"] = {"width": 2, "color": "white"}
    return scatter(x=[x], y=[y], mode="markers", name=name, marker=marker, **props)


def hatch(shape) -> dict:
    """White hatching over the bar's own colour: a second, non-colour signal (e.g. a negative sign).

    Plotly's default ``fillmode="replace"`` draws the pattern in ``fgcolor`` on a transparent
    background, so white hatching alone makes a bar invisible on white; "overlay" keeps
    ``marker.color`` as the background.

    >>> hatch("/")["fillmode"]
    'overlay'
    """
    return {"shape": shape, "fillmode": "overlay", "fgcolor": "white", "fgopacity": 1.0, "solidity": 0.3}


def signed_bars(values) -> dict:
    """A bar marker that shows each value's sign twice: vermillion for > 0, blue and hatched for <= 0.

    >>> signed_bars([0.5, -0.5])["pattern"]["shape"]
    ['', '/']
    """
    return {
        "color": [POSITIVE if v > 0 else NEGATIVE for v in values],
        "pattern": hatch(["" if v > 0 else "/" for v in values]),
    }


def move_legend_below(fig: Draft, entries: int, per_row: int | None = 2, *, y: float = -0.2) -> None:
    """Move the legend under the x-axis title (``y`` in plot fractions), with a bottom margin that fits it.

    With ``per_row`` the entries get fixed widths (a fraction of the plot width), ``per_row`` to a row, so
    the layout is the same on every redraw and the margin made for ``ceil(entries / per_row)`` rows
    always fits.  With ``per_row=None`` each entry is as wide as its text and the margin has room for one
    row per entry.  Either way the legend never covers the chart's title in a narrow column.

    >>> draft = Draft()
    >>> move_legend_below(draft, entries=5, per_row=2)
    >>> draft.layout["margin"], draft.layout["legend"]["entrywidth"]
    ({'t': 60, 'b': 168}, 0.5)
    """
    legend = {"orientation": "h", "yanchor": "top", "y": y, "x": 0, "xanchor": "left"}
    rows = entries
    if per_row is not None:
        rows = -(-entries // per_row)
        legend.update(traceorder="normal", entrywidth=1 / per_row, entrywidthmode="fraction")
    fig.update_layout(legend=legend, margin={"t": 60, "b": 90 + 26 * rows})


def marked_vline(
    fig: Draft, x: float, text: str, *, log: bool = False, row=None, col=None, color: str = NEUTRAL
) -> None:
    """A dotted vertical line across the plot at data coordinate ``x``, labelled inside the top edge.

    Shapes take data coordinates on log axes but annotations take log10 of them (plotly.py #2580), so the
    label is placed by hand instead of through ``add_vline(annotation=...)``.

    >>> draft = Draft()
    >>> marked_vline(draft, 100.0, "s = 100", log=True)
    >>> draft.layout["shapes"][0]["x0"], draft.layout["annotations"][0]["x"]
    (100.0, 2.0)
    """
    kwargs = {} if row is None else {"row": row, "col": col}
    fig.add_vline(x=x, line={"dash": "dot", "color": color, "width": 2}, **kwargs)
    if text:
        fig.add_annotation(
            x=float(np.log10(x)) if log else x,
            xref="x",
            y=1.0,
            yref="paper",
            yanchor="top",
            xanchor="left",
            text=text,
            showarrow=False,
            bgcolor="rgba(255,255,255,0.8)",
            font={"size": FONT_SIZE - 2, "color": COLORS["black"]},
        )


def vline_traces(
    fig: Draft, x: float, *, name: str, axes: Sequence[tuple[str, str, str]], color: str = NEUTRAL
) -> None:
    """A dotted vertical line at data coordinate ``x`` in each panel, drawn as traces, not shapes.

    A drag of a slider moves traces only (``ui.scrub``), so a line that marks the slider's value must be
    a trace.  Each panel gets one: ``x = [x, x]``, ``y = [0, 1]`` on a hidden y axis that overlays the
    panel's own from 0 to 1, so the line spans the panel's height whatever its data.

    Parameters
    ----------
    fig : Draft
    x : float
    name : str
        The first panel's trace name; the others get ``"<name>, panel 2"`` and so on.
    axes : sequence of (x axis, panel's y axis, overlay y axis)
        E.g. ``[("x", "y", "y3"), ("x2", "y2", "y4")]``; each overlay axis name must be free.
    color : str

    >>> draft = Draft()
    >>> vline_traces(draft, 10.0, name="epoch", axes=[("x", "y", "y2")])
    >>> draft.data[0]["x"], draft.data[0]["yaxis"], draft.layout["yaxis2"]["overlaying"]
    ([10.0, 10.0], 'y2', 'y')
    """
    for k, (xaxis, panel, overlay) in enumerate(axes):
        fig.add_scatter(
            x=[float(x)] * 2,
            y=[0, 1],
            mode="lines",
            name=name if k == 0 else f"{name}, panel {k + 1}",
            line={"dash": "dot", "color": color, "width": 2},
            xaxis=xaxis,
            yaxis=overlay,
            showlegend=False,
            hoverinfo="skip",
        )
        # Overlaying its panel's axis, so it draws no background of its own over the panel's traces.
        fig.update_layout(
            {
                f"yaxis{overlay[1:]}": {
                    "overlaying": panel,
                    "range": [0, 1],
                    "visible": False,
                    "fixedrange": True,
                }
            }
        )
