"""Figure builders of the Mini-batches page (core.figures.minibatch)."""

import numpy as np
import pytest

from core.figures.minibatch import _one_two_five, gradient_spread_figure, per_example_gradient_figure
from core.figures.style import NEGATIVE, POSITIVE


def test_per_example_figure_has_signed_bars_and_the_mean_line():
    values = [0.5, -0.25, 0.125, 0.0]
    fig = per_example_gradient_figure(values, label="b₄[1]", mean=0.09375, batch_gradient=0.09375)
    bars, line = fig.data
    np.testing.assert_array_equal(bars.y, values)
    np.testing.assert_array_equal(bars.x, [1, 2, 3, 4])
    assert list(bars.text) == ["+0.500", "−0.250", "+0.125", "0.000"]
    assert list(bars.marker.color) == [POSITIVE, NEGATIVE, POSITIVE, NEGATIVE]
    assert list(bars.marker.pattern.shape) == ["", "/", "", "/"]  # the sign is not colour alone
    np.testing.assert_array_equal(line.y, [0.09375, 0.09375])
    assert line.name == "batch mean = +0.09375"
    assert fig.layout.yaxis.title.text == "∂ℓᵢ / ∂b₄[1]"


def test_per_example_figure_drops_bar_labels_for_big_batches():
    fig = per_example_gradient_figure(np.linspace(-1, 1, 30), label="w", mean=0.0, batch_gradient=0.0)
    assert list(fig.data[0].text) == [""] * 30  # set, not left out: a drag of B moves from labels to none
    assert fig.layout.xaxis.dtick == 5
    assert (
        per_example_gradient_figure([1.0] * 24, label="w", mean=1.0, batch_gradient=1.0).layout.xaxis.dtick
        == 1
    )
    with pytest.raises(ValueError, match="non-empty array of finite numbers"):
        per_example_gradient_figure([np.nan], label="w", mean=0.0, batch_gradient=0.0)


def test_spread_figure_is_log_log_with_the_theory_lines():
    sizes = [1, 2, 4, 8]
    measured = [0.5, 0.36, 0.24, 0.18]
    expected = [0.5 / np.sqrt(b) for b in sizes]
    fig = gradient_spread_figure(
        sizes, measured, expected, label="W₂[1, 3]", expected_finite=[0.5, 0.35, 0.24, 0.0], n_samples=8
    )
    assert [t.name for t in fig.data] == [
        "measured",
        "σ/√B (slope −1/2)",
        "σ/√B · √((N−B)/(N−1)), N = 8",
    ]
    assert fig.layout.xaxis.type == "log"
    assert fig.layout.yaxis.type == "log"
    np.testing.assert_array_equal(fig.data[0].y, measured)
    np.testing.assert_allclose(fig.data[1].y, expected)
    np.testing.assert_array_equal(fig.data[2].x, [1, 2, 4])  # B = N has spread 0: off the log axis
    assert list(fig.layout.xaxis.ticktext) == ["1", "2", "4", "8"]
    assert list(fig.layout.yaxis.tickvals) == [0.1, 0.2, 0.5]
    assert fig.layout.title.text == "Spread of the mini-batch gradient of W₂[1, 3]"


def test_spread_figure_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="equal-length"):
        gradient_spread_figure([1, 2], [0.1], [0.1, 0.05], label="b")


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [
        (0.03, 0.6, [0.02, 0.05, 0.1, 0.2, 0.5, 1.0]),
        (0.1, 0.5, [0.1, 0.2, 0.5]),
        (3.0, 40.0, [2.0, 5.0, 10.0, 20.0, 50.0]),
    ],
)
def test_one_two_five_ticks_cover_the_range(low, high, ticks):
    assert _one_two_five(low, high) == ticks
