"""core.explain: confidence bands and their sentences, curves, class names, the multi-class breakdown."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core
from core.explain import (
    BANDS,
    CONFIDENT_FROM,
    CONFIDENTLY_WRONG_BELOW,
    DEFAULT_CLASS_NAMES,
    MAX_NAME_LENGTH,
    RIGHT_SIDE_FROM,
    band_intervals,
    bce_logit_curves,
    bce_logit_sentence,
    bce_probability_curves,
    bce_sentence,
    class_label,
    confidence_band,
    gradient_insight,
    in_unit,
    multiclass_breakdown,
    multiclass_sentence,
    neg_log_curve,
    normalise_weights,
    rebalance_percentages,
    sanitize_class_names,
    surprise_sentence,
)

SEED_LOGITS = [3.5, 0.8, 0.2, -0.5]
ANIMALS = ["Cat", "Dog", "Bird", "Fish"]


# ----------------------------------------------------------------------------------------------- bands
@pytest.mark.parametrize(
    ("p", "band"),
    [
        (0.0, "confidently_wrong"),
        (0.0999, "confidently_wrong"),
        (0.10, "doubtful"),
        (0.4999, "doubtful"),
        (0.50, "moderate"),
        (0.70, "moderate"),  # seed: explorer and binary demo
        (0.891, "moderate"),  # seed: multi-class default, "correct but not fully confident"
        (0.8999, "moderate"),
        (0.90, "confident"),
        (1.0, "confident"),
    ],
)
def test_confidence_band_thresholds_include_their_lower_bound(p, band):
    assert confidence_band(p) == band


def test_band_thresholds_are_the_documented_values():
    assert (CONFIDENTLY_WRONG_BELOW, RIGHT_SIDE_FROM, CONFIDENT_FROM) == (0.10, 0.50, 0.90)
    # The surprise at the edges, in bits, as the module docstring says.
    assert float(core.surprise(CONFIDENTLY_WRONG_BELOW)) == pytest.approx(3.3219, abs=1e-4)
    assert float(core.surprise(CONFIDENT_FROM)) == pytest.approx(0.1520, abs=1e-4)


def test_band_intervals_cover_the_unit_interval_in_band_order():
    intervals = band_intervals()
    assert [label for _, _, label in intervals] == ["confidently wrong", "doubtful", "moderate", "confident"]
    assert intervals[0][0] == 0.0 and intervals[-1][1] == 1.0
    for (_, high, _), (low, _, _) in zip(intervals, intervals[1:], strict=False):
        assert high == low
    for band, (low, _, _) in zip(BANDS, intervals, strict=True):
        assert confidence_band(low) == band


@pytest.mark.parametrize("bad", [-0.01, 1.01, math.nan, "0.5", None, True])
def test_confidence_band_rejects_what_is_not_a_probability(bad):
    with pytest.raises(ValueError, match="p_true must"):
        confidence_band(bad)


def test_in_unit_converts_nats_to_bits_and_rejects_other_units():
    assert in_unit(math.log(2), "bits") == pytest.approx(1.0)
    assert in_unit(0.1625, "nats") == 0.1625
    np.testing.assert_allclose(in_unit([math.log(4), 0.0], "bits"), [2.0, 0.0])
    with pytest.raises(ValueError, match="unit must be 'nats' or 'bits'; got 'bans'"):
        in_unit(1.0, "bans")


# ------------------------------------------------------------------------------------------- sentences
@pytest.mark.parametrize(
    ("p", "start"),
    [
        (0.0, "**Impossible, said the model.**"),
        (0.05, "**Confidently wrong.**"),
        (0.3, "**Doubtful.**"),
        (0.7, "**Moderate confidence.**"),
        (0.95, "**Confident and right.**"),
    ],
)
def test_surprise_sentence_follows_the_band(p, start):
    assert surprise_sentence(p).startswith(start)


def test_surprise_sentence_quotes_core_numbers():
    assert "−1.43" in surprise_sentence(0.7)  # slope -1/p at the seed's 70 %
    assert "4.32 bits" in surprise_sentence(0.05)  # -log2(0.05)
    assert "5.0%" in surprise_sentence(0.05)
    assert "0.07 bits" in surprise_sentence(0.95)


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
    ],
)
def test_bce_sentence_uses_the_probability_of_the_true_label(p, y, start):
    assert bce_sentence(p, y).startswith(start)


def test_bce_sentence_quotes_the_gradient_from_core():
    assert "dL/dp = −1.43" in bce_sentence(0.7, 1)  # seed: gradient -1.43
    assert "dL/dp = +3.33" in bce_sentence(0.7, 0)  # 1 / (1 - 0.7)
    assert "predicts class 0, but y = 1" in bce_sentence(0.3, 1)


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


def test_multiclass_sentence_on_the_seed_default_is_the_seeds_sentence():
    b = multiclass_breakdown(SEED_LOGITS, 0)
    assert multiclass_sentence(b.probs, 0, ANIMALS).startswith(
        "**Correct prediction but not fully confident.**"
    )


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
    probs = multiclass_breakdown(SEED_LOGITS, 0).probs  # p_true = 0.891
    assert "**down**" not in multiclass_sentence(probs, 0, ANIMALS, label_smoothing=0.1)  # y' = 0.925
    text = multiclass_sentence(probs, 0, ANIMALS, label_smoothing=0.5)  # y' = 0.625 < 0.891
    assert text.startswith("**Correct prediction but not fully confident.**")
    assert "smoothed target y′ = 0.625" in text and "**down**" in text
    grad = multiclass_breakdown(SEED_LOGITS, 0, label_smoothing=0.5).grad
    assert grad[0] > 0  # the sentence agrees with the gradient's sign


def test_multiclass_sentence_validates_its_input():
    with pytest.raises(ValueError, match=r"true_index must be in \[0, 4\); got 4"):
        multiclass_sentence([0.25] * 4, 4)
    with pytest.raises(ValueError, match="names must have one entry per class"):
        multiclass_sentence([0.5, 0.5], 0, ["Cat"])
    with pytest.raises(ValueError, match="probs must be a distribution of shape"):
        multiclass_sentence([1.0], 0)
    assert "class 1" in multiclass_sentence([0.2, 0.8], 0)


# ---------------------------------------------------------------------------------------------- curves
@pytest.mark.parametrize("unit", ["nats", "bits"])
def test_neg_log_curve_is_minus_log_p_on_an_increasing_grid(unit):
    p, loss = neg_log_curve(unit)
    assert p.shape == loss.shape == (300,)
    assert np.all(np.diff(p) > 0) and p[0] == pytest.approx(0.005) and p[-1] == 1.0
    base = 2 if unit == "bits" else math.e
    np.testing.assert_allclose(loss, -np.log(p) / math.log(base), rtol=1e-12)


def test_curve_helpers_reject_more_than_400_points():
    with pytest.raises(ValueError, match=r"n must be an integer in \[2, 400\]"):
        neg_log_curve(n=401)
    with pytest.raises(ValueError, match=r"n must be an integer in \[2, 400\]"):
        bce_probability_curves(n=1)
    with pytest.raises(ValueError, match="unit must be"):
        neg_log_curve("bans")


def test_bce_probability_curves_are_both_branches_of_the_loss():
    c = bce_probability_curves()
    assert c.p.shape == (300,) and c.p[0] == pytest.approx(0.005) and c.p[-1] == pytest.approx(0.995)
    np.testing.assert_allclose(c.loss_pos, -np.log(c.p), rtol=1e-12)
    np.testing.assert_allclose(c.loss_neg, -np.log1p(-c.p), rtol=1e-12)


@pytest.mark.parametrize("pos_weight", [0.5, 1.0, 3.0])
def test_bce_logit_curves_match_the_closed_forms(pos_weight):
    c = bce_logit_curves(pos_weight=pos_weight)
    s = 1 / (1 + np.exp(-c.z))
    assert c.z.shape == (321,) and c.z[0] == -8 and c.z[-1] == 8
    np.testing.assert_allclose(c.sigma, s, rtol=1e-12)
    np.testing.assert_allclose(c.loss_pos, -pos_weight * np.log(s), rtol=1e-10)
    np.testing.assert_allclose(c.loss_neg, -np.log(1 - s), rtol=1e-10)
    np.testing.assert_allclose(c.grad_pos, s * pos_weight - pos_weight, rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(c.grad_neg, s, rtol=1e-12)


# --------------------------------------------------------------------------------- probabilities input
def test_normalise_weights_scales_to_one_and_rejects_all_zero():
    np.testing.assert_allclose(normalise_weights([1, 1, 2]), [0.25, 0.25, 0.5])
    with pytest.raises(ValueError, match="weights are all 0"):
        normalise_weights([0, 0, 0, 0])
    with pytest.raises(ValueError, match="weights must be non-negative; got -1"):
        normalise_weights([1, -1])


def test_rebalance_keeps_the_seed_ratio_and_the_sum():
    assert rebalance_percentages([80.0, 20.0, 10.0], 0) == [80.0, 13.5, 6.5]
    # Dog moved 20 -> 50: Cat and Bird share the other 50 in their old 7:1 ratio (43.75 : 6.25), rounded
    # to the 0.5 grid by the largest remainder (a tie: the first wins).
    assert rebalance_percentages([70.0, 50.0, 10.0], 1) == [44.0, 50.0, 6.0]
    assert rebalance_percentages([30.0, 20.0, 10.0], 0) == [30.0, 46.5, 23.5]  # 46.67 : 23.33


def test_rebalance_clips_the_moved_value_so_the_others_keep_the_minimum():
    assert rebalance_percentages([99.5, 20.0, 10.0], 0) == [99.0, 0.5, 0.5]
    assert rebalance_percentages([0.0, 20.0, 10.0], 0)[0] == 0.5


def test_rebalance_splits_equally_when_the_others_are_at_the_minimum():
    assert rebalance_percentages([50.0, 0.5, 0.5], 0) == [50.0, 25.0, 25.0]


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.integers(1, 198).map(lambda u: u * 0.5), min_size=2, max_size=6),
    data=st.data(),
)
def test_rebalance_always_gives_valid_slider_values_summing_to_100(values, data):
    changed = data.draw(st.integers(0, len(values) - 1))
    out = rebalance_percentages(values, changed)
    assert len(out) == len(values)
    assert sum(out) == 100.0
    assert all(v >= 0.5 and (v * 2).is_integer() for v in out)


def test_rebalance_validates_its_input():
    with pytest.raises(ValueError, match=r"changed must be in \[0, 3\); got 3"):
        rebalance_percentages([1.0, 2.0, 3.0], 3)
    with pytest.raises(ValueError, match="at least 2 percentages"):
        rebalance_percentages([100.0], 0)
    with pytest.raises(ValueError, match="must be multiples of step"):
        rebalance_percentages([1.0, 2.0], 0, step=0.3)
    with pytest.raises(ValueError, match="cannot sum to 100"):
        rebalance_percentages([1.0, 2.0], 0, minimum=60.0)


# ------------------------------------------------------------------------------------------ class names
def test_sanitize_keeps_good_names_and_fills_missing_ones_with_defaults():
    assert sanitize_class_names("Cat, Dog, Bird, Fish", 4) == (ANIMALS, [])
    assert sanitize_class_names("", 3) == (["Cat", "Dog", "Bird"], [])
    assert sanitize_class_names("Zebra, Cat", 4) == (["Zebra", "Cat", "Dog", "Bird"], [])
    assert sanitize_class_names("  Sea lion ,Koi-fish ", 2) == (["Sea lion", "Koi-fish"], [])
    assert sanitize_class_names("🦄 Unicorn, Chat", 2)[0] == ["🦄 Unicorn", "Chat"]


@pytest.mark.parametrize(
    ("text", "expected_name", "reason"),
    [
        ("Cat, <script>", "Dog", "uses characters other than"),
        ("Cat, **bold**", "Dog", "uses characters other than"),
        ("Cat, [x](js:a)", "Dog", "uses characters other than"),
        ("Cat, $x^2$", "Dog", "uses characters other than"),
        ("Cat, a&b", "Dog", "uses characters other than"),
        ("Cat, \u202eevil", "Dog", "uses characters other than"),
        ("Cat, " + "x" * (MAX_NAME_LENGTH + 1), "Dog", "is longer than 16 characters"),
        ("Cat, CAT", "Dog", "repeats an earlier name"),
        ("Cat, - list item", "Dog", "starts with punctuation"),
        ("Cat, .x", "Dog", "starts with punctuation"),
        ("Cat, , Bird", "Dog", "is empty"),
    ],
)
def test_sanitize_replaces_unsafe_long_duplicate_or_empty_names_and_says_why(text, expected_name, reason):
    names, notes = sanitize_class_names(text, 3)
    assert names[1] == expected_name
    assert len(notes) == 1 and notes[0].startswith("Name 2") and reason in notes[0]
    assert notes[0].endswith(f"using {expected_name!r}.")


def test_sanitize_never_reuses_a_default_the_user_typed():
    names, _ = sanitize_class_names("Dog, <b>, Cat", 4)
    assert names == ["Dog", "Bird", "Cat", "Fish"]


def test_sanitize_ignores_extra_names_with_a_note():
    names, notes = sanitize_class_names("A, B, C", 2)
    assert names == ["A", "B"]
    assert notes == ["Only the first 2 names are used (3 were given)."]


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=80), n=st.integers(1, 10))
def test_sanitize_always_returns_n_distinct_safe_names(text, n):
    names, _ = sanitize_class_names(text, n)
    assert len(names) == n
    assert len({name.lower() for name in names}) == n
    for name in names:
        assert 0 < len(name) <= MAX_NAME_LENGTH
        assert not set(name) & set("<>&*_[]()`$#|\\{}~!:,\n\r\t")
        assert name[0] not in "-'. "


def test_sanitize_validates_its_arguments():
    with pytest.raises(ValueError, match="text must be a string"):
        sanitize_class_names(None, 3)
    with pytest.raises(ValueError, match=r"n must be an integer in \[1, 10\]; got 11"):
        sanitize_class_names("", 11)


def test_class_label_adds_the_animal_emoji_to_default_names_only():
    assert class_label("Cat") == "🐱 Cat"
    assert class_label("OWL") == "🦉 OWL"
    assert class_label("Zebra") == "Zebra"
    assert len(DEFAULT_CLASS_NAMES) == 10
    assert all(class_label(n) != n for n in DEFAULT_CLASS_NAMES)


# ------------------------------------------------------------------------------------ multi-class loss
def test_multiclass_breakdown_reproduces_the_seed_numbers():
    b = multiclass_breakdown(SEED_LOGITS, 0)
    assert f"{b.probs[0]:.1%}" == "89.1%"
    assert f"{b.loss:.4f}" == "0.1155"
    assert f"{b.grad[0]:.3f}" == "-0.109"
    np.testing.assert_allclose(b.probs.round(3), [0.891, 0.060, 0.033, 0.016])
    np.testing.assert_allclose(b.grad[1:].round(3), [0.060, 0.033, 0.016])
    np.testing.assert_allclose(b.contributions[1:], 0)


@pytest.mark.parametrize("temperature", [0.1, 0.5, 1.0, 2.0, 5.0])
@pytest.mark.parametrize("eps", [0.0, 0.1, 0.5])
@pytest.mark.parametrize("true_index", [0, 2])
def test_multiclass_breakdown_parts_add_up_and_match_core(temperature, eps, true_index):
    z = np.array([3.5, 0.8, 0.2, -0.5, 1.1])
    b = multiclass_breakdown(z, true_index, temperature=temperature, label_smoothing=eps)
    assert b.contributions.sum() == pytest.approx(b.loss, rel=1e-12)
    assert b.loss == pytest.approx(
        float(core.cross_entropy(z / temperature, true_index, label_smoothing=eps))
    )
    assert b.target.sum() == pytest.approx(1.0)
    assert b.target[true_index] == pytest.approx(1 - eps + eps / 5)
    np.testing.assert_allclose(b.grad_scaled, b.probs - b.target, atol=1e-15)
    np.testing.assert_allclose(b.grad * temperature, b.grad_scaled, rtol=1e-12)
    assert abs(b.grad.sum()) < 1e-12
    assert np.all(np.abs(b.grad) <= 1 / temperature + 1e-12)


@pytest.mark.parametrize("temperature", [0.3, 1.0, 2.5])
def test_multiclass_breakdown_gradient_is_the_gradient_of_the_loss_in_the_raw_logits(temperature):
    z = np.array([1.0, -0.4, 2.2])

    def loss(v):
        return multiclass_breakdown(v, 1, temperature=temperature, label_smoothing=0.1).loss

    numeric = core.numerical_gradient(loss, z)
    np.testing.assert_allclose(
        multiclass_breakdown(z, 1, temperature=temperature, label_smoothing=0.1).grad, numeric, atol=1e-7
    )


def test_multiclass_breakdown_is_stable_for_extreme_logits():
    b = multiclass_breakdown([10.0, -10.0, -10.0], 1, temperature=0.1)
    assert np.isfinite(b.loss) and b.loss == pytest.approx(200.0, rel=1e-9)
    assert np.all(np.isfinite(b.contributions)) and np.all(np.isfinite(b.grad))


def test_multiclass_breakdown_validates_its_input():
    with pytest.raises(ValueError, match=r"logits must have shape \(C,\) with C >= 2"):
        multiclass_breakdown([1.0], 0)
    with pytest.raises(ValueError, match=r"true_index must be in \[0, 2\); got 2"):
        multiclass_breakdown([1.0, 2.0], 2)
    with pytest.raises(ValueError, match=r"temperature must be in \(0, inf\]; got 0"):
        multiclass_breakdown([1.0, 2.0], 0, temperature=0)
    with pytest.raises(ValueError, match=r"label_smoothing must be in \[0, 1\]; got 1.5"):
        multiclass_breakdown([1.0, 2.0], 0, label_smoothing=1.5)


def test_gradient_insight_quotes_the_true_gradient_and_adapts_to_temperature_and_smoothing():
    plain = gradient_insight(multiclass_breakdown(SEED_LOGITS, 0), 0, ANIMALS)
    assert "p − 1 = **−0.109**" in plain and "[−1, 1]" in plain and "**Cat**" in plain
    assert "Temperature" not in plain and "label smoothing" not in plain

    hot = multiclass_breakdown(SEED_LOGITS, 0, temperature=0.5)
    text = gradient_insight(hot, 0, ANIMALS, temperature=0.5)
    assert "(p − y′)/T" in text and "[−1/T, 1/T] = [−2, 2]" in text and "larger" in text

    assert "(p − 1)/T with T = 0.5 = **−0.012**" in text

    smooth = multiclass_breakdown(SEED_LOGITS, 0, label_smoothing=0.1)
    text = gradient_insight(smooth, 0, ANIMALS, label_smoothing=0.1)
    assert "y′ = (1 − ε)·y + ε/C: 0.925" in text and "0.025" in text
    assert "p − y′: **−0.034** for Cat." in text

    over = multiclass_breakdown(SEED_LOGITS, 0, temperature=0.1, label_smoothing=0.5)
    text = gradient_insight(over, 0, ANIMALS, temperature=0.1, label_smoothing=0.5)
    assert "(p − y′)/T with T = 0.1: **+3.750** for Cat (positive: its logit is pushed **down**)" in text
