"""Scores of a set of predictions: cross-entropy, accuracy, the loss of each class and of each example,
the split H(P̂, Q̄) = H(P̂) + KL(P̂ ‖ Q̄), the confusion matrix and the reliability bins.

The predictions are log-probabilities ``(n, C)`` and true class indices ``(n,)``, e.g. as read by
:func:`core.predictions.parse_predictions`.  :func:`score_predictions` computes everything the page
shows; :func:`worst_examples` and :func:`worst_share` the examples with the highest surprise.

**The split H(P, Q) = H(P) + KL(P ‖ Q) for a data set.**  With one-hot labels the split of each
example's loss is trivial: the truth y_i is certain, H(y_i) = 0, and the whole loss −log q_i(y_i) is
KL(y_i ‖ q_i).  For the data set as a whole, :func:`score_predictions` compares two distributions over
the C classes:

.. math:: \\hat P_k = \\frac{n_k}{n} \\quad\\text{(the share of class k among the labels)}, \\qquad
          \\bar Q_k = \\frac{1}{n} \\sum_{i=1}^{n} q_{ik} \\quad\\text{(the model's mean prediction)}

.. math:: H(\\hat P, \\bar Q) = -\\sum_k \\hat P_k \\log \\bar Q_k
          = \\underbrace{H(\\hat P)}_{\\text{best constant guess}}
          + \\underbrace{\\mathrm{KL}(\\hat P \\,\\|\\, \\bar Q)}_{\\text{class shares missed}}

H(P̂) is the cross-entropy of the best prediction that ignores the inputs (predict P̂ for every
example); KL(P̂ ‖ Q̄) is 0 exactly when the model predicts each class as often, on average, as it occurs.
H(P̂, Q̄) is *not* the data set's cross-entropy CE = (1/n) Σ_i −log q_i(y_i): a perfect model has CE = 0
but H(P̂, Q̄) = H(P̂).  CE is compared with H(P̂) instead: H(P̂) − CE is what the model's inputs tell it
beyond the class shares (negative for a model worse than the constant guess).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from core._validation import check_int
from core.calibration import MAX_BINS, Reliability, reliability
from core.information import cross_entropy_between, entropy, kl_divergence
from core.train import confusion_matrix

__all__ = ["PredictionScores", "rebin", "score_predictions", "worst_examples", "worst_share"]


class PredictionScores(NamedTuple):
    """Everything the page shows about a set of predictions (see :func:`score_predictions`).

    All losses are in nats.  ``(n,)`` arrays are per example, ``(C,)`` per class.

    Attributes
    ----------
    surprise : ndarray ``(n,)``
        −log q_i(y_i); inf where the true class got probability 0.
    cross_entropy : float
        CE = mean surprise; inf if any surprise is.
    n_infinite : int
        Examples whose true class got probability 0.
    finite_cross_entropy : float
        The mean surprise over the other examples (NaN if there are none).
    accuracy : float
        Share of examples whose top class (the first arg max) is the true one.
    mean_confidence : float
        The mean of the top class's probability, max_k q_ik: above ``accuracy`` is over-confident.
    predicted : ndarray of int ``(n,)``
        The top class of each example.
    confusion : ndarray of int ``(C, C)``
        Entry [t, p]: examples of true class t predicted as p.
    counts : ndarray of int ``(C,)``
        n_k, the examples of each true class.
    label_distribution : ndarray ``(C,)``
        P̂_k = n_k / n.
    mean_prediction : ndarray ``(C,)``
        Q̄_k = (1/n) Σ_i q_ik.
    class_loss : ndarray ``(C,)``
        The mean surprise of each class's examples; NaN for a class with none.
    class_accuracy : ndarray ``(C,)``
        The share of each class's examples predicted right (its recall); NaN for a class with none.
    class_contribution : ndarray ``(C,)``
        P̂_k · class_loss_k (0 for a class with no examples): they sum to ``cross_entropy``.
    label_entropy : float
        H(P̂): the cross-entropy of always predicting the class shares.
    marginal_cross_entropy : float
        H(P̂, Q̄) (inf if Q̄ is 0 for a class that occurs).
    marginal_kl : float
        KL(P̂ ‖ Q̄) = H(P̂, Q̄) − H(P̂).
    uniform_loss : float
        log C: the cross-entropy of the uniform guess.
    reliability : core.calibration.Reliability
        Confidence bins, accuracy per bin and the ECE.
    """

    surprise: np.ndarray
    cross_entropy: float
    n_infinite: int
    finite_cross_entropy: float
    accuracy: float
    mean_confidence: float
    predicted: np.ndarray
    confusion: np.ndarray
    counts: np.ndarray
    label_distribution: np.ndarray
    mean_prediction: np.ndarray
    class_loss: np.ndarray
    class_accuracy: np.ndarray
    class_contribution: np.ndarray
    label_entropy: float
    marginal_cross_entropy: float
    marginal_kl: float
    uniform_loss: float
    reliability: Reliability


def _check_log_probs(log_probs) -> np.ndarray:
    arr = np.asarray(log_probs)
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
        raise ValueError(f"log_probs must be a numeric array; got dtype {arr.dtype}")
    arr = arr.astype(np.float64)
    if arr.ndim != 2 or arr.shape[0] == 0 or arr.shape[1] < 2:
        raise ValueError(f"log_probs must be (n, C) with n >= 1 and C >= 2; got shape {arr.shape}")
    if np.isnan(arr).any() or (arr > 1e-9).any():
        bad = tuple(int(i) for i in np.argwhere(np.isnan(arr) | (arr > 1e-9))[0])
        raise ValueError(f"log_probs must be log-probabilities (<= 0, -inf allowed); got {arr[bad]} at {bad}")
    with np.errstate(divide="ignore"):
        totals = np.log(np.exp(arr).sum(axis=1))
    off = np.abs(totals) > 1e-6 * arr.shape[1]
    if off.any():
        row = int(np.argmax(off))
        raise ValueError(
            f"each row of log_probs must be a distribution (exp sums to 1); row {row} sums to "
            f"{math.exp(totals[row]):.6g}. Use log_softmax on logits"
        )
    return arr


def score_predictions(log_probs, labels, *, n_bins: int = 10) -> PredictionScores:
    """Cross-entropy, accuracy, per-class loss, the split of H(P̂, Q̄), the confusion matrix and reliability.

    With q_i the predicted distribution of example i and y_i its true class:

    .. math:: \\mathrm{CE} = \\frac{1}{n} \\sum_{i=1}^{n} -\\log q_i(y_i)
              = \\sum_k \\hat P_k \\, \\mathrm{CE}_k, \\qquad
              \\mathrm{CE}_k = \\frac{1}{n_k} \\sum_{i: y_i = k} -\\log q_i(k)

    so each class contributes P̂_k · CE_k.  P̂, Q̄ and the split H(P̂, Q̄) = H(P̂) + KL(P̂ ‖ Q̄) are defined
    in the module's docstring; H, cross-entropy and KL come from :mod:`core.information`, the reliability
    bins and ECE from :func:`core.calibration.reliability`, the confusion matrix from
    :func:`core.train.confusion_matrix`.

    Parameters
    ----------
    log_probs : array_like ``(n, C)``
        log q_ik (:attr:`Predictions.log_probs`): each row's exp sums to 1; −inf allowed.
    labels : array_like of int ``(n,)``
        True classes in ``[0, C)``.
    n_bins : int in [1, 100], default 10
        Confidence bins of the reliability diagram.

    Returns
    -------
    PredictionScores

    Examples
    --------
    >>> import numpy as np
    >>> s = score_predictions(np.log([[0.5, 0.5], [0.9, 0.1], [0.2, 0.8]]), [0, 0, 1])
    >>> round(s.cross_entropy, 4), s.accuracy   # (ln 2 + ln(10/9) + ln(5/4)) / 3; a tie goes to class 0
    (0.3406, 1.0)
    >>> s.label_distribution.round(4).tolist(), s.mean_prediction.round(4).tolist()
    ([0.6667, 0.3333], [0.5333, 0.4667])
    >>> round(s.label_entropy + s.marginal_kl - s.marginal_cross_entropy, 12)
    0.0
    """
    lp, y, n_bins = _checked(log_probs, labels, n_bins)
    return _score(lp, y, n_bins)


def rebin(scores: PredictionScores, log_probs, labels, *, n_bins: int) -> PredictionScores:
    """``scores`` with the reliability bins and ECE for ``n_bins``, for the cost of the bins alone.

    The same as ``score_predictions(log_probs, labels, n_bins=n_bins)`` when ``scores`` is that function's
    result for the same predictions with any number of bins: only :attr:`PredictionScores.reliability`
    depends on the bins.  A page whose bins slider reruns alone uses it.

    Examples
    --------
    >>> import numpy as np
    >>> lp, y = np.log([[0.5, 0.5], [0.9, 0.1], [0.2, 0.8]]), [0, 0, 1]
    >>> rebin(score_predictions(lp, y), lp, y, n_bins=3).reliability.ece == score_predictions(
    ...     lp, y, n_bins=3).reliability.ece
    True
    """
    lp, y, n_bins = _checked(log_probs, labels, n_bins)
    return scores._replace(reliability=reliability(_probabilities(lp), y, n_bins))


def _checked(log_probs, labels, n_bins) -> tuple[np.ndarray, np.ndarray, int]:
    """The checked log-probabilities, labels (as indices) and number of bins, or a ValueError naming one."""
    lp = _check_log_probs(log_probs)
    n, n_classes = lp.shape
    y = np.asarray(labels)
    if y.shape != (n,) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(
            f"labels must be {n} integer class indices, one per row of log_probs; got {y.dtype} {y.shape}"
        )
    if ((y < 0) | (y >= n_classes)).any():
        bad = int(np.argmax((y < 0) | (y >= n_classes)))
        raise ValueError(
            f"labels must be class indices in [0, {n_classes}); got {int(y[bad])} at position {bad}"
        )
    return lp, y.astype(np.intp), check_int(n_bins, "n_bins", low=1, high=MAX_BINS)


def _probabilities(lp: np.ndarray) -> np.ndarray:
    """q_ik = exp(log q_ik), each row divided by its sum (exp of a row of log-softmax sums to 1 ± ulp)."""
    probs = np.exp(lp)
    probs /= probs.sum(axis=1, keepdims=True)
    return probs


def _score(lp: np.ndarray, y: np.ndarray, n_bins: int) -> PredictionScores:
    n, n_classes = lp.shape
    surprise = -lp[np.arange(n), y] + 0.0  # + 0.0 turns −0.0 into 0.0
    finite = np.isfinite(surprise)
    n_infinite = int((~finite).sum())
    probs = _probabilities(lp)
    predicted = lp.argmax(axis=1)
    correct = predicted == y
    counts = np.bincount(y, minlength=n_classes)
    label_dist = counts / n
    mean_pred = probs.mean(axis=0)
    mean_pred /= mean_pred.sum()
    seen = counts > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        class_loss = np.where(seen, np.bincount(y, weights=surprise, minlength=n_classes) / counts, np.nan)
        class_accuracy = np.where(seen, np.bincount(y, weights=correct, minlength=n_classes) / counts, np.nan)
    contribution = np.where(seen, label_dist * np.where(seen, class_loss, 0.0), 0.0)
    h_p = float(entropy(label_dist))
    if ((label_dist > 0) & (mean_pred == 0)).any():
        h_pq, kl = math.inf, math.inf
    else:
        h_pq = float(cross_entropy_between(label_dist, mean_pred))
        kl = float(kl_divergence(label_dist, mean_pred))
    return PredictionScores(
        surprise=surprise,
        cross_entropy=float(surprise.mean()),
        n_infinite=n_infinite,
        finite_cross_entropy=float(surprise[finite].mean()) if finite.any() else math.nan,
        accuracy=float(correct.mean()),
        mean_confidence=float(probs.max(axis=1).mean()),
        predicted=predicted,
        confusion=confusion_matrix(y, predicted, n_classes),
        counts=counts,
        label_distribution=label_dist,
        mean_prediction=mean_pred,
        class_loss=class_loss,
        class_accuracy=class_accuracy,
        class_contribution=contribution,
        label_entropy=h_p,
        marginal_cross_entropy=h_pq,
        marginal_kl=kl,
        uniform_loss=math.log(n_classes),
        reliability=reliability(probs, y, n_bins),
    )


def _check_surprise(surprise) -> np.ndarray:
    arr = np.asarray(surprise, dtype=np.float64)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"surprise must be a non-empty 1-D array; got shape {arr.shape}")
    if np.isnan(arr).any() or (arr < 0).any():
        raise ValueError("surprise must hold values >= 0 (inf allowed), one per example")
    return arr


def worst_examples(surprise, k: int) -> np.ndarray:
    """The indices of the ``k`` examples with the highest surprise, highest first (ties: earlier first).

    Parameters
    ----------
    surprise : array_like ``(n,)``
        −log q_i(y_i) (:attr:`PredictionScores.surprise`), inf allowed.
    k : int >= 1
        At most n are returned.

    Returns
    -------
    ndarray of int ``(min(k, n),)``

    Examples
    --------
    >>> worst_examples([0.1, 2.0, float("inf"), 2.0], 3).tolist()
    [2, 1, 3]
    """
    arr = _check_surprise(surprise)
    k = check_int(k, "k", low=1)
    return np.argsort(-arr, kind="stable")[:k]


def worst_share(surprise, k: int) -> float:
    """The share of the total surprise (n · CE) carried by the ``k`` worst examples.

    .. math:: \\frac{\\sum_{i \\in \\text{worst } k} s_i}{\\sum_{i=1}^{n} s_i}

    1.0 if the total is 0 and k >= 1 covers it all, or if it is infinite (the infinite surprises are the
    worst, and they carry all of it).

    Examples
    --------
    >>> worst_share([1.0, 2.0, 5.0, 2.0], 1)
    0.5
    """
    arr = _check_surprise(surprise)
    k = check_int(k, "k", low=1)
    total = float(arr.sum())
    if total == 0 or math.isinf(total):
        return 1.0
    return float(arr[worst_examples(arr, k)].sum() / total)
