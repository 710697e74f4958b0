"""Figures of the Mini-batches page: per-example gradients and their mean, and the spread of the
mini-batch gradient against the batch size.
"""

from __future__ import annotations

import numpy as np

from core.figures.engine import Draft, bar, figure_builder, scatter
from core.figures.style import COLORS, LINE_WIDTH, MARKER_SIZE, signed_bars, styled
from core.formatting import signed

LABELLED_BARS = 24  # up to this many bars each is labelled with its value and gets a tick of its own


@figure_builder
def per_example_gradient_figure(values, *, label: str, mean: float, batch_gradient: float) -> Draft:
    """Each example's gradient of one parameter as a bar, with the batch mean as a line.

    Parameters
    ----------
    values : array_like ``(B,)``
        ∂ℓ_i/∂θ for the examples of the batch.
    label : str
        The parameter entry, e.g. ``"b₄[2]"``.
    mean : float
        The average of ``values``.
    batch_gradient : float
        The batch-mean gradient from backprop (equal to ``mean``; drawn as markers on the line).

    Returns
    -------
    go.Figure
        A bar trace (signed text labels while B <= 24, empty ones above; bars with a negative value
        hatched) and a line trace for the mean.

    Examples
    --------
    >>> fig = per_example_gradient_figure([0.5, -0.25], label="b[1]", mean=0.125, batch_gradient=0.125)
    >>> [trace.name for trace in fig.data]
    ['per-example gradient', 'batch mean = +0.12500']
    """
    arr = np.asarray(values, dtype=np.float64).reshape(-1)
    if arr.size == 0 or not np.isfinite(arr).all():
        raise ValueError("values must be a non-empty array of finite numbers")
    idx = np.arange(1, arr.size + 1)
    fig = Draft()
    fig.add_trace(
        bar(
            x=idx,
            y=arr,
            name="per-example gradient",
            marker=signed_bars(arr),
            text=[signed(v, 3) if arr.size <= LABELLED_BARS else "" for v in arr],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"example %{{x}}<br>∂ℓᵢ/∂{label} = %{{y:.6g}}<extra></extra>",
        )
    )
    fig.add_trace(
        scatter(
            x=[0.5, arr.size + 0.5],
            y=[mean, mean],
            mode="lines",
            name=f"batch mean = {signed(mean, 5)}",
            line={"color": COLORS["black"], "width": LINE_WIDTH, "dash": "dash"},
            hovertemplate=(
                f"mean of the {arr.size} bars = {mean:.6g}<br>"
                f"backprop's batch gradient = {batch_gradient:.6g}<extra></extra>"
            ),
        )
    )
    top = float(np.abs(arr).max()) or 1.0
    styled(
        fig,
        title=f"Per-example gradients of {label} and their mean",
        x_title="example i in the batch",
        y_title=f"∂ℓᵢ / ∂{label}",
        height=420,
    )
    fig.update_yaxes(range=[-1.25 * top, 1.25 * top], zeroline=True, zerolinecolor=COLORS["grey"])
    # Every setting stated, none left to plotly.js: a drag of B moves these with the bars (ui.scrub).
    fig.update_xaxes(range=[0.4, arr.size + 0.6], dtick=1 if arr.size <= LABELLED_BARS else 5)
    return fig


@figure_builder
def gradient_spread_figure(
    batch_sizes,
    measured,
    expected,
    *,
    label: str,
    expected_finite=None,
    n_samples: int | None = None,
) -> Draft:
    """Spread of the mini-batch gradient against the batch size on log-log axes, with σ/√B beside it.

    Parameters
    ----------
    batch_sizes : array_like ``(K,)`` of int
    measured : array_like ``(K,)``
        RMS distance of measured mini-batch gradients from the full-data gradient.
    expected : array_like ``(K,)``
        σ/√B.
    label : str
        The parameter entry, e.g. ``"W₂[3, 1]"``.
    expected_finite : array_like ``(K,)``, optional
        σ/√B · √((N − B)/(N − 1)) for batches drawn without replacement (drawn dotted; entries that are
        0, at B = N, are left out of the log axis).
    n_samples : int, optional
        N, named in that line's legend entry.

    Returns
    -------
    go.Figure
        Traces: "measured" (markers), "σ/√B" (line), and the finite-population line if given.

    Examples
    --------
    >>> fig = gradient_spread_figure([1, 4], [1.0, 0.52], [1.0, 0.5], label="b[1]")
    >>> [trace.name for trace in fig.data], fig.layout.xaxis.type
    (['measured', 'σ/√B (slope −1/2)'], 'log')
    """
    sizes = np.asarray(batch_sizes, dtype=np.float64).reshape(-1)
    meas = np.asarray(measured, dtype=np.float64).reshape(-1)
    theory = np.asarray(expected, dtype=np.float64).reshape(-1)
    if not (sizes.size == meas.size == theory.size) or sizes.size == 0 or (sizes <= 0).any():
        raise ValueError("batch_sizes, measured and expected must be equal-length, batch sizes positive")
    fig = Draft()
    fig.add_trace(
        scatter(
            x=sizes,
            y=theory,
            mode="lines",
            name="σ/√B (slope −1/2)",
            line={"color": COLORS["blue"], "width": LINE_WIDTH},
            hovertemplate="B = %{x}<br>σ/√B = %{y:.4g}<extra></extra>",
        )
    )
    if expected_finite is not None:
        finite = np.asarray(expected_finite, dtype=np.float64).reshape(-1)
        keep = finite > 0
        where = f"N = {n_samples}" if n_samples is not None else "N"
        fig.add_trace(
            scatter(
                x=sizes[keep],
                y=finite[keep],
                mode="lines",
                name=f"σ/√B · √((N−B)/(N−1)), {where}",
                line={"color": COLORS["sky"], "width": LINE_WIDTH, "dash": "dot"},
                hovertemplate="B = %{x}<br>without replacement: %{y:.4g}<extra></extra>",
            )
        )
    keep = meas > 0
    fig.add_trace(
        scatter(
            x=sizes[keep],
            y=meas[keep],
            mode="markers",
            name="measured",
            marker={"color": COLORS["vermillion"], "size": MARKER_SIZE, "symbol": "diamond"},
            hovertemplate="B = %{x}<br>measured spread = %{y:.4g}<extra></extra>",
        )
    )
    fig.data.insert(0, fig.data.pop())
    styled(
        fig,
        title=f"Spread of the mini-batch gradient of {label}",
        x_title="batch size B (log scale)",
        y_title=f"RMS of ∇{label} − full gradient (log)",
        height=460,
    )
    fig.update_layout(
        legend={
            "orientation": "v",
            "x": 0.02,
            "xanchor": "left",
            "y": 0.02,
            "yanchor": "bottom",
            "bgcolor": "rgba(255,255,255,0.85)",
        },
        margin={"t": 60},
    )
    fig.update_xaxes(type="log", tickvals=sizes.tolist(), ticktext=[str(int(s)) for s in sizes])
    values = np.concatenate([meas[meas > 0], theory[theory > 0]])
    ticks = _one_two_five(float(values.min()), float(values.max())) if values.size else []
    fig.update_yaxes(type="log", tickvals=ticks, ticktext=[f"{t:g}" for t in ticks])
    return fig


def _one_two_five(low: float, high: float) -> list[float]:
    """Tick values 1, 2, 5 × 10^k covering [low, high] (a log axis readable without minor labels).

    >>> _one_two_five(0.03, 0.6)
    [0.02, 0.05, 0.1, 0.2, 0.5, 1.0]
    """
    ticks = []
    for power in range(int(np.floor(np.log10(low))) - 1, int(np.ceil(np.log10(high))) + 1):
        for m in (1, 2, 5):
            ticks.append(float(f"{m}e{power}"))
    below = [t for t in ticks if t <= low]
    above = [t for t in ticks if t >= high]
    lo, hi = (below[-1] if below else ticks[0]), (above[0] if above else ticks[-1])
    return [t for t in ticks if lo <= t <= hi]
