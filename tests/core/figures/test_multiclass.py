"""Figure builders of the Multi-class logits page (core.figures.multiclass)."""

import numpy as np
import pytest

from core.figures.multiclass import multiclass_bars_figure
from core.figures.style import NEGATIVE, POSITIVE, TRUE_CLASS
from core.multiclass import multiclass_breakdown
from tests.core.figures._helpers import LABELS, trace_names


def test_multiclass_bars_figure_seed_state():
    b = multiclass_breakdown([3.5, 0.8, 0.2, -0.5], 0)
    fig = multiclass_bars_figure(LABELS, b.probs, b.contributions, b.grad, true_index=0, unit="nats")
    assert trace_names(fig) == ["probability", "loss contribution", "gradient"]
    probs, parts, grads = fig.data
    assert list(probs.y) == ["🐱 Cat (true)", "🐶 Dog", "🐦 Bird", "🐟 Fish"]
    assert all(t.orientation == "h" for t in fig.data)
    assert list(probs.text) == ["89.1%", "6.0%", "3.3%", "1.6%"]
    assert probs.marker.color[0] == TRUE_CLASS
    assert list(parts.text) == ["0.1155", "0.0000", "0.0000", "0.0000"]
    assert list(grads.text) == ["−0.109", "+0.060", "+0.033", "+0.016"]
    assert list(grads.marker.color) == [NEGATIVE, POSITIVE, POSITIVE, POSITIVE]
    assert list(grads.marker.pattern.shape) == ["/", "", "", ""]  # sign by pattern too, not colour alone
    assert fig.layout.xaxis3.range[0] < -0.109 < 0.06 < fig.layout.xaxis3.range[1]
    assert [a.text for a in fig.layout.annotations] == [
        "probability p",
        "loss part −y′ log p (nats)",
        "gradient ∂L/∂z",
    ]


@pytest.mark.parametrize("n", [2, 10])
def test_multiclass_bars_figure_height_grows_with_the_classes(n):
    z = np.linspace(-2, 2, n)
    b = multiclass_breakdown(z, n - 1, temperature=0.5, label_smoothing=0.2)
    labels = [f"class {k}" for k in range(n)]
    fig = multiclass_bars_figure(labels, b.probs, b.contributions, b.grad, true_index=n - 1, unit="bits")
    assert len(fig.data[0].y) == n
    assert fig.data[0].y[-1] == f"class {n - 1} (true)"
    assert fig.layout.height == 170 + 44 * n
    assert sum(fig.data[1].x) == pytest.approx(b.loss)
    assert "(bits)" in fig.layout.annotations[1].text
