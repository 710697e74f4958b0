"""Figures of the Language-model surprise page: four models' costs, the smoothing sweep, the network's
learning curve, and a passage with each character coloured by its surprise.

- :func:`model_costs_figure`: cost per character of each model on the training and the held-out text,
  against the uniform guess log V.
- :func:`smoothing_figure`: the bigram model's cost against its add-k pseudo-count k (log axis), the
  page's k marked and labelled with its costs.  :func:`smoothing_scrub_frames` gives the marks at every
  k the page offers (numbers from :mod:`core.charlm`, computed beforehand), so that with
  ``ui.scrub.follow_drag`` the chart follows a drag of the k control in the browser alone.
- :func:`learning_curve_figure`: the network's cost on both texts while it trains.
- :func:`next_char_figure`: the next character's probabilities at T = 1 and at a temperature T.
- :func:`surprise_figure`: a heatmap of the passage, one row per line of text, each cell a character
  written in it, coloured by its surprise; the character, its position, q and the surprise on hover.

Text drawn in a chart comes only from the 27-symbol alphabet (a–z and the space, drawn as ␣), so no text
a visitor typed can reach Plotly's HTML-like labels: pages pass cleaned text (:func:`core.charlm.clean_text`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from core.figures.engine import Draft, bar, figure_builder, heatmap, scatter
from core.figures.style import (
    COLORS,
    FONT_SIZE,
    LINE_WIDTH,
    MARKER_SIZE,
    NEUTRAL,
    hatch,
    move_legend_below,
    styled,
)
from core.formatting import number

__all__ = [
    "SMOOTHING_MARKS",
    "SPACE_MARK",
    "learning_curve_figure",
    "model_costs_figure",
    "next_char_figure",
    "smoothing_figure",
    "smoothing_scrub_frames",
    "surprise_figure",
]

#: How a space is written in the surprise chart, so that it can be seen and hovered.
SPACE_MARK = "␣"

TRAIN_COLOR = COLORS["blue"]
HELD_COLOR = COLORS["orange"]
BIGRAM_COLOR = COLORS["green"]
# Viridis: sequential, colour-blind safe, dark for calm characters and bright for surprising ones.
SURPRISE_SCALE = "Viridis"


def _check_same_length(**arrays) -> int:
    lengths = {name: len(values) for name, values in arrays.items()}
    if len(set(lengths.values())) != 1:
        raise ValueError(f"these must have the same length: {lengths}")
    return next(iter(lengths.values()))


def _uniform_line(fig: Draft, value: float, label: str) -> None:
    fig.add_hline(
        y=value,
        line={"color": NEUTRAL, "dash": "dash", "width": 2},
        annotation_text=label,
        annotation_position="top right",
    )


@figure_builder
def model_costs_figure(
    labels: Sequence[str],
    train,
    held_out,
    *,
    perplexity_train,
    perplexity_held_out,
    uniform: float,
    uniform_label: str,
    unit: str,
    y_max: float,
    height: int = 430,
) -> Draft:
    """Cost per character of each model on the training text and on the held-out text, as grouped bars.

    Parameters
    ----------
    labels : sequence of str ``(M,)``
        The models, in order (e.g. "uniform", "unigram", "bigram (k = 1)", "network (3 characters)").
    train, held_out : array_like ``(M,)``
        Mean surprise per character in ``unit``.
    perplexity_train, perplexity_held_out : array_like ``(M,)``
        The same costs as perplexities (shown on hover).
    uniform : float
        log V in ``unit``: drawn as a dashed line labelled ``uniform_label``.
    uniform_label : str
    unit : str
        ``"nats"`` or ``"bits"`` (axis title).
    y_max : float
        Top of the y-axis.
    height : int, default 430

    Returns
    -------
    go.Figure
        Two bar traces, ``"training text"`` (solid) and ``"held-out text"`` (hatched, so the two differ
        without colour), each labelled with its value; a dashed line at ``uniform``.

    Examples
    --------
    >>> fig = model_costs_figure(["uniform", "unigram"], [4.75, 4.07], [4.75, 4.08],
    ...     perplexity_train=[27, 16.8], perplexity_held_out=[27, 16.9], uniform=4.75,
    ...     uniform_label="log₂ 27", unit="bits", y_max=5.5)
    >>> [t.name for t in fig.data], list(fig.data[1].text)
    (['training text', 'held-out text'], ['4.75', '4.08'])
    """
    _check_same_length(
        labels=labels,
        train=train,
        held_out=held_out,
        perplexity_train=perplexity_train,
        perplexity_held_out=perplexity_held_out,
    )
    names = list(labels)
    fig = Draft()
    for values, ppl, name, color, pattern in (
        (train, perplexity_train, "training text", TRAIN_COLOR, None),
        (held_out, perplexity_held_out, "held-out text", HELD_COLOR, hatch("/")),
    ):
        ys = np.asarray(values, dtype=np.float64)
        marker = {"color": color, "line": {"color": "white", "width": 1}}
        if pattern is not None:
            marker["pattern"] = pattern
        fig.add_trace(
            bar(
                x=names,
                y=ys.tolist(),
                name=name,
                marker=marker,
                text=[number(float(v), 2) for v in ys],
                textposition="outside",
                cliponaxis=False,
                customdata=[[float(p)] for p in np.asarray(ppl, dtype=np.float64)],
                hovertemplate=f"%{{x}}, {name}<br>%{{y:.3f}} {unit} per character"
                "<br>perplexity %{customdata[0]:.2f}<extra></extra>",
            )
        )
    _uniform_line(fig, uniform, uniform_label)
    styled(
        fig,
        title="Cost per character, four models",
        y_title=f"{unit} per character",
        height=height,
    )
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_yaxes(range=[0, y_max])
    return fig


#: The traces of :func:`smoothing_figure` that mark the page's k: what a drag of the k control moves.
SMOOTHING_MARKS: tuple[int, int] = (3, 4)


def _smoothing_marks(k: float, train: float, held: float) -> list[dict]:
    """The two marks at k (training, held-out), each labelled with its cost: one trace update each."""
    return [
        {"x": [k], "y": [train], "text": [number(train, 3)]},
        {"x": [k], "y": [held], "text": [number(held, 3)]},
    ]


@figure_builder
def smoothing_figure(
    ks,
    train,
    held_out,
    *,
    unigram_held_out: float,
    uniform: float,
    uniform_label: str,
    k: float,
    k_train: float,
    k_held_out: float,
    unit: str,
    y_range: tuple[float, float],
    height: int = 470,
) -> Draft:
    """The bigram model's cost per character against the pseudo-count k of add-k smoothing.

    Parameters
    ----------
    ks : array_like ``(m,)``
        Increasing k > 0 of the curves (log-spaced).
    train, held_out : array_like ``(m,)``
        The cost on the training and the held-out text at each k, in ``unit``.
    unigram_held_out : float
        The unigram model's held-out cost (dotted line), for comparison.
    uniform : float
        log V in ``unit`` (dashed line labelled ``uniform_label``): where a very large k leads, since
        every row of pair probabilities tends to 1/V.
    uniform_label : str
    k, k_train, k_held_out : float
        The page's k and the two costs there: the marks.
    unit : str
    y_range : (float, float)
    height : int, default 470

    Returns
    -------
    go.Figure
        Traces: ``"training text"`` and ``"held-out text"`` lines, ``"unigram, held-out"`` (dotted), then
        the marks ``"k now: training"`` (circle) and ``"k now: held-out"`` (diamond), each labelled with
        its cost (traces :data:`SMOOTHING_MARKS`; :func:`smoothing_scrub_frames` moves them).

    Examples
    --------
    >>> fig = smoothing_figure([0.1, 1, 10], [3.2, 3.22, 3.3], [3.26, 3.27, 3.32], unigram_held_out=4.07,
    ...     uniform=4.75, uniform_label="log₂ 27", k=10, k_train=3.3, k_held_out=3.32, unit="bits",
    ...     y_range=(3, 5))
    >>> list(fig.data[4].x), list(fig.data[4].text)
    ([10.0], ['3.320'])
    """
    m = _check_same_length(ks=ks, train=train, held_out=held_out)
    if m < 2:
        raise ValueError(f"ks must hold at least two values for a curve; got {m}")
    k_arr = np.asarray(ks, dtype=np.float64)
    fig = Draft()
    for values, name, color, dash in (
        (train, "training text", TRAIN_COLOR, "solid"),
        (held_out, "held-out text", HELD_COLOR, "dash"),
    ):
        fig.add_trace(
            scatter(
                x=k_arr.tolist(),
                y=np.asarray(values, dtype=np.float64).tolist(),
                mode="lines",
                name=name,
                line={"color": color, "width": LINE_WIDTH, "dash": dash},
                hovertemplate=f"k = %{{x:.3g}}<br>{name}: %{{y:.3f}} {unit} per character<extra></extra>",
            )
        )
    fig.add_trace(
        scatter(
            x=[float(k_arr[0]), float(k_arr[-1])],
            y=[unigram_held_out, unigram_held_out],
            mode="lines",
            name="unigram, held-out",
            line={"color": NEUTRAL, "dash": "dot", "width": 2},
            hovertemplate=f"unigram model, held-out: %{{y:.3f}} {unit} per character<extra></extra>",
        )
    )
    marks = _smoothing_marks(float(k), float(k_train), float(k_held_out))
    for mark, name, color, symbol, position in (
        (marks[0], "k now: training", TRAIN_COLOR, "circle", "bottom right"),
        (marks[1], "k now: held-out", HELD_COLOR, "diamond", "top left"),
    ):
        fig.add_trace(
            scatter(
                **mark,
                mode="markers+text",
                textposition=position,
                textfont={"size": FONT_SIZE - 2, "color": color},
                name=name,
                marker={
                    "color": color,
                    "size": MARKER_SIZE,
                    "symbol": symbol,
                    "line": {"color": "white", "width": 2},
                },
                hovertemplate=f"k = %{{x:g}}<br>{name.removeprefix('k now: ')}: %{{y:.3f}} {unit}"
                "<extra></extra>",
            )
        )
    _uniform_line(fig, uniform, uniform_label)
    styled(
        fig,
        title="Bigram cost against smoothing k",
        x_title="smoothing k (added to every pair count; log scale)",
        y_title=f"{unit} per character",
        height=height,
    )
    fig.update_xaxes(type="log", exponentformat="power")
    fig.update_yaxes(range=list(y_range))
    move_legend_below(fig, entries=5, per_row=2, y=-0.22)
    fig.update_layout(height=height + fig.layout["margin"]["b"] - 60)
    return fig


def smoothing_scrub_frames(options: Sequence[float], option_train, option_held_out) -> dict:
    """The frames that let :func:`smoothing_figure` follow a drag of the page's k control.

    One frame per option, in order: the updates of the two marks (:data:`SMOOTHING_MARKS`) at that k,
    exactly what the figure draws for it, in the shape ``ui.scrub.follow_drag`` takes.

    Parameters
    ----------
    options : sequence of float ``(n,)``
        The control's k values, in order.
    option_train, option_held_out : array_like ``(n,)``
        The two costs at each option, in the figure's unit.

    Returns
    -------
    dict
        ``{"traces": [3, 4], "frames": [[mark update, mark update], ...]}``.

    Examples
    --------
    >>> smoothing_scrub_frames([1.0], [3.2], [3.3])["frames"][0][1]
    {'x': [1.0], 'y': [3.3], 'text': ['3.300']}
    """
    n = _check_same_length(options=options, option_train=option_train, option_held_out=option_held_out)
    trains = np.asarray(option_train, dtype=np.float64)
    helds = np.asarray(option_held_out, dtype=np.float64)
    frames = [_smoothing_marks(float(options[i]), float(trains[i]), float(helds[i])) for i in range(n)]
    return {"traces": list(SMOOTHING_MARKS), "frames": frames}


@figure_builder
def learning_curve_figure(
    steps,
    train,
    held_out,
    *,
    bigram_held_out: float,
    uniform: float,
    uniform_label: str,
    unit: str,
    y_range: tuple[float, float],
    height: int = 430,
) -> Draft:
    """The network's cost per character on the training and the held-out text while it trains.

    Parameters
    ----------
    steps : array_like of int ``(m,)``
        The training steps at which the costs were measured (0 = before training).
    train, held_out : array_like ``(m,)``
        Costs in ``unit``.
    bigram_held_out : float
        The bigram model's held-out cost (dotted line), for comparison.
    uniform : float
        log V in ``unit`` (dashed line labelled ``uniform_label``): where an untrained network starts.
    uniform_label : str
    unit : str
    y_range : (float, float)
    height : int, default 430

    Returns
    -------
    go.Figure
        Traces ``"training text"`` and ``"held-out text"`` (lines with markers), ``"bigram, held-out"``
        (dotted); a dashed line at ``uniform``.

    Examples
    --------
    >>> fig = learning_curve_figure([0, 100], [4.8, 3.0], [4.8, 3.1], bigram_held_out=3.27, uniform=4.75,
    ...     uniform_label="log₂ 27", unit="bits", y_range=(0, 5.5))
    >>> [t.name for t in fig.data]
    ['training text', 'held-out text', 'bigram, held-out']
    """
    _check_same_length(steps=steps, train=train, held_out=held_out)
    xs = [int(s) for s in steps]
    fig = Draft()
    for values, name, color, symbol, dash in (
        (train, "training text", TRAIN_COLOR, "circle", "solid"),
        (held_out, "held-out text", HELD_COLOR, "diamond", "dash"),
    ):
        fig.add_trace(
            scatter(
                x=xs,
                y=np.asarray(values, dtype=np.float64).tolist(),
                mode="lines+markers",
                name=name,
                line={"color": color, "width": LINE_WIDTH, "dash": dash},
                marker={"symbol": symbol, "size": MARKER_SIZE - 4, "color": color},
                hovertemplate=f"step %{{x}}<br>{name}: %{{y:.3f}} {unit} per character<extra></extra>",
            )
        )
    fig.add_trace(
        scatter(
            x=[xs[0], xs[-1]],
            y=[bigram_held_out, bigram_held_out],
            mode="lines",
            name="bigram, held-out",
            line={"color": BIGRAM_COLOR, "dash": "dot", "width": 2},
            hovertemplate=f"bigram model, held-out: %{{y:.3f}} {unit} per character<extra></extra>",
        )
    )
    _uniform_line(fig, uniform, uniform_label)
    styled(
        fig,
        title="Training the network",
        x_title="training step (128 characters each)",
        y_title=f"{unit} per character",
        height=height,
    )
    fig.update_yaxes(range=list(y_range))
    move_legend_below(fig, entries=3, per_row=2)
    fig.update_layout(height=height + fig.layout["margin"]["b"] - 60)
    return fig


@figure_builder
def surprise_figure(
    text: str,
    surprise,
    probs,
    *,
    width: int,
    unit: str,
    z_max: float,
    title: str,
) -> Draft:
    """A passage as a grid of characters, each cell coloured by the surprise the model felt at it.

    Parameters
    ----------
    text : str
        The passage, only a–z and spaces (cleaned by :func:`core.charlm.clean_text`); spaces are drawn
        as :data:`SPACE_MARK`.
    surprise : array_like ``(n,)``
        −log q of each character, in ``unit``.
    probs : array_like ``(n,)``
        q of each character (shown on hover).
    width : int >= 1
        Characters per line of the grid.
    unit : str
    z_max : float > 0
        The top of the colour scale (larger surprises get its top colour).
    title : str

    Returns
    -------
    go.Figure
        One heatmap trace ``"surprise"``: z ``(lines, width)`` with NaN past the end of the text, the
        characters written in the cells, and on hover the character, its position (from 1), q and the
        surprise.  The first line is at the top.

    Examples
    --------
    >>> fig = surprise_figure("ab c", [1.0, 2.0, 0.5, 3.0], [0.5, 0.25, 0.7, 0.125], width=3, unit="bits",
    ...     z_max=10, title="t")
    >>> fig.data[0].z, fig.data[0].text
    (([1.0, 2.0, 0.5], [3.0, nan, nan]), (['a', 'b', '␣'], ['c', '', '']))
    """
    if not isinstance(text, str) or not set(text) <= set(" abcdefghijklmnopqrstuvwxyz"):
        raise ValueError("text must hold only a-z and the space (clean it with core.charlm.clean_text)")
    n = _check_same_length(text=text, surprise=surprise, probs=probs)
    if n == 0:
        raise ValueError("text must hold at least one character")
    if isinstance(width, bool) or not isinstance(width, int) or width < 1:
        raise ValueError(f"width must be a positive integer; got {width!r}")
    s_arr = np.asarray(surprise, dtype=np.float64)
    p_arr = np.asarray(probs, dtype=np.float64)
    lines = math.ceil(n / width)
    z: list[list] = []
    cells: list[list[str]] = []
    custom: list[list] = []
    for row in range(lines):
        start = row * width
        z_row, t_row, c_row = [], [], []
        for col in range(width):
            i = start + col
            if i < n:
                ch = SPACE_MARK if text[i] == " " else text[i]
                z_row.append(float(s_arr[i]))
                t_row.append(ch)
                c_row.append([ch, i + 1, float(p_arr[i])])
            else:  # a gap past the end of the text (NaN: drawn empty, and the CSV export stays numeric)
                z_row.append(math.nan)
                t_row.append("")
                c_row.append([None, None, None])
        z.append(z_row)
        cells.append(t_row)
        custom.append(c_row)
    fig = Draft()
    fig.add_trace(
        heatmap(
            z=z,
            x=list(range(1, width + 1)),
            y=[row * width + 1 for row in range(lines)],
            text=cells,
            texttemplate="%{text}",
            textfont={"size": FONT_SIZE + 2, "family": "monospace"},
            customdata=custom,
            name="surprise",
            colorscale=SURPRISE_SCALE,
            zmin=0.0,
            zmax=float(z_max),
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": f"surprise ({unit})", "side": "right"}, "thickness": 14},
            hovertemplate="“%{customdata[0]}”, character %{customdata[1]}<br>q = %{customdata[2]:.2%}"
            f"<br>surprise %{{z:.2f}} {unit}<extra></extra>",
            hoverongaps=False,
        )
    )
    styled(fig, title=title, x_title=None, y_title="character number", height=110 + 42 * lines, legend=False)
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    fig.update_yaxes(autorange="reversed", showgrid=False, zeroline=False, type="category")
    return fig


@figure_builder
def next_char_figure(
    probs, tempered, *, temperature: float, title: str, context: str | None = None, height: int = 360
) -> Draft:
    """The probabilities of the next character at T = 1 and at temperature T, over the whole alphabet.

    Parameters
    ----------
    probs : array_like ``(27,)``
        q at T = 1, in alphabet order (the space first).
    tempered : array_like ``(27,)``
        softmax(ln q / T).
    temperature : float
        T (named in the legend).
    title : str
    context : str, optional
        What the character comes after (e.g. ``"after “ing␣t”"``), written at the top right of the plot
        as a text trace: a chart that follows a temperature slider moves it with the bars (the title
        cannot move).
    height : int, default 360

    Returns
    -------
    go.Figure
        Traces ``"drawn from, T = …"`` (filled bars, labelled in percent where ≥ 5 %) and ``"the model's
        q (T = 1)"`` (an outline over each bar, so the change shows without colour); x is the character,
        the space written as :data:`SPACE_MARK`.  With ``context``, a third trace ``"context"``.

    Examples
    --------
    >>> q = np.full(27, 1 / 27)
    >>> fig = next_char_figure(q, q, temperature=0.5, title="t")
    >>> [t.name for t in fig.data], fig.data[0].x[:2]
    (['drawn from, T = 0.5', "the model's q (T = 1)"], ('␣', 'a'))
    """
    p = 100 * np.asarray(probs, dtype=np.float64)
    p_t = 100 * np.asarray(tempered, dtype=np.float64)
    if p.shape != (27,) or p_t.shape != (27,):
        raise ValueError(f"probs and tempered must have shape (27,); got {p.shape} and {p_t.shape}")
    chars = [SPACE_MARK] + [chr(ord("a") + i) for i in range(26)]
    fig = Draft()
    fig.add_trace(
        bar(
            x=chars,
            y=p_t.tolist(),
            name=f"drawn from, T = {temperature:g}",
            marker={"color": HELD_COLOR},
            text=[f"{v:.0f}%" if v >= 5 else "" for v in p_t],
            textposition="outside",
            textfont={"size": FONT_SIZE - 4},
            cliponaxis=False,
            hovertemplate=f"“%{{x}}” at T = {temperature:g}: %{{y:.2f}}%<extra></extra>",
        )
    )
    fig.add_trace(
        bar(
            x=chars,
            y=p.tolist(),
            name="the model's q (T = 1)",
            marker={"color": "rgba(0,0,0,0)", "line": {"color": COLORS["black"], "width": 2}},
            hovertemplate="“%{x}” at T = 1: %{y:.2f}%<extra></extra>",
        )
    )
    top = 1.15 * max(float(p.max()), float(p_t.max()))
    if context is not None:
        fig.add_trace(
            scatter(
                x=[chars[-1]],
                y=[0.97 * top],
                mode="text",
                text=[context],
                textposition="bottom left",
                textfont={"size": FONT_SIZE - 2, "color": COLORS["black"]},
                name="context",
                hoverinfo="skip",
                showlegend=False,
            )
        )
    styled(fig, title=title, y_title="next character (%)", height=height)
    fig.update_layout(barmode="overlay", bargap=0.15)
    fig.update_xaxes(tickfont={"family": "monospace", "size": FONT_SIZE - 4}, dtick=1, tickangle=0)
    fig.update_yaxes(range=[0, top])
    return fig
