"""Finite differences: the independent check behind every analytic gradient."""

import numpy as np
import pytest

from core.gradcheck import gradcheck, numerical_gradient, numerical_jacobian


def test_numerical_gradient_of_a_quadratic_is_exact_to_rounding():
    a = np.array([[2.0, 1.0], [1.0, 3.0]])
    x = np.array([0.5, -1.0])
    grad = numerical_gradient(lambda v: v @ a @ v, x)
    np.testing.assert_allclose(grad, 2 * a @ x, atol=1e-8)


def test_numerical_gradient_keeps_the_shape_and_does_not_modify_x():
    x = np.arange(6.0).reshape(2, 3)
    before = x.copy()
    grad = numerical_gradient(lambda v: (v**2).sum(), x)
    assert grad.shape == (2, 3)
    np.testing.assert_array_equal(x, before)
    np.testing.assert_allclose(grad, 2 * x, atol=1e-8)


def test_numerical_jacobian_shapes_and_values():
    w = np.random.default_rng(0).normal(size=(3, 4))
    x = np.random.default_rng(1).normal(size=4)
    jac = numerical_jacobian(lambda v: w @ v, x)
    assert jac.shape == (3, 4)
    np.testing.assert_allclose(jac, w, atol=1e-8)
    assert numerical_jacobian(lambda m: m.sum(axis=0), np.ones((2, 3))).shape == (3, 2, 3)


def test_gradcheck_accepts_a_correct_gradient_and_flags_a_wrong_one():
    x = np.array([0.3, -0.7, 1.1])
    assert gradcheck(lambda v: np.sum(np.sin(v)), np.cos, x) < 1e-9
    assert gradcheck(lambda v: np.sum(np.sin(v)), lambda v: np.cos(v) * 1.01, x) > 5e-3


def test_gradcheck_is_zero_for_a_constant_function():
    assert gradcheck(lambda v: 1.0, np.zeros_like, [1.0, 2.0]) == 0.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: numerical_gradient(np.sum, [1.0], eps=0), r"eps must be in \(0, inf\]; got 0"),
        (lambda: numerical_gradient(np.sum, [np.inf]), r"x must be finite; got inf"),
        (lambda: gradcheck(np.sum, lambda v: np.ones(3), [1.0, 2.0]),
         r"grad_f must return the shape of x \(2,\); got shape \(3,\)"),
    ],
)  # fmt: skip
def test_bad_input_raises_a_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_numerical_jacobian_of_the_identity_even_when_f_returns_its_input():
    np.testing.assert_allclose(numerical_jacobian(lambda v: v, [1.0, 2.0]), np.eye(2), atol=1e-8)
