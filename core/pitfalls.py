"""Deliberately wrong or fragile ways to compute classification losses, for the Numerical pitfalls page.

Everything here shows what goes wrong, next to the right way that the rest of :mod:`core` implements:

- :func:`naive_log_softmax` / :func:`naive_cross_entropy`: ``log(exp(z) / sum(exp(z)))`` in a chosen
  float dtype, WITHOUT subtracting the largest logit.  They are unstable on purpose: they return inf or
  NaN where ``exp`` overflows or a probability underflows to 0.  They never emit numpy
  ``RuntimeWarning``\\ s (the overflow is the lesson, not a bug).  Never use them to train anything;
  use :func:`core.cross_entropy` / :func:`core.log_softmax`.
- :func:`naive_scale_sweep`: the naive and the stable loss over a range of logit scales, with the scale
  where the naive one first breaks.
- :func:`clipped_log_loss`: log loss of probabilities clipped to [eps, 1 - eps] (Keras-style), whose
  gradient is exactly 0 wherever the clip is active; :func:`clipping_comparison` sets it against the
  exact loss and PyTorch's clamp of the log at -100.
- :func:`bce_on_softmax`: binary cross-entropy applied to softmax outputs, the wrong loss for
  single-label classification, and its gradient by the chain rule through the softmax Jacobian.
- :func:`mse_on_sigmoid`: squared error on a sigmoid output, whose gradient saturates when the model
  is confidently wrong.

Shapes: ``logits (n, C)`` or ``(C,)`` with class indices ``(n,)`` / ``()``; binary logits of any shape
with a target of the same shape.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core._validation import (
    as_float_array,
    as_vector,
    check_broadcastable,
    check_class_indices,
    check_logits_2d,
    check_reduction,
    check_same_shape,
    check_scalar,
    check_unit_interval,
)
from core.functional import sigmoid, softmax, softmax_jacobian
from core.losses import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    cross_entropy,
    mse_loss,
    mse_loss_grad,
    one_hot,
)

__all__ = [
    "NAIVE_DTYPES",
    "exp_overflow_threshold",
    "naive_log_softmax",
    "naive_cross_entropy",
    "NaiveSweep",
    "naive_scale_sweep",
    "naive_and_stable_at",
    "clipped_log_loss",
    "clipped_log_loss_grad",
    "ClippingComparison",
    "clipping_comparison",
    "bce_on_softmax",
    "bce_on_softmax_grad",
    "mse_on_sigmoid",
    "mse_on_sigmoid_grad",
]

# The float dtypes the naive implementations run in.
NAIVE_DTYPES: tuple[str, ...] = ("float16", "float32", "float64")


def _check_dtype(dtype, default: np.dtype | None = None) -> np.dtype:
    if dtype is None and default is not None:
        return np.dtype(default)
    try:
        dt = None if dtype is None else np.dtype(dtype)  # np.dtype(None) would silently mean float64
    except (TypeError, ValueError):
        dt = None
    if dt is None or dt.name not in NAIVE_DTYPES:
        raise ValueError(f"dtype must be one of {', '.join(NAIVE_DTYPES)}; got {dtype!r}")
    return dt


def _check_representable(z: np.ndarray, dtype: np.dtype, name: str) -> None:
    limit = float(np.finfo(dtype).max)
    if z.size and float(np.abs(z).max()) > limit:
        largest = float(np.abs(z).max())
        raise ValueError(
            f"{name} must be representable in {dtype.name} (|{name}| <= {limit:g}); got {largest:g}"
        )


def exp_overflow_threshold(dtype) -> float:
    """The largest x for which ``exp(x)`` is finite in ``dtype``: ln(largest finite value).

    .. math:: x_{\\max} = \\ln(\\text{finfo(dtype).max})

    Parameters
    ----------
    dtype : {"float16", "float32", "float64"} or the numpy dtype

    Returns
    -------
    float
        About 11.09 for float16, 88.72 for float32 and 709.78 for float64.

    Examples
    --------
    >>> round(exp_overflow_threshold("float32"), 2)
    88.72
    """
    dt = _check_dtype(dtype)
    return math.log(float(np.finfo(dt).max))


def _naive_log_softmax(z: np.ndarray) -> np.ndarray:
    """log(exp(z) / sum(exp(z))) in z's dtype, no shift: inf/NaN where it breaks, without warnings."""
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        e = np.exp(z)
        return np.log(e / e.sum(axis=-1, keepdims=True))


def naive_log_softmax(logits, dtype=None) -> np.ndarray:
    """Log-softmax computed the naive way, DELIBERATELY unstable: exponentiate, normalise, take the log.

    .. math:: \\log p_c = \\log \\frac{e^{z_c}}{\\sum_j e^{z_j}} \\quad\\text{(no max subtracted)}

    Every step runs in ``dtype`` (float16 truly in float16, unlike :func:`core.log_softmax`).  Where
    ``exp`` overflows the sum is inf and the result is NaN (inf / inf) or -inf (finite / inf); where a
    probability underflows to 0 its log is -inf.  numpy's overflow/underflow warnings are suppressed: the
    broken values are the point.  Use :func:`core.log_softmax` for real work.

    Parameters
    ----------
    logits : array_like ``(C,)`` or ``(n, C)``
        Finite, and representable in ``dtype`` (|z| <= 65504 for float16).
    dtype : {"float16", "float32", "float64"}, optional
        Default: the logits' float dtype (float64 for Python scalars and lists).

    Returns
    -------
    ndarray of the logits' shape, in ``dtype``; may hold -inf and NaN.

    Examples
    --------
    >>> naive_log_softmax([1000.0, 0.0])  # exp(1000) overflows: inf / inf = NaN, 1 / inf = 0
    array([ nan, -inf])
    >>> naive_log_softmax([1.0, 0.0]).round(4)  # fine for small logits
    array([-0.3133, -1.3133])
    """
    z = check_logits_2d(logits)
    dt = _check_dtype(dtype, default=z.dtype)
    _check_representable(z, dt, "logits")
    return _naive_log_softmax(z.astype(dt))


def naive_cross_entropy(logits, target, *, dtype=None, reduction="mean"):
    """Cross-entropy through the naive log-softmax: DELIBERATELY unstable (see :func:`naive_log_softmax`).

    .. math:: \\ell = -\\log \\frac{e^{z_t}}{\\sum_j e^{z_j}} \\quad\\text{computed in that order, in dtype}

    Equal to :func:`core.cross_entropy` while nothing overflows or underflows; +inf or NaN after.

    Parameters
    ----------
    logits : array_like ``(C,)`` or ``(n, C)``
    target : integer class indices ``()`` or ``(n,)``
    dtype : {"float16", "float32", "float64"}, optional
        Default: the logits' float dtype.
    reduction : {"mean", "sum", "none"}, default "mean"
        As in :func:`core.cross_entropy` (without weights): the mean over samples.

    Returns
    -------
    scalar of ``dtype``, or the per-sample losses ``(n,)`` / ``()`` for ``reduction="none"``.

    Examples
    --------
    >>> float(naive_cross_entropy([100.0, 0.0, -100.0], 1, dtype="float32"))  # exp(100) overflows float32
    inf
    >>> round(float(naive_cross_entropy([3.5, 0.8, 0.2, -0.5], 0)), 4)  # = cross_entropy here
    0.1155
    """
    z = check_logits_2d(logits)
    reduction = check_reduction(reduction)
    dt = _check_dtype(dtype, default=z.dtype)
    _check_representable(z, dt, "logits")
    t = check_class_indices(target, z)
    log_p = _naive_log_softmax(z.astype(dt)).reshape(-1, z.shape[-1])
    with np.errstate(over="ignore", invalid="ignore"):
        losses = -log_p[np.arange(log_p.shape[0]), t.reshape(-1)]
        if reduction == "none":
            return losses.reshape(t.shape)
        total = losses.sum()
        return dt.type(total / losses.size if reduction == "mean" else total)


@dataclass(frozen=True)
class NaiveSweep:
    """The naive and the stable cross-entropy of ``scale * pattern`` over a range of scales, in one dtype.

    Attributes
    ----------
    dtype : str
    scales : ndarray ``(m,)``, float64
    naive : ndarray ``(m,)``, float64
        :func:`naive_cross_entropy` in ``dtype`` (inf or NaN where it breaks), converted to float64.
    stable : ndarray ``(m,)``, float64
        :func:`core.cross_entropy` of the same ``dtype`` logits, converted to float64.
    first_break : float or None
        The smallest scale (relative precision 1e-9) at which the naive loss is not finite, searched by
        bisection between the last finite and the first broken grid scale; None if nothing broke.
    first_break_kind : {"NaN", "inf", None}
        What the naive loss gives there.
    overflow_threshold : float
        :func:`exp_overflow_threshold` of ``dtype``.
    """

    dtype: str
    scales: np.ndarray
    naive: np.ndarray
    stable: np.ndarray
    first_break: float | None
    first_break_kind: str | None
    overflow_threshold: float

    @property
    def broken(self) -> np.ndarray:
        """Boolean mask ``(m,)``: where the naive loss is inf or NaN."""
        return ~np.isfinite(self.naive)


def _naive_one(pattern: np.ndarray, target: int, scale: float, dt: np.dtype) -> float:
    log_p = _naive_log_softmax((scale * pattern).astype(dt))
    with np.errstate(over="ignore", invalid="ignore"):
        return float(-log_p[target])


def _kind(value: float) -> str:
    return "NaN" if math.isnan(value) else "inf"


def _bisect_break(pattern, target, dt, lo: float, hi: float) -> float:
    """Smallest broken scale in (lo, hi], given the naive loss is finite at lo and not at hi."""
    for _ in range(200):
        if hi - lo <= 1e-9 * hi:
            break
        mid = 0.5 * (lo + hi)
        if math.isfinite(_naive_one(pattern, target, mid, dt)):
            lo = mid
        else:
            hi = mid
    return hi


def naive_scale_sweep(scales, pattern=(1.0, 0.0, -1.0), target=0, dtype="float32") -> NaiveSweep:
    """Naive against stable cross-entropy of the logits ``scale * pattern`` as the scale grows.

    .. math:: z(s) = s \\cdot \\text{pattern}, \\qquad
              \\ell_{naive}(s) = -\\log\\frac{e^{z_t}}{\\sum_j e^{z_j}}, \\qquad
              \\ell_{stable}(s) = \\operatorname{LSE}(z) - z_t

    The naive loss breaks as soon as ``exp`` of the largest logit overflows (scale * max(pattern) above
    :func:`exp_overflow_threshold`) or the true class's probability underflows to 0; the stable one
    (:func:`core.cross_entropy`, computed in float32 for float16 input like PyTorch) never does.

    Parameters
    ----------
    scales : array_like ``(m,)``
        Positive, finite, increasing.
    pattern : array_like ``(C,)``, default (1, 0, -1)
        The logit pattern; ``scale * pattern`` must be representable in ``dtype`` for every scale.
    target : int, default 0
        The true class, in ``[0, C)``.
    dtype : {"float16", "float32", "float64"}, default "float32"

    Returns
    -------
    NaiveSweep

    Examples
    --------
    >>> sweep = naive_scale_sweep(np.geomspace(1, 1000, 50), target=1, dtype="float32")
    >>> round(sweep.first_break, 2), sweep.first_break_kind  # exp(s) overflows float32 above 88.72
    (88.72, 'inf')
    >>> bool(np.isfinite(sweep.stable).all())
    True
    """
    s = as_vector(scales, "scales", "be a non-empty 1-D array")
    if (s <= 0).any():
        raise ValueError(f"scales must be positive; got {float(s[s <= 0][0]):g}")
    if s.size > 1 and (np.diff(s) <= 0).any():
        raise ValueError("scales must be strictly increasing")
    pat = as_vector(pattern, "pattern", "be a 1-D array of at least 2 logits", min_size=2)
    t = int(check_class_indices(target, pat))
    dt = _check_dtype(dtype)
    logits = s[:, None] * pat
    _check_representable(logits, dt, "scales * pattern")
    z = logits.astype(dt)
    targets = np.full(s.size, t)
    naive = naive_cross_entropy(z, targets, reduction="none").astype(np.float64)
    stable = cross_entropy(z, targets, reduction="none").astype(np.float64)
    broken = ~np.isfinite(naive)
    first_break = kind = None
    if broken.any():
        i = int(np.argmax(broken))
        if i == 0:
            first_break = float(s[0])
        else:
            first_break = _bisect_break(pat, t, dt, float(s[i - 1]), float(s[i]))
        kind = _kind(_naive_one(pat, t, first_break, dt))
    return NaiveSweep(
        dtype=dt.name,
        scales=s,
        naive=naive,
        stable=stable,
        first_break=first_break,
        first_break_kind=kind,
        overflow_threshold=exp_overflow_threshold(dt),
    )


def naive_and_stable_at(
    scale: float, pattern=(1.0, 0.0, -1.0), target=0, dtypes=NAIVE_DTYPES
) -> tuple[tuple[float, float], ...]:
    """The naive and the stable cross-entropy of the logits ``scale * pattern``, in each dtype.

    The values :func:`naive_scale_sweep`'s curves take at ``scale``: one point of its sweep per dtype.

    Parameters
    ----------
    scale : float
        Positive and finite; ``scale * pattern`` must be representable in every dtype.
    pattern, target
        As for :func:`naive_scale_sweep`.
    dtypes : sequence of {"float16", "float32", "float64"}, default :data:`NAIVE_DTYPES`

    Returns
    -------
    tuple of (float, float)
        ``(naive, stable)`` per dtype, as float64 (the naive one inf or NaN where it breaks).

    Examples
    --------
    >>> naive_and_stable_at(100.0, target=2, dtypes=("float32", "float64"))
    ((inf, 200.0), (200.0, 200.0))
    """
    scale = check_scalar(scale, "scale", low=0.0, low_open=True)
    sweeps = [naive_scale_sweep([scale], pattern, target, dtype) for dtype in dtypes]
    return tuple((float(sweep.naive[0]), float(sweep.stable[0])) for sweep in sweeps)


# -------------------------------------------------------------------------------------------- clipping
def _check_eps(eps) -> float:
    return check_scalar(eps, "eps", low=0, high=0.5, low_open=True, high_open=True)


def _clip_inputs(probs, target, eps):
    p = as_float_array(probs, "probs")
    check_unit_interval(p, "probs")
    y = as_float_array(target, "target")
    check_unit_interval(y, "target")
    check_broadcastable(y, p.shape, "target", "probs")
    eps = _check_eps(eps)
    dtype = np.result_type(p.dtype, y.dtype)
    return p.astype(dtype, copy=False), np.broadcast_to(y.astype(dtype, copy=False), p.shape), eps, dtype


def clipped_log_loss(probs, target=1.0, *, eps=1e-7) -> np.ndarray:
    """Binary log loss of probabilities clipped to [eps, 1 - eps] (Keras' ``binary_crossentropy``).

    .. math:: \\ell = -[\\,y \\log \\tilde p + (1 - y) \\log(1 - \\tilde p)\\,],
              \\qquad \\tilde p = \\operatorname{clip}(p, ε, 1 - ε)

    The clip keeps the loss finite at p = 0 or 1, but caps it at -log ε (16.1 nats for ε = 1e-7) and
    biases it: for p < ε the loss is -log ε instead of -log p, and a perfect prediction costs -log(1 - ε)
    ≈ ε instead of 0.  Computed in the probabilities' dtype; beware that 1 - ε rounds to 1 in float32
    for ε < 6e-8, which brings log 0 back (this function then returns inf, silently).

    Parameters
    ----------
    probs : array_like, any shape, entries in [0, 1]
    target : array_like broadcastable to ``probs``, entries in [0, 1], default 1.0
    eps : float in (0, 0.5), default 1e-7 (Keras' default)

    Returns
    -------
    ndarray of ``probs``' shape: the per-element losses (no reduction).

    Examples
    --------
    >>> clipped_log_loss([0.0, 1e-9, 0.5], eps=1e-7).round(4)  # both below eps: -log(1e-7)
    array([16.1181, 16.1181,  0.6931])
    """
    p, y, eps, dtype = _clip_inputs(probs, target, eps)
    pc = np.clip(p, dtype.type(eps), dtype.type(1 - eps))
    with np.errstate(divide="ignore"):
        out = -(y * np.log(pc) + (1 - y) * np.log1p(-pc))
    return (out + 0.0).astype(dtype, copy=False)


def clipped_log_loss_grad(probs, target=1.0, *, eps=1e-7) -> np.ndarray:
    """Gradient of :func:`clipped_log_loss` with respect to ``probs``, as autograd computes it.

    .. math:: \\frac{\\partial \\ell}{\\partial p} = \\Bigl(-\\frac{y}{p} + \\frac{1 - y}{1 - p}\\Bigr)
              \\,[\\,ε \\le p \\le 1 - ε\\,]

    Exactly 0 where the clip is active (p < ε or p > 1 - ε), like the gradient of ``torch.clamp`` or
    ``tf.clip_by_value``: a confidently wrong prediction below ε gets no learning signal at all.

    Examples
    --------
    >>> clipped_log_loss_grad([1e-9, 0.5], eps=1e-7)
    array([ 0., -2.])
    """
    p, y, eps, dtype = _clip_inputs(probs, target, eps)
    inside = (p >= dtype.type(eps)) & (p <= dtype.type(1 - eps))
    safe = np.where(inside, p, dtype.type(0.5))
    grad = (-y / safe + (1 - y) / (1 - safe)) * inside + 0.0  # + 0.0 turns -0.0 (clipped) into 0.0
    return grad.astype(dtype, copy=False)


@dataclass(frozen=True)
class ClippingComparison:
    """Three ways to take -log p for a true label y = 1, and their gradients d loss / d p.

    Attributes
    ----------
    probs : ndarray
    eps : float
    exact, clipped, torch : ndarray
        -ln p (inf at p = 0); :func:`clipped_log_loss`; :func:`core.binary_cross_entropy` (log clamped
        at -100).
    exact_grad, clipped_grad, torch_grad : ndarray
        -1/p; 0 where clipped; PyTorch's -1/max(p (1 - p), 1e-12).
    bias : ndarray
        ``exact - clipped``: how much loss the clip hides (> 0 below ε, inf at p = 0).
    """

    probs: np.ndarray
    eps: float
    exact: np.ndarray
    clipped: np.ndarray
    torch: np.ndarray
    exact_grad: np.ndarray
    clipped_grad: np.ndarray
    torch_grad: np.ndarray

    @property
    def bias(self) -> np.ndarray:
        return self.exact - self.clipped


def clipping_comparison(probs, *, eps=1e-7) -> ClippingComparison:
    """The exact, the clipped and PyTorch's clamped log loss of probabilities for the label y = 1, in float64.

    .. math:: \\ell_{exact} = -\\ln p, \\qquad \\ell_{clip} = -\\ln \\max(p, ε)\\ (p \\le 1 - ε),
              \\qquad \\ell_{torch} = -\\max(\\ln p, -100)

    Parameters
    ----------
    probs : array_like, any shape, entries in [0, 1]
    eps : float in (0, 0.5), default 1e-7

    Returns
    -------
    ClippingComparison

    Examples
    --------
    >>> c = clipping_comparison([0.0, 1e-50, 1e-3], eps=1e-7)
    >>> c.exact.round(2), c.clipped.round(2), c.torch.round(2)
    (array([   inf, 115.13,   6.91]), array([16.12, 16.12,  6.91]), array([100.  , 100.  ,   6.91]))
    """
    p = as_float_array(probs, "probs").astype(np.float64)
    check_unit_interval(p, "probs")
    eps = _check_eps(eps)
    with np.errstate(divide="ignore"):
        exact = -np.log(p) + 0.0
        exact_grad = -1.0 / p
    ones = np.ones_like(p)
    return ClippingComparison(
        probs=p,
        eps=eps,
        exact=exact,
        clipped=clipped_log_loss(p, ones, eps=eps),
        torch=np.asarray(binary_cross_entropy(p, ones, reduction="none"), dtype=np.float64),
        exact_grad=exact_grad,
        clipped_grad=clipped_log_loss_grad(p, ones, eps=eps),
        torch_grad=np.asarray(binary_cross_entropy_grad(p, ones, reduction="none"), dtype=np.float64),
    )


# ------------------------------------------------------------------------------------- BCE on softmax
def _softmax_targets(logits, target):
    z = check_logits_2d(logits)
    t = check_class_indices(target, z)
    y = one_hot(t, z.shape[-1]).astype(z.dtype, copy=False)
    return z, y


def bce_on_softmax(logits, target, *, reduction="mean"):
    """Binary cross-entropy applied to softmax outputs: the WRONG loss for single-label classification.

    .. math:: \\ell = -\\sum_c \\bigl[\\,y_c \\log s_c + (1 - y_c) \\log(1 - s_c)\\,\\bigr],
              \\qquad s = \\operatorname{softmax}(z),\\ y = \\operatorname{one\\_hot}(t)

    Exactly ``F.binary_cross_entropy(F.softmax(z), one_hot(t))``: it scores every class as an independent
    yes/no question although the softmax makes them compete, adding -log(1 - s_c) terms for the wrong
    classes to the cross-entropy -log s_t.  With two classes it is exactly twice the cross-entropy.

    Parameters
    ----------
    logits : array_like ``(C,)`` or ``(n, C)``
    target : integer class indices ``()`` or ``(n,)``
    reduction : {"mean", "sum", "none"}, default "mean"
        As :func:`core.binary_cross_entropy`: the mean is over all n·C elements (PyTorch's default);
        "sum" gives the sum over classes (and samples) shown above; "none" the ``(n, C)`` terms.

    Examples
    --------
    >>> round(float(bce_on_softmax([2.0, 0.0], 0, reduction="sum")), 4)  # = 2 * cross_entropy
    0.2539
    """
    z, y = _softmax_targets(logits, target)
    return binary_cross_entropy(softmax(z), y, reduction=reduction)


def bce_on_softmax_grad(logits, target, *, reduction="mean"):
    """Gradient of :func:`bce_on_softmax` with respect to the logits, by the chain rule.

    .. math:: \\frac{\\partial \\ell}{\\partial z} = J_s^\\top g, \\qquad
              g_c = \\frac{\\partial \\ell}{\\partial s_c} = \\frac{s_c - y_c}{s_c (1 - s_c)}, \\qquad
              J_s = \\operatorname{diag}(s) - s s^\\top

    g comes from :func:`core.binary_cross_entropy_grad` (with PyTorch's 1e-12 floor) and J from
    :func:`core.softmax_jacobian`: what PyTorch's autograd computes for this composition.  Entry by entry
    it is s_k (g_k - Σ_i s_i g_i); for the true class (s_t - 1) - s_t Σ_{c≠t} s_c / (1 - s_c), not the
    cross-entropy's s_t - 1.

    Examples
    --------
    >>> bce_on_softmax_grad([2.0, 0.0], 0, reduction="sum").round(4)  # = 2 (s - y) for two classes
    array([-0.2384,  0.2384])
    """
    z, y = _softmax_targets(logits, target)
    s = softmax(z)
    g = binary_cross_entropy_grad(s, y, reduction=reduction)
    jac = softmax_jacobian(z)
    return np.einsum("...ik,...i->...k", jac, g).astype(z.dtype, copy=False)


# ------------------------------------------------------------------------------------- MSE on sigmoid
def _sigmoid_inputs(logits, target):
    z = as_float_array(logits, "logits")
    y = as_float_array(target, "target")
    check_same_shape(y, z, "target", "logits")
    check_unit_interval(y, "target")
    return z, y


def mse_on_sigmoid(logits, target, *, reduction="mean"):
    """Squared error between a sigmoid output and a 0/1 label.

    .. math:: \\ell = (σ(z) - y)^2

    Bounded by 1, so even a confidently wrong prediction costs at most 1, and its gradient
    (:func:`mse_on_sigmoid_grad`) vanishes there.

    Parameters
    ----------
    logits : array_like, any shape
    target : array_like, the shape of ``logits``, entries in [0, 1]
    reduction : {"mean", "sum", "none"}, default "mean"

    Examples
    --------
    >>> float(mse_on_sigmoid(0.0, 1.0))
    0.25
    """
    z, y = _sigmoid_inputs(logits, target)
    return mse_loss(sigmoid(z), y, reduction=reduction)


def mse_on_sigmoid_grad(logits, target, *, reduction="mean"):
    """Gradient of :func:`mse_on_sigmoid` with respect to the logits.

    .. math:: \\frac{\\partial \\ell}{\\partial z} = 2\\,(σ(z) - y)\\, σ(z)\\,(1 - σ(z))

    The factor σ(z)(1 - σ(z)) goes to 0 as |z| grows, also when the prediction is confidently wrong
    (z → -∞ with y = 1), where binary cross-entropy's σ(z) - y stays near -1.

    Examples
    --------
    >>> float(mse_on_sigmoid_grad(0.0, 1.0))  # 2 (0.5 - 1) 0.25
    -0.25
    >>> abs(float(mse_on_sigmoid_grad(-10.0, 1.0))) < 1e-4  # confidently wrong: almost no gradient
    True
    """
    z, y = _sigmoid_inputs(logits, target)
    s = sigmoid(z)
    return (mse_loss_grad(s, y, reduction=reduction) * (s * (1 - s))).astype(
        np.result_type(z.dtype, y.dtype), copy=False
    )
