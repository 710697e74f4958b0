"""core.MLP's loss and every gradient equal PyTorch autograd's to 1e-10 in float64.

Skipped cleanly where torch is not installed: it is a reference, not a dependency.
"""

import itertools

import numpy as np
import pytest

from core.mlp import ACTIVATIONS, MLP, demo_network

torch = pytest.importorskip("torch")
F = torch.nn.functional

pytestmark = pytest.mark.torch
TOL = 1e-10
RNG = np.random.default_rng(7)
SIZES = [5, 8, 6, 7, 4]
X = RNG.normal(size=(9, 5)) * 1.5
Y = RNG.integers(0, 4, 9)
CLASS_WEIGHT = RNG.uniform(0.3, 2.0, 4)
LOSS_CASES = {
    "ce": ("cross_entropy", {}),
    "ce_smooth": ("cross_entropy", {"label_smoothing": 0.2}),
    "ce_weight": ("cross_entropy", {"weight": CLASS_WEIGHT}),
    "ce_smooth_weight": ("cross_entropy", {"label_smoothing": 0.1, "weight": CLASS_WEIGHT}),
    "softmax_mse": ("softmax_mse", {}),
    "focal": ("focal", {"gamma": 2.0}),
    "focal_alpha": ("focal", {"gamma": 1.5, "alpha": CLASS_WEIGHT / 2}),
    "multi_margin": ("multi_margin", {}),
    "multi_margin_p2_weight": ("multi_margin", {"p": 2, "margin": 0.7, "weight": CLASS_WEIGHT}),
}
TORCH_ACTIVATION = {
    "relu": torch.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "leaky_relu": lambda z: F.leaky_relu(z, 0.01),
}


def torch_loss(logits, y, loss: str, kwargs: dict):
    yt = torch.tensor(y)
    kw = {
        k: torch.tensor(v, dtype=logits.dtype) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()
    }
    if loss == "cross_entropy":
        return F.cross_entropy(logits, yt, **kw)
    if loss == "softmax_mse":
        return F.mse_loss(torch.softmax(logits, dim=1), F.one_hot(yt, logits.shape[1]).to(logits.dtype))
    if loss == "multi_margin":
        return F.multi_margin_loss(logits, yt, **kw)
    log_pt = torch.log_softmax(logits, dim=1).gather(1, yt[:, None])[:, 0]
    alpha = kw["alpha"][yt] if "alpha" in kw else 1.0
    return (-alpha * (1 - log_pt.exp()) ** kw["gamma"] * log_pt).mean()


def torch_loss_and_grads(net: MLP, x, y, loss: str, kwargs: dict, dtype=torch.float64):
    params = {k: torch.tensor(v, dtype=dtype, requires_grad=True) for k, v in net.params.items()}
    a = torch.tensor(x, dtype=dtype)
    for k in range(1, net.n_layers + 1):
        z = a @ params[f"W{k}"] + params[f"b{k}"]
        a = z if k == net.n_layers else TORCH_ACTIVATION[net.activation](z)
    value = torch_loss(a, y, loss, kwargs)
    value.backward()
    return value.item(), {k: p.grad.numpy() for k, p in params.items()}


@pytest.mark.parametrize(("activation", "case"), list(itertools.product(ACTIVATIONS, LOSS_CASES)))
def test_loss_and_every_gradient_match_torch_autograd(activation, case):
    loss, kwargs = LOSS_CASES[case]
    net = demo_network(SIZES, activation=activation, seed=3, bias_std=0.2)
    value, grads = net.loss_and_grads(X, Y, loss=loss, **kwargs)
    ref_value, ref_grads = torch_loss_and_grads(net, X, Y, loss, kwargs)
    assert abs(value - ref_value) < TOL
    assert list(grads) == list(ref_grads)
    for name in grads:
        assert grads[name].shape == ref_grads[name].shape
        np.testing.assert_allclose(grads[name], ref_grads[name], rtol=0, atol=TOL, err_msg=name)


@pytest.mark.parametrize("activation", ["relu", "leaky_relu"])
def test_the_derivative_at_the_kink_is_torchs(activation):
    # Zero biases and a layer that is negative for every example put the next layer's z exactly at 0.
    net = MLP([2, 3, 3, 2], activation=activation, seed=0)
    net.params["W1"][...] = -1.0
    x = np.abs(RNG.normal(size=(4, 2))) + 0.1
    y = np.array([0, 1, 1, 0])
    net.forward(x)
    if activation == "relu":
        assert np.all(net.zs[2] == 0)
    _, grads = net.loss_and_grads(x, y)
    _, ref = torch_loss_and_grads(net, x, y, "cross_entropy", {})
    for name in grads:
        np.testing.assert_allclose(grads[name], ref[name], rtol=0, atol=TOL, err_msg=name)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_float32_matches_torch_float32(activation):
    net = demo_network(SIZES, activation=activation, seed=1).copy(dtype=np.float32)
    value, grads = net.loss_and_grads(X.astype(np.float32), Y, label_smoothing=0.1)
    ref_value, ref_grads = torch_loss_and_grads(
        net, X.astype(np.float32), Y, "cross_entropy", {"label_smoothing": 0.1}, dtype=torch.float32
    )
    assert value == pytest.approx(ref_value, rel=1e-5)
    for name in grads:
        assert grads[name].dtype == np.float32
        np.testing.assert_allclose(grads[name], ref_grads[name], rtol=1e-4, atol=1e-6, err_msg=name)


def test_probability_targets_match_torch():
    net = demo_network(SIZES, seed=2)
    target = RNG.dirichlet(np.ones(4), len(Y))
    _, grads = net.loss_and_grads(X, target, label_smoothing=0.05)
    params = {k: torch.tensor(v, requires_grad=True) for k, v in net.params.items()}
    a = torch.tensor(X)
    for k in range(1, 5):
        z = a @ params[f"W{k}"] + params[f"b{k}"]
        a = z if k == 4 else torch.relu(z)
    F.cross_entropy(a, torch.tensor(target), label_smoothing=0.05).backward()
    for name in grads:
        np.testing.assert_allclose(grads[name], params[name].grad.numpy(), rtol=0, atol=TOL, err_msg=name)
