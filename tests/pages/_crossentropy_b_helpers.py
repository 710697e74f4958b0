"""Helpers for the AppTest tests of the Loss comparison, Entropy and KL and Numerical pitfalls pages."""

import json

import numpy as np
from streamlit.testing.v1 import AppTest

from tests.pages._apptest import APP, assert_clean, decode_plotly, open_page  # noqa: F401
from ui.teaching import QUESTION_TITLE, WHAT_TO_TRY_TITLE


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert_clean(at)
    return at


def metric(at: AppTest, label: str) -> str:
    """The value of the metric called ``label`` (it must be unique on the page)."""
    values = [m.value for m in at.metric if m.label == label]
    assert len(values) == 1, f"metric {label!r}: {values} among {[m.label for m in at.metric]}"
    return values[0]


def charts(at: AppTest) -> list[dict]:
    return [decode_plotly(json.loads(c.proto.spec)) for c in at.get("plotly_chart")]


def trace(fig: dict, name: str) -> dict:
    found = [t for t in fig["data"] if t.get("name") == name]
    assert found, f"no trace {name!r} among {[t.get('name') for t in fig['data']]}"
    return found[0]


def values(seq) -> np.ndarray:
    """A trace's x or y as floats (None -> NaN)."""
    return np.array([np.nan if v is None else v for v in seq], dtype=float)


def dataframe(at: AppTest, index: int):
    return at.dataframe[index].value


def text(at: AppTest) -> str:
    """All Markdown, info, success and warning text of the main area, joined (without the teaching aids)."""
    aids = {md.value for box in at.main.expander if box.label == WHAT_TO_TRY_TITLE for md in box.markdown}
    parts = [md.value for md in at.main.markdown if md.value not in aids and QUESTION_TITLE not in md.value]
    parts += [el.value for kind in ("info", "success", "warning") for el in getattr(at.main, kind)]
    return "\n".join(parts)
