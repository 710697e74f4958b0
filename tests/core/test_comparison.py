"""core.comparison: the five-loss curves, the 95/5 imbalance demo and label smoothing's entropy floor."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.comparison import (
    COMPARISON_LOSSES,
    balanced_class_weights,
    comparison_curves,
    comparison_grid,
    entropy_kl_sweep,
    imbalance_dataset,
    imbalance_shares,
    smooth_labels,
    smoothing_floor_curve,
    true_class_logits,
)
from core.functional import softmax
from core.gradcheck import numerical_gradient
from core.information import cross_entropy_between, entropy, kl_divergence
from core.losses import cross_entropy, focal_loss_grad
from core.proportions import normalise_weights


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# ---------------------------------------------------------------------------------------------- grid
def test_comparison_grid_is_symmetric_increasing_and_bounded():
    p = comparison_grid()
    assert p.shape == (400,)
    assert p[0] == pytest.approx(1e-3)
    assert p[-1] == pytest.approx(1 - 1e-3)
    assert (np.diff(p) > 0).all()
    np.testing.assert_allclose(p + p[::-1], 1.0, atol=1e-14)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 401}, r"n must be an integer in \[2, 400\]"),
        ({"n": 1.5}, "integer"),
        ({"p_min": 0.5}, r"p_min must be in \(0, 0.5\)"),
    ],
)
def test_comparison_grid_validates(kwargs, message):
    with pytest.raises(ValueError, match=message):
        comparison_grid(**kwargs)


def test_true_class_logits_give_the_requested_probability():
    p = np.array([0.01, 0.3, 0.7, 0.999])
    z = true_class_logits(p)
    assert z.shape == (4, 2)
    assert (z[:, 1] == 0).all()
    np.testing.assert_allclose(softmax(z)[:, 0], p, rtol=1e-12)


@pytest.mark.parametrize("p", [0.0, 1.0, -0.1, [0.5, 1.0]])
def test_true_class_logits_reject_probabilities_with_infinite_logits(p):
    with pytest.raises(ValueError, match=r"p_true must be in \(0, 1\)"):
        true_class_logits(p)


# -------------------------------------------------------------------------------------------- curves
@pytest.fixture
def curves():
    return comparison_curves(comparison_grid(), gamma=2.0, margin=1.0, label_smoothing=0.1)


def test_curves_hold_the_five_losses_in_order(curves):
    assert tuple(curves.loss) == COMPARISON_LOSSES == tuple(curves.grad)
    for name in COMPARISON_LOSSES:
        assert curves.loss[name].shape == curves.grad[name].shape == (400,)


def test_curves_match_the_closed_forms(curves):
    p = curves.p_true
    z = curves.logits[:, 0]
    np.testing.assert_allclose(p, comparison_grid(), rtol=1e-12)
    np.testing.assert_allclose(curves.loss["cross_entropy"], -np.log(p), rtol=1e-10)
    np.testing.assert_allclose(curves.loss["mse"], 2 * (1 - p) ** 2, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(curves.loss["focal"], -((1 - p) ** 2) * np.log(p), rtol=1e-8, atol=1e-15)
    np.testing.assert_allclose(curves.loss["hinge"], np.maximum(0, 1 - z) / 2, atol=1e-12)
    np.testing.assert_allclose(
        curves.loss["label_smoothing"], -(0.95 * np.log(p) + 0.05 * np.log(1 - p)), rtol=1e-9
    )
    np.testing.assert_allclose(curves.grad["cross_entropy"], p - 1, atol=1e-12)
    np.testing.assert_allclose(curves.grad["mse"], -4 * p * (1 - p) ** 2, atol=1e-12)
    np.testing.assert_allclose(
        curves.grad["focal"], (1 - p) ** 2 * (2 * p * np.log(p) - (1 - p)), rtol=1e-7, atol=1e-12
    )
    np.testing.assert_allclose(curves.grad["hinge"], np.where(z < 1, -0.5, 0.0))
    np.testing.assert_allclose(curves.grad["label_smoothing"], p - 0.95, atol=1e-12)


@pytest.mark.parametrize("name", COMPARISON_LOSSES)
def test_curve_gradients_match_finite_differences_of_the_loss(name):
    p = np.array([0.02, 0.3, 0.6, 0.97])
    c = comparison_curves(p, gamma=1.5, margin=0.7, label_smoothing=0.2)
    z = c.logits[:, 0]
    for i, zi in enumerate(z):
        if name == "hinge" and abs(zi - 0.7) < 1e-3:
            continue  # the kink

        def f(v):
            pv = sigmoid(float(v[0]))
            return float(comparison_curves([pv], gamma=1.5, margin=0.7, label_smoothing=0.2).loss[name][0])

        numeric = numerical_gradient(f, [zi], eps=1e-5)
        assert c.grad[name][i] == pytest.approx(numeric[0], rel=1e-5, abs=1e-8)


def test_mse_gradient_vanishes_as_p_true_goes_to_zero_while_cross_entropy_tends_to_minus_one():
    c = comparison_curves([1e-2, 1e-4, 1e-6])
    np.testing.assert_allclose(c.grad["cross_entropy"], [-0.99, -0.9999, -0.999999], rtol=1e-9)
    assert np.all(np.diff(np.abs(c.grad["mse"])) < 0)
    assert abs(c.grad["mse"][-1]) < 1e-5


def test_focal_with_gamma_zero_is_cross_entropy():
    p = comparison_grid(50)
    c = comparison_curves(p, gamma=0.0)
    np.testing.assert_allclose(c.loss["focal"], c.loss["cross_entropy"], rtol=1e-12)
    np.testing.assert_allclose(c.grad["focal"], c.grad["cross_entropy"], rtol=1e-12, atol=1e-15)


def test_label_smoothing_is_smallest_at_one_minus_half_epsilon():
    c = comparison_curves(comparison_grid(), label_smoothing=0.2)
    assert c.p_true[np.argmin(c.loss["label_smoothing"])] == pytest.approx(0.9, abs=0.01)


def test_hinge_is_zero_once_the_margin_is_met():
    c = comparison_curves([sigmoid(2.1), sigmoid(1.9)], margin=2.0)
    assert c.loss["hinge"][0] == 0
    assert c.grad["hinge"][0] == 0
    assert c.loss["hinge"][1] == pytest.approx(0.05)
    assert c.grad["hinge"][1] == -0.5


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"gamma": -1.0}, r"gamma must be in \[0, inf\]"),
        ({"margin": -0.5}, r"margin must be in \[0, inf\]"),
        ({"label_smoothing": 1.5}, r"label_smoothing must be in \[0, 1\]"),
    ],
)
def test_comparison_curves_validate(kwargs, message):
    with pytest.raises(ValueError, match=message):
        comparison_curves([0.5], **kwargs)


# ------------------------------------------------------------------------------------------- imbalance
def test_imbalance_dataset_is_deterministic_95_to_5_with_easy_majority_and_hard_minority():
    logits, target = imbalance_dataset()
    logits2, target2 = imbalance_dataset()
    np.testing.assert_array_equal(logits, logits2)
    np.testing.assert_array_equal(target, target2)
    assert logits.shape == (100, 2)
    assert np.bincount(target).tolist() == [95, 5]
    p_true = softmax(logits)[np.arange(100), target]
    assert p_true[target == 0].mean() > 0.9
    assert np.median(p_true[target == 0]) > 0.9
    assert p_true[target == 1].mean() < 0.4
    assert not np.array_equal(imbalance_dataset(seed=1)[0], logits)
    np.testing.assert_allclose(logits.sum(axis=1), 0, atol=1e-15)  # ±m/2


def test_imbalance_dataset_validates():
    with pytest.raises(ValueError, match=r"n_minor must be an integer in \[1, 100000\]; got 0"):
        imbalance_dataset(95, 0)
    with pytest.raises(ValueError, match="seed must be an integer"):
        imbalance_dataset(seed=0.5)


def test_balanced_class_weights_are_inverse_frequencies():
    np.testing.assert_allclose(balanced_class_weights([0] * 95 + [1] * 5, 2), [100 / 190, 10.0])
    np.testing.assert_allclose(balanced_class_weights([0, 0, 2], 3), [0.5, 0.0, 1.0])
    with pytest.raises(ValueError, match=r"class indices must be in \[0, 2\)"):
        balanced_class_weights([0, 2], 2)


@pytest.fixture
def data():
    return imbalance_dataset()


def test_shares_sum_to_one_per_method(data):
    s = imbalance_shares(*data, gamma=2.0)
    assert s.methods == ("cross_entropy", "weighted", "focal")
    np.testing.assert_allclose(s.loss_share.sum(axis=1), 1.0)
    np.testing.assert_allclose(s.grad_share.sum(axis=1), 1.0)
    assert s.counts.tolist() == [95, 5]


def test_totals_are_the_per_class_sums_of_core_losses_and_gradient_norms(data):
    logits, target = data
    s = imbalance_shares(logits, target, gamma=2.0)
    ce = cross_entropy(logits, target, reduction="none")
    w = balanced_class_weights(target, 2)
    weighted = cross_entropy(logits, target, weight=w, reduction="none")
    focal_grad = focal_loss_grad(logits, target, gamma=2.0, reduction="none")
    for c in (0, 1):
        assert s.loss_total[0, c] == pytest.approx(ce[target == c].sum())
        assert s.loss_total[1, c] == pytest.approx(weighted[target == c].sum())
        assert s.grad_total[2, c] == pytest.approx(np.linalg.norm(focal_grad[target == c], axis=1).sum())
    np.testing.assert_allclose(s.weights, w)


def test_weighting_and_focal_shift_the_gradient_to_the_minority(data):
    s = imbalance_shares(*data, gamma=2.0)
    plain, weighted, focal = s.grad_share[:, 1]
    assert plain < 0.5  # the 95 easy samples still steer most of plain CE's gradient
    assert weighted > 0.9
    assert focal > 0.9
    assert s.loss_share[1, 1] > s.loss_share[0, 1]


def test_focal_gamma_zero_gives_the_plain_cross_entropy_shares(data):
    s = imbalance_shares(*data, gamma=0.0)
    np.testing.assert_allclose(s.loss_share[2], s.loss_share[0])
    np.testing.assert_allclose(s.grad_share[2], s.grad_share[0])


def test_explicit_weights_replace_the_balanced_ones(data):
    s = imbalance_shares(*data, weight=[1.0, 1.0])
    np.testing.assert_allclose(s.loss_share[1], s.loss_share[0])


def test_imbalance_shares_validate(data):
    logits, target = data
    with pytest.raises(ValueError, match="2-D"):
        imbalance_shares(logits[0], target[0])
    with pytest.raises(ValueError, match=r"gamma must be in \[0, inf\]"):
        imbalance_shares(logits, target, gamma=-1.0)
    with pytest.raises(ValueError, match=r"weight must have shape \(2,\)"):
        imbalance_shares(logits, target, weight=[1.0, 2.0, 3.0])


# ------------------------------------------------------------------------------------ label smoothing
def test_smooth_labels_mixes_with_uniform():
    np.testing.assert_allclose(smooth_labels([1.0, 0.0, 0.0, 0.0], 0.1), [0.925, 0.025, 0.025, 0.025])
    np.testing.assert_allclose(smooth_labels([0.6, 0.4], 1.0), [0.5, 0.5])
    with pytest.raises(ValueError, match="p must sum to 1"):
        smooth_labels([0.6, 0.6], 0.1)
    with pytest.raises(ValueError, match=r"label_smoothing must be in \[0, 1\]"):
        smooth_labels([1.0, 0.0], -0.1)


def test_smoothing_floor_is_the_entropy_of_the_smoothed_target():
    eps = np.linspace(0, 1, 11)
    floor = smoothing_floor_curve([1.0, 0.0, 0.0, 0.0], eps, base=2)
    assert floor[0] == 0
    assert floor[-1] == pytest.approx(2.0)
    assert (np.diff(floor) > 0).all()
    expected = entropy(smooth_labels([1.0, 0.0, 0.0, 0.0], 0.3), base=2)
    assert floor[3] == pytest.approx(float(expected))
    soft = smoothing_floor_curve([0.6, 0.25, 0.1, 0.05], [0.0])
    assert soft[0] == pytest.approx(float(entropy([0.6, 0.25, 0.1, 0.05])))
    assert math.isclose(float(smoothing_floor_curve([0.5, 0.5], [0.7])[0]), math.log(2))


def test_smoothing_floor_validates():
    with pytest.raises(ValueError, match=r"p must be one distribution of shape \(C,\)"):
        smoothing_floor_curve([[1.0, 0.0]], [0.1])
    with pytest.raises(ValueError, match=r"label_smoothing must lie in \[0, 1\]"):
        smoothing_floor_curve([1.0, 0.0], [1.5])
    with pytest.raises(ValueError, match="base must be positive and not 1"):
        smoothing_floor_curve([1.0, 0.0], [0.1], base=1)


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 5), st.integers(1, 50), st.integers(1, 50), st.integers(0, 1000))
def test_shares_always_sum_to_one(gamma, n_major, n_minor, seed):
    s = imbalance_shares(*imbalance_dataset(n_major, n_minor, seed=seed), gamma=gamma)
    np.testing.assert_allclose(s.loss_share.sum(axis=1), 1.0)
    np.testing.assert_allclose(s.grad_share.sum(axis=1), 1.0)
    assert (s.loss_share >= 0).all()
    assert (s.grad_share >= 0).all()


@settings(max_examples=40, deadline=None)
@given(st.floats(1e-4, 1 - 1e-4), st.floats(0, 5), st.floats(0, 3), st.floats(0, 1))
def test_every_loss_is_finite_and_non_negative(p, gamma, margin, eps):
    c = comparison_curves([p], gamma=gamma, margin=margin, label_smoothing=eps)
    for name in COMPARISON_LOSSES:
        assert np.isfinite(c.loss[name]).all(), name
        assert (c.loss[name] >= 0).all(), name
        assert np.isfinite(c.grad[name]).all(), name


@pytest.mark.parametrize("p_weights", [(100, 0, 0, 0), (60, 25, 10, 5)])
@pytest.mark.parametrize("base", [math.e, 2.0])
def test_entropy_kl_sweep_rows_are_each_states_split_to_the_last_bit(p_weights, base):
    q_weights = (85, 10, 3, 2)
    for vary, values in (
        (0, range(1, 101)),
        (2, range(1, 101)),
        ("label_smoothing", [0.01 * k for k in range(51)]),
    ):
        s = entropy_kl_sweep(p_weights, q_weights, 0.1, vary, values, base=base)
        assert s.p.shape == s.q.shape == (len(values), 4)
        for i, value in enumerate(values):
            qw, eps = list(q_weights), 0.1
            if vary == "label_smoothing":
                eps = value
            else:
                qw[vary] = value
            p, q = smooth_labels(normalise_weights(p_weights), eps), normalise_weights(qw)
            np.testing.assert_array_equal(s.p[i], p)
            np.testing.assert_array_equal(s.q[i], q)
            assert s.entropy[i] == entropy(p, base=base)
            assert s.kl[i] == kl_divergence(p, q, base=base)
            assert s.cross_entropy[i] == cross_entropy_between(p, q, base=base)
        np.testing.assert_allclose(s.entropy + s.kl, s.cross_entropy, rtol=1e-12, atol=1e-15)


def test_entropy_kl_sweep_validates_its_input():
    with pytest.raises(ValueError, match="vary must be a class index or 'label_smoothing'; got 'eps'"):
        entropy_kl_sweep([1, 0], [1, 1], 0.0, "eps", [0.1])
    with pytest.raises(ValueError, match=r"vary must be an integer in \[0, 2\); got 2"):
        entropy_kl_sweep([1, 0], [1, 1], 0.0, 2, [1])
    with pytest.raises(ValueError, match="values must hold at least one value"):
        entropy_kl_sweep([1, 0], [1, 1], 0.0, 0, [])
    with pytest.raises(ValueError, match="label_smoothing must be in"):
        entropy_kl_sweep([1, 0], [1, 1], 0.0, "label_smoothing", [1.5])
