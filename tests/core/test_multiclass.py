"""core.multiclass: softmax cross-entropy of one sample, class by class, with temperature and smoothing."""

import numpy as np
import pytest

from core.defaults import MULTICLASS_CLASSES, MULTICLASS_LOGITS
from core.gradcheck import numerical_gradient
from core.losses import cross_entropy
from core.multiclass import multiclass_breakdown, multiclass_sweep

DEFAULT_LOGITS = MULTICLASS_LOGITS[:MULTICLASS_CLASSES]  # Cat 3.5, Dog 0.8, Bird 0.2, Fish -0.5


def test_multiclass_breakdown_reproduces_the_page_defaults_numbers():
    b = multiclass_breakdown(DEFAULT_LOGITS, 0)
    assert f"{b.probs[0]:.1%}" == "89.1%"
    assert f"{b.loss:.4f}" == "0.1155"
    assert f"{b.grad[0]:.3f}" == "-0.109"
    np.testing.assert_allclose(b.probs.round(3), [0.891, 0.060, 0.033, 0.016])
    np.testing.assert_allclose(b.grad[1:].round(3), [0.060, 0.033, 0.016])
    np.testing.assert_allclose(b.contributions[1:], 0)


@pytest.mark.parametrize("temperature", [0.1, 0.5, 1.0, 2.0, 5.0])
@pytest.mark.parametrize("eps", [0.0, 0.1, 0.5])
@pytest.mark.parametrize("true_index", [0, 2])
def test_multiclass_breakdown_parts_add_up_and_match_core(temperature, eps, true_index):
    z = np.array([3.5, 0.8, 0.2, -0.5, 1.1])
    b = multiclass_breakdown(z, true_index, temperature=temperature, label_smoothing=eps)
    assert b.contributions.sum() == pytest.approx(b.loss, rel=1e-12)
    assert b.loss == pytest.approx(float(cross_entropy(z / temperature, true_index, label_smoothing=eps)))
    assert b.target.sum() == pytest.approx(1.0)
    assert b.target[true_index] == pytest.approx(1 - eps + eps / 5)
    np.testing.assert_allclose(b.grad_scaled, b.probs - b.target, atol=1e-15)
    np.testing.assert_allclose(b.grad * temperature, b.grad_scaled, rtol=1e-12)
    assert abs(b.grad.sum()) < 1e-12
    assert np.all(np.abs(b.grad) <= 1 / temperature + 1e-12)


@pytest.mark.parametrize("temperature", [0.3, 1.0, 2.5])
def test_multiclass_breakdown_gradient_is_the_gradient_of_the_loss_in_the_raw_logits(temperature):
    z = np.array([1.0, -0.4, 2.2])

    def loss(v):
        return multiclass_breakdown(v, 1, temperature=temperature, label_smoothing=0.1).loss

    numeric = numerical_gradient(loss, z)
    np.testing.assert_allclose(
        multiclass_breakdown(z, 1, temperature=temperature, label_smoothing=0.1).grad, numeric, atol=1e-7
    )


def test_multiclass_breakdown_is_stable_for_extreme_logits():
    b = multiclass_breakdown([10.0, -10.0, -10.0], 1, temperature=0.1)
    assert np.isfinite(b.loss)
    assert b.loss == pytest.approx(200.0, rel=1e-9)
    assert np.all(np.isfinite(b.contributions))
    assert np.all(np.isfinite(b.grad))


def test_multiclass_breakdown_validates_its_input():
    with pytest.raises(ValueError, match=r"logits must have shape \(C,\) with C >= 2"):
        multiclass_breakdown([1.0], 0)
    with pytest.raises(ValueError, match=r"true_index must be an integer in \[0, 2\); got 2"):
        multiclass_breakdown([1.0, 2.0], 2)
    with pytest.raises(ValueError, match=r"temperature must be in \(0, inf\]; got 0"):
        multiclass_breakdown([1.0, 2.0], 0, temperature=0)
    with pytest.raises(ValueError, match=r"label_smoothing must be in \[0, 1\]; got 1.5"):
        multiclass_breakdown([1.0, 2.0], 0, label_smoothing=1.5)


LOGIT_VALUES = [round(-10 + 0.1 * k, 1) for k in range(201)]
T_VALUES = [round(0.1 + 0.1 * k, 1) for k in range(50)]


@pytest.mark.parametrize(("true_index", "vary"), [(0, 0), (0, 2), (3, 3), (1, "temperature")])
@pytest.mark.parametrize(("temperature", "eps"), [(1.0, 0.0), (0.3, 0.2)])
def test_multiclass_sweep_rows_are_each_states_breakdown_to_the_last_bit(true_index, vary, temperature, eps):
    z = np.array([3.5, 0.8, 0.2, -0.5, 1.1])
    values = T_VALUES if vary == "temperature" else LOGIT_VALUES
    s = multiclass_sweep(z, true_index, vary, values, temperature=temperature, label_smoothing=eps)
    assert s.probs.shape == s.contributions.shape == s.grad.shape == (len(values), 5)
    for i, value in enumerate(values):
        state = z.copy()
        if vary == "temperature":
            b = multiclass_breakdown(state, true_index, temperature=value, label_smoothing=eps)
        else:
            state[vary] = value
            b = multiclass_breakdown(state, true_index, temperature=temperature, label_smoothing=eps)
        for field in ("probs", "contributions", "grad_scaled", "grad"):
            np.testing.assert_array_equal(
                getattr(s, field)[i], getattr(b, field), err_msg=f"{field} at {value}"
            )
        assert s.loss[i] == pytest.approx(b.loss, rel=1e-13)
    np.testing.assert_array_equal(s.target, b.target)


def test_multiclass_sweep_validates_its_input():
    with pytest.raises(ValueError, match=r"vary must be a class index or 'temperature'; got 'T'"):
        multiclass_sweep([1.0, 2.0], 0, "T", [1.0])
    with pytest.raises(ValueError, match=r"vary must be an integer in \[0, 2\); got 2"):
        multiclass_sweep([1.0, 2.0], 0, 2, [1.0])
    with pytest.raises(ValueError, match=r"temperatures must be > 0; got 0.0"):
        multiclass_sweep([1.0, 2.0], 0, "temperature", [0.0, 1.0])
    with pytest.raises(
        ValueError, match=r"values must be a 1-D array of at least one value; got shape \(0,\)"
    ):
        multiclass_sweep([1.0, 2.0], 0, 1, [])
    with pytest.raises(ValueError, match=r"temperature must be in \(0, inf\]; got 0"):
        multiclass_sweep([1.0, 2.0], 0, 1, [1.0], temperature=0)
