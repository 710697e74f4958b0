"""Helpers for the AppTest tests of the Backpropagation and Mini-batches pages."""

import base64
import json
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"


def open_page(path: str) -> AppTest:
    """Run the app, switch to ``path``, and check that the page drew without an exception or error."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    at.switch_page(path)
    at.run()
    assert_clean(at)
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def metric(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert values, f"no metric {label!r} among {[m.label for m in at.metric]}"
    return values[0]


def number(text: str) -> float:
    """A number as the pages write it (true minus signs, ``6.5 × 10⁻¹³``, ``2.2e−16``) as a float."""
    text = text.replace("−", "-").replace("⁻", "-").strip()
    if "× 10" in text:
        mantissa, power = text.split("× 10")
        power = power.translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789"))
        return float(mantissa) * 10.0 ** int(power)
    return float(text)


def _decode(node):
    """Plotly's typed arrays ({"dtype", "bdata", "shape"}) back to numpy arrays, recursively."""
    if isinstance(node, dict):
        if "bdata" in node and "dtype" in node:
            arr = np.frombuffer(base64.b64decode(node["bdata"]), dtype=node["dtype"])
            shape = node.get("shape")
            if isinstance(shape, str):
                shape = [int(s) for s in shape.split(",")]
            return arr.reshape(shape) if shape else arr
        return {k: _decode(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_decode(v) for v in node]
    return node


def charts(at: AppTest) -> list[dict]:
    """The page's Plotly figures, top to bottom, arrays decoded."""
    return [_decode(json.loads(element.proto.spec)) for element in at.get("plotly_chart")]


def chart_titles(at: AppTest) -> list[str]:
    return [fig["layout"]["title"]["text"] for fig in charts(at)]


def chart(at: AppTest, title_start: str) -> dict:
    found = [fig for fig in charts(at) if fig["layout"]["title"]["text"].startswith(title_start)]
    assert len(found) == 1, f"{len(found)} charts titled {title_start!r}...; titles: {chart_titles(at)}"
    return found[0]


def z(fig: dict) -> np.ndarray:
    """The first trace's z (a heatmap's matrix) as a float array."""
    return np.asarray(fig["data"][0]["z"], dtype=float)


def latex(at: AppTest) -> str:
    return "\n".join(el.value for el in at.latex)


def markdown(at: AppTest) -> str:
    return "\n".join(el.value for el in at.markdown)


def tables(at: AppTest) -> list:
    """The page's st.table DataFrames, top to bottom."""
    return [t.value for t in at.table]
