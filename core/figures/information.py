"""Figures of the Entropy and KL page: H(P, Q) = H(P) + KL(P ‖ Q), P against Q, and label
smoothing's floor.

Each builder takes the marks that move with the page's sliders from one helper, which its ``*_frames``
twin calls at every value of a slider: the frames for ``ui.scrub.follow_drag``, so the browser redraws
the bars and the floor's point from numbers :func:`core.comparison.entropy_kl_sweep` computed while a
thumb is dragged, and each frame equals the figure drawn at its value.
"""

from __future__ import annotations

from collections.abc import Sequence

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

__all__ = [
    "distribution_bars_figure",
    "distribution_frames",
    "entropy_kl_axes",
    "entropy_kl_bar_figure",
    "entropy_kl_frames",
    "floor_point_frames",
    "smoothing_floor_figure",
]

SPLIT_BARS = ["best Q = P", "your Q"]
LABEL_MIN_SPAN = 0.2  # a segment of the stacked bar is labelled if it spans this much of the axis


def _columns(**named) -> tuple[list, ...]:
    """Each argument as a list of Python floats (rows of lists for 2-D ones); all of one length."""
    lists = {name: np.asarray(v, dtype=np.float64).tolist() for name, v in named.items()}
    lengths = {name: len(v) for name, v in lists.items()}
    if len(set(lengths.values())) != 1 or not next(iter(lists.values())):
        raise ValueError(
            f"one entry per slider value is expected in each of {list(lists)}; got lengths {lengths}"
        )
    return tuple(lists.values())


def _axis_end(top: float) -> float:
    """The right end of the stacked bar's axis for a largest H(P, Q) of ``top``: room for the totals."""
    return 1.55 * (top if top > 0 else 1.0)


def _split_marks(h_p: float, kl: float, unit: str, top: float) -> list[dict]:
    """What moves in :func:`entropy_kl_bar_figure`: the H(P) and KL segments and the totals, in order.

    A segment is labelled only where it spans at least :data:`LABEL_MIN_SPAN` of the axis (``top`` is
    the largest H(P, Q) it holds).  Plotly hides labels that do not fit (``uniformtext``) when it draws a
    figure but not when it plays a frame, so without this a narrow segment would show a squeezed label
    while a thumb is dragged.
    """
    h, k = [h_p, h_p], [0.0, kl]
    totals = [a + b for a, b in zip(h, k, strict=True)]
    span = LABEL_MIN_SPAN * _axis_end(top)
    return [
        {"x": h, "text": [f"H(P) = {v:.4f}" if v >= span else "" for v in h]},
        {"x": k, "text": [f"KL = {v:.4f}" if v >= span else "" for v in k]},
        {"x": totals, "text": [f"  H(P, Q) = {t:.4f} {unit}" for t in totals]},
    ]


def entropy_kl_frames(h_p, kl, *, unit: str, top: float) -> dict:
    """What :func:`entropy_kl_bar_figure` shows at every value of a slider, for a drag of it.

    Parameters
    ----------
    h_p, kl : array_like ``(n,)``
        H(P) and KL(P ‖ Q) at each value, in ``unit`` (:func:`core.comparison.entropy_kl_sweep`).
    unit : {"nats", "bits"}
    top : float
        The figure's ``top``: the largest H(P, Q) its axis holds.

    Returns
    -------
    dict
        ``{"traces": [0, 1, 2], "frames": [[update per trace] per value]}``: the segments' x and text and
        the totals' x and text.

    Examples
    --------
    >>> frames = entropy_kl_frames([0.0, 0.0], [0.1625, 0.2624], unit="nats", top=0.2624)["frames"]
    >>> frames[1][1]["text"], frames[1][2]["text"]
    (['', 'KL = 0.2624'], ['  H(P, Q) = 0.0000 nats', '  H(P, Q) = 0.2624 nats'])
    """
    hs, ks = _columns(h_p=h_p, kl=kl)
    frames = [_split_marks(h, k, unit, float(top)) for h, k in zip(hs, ks, strict=True)]
    return {"traces": [0, 1, 2], "frames": frames}


def _distribution_marks(p: Sequence[float], q: Sequence[float]) -> list[dict]:
    """What moves in :func:`distribution_bars_figure`: the P bars and the Q bars, in trace order."""
    return [{"y": list(v), "text": [percent(x) for x in v]} for v in (p, q)]


def distribution_frames(p, q) -> dict:
    """What :func:`distribution_bars_figure` shows at every value of a slider, for a drag of it.

    Parameters
    ----------
    p, q : array_like ``(n, K)``
        P and Q at each value (:func:`core.comparison.entropy_kl_sweep`).

    Returns
    -------
    dict
        ``{"traces": [0, 1], "frames": [[update per trace] per value]}``: the bars' heights and labels.

    Examples
    --------
    >>> distribution_frames([[1.0, 0.0]] * 2, [[0.85, 0.15], [0.5, 0.5]])["frames"][1][1]
    {'y': [0.5, 0.5], 'text': ['50.0%', '50.0%']}
    """
    ps, qs = _columns(p=p, q=q)
    return {"traces": [0, 1], "frames": [_distribution_marks(a, b) for a, b in zip(ps, qs, strict=True)]}


def _floor_mark(eps: float, floor_at_eps: float, unit: str) -> dict:
    """What moves in :func:`smoothing_floor_figure`: the point at ε, its label and the label's side."""
    return {
        "x": [eps],
        "y": [floor_at_eps],
        "text": [f"ε = {eps:.2f}: {floor_at_eps:.4f} {unit}"],
        "textposition": "bottom right" if eps < 0.25 else "top left",
    }


def floor_point_frames(eps_values, floors, *, unit: str) -> dict:
    """What :func:`smoothing_floor_figure` shows at every value of the ε slider, for a drag of it.

    Parameters
    ----------
    eps_values : array_like ``(n,)``
        Every value of the slider, in order.
    floors : array_like ``(n,)``
        H(P_ε) at each, in ``unit``.
    unit : {"nats", "bits"}

    Returns
    -------
    dict
        ``{"traces": [1], "frames": [[update of the point] per value]}``.

    Examples
    --------
    >>> floor_point_frames([0.0, 0.3], [0.0, 0.8], unit="bits")["frames"][1]
    [{'x': [0.3], 'y': [0.8], 'text': ['ε = 0.30: 0.8000 bits'], 'textposition': 'top left'}]
    """
    es, fs = _columns(eps_values=eps_values, floors=floors)
    return {"traces": [1], "frames": [[_floor_mark(e, f, unit)] for e, f in zip(es, fs, strict=True)]}


def entropy_kl_axes(top: float) -> dict:
    """The stacked bar's x range for a largest H(P, Q) of ``top``, as a relayout update.

    What :func:`entropy_kl_bar_figure` draws for ``top``; the page sends it with a drag's frames
    (``ui.scrub.follow_drag(layout=)``) when the chart on screen was drawn for another Q.

    Examples
    --------
    >>> entropy_kl_axes(2.0)
    {'xaxis.range': [0, 3.1]}
    """
    return {"xaxis.range": [0, _axis_end(float(top))]}


@figure_builder
def entropy_kl_bar_figure(h_p: float, kl: float, *, unit: str, top: float | None = None) -> Draft:
    """H(P, Q) = H(P) + KL(P ‖ Q) as a stacked horizontal bar, under the best possible Q = P (KL = 0).

    Parameters
    ----------
    h_p : float
        The entropy of the (smoothed) target P, >= 0.
    kl : float
        KL(P ‖ Q) for the model's Q, >= 0.
    unit : {"nats", "bits"}
    top : float, optional
        The largest H(P, Q) the axis must hold, e.g. over every state a drag can reach
        (:func:`entropy_kl_frames`), so the axis stays put while the bars move.  Default: this state's.
        A segment is labelled with its name and value where it spans at least :data:`LABEL_MIN_SPAN` of
        the axis.

    Returns
    -------
    go.Figure
        Two bar traces (H(P); KL, outlined on the "your Q" bar), each segment labelled with its name and
        value, stacked over the bars "best Q = P" and "your Q", then a text trace with each bar's total
        H(P, Q).
    """
    top = float(h_p) + float(kl) if top is None else float(top)
    h, k, totals = _split_marks(float(h_p), float(kl), unit, top)
    fig = Draft()
    fig.add_bar(
        y=SPLIT_BARS,
        **h,
        orientation="h",
        name="H(P): entropy of the truth (unavoidable)",
        marker={"color": COLORS["sky"]},
        textposition="inside",
        insidetextanchor="middle",
        textangle=0,
        hovertemplate=f"%{{y}}<br>H(P) = %{{x:.4f}} {unit}<extra></extra>",
    )
    fig.add_bar(
        y=SPLIT_BARS,
        **k,
        orientation="h",
        name="KL(P ‖ Q): wasted by predicting Q",
        # The outline marks the KL segment without colour.  It is fixed per bar (a drag may not change a
        # size): "best Q = P" never has a KL segment, and "your Q" keeps its outline (a 2 px line at the
        # end of H(P) in the one state where Q = P exactly).
        marker={"color": COLORS["vermillion"], "line": {"color": COLORS["black"], "width": [0, 2]}},
        textposition="inside",
        insidetextanchor="middle",
        textangle=0,
        hovertemplate=f"%{{y}}<br>KL(P ‖ Q) = %{{x:.4f}} {unit}<extra></extra>",
    )
    fig.add_scatter(
        y=SPLIT_BARS,
        **totals,
        mode="text",
        textposition="middle right",
        textfont={"size": FONT_SIZE + 1},
        showlegend=False,
        hoverinfo="skip",
        name="totals",
        cliponaxis=False,
    )
    styled(fig, title=f"Cross-entropy = entropy + KL divergence ({unit})", height=330)
    move_legend_below(fig, entries=2, per_row=1, y=-0.25)
    fig.update_layout(barmode="stack", uniformtext={"minsize": 12, "mode": "hide"}, bargap=0.35)
    fig.update_xaxes(range=entropy_kl_axes(top)["xaxis.range"])
    return fig


@figure_builder
def distribution_bars_figure(class_names, p, q) -> Draft:
    """The true distribution P next to the model's Q, per class, labelled in percent.

    Returns
    -------
    go.Figure
        Two bar traces: P (plain) and Q (outlined in black).
    """
    marks = _distribution_marks(
        np.asarray(p, dtype=np.float64).tolist(), np.asarray(q, dtype=np.float64).tolist()
    )
    fig = Draft()
    for name, values, color, outline in (
        ("P (truth)", marks[0], TRUE_CLASS, 0),
        ("Q (model)", marks[1], COLORS["blue"], 2.5),
    ):
        fig.add_bar(
            x=list(class_names),
            **values,
            name=name,
            marker={"color": color, "line": {"color": COLORS["black"], "width": outline}},
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
        **_floor_mark(float(eps), float(floor_at_eps), unit),
        mode="markers+text",
        name="current ε",
        marker={"symbol": "diamond", "size": MARKER_SIZE + 2, "color": COLORS["vermillion"]},
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
