"""core.jacobians: seed 000's softmax chain rule, seed 002's identities (1)-(7) and its 1-layer network."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import core.jacobians
from core.functional import softmax
from core.gradcheck import numerical_gradient, numerical_jacobian
from core.jacobians import (
    ELEMENTWISE,
    IDENTITIES,
    chain_rule_cost,
    identity_case,
    identity_check,
    one_layer_example,
    one_layer_gradcheck,
    one_layer_network,
    softmax_cross_entropy_chain,
    to_row_convention,
)
from core.losses import cross_entropy_grad, one_hot

SEED_LOGITS = [3.5, 0.8, 0.2, -0.5]  # seed 003's multi-class default, true class 0


# ---------------------------------------------------------------------------------- softmax chain
def test_softmax_chain_reproduces_seed_003_gradient():
    chain = softmax_cross_entropy_chain(SEED_LOGITS, 0)
    np.testing.assert_allclose(chain.chain.round(3), [-0.109, 0.060, 0.033, 0.016])
    np.testing.assert_allclose(chain.chain, chain.grad, atol=1e-15)
    np.testing.assert_allclose(chain.grad, cross_entropy_grad(SEED_LOGITS, 0))
    assert chain.loss == pytest.approx(0.1155, abs=5e-5)
    np.testing.assert_array_equal(chain.target, [1, 0, 0, 0])


def test_softmax_chain_dloss_dprobs_is_one_hot_sparse():
    chain = softmax_cross_entropy_chain(SEED_LOGITS, 2)
    s = softmax(SEED_LOGITS)
    expected = np.zeros(4)
    expected[2] = -1 / s[2]
    np.testing.assert_allclose(chain.dloss_dprobs, expected)
    assert np.count_nonzero(chain.dloss_dprobs) == 1


def test_softmax_chain_terms_vanish_off_the_true_row_and_columns_sum_to_the_gradient():
    chain = softmax_cross_entropy_chain(SEED_LOGITS, 1)
    assert not np.delete(chain.terms, 1, axis=0).any()
    np.testing.assert_allclose(chain.terms.sum(axis=0), chain.chain)
    s = chain.probs
    np.testing.assert_allclose(chain.terms[1], s - np.eye(4)[1])  # (-1/s_t) s_t (δ_tk - s_k) = s_k - δ_tk


def test_softmax_jacobian_off_diagonal_is_minus_si_sk_not_seed_001s_minus_si_si():
    chain = softmax_cross_entropy_chain(SEED_LOGITS, 0)
    s = chain.probs
    assert chain.jacobian[0, 1] == pytest.approx(-s[0] * s[1])
    assert chain.jacobian[0, 1] != pytest.approx(-s[0] * s[0])
    assert chain.numerical_jacobian[0, 1] == pytest.approx(-s[0] * s[1], abs=1e-9)


@pytest.mark.parametrize("n_classes", [1, 2, 3, 6, 10])
def test_softmax_chain_matches_shortcut_and_numerical_jacobian(n_classes):
    rng = np.random.default_rng(n_classes)
    z = rng.normal(scale=3, size=n_classes)
    for t in range(n_classes):
        chain = softmax_cross_entropy_chain(z, t)
        assert chain.chain_max_abs_diff < 1e-14
        assert chain.jacobian_max_abs_diff < 1e-8
        assert chain.numerical_max_abs_diff < 1e-8


@settings(max_examples=60, deadline=None)
@given(
    arrays(np.float64, st.integers(3, 6), elements=st.floats(-8, 8, allow_nan=False)),
    st.integers(0, 5),
)
def test_softmax_chain_numerical_route_stays_accurate_over_the_pages_slider_range(z, t):
    t = t % z.size
    chain = softmax_cross_entropy_chain(z, t)
    assert chain.numerical_max_abs_diff < 1e-6  # the page promises < 1e-6 for logits in [-8, 8]
    assert np.isfinite(chain.terms).all()


def test_softmax_chain_rejects_a_true_class_that_underflows():
    with pytest.raises(ValueError, match="underflows to 0"):
        softmax_cross_entropy_chain([0.0, -1000.0], 1)


@pytest.mark.parametrize(
    ("logits", "target", "match"),
    [
        ([[1.0, 2.0]], 0, r"one example's logits of shape \(C,\)"),
        ([1.0, 2.0], 2, r"must be in \[0, 2\); got 2"),
        ([1.0, 2.0], -1, r"must be in \[0, 2\); got -1"),
        ([1.0, 2.0], 1.0, "one integer class index"),
        ([1.0, 2.0], True, "one integer class index"),
        ([1.0, 2.0], [0], "one integer class index"),
        ([1.0, np.nan], 0, "logits must be finite"),
        ([], 0, "at least one class"),
    ],
)
def test_softmax_chain_rejects_bad_input(logits, target, match):
    with pytest.raises(ValueError, match=match):
        softmax_cross_entropy_chain(logits, target)


def test_chain_rule_cost_counts_for_10_1000_50000_classes():
    costs = {c: chain_rule_cost(c) for c in (10, 1000, 50_000)}
    assert costs[10].jacobian_entries == 100
    assert costs[10].shortcut_operations == 10
    assert costs[1000].product_multiply_adds == 1_000_000
    assert costs[1000].jacobian_bytes == 8_000_000
    assert costs[50_000].jacobian_entries == 2_500_000_000
    assert costs[50_000].jacobian_bytes == 20_000_000_000
    assert costs[50_000].ratio == 50_000


@pytest.mark.parametrize("classes", [0, -3, 2.5, True, "10"])
def test_chain_rule_cost_rejects_non_positive_or_non_integer_counts(classes):
    with pytest.raises(ValueError, match="classes must be an integer"):
        chain_rule_cost(classes)


# ------------------------------------------------------------------------------------- identities
EXPECTED_SHAPES = {1: "nm", 2: "mn", 3: "nn", 4: "nn", 5: "nm", 6: "nm", 7: "n"}


@pytest.mark.parametrize("number", list(IDENTITIES))
@pytest.mark.parametrize(("n", "m"), [(1, 1), (2, 5), (5, 2), (4, 4)])
@pytest.mark.parametrize("seed", [0, 7])
def test_each_identity_matches_central_differences(number, n, m, seed):
    check = identity_check(number, seed=seed, n=n, m=m)
    sizes = {"n": n, "m": m}
    assert check.analytic.shape == tuple(sizes[c] for c in EXPECTED_SHAPES[number])
    assert check.numerical.shape == check.analytic.shape
    np.testing.assert_array_equal(check.difference, check.analytic - check.numerical)
    assert check.max_abs_diff == pytest.approx(np.abs(check.difference).max())
    assert check.max_abs_diff < 1e-8


@pytest.mark.parametrize("f", list(ELEMENTWISE))
@pytest.mark.parametrize("seed", range(5))
def test_identity_4_is_diag_of_f_prime_for_every_elementwise_function(f, seed):
    check = identity_check(4, seed=seed, n=5, elementwise=f)
    x = check.case.point
    assert not (check.analytic - np.diag(np.diag(check.analytic))).any()
    if f == "relu":
        assert np.abs(x).min() >= 0.1  # kept away from the kink
        np.testing.assert_array_equal(np.diag(check.analytic), (x > 0).astype(float))
    elif f == "tanh":
        np.testing.assert_allclose(np.diag(check.analytic), 1 - np.tanh(x) ** 2)
    else:
        s = 1 / (1 + np.exp(-x))
        np.testing.assert_allclose(np.diag(check.analytic), s * (1 - s))
    assert check.max_abs_diff < 1e-8


def test_identities_have_the_seed_002_formulas():
    one = identity_case(1, seed=3, n=2, m=3)
    np.testing.assert_array_equal(one.analytic, one.inputs["W"])
    two = identity_case(2, seed=3, n=2, m=3)
    np.testing.assert_array_equal(two.analytic, two.inputs["W"].T)
    np.testing.assert_array_equal(identity_case(3, n=3).analytic, np.eye(3))
    five = identity_case(5, seed=3, n=2, m=3)
    np.testing.assert_allclose(five.analytic, np.outer(five.inputs["δ"], five.inputs["x"]))  # δᵀxᵀ
    six = identity_case(6, seed=3, n=2, m=3)
    np.testing.assert_allclose(six.analytic, np.outer(six.inputs["x"], six.inputs["δ"]))  # xᵀδ
    seven = identity_case(7, seed=3, n=4)
    np.testing.assert_allclose(seven.analytic, softmax(seven.point) - seven.inputs["y"])
    assert seven.analytic.sum() == pytest.approx(0, abs=1e-15)
    assert [identity_case(k).formula for k in IDENTITIES] == [
        "W",
        "Wᵀ",
        "I",
        "diag(f′(x))",
        "δᵀxᵀ",
        "xᵀδ",
        "ŷ − y",
    ]


def test_identity_3_function_returns_a_copy_so_the_numerical_jacobian_is_the_identity():
    case = identity_case(3, n=3)
    out = case.function(case.point)
    assert out is not case.point
    assert not np.shares_memory(out, case.point)
    np.testing.assert_allclose(numerical_jacobian(case.function, case.point), np.eye(3), atol=1e-9)


def test_identity_inputs_depend_only_on_the_seed():
    a, b = identity_case(5, seed=11), identity_case(5, seed=11)
    np.testing.assert_array_equal(a.point, b.point)
    assert not np.array_equal(a.point, identity_case(5, seed=12).point)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"number": 0}, r"number must be an integer in \[1, 7\]; got 0"),
        ({"number": 8}, r"number must be an integer in \[1, 7\]; got 8"),
        ({"number": "1"}, "number must be an integer"),
        ({"number": 1, "seed": -1}, r"seed must be an integer in \[0, inf\)"),
        ({"number": 1, "n": 0}, r"n must be an integer in \[1, 64\]"),
        ({"number": 1, "m": 65}, r"m must be an integer in \[1, 64\]"),
        ({"number": 4, "elementwise": "gelu"}, "elementwise must be one of"),
    ],
)
def test_identity_case_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        identity_check(**kwargs)


# -------------------------------------------------------------------------------- 1-layer network
def _loss_of(params: dict, name: str, convention: str = "column"):
    def f(value):
        return float(one_layer_network(**{**params, name: value}, convention=convention)["J"])

    return f


@pytest.mark.parametrize(("dx", "dh", "nc"), [(3, 4, 3), (1, 1, 2), (5, 2, 6), (2, 6, 1)])
def test_one_layer_network_shapes_follow_the_shape_convention(dx, dh, nc):
    ex = one_layer_example(dx, dh, nc, seed=2)
    out = one_layer_network(**ex)
    assert out["z"].shape == out["h"].shape == (dh, 1)
    assert out["theta"].shape == out["y_hat"].shape == (nc, 1)
    assert out["delta1"].shape == (1, nc)
    assert out["delta2"].shape == (1, dh)
    for name in ("W", "b1", "U", "b2", "x"):
        assert out[name].shape == ex[name].shape, name
    assert np.ndim(out["J"]) == 0


def test_one_layer_network_forward_pass_is_seed_002s():
    ex = one_layer_example(3, 4, 3, seed=5)
    out = one_layer_network(**ex)
    z = ex["W"] @ ex["x"] + ex["b1"]
    h = np.maximum(z, 0)
    theta = ex["U"] @ h + ex["b2"]
    np.testing.assert_allclose(out["z"], z)
    np.testing.assert_array_equal(out["h"], np.maximum(out["z"], 0))
    np.testing.assert_allclose(out["theta"], theta)
    np.testing.assert_allclose(out["y_hat"][:, 0], softmax(theta[:, 0]))
    assert float(out["J"]) == pytest.approx(-np.log(out["y_hat"][ex["y"], 0]))
    np.testing.assert_allclose(out["delta1"], (out["y_hat"] - one_hot(ex["y"], 3)[:, None]).T)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("convention", ["column", "row"])
def test_one_layer_network_gradients_match_finite_differences(seed, convention):
    params = one_layer_example(3, 5, 4, seed=seed)
    if convention == "row":
        params = to_row_convention(params)
    out = one_layer_network(**params, convention=convention)
    for name in ("W", "b1", "U", "b2", "x"):
        numeric = numerical_gradient(_loss_of(params, name, convention), params[name])
        np.testing.assert_allclose(out[name], numeric, atol=1e-8, err_msg=name)


@pytest.mark.parametrize(("dx", "dh", "nc"), [(3, 4, 3), (6, 6, 6), (1, 2, 2)])
def test_one_layer_gradcheck_is_tiny_for_the_examples(dx, dh, nc):
    for seed in range(3):
        ex = one_layer_example(dx, dh, nc, seed=seed)
        errors = one_layer_gradcheck(**ex)
        assert list(errors) == ["U", "b2", "W", "b1", "x"]
        assert max(errors.values()) < 1e-7
        row_errors = one_layer_gradcheck(**to_row_convention(ex), convention="row")
        assert max(row_errors.values()) < 1e-7


def test_one_layer_gradcheck_catches_a_wrong_gradient(monkeypatch):
    ex = one_layer_example(seed=0)
    real = core.jacobians._one_layer

    def wrong(*args, **kwargs):
        out = real(*args, **kwargs)
        if "W" in out:
            out["W"] = out["W"].T.reshape(out["W"].shape)  # a plausible orientation bug
        return out

    monkeypatch.setattr(core.jacobians, "_one_layer", wrong)
    errors = one_layer_gradcheck(**ex)
    assert errors["W"] > 1e-2
    assert errors["U"] < 1e-7


@pytest.mark.torch
def test_one_layer_network_matches_torch_autograd():
    torch = pytest.importorskip("torch")
    ex = one_layer_example(4, 5, 3, seed=9)
    out = one_layer_network(**ex)
    t = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in ex.items() if k != "y"}
    z = t["W"] @ t["x"] + t["b1"]
    theta = t["U"] @ torch.relu(z) + t["b2"]
    loss = torch.nn.functional.cross_entropy(theta.T, torch.tensor([ex["y"]]))
    loss.backward()
    assert float(out["J"]) == pytest.approx(loss.item(), abs=1e-14)
    for name in ("W", "b1", "U", "b2", "x"):
        np.testing.assert_allclose(out[name], t[name].grad.numpy(), atol=1e-14, err_msg=name)


def test_row_convention_gradients_are_the_transposes_of_the_column_ones():
    ex = one_layer_example(3, 4, 5, seed=4)
    col = one_layer_network(**ex)
    row = one_layer_network(**to_row_convention(ex), convention="row")
    for name in ("z", "h", "theta", "y_hat", "W", "b1", "U", "b2", "x"):
        np.testing.assert_allclose(col[name], row[name].T, atol=1e-15, err_msg=name)
    np.testing.assert_allclose(col["delta1"], row["delta1"], atol=1e-15)
    np.testing.assert_allclose(col["delta2"], row["delta2"], atol=1e-15)
    assert float(col["J"]) == pytest.approx(float(row["J"]), abs=1e-15)


def test_row_convention_matches_core_mlp_with_one_hidden_layer():
    mlp = pytest.importorskip("core.mlp")  # the Backpropagation page's network, written independently
    ex = to_row_convention(one_layer_example(3, 4, 2, seed=6))
    net = mlp.MLP([3, 4, 2], activation="relu")
    net.params["W1"][...] = ex["W"]
    net.params["b1"][...] = ex["b1"][0]
    net.params["W2"][...] = ex["U"]
    net.params["b2"][...] = ex["b2"][0]
    loss, grads = net.loss_and_grads(ex["x"], [ex["y"]])
    out = one_layer_network(**ex, convention="row")
    assert loss == pytest.approx(float(out["J"]), abs=1e-14)
    np.testing.assert_allclose(grads["W1"], out["W"], atol=1e-14)
    np.testing.assert_allclose(grads["b1"], out["b1"][0], atol=1e-14)
    np.testing.assert_allclose(grads["W2"], out["U"], atol=1e-14)
    np.testing.assert_allclose(grads["b2"], out["b2"][0], atol=1e-14)


def test_relu_derivative_at_zero_is_zero_as_in_the_seed():
    x = np.array([[1.0], [2.0]])
    W = np.array([[1.0, -0.5], [0.5, 0.5]])  # z_1 = 0 exactly
    b1 = np.zeros((2, 1))
    U = np.array([[1.0, -1.0], [0.5, 2.0]])
    out = one_layer_network(x, 1, W, b1, U, np.zeros((2, 1)))
    assert out["z"][0, 0] == 0
    assert not out["delta2"][0, 0]
    assert not out["W"][0].any()
    assert not out["b1"][0].any()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_one_layer_network_keeps_the_float_dtype(dtype):
    ex = one_layer_example(seed=1)
    cast = {k: (v if k == "y" else v.astype(dtype)) for k, v in ex.items()}
    out = one_layer_network(**cast)
    assert all(v.dtype == dtype for v in out.values())
    ref = one_layer_network(**ex)
    np.testing.assert_allclose(out["W"], ref["W"], rtol=1e-4, atol=1e-6)


def test_one_layer_network_promotes_ints_and_mixed_dtypes_to_float64():
    ex = one_layer_example(seed=1)
    out = one_layer_network(
        [[1], [0], [2]], np.int64(0), ex["W"].astype(np.float32), ex["b1"], ex["U"], ex["b2"]
    )
    assert out["W"].dtype == np.float64
    assert out["J"].dtype == np.float64


def test_one_layer_example_is_deterministic_and_keeps_off_the_relu_kink():
    a, b = one_layer_example(4, 6, 3, seed=3), one_layer_example(4, 6, 3, seed=3)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])
    assert 0 <= a["y"] < 3
    assert isinstance(a["y"], int)
    for seed in range(50):
        ex = one_layer_example(2, 6, 2, seed=seed)
        assert np.abs(ex["W"] @ ex["x"] + ex["b1"]).min() >= 0.05 - 1e-12


def test_to_row_convention_transposes_copies():
    ex = one_layer_example(2, 3, 4)
    row = to_row_convention(ex)
    assert row["x"].shape == (1, 2)
    assert row["U"].shape == (3, 4)
    assert row["y"] == ex["y"]
    row["W"][0, 0] += 1
    assert row["W"][0, 0] != ex["W"][0, 0]


GOOD = one_layer_example(3, 4, 2, seed=0)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"x": np.ones(3)}, r"x must be a 2-D array \(column convention\); got shape \(3,\)"),
        ({"x": np.ones((1, 3))}, r"x must be a column \(Dx, 1\)"),
        ({"W": np.ones((4, 2))}, r"W must have shape \(Dh, 3\) .*got \(4, 2\)"),
        ({"U": np.ones((2, 3))}, r"U must have shape \(Nc, 4\) .*got \(2, 3\)"),
        ({"b1": np.ones(4)}, r"b1 must be a 2-D array"),
        ({"b1": np.ones((1, 4))}, r"b1 must have shape \(4, 1\) in the column convention; got \(1, 4\)"),
        ({"b2": np.ones((3, 1))}, r"b2 must have shape \(2, 1\)"),
        ({"y": 2}, r"y class indices must be in \[0, 2\); got 2"),
        ({"y": -1}, r"y class indices must be in \[0, 2\); got -1"),
        ({"y": 1.0}, "y must be one integer class index"),
        ({"y": True}, "y must be one integer class index"),
        ({"W": np.full((4, 3), np.nan)}, "W must be finite"),
        ({"x": [["a"], ["b"], ["c"]]}, "x must be a numeric array"),
    ],
)
def test_one_layer_network_rejects_bad_input(change, match):
    with pytest.raises(ValueError, match=match):
        one_layer_network(**{**GOOD, **change})


def test_one_layer_network_rejects_column_shapes_in_the_row_convention_and_bad_conventions():
    with pytest.raises(ValueError, match=r"x must be a row \(1, Dx\)"):
        one_layer_network(**GOOD, convention="row")
    with pytest.raises(ValueError, match="convention must be 'column'"):
        one_layer_network(**GOOD, convention="columns")
