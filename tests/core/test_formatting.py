"""core.formatting: the one way the app writes a number."""

import math

import pytest

from core.formatting import (
    MINUS,
    compact,
    count,
    human_bytes,
    number,
    percent,
    scientific,
    signed,
    significant,
    subscript,
    superscript,
    tex_number,
    times_ten,
)


def test_subscript_and_superscript_write_unicode_digits():
    assert subscript(1) == "₁"
    assert subscript(12) == "₁₂"
    assert superscript(-13) == "⁻¹³"


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (0.891, {}, "0.891"),
        (-0.109, {}, "-0.109"),
        (0.06, {"sign": True}, "+0.060"),
        (0.0, {"sign": True}, "0.000"),
        (1.12e-7, {}, r"1.12 \times 10^{-7}"),
        (-8.89e6, {}, r"-8.89 \times 10^{6}"),
        (0.8303, {"digits": 4}, "0.8303"),
    ],
)
def test_tex_number_is_fixed_point_in_range_and_a_power_of_ten_outside(value, kwargs, expected):
    assert tex_number(value, **kwargs) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(-0.109, "−0.109"), (0.06, "+0.060"), (0.0, "0.000"), (1.12e-7, "+1.12e−7"), (-8.893e6, "−8.89e6")],
)
def test_compact_switches_to_scientific_outside_the_readable_range(value, expected):
    assert compact(value) == expected


@pytest.mark.parametrize(
    ("value", "digits", "expected"), [(9.1e-11, 1, "9.1e−11"), (0.0, 1, "0"), (2.2e-16, 2, "2.20e−16")]
)
def test_scientific(value, digits, expected):
    assert scientific(value, digits) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(128, "128 B"), (800, "800 B"), (8e6, "8.0 MB"), (2e10, "20.0 GB")]
)
def test_human_bytes(value, expected):
    assert human_bytes(value) == expected


@pytest.mark.parametrize("value", [-1e-9, -0.0004, 0.0, 0.0004])
def test_a_value_that_rounds_to_zero_carries_no_sign(value):
    assert number(value, 3) == "0.000"
    assert signed(value, 3) == "0.000"


@pytest.mark.parametrize("helper", [number, signed, compact, scientific, times_ten, significant])
def test_negative_numbers_use_the_true_minus_sign(helper):
    text = helper(-0.25)
    assert text.startswith(MINUS)
    assert "-" not in text


def test_signed_always_shows_the_sign_of_a_nonzero_value():
    assert signed(0.06) == "+0.060"
    assert signed(-0.1091) == "−0.109"


def test_times_ten_and_count_write_powers_of_ten_with_superscripts():
    assert times_ten(6.5e-13) == "6.5 × 10⁻¹³"
    assert times_ten(0.25, fixed_between=(1e-3, 1e4)) == "0.2500"
    assert count(2.5e9) == "2.5·10⁹"
    assert count(9999) == "9,999"


def test_significant_spells_out_nan_and_infinities():
    assert significant(math.nan) == "NaN"
    assert significant(math.inf) == "+inf"
    assert significant(-math.inf) == "−inf"
    assert significant(0.1 + 0.2) == "0.3"


def test_percent():
    assert percent(0.357) == "35.7%"
    assert percent(0.981, 1, space=True) == "98.1 %"
