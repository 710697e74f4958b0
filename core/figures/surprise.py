"""Figures of the Surprise page: the guessing game and the curve −log p."""

from __future__ import annotations

import numpy as np

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
        name=f"tangent: slope {signed(slope, 2)} {unit} per unit p",
        line={"color": COLORS["orange"], "width": LINE_WIDTH, "dash": "dash"},
        hoverinfo="skip",
    )
    label_x = float(tx[1]) if ty[1] >= 0 else p_true - loss_true / slope
    notes.append(
        {
            "x": label_x,
            "y": max(float(ty[1]), 0.0),
            "text": f"slope {signed(slope, 2)}",
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
            "text": f"p = {percent(p_true)}, loss = {loss_true:.4f} {unit}",
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
    you_are_here = marked_point(
        p_true,
        loss_true,
        "you are here",
        color=COLORS["vermillion"],
        size=MARKER_SIZE + 2,
        cliponaxis=False,
        hovertemplate=f"p = %{{x:.3f}}<br>loss = %{{y:.4f}} {unit}<extra></extra>",
    )
    fig.add_trace(you_are_here)
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
