"""The losses and their ``_grad`` twins: seed constants, finite differences, properties, extremes, errors.

The comparison with PyTorch lives in test_losses_torch.py (skipped where torch is not installed); this
file stands on its own: hand-computed values and central differences.
"""

import math
import re

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from core.cross_entropy_kernels import cross_entropy_reference
from core.functional import sigmoid
from core.gradcheck import gradcheck
from core.losses import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    cross_entropy,
    cross_entropy_grad,
    focal_loss,
    focal_loss_grad,
    loss_and_grad,
    loss_grad,
    mse_loss,
    mse_loss_grad,
    multi_margin_loss,
    multi_margin_loss_grad,
    one_hot,
    sigmoid_focal_loss,
    sigmoid_focal_loss_grad,
    softmax_mse_loss,
    softmax_mse_loss_grad,
)

RNG = np.random.default_rng(0)
LOGITS = RNG.normal(size=(6, 4)) * 2
TARGET = np.array([0, 3, 1, 2, 3, 0])
TARGET_IGNORED = np.array([0, -100, 1, 2, -100, 0])
PROBS_TARGET = RNG.dirichlet(np.ones(4), size=6)
WEIGHT = np.array([0.5, 2.0, 1.0, 1.5])
REDUCTIONS = ["mean", "sum", "none"]
SEED_LOGITS = [3.5, 0.8, 0.2, -0.5]


def fd_error(loss, grad, x, **kwargs):
    """Max relative error between ``grad`` and central differences of the summed ``loss``."""
    return gradcheck(lambda v: np.sum(loss(v, **kwargs)), lambda v: grad(v, **kwargs), x)


# ----------------------------------------------------------------------------------- seed constants
def test_multiclass_seed_default_state():
    assert round(float(cross_entropy(SEED_LOGITS, 0)), 4) == 0.1155
    np.testing.assert_allclose(cross_entropy_grad(SEED_LOGITS, 0), [-0.109, 0.060, 0.033, 0.016], atol=5e-4)


def test_binary_seed_numbers():
    assert round(float(binary_cross_entropy(0.85, 1.0)), 4) == 0.1625
    assert round(float(binary_cross_entropy(0.7, 1.0)), 4) == 0.3567
    assert round(float(binary_cross_entropy_grad(0.7, 1.0)), 2) == -1.43


def test_cross_entropy_hand_computed():
    # two classes, logits [0, ln 3]: p = [1/4, 3/4]
    z = [0.0, math.log(3)]
    assert cross_entropy(z, 1) == pytest.approx(-math.log(0.75), rel=1e-15)
    np.testing.assert_allclose(cross_entropy_grad(z, 1), [0.25, -0.25], atol=1e-15)


def test_label_smoothing_hand_computed():
    z = [0.0, math.log(3)]
    eps = 0.2  # target (0.1, 0.9)
    expected = -(0.1 * math.log(0.25) + 0.9 * math.log(0.75))
    assert cross_entropy(z, 1, label_smoothing=eps) == pytest.approx(expected, rel=1e-14)
    np.testing.assert_allclose(cross_entropy_grad(z, 1, label_smoothing=eps), [0.15, -0.15], atol=1e-15)


def test_weighted_mean_divides_by_the_sum_of_target_weights():
    z = np.array([[0.0, 0.0], [0.0, 0.0]])
    w = np.array([1.0, 3.0])
    # both samples have loss ln 2; weighted sum 4 ln 2, divided by 1 + 3, not by 2
    assert cross_entropy(z, np.array([0, 1]), weight=w) == pytest.approx(math.log(2))
    assert cross_entropy(z, np.array([0, 1]), weight=w, reduction="sum") == pytest.approx(4 * math.log(2))


def test_ignored_targets_contribute_nothing():
    full = cross_entropy(LOGITS, TARGET_IGNORED, reduction="none")
    assert full[1] == 0
    assert full[4] == 0
    kept = [0, 2, 3, 5]
    assert cross_entropy(LOGITS, TARGET_IGNORED) == pytest.approx(
        cross_entropy(LOGITS[kept], TARGET_IGNORED[kept])
    )
    grad = cross_entropy_grad(LOGITS, TARGET_IGNORED)
    assert not grad[1].any()
    assert not grad[4].any()


def test_probability_targets_equal_index_targets_when_one_hot():
    onehot = one_hot(TARGET, 4)
    for kw in ({}, {"label_smoothing": 0.3}, {"reduction": "sum"}):
        assert cross_entropy(LOGITS, onehot, **kw) == pytest.approx(cross_entropy(LOGITS, TARGET, **kw))
        np.testing.assert_allclose(
            cross_entropy_grad(LOGITS, onehot, **kw), cross_entropy_grad(LOGITS, TARGET, **kw)
        )


def test_bce_clamps_the_log_at_minus_100():
    assert binary_cross_entropy(0.0, 1.0) == 100.0
    assert binary_cross_entropy(1.0, 0.0) == 100.0
    assert binary_cross_entropy(np.array([0.0, 1.0]), np.array([0.0, 1.0])) == 0.0
    assert np.isfinite(binary_cross_entropy_grad(np.array([0.0, 1.0]), np.array([1.0, 0.0]))).all()


def test_bce_with_logits_pos_weight_scales_the_positive_term():
    z, pw = 0.3, 4.0
    expected = -(pw * math.log(1 / (1 + math.exp(-z))))
    assert binary_cross_entropy_with_logits(z, 1.0, pos_weight=pw) == pytest.approx(expected)
    assert binary_cross_entropy_with_logits(z, 0.0, pos_weight=pw) == pytest.approx(
        binary_cross_entropy_with_logits(z, 0.0)
    )


def test_multi_margin_hand_computed():
    # margin 1, true logit 2.0: others 1.5 (violates by 0.5) and 0.0 (satisfied)
    assert multi_margin_loss([2.0, 1.5, 0.0], 0) == pytest.approx(0.5 / 3)
    assert multi_margin_loss([2.0, 1.5, 0.0], 0, p=2) == pytest.approx(0.25 / 3)
    assert multi_margin_loss([5.0, 1.5, 0.0], 0) == 0.0
    assert not multi_margin_loss_grad([5.0, 1.5, 0.0], 0).any()


def test_softmax_mse_hand_computed():
    # logits [0, 0]: softmax (1/2, 1/2), one-hot (1, 0): squares (1/4, 1/4), mean 1/4
    assert softmax_mse_loss([0.0, 0.0], 0) == pytest.approx(0.25)
    assert softmax_mse_loss([0.0, 0.0], 0, reduction="none").shape == (2,)
    assert softmax_mse_loss(LOGITS, TARGET, reduction="none").shape == (6, 4)


def test_focal_down_weights_easy_examples():
    easy, hard = [4.0, 0.0], [0.0, 1.0]
    ratio_easy = focal_loss(easy, 0, gamma=2.0) / cross_entropy(easy, 0)
    ratio_hard = focal_loss(hard, 0, gamma=2.0) / cross_entropy(hard, 0)
    assert ratio_easy < 0.001 < 0.5 < ratio_hard


def test_focal_with_alpha_weights_each_sample_by_its_class():
    alpha = np.array([0.25, 0.75, 1.0, 2.0])
    per = focal_loss(LOGITS, TARGET, alpha=alpha, gamma=1.0, reduction="none")
    plain = focal_loss(LOGITS, TARGET, gamma=1.0, reduction="none")
    np.testing.assert_allclose(per, alpha[TARGET] * plain)


def test_sigmoid_focal_with_gamma_zero_and_no_alpha_is_bce_with_logits():
    z = RNG.normal(size=(3, 4)) * 3
    y = (RNG.uniform(size=(3, 4)) > 0.5).astype(float)
    np.testing.assert_allclose(
        sigmoid_focal_loss(z, y, alpha=-1, gamma=0.0),
        binary_cross_entropy_with_logits(z, y, reduction="none"),
    )


def test_one_hot():
    np.testing.assert_array_equal(one_hot([2, 0], 3), [[0, 0, 1], [1, 0, 0]])
    assert one_hot(1, 2).shape == (2,)


def test_loss_and_grad_agrees_with_the_separate_functions():
    for name, fn, grad in [
        ("cross_entropy", cross_entropy, cross_entropy_grad),
        ("softmax_mse", softmax_mse_loss, softmax_mse_loss_grad),
        ("focal", focal_loss, focal_loss_grad),
        ("multi_margin", multi_margin_loss, multi_margin_loss_grad),
    ]:
        value, g = loss_and_grad(name, LOGITS, TARGET)
        assert value == fn(LOGITS, TARGET)
        np.testing.assert_array_equal(g, grad(LOGITS, TARGET))
    value, g = loss_and_grad("cross_entropy", LOGITS, TARGET, label_smoothing=0.1, weight=WEIGHT)
    assert value == pytest.approx(cross_entropy(LOGITS, TARGET, label_smoothing=0.1, weight=WEIGHT))


# ---------------------------------------------------------------------------------- finite differences
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weight", [None, WEIGHT])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1, 1.0])
@pytest.mark.parametrize("target", [TARGET, TARGET_IGNORED, PROBS_TARGET], ids=["index", "ignored", "probs"])
def test_cross_entropy_grad_matches_finite_differences(reduction, weight, label_smoothing, target):
    kw = {"weight": weight, "reduction": reduction, "label_smoothing": label_smoothing}
    assert fd_error(cross_entropy, cross_entropy_grad, LOGITS, target=target, **kw) < 1e-7


@pytest.mark.parametrize("target", [2, PROBS_TARGET[0]], ids=["index", "probs"])
def test_cross_entropy_grad_matches_finite_differences_unbatched(target):
    kw = {"weight": WEIGHT, "label_smoothing": 0.2}
    assert fd_error(cross_entropy, cross_entropy_grad, LOGITS[0], target=target, **kw) < 1e-7


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weight", [None, np.array([0.5, 2.0, 1.0, 1.5])])
def test_bce_grad_matches_finite_differences(reduction, weight):
    probs = RNG.uniform(0.05, 0.95, size=(3, 4))
    target = RNG.uniform(size=(3, 4))
    kw = {"target": target, "weight": weight, "reduction": reduction}
    assert fd_error(binary_cross_entropy, binary_cross_entropy_grad, probs, **kw) < 1e-7


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weight", [None, np.array([0.5, 2.0, 1.0, 1.5])])
@pytest.mark.parametrize("pos_weight", [None, np.array([3.0, 0.5, 1.0, 2.0])])
def test_bce_with_logits_grad_matches_finite_differences(reduction, weight, pos_weight):
    target = RNG.uniform(size=(3, 4))
    kw = {"target": target, "weight": weight, "pos_weight": pos_weight, "reduction": reduction}
    assert (
        fd_error(
            binary_cross_entropy_with_logits,
            binary_cross_entropy_with_logits_grad,
            LOGITS[:3],
            **kw,
        )
        < 1e-7
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mse_grads_match_finite_differences(reduction):
    target = RNG.normal(size=(6, 4))
    assert fd_error(mse_loss, mse_loss_grad, LOGITS, target=target, reduction=reduction) < 1e-7
    for tgt in (TARGET, PROBS_TARGET):
        assert (
            fd_error(softmax_mse_loss, softmax_mse_loss_grad, LOGITS, target=tgt, reduction=reduction) < 1e-7
        )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("p", [1, 2])
@pytest.mark.parametrize("weight", [None, WEIGHT])
@pytest.mark.parametrize("margin", [0.5, 1.0, 3.0])
def test_multi_margin_grad_matches_finite_differences(reduction, p, weight, margin):
    kw = {"target": TARGET, "p": p, "margin": margin, "weight": weight, "reduction": reduction}
    assert fd_error(multi_margin_loss, multi_margin_loss_grad, LOGITS, **kw) < 1e-7


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("gamma", [0.0, 0.5, 1.0, 2.0, 5.0])
@pytest.mark.parametrize("alpha", [None, WEIGHT])
def test_focal_grad_matches_finite_differences(reduction, gamma, alpha):
    kw = {"target": TARGET, "gamma": gamma, "alpha": alpha, "reduction": reduction}
    assert fd_error(focal_loss, focal_loss_grad, LOGITS, **kw) < 1e-7


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0])
@pytest.mark.parametrize("alpha", [-1.0, 0.25])
def test_sigmoid_focal_grad_matches_finite_differences(reduction, gamma, alpha):
    target = RNG.uniform(size=(3, 4))
    kw = {"target": target, "gamma": gamma, "alpha": alpha, "reduction": reduction}
    assert fd_error(sigmoid_focal_loss, sigmoid_focal_loss_grad, LOGITS[:3], **kw) < 1e-7


# ------------------------------------------------------------------------------------------- properties
logit_rows = arrays(
    np.float64,
    st.tuples(st.integers(1, 5), st.integers(2, 6)),
    elements=st.floats(-50, 50, allow_nan=False, allow_infinity=False),
)


@settings(max_examples=60, deadline=None)
@given(logit_rows, st.data())
def test_cross_entropy_is_non_negative_and_its_gradient_rows_sum_to_zero(z, data):
    n, c = z.shape
    target = np.array(data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    eps = data.draw(st.floats(0, 1))
    assert cross_entropy(z, target, label_smoothing=eps) >= 0
    assert (cross_entropy(z, target, reduction="none") >= 0).all()
    grad = cross_entropy_grad(z, target, label_smoothing=eps)
    np.testing.assert_allclose(grad.sum(axis=1), 0, atol=1e-15)
    assert (np.abs(grad) <= 1).all()


@settings(max_examples=60, deadline=None)
@given(logit_rows, st.data())
def test_focal_with_gamma_zero_equals_cross_entropy(z, data):
    n, c = z.shape
    target = np.array(data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    assert focal_loss(z, target, gamma=0.0) == pytest.approx(cross_entropy(z, target), rel=1e-12)
    np.testing.assert_allclose(
        focal_loss_grad(z, target, gamma=0.0), cross_entropy_grad(z, target), atol=1e-15
    )


@settings(max_examples=60, deadline=None)
@given(
    arrays(np.float64, st.integers(1, 8), elements=st.floats(-15, 15)),
    st.data(),
)
def test_bce_with_logits_equals_bce_of_the_sigmoid_in_the_safe_range(z, data):
    y = np.array(data.draw(st.lists(st.floats(0, 1), min_size=len(z), max_size=len(z))))
    assert binary_cross_entropy_with_logits(z, y) == pytest.approx(
        binary_cross_entropy(sigmoid(z), y), rel=1e-9, abs=1e-12
    )


# ------------------------------------------------------------------------------------ extreme input
EXTREME = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, 1e4], [5e3, 5e3, -5e3]])


@pytest.mark.parametrize(
    ("loss", "grad"),
    [
        (cross_entropy, cross_entropy_grad),
        (focal_loss, focal_loss_grad),
        (softmax_mse_loss, softmax_mse_loss_grad),
        (multi_margin_loss, multi_margin_loss_grad),
    ],
)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_multiclass_losses_are_finite_for_huge_logits(loss, grad, dtype):
    z = EXTREME.astype(np.float32 if dtype == np.float16 else dtype)
    if dtype == np.float16:
        z = np.clip(z, -6e4, 6e4).astype(np.float16)
    target = np.array([1, 2, 0])
    value = loss(z, target)
    g = grad(z, target)
    assert np.isfinite(value)
    assert np.isfinite(g).all()
    assert value.dtype == dtype
    assert g.dtype == dtype


def test_cross_entropy_of_a_confidently_wrong_huge_logit_is_exact():
    # loss = logsumexp - z_t = 1e4 - (-1e4) = 2e4, where log(softmax) would be -inf
    assert cross_entropy(EXTREME[0], 1) == 2e4


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0])
def test_focal_gradient_is_finite_when_the_true_class_is_certain(gamma):
    g = focal_loss_grad([1e4, 0.0], 0, gamma=gamma)
    assert np.isfinite(g).all()
    np.testing.assert_array_equal(g, [0.0, 0.0])


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0])
def test_sigmoid_focal_is_finite_at_saturation(gamma):
    z = np.array([800.0, -800.0, 40.0])
    y = np.array([1.0, 0.0, 1.0])
    assert np.isfinite(sigmoid_focal_loss(z, y, gamma=gamma)).all()
    assert np.isfinite(sigmoid_focal_loss_grad(z, y, gamma=gamma)).all()


def test_bce_with_logits_is_finite_for_huge_logits():
    z = np.array([1e4, -1e4])
    y = np.array([0.0, 1.0])
    np.testing.assert_allclose(binary_cross_entropy_with_logits(z, y, reduction="none"), [1e4, 1e4])
    np.testing.assert_allclose(binary_cross_entropy_with_logits_grad(z, y, reduction="sum"), [1.0, -1.0])


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_losses_keep_the_callers_dtype(dtype):
    z = LOGITS.astype(dtype)
    assert cross_entropy(z, TARGET).dtype == dtype
    assert cross_entropy_grad(z, TARGET).dtype == dtype
    assert cross_entropy(z, TARGET, reduction="none").dtype == dtype
    probs = np.full((2, 2), 0.5, dtype=dtype)
    assert binary_cross_entropy(probs, probs).dtype == dtype
    assert binary_cross_entropy_grad(probs, probs).dtype == dtype
    assert binary_cross_entropy_with_logits_grad(probs, probs).dtype == dtype
    assert mse_loss(probs, probs).dtype == dtype


def test_float32_cross_entropy_is_close_to_float64():
    z32 = LOGITS.astype(np.float32)
    assert cross_entropy(z32, TARGET) == pytest.approx(cross_entropy(LOGITS, TARGET), rel=1e-6)


# ------------------------------------------------------------------------- the reference formula
# cross_entropy_reference is the formula to read; the fast kernel behind cross_entropy must give its numbers.
REF_TOL = {"rtol": 1e-12, "atol": 1e-12}
SMOOTHINGS = [0.0, 0.1, 0.7, 1.0]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weight", [None, WEIGHT], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("label_smoothing", SMOOTHINGS)
@pytest.mark.parametrize("target", [TARGET, TARGET_IGNORED, PROBS_TARGET], ids=["index", "ignored", "probs"])
def test_cross_entropy_equals_the_reference_formula(reduction, weight, label_smoothing, target):
    kw = {"weight": weight, "reduction": reduction, "label_smoothing": label_smoothing}
    reference = cross_entropy_reference(LOGITS, target, **kw)
    np.testing.assert_allclose(cross_entropy(LOGITS, target, **kw), reference, **REF_TOL)
    assert np.shape(reference) == np.shape(cross_entropy(LOGITS, target, **kw))
    assert fd_error(cross_entropy_reference, cross_entropy_grad, LOGITS, target=target, **kw) < 1e-7


UNBATCHED_CASES = [
    pytest.param(target, reduction, id=f"{name}-{reduction}")
    for name, target in [("index", 2), ("ignored", -100), ("probs", PROBS_TARGET[0])]
    for reduction in REDUCTIONS
    if not (name == "ignored" and reduction == "mean")  # undefined: rejected (see the errors below)
]


@pytest.mark.parametrize(("target", "reduction"), UNBATCHED_CASES)
def test_unbatched_cross_entropy_equals_the_reference_formula(target, reduction):
    kw = {"weight": WEIGHT, "label_smoothing": 0.2, "reduction": reduction}
    reference = cross_entropy_reference(LOGITS[0], target, **kw)
    assert np.shape(reference) == ()
    np.testing.assert_allclose(cross_entropy(LOGITS[0], target, **kw), reference, **REF_TOL)


@pytest.mark.parametrize("label_smoothing", [0.0, 0.3])
@pytest.mark.parametrize("target_kind", ["index", "ignored", "probs"])
def test_cross_entropy_equals_the_reference_formula_on_threaded_row_blocks(target_kind, label_smoothing):
    # 1100 x 1000 > PARALLEL_MIN_ELEMENTS: the kernel runs row blocks on two threads
    rng = np.random.default_rng(0)
    z = rng.normal(size=(1100, 1000)) * 3
    target = rng.integers(0, 1000, 1100)
    if target_kind == "ignored":
        target[::7] = -100
    if target_kind == "probs":
        target = rng.dirichlet(np.ones(1000), size=1100)
    kw = {"weight": rng.uniform(0.2, 2.0, 1000), "label_smoothing": label_smoothing}
    np.testing.assert_allclose(
        cross_entropy(z, target, reduction="none", **kw),
        cross_entropy_reference(z, target, reduction="none", **kw),
        **REF_TOL,
    )
    np.testing.assert_allclose(
        cross_entropy(z, target, **kw), cross_entropy_reference(z, target, **kw), **REF_TOL
    )


@pytest.mark.parametrize(
    ("dtype", "rtol"), [(np.float16, 1e-3), (np.float32, 1e-6), (np.float64, 1e-12)], ids=lambda v: str(v)
)
@pytest.mark.parametrize("logits", [LOGITS, EXTREME], ids=["normal", "extreme"])
def test_cross_entropy_equals_the_reference_formula_in_every_dtype(dtype, rtol, logits):
    z = np.clip(logits, -6e4, 6e4).astype(dtype)
    target = np.arange(len(z)) % z.shape[1]
    for reduction in REDUCTIONS:
        kw = {"weight": WEIGHT[: z.shape[1]], "label_smoothing": 0.1, "reduction": reduction}
        reference = cross_entropy_reference(z, target, **kw)
        assert reference.dtype == dtype
        np.testing.assert_allclose(
            cross_entropy(z, target, **kw).astype(np.float64), reference.astype(np.float64), rtol=rtol
        )


@settings(max_examples=100, deadline=None)
@given(logit_rows, st.data())
def test_cross_entropy_equals_the_reference_formula_for_random_logits(z, data):
    n, c = z.shape
    if data.draw(st.booleans(), label="probability targets"):
        target = data.draw(arrays(np.float64, (n, c), elements=st.floats(0, 1)), label="target")
    else:
        classes = st.one_of(st.integers(0, c - 1), st.just(-100))
        target = np.array(data.draw(st.lists(classes, min_size=n, max_size=n), label="target"))
    kw = {
        "weight": data.draw(st.none() | arrays(np.float64, c, elements=st.floats(0.1, 3)), label="weight"),
        "label_smoothing": data.draw(st.floats(0, 1), label="label_smoothing"),
        "reduction": data.draw(st.sampled_from(REDUCTIONS), label="reduction"),
    }
    assume(kw["reduction"] != "mean" or target.dtype.kind == "f" or (target != -100).any())
    np.testing.assert_allclose(
        cross_entropy(z, target, **kw), cross_entropy_reference(z, target, **kw), **REF_TOL
    )


@pytest.mark.parametrize(
    ("target", "kwargs"),
    [
        (np.array([0, 1, 2, 7, 0, 1]), {}),
        (TARGET[:3], {}),
        (TARGET.astype(float), {}),
        (PROBS_TARGET * 2, {}),
        (TARGET, {"reduction": "avg"}),
        (TARGET, {"label_smoothing": 1.5}),
        (TARGET, {"weight": [1.0, 2.0]}),
        (TARGET, {"ignore_index": 1.5}),
        (np.full(6, -100), {}),
        (TARGET, {"weight": np.zeros(4)}),
    ],
)
def test_the_reference_formula_rejects_what_cross_entropy_rejects(target, kwargs):
    with pytest.raises(ValueError) as fast:
        cross_entropy(LOGITS, target, **kwargs)
    with pytest.raises(ValueError, match=re.escape(str(fast.value))):
        cross_entropy_reference(LOGITS, target, **kwargs)


# ----------------------------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: cross_entropy(LOGITS, np.array([0, 1, 2, 7, 0, 1])),
            r"target class indices must be in \[0, 4\) \(or ignore_index=-100\); got 7 at position 3",
        ),
        (
            lambda: cross_entropy(LOGITS, TARGET[:3]),
            r"target class indices must have shape \(6,\) to match logits of shape \(6, 4\); "
            r"got shape \(3,\)",
        ),
        (
            lambda: cross_entropy(LOGITS, TARGET.astype(float)),
            r"target holds class indices and must have an integer dtype; got float64",
        ),
        (
            lambda: cross_entropy(LOGITS, one_hot(TARGET, 4).astype(int)),
            r"class probabilities of shape \(6, 4\) must be floats",
        ),
        (lambda: cross_entropy(LOGITS, PROBS_TARGET * 2), r"target must lie in \[0, 1\]"),
        (
            lambda: cross_entropy(np.zeros((2, 3, 4)), 0),
            r"logits must be a 1-D \(C,\) or 2-D \(n, C\) array; got shape \(2, 3, 4\)",
        ),
        (
            lambda: cross_entropy(np.zeros((0, 3)), np.zeros(0, int)),
            r"logits must hold at least one sample",
        ),
        (
            lambda: cross_entropy(LOGITS, TARGET, reduction="avg"),
            r"reduction must be 'mean', 'sum' or 'none'; got 'avg'",
        ),
        (
            lambda: cross_entropy(LOGITS, TARGET, label_smoothing=1.5),
            r"label_smoothing must be in \[0, 1\]; got 1.5",
        ),
        (
            lambda: cross_entropy(LOGITS, TARGET, weight=[1.0, 2.0]),
            r"weight must have shape \(4,\), one entry per class; got shape \(2,\)",
        ),
        (
            lambda: cross_entropy(LOGITS, TARGET, weight=[1.0, -2.0, 1.0, 1.0]),
            r"weight must be non-negative; got -2 at position 1",
        ),
        (
            lambda: cross_entropy(LOGITS, np.full(6, -100)),
            r"the mean is undefined because every target equals ignore_index=-100",
        ),
        (
            lambda: cross_entropy(LOGITS, TARGET, weight=np.zeros(4)),
            r"the mean is undefined because every target's class has weight 0",
        ),
        (lambda: cross_entropy([np.nan, 1.0], 0), r"logits must be finite; got nan at position 0"),
        (lambda: cross_entropy(LOGITS, TARGET, ignore_index=1.5), r"ignore_index must be an integer"),
        (lambda: binary_cross_entropy(1.2, 1.0), r"probs must lie in \[0, 1\]; got 1.2"),
        (
            lambda: binary_cross_entropy([0.5, -0.1], [1.0, 0.0]),
            r"probs must lie in \[0, 1\]; got -0.1 at position 1",
        ),
        (lambda: binary_cross_entropy([0.5], [1.0, 0.0]), r"target must have the shape of probs \(1,\)"),
        (lambda: binary_cross_entropy([0.5], [2.0]), r"target must lie in \[0, 1\]; got 2"),
        (
            lambda: binary_cross_entropy([0.5, 0.5], [1.0, 0.0], weight=[1.0, 2.0, 3.0]),
            r"weight of shape \(3,\) cannot be broadcast to the shape of probs \(2,\)",
        ),
        (
            lambda: binary_cross_entropy_with_logits([0.5], [1.0], pos_weight=[-1.0]),
            r"pos_weight must be non-negative",
        ),
        (lambda: mse_loss([1.0, 2.0], [1.0]), r"target must have the shape of input \(2,\)"),
        (lambda: multi_margin_loss(LOGITS, TARGET, p=3), r"p must be 1 or 2; got 3"),
        (lambda: multi_margin_loss(LOGITS, TARGET, margin=np.inf), r"margin must be finite"),
        (lambda: focal_loss(LOGITS, TARGET, gamma=-1.0), r"gamma must be in \[0, inf\]; got -1"),
        (lambda: focal_loss(LOGITS, TARGET, alpha=[1.0]), r"alpha must have shape \(4,\)"),
        (lambda: sigmoid_focal_loss([0.0], [1.0], alpha=1.5), r"alpha must be in \[-inf, 1\]; got 1.5"),
        (lambda: one_hot([0, 3], 3), r"target class indices must be in \[0, 3\); got 3 at position 1"),
        (lambda: one_hot([0], 0), r"num_classes must be at least 1; got 0"),
        (lambda: loss_and_grad("hinge", LOGITS, TARGET), r"loss must be one of \['cross_entropy'"),
        (
            lambda: loss_and_grad("cross_entropy", LOGITS, TARGET, gamma=2.0),
            r"cross_entropy got unexpected keyword arguments \['gamma'\]",
        ),
        (lambda: loss_and_grad("focal", LOGITS, TARGET, margin=2.0), r"focal: .*unexpected keyword"),
    ],
)
def test_bad_input_raises_a_value_error_that_names_the_argument(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_loss_grad_equals_the_gradient_of_loss_and_grad():
    for name in ("cross_entropy", "softmax_mse", "focal", "multi_margin"):
        np.testing.assert_array_equal(loss_grad(name, LOGITS, TARGET), loss_and_grad(name, LOGITS, TARGET)[1])
    with pytest.raises(ValueError, match=r"loss must be one of"):
        loss_grad("hinge", LOGITS, TARGET)
