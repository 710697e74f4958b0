"""Helpers for the AppTest tests of the Surprise, Binary cross-entropy and Multi-class logits pages."""

import json

from streamlit.testing.v1 import AppTest

from tests.pages._apptest import APP, assert_clean, decode_plotly, open_page  # noqa: F401


def metrics(at: AppTest) -> list[tuple[str, str]]:
    """The page's metrics as (label, value) pairs, top to bottom."""
    return [(m.label, m.value) for m in at.metric]


def metric(at: AppTest, label: str, index: int = 0) -> str:
    """The value of the ``index``-th metric called ``label``."""
    values = [value for name, value in metrics(at) if name == label]
    assert len(values) > index, f"no metric {label!r} (#{index}) among {metrics(at)}"
    return values[index]


def chart(at: AppTest, index: int) -> dict:
    """The ``index``-th Plotly chart of the page as a dict (``data``, ``layout``), arrays decoded."""
    charts = at.get("plotly_chart")
    assert len(charts) > index, f"only {len(charts)} charts on the page"
    return decode_plotly(json.loads(charts[index].proto.spec))


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
