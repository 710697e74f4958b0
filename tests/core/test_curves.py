"""core.curves: -log p and binary cross-entropy on a grid, against their closed forms."""

import math

import numpy as np
import pytest

from core.curves import bce_logit_curves, bce_probability_curves, neg_log_curve


@pytest.mark.parametrize("unit", ["nats", "bits"])
def test_neg_log_curve_is_minus_log_p_on_an_increasing_grid(unit):
    p, loss = neg_log_curve(unit)
    assert p.shape == (300,)
    assert loss.shape == (300,)
    assert np.all(np.diff(p) > 0)
    assert p[0] == pytest.approx(0.005)
    assert p[-1] == 1.0
    base = 2 if unit == "bits" else math.e
    np.testing.assert_allclose(loss, -np.log(p) / math.log(base), rtol=1e-12)


def test_curve_helpers_reject_more_than_400_points():
    with pytest.raises(ValueError, match=r"n must be an integer in \[2, 400\]"):
        neg_log_curve(n=401)
    with pytest.raises(ValueError, match=r"n must be an integer in \[2, 400\]"):
        bce_probability_curves(n=1)
    with pytest.raises(ValueError, match="unit must be"):
        neg_log_curve("bans")


def test_bce_probability_curves_are_both_branches_of_the_loss():
    c = bce_probability_curves()
    assert c.p.shape == (300,)
    assert c.p[0] == pytest.approx(0.005)
    assert c.p[-1] == pytest.approx(0.995)
    np.testing.assert_allclose(c.loss_pos, -np.log(c.p), rtol=1e-12)
    np.testing.assert_allclose(c.loss_neg, -np.log1p(-c.p), rtol=1e-12)


@pytest.mark.parametrize("pos_weight", [0.5, 1.0, 3.0])
def test_bce_logit_curves_match_the_closed_forms(pos_weight):
    c = bce_logit_curves(pos_weight=pos_weight)
    s = 1 / (1 + np.exp(-c.z))
    assert c.z.shape == (321,)
    assert c.z[0] == -8
    assert c.z[-1] == 8
    np.testing.assert_allclose(c.sigma, s, rtol=1e-12)
    np.testing.assert_allclose(c.loss_pos, -pos_weight * np.log(s), rtol=1e-10)
    np.testing.assert_allclose(c.loss_neg, -np.log(1 - s), rtol=1e-10)
    np.testing.assert_allclose(c.grad_pos, s * pos_weight - pos_weight, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(c.grad_neg, s, rtol=1e-12)


def test_with_pos_weight_the_logit_gradient_reaches_minus_pos_weight():
    # The Binary page's pos_weight slider goes to 10: the gradient for y = 1 approaches -10, not -1.
    c = bce_logit_curves(pos_weight=10.0)
    assert c.grad_pos.min() < -9.99
    assert c.grad_pos.min() > -10.0
