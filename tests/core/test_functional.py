"""Softmax, log-sum-exp and sigmoid: values, stability, dtypes, properties and errors."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from core.functional import log_sigmoid, log_softmax, logsumexp, sigmoid, softmax, softmax_jacobian
from core.gradcheck import numerical_jacobian

FLOATS = [np.float16, np.float32, np.float64]
finite_logits = arrays(
    np.float64,
    st.tuples(st.integers(1, 4), st.integers(1, 6)),
    elements=st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False),
)


def test_softmax_reproduces_seed_003_probabilities():
    probs = softmax([3.5, 0.8, 0.2, -0.5])
    np.testing.assert_allclose(probs * 100, [89.1, 6.0, 3.3, 1.6], atol=0.05)
    assert probs.sum() == pytest.approx(1.0, abs=1e-15)


def test_logsumexp_matches_definition_and_survives_overflow():
    assert logsumexp([0.0, 0.0]) == pytest.approx(math.log(2))
    assert logsumexp([1000.0, 1000.0]) == pytest.approx(1000 + math.log(2))
    assert logsumexp([-1000.0, -1000.0]) == pytest.approx(-1000 + math.log(2))


def test_logsumexp_axis_and_keepdims():
    z = np.arange(6.0).reshape(2, 3)
    expected = np.log(np.exp(z).sum(axis=0))
    np.testing.assert_allclose(logsumexp(z, axis=0), expected)
    assert logsumexp(z, axis=0, keepdims=True).shape == (1, 3)
    assert logsumexp(z, axis=1, keepdims=True).shape == (2, 1)


def test_log_softmax_is_finite_where_log_of_softmax_is_not():
    out = log_softmax([0.0, 1e4])
    assert np.isfinite(out).all()
    np.testing.assert_allclose(out, [-1e4, 0.0])


@pytest.mark.parametrize("temperature", [0.01, 0.5, 1.0, 3.0])
def test_temperature_divides_the_logits(temperature):
    z = np.array([2.0, -1.0, 0.5])
    np.testing.assert_allclose(softmax(z, temperature=temperature), softmax(z / temperature))
    np.testing.assert_allclose(log_softmax(z, temperature=temperature), log_softmax(z / temperature))


def test_extreme_logits_and_temperature_stay_finite():
    z = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4]])
    for out in (softmax(z, temperature=0.01), log_softmax(z, temperature=0.01)):
        assert np.isfinite(out).all()
    np.testing.assert_allclose(softmax(z, temperature=0.01)[1], [1 / 3] * 3)


@pytest.mark.parametrize("dtype", FLOATS)
def test_functions_keep_the_callers_float_dtype(dtype):
    z = np.array([[1.0, 2.0, 3.0]], dtype=dtype)
    for fn in (softmax, log_softmax, logsumexp, sigmoid, log_sigmoid):
        assert fn(z).dtype == dtype
    assert softmax_jacobian(z).dtype == dtype


def test_python_lists_and_integers_become_float64():
    assert softmax([1, 2, 3]).dtype == np.float64
    assert sigmoid(0).dtype == np.float64


def test_float16_softmax_is_accurate_thanks_to_float32_compute():
    z = np.array([10.0, 0.0, -10.0], dtype=np.float16)
    np.testing.assert_allclose(softmax(z).astype(np.float64), softmax(z.astype(np.float64)), atol=1e-3)


def test_sigmoid_and_log_sigmoid_values():
    np.testing.assert_allclose(sigmoid([-800.0, 0.0, 800.0]), [0.0, 0.5, 1.0])
    np.testing.assert_allclose(log_sigmoid([-800.0, 0.0, 800.0]), [-800.0, -math.log(2), 0.0])
    assert sigmoid(2.0) == pytest.approx(1 / (1 + math.exp(-2.0)), rel=1e-15)


def test_log_sigmoid_is_accurate_for_large_positive_input():
    # log(sigmoid(40)) = -log1p(exp(-40)) ≈ -4.25e-18, which 1 - sigmoid would round to 0
    assert log_sigmoid(40.0) == pytest.approx(-math.exp(-40.0), rel=1e-12)


def test_softmax_jacobian_is_diag_minus_outer_product():
    z = np.array([3.5, 0.8, 0.2, -0.5])
    s = softmax(z)
    jac = softmax_jacobian(z)
    np.testing.assert_allclose(jac, np.diag(s) - np.outer(s, s), atol=1e-16)
    # off-diagonal entries are -s_i s_k (seed 001 wrote -s_i s_i)
    assert jac[0, 1] == pytest.approx(-s[0] * s[1])
    np.testing.assert_allclose(jac.sum(axis=0), 0, atol=1e-16)
    np.testing.assert_allclose(jac, jac.T)


def test_softmax_jacobian_matches_numerical_jacobian():
    z = np.array([0.3, -1.2, 2.0])
    np.testing.assert_allclose(softmax_jacobian(z), numerical_jacobian(softmax, z), atol=1e-9)


def test_softmax_jacobian_batched_shape():
    z = np.random.default_rng(0).normal(size=(5, 3))
    jac = softmax_jacobian(z)
    assert jac.shape == (5, 3, 3)
    np.testing.assert_allclose(jac[2], softmax_jacobian(z[2]))


@settings(max_examples=60, deadline=None)
@given(finite_logits, st.floats(-1e3, 1e3))
def test_softmax_sums_to_one_and_is_shift_invariant(z, shift):
    s = softmax(z)
    np.testing.assert_allclose(s.sum(axis=-1), 1.0, rtol=1e-12)
    assert ((s >= 0) & (s <= 1)).all()
    np.testing.assert_allclose(softmax(z + shift), s, atol=1e-12)
    assert np.isfinite(log_softmax(z)).all()
    assert np.isfinite(logsumexp(z)).all()


@settings(max_examples=60, deadline=None)
@given(finite_logits)
def test_log_softmax_equals_log_of_softmax_where_that_is_safe(z):
    z = np.clip(z, -30, 30)
    np.testing.assert_allclose(log_softmax(z), np.log(softmax(z)), atol=1e-12)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: softmax([1.0, np.nan]), r"z must be finite; got nan at position 1"),
        (lambda: softmax([1.0, np.inf]), r"z must be finite; got inf"),
        (lambda: softmax([1.0, 2.0], temperature=0), r"temperature must be in \(0, inf\]; got 0"),
        (lambda: log_softmax([1.0], temperature=-1.0), r"temperature must be in \(0, inf\]; got -1"),
        (lambda: softmax([1.0], temperature="hot"), r"temperature must be a real number; got 'hot'"),
        (lambda: softmax(3.0), r"z must have at least one dimension; got a scalar"),
        (lambda: softmax([[1.0, 2.0]], axis=2), r"axis 2 is out of range for z of shape \(1, 2\)"),
        (lambda: logsumexp([]), r"z must have at least one entry along axis 0"),
        (lambda: sigmoid(["a"]), r"z must be a numeric array; got dtype <U1"),
        (lambda: softmax_jacobian(np.zeros((2, 2, 2))), r"z must be a 1-D \(C,\) or 2-D \(n, C\) array"),
        (lambda: sigmoid([1 + 2j]), r"z must be real; got complex dtype"),
    ],
)
def test_bad_input_raises_a_value_error_that_names_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_huge_finite_input_is_accepted_without_an_overflow_warning():
    # the finiteness check's fast path sums the input; 1e308 + 1e308 overflows, which must not warn
    np.testing.assert_allclose(softmax([1e308, 1e308]), [0.5, 0.5])
