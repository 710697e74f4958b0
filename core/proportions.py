"""Slider weights as probabilities: normalise them, and keep percentages summing to 100 when one moves.

The Surprise and Entropy-and-KL pages let a student set a distribution with sliders; these turn the
slider values into the distribution the page computes with.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from core._validation import as_vector, check_int, check_scalar

__all__ = ["normalise_weights", "rebalance_percentages"]


def normalise_weights(weights) -> np.ndarray:
    """Scale non-negative weights (e.g. slider percentages) into a probability distribution.

    .. math:: q_k = w_k / \\textstyle\\sum_j w_j

    Parameters
    ----------
    weights : array_like ``(K,)``
        Non-negative, not all zero.

    Returns
    -------
    ndarray ``(K,)``, float64, summing to 1.

    Examples
    --------
    >>> normalise_weights([85, 10, 3, 2]).tolist()
    [0.85, 0.1, 0.03, 0.02]
    """
    w = as_vector(weights, "weights", "be a 1-D array with at least one entry")
    if (w < 0).any():
        raise ValueError(f"weights must be non-negative; got {float(w.min()):g}")
    total = w.sum()
    if total == 0:
        raise ValueError("weights are all 0: give at least one class some probability")
    return w / total


def rebalance_percentages(
    values: Sequence[float], changed: int, *, step: float = 0.5, minimum: float = 0.5, total: float = 100.0
) -> list[float]:
    """Keep percentages summing to ``total`` after one of them changed: the others share the rest.

    The changed entry is kept (clipped so every other entry can keep ``minimum``); the others share the
    rest in proportion to their current values (equally if those are all 0), rounded to multiples of
    ``step`` by the largest-remainder method and kept at or above ``minimum``, so the result sums to
    ``total`` exactly.

    Parameters
    ----------
    values : sequence of float, length K >= 2
        The percentages, with the new value already at ``changed``.
    changed : int
        Index of the entry the user moved.
    step, minimum, total : float
        The slider step, the smallest allowed entry (a multiple of ``step``) and the required sum.

    Returns
    -------
    list of float
        K multiples of ``step``, each >= ``minimum``, summing to ``total``.

    Examples
    --------
    >>> rebalance_percentages([80.0, 20.0, 10.0], 0)  # Cat moved 70 -> 80; Dog and Bird keep a 2:1 ratio
    [80.0, 13.5, 6.5]
    """
    vals = as_vector(values, "values", "be a 1-D sequence of at least 2 percentages", min_size=2)
    k = vals.size
    changed = check_int(changed, "changed", low=0, below=k)
    step = check_scalar(step, "step", low=0, low_open=True)
    minimum = check_scalar(minimum, "minimum", low=0)
    total = check_scalar(total, "total", low=0, low_open=True)
    units_total = round(total / step)
    units_min = round(minimum / step)
    if not math.isclose(units_total * step, total) or not math.isclose(units_min * step, minimum):
        raise ValueError(f"total ({total:g}) and minimum ({minimum:g}) must be multiples of step ({step:g})")
    if units_min * k > units_total:
        raise ValueError(f"{k} entries of at least {minimum:g} cannot sum to {total:g}")
    units_changed = int(np.clip(round(vals[changed] / step), units_min, units_total - units_min * (k - 1)))
    others = np.delete(np.maximum(vals, 0), changed)
    if others.sum() == 0:
        others = np.ones_like(others)
    units_rest = units_total - units_changed
    ideal = units_rest * others / others.sum()
    units = np.maximum(np.floor(ideal), units_min).astype(int)
    short = units_rest - int(units.sum())
    if short > 0:  # flooring lost at most one unit per entry: give them to the largest remainders
        order = np.argsort(-(ideal - np.floor(ideal)), kind="stable")
        units[order[:short]] += 1
    while short < 0:  # raising entries to the minimum overshot: take from the largest entries
        units[int(np.argmax(units))] -= 1
        short += 1
    result = np.insert(units, changed, units_changed) * step
    return [float(v) for v in result]
