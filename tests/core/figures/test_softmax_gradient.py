"""Figure builders of the Softmax gradient page (core.figures.softmax_gradient)."""

import numpy as np

from core.figures.softmax_gradient import chain_rule_check_figure, chain_rule_cost_figure
from core.figures.style import NEGATIVE, POSITIVE
from core.jacobians import softmax_cross_entropy_chain


def test_chain_rule_check_figure_draws_bars_and_both_jacobian_routes():
    chain = softmax_cross_entropy_chain([3.5, 0.8, 0.2, -0.5], 0)
    fig = chain_rule_check_figure(
        chain.grad, chain.chain, chain.chain_numerical, class_names=["Cat", "Dog", "Bird", "Fish"], target=0
    )
    assert [t.type for t in fig.data] == ["bar", "scatter", "scatter"]
    bars, analytic, numerical = fig.data
    np.testing.assert_allclose(bars.y, chain.grad)
    np.testing.assert_allclose(analytic.y, chain.chain)
    np.testing.assert_allclose(numerical.y, chain.chain_numerical)
    assert list(bars.x) == ["Cat<br>(true)<br>−0.109", "Dog<br>+0.060", "Bird<br>+0.033", "Fish<br>+0.016"]
    assert list(bars.marker.color) == [NEGATIVE, POSITIVE, POSITIVE, POSITIVE]
    assert analytic.marker.symbol == "diamond-open"
    assert numerical.marker.symbol == "x-thin"
    assert fig.layout.yaxis.range[0] < -0.109
    assert fig.layout.yaxis.range[1] > 0.109
    assert fig.layout.xaxis.tickangle == 0
    assert "nats" in fig.layout.yaxis.title.text


def test_chain_rule_cost_figure_is_log_log_with_labelled_marks():
    classes = np.array([1, 10, 100, 1000, 50_000])
    fig = chain_rule_cost_figure(classes, classes**2, classes, marked=(10, 1000, 50_000))
    assert len(fig.data) == 3
    full, short, marks = fig.data
    np.testing.assert_array_equal(full.y, classes.astype(float) ** 2)
    np.testing.assert_array_equal(short.y, classes)
    np.testing.assert_array_equal(marks.x, [10, 1000, 50_000])
    assert list(marks.text) == ["C = 10: 100", "C = 1,000: 1·10⁶", "C = 50,000: 2.5·10⁹"]
    assert fig.layout.xaxis.type == "log"
    assert fig.layout.yaxis.type == "log"
    assert len(chain_rule_cost_figure(classes, classes**2, classes).data) == 2
