"""Figures of the Train a network page: live views of training.

Loss and accuracy per epoch for one or two runs (the race), the decision regions of a 2-input network
with the points on top, each layer's gradient norm per epoch (log scale), and for the digits a
confusion matrix and misclassified 8×8 images.  Runs differ by colour AND marker symbol; train and
test differ by line dash (solid / dotted) and filled / open markers.

Built to move while training plays.  The page draws each chart once and then, about five times a second,
sends only what changed (:func:`live_frame`: the traces' x and y, the decision regions' image and the axis
ranges), which the browser applies without redrawing the chart (``ui.live_charts``).  So:

- a chart keeps the same traces at every epoch (a run's "reached the target" marker is there, empty,
  before it is reached; markers are thinned with ``maxdisplayed`` rather than switched off);
- the axes have explicit ranges that move in steps (the epoch axis ends at 10, 20, 50, 100, 200, 500;
  the loss axis at a 1-2-2.5-5 number above the largest loss; the gradient-norm axis at whole decades),
  so an epoch usually changes only the traces;
- the decision regions are shaded by an image (a PNG of the grid, in the colours a heatmap of it would
  have), which the browser swaps in a few milliseconds, where a heatmap's redraw costs tens.
"""

from __future__ import annotations

import base64
import math
import struct
import zlib

import numpy as np

from core.figures.engine import Draft, figure_builder, heatmap, scatter
from core.figures.style import CLASS_SYMBOLS, COLORS, LINE_WIDTH, NEUTRAL, styled
from core.formatting import percent

_TRAIN_RUN_STYLE = [(COLORS["blue"], "circle"), (COLORS["vermillion"], "diamond")]
_TRAIN_CLASS_COLORS = [COLORS["blue"], COLORS["orange"], COLORS["green"]]
#: Where the epoch axis ends: the first of these at or above the last epoch drawn.
EPOCH_AXIS_ENDS = (10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
#: Curve markers drawn per trace at most (Plotly thins them); every epoch's marker up to this many epochs.
MARKERS_SHOWN = 12
#: Layout values that change as training goes on, per figure (what :func:`live_frame` sends).
CURVES_LIVE_LAYOUT = ("xaxis.range", "xaxis.dtick", "yaxis.range")
NORMS_LIVE_LAYOUT = ("xaxis.range", "xaxis.dtick", "yaxis.range", "yaxis.dtick")
REGIONS_LIVE_LAYOUT = ("images[0].source",)
_SHADING_UPSCALE = 4  # image pixels per grid cell and axis: the browser's smoothing stays inside a cell
_TRAIN_LAYER_STYLE = [
    (COLORS["blue"], "circle"),
    (COLORS["orange"], "square"),
    (COLORS["green"], "diamond"),
    (COLORS["vermillion"], "triangle-up"),
    (COLORS["purple"], "x"),
]


def _tint(hex_color: str, amount: float) -> str:
    """``hex_color`` mixed with white: amount 0 is white, 1 the colour itself."""
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(255 - amount * (255 - c)) for c in (r, g, b)]
    return f"rgb({mix[0]},{mix[1]},{mix[2]})"


def _train_legend_below(fig: Draft, entries: int, per_row: int = 2) -> None:
    """Move the legend under the plot, ``per_row`` entries to a row whatever the width, with room for it."""
    rows = max(1, -(-entries // per_row))
    fig.update_layout(
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 0.01,
            "yanchor": "bottom",
            "x": 0,
            "xanchor": "left",
            "entrywidth": 1.0 / per_row,
            "entrywidthmode": "fraction",
            "font": {"size": 14},
        },
        margin={"b": 70 + 24 * rows},
        height=fig.layout["height"] + 24 * rows,
    )


def epoch_axis_end(last_epoch: int) -> int:
    """Where the epoch axis ends for a chart whose last epoch is ``last_epoch``: 10, 20, 50, 100, ...

    >>> epoch_axis_end(0), epoch_axis_end(10), epoch_axis_end(11), epoch_axis_end(499)
    (10, 10, 20, 500)
    """
    return next((end for end in EPOCH_AXIS_ENDS if end >= last_epoch), EPOCH_AXIS_ENDS[-1])


def _epoch_ticks(fig: Draft, last_epoch: int) -> None:
    """The epoch axis from 0 to :func:`epoch_axis_end`, with whole-number ticks (at most about 10)."""
    end = epoch_axis_end(last_epoch)
    step = next((s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500) if end / s <= 10), 1000)
    fig.update_xaxes(range=[0, end], tick0=0, dtick=step)


def _nice_top(value: float) -> float:
    """The first of 1, 2, 2.5, 5 times a power of ten at or above ``value`` (> 0).

    >>> _nice_top(0.98), _nice_top(1.1), _nice_top(2.4), _nice_top(0.031)
    (1.0, 2.0, 2.5, 0.05)
    """
    power = 10.0 ** math.floor(math.log10(value))
    return next(round(m * power, 12) for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= value * (1 - 1e-12))


def _run_series(run: dict, key: str) -> tuple[list[int], list[float]] | None:
    """Epochs 0, 1, ... and the values of ``key`` (epoch 0 from ``run["initial"]``); None if absent."""
    history = run["history"]
    if key not in history:
        return None
    epochs = [0, *history["epoch"]]
    values = [run["initial"][key], *history[key]]
    return epochs, values


@figure_builder
def training_curves_figure(
    runs: list[dict],
    *,
    metric: str,
    title: str,
    y_title: str,
    scale: list[float] | None = None,
    target: float | None = None,
    reached: list[int | None] | None = None,
    height: int = 400,
) -> Draft:
    """Loss or accuracy per epoch of one or more training runs, train solid and test dotted.

    Parameters
    ----------
    runs : list of dict
        Each ``{"label": str, "history": dict, "initial": dict}``: the history and initial values of a
        :class:`core.train.Trainer` (lists ``"epoch"``, ``metric``, and ``"test_" + metric`` if there
        is a test set). Epoch 0 is drawn from ``initial``.
    metric : {"loss", "accuracy"}
    title, y_title : str
    scale : list of float, optional
        A factor per run for the values (e.g. 1/ln 2 to show a loss in bits); default 1.
    target : float, optional
        An accuracy to reach, drawn as a dashed horizontal line.
    reached : list of (int or None), optional
        Per run, the epoch at which it reached ``target`` (None: not reached); drawn as a marker on
        the target line with a dotted drop line to the epoch axis (the hover text names run and epoch).
    height : int, default 400

    Returns
    -------
    go.Figure
        Per run, a training trace named by the run's label and (if present) a test trace named
        ``"label · test"``, in run order; the legend lists each run once (both traces in its group).
        Then, with a target, the target line and one "reaches" trace per run (empty until it reached
        it: the traces are the same at every epoch).  Accuracy is shown in percent (0–100 %) on a fixed
        axis; the loss axis runs from 0 to a 1-2-2.5-5 number at or above the largest value drawn; the
        epoch axis to :func:`epoch_axis_end`.

    Examples
    --------
    >>> history = {"epoch": [1, 2], "accuracy": [0.5, 0.8]}
    >>> run = {"label": "CE", "history": history, "initial": {"accuracy": 0.3}}
    >>> fig = training_curves_figure([run], metric="accuracy", title="t", y_title="accuracy")
    >>> fig.data[0].name, list(fig.data[0].x), list(fig.data[0].y)
    ('CE', [0, 1, 2], [0.3, 0.5, 0.8])
    """
    if metric not in ("loss", "accuracy"):
        raise ValueError(f"metric must be 'loss' or 'accuracy'; got {metric!r}")
    scales = [1.0] * len(runs) if scale is None else list(scale)
    if len(scales) != len(runs):
        raise ValueError(f"scale must have one factor per run ({len(runs)}); got {len(scales)}")
    fig = Draft()
    value_format = ".1%" if metric == "accuracy" else ".4f"
    for i, (run, factor) in enumerate(zip(runs, scales, strict=True)):
        color, symbol = _TRAIN_RUN_STYLE[i % len(_TRAIN_RUN_STYLE)]
        for part, key, dash, open_marker in (
            ("train", metric, "solid", False),
            ("test", f"test_{metric}", "dot", True),
        ):
            series = _run_series(run, key)
            if series is None:
                continue
            epochs, values = series
            fig.add_trace(
                scatter(
                    x=epochs,
                    y=[v * factor for v in values],
                    mode="lines+markers",
                    name=run["label"] if part == "train" else f"{run['label']} · {part}",
                    legendgroup=run["label"],
                    showlegend=part == "train",
                    line={"color": color, "width": LINE_WIDTH, "dash": dash},
                    marker={
                        "symbol": f"{symbol}-open" if open_marker else symbol,
                        "size": 8,
                        "color": color,
                        "line": {"width": 2, "color": color},
                        "maxdisplayed": MARKERS_SHOWN,
                    },
                    hovertemplate=(
                        f"{run['label']} · {part}<br>epoch %{{x}}<br>{y_title}: "
                        f"%{{y:{value_format}}}<extra></extra>"
                    ),
                )
            )
    if target is not None:
        fig.add_hline(
            y=target,
            line={"color": NEUTRAL, "width": 2, "dash": "dash"},
            annotation_text=f"target {percent(target, 0)}",
            annotation_position="top left",
        )
        reached = list(reached or [])
        reached += [None] * (len(runs) - len(reached))
        for i, (run, epoch) in enumerate(zip(runs, reached, strict=True)):
            color, symbol = _TRAIN_RUN_STYLE[i % len(_TRAIN_RUN_STYLE)]
            # A dotted drop line from the target down to the epoch on the axis, and a big marker on top
            # (no points until the run reaches the target).
            fig.add_trace(
                scatter(
                    x=[] if epoch is None else [epoch, epoch],
                    y=[] if epoch is None else [0, target],
                    mode="lines+markers",
                    name=f"{run['label']} reaches {percent(target, 0)}",
                    line={"color": color, "width": 2, "dash": "dot"},
                    marker={
                        "symbol": symbol,
                        "size": [0, 16],
                        "color": color,
                        "line": {"width": 2, "color": "white"},
                    },
                    legendgroup=run["label"],
                    showlegend=False,
                    hovertemplate=(
                        f"{run['label']} reached {percent(target, 0)} at epoch %{{x}}<extra></extra>"
                    ),
                )
            )
    styled(fig, title=title, x_title="epoch", y_title=y_title, height=height)
    _train_legend_below(fig, sum(1 for trace in fig.data if trace.get("showlegend") is not False))
    _epoch_ticks(fig, max((len(run["history"].get("epoch", [])) for run in runs), default=0))
    if metric == "accuracy":
        fig.update_yaxes(range=[0, 1.04], tickformat=".0%")
    else:
        drawn = [v for trace in fig.data if trace.get("legendgroup") for v in trace["y"] if math.isfinite(v)]
        top = max(drawn, default=0.0)
        fig.update_yaxes(range=[0, _nice_top(top) if top > 0 else 1.0])
    return fig


def _band_colorscale(n_classes: int) -> list[list]:
    """A band of tints per class, pale (unsure) to strong (sure), over z = 100 · class + 0 … 99."""
    colorscale = []
    for k in range(n_classes):
        color = _TRAIN_CLASS_COLORS[k % len(_TRAIN_CLASS_COLORS)]
        colorscale += [[k / n_classes, _tint(color, 0.06)], [(k + 0.99) / n_classes, _tint(color, 0.5)]]
    colorscale[-1][0] = 1.0
    return colorscale


def _band_codes(classes: np.ndarray, confidence: np.ndarray, n_classes: int) -> np.ndarray:
    """z = 100 · class + s, s = 0 … 99 the confidence rescaled from [1/C, 1] (uint16)."""
    # The confidence runs from 1/C (a coin toss between all classes) to 1; rescale it to 0 … 99 in the band.
    sure = np.clip((confidence - 1.0 / n_classes) / (1.0 - 1.0 / n_classes), 0.0, 1.0)
    return (100 * classes + np.rint(99 * sure)).astype(np.uint16)


def _png(rgb: np.ndarray) -> bytes:
    """An RGB image ``(h, w, 3)`` uint8 as PNG bytes (8-bit truecolour, no filter)."""
    height, width, _ = rgb.shape

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return (
            struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))
        )

    rows = np.concatenate([np.zeros((height, 1), np.uint8), rgb.reshape(height, 3 * width)], axis=1)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows.tobytes(), 6))
        + chunk(b"IEND", b"")
    )


def regions_image(classes, confidence, n_classes: int) -> str:
    """The decision regions' shading as a PNG data URI: each cell in the colour of its class and confidence.

    Exactly the colours a heatmap of z = 100 · class + s with :func:`_band_colorscale` gets from Plotly
    (the colour scale interpolated linearly in RGB), one cell as a square of pixels, the first grid row
    (the lowest y) at the bottom.

    Parameters
    ----------
    classes : array_like of int ``(r, r)``
    confidence : array_like ``(r, r)``, in [1/C, 1]
    n_classes : int >= 2

    Examples
    --------
    >>> uri = regions_image([[0, 1], [1, 1]], [[0.9, 0.6], [0.7, 1.0]], 2)
    >>> uri.startswith("data:image/png;base64,iVBORw0KGgo")
    True
    """
    codes = _band_codes(np.asarray(classes), np.asarray(confidence, dtype=np.float64), n_classes)
    stops = _band_colorscale(n_classes)
    positions = [position for position, _ in stops]
    channels = np.array([[int(c) for c in color[4:-1].split(",")] for _, color in stops], dtype=np.float64)
    t = codes[::-1] / (100.0 * n_classes)  # image rows run top down
    rgb = np.stack([np.interp(t, positions, channels[:, c]) for c in range(3)], axis=-1)
    cells = np.rint(rgb).astype(np.uint8)
    pixels = np.repeat(np.repeat(cells, _SHADING_UPSCALE, axis=0), _SHADING_UPSCALE, axis=1)
    return "data:image/png;base64," + base64.b64encode(_png(pixels)).decode("ascii")


@figure_builder
def decision_regions_figure(
    grid: dict,
    X,
    y,
    *,
    class_names: list[str],
    title: str,
    X_test=None,
    y_test=None,
    height: int = 500,
    hover: bool = True,
) -> Draft:
    """The class a 2-input network predicts everywhere (shaded by its confidence), with the points on top.

    Parameters
    ----------
    grid : dict
        From :func:`core.train.decision_grid`: ``"x"`` ``(r,)``, ``"y"`` ``(r,)``, ``"classes"`` ``(r, r)``
        and ``"confidence"`` ``(r, r)``.
    X : array_like ``(n, 2)``, y : array_like of int ``(n,)``
        Training points, drawn filled, one marker symbol and colour per class.
    class_names : list of str
        One name per class (at least 2; classes beyond 3 reuse the colours, with other symbols).
    title : str
    X_test, y_test : array_like, optional
        Test points, drawn as open markers of the same symbols.
    height : int, default 500
        Pixels, before the room for the legend below the plot.
    hover : bool, default True
        Add the grid as a transparent heatmap: its hover text names the predicted class and probability
        of each cell, and the chart's CSV holds it.  Off while training plays (it would not follow).

    Returns
    -------
    go.Figure
        The shading is a layout image (:func:`regions_image`): each class has its own band of tints, pale
        where the network is unsure and strong where it is sure.  With ``hover``, the first trace is a
        transparent heatmap of z = ``100 · class + s`` (uint16), s = 0 … 99 the confidence rescaled from
        [1/C, 1], whose customdata (uint8) holds the predicted class and the softmax probability in
        percent.  Then one scatter trace per class for the training points and one per class for the
        test points (in the class's legend group, not listed separately).

    Examples
    --------
    >>> grid = {"x": np.array([0.0, 1.0]), "y": np.array([0.0, 1.0]),
    ...         "classes": np.array([[0, 1], [1, 1]]), "confidence": np.array([[0.9, 0.6], [0.7, 1.0]])}
    >>> fig = decision_regions_figure(grid, [[0.2, 0.3]], [0], class_names=["class 0", "class 1"], title="t")
    >>> [trace.type for trace in fig.data], fig.data[1].name
    (['heatmap', 'scatter'], 'class 0')
    >>> fig.data[0].z.tolist()
    [[79, 120], [140, 199]]
    """
    n_classes = len(class_names)
    if n_classes < 2:
        raise ValueError(f"class_names must name at least 2 classes; got {class_names!r}")
    classes = np.asarray(grid["classes"])
    confidence = np.asarray(grid["confidence"], dtype=np.float64)
    xs, ys = np.asarray(grid["x"], dtype=np.float64), np.asarray(grid["y"], dtype=np.float64)
    fig = Draft()
    if hover:
        custom = np.stack([classes, np.rint(100 * confidence)], axis=-1).astype(np.uint8)
        fig.add_trace(
            heatmap(
                x=xs.astype(np.float32),
                y=ys.astype(np.float32),
                z=_band_codes(classes, confidence, n_classes),
                zmin=0,
                zmax=100 * n_classes,
                colorscale=_band_colorscale(n_classes),
                opacity=0,  # the image below shows the same colours; this trace only answers the mouse
                showscale=False,
                customdata=custom,
                hovertemplate=(
                    "x₁ = %{x:.2f}, x₂ = %{y:.2f}<br>predicted: class %{customdata[0]}"
                    "<br>p = %{customdata[1]} %<extra>network</extra>"
                ),
            )
        )
    # Each cell is centred on its grid point, as a heatmap's: the image reaches half a cell beyond them.
    dx = (xs[-1] - xs[0]) / (len(xs) - 1)
    dy = (ys[-1] - ys[0]) / (len(ys) - 1)
    fig.update_layout(
        images=[
            {
                "source": regions_image(classes, confidence, n_classes),
                "xref": "x",
                "yref": "y",
                "x": float(xs[0] - dx / 2),
                "y": float(ys[-1] + dy / 2),
                "sizex": float(len(xs) * dx),
                "sizey": float(len(ys) * dy),
                "sizing": "stretch",
                "layer": "below",
            }
        ]
    )
    sets = [("train", X, y, False)]
    if X_test is not None and y_test is not None and len(y_test):
        sets.append(("test", X_test, y_test, True))
    for part, points, labels, open_marker in sets:
        points = np.asarray(points, dtype=np.float64)
        labels = np.asarray(labels)
        for k, name in enumerate(class_names):
            mask = labels == k
            if not mask.any():
                continue
            color = _TRAIN_CLASS_COLORS[k % len(_TRAIN_CLASS_COLORS)]
            symbol = CLASS_SYMBOLS[k % len(CLASS_SYMBOLS)]
            marker = {
                "symbol": f"{symbol}-open" if open_marker else symbol,
                "size": 9,
                "color": color,
                "line": {"width": 2 if open_marker else 1, "color": color if open_marker else "white"},
            }
            fig.add_trace(
                scatter(
                    x=points[mask, 0].astype(np.float32),
                    y=points[mask, 1].astype(np.float32),
                    mode="markers",
                    name=name if part == "train" else f"{name} · {part}",
                    legendgroup=name,
                    showlegend=not open_marker,
                    marker=marker,
                    hovertemplate=f"{name} ({part})<br>x₁ = %{{x:.2f}}, x₂ = %{{y:.2f}}<extra></extra>",
                )
            )
    heading = f"{title}<br><sup>filled: training points · open: test points</sup>" if len(sets) > 1 else title
    styled(fig, title=heading, x_title="x₁ (standardised)", y_title="x₂ (standardised)", height=height)
    fig.update_xaxes(constrain="domain")  # keep the aspect by shrinking the plot, not by padding the range
    # The legend (one entry per class; a click hides its training and test points) goes below the plot.
    _train_legend_below(fig, n_classes, per_row=min(n_classes, 3))
    fig.update_layout(margin={"t": 80}, uirevision=title)
    fig.update_xaxes(range=[float(xs[0]), float(xs[-1])], showgrid=False, zeroline=False)
    fig.update_yaxes(
        range=[float(ys[0]), float(ys[-1])],
        showgrid=False,
        zeroline=False,
        scaleanchor="x",
        scaleratio=1,
        constrain="domain",
    )
    return fig


def _finite_max(run: dict) -> float:
    """The largest gradient norm of a run (0 if it has none)."""
    values = [v for norms in run["history"]["grad_norm"].values() for v in norms]
    return max(values, default=0.0)


@figure_builder
def gradient_norms_figure(runs: list[dict], *, title: str, height: int = 400) -> Draft:
    """The mean gradient norm ‖∂L/∂W_l‖ of every weight matrix per epoch, on a log scale.

    Parameters
    ----------
    runs : list of dict
        Each ``{"label": str, "history": dict}`` with ``history["epoch"]`` and ``history["grad_norm"]``
        ``{"W1": [...], ...}``. Layers differ by colour and marker symbol; a second run is dashed.
    title : str
    height : int, default 400

    Returns
    -------
    go.Figure
        One trace per run and layer, named ``"W1 (input)"``, ..., ``"WL (output)"``; the legend lists the
        layers once (a click hides the layer in every run) and, with several runs, the subtitle says
        which run is solid and which dashed. A norm of exactly 0 (a dead layer) has no place on a log
        scale: it leaves a gap in its line.  The log axis spans whole decades around the norms drawn.

    Examples
    --------
    >>> run = {"label": "CE", "history": {"epoch": [1, 2], "grad_norm": {"W1": [0.5, 0.2], "W2": [1.0, 0.4]}}}
    >>> [trace.name for trace in gradient_norms_figure([run], title="t").data]
    ['W1 (input)', 'W2 (output)']
    """
    fig = Draft()
    smallest = []
    for i, run in enumerate(runs):
        history = run["history"]
        norms = history["grad_norm"]
        keys = list(norms)
        for j, key in enumerate(keys):
            color, symbol = _TRAIN_LAYER_STYLE[j % len(_TRAIN_LAYER_STYLE)]
            role = " (input)" if j == 0 else " (output)" if j == len(keys) - 1 else ""
            name = f"{key}{role}"
            values = np.asarray(norms[key], dtype=np.float64)
            positive = values[values > 0]
            if positive.size:
                smallest.append(float(positive.min()))
            fig.add_trace(
                scatter(
                    x=list(history["epoch"]),
                    y=np.where(values > 0, values, np.nan),
                    mode="lines+markers",
                    name=name,
                    legendgroup=key,
                    showlegend=i == 0,
                    line={"color": color, "width": LINE_WIDTH, "dash": "solid" if i == 0 else "dash"},
                    marker={"symbol": symbol, "size": 8, "color": color, "maxdisplayed": MARKERS_SHOWN},
                    hovertemplate=(
                        f"{name} · {run['label']}<br>epoch %{{x}}<br>‖∇{key}‖ = %{{y:.3g}}<extra></extra>"
                    ),
                )
            )
    if len(runs) > 1:
        title += (
            "<br><sup>"
            + " · ".join(
                f"{'solid' if i == 0 else 'dashed'}: {run['label']}" for i, run in enumerate(runs[:2])
            )
            + "</sup>"
        )
    styled(fig, title=title, x_title="epoch", y_title="mean ‖∂L/∂W‖ per batch (log scale)", height=height)
    _train_legend_below(fig, sum(1 for trace in fig.data if trace.get("showlegend") is not False), per_row=3)
    # Whole decades around the norms drawn; label only the powers of ten when the axis spans more than two
    # decades (the minor labels crowd).
    largest = max((_finite_max(run) for run in runs), default=0.0)
    low = math.floor(math.log10(min(smallest))) if smallest else -1
    high = max(math.ceil(math.log10(largest)) if largest > 0 else 0, low + 1)
    fig.update_yaxes(
        type="log", exponentformat="power", range=[low, high], dtick=1 if high - low > 1 else "D2"
    )
    _epoch_ticks(fig, max((len(run["history"]["epoch"]) for run in runs), default=0))
    return fig


@figure_builder
def confusion_matrix_figure(cm, class_names: list[str], *, title: str, height: int = 460) -> Draft:
    """A confusion matrix as an annotated heatmap: row = true class, column = predicted class.

    Parameters
    ----------
    cm : array_like of int ``(C, C)``
        Counts, from :func:`core.train.confusion_matrix`.
    class_names : list of str
        C tick labels.
    title : str
    height : int, default 460

    Returns
    -------
    go.Figure
        One heatmap with every count written in its cell (empty cells left blank) and the row share in
        the hover text; the correct predictions lie on the diagonal.

    Examples
    --------
    >>> fig = confusion_matrix_figure([[3, 1], [0, 4]], ["0", "1"], title="t")
    >>> fig.data[0].text.tolist()
    [['3', '1'], ['', '4']]
    """
    counts = np.asarray(cm)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1] or counts.shape[0] != len(class_names):
        raise ValueError(
            f"cm must be (C, C) with C = len(class_names) = {len(class_names)}; got {counts.shape}"
        )
    totals = counts.sum(axis=1, keepdims=True)
    share = np.divide(counts, totals, out=np.zeros(counts.shape), where=totals > 0)
    text = np.where(counts > 0, counts.astype(str), "")
    fig = Draft().add_trace(
        heatmap(
            z=counts,
            x=list(class_names),
            y=list(class_names),
            text=text,
            texttemplate="%{text}",
            textfont={"size": 14},
            customdata=share,
            colorscale=[[0.0, "#FFFFFF"], [1.0, COLORS["blue"]]],
            zmin=0,
            showscale=False,
            xgap=1,
            ygap=1,
            hovertemplate=(
                "true %{y}, predicted %{x}<br>%{z} examples (%{customdata:.0%} of true %{y})<extra></extra>"
            ),
        )
    )
    styled(fig, title=title, x_title="predicted class", y_title="true class", height=height, legend=False)
    fig.update_xaxes(type="category", showgrid=False, zeroline=False, side="bottom")
    fig.update_yaxes(type="category", autorange="reversed", showgrid=False, zeroline=False, scaleanchor="x")
    return fig


@figure_builder
def digit_images_figure(
    images, captions: list[str], *, title: str, columns: int = 4, slots: int | None = None
) -> Draft:
    """Small 8×8 grey-scale images tiled in a grid, each captioned (e.g. "true 3 → 8"), as one heatmap.

    Parameters
    ----------
    images : array_like ``(k, 64)``, pixels in [0, 1]
        Row-major 8×8 images (``core.data.load_digits``); k >= 1, or k >= 0 with ``slots``.
    captions : list of str, k of them
    title : str
    columns : int, default 4
        Images per row.
    slots : int, optional
        Always lay out this many tiles (k <= slots), the ones after the k-th empty and uncaptioned: the
        figure keeps its shape, and its traces and annotations, however many images there are.

    Returns
    -------
    go.Figure
        One heatmap of the tiles (ink dark on white, as on paper; the gaps between tiles are empty),
        and one caption annotation above each tile.

    Examples
    --------
    >>> fig = digit_images_figure(np.ones((2, 64)), ["a", "b"], title="t")
    >>> len(fig.data), fig.data[0].z.shape, [a.text for a in fig.layout.annotations]
    (1, (8, 17), ['a', 'b'])
    """
    pixels = np.asarray(images, dtype=np.float64).reshape(-1, 64) if slots else np.asarray(images, np.float64)
    if pixels.ndim != 2 or pixels.shape[1] != 64 or (pixels.shape[0] == 0 and not slots):
        raise ValueError(f"images must be (k, 64) with k >= 1; got shape {pixels.shape}")
    if len(captions) != pixels.shape[0]:
        raise ValueError(f"captions must have one entry per image ({pixels.shape[0]}); got {len(captions)}")
    if slots is not None:
        if pixels.shape[0] > slots:
            raise ValueError(f"images must be at most slots = {slots}; got {pixels.shape[0]}")
        captions = [*captions, *[""] * (slots - pixels.shape[0])]
        pixels = np.concatenate([pixels, np.full((slots - pixels.shape[0], 64), np.nan)])
    k = pixels.shape[0]
    cols = max(1, min(int(columns), k))
    rows = -(-k // cols)
    gap_x, gap_y = 1, 3  # empty columns between tiles; empty rows above each row of tiles (the captions)
    canvas = np.full((rows * (8 + gap_y) - gap_y, cols * (8 + gap_x) - gap_x), np.nan)
    annotations = []
    for i in range(k):
        top, left = (i // cols) * (8 + gap_y), (i % cols) * (8 + gap_x)
        canvas[top : top + 8, left : left + 8] = pixels[i].reshape(8, 8)
        annotations.append(
            {
                "x": left + 3.5,
                "y": top - 0.6,
                "xref": "x",
                "yref": "y",
                "text": captions[i],
                "showarrow": False,
                "yanchor": "bottom",
                "font": {"size": 14},
            }
        )
    fig = Draft().add_trace(
        heatmap(
            z=canvas,
            colorscale=[[0.0, "#FFFFFF"], [1.0, "#000000"]],
            zmin=0,
            zmax=1,
            showscale=False,
            hovertemplate="ink %{z:.2f}<extra></extra>",
        )
    )
    styled(fig, title=title, height=110 + 150 * rows, legend=False)
    fig.update_layout(annotations=annotations, margin={"l": 10, "r": 10, "t": 90, "b": 10})
    fig.update_xaxes(visible=False, showgrid=False, zeroline=False, constrain="domain")
    fig.update_yaxes(
        visible=False, showgrid=False, zeroline=False, range=[canvas.shape[0] - 0.5, -3.2], scaleanchor="x"
    )
    return fig


def _json_values(values) -> list:
    """Plain JSON numbers: numpy arrays as lists, NaN as None (a gap, as Plotly draws NaN)."""
    return [None if isinstance(v, float) and math.isnan(v) else v for v in np.asarray(values).tolist()]


def _layout_value(layout: dict, path: str):
    node = layout
    for part in path.split("."):
        name, _, index = part.partition("[")
        node = node[name]
        if index:
            node = node[int(index[:-1])]
    return node


def _json_nested(values):
    """A (nested) array as plain JSON lists, NaN as None."""
    arr = np.asarray(values)
    if arr.dtype.kind == "f":
        return np.where(np.isnan(arr), None, arr.astype(object)).tolist()
    return arr.tolist()


def live_frame(
    fig: Draft, *, traces: bool = True, restyle: tuple[str, ...] = (), layout: tuple[str, ...] = ()
) -> dict:
    """What moves a chart on screen to ``fig`` without redrawing it: its traces' data and some layout values.

    The page draws a chart with a builder, then, while training plays, builds the same chart at each new
    epoch and sends only this (``ui.live_charts`` applies it in the browser).  The browser computes
    nothing: every number here is the builder's.

    Parameters
    ----------
    fig : Draft
        A builder's draft (``training_curves_figure.draft(...)``), with the same traces as the chart on
        screen (the builders here keep them the same at every epoch).
    traces : bool, default True
        Send every trace's x and y (moved without a redraw: for line charts).
    restyle : tuple of str
        Trace attributes to send whole, e.g. ``("z", "text")`` of a heatmap (which the browser redraws).
    layout : tuple of str
        Layout values to send, by path: :data:`CURVES_LIVE_LAYOUT`, :data:`NORMS_LIVE_LAYOUT`,
        :data:`REGIONS_LIVE_LAYOUT`.

    Returns
    -------
    dict
        ``{"traces": [0, 1, ...], "data": [{"x": [...], "y": [...]}, ...], "layout": {path: value}}`` in
        plain JSON (lists, numbers, strings; NaN as None: a gap in the line, as in the chart), and with
        ``restyle`` also ``"restyle": {attribute: [value per trace]}``.

    Examples
    --------
    >>> run = {"label": "CE", "history": {"epoch": [1], "loss": [0.5]}, "initial": {"loss": 1.1}}
    >>> frame = live_frame(training_curves_figure.draft([run], metric="loss", title="t", y_title="y"),
    ...                    layout=CURVES_LIVE_LAYOUT)
    >>> frame["traces"], frame["data"]
    ([0], [{'x': [0, 1], 'y': [1.1, 0.5]}])
    >>> frame["layout"]
    {'xaxis.range': [0, 10], 'xaxis.dtick': 1, 'yaxis.range': [0, 2.0]}
    """
    data = [{"x": _json_values(t["x"]), "y": _json_values(t["y"])} for t in fig.data] if traces else []
    frame = {
        "traces": list(range(len(data))),
        "data": data,
        "layout": {path: _layout_value(fig.layout, path) for path in layout},
    }
    if restyle:
        frame["restyle"] = {name: [_json_nested(t[name]) for t in fig.data] for name in restyle}
    return frame
