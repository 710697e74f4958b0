"""Figures of the Surprise page: the guessing game and the curve −log p.

The curve follows a drag of the true class's slider (``ui.scrub.follow_drag``): what moves with p is
drawn as traces (the tangent, its slope label, the guides to the axes, the point and a readout naming
p, the loss and the slope in the chart's unit), and :func:`neg_log_curve_frames` gives those traces'
positions and texts at every value of the slider, from the helper the builder draws them with.
"""

from __future__ import annotations

import numpy as np

from core._validation import as_vector, check_same_shape
from core.figures.engine import Draft, figure_builder
from core.figures.style import (
    COLORS,
    FONT_SIZE,
    LINE_WIDTH,
    MARKER_SIZE,
    NEUTRAL,
    TRUE_CLASS,
    hatch,
    marked_point,
    styled,
)
from core.formatting import percent, signed

# Light fills for the confidence bands of core.bands.band_intervals (each band is also named in text).
_BAND_FILLS = (COLORS["vermillion"], COLORS["orange"], COLORS["sky"], COLORS["green"])
# The traces of neg_log_curve_figure that move with p: the tangent, the guides, the point, the slope
# label and the readout.
CURVE_MARKS = (1, 2, 3, 4, 5)
_TANGENT_HALF = 0.12  # the tangent is drawn over p ± this
_READOUT_AT = (0.98, 0.8)  # the readout's top right corner: p, and a fraction of the loss axis' top
_LABEL_X_MAX = 0.8  # the slope's label starts at most here: its text fits in the plot to the right


def _curve_marks(p_true: float, loss_true: float, slope: float, unit: str) -> list[dict]:
    """What moves with p, in :data:`CURVE_MARKS` order: positions and texts, no style."""
    tx = [max(p_true - _TANGENT_HALF, 0.0), min(p_true + _TANGENT_HALF, 1.0)]
    ty = [loss_true + slope * (x - p_true) for x in tx]
    # The slope's label starts at the tangent's right end (or where it leaves the plot through loss 0),
    # written rightwards above the line; never right of _LABEL_X_MAX, so near p = 1 it stays in the plot.
    end = tx[1] if ty[1] >= 0 else p_true - loss_true / slope
    label_x = min(end, _LABEL_X_MAX)
    label_y = max(loss_true + slope * (label_x - p_true), 0.0)
    return [
        {"x": tx, "y": ty},
        {"x": [p_true, p_true, 0.0], "y": [0.0, loss_true, loss_true]},
        {"x": [p_true], "y": [loss_true]},
        {"x": [label_x], "y": [label_y], "text": [f"slope {signed(slope, 2)}"]},
        {
            "text": [
                f"p = {percent(p_true)}, loss = {loss_true:.4f} {unit}<br>"
                f"slope {signed(slope, 2)} {unit} per unit p"
            ]
        },
    ]


@figure_builder
def surprise_game_figure(labels, q, true_index: int, surprise_bits) -> Draft:
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
        text=[percent(v) for v in q_arr],
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
) -> Draft:
    """The curve -log p with the operating point, its tangent and (optionally) the confidence bands.

    Parameters
    ----------
    p, loss : array_like ``(m,)``
        The curve, loss in ``unit`` (see :func:`core.curves.neg_log_curve`).
    p_true : float
        The probability of the true class (the operating point's x).
    loss_true : float
        -log p_true in ``unit``.
    slope : float
        d(-log p)/dp at p_true, in ``unit`` per unit of probability (drawn as a dashed tangent).
    unit : {"nats", "bits"}
    bands : sequence of (low, high, label), optional
        Shaded and named intervals of p (:func:`core.bands.band_intervals`).

    Returns
    -------
    go.Figure
        Traces: the curve, then what moves with p (:data:`CURVE_MARKS`): the tangent, the dotted guides
        from the point to the axes, the point, the slope's label ``slope …`` at the tangent's end and
        the readout ``p = …, loss = … unit`` / ``slope … unit per unit p`` in the top right.  One shape
        and one label per band.
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
    tangent, guides, point, slope_label, readout = _curve_marks(p_true, loss_true, slope, unit)
    fig.add_scatter(
        **tangent,
        mode="lines",
        name=f"tangent ({unit} per unit p)",
        line={"color": COLORS["orange"], "width": LINE_WIDTH, "dash": "dash"},
        hoverinfo="skip",
    )
    fig.add_scatter(
        **guides,
        mode="lines",
        line={"color": NEUTRAL, "width": 1.5, "dash": "dot"},
        showlegend=False,
        hoverinfo="skip",
        name="guides",
    )
    you_are_here = marked_point(
        point["x"][0],
        point["y"][0],
        "you are here",
        color=COLORS["vermillion"],
        size=MARKER_SIZE + 2,
        cliponaxis=False,
        hovertemplate=f"p = %{{x:.3f}}<br>loss = %{{y:.4f}} {unit}<extra></extra>",
    )
    fig.add_trace(you_are_here)
    fig.add_scatter(
        **slope_label,
        mode="markers+text",
        marker={"size": 14, "opacity": 0},  # invisible: keeps the text a few pixels off the tangent
        textposition="top right",
        name="slope label",
        textfont={"size": FONT_SIZE - 2, "color": COLORS["orange"]},
        cliponaxis=False,
        hoverinfo="skip",
        showlegend=False,
    )
    # The readout, in the empty top right under the band names: numbers in the chart's unit.
    fig.add_scatter(
        x=[_READOUT_AT[0]],
        y=[_READOUT_AT[1] * top],
        **readout,
        mode="text",
        name="readout",
        textposition="bottom left",
        textfont={"size": FONT_SIZE, "color": COLORS["black"]},
        hoverinfo="skip",
        showlegend=False,
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


def neg_log_curve_frames(p_values, losses, slopes, *, unit: str) -> dict:
    """What :func:`neg_log_curve_figure` shows at every value of the true class's slider, for a drag.

    One frame per value, in order: the updates of :data:`CURVE_MARKS` (the tangent, the guides, the
    point, the slope's label and the readout) at that p, made by the helper the builder draws them with.

    Parameters
    ----------
    p_values : array_like ``(n,)``
        The probability of the true class at every value of the slider, in order.
    losses : array_like ``(n,)``
        -log p at each p, in ``unit``.
    slopes : array_like ``(n,)``
        d(-log p)/dp at each p, in ``unit`` per unit of probability.
    unit : {"nats", "bits"}
        The chart's unit, written in the readout.

    Returns
    -------
    dict
        ``{"traces": [1, 2, 3, 4, 5], "frames": [[update per trace] per value]}`` for
        ``ui.scrub.follow_drag``.

    Raises
    ------
    ValueError
        If a sequence is not 1-D and finite, or not of ``p_values``' length.

    Examples
    --------
    >>> out = neg_log_curve_frames([0.5], [1.0], [-2.885], unit="bits")
    >>> out["frames"][0][4]["text"]
    ['p = 50.0%, loss = 1.0000 bits<br>slope −2.88 bits per unit p']
    """
    ps = as_vector(p_values, "p_values", "be a 1-D sequence of the slider's probabilities")
    ls = as_vector(losses, "losses", "be a 1-D sequence, one loss per slider value")
    ss = as_vector(slopes, "slopes", "be a 1-D sequence, one slope per slider value")
    check_same_shape(ls, ps, "losses", "p_values")
    check_same_shape(ss, ps, "slopes", "p_values")
    frames = [_curve_marks(float(p), float(ls[i]), float(ss[i]), unit) for i, p in enumerate(ps)]
    return {"traces": list(CURVE_MARKS), "frames": frames}
