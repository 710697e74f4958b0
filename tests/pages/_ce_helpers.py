"""Helpers for the AppTest tests of the Surprise, Binary cross-entropy and Multi-class logits pages."""

import base64
import json
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"


def open_page(path: str) -> AppTest:
    """Run the app, switch to ``path`` (e.g. ``"pages/binary.py"``) and check that it drew cleanly."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.run()
    at.switch_page(path)
    at.run()
    assert_clean(at)
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def metrics(at: AppTest) -> list[tuple[str, str]]:
    """The page's metrics as (label, value) pairs, top to bottom."""
    return [(m.label, m.value) for m in at.metric]


def metric(at: AppTest, label: str, index: int = 0) -> str:
    """The value of the ``index``-th metric called ``label``."""
    values = [value for name, value in metrics(at) if name == label]
    assert len(values) > index, f"no metric {label!r} (#{index}) among {metrics(at)}"
    return values[index]


def _decode(node):
    """Turn Plotly's typed-array dicts ({"dtype", "bdata"}) back into numpy arrays, recursively."""
    if isinstance(node, dict):
        if "bdata" in node and "dtype" in node:
            arr = np.frombuffer(base64.b64decode(node["bdata"]), dtype=node["dtype"])
            return arr.reshape(node["shape"]) if "shape" in node and isinstance(node["shape"], list) else arr
        return {k: _decode(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_decode(v) for v in node]
    return node


def chart(at: AppTest, index: int) -> dict:
    """The ``index``-th Plotly chart of the page as a dict (``data``, ``layout``), arrays decoded."""
    charts = at.get("plotly_chart")
    assert len(charts) > index, f"only {len(charts)} charts on the page"
    return _decode(json.loads(charts[index].proto.spec))


def trace(fig: dict, name: str) -> dict:
    """The trace called ``name`` (exact match)."""
    found = [t for t in fig["data"] if t.get("name") == name]
    assert found, f"no trace {name!r} among {[t.get('name') for t in fig['data']]}"
    return found[0]


def annotation_texts(fig: dict) -> list[str]:
    return [a.get("text", "") for a in fig["layout"].get("annotations", [])]


def markdown_text(at: AppTest) -> str:
    """All Markdown of the page (main area), joined."""
    return "\n".join(md.value for md in at.main.markdown)
