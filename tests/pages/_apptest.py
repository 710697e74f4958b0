"""What every page test needs: open a page through app.py, check it drew cleanly, decode its charts."""

import base64
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"


def open_page(path: str, timeout: float = 60) -> AppTest:
    """Run the app, switch to ``path`` (e.g. ``"pages/binary.py"``) and check that it drew cleanly."""
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    at.run()
    at.switch_page(path)
    at.run()
    assert_clean(at)
    return at


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
