"""core.units: a loss in nats converted to the unit the student chose."""

import math

import numpy as np
import pytest

from core.units import LN2, UNITS, check_unit, in_unit


def test_in_unit_converts_nats_to_bits_and_keeps_nats():
    assert in_unit(math.log(2), "bits") == pytest.approx(1.0)
    assert in_unit(0.1625, "nats") == 0.1625
    np.testing.assert_allclose(in_unit([math.log(4), 0.0], "bits"), [2.0, 0.0])


def test_in_unit_returns_a_float_for_a_scalar_and_an_array_otherwise():
    assert isinstance(in_unit(1.0, "bits"), float)
    assert isinstance(in_unit([1.0], "bits"), np.ndarray)


def test_a_slope_converts_like_a_loss():
    # d(-log2 p)/dp = -1/(p ln 2): the slope in nats divided by ln 2.
    assert in_unit(-1 / 0.7, "bits") == pytest.approx(-1 / (0.7 * LN2))


@pytest.mark.parametrize("bad", ["bans", "Bits", None])
def test_other_units_are_rejected(bad):
    with pytest.raises(ValueError, match=f"unit must be 'nats' or 'bits'; got {bad!r}"):
        in_unit(1.0, bad)
    with pytest.raises(ValueError, match="unit must be 'nats' or 'bits'"):
        check_unit(bad)


def test_units_are_nats_then_bits():
    assert UNITS == ("nats", "bits")
