"""Mini-batch gradients, as the notes on a four-layer network's gradients treat them: per-example
gradients, where the 1/B goes, and the noise.

The batch-mean loss L = (1/B) Σ_i ℓ_i has the batch-mean gradient ∇L = (1/B) Σ_i ∇ℓ_i: a mini-batch
gradient is the average of per-example gradients, an unbiased Monte-Carlo estimate of the full-data
gradient whose spread shrinks like σ/√B (σ the spread of a single example's gradient).  This module
computes each piece for :class:`core.MLP`, plus the small deterministic data set the gradient pages use.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from core._validation import check_int, check_scalar
from core.functional import _softmax
from core.losses import loss_and_grad, one_hot
from core.mlp import MLP, _check_batch, _check_layer_sizes, _check_loss, _check_net, demo_network

__all__ = [
    "gaussian_blobs",
    "blobs_and_network",
    "per_example_grads",
    "last_layer_gradient_routes",
    "minibatch_indices",
    "most_variable_entry",
    "GradientSpread",
    "minibatch_gradient_spread",
]


# ------------------------------------------------------------------------------------------- data
def gaussian_blobs(
    n_samples: int, n_features: int = 2, n_classes: int = 3, *, spread: float = 1.0, seed: int = 0
):
    """A small labelled data set: one Gaussian cloud per class, deterministic for a seed.

    Class c is centred at 2.5·(cos θ_c, sin θ_c) with θ_c = 2πc/C in its first two coordinates (one
    coordinate for ``n_features=1``) and at N(0, 1) draws in any further ones; every point is its
    centre plus ``spread`` times standard normal noise.  Labels are balanced (counts differ by at most
    one) and in random order.

    Parameters
    ----------
    n_samples : int >= 1
    n_features : int >= 1, default 2
    n_classes : int >= 1, default 3
    spread : float >= 0, default 1.0
        Standard deviation of each cloud.
    seed : int >= 0, default 0

    Returns
    -------
    X : ndarray ``(n_samples, n_features)``, float64
    y : ndarray ``(n_samples,)``, int64 class indices in ``[0, n_classes)``

    Examples
    --------
    >>> X, y = gaussian_blobs(6, 2, 3, seed=0)
    >>> X.shape, sorted(y.tolist())
    ((6, 2), [0, 0, 1, 1, 2, 2])
    """
    n_samples = check_int(n_samples, "n_samples", low=1)
    n_features = check_int(n_features, "n_features", low=1)
    n_classes = check_int(n_classes, "n_classes", low=1)
    spread = check_scalar(spread, "spread", low=0)
    seed = check_int(seed, "seed", low=0)
    rng = np.random.default_rng(seed)
    theta = 2 * np.pi * np.arange(n_classes) / n_classes
    centres = rng.normal(size=(n_classes, n_features))
    centres[:, 0] = 2.5 * np.cos(theta)
    if n_features > 1:
        centres[:, 1] = 2.5 * np.sin(theta)
    y = rng.permutation(np.arange(n_samples) % n_classes).astype(np.int64)
    X = centres[y] + spread * rng.normal(size=(n_samples, n_features))
    return X, y


def blobs_and_network(layer_sizes, n_samples: int, *, activation: str = "relu", seed: int = 0):
    """A gradient page's problem: :func:`gaussian_blobs` data and a :func:`core.mlp.demo_network` to read it.

    The data has ``layer_sizes[0]`` features and ``layer_sizes[-1]`` classes; data and network use the
    same ``seed``.

    Parameters
    ----------
    layer_sizes : sequence of int >= 1, at least 2 entries
    n_samples : int >= 1
    activation : str, default "relu"
    seed : int >= 0, default 0

    Returns
    -------
    X : ndarray ``(n_samples, layer_sizes[0])``, float64
    y : ndarray ``(n_samples,)``, int64 class indices in ``[0, layer_sizes[-1])``
    net : MLP

    Examples
    --------
    >>> X, y, net = blobs_and_network([2, 5, 3], 8, seed=0)
    >>> X.shape, y.shape, net.layer_sizes
    ((8, 2), (8,), (2, 5, 3))
    """
    sizes = _check_layer_sizes(layer_sizes)
    X, y = gaussian_blobs(n_samples, sizes[0], sizes[-1], seed=seed)
    return X, y, demo_network(sizes, activation=activation, seed=seed)


# -------------------------------------------------------------------------------- per-example gradients
def _per_example(net: MLP, x: np.ndarray, target, loss: str, loss_kwargs: dict):
    """(work net after forward/backward, per-example δ list, per-example grads dict) for a validated x."""
    work = net.copy()
    logits = work._forward(x)
    _, dlogits = loss_and_grad(loss, logits, target, reduction="mean", **loss_kwargs)
    dlogits = dlogits * x.shape[0]  # row i: ∂ℓ_i/∂z_i, without the 1/B
    work._backward(dlogits)
    acts, deltas = work._as, work._deltas
    grads = {}
    for k in range(1, work.n_layers + 1):
        grads[f"W{k}"] = np.einsum("bi,bj->bij", acts[k - 1], deltas[k - 1])
        grads[f"b{k}"] = deltas[k - 1].copy()
    return work, grads


def per_example_grads(
    net: MLP, X, target, *, loss: str = "cross_entropy", **loss_kwargs
) -> dict[str, np.ndarray]:
    """The gradient of each example's own loss, for every parameter.

    The batch-mean loss is L = (1/B) Σ_i ℓ_i; row i of the result is ∇ℓ_i, so the mean over the
    batch axis is exactly ``net.backward``'s gradient.  With δ̃^l_i = B δ^l_i (the δ of ℓ_i alone, no
    1/B): ∇W_l[i] = a_{l−1,i}ᵀ δ̃^l_i (an outer product) and ∇b_l[i] = δ̃^l_i.  For cross-entropy without
    class weights ℓ_i is the loss of example i on its own (−log p_{i,y_i}); with class weights the
    mean divides by Σ_i w_{y_i}, and ℓ_i = B w_{y_i} CE_i / Σ_j w_{y_j} keeps the mean exact.

    The net's forward/backward cache is not touched (a copy does the work).

    Parameters
    ----------
    net : MLP
    X : array_like ``(B, n_0)``
    target : as in :meth:`MLP.backward`
    loss : str, default "cross_entropy"
    **loss_kwargs
        The loss's options (``reduction`` is always "mean").

    Returns
    -------
    dict[str, ndarray]
        The params' keys; each ``(B,) + param.shape`` in the net's dtype.

    Examples
    --------
    >>> net = MLP([2, 3, 2], seed=0)
    >>> X, y = np.array([[1.0, 0.5], [-1.0, 2.0]]), np.array([0, 1])
    >>> g = per_example_grads(net, X, y)
    >>> g["W1"].shape, bool(np.allclose(g["W1"].mean(axis=0), net.loss_and_grads(X, y)[1]["W1"]))
    ((2, 2, 3), True)
    """
    _check_net(net)
    loss = _check_loss(loss, loss_kwargs)
    x = net.check_input(X)
    return _per_example(net, x, target, loss, loss_kwargs)[1]


def last_layer_gradient_routes(net: MLP, X, target) -> dict[str, dict[str, np.ndarray]]:
    """∇b_L and ∇W_L of the batch-mean cross-entropy computed three ways (as the four-layer notes
    derive them for a mini-batch).

    - ``"backward"``: :meth:`MLP.backward`, where δ^L = (S(z_L) − Y)/B already holds the 1/B, so
      ∇b_L = 1ᵀ δ^L and ∇W_L = a_{L−1}ᵀ δ^L are plain sums over the batch;
    - ``"seed"``: the seed's form, δ̃ = S(z_L) − Y per example (no 1/B), then ∇b_L = (1/B) 1ᵀ δ̃ and
      ∇W_L = (1/B) a_{L−1}ᵀ δ̃: the matrix product already sums over the batch, so only the 1/B is added;
    - ``"per_example"``: the mean over the batch of the per-example gradients (:func:`per_example_grads`).

    All three are the same numbers up to rounding.

    Parameters
    ----------
    net, X, target
        The network and one batch, as for :func:`core.mlp.backprop_trace`: ``X`` is ``(B, n_0)``, ``target``
        integer class indices ``(B,)``.

    Returns
    -------
    dict
        ``{"b": {"backward", "seed", "per_example"}, "W": {…}, "delta_tilde": {"seed": δ̃}}``.

    Examples
    --------
    >>> net = MLP([2, 4, 3], seed=0)
    >>> routes = last_layer_gradient_routes(net, [[1.0, 0.0], [0.0, 1.0]], [0, 2])
    >>> bool(np.allclose(routes["b"]["backward"], routes["b"]["seed"]))
    True
    """
    x, t = _check_batch(net, X, target)
    work, per_example = _per_example(net, x, t, "cross_entropy", {})
    n_layers, n_batch = work.n_layers, x.shape[0]
    _, grads = work.loss_and_grads(x, t)
    a_prev = work._as[n_layers - 1]
    delta_tilde = _softmax(work._zs[-1]) - one_hot(t, work.layer_sizes[-1]).astype(work.dtype, copy=False)
    b_key, w_key = f"b{n_layers}", f"W{n_layers}"
    return {
        "b": {
            "backward": grads[b_key],
            "seed": np.ones(n_batch, work.dtype) @ delta_tilde / n_batch,
            "per_example": per_example[b_key].mean(axis=0),
        },
        "W": {
            "backward": grads[w_key],
            "seed": a_prev.T @ delta_tilde / n_batch,
            "per_example": per_example[w_key].mean(axis=0),
        },
        "delta_tilde": {"seed": delta_tilde},
    }


def minibatch_indices(n_samples: int, batch_size: int, *, seed: int = 0, replace: bool = False) -> np.ndarray:
    """Row indices of one mini-batch drawn from a data set of ``n_samples`` rows.

    Parameters
    ----------
    n_samples : int >= 1
    batch_size : int >= 1 (at most ``n_samples`` without replacement)
    seed : int >= 0, default 0
    replace : bool, default False

    Returns
    -------
    ndarray ``(batch_size,)`` of int64, in the order drawn.

    Examples
    --------
    >>> idx = minibatch_indices(10, 4, seed=0)
    >>> idx.shape, len(set(idx.tolist()))
    ((4,), 4)
    """
    n_samples = check_int(n_samples, "n_samples", low=1)
    batch_size = check_int(batch_size, "batch_size", low=1)
    seed = check_int(seed, "seed", low=0)
    if not replace and batch_size > n_samples:
        raise ValueError(
            f"batch_size must be at most n_samples={n_samples} without replacement; got {batch_size}"
        )
    rng = np.random.default_rng(seed)
    return rng.choice(n_samples, size=batch_size, replace=bool(replace)).astype(np.int64)


def most_variable_entry(net: MLP, X, target, name: str, *, loss: str = "cross_entropy", **loss_kwargs):
    """The entry of parameter ``name`` whose per-example gradients spread most over the data set.

    Parameters
    ----------
    net : MLP
    X : array_like ``(N, n_0)``
    target : as in :meth:`MLP.backward`
    name : str
        A parameter key such as ``"b4"`` or ``"W2"``.
    loss : str, default "cross_entropy"

    Returns
    -------
    (index, sigma) : the entry's index tuple and the standard deviation of its per-example gradients.

    Examples
    --------
    >>> X, y = gaussian_blobs(50, seed=0)
    >>> index, sigma = most_variable_entry(MLP([2, 4, 3]), X, y, "b2")
    >>> len(index), sigma > 0
    (1, True)
    """
    _check_net(net)
    if name not in net.params:
        raise ValueError(f"name must be one of {list(net.params)}; got {name!r}")
    sigma = per_example_grads(net, X, target, loss=loss, **loss_kwargs)[name].std(axis=0)
    index = tuple(int(i) for i in np.unravel_index(int(np.argmax(sigma)), sigma.shape))
    return index, float(sigma[index])


# ------------------------------------------------------------------------------------------ the spread
class GradientSpread(NamedTuple):
    """How far mini-batch gradients of one parameter entry fall from the full-data gradient, by batch size.

    Attributes
    ----------
    name : str
        The parameter, e.g. ``"b4"``.
    index : tuple of int
        The entry of that parameter.
    batch_sizes : ndarray ``(K,)`` of int
    n_samples : int
        N, the size of the data set the batches are drawn from.
    n_draws : int
        Mini-batches drawn per batch size.
    replace : bool
        Whether the examples of a batch were drawn with replacement.
    full : float
        The entry's full-data gradient (the batch of all N examples).
    sigma : float
        The standard deviation of its N per-example gradients around ``full`` (ddof = 0): the spread of
        a batch of one.
    measured : ndarray ``(K,)``
        Root-mean-square distance of the drawn mini-batch gradients from ``full``.
    mean : ndarray ``(K,)``
        Average of the drawn mini-batch gradients (close to ``full``: the estimate is unbiased).
    expected : ndarray ``(K,)``
        σ/√B, the spread with replacement.
    expected_finite : ndarray ``(K,)``
        σ/√B · √((N − B)/(N − 1)), the spread without replacement (``expected`` when drawn with it).
    slope : float
        Least-squares slope of log(measured) against log(B): about −1/2 (steeper near B = N without
        replacement, where the spread falls to 0; B = N itself is left out); NaN with fewer than two
        points.
    backprop_difference : float
        max |mean of the per-example gradients − :meth:`MLP.loss_and_grads` on the batch| over the first
        batch drawn at each size: the check that a mini-batch gradient is the mean of per-example ones.
    """

    name: str
    index: tuple
    batch_sizes: np.ndarray
    n_samples: int
    n_draws: int
    replace: bool
    full: float
    sigma: float
    measured: np.ndarray
    mean: np.ndarray
    expected: np.ndarray
    expected_finite: np.ndarray
    slope: float
    backprop_difference: float


def _draw_batches(
    rng: np.random.Generator, n_samples: int, size: int, n_draws: int, replace: bool
) -> np.ndarray:
    """``(n_draws, size)`` row indices.

    With replacement: i.i.d. uniform rows.  Without: as SGD draws them, consecutive slices of shuffled
    epochs (each epoch a fresh permutation cut into N // B disjoint batches), so every batch is a
    uniformly random subset of B distinct rows.
    """
    if replace:
        return rng.integers(0, n_samples, size=(n_draws, size))
    per_epoch = n_samples // size
    n_epochs = -(-n_draws // per_epoch)
    epochs = rng.permuted(np.tile(np.arange(n_samples), (n_epochs, 1)), axis=1)[:, : per_epoch * size]
    return epochs.reshape(-1, size)[:n_draws]


def minibatch_gradient_spread(
    net: MLP,
    X,
    target,
    batch_sizes,
    *,
    name: str,
    index=None,
    n_draws: int = 200,
    replace: bool = False,
    seed: int = 0,
    loss: str = "cross_entropy",
    **loss_kwargs,
) -> GradientSpread:
    """Measure how the spread of one parameter's mini-batch gradient shrinks as the batch grows.

    The per-example gradients of all N examples come from one backward pass
    (:func:`per_example_grads`).  For each batch size B, ``n_draws`` mini-batches are drawn from the
    data set (without replacement within a batch, like a step of a shuffled epoch, or with replacement:
    i.i.d. draws, the notes' Monte-Carlo estimate) and each one's batch-mean gradient is the mean of its
    examples' gradients, which is exactly what backprop on that batch returns (checked on the first
    batch of every size: ``backprop_difference``).  Theory: σ/√B with replacement and
    σ/√B · √((N − B)/(N − 1)) without (the finite-population correction), σ the per-example spread.

    Parameters
    ----------
    net : MLP
        Not changed.
    X : array_like ``(N, n_0)``
    target : as in :meth:`MLP.backward`
    batch_sizes : sequence of int >= 1
        At most N without replacement.
    name : str
        The parameter, e.g. ``"b4"`` or ``"W2"``.
    index : tuple of int, optional
        Its entry; default the one whose per-example gradients spread most.
    n_draws : int >= 2, default 200
    replace : bool, default False
    seed : int >= 0, default 0
        Seed of the draws.
    loss : str, default "cross_entropy"
    **loss_kwargs
        The loss's options.

    Returns
    -------
    GradientSpread

    Examples
    --------
    >>> X, y = gaussian_blobs(256, seed=0)
    >>> spread = minibatch_gradient_spread(MLP([2, 4, 3]), X, y, [1, 4, 16, 64], name="b2", n_draws=400)
    >>> -0.65 < spread.slope < -0.45, spread.backprop_difference < 1e-15
    (True, True)
    """
    _check_net(net)
    loss = _check_loss(loss, loss_kwargs)
    x = net.check_input(X)
    n_samples = x.shape[0]
    if name not in net.params:
        raise ValueError(f"name must be one of {list(net.params)}; got {name!r}")
    sizes = np.asarray(batch_sizes)
    if sizes.ndim != 1 or sizes.size == 0 or not np.issubdtype(sizes.dtype, np.integer):
        raise ValueError(f"batch_sizes must be a non-empty 1-D sequence of integers; got {batch_sizes!r}")
    if not isinstance(replace, bool | np.bool_):
        raise ValueError(f"replace must be True or False; got {replace!r}")
    if (sizes < 1).any() or (not replace and (sizes > n_samples).any()):
        limit = "" if replace else f" and at most the {n_samples} examples (replace=False)"
        raise ValueError(f"batch_sizes must be at least 1{limit}; got {sizes.tolist()}")
    n_draws = check_int(n_draws, "n_draws", low=2)
    seed = check_int(seed, "seed", low=0)
    target_arr = np.asarray(target)

    per_example = _per_example(net, x, target_arr, loss, loss_kwargs)[1][name]
    shape = per_example.shape[1:]
    if index is None:
        sigmas = per_example.std(axis=0)
        index = np.unravel_index(int(np.argmax(sigmas)), shape)
    index = tuple(int(i) for i in np.atleast_1d(index))
    if len(index) != len(shape) or any(not 0 <= i < n for i, n in zip(index, shape, strict=True)):
        raise ValueError(f"index must address an entry of {name} of shape {shape}; got {index}")
    g = per_example[(slice(None),) + index].astype(np.float64)
    full = float(g.mean())
    sigma = float(g.std())

    rng = np.random.default_rng(seed)
    measured = np.empty(sizes.size)
    mean = np.empty(sizes.size)
    check = 0.0
    work = net.copy()
    for row, size in enumerate(sizes.tolist()):
        idx = _draw_batches(rng, n_samples, size, n_draws, bool(replace))
        estimates = g[idx].mean(axis=1)
        measured[row] = np.sqrt(np.mean((estimates - full) ** 2))
        mean[row] = estimates.mean()
        first = idx[0]
        _, grads = work.loss_and_grads(x[first], target_arr[first], loss=loss, **loss_kwargs)
        check = max(check, abs(float(grads[name][index]) - float(estimates[0])))

    expected = sigma / np.sqrt(sizes)
    if replace or n_samples == 1:
        finite = expected.copy()
    else:
        finite = expected * np.sqrt(np.clip((n_samples - sizes) / (n_samples - 1), 0, None))
    positive = (measured > 1e-9 * sigma) & (finite > 0)  # B = N without replacement: 0 up to rounding
    if positive.sum() >= 2:
        slope = float(np.polyfit(np.log(sizes[positive]), np.log(measured[positive]), 1)[0])
    else:
        slope = float("nan")
    return GradientSpread(
        name=name,
        index=index,
        batch_sizes=sizes.astype(np.int64),
        n_samples=n_samples,
        n_draws=n_draws,
        replace=bool(replace),
        full=full,
        sigma=sigma,
        measured=measured,
        mean=mean,
        expected=expected,
        expected_finite=finite,
        slope=slope,
        backprop_difference=check,
    )
