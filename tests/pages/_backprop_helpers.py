"""Helpers for the AppTest tests of the Backpropagation and Mini-batches pages."""

import json

import numpy as np
from streamlit.testing.v1 import AppTest

from tests.pages._apptest import APP, assert_clean, decode_plotly, open_page  # noqa: F401


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


def charts(at: AppTest) -> list[dict]:
    """The page's Plotly figures, top to bottom, arrays decoded."""
    return [decode_plotly(json.loads(element.proto.spec)) for element in at.get("plotly_chart")]


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
