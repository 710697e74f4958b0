"""Figures of the Binary cross-entropy page: the loss against p, and against the logit z with dL/dz.

Each chart follows a drag of its slider (``ui.scrub.follow_drag``): what moves with p (or z) is drawn
as traces (the point, the descent arrow as a line with an arrow marker, the gradient's label and a
readout naming p and the loss), and :func:`bce_probability_frames` / :func:`bce_logit_frames` give
those traces' positions and texts at every value of the slider, from the same helpers the builders
use, so a frame is exactly what the builder draws at that value.
"""

from __future__ import annotations

import numpy as np

from core._validation import as_vector, check_same_shape
from core.figures.engine import Draft, figure_builder, scatter
from core.figures.style import COLORS, FONT_SIZE, LINE_WIDTH, MARKER_SIZE, NEUTRAL, marked_point, styled
from core.formatting import number, signed

# Each label's colour, line dash and point symbol (the symbol tells the labels apart without colour).
_LABEL_STYLE = {1: (COLORS["blue"], "solid", "circle"), 0: (COLORS["vermillion"], "dash", "square")}


# The traces that move with the slider, by index (the builders add them in this order).
PROBABILITY_MARKS = (2, 3, 4, 5)  # the point, the descent arrow, its label, the readout
LOGIT_MARKS = (2, 5, 6, 7)  # the point on the loss, the point on dL/dz, the two panels' readouts
# Readouts sit in the empty top middle of the loss panel, just right of the decision boundary: their
# left end's x, and their middle's height as a fraction of the loss axis' top.
_READOUT_P, _READOUT_Z, _READOUT_HEIGHT = 0.52, 0.3, 0.8
_GRADIENT_READOUT_AT = (-7.8, 1.25)  # the dL/dz panel's readout: its top left corner (empty there)


def _descent_marks(*, x: float, y: float, grad: float) -> tuple[dict, dict]:
    """The descent arrow from (x, y) along -grad and its label's place: the attributes that move.

    The arrow points the way gradient descent moves x; its length grows with log(1 + |grad|) and is
    capped so it stays inside [0, 1] for probabilities.  The label sits above the arrow's middle, and
    leans away from a side of the plot it would leave.
    """
    direction = -1.0 if grad > 0 else 1.0
    room = (1.0 - x) if direction > 0 else x
    length = min(0.06 + 0.1 * float(np.log1p(abs(grad))), 0.45, max(room, 0.0))
    head = x + direction * length
    middle = (x + head) / 2
    side = "right" if middle < 0.15 else ("left" if middle > 0.85 else "center")
    arrow = {"x": [x, head], "y": [y, y]}
    label = {"x": [middle], "y": [y], "text": [f"dL/dp = {signed(grad, 2)}"], "textposition": f"top {side}"}
    return arrow, label


def _probability_marks(p: float, loss: float, grad: float, unit: str) -> list[dict]:
    """What moves with p, in :data:`PROBABILITY_MARKS` order: positions and texts, no style."""
    arrow, label = _descent_marks(x=p, y=loss, grad=grad)
    readout = {"text": [f"p = {p:.2f}<br>loss = {loss:.4f} {unit}"]}
    return [{"x": [p], "y": [loss]}, arrow, label, readout]


def _logit_marks(z: float, sigma: float, loss: float, grad: float, unit: str) -> list[dict]:
    """What moves with z, in :data:`LOGIT_MARKS` order: positions and texts, no style."""
    return [
        {"x": [z], "y": [loss]},
        {"x": [z], "y": [grad]},
        {"text": [f"z = {number(z, 2)}<br>p = σ(z) = {sigma:.4f}<br>loss = {loss:.4f} {unit}"]},
        {"text": [f"dL/dz = {signed(grad, 3)}"]},
    ]


def _text_trace(marks: dict, name: str, *, position: str | None = None, spacer: int = 0) -> dict:
    """A label or readout that moves with the slider: black text at ``position`` of its point.

    ``marks`` holds its place and text (and its ``textposition``, if that moves too).  ``spacer`` > 0
    gives the point an invisible marker of that size, which keeps the text that far off the point.
    """
    trace = scatter(
        mode="markers+text" if spacer else "text",
        name=name,
        textfont={"size": FONT_SIZE, "color": COLORS["black"]},
        cliponaxis=False,  # on a phone a readout's last letters may run into the margin, not vanish
        hoverinfo="skip",
        showlegend=False,
    )
    if spacer:
        trace["marker"] = {"size": spacer, "opacity": 0}
    if position is not None:
        trace["textposition"] = position
    return trace | marks


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
    """The operating point (``var`` = ``x``, its loss) on the true label's curve, as a trace.

    Its name stays the same at every ``x`` (the readout names the numbers), so a drag moves only its place.
    """
    color, _, symbol = _LABEL_STYLE[y]
    return marked_point(
        x,
        loss,
        "operating point",
        color=color,
        size=MARKER_SIZE + 4,
        symbol=symbol,
        hovertemplate=f"{var} = %{{x:.2f}}<br>loss = %{{y:.4f}} {unit}<extra></extra>",
    )


def _arrow_trace(marks: dict) -> dict:
    """The orange descent arrow: a two-point line whose end marker is an arrowhead along the line."""
    return scatter(
        **marks,
        mode="lines+markers",
        name="descent arrow (−∂L/∂p)",
        line={"color": COLORS["orange"], "width": 4},
        # Only the head is drawn: the tail's marker has size 0 (the point is there).
        marker={"symbol": "arrow", "angleref": "previous", "size": [0, 18], "color": COLORS["orange"]},
        hoverinfo="skip",
        showlegend=False,
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
        Traces: the y = 1 curve, the y = 0 curve, then what moves with p (:data:`PROBABILITY_MARKS`):
        the operating point, the descent arrow, its label ``dL/dp = …`` and the readout ``p = …`` /
        ``loss = … unit`` in the empty top middle.  Annotations name the curves on the chart (no legend)
        and the boundary.
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
    top = max(float(np.max(loss_pos)), float(np.max(loss_neg)))
    point, arrow, label, readout = _probability_marks(p, loss, grad, unit)
    fig.add_trace(_operating_point("p", point["x"][0], point["y"][0], y, unit))
    fig.add_trace(_arrow_trace(arrow))
    fig.add_trace(_text_trace(label, "gradient label", spacer=18))
    readout_at = {"x": [_READOUT_P], "y": [_READOUT_HEIGHT * top]}
    fig.add_trace(_text_trace(readout_at | readout, "readout", position="middle right"))
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
    sigma_z: float,
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
    sigma_z : float
        σ(z) at the operating point, written in the readout.
    pos_weight : float
        Named in the y = 1 curve's label when it is not 1.
    unit : {"nats", "bits"}

    Returns
    -------
    go.Figure
        Traces: row 1, the y = 1 and y = 0 loss curves and the operating point; row 2, σ(z), dL/dz and
        the operating point on dL/dz; then the readouts ``z = …`` / ``p = σ(z) = …`` / ``loss = …``
        (row 1, top middle) and ``dL/dz = …`` (row 2, top left).  The two points and the two readouts
        move with z (:data:`LOGIT_MARKS`).  Curves are named on the chart (no legend).
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
    point, gradient, readout, gradient_readout = _logit_marks(z, sigma_z, loss, grad, unit)
    fig.add_trace(_operating_point("z", point["x"][0], point["y"][0], y, unit), row=1, col=1)
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
        gradient["x"][0],
        gradient["y"][0],
        "dL/dz at z",
        color=COLORS["orange"],
        size=MARKER_SIZE + 2,
        symbol="diamond",
        hovertemplate="z = %{x:.2f}<br>dL/dz = %{y:.4f}<extra></extra>",
    )
    fig.add_trace(gradient_point, row=2, col=1)
    readout_at = {"x": [_READOUT_Z], "y": [_READOUT_HEIGHT * top]}
    fig.add_trace(_text_trace(readout_at | readout, "readout", position="middle right"), row=1, col=1)
    gradient_at = {"x": [_GRADIENT_READOUT_AT[0]], "y": [_GRADIENT_READOUT_AT[1]]}
    fig.add_trace(
        _text_trace(gradient_at | gradient_readout, "gradient readout", position="bottom right"), row=2, col=1
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
    # The curves' extent, as before the readouts: text traces would widen an autorange by their text.
    fig.update_xaxes(range=[float(zs.min()), float(zs.max())])
    fig.update_xaxes(title_text="z, the logit (decision boundary at z = 0)", row=2, col=1)
    return fig


def _columns(values, **named) -> list[np.ndarray]:
    """``values`` (the slider's) and each named sequence as float64 vectors, the named ones of its shape."""
    out = [as_vector(values, "values", "be a 1-D sequence of the slider's values")]
    for name, column in named.items():
        out.append(as_vector(column, name, "be a 1-D sequence, one value per slider value"))
        check_same_shape(out[-1], out[0], name, "the slider's values")
    return out


def bce_probability_frames(p_values, losses, grads, *, unit: str) -> dict:
    """What :func:`bce_probability_figure` shows at every value of the p slider, for a drag of it.

    One frame per value, in order: the updates of :data:`PROBABILITY_MARKS` (the point, the descent
    arrow, its label and the readout) at that p, made by the helpers the builder draws them with.

    Parameters
    ----------
    p_values : array_like ``(n,)``
        Every value the slider can take, in order.
    losses : array_like ``(n,)``
        The loss at each p for the true label, in ``unit``.
    grads : array_like ``(n,)``
        dL/dp at each p (of the loss in nats).
    unit : {"nats", "bits"}

    Returns
    -------
    dict
        ``{"traces": [2, 3, 4, 5], "frames": [[update per trace] per value]}`` for ``ui.scrub.follow_drag``.

    Raises
    ------
    ValueError
        If a sequence is not 1-D and finite, or not of ``p_values``' length.

    Examples
    --------
    >>> out = bce_probability_frames([0.5, 0.7], [0.6931, 0.3567], [-2.0, -1.4286], unit="nats")
    >>> out["traces"], out["frames"][1][3]
    ([2, 3, 4, 5], {'text': ['p = 0.70<br>loss = 0.3567 nats']})
    """
    ps, ls, gs = _columns(p_values, losses=losses, grads=grads)
    frames = [_probability_marks(float(p), float(ls[i]), float(gs[i]), unit) for i, p in enumerate(ps)]
    return {"traces": list(PROBABILITY_MARKS), "frames": frames}


def bce_logit_frames(z_values, sigmas, losses, grads, *, unit: str) -> dict:
    """What :func:`bce_logit_figure` shows at every value of the z slider, for a drag of it.

    One frame per value, in order: the updates of :data:`LOGIT_MARKS` (the point on the loss, the point
    on dL/dz, the loss panel's readout and the gradient panel's readout) at that z, made by the helper
    the builder draws them with.

    Parameters
    ----------
    z_values : array_like ``(n,)``
        Every value the slider can take, in order.
    sigmas : array_like ``(n,)``
        σ(z) at each z.
    losses : array_like ``(n,)``
        The loss at each z for the true label (and the page's pos_weight), in ``unit``.
    grads : array_like ``(n,)``
        dL/dz at each z (of the loss in nats).
    unit : {"nats", "bits"}

    Returns
    -------
    dict
        ``{"traces": [2, 5, 6, 7], "frames": [[update per trace] per value]}`` for ``ui.scrub.follow_drag``.

    Raises
    ------
    ValueError
        If a sequence is not 1-D and finite, or not of ``z_values``' length.

    Examples
    --------
    >>> out = bce_logit_frames([-0.5], [0.3775], [0.9741], [-0.6225], unit="nats")
    >>> out["frames"][0][2:]
    [{'text': ['z = −0.50<br>p = σ(z) = 0.3775<br>loss = 0.9741 nats']}, {'text': ['dL/dz = −0.623']}]
    """
    zs, ss, ls, gs = _columns(z_values, sigmas=sigmas, losses=losses, grads=grads)
    frames = [
        _logit_marks(float(z), float(ss[i]), float(ls[i]), float(gs[i]), unit) for i, z in enumerate(zs)
    ]
    return {"traces": list(LOGIT_MARKS), "frames": frames}
