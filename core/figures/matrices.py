"""A matrix drawn as a grid of cells, row 1 at the top as on paper, each cell's value written in it.

Shared by the gradient pages (Softmax gradient, Vectorized identities, and through
:mod:`core.figures.backprop` the Backpropagation page); reuse it for any matrix or vector (a vector of
n entries is a 1 x n row or an n x 1 column).  The diverging scale is centred at 0 (blue negative,
white 0, vermillion positive) and every label carries its sign, so the colour is never the only cue.
"""

from __future__ import annotations

import numpy as np

from core.figures.engine import Draft, figure_builder, heatmap
from core.figures.style import DIVERGING_SCALE, FONT_SIZE, styled
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


LABELLED_COLUMNS = 4  # a difference heatmap writes its values in the cells up to this many columns


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
    return matrix_heatmap(
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
