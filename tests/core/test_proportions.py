"""core.proportions: slider weights normalised, and percentages rebalanced to sum to 100."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.proportions import normalise_weights, rebalance_percentages


def test_normalise_weights_scales_to_one_and_rejects_all_zero():
    np.testing.assert_allclose(normalise_weights([1, 1, 2]), [0.25, 0.25, 0.5])
    with pytest.raises(ValueError, match="weights are all 0"):
        normalise_weights([0, 0, 0, 0])
    with pytest.raises(ValueError, match="weights must be non-negative; got -1"):
        normalise_weights([1, -1])


def test_rebalance_keeps_the_ratio_of_the_others_and_the_sum():
    assert rebalance_percentages([80.0, 20.0, 10.0], 0) == [80.0, 13.5, 6.5]
    # Dog moved 20 -> 50: Cat and Bird share the other 50 in their old 7:1 ratio (43.75 : 6.25), rounded
    # to the 0.5 grid by the largest remainder (a tie: the first wins).
    assert rebalance_percentages([70.0, 50.0, 10.0], 1) == [44.0, 50.0, 6.0]
    assert rebalance_percentages([30.0, 20.0, 10.0], 0) == [30.0, 46.5, 23.5]  # 46.67 : 23.33


def test_rebalance_clips_the_moved_value_so_the_others_keep_the_minimum():
    assert rebalance_percentages([99.5, 20.0, 10.0], 0) == [99.0, 0.5, 0.5]
    assert rebalance_percentages([0.0, 20.0, 10.0], 0)[0] == 0.5


def test_rebalance_splits_equally_when_the_others_are_at_the_minimum():
    assert rebalance_percentages([50.0, 0.5, 0.5], 0) == [50.0, 25.0, 25.0]


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.integers(1, 198).map(lambda u: u * 0.5), min_size=2, max_size=6),
    data=st.data(),
)
def test_rebalance_always_gives_valid_slider_values_summing_to_100(values, data):
    changed = data.draw(st.integers(0, len(values) - 1))
    out = rebalance_percentages(values, changed)
    assert len(out) == len(values)
    assert sum(out) == 100.0
    assert all(v >= 0.5 for v in out)
    assert all((v * 2).is_integer() for v in out)


def test_rebalance_validates_its_input():
    with pytest.raises(ValueError, match=r"changed must be an integer in \[0, 3\); got 3"):
        rebalance_percentages([1.0, 2.0, 3.0], 3)
    with pytest.raises(ValueError, match="at least 2 percentages"):
        rebalance_percentages([100.0], 0)
    with pytest.raises(ValueError, match="must be multiples of step"):
        rebalance_percentages([1.0, 2.0], 0, step=0.3)
    with pytest.raises(ValueError, match="cannot sum to 100"):
        rebalance_percentages([1.0, 2.0], 0, minimum=60.0)
