"""Figures of the Multi-class logits page: each class's probability, loss part and gradient."""

from __future__ import annotations

import numpy as np

from core.figures.engine import Draft, figure_builder
from core.figures.style import COLORS, FONT_SIZE, TRUE_CLASS, signed_bars, styled
from core.formatting import percent, signed


@figure_builder
def multiclass_bars_figure(labels, probs, contributions, grads, *, true_index: int, unit: str) -> Draft:
    """Per class: softmax probability, loss contribution and gradient, as three panels of horizontal bars.

    Parameters
    ----------
    labels : sequence of str ``(C,)``
        Class names (sanitised: never HTML).
    probs : array_like ``(C,)``
        p = softmax(z / T).
    contributions : array_like ``(C,)``
        -y'_c log p_c in ``unit``; they sum to the loss.
    grads : array_like ``(C,)``
        ∂L/∂z_c (of the loss in nats).  Bars are coloured by sign AND labelled "+" / "−"
        (:func:`core.formatting.signed`); negative bars are also hatched.
    true_index : int
        The true class, named "(true)" and drawn green in the probability panel.
    unit : {"nats", "bits"}

    Returns
    -------
    go.Figure
        Three bar traces (probability, loss contribution, gradient), classes top to bottom.
    """
    p_arr = np.asarray(probs, dtype=np.float64)
    c_arr = np.asarray(contributions, dtype=np.float64)
    g_arr = np.asarray(grads, dtype=np.float64)
    names = [f"{n} (true)" if k == true_index else n for k, n in enumerate(labels)]
    n = len(names)
    fig = Draft(
        rows=1,
        cols=3,
        shared_yaxes=True,
        horizontal_spacing=0.07,
        subplot_titles=("probability p", f"loss part −y′ log p ({unit})", "gradient ∂L/∂z"),
    )
    common = {"orientation": "h", "textposition": "outside", "cliponaxis": False, "constraintext": "none"}
    panels = (  # one per column: values, trace name, marker, bar labels, hover text of the value
        (
            p_arr,
            "probability",
            {"color": [TRUE_CLASS if k == true_index else COLORS["sky"] for k in range(n)]},
            [percent(v) for v in p_arr],
            "p = %{x:.4f}",
        ),
        (
            c_arr,
            "loss contribution",
            {"color": COLORS["orange"]},
            [f"{v:.4f}" for v in c_arr],
            f"−y′ log p = %{{x:.4f}} {unit}",
        ),
        (g_arr, "gradient", signed_bars(g_arr), [signed(v) for v in g_arr], "∂L/∂z = %{x:.4f}"),
    )
    for col, (values, name, marker, text, hover) in enumerate(panels, start=1):
        fig.add_bar(
            y=names,
            x=values,
            name=name,
            marker=marker,
            text=text,
            hovertemplate=f"%{{y}}<br>{hover}<extra></extra>",
            row=1,
            col=col,
            **common,
        )
    c_top = max(float(c_arr.max()), 1e-3)
    g_top = max(float(np.abs(g_arr).max()), 1e-3)
    styled(fig, title="Per class: probability, loss and gradient", height=170 + 44 * n, legend=False)
    fig.update_yaxes(autorange="reversed", row=1, col=1)
    fig.update_xaxes(range=[0, 1.35], tickformat=".0%", row=1, col=1)
    fig.update_xaxes(range=[0, 1.6 * c_top], row=1, col=2)
    fig.update_xaxes(
        range=[-1.8 * g_top, 1.8 * g_top],
        zeroline=True,
        zerolinecolor=COLORS["black"],
        zerolinewidth=2,
        row=1,
        col=3,
    )
    fig.update_annotations(font={"size": FONT_SIZE})
    fig.update_layout(bargap=0.3)
    return fig
