"""Scrubbing: while a slider's thumb is dragged, its chart follows the thumb, in the browser, with no rerun.

The design:

1. **Before the drag, on the server.**  For every value the page's ``st.slider`` can take, ``core``
   computes what the chart shows there, and the figure side turns that into one frame of trace
   updates per value (``sweep_frames`` in the figure builders' scrub module: the builder's own figure
   at each value, diffed against the figure on screen).  :func:`scrub_payload` makes it one JSON text,
   cached per setting of the page's other controls, and :func:`follow_drag` sends it to the page with
   a ``st.components.v2`` component (``ui/scrub.js``: a few lines of JavaScript, served with the page,
   never from a CDN).
2. **During the drag, the browser alone.**  ``st.slider`` commits its value only when the thumb is
   released, but its hidden ``<input type="range">`` carries the value under the thumb at every move.
   The script watches it and applies that value's frame with ``Plotly.animate`` (only the moving
   traces are redrawn).  The browser picks among numbers ``core`` computed; it computes none and
   sends the server nothing.  Arrow keys change the same input, so a key press redraws the chart at
   once too, before its rerun.
3. **At release, the page as before.**  The slider commits, the page reruns once, the URL parameter
   (``bind="query-params"``) and every other number on the page follow, and the chart is drawn at the
   committed value: the same picture as that value's frame.

So a drag costs the server one rerun, however long it lasts: 100 students scrubbing cost what 100
slider releases cost.  What moves must be drawn as traces (a frame cannot move an annotation).

4. **A release that costs the server only the readouts** (:func:`scrubbed_chart`).  Where the chart
   depends on the slider and on nothing else that its section's rerun changes, the slider and the
   numbers it moves (metrics, sentence) form a fragment of their own, and the chart is drawn outside it,
   with the listener.  A release then reruns only that small fragment: the chart is not built, serialized
   or sent again, and the browser keeps it at the slider's value (the script applies that value's frame
   after any redraw of the chart too).  With 100 students on Binary cross-entropy the server's CPU per
   rerun fell from about 14 ms to 8 ms (Streamlit's bare page: 6 ms).  Where the chart also depends on
   the fragment's other sliders (every logit on Multi-class logits), the fragment draws the listeners
   itself (:func:`follow_drag`): their frames are then always the current state's, and ``layout=``
   carries the axis ranges that go with them.

Usage (``P_VALUES``: every value of the slider, in order)::

    @st.cache_data(max_entries=4)  # one sweep per label and unit, for every session
    def _probability_scrub(y: int, unit: str) -> str:
        return scrub_payload(P_VALUES, sweep_frames(lambda p: _draft(p, y, unit), P_VALUES, name="p"))

    @safe_fragment
    def readouts() -> None:  # reruns alone at a release
        p = track("bce_p", st.slider("p", 0.01, 0.99, 0.7, 0.01, key="bce_p"))
        st.metric("loss", f"{bce(p):.4f}")

    readouts()
    scrubbed_chart(lambda p: _draft(p, y, unit), key="bce_prob_chart", widget_key="bce_p",
                   payload=_probability_scrub(y, unit), alt=...)
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from numbers import Real
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from ui.components import script_component

if TYPE_CHECKING:  # plotly is imported by core.figures; this module only passes figures through
    import plotly.graph_objects as go

COMPONENT_NAME = "explorer_scrub"
_JS_PATH = Path(__file__).with_name("scrub.js")
# The bindings of the drag_group being built in this script run (each session runs in a thread of its own).
_GROUP: ContextVar[list[str] | None] = ContextVar("explorer_scrub_group", default=None)
_TRACKED = "scrub-tracked"
# figure_sweep's texts, shared by every session: (share, values, screen) -> JSON text, least recently used
# dropped first (a backprop stage sweep is about 100 KB).
MAX_FIGURE_SWEEPS = 64
_SWEEPS: OrderedDict = OrderedDict()
_SWEEPS_LOCK = threading.Lock()  # session-state key: slider key -> the value its fragment last ran with


def _listener() -> Callable:
    return script_component(COMPONENT_NAME, _JS_PATH)


def listener_key(chart_key: str) -> str:
    """The element key of the listener mounted for ``chart_key`` (unique on the page)."""
    return f"scrub-{chart_key}"  # Streamlit forbids "__" in a component's key


def slider_values(low: float, high: float, step: float, decimals: int) -> tuple[float, ...]:
    """Every value of an ``st.slider`` from ``low`` to ``high`` by ``step``, rounded as the slider does.

    >>> slider_values(0.1, 0.5, 0.1, 1)
    (0.1, 0.2, 0.3, 0.4, 0.5)
    """
    return tuple(round(low + k * step, decimals) for k in range(round((high - low) / step) + 1))


def scrub_payload(values: Sequence[float], frames: Mapping) -> str:
    """The slider's values and the chart's frames as one JSON text, for :func:`follow_drag`.

    Build it once per setting of the page's other controls and cache it (``st.cache_data``): a cached
    text costs a rerun next to nothing (about 0.3 ms for Binary's 99 frames), where the same data as
    a dict would be copied out of the cache and serialized twice on every rerun (about 8 ms).

    Parameters
    ----------
    values : sequence of float, length n
        Every value the slider can take, in order (``min_value``, ``min_value + step``, ...).
    frames : mapping
        ``{"traces": [i, ...], "frames": [...]}`` with one frame per value, as ``scrub_frames`` returns;
        with ``"layouts"`` too (``scrub_frames(..., redrawn=True)``), the chart is redrawn at each frame.
        Or ``{"figures": [...]}``, one whole figure per value (``figure_frames``, :func:`figure_sweep`).

    Raises
    ------
    ValueError
        If ``values`` is empty or not numeric, or ``frames`` does not hold one frame per value.

    Examples
    --------
    >>> scrub_payload([0.25, 0.5], {"traces": [1], "frames": [[{"x": [0.25]}], [{"x": [0.5]}]]})
    '{"values":[0.25,0.5],"traces":[1],"frames":[[{"x":[0.25]}],[{"x":[0.5]}]]}'
    """
    values = list(values)
    if not values or not all(isinstance(v, Real) and not isinstance(v, bool) for v in values):
        raise ValueError(f"values must be the slider's numeric values, in order; got {values[:5]!r}")
    if "figures" in frames:  # whole figures (core.figures.scrub.figure_frames), drawn with Plotly.react
        if len(frames["figures"]) != len(values):
            raise ValueError(
                f"frames must hold one figure per value ({len(values)}); got {len(frames['figures'])}"
            )
        payload = {"values": [float(v) for v in values], "figures": frames["figures"]}
        return json.dumps(payload, allow_nan=False, separators=(",", ":"))
    if "traces" not in frames or len(frames.get("frames", ())) != len(values):
        raise ValueError(
            f"frames must hold 'traces' and one frame per value ({len(values)}); "
            f"got keys {sorted(frames)} and {len(frames.get('frames', ()))} frames"
        )
    if "layouts" in frames and len(frames["layouts"]) != len(values):
        raise ValueError(f"frames' layouts must hold one update per value ({len(values)})")
    payload = {"values": [float(v) for v in values], "traces": list(frames["traces"])}
    payload["frames"] = frames["frames"]
    if "layouts" in frames:
        payload["layouts"] = frames["layouts"]
    return json.dumps(payload, allow_nan=False, separators=(",", ":"))  # compact: sent with the page


def figure_sweep(build: Callable[[float], go.Figure], values: Sequence[float], *, share: Hashable) -> str:
    """:func:`scrub_payload` of the whole figure at every value, styled as this session draws its charts.

    For a chart whose shape changes with the slider (which matrices a backprop stage shows, a grid of
    heatmaps that grows with n): ``ui/scrub.js`` draws the value's whole figure with ``Plotly.react``.
    Each figure is adapted to presenter mode and the theme as :func:`ui.common.show_figure` adapts the
    one on the page, and the text is kept once per process for each ``share`` and screen (every session
    on the same settings sends the same bytes).

    Parameters
    ----------
    build : callable
        ``build(value)`` returns the figure the page draws at ``value`` (``core.figures``); every
        figure must have the same title (``core.figures.scrub.figure_frames``).
    values : sequence of float
        Every value of the slider, in order.
    share : hashable
        Everything the figures depend on besides the value (the page's other settings, the unit).
    """
    from ui.common import screen

    shown_on = screen()
    key = (share, tuple(values), shown_on)
    with _SWEEPS_LOCK:
        found = _SWEEPS.get(key)
        if found is not None:
            _SWEEPS.move_to_end(key)
            return found
    from core.figures.output import adapt
    from core.figures.scrub import figure_frames

    projector, dark = shown_on
    figures = []
    for value in values:
        fig = build(value)
        shown = adapt(fig, projector=projector, dark=dark) if projector or dark else fig
        figures.append(shown.to_dict())
    text = scrub_payload(values, figure_frames(figures, [f"value = {v:g}" for v in values]))
    with _SWEEPS_LOCK:
        _SWEEPS[key] = text
        while len(_SWEEPS) > MAX_FIGURE_SWEEPS:
            _SWEEPS.popitem(last=False)
    return text


def tracked() -> dict:
    """This session's values noted by :func:`track` (slider key -> value): the same dict on every run.

    A chart's CSV button, built at a full run and pressed after some fragment reruns, reads it to build the
    chart as it is on screen.
    """
    return st.session_state.setdefault(_TRACKED, {})


def track(widget_key: str, value: float) -> float:
    """Note the value the slider's fragment ran with (for :func:`scrubbed_chart`'s CSV); return it.

    Call it in the fragment that draws the slider: ``p = track("bce_p", st.slider(..., key="bce_p"))``.
    """
    tracked()[widget_key] = value
    return value


def scrubbed_chart(
    draw: Callable[[float], go.Figure],
    *,
    key: str,
    widget_key: str,
    payload: str,
    alt: str,
    redraw: bool = False,
) -> None:
    """Draw, outside the slider's fragment, a chart that shows the slider's value in the browser.

    The chart is built at the slider's value of this run (a full run of the page or of the section), and
    the drag listener keeps it at the slider's value after that, while the slider's own fragment reruns
    alone (item 4 of the module's design).  The chart's CSV is built, when its button is pressed, at the
    value the slider's fragment last ran with (:func:`track`).

    Parameters
    ----------
    draw : callable
        ``draw(value)`` returns the figure at a value of the slider (built by ``core.figures``); its
        frames for a drag are in ``payload``.
    key : str
        The chart's element key.
    widget_key : str
        The slider's key; the slider is drawn (in its fragment) before this call.
    payload : str
        :func:`scrub_payload`'s text for ``draw`` over the slider's values (cached).
    alt : str
        What the chart shows, for screen readers.  It is sent with the chart, so it must not name the
        slider's value (the chart is not sent again when the slider moves): the readouts beside the chart
        name it.
    redraw : bool, default False
        As :func:`follow_drag`.
    """
    from ui.common import csv_button, show_figure
    from ui.frame import presenter

    value = st.session_state[widget_key]
    show_figure(draw(value), key=key, alt=alt, export=False)
    follow_drag(key, widget_key, payload, redraw=redraw)
    if not presenter():
        noted = tracked()
        csv_button(lambda: draw(noted.get(widget_key, value)), key=key)


def follow_drag(
    chart_key: str,
    widget_key: str,
    payload: str,
    *,
    layout: Mapping | None = None,
    redraw: bool = False,
    sticky: bool = True,
) -> None:
    """While the slider ``widget_key`` is dragged, the chart ``chart_key`` shows the value under its thumb.

    Call it once per run, after drawing the chart (it adds an empty element there).  Inside
    :func:`drag_group`, the listener is sent with the group's others, as one element.

    Parameters
    ----------
    chart_key : str
        The ``key`` the chart was drawn with (``show_figure(..., key=chart_key)``).
    widget_key : str
        The key of the page's ``st.slider`` (numeric) that the chart follows.
    payload : str
        :func:`scrub_payload`'s text (cached).
    layout : mapping, optional
        A ``Plotly.relayout`` update (e.g. axis ranges), for a chart drawn outside the slider's fragment
        whose axes depend on that fragment's other sliders: the script applies it once per chart, before
        the first frame.  Frames move traces only.
    redraw : bool, default False
        Redraw the whole chart at each frame.  Needed for a heatmap, which plotly.js cannot move in place
        (its frames would change nothing on screen); for a small one a redraw costs about 20 ms a move.
    sticky : bool, default True
        After any redraw of the chart, draw the slider's frame again: the chart shows the slider's value
        whoever drew it.  False: only follow the slider's moves, for a chart that also shows what the
        slider's frames do not (Train a network's regions after some epochs: the frames are epoch 0's).

    Raises
    ------
    ValueError
        If ``payload`` is not a string.
    """
    if not isinstance(payload, str):
        raise ValueError(f"payload must be scrub_payload's JSON text; got {type(payload).__name__}")
    # JSON with the payload spliced in as it is: as a dict's string Streamlit would JSON-encode it twice
    # and hash it on every run (the listener of a fragment is sent again on each of its reruns).
    keys = {
        "chart": chart_key,
        "widget": widget_key,
        "layout": dict(layout or {}),
        "redraw": bool(redraw),
        "sticky": bool(sticky),
    }
    head = json.dumps(keys, allow_nan=False)
    binding = f'{head[:-1]}, "payload": {payload}}}'
    group = _GROUP.get()
    if group is None:
        _mount(listener_key(chart_key), [binding])
    else:
        group.append(binding)


@contextmanager
def drag_group(key: str) -> Iterator[None]:
    """Send the listeners of the :func:`follow_drag` calls inside as one element, keyed ``key``.

    Each listener is an element and a widget of its own, so a fragment that sends several on each rerun
    pays for each (about 0.5 ms of server CPU); one element for all of them costs what one does.  The
    element is added where the block ends.

    >>> with drag_group("kl-prediction"):  # doctest: +SKIP
    ...     follow_drag("kl_stack", "kl_q0", q_stack)
    ...     follow_drag("kl_stack_eps", "kl_eps", e_stack)
    """
    bindings: list[str] = []
    token = _GROUP.set(bindings)
    try:
        yield
    finally:
        _GROUP.reset(token)
    if bindings:
        _mount(listener_key(key), bindings)


def _mount(element_key: str, bindings: Sequence[str]) -> None:
    """One listener element for ``bindings`` (follow_drag's JSON texts), sent as bytes: ui/scrub.js."""
    _listener()(key=element_key, data=f'{{"bindings": [{", ".join(bindings)}]}}'.encode(), height=0)
