"""Figures of the Entropy and KL page: H(P, Q) = H(P) + KL(P ‖ Q), P against Q, and label
smoothing's floor.
"""

from __future__ import annotations

import numpy as np

from core.figures.engine import Draft, figure_builder
from core.figures.style import (
    COLORS,
    FONT_SIZE,
    LINE_WIDTH,
    MARKER_SIZE,
    TRUE_CLASS,
    move_legend_below,
    styled,
)
from core.formatting import percent


@figure_builder
def entropy_kl_bar_figure(h_p: float, kl: float, *, unit: str) -> Draft:
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
    move_legend_below(fig, entries=2, per_row=1, y=-0.25)
    fig.update_layout(barmode="stack", uniformtext={"minsize": 12, "mode": "hide"}, bargap=0.35)
    fig.update_xaxes(range=[0, 1.55 * top])
    return fig


@figure_builder
def distribution_bars_figure(class_names, p, q) -> Draft:
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
            text=[percent(v) for v in values],
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
