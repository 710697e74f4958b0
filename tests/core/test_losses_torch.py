"""Values and gradients equal PyTorch's (``torch.nn.functional`` / torchvision semantics) to 1e-10 in float64.

Skipped cleanly where torch is not installed: it is a reference, not a dependency.
"""

import itertools

import numpy as np
import pytest

from core.functional import log_sigmoid, log_softmax, logsumexp, sigmoid, softmax, softmax_jacobian
from core.losses import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    cross_entropy,
    cross_entropy_grad,
    focal_loss,
    focal_loss_grad,
    mse_loss,
    mse_loss_grad,
    multi_margin_loss,
    multi_margin_loss_grad,
    sigmoid_focal_loss,
    sigmoid_focal_loss_grad,
    softmax_mse_loss,
    softmax_mse_loss_grad,
)

torch = pytest.importorskip("torch")
F = torch.nn.functional

pytestmark = pytest.mark.torch
TOL = 1e-10
RNG = np.random.default_rng(1)
Z = RNG.normal(size=(7, 5)) * 3
Y = RNG.integers(0, 5, 7)
Y_IGNORED = Y.copy()
Y_IGNORED[[2, 5]] = -100
P_TARGET = RNG.dirichlet(np.ones(5), 7)
W = RNG.uniform(0.2, 2.0, 5)
REDUCTIONS = ["mean", "sum", "none"]


def t(a, grad=False):
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def torch_value_and_grad(fn, x, *args, **kwargs):
    xt = t(x, grad=True)
    out = fn(xt, *args, **kwargs)
    out.sum().backward()
    return out.detach().numpy(), xt.grad.numpy()


def assert_matches(ours_value, ours_grad, ref_value, ref_grad):
    np.testing.assert_allclose(np.asarray(ours_value), ref_value, rtol=0, atol=TOL)
    np.testing.assert_allclose(ours_grad, ref_grad, rtol=0, atol=TOL)


@pytest.mark.parametrize(
    ("reduction", "label_smoothing", "use_weight", "target"),
    list(itertools.product(REDUCTIONS, [0.0, 0.1, 0.7, 1.0], [False, True], ["index", "ignored", "probs"])),
)
def test_cross_entropy_matches_torch(reduction, label_smoothing, use_weight, target):
    tgt = {"index": Y, "ignored": Y_IGNORED, "probs": P_TARGET}[target]
    kw = {"weight": W if use_weight else None, "reduction": reduction, "label_smoothing": label_smoothing}
    tkw = kw | {"weight": t(W) if use_weight else None}
    ttgt = t(tgt) if target == "probs" else torch.tensor(tgt)
    ref = torch_value_and_grad(F.cross_entropy, Z, ttgt, **tkw)
    assert_matches(cross_entropy(Z, tgt, **kw), cross_entropy_grad(Z, tgt, **kw), *ref)


@pytest.mark.parametrize("target", [3, P_TARGET[0]], ids=["index", "probs"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_unbatched_cross_entropy_matches_torch(target, reduction):
    kw = {"weight": W, "label_smoothing": 0.2, "reduction": reduction}
    ttgt = torch.tensor(target) if isinstance(target, int) else t(target)
    ref = torch_value_and_grad(F.cross_entropy, Z[0], ttgt, **(kw | {"weight": t(W)}))
    assert_matches(cross_entropy(Z[0], target, **kw), cross_entropy_grad(Z[0], target, **kw), *ref)


@pytest.mark.parametrize(("reduction", "use_weight"), list(itertools.product(REDUCTIONS, [False, True])))
def test_binary_cross_entropy_matches_torch_including_the_clamp(reduction, use_weight):
    p = RNG.uniform(0, 1, (4, 3))
    y = RNG.uniform(0, 1, (4, 3))
    p[0, 0], y[0, 0] = 0.0, 1.0  # log clamped at -100
    p[1, 1], y[1, 1] = 1.0, 0.3
    p[2, 2] = 1e-13  # the gradient's floor of p(1 - p)
    w = RNG.uniform(0.5, 2, 3) if use_weight else None
    ref = torch_value_and_grad(
        F.binary_cross_entropy, p, t(y), weight=None if w is None else t(w), reduction=reduction
    )
    kw = {"weight": w, "reduction": reduction}
    np.testing.assert_allclose(binary_cross_entropy(p, y, **kw), ref[0], rtol=1e-15, atol=TOL)
    np.testing.assert_allclose(binary_cross_entropy_grad(p, y, **kw), ref[1], rtol=1e-15, atol=TOL)


@pytest.mark.parametrize(
    ("reduction", "use_weight", "use_pos_weight"),
    list(itertools.product(REDUCTIONS, [False, True], [False, True])),
)
def test_binary_cross_entropy_with_logits_matches_torch(reduction, use_weight, use_pos_weight):
    z = RNG.normal(size=(4, 3)) * 5
    z[0, 0], z[1, 1] = 800.0, -800.0
    y = RNG.uniform(0, 1, (4, 3))
    w = RNG.uniform(0.5, 2, 3) if use_weight else None
    pw = RNG.uniform(0.5, 3, 3) if use_pos_weight else None
    ref = torch_value_and_grad(
        F.binary_cross_entropy_with_logits,
        z,
        t(y),
        weight=None if w is None else t(w),
        pos_weight=None if pw is None else t(pw),
        reduction=reduction,
    )
    kw = {"weight": w, "pos_weight": pw, "reduction": reduction}
    assert_matches(
        binary_cross_entropy_with_logits(z, y, **kw),
        binary_cross_entropy_with_logits_grad(z, y, **kw),
        *ref,
    )


@pytest.mark.parametrize(
    ("reduction", "p", "margin", "use_weight"),
    list(itertools.product(REDUCTIONS, [1, 2], [0.3, 1.0, 2.5], [False, True])),
)
def test_multi_margin_loss_matches_torch(reduction, p, margin, use_weight):
    kw = {"p": p, "margin": margin, "weight": W if use_weight else None, "reduction": reduction}
    ref = torch_value_and_grad(
        F.multi_margin_loss, Z, torch.tensor(Y), **(kw | {"weight": t(W) if use_weight else None})
    )
    assert_matches(multi_margin_loss(Z, Y, **kw), multi_margin_loss_grad(Z, Y, **kw), *ref)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mse_losses_match_torch(reduction):
    target = RNG.normal(size=Z.shape)
    ref = torch_value_and_grad(F.mse_loss, Z, t(target), reduction=reduction)
    assert_matches(
        mse_loss(Z, target, reduction=reduction),
        mse_loss_grad(Z, target, reduction=reduction),
        *ref,
    )

    def softmax_mse(x):
        return F.mse_loss(F.softmax(x, -1), F.one_hot(torch.tensor(Y), 5).double(), reduction=reduction)

    ref = torch_value_and_grad(softmax_mse, Z)
    assert_matches(
        softmax_mse_loss(Z, Y, reduction=reduction),
        softmax_mse_loss_grad(Z, Y, reduction=reduction),
        *ref,
    )


@pytest.mark.parametrize(
    ("reduction", "gamma", "use_alpha"),
    list(itertools.product(REDUCTIONS, [0.0, 0.5, 2.0, 4.0], [False, True])),
)
def test_focal_loss_matches_torch_autograd(reduction, gamma, use_alpha):
    def focal(x):
        log_pt = F.log_softmax(x, -1).gather(1, torch.tensor(Y)[:, None])[:, 0]
        alpha_t = t(W)[torch.tensor(Y)] if use_alpha else 1.0
        loss = -alpha_t * (1 - log_pt.exp()) ** gamma * log_pt
        return {"mean": loss.mean, "sum": loss.sum, "none": lambda: loss}[reduction]()

    kw = {"gamma": gamma, "alpha": W if use_alpha else None, "reduction": reduction}
    assert_matches(focal_loss(Z, Y, **kw), focal_loss_grad(Z, Y, **kw), *torch_value_and_grad(focal, Z))


@pytest.mark.parametrize(
    ("reduction", "gamma", "alpha"), list(itertools.product(REDUCTIONS, [0.0, 0.5, 2.0], [-1.0, 0.25, 0.9]))
)
def test_sigmoid_focal_loss_matches_torchvision_semantics(reduction, gamma, alpha):
    z = RNG.normal(size=(4, 3)) * 3
    y = RNG.uniform(0, 1, (4, 3))

    def torchvision_sigmoid_focal_loss(x):  # torchvision.ops.sigmoid_focal_loss, line for line
        p = torch.sigmoid(x)
        ce_loss = F.binary_cross_entropy_with_logits(x, t(y), reduction="none")
        p_t = p * t(y) + (1 - p) * (1 - t(y))
        loss = ce_loss * ((1 - p_t) ** gamma)
        if alpha >= 0:
            loss = (alpha * t(y) + (1 - alpha) * (1 - t(y))) * loss
        return {"mean": loss.mean, "sum": loss.sum, "none": lambda: loss}[reduction]()

    kw = {"alpha": alpha, "gamma": gamma, "reduction": reduction}
    ref = torch_value_and_grad(torchvision_sigmoid_focal_loss, z)
    assert_matches(sigmoid_focal_loss(z, y, **kw), sigmoid_focal_loss_grad(z, y, **kw), *ref)


@pytest.mark.parametrize("temperature", [0.01, 0.3, 1.0, 4.0])
def test_softmax_family_matches_torch(temperature):
    z = RNG.normal(size=(3, 6)) * 50
    zt = t(z) / temperature
    np.testing.assert_allclose(softmax(z, temperature=temperature), F.softmax(zt, -1).numpy(), atol=TOL)
    np.testing.assert_allclose(
        log_softmax(z, temperature=temperature), F.log_softmax(zt, -1).numpy(), atol=1e-9
    )
    np.testing.assert_allclose(logsumexp(z), torch.logsumexp(t(z), -1).numpy(), atol=TOL)
    np.testing.assert_allclose(sigmoid(z), torch.sigmoid(t(z)).numpy(), atol=TOL)
    np.testing.assert_allclose(log_sigmoid(z), F.logsigmoid(t(z)).numpy(), atol=TOL)


def test_softmax_jacobian_matches_torch_autograd():
    z = RNG.normal(size=6)
    ref = torch.autograd.functional.jacobian(lambda v: F.softmax(v, -1), t(z)).numpy()
    np.testing.assert_allclose(softmax_jacobian(z), ref, atol=TOL)
