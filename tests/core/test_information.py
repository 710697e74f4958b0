"""Surprise, entropy, cross-entropy between distributions and KL divergence."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.information import cross_entropy_between, entropy, kl_divergence, surprise, surprise_or_inf

SEED_Q = [0.85, 0.10, 0.03, 0.02]  # seed 003's guessing game: the model's belief
CAT = [1.0, 0.0, 0.0, 0.0]


def test_seed_guessing_game_numbers():
    assert round(float(surprise(0.85)), 2) == 0.23
    assert round(float(surprise(0.85, base=math.e)), 4) == 0.1625
    assert round(float(cross_entropy_between(CAT, SEED_Q)), 4) == 0.1625


def test_wasted_bits_equal_the_surprise_for_a_one_hot_truth():
    # the seed shows "0.00 wasted bits"; for a one-hot P, H(P) = 0 so KL = H(P, Q) = the surprise
    assert kl_divergence(CAT, SEED_Q, base=2) == pytest.approx(surprise(0.85), rel=1e-14)
    assert entropy(CAT) == 0.0


def test_seed_explorer_numbers():
    assert round(float(surprise(0.7, base=math.e)), 4) == 0.3567
    assert round(float(surprise(0.7)), 2) == 0.51


def test_surprise_of_a_certain_event_is_zero_and_of_a_coin_flip_one_bit():
    assert surprise(1.0) == 0.0
    assert not np.signbit(surprise(1.0))
    assert surprise(0.5) == 1.0
    assert surprise(0.5, base=math.e) == pytest.approx(math.log(2))


def test_entropy_known_values():
    assert entropy([0.5, 0.5], base=2) == pytest.approx(1.0)
    assert entropy([0.25] * 4, base=2) == pytest.approx(2.0)
    np.testing.assert_allclose(entropy([[0.5, 0.5], [1.0, 0.0]], base=2), [1.0, 0.0])


def test_cross_entropy_decomposes_into_entropy_plus_kl():
    p = np.array([0.6, 0.3, 0.1])
    q = np.array([0.2, 0.5, 0.3])
    assert cross_entropy_between(p, q) == pytest.approx(entropy(p) + kl_divergence(p, q), rel=1e-14)


def test_zero_probability_in_p_costs_nothing_even_where_q_is_zero():
    assert kl_divergence([1.0, 0.0], [0.5, 0.5], base=2) == pytest.approx(1.0)
    assert cross_entropy_between([1.0, 0.0], [1.0, 0.0]) == 0.0


def test_kl_of_identical_distributions_is_exactly_zero():
    p = np.array([0.1, 0.2, 0.7])
    assert kl_divergence(p, p) == 0.0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_information_functions_keep_dtype(dtype):
    p = np.array([0.5, 0.5], dtype=dtype)
    q = np.array([0.25, 0.75], dtype=dtype)
    assert entropy(p).dtype == dtype
    assert kl_divergence(p, q).dtype == dtype
    assert surprise(p).dtype == dtype


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.01, 1.0), min_size=2, max_size=6), st.integers(0, 2**31 - 1))
def test_gibbs_inequality(weights, seed):
    p = np.asarray(weights) / np.sum(weights)
    q = np.random.default_rng(seed).dirichlet(np.ones(len(p)))
    q = np.clip(q, 1e-12, None)
    q = q / q.sum()
    assert kl_divergence(p, q) >= 0
    assert cross_entropy_between(p, q) >= entropy(p) - 1e-12


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: surprise(0.0), r"p must be in \(0, 1\] \(an event with probability 0 has infinite"),
        (lambda: surprise(1.5), r"p must be in \(0, 1\]; got 1.5"),
        (lambda: surprise(0.5, base=1), r"base must be positive and not 1"),
        (lambda: surprise(0.5, base=-2), r"base must be in \(0, inf\]; got -2"),
        (lambda: entropy([0.5, 0.6]), r"p must sum to 1 over its last axis; got a sum of 1.1"),
        (lambda: entropy([1.2, -0.2]), r"p must lie in \[0, 1\]; got 1.2 at position 0"),
        (lambda: entropy(1.0), r"p must be a distribution over its last axis; got a scalar"),
        (lambda: kl_divergence([0.5, 0.5], [1.0, 0.0]), r"q gives probability 0 to outcome 1"),
        (lambda: kl_divergence([0.5, 0.5], [0.2, 0.3, 0.5]), r"q must have the shape of p \(2,\)"),
        (lambda: cross_entropy_between([0.5, np.nan], [0.5, 0.5]), r"p must be finite; got nan"),
    ],
)
def test_bad_input_raises_a_value_error_that_names_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_surprise_or_inf_is_the_surprise_with_inf_for_a_ruled_out_answer():
    np.testing.assert_allclose(surprise_or_inf([0.5, 0.25, 0.0]), [1.0, 2.0, math.inf])
    np.testing.assert_allclose(surprise_or_inf([math.exp(-1)], base=math.e), [1.0])
    with pytest.raises(ValueError, match="q must lie in"):
        surprise_or_inf([1.5])
