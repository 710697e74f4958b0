"""Calibration of a classifier: reliability diagrams, ECE, NLL, the Brier score, and temperature scaling.

A classifier is *calibrated* when its confidence can be taken at its word: among the examples where it
gives its top class 80 %, that class is right 80 % of the time.  For probabilities ``p_i`` over C classes
and true classes ``y_i`` (i = 1 … n), write the confidence and the prediction

.. math:: c_i = \\max_k p_{ik}, \\qquad \\hat y_i = \\arg\\max_k p_{ik}

- :func:`reliability`: confidence bins against accuracy, and the expected calibration error (ECE);
- :func:`brier_score` and :func:`calibration_scores` (accuracy, mean confidence, NLL, Brier, ECE from
  logits, at a temperature);
- temperature scaling (Guo et al., 2017, "On calibration of modern neural networks"): divide every
  logit by one number T > 0, fitted on a validation split by minimising the NLL.  It never changes a
  prediction (the arg max of z/T is the arg max of z), only how sure the model is.
  :func:`temperature_nll` and its derivative :func:`temperature_nll_grad`, :func:`nll_curve`,
  :func:`fit_temperature`;
- the calibration lab's network: :func:`digits_splits` and :func:`train_calibration_run`, which trains
  a :class:`core.MLP` on the digits with :class:`core.train.Trainer` (the Train page's trainer) and keeps
  what the lab shows; :func:`calibration_at` and :func:`calibration_sweep` score it before and after
  temperature scaling.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from core._validation import (
    as_float_array,
    check_class_indices,
    check_distribution,
    check_int,
    check_logits_2d,
    check_scalar,
)
from core.data import load_digits, train_test_split
from core.functional import _log_softmax, _softmax
from core.gradcheck import numerical_gradient
from core.mlp import MLP
from core.train import Trainer

__all__ = [
    "MAX_BINS",
    "MAX_EPOCHS",
    "SPLIT_SHARES",
    "T_MAX",
    "T_MIN",
    "CalibrationRun",
    "CalibrationScores",
    "EpochCalibration",
    "Reliability",
    "TemperatureCheck",
    "TemperatureFit",
    "brier_score",
    "calibration_at",
    "calibration_scores",
    "calibration_sweep",
    "check_temperature_fit",
    "digits_splits",
    "expected_calibration_error",
    "fit_temperature",
    "nll_curve",
    "reliability",
    "temperature_nll",
    "temperature_nll_grad",
    "train_calibration_run",
]

MAX_BINS = 100
#: The range :func:`fit_temperature` searches by default: from 20 times sharper to 20 times flatter.
T_MIN, T_MAX = 0.05, 20.0


# ------------------------------------------------------------------------------------------- validation
def _check_probs(probs) -> np.ndarray:
    arr = as_float_array(probs, "probs")
    if arr.ndim != 2 or arr.shape[0] == 0:
        raise ValueError(f"probs must be a 2-D array (n, C) with n >= 1; got shape {arr.shape}")
    check_distribution(arr, "probs")
    return arr


def _check_logits(logits) -> np.ndarray:
    arr = check_logits_2d(logits, "logits")
    if arr.ndim != 2:
        raise ValueError(f"logits must be a 2-D array (n, C), one row per example; got shape {arr.shape}")
    return arr


def _check_labels(labels, scores: np.ndarray, scores_name: str) -> np.ndarray:
    arr = np.asarray(labels)
    if arr.ndim != 1 or arr.shape[0] != scores.shape[0]:
        raise ValueError(
            f"labels must have shape ({scores.shape[0]},), one class index per row of {scores_name}; "
            f"got shape {arr.shape}"
        )
    return check_class_indices(arr, scores, name="labels")


def _check_bins(n_bins) -> int:
    return check_int(n_bins, "n_bins", low=1, high=MAX_BINS)


def _check_temperature(temperature, name: str = "temperature") -> float:
    return check_scalar(temperature, name, low=0.0, low_open=True)


# ------------------------------------------------------------------------------------ reliability
class Reliability(NamedTuple):
    """Confidence bins against accuracy: the numbers behind a reliability diagram.

    Attributes
    ----------
    edges : ndarray ``(M + 1,)``
        Bin edges 0, 1/M, …, 1; bin m holds the confidences in ``(edges[m], edges[m + 1]]`` (the first
        bin also holds 0).
    counts : ndarray of int ``(M,)``
        Examples per bin, |B_m|.
    confidence : ndarray ``(M,)``
        Mean confidence of each bin, conf(B_m); NaN for an empty bin.
    accuracy : ndarray ``(M,)``
        Share of each bin's examples whose top class is right, acc(B_m); NaN for an empty bin.
    ece : float
        The expected calibration error Σ_m |B_m|/n · |acc(B_m) − conf(B_m)|.
    n : int
        Number of examples.
    """

    edges: np.ndarray
    counts: np.ndarray
    confidence: np.ndarray
    accuracy: np.ndarray
    ece: float
    n: int


def _reliability(probs: np.ndarray, labels: np.ndarray, n_bins: int) -> Reliability:
    conf = probs.max(axis=1).astype(np.float64)
    correct = (probs.argmax(axis=1) == labels).astype(np.float64)
    # Bin m (0-based) is ((m)/M, (m+1)/M]: ceil(c·M) − 1, with c = 0 put in the first bin.
    index = np.clip(np.ceil(conf * n_bins).astype(np.intp) - 1, 0, n_bins - 1)
    counts = np.bincount(index, minlength=n_bins)
    conf_sum = np.bincount(index, weights=conf, minlength=n_bins)
    right_sum = np.bincount(index, weights=correct, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_conf = np.where(counts > 0, conf_sum / counts, np.nan)
        accuracy = np.where(counts > 0, right_sum / counts, np.nan)
    n = probs.shape[0]
    # Σ_m |B_m|/n · |acc − conf| = (1/n) Σ_m |Σ_{i∈B_m} (1[right] − c_i)|, with no NaN from empty bins.
    ece = float(np.abs(right_sum - conf_sum).sum() / n)
    return Reliability(np.linspace(0.0, 1.0, n_bins + 1), counts, mean_conf, accuracy, ece, n)


def reliability(probs, labels, n_bins: int = 10) -> Reliability:
    """Bin the examples by confidence and compare each bin's mean confidence with its accuracy.

    With M equal-width bins B_m = ((m − 1)/M, m/M] of the confidence c_i = max_k p_ik:

    .. math:: \\operatorname{acc}(B_m) = \\frac{1}{|B_m|} \\sum_{i \\in B_m} 1[\\hat y_i = y_i], \\qquad
              \\operatorname{conf}(B_m) = \\frac{1}{|B_m|} \\sum_{i \\in B_m} c_i

    .. math:: \\mathrm{ECE} = \\sum_{m=1}^{M} \\frac{|B_m|}{n}
              \\bigl|\\operatorname{acc}(B_m) - \\operatorname{conf}(B_m)\\bigr|

    A calibrated model's bars reach the diagonal acc = conf; bars below it are over-confident bins.
    The predicted class is the first arg max (as ``np.argmax``).  The bins are right-closed as in Guo
    et al. (2017), so a confidence of exactly 0.8 lands in (0.7, 0.8].

    Parameters
    ----------
    probs : array_like ``(n, C)``
        Probabilities; each row in [0, 1] and summing to 1 (within 1e-6 · C).
    labels : array_like of int ``(n,)``
        True classes in ``[0, C)``.
    n_bins : int in [1, 100], default 10
        M.

    Returns
    -------
    Reliability

    Examples
    --------
    >>> probs = [[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.6, 0.4]]
    >>> r = reliability(probs, [0, 1, 1, 0], n_bins=5)
    >>> r.counts.tolist(), r.accuracy.round(2).tolist()
    ([0, 0, 1, 2, 1], [nan, nan, 1.0, 0.5, 1.0])
    >>> round(r.ece, 4)   # (|1 − 0.6| + 2·|0.5 − 0.75| + |1 − 0.9|) / 4
    0.25
    """
    probs = _check_probs(probs)
    return _reliability(probs, _check_labels(labels, probs, "probs"), _check_bins(n_bins))


def expected_calibration_error(probs, labels, n_bins: int = 10) -> float:
    """The expected calibration error (ECE) of probabilities ``(n, C)``: :attr:`Reliability.ece`.

    See :func:`reliability` for the formula and the bins.  0 for a calibrated model, at most 1.

    Examples
    --------
    >>> round(expected_calibration_error([[0.9, 0.1], [0.9, 0.1]], [0, 1], n_bins=10), 3)
    0.4
    """
    return reliability(probs, labels, n_bins).ece


def _brier(probs: np.ndarray, labels: np.ndarray) -> float:
    sq = probs.astype(np.float64) ** 2
    rows = np.arange(labels.size)
    # Σ_k (p_k − y_k)² = Σ_k p_k² − 2 p_y + 1
    return float(np.mean(sq.sum(axis=1) - 2.0 * probs[rows, labels] + 1.0))


def brier_score(probs, labels) -> float:
    """The multi-class Brier score: the mean squared distance between p_i and the one-hot truth.

    .. math:: \\mathrm{BS} = \\frac{1}{n} \\sum_{i=1}^{n} \\sum_{k=1}^{C} \\bigl(p_{ik} - 1[k = y_i]\\bigr)^2

    Brier's (1950) original, summed over the classes: between 0 (sure and right) and 2 (sure and
    wrong).  Like the NLL it is a proper scoring rule, but its penalty is bounded.

    Parameters
    ----------
    probs : array_like ``(n, C)``, rows summing to 1
    labels : array_like of int ``(n,)`` in ``[0, C)``

    Returns
    -------
    float

    Examples
    --------
    >>> brier_score([[1.0, 0.0], [0.5, 0.5]], [0, 1])   # (0 + (0.25 + 0.25)) / 2
    0.25
    """
    probs = _check_probs(probs)
    return _brier(probs, _check_labels(labels, probs, "probs"))


class CalibrationScores(NamedTuple):
    """The scores of logits at one temperature (see :func:`calibration_scores`)."""

    accuracy: float
    confidence: float
    nll: float
    brier: float
    ece: float
    reliability: Reliability

    @property
    def overconfidence(self) -> float:
        """Mean confidence minus accuracy: > 0 over-confident, < 0 under-confident."""
        return self.confidence - self.accuracy


def calibration_scores(logits, labels, *, temperature: float = 1.0, n_bins: int = 10) -> CalibrationScores:
    """Accuracy, mean confidence, NLL, Brier score, ECE and the reliability bins of ``softmax(z / T)``.

    .. math:: \\mathrm{NLL} = -\\frac{1}{n} \\sum_{i=1}^{n} \\log \\operatorname{softmax}(z_i / T)_{y_i}

    computed from the logits with log-softmax (never ``log(softmax)``); the Brier score and ECE as in
    :func:`brier_score` and :func:`reliability`.  Computed in float64 whatever the logits' dtype.

    Parameters
    ----------
    logits : array_like ``(n, C)``
    labels : array_like of int ``(n,)`` in ``[0, C)``
    temperature : float > 0, default 1.0
    n_bins : int in [1, 100], default 10

    Returns
    -------
    CalibrationScores
        ``accuracy``, ``confidence`` (mean of c_i), ``nll`` (nats), ``brier``, ``ece`` (floats), and
        ``reliability``; the property ``overconfidence`` is confidence − accuracy.

    Examples
    --------
    >>> z = [[2.0, 0.0], [2.0, 0.0], [0.0, 1.0]]
    >>> s = calibration_scores(z, [0, 1, 1])
    >>> round(s.accuracy, 4), round(s.confidence, 4), round(s.nll, 4)
    (0.6667, 0.8309, 0.8557)
    >>> calibration_scores(z, [0, 1, 1], temperature=3.0).accuracy == s.accuracy   # T keeps the arg max
    True
    """
    z = _check_logits(logits)
    labels = _check_labels(labels, z, "logits")
    temperature = _check_temperature(temperature)
    n_bins = _check_bins(n_bins)
    return _scores(z.astype(np.float64, copy=False), labels, temperature, n_bins)


def _scores(z: np.ndarray, labels: np.ndarray, temperature: float, n_bins: int) -> CalibrationScores:
    log_p = _log_softmax(z, axis=1, temperature=temperature)
    probs = np.exp(log_p)
    rel = _reliability(probs, labels, n_bins)
    rows = np.arange(labels.size)
    return CalibrationScores(
        accuracy=float(np.mean(probs.argmax(axis=1) == labels)),
        confidence=float(probs.max(axis=1).mean()),
        nll=float(-log_p[rows, labels].mean()),
        brier=_brier(probs, labels),
        ece=rel.ece,
        reliability=rel,
    )


# ---------------------------------------------------------------------------------- temperature scaling
def _nll(z: np.ndarray, labels: np.ndarray, temperature: float) -> float:
    log_p = _log_softmax(z, axis=1, temperature=temperature)
    return float(-log_p[np.arange(labels.size), labels].mean())


def temperature_nll(logits, labels, temperature: float) -> float:
    """The mean NLL of ``softmax(z / T)``, as a function of the temperature T.

    .. math:: \\mathrm{NLL}(T) = \\frac{1}{n} \\sum_{i=1}^{n}
              \\Bigl[\\log \\sum_{k} e^{z_{ik}/T} - \\frac{z_{i y_i}}{T}\\Bigr]

    Parameters
    ----------
    logits : array_like ``(n, C)``
    labels : array_like of int ``(n,)`` in ``[0, C)``
    temperature : float > 0

    Returns
    -------
    float (nats), computed in float64.

    Examples
    --------
    >>> round(temperature_nll([[2.0, 0.0]], [0], 1.0), 4), round(temperature_nll([[2.0, 0.0]], [0], 2.0), 4)
    (0.1269, 0.3133)
    """
    z = _check_logits(logits)
    labels = _check_labels(labels, z, "logits")
    return _nll(z.astype(np.float64, copy=False), labels, _check_temperature(temperature))


def _grad_beta_parts(z: np.ndarray, labels: np.ndarray, beta: float) -> tuple[float, float]:
    """f'(β) and f''(β) of f(β) = NLL(1/β): the mean of E_p[z] − z_y and of Var_p[z], p = softmax(βz)."""
    p = _softmax(z, axis=1, temperature=1.0 / beta)
    mean = (p * z).sum(axis=1)
    centred = z - mean[:, None]
    var = (p * centred * centred).sum(axis=1)
    z_true = z[np.arange(labels.size), labels]
    return float(np.mean(mean - z_true)), float(np.mean(var))


def temperature_nll_grad(logits, labels, temperature: float) -> float:
    """The derivative dNLL/dT of :func:`temperature_nll`, the twin of that function.

    With p_i = softmax(z_i / T):

    .. math:: \\frac{d\\,\\mathrm{NLL}}{dT} = \\frac{1}{n} \\sum_{i=1}^{n}
              \\frac{z_{i y_i} - \\sum_k p_{ik} z_{ik}}{T^2}

    It is negative when raising T lowers the NLL, the mark of an over-confident model.

    Parameters
    ----------
    Same as :func:`temperature_nll`.

    Returns
    -------
    float, computed in float64.

    Examples
    --------
    >>> round(temperature_nll_grad([[2.0, 0.0]], [0], 1.0), 4)   # 2 − 2·softmax(2, 0)₀ = 2·0.1192
    0.2384
    """
    z = _check_logits(logits)
    labels = _check_labels(labels, z, "logits")
    temperature = _check_temperature(temperature)
    slope_beta, _ = _grad_beta_parts(z.astype(np.float64, copy=False), labels, 1.0 / temperature)
    # dNLL/dT = f'(β) · dβ/dT = f'(β) · (−1/T²), and −f'(β) = mean(z_y − E_p z).
    return -slope_beta / temperature**2


def nll_curve(logits, labels, temperatures) -> np.ndarray:
    """:func:`temperature_nll` at each temperature of ``(m,)``: the curve that temperature scaling minimises.

    Examples
    --------
    >>> nll_curve([[2.0, 0.0]], [0], [1.0, 2.0]).round(4)
    array([0.1269, 0.3133])
    """
    z = _check_logits(logits)
    labels = _check_labels(labels, z, "logits")
    temps = as_float_array(temperatures, "temperatures")
    if temps.ndim != 1 or temps.size == 0:
        raise ValueError(f"temperatures must be a 1-D array with at least one entry; got shape {temps.shape}")
    if (temps <= 0).any():
        bad = int(np.flatnonzero(temps <= 0)[0])
        raise ValueError(f"temperatures must be > 0; got {float(temps[bad]):g} at position {bad}")
    z64 = z.astype(np.float64, copy=False)
    return np.array([_nll(z64, labels, float(t)) for t in temps])


class TemperatureFit(NamedTuple):
    """The result of :func:`fit_temperature`.

    Attributes
    ----------
    temperature : float
        T*, the minimiser of the NLL in ``[t_min, t_max]``.
    nll : float
        NLL(T*).
    nll_at_one : float
        NLL(1), the model as trained.
    iterations : int
        Newton (or bisection) steps taken; 0 if T* is a bound or the NLL does not depend on T.
    at_bound : bool
        True if T* is ``t_min`` or ``t_max`` (the minimum lies at or beyond the bound).
    """

    temperature: float
    nll: float
    nll_at_one: float
    iterations: int
    at_bound: bool


def fit_temperature(
    logits, labels, *, t_min: float = T_MIN, t_max: float = T_MAX, rtol: float = 1e-12, max_iter: int = 100
) -> TemperatureFit:
    """Fit the temperature T that minimises the NLL of ``softmax(z / T)`` (temperature scaling).

    **The method.**  Write β = 1/T.  As a function of β the NLL is convex,

    .. math:: f(β) = \\frac{1}{n} \\sum_i \\Bigl[\\log \\sum_k e^{β z_{ik}} - β z_{i y_i}\\Bigr], \\qquad
              f'(β) = \\frac{1}{n} \\sum_i \\bigl(\\mathbb{E}_{p_i}[z_i] - z_{i y_i}\\bigr), \\qquad
              f''(β) = \\frac{1}{n} \\sum_i \\operatorname{Var}_{p_i}[z_i] \\ge 0

    with p_i = softmax(β z_i) (log-sum-exp is convex and the second term is linear), so f' only grows
    and has at most one root; in T or log T the NLL need not be convex.  The search runs on
    β ∈ [1/t_max, 1/t_min]:

    1. if f'(1/t_max) ≥ 0 the minimum is at T = t_max (or beyond); if f'(1/t_min) ≤ 0 it is at
       T = t_min (or below: the model is right on every example with room to spare);
    2. otherwise safeguarded Newton from β = 1: β ← β − f'(β)/f''(β), keeping a bracket [lo, hi] with
       f'(lo) < 0 < f'(hi) and bisecting whenever the Newton step leaves it;
    3. stop when a step changes β by at most ``rtol · β`` (quadratic convergence: about 5 steps).

    If no row's logits differ (the NLL is log C at every T), T* = 1.

    Parameters
    ----------
    logits : array_like ``(n, C)``
        Usually the validation split's logits: fit T on data the network was not trained on.
    labels : array_like of int ``(n,)`` in ``[0, C)``
    t_min, t_max : float, 0 < t_min < 1 < t_max, defaults 0.05 and 20
    rtol : float > 0, default 1e-12
    max_iter : int >= 1, default 100

    Returns
    -------
    TemperatureFit
        ``temperature``, ``nll``, ``nll_at_one``, ``iterations``, ``at_bound``.

    Examples
    --------
    >>> z = [[4.0, 0.0, 0.0], [4.0, 0.0, 0.0], [0.0, 4.0, 0.0], [0.0, 0.0, 4.0]]
    >>> fit = fit_temperature(z, [0, 1, 1, 2])      # one confident mistake in four
    >>> round(fit.temperature, 4), fit.nll < fit.nll_at_one, fit.at_bound
    (2.2324, True, False)
    """
    z = _check_logits(logits)
    labels = _check_labels(labels, z, "logits")
    t_min = _check_temperature(t_min, "t_min")
    t_max = _check_temperature(t_max, "t_max")
    if not t_min < 1.0 < t_max:
        raise ValueError(
            f"t_min and t_max must satisfy 0 < t_min < 1 < t_max; got t_min={t_min:g}, t_max={t_max:g}"
        )
    rtol = check_scalar(rtol, "rtol", low=0.0, low_open=True)
    max_iter = check_int(max_iter, "max_iter", low=1)
    z = z.astype(np.float64, copy=False)
    return _fit_temperature(z, labels, t_min, t_max, rtol, max_iter)


def _fit_temperature(z, labels, t_min, t_max, rtol, max_iter, beta: float = 1.0) -> TemperatureFit:
    """The search of :func:`fit_temperature`, starting Newton from ``beta`` (clipped into the bracket)."""
    nll_at_one = _nll(z, labels, 1.0)

    def done(beta: float, iterations: int, at_bound: bool) -> TemperatureFit:
        temperature = 1.0 / beta
        return TemperatureFit(temperature, _nll(z, labels, temperature), nll_at_one, iterations, at_bound)

    if not (np.ptp(z, axis=1) > 0).any():
        return TemperatureFit(1.0, nll_at_one, nll_at_one, 0, False)
    lo, hi = 1.0 / t_max, 1.0 / t_min
    if _grad_beta_parts(z, labels, lo)[0] >= 0:
        return done(lo, 0, True)
    if _grad_beta_parts(z, labels, hi)[0] <= 0:
        return done(hi, 0, True)
    beta = min(max(beta, lo), hi)
    for iteration in range(1, max_iter + 1):
        slope, curvature = _grad_beta_parts(z, labels, beta)
        if slope == 0:
            return done(beta, iteration, False)
        if slope < 0:
            lo = beta
        else:
            hi = beta
        step = slope / curvature if curvature > 0 else math.inf
        if abs(step) <= rtol * beta:  # converged: the Newton step is below the resolution asked for
            return done(min(max(beta - step, lo), hi), iteration, False)
        new = beta - step
        if not lo < new < hi:  # the Newton step leaves the bracket: bisect instead
            new = 0.5 * (lo + hi)
        if abs(new - beta) <= rtol * beta:  # the bracket itself has shrunk to the resolution
            return done(new, iteration, False)
        beta = new
    return done(beta, max_iter, False)


class TemperatureCheck(NamedTuple):
    """Independent checks of a fitted temperature (see :func:`check_temperature_fit`)."""

    grid: np.ndarray
    grid_nll: np.ndarray
    grid_temperature: float
    grid_min_nll: float
    slope_at_fit: float
    slope_at_one: float
    finite_difference_at_one: float


def check_temperature_fit(logits, labels, fit: TemperatureFit, *, grid_size: int = 2001) -> TemperatureCheck:
    """Check a fitted temperature two independent ways: a grid search, and finite differences.

    - **Grid search:** the NLL at ``grid_size`` temperatures spaced evenly on a log scale over
      [``T_MIN``, ``T_MAX``]; its smallest value should sit at the grid point nearest T* (neighbours
      differ by a factor (T_MAX/T_MIN)^(1/(grid_size − 1)), 0.3 % for 2001 points).
    - **Derivative:** dNLL/dT (:func:`temperature_nll_grad`) at T* should be 0, and at T = 1 it should
      equal the central difference (NLL(1 + h) − NLL(1 − h)) / 2h with h = 1e-6.

    Parameters
    ----------
    logits : array_like ``(n, C)``
    labels : array_like of int ``(n,)``
    fit : TemperatureFit
        From :func:`fit_temperature` on the same logits and labels.
    grid_size : int in [3, 100000], default 2001

    Returns
    -------
    TemperatureCheck
        ``grid`` and ``grid_nll`` (the curve, for a chart), ``grid_temperature`` and ``grid_min_nll``
        (its minimum), ``slope_at_fit``, ``slope_at_one`` and ``finite_difference_at_one``.

    Examples
    --------
    >>> z = [[4.0, 0.0, 0.0], [4.0, 0.0, 0.0], [0.0, 4.0, 0.0], [0.0, 0.0, 4.0]]
    >>> check = check_temperature_fit(z, [0, 1, 1, 2], fit_temperature(z, [0, 1, 1, 2]))
    >>> round(check.grid_temperature, 2), abs(check.slope_at_fit) < 1e-9
    (2.23, True)
    >>> round(check.slope_at_one, 6) == round(check.finite_difference_at_one, 6)
    True
    """
    z = _check_logits(logits)
    labels = _check_labels(labels, z, "logits")
    if not isinstance(fit, TemperatureFit):
        raise ValueError(f"fit must be the TemperatureFit that fit_temperature returned; got {fit!r}")
    grid_size = check_int(grid_size, "grid_size", low=3, high=100_000)
    z = z.astype(np.float64, copy=False)
    grid = np.geomspace(T_MIN, T_MAX, grid_size)
    curve = np.array([_nll(z, labels, float(t)) for t in grid])
    best = int(np.argmin(curve))

    def slope(temperature: float) -> float:
        return -_grad_beta_parts(z, labels, 1.0 / temperature)[0] / temperature**2

    numeric = numerical_gradient(lambda t: _nll(z, labels, float(t[0])), [1.0], eps=1e-6)
    return TemperatureCheck(
        grid=grid,
        grid_nll=curve,
        grid_temperature=float(grid[best]),
        grid_min_nll=float(curve[best]),
        slope_at_fit=slope(fit.temperature),
        slope_at_one=slope(1.0),
        finite_difference_at_one=float(numeric[0]),
    )


# ------------------------------------------------------------------------------ the lab's network
#: Shares of the digits in the lab's three splits: few training digits, so the network can memorise them.
SPLIT_SHARES = {"train": 0.2, "validation": 0.2, "test": 0.6}
#: The lab's optimiser: full-batch gradient descent with momentum (one step per epoch, no shuffling noise).
LAB_LR = 0.5
LAB_MOMENTUM = 0.9
MAX_EPOCHS = 1000


def digits_splits(seed: int = 0) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The digits (:func:`core.data.load_digits`) split into training, validation and test parts.

    Stratified by digit with :func:`core.data.train_test_split`: first 60 % of each digit goes to the
    test split, then the rest is halved into training and validation (:data:`SPLIT_SHARES`).

    Parameters
    ----------
    seed : int >= 0, default 0

    Returns
    -------
    dict
        ``"train"``, ``"validation"``, ``"test"``: each ``(X (n, 64) float64, y (n,) int64)``.

    Examples
    --------
    >>> parts = digits_splits()
    >>> {name: len(y) for name, (X, y) in parts.items()}
    {'train': 360, 'validation': 359, 'test': 1078}
    """
    seed = check_int(seed, "seed", low=0)
    X, y = load_digits()
    test_share = SPLIT_SHARES["test"]
    X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_share, seed=seed)
    val_share = SPLIT_SHARES["validation"] / (1.0 - test_share)
    X_train, X_val, y_train, y_val = train_test_split(X_rest, y_rest, val_share, seed=seed)
    return {"train": (X_train, y_train), "validation": (X_val, y_val), "test": (X_test, y_test)}


def _curve_epochs(last: int, wanted: list[int]) -> np.ndarray:
    """Epochs 0 … 10, then about 15 more spaced evenly on a log scale up to ``last``, and ``wanted``."""
    every = set(range(min(last, 10) + 1))
    if last > 10:
        every |= {int(e) for e in np.round(np.geomspace(10, last, 16))}
    return np.array(sorted(every | set(wanted)))


def _summary(z: np.ndarray, labels: np.ndarray) -> tuple[float, float, float]:
    """Accuracy, mean confidence and NLL of logits (the curve's cheap subset of :func:`_scores`)."""
    log_p = _log_softmax(z, axis=1)
    top = log_p.max(axis=1)
    accuracy = float(np.mean(log_p.argmax(axis=1) == labels))
    return accuracy, float(np.exp(top).mean()), float(-log_p[np.arange(labels.size), labels].mean())


class CalibrationRun(NamedTuple):
    """One training run of the lab's network and what the lab shows of it (see :func:`train_calibration_run`).

    Attributes
    ----------
    sizes : tuple of int
        The network's layer sizes ``(64, width, 10)``.
    label_smoothing : float
        ε of the training loss.
    snapshots : dict[int, dict[str, ndarray]]
        For each requested epoch: ``{"validation": logits (n_val, 10), "test": logits (n_test, 10)}``.
    labels : dict[str, ndarray]
        ``"validation"`` and ``"test"`` true digits.
    curve : dict[str, ndarray]
        One entry per recorded epoch: every epoch 0 … 10 (0 is the untrained network), about 15 more
        spaced evenly on a log scale up to E, and the snapshot epochs.  ``"epoch"``; ``"train_loss"`` (the
        training objective, label-smoothed if ε > 0); on the test split ``"accuracy"``,
        ``"confidence"`` (mean c_i) and ``"nll"``; ``"temperature"``, the T fitted on the validation
        split at that epoch, and ``"nll_scaled"``, the test NLL at that T.
    n_train : int
    diverged_at : int or None
        The epoch in which training diverged (the network then keeps its last finite weights), or None.
    """

    sizes: tuple[int, ...]
    label_smoothing: float
    snapshots: dict
    labels: dict
    curve: dict
    n_train: int
    diverged_at: int | None


def train_calibration_run(
    width: int,
    label_smoothing: float,
    snapshot_epochs,
    *,
    seed: int = 0,
    lr: float = LAB_LR,
    momentum: float = LAB_MOMENTUM,
) -> CalibrationRun:
    """Train the lab's network on the digits and record its calibration after every epoch.

    The network is ``core.MLP([64, width, 10])`` (ReLU, initial weights from ``seed``), trained with
    :class:`core.train.Trainer` (the Train page's trainer) on the training split of
    :func:`digits_splits` with cross-entropy (label-smoothed with ε if ``label_smoothing > 0``),
    full-batch (one gradient step per epoch) with learning rate ``lr`` and momentum ``momentum``.
    Deterministic: the same arguments give the same numbers.  At the curve's epochs (see
    :class:`CalibrationRun`) the test split is scored and T is fitted on the validation split
    (:func:`fit_temperature`); at the ``snapshot_epochs`` the validation and test logits are kept.

    Parameters
    ----------
    width : int in [1, 1024]
        Units of the hidden layer.
    label_smoothing : float in [0, 1)
        ε: the training target is (1 − ε) one-hot + ε/10.
    snapshot_epochs : sequence of int in [0, 1000]
        The epochs whose logits are kept; training runs to the largest.
    seed : int >= 0, default 0
        Seeds the splits and the initial weights.
    lr : float > 0, default 0.5
    momentum : float in [0, 1), default 0.9

    Returns
    -------
    CalibrationRun

    Examples
    --------
    >>> run = train_calibration_run(16, 0.0, [0, 5])
    >>> sorted(run.snapshots), run.snapshots[5]["test"].shape, run.curve["epoch"].tolist()
    ([0, 5], (1078, 10), [0, 1, 2, 3, 4, 5])
    >>> recorded = train_calibration_run(16, 0.0, [30]).curve["epoch"]   # every epoch to 10, then a log grid
    >>> recorded[:12].tolist(), recorded[-3:].tolist()
    ([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [26, 28, 30])
    >>> bool(run.curve["accuracy"][5] > run.curve["accuracy"][0])
    True
    """
    width = check_int(width, "width", low=1, high=1024)
    eps = check_scalar(label_smoothing, "label_smoothing", low=0.0, high=1.0, high_open=True)
    epochs = np.asarray(snapshot_epochs)
    if epochs.ndim != 1 or epochs.size == 0 or not np.issubdtype(epochs.dtype, np.integer):
        raise ValueError(
            f"snapshot_epochs must be a non-empty 1-D sequence of integers; got {snapshot_epochs!r}"
        )
    wanted = sorted({check_int(int(e), "snapshot_epochs", low=0, high=MAX_EPOCHS) for e in epochs})
    seed = check_int(seed, "seed", low=0)
    parts = digits_splits(seed)
    X_train, y_train = parts["train"]
    X_val, y_val = parts["validation"]
    X_test, y_test = parts["test"]
    net = MLP([X_train.shape[1], width, 10], seed=seed)
    trainer = Trainer(
        net,
        X_train,
        y_train,
        lr=lr,
        momentum=momentum,
        batch_size=X_train.shape[0],
        seed=seed,
        label_smoothing=eps,
    )
    last = wanted[-1]
    curve_epochs = _curve_epochs(last, wanted)
    names = ("train_loss", "accuracy", "confidence", "nll", "temperature", "nll_scaled")
    curve = {name: np.empty(len(curve_epochs)) for name in names}
    snapshots: dict[int, dict[str, np.ndarray]] = {}
    diverged_at = None
    row = 0
    for epoch in range(last + 1):
        if epoch > 0 and trainer.step_epoch() is None and diverged_at is None:
            diverged_at = epoch
        if epoch != curve_epochs[row]:
            continue
        z_val, z_test = net.forward(X_val), net.forward(X_test)
        accuracy, confidence, nll = _summary(z_test, y_test)
        start = 1.0 / curve["temperature"][row - 1] if row else 1.0
        fit = _fit_temperature(z_val, y_val, T_MIN, T_MAX, 1e-12, 100, beta=start)
        curve["train_loss"][row] = trainer.history["loss"][-1] if trainer.epoch else trainer.initial["loss"]
        curve["accuracy"][row], curve["confidence"][row], curve["nll"][row] = accuracy, confidence, nll
        curve["temperature"][row] = fit.temperature
        curve["nll_scaled"][row] = _nll(z_test, y_test, fit.temperature)
        if epoch in wanted:
            snapshots[epoch] = {"validation": z_val, "test": z_test}
        row += 1
    curve["epoch"] = curve_epochs
    return CalibrationRun(
        sizes=(X_train.shape[1], width, 10),
        label_smoothing=eps,
        snapshots=snapshots,
        labels={"validation": y_val, "test": y_test},
        curve=curve,
        n_train=X_train.shape[0],
        diverged_at=diverged_at,
    )


class EpochCalibration(NamedTuple):
    """A run's calibration at one snapshot epoch: T fitted on validation, test scores before and after."""

    epoch: int
    fit: TemperatureFit
    before: CalibrationScores
    after: CalibrationScores


def calibration_at(run: CalibrationRun, epoch: int, n_bins: int = 10) -> EpochCalibration:
    """Fit T on the validation logits of ``run`` at ``epoch``; score the test logits at T = 1 and at T*.

    Parameters
    ----------
    run : CalibrationRun
    epoch : int
        One of ``run``'s snapshot epochs.
    n_bins : int in [1, 100], default 10

    Returns
    -------
    EpochCalibration

    Examples
    --------
    >>> at = calibration_at(train_calibration_run(16, 0.0, [5]), 5)
    >>> at.after.accuracy == at.before.accuracy, at.after.nll <= at.before.nll + 0.01
    (True, True)
    """
    if not isinstance(run, CalibrationRun):
        raise ValueError(f"run must be a CalibrationRun from train_calibration_run; got {type(run).__name__}")
    epoch = check_int(epoch, "epoch", low=0)
    if epoch not in run.snapshots:
        raise ValueError(
            f"epoch must be one of the run's snapshot epochs {sorted(run.snapshots)}; got {epoch}"
        )
    n_bins = _check_bins(n_bins)
    logits = run.snapshots[epoch]
    fit = _fit_temperature(logits["validation"], run.labels["validation"], T_MIN, T_MAX, 1e-12, 100)
    z_test, y_test = logits["test"], run.labels["test"]
    return EpochCalibration(
        epoch=epoch,
        fit=fit,
        before=_scores(z_test, y_test, 1.0, n_bins),
        after=_scores(z_test, y_test, fit.temperature, n_bins),
    )


def calibration_sweep(run: CalibrationRun, n_bins: int = 10) -> tuple[EpochCalibration, ...]:
    """:func:`calibration_at` at every snapshot epoch of ``run``, in increasing order of epoch.

    Examples
    --------
    >>> [at.epoch for at in calibration_sweep(train_calibration_run(16, 0.0, [3, 1]))]
    [1, 3]
    """
    if not isinstance(run, CalibrationRun):
        raise ValueError(f"run must be a CalibrationRun from train_calibration_run; got {type(run).__name__}")
    n_bins = _check_bins(n_bins)
    return tuple(calibration_at(run, epoch, n_bins) for epoch in sorted(run.snapshots))
