"""A feed-forward network (multi-layer perceptron) with hand-written backpropagation, in seed 001's notation.

Row-vector convention: a batch is a matrix with one example per row, and layer l computes

.. math:: z_l = a_{l-1} W_l + b_l, \\qquad a_l = σ(z_l), \\qquad a_0 = X

with ``W_l`` of shape ``(n_{l-1}, n_l)`` and ``b_l`` of shape ``(n_l,)`` added to every row.  Hidden
layers apply the activation σ; the last layer is linear: ``z_L`` are the logits.  Backpropagation of
the batch-mean loss L = (1/B) Σ_i ℓ_i:

.. math:: δ^L = \\frac{∂L}{∂z_L}, \\qquad δ^l = (δ^{l+1} W_{l+1}^T) ⊙ σ'(z_l), \\qquad
          ∇W_l = a_{l-1}^T δ^l, \\qquad ∇b_l = \\textstyle\\sum_i δ^l_i

The 1/B lives in δ^L (it comes from the loss's ``reduction="mean"``): for cross-entropy without weights
or smoothing δ^L = (S(z_L) − Y)/B, so every δ^l carries it and the sums over the batch in ∇W_l (inside
the matrix product) and ∇b_l are already batch means.

Besides :class:`MLP` the module holds what the Backpropagation page shows: :func:`mlp_gradcheck` (every
parameter against finite differences), :func:`backprop_stages` (each forward and backward step with its
formula, matrices and dimension checks) and the shape checks :func:`matmul_check`,
:func:`hadamard_check`, :func:`bias_add_check` and :func:`row_sum_check`.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from core._validation import as_float_array, check_scalar
from core.functional import _sigmoid, _softmax
from core.gradcheck import gradcheck
from core.losses import (
    cross_entropy,
    focal_loss,
    loss_and_grad,
    loss_grad,
    multi_margin_loss,
    one_hot,
    softmax_mse_loss,
)

__all__ = [
    "ACTIVATIONS",
    "ACTIVATION_TEX",
    "MLP_LOSSES",
    "MLP",
    "demo_network",
    "activation_function",
    "activation_derivative",
    "mlp_gradcheck",
    "Matrix",
    "Stage",
    "backprop_stages",
    "matmul_check",
    "hadamard_check",
    "bias_add_check",
    "row_sum_check",
]

ACTIVATIONS: tuple[str, ...] = ("relu", "tanh", "sigmoid", "leaky_relu")
MLP_LOSSES: tuple[str, ...] = ("cross_entropy", "softmax_mse", "focal", "multi_margin")
LEAKY_SLOPE = 0.01  # PyTorch's default negative_slope
_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))
_LOSS_VALUES = {
    "cross_entropy": cross_entropy,
    "softmax_mse": softmax_mse_loss,
    "focal": focal_loss,
    "multi_margin": multi_margin_loss,
}


# ------------------------------------------------------------------------------------- activations
def _check_activation(activation) -> str:
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}; got {activation!r}")
    return activation


def _activate(z: np.ndarray, activation: str) -> np.ndarray:
    """σ(z) as a new array of z's dtype."""
    if activation == "relu":
        return np.maximum(z, 0)
    if activation == "tanh":
        return np.tanh(z)
    if activation == "sigmoid":
        return _sigmoid(z)
    return np.where(z > 0, z, z * z.dtype.type(LEAKY_SLOPE))


def _scale_by_derivative(d: np.ndarray, z: np.ndarray, a: np.ndarray, activation: str) -> None:
    """d ⊙= σ'(z), in place; ``a`` = σ(z) (tanh and sigmoid have derivatives cheapest from it)."""
    if activation == "relu":
        np.multiply(d, z > 0, out=d)  # relu'(0) = 0, like PyTorch
    elif activation == "tanh":
        t = a * a
        np.subtract(1, t, out=t)
        d *= t
    elif activation == "sigmoid":
        t = 1 - a
        t *= a
        d *= t
    else:  # leaky_relu'(0) = slope, like PyTorch
        one, slope = d.dtype.type(1), d.dtype.type(LEAKY_SLOPE)
        np.multiply(d, np.where(z > 0, one, slope), out=d)


def _derivative(z: np.ndarray, a: np.ndarray, activation: str) -> np.ndarray:
    out = np.ones_like(z)
    _scale_by_derivative(out, z, a, activation)
    return out


def activation_function(z, activation: str) -> np.ndarray:
    """The hidden-layer activation σ(z), element-wise.

    relu: max(0, z); tanh; sigmoid: 1 / (1 + e^{−z}) (computed without overflow, as :func:`core.sigmoid`);
    leaky_relu: z for z > 0, 0.01 z otherwise.

    Parameters
    ----------
    z : array_like, any shape
    activation : {"relu", "tanh", "sigmoid", "leaky_relu"}

    Returns
    -------
    ndarray of ``z``'s shape and float dtype.

    Examples
    --------
    >>> activation_function([-2.0, 0.0, 3.0], "leaky_relu")
    array([-0.02,  0.  ,  3.  ])
    """
    activation = _check_activation(activation)
    arr = as_float_array(z, "z")
    return _activate(arr, activation)


def activation_derivative(z, activation: str) -> np.ndarray:
    """σ'(z), element-wise, with PyTorch's choice at the kink: relu'(0) = 0 and leaky_relu'(0) = 0.01.

    relu: [z > 0]; tanh: 1 − tanh²(z); sigmoid: σ(z)(1 − σ(z)); leaky_relu: 1 for z > 0, 0.01 otherwise.

    Parameters
    ----------
    z : array_like, any shape
    activation : {"relu", "tanh", "sigmoid", "leaky_relu"}

    Returns
    -------
    ndarray of ``z``'s shape and float dtype.

    Examples
    --------
    >>> activation_derivative([-1.0, 0.0, 2.0], "relu")
    array([0., 0., 1.])
    >>> activation_derivative([0.0], "sigmoid")
    array([0.25])
    """
    activation = _check_activation(activation)
    arr = np.array(as_float_array(z, "z"), ndmin=1)
    out = _derivative(arr, _activate(arr, activation), activation)
    return out.reshape(np.shape(z))


# ------------------------------------------------------------------------------------- the network
def _int_at_least(value, name: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be an integer; got {value!r}")
    if value < low:
        raise ValueError(f"{name} must be at least {low}; got {value}")
    return int(value)


def _check_layer_sizes(layer_sizes) -> tuple[int, ...]:
    if isinstance(layer_sizes, str | bytes) or not isinstance(layer_sizes, Sequence | np.ndarray):
        raise ValueError(
            f"layer_sizes must be a sequence of positive integers like [2, 16, 3]; got {layer_sizes!r}"
        )
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes needs at least 2 entries (inputs and classes); got {sizes!r}")
    for i, n in enumerate(sizes):
        if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
            raise ValueError(f"layer_sizes must hold positive integers; got {n!r} at position {i}")
    return tuple(int(n) for n in sizes)


def _check_dtype(dtype) -> np.dtype:
    message = f"dtype must be np.float32 or np.float64; got {dtype!r}"
    try:
        dt = np.dtype(dtype)
    except TypeError:
        raise ValueError(message) from None
    if dt not in _DTYPES:
        raise ValueError(message)
    return dt


def _check_loss(loss, loss_kwargs: dict) -> str:
    if loss not in MLP_LOSSES:
        raise ValueError(f"loss must be one of {MLP_LOSSES}; got {loss!r}")
    if "reduction" in loss_kwargs:
        raise ValueError(
            "reduction is fixed: the MLP's gradients are those of the batch-mean loss (reduction='mean'); "
            f"got reduction={loss_kwargs['reduction']!r}"
        )
    return loss


def _init_scale(activation: str, fan_in: int, fan_out: int) -> tuple[str, float]:
    if activation == "relu":
        return "normal", float(np.sqrt(2.0 / fan_in))
    if activation == "leaky_relu":
        return "normal", float(np.sqrt(2.0 / ((1 + LEAKY_SLOPE**2) * fan_in)))
    return "uniform", float(np.sqrt(6.0 / (fan_in + fan_out)))


class MLP:
    """A fully connected network: hidden layers with an activation, a linear output layer (the logits).

    Row-vector convention of seed 001: ``z_l = a_{l-1} @ W_l + b_l``, ``a_l = σ(z_l)`` for the hidden
    layers, ``a_0 = X`` and ``z_L`` the logits, l = 1 … L with L = ``len(layer_sizes) - 1``.

    Parameters
    ----------
    layer_sizes : sequence of int >= 1
        ``[n_0, n_1, …, n_L]``: inputs D = n_0, hidden widths, classes C = n_L.  At least 2 entries.
    activation : {"relu", "tanh", "sigmoid", "leaky_relu"}, default "relu"
        σ of the hidden layers (leaky_relu has slope 0.01; relu'(0) = 0 like PyTorch).
    seed : int >= 0, default 0
        Seed of ``np.random.default_rng`` for the initial weights.
    dtype : np.float32 or np.float64, default np.float64
        Dtype of the parameters, the activations and the gradients.

    Attributes
    ----------
    params : dict[str, ndarray]
        ``"W1", "b1", …, "WL", "bL"`` in that order; ``W_l`` is ``(n_{l-1}, n_l)``, ``b_l`` is ``(n_l,)``.
        Initialised with He (normal, std √(2 / n_{l-1}), gain adjusted for leaky_relu) for relu and
        leaky_relu, Glorot/Xavier (uniform on ±√(6 / (n_{l-1} + n_l))) for tanh and sigmoid, drawn in
        float64 (so both dtypes start from the same numbers); biases 0.  Update them in place
        (``net.params["W1"] -= lr * grads["W1"]``) to keep their dtype.
    layer_sizes : tuple of int
    n_layers : int
        L, the number of weight layers.
    activation, seed, dtype
        As given.
    zs : dict[int, ndarray]
        After :meth:`forward`: ``zs[l]`` = z_l ``(B, n_l)`` for l = 1 … L (``zs[L]`` are the logits).
    activations : dict[int, ndarray]
        After :meth:`forward`: ``activations[l]`` = a_l ``(B, n_l)`` for l = 0 … L; ``activations[0]``
        is the input X (in the net's dtype) and ``activations[L]`` is z_L (the output layer is linear).
    deltas : dict[int, ndarray]
        After :meth:`backward`: ``deltas[l]`` = δ^l = ∂L/∂z_l ``(B, n_l)`` for l = 1 … L, batch-mean
        loss (the 1/B is inside).

    The arrays in ``zs``, ``activations`` and ``deltas`` are read-only views of what the next
    :meth:`forward` / :meth:`backward` uses; they are replaced (never overwritten) by the next call.

    Examples
    --------
    >>> net = MLP([2, 4, 3], seed=0)
    >>> logits = net.forward([[0.5, -1.0], [1.5, 2.0]])
    >>> logits.shape, net.zs[1].shape, net.activations[0].shape
    ((2, 3), (2, 4), (2, 2))
    >>> grads = net.backward([0, 2])
    >>> {name: g.shape for name, g in grads.items()}
    {'W1': (2, 4), 'b1': (4,), 'W2': (4, 3), 'b2': (3,)}
    """

    def __init__(self, layer_sizes, *, activation: str = "relu", seed: int = 0, dtype=np.float64):
        self.layer_sizes = _check_layer_sizes(layer_sizes)
        self.activation = _check_activation(activation)
        self.seed = _int_at_least(seed, "seed", 0)
        self.dtype = _check_dtype(dtype)
        self.n_layers = len(self.layer_sizes) - 1
        self._keys = [(f"W{k}", f"b{k}") for k in range(1, self.n_layers + 1)]
        rng = np.random.default_rng(self.seed)
        self.params: dict[str, np.ndarray] = {}
        for (w_key, b_key), fan_in, fan_out in zip(
            self._keys, self.layer_sizes[:-1], self.layer_sizes[1:], strict=True
        ):
            kind, scale = _init_scale(self.activation, fan_in, fan_out)
            if kind == "normal":
                w = rng.normal(0.0, scale, size=(fan_in, fan_out))
            else:
                w = rng.uniform(-scale, scale, size=(fan_in, fan_out))
            self.params[w_key] = w.astype(self.dtype)
            self.params[b_key] = np.zeros(fan_out, dtype=self.dtype)
        self._zs: list[np.ndarray] = []  # z_1 … z_L
        self._as: list[np.ndarray] = []  # a_0 … a_L
        self._deltas: list[np.ndarray] = []  # δ^1 … δ^L

    # ---------------------------------------------------------------------------------- inspection
    def __repr__(self) -> str:
        sizes = list(self.layer_sizes)
        return f"MLP({sizes}, activation={self.activation!r}, seed={self.seed}, dtype={self.dtype})"

    @property
    def n_params(self) -> int:
        """Number of scalar parameters."""
        return sum(p.size for p in self.params.values())

    @staticmethod
    def _readonly(arrays: list[np.ndarray], first: int) -> dict[int, np.ndarray]:
        out = {}
        for i, arr in enumerate(arrays, start=first):
            view = arr.view()
            view.flags.writeable = False
            out[i] = view
        return out

    @property
    def zs(self) -> dict[int, np.ndarray]:
        """``{l: z_l}`` for l = 1 … L from the last :meth:`forward` (read-only views)."""
        return self._readonly(self._zs, 1)

    @property
    def activations(self) -> dict[int, np.ndarray]:
        """``{l: a_l}`` for l = 0 … L from the last :meth:`forward` (a_0 = X; read-only views)."""
        return self._readonly(self._as, 0)

    @property
    def deltas(self) -> dict[int, np.ndarray]:
        """``{l: δ^l}`` for l = 1 … L from the last :meth:`backward` (read-only views)."""
        return self._readonly(self._deltas, 1)

    def copy(self, *, dtype=None) -> MLP:
        """An independent copy of the network's parameters (not of its forward/backward cache).

        Parameters
        ----------
        dtype : np.float32 or np.float64, optional
            Convert the copy's parameters (default: keep the dtype).
        """
        dt = self.dtype if dtype is None else _check_dtype(dtype)
        new = object.__new__(MLP)
        new.layer_sizes, new.activation, new.seed, new.n_layers = (
            self.layer_sizes,
            self.activation,
            self.seed,
            self.n_layers,
        )
        new.dtype = dt
        new._keys = list(self._keys)
        new.params = {name: p.astype(dt, copy=True) for name, p in self.params.items()}
        new._zs, new._as, new._deltas = [], [], []
        return new

    # ---------------------------------------------------------------------------------- validation
    def check_input(self, X) -> np.ndarray:
        """Validate a batch ``X (B, n_0)`` and return it in the net's dtype (no copy if it already is).

        Raises
        ------
        ValueError
            If X is not a finite numeric 2-D array with ``n_0`` columns and at least one row.
        """
        arr = as_float_array(X, "X")
        n_in = self.layer_sizes[0]
        if arr.ndim != 2 or arr.shape[1] != n_in or arr.shape[0] == 0:
            raise ValueError(
                f"X must have shape (B, {n_in}) with B >= 1 (one example per row); got shape {arr.shape}"
            )
        return arr.astype(self.dtype, copy=False)

    # ---------------------------------------------------------------------------------- forward
    def forward(self, X) -> np.ndarray:
        """Logits of a batch, keeping every z_l and a_l for :meth:`backward`.

        Parameters
        ----------
        X : array_like ``(B, n_0)``
            One example per row; converted to the net's dtype.  Don't modify it before
            :meth:`backward`, which uses it for ∇W_1 = Xᵀ δ¹.

        Returns
        -------
        ndarray ``(B, C)``, the logits z_L in the net's dtype.
        """
        return self._forward(self.check_input(X))

    def _forward(self, X: np.ndarray, keep: bool = True) -> np.ndarray:
        """Forward pass of a validated batch in the net's dtype; ``keep=False`` leaves the cache alone."""
        params, act, last = self.params, self.activation, self.n_layers
        a = X
        zs, acts = [], [X]
        for k, (w_key, b_key) in enumerate(self._keys, start=1):
            z = np.matmul(a, params[w_key])
            z += params[b_key]
            a = z if k == last else _activate(z, act)
            if keep:
                zs.append(z)
                acts.append(a)
        if keep:
            self._zs, self._as, self._deltas = zs, acts, []
        return a

    def predict(self, X) -> np.ndarray:
        """Predicted classes ``(B,)`` (argmax of the logits); does not touch the forward cache."""
        return self._forward(self.check_input(X), keep=False).argmax(axis=1)

    def predict_proba(self, X) -> np.ndarray:
        """Softmax of the logits ``(B, C)``; does not touch the forward cache."""
        return _softmax(self._forward(self.check_input(X), keep=False))

    # ---------------------------------------------------------------------------------- backward
    def backward(self, target, *, loss: str = "cross_entropy", **loss_kwargs) -> dict[str, np.ndarray]:
        """Gradients of the batch-mean loss with respect to every parameter, for the last :meth:`forward`.

        δ^L = ∂L/∂z_L comes from ``core.loss_and_grad(loss, logits, target, reduction="mean", …)``
        (for cross-entropy without weights or smoothing: (S(z_L) − Y)/B); then for l = L … 1:
        ∇W_l = a_{l−1}ᵀ δ^l, ∇b_l = Σ_i δ^l_i and δ^{l−1} = (δ^l W_lᵀ) ⊙ σ'(z_{l−1}).

        Parameters
        ----------
        target : class indices ``(B,)`` (integers), or class probabilities ``(B, C)`` (floats) for
            the losses that take them
        loss : {"cross_entropy", "softmax_mse", "focal", "multi_margin"}, default "cross_entropy"
        **loss_kwargs
            That loss's options, e.g. ``label_smoothing``/``weight`` (cross_entropy), ``gamma``/``alpha``
            (focal), ``margin``/``p``/``weight`` (multi_margin).  ``reduction`` is always "mean".

        Returns
        -------
        dict[str, ndarray]
            The params' keys and shapes, in the net's dtype.  ``net.deltas`` then holds every δ^l.
        """
        loss = _check_loss(loss, loss_kwargs)
        if not self._as:
            raise ValueError(
                "call forward(X) before backward(target): backward needs the z_l and a_l of a batch"
            )
        dlogits = loss_grad(loss, self._as[-1], target, reduction="mean", **loss_kwargs)
        return self._backward(dlogits)

    def _backward(self, dlogits: np.ndarray) -> dict[str, np.ndarray]:
        """Backpropagate ∂L/∂z_L ``(B, C)`` (net's dtype) through the cached forward pass; no validation."""
        params, act, zs, acts = self.params, self.activation, self._zs, self._as
        grads: dict[str, np.ndarray] = {}
        deltas = [dlogits]
        delta = dlogits
        for k in range(self.n_layers, 0, -1):  # k is the layer number l of the formulas
            w_key, b_key = self._keys[k - 1]
            grads[w_key] = np.matmul(acts[k - 1].T, delta)
            grads[b_key] = delta.sum(axis=0)
            if k > 1:
                delta = np.matmul(delta, params[w_key].T)
                _scale_by_derivative(delta, zs[k - 2], acts[k - 1], act)
                deltas.append(delta)
        self._deltas = deltas[::-1]
        return {name: grads[name] for pair in self._keys for name in pair}

    def loss_and_grads(
        self, X, target, *, loss: str = "cross_entropy", **loss_kwargs
    ) -> tuple[float, dict[str, np.ndarray]]:
        """Batch-mean loss and its gradients: :meth:`forward` then :meth:`backward` in one call.

        Parameters
        ----------
        X : array_like ``(B, n_0)``
        target, loss, **loss_kwargs
            As in :meth:`backward`.

        Returns
        -------
        (loss, grads) : the loss as a Python float and the gradients dict of :meth:`backward`.

        Examples
        --------
        >>> net = MLP([2, 3, 2], seed=1)
        >>> value, grads = net.loss_and_grads([[1.0, 2.0]], [1])
        >>> round(value, 4), grads["W2"].shape
        (0.5267, (3, 2))
        """
        loss = _check_loss(loss, loss_kwargs)
        logits = self._forward(self.check_input(X))
        value, dlogits = loss_and_grad(loss, logits, target, reduction="mean", **loss_kwargs)
        return float(value), self._backward(dlogits)

    def loss_value(self, X, target, *, loss: str = "cross_entropy", **loss_kwargs) -> float:
        """Batch-mean loss of ``X`` (e.g. test data) without gradients; does not touch the forward cache."""
        loss = _check_loss(loss, loss_kwargs)
        logits = self._forward(self.check_input(X), keep=False)
        value, _ = loss_and_grad(loss, logits, target, reduction="mean", **loss_kwargs)
        return float(value)


def demo_network(layer_sizes, *, activation: str = "relu", seed: int = 0, bias_std: float = 0.1) -> MLP:
    """The gradient pages' network: an :class:`MLP` whose biases are drawn from N(0, bias_std²), not 0.

    The weights are exactly ``MLP(layer_sizes, activation=activation, seed=seed)``'s; the biases come
    from ``np.random.default_rng(seed + 1)`` afterwards.  Non-zero biases show up in the forward pass,
    and they keep every pre-activation off ReLU's kink: with zero biases, an example whose units are
    all 0 in one layer gets z = 0 exactly in the next, where relu'(0) = 0 is only a convention and a
    finite-difference check (which sees the average slope ½ there) would rightly disagree.

    Parameters
    ----------
    layer_sizes : sequence of int >= 1
    activation : str, default "relu"
    seed : int >= 0, default 0
    bias_std : float >= 0, default 0.1

    Returns
    -------
    MLP (float64)

    Examples
    --------
    >>> net = demo_network([2, 3, 2], seed=0)
    >>> bool(np.all(net.params["b1"] != 0))
    True
    >>> bool(np.array_equal(net.params["W1"], MLP([2, 3, 2]).params["W1"]))
    True
    """
    net = MLP(layer_sizes, activation=activation, seed=seed)
    bias_std = check_scalar(bias_std, "bias_std", low=0)
    rng = np.random.default_rng(net.seed + 1)
    for _, b_key in net._keys:
        net.params[b_key][...] = rng.normal(0.0, bias_std, size=net.params[b_key].shape)
    return net


# ------------------------------------------------------------------------------------- gradient check
FD_EPS = 2.0**-20  # ≈ 9.5e-7; a power of two, so w ± ε is exact in float64 for any |w| < 2**32


def mlp_gradcheck(net: MLP, X, target, *, loss: str = "cross_entropy", eps: float = FD_EPS, **loss_kwargs):
    """Largest relative error of each parameter's backprop gradient against central finite differences.

    The backprop gradient is :meth:`MLP.loss_and_grads` of a float64 copy of ``net`` (the net itself is
    not changed).  The finite differences evaluate the loss in extended precision (``np.longdouble``,
    64-bit mantissa on x86-64) and relative to its value at the point, L(w ± ε e_i) − L(w), so rounding
    adds about 1e-19 / ε to each derivative instead of about 1e-16 / ε: the check stays far below 1e-6
    even for parameters whose gradient is tiny (deep sigmoid nets, leaky units).  (Where ``longdouble``
    is plain float64, as on Windows, it still works, with float64's rounding.)  Each parameter is then
    scored by :func:`core.gradcheck`: ‖g_backprop − g_numeric‖∞ / max(‖g_backprop‖∞, ‖g_numeric‖∞).
    It costs two forward passes per scalar parameter, so keep the net small.

    A step across a kink of relu or leaky_relu (a z within ε of 0) would make the difference quotient
    wrong, not the gradient; ε ≈ 1e-6 makes that unlikely for continuous data, and biases of exactly 0
    with an all-zero row before them put z exactly on the kink, where relu'(0) = 0 is a convention.

    Parameters
    ----------
    net : MLP
    X : array_like ``(B, n_0)``
    target : as in :meth:`MLP.backward`
    loss : str, default "cross_entropy"
    eps : float > 0, default 2**-20 (≈ 9.5e-7)
        Finite-difference step.
    **loss_kwargs
        The loss's options.

    Returns
    -------
    dict[str, float]
        ``{"W1": err, "b1": err, …}``; a correct gradient gives about 1e-9 or less.

    Examples
    --------
    >>> net = MLP([2, 3, 2], activation="tanh", seed=0)
    >>> errors = mlp_gradcheck(net, [[0.5, -1.0], [1.0, 2.0]], [0, 1])
    >>> max(errors.values()) < 1e-8
    True
    """
    if not isinstance(net, MLP):
        raise ValueError(f"net must be an MLP; got {type(net).__name__}")
    loss = _check_loss(loss, loss_kwargs)
    eps = check_scalar(eps, "eps", low=0, low_open=True)
    work = net.copy(dtype=np.float64)
    x = work.check_input(X)
    _, grads = work.loss_and_grads(x, target, loss=loss, **loss_kwargs)  # validates target once

    wide = np.longdouble
    value_fn = _LOSS_VALUES[loss]
    act, n_layers = work.activation, work.n_layers
    params_wide = {name: p.astype(wide) for name, p in work.params.items()}
    prefix = [x.astype(wide)]  # a_0 … a_{L-1} in extended precision: the layers below a parameter
    for k in range(1, n_layers):
        z = prefix[-1] @ params_wide[f"W{k}"] + params_wide[f"b{k}"]
        prefix.append(_activate(z, act))

    def wide_loss(first: int) -> np.longdouble:
        """The loss in extended precision, running only layers ``first`` … L on the cached a_{first-1}."""
        a = prefix[first - 1]
        for k in range(first, n_layers + 1):
            z = a @ params_wide[f"W{k}"] + params_wide[f"b{k}"]
            a = z if k == n_layers else _activate(z, act)
        return value_fn(a, target, reduction="mean", **loss_kwargs)

    base = wide_loss(n_layers)

    def errors_for(name: str) -> float:
        original, layer = params_wide[name], int(name[1:])

        def f(values: np.ndarray) -> float:
            params_wide[name] = values.astype(wide)
            return float(wide_loss(layer) - base)

        try:
            return gradcheck(f, lambda _: grads[name], work.params[name], eps=eps)
        finally:
            params_wide[name] = original

    return {name: errors_for(name) for name in work.params}


# ------------------------------------------------------------------------------------- shape checks
def _dim(d) -> str:
    return str(d)


def _shape_text(shape: Sequence, transposed: bool = False) -> str:
    text = "(" + "×".join(_dim(d) for d in shape) + ")"
    return text + ("ᵀ" if transposed else "")


def _check_shape_arg(shape, name: str) -> tuple:
    if isinstance(shape, str | bytes) or not isinstance(shape, Sequence) or len(shape) not in (1, 2):
        raise ValueError(f"{name} must be a shape of 1 or 2 sizes (ints or symbols like 'B'); got {shape!r}")
    for d in shape:
        if isinstance(d, bool) or not isinstance(d, numbers.Integral | str):
            raise ValueError(f"{name} sizes must be integers or symbols; got {d!r}")
    return tuple(shape)


def matmul_check(left, right, *, transpose_left: bool = False, transpose_right: bool = False) -> str:
    """The dimension check of a matrix product, as text: ``(8×3)·(5×3)ᵀ → (8×5) ✓``.

    Sizes may be integers or symbols (``("B", "H")``); inner sizes must be equal to multiply.

    Parameters
    ----------
    left, right : tuple of 2 sizes
        Shapes of the factors before any transpose.
    transpose_left, transpose_right : bool, default False

    Returns
    -------
    str
        ``"(left)·(right) → (result) ✓"``, or ``"(left)·(right) ✗ inner sizes differ: 3 ≠ 5"``.

    Examples
    --------
    >>> matmul_check(("B", "H"), ("B", "C"), transpose_left=True)
    '(B×H)ᵀ·(B×C) → (H×C) ✓'
    >>> matmul_check((8, 3), (5, 3), transpose_right=True)
    '(8×3)·(5×3)ᵀ → (8×5) ✓'
    """
    left = _check_shape_arg(left, "left")
    right = _check_shape_arg(right, "right")
    if len(left) != 2 or len(right) != 2:
        raise ValueError(f"matmul_check takes 2-D shapes; got {left!r} and {right!r}")
    a = left[::-1] if transpose_left else left
    b = right[::-1] if transpose_right else right
    text = f"{_shape_text(left, transpose_left)}·{_shape_text(right, transpose_right)}"
    if a[1] != b[0]:
        return f"{text} ✗ inner sizes differ: {_dim(a[1])} ≠ {_dim(b[0])}"
    return f"{text} → {_shape_text((a[0], b[1]))} ✓"


def hadamard_check(left, right, *, op: str = "⊙") -> str:
    """The dimension check of an element-wise operation: ``(B×H) ⊙ (B×H) → (B×H) ✓``.

    Parameters
    ----------
    left, right : tuple of sizes
    op : str, default "⊙"
        The operator to write, e.g. "−" for a difference.

    Examples
    --------
    >>> hadamard_check((8, 5), (8, 5))
    '(8×5) ⊙ (8×5) → (8×5) ✓'
    >>> hadamard_check((8, 5), (8, 4))
    '(8×5) ⊙ (8×4) ✗ shapes differ'
    """
    left = _check_shape_arg(left, "left")
    right = _check_shape_arg(right, "right")
    text = f"{_shape_text(left)} {op} {_shape_text(right)}"
    return f"{text} → {_shape_text(left)} ✓" if left == right else f"{text} ✗ shapes differ"


def bias_add_check(matrix, bias) -> str:
    """The dimension check of adding a bias row to every row: ``(B×H) + (H) → (B×H) ✓``.

    Examples
    --------
    >>> bias_add_check(("B", "H"), ("H",))
    '(B×H) + (H) → (B×H) ✓ (b added to every row)'
    """
    matrix = _check_shape_arg(matrix, "matrix")
    bias = _check_shape_arg(bias, "bias")
    text = f"{_shape_text(matrix)} + {_shape_text(bias)}"
    if len(matrix) != 2 or len(bias) != 1 or matrix[1] != bias[0]:
        return f"{text} ✗ the bias must have one entry per column"
    return f"{text} → {_shape_text(matrix)} ✓ (b added to every row)"


def row_sum_check(matrix) -> str:
    """The dimension check of summing the rows (the batch): ``1ᵀ(B×C) = (1×B)·(B×C) → (1×C) ✓``.

    Examples
    --------
    >>> row_sum_check((8, 3))
    '(1×8)·(8×3) → (1×3) ✓'
    """
    matrix = _check_shape_arg(matrix, "matrix")
    if len(matrix) != 2:
        raise ValueError(f"row_sum_check takes a 2-D shape; got {matrix!r}")
    return matmul_check((1, matrix[0]), matrix)


# ------------------------------------------------------------------------------------- stages
_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _sub(k: int) -> str:
    return str(k).translate(_SUB)


def _sup(k: int) -> str:
    return str(k).translate(_SUP)


class Matrix(NamedTuple):
    """A matrix shown on the Backpropagation page.

    Attributes
    ----------
    name : str
        Plain text with Unicode sub/superscripts, e.g. ``"δ³"``, ``"W₂"``, ``"∇b₄"``.
    values : ndarray, 2-D
        A bias is shown as a ``(1, n)`` row.
    symbols : tuple of str
        Its shape in symbols, e.g. ``("B", "H")``.
    """

    name: str
    values: np.ndarray
    symbols: tuple[str, ...]

    @property
    def shape_text(self) -> str:
        """``"B×H = 8×5"``."""
        return f"{'×'.join(self.symbols)} = {'×'.join(str(d) for d in self.values.shape)}"


class Stage(NamedTuple):
    """One step of the forward or backward pass.

    Attributes
    ----------
    key : str
        ``"forward-1"`` … ``"forward-L"``, ``"output"``, ``"grad-L"``, ``"delta-(L-1)"``, … ``"grad-1"``.
    direction : {"Forward", "Backward"}
    title : str
        Plain text, e.g. ``"Backward: δ³ from δ⁴"``.
    formulas : tuple of str
        LaTeX, one equation each.
    matrices : tuple of Matrix
        The operands, then the results.
    checks : tuple of (str, str, str)
        ``(product, symbolic check, numeric check)``, e.g. ``("δ⁴ W₄ᵀ", "(B×C)·(H×C)ᵀ → (B×H) ✓",
        "(8×3)·(5×3)ᵀ → (8×5) ✓")``.
    """

    key: str
    direction: str
    title: str
    formulas: tuple[str, ...]
    matrices: tuple[Matrix, ...]
    checks: tuple[tuple[str, str, str], ...]


def _symbols(sizes: tuple[int, ...]) -> list[str]:
    """Symbols of the layer widths: D, then H (or H₁, H₂, … if the hidden widths differ), then C."""
    hidden = sizes[1:-1]
    same = len(set(hidden)) <= 1
    return ["D"] + [("H" if same else f"H{_sub(k)}") for k in range(1, len(sizes) - 1)] + ["C"]


# LaTeX of σ and σ' for each activation.
ACTIVATION_TEX: dict[str, tuple[str, str]] = {
    "relu": (r"\sigma(z) = \max(0, z)", r"\sigma'(z) = [z > 0] \quad (0 \text{ at } z = 0)"),
    "tanh": (r"\sigma(z) = \tanh z", r"\sigma'(z) = 1 - \tanh^2 z"),
    "sigmoid": (r"\sigma(z) = \frac{1}{1 + e^{-z}}", r"\sigma'(z) = \sigma(z)\,\bigl(1 - \sigma(z)\bigr)"),
    "leaky_relu": (
        r"\sigma(z) = \max(0.01 z, z)",
        r"\sigma'(z) = 1 \text{ for } z > 0, \; 0.01 \text{ otherwise}",
    ),
}

# LaTeX templates of the stages; ⟨l⟩, ⟨l-1⟩ and ⟨l+1⟩ are filled with layer numbers by _tex.
_TEX_Z = r"z_{⟨l⟩} = ⟨a⟩\,W_{⟨l⟩} + b_{⟨l⟩}"
_TEX_A = r"a_{⟨l⟩} = \sigma(z_{⟨l⟩})"
_TEX_SOFTMAX = r"S(z_{⟨l⟩})_{ic} = \frac{e^{z_{ic}}}{\sum_{j=1}^{C} e^{z_{ij}}}"
_TEX_LOSS = r"L = -\frac{1}{B} \sum_{i=1}^{B} \log S(z_{⟨l⟩})_{i,\,y_i}"
_TEX_OUTPUT = r"\delta^{⟨l⟩} = \frac{\partial L}{\partial z_{⟨l⟩}} = \frac{1}{B}\,\bigl(S(z_{⟨l⟩}) - Y\bigr)"
_TEX_DELTA = r"\delta^{⟨l⟩} = \bigl(\delta^{⟨l+1⟩} W_{⟨l+1⟩}^\top\bigr) \odot \sigma'(z_{⟨l⟩})"
_TEX_GRAD_W = r"\nabla_{W_{⟨l⟩}} L = \sigma(z_{⟨l-1⟩})^\top \delta^{⟨l⟩} = a_{⟨l-1⟩}^\top \delta^{⟨l⟩}"
_TEX_GRAD_W1 = r"\nabla_{W_1} L = X^\top \delta^{1} \quad (\sigma(z_0) = X)"
_TEX_GRAD_B = r"\nabla_{b_{⟨l⟩}} L = \mathbf{1}^\top \delta^{⟨l⟩} = \sum_{i=1}^{B} \delta^{⟨l⟩}_{i}"


def _tex(template: str, k: int) -> str:
    """Fill a LaTeX template's layer numbers for layer ``k`` (a_0 is written X)."""
    a = "X" if k == 1 else f"a_{{{k - 1}}}"
    return (
        template.replace("⟨a⟩", a)
        .replace("⟨l-1⟩", str(k - 1))
        .replace("⟨l+1⟩", str(k + 1))
        .replace("⟨l⟩", str(k))
    )


def _row(vector: np.ndarray) -> np.ndarray:
    return vector.reshape(1, -1)


def backprop_stages(net: MLP, X, target) -> list[Stage]:
    """Every forward and backward step of seed 001's network for one batch and cross-entropy loss.

    Runs ``net.loss_and_grads(X, target)`` (cross-entropy, batch mean; this replaces the net's forward
    and backward cache) and returns, in order: L forward stages (z_l = a_{l−1} W_l + b_l, a_l = σ(z_l);
    the last gives the logits, S(z_L) and the loss), then 2L backward stages: δ^L = (S(z_L) − Y)/B,
    ∇W_L and ∇b_L, δ^{L−1}, ∇W_{L−1} and ∇b_{L−1}, …, δ¹, and ∇W₁ = Xᵀδ¹ with ∇b₁.  Each holds its LaTeX
    formulas, the matrices with their shapes in symbols (B, D, H, C) and the dimension check of each
    product, computed from the real shapes.

    Parameters
    ----------
    net : MLP
    X : array_like ``(B, n_0)``
    target : integer class indices ``(B,)``

    Returns
    -------
    list of Stage, 3L of them.

    Examples
    --------
    >>> stages = backprop_stages(MLP([2, 5, 5, 5, 3]), np.ones((8, 2)), np.arange(8) % 3)
    >>> len(stages), stages[5].title
    (12, 'Backward: ∇W₄ and ∇b₄')
    >>> stages[5].checks[0]
    ('a₃ᵀ δ⁴', '(B×H)ᵀ·(B×C) → (H×C) ✓', '(8×5)ᵀ·(8×3) → (5×3) ✓')
    """
    if not isinstance(net, MLP):
        raise ValueError(f"net must be an MLP; got {type(net).__name__}")
    x = net.check_input(X)
    t = np.asarray(target)
    if not np.issubdtype(t.dtype, np.integer):
        raise ValueError(
            f"target must be integer class indices of shape ({x.shape[0]},); got dtype {t.dtype}"
        )
    value, grads = net.loss_and_grads(x, t)
    n_layers, act, params, sizes = net.n_layers, net.activation, net.params, net.layer_sizes
    zs, acts, deltas = net.zs, net.activations, net.deltas
    n_batch = x.shape[0]
    sym = _symbols(sizes)
    sigma_tex, dsigma_tex = ACTIVATION_TEX[act]

    # Names, symbolic shapes and numeric shapes of the quantities of layer k.
    def a_name(k: int) -> str:
        return "X" if k == 0 else f"a{_sub(k)}"

    def act_shape(k: int) -> tuple[str, str]:
        return ("B", sym[k])

    def act_nums(k: int) -> tuple[int, int]:
        return (n_batch, sizes[k])

    def a_matrix(k: int) -> Matrix:
        return Matrix(a_name(k), acts[k], act_shape(k))

    def w_matrix(k: int) -> Matrix:
        return Matrix(f"W{_sub(k)}", params[f"W{k}"], (sym[k - 1], sym[k]))

    def delta_matrix(k: int) -> Matrix:
        return Matrix(f"δ{_sup(k)}", deltas[k], act_shape(k))

    def forward_checks(k: int) -> tuple[tuple[str, str, str], ...]:
        return (
            (
                f"{a_name(k - 1)} W{_sub(k)}",
                matmul_check(act_shape(k - 1), (sym[k - 1], sym[k])),
                matmul_check(act_nums(k - 1), sizes[k - 1 : k + 1]),
            ),
            (
                f"{a_name(k - 1)} W{_sub(k)} + b{_sub(k)}",
                bias_add_check(act_shape(k), (sym[k],)),
                bias_add_check(act_nums(k), (sizes[k],)),
            ),
        )

    stages: list[Stage] = []
    for k in range(1, n_layers):
        stages.append(
            Stage(
                f"forward-{k}",
                "Forward",
                f"Forward: layer {k}",
                (_tex(_TEX_Z, k), _tex(_TEX_A, k) + r", \qquad " + sigma_tex),
                (a_matrix(k - 1), w_matrix(k), Matrix(f"z{_sub(k)}", zs[k], act_shape(k)), a_matrix(k)),
                forward_checks(k),
            )
        )
    k = n_layers
    probs = _softmax(zs[k])
    probs_matrix = Matrix(f"S(z{_sub(k)})", probs, act_shape(k))
    stages.append(
        Stage(
            f"forward-{k}",
            "Forward",
            f"Forward: layer {k}, the logits and the loss",
            (
                _tex(_TEX_Z, k) + r" \quad \text{(linear: the logits)}",
                _tex(_TEX_SOFTMAX, k),
                _tex(_TEX_LOSS, k) + f" = {value:.6f}",
            ),
            (a_matrix(k - 1), w_matrix(k), Matrix(f"z{_sub(k)}", zs[k], act_shape(k)), probs_matrix),
            forward_checks(k),
        )
    )
    y = one_hot(t, sizes[-1]).astype(net.dtype, copy=False)
    stages.append(
        Stage(
            "output",
            "Backward",
            f"Backward: δ{_sup(k)} = ∂L/∂z{_sub(k)}, where the 1/B enters",
            (_tex(_TEX_OUTPUT, k) + rf", \qquad B = {n_batch}",),
            (probs_matrix, Matrix("Y (one-hot)", y, act_shape(k)), delta_matrix(k)),
            (
                (
                    f"S(z{_sub(k)}) − Y",
                    hadamard_check(act_shape(k), act_shape(k), op="−"),
                    hadamard_check(act_nums(k), act_nums(k), op="−"),
                ),
            ),
        )
    )
    for k in range(n_layers, 0, -1):
        if k < n_layers:
            product = np.matmul(deltas[k + 1], params[f"W{k + 1}"].T)
            stages.append(
                Stage(
                    f"delta-{k}",
                    "Backward",
                    f"Backward: δ{_sup(k)} from δ{_sup(k + 1)}",
                    (_tex(_TEX_DELTA, k), dsigma_tex),
                    (
                        delta_matrix(k + 1),
                        w_matrix(k + 1),
                        Matrix(f"δ{_sup(k + 1)} W{_sub(k + 1)}ᵀ", product, act_shape(k)),
                        Matrix(f"σ′(z{_sub(k)})", _derivative(zs[k], acts[k], act), act_shape(k)),
                        delta_matrix(k),
                    ),
                    (
                        (
                            f"δ{_sup(k + 1)} W{_sub(k + 1)}ᵀ",
                            matmul_check(act_shape(k + 1), (sym[k], sym[k + 1]), transpose_right=True),
                            matmul_check(act_nums(k + 1), sizes[k : k + 2], transpose_right=True),
                        ),
                        (
                            f"(δ{_sup(k + 1)} W{_sub(k + 1)}ᵀ) ⊙ σ′(z{_sub(k)})",
                            hadamard_check(act_shape(k), act_shape(k)),
                            hadamard_check(act_nums(k), act_nums(k)),
                        ),
                    ),
                )
            )
        stages.append(
            Stage(
                f"grad-{k}",
                "Backward",
                f"Backward: ∇W{_sub(k)} and ∇b{_sub(k)}",
                (_TEX_GRAD_W1 if k == 1 else _tex(_TEX_GRAD_W, k), _tex(_TEX_GRAD_B, k)),
                (
                    a_matrix(k - 1),
                    delta_matrix(k),
                    Matrix(f"∇W{_sub(k)}", grads[f"W{k}"], (sym[k - 1], sym[k])),
                    Matrix(f"∇b{_sub(k)}", _row(grads[f"b{k}"]), ("1", sym[k])),
                ),
                (
                    (
                        f"{a_name(k - 1)}ᵀ δ{_sup(k)}",
                        matmul_check(act_shape(k - 1), act_shape(k), transpose_left=True),
                        matmul_check(act_nums(k - 1), act_nums(k), transpose_left=True),
                    ),
                    (f"1ᵀ δ{_sup(k)}", row_sum_check(act_shape(k)), row_sum_check(act_nums(k))),
                ),
            )
        )
    return stages
