"""Figures of the Train a network page: live views of training.

Loss and accuracy per epoch for one or two runs (the race), the decision regions of a 2-input network
with the points on top, each layer's gradient norm per epoch (log scale), and for the digits a
confusion matrix and misclassified 8×8 images.  Runs differ by colour AND marker symbol; train and
test differ by line dash (solid / dotted) and filled / open markers.
"""

from __future__ import annotations

import numpy as np

from core.figures.engine import Draft, figure_builder, heatmap, scatter
from core.figures.style import CLASS_SYMBOLS, COLORS, LINE_WIDTH, NEUTRAL, styled
from core.formatting import percent

_TRAIN_RUN_STYLE = [(COLORS["blue"], "circle"), (COLORS["vermillion"], "diamond")]
_TRAIN_CLASS_COLORS = [COLORS["blue"], COLORS["orange"], COLORS["green"]]
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


def _epoch_ticks(fig: Draft, last_epoch: int) -> None:
    """Whole-number epoch ticks, at most about 10 of them."""
    step = next((s for s in (1, 2, 5, 10, 20, 50, 100) if last_epoch / s <= 10), 200)
    fig.update_xaxes(rangemode="tozero", tick0=0, dtick=step)


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
        Then the target line and the reached markers. Accuracy is shown in percent (0–100 %).

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
            n = len(epochs)
            fig.add_trace(
                scatter(
                    x=epochs,
                    y=[v * factor for v in values],
                    mode="lines+markers" if n <= 60 else "lines",
                    name=run["label"] if part == "train" else f"{run['label']} · {part}",
                    legendgroup=run["label"],
                    showlegend=part == "train",
                    line={"color": color, "width": LINE_WIDTH, "dash": dash},
                    marker={
                        "symbol": f"{symbol}-open" if open_marker else symbol,
                        "size": 8,
                        "color": color,
                        "line": {"width": 2, "color": color},
                        "maxdisplayed": 60,
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
        for i, (run, epoch) in enumerate(zip(runs, reached or [], strict=False)):
            if epoch is None:
                continue
            color, symbol = _TRAIN_RUN_STYLE[i % len(_TRAIN_RUN_STYLE)]
            # A dotted drop line from the target down to the epoch on the axis, and a big marker on top.
            fig.add_trace(
                scatter(
                    x=[epoch, epoch],
                    y=[0, target],
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
                        f"{run['label']} reached {percent(target, 0)} at epoch {epoch}<extra></extra>"
                    ),
                )
            )
    styled(fig, title=title, x_title="epoch", y_title=y_title, height=height)
    _train_legend_below(fig, sum(1 for trace in fig.data if trace.get("showlegend") is not False))
    _epoch_ticks(fig, max((len(run["history"].get("epoch", [])) for run in runs), default=0))
    if metric == "accuracy":
        fig.update_yaxes(range=[0, 1.04], tickformat=".0%")
    else:
        fig.update_yaxes(rangemode="tozero")
    return fig


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

    Returns
    -------
    go.Figure
        A heatmap, then one scatter trace per class for the training points and one per class for the
        test points (in the class's legend group, not listed separately). The heatmap's z is
        ``100 · class + s`` (uint16), s = 0 … 99 the confidence rescaled from [1/C, 1]: each class has its
        own band of tints, pale where the network is unsure and strong where it is sure. Its customdata
        (uint8) holds the predicted class and the softmax probability in percent, for the hover text.
        Compact integer arrays keep a live update small.

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
    # The confidence runs from 1/C (a coin toss between all classes) to 1; rescale it to 0 … 99 in the band.
    sure = np.clip((confidence - 1.0 / n_classes) / (1.0 - 1.0 / n_classes), 0.0, 1.0)
    z = (100 * classes + np.rint(99 * sure)).astype(np.uint16)
    colorscale = []
    for k in range(n_classes):
        color = _TRAIN_CLASS_COLORS[k % len(_TRAIN_CLASS_COLORS)]
        colorscale += [[k / n_classes, _tint(color, 0.06)], [(k + 0.99) / n_classes, _tint(color, 0.5)]]
    colorscale[-1][0] = 1.0
    custom = np.stack([classes, np.rint(100 * confidence)], axis=-1).astype(np.uint8)
    fig = Draft().add_trace(
        heatmap(
            x=np.asarray(grid["x"], dtype=np.float32),
            y=np.asarray(grid["y"], dtype=np.float32),
            z=z,
            zmin=0,
            zmax=100 * n_classes,
            colorscale=colorscale,
            showscale=False,
            customdata=custom,
            hovertemplate=(
                "x₁ = %{x:.2f}, x₂ = %{y:.2f}<br>predicted: class %{customdata[0]}"
                "<br>p = %{customdata[1]} %<extra>network</extra>"
            ),
        )
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
    fig.update_xaxes(range=[float(grid["x"][0]), float(grid["x"][-1])], showgrid=False, zeroline=False)
    fig.update_yaxes(
        range=[float(grid["y"][0]), float(grid["y"][-1])],
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
        scale: it leaves a gap in its line.

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
                    mode="lines+markers" if len(values) <= 60 else "lines",
                    name=name,
                    legendgroup=key,
                    showlegend=i == 0,
                    line={"color": color, "width": LINE_WIDTH, "dash": "solid" if i == 0 else "dash"},
                    marker={"symbol": symbol, "size": 8, "color": color, "maxdisplayed": 60},
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
    # Label only the powers of ten when the norms span more than a decade (the minor labels crowd).
    wide = len(smallest) > 0 and max(_finite_max(run) for run in runs) / min(smallest) > 20
    fig.update_yaxes(type="log", exponentformat="power", dtick=1 if wide else "D2")
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
def digit_images_figure(images, captions: list[str], *, title: str, columns: int = 4) -> Draft:
    """Small 8×8 grey-scale images tiled in a grid, each captioned (e.g. "true 3 → 8"), as one heatmap.

    Parameters
    ----------
    images : array_like ``(k, 64)``, pixels in [0, 1], k >= 1
        Row-major 8×8 images (``core.data.load_digits``).
    captions : list of str, k of them
    title : str
    columns : int, default 4
        Images per row.

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
    pixels = np.asarray(images, dtype=np.float64)
    if pixels.ndim != 2 or pixels.shape[1] != 64 or pixels.shape[0] == 0:
        raise ValueError(f"images must be (k, 64) with k >= 1; got shape {pixels.shape}")
    if len(captions) != pixels.shape[0]:
        raise ValueError(f"captions must have one entry per image ({pixels.shape[0]}); got {len(captions)}")
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
