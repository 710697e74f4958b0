"""Classification losses with PyTorch's semantics, each with a ``_grad`` twin.

Every loss ``name(first, target, ...)`` has a twin ``name_grad`` with the same signature that returns
the gradient of exactly the number ``name`` returns, with respect to ``first``, in ``first``'s shape
(for ``reduction="none"``: the gradient of the sum of the per-element losses).  :func:`loss_and_grad`
gives both from one pass, which is what training uses.

Shapes: ``logits (n, C)`` or ``(C,)``; ``target`` class indices ``(n,)`` / ``()`` (integers) or class
probabilities of the logits' shape (floats); binary losses take any shape with a target of the same
shape.  Float dtypes are kept (float16 is computed in float32); everything else becomes float64.
"""

from __future__ import annotations

import numpy as np

from core._loss_common import _finish, _is_probability_target, _prob_target
from core._validation import (
    as_float_array,
    check_broadcastable,
    check_class_indices,
    check_class_weight,
    check_int,
    check_logits_2d,
    check_reduction,
    check_same_shape,
    check_scalar,
    check_unit_interval,
    compute_dtype,
)
from core.cross_entropy_kernels import _cross_entropy
from core.functional import _log_sigmoid, _log_softmax, _sigmoid, _softmax

__all__ = [
    "one_hot",
    "cross_entropy",
    "cross_entropy_grad",
    "binary_cross_entropy",
    "binary_cross_entropy_grad",
    "binary_cross_entropy_with_logits",
    "binary_cross_entropy_with_logits_grad",
    "mse_loss",
    "mse_loss_grad",
    "softmax_mse_loss",
    "softmax_mse_loss_grad",
    "multi_margin_loss",
    "multi_margin_loss_grad",
    "focal_loss",
    "focal_loss_grad",
    "sigmoid_focal_loss",
    "sigmoid_focal_loss_grad",
    "loss_and_grad",
    "loss_grad",
]

# PyTorch's binary_cross_entropy clamps each log term at -100 and floors p(1 - p) at 1e-12 in its backward;
# that 1e-12 reaches the kernel as a float32 scalar (9.99999996e-13), so the floor is float32(1e-12) exactly.
_BCE_LOG_FLOOR = -100.0
_BCE_GRAD_EPS = float(np.float32(1e-12))


def one_hot(target, num_classes: int) -> np.ndarray:
    """One-hot encoding of class indices.

    .. math:: y_{ic} = [c = t_i]

    Parameters
    ----------
    target : array_like of int, any shape
        Class indices in ``[0, num_classes)``.
    num_classes : int
        C >= 1.

    Returns
    -------
    ndarray ``target.shape + (C,)``, float64

    Examples
    --------
    >>> one_hot([2, 0], 3)
    array([[0., 0., 1.],
           [1., 0., 0.]])
    """
    num_classes = check_int(num_classes, "num_classes")
    if num_classes < 1:
        raise ValueError(f"num_classes must be at least 1; got {num_classes}")
    arr = np.asarray(target)
    t = check_class_indices(arr, np.empty(arr.shape + (num_classes,)), name="target")
    out = np.zeros(t.shape + (num_classes,))
    np.put_along_axis(out, t[..., None], 1.0, axis=-1)
    return out


# ------------------------------------------------------------------------------------------ cross-entropy
def cross_entropy(logits, target, *, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0):
    """Softmax cross-entropy from logits: PyTorch's ``F.cross_entropy``.

    With class indices t and label smoothing ε the loss of one sample is

    .. math:: \\ell = -(1 - ε)\\, w_t \\log p_t - \\frac{ε}{C} \\sum_c w_c \\log p_c,
              \\qquad \\log p = \\operatorname{log\\_softmax}(z)

    and with class probabilities y it is ℓ = -Σ_c w_c y'_c log p_c with y' = (1 - ε) y + ε / C.
    ``reduction="mean"`` divides the sum by Σ_i w_{t_i} over the non-ignored samples for class indices
    (exactly like PyTorch; n without weights) and by n for class probabilities.  The log-probabilities
    come from the log-sum-exp of the shifted logits, never from log(softmax).

    :func:`core.cross_entropy_kernels.cross_entropy_reference` writes this formula out in a dozen lines;
    this function gives the same numbers from the fast kernel next to it,
    :func:`core.cross_entropy_kernels._cross_entropy` (row blocks, one (n, C) array, two threads for
    large inputs).

    Parameters
    ----------
    logits : array_like ``(n, C)`` or ``(C,)``
    target : array_like
        Class indices, integer ``(n,)`` / ``()``, or class probabilities (floats in [0, 1]) of the
        logits' shape.
    weight : array_like ``(C,)``, optional
        Non-negative per-class weights.
    ignore_index : int, default -100
        Class-index targets equal to it contribute neither loss nor gradient (not used for
        probability targets).  A mean over only ignored targets is undefined and rejected.
    reduction : {"mean", "sum", "none"}, default "mean"
    label_smoothing : float in [0, 1], default 0.0

    Returns
    -------
    float scalar of the logits' dtype, or ``(n,)`` / ``()`` per-sample losses for ``reduction="none"``.

    Examples
    --------
    >>> round(float(cross_entropy([3.5, 0.8, 0.2, -0.5], 0)), 4)  # the article's multi-class default
    0.1155
    """
    return _cross_entropy(
        logits, target, weight, ignore_index, reduction, label_smoothing, want_loss=True, want_grad=False
    )[0]


def cross_entropy_grad(
    logits, target, *, weight=None, ignore_index=-100, reduction="mean", label_smoothing=0.0
):
    """Gradient of :func:`cross_entropy` with respect to the logits.

    .. math:: \\frac{\\partial \\ell}{\\partial z} = p \\sum_c q_c - q

    where q is the sample's (smoothed, weighted) target distribution; without weights or smoothing
    this is the famous p - y.  Divided by the mean's denominator for ``reduction="mean"``.

    Parameters
    ----------
    Same as :func:`cross_entropy`.

    Returns
    -------
    ndarray of the logits' shape and dtype.

    Examples
    --------
    >>> cross_entropy_grad([3.5, 0.8, 0.2, -0.5], 0).round(3)
    array([-0.109,  0.06 ,  0.033,  0.016])
    """
    return _cross_entropy(
        logits, target, weight, ignore_index, reduction, label_smoothing, want_loss=False, want_grad=True
    )[1]


# ------------------------------------------------------------------------------------ binary cross-entropy
def _binary_inputs(first, target, first_name: str):
    x = as_float_array(first, first_name)
    y = as_float_array(target, "target")
    check_same_shape(y, x, "target", first_name)
    check_unit_interval(y, "target")
    dtype = np.result_type(x.dtype, y.dtype)
    work = compute_dtype(dtype)
    return x.astype(work, copy=False), y.astype(work, copy=False), dtype, work


def _broadcast_weight(weight, shape, work, name: str = "weight", to: str = "probs"):
    if weight is None:
        return None
    w = as_float_array(weight, name)
    check_broadcastable(w, shape, name, to)
    if (w < 0).any():
        raise ValueError(f"{name} must be non-negative; got {float(w.min()):g}")
    return w.astype(work, copy=False)


def _bce(probs, target, weight, reduction, *, want_grad):
    reduction = check_reduction(reduction)
    x, y, dtype, work = _binary_inputs(probs, target, "probs")
    check_unit_interval(x, "probs")
    w = _broadcast_weight(weight, x.shape, work)
    if want_grad:
        grad = (x - y) / np.maximum((1 - x) * x, _BCE_GRAD_EPS)
        if w is not None:
            grad = grad * w
        if reduction == "mean":
            grad = grad / max(x.size, 1)
        return np.broadcast_to(grad, x.shape).astype(dtype)
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(x), _BCE_LOG_FLOOR)
        log_1mp = np.maximum(np.log1p(-x), _BCE_LOG_FLOOR)
    losses = -(y * log_p + (1 - y) * log_1mp)
    if w is not None:
        losses = losses * w
    return _finish(losses, reduction, max(x.size, 1), dtype)


def binary_cross_entropy(probs, target, *, weight=None, reduction="mean"):
    """Binary cross-entropy of probabilities: PyTorch's ``F.binary_cross_entropy``.

    .. math:: \\ell = -w\\,[\\,y \\max(\\log p, -100) + (1 - y) \\max(\\log(1 - p), -100)\\,]

    Clipping: like PyTorch, each log is clamped at -100, so p = 0 or p = 1 gives a finite loss
    (at most 100 per element) instead of inf.  Prefer :func:`binary_cross_entropy_with_logits`,
    which needs no clamp.

    Parameters
    ----------
    probs : array_like, any shape, entries in [0, 1]
    target : array_like, the shape of ``probs``, entries in [0, 1]
    weight : array_like broadcastable to ``probs``, optional
    reduction : {"mean", "sum", "none"}, default "mean"
        The mean is over all elements.

    Returns
    -------
    float scalar, or per-element losses of ``probs``' shape for ``reduction="none"``.

    Examples
    --------
    >>> round(float(binary_cross_entropy(0.7, 1.0)), 4)  # the explainer article: p = 0.7, y = 1
    0.3567
    >>> float(binary_cross_entropy(0.0, 1.0))  # clamped, not inf
    100.0
    """
    return _bce(probs, target, weight, reduction, want_grad=False)


def binary_cross_entropy_grad(probs, target, *, weight=None, reduction="mean"):
    """Gradient of :func:`binary_cross_entropy` with respect to ``probs``, as PyTorch computes it.

    .. math:: \\frac{\\partial \\ell}{\\partial p} = w \\, \\frac{p - y}{\\max(p (1 - p), 10^{-12})}

    For y = 1 this is -1/p.  The floor 1e-12 is PyTorch's: at p = 0 or 1 the gradient is large and
    finite (not the zero slope of the clamped loss), which is what PyTorch's autograd returns.

    Examples
    --------
    >>> round(float(binary_cross_entropy_grad(0.7, 1.0)), 2)  # the explainer article: dL/dp = -1/0.7
    -1.43
    """
    return _bce(probs, target, weight, reduction, want_grad=True)


def _bce_logits(logits, target, weight, pos_weight, reduction, *, want_grad):
    reduction = check_reduction(reduction)
    x, y, dtype, work = _binary_inputs(logits, target, "logits")
    w = _broadcast_weight(weight, x.shape, work, to="logits")
    pw = _broadcast_weight(pos_weight, x.shape, work, name="pos_weight", to="logits")
    log_weight = 1 + (pw - 1) * y if pw is not None else 1.0
    if want_grad:
        grad = _sigmoid(x) * log_weight - (pw * y if pw is not None else y)
        if w is not None:
            grad = grad * w
        if reduction == "mean":
            grad = grad / max(x.size, 1)
        return np.broadcast_to(grad, x.shape).astype(dtype)
    losses = (1 - y) * x - log_weight * _log_sigmoid(x)
    if w is not None:
        losses = losses * w
    return _finish(np.broadcast_to(losses, x.shape), reduction, max(x.size, 1), dtype)


def binary_cross_entropy_with_logits(logits, target, *, weight=None, pos_weight=None, reduction="mean"):
    """Binary cross-entropy from logits: PyTorch's ``F.binary_cross_entropy_with_logits``.

    .. math:: \\ell = -w\\,[\\,p_w\\, y \\log σ(z) + (1 - y) \\log(1 - σ(z))\\,]
              = w\\,[\\,(1 - y) z - (1 + (p_w - 1) y) \\log σ(z)\\,]

    computed with ``log σ(z) = min(z, 0) - log1p(exp(-|z|))``: exact for any finite z, no clamp.

    Parameters
    ----------
    logits : array_like, any shape
    target : array_like, the shape of ``logits``, entries in [0, 1]
    weight : array_like broadcastable to ``logits``, optional
    pos_weight : array_like broadcastable to ``logits`` (typically ``(C,)``), optional
        Weight p_w of the positive term; p_w > 1 raises recall.
    reduction : {"mean", "sum", "none"}, default "mean"

    Examples
    --------
    >>> round(float(binary_cross_entropy_with_logits(0.0, 1.0)), 6)  # log 2
    0.693147
    """
    return _bce_logits(logits, target, weight, pos_weight, reduction, want_grad=False)


def binary_cross_entropy_with_logits_grad(logits, target, *, weight=None, pos_weight=None, reduction="mean"):
    """Gradient of :func:`binary_cross_entropy_with_logits` with respect to the logits.

    .. math:: \\frac{\\partial \\ell}{\\partial z} = w\\,[\\,σ(z)(1 + (p_w - 1) y) - p_w y\\,]

    which is σ(z) - y without weights.

    Examples
    --------
    >>> float(binary_cross_entropy_with_logits_grad(0.0, 1.0))
    -0.5
    """
    return _bce_logits(logits, target, weight, pos_weight, reduction, want_grad=True)


# ----------------------------------------------------------------------------------------------- MSE
def _mse(input, target, reduction, *, want_grad):
    reduction = check_reduction(reduction)
    x = as_float_array(input, "input")
    t = as_float_array(target, "target")
    check_same_shape(t, x, "target", "input")
    dtype = np.result_type(x.dtype, t.dtype)
    work = compute_dtype(dtype)
    diff = x.astype(work) - t.astype(work)
    if want_grad:
        grad = 2 * diff
        if reduction == "mean":
            grad /= max(x.size, 1)
        return grad.astype(dtype, copy=False)
    return _finish(diff * diff, reduction, max(x.size, 1), dtype)


def mse_loss(input, target, *, reduction="mean"):
    """Mean squared error: PyTorch's ``F.mse_loss`` (same shapes, no broadcasting).

    .. math:: \\ell = (x - t)^2, \\text{ averaged over all elements for reduction="mean"}

    Examples
    --------
    >>> float(mse_loss([0.7, 0.3], [1.0, 0.0]))
    0.09
    """
    return _mse(input, target, reduction, want_grad=False)


def mse_loss_grad(input, target, *, reduction="mean"):
    """Gradient of :func:`mse_loss` with respect to ``input``: 2 (x - t), over N for the mean.

    Examples
    --------
    >>> mse_loss_grad([0.7, 0.3], [1.0, 0.0]).round(6)
    array([-0.3,  0.3])
    """
    return _mse(input, target, reduction, want_grad=True)


def _softmax_mse(logits, target, reduction, *, want_grad):
    z = check_logits_2d(logits)
    reduction = check_reduction(reduction)
    dtype = z.dtype
    work = compute_dtype(dtype)
    n_classes = z.shape[-1]
    if _is_probability_target(target, z):
        y = _prob_target(target, z, work).reshape(z.shape)
    else:
        t = check_class_indices(target, z)
        y = one_hot(t, n_classes).astype(work, copy=False)
    s = _softmax(z.astype(work, copy=False))
    diff = s - y
    if not want_grad:
        return _finish(diff * diff, reduction, z.size, dtype)
    g = 2 * diff
    if reduction == "mean":
        g /= z.size
    # Back through the softmax without building its Jacobian: J^T g = s * (g - <g, s>).
    grad = s * (g - (g * s).sum(axis=-1, keepdims=True))
    return grad.astype(dtype, copy=False)


def softmax_mse_loss(logits, target, *, reduction="mean"):
    """MSE between the softmax of the logits and the one-hot (or probability) target.

    .. math:: \\ell = (\\operatorname{softmax}(z) - y)^2 \\text{ element-wise, mean over all } n·C

    This is ``mse_loss(softmax(logits), one_hot(target))`` exactly as PyTorch would compute it;
    ``reduction="none"`` returns the ``(n, C)`` element-wise squares.  Its gradient vanishes when the
    softmax saturates on the wrong class: the reason not to train classifiers with it.

    Parameters
    ----------
    logits : array_like ``(n, C)`` or ``(C,)``
    target : class indices ``(n,)`` / ``()`` or class probabilities of the logits' shape
    reduction : {"mean", "sum", "none"}, default "mean"

    Examples
    --------
    >>> round(float(softmax_mse_loss([0.0, 0.0], 0)), 4)
    0.25
    """
    return _softmax_mse(logits, target, reduction, want_grad=False)


def softmax_mse_loss_grad(logits, target, *, reduction="mean"):
    """Gradient of :func:`softmax_mse_loss` with respect to the logits.

    .. math:: \\frac{\\partial \\ell}{\\partial z} = s \\odot (g - \\langle g, s\\rangle),
              \\qquad g = 2(s - y)/N

    Examples
    --------
    >>> softmax_mse_loss_grad([0.0, 0.0], 0)
    array([-0.25,  0.25])
    """
    return _softmax_mse(logits, target, reduction, want_grad=True)


# ----------------------------------------------------------------------------------------- multi-margin
def _multi_margin(logits, target, p, margin, weight, reduction, *, want_grad):
    z = check_logits_2d(logits)
    reduction = check_reduction(reduction)
    if isinstance(p, bool) or p not in (1, 2):
        raise ValueError(f"p must be 1 or 2; got {p!r}")
    margin = check_scalar(margin, "margin")
    dtype = z.dtype
    work = compute_dtype(dtype)
    n_classes = z.shape[-1]
    z2 = z.astype(work, copy=False).reshape(-1, n_classes)
    t = check_class_indices(target, z).reshape(-1)
    w = check_class_weight(weight, n_classes, work)
    rows = np.arange(z2.shape[0])
    w_t = w[t] if w is not None else np.ones(len(t), work)
    gap = margin - z2[rows, t][:, None] + z2  # margin - z_t + z_j
    active = gap > 0
    active[rows, t] = False
    n = z2.shape[0]
    if not want_grad:
        h = np.where(active, gap if p == 1 else gap * gap, 0)
        losses = h.sum(axis=1) * w_t / n_classes
        return _finish(losses.reshape(z.shape[:-1]), reduction, n, dtype)
    scale = 1.0 / n_classes / (n if reduction == "mean" else 1)
    grad = np.where(active, 1.0 if p == 1 else 2 * gap, 0) * (w_t * scale)[:, None]
    grad[rows, t] = -grad.sum(axis=1)
    return grad.reshape(z.shape).astype(dtype, copy=False)


def multi_margin_loss(logits, target, *, p=1, margin=1.0, weight=None, reduction="mean"):
    """Multi-class hinge loss: PyTorch's ``F.multi_margin_loss``.

    .. math:: \\ell = \\frac{w_t}{C} \\sum_{j \\ne t} \\max(0,\\ \\text{margin} - z_t + z_j)^p

    Zero once the true logit beats every other by the margin: no gradient for well-classified
    samples.  The mean is over samples (not normalised by the weights).

    Parameters
    ----------
    logits : array_like ``(n, C)`` or ``(C,)``
    target : integer class indices ``(n,)`` / ``()``
    p : {1, 2}, default 1
    margin : float, default 1.0
    weight : array_like ``(C,)``, optional
    reduction : {"mean", "sum", "none"}, default "mean"

    Examples
    --------
    >>> float(multi_margin_loss([2.0, 1.5, 0.0], 0))  # (0.5 + 0) / 3
    0.16666666666666666
    """
    return _multi_margin(logits, target, p, margin, weight, reduction, want_grad=False)


def multi_margin_loss_grad(logits, target, *, p=1, margin=1.0, weight=None, reduction="mean"):
    """Gradient of :func:`multi_margin_loss` with respect to the logits (0 on the hinge's kink, like PyTorch).

    Examples
    --------
    >>> multi_margin_loss_grad([2.0, 1.5, 0.0], 0).round(4)
    array([-0.3333,  0.3333,  0.    ])
    """
    return _multi_margin(logits, target, p, margin, weight, reduction, want_grad=True)


# ------------------------------------------------------------------------------------------------- focal
def _focal(logits, target, gamma, alpha, reduction, *, want_grad):
    z = check_logits_2d(logits)
    reduction = check_reduction(reduction)
    gamma = check_scalar(gamma, "gamma", low=0)
    dtype = z.dtype
    work = compute_dtype(dtype)
    n_classes = z.shape[-1]
    z2 = z.astype(work, copy=False).reshape(-1, n_classes)
    t = check_class_indices(target, z).reshape(-1)
    a = check_class_weight(alpha, n_classes, work, name="alpha")
    rows = np.arange(z2.shape[0])
    a_t = a[t] if a is not None else np.ones(len(t), work)
    log_p = _log_softmax(z2)
    log_pt = log_p[rows, t]
    one_minus = -np.expm1(log_pt)  # 1 - p_t, accurate as p_t -> 1
    modulator = one_minus**gamma  # 0 ** 0 = 1: gamma = 0 is plain cross-entropy
    n = z2.shape[0]
    if not want_grad:
        losses = -a_t * modulator * log_pt
        return _finish(losses.reshape(z.shape[:-1]), reduction, n, dtype)
    # d loss / d log p_t = -a (1 - p_t)^g [1 - g p_t log(p_t) / (1 - p_t)]; log(p)/(1 - p) -> -1 as p -> 1
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(one_minus > 0, log_pt / one_minus, -1.0)
    d_log_pt = -a_t * modulator * (1 - gamma * np.exp(log_pt) * ratio)
    if reduction == "mean":
        d_log_pt /= n
    # d log p_t / d z = e_t - p
    grad = -np.exp(log_p) * d_log_pt[:, None]
    grad[rows, t] += d_log_pt
    return grad.reshape(z.shape).astype(dtype, copy=False)


def focal_loss(logits, target, *, gamma=2.0, alpha=None, reduction="mean"):
    """Softmax focal loss (Lin et al., RetinaNet) from logits.

    .. math:: \\ell = -α_t (1 - p_t)^γ \\log p_t, \\qquad p = \\operatorname{softmax}(z)

    The factor (1 - p_t)^γ shrinks the loss of easy, confident samples so the hard ones dominate.
    γ = 0 with ``alpha=None`` is exactly :func:`cross_entropy`.  The mean is over samples.

    Parameters
    ----------
    logits : array_like ``(n, C)`` or ``(C,)``
    target : integer class indices ``(n,)`` / ``()``
    gamma : float >= 0, default 2.0
    alpha : array_like ``(C,)`` of non-negative class weights, optional
    reduction : {"mean", "sum", "none"}, default "mean"

    Examples
    --------
    >>> round(float(focal_loss([3.5, 0.8, 0.2, -0.5], 0, gamma=0.0)), 4)  # = cross-entropy
    0.1155
    """
    return _focal(logits, target, gamma, alpha, reduction, want_grad=False)


def focal_loss_grad(logits, target, *, gamma=2.0, alpha=None, reduction="mean"):
    """Gradient of :func:`focal_loss` with respect to the logits.

    .. math:: \\frac{\\partial \\ell}{\\partial z} = -α_t (1 - p_t)^γ
              \\Bigl[1 - γ\\, \\frac{p_t \\log p_t}{1 - p_t}\\Bigr] (e_t - p)

    Finite for every γ >= 0, also at p_t = 1 (where the bracket tends to 1 + γ).

    Examples
    --------
    >>> focal_loss_grad([3.5, 0.8, 0.2, -0.5], 0, gamma=0.0).round(3)
    array([-0.109,  0.06 ,  0.033,  0.016])
    """
    return _focal(logits, target, gamma, alpha, reduction, want_grad=True)


def _sigmoid_focal(logits, target, alpha, gamma, reduction, *, want_grad):
    reduction = check_reduction(reduction)
    alpha = check_scalar(alpha, "alpha", high=1)
    gamma = check_scalar(gamma, "gamma", low=0)
    x, y, dtype, work = _binary_inputs(logits, target, "logits")
    p = _sigmoid(x)
    ce = (1 - y) * x - _log_sigmoid(x)  # binary_cross_entropy_with_logits, per element
    one_minus = y * _sigmoid(-x) + (1 - y) * p  # 1 - p_t, without cancellation
    modulator = one_minus**gamma
    alpha_t = alpha * y + (1 - alpha) * (1 - y) if alpha >= 0 else 1.0
    if not want_grad:
        return _finish(alpha_t * ce * modulator, reduction, max(x.size, 1), dtype)
    d_one_minus = (1 - 2 * y) * p * _sigmoid(-x)
    with np.errstate(divide="ignore", invalid="ignore"):
        chain = np.where(one_minus > 0, gamma * one_minus ** (gamma - 1) * d_one_minus, 0.0)
    grad = alpha_t * ((p - y) * modulator + ce * chain)
    if reduction == "mean":
        grad = grad / max(x.size, 1)
    return np.broadcast_to(grad, x.shape).astype(dtype)


def sigmoid_focal_loss(logits, target, *, alpha=0.25, gamma=2.0, reduction="none"):
    """Sigmoid focal loss with ``torchvision.ops.sigmoid_focal_loss`` semantics.

    .. math:: \\ell = α_t\\, (1 - p_t)^γ\\, \\operatorname{BCE}(z, y), \\quad p_t = p y + (1 - p)(1 - y),
              \\quad α_t = α y + (1 - α)(1 - y)

    Parameters
    ----------
    logits : array_like, any shape
    target : array_like, the shape of ``logits``, entries in [0, 1]
    alpha : float <= 1, default 0.25
        Weight of the positives; any alpha < 0 disables the α term (α_t = 1).
    gamma : float >= 0, default 2.0
    reduction : {"none", "mean", "sum"}, default "none" (torchvision's default)

    Examples
    --------
    >>> round(float(sigmoid_focal_loss(0.0, 1.0, alpha=-1, gamma=0.0)), 6)  # = BCE with logits
    0.693147
    """
    return _sigmoid_focal(logits, target, alpha, gamma, reduction, want_grad=False)


def sigmoid_focal_loss_grad(logits, target, *, alpha=0.25, gamma=2.0, reduction="none"):
    """Gradient of :func:`sigmoid_focal_loss` with respect to the logits.

    .. math:: \\frac{\\partial \\ell}{\\partial z} = α_t \\bigl[(p - y)(1 - p_t)^γ
              + γ\\,(1 - p_t)^{γ - 1} (1 - 2y)\\, p (1 - p) \\operatorname{BCE}(z, y)\\bigr]

    Examples
    --------
    >>> float(sigmoid_focal_loss_grad(0.0, 1.0, alpha=-1, gamma=0.0))
    -0.5
    """
    return _sigmoid_focal(logits, target, alpha, gamma, reduction, want_grad=True)


# ------------------------------------------------------------------------------------------- dispatch
_MULTICLASS = {
    "cross_entropy": (cross_entropy, cross_entropy_grad),
    "softmax_mse": (softmax_mse_loss, softmax_mse_loss_grad),
    "focal": (focal_loss, focal_loss_grad),
    "multi_margin": (multi_margin_loss, multi_margin_loss_grad),
}


def loss_and_grad(loss: str, logits, target, **loss_kwargs):
    """Value and logit-gradient of a named multi-class loss, in one pass where the loss allows it.

    Parameters
    ----------
    loss : {"cross_entropy", "softmax_mse", "focal", "multi_margin"}
    logits : array_like ``(n, C)`` or ``(C,)``
    target : class indices (or class probabilities, where the loss accepts them)
    **loss_kwargs
        Keyword arguments of that loss (e.g. ``label_smoothing``, ``gamma``, ``margin``, ``weight``).

    Returns
    -------
    (loss, grad) : the reduced loss and its gradient in the logits' shape.

    Examples
    --------
    >>> value, grad = loss_and_grad("cross_entropy", [[3.5, 0.8, 0.2, -0.5]], [0])
    >>> round(float(value), 4), grad.shape
    (0.1155, (1, 4))
    """
    return _dispatch(loss, logits, target, loss_kwargs, want_loss=True)


def loss_grad(loss: str, logits, target, **loss_kwargs):
    """Only the logit-gradient of a named multi-class loss: what backpropagation needs.

    Same arguments as :func:`loss_and_grad`; skips the loss value where that saves work.

    Examples
    --------
    >>> loss_grad("cross_entropy", [[3.5, 0.8, 0.2, -0.5]], [0]).round(3)
    array([[-0.109,  0.06 ,  0.033,  0.016]])
    """
    return _dispatch(loss, logits, target, loss_kwargs, want_loss=False)[1]


def _dispatch(loss, logits, target, loss_kwargs, *, want_loss):
    if loss not in _MULTICLASS:
        raise ValueError(f"loss must be one of {sorted(_MULTICLASS)}; got {loss!r}")
    if loss == "cross_entropy":
        allowed = {"weight", "ignore_index", "reduction", "label_smoothing"}
        unknown = set(loss_kwargs) - allowed
        if unknown:
            raise ValueError(f"cross_entropy got unexpected keyword arguments {sorted(unknown)}")
        kw = {"weight": None, "ignore_index": -100, "reduction": "mean", "label_smoothing": 0.0} | loss_kwargs
        return _cross_entropy(
            logits,
            target,
            kw["weight"],
            kw["ignore_index"],
            kw["reduction"],
            kw["label_smoothing"],
            want_loss=want_loss,
            want_grad=True,
        )
    value_fn, grad_fn = _MULTICLASS[loss]
    try:
        value = value_fn(logits, target, **loss_kwargs) if want_loss else None
        return value, grad_fn(logits, target, **loss_kwargs)
    except TypeError as exc:  # an unknown keyword: say so as a ValueError naming the loss
        raise ValueError(f"{loss}: {exc}") from None
