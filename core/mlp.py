"""A feed-forward network (multi-layer perceptron) with hand-written backpropagation.

Row-vector convention (as in the notes on a four-layer network's gradients, with shapes): a batch is a
matrix with one example per row, and layer l = 1 … N computes

.. math:: z_l = a_{l-1} W_l + b_l, \\qquad a_l = σ(z_l), \\qquad a_0 = X

with ``W_l`` of shape ``(n_{l-1}, n_l)`` and ``b_l`` of shape ``(n_l,)`` added to every row.  Hidden
layers apply the activation σ; the last layer is linear: ``z_N`` are the logits.  Backpropagation of
the batch-mean loss L = (1/B) Σ_i ℓ_i (N counts the layers, L is the loss):

.. math:: δ^N = \\frac{∂L}{∂z_N}, \\qquad δ^l = (δ^{l+1} W_{l+1}^T) ⊙ σ'(z_l), \\qquad
          ∇W_l = a_{l-1}^T δ^l, \\qquad ∇b_l = \\textstyle\\sum_i δ^l_i

The 1/B lives in δ^N (it comes from the loss's ``reduction="mean"``): for cross-entropy without weights
or smoothing δ^N = (S(z_N) − Y)/B, so every δ^l carries it and the sums over the batch in ∇W_l (inside
the matrix product) and ∇b_l are already batch means.

Besides :class:`MLP` the module holds what the Backpropagation page computes: :func:`mlp_gradcheck`
(every parameter against finite differences) and :func:`backprop_trace` (every intermediate of one
pass, which :mod:`words.backprop` turns into the page's stages).
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from core._validation import as_float_array, check_int, check_scalar
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
    "MLP_LOSSES",
    "MLP",
    "demo_network",
    "activation_function",
    "activation_derivative",
    "mlp_gradcheck",
    "BackpropTrace",
    "backprop_trace",
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

    Row-vector convention: ``z_l = a_{l-1} @ W_l + b_l``, ``a_l = σ(z_l)`` for the hidden
    layers, ``a_0 = X`` and ``z_N`` the logits, l = 1 … N with N = ``len(layer_sizes) - 1``.

    Parameters
    ----------
    layer_sizes : sequence of int >= 1
        ``[n_0, n_1, …, n_N]``: inputs D = n_0, hidden widths, classes C = n_N.  At least 2 entries.
    activation : {"relu", "tanh", "sigmoid", "leaky_relu"}, default "relu"
        σ of the hidden layers (leaky_relu has slope 0.01; relu'(0) = 0 like PyTorch).
    seed : int >= 0, default 0
        Seed of ``np.random.default_rng`` for the initial weights.
    dtype : np.float32 or np.float64, default np.float64
        Dtype of the parameters, the activations and the gradients.

    Attributes
    ----------
    params : dict[str, ndarray]
        ``"W1", "b1", …, "WN", "bN"`` in that order; ``W_l`` is ``(n_{l-1}, n_l)``, ``b_l`` is ``(n_l,)``.
        Initialised with He (normal, std √(2 / n_{l-1}), gain adjusted for leaky_relu) for relu and
        leaky_relu, Glorot/Xavier (uniform on ±√(6 / (n_{l-1} + n_l))) for tanh and sigmoid, drawn in
        float64 (so both dtypes start from the same numbers); biases 0.  Update them in place
        (``net.params["W1"] -= lr * grads["W1"]``) to keep their dtype.
    layer_sizes : tuple of int
    n_layers : int
        N, the number of weight layers.
    activation, seed, dtype
        As given.
    zs : dict[int, ndarray]
        After :meth:`forward`: ``zs[l]`` = z_l ``(B, n_l)`` for l = 1 … N (``zs[N]`` are the logits).
    activations : dict[int, ndarray]
        After :meth:`forward`: ``activations[l]`` = a_l ``(B, n_l)`` for l = 0 … N; ``activations[0]``
        is the input X (in the net's dtype) and ``activations[N]`` is z_N (the output layer is linear).
    deltas : dict[int, ndarray]
        After :meth:`backward`: ``deltas[l]`` = δ^l = ∂L/∂z_l ``(B, n_l)`` for l = 1 … N, batch-mean
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
        self.seed = check_int(seed, "seed", low=0)
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
        self._zs: list[np.ndarray] = []  # z_1 … z_N
        self._as: list[np.ndarray] = []  # a_0 … a_N
        self._deltas: list[np.ndarray] = []  # δ^1 … δ^N

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
        """``{l: z_l}`` for l = 1 … N from the last :meth:`forward` (read-only views)."""
        return self._readonly(self._zs, 1)

    @property
    def activations(self) -> dict[int, np.ndarray]:
        """``{l: a_l}`` for l = 0 … N from the last :meth:`forward` (a_0 = X; read-only views)."""
        return self._readonly(self._as, 0)

    @property
    def deltas(self) -> dict[int, np.ndarray]:
        """``{l: δ^l}`` for l = 1 … N from the last :meth:`backward` (read-only views)."""
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
        ndarray ``(B, C)``, the logits z_N in the net's dtype.
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

        δ^N = ∂L/∂z_N comes from ``core.loss_and_grad(loss, logits, target, reduction="mean", …)``
        (for cross-entropy without weights or smoothing: (S(z_N) − Y)/B); then for l = N … 1:
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
        """Backpropagate ∂L/∂z_N ``(B, C)`` (net's dtype) through the cached forward pass; no validation."""
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


def _check_net(net) -> MLP:
    if not isinstance(net, MLP):
        raise ValueError(f"net must be an MLP; got {type(net).__name__}")
    return net


def _check_batch(net, X, target) -> tuple[np.ndarray, np.ndarray]:
    """``X`` checked against ``net``'s input width, and ``target`` as integer class indices, one per row."""
    x = _check_net(net).check_input(X)
    t = np.asarray(target)
    if not np.issubdtype(t.dtype, np.integer):
        raise ValueError(
            f"target must be integer class indices of shape ({x.shape[0]},); got dtype {t.dtype}"
        )
    return x, t


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
    _check_net(net)
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
        """The loss in extended precision, running only layers ``first`` … N on the cached a_{first-1}."""
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


# ------------------------------------------------------------------------------------- one traced pass
class BackpropTrace(NamedTuple):
    """Every number of one forward and backward pass of the batch-mean cross-entropy, layer by layer.

    Layers are numbered l = 1 … N (N = ``len(layer_sizes) - 1``); :mod:`words.backprop` turns the trace
    into the Backpropagation page's stages.  Arrays are in the net's dtype and read-only where they are
    the net's own caches.

    Attributes
    ----------
    loss : float
        The batch-mean cross-entropy L.
    layer_sizes : tuple of int
        ``(n_0, …, n_N)``.
    activation : str
        σ of the hidden layers.
    zs : dict[int, ndarray]
        z_l ``(B, n_l)`` for l = 1 … N (z_N are the logits).
    activations : dict[int, ndarray]
        a_l ``(B, n_l)`` for l = 0 … N; a_0 = X.
    probs : ndarray ``(B, C)``
        S(z_N), the softmax of the logits.
    onehot : ndarray ``(B, C)``
        Y, the targets one-hot.
    deltas : dict[int, ndarray]
        δ^l = ∂L/∂z_l ``(B, n_l)`` for l = 1 … N; δ^N = (S(z_N) − Y)/B.
    back_products : dict[int, ndarray]
        δ^{l+1} W_{l+1}ᵀ ``(B, n_l)`` for l = 1 … N−1, before the ⊙ σ′(z_l).
    derivatives : dict[int, ndarray]
        σ′(z_l) ``(B, n_l)`` for l = 1 … N−1.
    params, grads : dict[str, ndarray]
        ``"W1", "b1", …``: the parameters and their gradients (W_l ``(n_{l−1}, n_l)``, b_l ``(n_l,)``).
    """

    loss: float
    layer_sizes: tuple[int, ...]
    activation: str
    zs: dict[int, np.ndarray]
    activations: dict[int, np.ndarray]
    probs: np.ndarray
    onehot: np.ndarray
    deltas: dict[int, np.ndarray]
    back_products: dict[int, np.ndarray]
    derivatives: dict[int, np.ndarray]
    params: dict[str, np.ndarray]
    grads: dict[str, np.ndarray]


def backprop_trace(net: MLP, X, target) -> BackpropTrace:
    """One forward and backward pass of the batch-mean cross-entropy, with every intermediate kept.

    Runs ``net.loss_and_grads(X, target)`` (this replaces the net's forward and backward cache) and
    adds the numbers a step-by-step view needs besides the caches: S(z_N), the one-hot Y, and for each
    hidden layer the product δ^{l+1} W_{l+1}ᵀ and σ′(z_l), whose element-wise product is δ^l.

    Parameters
    ----------
    net : MLP
    X : array_like ``(B, n_0)``
    target : integer class indices ``(B,)``

    Returns
    -------
    BackpropTrace

    Examples
    --------
    >>> trace = backprop_trace(MLP([2, 5, 5, 5, 3]), np.ones((8, 2)), np.arange(8) % 3)
    >>> trace.deltas[4].shape, trace.grads["W1"].shape, sorted(trace.back_products)
    ((8, 3), (2, 5), [1, 2, 3])
    """
    x, t = _check_batch(net, X, target)
    value, grads = net.loss_and_grads(x, t)
    n_layers, act, params = net.n_layers, net.activation, net.params
    zs, acts, deltas = net.zs, net.activations, net.deltas
    hidden = range(1, n_layers)
    return BackpropTrace(
        loss=value,
        layer_sizes=net.layer_sizes,
        activation=act,
        zs=zs,
        activations=acts,
        probs=_softmax(zs[n_layers]),
        onehot=one_hot(t, net.layer_sizes[-1]).astype(net.dtype, copy=False),
        deltas=deltas,
        back_products={k: np.matmul(deltas[k + 1], params[f"W{k + 1}"].T) for k in hidden},
        derivatives={k: _derivative(zs[k], acts[k], act) for k in hidden},
        params=params,
        grads=grads,
    )
