"""Figures of the Backpropagation page: the matrices of one forward or backward stage (each titled
with its name and shape in symbols and numbers) and the batch of 2-D points the network reads.
"""

from __future__ import annotations

import numpy as np

from core.figures.engine import Draft, figure_builder, scatter
from core.figures.matrices import matrix_grid, matrix_heatmap
from core.figures.style import CLASS_SYMBOLS, COLORS, MARKER_SIZE, PALETTE, styled
from core.formatting import from_subscript

# A stage figure's heading: where the title would be, above the panels' titles, at the title's size.
_HEADING_SHIFT_PX, _HEADING_SIZE = 40, 20

_AXIS_NAMES = {
    "B": "example (row of the batch)",
    "D": "input feature",
    "H": "hidden unit",
    "C": "class",
    "1": "",
}


def _axis_name(symbol: str) -> str:
    """What an index along a dimension named ``symbol`` counts: ``"B"`` -> examples, ``"H₂"`` -> units."""
    if symbol in _AXIS_NAMES:
        return _AXIS_NAMES[symbol]
    if symbol.startswith("H"):
        layer = from_subscript(symbol[1:])
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
) -> Draft:
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
def batch_points_figure(X, y, *, title: str = "The batch: one point per example") -> Draft:
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


@figure_builder
def backprop_stage_figure(
    matrices, *, title: str, per_row: int = 2, heading: str | None = None, height: int | None = None
) -> Draft:
    """All matrices of one stage in one figure, ``per_row`` to a row, each as :func:`backprop_matrix_figure`.

    One chart instead of one per matrix (:func:`core.figures.matrices.matrix_grid`): a step of the stepper
    sends and redraws one figure.  Each panel is that function's heatmap (its title, axis titles, labels or
    colour bar and colour scale are the same); the trace is named after the panel's title, so the CSV names
    every matrix.

    Parameters
    ----------
    matrices : sequence of (name, values, symbols)
        As :func:`backprop_matrix_figure` takes them (``words.backprop.Matrix`` fits), operands first.
    title : str
        The figure's title, e.g. the stage's.
    per_row : int, default 2
    heading : str, optional
        Written where the title goes, as an annotation (give ``title=""`` with it): a chart that the
        browser redraws stage by stage (``ui.scrub.figure_sweep``) keeps its first title, so a heading
        that names the stage must be an annotation.
    height : int, optional
        Pixels, if more than the matrices need (``matrix_grid``): one height for every stage.

    Returns
    -------
    go.Figure
        One heatmap trace per matrix, in order, on axes ``x``, ``x2``, … (row by row).

    Examples
    --------
    >>> fig = backprop_stage_figure([("W₁", [[0.5, -1.0]], ("D", "H")), ("b₁", [[0.1, 0.2]], ("1", "H"))],
    ...                             title="Forward")
    >>> [trace.name for trace in fig.data]
    ['W₁  (D×H = 1×2)', 'b₁  (1×H = 1×2)']
    """
    if not len(matrices):
        raise ValueError("matrices must name at least one matrix")
    panels = [backprop_matrix_figure.draft(name, values, symbols) for name, values, symbols in matrices]
    fig = matrix_grid.draft(panels, title=title, per_row=per_row, height=height)
    if heading:
        fig.add_annotation(
            text=heading,
            xref="paper",
            yref="paper",
            x=0,
            y=1,
            xanchor="left",
            yanchor="bottom",
            yshift=_HEADING_SHIFT_PX,
            showarrow=False,
            font={"size": _HEADING_SIZE, "color": COLORS["black"]},  # adapt() swaps it on a dark page
        )
    return fig
