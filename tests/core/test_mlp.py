"""core.mlp: the MLP's forward and backward pass, its gradients against finite differences, the traced
pass the Backpropagation page steps through, and every input error."""

import itertools

import numpy as np
import pytest

from core.functional import softmax
from core.gradcheck import numerical_gradient
from core.losses import cross_entropy, loss_and_grad, one_hot
from core.minibatch import gaussian_blobs
from core.mlp import (
    ACTIVATIONS,
    MLP,
    MLP_LOSSES,
    activation_derivative,
    activation_function,
    backprop_trace,
    demo_network,
    mlp_gradcheck,
)

RNG = np.random.default_rng(0)
X = RNG.normal(size=(6, 3))
Y = np.array([0, 1, 2, 3, 1, 0])
SIZES = [3, 5, 4, 4]
# Loss options covering every loss and the cross-entropy variants.
LOSS_CASES = {
    "ce": ("cross_entropy", {}),
    "ce_smooth": ("cross_entropy", {"label_smoothing": 0.15}),
    "ce_weight": ("cross_entropy", {"weight": np.array([0.5, 2.0, 1.0, 1.5])}),
    "ce_smooth_weight": ("cross_entropy", {"label_smoothing": 0.3, "weight": np.array([1.0, 0.2, 3.0, 1.0])}),
    "softmax_mse": ("softmax_mse", {}),
    "focal": ("focal", {"gamma": 2.0}),
    "focal_alpha": ("focal", {"gamma": 0.5, "alpha": np.array([0.25, 0.5, 0.75, 1.0])}),
    "multi_margin": ("multi_margin", {}),
    "multi_margin_p2": ("multi_margin", {"p": 2, "margin": 0.5}),
}


def manual_forward(net: MLP, x: np.ndarray) -> np.ndarray:
    """The forward pass written out independently of the class."""
    f = {
        "relu": lambda z: np.maximum(z, 0),
        "tanh": np.tanh,
        "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
        "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    }[net.activation]
    a = x
    for k in range(1, net.n_layers + 1):
        z = a @ net.params[f"W{k}"] + net.params[f"b{k}"]
        a = z if k == net.n_layers else f(z)
    return a


def loss_of(net: MLP, loss: str, kwargs: dict, target=Y, x=X) -> float:
    return net.loss_value(x, target, loss=loss, **kwargs)


# ------------------------------------------------------------------------------------ construction
def test_params_have_the_row_vector_shapes_and_order():
    net = MLP([4, 7, 5, 3])
    assert list(net.params) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert {k: v.shape for k, v in net.params.items()} == {
        "W1": (4, 7),
        "b1": (7,),
        "W2": (7, 5),
        "b2": (5,),
        "W3": (5, 3),
        "b3": (3,),
    }
    assert net.n_layers == 3
    assert net.layer_sizes == (4, 7, 5, 3)
    assert net.n_params == 4 * 7 + 7 + 7 * 5 + 5 + 5 * 3 + 3
    assert all(not net.params[f"b{k}"].any() for k in (1, 2, 3))


@pytest.mark.parametrize("activation", ["relu", "leaky_relu"])
def test_he_initialisation_has_std_sqrt_2_over_fan_in(activation):
    net = MLP([400, 300, 2], activation=activation, seed=1)
    w = net.params["W1"]
    gain = 1 + 0.01**2 if activation == "leaky_relu" else 1
    assert w.std() == pytest.approx(np.sqrt(2 / (400 * gain)), rel=0.01)
    assert abs(w.mean()) < 0.002


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_glorot_initialisation_is_uniform_within_the_limit(activation):
    net = MLP([400, 300, 2], activation=activation, seed=1)
    w = net.params["W1"]
    limit = np.sqrt(6 / 700)
    assert np.abs(w).max() <= limit
    assert np.abs(w).max() > 0.99 * limit
    assert w.std() == pytest.approx(limit / np.sqrt(3), rel=0.01)


def test_same_seed_same_weights_other_seed_other_weights():
    a, b, c = MLP(SIZES, seed=3), MLP(SIZES, seed=3), MLP(SIZES, seed=4)
    for key in a.params:
        np.testing.assert_array_equal(a.params[key], b.params[key])
    assert not np.array_equal(a.params["W1"], c.params["W1"])
    ga = a.loss_and_grads(X, Y)[1]
    gb = b.loss_and_grads(X, Y)[1]
    for key in ga:
        np.testing.assert_array_equal(ga[key], gb[key])


def test_float32_net_starts_from_the_float64_weights_rounded():
    n64, n32 = MLP(SIZES, seed=2), MLP(SIZES, seed=2, dtype=np.float32)
    for key in n64.params:
        assert n32.params[key].dtype == np.float32
        np.testing.assert_array_equal(n32.params[key], n64.params[key].astype(np.float32))


def test_repr_names_the_configuration():
    assert (
        repr(MLP([2, 3], activation="tanh", seed=5))
        == "MLP([2, 3], activation='tanh', seed=5, dtype=float64)"
    )


# ------------------------------------------------------------------------------------ forward
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_forward_matches_the_written_out_network(activation):
    net = demo_network(SIZES, activation=activation, seed=1)
    np.testing.assert_allclose(net.forward(X), manual_forward(net, X), rtol=1e-13, atol=1e-14)


def test_forward_keeps_every_z_and_a_with_their_shapes():
    net = MLP([3, 5, 4, 2])
    logits = net.forward(X)
    assert sorted(net.zs) == [1, 2, 3]
    assert sorted(net.activations) == [0, 1, 2, 3]
    assert [net.zs[k].shape for k in (1, 2, 3)] == [(6, 5), (6, 4), (6, 2)]
    assert [net.activations[k].shape for k in (0, 1, 2, 3)] == [(6, 3), (6, 5), (6, 4), (6, 2)]
    np.testing.assert_array_equal(net.activations[0], X)
    np.testing.assert_array_equal(net.activations[3], logits)
    np.testing.assert_array_equal(net.zs[3], logits)
    np.testing.assert_array_equal(net.activations[1], np.maximum(net.zs[1], 0))
    np.testing.assert_array_equal(net.zs[2], net.activations[1] @ net.params["W2"] + net.params["b2"])


def test_cached_arrays_are_read_only_views():
    net = MLP(SIZES)
    net.forward(X)
    net.backward(Y)
    for arrays in (net.zs, net.activations, net.deltas):
        with pytest.raises(ValueError, match="read-only"):
            arrays[1][0, 0] = 1.0


def test_predict_and_loss_value_leave_the_forward_cache_alone():
    net = MLP(SIZES, seed=1)
    net.forward(X)
    z1 = net.zs[1].copy()
    other = RNG.normal(size=(3, 3))
    classes = net.predict(other)
    probs = net.predict_proba(other)
    value = net.loss_value(other, [0, 1, 2])
    np.testing.assert_array_equal(net.zs[1], z1)
    assert classes.shape == (3,)
    assert probs.shape == (3, 4)
    np.testing.assert_array_equal(classes, manual_forward(net, other).argmax(axis=1))
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    assert value == pytest.approx(float(cross_entropy(manual_forward(net, other), [0, 1, 2])), rel=1e-14)
    # backward still differentiates the batch of the last forward
    np.testing.assert_allclose(net.backward(Y)["W1"], net.loss_and_grads(X, Y)[1]["W1"])


def test_copy_is_independent_and_can_change_dtype():
    net = MLP(SIZES, seed=1)
    twin = net.copy()
    twin.params["W1"] += 1
    assert not np.array_equal(net.params["W1"], twin.params["W1"])
    single = net.copy(dtype=np.float32)
    assert single.dtype == np.float32
    assert single.params["W2"].dtype == np.float32
    with pytest.raises(ValueError, match="call forward"):
        net.copy().backward(Y)


# ------------------------------------------------------------------------------------ backward
@pytest.mark.parametrize(("activation", "case"), list(itertools.product(ACTIVATIONS, LOSS_CASES)))
def test_gradients_match_finite_differences(activation, case):
    loss, kwargs = LOSS_CASES[case]
    net = demo_network(SIZES, activation=activation, seed=2, bias_std=0.3)
    value, grads = net.loss_and_grads(X, Y, loss=loss, **kwargs)
    assert value == pytest.approx(loss_of(net, loss, kwargs), rel=1e-15)
    for name, param in net.params.items():
        original = param.copy()

        def f(p, name=name):
            net.params[name] = p
            return loss_of(net, loss, kwargs)

        numeric = numerical_gradient(f, original, eps=1e-6)
        net.params[name] = original
        scale = max(np.abs(numeric).max(), 1e-3)
        assert np.abs(grads[name] - numeric).max() / scale < 1e-6, name


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_probability_targets_match_finite_differences(activation):
    target = RNG.dirichlet(np.ones(4), 6)
    net = demo_network(SIZES, activation=activation, seed=4)
    errors = mlp_gradcheck(net, X, target, label_smoothing=0.1)
    assert max(errors.values()) < 1e-8


def test_backward_keeps_every_delta_and_the_sums_that_make_the_gradients():
    net = demo_network([3, 5, 4, 4], seed=1)
    net.forward(X)
    grads = net.backward(Y)
    assert sorted(net.deltas) == [1, 2, 3]
    assert [net.deltas[k].shape for k in (1, 2, 3)] == [(6, 5), (6, 4), (6, 4)]
    # δ^L = (S(z_L) − Y)/B for plain cross-entropy: the 1/B lives here
    expected = (softmax(net.zs[3]) - one_hot(Y, 4)) / 6
    np.testing.assert_allclose(net.deltas[3], expected, atol=1e-16)
    for k in (1, 2, 3):
        np.testing.assert_allclose(grads[f"W{k}"], net.activations[k - 1].T @ net.deltas[k], atol=1e-16)
        np.testing.assert_allclose(grads[f"b{k}"], net.deltas[k].sum(axis=0), atol=1e-16)
    for k in (1, 2):  # δ^l = (δ^{l+1} W_{l+1}ᵀ) ⊙ relu'(z_l)
        np.testing.assert_allclose(
            net.deltas[k], (net.deltas[k + 1] @ net.params[f"W{k + 1}"].T) * (net.zs[k] > 0), atol=1e-16
        )


def test_delta_is_the_gradient_of_the_loss_with_respect_to_z():
    net = demo_network([3, 4, 3], activation="tanh", seed=0)
    net.forward(X[:, :3])
    net.backward(Y % 3)
    delta1 = net.deltas[1]
    z1 = net.zs[1].copy()

    def loss_from_z1(z):
        logits = np.tanh(z) @ net.params["W2"] + net.params["b2"]
        return float(cross_entropy(logits, Y % 3))

    np.testing.assert_allclose(delta1, numerical_gradient(loss_from_z1, z1), atol=1e-9)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradients_are_batch_means_of_single_example_gradients(activation):
    net = demo_network(SIZES, activation=activation, seed=5)
    _, batch = net.loss_and_grads(X, Y)
    singles = [net.loss_and_grads(X[i : i + 1], Y[i : i + 1])[1] for i in range(len(Y))]
    for name in batch:
        np.testing.assert_allclose(batch[name], np.mean([g[name] for g in singles], axis=0), atol=1e-15)


def test_a_second_backward_reuses_the_forward_with_another_loss():
    net = demo_network(SIZES, seed=1)
    net.forward(X)
    ce = net.backward(Y)
    focal = net.backward(Y, loss="focal", gamma=0.0)  # gamma = 0: the same as cross-entropy
    for name in ce:
        np.testing.assert_allclose(focal[name], ce[name], atol=1e-15)


def test_single_layer_network_is_softmax_regression():
    net = MLP([3, 4], seed=0)
    value, grads = net.loss_and_grads(X, Y)
    p = softmax(X @ net.params["W1"])
    np.testing.assert_allclose(grads["W1"], X.T @ (p - one_hot(Y, 4)) / 6, atol=1e-15)
    assert value == pytest.approx(float(cross_entropy(X @ net.params["W1"], Y)))


# ------------------------------------------------------------------------------------ dtypes
@pytest.mark.parametrize("x_dtype", [np.float32, np.float64])
def test_float32_net_keeps_float32_everywhere(x_dtype):
    net = demo_network(SIZES, seed=1).copy(dtype=np.float32)
    logits = net.forward(X.astype(x_dtype))
    grads = net.backward(Y)
    assert logits.dtype == np.float32
    assert all(a.dtype == np.float32 for a in net.activations.values())
    assert all(z.dtype == np.float32 for z in net.zs.values())
    assert all(d.dtype == np.float32 for d in net.deltas.values())
    assert all(g.dtype == np.float32 for g in grads.values())
    reference = demo_network(SIZES, seed=1).loss_and_grads(X, Y)[1]
    for name in grads:
        np.testing.assert_allclose(grads[name], reference[name], rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_float64_net_computes_integer_input_in_float64(activation):
    net = MLP([2, 3, 2], activation=activation)
    logits = net.forward([[1, 2], [3, 4]])
    assert logits.dtype == np.float64


# ------------------------------------------------------------------------------------ activations
def test_activation_derivatives_at_the_kink_follow_pytorch():
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(activation_derivative(z, "relu"), [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(activation_derivative(z, "leaky_relu"), [0.01, 0.01, 1.0])
    assert activation_derivative([0.0], "sigmoid")[0] == 0.25
    assert activation_derivative([0.0], "tanh")[0] == 1.0


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_activation_derivative_matches_finite_differences_away_from_the_kink(activation):
    z = np.array([-3.0, -0.7, 0.4, 2.5])
    numeric = np.array(
        [numerical_gradient(lambda v: activation_function(v, activation).sum(), [x])[0] for x in z]
    )
    np.testing.assert_allclose(activation_derivative(z, activation), numeric, atol=1e-9)


def test_sigmoid_activation_is_stable_for_large_inputs():
    out = activation_function([-1000.0, 1000.0], "sigmoid")
    np.testing.assert_array_equal(out, [0.0, 1.0])
    assert activation_derivative(np.array([[-1000.0]]), "sigmoid").shape == (1, 1)


# ------------------------------------------------------------------------------------ gradcheck
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("case", ["ce", "ce_smooth_weight", "softmax_mse", "focal", "multi_margin"])
def test_mlp_gradcheck_reports_tiny_errors_for_every_parameter(activation, case):
    loss, kwargs = LOSS_CASES[case]
    net = demo_network(SIZES, activation=activation, seed=3)
    errors = mlp_gradcheck(net, X, Y, loss=loss, **kwargs)
    assert list(errors) == list(net.params)
    assert max(errors.values()) < 1e-8


def test_mlp_gradcheck_is_exact_enough_for_deep_sigmoid_nets_with_tiny_gradients():
    net = demo_network([2, 3, 3, 3, 3, 3, 2], activation="sigmoid", seed=1)
    x = RNG.normal(size=(8, 2))
    errors = mlp_gradcheck(net, x, np.arange(8) % 2)
    _, grads = net.loss_and_grads(x, np.arange(8) % 2)
    assert np.abs(grads["W1"]).max() < 1e-3  # the vanishing gradient the extended precision is for
    assert max(errors.values()) < 1e-8


def test_mlp_gradcheck_catches_a_wrong_gradient(monkeypatch):
    net = demo_network(SIZES, seed=3)
    original = MLP._backward

    def forgets_the_one_over_b(self, dlogits):
        return original(self, dlogits * dlogits.shape[0])

    monkeypatch.setattr(MLP, "_backward", forgets_the_one_over_b)
    errors = mlp_gradcheck(net, X, Y)
    assert min(errors.values()) == pytest.approx(1 - 1 / len(Y), rel=1e-6)


def test_mlp_gradcheck_does_not_change_the_net():
    net = demo_network(SIZES, seed=3).copy(dtype=np.float32)
    before = {k: v.copy() for k, v in net.params.items()}
    assert max(mlp_gradcheck(net, X, Y).values()) < 1e-8  # the float64 version of the net is checked
    for k in before:
        np.testing.assert_array_equal(net.params[k], before[k])
        assert net.params[k].dtype == np.float32


def test_zero_biases_and_dead_rows_put_relu_on_its_kink_which_demo_network_avoids():
    # Two hidden units that are both negative for every example: the next layer's z is exactly b = 0.
    net = MLP([2, 2, 2, 2], seed=0)
    net.params["W1"][...] = -1.0
    x = np.abs(RNG.normal(size=(4, 2))) + 0.1
    net.forward(x)
    assert np.all(net.zs[2] == 0)
    assert max(mlp_gradcheck(net, x, [0, 1, 0, 1]).values()) > 0.1  # FD sees slope ½ where relu'(0) = 0
    demo = demo_network([2, 2, 2, 2], seed=0)
    demo.params["W1"][...] = -1.0
    assert max(mlp_gradcheck(demo, x, [0, 1, 0, 1]).values()) < 1e-8


def test_demo_network_keeps_the_weights_and_draws_small_biases():
    net, plain = demo_network([3, 50, 4], seed=7), MLP([3, 50, 4], seed=7)
    np.testing.assert_array_equal(net.params["W1"], plain.params["W1"])
    assert 0.07 < net.params["b1"].std() < 0.13
    assert np.all(demo_network([3, 50, 4], seed=7, bias_std=0.0).params["b1"] == 0)


# ------------------------------------------------------------------------------------ traced pass
def test_backprop_trace_keeps_every_intermediate_of_one_pass():
    x, y = gaussian_blobs(8, 2, 3, seed=1)
    net = demo_network([2, 5, 5, 5, 3], activation="tanh", seed=1)
    trace = backprop_trace(net, x, y)
    loss, grads = net.loss_and_grads(x, y)
    assert trace.loss == pytest.approx(loss)
    assert trace.layer_sizes == (2, 5, 5, 5, 3)
    assert sorted(trace.back_products) == [1, 2, 3]
    assert sorted(trace.derivatives) == [1, 2, 3]
    np.testing.assert_array_equal(trace.activations[0], x)
    np.testing.assert_allclose(trace.probs.sum(axis=1), 1.0)
    np.testing.assert_array_equal(trace.onehot.argmax(axis=1), y)
    np.testing.assert_allclose(trace.deltas[4], (trace.probs - trace.onehot) / len(y), atol=1e-16)
    for k in (1, 2, 3):
        np.testing.assert_allclose(trace.back_products[k], trace.deltas[k + 1] @ net.params[f"W{k + 1}"].T)
        np.testing.assert_allclose(trace.derivatives[k], 1 - np.tanh(trace.zs[k]) ** 2)
        np.testing.assert_allclose(trace.deltas[k], trace.back_products[k] * trace.derivatives[k], atol=1e-16)
    for name, grad in grads.items():
        np.testing.assert_array_equal(trace.grads[name], grad)


def test_backprop_trace_rejects_probability_targets_and_non_nets():
    net = demo_network([2, 3, 2])
    with pytest.raises(ValueError, match="integer class indices"):
        backprop_trace(net, np.ones((2, 2)), np.array([[0.5, 0.5], [1.0, 0.0]]))
    with pytest.raises(ValueError, match="net must be an MLP; got dict"):
        backprop_trace({}, np.ones((2, 2)), [0, 1])


# ------------------------------------------------------------------------------------ errors
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"layer_sizes": [3]}, r"at least 2 entries .*got \[3\]"),
        ({"layer_sizes": [3, 0]}, r"positive integers; got 0 at position 1"),
        ({"layer_sizes": [3, 2.5]}, r"positive integers; got 2.5 at position 1"),
        ({"layer_sizes": [3, True]}, r"positive integers; got True at position 1"),
        ({"layer_sizes": "32"}, r"sequence of positive integers"),
        ({"layer_sizes": 3}, r"sequence of positive integers"),
        ({"layer_sizes": [2, 3], "activation": "gelu"}, r"activation must be one of .*got 'gelu'"),
        ({"layer_sizes": [2, 3], "seed": -1}, r"seed must be an integer in \[0, inf\); got -1"),
        ({"layer_sizes": [2, 3], "seed": 1.5}, r"seed must be an integer; got 1.5"),
        ({"layer_sizes": [2, 3], "dtype": np.float16}, r"dtype must be np.float32 or np.float64"),
        ({"layer_sizes": [2, 3], "dtype": int}, r"dtype must be np.float32 or np.float64"),
        ({"layer_sizes": [2, 3], "dtype": "banana"}, r"dtype must be np.float32 or np.float64"),
    ],
)
def test_constructor_rejects_bad_arguments(kwargs, message):
    sizes = kwargs.pop("layer_sizes")
    with pytest.raises(ValueError, match=message):
        MLP(sizes, **kwargs)


@pytest.mark.parametrize(
    ("x", "message"),
    [
        (np.ones((4, 2)), r"X must have shape \(B, 3\) .*got shape \(4, 2\)"),
        (np.ones(3), r"X must have shape \(B, 3\) .*got shape \(3,\)"),
        (np.ones((0, 3)), r"got shape \(0, 3\)"),
        (np.array([[1.0, np.nan, 0.0]]), r"X must be finite; got nan at position \(0, 1\)"),
        (np.array([[1.0, np.inf, 0.0]]), r"X must be finite"),
        ([["a", "b", "c"]], r"X must be a numeric array"),
    ],
)
def test_forward_rejects_bad_batches(x, message):
    net = MLP(SIZES)
    with pytest.raises(ValueError, match=message):
        net.forward(x)
    with pytest.raises(ValueError, match=message):
        net.loss_and_grads(x, Y)
    with pytest.raises(ValueError, match=message):
        net.predict(x)


def test_backward_errors_name_the_fix():
    net = MLP(SIZES)
    with pytest.raises(ValueError, match=r"call forward\(X\) before backward\(target\)"):
        net.backward(Y)
    net.forward(X)
    with pytest.raises(ValueError, match=r"loss must be one of .*got 'mse'"):
        net.backward(Y, loss="mse")
    with pytest.raises(ValueError, match=r"reduction is fixed: .*batch-mean.*got reduction='sum'"):
        net.backward(Y, reduction="sum")
    with pytest.raises(ValueError, match=r"cross_entropy got unexpected keyword arguments \['gamma'\]"):
        net.backward(Y, gamma=2.0)
    with pytest.raises(ValueError, match=r"target class indices must be in \[0, 4\)"):
        net.backward(np.array([0, 1, 2, 3, 4, 0]))
    with pytest.raises(ValueError, match=r"target class indices must have shape \(6,\)"):
        net.backward(np.array([0, 1]))


def test_loss_names_are_the_ones_core_loss_and_grad_knows():
    assert set(MLP_LOSSES) == {"cross_entropy", "softmax_mse", "focal", "multi_margin"}
    for loss in MLP_LOSSES:
        loss_and_grad(loss, np.zeros((1, 3)), [0])


def test_mlp_gradcheck_validates_its_arguments():
    net = MLP([2, 2])
    with pytest.raises(ValueError, match="net must be an MLP; got list"):
        mlp_gradcheck([], np.ones((1, 2)), [0])
    with pytest.raises(ValueError, match=r"eps must be in \(0, inf\]; got 0"):
        mlp_gradcheck(net, np.ones((1, 2)), [0], eps=0.0)
    with pytest.raises(ValueError, match="loss must be one of"):
        mlp_gradcheck(net, np.ones((1, 2)), [0], loss="hinge")
    with pytest.raises(ValueError, match=r"demo|bias_std must be in \[0, inf\]; got -1"):
        demo_network([2, 2], bias_std=-1.0)
