"""What the figure tests share: class labels and short readers of a built figure."""

import plotly.graph_objects as go

LABELS = ["🐱 Cat", "🐶 Dog", "🐦 Bird", "🐟 Fish"]


def trace_names(fig: go.Figure) -> list[str]:
    return [t.name for t in fig.data]


def annotation_texts(fig: go.Figure) -> list[str]:
    return [a.text for a in fig.layout.annotations]


def traces_by_name(fig: go.Figure) -> dict:
    return {trace.name: trace for trace in fig.data}
