"""Figure builders of the Softmax gradient page (core.figures.softmax_gradient)."""

import numpy as np
import pytest

from core.figures.scrub import check_frame
from core.figures.softmax_gradient import (
    chain_rule_check_figure,
    chain_rule_cost_figure,
    softmax_jacobian_figure,
    softmax_jacobian_frames,
)
from core.figures.style import NEGATIVE, POSITIVE
from core.formatting import signed
from core.functional import softmax
from core.jacobians import softmax_cross_entropy_chain

LOGIT_VALUES = [round(-8 + 0.1 * k, 1) for k in range(161)]


def test_softmax_jacobian_figure_writes_each_entry_of_diag_s_minus_s_s_transposed():
    s = softmax([3.5, 0.8, 0.2, -0.5])
    fig = softmax_jacobian_figure(softmax_cross_entropy_chain([3.5, 0.8, 0.2, -0.5], 0).jacobian)
    (heat,) = fig.data
    expected = np.diag(s) - np.outer(s, s)
    np.testing.assert_allclose(heat.z, expected, rtol=1e-15, atol=1e-17)
    assert list(heat.x) == ["z₁", "z₂", "z₃", "z₄"]
    assert list(heat.y) == ["s₁", "s₂", "s₃", "s₄"]
    assert heat.text[0][1] == signed(float(-s[0] * s[1]), 3) == "−0.053"  # −s₁s₂, not −s₁s₁
    assert heat.zmax == -heat.zmin == pytest.approx(np.abs(expected).max())


@pytest.mark.parametrize(("logits", "vary"), [([3.5, 0.8, 0.2, -0.5], 0), ([0.0, 8.0, -8.0], 2)])
def test_softmax_jacobian_frames_are_the_jacobian_core_computes_at_every_value(logits, vary):
    frames = softmax_jacobian_frames(logits, vary, LOGIT_VALUES)
    assert frames["traces"] == [0]
    assert len(frames["frames"]) == len(LOGIT_VALUES)
    for k, value in enumerate(LOGIT_VALUES):
        z = np.array(logits, dtype=float)
        z[vary] = value
        s = softmax(z)
        expected = np.diag(s) - np.outer(s, s)
        (frame,) = frames["frames"][k]
        np.testing.assert_allclose(frame["z"], expected, rtol=1e-12, atol=1e-15)
        assert frame["text"] == [[signed(float(v), 3) for v in row] for row in expected]
        assert frame["zmax"] == pytest.approx(np.abs(expected).max(), rel=1e-12)
        # and the frame is the figure the page draws at that value: the drag ends where the page starts
        check_frame(softmax_jacobian_figure.draft(softmax_cross_entropy_chain(z, vary).jacobian), frames, k)


@pytest.mark.parametrize("vary", [-1, 3])
def test_softmax_jacobian_frames_name_a_logit_that_is_not_there(vary):
    with pytest.raises(ValueError, match="vary must index one of the 3 logits"):
        softmax_jacobian_frames([0.0, 1.0, 2.0], vary, [0.0, 1.0])


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
