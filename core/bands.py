"""Confidence bands of p, the probability a model gives the true class.

The pages Surprise, Binary cross-entropy and Multi-class logits shade these bands on their charts and
choose their sentences (:mod:`words.sentences`) by them.

======================  ===================  =============================================================
band                    p                    meaning
======================  ===================  =============================================================
``"confidently_wrong"`` p < 0.10             more than 3.32 bits of surprise; |d(-ln p)/dp| = 1/p > 10
``"doubtful"``          0.10 <= p < 0.50     less than even odds on the truth (in binary: the wrong side)
``"moderate"``          0.50 <= p < 0.90     the truth is favoured, but the loss still has a clear slope
``"confident"``         p >= 0.90            under 0.152 bits of surprise; the loss is nearly 0
======================  ===================  =============================================================

The worked examples of the cross-entropy pages fall where their sentences put them: p = 0.70 (the
Surprise explorer, the Binary page) is ``"moderate"``, and so is the multi-class default, p = 0.891
("correct but not fully confident").
"""

from __future__ import annotations

from core._validation import check_scalar

__all__ = [
    "BANDS",
    "BAND_LABELS",
    "CONFIDENT_FROM",
    "CONFIDENTLY_WRONG_BELOW",
    "RIGHT_SIDE_FROM",
    "band_intervals",
    "confidence_band",
]

CONFIDENTLY_WRONG_BELOW = 0.10  # p_true below this: confidently wrong (surprise > 3.32 bits)
RIGHT_SIDE_FROM = 0.50  # p_true from here: the truth is favoured (binary: the right side of the boundary)
CONFIDENT_FROM = 0.90  # p_true from here: confident and right (surprise < 0.152 bits)

BANDS: tuple[str, ...] = ("confidently_wrong", "doubtful", "moderate", "confident")
# The bands' names on a chart.
BAND_LABELS: dict[str, str] = {
    "confidently_wrong": "confidently wrong",
    "doubtful": "doubtful",
    "moderate": "moderate",
    "confident": "confident",
}


def confidence_band(p_true: float) -> str:
    """The confidence band of the probability a model gives the true class.

    Thresholds (module constants): p < ``CONFIDENTLY_WRONG_BELOW`` (0.10) is ``"confidently_wrong"``,
    p < ``RIGHT_SIDE_FROM`` (0.50) is ``"doubtful"``, p < ``CONFIDENT_FROM`` (0.90) is ``"moderate"``,
    and p >= 0.90 is ``"confident"``.  Each lower bound belongs to its band.

    Parameters
    ----------
    p_true : float in [0, 1]
        The probability of the class that turned out to be true.

    Returns
    -------
    str
        One of :data:`BANDS`.

    Examples
    --------
    >>> confidence_band(0.05), confidence_band(0.3), confidence_band(0.7), confidence_band(0.95)
    ('confidently_wrong', 'doubtful', 'moderate', 'confident')
    >>> confidence_band(0.891)  # the multi-class default: "correct but not fully confident"
    'moderate'
    """
    p = check_scalar(p_true, "p_true", low=0, high=1)
    if p < CONFIDENTLY_WRONG_BELOW:
        return "confidently_wrong"
    if p < RIGHT_SIDE_FROM:
        return "doubtful"
    if p < CONFIDENT_FROM:
        return "moderate"
    return "confident"


def band_intervals() -> list[tuple[float, float, str]]:
    """The bands as ``(low, high, label)`` intervals of p_true covering [0, 1], in order (to shade a chart).

    >>> band_intervals()[0]
    (0.0, 0.1, 'confidently wrong')
    """
    edges = [0.0, CONFIDENTLY_WRONG_BELOW, RIGHT_SIDE_FROM, CONFIDENT_FROM, 1.0]
    return [(edges[i], edges[i + 1], BAND_LABELS[band]) for i, band in enumerate(BANDS)]
