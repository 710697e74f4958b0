"""core.bands: the confidence bands of p_true and their intervals."""

import math

import pytest

from core.bands import (
    BANDS,
    CONFIDENT_FROM,
    CONFIDENTLY_WRONG_BELOW,
    RIGHT_SIDE_FROM,
    band_intervals,
    confidence_band,
)
from core.information import surprise


@pytest.mark.parametrize(
    ("p", "band"),
    [
        (0.0, "confidently_wrong"),
        (0.0999, "confidently_wrong"),
        (0.10, "doubtful"),
        (0.4999, "doubtful"),
        (0.50, "moderate"),
        (0.70, "moderate"),  # the Surprise explorer's and the Binary page's default
        (0.891, "moderate"),  # the multi-class default, "correct but not fully confident"
        (0.8999, "moderate"),
        (0.90, "confident"),
        (1.0, "confident"),
    ],
)
def test_confidence_band_thresholds_include_their_lower_bound(p, band):
    assert confidence_band(p) == band


def test_band_thresholds_are_the_documented_values():
    assert (CONFIDENTLY_WRONG_BELOW, RIGHT_SIDE_FROM, CONFIDENT_FROM) == (0.10, 0.50, 0.90)
    # The surprise at the edges, in bits, as the module docstring says.
    assert float(surprise(CONFIDENTLY_WRONG_BELOW)) == pytest.approx(3.3219, abs=1e-4)
    assert float(surprise(CONFIDENT_FROM)) == pytest.approx(0.1520, abs=1e-4)


def test_band_intervals_cover_the_unit_interval_in_band_order():
    intervals = band_intervals()
    assert [label for _, _, label in intervals] == ["confidently wrong", "doubtful", "moderate", "confident"]
    assert intervals[0][0] == 0.0
    assert intervals[-1][1] == 1.0
    for (_, high, _), (low, _, _) in zip(intervals, intervals[1:], strict=False):
        assert high == low
    for band, (low, _, _) in zip(BANDS, intervals, strict=True):
        assert confidence_band(low) == band


@pytest.mark.parametrize("bad", [-0.01, 1.01, math.nan, "0.5", None, True])
def test_confidence_band_rejects_what_is_not_a_probability(bad):
    with pytest.raises(ValueError, match="p_true must"):
        confidence_band(bad)
