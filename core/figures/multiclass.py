"""Figures of the Multi-class logits page: each class's probability, loss part and gradient.

:func:`multiclass_bars_figure` draws one state; :func:`multiclass_scrub_frames` gives the same bars at every
value of one slider (a logit or the temperature), for ``ui.scrub.follow_drag``: while the slider is dragged,
the browser redraws the bars from numbers :func:`core.multiclass.multiclass_sweep` computed.  Both take the
bars' moving attributes from one helper, so a frame and the figure drawn at its value are equal.
"""

from __future__ import annotations

import numpy as np

from core.figures.engine import Draft, figure_builder
from core.figures.style import COLORS, FONT_SIZE, TRUE_CLASS, hatch, signed_bars, styled
from core.formatting import percent, signed

__all__ = ["MOVING_TRACES", "multiclass_axes", "multiclass_bars_figure", "multiclass_scrub_frames"]

#: The traces that change with the logits and the temperature: all three bar panels.
MOVING_TRACES = (0, 1, 2)


def _moving(probs: np.ndarray, contributions: np.ndarray, grads: np.ndarray) -> list[dict]:
    """The attributes of the three bar traces that change from state to state, in trace order.

    The gradient bars change colour and hatching with their sign.  Those colours are the same on a dark
    page (``core.figures.output.adapt`` swaps neither, and keeps hatching as it is), so a frame that sets
    them never puts a light-theme colour back.
    """
    p, c, g = probs.tolist(), contributions.tolist(), grads.tolist()  # Python floats format 10× faster
    sign = signed_bars(g)
    return [
        {"x": p, "text": [percent(v) for v in p]},
        {"x": c, "text": [f"{v:.4f}" for v in c]},
        {
            "x": g,
            "text": [signed(v) for v in g],
            "marker": {"color": sign["color"], "pattern": {"shape": sign["pattern"]["shape"]}},
        },
    ]


def multiclass_scrub_frames(probs, contributions, grads) -> dict:
    """What ``ui.scrub.follow_drag`` sends to the browser: the bars at every value of one slider.

    Parameters
    ----------
    probs, contributions, grads : array_like ``(n, C)``
        One row per value of the slider, as :func:`core.multiclass.multiclass_sweep` gives them
        (``contributions`` in the page's unit), in the slider's order.

    Returns
    -------
    dict
        ``{"traces": [0, 1, 2], "frames": [[update of each bar trace] for each value]}``; an update
        holds the bars' ``x`` and ``text`` (and the gradient bars' colours and hatching by sign), exactly
        as :func:`multiclass_bars_figure` draws them at that value.

    Examples
    --------
    >>> probs, parts, grads = [[0.9, 0.1], [0.5, 0.5]], [[0.1, 0.0], [0.7, 0.0]], [[-0.1, 0.1], [-0.5, 0.5]]
    >>> out = multiclass_scrub_frames(probs, parts, grads)
    >>> out["traces"], out["frames"][1][0]["text"], out["frames"][0][2]["marker"]["pattern"]["shape"]
    ([0, 1, 2], ['50.0%', '50.0%'], ['/', ''])
    """
    p, c, g = (np.asarray(a, dtype=np.float64) for a in (probs, contributions, grads))
    if p.ndim != 2 or p.shape != c.shape or p.shape != g.shape:
        raise ValueError(
            f"probs, contributions and grads must be (n, C) arrays of one shape; got {p.shape}, {c.shape} "
            f"and {g.shape}"
        )
    return {"traces": list(MOVING_TRACES), "frames": [_moving(*row) for row in zip(p, c, g, strict=True)]}


def multiclass_axes(loss_top: float, grad_top: float) -> dict:
    """The loss and gradient panels' x ranges of :func:`multiclass_bars_figure`, as a relayout update.

    ``loss_top`` and ``grad_top`` are the largest loss part and |gradient| the panels must hold (floored
    at 1e-3).  The page sends this with a drag's frames (``ui.scrub.follow_drag(layout=)``) when the chart
    on screen was drawn for other logits.

    Examples
    --------
    >>> multiclass_axes(2.0, 0.5)
    {'xaxis2.range': [0, 3.2], 'xaxis3.range': [-0.9, 0.9]}
    """
    c_top, g_top = max(float(loss_top), 1e-3), max(float(grad_top), 1e-3)
    return {"xaxis2.range": [0, 1.6 * c_top], "xaxis3.range": [-1.8 * g_top, 1.8 * g_top]}


@figure_builder
def multiclass_bars_figure(
    labels,
    probs,
    contributions,
    grads,
    *,
    true_index: int,
    unit: str,
    loss_top: float | None = None,
    grad_top: float | None = None,
) -> Draft:
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
    loss_top, grad_top : float, optional
        The largest loss part and the largest |gradient| the panels' axes must hold, e.g. over every
        state a drag can reach (:func:`multiclass_scrub_frames`), so the axes stay put while the bars
        move.  Default: this state's largest.

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
    moving = _moving(p_arr, c_arr, g_arr)
    moving[2]["marker"]["pattern"] = hatch(moving[2]["marker"]["pattern"]["shape"])
    panels = (  # one per column: trace name, marker, hover text of the value
        (
            "probability",
            {"color": [TRUE_CLASS if k == true_index else COLORS["sky"] for k in range(n)]},
            "p = %{x:.4f}",
        ),
        ("loss contribution", {"color": COLORS["orange"]}, f"−y′ log p = %{{x:.4f}} {unit}"),
        ("gradient", {}, "∂L/∂z = %{x:.4f}"),
    )
    for col, ((name, marker, hover), values) in enumerate(zip(panels, moving, strict=True), start=1):
        fig.add_bar(
            y=names,
            name=name,
            hovertemplate=f"%{{y}}<br>{hover}<extra></extra>",
            row=1,
            col=col,
            **common,
            **values,
            **({"marker": marker} if marker else {}),
        )
    c_top = max(float(c_arr.max()) if loss_top is None else float(loss_top), 1e-3)
    g_top = max(float(np.abs(g_arr).max()) if grad_top is None else float(grad_top), 1e-3)
    ranges = multiclass_axes(c_top, g_top)
    styled(fig, title="Per class: probability, loss and gradient", height=170 + 44 * n, legend=False)
    fig.update_yaxes(autorange="reversed", row=1, col=1)
    fig.update_xaxes(range=[0, 1.35], tickformat=".0%", row=1, col=1)
    fig.update_xaxes(range=ranges["xaxis2.range"], row=1, col=2)
    fig.update_xaxes(
        range=ranges["xaxis3.range"],
        zeroline=True,
        zerolinecolor=COLORS["black"],
        zerolinewidth=2,
        row=1,
        col=3,
    )
    fig.update_annotations(font={"size": FONT_SIZE})
    fig.update_layout(bargap=0.3)
    return fig
