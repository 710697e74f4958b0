"""Units of a loss: nats (natural log, what frameworks train with) and bits (log base 2).

Every loss in :mod:`core` is in nats; a page that offers bits converts with :func:`in_unit`.
"""

from __future__ import annotations

import math

__all__ = ["LN2", "UNITS", "check_unit", "in_unit"]

UNITS: tuple[str, ...] = ("nats", "bits")
LN2 = math.log(2)  # nats in one bit


def check_unit(unit) -> str:
    """Return ``unit`` if it is ``"nats"`` or ``"bits"``; raise ``ValueError`` otherwise."""
    if unit not in UNITS:
        raise ValueError(f"unit must be 'nats' or 'bits'; got {unit!r}")
    return unit


def in_unit(value_nats, unit: str):
    """Convert a loss (or its slope) in nats to ``unit``: unchanged for nats, divided by ln 2 for bits.

    .. math:: x_\\text{bits} = x_\\text{nats} / \\ln 2

    Parameters
    ----------
    value_nats : float or array_like
    unit : {"nats", "bits"}

    Returns
    -------
    float or ndarray
        A float for a scalar input, otherwise a float64 array.

    Examples
    --------
    >>> in_unit(math.log(2), "bits")
    1.0
    >>> in_unit(0.5, "nats")
    0.5
    """
    import numpy as np  # here, not at import: the app's frame reads UNITS before any page needs numpy

    check_unit(unit)
    arr = np.asarray(value_nats, dtype=np.float64)
    out = arr / LN2 if unit == "bits" else arr
    return float(out) if out.ndim == 0 else out
