"""Plotly figure builders: pure functions from arrays to ``plotly.graph_objects.Figure``.

The only module of :mod:`core` that imports plotly.  Builders take numbers computed elsewhere in
``core`` (or compute them by calling ``core``), never streamlit state, and are tested without a browser.

House style, shared by every builder through :func:`styled`:
- the Okabe–Ito palette (colour-blind safe) in :data:`COLORS`; colour never carries meaning alone,
  so signs and classes are also written in labels, hover text or marker symbols;
- fonts and lines large enough to read on a projector;
- titles and axis titles with units; ``uirevision`` so a user's zoom survives reruns;
- no ``template``: Streamlit's chart theme styles the background and grid (and follows the app's light or
  dark theme), and assigning a template costs about 50 ms per figure in plotly's validators.
"""

from __future__ import annotations

import copy
import csv
import functools
import io
import os
from collections.abc import Callable

import numpy as np
import plotly.graph_objects as go
from _plotly_utils.utils import convert_to_base64

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

FONT_SIZE = 16
TITLE_SIZE = 20
LINE_WIDTH = 3
MARKER_SIZE = 14


VALIDATE_ENV = "EXPLORER_VALIDATE_FIGURES"  # "1": check every figure against plotly's schema (the tests do)


def _merge(target: dict, update: dict) -> dict:
    """Merge ``update`` into ``target`` as plotly does: dicts recursively, other values replaced."""
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value
    return target


def _magic(props: dict) -> dict:
    """Plotly's "magic underscores": ``{"title_text": "t"}`` becomes ``{"title": {"text": "t"}}``."""
    out: dict = {}
    for key, value in props.items():
        *path, last = key.split("_")
        node = out
        for part in path:
            node = node.setdefault(part, {})
        if isinstance(value, dict) and isinstance(node.get(last), dict):
            _merge(node[last], value)
        else:
            node[last] = value
    return out


class Draft:
    """A figure under construction as plain dicts (plotly's JSON), with the bit of ``go.Figure``'s API we use.

    Why not ``go.Figure`` directly: every ``go.Scatter(...)``, ``add_*`` and ``update_*`` call runs plotly's
    property validators, which made building the figures the largest cost of a page rerun (20-100 ms per
    figure, several figures per slider move).  A ``Draft`` only appends and merges dicts; :meth:`figure`
    wraps the result in a ``go.Figure`` once, unvalidated.  The schema is still checked: with the environment
    variable ``EXPLORER_VALIDATE_FIGURES=1`` (set by the test suite) :meth:`figure` also builds the fully
    validated figure, so every figure the tests draw goes through plotly's validators.

    ``Draft(rows=..., cols=..., ...)`` lays out subplots like ``plotly.subplots.make_subplots`` (same
    domains, anchors, shared axes and subplot titles); ``row``/``col`` then place traces and axis updates.
    """

    def __init__(
        self,
        *,
        rows: int = 1,
        cols: int = 1,
        shared_xaxes: bool = False,
        shared_yaxes: bool = False,
        row_heights: list[float] | None = None,
        column_widths: list[float] | None = None,
        vertical_spacing: float | None = None,
        horizontal_spacing: float | None = None,
        subplot_titles: tuple[str, ...] | list[str] | None = None,
    ) -> None:
        self.data: list[dict] = []
        self.layout: dict = {}
        self.rows, self.cols = rows, cols
        if rows == 1 and cols == 1:
            return
        v_space = 0.3 / rows if vertical_spacing is None else vertical_spacing
        h_space = 0.2 / cols if horizontal_spacing is None else horizontal_spacing
        x_domains = _domains(column_widths or [1.0] * cols, h_space)
        y_domains = _domains(list(reversed(row_heights or [1.0] * rows)), v_space)[::-1]  # row 1 on top
        for r in range(1, rows + 1):
            for c in range(1, cols + 1):
                n = self._index(r, c)
                suffix = "" if n == 1 else str(n)
                x_axis = {"anchor": f"y{suffix}", "domain": list(x_domains[c - 1])}
                y_axis = {"anchor": f"x{suffix}", "domain": list(y_domains[r - 1])}
                if shared_xaxes and r != rows:  # plotly: all rows follow the bottom row's x axis
                    bottom = self._index(rows, c)
                    x_axis.update(matches=f"x{'' if bottom == 1 else bottom}", showticklabels=False)
                if shared_yaxes and c != 1:  # plotly: all columns follow the first column's y axis
                    first = self._index(r, 1)
                    y_axis.update(matches=f"y{'' if first == 1 else first}", showticklabels=False)
                self.layout[f"xaxis{suffix}"] = x_axis
                self.layout[f"yaxis{suffix}"] = y_axis
        if subplot_titles:
            self.layout["annotations"] = [
                {
                    "font": {"size": 16},
                    "showarrow": False,
                    "text": text,
                    "x": sum(x_domains[k % cols]) / 2,
                    "xanchor": "center",
                    "xref": "paper",
                    "y": y_domains[k // cols][1],
                    "yanchor": "bottom",
                    "yref": "paper",
                }
                for k, text in enumerate(subplot_titles)
                if text
            ]

    def _index(self, row: int, col: int) -> int:
        return (row - 1) * self.cols + col

    def _axis_suffix(self, row: int | None, col: int | None) -> str:
        if row is None or (self.rows == 1 and self.cols == 1):
            return ""
        n = self._index(row, col)
        return "" if n == 1 else str(n)

    # -- traces --
    def add_trace(self, trace: dict, row: int | None = None, col: int | None = None) -> Draft:
        trace = dict(trace)
        if row is not None and (self.rows, self.cols) != (1, 1):
            suffix = self._axis_suffix(row, col)
            trace.update(xaxis=f"x{suffix}", yaxis=f"y{suffix}")
        self.data.append(trace)
        return self

    def add_scatter(self, row: int | None = None, col: int | None = None, **props) -> Draft:
        return self.add_trace({"type": "scatter", **props}, row, col)

    def add_bar(self, row: int | None = None, col: int | None = None, **props) -> Draft:
        return self.add_trace({"type": "bar", **props}, row, col)

    # -- layout --
    def update_layout(self, props: dict | None = None, **kwargs) -> Draft:
        _merge(self.layout, _magic({**(props or {}), **kwargs}))
        return self

    def _axes(self, letter: str, row: int | None, col: int | None) -> list[str]:
        if row is not None or col is not None:
            return [f"{letter}axis{self._axis_suffix(row, col)}"]
        names = [key for key in self.layout if key.startswith(f"{letter}axis")]
        return names or [f"{letter}axis"]

    def update_xaxes(self, row: int | None = None, col: int | None = None, **props) -> Draft:
        for name in self._axes("x", row, col):
            _merge(self.layout.setdefault(name, {}), _magic(props))
        return self

    def update_yaxes(self, row: int | None = None, col: int | None = None, **props) -> Draft:
        for name in self._axes("y", row, col):
            _merge(self.layout.setdefault(name, {}), _magic(props))
        return self

    def update_annotations(self, **props) -> Draft:
        for note in self.layout.get("annotations", []):
            _merge(note, _magic(props))
        return self

    def add_annotation(self, **props) -> Draft:
        self.layout.setdefault("annotations", []).append(_magic(props))
        return self

    def add_shape(self, **props) -> Draft:
        self.layout.setdefault("shapes", []).append(_magic(props))
        return self

    def add_vline(self, x: float, row: int | str | None = None, col: int | None = None, **props) -> Draft:
        """A vertical line across the plot height at data coordinate ``x`` (like ``go.Figure.add_vline``).

        ``row="all"`` draws it in every row of column ``col``.
        """
        for r in range(1, self.rows + 1) if row == "all" else (row,):
            suffix = self._axis_suffix(r, col)
            self.add_shape(
                type="line", x0=x, x1=x, xref=f"x{suffix}", y0=0, y1=1, yref=f"y{suffix} domain", **props
            )
        return self

    def add_vrect(self, x0: float, x1: float, **props) -> Draft:
        """A band across the plot height between data coordinates ``x0`` and ``x1``."""
        return self.add_shape(type="rect", x0=x0, x1=x1, xref="x", y0=0, y1=1, yref="y domain", **props)

    def add_hline(
        self,
        y: float,
        *,
        annotation_text: str | None = None,
        annotation_position: str = "top right",
        **props,
    ) -> Draft:
        """A horizontal line across the plot width at ``y``, optionally labelled at one end."""
        self.add_shape(type="line", x0=0, x1=1, xref="x domain", y0=y, y1=y, yref="y", **props)
        if annotation_text is not None:
            vertical, horizontal = annotation_position.split()
            self.add_annotation(
                text=annotation_text,
                showarrow=False,
                x=0 if horizontal == "left" else 1,
                xref="x domain",
                xanchor=horizontal,
                y=y,
                yref="y",
                yanchor="bottom" if vertical == "top" else "top",
            )
        return self

    def figure(self) -> go.Figure:
        """The finished ``go.Figure`` (unvalidated; validated too when ``EXPLORER_VALIDATE_FIGURES=1``)."""
        # An empty template: otherwise plotly adds its 6.5 KB default template to every figure's JSON, which
        # Streamlit's chart theme overrides anyway (screenshots are pixel-identical without it).
        spec = {"data": self.data, "layout": {"template": {}, **self.layout}}
        if os.environ.get(VALIDATE_ENV) == "1":
            go.Figure(copy.deepcopy(spec))  # raises ValueError naming any property plotly does not know
        return SpecFigure(spec)


def _copy_json(node):
    """A copy of plotly JSON's dicts and lists (arrays and strings are shared: nothing writes into them)."""
    if isinstance(node, dict):
        return {key: _copy_json(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_copy_json(value) for value in node]
    return node


class SpecFigure(go.Figure):
    """A finished figure that keeps its plotly JSON and builds plotly's object tree only if it is used.

    ``st.plotly_chart`` needs nothing but ``to_dict()``.  Building ``go.Figure``'s trace and layout
    objects (even unvalidated) and its ``to_dict`` deep copy cost about 5 ms per figure and rerun; here
    ``to_dict()`` copies the JSON's containers only.  Reading ``.data``, ``.layout`` or any other part of
    the ``go.Figure`` API (the tests, :func:`figure_csv`) builds the object tree on first use, after
    which it is an ordinary ``go.Figure``.
    """

    def __init__(self, spec: dict) -> None:  # plotly's own __init__ runs later, in _build
        object.__setattr__(self, "_spec", spec)
        object.__setattr__(self, "_built", False)

    def _build(self) -> None:
        object.__setattr__(self, "_built", True)
        go.Figure.__init__(self, self._spec, _validate=False)

    def __getattr__(self, name: str):
        # Only reached when normal lookup fails: before _build, plotly's private attributes are missing.
        if name.startswith("__") or self.__dict__.get("_built", True):
            raise AttributeError(name)
        self._build()
        return getattr(self, name)

    def to_dict(self) -> dict:
        if self._built:
            return super().to_dict()
        spec = _copy_json(self._spec)
        convert_to_base64(spec)  # numpy arrays as plotly.js typed arrays, as go.Figure.to_dict does
        return spec


def _domains(weights: list[float], spacing: float) -> list[tuple[float, float]]:
    """Cell domains along one paper axis: sizes proportional to ``weights``, ``spacing`` between cells."""
    total = 1.0 - spacing * (len(weights) - 1)
    scale = total / sum(weights)
    out, start = [], 0.0
    for w in weights:
        end = start + w * scale
        out.append((start, end))
        start = end + spacing
    return out


def figure_builder(make: Callable[..., Draft]) -> Callable[..., go.Figure]:
    """Turn a function that fills a :class:`Draft` into a public builder that returns a ``go.Figure``.

    The undecorated function stays available as ``builder.draft`` so one builder can extend another's
    figure (e.g. ``curves_figure.draft(...)`` then more shapes) before it is finished.
    """

    @functools.wraps(make)
    def build(*args, **kwargs) -> go.Figure:
        return make(*args, **kwargs).figure()

    build.draft = make
    return build


def scatter(**props) -> dict:
    """A scatter trace as plotly JSON (for :meth:`Draft.add_trace`)."""
    return {"type": "scatter", **props}


def bar(**props) -> dict:
    """A bar trace as plotly JSON."""
    return {"type": "bar", **props}


def heatmap(**props) -> dict:
    """A heatmap trace as plotly JSON."""
    return {"type": "heatmap", **props}


def styled(
    fig: Draft,
    *,
    title: str,
    x_title: str | None = None,
    y_title: str | None = None,
    height: int = 420,
    legend: bool = True,
) -> go.Figure:
    """Apply the house style: title, axis titles, fonts, margins, legend on top, stable zoom.

    Parameters
    ----------
    fig : go.Figure
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
    go.Figure
        The same figure, for chaining.
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


def signed_label(value: float, digits: int = 3) -> str:
    """A number with an explicit sign, so the sign never depends on colour: ``+0.060``, ``−0.109``.

    >>> signed_label(-0.1091), signed_label(0.06)
    ('−0.109', '+0.060')
    """
    text = f"{abs(value):.{digits}f}"
    if float(text) == 0:
        return f"{0:.{digits}f}"
    return ("+" if value > 0 else "−") + text


def hatch(shape) -> dict:
    """White hatching over the bar's own colour: a second, non-colour signal (e.g. a negative sign).

    Plotly's default ``fillmode="replace"`` draws the pattern in ``fgcolor`` on a transparent
    background, so white hatching alone makes a bar invisible on white; "overlay" keeps
    ``marker.color`` as the background.
    """
    return {"shape": shape, "fillmode": "overlay", "fgcolor": "white", "fgopacity": 1.0, "solidity": 0.3}


# ==== builders are added below, one section per page (keep sections in menu order) ====


# ---- shared: matrix heatmap ----
# A matrix drawn as a grid of cells, row 1 at the top as on paper, each cell's value written in it.
# The diverging scale is centred at 0 (blue negative, white 0, vermillion positive) and every label
# carries its sign, so the colour is never the only cue.  Used by the gradient pages; reuse it for
# any matrix or vector (a vector of n entries is a 1 x n row or an n x 1 column).
DIVERGING_SCALE = [[0.0, NEGATIVE], [0.5, "#FFFFFF"], [1.0, POSITIVE]]


def _cell_label(value: float, digits: int, scientific: bool) -> str:
    """A cell's text: ``+0.060`` / ``−0.109``, or ``+1.2e−11`` with ``scientific=True`` (always signed)."""
    if not scientific:
        return signed_label(value, digits)
    if value == 0:
        return "0"
    mantissa, exponent = f"{abs(value):.{digits}e}".split("e")
    power = int(exponent)
    text = f"{mantissa}e{'−' if power < 0 else ''}{abs(power)}"
    return ("+" if value > 0 else "−") + text


@figure_builder
def matrix_heatmap(
    M,
    *,
    title: str,
    row_label: str,
    col_label: str,
    annotate: bool = True,
    row_names: list[str] | None = None,
    col_names: list[str] | None = None,
    digits: int = 3,
    scientific: bool = False,
    zmax: float | None = None,
    show_scale: bool = True,
    text_size: int | None = None,
    height: int | None = None,
    value_name: str = "value",
) -> go.Figure:
    """A matrix as an annotated heatmap on a diverging colour scale centred at 0.

    Parameters
    ----------
    M : array_like ``(rows, cols)``, or ``(n,)`` drawn as a 1 x n row
        Finite numbers.
    title : str
    row_label, col_label : str
        Axis titles saying what a row and a column index, e.g. ``"output s_i"`` / ``"logit z_k"``.
    annotate : bool, default True
        Write each cell's value in the cell (signed, ``digits`` decimals).
    row_names, col_names : list of str, optional
        Tick labels; default ``"1", "2", ...`` (1-based, as in the formulas).
    digits : int, default 3
        Decimals of the cell labels (significant digits after the point with ``scientific=True``).
    scientific : bool, default False
        Label cells as ``+1.2e−11`` (for differences and rounding errors).
    zmax : float, optional
        The colour scale spans [-zmax, zmax]; default max |M| (1 for an all-zero matrix).
    show_scale : bool, default True
        Show the colour bar.
    text_size : int, optional
        Font size of the cell labels; default the house font size.
    height : int, optional
        Pixels; default grows with the number of rows.
    value_name : str, default "value"
        The quantity's name in the hover text, e.g. ``"∂s_i/∂z_k"``.

    Returns
    -------
    go.Figure
        One ``go.Heatmap`` trace with ``z = M``, row 1 at the top.

    Examples
    --------
    >>> fig = matrix_heatmap([[1.0, -2.0]], title="t", row_label="r", col_label="c")
    >>> fig.data[0].text.tolist()
    [['+1.000', '−2.000']]
    """
    arr = np.asarray(M, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[None, :]
    if arr.ndim != 2 or arr.size == 0:
        raise ValueError(f"M must be a non-empty 1-D or 2-D array; got shape {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError("M must be finite; got NaN or inf")
    n_rows, n_cols = arr.shape
    rows = list(row_names) if row_names is not None else [str(i + 1) for i in range(n_rows)]
    cols = list(col_names) if col_names is not None else [str(j + 1) for j in range(n_cols)]
    if len(rows) != n_rows or len(cols) != n_cols:
        raise ValueError(
            f"row_names and col_names must match M's shape {arr.shape}; got {len(rows)} and {len(cols)} names"
        )
    limit = float(np.abs(arr).max()) if zmax is None else float(zmax)
    if not limit > 0:
        limit = 1.0
    text = np.array([[_cell_label(v, digits, scientific) for v in row] for row in arr.tolist()], dtype=object)
    fig = Draft().add_trace(
        heatmap(
            z=arr,
            x=cols,
            y=rows,
            text=text,
            texttemplate="%{text}" if annotate else None,
            textfont={"size": text_size or FONT_SIZE},
            colorscale=DIVERGING_SCALE,
            zmin=-limit,
            zmax=limit,
            zmid=0,
            showscale=show_scale,
            colorbar={"thickness": 14, "len": 0.9, "exponentformat": "e"},
            xgap=2,
            ygap=2,
            hovertemplate=(
                f"{row_label}: %{{y}}<br>{col_label}: %{{x}}<br>{value_name} = %{{z:.6g}}<extra></extra>"
            ),
        )
    )
    if height is None:
        height = int(min(560, max(240, 130 + 52 * n_rows)))
    styled(fig, title=title, x_title=col_label, y_title=row_label, height=height, legend=False)
    fig.update_xaxes(type="category", side="bottom", showgrid=False, zeroline=False)
    fig.update_yaxes(type="category", autorange="reversed", showgrid=False, zeroline=False)
    return fig


# ---- Surprise ----
# Light fills for the confidence bands of core.explain.band_intervals (each band is also named in text).
_BAND_FILLS = (COLORS["vermillion"], COLORS["orange"], COLORS["sky"], COLORS["green"])


@figure_builder
def surprise_game_figure(labels, q, true_index: int, surprise_bits) -> go.Figure:
    """The guessing game: truth P against prediction Q, and the surprise each answer would have caused.

    Parameters
    ----------
    labels : sequence of str ``(K,)``
        Class names (with their emoji).
    q : array_like ``(K,)``
        The model's predicted distribution.
    true_index : int
        The revealed answer; P is one-hot there.
    surprise_bits : array_like ``(K,)``
        -log2 q_c for every class c (inf where q_c = 0, drawn as a capped bar labelled "∞").

    Returns
    -------
    go.Figure
        Left panel: two overlaid bar traces, P (a green outline) and Q (hatched blue, labelled in percent).
        Right panel: one bar trace of surprise in bits, the revealed answer's bar green and labelled.
    """
    names = list(labels)
    q_arr = np.asarray(q, dtype=np.float64)
    s_arr = np.asarray(surprise_bits, dtype=np.float64)
    p_arr = np.zeros_like(q_arr)
    p_arr[true_index] = 1.0
    ticks = [f"{n} ✓" if k == true_index else n for k, n in enumerate(names)]

    fig = Draft(
        rows=1,
        cols=2,
        column_widths=[0.56, 0.44],
        horizontal_spacing=0.1,
    )
    # Overlay: the truth as an outlined box (100% at the answer), the prediction as a bar inside it,
    # so the gap between them is the probability the model failed to give the answer.
    fig.add_bar(
        x=ticks,
        y=100 * p_arr,
        name="truth P (one-hot, outline)",
        width=0.8,
        marker={"color": "rgba(0,0,0,0)", "line": {"color": TRUE_CLASS, "width": 4}},
        hovertemplate="truth P<br>%{x}: %{y:.0f}%<extra></extra>",
        row=1,
        col=1,
    )
    fig.add_bar(
        x=ticks,
        y=100 * q_arr,
        name="prediction Q",
        width=0.5,
        marker={"color": COLORS["blue"], "pattern": hatch("/")},
        text=[f"{100 * v:.1f}%" for v in q_arr],
        textposition="outside",
        constraintext="none",
        cliponaxis=False,
        hovertemplate="prediction Q<br>%{x}: %{y:.1f}%<extra></extra>",
        row=1,
        col=1,
    )
    finite = s_arr[np.isfinite(s_arr)]
    cap = max(float(finite.max()) if finite.size else 1.0, 1.0) * 1.15
    heights = np.where(np.isfinite(s_arr), s_arr, cap)
    texts = ["∞" if not np.isfinite(s) else f"{s:.2f}" for s in s_arr]
    fig.add_bar(
        x=ticks,
        y=heights,
        name="surprise −log₂ q (bits)",
        marker={"color": [TRUE_CLASS if k == true_index else NEUTRAL for k in range(len(names))]},
        text=texts,
        textposition="outside",
        constraintext="none",
        cliponaxis=False,
        customdata=[f"{s:.4f}" if np.isfinite(s) else "∞" for s in s_arr],
        hovertemplate="%{x}<br>surprise = %{customdata} bits<extra></extra>",
        showlegend=False,
        row=1,
        col=2,
    )
    styled(fig, title=f"The answer is {names[true_index]}", height=440)
    fig.update_layout(barmode="overlay", bargap=0.25)
    fig.update_yaxes(title_text="P and Q (%)", range=[0, 118], row=1, col=1)
    fig.update_yaxes(title_text="surprise (bits)", range=[0, 1.3 * float(heights.max())], row=1, col=2)
    fig.update_xaxes(title_text="probabilities", row=1, col=1)
    fig.update_xaxes(title_text="surprise if this were the answer", row=1, col=2)
    fig.update_annotations(font={"size": FONT_SIZE})
    return fig


@figure_builder
def neg_log_curve_figure(
    p,
    loss,
    *,
    p_true: float,
    loss_true: float,
    slope: float,
    unit: str,
    bands=(),
) -> go.Figure:
    """The curve -log p with the operating point, its tangent and (optionally) the confidence bands.

    Parameters
    ----------
    p, loss : array_like ``(m,)``
        The curve, loss in ``unit`` (see :func:`core.explain.neg_log_curve`).
    p_true : float
        The probability of the true class (the operating point's x).
    loss_true : float
        -log p_true in ``unit``.
    slope : float
        d(-log p)/dp at p_true, in ``unit`` per unit of probability (drawn as a dashed tangent).
    unit : {"nats", "bits"}
    bands : sequence of (low, high, label), optional
        Shaded and named intervals of p (:func:`core.explain.band_intervals`).

    Returns
    -------
    go.Figure
        Traces: the curve, the tangent, the operating point (with a text label); one shape and one
        label per band.
    """
    p_arr = np.asarray(p, dtype=np.float64)
    l_arr = np.asarray(loss, dtype=np.float64)
    top = float(np.nanmax(l_arr)) * 1.08
    fig = Draft()
    # Shapes and annotations are collected and set in one layout update: adding them one by one
    # (add_vrect, add_annotation) re-validates the whole tuple each time and is several times slower.
    shapes = [
        {
            "type": "rect",
            "xref": "x",
            "yref": "paper",
            "x0": low,
            "x1": high,
            "y0": 0,
            "y1": 1,
            "fillcolor": _BAND_FILLS[k % len(_BAND_FILLS)],
            "opacity": 0.1,
            "line": {"width": 0},
            "layer": "below",
        }
        for k, (low, high, _) in enumerate(bands)
    ]
    notes = [
        {
            "x": (low + high) / 2,
            "y": 1.0,
            "yref": "paper",
            "yanchor": "top",
            "text": label.replace(" ", "<br>") if high - low < 0.2 else label,
            "showarrow": False,
            "font": {"size": FONT_SIZE - 3, "color": COLORS["black"]},
        }
        for low, high, label in bands
    ]
    fig.add_scatter(
        x=p_arr,
        y=l_arr,
        mode="lines",
        name=f"loss = −log p ({unit})",
        line={"color": COLORS["blue"], "width": LINE_WIDTH},
        hovertemplate=f"p = %{{x:.3f}}<br>−log p = %{{y:.4f}} {unit}<extra></extra>",
    )
    half = 0.12
    tx = np.array([max(p_true - half, 0.0), min(p_true + half, 1.0)])
    ty = loss_true + slope * (tx - p_true)
    fig.add_scatter(
        x=tx,
        y=ty,
        mode="lines",
        name=f"tangent: slope {signed_label(slope, 2)} {unit} per unit p",
        line={"color": COLORS["orange"], "width": LINE_WIDTH, "dash": "dash"},
        hoverinfo="skip",
    )
    label_x = float(tx[1]) if ty[1] >= 0 else p_true - loss_true / slope
    notes.append(
        {
            "x": label_x,
            "y": max(float(ty[1]), 0.0),
            "text": f"slope {signed_label(slope, 2)}",
            "showarrow": False,
            "xanchor": "left",
            "yanchor": "bottom",
            "font": {"size": FONT_SIZE - 2, "color": COLORS["orange"]},
            "name": "slope label",
        }
    )
    fig.add_scatter(
        x=[p_true, p_true, 0.0],
        y=[0.0, loss_true, loss_true],
        mode="lines",
        line={"color": NEUTRAL, "width": 1.5, "dash": "dot"},
        showlegend=False,
        hoverinfo="skip",
        name="guides",
    )
    high = loss_true > 0.5 * top  # near the top the label goes below the point, inside the plot
    notes.append(
        {
            "x": p_true,
            "y": loss_true,
            "ax": 40 if p_true < 0.6 else -40,
            "ay": 60 if high else -70,
            "text": f"p = {100 * p_true:.1f}%, loss = {loss_true:.4f} {unit}",
            "showarrow": True,
            "arrowhead": 0,
            "arrowwidth": 1.5,
            "arrowcolor": COLORS["black"],
            "xanchor": "left" if p_true < 0.6 else "right",
            "bgcolor": "rgba(255,255,255,0.85)",
            "font": {"size": FONT_SIZE, "color": COLORS["black"]},
            "name": "operating point label",
        }
    )
    fig.add_scatter(
        x=[p_true],
        y=[loss_true],
        mode="markers",
        name="you are here",
        marker={
            "color": COLORS["vermillion"],
            "size": MARKER_SIZE + 2,
            "line": {"width": 2, "color": "white"},
        },
        cliponaxis=False,
        hovertemplate=f"p = %{{x:.3f}}<br>loss = %{{y:.4f}} {unit}<extra></extra>",
    )
    styled(
        fig,
        title="Loss of the true class: −log p",
        x_title="p, the probability given to the true class",
        y_title=f"loss ({unit})",
        height=440,
        legend=False,
    )
    fig.update_layout(shapes=shapes, annotations=notes, xaxis={"range": [0, 1.0]}, yaxis={"range": [0, top]})
    return fig


# ---- Binary cross-entropy ----
def _descent_arrow(*, x: float, y: float, grad: float, text: str) -> list[dict]:
    """An orange arrow from (x, y) along -grad (the way gradient descent moves x), and its label ``text``.

    Its length grows with log(1 + |grad|) and is capped so it stays inside [0, 1] for probabilities.
    Returns two annotation dicts (the builders set all annotations in one layout update: adding them
    one by one re-validates the whole tuple each time, which is several times slower).
    """
    direction = -1.0 if grad > 0 else 1.0
    room = (1.0 - x) if direction > 0 else x
    length = min(0.06 + 0.1 * float(np.log1p(abs(grad))), 0.45, max(room, 0.0))
    head = x + direction * length
    middle = (x + head) / 2
    arrow = {
        "x": head,
        "y": y,
        "ax": x,
        "ay": y,
        "xref": "x",
        "yref": "y",
        "axref": "x",
        "ayref": "y",
        "showarrow": True,
        "arrowhead": 3,
        "arrowsize": 1.2,
        "arrowwidth": 4,
        "arrowcolor": COLORS["orange"],
        "text": "",
        "name": "descent arrow",
    }
    label = {
        "x": middle,
        "y": y,
        "xanchor": "left" if middle < 0.15 else ("right" if middle > 0.85 else "center"),
        "yanchor": "bottom",
        "yshift": 14,
        "text": text,
        "showarrow": False,
        "bgcolor": "rgba(255,255,255,0.85)",
        "font": {"size": FONT_SIZE, "color": COLORS["black"]},
        "name": "gradient label",
    }
    return [arrow, label]


def _curve_label(
    xs, ys, at: float, text: str, color: str, *, ax: int, ay: int, top=None, xref="x", yref="y"
) -> dict:
    """Name a curve on the chart itself: ``text`` with a short pointer to the curve near x = ``at``.

    With ``top`` (the y axis' upper end) the pointer goes to the nearest point of the curve below
    85 % of it, so the label never floats outside the plot.  Returns the annotation as a dict.
    """
    x_arr = np.asarray(xs, dtype=np.float64)
    distance = np.abs(x_arr - at)
    if top is not None:
        distance = np.where(np.asarray(ys, dtype=np.float64) <= 0.85 * top, distance, np.inf)
    i = int(np.argmin(distance))
    return {
        "x": float(xs[i]),
        "y": float(ys[i]),
        "xref": xref,
        "yref": yref,
        "ax": ax,
        "ay": ay,
        "text": text,
        "showarrow": True,
        "arrowhead": 0,
        "arrowwidth": 1.5,
        "arrowcolor": color,
        "bgcolor": "rgba(255,255,255,0.85)",
        "font": {"size": FONT_SIZE - 1, "color": color},
        "name": "curve label",
    }


def _boundary_line(x: float, xref: str, yref: str) -> dict:
    """A dotted black vertical line at ``x`` across the plot (``yref`` a "domain" or "paper" reference)."""
    return {
        "type": "line",
        "xref": xref,
        "yref": yref,
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": {"dash": "dot", "color": COLORS["black"], "width": 2},
    }


@figure_builder
def bce_probability_figure(
    p_grid, loss_pos, loss_neg, *, p: float, y: int, loss: float, grad: float, unit: str
) -> go.Figure:
    """Binary cross-entropy against p for both labels, the 0.5 boundary, the operating point and dL/dp.

    Parameters
    ----------
    p_grid, loss_pos, loss_neg : array_like ``(m,)``
        -log p (y = 1) and -log(1 - p) (y = 0) in ``unit`` (:func:`core.explain.bce_probability_curves`).
    p : float
        The predicted probability of the positive class.
    y : {0, 1}
        The true label; its curve is drawn bold, the other faint.
    loss : float
        The loss at p for label y, in ``unit``.
    grad : float
        dL/dp at p (of the loss in nats), written on the arrow.  The orange arrow points along
        -dL/dp, the way a gradient-descent step moves p; its length grows with |dL/dp|.
    unit : {"nats", "bits"}

    Returns
    -------
    go.Figure
        Traces: the y = 1 curve, the y = 0 curve, the operating point.  Annotations name the curves
        on the chart (no legend), the boundary, the point, and the arrow with its label ``dL/dp = …``.
    """
    grid = np.asarray(p_grid, dtype=np.float64)
    fig = Draft()
    notes = []
    for label, values, color, dash, at, ax in (
        (1, loss_pos, COLORS["blue"], "solid", 0.12, 60),
        (0, loss_neg, COLORS["vermillion"], "dash", 0.88, -60),
    ):
        active = label == y
        formula = "−log p" if label == 1 else "−log(1 − p)"
        name = f"y = {label}: {formula}" + (" (true label)" if active else "")
        ys = np.asarray(values, dtype=np.float64)
        fig.add_scatter(
            x=grid,
            y=ys,
            mode="lines",
            name=name,
            line={"color": color, "dash": dash, "width": LINE_WIDTH + 1 if active else LINE_WIDTH - 1},
            opacity=1.0 if active else 0.45,
            hovertemplate=f"y = {label}<br>p = %{{x:.3f}}<br>loss = %{{y:.4f}} {unit}<extra></extra>",
        )
        notes.append(_curve_label(grid, ys, at, name, color, ax=ax, ay=-40))
    notes.append(
        {
            "x": 0.5,
            "y": 1.0,
            "yref": "paper",
            "yanchor": "top",
            "text": "decision boundary p = 0.5",
            "showarrow": False,
            "bgcolor": "rgba(255,255,255,0.85)",
            "font": {"size": FONT_SIZE - 2},
        }
    )
    fig.add_scatter(
        x=[p],
        y=[loss],
        mode="markers",
        name=f"p = {p:.2f}: loss {loss:.4f} {unit}",
        marker={
            "color": COLORS["blue"] if y == 1 else COLORS["vermillion"],
            "size": MARKER_SIZE + 4,
            "symbol": "circle" if y == 1 else "square",
            "line": {"width": 2, "color": "white"},
        },
        hovertemplate=f"p = %{{x:.2f}}<br>loss = %{{y:.4f}} {unit}<extra></extra>",
    )
    notes += _descent_arrow(x=p, y=loss, grad=grad, text=f"dL/dp = {signed_label(grad, 2)}")
    top = max(float(np.max(loss_pos)), float(np.max(loss_neg)))
    styled(
        fig,
        title="Binary cross-entropy against the predicted probability",
        x_title="p, the predicted probability of class 1",
        y_title=f"loss ({unit})",
        height=440,
        legend=False,
    )
    fig.update_layout(
        shapes=[_boundary_line(0.5, "x", "paper")],
        annotations=notes,
        xaxis={"range": [0, 1]},
        yaxis={"range": [0, 1.05 * top]},
    )
    return fig


@figure_builder
def bce_logit_figure(
    z_grid,
    sigma,
    loss_pos,
    loss_neg,
    grad_active,
    *,
    z: float,
    y: int,
    loss: float,
    grad: float,
    pos_weight: float,
    unit: str,
) -> go.Figure:
    """Binary cross-entropy against the logit z (top) and its gradient dL/dz with σ(z) (bottom).

    Parameters
    ----------
    z_grid, sigma : array_like ``(m,)``
        The logits and σ(z).
    loss_pos, loss_neg : array_like ``(m,)``
        The loss for y = 1 (weighted by ``pos_weight``) and y = 0, in ``unit``.
    grad_active : array_like ``(m,)``
        dL/dz for the true label y (of the loss in nats).
    z, y, loss, grad : the operating point: logit, label, loss (in ``unit``) and dL/dz.
    pos_weight : float
        Named in the y = 1 curve's label when it is not 1.
    unit : {"nats", "bits"}

    Returns
    -------
    go.Figure
        Row 1: the y = 1 and y = 0 loss curves and the operating point.  Row 2: σ(z), dL/dz and the
        operating point on dL/dz.  Curves are named on the chart (no legend); the point's gradient
        is written next to it (``dL/dz = …``).
    """
    zs = np.asarray(z_grid, dtype=np.float64)
    fig = Draft(rows=2, cols=1, shared_xaxes=True, row_heights=[0.56, 0.44], vertical_spacing=0.07)
    # The y axis fits the true label's curve; the other one (faint) may leave the top when pos_weight is big.
    active_top = float(np.max(loss_pos if y == 1 else loss_neg))
    other_top = float(np.max(loss_neg if y == 1 else loss_pos))
    top = 1.05 * max(active_top, min(other_top, 1.5 * active_top))
    notes = []
    for label, values, color, dash, at, ax in (
        (1, loss_pos, COLORS["blue"], "solid", -3.0, -20),
        (0, loss_neg, COLORS["vermillion"], "dash", 3.0, 20),
    ):
        active = label == y
        if label == 1:
            formula = f"−{pos_weight:g}·log σ(z)" if pos_weight != 1 else "−log σ(z)"
        else:
            formula = "−log(1 − σ(z))"
        name = f"y = {label}: {formula}" + (" (true label)" if active else "")
        ys = np.asarray(values, dtype=np.float64)
        fig.add_scatter(
            x=zs,
            y=ys,
            mode="lines",
            name=name,
            line={"color": color, "dash": dash, "width": LINE_WIDTH + 1 if active else LINE_WIDTH - 1},
            opacity=1.0 if active else 0.45,
            hovertemplate=f"y = {label}<br>z = %{{x:.2f}}<br>loss = %{{y:.4f}} {unit}<extra></extra>",
            row=1,
            col=1,
        )
        i = int(np.argmin(np.abs(zs - at)))
        below = ys[i] > 0.3 * top  # low curves are named from above, so the label stays in this panel
        notes.append(_curve_label(zs, ys, at, name, color, ax=ax, ay=55 if below else -45, top=top))
    point_color = COLORS["blue"] if y == 1 else COLORS["vermillion"]
    fig.add_scatter(
        x=[z],
        y=[loss],
        mode="markers",
        name=f"z = {z:.2f}: loss {loss:.4f} {unit}",
        marker={
            "color": point_color,
            "size": MARKER_SIZE + 4,
            "symbol": "circle" if y == 1 else "square",
            "line": {"width": 2, "color": "white"},
        },
        hovertemplate=f"z = %{{x:.2f}}<br>loss = %{{y:.4f}} {unit}<extra></extra>",
        row=1,
        col=1,
    )
    sig = np.asarray(sigma, dtype=np.float64)
    fig.add_scatter(
        x=zs,
        y=sig,
        mode="lines",
        name="σ(z)",
        line={"color": NEUTRAL, "dash": "dot", "width": LINE_WIDTH - 1},
        hovertemplate="z = %{x:.2f}<br>σ(z) = %{y:.4f}<extra></extra>",
        row=2,
        col=1,
    )
    notes.append(_curve_label(zs, sig, 5.5, "σ(z)", NEUTRAL, ax=0, ay=-25, xref="x2", yref="y2"))
    g = np.asarray(grad_active, dtype=np.float64)
    grad_name = f"dL/dz for y = {y}" + (" = σ(z) − y" if pos_weight == 1 or y == 0 else "")
    fig.add_scatter(
        x=zs,
        y=g,
        mode="lines",
        name=grad_name,
        line={"color": COLORS["orange"], "width": LINE_WIDTH},
        hovertemplate="z = %{x:.2f}<br>dL/dz = %{y:.4f}<extra></extra>",
        row=2,
        col=1,
    )
    notes.append(
        _curve_label(
            zs,
            g,
            -5.5 if y == 1 else 5.5,
            grad_name,
            COLORS["orange"],
            ax=0,
            ay=-30 if y == 1 else 30,
            xref="x2",
            yref="y2",
        )
    )
    fig.add_scatter(
        x=[z],
        y=[grad],
        mode="markers",
        name="dL/dz at z",
        marker={
            "color": COLORS["orange"],
            "size": MARKER_SIZE + 2,
            "symbol": "diamond",
            "line": {"width": 2, "color": "white"},
        },
        hovertemplate="z = %{x:.2f}<br>dL/dz = %{y:.4f}<extra></extra>",
        row=2,
        col=1,
    )
    notes.append(
        {
            "x": z,
            "y": grad,
            "xref": "x2",
            "yref": "y2",
            "ax": 50 if z < 3 else -50,
            "ay": -35 if grad < 0.5 else 35,
            "text": f"dL/dz = {signed_label(grad, 2)}",
            "showarrow": True,
            "arrowhead": 0,
            "arrowwidth": 1.5,
            "bgcolor": "rgba(255,255,255,0.85)",
            "font": {"size": FONT_SIZE, "color": COLORS["black"]},
            "name": "gradient label",
        }
    )
    styled(fig, title="The same loss against the logit z, with σ(z) and dL/dz", height=560, legend=False)
    fig.update_layout(
        shapes=[_boundary_line(0.0, "x", "y domain"), _boundary_line(0.0, "x2", "y2 domain")],
        annotations=notes,
    )
    low = min(-1.1, -1.1 * pos_weight) if y == 1 else -1.1
    fig.update_yaxes(title_text=f"loss ({unit})", range=[0, top], row=1, col=1)
    fig.update_yaxes(
        title_text="dL/dz and σ(z)",
        range=[low, 1.3],
        zeroline=True,
        zerolinecolor=COLORS["black"],
        row=2,
        col=1,
    )
    fig.update_xaxes(title_text="z, the logit (decision boundary at z = 0)", row=2, col=1)
    return fig


# ---- Multi-class logits ----
@figure_builder
def multiclass_bars_figure(labels, probs, contributions, grads, *, true_index: int, unit: str) -> go.Figure:
    """Per class: softmax probability, loss contribution and gradient, as three panels of horizontal bars.

    Parameters
    ----------
    labels : sequence of str ``(C,)``
        Class names (sanitised: never HTML).
    probs : array_like ``(C,)``
        p = softmax(z / T).
    contributions : array_like ``(C,)``
        -y'_c log p_c in ``unit``; they sum to the loss.
    grads : array_like ``(C,)``
        ∂L/∂z_c (of the loss in nats).  Bars are coloured by sign AND labelled "+" / "−"
        (:func:`signed_label`); negative bars are also hatched.
    true_index : int
        The true class, named "(true)" and drawn green in the probability panel.
    unit : {"nats", "bits"}

    Returns
    -------
    go.Figure
        Three bar traces (probability, loss contribution, gradient), classes top to bottom.
    """
    p_arr = np.asarray(probs, dtype=np.float64)
    c_arr = np.asarray(contributions, dtype=np.float64)
    g_arr = np.asarray(grads, dtype=np.float64)
    names = [f"{n} (true)" if k == true_index else n for k, n in enumerate(labels)]
    n = len(names)
    fig = Draft(
        rows=1,
        cols=3,
        shared_yaxes=True,
        horizontal_spacing=0.07,
        subplot_titles=("probability p", f"loss part −y′ log p ({unit})", "gradient ∂L/∂z"),
    )
    common = {"orientation": "h", "textposition": "outside", "cliponaxis": False, "constraintext": "none"}
    fig.add_bar(
        y=names,
        x=p_arr,
        name="probability",
        marker={"color": [TRUE_CLASS if k == true_index else COLORS["sky"] for k in range(n)]},
        text=[f"{100 * v:.1f}%" for v in p_arr],
        hovertemplate="%{y}<br>p = %{x:.4f}<extra></extra>",
        row=1,
        col=1,
        **common,
    )
    fig.add_bar(
        y=names,
        x=c_arr,
        name="loss contribution",
        marker={"color": COLORS["orange"]},
        text=[f"{v:.4f}" for v in c_arr],
        hovertemplate=f"%{{y}}<br>−y′ log p = %{{x:.4f}} {unit}<extra></extra>",
        row=1,
        col=2,
        **common,
    )
    fig.add_bar(
        y=names,
        x=g_arr,
        name="gradient",
        marker={
            "color": [POSITIVE if v > 0 else NEGATIVE for v in g_arr],
            "pattern": hatch(["" if v > 0 else "/" for v in g_arr]),
        },
        text=[signed_label(v) for v in g_arr],
        hovertemplate="%{y}<br>∂L/∂z = %{x:.4f}<extra></extra>",
        row=1,
        col=3,
        **common,
    )
    c_top = max(float(c_arr.max()), 1e-3)
    g_top = max(float(np.abs(g_arr).max()), 1e-3)
    styled(fig, title="Per class: probability, loss and gradient", height=170 + 44 * n, legend=False)
    fig.update_yaxes(autorange="reversed", row=1, col=1)
    fig.update_xaxes(range=[0, 1.35], tickformat=".0%", row=1, col=1)
    fig.update_xaxes(range=[0, 1.6 * c_top], row=1, col=2)
    fig.update_xaxes(
        range=[-1.8 * g_top, 1.8 * g_top],
        zeroline=True,
        zerolinecolor=COLORS["black"],
        zerolinewidth=2,
        row=1,
        col=3,
    )
    fig.update_annotations(font={"size": FONT_SIZE})
    fig.update_layout(bargap=0.3)
    return fig


# ---- Loss comparison ----
# Curve families tell their series apart by colour AND dash AND marker symbol, never by colour alone.
CURVE_STYLES: tuple[tuple[str, str, str], ...] = (
    (COLORS["blue"], "solid", "circle"),
    (COLORS["vermillion"], "dash", "square"),
    (COLORS["green"], "dot", "diamond"),
    (COLORS["purple"], "dashdot", "triangle-up"),
    (COLORS["orange"], "longdash", "star"),
    (COLORS["sky"], "longdashdot", "hexagon"),
)


def _cmp_plottable(values, *, log: bool = False) -> np.ndarray:
    """Float64 copy with inf (and, on a log axis, values <= 0) turned into NaN: Plotly draws gaps there."""
    arr = np.array(values, dtype=np.float64)
    bad = ~np.isfinite(arr)
    if log:
        bad |= arr <= 0
    arr[bad] = np.nan
    return arr


def _cmp_legend_below(fig: Draft, entries: int, per_row: int = 2, y: float = -0.2) -> None:
    """Move the legend under the x-axis title (``y`` in plot fractions), ``per_row`` entries to a row.

    Fixed-width entries (a fraction of the plot width) keep the layout the same on every redraw, so the
    bottom margin made for ``ceil(entries / per_row)`` rows always fits.
    """
    rows = -(-entries // per_row)
    fig.update_layout(
        legend={
            "orientation": "h",
            "yanchor": "top",
            "y": y,
            "x": 0,
            "xanchor": "left",
            "traceorder": "normal",
            "entrywidth": 1 / per_row,
            "entrywidthmode": "fraction",
        },
        margin={"t": 60, "b": 90 + 26 * rows},
    )


def _cmp_vline(
    fig: Draft, x: float, text: str, *, log: bool = False, row=None, col=None, color: str = NEUTRAL
):
    """A dotted vertical line across the plot at data coordinate ``x``, labelled inside the top edge.

    Shapes take data coordinates on log axes but annotations take log10 of them (plotly.py #2580), so the
    label is placed by hand instead of through ``add_vline(annotation=...)``.
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
    height: int = 440,
) -> go.Figure:
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
            y=_cmp_plottable(ys, log=y_log),
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
        _cmp_vline(fig, float(point_x), point_label or "", log=x_log)
    if labels_at is not None:
        i = int(np.argmin(np.abs(xs - labels_at)))
        names, ys_at, colors = [], [], []
        for name, ys in series.items():
            y = _cmp_plottable(ys, log=y_log)[i]
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
        _cmp_legend_below(fig, entries=len(series))
    if x_log:
        fig.update_xaxes(type="log")
    if y_log:
        fig.update_yaxes(type="log")
    if zero_line:
        fig.update_yaxes(zeroline=True, zerolinecolor=COLORS["black"], zerolinewidth=2)
    return fig


@figure_builder
def imbalance_share_figure(methods, class_names, loss_share, grad_share) -> go.Figure:
    """Each class's share of the total loss and of the total gradient magnitude, per loss: grouped bars.

    Parameters
    ----------
    methods : sequence of str ``(M,)``
        The losses (one group of bars each).
    class_names : sequence of str ``(C,)``
        One bar per class in each group; class k > 0 bars have a black outline, so classes differ by more
        than colour.  (No fill patterns: Plotly drops a pattern's colour when Streamlit redraws a chart.)
    loss_share, grad_share : array_like ``(M, C)``
        Shares in [0, 1]; each row sums to 1.

    Returns
    -------
    go.Figure
        Two side-by-side panels (loss | gradient), one bar trace per class and panel, labelled in percent.
    """
    loss = np.asarray(loss_share, dtype=np.float64)
    grad = np.asarray(grad_share, dtype=np.float64)
    fig = Draft(
        rows=1,
        cols=2,
        subplot_titles=("Share of the total loss", "Share of the total gradient ‖∂ℓ/∂z‖"),
        shared_yaxes=True,
        horizontal_spacing=0.06,
    )
    colors = [COLORS["blue"], COLORS["orange"], COLORS["green"], COLORS["purple"]]
    for col, shares in ((1, loss), (2, grad)):
        for k, cls in enumerate(class_names):
            fig.add_bar(
                x=list(methods),
                y=100 * shares[:, k],
                name=cls,
                legendgroup=cls,
                showlegend=col == 1,
                marker={"color": colors[k % 4], "line": {"color": COLORS["black"], "width": 2.5 if k else 0}},
                text=[f"{100 * v:.1f}%" for v in shares[:, k]],
                textposition="outside",
                constraintext="none",
                textfont={"size": FONT_SIZE - 2},
                cliponaxis=False,
                hovertemplate=f"{cls}<br>%{{x}}<br>%{{y:.1f}}% of the total<extra></extra>",
                row=1,
                col=col,
            )
    styled(fig, title="Who gets the loss and the gradient? (95 : 5 data set)", height=480)
    _cmp_legend_below(fig, entries=len(class_names), per_row=4)
    fig.update_layout(barmode="group", bargap=0.25, margin={"t": 90})
    fig.update_yaxes(title_text="share of the total (%)", range=[0, 112], row=1, col=1)
    fig.update_yaxes(range=[0, 112], row=1, col=2)
    fig.update_annotations(font={"size": FONT_SIZE})
    return fig


# ---- Entropy and KL ----
@figure_builder
def entropy_kl_bar_figure(h_p: float, kl: float, *, unit: str) -> go.Figure:
    """H(P, Q) = H(P) + KL(P ‖ Q) as a stacked horizontal bar, under the best possible Q = P (KL = 0).

    Parameters
    ----------
    h_p : float
        The entropy of the (smoothed) target P, >= 0.
    kl : float
        KL(P ‖ Q) for the model's Q, >= 0.
    unit : {"nats", "bits"}

    Returns
    -------
    go.Figure
        Two bar traces (H(P); KL, outlined), each segment labelled with its name and value, stacked over the
        bars "your Q" and "best Q = P", then a text trace with each bar's total H(P, Q).
    """
    bars = ["best Q = P", "your Q"]
    h = [float(h_p), float(h_p)]
    k = [0.0, float(kl)]
    fig = Draft()
    fig.add_bar(
        y=bars,
        x=h,
        orientation="h",
        name="H(P): entropy of the truth (unavoidable)",
        marker={"color": COLORS["sky"]},
        text=[f"H(P) = {v:.4f}" for v in h],
        textposition="inside",
        insidetextanchor="middle",
        hovertemplate=f"%{{y}}<br>H(P) = %{{x:.4f}} {unit}<extra></extra>",
    )
    fig.add_bar(
        y=bars,
        x=k,
        orientation="h",
        name="KL(P ‖ Q): wasted by predicting Q",
        marker={
            "color": COLORS["vermillion"],
            "line": {"color": COLORS["black"], "width": [2 if v > 0 else 0 for v in k]},
        },
        text=[f"KL = {v:.4f}" for v in k],
        textposition="inside",
        insidetextanchor="middle",
        hovertemplate=f"%{{y}}<br>KL(P ‖ Q) = %{{x:.4f}} {unit}<extra></extra>",
    )
    totals = [a + b for a, b in zip(h, k, strict=True)]
    fig.add_scatter(
        y=bars,
        x=totals,
        mode="text",
        text=[f"  H(P, Q) = {t:.4f} {unit}" for t in totals],
        textposition="middle right",
        textfont={"size": FONT_SIZE + 1},
        showlegend=False,
        hoverinfo="skip",
        name="totals",
        cliponaxis=False,
    )
    top = max(totals) if max(totals) > 0 else 1.0
    styled(fig, title=f"Cross-entropy = entropy + KL divergence ({unit})", height=330)
    _cmp_legend_below(fig, entries=2, per_row=1, y=-0.25)
    fig.update_layout(barmode="stack", uniformtext={"minsize": 12, "mode": "hide"}, bargap=0.35)
    fig.update_xaxes(range=[0, 1.55 * top])
    return fig


@figure_builder
def distribution_bars_figure(class_names, p, q) -> go.Figure:
    """The true distribution P next to the model's Q, per class, labelled in percent.

    Returns
    -------
    go.Figure
        Two bar traces: P (plain) and Q (outlined in black).
    """
    p_arr = np.asarray(p, dtype=np.float64)
    q_arr = np.asarray(q, dtype=np.float64)
    fig = Draft()
    for name, values, color, outline in (
        ("P (truth)", p_arr, TRUE_CLASS, 0),
        ("Q (model)", q_arr, COLORS["blue"], 2.5),
    ):
        fig.add_bar(
            x=list(class_names),
            y=values,
            name=name,
            marker={"color": color, "line": {"color": COLORS["black"], "width": outline}},
            text=[f"{100 * v:.1f}%" for v in values],
            textposition="outside",
            constraintext="none",
            textfont={"size": FONT_SIZE - 2},
            cliponaxis=False,
            hovertemplate=f"{name}<br>%{{x}}: %{{y:.4f}}<extra></extra>",
        )
    styled(fig, title="P and Q per class", x_title="class", y_title="probability", height=360)
    fig.update_layout(barmode="group")
    fig.update_yaxes(range=[0, 1.15])
    return fig


@figure_builder
def smoothing_floor_figure(eps_grid, floor, *, eps: float, floor_at_eps: float, unit: str, n_classes: int):
    """H(P_ε), the smallest cross-entropy any prediction can reach, against the label smoothing ε.

    Returns
    -------
    go.Figure
        The curve and one marker at the current ε.
    """
    fig = Draft()
    fig.add_scatter(
        x=np.asarray(eps_grid, dtype=np.float64),
        y=np.asarray(floor, dtype=np.float64),
        mode="lines",
        name="H(P_ε) = min over Q of H(P_ε, Q)",
        line={"color": COLORS["sky"], "width": LINE_WIDTH},
        hovertemplate=f"ε = %{{x:.3f}}<br>floor = %{{y:.4f}} {unit}<extra></extra>",
    )
    fig.add_scatter(
        x=[float(eps)],
        y=[float(floor_at_eps)],
        mode="markers+text",
        name="current ε",
        marker={"symbol": "diamond", "size": MARKER_SIZE + 2, "color": COLORS["vermillion"]},
        text=[f"ε = {eps:.2f}: {floor_at_eps:.4f} {unit}"],
        textposition="bottom right" if eps < 0.25 else "top left",
        textfont={"size": FONT_SIZE},
        cliponaxis=False,
        hovertemplate=f"ε = %{{x:.3f}}<br>floor = %{{y:.4f}} {unit}<extra></extra>",
    )
    styled(
        fig,
        title=f"Label smoothing raises the floor of the loss (C = {n_classes})",
        x_title="label smoothing ε",
        y_title=f"minimum cross-entropy ({unit})",
        height=420,
    )
    top = max(float(np.max(floor)), float(floor_at_eps), 0.1)
    fig.update_yaxes(range=[-0.15 * top, 1.12 * top])
    return fig


# ---- Numerical pitfalls ----
DTYPE_COLORS = {"float16": COLORS["orange"], "float32": COLORS["blue"], "float64": COLORS["green"]}


@figure_builder
def naive_vs_stable_figure(sweeps, *, point_scale: float | None = None, point_losses=None) -> go.Figure:
    """Naive softmax-then-log against log-sum-exp cross-entropy over the logit scale, per dtype.

    Top panel (log-log): the stable loss (solid) and the naive loss (dashed, gaps where it is inf or NaN),
    with an ``x`` where each dtype's naive loss first breaks (drawn on the stable curve, labelled).
    Bottom strip: an ``x`` marker at (every 8th) scale where the naive loss is not finite, one row per
    dtype, with the first such scale written next to it.

    Parameters
    ----------
    sweeps : sequence of ``core.NaiveSweep``
    point_scale : float, optional
        A scale to mark with a dotted vertical line.
    point_losses : sequence of (naive, stable) pairs, one per sweep, optional
        The two losses at ``point_scale``: drawn as markers on the line (stable: filled circles; naive:
        open diamonds, left out where inf, NaN or 0).

    Returns
    -------
    go.Figure
        Per sweep: a stable and a naive line (top); then per sweep a marker trace of its broken scales
        (bottom, present even if empty); then one trace of the first-break markers (top); then (with
        ``point_losses``) the stable and the naive markers at ``point_scale`` (top).
    """
    fig = Draft(rows=2, cols=1, shared_xaxes=True, row_heights=[0.74, 0.26], vertical_spacing=0.06)
    for sweep in sweeps:
        color = DTYPE_COLORS.get(sweep.dtype, NEUTRAL)
        fig.add_scatter(
            x=sweep.scales,
            y=_cmp_plottable(sweep.stable, log=True),
            mode="lines",
            name=f"{sweep.dtype} log-sum-exp",
            legendgroup=sweep.dtype,
            line={"color": color, "width": LINE_WIDTH + 3},
            opacity=0.45,
            hovertemplate=f"{sweep.dtype} stable<br>scale %{{x:.4g}}<br>loss %{{y:.4g}}<extra></extra>",
            row=1,
            col=1,
        )
        fig.add_scatter(
            x=sweep.scales,
            y=_cmp_plottable(sweep.naive, log=True),
            mode="lines",
            name=f"{sweep.dtype} naive",
            legendgroup=sweep.dtype,
            line={"color": color, "width": LINE_WIDTH - 1, "dash": "dash"},
            hovertemplate=f"{sweep.dtype} naive<br>scale %{{x:.4g}}<br>loss %{{y:.4g}}<extra></extra>",
            row=1,
            col=1,
        )
    for sweep in sweeps:
        color = DTYPE_COLORS.get(sweep.dtype, NEUTRAL)
        broken = np.flatnonzero(~np.isfinite(sweep.naive))
        shown = broken[(broken - broken[0]) % 8 == 0] if broken.size else broken  # every 8th: readable
        xs = sweep.scales[shown]
        kinds = np.where(np.isnan(sweep.naive[shown]), "NaN", "inf")
        text = [""] * len(xs)
        if len(xs):
            text[0] = f"{sweep.first_break_kind} from s = {sweep.first_break:.4g} "
        fig.add_scatter(
            x=xs,
            y=[sweep.dtype] * len(xs),
            mode="markers+text",
            name=f"{sweep.dtype} naive breaks",
            legendgroup=sweep.dtype,
            showlegend=False,
            marker={"symbol": "x", "size": 11, "color": color},
            text=text,
            textposition="middle left",
            textfont={"size": FONT_SIZE - 2, "color": COLORS["black"]},
            customdata=kinds,
            hovertemplate=f"{sweep.dtype} naive = %{{customdata}}<br>scale %{{x:.4g}}<extra></extra>",
            row=2,
            col=1,
        )
    breaks = [sw for sw in sweeps if sw.first_break is not None]
    at_break = [float(np.interp(np.log(sw.first_break), np.log(sw.scales), sw.stable)) for sw in breaks]
    fig.add_scatter(
        x=[sw.first_break for sw in breaks],
        y=[v if v > 0 else np.nan for v in at_break],
        mode="markers+text",
        name="naive breaks here",
        showlegend=False,
        marker={
            "symbol": "x",
            "size": MARKER_SIZE + 4,
            "color": [DTYPE_COLORS.get(sw.dtype, NEUTRAL) for sw in breaks],
            "line": {"width": 1, "color": COLORS["black"]},
        },
        text=[f"{sw.dtype} naive → {sw.first_break_kind} " for sw in breaks],
        textposition="middle left",
        textfont={"size": FONT_SIZE - 2, "color": COLORS["black"]},
        hovertemplate="naive breaks at s = %{x:.4g}<extra></extra>",
        row=1,
        col=1,
    )
    if point_scale is not None and point_losses is not None:
        colors = [DTYPE_COLORS.get(sw.dtype, NEUTRAL) for sw in sweeps]
        for which, index, symbol in (("log-sum-exp", 1, "circle"), ("naive", 0, "diamond-open")):
            ys = [float(pair[index]) for pair in point_losses]
            fig.add_scatter(
                x=[float(point_scale)] * len(ys),
                y=[y if np.isfinite(y) and y > 0 else np.nan for y in ys],
                mode="markers",
                name=f"{which} at s = {point_scale:.3g}",
                showlegend=False,
                marker={
                    "symbol": symbol,
                    "size": MARKER_SIZE,
                    "color": colors,
                    "line": {"width": 2, "color": colors},
                },
                customdata=[sw.dtype for sw in sweeps],
                hovertemplate=f"%{{customdata}} {which}<br>s = %{{x:.4g}}<br>loss %{{y:.6g}}<extra></extra>",
                row=1,
                col=1,
            )
    if point_scale is not None:
        _cmp_vline(fig, float(point_scale), f"s = {point_scale:.3g}", log=True, row="all", col=1)
    styled(fig, title="Cross-entropy of the logits s · pattern: naive vs log-sum-exp", height=640)
    _cmp_legend_below(fig, entries=2 * len(sweeps), per_row=3)
    fig.update_layout(margin={"t": 60, "b": 150}, legend={"y": -0.14})
    fig.update_xaxes(type="log", dtick=1, row=1, col=1)
    fig.update_xaxes(type="log", dtick=1, title_text="logit scale s (log axis)", row=2, col=1)
    positive = np.concatenate([_cmp_plottable(sw.stable, log=True) for sw in sweeps] + [np.array([1.0])])
    decades = np.log10(np.nanmax(positive)) - np.log10(np.nanmin(positive))
    fig.update_yaxes(
        type="log",
        dtick=1 if decades <= 8 else 2,
        exponentformat="power",
        title_text="loss (nats, log axis)",
        row=1,
        col=1,
    )
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=[s.dtype for s in sweeps],
        title_text="naive fails",
        row=2,
        col=1,
    )
    return fig


@figure_builder
def clipping_figure(comparison, *, point=None, kind: str = "loss") -> go.Figure:
    """Exact, clipped and PyTorch-clamped -log p near p = 0 (log x axis): the loss or |∂ℓ/∂p|.

    Parameters
    ----------
    comparison : ``core.ClippingComparison``
        The curves, over a grid of probabilities.
    point : ``core.ClippingComparison`` of one probability, optional
        The operating point to mark on each curve.
    kind : {"loss", "gradient"}
        The loss (linear y) or the magnitude of its derivative with respect to p (log y); the clipped
        gradient is exactly 0 below ε, shown as a shaded band with a label.

    Returns
    -------
    go.Figure
        Three line traces (exact, clipped, torch), then markers at ``point``.
    """
    if kind not in ("loss", "gradient"):
        raise ValueError(f"kind must be 'loss' or 'gradient'; got {kind!r}")
    c = comparison
    eps = c.eps
    clip_name = f"clipped, ε = {eps:.0e}"
    if kind == "loss":
        series = {"exact −ln p": c.exact, clip_name: c.clipped, "PyTorch BCE (log clamped at −100)": c.torch}
        title, y_title = "Loss for a true label y = 1", "loss (nats)"
    else:
        series = {
            "exact −ln p": np.abs(c.exact_grad),
            clip_name: np.abs(c.clipped_grad),
            "PyTorch BCE (log clamped at −100)": np.abs(c.torch_grad),
        }
        title, y_title = "Gradient magnitude |∂ℓ/∂p|", "|∂ℓ/∂p| (log axis)"
    point_p = point_values = None
    if point is not None:
        point_p = float(np.ravel(point.probs)[0])
        if kind == "loss":
            at = (point.exact, point.clipped, point.torch)
        else:
            at = (np.abs(point.exact_grad), np.abs(point.clipped_grad), np.abs(point.torch_grad))
        point_values = {name: float(np.ravel(v)[0]) for name, v in zip(series, at, strict=True)}
    fig = curves_figure.draft(
        c.probs,
        series,
        title=title,
        x_title="predicted probability of the true class p (log axis)",
        y_title=y_title,
        point_x=point_p,
        point_values=point_values,
        point_label=f"p = {point_p:.0e}" if point_p is not None else None,
        x_log=True,
        y_log=kind == "gradient",
        legend_below=True,
        height=480,
    )
    fig.add_vrect(
        x0=float(c.probs.min()),
        x1=eps,
        fillcolor=COLORS["yellow"],
        opacity=0.18,
        line_width=0,
        layer="below",
    )
    label = "clipped: loss stuck at −ln ε" if kind == "loss" else "clipped: gradient exactly 0"
    fig.add_scatter(
        x=[np.sqrt(float(c.probs.min()) * eps)],
        y=[-np.log(eps) if kind == "loss" else 1.0],
        mode="text",
        text=[label],
        textposition="top center",
        textfont={"size": FONT_SIZE - 2},
        showlegend=False,
        hoverinfo="skip",
        name="clip label",
    )
    if kind == "gradient":
        fig.update_yaxes(exponentformat="power")
    fig.update_xaxes(exponentformat="power")
    return fig


@figure_builder
def gradient_bars_figure(class_names, gradients, *, target: int, title: str) -> go.Figure:
    """Gradients with respect to the logits, per class, for several losses side by side, sign-labelled.

    Parameters
    ----------
    class_names : sequence of str ``(C,)``
    gradients : mapping of str to array_like ``(C,)``
        Loss name -> ∂ℓ/∂z; the bars of a loss share one colour (the first plain, the others outlined in
        black).
    target : int
        The true class (marked " (true)").
    title : str

    Returns
    -------
    go.Figure
        One bar trace per loss, each bar labelled with its signed value.
    """
    names = [f"{n} (true)" if k == target else n for k, n in enumerate(class_names)]
    colors = [COLORS["blue"], COLORS["vermillion"], COLORS["green"]]
    fig = Draft()
    top = 0.05
    for j, (loss, values) in enumerate(gradients.items()):
        g = np.asarray(values, dtype=np.float64)
        top = max(top, float(np.abs(g).max()))
        fig.add_bar(
            x=names,
            y=g,
            name=loss,
            marker={"color": colors[j % 3], "line": {"color": COLORS["black"], "width": 2.5 if j else 0}},
            text=[signed_label(v) for v in g],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"{loss}<br>%{{x}}: %{{y:.6g}}<extra></extra>",
        )
    styled(fig, title=title, x_title="class k", y_title="∂ℓ/∂z_k (nats per unit logit)", height=440)
    fig.update_layout(barmode="group")
    fig.update_yaxes(
        range=[-1.3 * top, 1.3 * top], zeroline=True, zerolinecolor=COLORS["black"], zerolinewidth=2
    )
    return fig


# ---- Softmax gradient ----
_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _power_label(value: float) -> str:
    """``2.5·10⁹`` for large counts, plain digits below 10 000."""
    if value < 10_000:
        return f"{value:,.0f}"
    mantissa, exponent = f"{value:.1e}".split("e")
    mantissa = mantissa.removesuffix(".0")
    return f"{mantissa}·10{str(int(exponent)).translate(_SUPERSCRIPTS)}"


def _legend_below(fig: Draft, rows: int) -> None:
    """Legend under the x-axis title, so it never covers the chart's title in a narrow column."""
    fig.update_layout(
        legend={"orientation": "h", "yanchor": "top", "y": -0.2, "x": 0, "xanchor": "left"},
        margin={"t": 60, "b": 90 + 26 * rows},
    )


@figure_builder
def chain_rule_check_figure(
    grad,
    chain,
    chain_numerical,
    *,
    class_names: list[str],
    target: int,
) -> go.Figure:
    """∂L/∂z three ways: bars of s − y, with markers for the two Jacobian routes on top.

    Each class's tick label carries its signed value (``"Dog<br>+0.060"``), so the sign never
    depends on the bar's colour and no label collides with the markers.

    Parameters
    ----------
    grad : array_like ``(C,)``
        s − y from ``core.cross_entropy_grad`` (the shortcut): drawn as bars.
    chain : array_like ``(C,)``
        (∂s/∂z)ᵀ ∂L/∂s with the analytic Jacobian: open diamonds.
    chain_numerical : array_like ``(C,)``
        The same product with the numerical Jacobian: crosses.
    class_names : list of str
        One tick label per class (keep them short: "Cat"); the true class gets "(true)" under it.
    target : int
        The true class's index.

    Returns
    -------
    go.Figure
        Three traces: the bars, then the two marker series.
    """
    g = np.asarray(grad, dtype=np.float64)
    names = [
        f"{name}<br>{'(true)<br>' if k == target else ''}{signed_label(v)}"
        for k, (name, v) in enumerate(zip(class_names, g, strict=True))
    ]
    fig = Draft()
    fig.add_bar(
        x=names,
        y=g,
        name="s − y  (core.cross_entropy_grad)",
        marker={"color": [NEGATIVE if v < 0 else POSITIVE for v in g]},
        hovertemplate="%{x}<br>s − y = %{y:.6g}<extra></extra>",
    )
    fig.add_scatter(
        x=names,
        y=np.asarray(chain, dtype=np.float64),
        mode="markers",
        name="Jᵀ ∂L/∂s, analytic J",
        marker={
            "symbol": "diamond-open",
            "size": MARKER_SIZE + 6,
            "color": COLORS["black"],
            "line": {"width": 3},
        },
        hovertemplate="%{x}<br>Jᵀ ∂L/∂s = %{y:.6g}<extra></extra>",
    )
    fig.add_scatter(
        x=names,
        y=np.asarray(chain_numerical, dtype=np.float64),
        mode="markers",
        name="Jᵀ ∂L/∂s, numerical J",
        marker={"symbol": "x-thin", "size": MARKER_SIZE, "color": COLORS["orange"], "line": {"width": 3}},
        hovertemplate="%{x}<br>numerical Jᵀ ∂L/∂s = %{y:.6g}<extra></extra>",
    )
    top = max(float(np.abs(g).max()), 0.05)
    styled(
        fig,
        title="∂L/∂z = s − y, three ways",
        x_title="class k and its ∂L/∂z_k",
        y_title="∂L/∂z_k (nats per unit logit)",
        height=470,
    )
    _legend_below(fig, rows=2)
    fig.update_layout(legend={"y": -0.3})
    fig.update_yaxes(range=[-1.15 * top, 1.15 * top], zeroline=True, zerolinecolor=NEUTRAL, zerolinewidth=2)
    fig.update_xaxes(tickangle=0)
    return fig


@figure_builder
def chain_rule_cost_figure(classes, long_way, shortcut, *, marked=()) -> go.Figure:
    """Operations for ∂L/∂z against the number of classes C, log-log: C² through the Jacobian, C as s − y.

    Parameters
    ----------
    classes : array_like ``(k,)``
        Class counts C, increasing.
    long_way, shortcut : array_like ``(k,)``
        Multiply-adds of ∂L/∂s times the C x C Jacobian, and operations of s − y, for each C.
    marked : sequence of int, optional
        Class counts (members of ``classes``) to mark and label, e.g. ``(10, 1000, 50000)``.

    Returns
    -------
    go.Figure
        Two line traces, plus one labelled marker trace when ``marked`` is given.
    """
    c = np.asarray(classes, dtype=np.float64)
    full = np.asarray(long_way, dtype=np.float64)
    short = np.asarray(shortcut, dtype=np.float64)
    fig = Draft()
    fig.add_scatter(
        x=c,
        y=full,
        mode="lines",
        name="through the Jacobian: C²",
        line={"color": POSITIVE, "width": LINE_WIDTH},
        hovertemplate="C = %{x:,}<br>%{y:,.0f} multiply-adds<extra></extra>",
    )
    fig.add_scatter(
        x=c,
        y=short,
        mode="lines",
        name="shortcut s − y: C",
        line={"color": NEGATIVE, "width": LINE_WIDTH, "dash": "dash"},
        hovertemplate="C = %{x:,}<br>%{y:,.0f} operations<extra></extra>",
    )
    if len(marked):
        index = [int(np.flatnonzero(c == m)[0]) for m in marked]
        fig.add_scatter(
            x=c[index],
            y=full[index],
            mode="markers+text",
            name="C² at the marked class counts",
            marker={"symbol": "circle", "size": MARKER_SIZE, "color": POSITIVE},
            text=[f"C = {int(c[i]):,}: {_power_label(full[i])}" for i in index],
            textposition="top left",
            cliponaxis=False,
            hovertemplate="C = %{x:,}<br>%{y:,.0f} multiply-adds<extra></extra>",
        )
    styled(
        fig,
        title="Cost of ∂L/∂z: full Jacobian vs shortcut",
        x_title="number of classes C (log scale)",
        y_title="operations (log scale)",
        height=470,
    )
    _legend_below(fig, rows=2)
    fig.update_layout(legend={"y": -0.25})
    fig.update_xaxes(type="log", exponentformat="power", dtick=1)
    fig.update_yaxes(type="log", exponentformat="power", dtick=2)
    return fig


# ---- Backpropagation ----
# The matrices of one forward or backward stage (each titled with its name and shape in symbols and
# numbers) and the batch of 2-D points the network reads.
_AXIS_NAMES = {
    "B": "example (row of the batch)",
    "D": "input feature",
    "H": "hidden unit",
    "C": "class",
    "1": "",
}
CLASS_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star", "cross", "triangle-down"]


def _axis_name(symbol: str) -> str:
    """What an index along a dimension named ``symbol`` counts: ``"B"`` -> examples, ``"H₂"`` -> units."""
    if symbol in _AXIS_NAMES:
        return _AXIS_NAMES[symbol]
    if symbol.startswith("H"):
        layer = symbol[1:].translate(str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789"))
        return f"unit of layer {layer}" if layer else "hidden unit"
    return symbol


def _heatmap_digits(arr: np.ndarray) -> int:
    """Decimals that give the largest entry about three significant digits (2 to 4)."""
    top = float(np.abs(arr).max()) if arr.size else 0.0
    if top == 0:
        return 2
    return int(min(4, max(2, 2 - np.floor(np.log10(top)))))


@figure_builder
def backprop_matrix_figure(
    name: str, values, symbols, *, annotate: bool | None = None, height: int | None = None
) -> go.Figure:
    """One matrix of the Backpropagation page: ``"δ³ (B×H = 8×5)"`` as an annotated diverging heatmap.

    Parameters
    ----------
    name : str
        The matrix's name, e.g. ``"δ³"`` or ``"∇W₂"``.
    values : array_like, 2-D
        A bias or any vector as a ``(1, n)`` row.
    symbols : sequence of 2 str
        Its shape in symbols (``("B", "H")``); the axis titles say what rows and columns count.
    annotate : bool, optional
        Write the signed values in the cells (about three significant digits; whole numbers such as a
        one-hot Y or relu's σ′ as ``+1`` / ``0``); default for at most 6 columns (8 for whole numbers),
        what fits two heatmaps side by side.  Without labels a colour bar is shown; the hover text
        always gives the value.
    height : int, optional
        Pixels; default grows with the rows.

    Returns
    -------
    go.Figure
        One heatmap.

    Examples
    --------
    >>> fig = backprop_matrix_figure("W₁", [[0.5, -1.0]], ("D", "H"))
    >>> fig.layout.title.text
    'W₁  (D×H = 1×2)'
    """
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 2:
        raise ValueError(f"values must be 2-D (a vector as a 1 x n row); got shape {arr.shape}")
    symbols = tuple(symbols)
    if len(symbols) != 2:
        raise ValueError(f"symbols must name the 2 dimensions, e.g. ('B', 'H'); got {symbols!r}")
    n_rows, n_cols = arr.shape
    integral = bool(np.all(arr == np.round(arr))) and float(np.abs(arr).max(initial=0)) < 10
    if annotate is None:
        annotate = n_cols <= (8 if integral else 6)
    title = f"{name}  ({'×'.join(symbols)} = {n_rows}×{n_cols})"
    fig = matrix_heatmap.draft(
        arr,
        title=title,
        row_label=_axis_name(symbols[0]) or " ",
        col_label=_axis_name(symbols[1]),
        annotate=annotate,
        digits=0 if integral else _heatmap_digits(arr),
        show_scale=not annotate,
        text_size=13 if n_cols > 5 else 15,
        height=height,
        value_name=name,
    )
    fig.update_layout(margin={"l": 60, "r": 20, "t": 60, "b": 60}, title={"font": {"size": 18}})
    if symbols[0] == "1":
        fig.update_yaxes(showticklabels=False)
    return fig


@figure_builder
def batch_points_figure(X, y, *, title: str = "The batch: one point per example") -> go.Figure:
    """The input batch as points (its first two features), one marker symbol and colour per class.

    Parameters
    ----------
    X : array_like ``(B, D)``, D >= 1 (one feature is drawn against 0)
    y : array_like ``(B,)`` of int class indices
    title : str

    Returns
    -------
    go.Figure
        One scatter trace per class present, named ``"class 1"``, ``"class 2"``, … (1-based); each
        point's hover text gives its row i of X.

    Examples
    --------
    >>> fig = batch_points_figure([[0.0, 1.0], [1.0, 0.0]], [0, 1])
    >>> [trace.name for trace in fig.data]
    ['class 1', 'class 2']
    """
    arr = np.asarray(X, dtype=np.float64)
    labels = np.asarray(y)
    if arr.ndim != 2 or arr.shape[0] == 0 or labels.shape != arr.shape[:1]:
        raise ValueError(f"X must be (B, D) and y (B,); got shapes {arr.shape} and {labels.shape}")
    second = arr[:, 1] if arr.shape[1] > 1 else np.zeros(arr.shape[0])
    rows = np.arange(1, arr.shape[0] + 1)
    fig = Draft()
    for c in np.unique(labels).tolist():
        mask = labels == c
        fig.add_trace(
            scatter(
                x=arr[mask, 0],
                y=second[mask],
                mode="markers",
                name=f"class {c + 1}",
                customdata=rows[mask],
                marker={
                    "size": MARKER_SIZE,
                    "symbol": CLASS_SYMBOLS[c % len(CLASS_SYMBOLS)],
                    "color": PALETTE[c % len(PALETTE)],
                    "line": {"width": 1, "color": "white"},
                },
                hovertemplate=(
                    f"example %{{customdata}}<br>class {c + 1}<br>"
                    "x₁ = %{x:.3f}<br>x₂ = %{y:.3f}<extra></extra>"
                ),
            )
        )
    styled(
        fig, title=title, x_title="feature x₁", y_title="feature x₂" if arr.shape[1] > 1 else " ", height=400
    )
    fig.update_layout(
        legend={"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top"},
        margin={"t": 60, "r": 10},
    )
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    return fig


# ---- Mini-batches ----
@figure_builder
def per_example_gradient_figure(values, *, label: str, mean: float, batch_gradient: float) -> go.Figure:
    """Each example's gradient of one parameter as a bar, with the batch mean as a line.

    Parameters
    ----------
    values : array_like ``(B,)``
        ∂ℓ_i/∂θ for the examples of the batch.
    label : str
        The parameter entry, e.g. ``"b₄[2]"``.
    mean : float
        The average of ``values``.
    batch_gradient : float
        The batch-mean gradient from backprop (equal to ``mean``; drawn as markers on the line).

    Returns
    -------
    go.Figure
        A bar trace (signed text labels while B <= 24, bars with a negative value hatched) and a line
        trace for the mean.

    Examples
    --------
    >>> fig = per_example_gradient_figure([0.5, -0.25], label="b[1]", mean=0.125, batch_gradient=0.125)
    >>> [trace.name for trace in fig.data]
    ['per-example gradient', 'batch mean = +0.12500']
    """
    arr = np.asarray(values, dtype=np.float64).reshape(-1)
    if arr.size == 0 or not np.isfinite(arr).all():
        raise ValueError("values must be a non-empty array of finite numbers")
    idx = np.arange(1, arr.size + 1)
    fig = Draft()
    fig.add_trace(
        bar(
            x=idx,
            y=arr,
            name="per-example gradient",
            marker={
                "color": [POSITIVE if v > 0 else NEGATIVE for v in arr],
                "pattern": hatch(["" if v > 0 else "/" for v in arr]),
            },
            text=[signed_label(v, 3) for v in arr] if arr.size <= 24 else None,
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"example %{{x}}<br>∂ℓᵢ/∂{label} = %{{y:.6g}}<extra></extra>",
        )
    )
    fig.add_trace(
        scatter(
            x=[0.5, arr.size + 0.5],
            y=[mean, mean],
            mode="lines",
            name=f"batch mean = {signed_label(mean, 5)}",
            line={"color": COLORS["black"], "width": LINE_WIDTH, "dash": "dash"},
            hovertemplate=(
                f"mean of the {arr.size} bars = {mean:.6g}<br>"
                f"backprop's batch gradient = {batch_gradient:.6g}<extra></extra>"
            ),
        )
    )
    top = float(np.abs(arr).max()) or 1.0
    styled(
        fig,
        title=f"Per-example gradients of {label} and their mean",
        x_title="example i in the batch",
        y_title=f"∂ℓᵢ / ∂{label}",
        height=420,
    )
    fig.update_yaxes(range=[-1.25 * top, 1.25 * top], zeroline=True, zerolinecolor=COLORS["grey"])
    fig.update_xaxes(range=[0.4, arr.size + 0.6], dtick=1 if arr.size <= 24 else None)
    return fig


@figure_builder
def gradient_spread_figure(
    batch_sizes,
    measured,
    expected,
    *,
    label: str,
    expected_finite=None,
    n_samples: int | None = None,
) -> go.Figure:
    """Spread of the mini-batch gradient against the batch size on log-log axes, with σ/√B beside it.

    Parameters
    ----------
    batch_sizes : array_like ``(K,)`` of int
    measured : array_like ``(K,)``
        RMS distance of measured mini-batch gradients from the full-data gradient.
    expected : array_like ``(K,)``
        σ/√B.
    label : str
        The parameter entry, e.g. ``"W₂[3, 1]"``.
    expected_finite : array_like ``(K,)``, optional
        σ/√B · √((N − B)/(N − 1)) for batches drawn without replacement (drawn dotted; entries that are
        0, at B = N, are left out of the log axis).
    n_samples : int, optional
        N, named in that line's legend entry.

    Returns
    -------
    go.Figure
        Traces: "measured" (markers), "σ/√B" (line), and the finite-population line if given.

    Examples
    --------
    >>> fig = gradient_spread_figure([1, 4], [1.0, 0.52], [1.0, 0.5], label="b[1]")
    >>> [trace.name for trace in fig.data], fig.layout.xaxis.type
    (['measured', 'σ/√B (slope −1/2)'], 'log')
    """
    sizes = np.asarray(batch_sizes, dtype=np.float64).reshape(-1)
    meas = np.asarray(measured, dtype=np.float64).reshape(-1)
    theory = np.asarray(expected, dtype=np.float64).reshape(-1)
    if not (sizes.size == meas.size == theory.size) or sizes.size == 0 or (sizes <= 0).any():
        raise ValueError("batch_sizes, measured and expected must be equal-length, batch sizes positive")
    fig = Draft()
    fig.add_trace(
        scatter(
            x=sizes,
            y=theory,
            mode="lines",
            name="σ/√B (slope −1/2)",
            line={"color": COLORS["blue"], "width": LINE_WIDTH},
            hovertemplate="B = %{x}<br>σ/√B = %{y:.4g}<extra></extra>",
        )
    )
    if expected_finite is not None:
        finite = np.asarray(expected_finite, dtype=np.float64).reshape(-1)
        keep = finite > 0
        where = f"N = {n_samples}" if n_samples is not None else "N"
        fig.add_trace(
            scatter(
                x=sizes[keep],
                y=finite[keep],
                mode="lines",
                name=f"σ/√B · √((N−B)/(N−1)), {where}",
                line={"color": COLORS["sky"], "width": LINE_WIDTH, "dash": "dot"},
                hovertemplate="B = %{x}<br>without replacement: %{y:.4g}<extra></extra>",
            )
        )
    keep = meas > 0
    fig.add_trace(
        scatter(
            x=sizes[keep],
            y=meas[keep],
            mode="markers",
            name="measured",
            marker={"color": COLORS["vermillion"], "size": MARKER_SIZE, "symbol": "diamond"},
            hovertemplate="B = %{x}<br>measured spread = %{y:.4g}<extra></extra>",
        )
    )
    fig.data.insert(0, fig.data.pop())
    styled(
        fig,
        title=f"Spread of the mini-batch gradient of {label}",
        x_title="batch size B (log scale)",
        y_title=f"RMS of ∇{label} − full gradient (log)",
        height=460,
    )
    fig.update_layout(
        legend={
            "orientation": "v",
            "x": 0.02,
            "xanchor": "left",
            "y": 0.02,
            "yanchor": "bottom",
            "bgcolor": "rgba(255,255,255,0.85)",
        },
        margin={"t": 60},
    )
    fig.update_xaxes(type="log", tickvals=sizes.tolist(), ticktext=[str(int(s)) for s in sizes])
    values = np.concatenate([meas[meas > 0], theory[theory > 0]])
    ticks = _one_two_five(float(values.min()), float(values.max())) if values.size else []
    fig.update_yaxes(type="log", tickvals=ticks, ticktext=[f"{t:g}" for t in ticks])
    return fig


def _one_two_five(low: float, high: float) -> list[float]:
    """Tick values 1, 2, 5 × 10^k covering [low, high] (a log axis readable without minor labels).

    >>> _one_two_five(0.03, 0.6)
    [0.02, 0.05, 0.1, 0.2, 0.5, 1.0]
    """
    ticks = []
    for power in range(int(np.floor(np.log10(low))) - 1, int(np.ceil(np.log10(high))) + 1):
        for m in (1, 2, 5):
            ticks.append(float(f"{m}e{power}"))
    below = [t for t in ticks if t <= low]
    above = [t for t in ticks if t >= high]
    lo, hi = (below[-1] if below else ticks[0]), (above[0] if above else ticks[-1])
    return [t for t in ticks if lo <= t <= hi]


# ---- Train a network ----
# Live views of training: loss and accuracy per epoch for one or two runs (the race), the decision
# regions of a 2-input network with the points on top, each layer's gradient norm per epoch (log
# scale), and for the digits a confusion matrix and misclassified 8×8 images.  Runs differ by colour
# AND marker symbol; train and test differ by line dash (solid / dotted) and filled / open markers.
_TRAIN_RUN_STYLE = [(COLORS["blue"], "circle"), (COLORS["vermillion"], "diamond")]
_TRAIN_CLASS_COLORS = [COLORS["blue"], COLORS["orange"], COLORS["green"]]
_TRAIN_CLASS_SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star", "cross", "triangle-down"]
_TRAIN_LAYER_STYLE = [
    (COLORS["blue"], "circle"),
    (COLORS["orange"], "square"),
    (COLORS["green"], "diamond"),
    (COLORS["vermillion"], "triangle-up"),
    (COLORS["purple"], "x"),
]


def _tint(hex_color: str, amount: float) -> str:
    """``hex_color`` mixed with white: amount 0 is white, 1 the colour itself."""
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(255 - amount * (255 - c)) for c in (r, g, b)]
    return f"rgb({mix[0]},{mix[1]},{mix[2]})"


def _train_legend_below(fig: Draft, entries: int, per_row: int = 2) -> None:
    """Move the legend under the plot, ``per_row`` entries to a row whatever the width, with room for it."""
    rows = max(1, -(-entries // per_row))
    fig.update_layout(
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 0.01,
            "yanchor": "bottom",
            "x": 0,
            "xanchor": "left",
            "entrywidth": 1.0 / per_row,
            "entrywidthmode": "fraction",
            "font": {"size": 14},
        },
        margin={"b": 70 + 24 * rows},
        height=fig.layout["height"] + 24 * rows,
    )


def _epoch_ticks(fig: Draft, last_epoch: int) -> None:
    """Whole-number epoch ticks, at most about 10 of them."""
    step = next((s for s in (1, 2, 5, 10, 20, 50, 100) if last_epoch / s <= 10), 200)
    fig.update_xaxes(rangemode="tozero", tick0=0, dtick=step)


def _run_series(run: dict, key: str) -> tuple[list[int], list[float]] | None:
    """Epochs 0, 1, ... and the values of ``key`` (epoch 0 from ``run["initial"]``); None if absent."""
    history = run["history"]
    if key not in history:
        return None
    epochs = [0, *history["epoch"]]
    values = [run["initial"][key], *history[key]]
    return epochs, values


@figure_builder
def training_curves_figure(
    runs: list[dict],
    *,
    metric: str,
    title: str,
    y_title: str,
    scale: list[float] | None = None,
    target: float | None = None,
    reached: list[int | None] | None = None,
    height: int = 400,
) -> go.Figure:
    """Loss or accuracy per epoch of one or more training runs, train solid and test dotted.

    Parameters
    ----------
    runs : list of dict
        Each ``{"label": str, "history": dict, "initial": dict}``: the history and initial values of a
        :class:`core.train.Trainer` (lists ``"epoch"``, ``metric``, and ``"test_" + metric`` if there
        is a test set). Epoch 0 is drawn from ``initial``.
    metric : {"loss", "accuracy"}
    title, y_title : str
    scale : list of float, optional
        A factor per run for the values (e.g. 1/ln 2 to show a loss in bits); default 1.
    target : float, optional
        An accuracy to reach, drawn as a dashed horizontal line.
    reached : list of (int or None), optional
        Per run, the epoch at which it reached ``target`` (None: not reached); drawn as a marker on
        the target line with a dotted drop line to the epoch axis (the hover text names run and epoch).
    height : int, default 400

    Returns
    -------
    go.Figure
        Per run, a training trace named by the run's label and (if present) a test trace named
        ``"label · test"``, in run order; the legend lists each run once (both traces in its group).
        Then the target line and the reached markers. Accuracy is shown in percent (0–100 %).

    Examples
    --------
    >>> history = {"epoch": [1, 2], "accuracy": [0.5, 0.8]}
    >>> run = {"label": "CE", "history": history, "initial": {"accuracy": 0.3}}
    >>> fig = training_curves_figure([run], metric="accuracy", title="t", y_title="accuracy")
    >>> fig.data[0].name, list(fig.data[0].x), list(fig.data[0].y)
    ('CE', [0, 1, 2], [0.3, 0.5, 0.8])
    """
    if metric not in ("loss", "accuracy"):
        raise ValueError(f"metric must be 'loss' or 'accuracy'; got {metric!r}")
    scales = [1.0] * len(runs) if scale is None else list(scale)
    if len(scales) != len(runs):
        raise ValueError(f"scale must have one factor per run ({len(runs)}); got {len(scales)}")
    fig = Draft()
    value_format = ".1%" if metric == "accuracy" else ".4f"
    for i, (run, factor) in enumerate(zip(runs, scales, strict=True)):
        color, symbol = _TRAIN_RUN_STYLE[i % len(_TRAIN_RUN_STYLE)]
        for part, key, dash, open_marker in (
            ("train", metric, "solid", False),
            ("test", f"test_{metric}", "dot", True),
        ):
            series = _run_series(run, key)
            if series is None:
                continue
            epochs, values = series
            n = len(epochs)
            fig.add_trace(
                scatter(
                    x=epochs,
                    y=[v * factor for v in values],
                    mode="lines+markers" if n <= 60 else "lines",
                    name=run["label"] if part == "train" else f"{run['label']} · {part}",
                    legendgroup=run["label"],
                    showlegend=part == "train",
                    line={"color": color, "width": LINE_WIDTH, "dash": dash},
                    marker={
                        "symbol": f"{symbol}-open" if open_marker else symbol,
                        "size": 8,
                        "color": color,
                        "line": {"width": 2, "color": color},
                        "maxdisplayed": 60,
                    },
                    hovertemplate=(
                        f"{run['label']} · {part}<br>epoch %{{x}}<br>{y_title}: "
                        f"%{{y:{value_format}}}<extra></extra>"
                    ),
                )
            )
    if target is not None:
        fig.add_hline(
            y=target,
            line={"color": NEUTRAL, "width": 2, "dash": "dash"},
            annotation_text=f"target {target:.0%}",
            annotation_position="top left",
        )
        for i, (run, epoch) in enumerate(zip(runs, reached or [], strict=False)):
            if epoch is None:
                continue
            color, symbol = _TRAIN_RUN_STYLE[i % len(_TRAIN_RUN_STYLE)]
            # A dotted drop line from the target down to the epoch on the axis, and a big marker on top.
            fig.add_trace(
                scatter(
                    x=[epoch, epoch],
                    y=[0, target],
                    mode="lines+markers",
                    name=f"{run['label']} reaches {target:.0%}",
                    line={"color": color, "width": 2, "dash": "dot"},
                    marker={
                        "symbol": symbol,
                        "size": [0, 16],
                        "color": color,
                        "line": {"width": 2, "color": "white"},
                    },
                    legendgroup=run["label"],
                    showlegend=False,
                    hovertemplate=f"{run['label']} reached {target:.0%} at epoch {epoch}<extra></extra>",
                )
            )
    styled(fig, title=title, x_title="epoch", y_title=y_title, height=height)
    _train_legend_below(fig, sum(1 for trace in fig.data if trace.get("showlegend") is not False))
    _epoch_ticks(fig, max((len(run["history"].get("epoch", [])) for run in runs), default=0))
    if metric == "accuracy":
        fig.update_yaxes(range=[0, 1.04], tickformat=".0%")
    else:
        fig.update_yaxes(rangemode="tozero")
    return fig


@figure_builder
def decision_regions_figure(
    grid: dict,
    X,
    y,
    *,
    class_names: list[str],
    title: str,
    X_test=None,
    y_test=None,
    height: int = 500,
) -> go.Figure:
    """The class a 2-input network predicts everywhere (shaded by its confidence), with the points on top.

    Parameters
    ----------
    grid : dict
        From :func:`core.train.decision_grid`: ``"x"`` ``(r,)``, ``"y"`` ``(r,)``, ``"classes"`` ``(r, r)``
        and ``"confidence"`` ``(r, r)``.
    X : array_like ``(n, 2)``, y : array_like of int ``(n,)``
        Training points, drawn filled, one marker symbol and colour per class.
    class_names : list of str
        One name per class (at least 2; classes beyond 3 reuse the colours, with other symbols).
    title : str
    X_test, y_test : array_like, optional
        Test points, drawn as open markers of the same symbols.
    height : int, default 500
        Pixels, before the room for the legend below the plot.

    Returns
    -------
    go.Figure
        A heatmap, then one scatter trace per class for the training points and one per class for the
        test points (in the class's legend group, not listed separately). The heatmap's z is
        ``100 · class + s`` (uint16), s = 0 … 99 the confidence rescaled from [1/C, 1]: each class has its
        own band of tints, pale where the network is unsure and strong where it is sure. Its customdata
        (uint8) holds the predicted class and the softmax probability in percent, for the hover text.
        Compact integer arrays keep a live update small.

    Examples
    --------
    >>> grid = {"x": np.array([0.0, 1.0]), "y": np.array([0.0, 1.0]),
    ...         "classes": np.array([[0, 1], [1, 1]]), "confidence": np.array([[0.9, 0.6], [0.7, 1.0]])}
    >>> fig = decision_regions_figure(grid, [[0.2, 0.3]], [0], class_names=["class 0", "class 1"], title="t")
    >>> [trace.type for trace in fig.data], fig.data[1].name
    (['heatmap', 'scatter'], 'class 0')
    >>> fig.data[0].z.tolist()
    [[79, 120], [140, 199]]
    """
    n_classes = len(class_names)
    if n_classes < 2:
        raise ValueError(f"class_names must name at least 2 classes; got {class_names!r}")
    classes = np.asarray(grid["classes"])
    confidence = np.asarray(grid["confidence"], dtype=np.float64)
    # The confidence runs from 1/C (a coin toss between all classes) to 1; rescale it to 0 … 99 in the band.
    sure = np.clip((confidence - 1.0 / n_classes) / (1.0 - 1.0 / n_classes), 0.0, 1.0)
    z = (100 * classes + np.rint(99 * sure)).astype(np.uint16)
    colorscale = []
    for k in range(n_classes):
        color = _TRAIN_CLASS_COLORS[k % len(_TRAIN_CLASS_COLORS)]
        colorscale += [[k / n_classes, _tint(color, 0.06)], [(k + 0.99) / n_classes, _tint(color, 0.5)]]
    colorscale[-1][0] = 1.0
    custom = np.stack([classes, np.rint(100 * confidence)], axis=-1).astype(np.uint8)
    fig = Draft().add_trace(
        heatmap(
            x=np.asarray(grid["x"], dtype=np.float32),
            y=np.asarray(grid["y"], dtype=np.float32),
            z=z,
            zmin=0,
            zmax=100 * n_classes,
            colorscale=colorscale,
            showscale=False,
            customdata=custom,
            hovertemplate=(
                "x₁ = %{x:.2f}, x₂ = %{y:.2f}<br>predicted: class %{customdata[0]}"
                "<br>p = %{customdata[1]} %<extra>network</extra>"
            ),
        )
    )
    sets = [("train", X, y, False)]
    if X_test is not None and y_test is not None and len(y_test):
        sets.append(("test", X_test, y_test, True))
    for part, points, labels, open_marker in sets:
        points = np.asarray(points, dtype=np.float64)
        labels = np.asarray(labels)
        for k, name in enumerate(class_names):
            mask = labels == k
            if not mask.any():
                continue
            color = _TRAIN_CLASS_COLORS[k % len(_TRAIN_CLASS_COLORS)]
            symbol = _TRAIN_CLASS_SYMBOLS[k % len(_TRAIN_CLASS_SYMBOLS)]
            marker = {
                "symbol": f"{symbol}-open" if open_marker else symbol,
                "size": 9,
                "color": color,
                "line": {"width": 2 if open_marker else 1, "color": color if open_marker else "white"},
            }
            fig.add_trace(
                scatter(
                    x=points[mask, 0].astype(np.float32),
                    y=points[mask, 1].astype(np.float32),
                    mode="markers",
                    name=name if part == "train" else f"{name} · {part}",
                    legendgroup=name,
                    showlegend=not open_marker,
                    marker=marker,
                    hovertemplate=f"{name} ({part})<br>x₁ = %{{x:.2f}}, x₂ = %{{y:.2f}}<extra></extra>",
                )
            )
    heading = f"{title}<br><sup>filled: training points · open: test points</sup>" if len(sets) > 1 else title
    styled(fig, title=heading, x_title="x₁ (standardised)", y_title="x₂ (standardised)", height=height)
    fig.update_xaxes(constrain="domain")  # keep the aspect by shrinking the plot, not by padding the range
    # The legend (one entry per class; a click hides its training and test points) goes below the plot.
    _train_legend_below(fig, n_classes, per_row=min(n_classes, 3))
    fig.update_layout(margin={"t": 80}, uirevision=title)
    fig.update_xaxes(range=[float(grid["x"][0]), float(grid["x"][-1])], showgrid=False, zeroline=False)
    fig.update_yaxes(
        range=[float(grid["y"][0]), float(grid["y"][-1])],
        showgrid=False,
        zeroline=False,
        scaleanchor="x",
        scaleratio=1,
        constrain="domain",
    )
    return fig


def _finite_max(run: dict) -> float:
    """The largest gradient norm of a run (0 if it has none)."""
    values = [v for norms in run["history"]["grad_norm"].values() for v in norms]
    return max(values, default=0.0)


@figure_builder
def gradient_norms_figure(runs: list[dict], *, title: str, height: int = 400) -> go.Figure:
    """The mean gradient norm ‖∂L/∂W_l‖ of every weight matrix per epoch, on a log scale.

    Parameters
    ----------
    runs : list of dict
        Each ``{"label": str, "history": dict}`` with ``history["epoch"]`` and ``history["grad_norm"]``
        ``{"W1": [...], ...}``. Layers differ by colour and marker symbol; a second run is dashed.
    title : str
    height : int, default 400

    Returns
    -------
    go.Figure
        One trace per run and layer, named ``"W1 (input)"``, ..., ``"WL (output)"``; the legend lists the
        layers once (a click hides the layer in every run) and, with several runs, the subtitle says
        which run is solid and which dashed. A norm of exactly 0 (a dead layer) has no place on a log
        scale: it leaves a gap in its line.

    Examples
    --------
    >>> run = {"label": "CE", "history": {"epoch": [1, 2], "grad_norm": {"W1": [0.5, 0.2], "W2": [1.0, 0.4]}}}
    >>> [trace.name for trace in gradient_norms_figure([run], title="t").data]
    ['W1 (input)', 'W2 (output)']
    """
    fig = Draft()
    smallest = []
    for i, run in enumerate(runs):
        history = run["history"]
        norms = history["grad_norm"]
        keys = list(norms)
        for j, key in enumerate(keys):
            color, symbol = _TRAIN_LAYER_STYLE[j % len(_TRAIN_LAYER_STYLE)]
            role = " (input)" if j == 0 else " (output)" if j == len(keys) - 1 else ""
            name = f"{key}{role}"
            values = np.asarray(norms[key], dtype=np.float64)
            positive = values[values > 0]
            if positive.size:
                smallest.append(float(positive.min()))
            fig.add_trace(
                scatter(
                    x=list(history["epoch"]),
                    y=np.where(values > 0, values, np.nan),
                    mode="lines+markers" if len(values) <= 60 else "lines",
                    name=name,
                    legendgroup=key,
                    showlegend=i == 0,
                    line={"color": color, "width": LINE_WIDTH, "dash": "solid" if i == 0 else "dash"},
                    marker={"symbol": symbol, "size": 8, "color": color, "maxdisplayed": 60},
                    hovertemplate=(
                        f"{name} · {run['label']}<br>epoch %{{x}}<br>‖∇{key}‖ = %{{y:.3g}}<extra></extra>"
                    ),
                )
            )
    if len(runs) > 1:
        title += (
            "<br><sup>"
            + " · ".join(
                f"{'solid' if i == 0 else 'dashed'}: {run['label']}" for i, run in enumerate(runs[:2])
            )
            + "</sup>"
        )
    styled(fig, title=title, x_title="epoch", y_title="mean ‖∂L/∂W‖ per batch (log scale)", height=height)
    _train_legend_below(fig, sum(1 for trace in fig.data if trace.get("showlegend") is not False), per_row=3)
    # Label only the powers of ten when the norms span more than a decade (the minor labels crowd).
    wide = len(smallest) > 0 and max(_finite_max(run) for run in runs) / min(smallest) > 20
    fig.update_yaxes(type="log", exponentformat="power", dtick=1 if wide else "D2")
    _epoch_ticks(fig, max((len(run["history"]["epoch"]) for run in runs), default=0))
    return fig


@figure_builder
def confusion_matrix_figure(cm, class_names: list[str], *, title: str, height: int = 460) -> go.Figure:
    """A confusion matrix as an annotated heatmap: row = true class, column = predicted class.

    Parameters
    ----------
    cm : array_like of int ``(C, C)``
        Counts, from :func:`core.train.confusion_matrix`.
    class_names : list of str
        C tick labels.
    title : str
    height : int, default 460

    Returns
    -------
    go.Figure
        One heatmap with every count written in its cell (empty cells left blank) and the row share in
        the hover text; the correct predictions lie on the diagonal.

    Examples
    --------
    >>> fig = confusion_matrix_figure([[3, 1], [0, 4]], ["0", "1"], title="t")
    >>> fig.data[0].text.tolist()
    [['3', '1'], ['', '4']]
    """
    counts = np.asarray(cm)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1] or counts.shape[0] != len(class_names):
        raise ValueError(
            f"cm must be (C, C) with C = len(class_names) = {len(class_names)}; got {counts.shape}"
        )
    totals = counts.sum(axis=1, keepdims=True)
    share = np.divide(counts, totals, out=np.zeros(counts.shape), where=totals > 0)
    text = np.where(counts > 0, counts.astype(str), "")
    fig = Draft().add_trace(
        heatmap(
            z=counts,
            x=list(class_names),
            y=list(class_names),
            text=text,
            texttemplate="%{text}",
            textfont={"size": 14},
            customdata=share,
            colorscale=[[0.0, "#FFFFFF"], [1.0, COLORS["blue"]]],
            zmin=0,
            showscale=False,
            xgap=1,
            ygap=1,
            hovertemplate=(
                "true %{y}, predicted %{x}<br>%{z} examples (%{customdata:.0%} of true %{y})<extra></extra>"
            ),
        )
    )
    styled(fig, title=title, x_title="predicted class", y_title="true class", height=height, legend=False)
    fig.update_xaxes(type="category", showgrid=False, zeroline=False, side="bottom")
    fig.update_yaxes(type="category", autorange="reversed", showgrid=False, zeroline=False, scaleanchor="x")
    return fig


@figure_builder
def digit_images_figure(images, captions: list[str], *, title: str, columns: int = 4) -> go.Figure:
    """Small 8×8 grey-scale images tiled in a grid, each captioned (e.g. "true 3 → 8"), as one heatmap.

    Parameters
    ----------
    images : array_like ``(k, 64)``, pixels in [0, 1], k >= 1
        Row-major 8×8 images (``core.data.load_digits``).
    captions : list of str, k of them
    title : str
    columns : int, default 4
        Images per row.

    Returns
    -------
    go.Figure
        One heatmap of the tiles (ink dark on white, as on paper; the gaps between tiles are empty),
        and one caption annotation above each tile.

    Examples
    --------
    >>> fig = digit_images_figure(np.ones((2, 64)), ["a", "b"], title="t")
    >>> len(fig.data), fig.data[0].z.shape, [a.text for a in fig.layout.annotations]
    (1, (8, 17), ['a', 'b'])
    """
    pixels = np.asarray(images, dtype=np.float64)
    if pixels.ndim != 2 or pixels.shape[1] != 64 or pixels.shape[0] == 0:
        raise ValueError(f"images must be (k, 64) with k >= 1; got shape {pixels.shape}")
    if len(captions) != pixels.shape[0]:
        raise ValueError(f"captions must have one entry per image ({pixels.shape[0]}); got {len(captions)}")
    k = pixels.shape[0]
    cols = max(1, min(int(columns), k))
    rows = -(-k // cols)
    gap_x, gap_y = 1, 3  # empty columns between tiles; empty rows above each row of tiles (the captions)
    canvas = np.full((rows * (8 + gap_y) - gap_y, cols * (8 + gap_x) - gap_x), np.nan)
    annotations = []
    for i in range(k):
        top, left = (i // cols) * (8 + gap_y), (i % cols) * (8 + gap_x)
        canvas[top : top + 8, left : left + 8] = pixels[i].reshape(8, 8)
        annotations.append(
            {
                "x": left + 3.5,
                "y": top - 0.6,
                "xref": "x",
                "yref": "y",
                "text": captions[i],
                "showarrow": False,
                "yanchor": "bottom",
                "font": {"size": 14},
            }
        )
    fig = Draft().add_trace(
        heatmap(
            z=canvas,
            colorscale=[[0.0, "#FFFFFF"], [1.0, "#000000"]],
            zmin=0,
            zmax=1,
            showscale=False,
            hovertemplate="ink %{z:.2f}<extra></extra>",
        )
    )
    styled(fig, title=title, height=110 + 150 * rows, legend=False)
    fig.update_layout(annotations=annotations, margin={"l": 10, "r": 10, "t": 90, "b": 10})
    fig.update_xaxes(visible=False, showgrid=False, zeroline=False, constrain="domain")
    fig.update_yaxes(
        visible=False, showgrid=False, zeroline=False, range=[canvas.shape[0] - 0.5, -3.2], scaleanchor="x"
    )
    return fig


# ---- shared: export and adaptation (presenter mode, dark theme) ----
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
    return SpecFigure(spec)


def _column(values) -> list:
    if values is None:
        return []
    return np.asarray(values).tolist() if not isinstance(values, (list, tuple)) else list(values)


def figure_csv(fig: go.Figure) -> str:
    """The numbers behind a chart as CSV: one row per point (``series,x,y``) or heatmap cell (``…,z``).

    >>> print(figure_csv(Draft().add_bar(x=["a", "b"], y=[0.25, 0.75], name="p").figure()).strip())
    series,x,y,z
    p,a,0.25,
    p,b,0.75,
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["series", "x", "y", "z"])
    for k, trace in enumerate(fig.data):
        name = trace.name or f"{trace.type} {k + 1}"
        if trace.type == "heatmap":
            z = np.asarray(trace.z)
            xs = _column(trace.x) or list(range(z.shape[1]))
            ys = _column(trace.y) or list(range(z.shape[0]))
            writer.writerows(
                [name, xs[j], ys[i], z[i, j].item()] for i in range(z.shape[0]) for j in range(z.shape[1])
            )
            continue
        xs, ys = _column(trace.x), _column(trace.y)
        if not xs and not ys:
            continue
        xs = xs or [None] * len(ys)
        ys = ys or [None] * len(xs)
        writer.writerows([name, x, y, None] for x, y in zip(xs, ys, strict=False))
    return out.getvalue()
