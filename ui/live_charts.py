"""Live charts: charts on the page move to new data in the browser, without being drawn again.

The Train a network page plays training at five chart updates a second.  Drawing its charts again with
``st.plotly_chart`` at that rate does not keep up: a chart whose figure changes gets a new element id,
so Streamlit mounts it afresh (Plotly draws it from scratch, twice), about a second of browser CPU per
update for the page's five charts on this machine (tests/perf/bench_train_play.py).  Nor does a
fragment rerun per update: each costs the browser Streamlit's own rerun work besides the charts'.

So the page draws its charts once, outside its live fragment, and on each run of the fragment (once a
second) sends the next second's updates, each only what the figure builders computed for one epoch
(:func:`core.figures.train.live_frame`).  ``ui/live_charts.js`` (served with the page, never from a
CDN) draws them one after another, ``interval_ms`` apart, with ``Plotly.animate`` (traces only) and
``Plotly.relayout`` (the layout values that changed): the browser picks which precomputed update to
show when, and computes nothing.  When the fragment stops, the page reruns and draws every chart at the
epoch reached, exactly as the builders make it.

Usage, in a fragment that reruns once a second while the charts stay::

    move_charts("train_live", [{"train_accuracy": live_frame(draft, layout=CURVES_LIVE_LAYOUT), ...},
                               ...], interval_ms=200)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from ui.components import script_component

COMPONENT_NAME = "explorer_live_charts"
_JS_PATH = Path(__file__).with_name("live_charts.js")


def _component() -> Callable:
    return script_component(COMPONENT_NAME, _JS_PATH)


def live_payload(updates: Sequence[Mapping[str, Mapping]], interval_ms: int) -> str:
    """The updates as the JSON text the script reads (``{"updates": [...], "interval": ms}``), no NaN.

    Parameters
    ----------
    updates : sequence of mappings of str to dict, at least one
        Each one update of the charts: chart key → :func:`core.figures.train.live_frame`'s dict.
    interval_ms : int >= 0
        Milliseconds between two updates in the browser (the first is drawn at once).

    Raises
    ------
    ValueError
        If there is no update, a frame lacks ``traces``, ``data`` or ``layout``, a frame holds NaN or
        infinity (send None), or ``interval_ms`` is not a whole number of milliseconds >= 0.

    Examples
    --------
    >>> live_payload([{"c": {"traces": [0], "data": [{"x": [0, 1], "y": [1.0, None]}], "layout": {}}}], 200)
    '{"updates": [{"c": {"traces": [0], "data": [{"x": [0, 1], "y": [1.0, null]}], "layout": {}}}], \
"interval": 200}'
    """
    if isinstance(interval_ms, bool) or not isinstance(interval_ms, int) or interval_ms < 0:
        raise ValueError(f"interval_ms must be a whole number of milliseconds >= 0; got {interval_ms!r}")
    if isinstance(updates, Mapping) or len(updates) == 0:
        raise ValueError(f"updates must be a list of at least one {{chart key: frame}}; got {updates!r:.80}")
    for frames in updates:
        for key, frame in frames.items():
            missing = {"traces", "data", "layout"} - set(frame)
            if missing:
                raise ValueError(
                    f"frame {key!r} must hold traces, data and layout; missing {sorted(missing)}"
                )
    return json.dumps(
        {"updates": [dict(frames) for frames in updates], "interval": interval_ms}, allow_nan=False
    )


def move_charts(key: str, updates: Sequence[Mapping[str, Mapping]], interval_ms: int) -> None:
    """In the browser, move the charts to each update in turn, one every ``interval_ms``.

    Parameters
    ----------
    key : str
        The component's element key (one per page).
    updates : sequence of mappings of str to dict
        The updates in the order to draw them; each maps a chart key (as given to ``show_figure``) to
        :func:`core.figures.train.live_frame`'s dict.  When new updates arrive before these are all drawn,
        the rest are dropped and the new ones drawn.
    interval_ms : int
        Milliseconds between two updates (the first is drawn at once).
    """
    _component()(key=key, data={"payload": live_payload(updates, interval_ms)}, height=0)
