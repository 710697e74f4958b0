"""The probability simplex of three classes: every prediction q is a point of a triangle.

A prediction for C = 3 classes is a vector q = (q₀, q₁, q₂) with q_c >= 0 and q₀ + q₁ + q₂ = 1.  Those
are *barycentric coordinates*: q is the weighted average of the triangle's corners with weights q, so
corner c is the one-hot prediction "certainly class c" and the centre is the uniform guess (1/3, 1/3, 1/3).
Drawn as an equilateral triangle with side 1 (:data:`CORNERS`): class 0 at the top, class 1 bottom left,
class 2 bottom right.

What this module computes for the Probability simplex page:

- the map between barycentric and cartesian coordinates (:func:`to_cartesian`, :func:`to_barycentric`);
- grids over the triangle (:func:`simplex_grid` for filled contours, :func:`lattice_points` for arrows);
- the label-smoothed target y′ (:func:`smoothed_target`) and the cross-entropy to it over the whole
  triangle (:func:`cross_entropy_surface`);
- the loss of the logits z at temperature T and its exact gradient (:func:`cross_entropy_and_grad`),
  the path q takes under gradient descent in the logits (:func:`descent_path`) and the curve
  softmax(z/T) traces as T sweeps (:func:`temperature_path`).

Losses are in nats (convert with :func:`core.units.in_unit`).  Logits ``(C,)`` and targets ``(C,)``
work for any C >= 2; only the drawing (cartesian coordinates, grids) is specific to C = 3.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from core._validation import as_float_array, check_distribution, check_int, check_scalar
from core.comparison import smooth_labels
from core.functional import _softmax
from core.losses import one_hot

__all__ = [
    "CORNERS",
    "HEIGHT",
    "DescentPath",
    "LogitSweep",
    "PointReadout",
    "SimplexGrid",
    "TemperatureSweep",
    "corner_gradient_norms",
    "cross_entropy_and_grad",
    "cross_entropy_surface",
    "cross_entropy_to",
    "descent_path",
    "lattice_points",
    "logit_sweep",
    "logit_gradient",
    "max_stable_lr",
    "point_readout",
    "simplex_grid",
    "smoothed_target",
    "temperature_limit",
    "temperature_path",
    "temperature_sweep",
    "to_barycentric",
    "to_cartesian",
]

N_CLASSES = 3
HEIGHT = math.sqrt(3) / 2  # the height of the equilateral triangle with side 1
# Cartesian positions of the corners (one-hot predictions): class 0 top, class 1 bottom left, class 2 bottom
# right.  Row c is corner c, so a point q maps to q @ CORNERS.
CORNERS = np.array([[0.5, HEIGHT], [0.0, 0.0], [1.0, 0.0]])
CORNERS.setflags(write=False)
MAX_RESOLUTION = 2000  # a (2001 x 4001) grid: far finer than any screen


# ------------------------------------------------------------------------------------------ validation
def _check_points(q, name: str, *, last: int) -> np.ndarray:
    arr = as_float_array(q, name).astype(np.float64, copy=False)
    if arr.ndim == 0 or arr.shape[-1] != last:
        what = "barycentric coordinates (q₀, q₁, q₂)" if last == 3 else "cartesian points (x, y)"
        raise ValueError(
            f"{name} must hold {what} on its last axis, shape (..., {last}); got shape {arr.shape}"
        )
    return arr


def _check_logits(logits) -> np.ndarray:
    z = as_float_array(logits, "logits").astype(np.float64, copy=False)
    if z.ndim != 1 or z.size < 2:
        raise ValueError(f"logits must have shape (C,) with C >= 2 classes; got shape {z.shape}")
    return z


def _check_target(target, n_classes: int) -> np.ndarray:
    y = as_float_array(target, "target").astype(np.float64, copy=False)
    if y.shape != (n_classes,):
        raise ValueError(
            f"target must be a distribution of shape ({n_classes},), one probability per class; "
            f"got shape {y.shape}"
        )
    check_distribution(y, "target")
    return y


def _check_temperature(temperature) -> float:
    return check_scalar(temperature, "temperature", low=0, low_open=True)


def _check_temperatures(temperatures) -> np.ndarray:
    temps = as_float_array(temperatures, "temperatures").astype(np.float64, copy=False)
    if temps.ndim != 1 or temps.size == 0:
        raise ValueError(f"temperatures must be a non-empty 1-D array; got shape {temps.shape}")
    if (temps <= 0).any():
        bad = int(np.flatnonzero(temps <= 0)[0])
        raise ValueError(f"temperatures must all be > 0; got {temps[bad]:g} at position {bad}")
    return temps


def _check_resolution(resolution) -> int:
    return check_int(resolution, "resolution", low=1, high=MAX_RESOLUTION)


# ------------------------------------------------------------------------------------------- geometry
def to_cartesian(q) -> np.ndarray:
    """Cartesian coordinates of barycentric coordinates: the point q of the drawn triangle.

    .. math:: (x, y) = q_0 \\cdot (\\tfrac12, \\tfrac{\\sqrt3}{2}) + q_1 \\cdot (0, 0) + q_2 \\cdot (1, 0)
              = (q_2 + \\tfrac12 q_0,\\; \\tfrac{\\sqrt3}{2} q_0)

    The map is linear (``q @ CORNERS``), so it also maps a difference of two predictions (a vector
    whose entries add up to 0, such as a gradient p − y′) to the arrow between the two drawn points.

    Parameters
    ----------
    q : array_like ``(..., 3)``
        Barycentric coordinates (any finite values; a prediction has q_c >= 0 and sum 1).

    Returns
    -------
    ndarray ``(..., 2)``, float64
        (x, y).

    Examples
    --------
    >>> to_cartesian([[1, 0, 0], [1 / 3, 1 / 3, 1 / 3]]).round(4)
    array([[0.5   , 0.866 ],
           [0.5   , 0.2887]])
    """
    return _check_points(q, "q", last=3) @ CORNERS


def to_barycentric(xy) -> np.ndarray:
    """Barycentric coordinates of cartesian points: the inverse of :func:`to_cartesian` on the plane Σq = 1.

    .. math:: q_0 = \\frac{2y}{\\sqrt3}, \\quad q_2 = x - \\tfrac12 q_0, \\quad q_1 = 1 - q_0 - q_2

    A point outside the triangle gets a negative coordinate.

    Parameters
    ----------
    xy : array_like ``(..., 2)``

    Returns
    -------
    ndarray ``(..., 3)``, float64, summing to 1 on the last axis

    Examples
    --------
    >>> to_barycentric([0.5, 0.0]).round(4)  # the middle of the bottom edge
    array([0. , 0.5, 0.5])
    """
    arr = _check_points(xy, "xy", last=2)
    q0 = arr[..., 1] / HEIGHT
    q2 = arr[..., 0] - q0 / 2
    return np.stack([q0, 1 - q0 - q2, q2], axis=-1)


class SimplexGrid(NamedTuple):
    """A rectangular grid over the triangle's bounding box, each point with its barycentric coordinates.

    Rows are the lines q₀ = j/n (j = 0 … n, bottom to top); along a row x steps by 1/(2n), half a lattice
    step, so the triangle's slanted edges pass exactly through grid points.  Points outside the
    triangle have NaN coordinates.
    """

    x: np.ndarray  # (2n + 1,) from 0 to 1
    y: np.ndarray  # (n + 1,) from 0 to √3/2
    probs: np.ndarray  # (n + 1, 2n + 1, 3): barycentric coordinates q, NaN outside the triangle
    inside: np.ndarray  # (n + 1, 2n + 1) bool: the point lies in the triangle or on its edges


def simplex_grid(resolution: int) -> SimplexGrid:
    """A grid of barycentric coordinates covering the triangle, for filled contours.

    Row j (y = j·√3/(2n)) and column m (x = m/(2n)) hold

    .. math:: q_0 = \\frac{j}{n}, \\quad q_2 = \\frac{m - j}{2n}, \\quad q_1 = \\frac{2n - m - j}{2n},

    computed from the integers, so the edges' zeros are exact.  The point is inside when
    j <= m <= 2n − j.  The points with m − j even form the barycentric lattice q = (i, k, l)/n of
    :func:`lattice_points`; the others lie halfway between two lattice neighbours in the same row.

    Parameters
    ----------
    resolution : int in [1, 2000]
        n, the number of lattice steps along an edge.

    Returns
    -------
    SimplexGrid

    Examples
    --------
    >>> g = simplex_grid(2)
    >>> g.x.tolist(), g.inside.sum()
    ([0.0, 0.25, 0.5, 0.75, 1.0], np.int64(9))
    >>> g.probs[1, 2].tolist()  # the centre of the middle row
    [0.5, 0.25, 0.25]
    """
    n = _check_resolution(resolution)
    j = np.arange(n + 1)[:, None]
    m = np.arange(2 * n + 1)[None, :]
    inside = (m >= j) & (m <= 2 * n - j)
    q0 = np.broadcast_to(j / n, inside.shape)
    q2 = (m - j) / (2 * n)
    q1 = (2 * n - m - j) / (2 * n)
    probs = np.stack([q0, q1, q2], axis=-1)
    probs[~inside] = np.nan
    return SimplexGrid(
        x=np.arange(2 * n + 1) / (2 * n), y=np.arange(n + 1) * HEIGHT / n, probs=probs, inside=inside
    )


def lattice_points(resolution: int) -> np.ndarray:
    """The barycentric lattice: every q = (i, k, l) / n with i + k + l = n.

    Parameters
    ----------
    resolution : int in [1, 2000]
        n; there are (n + 1)(n + 2)/2 points, the three corners among them.

    Returns
    -------
    ndarray ``((n + 1)(n + 2)/2, 3)``, float64, rows summing to 1

    Examples
    --------
    >>> lattice_points(1).tolist()
    [[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
    >>> len(lattice_points(4))
    15
    """
    n = _check_resolution(resolution)
    rows = [(i, k, n - i - k) for i in range(n + 1) for k in range(n + 1 - i)]
    return np.array(rows, dtype=np.float64) / n


# ---------------------------------------------------------------------------------------------- target
def smoothed_target(true_class: int, label_smoothing: float, num_classes: int = N_CLASSES) -> np.ndarray:
    """The label-smoothed target: the one-hot corner pulled towards the centre.

    .. math:: y' = (1 - ε)\\, \\text{onehot}(t) + ε / C

    On the triangle y′ lies on the segment from corner t (ε = 0) to the centre (ε = 1), a fraction ε of
    the way.  It is where the cross-entropy to y′ is smallest (Gibbs' inequality), so it is also where
    gradient descent stops.

    Parameters
    ----------
    true_class : int in [0, C)
    label_smoothing : float in [0, 1]
        ε.
    num_classes : int >= 2, default 3
        C.

    Returns
    -------
    ndarray ``(C,)``, float64, summing to 1

    Examples
    --------
    >>> smoothed_target(0, 0.3).round(6).tolist()
    [0.8, 0.1, 0.1]
    """
    c = check_int(num_classes, "num_classes", low=2)
    t = check_int(true_class, "true_class", low=0, below=c)
    eps = check_scalar(label_smoothing, "label_smoothing", low=0, high=1)
    return smooth_labels(one_hot(t, c), eps)


def _cross_entropy_to(target: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """−Σ y′_c log q_c over the last axis, with 0 · log 0 = 0 and +inf where q_c = 0 < y′_c."""
    safe = np.where(target > 0, probs, 1.0)  # log 1 = 0 where y′_c = 0
    with np.errstate(divide="ignore"):  # log 0 = −inf where q_c = 0 < y′_c: the loss is +inf there
        return -(target * np.log(safe)).sum(axis=-1)


def cross_entropy_to(target, probs) -> np.ndarray:
    """The cross-entropy to the target of predictions q given as probabilities, +inf allowed.

    .. math:: H(y', q) = -\\sum_c y'_c \\ln q_c \\qquad (0 \\ln 0 = 0)

    Unlike :func:`core.information.cross_entropy_between`, a prediction that gives probability 0 to a
    class the target wants is not an error here: its loss is +inf, as at a wrong corner of the triangle.

    Parameters
    ----------
    target : array_like ``(C,)``
        y′, a distribution.
    probs : array_like ``(..., C)``
        Predictions q (distributions).

    Returns
    -------
    ndarray ``(...)``, float64
        In nats.

    Examples
    --------
    >>> cross_entropy_to([0.8, 0.1, 0.1], np.eye(3)).tolist()  # at the corners
    [inf, inf, inf]
    >>> cross_entropy_to([1.0, 0.0, 0.0], [[1.0, 0.0, 0.0], [0.5, 0.5, 0.0]]).round(4).tolist()
    [0.0, 0.6931]
    """
    q = as_float_array(probs, "probs").astype(np.float64, copy=False)
    check_distribution(q, "probs")
    y = _check_target(target, q.shape[-1])
    return _cross_entropy_to(y, q) + 0.0  # + 0.0: −0.0 (q = y one-hot) becomes 0.0


def cross_entropy_surface(target, grid: SimplexGrid) -> np.ndarray:
    """The cross-entropy to the target at every point of the triangle: the loss as a landscape over q.

    .. math:: H(y', q) = -\\sum_{c=0}^{2} y'_c \\ln q_c \\qquad (0 \\ln 0 = 0)

    Its smallest value is the entropy H(y′), reached at q = y′ (Gibbs' inequality).  On an edge where
    q_c = 0 while y′_c > 0 the loss is +inf: with a one-hot target the whole edge opposite the true
    corner, with any ε > 0 all three edges.

    Parameters
    ----------
    target : array_like ``(3,)``
        y′, a distribution (e.g. :func:`smoothed_target`).
    grid : SimplexGrid
        From :func:`simplex_grid`.

    Returns
    -------
    ndarray ``grid.inside.shape``, float64
        The loss in nats; NaN outside the triangle, +inf on the edges described above.

    Examples
    --------
    >>> s = cross_entropy_surface([1.0, 0.0, 0.0], simplex_grid(2))
    >>> round(float(s[1, 2]), 4), float(s[2, 2]), float(s[0, 2])  # q₀ = 1/2, 1, 0
    (0.6931, 0.0, inf)
    """
    y = _check_target(target, N_CLASSES)
    if not isinstance(grid, SimplexGrid):
        raise ValueError(
            f"grid must be a SimplexGrid from simplex_grid(resolution); got {type(grid).__name__}"
        )
    out = np.full(grid.inside.shape, np.nan)
    out[grid.inside] = _cross_entropy_to(y, grid.probs[grid.inside])
    return out


# ------------------------------------------------------------------------------- loss in the logits
def _loss_and_grad(z: np.ndarray, y: np.ndarray, temperature) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Loss, gradient with respect to z, and p, for validated logits (..., C) and a target (C,).

    ``temperature`` is a float or an array (..., 1) (one T per row).  Log-softmax from the shifted logits,
    as :func:`core.functional.log_softmax` computes it, written out here because descent calls it once
    per step.
    """
    shifted = (z - z.max(axis=-1, keepdims=True)) / temperature  # <= 0, the largest 0: exp never overflows
    e = np.exp(shifted)
    total = e.sum(axis=-1, keepdims=True)  # >= 1
    loss = np.log(total[..., 0]) - shifted @ y  # −Σ y′ (shifted − log total), Σ y′ = 1
    p = e / total
    return loss, (p - y) / temperature, p


def _descent(z0: np.ndarray, y: np.ndarray, lr: float, steps: int, temperatures: np.ndarray):
    """Descent from each row of z0 (m, C), row i at temperature temperatures[i]: arrays (m, k + 1, …)."""
    m, c = z0.shape
    temps = temperatures.reshape(m, 1)
    zs, ps, gs = np.empty((m, steps + 1, c)), np.empty((m, steps + 1, c)), np.empty((m, steps + 1, c))
    losses = np.empty((m, steps + 1))
    z = z0
    for k in range(steps + 1):
        losses[:, k], gs[:, k], ps[:, k] = _loss_and_grad(z, y, temps)
        zs[:, k] = z
        z = z - lr * gs[:, k]
    return zs, ps, gs, losses


def cross_entropy_and_grad(logits, target, temperature: float = 1.0) -> tuple[float, np.ndarray]:
    """The cross-entropy of softmax(z / T) to the target y′, and its exact gradient with respect to z.

    .. math:: L(z) = -\\sum_c y'_c \\ln p_c, \\qquad p = \\operatorname{softmax}(z / T)

    Derivation.  With u = z / T, ln p_c = u_c − LSE(u) where LSE(u) = ln Σ_j e^{u_j}, so

    .. math:: L = -\\sum_c y'_c u_c + \\Big(\\sum_c y'_c\\Big) \\operatorname{LSE}(u)
              = -y' \\cdot u + \\operatorname{LSE}(u) \\qquad (\\textstyle\\sum_c y'_c = 1).

    ∂LSE/∂u = softmax(u) = p, hence ∂L/∂u = p − y′; and ∂u/∂z = I / T, so by the chain rule

    .. math:: \\frac{\\partial L}{\\partial z} = \\frac{p - y'}{T}.

    Its entries add up to 0 (both p and y′ sum to 1): moving every logit by the same amount changes
    neither p nor L.  The loss is computed from log-softmax of the logits (never log of softmax), so it
    is finite for any finite logits.  It equals ``core.losses.cross_entropy(z / T, y′)`` (PyTorch's
    ``F.cross_entropy`` with probability targets) at T = 1.

    Parameters
    ----------
    logits : array_like ``(C,)``, C >= 2
        z.
    target : array_like ``(C,)``
        y′, a distribution.
    temperature : float > 0, default 1.0
        T.

    Returns
    -------
    loss : float
        L in nats.
    grad : ndarray ``(C,)``, float64
        ∂L/∂z = (p − y′) / T.

    Examples
    --------
    >>> loss, grad = cross_entropy_and_grad([0.0, 0.0, 0.0], [1.0, 0.0, 0.0])  # uniform guess, class 0
    >>> round(loss, 4), grad.round(4).tolist()  # ln 3, and (1/3 − 1, 1/3, 1/3)
    (1.0986, [-0.6667, 0.3333, 0.3333])
    """
    z = _check_logits(logits)
    y = _check_target(target, z.size)
    loss, grad, _ = _loss_and_grad(z, y, _check_temperature(temperature))
    return float(loss), grad


def logit_gradient(probs, target, temperature: float = 1.0) -> np.ndarray:
    """∂L/∂z = (p − y′) / T at predictions p: the gradient depends on where p is, not on the logits.

    Used to show *why* descent slows near the right corner: with a one-hot target the gradient's size
    |p − y| is 0 at the true corner and largest, √2 / T, at a wrong corner.

    Parameters
    ----------
    probs : array_like ``(..., C)``
        Predictions p (distributions).
    target : array_like ``(C,)``
        y′.
    temperature : float > 0, default 1.0

    Returns
    -------
    ndarray ``(..., C)``, float64

    Examples
    --------
    >>> logit_gradient([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], [1.0, 0.0, 0.0]).tolist()
    [[0.0, 0.0, 0.0], [-1.0, 1.0, 0.0]]
    """
    p = as_float_array(probs, "probs").astype(np.float64, copy=False)
    check_distribution(p, "probs")
    y = _check_target(target, p.shape[-1])
    return (p - y) / _check_temperature(temperature)


def corner_gradient_norms(target, temperature: float = 1.0) -> np.ndarray:
    """|∂L/∂z| = |e_c − y′| / T with the prediction at each corner c (certain of class c).

    .. math:: \\lVert e_c - y' \\rVert_2 / T

    For a one-hot target t this is 0 at corner t and √2 / T at the two wrong corners, the largest
    size the gradient reaches anywhere on the triangle.

    Parameters
    ----------
    target : array_like ``(C,)``
    temperature : float > 0, default 1.0

    Returns
    -------
    ndarray ``(C,)``, float64

    Examples
    --------
    >>> corner_gradient_norms([1.0, 0.0, 0.0]).round(4).tolist()
    [0.0, 1.4142, 1.4142]
    """
    y = as_float_array(target, "target").astype(np.float64, copy=False)
    if y.ndim != 1 or y.size < 2:
        raise ValueError(f"target must have shape (C,) with C >= 2 classes; got shape {y.shape}")
    grads = logit_gradient(np.eye(y.size), y, temperature)
    return np.linalg.norm(grads, axis=-1)


class PointReadout(NamedTuple):
    """The prediction of the current logits and what the loss says about it (loss in nats)."""

    probs: np.ndarray  # p = softmax(z / T), (C,)
    loss: float  # L = −Σ y′ ln p
    grad: np.ndarray  # ∂L/∂z = (p − y′) / T, (C,)
    grad_norm: float  # |∂L/∂z|


def point_readout(logits, target, temperature: float = 1.0) -> PointReadout:
    """The prediction softmax(z / T), its loss to y′ and its gradient (:func:`cross_entropy_and_grad`).

    Parameters
    ----------
    logits : array_like ``(C,)``
    target : array_like ``(C,)``
    temperature : float > 0, default 1.0

    Returns
    -------
    PointReadout

    Examples
    --------
    >>> r = point_readout([1.0, 0.0, 0.0], [1.0, 0.0, 0.0])
    >>> r.probs.round(4).tolist(), round(r.loss, 4)  # 1 / (1 + 2/e) = 0.5761
    ([0.5761, 0.2119, 0.2119], 0.5514)
    """
    z = _check_logits(logits)
    y = _check_target(target, z.size)
    loss, grad, p = _loss_and_grad(z, y, _check_temperature(temperature))
    return PointReadout(probs=p, loss=float(loss), grad=grad, grad_norm=float(np.linalg.norm(grad)))


# ----------------------------------------------------------------------------------- gradient descent
class DescentPath(NamedTuple):
    """Gradient descent in the logits, step by step: row k is after k steps (row 0 is the start)."""

    logits: np.ndarray  # z_k, (steps + 1, C)
    probs: np.ndarray  # q_k = softmax(z_k / T), (steps + 1, C)
    losses: np.ndarray  # L(z_k) in nats, (steps + 1,)
    grads: np.ndarray  # ∂L/∂z at z_k = (q_k − y′) / T, (steps + 1, C)


def max_stable_lr(temperature: float) -> float:
    """The largest learning rate for which no step of :func:`descent_path` can raise the loss: 4 T².

    The Hessian of L(z) is (diag(p) − p pᵀ) / T².  By Gershgorin's theorem its eigenvalues are at most
    max_c 2 p_c (1 − p_c) / T² <= 1 / (2 T²) = λ.  The descent lemma then gives, for z′ = z − η ∇L,

    .. math:: L(z') \\le L(z) - η \\Big(1 - \\frac{λ η}{2}\\Big) \\lVert \\nabla L \\rVert^2,

    which never increases the loss while η <= 2 / λ = 4 T².

    Parameters
    ----------
    temperature : float > 0

    Returns
    -------
    float

    Examples
    --------
    >>> max_stable_lr(1.0), max_stable_lr(0.5)
    (4.0, 1.0)
    """
    return 4 * _check_temperature(temperature) ** 2


def descent_path(logits, target, lr: float, steps: int, temperature: float = 1.0) -> DescentPath:
    """Gradient descent on the cross-entropy in the logits, and the path the prediction q takes.

    .. math:: z_{k+1} = z_k - η \\frac{\\operatorname{softmax}(z_k / T) - y'}{T}

    (the exact gradient, :func:`cross_entropy_and_grad`).  Facts the page shows, each tested:

    - The gradient's entries add up to 0, so the sum of the logits never changes.
    - With u = z / T the step reads u ← u − (η / T²)(softmax(u) − y′): the path of q depends only on
      z / T and η / T².
    - For η <= 4 T² (:func:`max_stable_lr`) the loss never increases.
    - Near a corner q crawls: the step in z is η|q − y′|/T and softmax's slope there is small too, so
      the step in q shrinks as the square of the distance to the corner (about (η/T²)·c·(1 − q_t)² with
      c between √2 and 2√2).  With a one-hot target
      (ε = 0) q approaches the corner without reaching it (that would need infinite logits).
    - With ε > 0 the minimum y′ has finite logits (z = T ln y′ + const) and q stops at y′.

    Parameters
    ----------
    logits : array_like ``(C,)``
        z₀, the start.
    target : array_like ``(C,)``
        y′.
    lr : float > 0
        η.
    steps : int >= 0
        k.
    temperature : float > 0, default 1.0
        T.

    Returns
    -------
    DescentPath
        ``steps + 1`` rows.

    Examples
    --------
    One step from the uniform guess towards class 0 with η = T = 1 gives z = (2/3, −1/3, −1/3), so
    q₀ = 1 / (1 + 2/e):

    >>> path = descent_path([0.0, 0.0, 0.0], [1.0, 0.0, 0.0], lr=1.0, steps=1)
    >>> path.logits[1].round(4).tolist(), round(float(path.probs[1, 0]), 4)
    ([0.6667, -0.3333, -0.3333], 0.5761)
    """
    z = _check_logits(logits)
    y = _check_target(target, z.size)
    lr = check_scalar(lr, "lr", low=0, low_open=True)
    steps = check_int(steps, "steps", low=0)
    temperature = _check_temperature(temperature)
    zs, ps, gs, losses = _descent(z[None, :], y, lr, steps, np.array([temperature]))
    return DescentPath(logits=zs[0], probs=ps[0], losses=losses[0], grads=gs[0])


class TemperatureSweep(NamedTuple):
    """The prediction and its descent path at each temperature of a sweep (losses in nats)."""

    temperatures: np.ndarray  # T, (m,)
    probs: np.ndarray  # softmax(z / T), (m, C)
    losses: np.ndarray  # L at the start, (m,)
    grads: np.ndarray  # ∂L/∂z = (q − y′) / T at the start, (m, C)
    path_probs: np.ndarray  # q after 0 … k steps at each T, (m, k + 1, C)
    path_losses: np.ndarray  # their losses, (m, k + 1)


def temperature_sweep(logits, target, temperatures, lr: float, steps: int) -> TemperatureSweep:
    """:func:`point_readout` and :func:`descent_path` at every temperature of a sweep, all at once.

    What a chart needs to follow a temperature slider without asking the server: for each T the
    prediction softmax(z / T), its loss and gradient, and the path of k steps of learning rate η.  The
    paths run side by side (one row per T), so a sweep of 50 temperatures costs about what one path does.
    Row i equals ``descent_path(logits, target, lr, steps, temperatures[i])``.

    Parameters
    ----------
    logits : array_like ``(C,)``
    target : array_like ``(C,)``
    temperatures : array_like ``(m,)``, each > 0
    lr : float > 0
    steps : int >= 0

    Returns
    -------
    TemperatureSweep

    Examples
    --------
    >>> sweep = temperature_sweep([0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [1.0, 2.0], lr=1.0, steps=1)
    >>> sweep.path_probs[:, 1, 0].round(4)  # 1 / (1 + 2 e^{−η/T²})
    array([0.5761, 0.391 ])
    """
    z = _check_logits(logits)
    y = _check_target(target, z.size)
    temps = _check_temperatures(temperatures)
    lr = check_scalar(lr, "lr", low=0, low_open=True)
    steps = check_int(steps, "steps", low=0)
    _, ps, gs, losses = _descent(np.tile(z, (temps.size, 1)), y, lr, steps, temps)
    return TemperatureSweep(
        temperatures=temps,
        probs=ps[:, 0],
        losses=losses[:, 0],
        grads=gs[:, 0],
        path_probs=ps,
        path_losses=losses,
    )


# ----------------------------------------------------------------------------------------- temperature
def temperature_path(logits, temperatures) -> np.ndarray:
    """The predictions softmax(z / T) for a sweep of temperatures: a curve through the triangle.

    .. math:: q(T) = \\operatorname{softmax}(z / T)

    As T → 0 it runs into :func:`temperature_limit` (the argmax corner, or the middle of the tied
    classes); as T → ∞ into the centre (1/C, …, 1/C).  Its entropy never decreases as T grows
    (dH/dT = Var_q(z) / T³ >= 0).

    Parameters
    ----------
    logits : array_like ``(C,)``
    temperatures : array_like ``(m,)``
        Each T > 0.

    Returns
    -------
    ndarray ``(m, C)``, float64

    Examples
    --------
    >>> temperature_path([1.0, 0.0, 0.0], [1.0, 1e-3, 1e3]).round(4)  # q₀ = 1 / (1 + 2 e^{-1/T})
    array([[0.5761, 0.2119, 0.2119],
           [1.    , 0.    , 0.    ],
           [0.3335, 0.3333, 0.3333]])
    """
    z = _check_logits(logits)
    temps = _check_temperatures(temperatures)
    with np.errstate(over="ignore"):  # (z − max z) / T <= 0 may reach −inf for a tiny T: exp gives 0
        scaled = (z - z.max())[None, :] / temps[:, None]
    return _softmax(scaled)


def temperature_limit(logits) -> np.ndarray:
    """Where softmax(z / T) goes as T → 0: uniform over the classes with the largest logit.

    .. math:: \\lim_{T \\to 0^+} \\operatorname{softmax}(z / T)_c = \\frac{[z_c = \\max_j z_j]}
              {\\#\\{j : z_j = \\max_j z_j\\}}

    A corner when one logit is largest, the middle of an edge when two tie, the centre when all do.

    Parameters
    ----------
    logits : array_like ``(C,)``

    Returns
    -------
    ndarray ``(C,)``, float64

    Examples
    --------
    >>> temperature_limit([2.0, 2.0, -1.0]).tolist()
    [0.5, 0.5, 0.0]
    """
    z = _check_logits(logits)
    top = (z == z.max()).astype(np.float64)
    return top / top.sum()


class LogitSweep(NamedTuple):
    """The prediction and its descent path at each value of one logit (the others fixed; losses in nats)."""

    values: np.ndarray  # the swept logit's values, (m,)
    logits: np.ndarray  # z at each value, (m, C)
    probs: np.ndarray  # softmax(z / T), (m, C)
    losses: np.ndarray  # L at the start, (m,)
    grads: np.ndarray  # ∂L/∂z = (q − y′) / T at the start, (m, C)
    path_probs: np.ndarray  # q after 0 … k steps from each z, (m, k + 1, C)
    path_losses: np.ndarray  # their losses, (m, k + 1)


def logit_sweep(logits, index: int, values, target, temperature: float, lr: float, steps: int) -> LogitSweep:
    """:func:`point_readout` and :func:`descent_path` at every value of logit ``index``, all at once.

    What a chart needs to follow a logit's slider without asking the server: z with z[index] set to each
    value, the prediction softmax(z / T) there, its loss and gradient, and the path of k steps of learning
    rate η from it.  The paths run side by side (one row per value), as in :func:`temperature_sweep`.
    Row i equals ``descent_path(z_i, target, lr, steps, temperature)`` with ``z_i[index] = values[i]``.

    Parameters
    ----------
    logits : array_like ``(C,)``
        z; its entry ``index`` is replaced by each value.
    index : int
        Which logit is swept, 0 <= index < C.
    values : array_like ``(m,)``, finite
    target : array_like ``(C,)``
    temperature : float > 0
    lr : float > 0
    steps : int >= 0

    Returns
    -------
    LogitSweep

    Raises
    ------
    ValueError
        If ``index`` is not a class of ``logits`` or ``values`` is empty or not finite (and as
        :func:`descent_path` for the other arguments).

    Examples
    --------
    >>> sweep = logit_sweep([0.0, 0.0, 0.0], 0, [0.0, 1.0], [1.0, 0.0, 0.0], 1.0, lr=1.0, steps=0)
    >>> sweep.probs[:, 0].round(4)  # e^{z₁} / (e^{z₁} + 2)
    array([0.3333, 0.5761])
    """
    z = _check_logits(logits)
    y = _check_target(target, z.size)
    index = check_int(index, "index", low=0, below=z.size)
    vals = as_float_array(values, "values").astype(np.float64)  # finite, or it raised
    if vals.ndim != 1 or vals.size == 0:
        raise ValueError(f"values must be a non-empty 1-D array of logits; got shape {vals.shape}")
    temperature = check_scalar(temperature, "temperature", low=0, low_open=True)
    lr = check_scalar(lr, "lr", low=0, low_open=True)
    steps = check_int(steps, "steps", low=0)
    rows = np.tile(z, (vals.size, 1))
    rows[:, index] = vals
    _, ps, gs, losses = _descent(rows, y, lr, steps, np.full(vals.size, temperature))
    return LogitSweep(
        values=vals,
        logits=rows,
        probs=ps[:, 0],
        losses=losses[:, 0],
        grads=gs[:, 0],
        path_probs=ps,
        path_losses=losses,
    )
