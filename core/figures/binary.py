"""Figures of the Binary cross-entropy page: the loss against p, and against the logit z with dL/dz."""

from __future__ import annotations

import numpy as np

from core.figures.engine import Draft, figure_builder
from core.figures.style import COLORS, FONT_SIZE, LINE_WIDTH, MARKER_SIZE, NEUTRAL, marked_point, styled
from core.formatting import signed

# Each label's colour, line dash and point symbol (the symbol tells the labels apart without colour).
_LABEL_STYLE = {1: (COLORS["blue"], "solid", "circle"), 0: (COLORS["vermillion"], "dash", "square")}


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


def _label_curve(
    fig: Draft, xs, values, *, label: int, formula: str, y: int, hover_x: str, unit: str, **cell
) -> tuple[str, np.ndarray]:
    """Draw label ``label``'s loss curve, bold if it is the true label ``y`` and faint if not.

    ``hover_x`` is the hover text's x part (e.g. ``"p = %{x:.3f}"``); ``cell`` is the subplot
    (``row``, ``col``).  Returns the curve's name and its values as float64.
    """
    active = label == y
    color, dash, _ = _LABEL_STYLE[label]
    name = f"y = {label}: {formula}" + (" (true label)" if active else "")
    ys = np.asarray(values, dtype=np.float64)
    fig.add_scatter(
        x=xs,
        y=ys,
        mode="lines",
        name=name,
        line={"color": color, "dash": dash, "width": LINE_WIDTH + 1 if active else LINE_WIDTH - 1},
        opacity=1.0 if active else 0.45,
        hovertemplate=f"y = {label}<br>{hover_x}<br>loss = %{{y:.4f}} {unit}<extra></extra>",
        **cell,
    )
    return name, ys


def _operating_point(var: str, x: float, loss: float, y: int, unit: str) -> dict:
    """The operating point (``var`` = ``x``, its loss) on the true label's curve, as a trace."""
    color, _, symbol = _LABEL_STYLE[y]
    return marked_point(
        x,
        loss,
        f"{var} = {x:.2f}: loss {loss:.4f} {unit}",
        color=color,
        size=MARKER_SIZE + 4,
        symbol=symbol,
        hovertemplate=f"{var} = %{{x:.2f}}<br>loss = %{{y:.4f}} {unit}<extra></extra>",
    )


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
) -> Draft:
    """Binary cross-entropy against p for both labels, the 0.5 boundary, the operating point and dL/dp.

    Parameters
    ----------
    p_grid, loss_pos, loss_neg : array_like ``(m,)``
        -log p (y = 1) and -log(1 - p) (y = 0) in ``unit`` (:func:`core.curves.bce_probability_curves`).
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
    for label, values, formula, at, ax in (
        (1, loss_pos, "−log p", 0.12, 60),
        (0, loss_neg, "−log(1 − p)", 0.88, -60),
    ):
        name, ys = _label_curve(
            fig, grid, values, label=label, formula=formula, y=y, hover_x="p = %{x:.3f}", unit=unit
        )
        notes.append(_curve_label(grid, ys, at, name, _LABEL_STYLE[label][0], ax=ax, ay=-40))
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
    fig.add_trace(_operating_point("p", p, loss, y, unit))
    notes += _descent_arrow(x=p, y=loss, grad=grad, text=f"dL/dp = {signed(grad, 2)}")
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
) -> Draft:
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
    weighted = f"−{pos_weight:g}·log σ(z)" if pos_weight != 1 else "−log σ(z)"
    for label, values, formula, at, ax in (
        (1, loss_pos, weighted, -3.0, -20),
        (0, loss_neg, "−log(1 − σ(z))", 3.0, 20),
    ):
        name, ys = _label_curve(
            fig,
            zs,
            values,
            label=label,
            formula=formula,
            y=y,
            hover_x="z = %{x:.2f}",
            unit=unit,
            row=1,
            col=1,
        )
        i = int(np.argmin(np.abs(zs - at)))
        below = ys[i] > 0.3 * top  # low curves are named from above, so the label stays in this panel
        color = _LABEL_STYLE[label][0]
        notes.append(_curve_label(zs, ys, at, name, color, ax=ax, ay=55 if below else -45, top=top))
    fig.add_trace(_operating_point("z", z, loss, y, unit), row=1, col=1)
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
    gradient_point = marked_point(
        z,
        grad,
        "dL/dz at z",
        color=COLORS["orange"],
        size=MARKER_SIZE + 2,
        symbol="diamond",
        hovertemplate="z = %{x:.2f}<br>dL/dz = %{y:.4f}<extra></extra>",
    )
    fig.add_trace(gradient_point, row=2, col=1)
    notes.append(
        {
            "x": z,
            "y": grad,
            "xref": "x2",
            "yref": "y2",
            "ax": 50 if z < 3 else -50,
            "ay": -35 if grad < 0.5 else 35,
            "text": f"dL/dz = {signed(grad, 2)}",
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
