"""A matrix drawn as a grid of cells, row 1 at the top as on paper, each cell's value written in it.

Shared by the gradient pages (Softmax gradient, Vectorized identities, and through
:mod:`core.figures.backprop` the Backpropagation page); reuse it for any matrix or vector (a vector of
n entries is a 1 x n row or an n x 1 column).  The diverging scale is centred at 0 (blue negative,
white 0, vermillion positive) and every label carries its sign, so the colour is never the only cue.
"""

from __future__ import annotations

import numpy as np

from core.figures.engine import Draft, figure_builder, heatmap
from core.figures.style import COLORS, DIVERGING_SCALE, FONT_SIZE, styled
from core.formatting import scientific as scientific_notation
from core.formatting import signed


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
) -> Draft:
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
    if scientific:
        labels = [[scientific_notation(v, digits, sign=True) for v in row] for row in arr.tolist()]
    else:
        labels = [[signed(v, digits) for v in row] for row in arr.tolist()]
    fig = Draft().add_trace(
        heatmap(
            z=arr,
            x=cols,
            y=rows,
            text=np.array(labels, dtype=object),
            texttemplate="%{text}" if annotate else None,
            textfont={"size": text_size or FONT_SIZE},
            colorscale=DIVERGING_SCALE,
            zmin=-limit,
            zmax=limit,
            zmid=0,
            showscale=show_scale,
            colorbar={"thickness": 14, "len": 0.9, "exponentformat": "e"},
            # No gaps between the cells: plotly.js then paints the matrix as one small image of a pixel a
            # cell, scaled up, instead of one filled rectangle a cell in a canvas the panel's size, which it
            # must then encode as a PNG at every redraw (a drag of the Backpropagation stage redraws four).
            xgap=0,
            ygap=0,
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


LABELLED_COLUMNS = 4  # a difference heatmap writes its values in the cells up to this many columns


@figure_builder
def difference_heatmap(
    D,
    *,
    title: str,
    row_label: str,
    col_label: str,
    row_names: list[str] | None = None,
    col_names: list[str] | None = None,
    text_size: int | None = None,
):
    """The difference of two matrices that should agree (analytic − numerical): rounding errors.

    A :func:`matrix_heatmap` named "difference" whose cells are labelled in scientific notation with one
    decimal, and only while they are wide enough (at most :data:`LABELLED_COLUMNS` columns; hovering
    shows every value).  The arguments are :func:`matrix_heatmap`'s.

    >>> difference_heatmap([[1e-11, -2e-11]], title="t", row_label="r", col_label="c").data[0].text.tolist()
    [['+1.0e−11', '−2.0e−11']]
    """
    return matrix_heatmap.draft(
        D,
        title=title,
        row_label=row_label,
        col_label=col_label,
        annotate=np.shape(D)[-1] <= LABELLED_COLUMNS,
        row_names=row_names,
        col_names=col_names,
        scientific=True,
        digits=1,
        text_size=text_size,
        value_name="difference",
    )


_ROW_PX = 52  # one row of cells, as a single matrix's figure grows with its rows
_MIN_PLOT_PX, _MAX_PLOT_PX = 110, 420  # a panel's plot area: one row at least, a full batch at most
_GAP_PX = 110  # between two rows of panels: the upper panels' axis titles and the lower ones' titles
_TOP_PX, _BOTTOM_PX = 100, 70  # the figure's title and the first panels' titles; the last axis titles


@figure_builder
def matrix_grid(panels, *, title: str, per_row: int = 2, height: int | None = None) -> Draft:
    """Several matrices in one figure, ``per_row`` to a row: each panel one :func:`matrix_heatmap` draft.

    One chart instead of one per matrix: a page whose control moves several matrices at once sends and
    redraws one figure.  Each panel keeps its heatmap (values, labels, colour scale, colour bar beside it
    when it has one), its title (above the panel) and its axis titles; the trace is named after the panel's
    title, so the CSV names every matrix.

    Parameters
    ----------
    panels : sequence of Draft
        Drafts of single heatmaps: ``matrix_heatmap.draft(...)``, ``difference_heatmap.draft(...)``, or a
        builder's draft that extends one (``backprop_matrix_figure.draft(...)``).
    title : str
        The figure's title.
    per_row : int, default 2
    height : int, optional
        The figure's height in pixels, if more than the panels need (:func:`grid_height`): the rest is
        left empty below them.  For charts that the browser redraws with other panels (a drag of n, or of
        a backprop stage): one height for all of them keeps the page from jumping, and Streamlit's chart
        element keeps the box it was first given.

    Returns
    -------
    go.Figure
        One heatmap trace per panel, in order, on axes ``x``, ``x2``, … (row by row).

    Examples
    --------
    >>> a = matrix_heatmap.draft([[1.0, -2.0]], title="A", row_label="r", col_label="c")
    >>> b = matrix_heatmap.draft([[3.0]], title="B", row_label="r", col_label="c")
    >>> [trace.name for trace in matrix_grid([a, b], title="Both").data]
    ['A', 'B']
    """
    panels = list(panels)
    if not panels:
        raise ValueError("panels must hold at least one matrix")
    rows = -(-len(panels) // per_row)
    heights = []
    for r in range(rows):
        cells = max(len(p.data[0]["y"]) for p in panels[r * per_row : (r + 1) * per_row])
        heights.append(min(_MAX_PLOT_PX, max(_MIN_PLOT_PX, _ROW_PX * cells + 10)))
    plot_px = sum(heights) + _GAP_PX * (rows - 1)
    titles = [p.layout["title"]["text"] for p in panels]
    # A colour bar of a panel that has another to its right sits in the gap, next to that one's row labels.
    bars_between = any(p.data[0].get("showscale") for k, p in enumerate(panels) if k % per_row < per_row - 1)
    fig = Draft(
        rows=rows,
        cols=per_row,
        row_heights=heights,
        vertical_spacing=_GAP_PX / plot_px if rows > 1 else None,
        horizontal_spacing=0.2 if bars_between else 0.14,
        subplot_titles=titles,
    )
    fig.update_annotations(font={"size": 18, "color": COLORS["black"]})  # adapt() swaps it on a dark page
    for k, (panel, name) in enumerate(zip(panels, titles, strict=True)):
        row, col = k // per_row + 1, k % per_row + 1
        trace = dict(panel.data[0], name=name)
        suffix = fig._axis_suffix(row, col)
        x_domain = fig.layout[f"xaxis{suffix}"]["domain"]
        y_domain = fig.layout[f"yaxis{suffix}"]["domain"]
        trace["colorbar"] = dict(
            trace.get("colorbar", {}),
            x=x_domain[1] + 0.01,
            xanchor="left",
            y=(y_domain[0] + y_domain[1]) / 2,
            yanchor="middle",
            len=y_domain[1] - y_domain[0],
        )
        fig.add_trace(trace, row=row, col=col)
        fig.update_xaxes(row=row, col=col, **panel.layout["xaxis"])
        y_axis = dict(panel.layout["yaxis"])
        first = panels[k - k % per_row].layout["yaxis"]
        if col > 1 and y_axis.get("title") == first.get("title"):  # said once, at the row's first panel
            y_axis["title"] = {"text": ""}
        fig.update_yaxes(row=row, col=col, **y_axis)
    for k in range(len(panels), rows * per_row):  # an empty cell at the end: no axes drawn there
        row, col = k // per_row + 1, k % per_row + 1
        fig.update_xaxes(row=row, col=col, visible=False)
        fig.update_yaxes(row=row, col=col, visible=False)
    natural = plot_px + _TOP_PX + _BOTTOM_PX
    total = max(natural, int(height or 0))
    styled(fig, title=title, height=total, legend=False)
    fig.update_layout(margin={"l": 60, "r": 60, "t": _TOP_PX, "b": _BOTTOM_PX + total - natural})
    return fig


def grid_height(fig) -> int:
    """The height in pixels of a :func:`matrix_grid` figure (the most of several is their common height).

    >>> panel = matrix_heatmap.draft([[1.0]], title="A", row_label="r", col_label="c")
    >>> grid_height(matrix_grid([panel], title="t")), grid_height(matrix_grid([panel], title="t", height=400))
    (280, 400)
    """
    spec = fig if isinstance(fig, dict) else fig.to_dict()  # a SpecFigure's JSON, without plotly's objects
    return int(spec["layout"]["height"])
