"""Figures of the Numerical pitfalls page: naive softmax-then-log against log-sum-exp per dtype,
clipping near p = 0, and gradients of several losses side by side.
"""

from __future__ import annotations

import numpy as np

from core.figures.curves import curves_figure
from core.figures.engine import Draft, figure_builder, plottable
from core.figures.scrub import scrub_frames, steps_from_figures
from core.figures.style import (
    COLORS,
    FONT_SIZE,
    LINE_WIDTH,
    MARKER_SIZE,
    NEUTRAL,
    move_legend_below,
    styled,
    vline_traces,
)
from core.formatting import signed

# The axes of the marked scale's line in each panel (and of its label, in the upper one): hidden y axes
# from 0 to 1 over the panel.
MARK_AXES = (("x", "y", "y3"), ("x2", "y2", "y4"))
LABEL_LEFT_DECADES = 1.0  # the marked scale's label goes left of its line within this of the axis's end
DTYPE_COLORS = {"float16": COLORS["orange"], "float32": COLORS["blue"], "float64": COLORS["green"]}


@figure_builder
def naive_vs_stable_figure(sweeps, *, point_scale: float | None = None, point_losses=None) -> Draft:
    """Naive softmax-then-log against log-sum-exp cross-entropy over the logit scale, per dtype.

    Top panel (log-log): the stable loss (solid) and the naive loss (dashed, gaps where it is inf or NaN),
    with an ``x`` where each dtype's naive loss first breaks (drawn on the stable curve, labelled).
    Bottom strip: an ``x`` marker at (every 8th) scale where the naive loss is not finite, one row per
    dtype, with the first such scale written next to it.

    Parameters
    ----------
    sweeps : sequence of ``core.NaiveSweep``
    point_scale : float, optional
        A scale to mark with a dotted vertical line across both panels, labelled at the top.
    point_losses : sequence of (naive, stable) pairs, one per sweep, optional
        The two losses at ``point_scale`` (:func:`core.pitfalls.naive_and_stable_at`): drawn as markers
        on the line (stable: filled circles; naive: open diamonds, left out where inf, NaN or 0).

    Everything that marks ``point_scale`` is a trace (the line and its label on hidden axes over the
    panels), so a drag of the scale slider moves it (:func:`naive_vs_stable_frames`).

    Returns
    -------
    go.Figure
        Per sweep: a stable and a naive line (top); then per sweep a marker trace of its broken scales
        (bottom, present even if empty); then one trace of the first-break markers (top); then (with
        ``point_losses``) the stable and the naive markers at ``point_scale`` (top); then (with
        ``point_scale``) the marked line in each panel and its label.
    """
    fig = Draft(rows=2, cols=1, shared_xaxes=True, row_heights=[0.74, 0.26], vertical_spacing=0.06)
    for sweep in sweeps:
        color = DTYPE_COLORS.get(sweep.dtype, NEUTRAL)
        ways = (  # legend name, hover name, losses, line style, other trace options
            ("log-sum-exp", "stable", sweep.stable, {"width": LINE_WIDTH + 3}, {"opacity": 0.45}),
            ("naive", "naive", sweep.naive, {"width": LINE_WIDTH - 1, "dash": "dash"}, {}),
        )
        for way, hover, losses, line, options in ways:
            fig.add_scatter(
                x=sweep.scales,
                y=plottable(losses, log=True),
                mode="lines",
                name=f"{sweep.dtype} {way}",
                legendgroup=sweep.dtype,
                line={"color": color, **line},
                **options,
                hovertemplate=f"{sweep.dtype} {hover}<br>scale %{{x:.4g}}<br>loss %{{y:.4g}}<extra></extra>",
                row=1,
                col=1,
            )
    for sweep in sweeps:
        color = DTYPE_COLORS.get(sweep.dtype, NEUTRAL)
        broken = np.flatnonzero(~np.isfinite(sweep.naive))
        shown = broken[(broken - broken[0]) % 8 == 0] if broken.size else broken  # every 8th: readable
        xs = sweep.scales[shown]
        kinds = np.where(np.isnan(sweep.naive[shown]), "NaN", "inf")
        text = [""] * len(xs)
        if len(xs):
            text[0] = f"{sweep.first_break_kind} from s = {sweep.first_break:.4g} "
        fig.add_scatter(
            x=xs,
            y=[sweep.dtype] * len(xs),
            mode="markers+text",
            name=f"{sweep.dtype} naive breaks",
            legendgroup=sweep.dtype,
            showlegend=False,
            marker={"symbol": "x", "size": 11, "color": color},
            text=text,
            textposition="middle left",
            textfont={"size": FONT_SIZE - 2, "color": COLORS["black"]},
            customdata=kinds,
            hovertemplate=f"{sweep.dtype} naive = %{{customdata}}<br>scale %{{x:.4g}}<extra></extra>",
            row=2,
            col=1,
        )
    breaks = [sw for sw in sweeps if sw.first_break is not None]
    at_break = [float(np.interp(np.log(sw.first_break), np.log(sw.scales), sw.stable)) for sw in breaks]
    fig.add_scatter(
        x=[sw.first_break for sw in breaks],
        y=[v if v > 0 else np.nan for v in at_break],
        mode="markers+text",
        name="naive breaks here",
        showlegend=False,
        marker={
            "symbol": "x",
            "size": MARKER_SIZE + 4,
            "color": [DTYPE_COLORS.get(sw.dtype, NEUTRAL) for sw in breaks],
            "line": {"width": 1, "color": COLORS["black"]},
        },
        text=[f"{sw.dtype} naive → {sw.first_break_kind} " for sw in breaks],
        textposition="middle left",
        textfont={"size": FONT_SIZE - 2, "color": COLORS["black"]},
        hovertemplate="naive breaks at s = %{x:.4g}<extra></extra>",
        row=1,
        col=1,
    )
    if point_scale is not None and point_losses is not None:
        colors = [DTYPE_COLORS.get(sw.dtype, NEUTRAL) for sw in sweeps]
        for which, index, symbol in (("log-sum-exp", 1, "circle"), ("naive", 0, "diamond-open")):
            ys = [float(pair[index]) for pair in point_losses]
            fig.add_scatter(
                x=[float(point_scale)] * len(ys),
                y=[y if np.isfinite(y) and y > 0 else None for y in ys],  # None: not drawn, and JSON
                mode="markers",
                name=f"{which} at the marked s",
                showlegend=False,
                marker={
                    "symbol": symbol,
                    "size": MARKER_SIZE,
                    "color": colors,
                    "line": {"width": 2, "color": colors},
                },
                customdata=[sw.dtype for sw in sweeps],
                hovertemplate=f"%{{customdata}} {which}<br>s = %{{x:.4g}}<br>loss %{{y:.6g}}<extra></extra>",
                row=1,
                col=1,
            )
    if point_scale is not None:
        vline_traces(fig, float(point_scale), name="marked s", axes=MARK_AXES)
        on_plot = {"showlegend": False, "hoverinfo": "skip", "cliponaxis": False}
        # The label right of the line, or left of it near the right edge (two traces: a drag changes
        # their texts, not where they are anchored).
        label = f"s = {point_scale:.4g}"
        end = sweeps[0].scales[-1] if len(sweeps) else point_scale
        on_right = bool(np.log10(point_scale) <= np.log10(end) - LABEL_LEFT_DECADES)
        for name, text, position in (
            ("marked s label", f" {label}" if on_right else "", "bottom right"),
            ("marked s label, left", "" if on_right else f"{label} ", "bottom left"),
        ):
            fig.add_scatter(
                x=[float(point_scale)],
                y=[1],
                mode="text",
                name=name,
                text=[text],
                textposition=position,
                textfont={"size": FONT_SIZE - 2, "color": COLORS["black"]},
                xaxis=MARK_AXES[0][0],
                yaxis=MARK_AXES[0][2],
                **on_plot,
            )
    styled(fig, title="Cross-entropy of the logits s · pattern: naive vs log-sum-exp", height=640)
    move_legend_below(fig, entries=2 * len(sweeps), per_row=3)
    fig.update_layout(margin={"t": 60, "b": 150}, legend={"y": -0.14})
    fig.update_xaxes(type="log", dtick=1, row=1, col=1)
    fig.update_xaxes(type="log", dtick=1, title_text="logit scale s (log axis)", row=2, col=1)
    positive = np.concatenate([plottable(sw.stable, log=True) for sw in sweeps] + [np.array([1.0])])
    decades = np.log10(np.nanmax(positive)) - np.log10(np.nanmin(positive))
    fig.update_yaxes(
        type="log",
        dtick=1 if decades <= 8 else 2,
        exponentformat="power",
        title_text="loss (nats, log axis)",
        row=1,
        col=1,
    )
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=[s.dtype for s in sweeps],
        title_text="naive fails",
        row=2,
        col=1,
    )
    return fig


def naive_vs_stable_frames(sweeps, scales, point_losses) -> dict:
    """The frames the chart follows while the scale slider is dragged (``ui.scrub``): one per scale.

    Parameters
    ----------
    sweeps : sequence of ``core.NaiveSweep``
        As for :func:`naive_vs_stable_figure`.
    scales : sequence of float, length n >= 2
        Every scale the slider can take, in order.
    point_losses : sequence of length n
        The ``(naive, stable)`` pairs at each scale (:func:`core.pitfalls.naive_and_stable_at`).

    Returns
    -------
    dict
        :func:`core.figures.scrub.sweep_frames` of :func:`naive_vs_stable_figure` over the scales: the
        markers, the line and its label at each one.
    """
    if len(point_losses) != len(scales):
        raise ValueError(
            f"point_losses must hold one (naive, stable) pair list per scale ({len(scales)}); "
            f"got {len(point_losses)}"
        )
    figures = [
        naive_vs_stable_figure.draft(sweeps, point_scale=float(s), point_losses=losses)
        for s, losses in zip(scales, point_losses, strict=True)
    ]
    labels = [f"s = {float(s):.4g}" for s in scales]
    return scrub_frames(steps_from_figures(figures[0], figures, labels))


@figure_builder
def clipping_figure(comparison, *, point=None, kind: str = "loss") -> Draft:
    """Exact, clipped and PyTorch-clamped -log p near p = 0 (log x axis): the loss or |∂ℓ/∂p|.

    Parameters
    ----------
    comparison : ``core.ClippingComparison``
        The curves, over a grid of probabilities.
    point : ``core.ClippingComparison`` of one probability, optional
        The operating point to mark on each curve.
    kind : {"loss", "gradient"}
        The loss (linear y) or the magnitude of its derivative with respect to p (log y); the clipped
        gradient is exactly 0 below ε, shown as a shaded band with a label.

    Returns
    -------
    go.Figure
        Three line traces (exact, clipped, torch), then markers at ``point``.
    """
    if kind not in ("loss", "gradient"):
        raise ValueError(f"kind must be 'loss' or 'gradient'; got {kind!r}")
    c = comparison
    eps = c.eps
    clip_name = f"clipped, ε = {eps:.0e}"
    if kind == "loss":
        series = {"exact −ln p": c.exact, clip_name: c.clipped, "PyTorch BCE (log clamped at −100)": c.torch}
        title, y_title = "Loss for a true label y = 1", "loss (nats)"
    else:
        series = {
            "exact −ln p": np.abs(c.exact_grad),
            clip_name: np.abs(c.clipped_grad),
            "PyTorch BCE (log clamped at −100)": np.abs(c.torch_grad),
        }
        title, y_title = "Gradient magnitude |∂ℓ/∂p|", "|∂ℓ/∂p| (log axis)"
    point_p = point_values = None
    if point is not None:
        point_p = float(np.ravel(point.probs)[0])
        if kind == "loss":
            at = (point.exact, point.clipped, point.torch)
        else:
            at = (np.abs(point.exact_grad), np.abs(point.clipped_grad), np.abs(point.torch_grad))
        point_values = {name: float(np.ravel(v)[0]) for name, v in zip(series, at, strict=True)}
    fig = curves_figure.draft(
        c.probs,
        series,
        title=title,
        x_title="predicted probability of the true class p (log axis)",
        y_title=y_title,
        point_x=point_p,
        point_values=point_values,
        point_label=f"p = {point_p:.0e}" if point_p is not None else None,
        x_log=True,
        y_log=kind == "gradient",
        legend_below=True,
        height=480,
    )
    fig.add_vrect(
        x0=float(c.probs.min()),
        x1=eps,
        fillcolor=COLORS["yellow"],
        opacity=0.18,
        line_width=0,
        layer="below",
    )
    label = "clipped: loss stuck at −ln ε" if kind == "loss" else "clipped: gradient exactly 0"
    fig.add_scatter(
        x=[np.sqrt(float(c.probs.min()) * eps)],
        y=[-np.log(eps) if kind == "loss" else 1.0],
        mode="text",
        text=[label],
        textposition="top center",
        textfont={"size": FONT_SIZE - 2},
        showlegend=False,
        hoverinfo="skip",
        name="clip label",
    )
    if kind == "gradient":
        fig.update_yaxes(exponentformat="power")
    fig.update_xaxes(exponentformat="power")
    return fig


@figure_builder
def gradient_bars_figure(class_names, gradients, *, target: int, title: str) -> Draft:
    """Gradients with respect to the logits, per class, for several losses side by side, sign-labelled.

    Parameters
    ----------
    class_names : sequence of str ``(C,)``
    gradients : mapping of str to array_like ``(C,)``
        Loss name -> ∂ℓ/∂z; the bars of a loss share one colour (the first plain, the others outlined in
        black).
    target : int
        The true class (marked " (true)").
    title : str

    Returns
    -------
    go.Figure
        One bar trace per loss, each bar labelled with its signed value.
    """
    names = [f"{n} (true)" if k == target else n for k, n in enumerate(class_names)]
    colors = [COLORS["blue"], COLORS["vermillion"], COLORS["green"]]
    fig = Draft()
    top = 0.05
    for j, (loss, values) in enumerate(gradients.items()):
        g = np.asarray(values, dtype=np.float64)
        top = max(top, float(np.abs(g).max()))
        fig.add_bar(
            x=names,
            y=g,
            name=loss,
            marker={"color": colors[j % 3], "line": {"color": COLORS["black"], "width": 2.5 if j else 0}},
            text=[signed(v) for v in g],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"{loss}<br>%{{x}}: %{{y:.6g}}<extra></extra>",
        )
    styled(fig, title=title, x_title="class k", y_title="∂ℓ/∂z_k (nats per unit logit)", height=440)
    fig.update_layout(barmode="group")
    fig.update_yaxes(
        range=[-1.3 * top, 1.3 * top], zeroline=True, zerolinecolor=COLORS["black"], zerolinewidth=2
    )
    return fig
