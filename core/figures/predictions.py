"""Figures of the Your own predictions page that no other page draws: the loss of each class, and the class
shares of the labels against the model's mean prediction.

The page also draws :func:`core.figures.calibration.reliability_figure` (the reliability diagram),
:func:`core.figures.train.confusion_matrix_figure` and the Entropy and KL page's stacked bar
(:func:`core.figures.information.entropy_kl_bar_figure`) with the uploaded numbers.  Class names arrive
escaped for Plotly (``words.visitor_text.plotly_literal``): a visitor's ``<b>`` is shown, not obeyed.
"""

from __future__ import annotations

import math

import numpy as np

from core.figures.engine import Draft, bar, figure_builder
from core.figures.style import COLORS, FONT_SIZE, NEUTRAL, TRUE_CLASS, styled
from core.formatting import number, percent

__all__ = ["class_loss_figure", "class_shares_figure"]

_BAR_HEIGHT = 30  # pixels per class
_INFINITE = "∞ (a true class got probability 0)"
_LABELLED_CLASSES = 12  # up to this many classes the bars of the class shares carry their values


@figure_builder
def class_loss_figure(class_names, class_loss, counts, *, overall: float, unit: str) -> Draft:
    """The mean surprise of each class's examples, as horizontal bars, with the overall loss marked.

    Parameters
    ----------
    class_names : sequence of str ``(C,)``
        Escaped for Plotly.
    class_loss : array_like ``(C,)``
        CE_k in ``unit``: the mean of −log q_i(k) over the examples of class k; NaN for a class without
        examples (no bar, "no examples"), inf for a class with a probability-0 example (no bar, "∞").
    counts : array_like of int ``(C,)``
        n_k, in the hover text.
    overall : float
        The data set's cross-entropy in ``unit`` (a dotted line, unless it is infinite).
    unit : {"nats", "bits"}

    Returns
    -------
    go.Figure
        One bar trace ``"mean surprise"``, classes top to bottom, each bar labelled with its value.

    Examples
    --------
    >>> fig = class_loss_figure(["a", "b", "c"], [0.5, float("nan"), float("inf")], [3, 0, 2],
    ...                         overall=float("inf"), unit="nats")
    >>> list(fig.data[0].text)
    ['0.500', 'no examples', '∞ (a true class got probability 0)']
    >>> [None if math.isnan(v) else float(v) for v in fig.data[0].x]
    [0.5, None, None]
    """
    loss = np.asarray(class_loss, dtype=np.float64)
    n_k = np.asarray(counts)
    names = list(class_names)
    if not (len(names) == loss.shape[0] == n_k.shape[0]):
        raise ValueError(
            f"class_names, class_loss and counts must have one entry per class; got {len(names)}, "
            f"{loss.shape[0]} and {n_k.shape[0]}"
        )
    finite = np.isfinite(loss)
    text = [
        number(v, 3) if ok else ("no examples" if math.isnan(v) else _INFINITE)
        for v, ok in zip(loss, finite, strict=True)
    ]
    fig = Draft().add_trace(
        bar(
            y=names,
            x=np.where(finite, loss, np.nan),
            orientation="h",
            name="mean surprise",
            marker={"color": COLORS["orange"]},
            text=text,
            textposition="outside",
            cliponaxis=False,
            constraintext="none",
            customdata=n_k.astype(np.int64),
            hovertemplate=(
                f"%{{y}}<br>%{{customdata}} examples<br>mean surprise %{{x:.4f}} {unit}<extra></extra>"
            ),
        )
    )
    top = max(float(loss[finite].max()) if finite.any() else 0.0, overall if math.isfinite(overall) else 0.0)
    top = top if top > 0 else 1.0
    styled(
        fig,
        title=f"Loss per class ({unit})",
        x_title=f"mean −log q(true class) ({unit})",
        height=150 + _BAR_HEIGHT * len(names),
        legend=False,
    )
    fig.update_yaxes(type="category", autorange="reversed")
    fig.update_xaxes(range=[0, 1.45 * top], rangemode="tozero")
    if math.isfinite(overall):
        # The line through every class, labelled above the plot where no bar's value can hide it.
        fig.add_vline(x=overall, line={"dash": "dot", "color": NEUTRAL, "width": 2})
        fig.add_annotation(
            x=overall,
            xref="x",
            y=1.0,
            yref="paper",
            yanchor="bottom",
            text=f"all examples: {number(overall, 3)}",
            showarrow=False,
            font={"size": FONT_SIZE - 2, "color": COLORS["black"]},
        )
    fig.update_layout(bargap=0.25, margin={"r": 40, "t": 80}, uniformtext={"minsize": FONT_SIZE - 4})
    return fig


@figure_builder
def class_shares_figure(class_names, label_distribution, mean_prediction) -> Draft:
    """P̂ (each class's share of the labels) next to Q̄ (the model's mean predicted probability), per class.

    Parameters
    ----------
    class_names : sequence of str ``(C,)``
        Escaped for Plotly.
    label_distribution : array_like ``(C,)``
        P̂_k = n_k / n.
    mean_prediction : array_like ``(C,)``
        Q̄_k = (1/n) Σ_i q_ik.

    Returns
    -------
    go.Figure
        Two bar traces, ``"P̂: share of the labels"`` (plain) and ``"Q̄: mean prediction"`` (outlined),
        labelled in percent when there are at most 12 classes; the y axis reaches just above the
        largest bar.

    Examples
    --------
    >>> fig = class_shares_figure(["a", "b"], [0.75, 0.25], [0.6, 0.4])
    >>> [t.name for t in fig.data], list(fig.data[1].text)
    (['P̂: share of the labels', 'Q̄: mean prediction'], ['60.0%', '40.0%'])
    """
    p = np.asarray(label_distribution, dtype=np.float64)
    q = np.asarray(mean_prediction, dtype=np.float64)
    names = list(class_names)
    labelled = len(names) <= _LABELLED_CLASSES
    fig = Draft()
    for name, values, color, outline in (
        ("P̂: share of the labels", p, TRUE_CLASS, 0),
        ("Q̄: mean prediction", q, COLORS["blue"], 2.5),
    ):
        fig.add_bar(
            x=names,
            y=values,
            name=name,
            marker={"color": color, "line": {"color": COLORS["black"], "width": outline}},
            text=[percent(v) for v in values] if labelled else None,
            textposition="outside",
            textangle=-90 if len(names) > 6 else 0,
            constraintext="none",
            textfont={"size": FONT_SIZE - 4},
            cliponaxis=False,
            hovertemplate=f"%{{x}}<br>{name}: %{{y:.4f}}<extra></extra>",
        )
    styled(fig, title="Class shares P̂ and mean prediction Q̄", x_title="class", y_title="probability")
    fig.update_layout(barmode="group", bargap=0.2)
    fig.update_xaxes(type="category")
    fig.update_yaxes(range=[0, 1.3 * max(float(p.max()), float(q.max()), 1e-3)], tickformat=".0%")
    return fig
