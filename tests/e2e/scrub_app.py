"""A tiny app for tests/e2e/test_scrub.py: one ``st.slider`` and one chart that follows its thumb.

Run by the test as ``streamlit run tests/e2e/scrub_app.py``; Streamlit runs it as ``__main__``, so
the page is drawn by :func:`main`, while pytest's doctest collection only imports the module.

The chart is a parabola with the point (x, x²) and its readout as the point's text.  Its frames are
written out here, in the shape the figure side's ``sweep_frames`` returns (one update of the moving
trace per value), so the test exercises ``ui/scrub.py`` and ``ui/scrub.js`` on their own.

Below it, the same chart for a second slider drawn the way the app's pages draw theirs
(``scrubbed_chart``): the slider and its readout are a fragment of their own, the chart is drawn outside
it, so a release reruns only the fragment and the browser keeps the chart at the slider's value.
"""

import streamlit as st

WIDGET_KEY = "scrub_x"
CHART_KEY = "scrub_chart"
VALUES = tuple(round(0.05 * k, 2) for k in range(1, 20))  # the slider's values: 0.05, 0.10, ..., 0.95
GRID = [i / 100 for i in range(101)]
POINT = 1  # the trace that moves
FRAGMENT_WIDGET_KEY = "scrub_fx"  # the slider in a fragment of its own
FRAGMENT_CHART_KEY = "scrub_fchart"  # its chart, drawn outside the fragment


def readout(x: float) -> str:
    """The numbers shown for x: in the chart (the point's text) and on the page."""
    return f"x = {x:.2f}, x² = {x * x:.4f}"


def point(x: float) -> dict:
    """The moving trace's attributes at x (the frame for x, and the figure drawn at x)."""
    return {"x": [x], "y": [x * x], "text": [readout(x)]}


def figure(x: float) -> dict:
    return {
        "data": [
            {"type": "scatter", "x": GRID, "y": [g * g for g in GRID], "mode": "lines", "name": "x²"},
            {"type": "scatter", "mode": "markers+text", "textposition": "top left", **point(x)},
        ],
        "layout": {
            "height": 380,
            "showlegend": False,
            "xaxis": {"range": [0, 1]},
            "yaxis": {"range": [0, 1.1]},
            "margin": {"l": 50, "r": 20, "t": 20, "b": 40},
        },
    }


def main() -> None:
    from ui.scrub import follow_drag, scrub_payload, scrubbed_chart

    x = st.slider("x", VALUES[0], VALUES[-1], 0.5, step=0.05, key=WIDGET_KEY, bind="query-params")
    x = round(x, 2)
    st.markdown(f"Page readout: {readout(x)}")
    st.plotly_chart(figure(x), key=CHART_KEY)
    frames = {"traces": [POINT], "frames": [[point(v)] for v in VALUES]}
    follow_drag(CHART_KEY, WIDGET_KEY, scrub_payload(VALUES, frames))

    st.divider()
    fragment_readout()
    scrubbed_chart(
        lambda v: figure(round(v, 2)),
        key=FRAGMENT_CHART_KEY,
        widget_key=FRAGMENT_WIDGET_KEY,
        payload=scrub_payload(VALUES, frames),
        alt="A parabola with a point on it, at the value of the slider above",
    )


@st.fragment
def fragment_readout() -> None:
    """The second slider and its readout: a release reruns only this."""
    from ui.scrub import track

    x = track(
        FRAGMENT_WIDGET_KEY,
        st.slider(
            "x (fragment)", VALUES[0], VALUES[-1], 0.5, 0.05, key=FRAGMENT_WIDGET_KEY, bind="query-params"
        ),
    )
    st.markdown(f"Fragment readout: {readout(round(x, 2))}")


if __name__ == "__main__":
    main()
