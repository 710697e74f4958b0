"""Scrubbing: what a chart shows at every value of its widget, computed beforehand by ``core``.

No streamlit and no plotly import: it reads and writes plotly JSON (the dicts a
:class:`core.figures.engine.Draft` holds).

While a lecturer drags a slider's thumb, ``ui.scrub.follow_drag`` moves the chart's traces to the
frame for the value under the thumb, in the browser, with no rerun.  The frames come from here: for
each value the widget can take, the trace attributes the chart shows at that value.  So the browser
only picks among numbers ``core`` computed; it never computes one.  At release the page reruns as
before and draws the chart at the committed value, which equals that value's frame.

How to build the frames:

- :func:`steps_from_figures` (preferred): draw the figure with its own builder at every value and keep
  only what differs from the figure on screen.  A frame then shows exactly what the builder draws at
  that value, readouts included, and nothing is written twice.
- :class:`Step` by hand, naming the trace attributes that change::

      Step("p = 0.70", traces={2: {"x": [0.7], "y": [0.3567], "text": ["loss 0.3567 nats"]}})

:func:`scrub_frames` checks the steps and returns the frames; :func:`sweep_frames` does both steps for a
builder (``sweep_frames(lambda p: draft_at(p), P_VALUES, name="p")``); :func:`check_frame` is the
tests' check that the frame at the widget's value equals the figure the page draws there.

What moves must be traces.  A frame is applied with ``Plotly.animate`` without a relayout, which
redraws only the traces it names (17 ms a move on this 2-core machine under load, against 90 ms for
``Plotly.update``, which redraws the whole figure).  It cannot move an annotation or a shape, so a
builder whose figure should follow a drag draws its moving marks as traces: the point as a marker, an
arrow as a two-point line whose end marker has ``symbol="arrow"`` and ``angleref="previous"``, a
readout ("loss 0.3567 nats", "dL/dp = −1.43") as a ``mode="text"`` trace or as the point's ``text``.

Where the axes must follow the value too (a bar per example, as many as the batch size), build the
frames with ``redrawn=True``: they then carry each value's axis ranges as well, and the browser redraws
the chart at each (40 to 70 ms a move for a bar chart of 64 bars, where a frame of traces costs a few).
A heatmap, which plotly.js cannot move in place, is redrawn at each frame too (``follow_drag(redraw=True)``).
Where the value changes the chart's very shape (which matrices a backprop stage shows, a grid of heatmaps
that grows with n), :func:`figure_frames` keeps each value's whole figure, drawn with ``Plotly.react``.

Limits, by design:

- Every step sets the same attributes, and every figure given to :func:`steps_from_figures` has the
  same traces, annotations, shapes and images; only their values differ.
- ``core.figures.adapt`` (presenter mode, dark theme) rewrites font sizes and light-only colours in the
  figure, not in the frames: a frame that set a size or a colour would put the light-theme value back.
  Keep sizes and colours constant across values; move positions, values and texts.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from core._validation import check_int

# Top-level layout lists whose items are addressed one by one: "annotations[3].text".
_INDEXED = ("annotations", "shapes", "images")
# Layout parts a redrawn frame must not set: annotations, shapes and images (frames cannot address their
# items), and the title (Streamlit's chart element restyles it in the browser: a frame would undo that).
_FIXED_IN_FRAMES = (*_INDEXED, "title")
_PATH_PART = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?$")


@dataclass(frozen=True)
class Step:
    """What the chart shows at one value of the sweep.

    Parameters
    ----------
    label : str
        Names the step in error messages, e.g. ``"p = 0.70"``.
    traces : mapping of int to mapping of str to value
        Trace index → plotly attribute path → value, e.g. ``{2: {"x": [0.7], "marker.size": 18}}``.
    layout : mapping of str to value
        Layout attribute path → value, e.g. ``{"annotations[3].text": "dL/dp = −1.43"}``.  Only
        :func:`steps_from_figures` fills it, so :func:`scrub_frames` can name what a builder must
        draw as a trace instead.
    """

    label: str
    traces: Mapping[int, Mapping[str, object]] = field(default_factory=dict)
    layout: Mapping[str, object] = field(default_factory=dict)

    # Derived once, here (a sweep is built once and cached), so a rerun only collects the frames.
    frame: list = field(init=False, repr=False, compare=False)  # the traces' updates as nested dicts
    touches: tuple = field(init=False, repr=False, compare=False)  # which attributes the step sets

    def __post_init__(self) -> None:
        traces = {int(i): {str(p): _plain(v) for p, v in attrs.items()} for i, attrs in self.traces.items()}
        object.__setattr__(self, "traces", traces)  # plain JSON: no numpy reaches the slider
        object.__setattr__(self, "layout", {str(p): _plain(v) for p, v in self.layout.items()})
        object.__setattr__(self, "frame", [_nest(traces[i]) for i in sorted(traces)])
        touched = tuple((i, tuple(sorted(traces[i]))) for i in sorted(traces))
        object.__setattr__(self, "touches", (touched, tuple(sorted(self.layout))))


def _plain(value):
    """Plotly JSON without numpy: arrays and tuples as lists, numpy scalars as Python numbers, and NaN or
    infinity as None (a gap, as Plotly draws them; and NaN, unequal to itself, would make a line with a
    gap look as if it moved)."""
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f" and not np.isfinite(value).all():
            return np.where(np.isfinite(value), value, None).tolist()
        return value.tolist()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _flatten(node: Mapping, prefix: str = "", *, top: bool = False) -> dict[str, object]:
    """``{"line": {"width": 3}}`` → ``{"line.width": 3}``; lists are values, except annotations & co."""
    out: dict[str, object] = {}
    for key, value in node.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(_flatten(value, f"{path}."))
        elif top and key in _INDEXED and isinstance(value, (list, tuple)):
            for i, item in enumerate(value):
                out.update(_flatten(item, f"{path}[{i}]."))
        else:
            out[path] = _plain(value)
    return out


def _parts(fig) -> tuple[list, dict]:
    """A figure's traces and layout, from a ``Draft`` or a ``{"data": [...], "layout": {...}}`` dict."""
    if isinstance(fig, Mapping):
        return list(fig.get("data", [])), dict(fig.get("layout", {}))
    return list(fig.data), dict(fig.layout)


def _counts(layout: Mapping) -> dict[str, int]:
    return {key: len(layout.get(key) or ()) for key in _INDEXED}


def _lookup(node, path: str):
    """The value at a plotly attribute path (``"annotations[3].font.size"``), or None if it is not set."""
    for part in path.split("."):
        match = _PATH_PART.match(part)
        if match is None or not isinstance(node, Mapping):
            return None
        node = node.get(match[1])
        if match[2] is not None:
            if not isinstance(node, (list, tuple)) or int(match[2]) >= len(node):
                return None
            node = node[int(match[2])]
    return _plain(node)


def steps_from_figures(shown, figures: Sequence, labels: Sequence[str]) -> list[Step]:
    """The steps that turn the figure on screen into each of ``figures``.

    Parameters
    ----------
    shown : Draft or dict
        The figure as it is drawn (the builder's output at the widget's current value).
    figures : sequence of Draft or dict, length n >= 2
        The same builder's output at each value of the sweep, in slider order.
    labels : sequence of str, length n
        Each step's name (:attr:`Step.label`).

    Returns
    -------
    list of Step
        One per figure.  Every step sets every attribute that differs between any figure and
        ``shown`` (and only those), so any step can follow any other.

    Raises
    ------
    ValueError
        If the lengths differ, there are fewer than two figures, or a figure has another number of
        traces, annotations, shapes or images than ``shown``.

    Examples
    --------
    >>> def fig(p):
    ...     return {"data": [{"type": "scatter", "x": [p], "y": [1 - p]}],
    ...             "layout": {"annotations": [{"text": f"p = {p}", "x": 0}]}}
    >>> steps = steps_from_figures(fig(0.5), [fig(0.25), fig(0.5)], ["0.25", "0.50"])
    >>> steps[0].traces, steps[0].layout
    ({0: {'x': [0.25], 'y': [0.75]}}, {'annotations[0].text': 'p = 0.25'})
    """
    if len(figures) != len(labels):
        raise ValueError(
            f"figures and labels must have the same length; got {len(figures)} and {len(labels)}"
        )
    if len(figures) < 2:
        raise ValueError(f"a sweep needs at least 2 figures; got {len(figures)}")
    shown_data, shown_layout = _parts(shown)
    base_traces = [_flatten(trace) for trace in shown_data]
    base_layout = _flatten({k: v for k, v in shown_layout.items() if k != "sliders"}, top=True)
    flat = []
    for k, figure in enumerate(figures):
        data, layout = _parts(figure)
        if len(data) != len(shown_data) or _counts(layout) != _counts(shown_layout):
            raise ValueError(
                f"figure {k} ({labels[k]}) must have the traces, annotations, shapes and images of the "
                f"figure shown: got {len(data)} traces and {_counts(layout)}, "
                f"expected {len(shown_data)} traces and {_counts(shown_layout)}"
            )
        layout = {key: value for key, value in layout.items() if key != "sliders"}
        flat.append(([_flatten(trace) for trace in data], _flatten(layout, top=True)))

    moving_traces: dict[int, set[str]] = {}
    moving_layout: set[str] = set()
    for traces, layout in flat:
        for i, (trace, base) in enumerate(zip(traces, base_traces, strict=True)):
            changed = {p for p in trace.keys() | base.keys() if trace.get(p) != base.get(p)}
            if changed:
                moving_traces.setdefault(i, set()).update(changed)
        moving_layout.update(
            p for p in layout.keys() | base_layout.keys() if layout.get(p) != base_layout.get(p)
        )
    for i, path in _kept_subplots(base_traces, moving_traces).items():
        moving_traces[i] = {path}
    return [
        Step(
            label=str(label),
            traces={
                i: {p: traces[i].get(p) for p in sorted(paths)} for i, paths in sorted(moving_traces.items())
            },
            layout={p: layout.get(p) for p in sorted(moving_layout)},
        )
        for label, (traces, layout) in zip(labels, flat, strict=True)
    ]


def _subplot(trace: Mapping) -> tuple[str, str]:
    return str(trace.get("xaxis") or "x"), str(trace.get("yaxis") or "y")


def _kept_subplots(traces: Sequence[Mapping], moving: Mapping[int, object]) -> dict[int, str]:
    """One unchanged attribute to add to a frame for each subplot that no moving trace is in.

    plotly.js's ``Plotly.animate`` without a redraw (what ``ui/scrub.js`` calls) draws afresh only the
    subplots (x axis, y axis pairs, an overlaying axis counting as its own) that hold a trace of the
    frame, and leaves every other subplot empty: on a chart of two panels, moving the upper panel's
    marker wiped out the lower panel's traces.  A frame that also sets, unchanged, the name (or type) of
    one trace of each such subplot keeps them all drawn.  Returns trace index -> that attribute's path.
    """
    if not moving:
        return {}
    covered = {_subplot(traces[i]) for i in moving}
    kept: dict[int, str] = {}
    for i, trace in enumerate(traces):
        where = _subplot(trace)
        path = next((p for p in ("name", "type") if trace.get(p) is not None), None)
        if where not in covered and path is not None:
            kept[i] = path
            covered.add(where)
    return kept


def scrub_frames(steps: Sequence[Step], *, redrawn: bool = False) -> dict:
    """The frames ``ui.scrub.follow_drag`` draws while the widget's thumb moves: one per value.

    Parameters
    ----------
    steps : sequence of Step, length n >= 2
        What the chart shows at each value the widget can take, in the widget's order
        (:func:`steps_from_figures`).  Trace attributes only, unless ``redrawn``.
    redrawn : bool, default False
        The chart is redrawn at each frame (``ui/scrub.js`` does that for a payload with ``"layouts"``):
        then a step may also set layout attributes that are not in annotations, shapes, images or the
        title, e.g. an axis range that follows the number of bars.  A redraw costs the browser 40 to 70
        ms a move for a bar chart, against a few ms for a frame of traces: use it where the axes must move.

    Returns
    -------
    dict
        ``{"traces": [i, ...], "frames": [[update of each trace in traces] for each step]}``, plain JSON;
        an update is a nested dict of plotly trace attributes (``Plotly.animate`` frame data).  With
        ``redrawn``, also ``"layouts"``: each step's layout update (nested), one per step.

    Raises
    ------
    ValueError
        If there are fewer than two steps, or a step sets other attributes than the first, sets a
        layout attribute (unless ``redrawn``; never in annotations, shapes, images or the title) or unsets an
        attribute (an animation frame can do none of these: draw what moves as traces).

    Examples
    --------
    >>> steps = [Step(f"p = {p}", traces={0: {"x": [p], "marker.size": 10 * p}}) for p in (0.25, 0.5)]
    >>> frames = scrub_frames(steps)
    >>> frames["traces"], frames["frames"][0], frames["frames"][1]
    ([0], [{'x': [0.25], 'marker': {'size': 2.5}}], [{'x': [0.5], 'marker': {'size': 5.0}}])
    """
    if len(steps) < 2:
        raise ValueError(f"a sweep needs at least 2 steps; got {len(steps)}")
    first = steps[0]
    for k, step in enumerate(steps):
        if step.touches != first.touches:
            raise ValueError(
                f"every step must set the same attributes; step {k} ({step.label}) sets {step.touches}, "
                f"step 0 sets {first.touches} (as (trace, paths) and layout paths)"
            )
    fixed = [path for path in first.layout if path.split(".")[0].split("[")[0] in _FIXED_IN_FRAMES]
    if first.layout and (not redrawn or fixed):
        raise ValueError(
            f"steps must change trace attributes only; step 0 ({first.label}) also sets layout "
            f"{sorted(first.layout)}: draw what moves as traces (an arrow as a line with an 'arrow' marker, "
            f"a label as a mode='text' trace)"
        )
    for k, step in enumerate(steps):
        unset = [(i, p) for i, attrs in step.traces.items() for p, v in attrs.items() if v is None]
        unset += [("layout", p) for p, v in step.layout.items() if v is None]
        if unset:
            raise ValueError(
                f"step {k} ({step.label}) unsets {unset} (trace, attribute): give every step a value for each"
            )
    frames = {"traces": sorted(first.traces), "frames": [step.frame for step in steps]}
    if redrawn:
        frames["layouts"] = [_nest(step.layout) for step in steps]
    return frames


def sweep_frames(
    draw: Callable[[float], object], values: Sequence[float], *, name: str = "value", redrawn: bool = False
) -> dict:
    """:func:`scrub_frames` for a builder: draw the figure at every value, keep what moves.

    Parameters
    ----------
    draw : callable
        ``draw(value)`` returns the figure (a ``Draft`` or a plotly JSON dict) the page draws at ``value``.
    values : sequence of float, length n >= 2
        Every value the widget can take, in order.
    name : str, default "value"
        Names the steps in error messages (``"p = 0.70"``).
    redrawn : bool, default False
        As :func:`scrub_frames`: the frames may move the axes too, and the chart is redrawn at each.

    Returns
    -------
    dict
        As :func:`scrub_frames`.  Cache it per setting of the page's other controls: it draws n figures.

    Examples
    --------
    >>> def draw(p):
    ...     return {"data": [{"type": "scatter", "x": [0, 1], "y": [0, 1]}, {"x": [p], "text": [f"{p:.1f}"]}]}
    >>> sweep_frames(draw, [0.1, 0.2], name="p")
    {'traces': [1], 'frames': [[{'text': ['0.1'], 'x': [0.1]}], [{'text': ['0.2'], 'x': [0.2]}]]}
    """
    figures = [draw(value) for value in values]
    labels = [f"{name} = {value:g}" for value in values]
    return scrub_frames(steps_from_figures(figures[0], figures, labels), redrawn=redrawn)


def figure_frames(figures: Sequence, labels: Sequence[str]) -> dict:
    """Whole figures, one per value of the widget, for a chart whose shape changes with the value.

    Where a value changes which traces and subplots the chart has (the matrices of a backprop stage, a
    heatmap grid that grows with n), a frame cannot be a set of trace updates: ``ui/scrub.js`` then
    draws the value's whole figure with ``Plotly.react`` (a few tens of ms for a grid of small heatmaps).
    The chart keeps the title it was first drawn with (Streamlit restyles a chart's title in the
    browser), so every figure must have the same title; everything else may differ.

    Parameters
    ----------
    figures : sequence of Draft or dict, length n >= 2
        The figure the page draws at each value the widget can take, in the widget's order, already
        styled as it is drawn (presenter mode, theme).
    labels : sequence of str, length n
        Each value's name, for error messages (``"stage = 3"``).

    Returns
    -------
    dict
        ``{"figures": [{"data": [...], "layout": {...}}, ...]}``, plain JSON; each layout without its title.

    Raises
    ------
    ValueError
        If the lengths differ, there are fewer than two figures, or the figures' titles differ.

    Examples
    --------
    >>> def fig(n):
    ...     layout = {"title": {"text": "W"}, "height": 100 * n}
    ...     return {"data": [{"type": "heatmap", "z": [[1.0] * n]}], "layout": layout}
    >>> frames = figure_frames([fig(1), fig(2)], ["n = 1", "n = 2"])
    >>> frames["figures"][1]
    {'data': [{'type': 'heatmap', 'z': [[1.0, 1.0]]}], 'layout': {'height': 200}}
    """
    if len(figures) != len(labels):
        raise ValueError(
            f"figures and labels must have the same length; got {len(figures)} and {len(labels)}"
        )
    if len(figures) < 2:
        raise ValueError(f"a sweep needs at least 2 figures; got {len(figures)}")
    out = []
    first_title = None
    for k, figure in enumerate(figures):
        data, layout = _parts(figure)
        title = _plain(layout.pop("title", None))
        if k == 0:
            first_title = title
        elif title != first_title:
            raise ValueError(
                f"every figure must have the same title (the chart keeps the one it was drawn with); figure "
                f"{k} ({labels[k]}) has {title!r}, figure 0 has {first_title!r}: name the value in the "
                "chart's traces or around the chart"
            )
        out.append({"data": [_plain(dict(trace)) for trace in data], "layout": _plain(layout)})
    return {"figures": out}


def check_frame(fig, frames: Mapping, index: int) -> None:
    """Raise unless frame ``index`` of ``frames`` shows what ``fig`` shows (a test's check).

    The page draws ``fig`` at its widget's value; the frame for that value must equal it, or the chart
    would jump at the first move of a drag.

    Parameters
    ----------
    fig : Draft or dict
        The figure the page draws at ``values[index]``.
    frames : mapping
        :func:`scrub_frames`'s or :func:`figure_frames`'s result (then the whole figure, title aside,
        must be the frame's).
    index : int
        The widget's value's position in the sweep.

    Raises
    ------
    ValueError
        Naming the first trace attribute that differs, or a trace ``fig`` does not have.

    Examples
    --------
    >>> frames = {"traces": [0], "frames": [[{"x": [0.25]}], [{"x": [0.5]}]]}
    >>> check_frame({"data": [{"x": [0.5]}]}, frames, 1)
    >>> check_frame({"data": [{"x": [0.5]}]}, frames, 0)
    Traceback (most recent call last):
    ...
    ValueError: frame 0 sets trace 0's x to [0.25] but the figure shows [0.5]
    """
    data, layout = _parts(fig)
    if "figures" in frames:
        index = check_int(index, "index", low=0, below=len(frames["figures"]))
        framed = _plain(frames["figures"][index])
        layout.pop("title", None)
        shown = {"data": [_plain(dict(trace)) for trace in data], "layout": _plain(layout)}
        for part in ("data", "layout"):
            if framed[part] != shown[part]:
                raise ValueError(f"frame {index}'s whole figure differs from the figure shown in its {part}")
        return
    index = check_int(index, "index", low=0, below=len(frames["frames"]))
    if "layouts" in frames:
        for path, value in _flatten(frames["layouts"][index]).items():
            if value != _lookup(layout, path):
                raise ValueError(
                    f"frame {index} sets the layout's {path} to {value!r} but the figure shows "
                    f"{_lookup(layout, path)!r}"
                )
    for i, update in zip(frames["traces"], frames["frames"][index], strict=True):
        if not 0 <= i < len(data):
            raise ValueError(f"frames move trace {i}, but the figure has {len(data)} traces")
        for path, value in _flatten(update).items():
            if value != _lookup(data[i], path):
                raise ValueError(
                    f"frame {index} sets trace {i}'s {path} to {value!r} but the figure shows "
                    f"{_lookup(data[i], path)!r}"
                )


def _nest(flat: Mapping[str, object]) -> dict:
    """``{"marker.size": 9}`` → ``{"marker": {"size": 9}}`` (animation frames take nested trace updates)."""
    out: dict = {}
    for path, value in flat.items():
        *head, last = path.split(".")
        node = out
        for part in head:
            node = node.setdefault(part, {})
        node[last] = value
    return out
