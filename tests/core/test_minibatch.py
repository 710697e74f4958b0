"""core.minibatch: the data set, per-example gradients, the three routes to the 1/B, and the σ/√B spread."""

import numpy as np
import pytest

from core.minibatch import (
    _draw_batches,
    gaussian_blobs,
    last_layer_gradient_routes,
    minibatch_gradient_spread,
    minibatch_indices,
    most_variable_entry,
    per_example_grads,
)
from core.mlp import ACTIVATIONS, MLP, demo_network

X, Y = gaussian_blobs(40, 3, 4, seed=2)
SIZES = [3, 6, 5, 4]
POWERS = [1, 2, 4, 8, 16, 32]


# ------------------------------------------------------------------------------------ data
def test_gaussian_blobs_shapes_labels_and_determinism():
    x, y = gaussian_blobs(101, 4, 3, seed=5)
    assert x.shape == (101, 4)
    assert x.dtype == np.float64
    assert y.shape == (101,)
    assert y.dtype == np.int64
    assert sorted(np.bincount(y).tolist()) == [33, 34, 34]
    x2, y2 = gaussian_blobs(101, 4, 3, seed=5)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(gaussian_blobs(101, 4, 3, seed=6)[0], x)


def test_gaussian_blobs_centres_sit_on_a_circle():
    x, y = gaussian_blobs(8, 2, 4, spread=0.0, seed=0)
    for c in range(4):
        np.testing.assert_allclose(
            x[y == c], [[2.5 * np.cos(np.pi * c / 2), 2.5 * np.sin(np.pi * c / 2)]] * 2
        )
    x1, _ = gaussian_blobs(5, 1, 2, seed=0)
    assert x1.shape == (5, 1)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((0,), {}, r"n_samples must be an integer in \[1, inf\); got 0"),
        ((5, 0), {}, r"n_features must be an integer in \[1, inf\); got 0"),
        ((5, 2, 0), {}, r"n_classes must be an integer in \[1, inf\); got 0"),
        ((5.0,), {}, r"n_samples must be an integer; got 5.0"),
        ((5,), {"spread": -1.0}, r"spread must be in \[0, inf\]; got -1"),
        ((5,), {"seed": -3}, r"seed must be an integer in \[0, inf\); got -3"),
    ],
)
def test_gaussian_blobs_rejects_bad_arguments(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        gaussian_blobs(*args, **kwargs)


# ------------------------------------------------------------------------------------ per-example
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_per_example_gradients_are_the_gradients_of_each_example_alone(activation):
    net = demo_network(SIZES, activation=activation, seed=1)
    per = per_example_grads(net, X[:7], Y[:7])
    for i in range(7):
        _, single = net.loss_and_grads(X[i : i + 1], Y[i : i + 1])
        for name, g in single.items():
            np.testing.assert_allclose(per[name][i], g, atol=1e-15, err_msg=f"{name}, example {i}")
    assert {k: v.shape for k, v in per.items()} == {k: (7,) + p.shape for k, p in net.params.items()}


@pytest.mark.parametrize(
    ("loss", "kwargs"),
    [
        ("cross_entropy", {}),
        ("cross_entropy", {"weight": np.array([0.2, 1.0, 3.0, 0.5]), "label_smoothing": 0.1}),
        ("softmax_mse", {}),
        ("focal", {"gamma": 2.0}),
        ("multi_margin", {"margin": 0.5}),
    ],
)
def test_mean_of_per_example_gradients_is_the_batch_gradient(loss, kwargs):
    net = demo_network(SIZES, seed=3)
    _, batch = net.loss_and_grads(X, Y, loss=loss, **kwargs)
    per = per_example_grads(net, X, Y, loss=loss, **kwargs)
    for name in batch:
        np.testing.assert_allclose(per[name].mean(axis=0), batch[name], atol=1e-15, err_msg=name)


def test_per_example_grads_keeps_the_dtype_and_leaves_the_net_alone():
    net = demo_network(SIZES, seed=3).copy(dtype=np.float32)
    net.forward(X[:3])
    z1 = net.zs[1].copy()
    per = per_example_grads(net, X, Y)
    assert all(g.dtype == np.float32 for g in per.values())
    np.testing.assert_array_equal(net.zs[1], z1)


def test_three_routes_to_the_last_layer_gradient_agree():
    net = demo_network([3, 6, 6, 6, 4], seed=1)
    routes = last_layer_gradient_routes(net, X, Y)
    _, grads = net.loss_and_grads(X, Y)
    np.testing.assert_array_equal(routes["b"]["backward"], grads["b4"])
    np.testing.assert_array_equal(routes["W"]["backward"], grads["W4"])
    for kind in ("b", "W"):
        for route in ("seed", "per_example"):
            np.testing.assert_allclose(routes[kind][route], routes[kind]["backward"], atol=1e-16)
    # the seed's δ̃ has no 1/B: it is S(z₄) − Y, each row summing to 0
    delta_tilde = routes["delta_tilde"]["seed"]
    np.testing.assert_allclose(delta_tilde.sum(axis=1), 0, atol=1e-15)
    np.testing.assert_allclose(delta_tilde / len(Y), net.deltas[4], atol=1e-17)


def test_routes_need_integer_targets():
    with pytest.raises(ValueError, match="integer class indices of shape"):
        last_layer_gradient_routes(MLP([3, 4]), X, np.ones((40, 4)) / 4)


# ------------------------------------------------------------------------------------ batches
def test_minibatch_indices_without_replacement_are_distinct_and_deterministic():
    idx = minibatch_indices(20, 20, seed=3)
    assert sorted(idx.tolist()) == list(range(20))
    np.testing.assert_array_equal(minibatch_indices(50, 8, seed=1), minibatch_indices(50, 8, seed=1))
    assert minibatch_indices(3, 10, seed=0, replace=True).max() < 3
    with pytest.raises(
        ValueError, match=r"batch_size must be at most n_samples=5 without replacement; got 6"
    ):
        minibatch_indices(5, 6)
    with pytest.raises(ValueError, match=r"batch_size must be an integer in \[1, inf\); got 0"):
        minibatch_indices(5, 0)


@pytest.mark.parametrize("size", [1, 3, 7, 10])
def test_epoch_draws_are_distinct_rows_covering_every_example_equally(size):
    rng = np.random.default_rng(0)
    idx = _draw_batches(rng, 10, size, 3000, replace=False)
    assert idx.shape == (3000, size)
    assert all(len(set(row)) == size for row in idx.tolist())
    counts = np.bincount(idx.ravel(), minlength=10)
    assert counts.min() > 0.9 * counts.mean()


def test_most_variable_entry_is_the_argmax_of_the_per_example_spread():
    net = demo_network(SIZES, seed=0)
    index, sigma = most_variable_entry(net, X, Y, "W2")
    spread = per_example_grads(net, X, Y)["W2"].std(axis=0)
    assert sigma == spread.max()
    assert spread[index] == sigma
    assert len(index) == 2
    with pytest.raises(ValueError, match=r"name must be one of \['W1', 'b1'"):
        most_variable_entry(net, X, Y, "W9")


# ------------------------------------------------------------------------------------ the spread
@pytest.fixture(scope="module")
def data():
    x, y = gaussian_blobs(512, 2, 3, seed=0)
    return x, y, demo_network([2, 8, 8, 3], seed=0)


@pytest.mark.parametrize("name", ["b3", "W2", "b1"])
def test_spread_with_replacement_falls_like_sigma_over_root_b(data, name):
    x, y, net = data
    result = minibatch_gradient_spread(net, x, y, POWERS, name=name, n_draws=800, replace=True, seed=1)
    assert result.slope == pytest.approx(-0.5, abs=0.04)
    np.testing.assert_allclose(result.measured / result.expected, 1, atol=0.1)
    np.testing.assert_array_equal(result.expected_finite, result.expected)
    standard_error = result.expected / np.sqrt(result.n_draws)
    assert np.all(np.abs(result.mean - result.full) < 4 * standard_error)  # unbiased
    assert result.backprop_difference < 1e-15


def test_spread_without_replacement_follows_the_finite_population_correction(data):
    x, y, net = data
    sizes = [1, 16, 128, 256, 512]
    result = minibatch_gradient_spread(net, x, y, sizes, name="b3", n_draws=600, seed=2)
    correction = np.sqrt((512 - np.array(sizes)) / 511)
    np.testing.assert_allclose(result.expected_finite, result.expected * correction)
    np.testing.assert_allclose(result.measured[:-1] / result.expected_finite[:-1], 1, atol=0.1)
    # B = N: always the full batch
    assert result.measured[-1] < 1e-15
    assert result.expected_finite[-1] == 0
    assert -0.7 < result.slope < -0.52  # the correction steepens the fall near B = N (B = N is left out)


def test_spread_full_gradient_and_sigma_come_from_the_whole_data_set(data):
    x, y, net = data
    result = minibatch_gradient_spread(net, x, y, [1, 4], name="W2", index=(3, 5), n_draws=10)
    _, grads = net.loss_and_grads(x, y)
    assert result.full == pytest.approx(float(grads["W2"][3, 5]), abs=1e-16)
    assert result.sigma == pytest.approx(float(per_example_grads(net, x, y)["W2"][:, 3, 5].std()))
    assert result.index == (3, 5)
    assert result.name == "W2"
    assert result.n_samples == 512
    default = minibatch_gradient_spread(net, x, y, [1], name="W2", n_draws=2)
    assert default.index == most_variable_entry(net, x, y, "W2")[0]


def test_spread_is_deterministic_for_a_seed(data):
    x, y, net = data
    a = minibatch_gradient_spread(net, x, y, POWERS, name="b1", n_draws=20, seed=4)
    b = minibatch_gradient_spread(net, x, y, POWERS, name="b1", n_draws=20, seed=4)
    np.testing.assert_array_equal(a.measured, b.measured)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"batch_sizes": [1, 600]}, r"at most the 512 examples \(replace=False\); got \[1, 600\]"),
        ({"batch_sizes": [0, 2]}, r"batch_sizes must be at least 1"),
        ({"batch_sizes": []}, r"non-empty 1-D sequence of integers"),
        ({"batch_sizes": [1.5]}, r"non-empty 1-D sequence of integers"),
        ({"n_draws": 1}, r"n_draws must be an integer in \[2, inf\); got 1"),
        ({"replace": "yes"}, r"replace must be True or False; got 'yes'"),
        ({"name": "W7"}, r"name must be one of"),
        ({"index": (9, 0)}, r"index must address an entry of W2 of shape \(8, 8\); got \(9, 0\)"),
        ({"index": (1,)}, r"index must address an entry"),
        ({"seed": -1}, r"seed must be an integer in \[0, inf\)"),
        ({"loss": "mse"}, r"loss must be one of"),
    ],
)
def test_spread_rejects_bad_arguments(data, kwargs, message):
    x, y, net = data
    args = {"batch_sizes": [1, 2], "name": "W2"} | kwargs
    with pytest.raises(ValueError, match=message):
        minibatch_gradient_spread(net, x, y, **args)


def test_with_replacement_batches_may_exceed_the_data_set(data):
    x, y, net = data
    result = minibatch_gradient_spread(net, x[:10], y[:10], [20], name="b3", n_draws=5, replace=True)
    assert result.measured.shape == (1,)
