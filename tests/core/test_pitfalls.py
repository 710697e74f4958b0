"""core.pitfalls: the deliberately naive log-softmax, clipping, BCE on softmax and MSE on a sigmoid."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from core.functional import log_softmax, softmax
from core.gradcheck import numerical_gradient
from core.losses import binary_cross_entropy_with_logits_grad, cross_entropy, cross_entropy_grad
from core.pitfalls import (
    NAIVE_DTYPES,
    bce_on_softmax,
    bce_on_softmax_grad,
    clipped_log_loss,
    clipped_log_loss_grad,
    clipping_comparison,
    exp_overflow_threshold,
    mse_on_sigmoid,
    mse_on_sigmoid_grad,
    naive_and_stable_at,
    naive_cross_entropy,
    naive_log_softmax,
    naive_scale_sweep,
)

SCALES = np.geomspace(0.1, 1e4, 400)
SEED_LOGITS = [3.5, 0.8, 0.2, -0.5]


# ------------------------------------------------------------------------------------ naive log-softmax
@pytest.mark.parametrize("dtype", NAIVE_DTYPES)
def test_naive_log_softmax_matches_log_softmax_for_small_logits(dtype):
    z = np.array([[1.0, -2.0, 0.5], [3.5, 0.8, 0.2]])
    naive = naive_log_softmax(z, dtype=dtype)
    assert naive.dtype == np.dtype(dtype)
    tol = {"float16": 2e-2, "float32": 1e-6, "float64": 1e-12}[dtype]
    np.testing.assert_allclose(naive.astype(np.float64), log_softmax(z), rtol=tol, atol=tol)


def test_naive_log_softmax_keeps_the_logits_dtype_by_default():
    assert naive_log_softmax(np.zeros(3, np.float32)).dtype == np.float32
    assert naive_log_softmax([0.0, 1.0]).dtype == np.float64


def test_naive_log_softmax_breaks_silently_where_exp_overflows():
    # filterwarnings=error: any numpy RuntimeWarning would fail this test
    out = naive_log_softmax([1000.0, 0.0])
    assert math.isnan(out[0])
    assert out[1] == -np.inf


def test_naive_cross_entropy_is_unstable_where_cross_entropy_is_not():
    z = np.array([100.0, 0.0, -100.0], np.float32)
    assert float(naive_cross_entropy(z, 1)) == np.inf
    assert math.isnan(float(naive_cross_entropy(z, 0)))
    assert float(cross_entropy(z, 1)) == pytest.approx(100.0)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_naive_cross_entropy_equals_cross_entropy_for_moderate_logits(reduction):
    z = np.array([SEED_LOGITS, [0.0, 1.0, -1.0, 2.0]])
    t = np.array([0, 3])
    np.testing.assert_allclose(
        naive_cross_entropy(z, t, reduction=reduction),
        cross_entropy(z, t, reduction=reduction),
        rtol=1e-12,
    )


def test_naive_cross_entropy_runs_in_float16_not_float32():
    z = np.array([12.0, 0.0])  # exp(12) = 162755 > 65504: overflows in float16 only
    assert math.isnan(float(naive_cross_entropy(z, 0, dtype="float16")))
    assert np.isfinite(naive_cross_entropy(z, 0, dtype="float32"))
    assert naive_cross_entropy(z, 0, dtype="float16").dtype == np.float16


@pytest.mark.parametrize("dtype", ["int32", "float128", "complex64", "half-precision", None.__class__])
def test_naive_rejects_unknown_dtypes(dtype):
    with pytest.raises(ValueError, match="dtype must be one of float16, float32, float64"):
        naive_log_softmax([0.0, 1.0], dtype=dtype)


def test_sweep_needs_an_explicit_dtype():
    with pytest.raises(ValueError, match="dtype must be one of float16, float32, float64; got None"):
        naive_scale_sweep([1.0], dtype=None)
    with pytest.raises(ValueError, match="dtype must be one of"):
        exp_overflow_threshold("f8,f8")


def test_naive_rejects_logits_not_representable_in_the_dtype():
    with pytest.raises(
        ValueError, match=r"logits must be representable in float16 \(\|logits\| <= 65504\); got 100000"
    ):
        naive_cross_entropy([1e5, 0.0], 0, dtype="float16")


def test_naive_cross_entropy_validates_targets_and_reduction():
    with pytest.raises(ValueError, match=r"class indices must be in \[0, 3\); got 3"):
        naive_cross_entropy([0.0, 1.0, 2.0], 3)
    with pytest.raises(ValueError, match="reduction must be"):
        naive_cross_entropy([0.0, 1.0], 0, reduction="avg")
    with pytest.raises(ValueError, match="logits must be finite"):
        naive_log_softmax([np.nan, 0.0])


@pytest.mark.parametrize(
    ("dtype", "expected"), [("float16", 11.0898), ("float32", 88.7228), ("float64", 709.7827)]
)
def test_exp_overflow_threshold_is_log_of_the_largest_float(dtype, expected):
    threshold = exp_overflow_threshold(dtype)
    assert threshold == pytest.approx(expected, abs=1e-4)
    assert math.exp(threshold) == pytest.approx(float(np.finfo(dtype).max), rel=1e-12)


# --------------------------------------------------------------------------------------- scale sweeps
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_naive_breaks_exactly_where_exp_overflows_for_the_middle_class(dtype):
    sweep = naive_scale_sweep(SCALES, (1.0, 0.0, -1.0), 1, dtype)
    assert sweep.first_break == pytest.approx(exp_overflow_threshold(dtype), rel=1e-6)
    assert sweep.first_break_kind == "inf"
    assert sweep.overflow_threshold == exp_overflow_threshold(dtype)


def test_naive_float16_breaks_near_its_overflow_threshold():
    sweep = naive_scale_sweep(SCALES, (1.0, 0.0, -1.0), 1, "float16")
    assert 11.08 < sweep.first_break < 11.10  # the scale itself is rounded to float16 (spacing 2**-7)


def test_naive_gives_nan_for_the_largest_class():
    sweep = naive_scale_sweep(SCALES, (1.0, 0.0, -1.0), 0, "float32")
    assert sweep.first_break_kind == "NaN"
    assert sweep.first_break == pytest.approx(88.7228, rel=1e-5)


def test_naive_smallest_class_underflows_before_exp_overflows():
    # p = e^-s / e^s = e^-2s rounds to 0 in float32 below half the smallest subnormal, 2^-150
    sweep = naive_scale_sweep(SCALES, (1.0, 0.0, -1.0), 2, "float32")
    assert sweep.first_break == pytest.approx(150 * math.log(2) / 2, rel=1e-4)
    assert sweep.first_break < exp_overflow_threshold("float32")
    assert sweep.first_break_kind == "inf"


@pytest.mark.parametrize("dtype", NAIVE_DTYPES)
@pytest.mark.parametrize("target", [0, 1, 2])
def test_stable_loss_is_finite_and_equals_naive_until_the_break(dtype, target):
    sweep = naive_scale_sweep(SCALES, (1.0, 0.0, -1.0), target, dtype)
    assert np.isfinite(sweep.stable).all()
    ok = np.isfinite(sweep.naive)
    assert ok[: np.argmax(~ok)].all()  # finite, then broken for good
    assert not ok[np.argmax(~ok) :].any()
    # just before an underflow the naive probability is subnormal and has only a few significant bits
    tol = {"float16": 5e-2, "float32": 1e-3, "float64": 1e-9}[dtype]
    np.testing.assert_allclose(sweep.naive[ok], sweep.stable[ok], rtol=tol, atol=tol)
    assert sweep.broken.sum() == (~ok).sum()
    assert sweep.scales[np.argmax(~ok)] >= sweep.first_break


def test_sweep_without_a_break_reports_none():
    sweep = naive_scale_sweep([0.1, 1.0, 10.0], (1.0, 0.0, -1.0), 1, "float64")
    assert sweep.first_break is None
    assert sweep.first_break_kind is None
    assert not sweep.broken.any()


def test_sweep_broken_at_its_first_scale_reports_that_scale():
    sweep = naive_scale_sweep([100.0, 200.0], (1.0, 0.0, -1.0), 1, "float32")
    assert sweep.first_break == 100.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scales": [1.0, 1.0]}, "strictly increasing"),
        ({"scales": [-1.0, 1.0]}, "scales must be positive; got -1"),
        ({"scales": [[1.0]]}, "non-empty 1-D"),
        ({"pattern": [1.0]}, "at least 2 logits"),
        ({"target": 3}, r"must be in \[0, 3\); got 3"),
        ({"dtype": "float8"}, "dtype must be one of"),
        ({"scales": [1e5], "dtype": "float16"}, "representable in float16"),
    ],
)
def test_sweep_validates_its_arguments(kwargs, message):
    args = {"scales": SCALES, "pattern": (1.0, 0.0, -1.0), "target": 0, "dtype": "float32"} | kwargs
    with pytest.raises(ValueError, match=message):
        naive_scale_sweep(**args)


# -------------------------------------------------------------------------------------------- clipping
def test_clipped_log_loss_is_exact_inside_and_capped_outside():
    eps = 1e-7
    p = np.array([0.0, 1e-12, 1e-3, 0.5, 1.0])
    loss = clipped_log_loss(p, eps=eps)
    np.testing.assert_allclose(loss[2:4], -np.log(p[2:4]), rtol=1e-12)
    np.testing.assert_allclose(loss[:2], -math.log(eps))
    assert loss[4] == pytest.approx(-math.log1p(-eps))  # a perfect prediction still costs about eps


def test_clipped_log_loss_for_label_zero_mirrors_label_one():
    p = np.array([1e-9, 0.3, 1.0])
    np.testing.assert_allclose(clipped_log_loss(p, 0.0, eps=1e-6), clipped_log_loss(1 - p, 1.0, eps=1e-6))


def test_clipped_gradient_is_exactly_zero_where_clipped():
    p = np.array([1e-20, 1e-8, 0.25, 1 - 1e-9])
    grad = clipped_log_loss_grad(p, eps=1e-7)
    assert grad[0] == 0
    assert grad[1] == 0
    assert grad[3] == 0
    assert not np.signbit(grad[:2]).any()  # 0, not -0
    assert grad[2] == pytest.approx(-4.0)


def test_clipped_gradient_matches_finite_differences_inside():
    for y in (0.0, 0.3, 1.0):
        for p in (0.01, 0.4, 0.9):
            numeric = numerical_gradient(lambda v, y=y: float(clipped_log_loss(v, y, eps=1e-7)[0]), [p])
            assert clipped_log_loss_grad([p], y, eps=1e-7)[0] == pytest.approx(numeric[0], rel=1e-6)


def test_clipped_log_loss_keeps_float32():
    assert clipped_log_loss(np.array([0.5], np.float32), np.float32(1)).dtype == np.float32


@pytest.mark.parametrize("eps", [0.0, 0.5, -1e-3, 1.0])
def test_clipped_log_loss_rejects_eps_outside_the_open_interval(eps):
    with pytest.raises(ValueError, match=r"eps must be in \(0, 0.5\)"):
        clipped_log_loss([0.5], eps=eps)


def test_clipped_log_loss_rejects_bad_probabilities_and_targets():
    with pytest.raises(ValueError, match=r"probs must lie in \[0, 1\]; got 1.5"):
        clipped_log_loss([1.5])
    with pytest.raises(ValueError, match="cannot be broadcast"):
        clipped_log_loss([0.5, 0.5], [1.0, 0.0, 1.0])


def test_clipping_comparison_against_exact_and_torch_clamp():
    c = clipping_comparison([0.0, 1e-50, 1e-3, 0.5], eps=1e-7)
    assert c.exact[0] == np.inf
    assert c.torch[0] == 100.0
    assert c.clipped[0] == pytest.approx(16.1181, abs=1e-4)
    assert c.torch[1] == 100.0  # -ln(1e-50) = 115 is clamped at 100
    assert c.exact[1] == pytest.approx(115.129, abs=1e-3)
    np.testing.assert_allclose(c.clipped[2:], c.exact[2:])
    assert c.bias[1] == pytest.approx(115.129 - 16.1181, abs=1e-3)
    assert c.bias[3] == 0
    assert c.clipped_grad[1] == 0
    assert c.exact_grad[2] == pytest.approx(-1000)
    assert c.torch_grad[0] == pytest.approx(-1e12)  # PyTorch's floor p(1 - p) >= 1e-12


# ------------------------------------------------------------------------------------- BCE on softmax
def test_bce_on_softmax_is_twice_cross_entropy_for_two_classes():
    z = np.array([[2.0, -1.0], [0.3, 0.9]])
    t = np.array([0, 0])
    np.testing.assert_allclose(
        bce_on_softmax(z, t, reduction="none").sum(axis=1), 2 * cross_entropy(z, t, reduction="none")
    )
    np.testing.assert_allclose(
        bce_on_softmax_grad(z, t, reduction="sum"), 2 * cross_entropy_grad(z, t, reduction="sum")
    )


def test_bce_on_softmax_matches_its_definition_and_mean_is_over_all_elements():
    z = np.array(SEED_LOGITS)
    s = softmax(z)
    expected = -(np.log(s[0]) + np.log1p(-s[1:]).sum())
    assert float(bce_on_softmax(z, 0, reduction="sum")) == pytest.approx(expected, rel=1e-12)
    assert float(bce_on_softmax(z, 0)) == pytest.approx(expected / 4, rel=1e-12)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("target", [0, 2])
def test_bce_on_softmax_gradient_matches_finite_differences(reduction, target):
    z = np.array(SEED_LOGITS)
    grad = bce_on_softmax_grad(z, target, reduction=reduction)
    numeric = numerical_gradient(lambda v: float(bce_on_softmax(v, target, reduction=reduction)), z)
    np.testing.assert_allclose(grad, numeric, atol=1e-8)


def test_bce_on_softmax_gradient_differs_from_cross_entropy_with_the_closed_form_true_entry():
    z = np.array(SEED_LOGITS)
    s = softmax(z)
    grad = bce_on_softmax_grad(z, 0, reduction="sum")
    assert grad[0] == pytest.approx((s[0] - 1) - s[0] * (s[1:] / (1 - s[1:])).sum(), rel=1e-10)
    assert grad[0] == pytest.approx(-0.2108, abs=1e-4)
    assert not np.allclose(grad, cross_entropy_grad(z, 0))
    assert grad.sum() == pytest.approx(0, abs=1e-12)  # J^T g sums to zero: softmax is shift-invariant


def test_bce_on_softmax_batch_gradient_has_the_logits_shape():
    z = np.array([SEED_LOGITS, [0.0, 0.0, 1.0, -1.0]], np.float32)
    grad = bce_on_softmax_grad(z, np.array([0, 2]))
    assert grad.shape == (2, 4)
    assert grad.dtype == np.float32


@pytest.mark.torch
def test_bce_on_softmax_matches_torch():
    torch = pytest.importorskip("torch")
    z = torch.tensor([SEED_LOGITS, [0.0, 2.0, -1.0, 1.0]], dtype=torch.float64, requires_grad=True)
    y = torch.nn.functional.one_hot(torch.tensor([0, 3]), 4).to(torch.float64)
    loss = torch.nn.functional.binary_cross_entropy(torch.softmax(z, dim=1), y)
    loss.backward()
    zn = z.detach().numpy()
    assert float(bce_on_softmax(zn, np.array([0, 3]))) == pytest.approx(loss.item(), rel=1e-12)
    np.testing.assert_allclose(
        bce_on_softmax_grad(zn, np.array([0, 3])), z.grad.numpy(), rtol=1e-10, atol=1e-14
    )


def test_bce_on_softmax_validates_targets():
    with pytest.raises(ValueError, match=r"class indices must be in \[0, 4\); got 4"):
        bce_on_softmax(SEED_LOGITS, 4)


# ------------------------------------------------------------------------------------- MSE on sigmoid
def test_mse_on_sigmoid_value_and_gradient():
    z = np.array([-2.0, 0.0, 3.0])
    y = np.array([1.0, 1.0, 0.0])
    s = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(mse_on_sigmoid(z, y, reduction="none"), (s - y) ** 2)
    np.testing.assert_allclose(mse_on_sigmoid_grad(z, y, reduction="none"), 2 * (s - y) * s * (1 - s))
    assert float(mse_on_sigmoid(z, y)) == pytest.approx(((s - y) ** 2).mean())


def test_mse_on_sigmoid_gradient_matches_finite_differences():
    z = np.array([-4.0, 0.5, 2.0])
    y = np.array([1.0, 0.0, 1.0])
    numeric = numerical_gradient(lambda v: float(mse_on_sigmoid(v, y, reduction="sum")), z)
    np.testing.assert_allclose(mse_on_sigmoid_grad(z, y, reduction="sum"), numeric, atol=1e-9)


def test_mse_on_sigmoid_gradient_saturates_when_confidently_wrong_but_bce_does_not():
    for z in (-10.0, -20.0):
        assert abs(float(mse_on_sigmoid_grad(z, 1.0))) < 1e-4
        assert float(binary_cross_entropy_with_logits_grad(z, 1.0)) == pytest.approx(-1, abs=1e-4)


def test_mse_on_sigmoid_validates_shapes_and_labels():
    with pytest.raises(ValueError, match="target must have the shape of logits"):
        mse_on_sigmoid([0.0, 1.0], [1.0])
    with pytest.raises(ValueError, match=r"target must lie in \[0, 1\]; got 2"):
        mse_on_sigmoid(0.0, 2.0)


# ---------------------------------------------------------------------------------------- properties


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.integers(2, 6), elements=st.floats(-30, 30)), st.data())
def test_naive_equals_stable_in_float64_while_nothing_overflows(z, data):
    t = data.draw(st.integers(0, z.size - 1))
    assert float(naive_cross_entropy(z, t)) == pytest.approx(float(cross_entropy(z, t)), rel=1e-9, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    arrays(np.float64, st.integers(2, 6), elements=st.floats(-4, 4)),  # no saturation: 1 - s stays exact
    st.data(),
)
def test_bce_on_softmax_gradient_is_the_chain_rule_and_sums_to_zero(z, data):
    t = data.draw(st.integers(0, z.size - 1))
    grad = bce_on_softmax_grad(z, t, reduction="sum")
    assert grad.sum() == pytest.approx(0, abs=1e-9)
    numeric = numerical_gradient(lambda v: float(bce_on_softmax(v, t, reduction="sum")), z)
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-6)


def test_naive_and_stable_at_is_the_sweep_at_one_scale():
    scales = np.geomspace(0.1, 1e4, 50)
    for target in (0, 1, 2):
        for k in (0, 17, 33, 49):
            pairs = naive_and_stable_at(float(scales[k]), (1.0, 0.0, -1.0), target)
            for (naive, stable), dtype in zip(pairs, NAIVE_DTYPES, strict=True):
                sweep = naive_scale_sweep(scales, (1.0, 0.0, -1.0), target, dtype)
                np.testing.assert_array_equal([naive, stable], [sweep.naive[k], sweep.stable[k]])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scale": 0.0}, r"scale must be in \(0, inf\]"),
        ({"scale": float("nan")}, "scale must be finite"),
        ({"scale": 1.0, "dtypes": ("int8",)}, "dtype must be one of"),
        ({"scale": 1.0, "target": 3}, "target"),
    ],
)
def test_naive_and_stable_at_names_a_bad_argument(kwargs, message):
    with pytest.raises(ValueError, match=message):
        naive_and_stable_at(**kwargs)
