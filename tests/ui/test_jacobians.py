"""ui.jacobians: how the gradient pages write numbers."""

import pytest

from ui.jacobians import human_bytes, plain_num, sci, sub, tex_num


def test_sub_writes_subscript_digits():
    assert sub(1) == "₁" and sub(12) == "₁₂"


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
def test_tex_num(value, kwargs, expected):
    assert tex_num(value, **kwargs) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(-0.109, "−0.109"), (0.06, "+0.060"), (0.0, "0.000"), (1.12e-7, "+1.12e−7"), (-8.893e6, "−8.89e6")],
)
def test_plain_num(value, expected):
    assert plain_num(value) == expected


def test_sci_and_human_bytes():
    assert sci(9.1e-11) == "9.1e−11" and sci(0.0) == "0" and sci(2.2e-16, 2) == "2.20e−16"
    assert [human_bytes(b) for b in (128, 800, 8e6, 2e10)] == ["128 B", "800 B", "8.0 MB", "20.0 GB"]
