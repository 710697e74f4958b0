"""Helpers for the AppTest tests of the Softmax gradient and Vectorized identities pages."""

import json

import numpy as np
from streamlit.testing.v1 import AppTest

from tests.pages._apptest import APP, assert_clean, decode_plotly, open_page  # noqa: F401


def metric(at: AppTest, label: str) -> str:
    values = [m.value for m in at.metric if m.label == label]
    assert values, f"no metric {label!r} among {[m.label for m in at.metric]}"
    return values[0]


def number(text: str) -> float:
    """A number as the pages write it (true minus signs, ``9.1e−11``) as a float."""
    return float(text.replace("−", "-").replace("×", "").strip())


def charts(at: AppTest) -> dict[str, dict]:
    """The page's Plotly charts by title: ``{"title": {"data": [...], "layout": {...}}}``, arrays decoded."""
    out = {}
    for element in at.get("plotly_chart"):
        fig = decode_plotly(json.loads(element.proto.spec))
        out[fig["layout"]["title"]["text"]] = fig
    return out


def chart(at: AppTest, title_start: str) -> dict:
    found = [fig for title, fig in charts(at).items() if title.startswith(title_start)]
    assert len(found) == 1, f"{len(found)} charts titled {title_start!r}...; titles: {list(charts(at))}"
    return found[0]


def z(fig: dict) -> np.ndarray:
    """The first trace's z (a heatmap's matrix) as a float array."""
    return np.asarray(fig["data"][0]["z"], dtype=float)


def latex(at: AppTest) -> str:
    return "\n".join(el.value for el in at.latex)


def tables(at: AppTest) -> list:
    """The page's st.table DataFrames, top to bottom."""
    return [t.value for t in at.table]
