"""Figures of the Calibration lab: reliability diagrams, calibration over the epochs, and NLL against T.

- :func:`reliability_figure`: accuracy per confidence bin against the diagonal, the gap to each bin's
  mean confidence hatched (over-confident ``/``, under-confident ``\\``, and named in the legend, so
  colour never carries it alone), the number of test digits per bin underneath, written on the bars,
  and a readout of the scores inside the plot.  :func:`reliability_scrub_frames` gives, for each state
  the page's slider can take, the updates of the traces that move, for ``ui.scrub.follow_drag``: while
  the slider is dragged, the browser redraws the chart from numbers :mod:`core.calibration` computed.
- :func:`confidence_curves_figure`: test accuracy and mean confidence per epoch, and the fitted T.
- :func:`nll_epochs_figure`: test NLL per epoch, as trained and after temperature scaling.
- :func:`temperature_curve_figure`: validation and test NLL against T, with T* and the grid minimum.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from core.calibration import Reliability
from core.figures.engine import Draft, bar, figure_builder, scatter
from core.figures.style import (
    COLORS,
    FONT_SIZE,
    LINE_WIDTH,
    NEUTRAL,
    hatch,
    marked_vline,
    move_legend_below,
    styled,
    vline_traces,
)

__all__ = [
    "MOVING_TRACES",
    "ReliabilityFrame",
    "confidence_curves_figure",
    "nll_epochs_figure",
    "reliability_figure",
    "reliability_scrub_frames",
    "temperature_curve_figure",
]

ACCURACY_COLOR = COLORS["blue"]
OVER_COLOR = COLORS["vermillion"]
UNDER_COLOR = COLORS["sky"]
COUNT_COLOR = NEUTRAL
#: The traces of :func:`reliability_figure` that change from state to state (all but the diagonal).
MOVING_TRACES = (0, 1, 2, 3, 5, 6)
READOUT_Y = 1.2  # the readout sits in a band above 100 % accuracy, where no bar reaches


class ReliabilityFrame(NamedTuple):
    """One state of a reliability diagram: its bins and the readout written inside the plot."""

    reliability: Reliability
    readout: str


def _nullable(values) -> list:
    """A list for plotly JSON with NaN as None (a gap), so it also travels inside the scrub frames."""
    return [None if v is None or (isinstance(v, float) and math.isnan(v)) else float(v) for v in values]


def _moving(frame: ReliabilityFrame) -> list[dict]:
    """The attributes of the moving traces (:data:`MOVING_TRACES`, in order) in one state."""
    rel = frame.reliability
    counts = rel.counts.astype(int)
    acc = np.asarray(rel.accuracy, dtype=np.float64)
    conf = np.asarray(rel.confidence, dtype=np.float64)
    gap = conf - acc
    lo, hi = rel.edges[:-1], rel.edges[1:]
    centres = ((lo + hi) / 2).tolist()
    custom = [
        [float(a), float(b), int(n), None if math.isnan(c) else float(c), None if math.isnan(r) else float(r)]
        for a, b, n, c, r in zip(lo, hi, counts, conf, acc, strict=True)
    ]
    return [
        {"x": centres, "y": _nullable(acc), "customdata": custom},
        {
            "x": centres,
            "y": _nullable(np.where(gap > 0, gap, np.nan)),
            "base": _nullable(np.where(gap > 0, acc, np.nan)),
            "customdata": custom,
        },
        {
            "x": centres,
            "y": _nullable(np.where(gap < 0, gap, np.nan)),
            "base": _nullable(np.where(gap < 0, acc, np.nan)),
            "customdata": custom,
        },
        {"x": centres, "y": _nullable(conf), "customdata": custom},
        {
            "x": centres,
            "y": counts.tolist(),
            "text": [str(n) if n else "" for n in counts],
            "customdata": custom,
        },
        {"x": [0.0], "y": [READOUT_Y], "text": [frame.readout]},
    ]


def reliability_scrub_frames(frames: Sequence[ReliabilityFrame]) -> dict:
    """What ``ui.scrub.follow_drag`` sends to the browser: the moving traces' attributes in every state.

    Parameters
    ----------
    frames : sequence of ReliabilityFrame
        One per value of the page's slider, in the slider's order; all with the same number of bins.

    Returns
    -------
    dict
        ``{"traces": list(MOVING_TRACES), "frames": [[update, ...] per state]}``, each update a dict of
        the trace's ``x``, ``y`` (and ``base``, ``text``, ``customdata`` where it has them).

    Examples
    --------
    >>> from core.calibration import reliability
    >>> states = [ReliabilityFrame(reliability([[0.9, 0.1]], [k], 5), f"state {k}") for k in (0, 1)]
    >>> out = reliability_scrub_frames(states)
    >>> out["traces"], len(out["frames"]), out["frames"][1][0]["y"]
    ([0, 1, 2, 3, 5, 6], 2, [None, None, None, None, 0.0])
    """
    frames = _check_frames(frames)
    return {"traces": list(MOVING_TRACES), "frames": [_moving(frame) for frame in frames]}


def _check_frames(frames) -> list[ReliabilityFrame]:
    frames = list(frames)
    if not frames:
        raise ValueError("frames must hold at least one ReliabilityFrame")
    n_bins = len(frames[0].reliability.counts)
    if any(len(f.reliability.counts) != n_bins for f in frames):
        raise ValueError("every frame must have the same number of bins")
    return frames


@figure_builder
def reliability_figure(
    frames: Sequence[ReliabilityFrame],
    *,
    active: int,
    title: str,
    height: int = 560,
    examples: str = "test digits",
) -> Draft:
    """A reliability diagram (accuracy per confidence bin) with the count of examples per bin beneath.

    Parameters
    ----------
    frames : sequence of ReliabilityFrame
        Every state the chart can be scrubbed through (see :func:`reliability_scrub_frames`); all with
        the same number of bins.  The count axis fits the largest bin of any state, so it never has to
        move while the states are scrubbed.
    active : int
        The state drawn.
    title : str
        What the chart shows (the numbers of the state are in its readout).
    height : int, default 560
    examples : str, default "test digits"
        What the examples are, in the hover text and the counts' name (``"test digits per bin"``); the
        counts' axis is titled with its last word.

    Returns
    -------
    go.Figure
        Traces, in order: ``"accuracy"`` bars, ``"over-confident gap"`` and ``"under-confident gap"``
        bars (from the accuracy to the bin's mean confidence), ``"mean confidence"`` markers, the
        ``"perfectly calibrated"`` diagonal, ``"test digits per bin"`` bars (second row, labelled with
        their counts) and the ``"readout"`` text.  The legend lists the first three.

    Examples
    --------
    >>> from core.calibration import reliability
    >>> rel = reliability([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7]], [0, 1, 1], n_bins=5)
    >>> fig = reliability_figure([ReliabilityFrame(rel, "ECE 40.0 %")], active=0, title="t")
    >>> [t.name for t in fig.data][:3], list(fig.data[5].y)
    (['accuracy', 'over-confident gap', 'under-confident gap'], [0, 0, 0, 2, 1])
    """
    frames = _check_frames(frames)
    if not 0 <= active < len(frames):
        raise ValueError(f"active must index frames (0 … {len(frames) - 1}); got {active}")
    shown = frames[active]
    n_bins = len(shown.reliability.counts)
    width = 1.0 / n_bins
    parts = _moving(shown)
    bin_hover = "confidence in (%{customdata[0]:.2f}, %{customdata[1]:.2f}]<br>%{customdata[2]} " + examples
    fig = Draft(rows=2, cols=1, shared_xaxes=True, row_heights=[0.74, 0.26], vertical_spacing=0.06)
    fig.add_trace(
        bar(
            **parts[0],
            width=width,
            name="accuracy",
            marker={"color": ACCURACY_COLOR, "line": {"color": "white", "width": 1}},
            hovertemplate=bin_hover + "<br>accuracy %{y:.1%}<br>mean confidence %{customdata[3]:.1%}"
            "<extra></extra>",
        ),
        row=1,
        col=1,
    )
    for k, (name, color, shape) in enumerate(
        (("over-confident gap", OVER_COLOR, "/"), ("under-confident gap", UNDER_COLOR, "\\")), start=1
    ):
        fig.add_trace(
            bar(
                **parts[k],
                width=width,
                name=name,
                marker={"color": color, "pattern": hatch(shape), "opacity": 0.85},
                hovertemplate=bin_hover + f"<br>{name.removesuffix(' gap')}: mean confidence "
                "%{customdata[3]:.1%} vs accuracy %{customdata[4]:.1%}<extra></extra>",
            ),
            row=1,
            col=1,
        )
    fig.add_trace(
        scatter(
            **parts[3],
            mode="markers",
            name="mean confidence",
            marker={"symbol": "line-ew-open", "size": 18, "color": COLORS["black"], "line": {"width": 3}},
            hovertemplate=bin_hover + "<br>mean confidence %{y:.1%}<extra></extra>",
            showlegend=False,  # the text beside the chart names the short dash and the diagonal
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        scatter(
            x=[0.0, 1.0],
            y=[0.0, 1.0],
            mode="lines",
            name="perfectly calibrated",
            line={"color": NEUTRAL, "dash": "dash", "width": 2},
            hoverinfo="skip",
            showlegend=False,
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        bar(
            **parts[4],
            width=width,
            name=f"{examples} per bin",
            marker={"color": COUNT_COLOR, "line": {"color": "white", "width": 1}},
            textposition="outside",
            cliponaxis=False,
            textfont={"size": FONT_SIZE - 4},
            hovertemplate=bin_hover + "<extra></extra>",
            showlegend=False,
        ),
        row=2,
        col=1,
    )
    fig.add_trace(
        scatter(
            **parts[5],
            mode="text",
            name="readout",
            textposition="bottom right",  # in the band above 100 %: never on a bar
            textfont={"size": FONT_SIZE - 2, "color": COLORS["black"]},
            hoverinfo="skip",
            showlegend=False,
        ),
        row=1,
        col=1,
    )
    top = max(int(f.reliability.counts.max()) for f in frames) or 1
    styled(fig, title=title, height=height)
    fig.update_layout(barmode="overlay", bargap=0)
    fig.update_xaxes(range=[0, 1], tickformat=".0%", dtick=0.2)
    fig.update_xaxes(row=2, col=1, title={"text": "confidence: the top class's probability"})
    fig.update_yaxes(
        row=1,
        col=1,
        range=[0, READOUT_Y + 0.01],
        tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1.0],
        tickformat=".0%",
        title={"text": "accuracy"},
    )
    fig.update_yaxes(row=2, col=1, range=[0, top * 1.35], title={"text": examples.split()[-1]}, nticks=3)
    bottom = 70 + 26 * 3 + 10  # the x-axis title, then the legend: 3 entries, one to a row
    fig.update_layout(
        margin={"t": 60, "b": bottom},
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 0.0,
            "yanchor": "bottom",
            "x": 0,
            "xanchor": "left",
            "traceorder": "normal",
            "entrywidth": 1.0,
            "entrywidthmode": "fraction",
        },
        height=height + bottom - 60,
    )
    return fig


def _epoch_axis(fig: Draft, epochs: np.ndarray) -> None:
    ticks = [e for e in (1, 2, 3, 5, 10, 20, 30, 50, 100, 200, 500, 1000) if epochs[0] <= e <= epochs[-1]]
    fig.update_xaxes(type="log", tickvals=ticks, ticktext=[str(t) for t in ticks])


def _after_zero(curve: dict) -> tuple[np.ndarray, np.ndarray]:
    """The recorded epochs from 1 on (epoch 0 has no place on a log axis) and their row indices."""
    epochs = np.asarray(curve["epoch"])
    rows = np.flatnonzero(epochs >= 1)
    if rows.size == 0:
        raise ValueError("curve must hold at least one epoch >= 1")
    return epochs[rows], rows


@figure_builder
def confidence_curves_figure(curve: dict, *, epoch: int, height: int = 520) -> Draft:
    """Test accuracy and mean confidence per epoch (top), and the T fitted on validation (bottom).

    Parameters
    ----------
    curve : dict
        :attr:`core.calibration.CalibrationRun.curve`.
    epoch : int
        The epoch on screen, marked with a dotted line.
    height : int, default 520

    Returns
    -------
    go.Figure
        Traces ``"test accuracy"``, ``"mean confidence"`` (row 1, in %), ``"fitted T"`` (row 2), the
        ``"T = 1"`` reference line and the chosen epoch's dotted line in each row (traces, so that a drag
        of the epochs moves it); log epoch axis from epoch 1.

    Examples
    --------
    >>> curve = {"epoch": [0, 1, 2], "accuracy": [0.1, 0.5, 0.8], "confidence": [0.1, 0.6, 0.9],
    ...          "temperature": [1.0, 1.2, 1.5]}
    >>> fig = confidence_curves_figure(curve, epoch=2)
    >>> [t.name for t in fig.data][:4], [float(v) for v in fig.data[2].y]
    (['test accuracy', 'mean confidence', 'fitted T', 'T = 1'], [1.2, 1.5])
    """
    epochs, rows = _after_zero(curve)
    fig = Draft(rows=2, cols=1, shared_xaxes=True, row_heights=[0.62, 0.38], vertical_spacing=0.08)
    for key, name, color, dash, symbol in (
        ("accuracy", "test accuracy", ACCURACY_COLOR, "solid", "circle"),
        ("confidence", "mean confidence", OVER_COLOR, "dash", "diamond"),
    ):
        fig.add_trace(
            scatter(
                x=epochs,
                y=np.asarray(curve[key])[rows],
                mode="lines+markers",
                name=name,
                line={"color": color, "width": LINE_WIDTH, "dash": dash},
                marker={"symbol": symbol, "size": 7, "color": color},
                hovertemplate=f"epoch %{{x}}<br>{name} %{{y:.1%}}<extra></extra>",
            ),
            row=1,
            col=1,
        )
    fig.add_trace(
        scatter(
            x=epochs,
            y=np.asarray(curve["temperature"])[rows],
            mode="lines+markers",
            name="fitted T",
            line={"color": COLORS["green"], "width": LINE_WIDTH},
            marker={"symbol": "square", "size": 7, "color": COLORS["green"]},
            hovertemplate="epoch %{x}<br>T fitted on validation = %{y:.3f}<extra></extra>",
        ),
        row=2,
        col=1,
    )
    fig.add_trace(
        scatter(
            x=[epochs[0], epochs[-1]],
            y=[1.0, 1.0],
            mode="lines",
            name="T = 1",
            line={"color": NEUTRAL, "dash": "dot", "width": 2},
            hoverinfo="skip",
        ),
        row=2,
        col=1,
    )
    styled(fig, title="Sure against right, epoch by epoch", height=height)
    move_legend_below(fig, entries=4, per_row=2, y=-0.16)
    _epoch_axis(fig, epochs)
    fig.update_xaxes(row=2, col=1, title={"text": "epoch (log scale)"})
    fig.update_yaxes(row=1, col=1, tickformat=".0%", title={"text": "test digits"})
    temps = np.asarray(curve["temperature"])[rows]
    ticks = [t for t in (0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 20) if temps.min() / 2 <= t <= temps.max() * 2]
    fig.update_yaxes(
        row=2, col=1, type="log", title={"text": "T"}, tickvals=ticks, ticktext=[f"{t:g}" for t in ticks]
    )
    vline_traces(fig, epoch, name="chosen epoch", axes=(("x", "y", "y3"), ("x2", "y2", "y4")))
    return fig


@figure_builder
def nll_epochs_figure(
    curve: dict, *, epoch: int, unit_scale: float = 1.0, unit: str = "nats", height: int = 520
) -> Draft:
    """Test NLL per epoch, as trained and after temperature scaling, with the training loss for contrast.

    Parameters
    ----------
    curve : dict
        :attr:`core.calibration.CalibrationRun.curve`.
    epoch : int
        The epoch on screen, marked with a dotted line.
    unit_scale : float, default 1.0
        Factor from nats to the unit shown (1/ln 2 for bits).
    unit : str, default "nats"
    height : int, default 520

    Returns
    -------
    go.Figure
        Traces ``"test NLL, as trained"``, ``"test NLL, temperature-scaled"``, ``"training loss"`` and
        the chosen epoch's dotted line.

    Examples
    --------
    >>> curve = {"epoch": [0, 1, 2], "nll": [2.3, 0.5, 0.6], "nll_scaled": [2.3, 0.5, 0.4],
    ...          "train_loss": [2.3, 0.4, 0.1]}
    >>> [t.name for t in nll_epochs_figure(curve, epoch=1).data]
    ['test NLL, as trained', 'test NLL, temperature-scaled', 'training loss', 'chosen epoch']
    """
    epochs, rows = _after_zero(curve)
    fig = Draft()
    for key, name, color, dash, symbol in (
        ("nll", "test NLL, as trained", OVER_COLOR, "solid", "diamond"),
        ("nll_scaled", "test NLL, temperature-scaled", COLORS["green"], "dash", "square"),
        ("train_loss", "training loss", NEUTRAL, "dot", "circle"),
    ):
        fig.add_trace(
            scatter(
                x=epochs,
                y=np.asarray(curve[key])[rows] * unit_scale,
                mode="lines+markers",
                name=name,
                line={"color": color, "width": LINE_WIDTH, "dash": dash},
                marker={"symbol": symbol, "size": 7, "color": color},
                hovertemplate=f"epoch %{{x}}<br>{name} %{{y:.4f}} {unit}<extra></extra>",
            )
        )
    styled(
        fig,
        title="Loss on the test digits, epoch by epoch",
        y_title=f"loss ({unit}, log scale)",
        height=height,
    )
    move_legend_below(fig, entries=3, per_row=1)
    _epoch_axis(fig, epochs)
    fig.update_xaxes(title={"text": "epoch (log scale)"})
    fig.update_yaxes(type="log", dtick=1)
    vline_traces(fig, epoch, name="chosen epoch", axes=(("x", "y", "y2"),))
    return fig


@figure_builder
def temperature_curve_figure(
    grid,
    validation_nll,
    test_nll,
    *,
    fitted: float,
    grid_best: float,
    unit_scale: float = 1.0,
    unit: str = "nats",
    height: int = 440,
) -> Draft:
    """The NLL against the temperature T on the validation and the test digits, with T* marked.

    Parameters
    ----------
    grid : array_like ``(m,)``
        Temperatures > 0 (drawn on a log axis).
    validation_nll, test_nll : array_like ``(m,)``
        NLL (nats) at each temperature.
    fitted : float
        T* from Newton's method (a dotted line).
    grid_best : float
        The grid's minimum on the validation curve (a marker).
    unit_scale, unit
        As in :func:`nll_epochs_figure`.
    height : int, default 440

    Returns
    -------
    go.Figure
        Traces ``"validation digits"``, ``"test digits"``, ``"grid minimum"``.

    Examples
    --------
    >>> fig = temperature_curve_figure([0.5, 1.0, 2.0], [0.6, 0.4, 0.5], [0.7, 0.5, 0.5], fitted=1.1,
    ...                                grid_best=1.0)
    >>> [t.name for t in fig.data]
    ['validation digits', 'test digits', 'grid minimum']
    """
    grid = np.asarray(grid, dtype=np.float64)
    if grid.ndim != 1 or grid.size < 2 or (grid <= 0).any():
        raise ValueError("grid must be a 1-D array of at least 2 temperatures > 0")
    fig = Draft()
    for values, name, color, dash in (
        (validation_nll, "validation digits", ACCURACY_COLOR, "solid"),
        (test_nll, "test digits", OVER_COLOR, "dash"),
    ):
        fig.add_trace(
            scatter(
                x=grid,
                y=np.asarray(values, dtype=np.float64) * unit_scale,
                mode="lines",
                name=name,
                line={"color": color, "width": LINE_WIDTH, "dash": dash},
                hovertemplate=f"T = %{{x:.3f}}<br>NLL on the {name} %{{y:.4f}} {unit}<extra></extra>",
            )
        )
    best = int(np.argmin(np.abs(grid - grid_best)))
    fig.add_trace(
        scatter(
            x=[grid[best]],
            y=[float(np.asarray(validation_nll)[best]) * unit_scale],
            mode="markers",
            name="grid minimum",
            marker={"symbol": "x", "size": 14, "color": COLORS["black"]},
            hovertemplate="smallest NLL on the grid at T = %{x:.4f}<extra></extra>",
        )
    )
    styled(
        fig,
        title="NLL against the temperature",
        x_title="temperature T (log scale)",
        y_title=f"NLL ({unit})",
        height=height,
    )
    ticks = [t for t in (0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20) if grid[0] <= t <= grid[-1]]
    fig.update_xaxes(type="log", tickvals=ticks, ticktext=[f"{t:g}" for t in ticks])
    move_legend_below(fig, entries=3, per_row=2)
    low = float(min(np.min(validation_nll), np.min(test_nll))) * unit_scale
    fig.update_yaxes(range=[0.0, max(low * 4.0, low + 0.5 * unit_scale)])
    marked_vline(fig, fitted, f"T* = {fitted:.3f}", log=True)
    marked_vline(fig, 1.0, "T = 1", log=True)
    return fig
