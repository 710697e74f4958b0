"""Figures of the Loss comparison page of its own (its curves are :mod:`core.figures.curves`): the
95 : 5 imbalance demo.
"""

from __future__ import annotations

import numpy as np

from core.figures.engine import Draft, figure_builder
from core.figures.style import COLORS, FONT_SIZE, move_legend_below, styled
from core.formatting import percent


@figure_builder
def imbalance_share_figure(methods, class_names, loss_share, grad_share) -> Draft:
    """Each class's share of the total loss and of the total gradient magnitude, per loss: grouped bars.

    Parameters
    ----------
    methods : sequence of str ``(M,)``
        The losses (one group of bars each).
    class_names : sequence of str ``(C,)``
        One bar per class in each group; class k > 0 bars have a black outline, so classes differ by more
        than colour.  (No fill patterns: Plotly drops a pattern's colour when Streamlit redraws a chart.)
    loss_share, grad_share : array_like ``(M, C)``
        Shares in [0, 1]; each row sums to 1.

    Returns
    -------
    go.Figure
        Two side-by-side panels (loss | gradient), one bar trace per class and panel, labelled in percent.
    """
    loss = np.asarray(loss_share, dtype=np.float64)
    grad = np.asarray(grad_share, dtype=np.float64)
    fig = Draft(
        rows=1,
        cols=2,
        subplot_titles=("Share of the total loss", "Share of the total gradient ‖∂ℓ/∂z‖"),
        shared_yaxes=True,
        horizontal_spacing=0.06,
    )
    colors = [COLORS["blue"], COLORS["orange"], COLORS["green"], COLORS["purple"]]
    for col, shares in ((1, loss), (2, grad)):
        for k, cls in enumerate(class_names):
            fig.add_bar(
                x=list(methods),
                y=100 * shares[:, k],
                name=cls,
                legendgroup=cls,
                showlegend=col == 1,
                marker={"color": colors[k % 4], "line": {"color": COLORS["black"], "width": 2.5 if k else 0}},
                text=[percent(v) for v in shares[:, k]],
                textposition="outside",
                constraintext="none",
                textfont={"size": FONT_SIZE - 2},
                cliponaxis=False,
                hovertemplate=f"{cls}<br>%{{x}}<br>%{{y:.1f}}% of the total<extra></extra>",
                row=1,
                col=col,
            )
    styled(fig, title="Who gets the loss and the gradient? (95 : 5 data set)", height=480)
    move_legend_below(fig, entries=len(class_names), per_row=4)
    fig.update_layout(barmode="group", bargap=0.25, margin={"t": 90})
    fig.update_yaxes(title_text="share of the total (%)", range=[0, 112], row=1, col=1)
    fig.update_yaxes(range=[0, 112], row=1, col=2)
    fig.update_annotations(font={"size": FONT_SIZE})
    return fig
