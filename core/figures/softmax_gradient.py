"""Figures of the Softmax gradient page: the softmax Jacobian, ∂L/∂z three ways, and what the Jacobian
route costs.

The page's matrices (the Jacobian and its checks) are :func:`core.figures.matrices.matrix_heatmap`; the
Jacobian's frames for a drag of one logit are :func:`softmax_jacobian_frames`.
"""

from __future__ import annotations

import numpy as np

from core.figures.engine import Draft, figure_builder
from core.figures.matrices import matrix_heatmap
from core.figures.scrub import sweep_frames
from core.figures.style import (
    COLORS,
    LINE_WIDTH,
    MARKER_SIZE,
    NEGATIVE,
    NEUTRAL,
    POSITIVE,
    move_legend_below,
    styled,
)
from core.formatting import count, signed, subscript
from core.functional import softmax_jacobian


@figure_builder
def softmax_jacobian_figure(jacobian) -> Draft:
    """The softmax Jacobian ∂s_i/∂z_k = diag(s) − ssᵀ as an annotated heatmap: row i is s_i, column k is z_k.

    Parameters
    ----------
    jacobian : array_like ``(C, C)``
        ``core.functional.softmax_jacobian`` at the page's logits.

    Examples
    --------
    >>> fig = softmax_jacobian_figure([[0.25, -0.25], [-0.25, 0.25]])
    >>> list(fig.data[0].x), fig.data[0].text.tolist()
    (['z₁', 'z₂'], [['+0.250', '−0.250'], ['−0.250', '+0.250']])
    """
    n_classes = len(jacobian)
    return matrix_heatmap.draft(
        jacobian,
        title="Softmax Jacobian ∂s_i/∂z_k = diag(s) − ssᵀ",
        row_label="output s_i (row i)",
        col_label="logit z_k (column k)",
        row_names=[f"s{subscript(i + 1)}" for i in range(n_classes)],
        col_names=[f"z{subscript(k + 1)}" for k in range(n_classes)],
        value_name="∂s_i/∂z_k",
    )


def softmax_jacobian_frames(logits, vary: int, values) -> dict:
    """The Jacobian's frames for a drag of logit ``vary`` over ``values``, the other logits as in ``logits``.

    Frame k is :func:`softmax_jacobian_figure` at ``softmax_jacobian(z)`` with ``z[vary] = values[k]``
    (``core.figures.scrub.sweep_frames``): the cells' values, their labels and the colour scale's range.
    A heatmap cannot be moved in place, so the page applies them with a redraw
    (``ui.scrub.follow_drag(..., redraw=True)``).

    Parameters
    ----------
    logits : array_like ``(C,)``
        The logits; entry ``vary`` is replaced by each value in turn.
    vary : int
        The logit that is dragged, in [0, C).
    values : sequence of float, length >= 2
        Every value of its slider, in order.

    Examples
    --------
    >>> frames = softmax_jacobian_frames([0.0, 0.0], 0, [0.0, 1.0])
    >>> frames["traces"], frames["frames"][0][0]["text"]
    ([0], [['+0.250', '−0.250'], ['−0.250', '+0.250']])
    """
    z = np.array(logits, dtype=np.float64)
    if z.ndim != 1 or not 0 <= vary < z.size:
        raise ValueError(f"vary must index one of the {z.size} logits; got {vary}")
    grid = np.repeat(z[None, :], len(values), axis=0)
    grid[:, vary] = values
    jacobians = softmax_jacobian(grid)  # (len(values), C, C) at once
    at = dict(zip(values, jacobians, strict=True))
    name = f"z{subscript(vary + 1)}"
    return sweep_frames(lambda v: softmax_jacobian_figure.draft(at[v]), values, name=name)


@figure_builder
def chain_rule_check_figure(
    grad,
    chain,
    chain_numerical,
    *,
    class_names: list[str],
    target: int,
) -> Draft:
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
        f"{name}<br>{'(true)<br>' if k == target else ''}{signed(v)}"
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
    routes = (  # the two Jacobian routes: values, which J, marker symbol, size, colour, hover name
        (chain, "analytic", "diamond-open", MARKER_SIZE + 6, COLORS["black"], "Jᵀ ∂L/∂s"),
        (chain_numerical, "numerical", "x-thin", MARKER_SIZE, COLORS["orange"], "numerical Jᵀ ∂L/∂s"),
    )
    for values, jacobian, symbol, size, color, hover in routes:
        fig.add_scatter(
            x=names,
            y=np.asarray(values, dtype=np.float64),
            mode="markers",
            name=f"Jᵀ ∂L/∂s, {jacobian} J",
            marker={"symbol": symbol, "size": size, "color": color, "line": {"width": 3}},
            hovertemplate=f"%{{x}}<br>{hover} = %{{y:.6g}}<extra></extra>",
        )
    top = max(float(np.abs(g).max()), 0.05)
    styled(
        fig,
        title="∂L/∂z = s − y, three ways",
        x_title="class k and its ∂L/∂z_k",
        y_title="∂L/∂z_k (nats per unit logit)",
        height=470,
    )
    move_legend_below(fig, entries=2, per_row=None, y=-0.3)
    fig.update_yaxes(range=[-1.15 * top, 1.15 * top], zeroline=True, zerolinecolor=NEUTRAL, zerolinewidth=2)
    fig.update_xaxes(tickangle=0)
    return fig


@figure_builder
def chain_rule_cost_figure(classes, long_way, shortcut, *, marked=()) -> Draft:
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
            text=[f"C = {int(c[i]):,}: {count(full[i])}" for i in index],
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
    move_legend_below(fig, entries=2, per_row=None, y=-0.25)
    fig.update_xaxes(type="log", exponentformat="power", dtick=1)
    fig.update_yaxes(type="log", exponentformat="power", dtick=2)
    return fig
