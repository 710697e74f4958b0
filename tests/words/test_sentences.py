"""words.sentences: the sentence under each cross-entropy chart, chosen by the band, with core's numbers."""

import math
import re

import pytest

from core.defaults import MULTICLASS_CLASSES, MULTICLASS_LOGITS
from core.formatting import signed
from core.losses import binary_cross_entropy_grad
from core.multiclass import multiclass_breakdown
from core.units import in_unit
from words.sentences import (
    SLIP_NOTE,
    bce_logit_sentence,
    bce_sentence,
    gradient_insight,
    multiclass_sentence,
    surprise_sentence,
    surprise_slope,
    surprise_tex,
)

DEFAULT_LOGITS = MULTICLASS_LOGITS[:MULTICLASS_CLASSES]
ANIMALS = ["Cat", "Dog", "Bird", "Fish"]
SLOPE = re.compile(r"slope (−1/p|−1/\(p ln 2\)) = (\S+) (nats|bits) per unit of probability")


# -------------------------------------------------------------------------------------------- surprise
@pytest.mark.parametrize(
    ("p", "start"),
    [
        (0.0, "**Impossible, said the model.**"),
        (0.05, "**Confidently wrong.**"),
        (0.3, "**Doubtful.**"),
        (0.7, "**Moderate confidence.**"),
        (0.95, "**Confident and right.**"),
        (1.0, "**Certain and right.**"),
    ],
)
def test_surprise_sentence_follows_the_band(p, start):
    assert surprise_sentence(p).startswith(start)


def test_surprise_sentence_quotes_core_numbers():
    assert "−1.43" in surprise_sentence(0.7)  # slope -1/p at the explorer's default, 70 %
    assert "4.32 bits" in surprise_sentence(0.05)  # -log2(0.05)
    assert "5.0%" in surprise_sentence(0.05)
    assert "0.07 bits" in surprise_sentence(0.95)


@pytest.mark.parametrize("unit", ["nats", "bits"])
@pytest.mark.parametrize("p", [0.03, 0.3, 0.7, 0.95])
def test_the_slope_is_in_the_chosen_unit_and_matches_the_charts_tangent(p, unit):
    """The chart labels its tangent with signed(slope, 2), the slope of -log p in the sidebar's unit."""
    formula, value, shown_unit = SLOPE.search(surprise_sentence(p, unit)).groups()
    chart_label = signed(in_unit(float(binary_cross_entropy_grad(p, 1.0)), unit), 2)
    assert value == chart_label
    assert shown_unit == unit
    assert formula == ("−1/p" if unit == "nats" else "−1/(p ln 2)")


def test_the_slope_in_bits_at_70_percent_is_minus_2_06_not_the_nats_slope():
    text = surprise_sentence(0.7, "bits")
    assert "slope −1/(p ln 2) = −2.06 bits per unit of probability" in text
    assert "−1.43" not in text
    assert surprise_slope(0.7, "bits") == pytest.approx(-1 / (0.7 * math.log(2)))


def test_the_formula_shown_next_to_the_chart_follows_the_unit():
    assert r"-\ln p_t" in surprise_tex("nats")
    assert r"-\frac{1}{p_t}" in surprise_tex("nats")
    assert r"-\log_2 p_t" in surprise_tex("bits")
    assert r"-\frac{1}{p_t \ln 2}" in surprise_tex("bits")
    with pytest.raises(ValueError, match="unit must be"):
        surprise_tex("bans")


def test_a_confident_prediction_is_not_called_flat_and_the_small_gradient_is_named():
    text = surprise_sentence(0.95)
    assert "nearly flat" not in text
    assert "The curve is not flat (slope −1/p = −1.05" in text
    assert "it is never shallower than −1.00, its slope as p → 1" in text
    assert "p − 1 = −0.05" in text  # the gradient on the logit is what fades
    assert SLIP_NOTE in text


# ---------------------------------------------------------------------------------------------- binary
@pytest.mark.parametrize(
    ("p", "y", "start"),
    [
        (0.03, 1, "**Confidently wrong.**"),
        (0.97, 0, "**Confidently wrong.**"),
        (0.3, 1, "**Wrong side of the decision boundary.**"),
        (0.7, 0, "**Wrong side of the decision boundary.**"),
        (0.5, 1, "**On the decision boundary.**"),
        (0.5, 0, "**On the decision boundary.**"),
        (0.7, 1, "**Correct side of the boundary but not fully confident.**"),
        (0.3, 0, "**Correct side of the boundary but not fully confident.**"),
        (0.95, 1, "**Confident and right.**"),
        (0.01, 0, "**Confident and right.**"),
        (1.0, 1, "**Certain and right.**"),
        (0.0, 0, "**Certain and right.**"),
    ],
)
def test_bce_sentence_uses_the_probability_of_the_true_label(p, y, start):
    assert bce_sentence(p, y).startswith(start)


def test_bce_sentence_quotes_the_gradient_from_core():
    assert "dL/dp = −1.43" in bce_sentence(0.7, 1)  # the page's default: dL/dp = -1/0.7
    assert "dL/dp = +3.33" in bce_sentence(0.7, 0)  # 1 / (1 - 0.7)
    assert "predicts class 0, but y = 1" in bce_sentence(0.3, 1)


@pytest.mark.parametrize(
    ("p", "y", "slope", "logit"), [(0.99, 1, "−1.01", "−0.01"), (0.02, 0, "+1.02", "+0.02")]
)
def test_a_confident_right_prediction_has_a_slope_of_size_one_and_a_small_logit_gradient(p, y, slope, logit):
    text = bce_sentence(p, y)
    assert f"the slope dL/dp = {slope} is not small" in text
    assert f"dL/dz = p − y = {logit}" in text
    assert "never below 1" in text
    assert SLIP_NOTE in text
    assert f"dL/dp = {slope} is small" not in text


@pytest.mark.parametrize("p", [0.9, 0.95, 0.99, 0.999999])
def test_in_probability_space_the_slope_is_never_below_one_in_size(p):
    # What the sentence claims, checked on core: |dL/dp| = 1/p >= 1 for y = 1.
    assert abs(float(binary_cross_entropy_grad(p, 1.0))) >= 1.0


@pytest.mark.parametrize("y", [2, -1, 0.5, True, None])
def test_bce_sentence_rejects_labels_other_than_0_and_1(y):
    with pytest.raises(ValueError, match="y must be the label 0 or 1"):
        bce_sentence(0.5, y)


@pytest.mark.parametrize(
    ("z", "y", "start"),
    [
        (-4.0, 1, "**Confidently wrong.**"),
        (-1.0, 1, "**Wrong side of the boundary.**"),
        (0.0, 1, "**On the decision boundary.**"),
        (1.0, 1, "**Correct side of the boundary but not fully confident.**"),
        (4.0, 1, "**Confident and right.**"),
        (4.0, 0, "**Confidently wrong.**"),
        (-4.0, 0, "**Confident and right.**"),
    ],
)
def test_bce_logit_sentence_follows_the_band_of_sigmoid(z, y, start):
    assert bce_logit_sentence(z, y).startswith(start)


def test_bce_logit_sentence_quotes_the_weighted_gradient():
    assert "dL/dz = −0.50" in bce_logit_sentence(0.0, 1)
    # pos_weight 3: dL/dz = σ(z)(1 + 2y) - 3y = 0.5 * 3 - 3 = -1.5 at z = 0
    assert "dL/dz = −1.50" in bce_logit_sentence(0.0, 1, pos_weight=3.0)
    assert "pos_weight = 3" in bce_logit_sentence(-5.0, 1, pos_weight=3.0)
    assert "size, 1:" in bce_logit_sentence(5.0, 0, pos_weight=3.0)  # pos_weight does not touch y = 0


def test_with_pos_weight_the_bound_is_pos_weight_not_one():
    text = bce_logit_sentence(-7.0, 1, pos_weight=10.0)
    assert "dL/dz = −9.99" in text
    assert "largest size, pos_weight = 10" in text


# ----------------------------------------------------------------------------------------- multi-class
def test_multiclass_sentence_on_the_page_default_is_correct_but_not_fully_confident():
    b = multiclass_breakdown(DEFAULT_LOGITS, 0)
    text = multiclass_sentence(b.probs, 0, ANIMALS)
    assert text.startswith("**Correct prediction but not fully confident.**")


@pytest.mark.parametrize(
    ("probs", "true_index", "start"),
    [
        ([0.97, 0.01, 0.01, 0.01], 0, "**Confident and right.** Cat gets 97.0%"),
        ([0.40, 0.30, 0.20, 0.10], 0, "**Correct, but barely.**"),
        ([0.40, 0.40, 0.10, 0.10], 0, "**A tie at the top.**"),
        ([0.30, 0.50, 0.10, 0.10], 0, "**Wrong prediction.** Dog (50.0%) beats the true class Cat (30.0%)"),
        ([0.05, 0.90, 0.03, 0.02], 0, "**Confidently wrong.** Dog (90.0%)"),
    ],
)
def test_multiclass_sentence_says_right_wrong_or_tie(probs, true_index, start):
    assert multiclass_sentence(probs, true_index, ANIMALS).startswith(start)


def test_multiclass_sentence_says_when_smoothing_pushes_an_overconfident_true_class_down():
    probs = multiclass_breakdown(DEFAULT_LOGITS, 0).probs  # p_true = 0.891
    assert "**down**" not in multiclass_sentence(probs, 0, ANIMALS, label_smoothing=0.1)  # y' = 0.925
    text = multiclass_sentence(probs, 0, ANIMALS, label_smoothing=0.5)  # y' = 0.625 < 0.891
    assert text.startswith("**Correct prediction but not fully confident.**")
    assert "smoothed target y′ = 0.625" in text
    assert "**down**" in text
    grad = multiclass_breakdown(DEFAULT_LOGITS, 0, label_smoothing=0.5).grad
    assert grad[0] > 0  # the sentence agrees with the gradient's sign


def test_multiclass_sentence_validates_its_input():
    with pytest.raises(ValueError, match=r"true_index must be an integer in \[0, 4\); got 4"):
        multiclass_sentence([0.25] * 4, 4)
    with pytest.raises(ValueError, match="names must have one entry per class"):
        multiclass_sentence([0.5, 0.5], 0, ["Cat"])
    with pytest.raises(ValueError, match="probs must be a distribution of shape"):
        multiclass_sentence([1.0], 0)
    assert "class 1" in multiclass_sentence([0.2, 0.8], 0)


def test_gradient_insight_quotes_the_true_gradient():
    plain = gradient_insight(multiclass_breakdown(DEFAULT_LOGITS, 0), 0, ANIMALS)
    assert "p − 1 = **−0.109**" in plain
    assert "[−1, 1]" in plain
    assert "**Cat**" in plain
    assert "Temperature" not in plain
    assert "label smoothing" not in plain


def test_gradient_insight_says_the_bound_holds_for_the_logits_only():
    text = gradient_insight(multiclass_breakdown(DEFAULT_LOGITS, 0), 0, ANIMALS)
    assert "the signal never explodes" not in text
    assert "this gradient on the logits never explodes" in text
    assert "multiplied by the weights" in text


def test_gradient_insight_adapts_to_temperature_and_smoothing():
    hot = multiclass_breakdown(DEFAULT_LOGITS, 0, temperature=0.5)
    text = gradient_insight(hot, 0, ANIMALS, temperature=0.5)
    assert "(p − y′)/T" in text
    assert "[−1/T, 1/T] = [−2, 2]" in text
    assert "larger" in text
    assert "(p − 1)/T with T = 0.5 = **−0.012**" in text

    smooth = multiclass_breakdown(DEFAULT_LOGITS, 0, label_smoothing=0.1)
    text = gradient_insight(smooth, 0, ANIMALS, label_smoothing=0.1)
    assert "y′ = (1 − ε)·y + ε/C: 0.925" in text
    assert "0.025" in text
    assert "p − y′: **−0.034** for Cat." in text

    over = multiclass_breakdown(DEFAULT_LOGITS, 0, temperature=0.1, label_smoothing=0.5)
    text = gradient_insight(over, 0, ANIMALS, temperature=0.1, label_smoothing=0.5)
    assert "(p − y′)/T with T = 0.1: **+3.750** for Cat (positive: its logit is pushed **down**)" in text
