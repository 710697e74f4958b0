"""What every page test needs: open a page through app.py, check it drew cleanly, read what it shows.

Each helper is defined here once: metrics, charts and their traces, tables, and the page's text.
"""

import base64
import json
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

from ui.teaching import QUESTION_TITLE, WHAT_TO_TRY_TITLE

APP = Path(__file__).resolve().parents[2] / "app.py"


NOT_STICKY = "not sticky"  # open_recording_drags: the charts whose listeners only follow the slider's moves


def open_page(path: str, timeout: float = 60) -> AppTest:
    """Run the app, switch to ``path`` (e.g. ``"pages/binary.py"``) and check that it drew cleanly."""
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    at.run()
    at.switch_page(path)
    at.run()
    assert_clean(at)
    return at


def open_recording_drags(path: str, monkeypatch) -> tuple[AppTest, dict]:
    """:func:`open_page` with ``ui.scrub.follow_drag`` recorded: chart key -> (slider key, payload as JSON),
    and under :data:`NOT_STICKY` the chart keys of listeners sent with ``sticky=False``.

    Use it in a fixture: ``return open_recording_drags(PAGE, monkeypatch)``.
    """
    sent = {}

    def record(chart_key, widget_key, payload, *, redraw=False, sticky=True):
        assert not redraw, f"{chart_key}: a chart of traces that move in place is not redrawn at each frame"
        sent[chart_key] = (widget_key, json.loads(payload))
        if not sticky:  # a listener that only follows the slider's moves (ui.scrub.follow_drag)
            sent.setdefault(NOT_STICKY, set()).add(chart_key)

    monkeypatch.setattr("ui.scrub.follow_drag", record)
    return open_page(path), sent


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def decode_plotly(node):
    """Plotly's typed arrays ({"dtype", "bdata", "shape"}) back to numpy arrays, recursively.

    ``shape`` comes as a list or as a string such as ``"2, 3"``; without it the array stays flat.
    """
    if isinstance(node, dict):
        if "bdata" in node and "dtype" in node:
            arr = np.frombuffer(base64.b64decode(node["bdata"]), dtype=node["dtype"])
            shape = node.get("shape")
            if isinstance(shape, str):
                shape = [int(s) for s in shape.split(",")]
            return arr.reshape(shape) if shape else arr
        return {k: decode_plotly(v) for k, v in node.items()}
    if isinstance(node, list):
        return [decode_plotly(v) for v in node]
    return node


def rerun(at: AppTest) -> AppTest:
    """Run the page again (after changing a widget) and check that it drew cleanly."""
    at.run()
    assert_clean(at)
    return at


# ---------------------------------------------------------------------------------------------- metrics
def metrics(at: AppTest) -> list[tuple[str, str]]:
    """The page's metrics as (label, value) pairs, top to bottom."""
    return [(m.label, m.value) for m in at.metric]


def metric(at: AppTest, label: str, index: int | None = None) -> str:
    """The value of the metric called ``label``: the only one, or the ``index``-th of several."""
    values = [value for name, value in metrics(at) if name == label]
    if index is None:
        assert len(values) == 1, f"metric {label!r}: {values} among {metrics(at)}"
        return values[0]
    assert len(values) > index, f"no metric {label!r} (#{index}) among {metrics(at)}"
    return values[index]


def number(text: str) -> float:
    """A number as the pages write it (true minus signs, ``9.1e−11``, ``6.5 × 10⁻¹³``) as a float."""
    text = text.replace("−", "-").replace("⁻", "-").strip()
    if "× 10" in text:
        mantissa, power = text.split("× 10")
        power = power.translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789"))
        return float(mantissa) * 10.0 ** int(power)
    return float(text.replace("×", "").strip())


# ----------------------------------------------------------------------------------------------- charts
def charts(at: AppTest) -> list[dict]:
    """The page's Plotly charts, top to bottom, as dicts (``data``, ``layout``) with arrays decoded."""
    return [decode_plotly(json.loads(element.proto.spec)) for element in at.get("plotly_chart")]


def chart_titles(at: AppTest) -> list[str]:
    return [fig["layout"]["title"]["text"] for fig in charts(at)]


def chart(at: AppTest, which: int | str) -> dict:
    """One chart: the ``which``-th (an int), or the only one whose title starts with ``which`` (a str)."""
    figs = charts(at)
    if isinstance(which, int):
        assert len(figs) > which, f"only {len(figs)} charts on the page"
        return figs[which]
    found = [fig for fig in figs if fig["layout"]["title"]["text"].startswith(which)]
    assert len(found) == 1, f"{len(found)} charts titled {which!r}...; titles: {chart_titles(at)}"
    return found[0]


def trace(fig: dict, name: str) -> dict:
    """The trace called ``name`` (exact match)."""
    found = [t for t in fig["data"] if t.get("name") == name]
    assert found, f"no trace {name!r} among {[t.get('name') for t in fig['data']]}"
    return found[0]


def values(seq) -> np.ndarray:
    """A trace's x or y as floats (None -> NaN)."""
    return np.array([np.nan if v is None else v for v in seq], dtype=float)


def z(fig: dict) -> np.ndarray:
    """The first trace's z (a heatmap's matrix) as a float array."""
    return np.asarray(fig["data"][0]["z"], dtype=float)


def annotation_texts(fig: dict) -> list[str]:
    return [a.get("text", "") for a in fig["layout"].get("annotations", [])]


# ------------------------------------------------------------------------------------------ tables, text
def tables(at: AppTest) -> list:
    """The page's st.table DataFrames, top to bottom."""
    return [t.value for t in at.table]


def dataframe(at: AppTest, index: int):
    """The ``index``-th st.dataframe's DataFrame."""
    return at.dataframe[index].value


def latex(at: AppTest) -> str:
    """All LaTeX of the page, joined."""
    return "\n".join(el.value for el in at.latex)


def markdown_text(at: AppTest) -> str:
    """All Markdown of the main area, joined."""
    return "\n".join(md.value for md in at.main.markdown)


def text(at: AppTest) -> str:
    """All Markdown, info, success and warning text of the main area, joined (without the teaching aids)."""
    aids = {md.value for box in at.main.expander if box.label == WHAT_TO_TRY_TITLE for md in box.markdown}
    parts = [md.value for md in at.main.markdown if md.value not in aids and QUESTION_TITLE not in md.value]
    parts += [el.value for kind in ("info", "success", "warning") for el in getattr(at.main, kind)]
    return "\n".join(parts)
