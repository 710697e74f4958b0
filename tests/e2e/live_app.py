"""A tiny app for tests/e2e/test_live_charts.py: one chart that ``ui.live_charts`` moves, as Train does.

Run by the test as ``streamlit run tests/e2e/live_app.py``; Streamlit runs it as ``__main__``, so the
page is drawn by :func:`main`, while pytest's doctest collection only imports the module.

While "playing" the chart is drawn at level 0 and the live component moves it through levels 1 … 12,
``INTERVAL_MS`` apart.  "Pause" reruns the page the way Train's pause does: the chart is drawn afresh at
``PAUSED`` and the component is not sent again, so it stays on the page until the rerun ends, which here
takes ``PAUSE_SECONDS`` (a loaded server's slow rerun), while its timer still holds updates to draw.
"""

import time

import streamlit as st

CHART_KEY = "live_chart"
PLAY_KEY = "live_play"
PAUSE_KEY = "live_pause"
LEVELS = tuple(range(1, 13))
INTERVAL_MS = 250
PAUSED = 42.0
PAUSE_SECONDS = 2.0


def figure(level: float) -> dict:
    return {
        "data": [{"type": "scatter", "x": [0, 1, 2], "y": [level] * 3, "mode": "lines+markers"}],
        "layout": {
            "height": 300,
            "yaxis": {"range": [0, 50]},
            "margin": {"l": 40, "r": 10, "t": 10, "b": 30},
        },
    }


def update(level: float) -> dict:
    """What the component draws for one level: the shape ``core.figures.train.live_frame`` returns."""
    return {CHART_KEY: {"traces": [0], "data": [{"x": [0, 1, 2], "y": [level] * 3}], "layout": {}}}


def main() -> None:
    from ui.live_charts import move_charts

    playing = st.session_state.setdefault("playing", True)
    st.button("Pause", key=PAUSE_KEY, on_click=lambda: st.session_state.update(playing=False))
    st.button("Play", key=PLAY_KEY, on_click=lambda: st.session_state.update(playing=True))
    st.plotly_chart(figure(0.0 if playing else PAUSED), key=CHART_KEY)
    if playing:
        move_charts("live", [update(level) for level in LEVELS], interval_ms=INTERVAL_MS)
    else:
        time.sleep(PAUSE_SECONDS)


if __name__ == "__main__":
    main()
