"""Jacobians and vectorized gradients: the softmax chain rule of the softmax-gradient notes, and the
identities and the 1-layer network of the CS224n notes.

Three pieces, each checked against finite differences (:mod:`core.gradcheck`):

- :func:`softmax_cross_entropy_chain`: ∂L/∂z for L = -log s_t, s = softmax(z), computed the long way as the
  sparse ∂L/∂s times the softmax Jacobian (the softmax-gradient notes), next to the shortcut s - y;
  :func:`chain_rule_cost` counts what the long way costs.
- :func:`identity_case` / :func:`identity_check`: the identities (1)-(7) of the CS224n notes
  ("Computing Neural Network Gradients"), each on small random matrices, analytic against numerical.
- :func:`one_layer_network`: the CS224n notes' 1-layer ReLU network with cross-entropy, forward values and
  every gradient, in the column convention of the CS224n notes or the row convention of the four-layer notes.

Vectors in the identities are 1-D arrays and a Jacobian ∂z/∂x is ``(len(z), len(x))``; for a scalar J and a
matrix W the "Jacobian" is arranged in W's shape (the CS224n notes' shape convention).  Everything here is
float64 except :func:`one_layer_network`, which keeps the caller's float dtype.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from core._validation import as_float_array, check_class_indices, check_int, check_logits_2d, compute_dtype
from core.functional import sigmoid, softmax, softmax_jacobian
from core.gradcheck import gradcheck, numerical_jacobian
from core.losses import cross_entropy, cross_entropy_grad, one_hot

__all__ = [
    "IDENTITIES",
    "ELEMENTWISE",
    "ChainRuleCost",
    "IdentityCase",
    "IdentityCheck",
    "SoftmaxChain",
    "chain_rule_cost",
    "identity_case",
    "identity_check",
    "one_layer_example",
    "one_layer_gradcheck",
    "one_layer_network",
    "softmax_cross_entropy_chain",
    "to_row_convention",
]

# Section 3 of the CS224n notes on computing neural-network gradients, in its order: number -> what is
# differentiated, with respect to what.
IDENTITIES: dict[int, str] = {
    1: "Matrix times column vector, with respect to the column vector: z = Wx, ∂z/∂x = W",
    2: "Row vector times matrix, with respect to the row vector: z = xW, ∂z/∂x = Wᵀ",
    3: "A vector with itself: z = x, ∂z/∂x = I",
    4: "An elementwise function applied to a vector: z = f(x), ∂z/∂x = diag(f′(x))",
    5: "Matrix times column vector, with respect to the matrix: z = Wx, δ = ∂J/∂z, ∂J/∂W = δᵀxᵀ",
    6: "Row vector times matrix, with respect to the matrix: z = xW, δ = ∂J/∂z, ∂J/∂W = xᵀδ",
    7: "Cross-entropy loss with respect to the logits: ŷ = softmax(θ), J = CE(y, ŷ), ∂J/∂θ = ŷ − y",
}

# The elementwise functions of identity (4): name -> (f, f').
ELEMENTWISE: dict[str, tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]] = {
    "sigmoid": (sigmoid, lambda x: sigmoid(x) * (1 - sigmoid(x))),
    "tanh": (np.tanh, lambda x: 1 - np.tanh(x) ** 2),
    "relu": (lambda x: np.maximum(x, 0.0), lambda x: (x > 0).astype(np.float64)),
}

MAX_SIZE = 64  # largest n, m, Dx, Dh, Nc accepted by the random examples (they are for display)
_KINK_MARGIN = 0.1  # identity (4) with ReLU: points at least this far from the kink at 0

CONVENTIONS = ("column", "row")
GRADIENT_NAMES = ("U", "b2", "W", "b1", "x")  # the CS224n notes' order


# ------------------------------------------------------------------------------------------ validation
def _class_index(y, n_classes: int, name: str = "y") -> int:
    arr = np.asarray(y)
    if arr.ndim != 0 or isinstance(y, bool) or not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(f"{name} must be one integer class index in [0, {n_classes}); got {y!r}")
    return int(check_class_indices(arr, np.empty((n_classes,)), name=name))


# ---------------------------------------------------------------- softmax chain (the softmax-gradient notes)
class SoftmaxChain(NamedTuple):
    """Every quantity of ∂L/∂z = (∂s/∂z)ᵀ ∂L/∂s for L = -log s_t, s = softmax(z) (all float64, C classes)."""

    probs: np.ndarray  # s (C,)
    target: np.ndarray  # y, one-hot (C,)
    loss: float  # L = -log s_t, nats
    jacobian: np.ndarray  # J_ik = ∂s_i/∂z_k = s_i(δ_ik - s_k), (C, C)
    dloss_dprobs: np.ndarray  # ∂L/∂s = -y / s: only entry t non-zero, -1/s_t, (C,)
    terms: np.ndarray  # terms[i, k] = (∂L/∂s_i) J_ik; column k sums to ∂L/∂z_k, (C, C)
    chain: np.ndarray  # Jᵀ ∂L/∂s, (C,)
    grad: np.ndarray  # s - y from core.cross_entropy_grad, (C,)
    numerical_jacobian: np.ndarray  # central differences of core.softmax, (C, C)
    chain_numerical: np.ndarray  # (numerical J)ᵀ ∂L/∂s, (C,)
    jacobian_max_abs_diff: float  # max |J - numerical J|
    chain_max_abs_diff: float  # max |Jᵀ ∂L/∂s - (s - y)|
    numerical_max_abs_diff: float  # max |(numerical J)ᵀ ∂L/∂s - (s - y)|


def softmax_cross_entropy_chain(logits, target, eps: float = 1e-6) -> SoftmaxChain:
    """∂L/∂z for softmax cross-entropy the long way, through the softmax Jacobian (softmax-gradient notes).

    .. math::
        \\frac{\\partial L}{\\partial z_k} = \\sum_i \\frac{\\partial L}{\\partial s_i}
        \\frac{\\partial s_i}{\\partial z_k}
        = -\\frac{1}{s_t}\\, s_t(\\delta_{tk} - s_k) = s_k - \\delta_{tk}

    ∂L/∂s = -y/s has one non-zero entry (-1/s_t at the true class t), so of the C² terms only the C
    of row t survive, and the product collapses to s - y.  The result is compared with
    :func:`core.cross_entropy_grad` (the shortcut) and with the same product built from the numerical
    Jacobian of :func:`core.softmax` (:func:`core.numerical_jacobian`).

    Parameters
    ----------
    logits : array_like ``(C,)``
        One example's logits, finite, C >= 1.
    target : int
        The true class t in [0, C).
    eps : float > 0, default 1e-6
        Step of the central differences.

    Returns
    -------
    SoftmaxChain
        float64 arrays and floats; see its fields.

    Raises
    ------
    ValueError
        For logits that are not a finite 1-D array, a target outside [0, C), or logits so spread
        that s_t underflows to 0 (then ∂L/∂s_t = -1/s_t is infinite).

    Examples
    --------
    >>> chain = softmax_cross_entropy_chain([3.5, 0.8, 0.2, -0.5], 0)  # the explainer article's default
    >>> chain.chain.round(3)
    array([-0.109,  0.06 ,  0.033,  0.016])
    >>> bool(chain.numerical_max_abs_diff < 1e-8)
    True
    """
    z = check_logits_2d(logits, "logits")
    if z.ndim != 1:
        raise ValueError(f"logits must be one example's logits of shape (C,); got shape {z.shape}")
    z = z.astype(np.float64)
    n_classes = z.shape[0]
    t = _class_index(target, n_classes, "target")
    s = softmax(z)
    if s[t] == 0:
        raise ValueError(
            f"the true class's probability s_{t} underflows to 0 for these logits (max - z_t = "
            f"{z.max() - z[t]:.4g}), so ∂L/∂s_t = -1/s_t is infinite; use logits closer together"
        )
    y = one_hot(t, n_classes)
    jac = softmax_jacobian(z)
    dl_ds = np.zeros(n_classes)
    dl_ds[t] = -1.0 / s[t]
    terms = dl_ds[:, None] * jac
    chain = terms.sum(axis=0)
    grad = np.asarray(cross_entropy_grad(z, t), dtype=np.float64)
    num_jac = numerical_jacobian(softmax, z, eps)
    chain_num = num_jac.T @ dl_ds
    return SoftmaxChain(
        probs=s,
        target=y,
        loss=float(cross_entropy(z, t)),
        jacobian=jac,
        dloss_dprobs=dl_ds,
        terms=terms,
        chain=chain,
        grad=grad,
        numerical_jacobian=num_jac,
        chain_numerical=chain_num,
        jacobian_max_abs_diff=float(np.abs(jac - num_jac).max()),
        chain_max_abs_diff=float(np.abs(chain - grad).max()),
        numerical_max_abs_diff=float(np.abs(chain_num - grad).max()),
    )


class ChainRuleCost(NamedTuple):
    """What ∂L/∂z costs for C classes: through the full Jacobian, or as the shortcut s - y."""

    classes: int
    jacobian_entries: int  # C² numbers to build and store
    jacobian_bytes: int  # at 8 bytes (float64) each
    product_multiply_adds: int  # row vector (1 x C) times matrix (C x C): C² multiply-adds
    shortcut_operations: int  # s - y: one subtraction per class, C
    ratio: float  # multiply-adds of the long way per operation of the shortcut (= C)


def chain_rule_cost(classes: int) -> ChainRuleCost:
    """Operation and memory counts of ∂L/∂z through the softmax Jacobian against the shortcut s - y.

    The long way builds the C x C Jacobian (C² entries, 8C² bytes in float64) and multiplies the row
    vector ∂L/∂s by it (C² multiply-adds): O(C²).  Because ∂L/∂s is one-hot-sparse the product collapses
    to s - y: C subtractions, O(C) (the softmax s itself is needed either way).

    Parameters
    ----------
    classes : int
        C >= 1.

    Returns
    -------
    ChainRuleCost

    Examples
    --------
    >>> cost = chain_rule_cost(50_000)
    >>> cost.jacobian_entries, cost.jacobian_bytes / 1e9, cost.shortcut_operations
    (2500000000, 20.0, 50000)
    """
    c = check_int(classes, "classes", low=1)
    return ChainRuleCost(
        classes=c,
        jacobian_entries=c * c,
        jacobian_bytes=8 * c * c,
        product_multiply_adds=c * c,
        shortcut_operations=c,
        ratio=float(c),
    )


# -------------------------------------------------------------------------- identities (the CS224n notes)
class IdentityCase(NamedTuple):
    """One CS224n identity on random inputs: its analytic Jacobian and the function it differentiates.

    ``numerical_jacobian(function, point)`` has the shape of ``analytic``.
    """

    number: int
    title: str  # IDENTITIES[number]
    formula: str  # the analytic result, e.g. "Wᵀ" or "δᵀxᵀ"
    analytic: np.ndarray
    function: Callable[[np.ndarray], np.ndarray]  # of the variable differentiated against
    point: np.ndarray  # where: the value of that variable
    variable: str  # its name: "x", "W" or "θ"
    inputs: dict[str, np.ndarray]  # every random input by name (W, x, δ, θ, y, ...)


class IdentityCheck(NamedTuple):
    """An identity's analytic Jacobian against central differences."""

    case: IdentityCase
    analytic: np.ndarray
    numerical: np.ndarray
    difference: np.ndarray  # analytic - numerical
    max_abs_diff: float


def identity_case(number: int, *, seed: int = 0, n: int = 3, m: int = 4, elementwise: str = "sigmoid"):
    """CS224n identity ``number`` (1-7) on random inputs drawn with ``np.random.default_rng(seed)``.

    =====  ====================================  ==========================  ===================
    no.    function (random inputs)              analytic result             shape
    =====  ====================================  ==========================  ===================
    (1)    z = Wx, W (n, m), x (m,)              ∂z/∂x = W                   (n, m)
    (2)    z = xW, x (n,) a row, W (n, m)        ∂z/∂x = Wᵀ                  (m, n)
    (3)    z = x, x (n,)                         ∂z/∂x = I                   (n, n)
    (4)    z = f(x) elementwise, x (n,)          ∂z/∂x = diag(f′(x))         (n, n)
    (5)    J = δ·z, z = Wx, W (n, m), δ (n,)     ∂J/∂W = δᵀxᵀ (outer δ, x)   (n, m), W's shape
    (6)    J = z·δ, z = xW, W (n, m), δ (m,)     ∂J/∂W = xᵀδ (outer x, δ)    (n, m), W's shape
    (7)    J = CE(y, softmax(θ)), θ (n,)         ∂J/∂θ = ŷ − y               (n,)
    =====  ====================================  ==========================  ===================

    In (5) and (6) the scalar J is built as δ·z with a fixed random δ, so that ∂J/∂z = δ exactly as the
    seed assumes; in (7) the true class is drawn at random from the n classes.  For (4) with ReLU the
    points are kept at least 0.1 from the kink at 0, where the derivative (and a finite difference)
    is undefined.  The identities treat δ and x as row or column vectors as the seed does; here they
    are 1-D arrays and the seed's δᵀxᵀ is the outer product of δ and x.

    Parameters
    ----------
    number : int
        1 to 7, the CS224n notes' numbering.
    seed : int >= 0, default 0
    n, m : int in [1, 64], default 3 and 4
        Sizes (``m`` is not used by (3), (4) and (7)).
    elementwise : {"sigmoid", "tanh", "relu"}, default "sigmoid"
        f of identity (4).

    Returns
    -------
    IdentityCase

    Examples
    --------
    >>> case = identity_case(2, seed=0, n=2, m=3)
    >>> case.formula, case.analytic.shape, bool((case.analytic == case.inputs["W"].T).all())
    ('Wᵀ', (3, 2), True)
    """
    number = check_int(number, "number", low=1, high=7)
    seed = check_int(seed, "seed", low=0)
    n = check_int(n, "n", low=1, high=MAX_SIZE)
    m = check_int(m, "m", low=1, high=MAX_SIZE)
    if elementwise not in ELEMENTWISE:
        raise ValueError(f"elementwise must be one of {tuple(ELEMENTWISE)}; got {elementwise!r}")
    rng = np.random.default_rng(seed)
    title = IDENTITIES[number]
    if number == 1:
        W, x = rng.standard_normal((n, m)), rng.standard_normal(m)
        return IdentityCase(number, title, "W", W.copy(), lambda v: W @ v, x, "x", {"W": W, "x": x})
    if number == 2:
        x, W = rng.standard_normal(n), rng.standard_normal((n, m))
        return IdentityCase(number, title, "Wᵀ", W.T.copy(), lambda v: v @ W, x, "x", {"x": x, "W": W})
    if number == 3:
        x = rng.standard_normal(n)
        # A copy, never v itself: numerical_jacobian perturbs its point in place after calling f.
        return IdentityCase(number, title, "I", np.eye(n), lambda v: np.array(v, copy=True), x, "x", {"x": x})
    if number == 4:
        x = rng.standard_normal(n)
        if elementwise == "relu":
            x = np.where(x >= 0, np.maximum(x, _KINK_MARGIN), np.minimum(x, -_KINK_MARGIN))
        f, f_prime = ELEMENTWISE[elementwise]
        return IdentityCase(
            number, title, "diag(f′(x))", np.diag(f_prime(x)), lambda v: np.asarray(f(v)), x, "x", {"x": x}
        )
    if number == 5:
        W, x, delta = rng.standard_normal((n, m)), rng.standard_normal(m), rng.standard_normal(n)
        return IdentityCase(
            number,
            title,
            "δᵀxᵀ",
            np.outer(delta, x),
            lambda v: delta @ (v @ x),
            W,
            "W",
            {"W": W, "x": x, "δ": delta},
        )
    if number == 6:
        x, W, delta = rng.standard_normal(n), rng.standard_normal((n, m)), rng.standard_normal(m)
        return IdentityCase(
            number,
            title,
            "xᵀδ",
            np.outer(x, delta),
            lambda v: (x @ v) @ delta,
            W,
            "W",
            {"x": x, "W": W, "δ": delta},
        )
    theta = rng.standard_normal(n)
    t = int(rng.integers(n))
    y = one_hot(t, n)
    return IdentityCase(
        number,
        title,
        "ŷ − y",
        softmax(theta) - y,
        lambda v: np.asarray(cross_entropy(v, t)),
        theta,
        "θ",
        {"θ": theta, "y": y, "ŷ": softmax(theta)},
    )


def identity_check(
    number: int, *, seed: int = 0, n: int = 3, m: int = 4, elementwise: str = "sigmoid", eps: float = 1e-6
) -> IdentityCheck:
    """Identity ``number`` of the CS224n notes: its analytic Jacobian against :func:`core.numerical_jacobian`.

    Parameters
    ----------
    number, seed, n, m, elementwise
        As :func:`identity_case`.
    eps : float > 0, default 1e-6
        Step of the central differences.

    Returns
    -------
    IdentityCheck
        The case, the analytic and numerical Jacobians (same shape), their difference and its max |.|;
        about 1e-10 for every identity.

    Examples
    --------
    >>> check = identity_check(5, seed=1, n=2, m=3)
    >>> check.numerical.shape, bool(check.max_abs_diff < 1e-8)
    ((2, 3), True)
    """
    case = identity_case(number, seed=seed, n=n, m=m, elementwise=elementwise)
    numerical = numerical_jacobian(case.function, case.point, eps)
    difference = case.analytic - numerical
    return IdentityCheck(case, case.analytic, numerical, difference, float(np.abs(difference).max()))


# ------------------------------------------------------------------------- 1-layer network (the CS224n notes)
def _network_inputs(x, W, b1, U, b2, convention: str):
    """Validate the arrays of :func:`one_layer_network`; return them in one float dtype and the sizes."""
    if convention not in CONVENTIONS:
        raise ValueError(
            "convention must be 'column' (the CS224n notes) or 'row' (the four-layer notes); "
            f"got {convention!r}"
        )
    col = convention == "column"
    arrays = {
        name: as_float_array(v, name) for name, v in (("x", x), ("W", W), ("b1", b1), ("U", U), ("b2", b2))
    }
    for name, arr in arrays.items():
        if arr.ndim != 2:
            raise ValueError(f"{name} must be a 2-D array ({convention} convention); got shape {arr.shape}")
    xa, Wa, Ua = arrays["x"], arrays["W"], arrays["U"]
    if (xa.shape[1] if col else xa.shape[0]) != 1 or xa.size == 0:
        want = "a column (Dx, 1)" if col else "a row (1, Dx)"
        raise ValueError(
            f"x must be {want} with Dx >= 1 in the {convention} convention; got shape {xa.shape}"
        )
    dx = xa.size
    if (Wa.shape[1] if col else Wa.shape[0]) != dx or Wa.size == 0:
        want = f"(Dh, {dx})" if col else f"({dx}, Dh)"
        raise ValueError(
            f"W must have shape {want} with Dh >= 1 to match x of shape {xa.shape}; got {Wa.shape}"
        )
    dh = Wa.shape[0] if col else Wa.shape[1]
    if (Ua.shape[1] if col else Ua.shape[0]) != dh or Ua.size == 0:
        want = f"(Nc, {dh})" if col else f"({dh}, Nc)"
        raise ValueError(
            f"U must have shape {want} with Nc >= 1 to match W of shape {Wa.shape}; got {Ua.shape}"
        )
    nc = Ua.shape[0] if col else Ua.shape[1]
    for name, size in (("b1", dh), ("b2", nc)):
        want = (size, 1) if col else (1, size)
        if arrays[name].shape != want:
            raise ValueError(
                f"{name} must have shape {want} in the {convention} convention; got {arrays[name].shape}"
            )
    dtype = np.result_type(*arrays.values())
    work = compute_dtype(dtype)
    return {k: v.astype(work, copy=False) for k, v in arrays.items()}, dtype, nc


def one_layer_network(x, y, W, b1, U, b2, *, convention: str = "column") -> dict[str, np.ndarray]:
    """The CS224n notes' 1-layer network: forward values and every gradient of the cross-entropy loss.

    Column convention (the CS224n notes, the default), with a ReLU hidden layer as in the notes::

        z = W x + b1,  h = ReLU(z),  θ = U h + b2,  ŷ = softmax(θ),  J = CE(y, ŷ) = -log ŷ_y

        δ1 = ∂J/∂θ = (ŷ - y)ᵀ                    (1, Nc)   identity (7)
        δ2 = ∂J/∂z = δ1 U ∘ sgn(h)               (1, Dh)   identities (1), (4); ReLU′(z) = sgn(h)
        ∂J/∂U = δ1ᵀ hᵀ,  ∂J/∂b2 = δ1ᵀ,  ∂J/∂W = δ2ᵀ xᵀ,  ∂J/∂b1 = δ2ᵀ,  ∂J/∂x = (δ2 W)ᵀ

    Row convention (the four-layer notes, ``convention="row"``): every array is the transpose, z = x W + b1,
    θ = h U + b2, and the same chain rule reads δ2 = (δ1 Uᵀ) ∘ sgn(h), ∂J/∂U = hᵀ δ1, ∂J/∂b2 = δ1,
    ∂J/∂W = xᵀ δ2, ∂J/∂b1 = δ2, ∂J/∂x = δ2 Wᵀ.  It is computed with these formulas, not by transposing
    the column result, so comparing the two conventions is a real check.

    Every gradient has the shape of what it differentiates (the "shape convention" of the CS224n notes), so
    ``W - lr * grads["W"]`` is a gradient-descent step.  ReLU′(0) is taken as 0, as in the seed.

    Parameters
    ----------
    x : array_like ``(Dx, 1)`` (row convention: ``(1, Dx)``)
    y : int
        The true class, in [0, Nc).
    W : array_like ``(Dh, Dx)`` (row: ``(Dx, Dh)``)
    b1 : array_like ``(Dh, 1)`` (row: ``(1, Dh)``)
    U : array_like ``(Nc, Dh)`` (row: ``(Dh, Nc)``)
    b2 : array_like ``(Nc, 1)`` (row: ``(1, Nc)``)
    convention : {"column", "row"}, default "column"

    Returns
    -------
    dict
        Forward values ``"z"``, ``"h"`` (Dh x 1 or 1 x Dh), ``"theta"``, ``"y_hat"`` (Nc x 1 or 1 x Nc),
        ``"J"`` (a scalar, nats); the error signals ``"delta1"`` (1, Nc) and ``"delta2"`` (1, Dh) (row vectors
        in both conventions, as in the seeds); the gradients ``"U"``, ``"b2"``, ``"W"``, ``"b1"``, ``"x"``
        in the shapes of U, b2, W, b1, x.  All in the inputs' common float dtype (float64 for ints).

    Raises
    ------
    ValueError
        For non-finite or non-numeric arrays, shapes that do not chain, or a class index outside [0, Nc).

    Examples
    --------
    >>> out = one_layer_network([[1.0], [2.0]], 0, [[1.0, 0.0], [0.0, -1.0]], [[0.0], [0.0]],
    ...                         [[1.0, 1.0], [0.0, 0.0]], [[0.0], [0.0]])
    >>> out["h"].ravel().tolist(), out["W"].shape, out["x"].shape
    ([1.0, 0.0], (2, 2), (2, 1))
    >>> round(float(out["J"]), 4)  # θ = (1, 0): -log softmax(θ)_0
    0.3133
    """
    arrays, dtype, nc = _network_inputs(x, W, b1, U, b2, convention)
    return _one_layer(arrays, _class_index(y, nc), convention, dtype)


def _one_layer(arrays: dict, t: int, convention: str, dtype, *, grads: bool = True) -> dict:
    """:func:`one_layer_network` after validation (``grads=False``: the forward pass and J only)."""
    xa, Wa, b1a, Ua, b2a = (arrays[k] for k in ("x", "W", "b1", "U", "b2"))
    col = convention == "column"
    z = Wa @ xa + b1a if col else xa @ Wa + b1a
    h = np.maximum(z, 0)
    theta = Ua @ h + b2a if col else h @ Ua + b2a
    logits = theta[:, 0] if col else theta[0]
    out = {"z": z, "h": h, "theta": theta}
    if grads:
        delta1 = cross_entropy_grad(logits, t)[None, :]  # (ŷ - y)ᵀ, a row in both conventions
        if col:
            delta2 = (delta1 @ Ua) * (h > 0).T  # δ1 U ∘ sgn(h)ᵀ
            out.update(U=delta1.T @ h.T, b2=delta1.T, W=delta2.T @ xa.T, b1=delta2.T, x=(delta2 @ Wa).T)
        else:
            delta2 = (delta1 @ Ua.T) * (h > 0)  # (δ1 Uᵀ) ⊙ sgn(h)
            out.update(U=h.T @ delta1, b2=delta1, W=xa.T @ delta2, b1=delta2, x=delta2 @ Wa.T)
        out.update(y_hat=softmax(theta, axis=0 if col else -1), delta1=delta1, delta2=delta2)
    out = {k: v.astype(dtype, copy=False) for k, v in out.items()}
    out["J"] = dtype.type(cross_entropy(logits, t))
    return out


def one_layer_example(dx: int = 3, dh: int = 4, nc: int = 3, *, seed: int = 0) -> dict[str, np.ndarray | int]:
    """Random inputs for :func:`one_layer_network` in the column convention (float64).

    x ~ N(0, 1); W ~ N(0, 1/Dx); U ~ N(0, 1/Dh); b1, b2 ~ N(0, 0.1²); y uniform over the Nc classes.
    Each b1_j is then shifted, if needed, so that |z_j| >= 0.05: no pre-activation sits on ReLU's kink,
    where the gradient is undefined and a finite difference would straddle it.

    Parameters
    ----------
    dx, dh, nc : int in [1, 64], default 3, 4, 3
        Input size Dx, hidden size Dh, number of classes Nc.
    seed : int >= 0, default 0

    Returns
    -------
    dict
        ``"x"`` (Dx, 1), ``"y"`` (int), ``"W"`` (Dh, Dx), ``"b1"`` (Dh, 1), ``"U"`` (Nc, Dh),
        ``"b2"`` (Nc, 1).

    Examples
    --------
    >>> ex = one_layer_example(2, 5, 3, seed=7)
    >>> ex["W"].shape, ex["U"].shape, bool(np.abs(ex["W"] @ ex["x"] + ex["b1"]).min() >= 0.05)
    ((5, 2), (3, 5), True)
    """
    dx = check_int(dx, "dx", low=1, high=MAX_SIZE)
    dh = check_int(dh, "dh", low=1, high=MAX_SIZE)
    nc = check_int(nc, "nc", low=1, high=MAX_SIZE)
    seed = check_int(seed, "seed", low=0)
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((dx, 1))
    W = rng.standard_normal((dh, dx)) / np.sqrt(dx)
    b1 = 0.1 * rng.standard_normal((dh, 1))
    U = rng.standard_normal((nc, dh)) / np.sqrt(dh)
    b2 = 0.1 * rng.standard_normal((nc, 1))
    y = int(rng.integers(nc))
    margin = 0.05
    z = W @ x + b1
    b1 = b1 + np.where(np.abs(z) < margin, np.where(z >= 0, margin, -margin) - z, 0.0)
    return {"x": x, "y": y, "W": W, "b1": b1, "U": U, "b2": b2}


def to_row_convention(params: dict) -> dict:
    """The same network in the row convention: every array transposed, ``y`` unchanged.

    >>> row = to_row_convention(one_layer_example(2, 3, 4))
    >>> row["x"].shape, row["W"].shape, row["b2"].shape
    ((1, 2), (2, 3), (1, 4))
    """
    return {k: (v if k == "y" else np.asarray(v).T.copy()) for k, v in params.items()}


def one_layer_gradcheck(
    x, y, W, b1, U, b2, *, convention: str = "column", eps: float = 1e-6
) -> dict[str, float]:
    """Relative error of each gradient of :func:`one_layer_network` against central differences.

    Uses :func:`core.gradcheck` (max-norm relative error) on J as a function of one of U, b2, W, b1, x
    at a time, the others held fixed.  A correct gradient gives about 1e-9 or less, unless a
    pre-activation lies within ``eps`` of ReLU's kink (:func:`one_layer_example` avoids that).

    Parameters
    ----------
    x, y, W, b1, U, b2, convention
        As :func:`one_layer_network`.
    eps : float > 0, default 1e-6

    Returns
    -------
    dict
        ``{"U": err, "b2": err, "W": err, "b1": err, "x": err}``, in the CS224n notes' order.

    Examples
    --------
    >>> errors = one_layer_gradcheck(**one_layer_example(seed=3))
    >>> list(errors), max(errors.values()) < 1e-7
    (['U', 'b2', 'W', 'b1', 'x'], True)
    """
    arrays, _, nc = _network_inputs(x, W, b1, U, b2, convention)
    t = _class_index(y, nc)
    arrays = {k: v.astype(np.float64) for k, v in arrays.items()}

    def loss(name: str, value: np.ndarray) -> float:
        return float(
            _one_layer({**arrays, name: value}, t, convention, np.dtype(np.float64), grads=False)["J"]
        )

    def grad(name: str, value: np.ndarray) -> np.ndarray:
        return _one_layer({**arrays, name: value}, t, convention, np.dtype(np.float64))[name]

    return {
        name: gradcheck(lambda v, n=name: loss(n, v), lambda v, n=name: grad(n, v), arrays[name], eps)
        for name in GRADIENT_NAMES
    }
