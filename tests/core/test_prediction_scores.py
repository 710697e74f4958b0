"""core.prediction_scores: the scores of a set of predictions against hand-computed values,
core.losses.cross_entropy, core.information and core.calibration; a CSV written from logits or
probabilities scores as core does (hypothesis)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from core.calibration import expected_calibration_error, reliability
from core.functional import log_softmax, softmax
from core.information import cross_entropy_between, entropy, kl_divergence
from core.losses import cross_entropy
from core.prediction_scores import PredictionScores, rebin, score_predictions, worst_examples, worst_share
from core.predictions import parse_predictions

GOOD = "label,Cat,Dog,Bird\nCat,0.7,0.2,0.1\nDog,0.1,0.6,0.3\nBird,0.2,0.2,0.6\nCat,0.3,0.4,0.3\n"


def test_scores_against_hand_computed_values():
    # 4 examples, 3 classes; the true class gets 0.7, 0.6, 0.6 and 0.3.
    s = score_predictions(parse_predictions(GOOD).log_probs, [0, 1, 2, 0])
    surprise = -np.log([0.7, 0.6, 0.6, 0.3])
    np.testing.assert_allclose(s.surprise, surprise)
    assert s.cross_entropy == pytest.approx(surprise.mean())
    assert s.cross_entropy == pytest.approx(0.6456, abs=5e-5)
    assert s.accuracy == 0.75  # the last Cat is predicted Dog
    assert s.mean_confidence == pytest.approx((0.7 + 0.6 + 0.6 + 0.4) / 4)
    assert s.predicted.tolist() == [0, 1, 2, 1]
    assert s.confusion.tolist() == [[1, 1, 0], [0, 1, 0], [0, 0, 1]]
    assert s.counts.tolist() == [2, 1, 1]
    np.testing.assert_allclose(s.label_distribution, [0.5, 0.25, 0.25])
    np.testing.assert_allclose(s.mean_prediction, [0.325, 0.35, 0.325])
    np.testing.assert_allclose(s.class_loss, [(surprise[0] + surprise[3]) / 2, surprise[1], surprise[2]])
    np.testing.assert_allclose(s.class_accuracy, [0.5, 1.0, 1.0])
    np.testing.assert_allclose(
        s.class_contribution, [0.5 * s.class_loss[0], 0.25 * surprise[1], 0.25 * surprise[2]]
    )
    assert s.class_contribution.sum() == pytest.approx(s.cross_entropy)
    # H(P̂) of (1/2, 1/4, 1/4) is 1.5 bits.
    assert s.label_entropy == pytest.approx(1.5 * math.log(2))
    h_pq = -(0.5 * math.log(0.325) + 0.25 * math.log(0.35) + 0.25 * math.log(0.325))
    assert s.marginal_cross_entropy == pytest.approx(h_pq)
    assert s.marginal_kl == pytest.approx(h_pq - 1.5 * math.log(2))
    assert s.uniform_loss == pytest.approx(math.log(3))
    assert (s.n_infinite, s.finite_cross_entropy) == (0, pytest.approx(s.cross_entropy))


def test_scores_match_core_cross_entropy_and_information_and_calibration():
    rng = np.random.default_rng(0)
    logits = 3 * rng.standard_normal((200, 5))
    labels = rng.integers(0, 5, 200)
    labels[:5] = np.arange(5)
    s = score_predictions(log_softmax(logits, axis=1), labels, n_bins=7)
    assert s.cross_entropy == pytest.approx(float(cross_entropy(logits, labels)), rel=1e-12)
    probs = softmax(logits, axis=1)
    p_hat = np.bincount(labels, minlength=5) / 200
    assert s.label_entropy == pytest.approx(float(entropy(p_hat)))
    assert s.marginal_cross_entropy == pytest.approx(float(cross_entropy_between(p_hat, probs.mean(axis=0))))
    assert s.marginal_kl == pytest.approx(float(kl_divergence(p_hat, probs.mean(axis=0))))
    assert s.marginal_cross_entropy == pytest.approx(s.label_entropy + s.marginal_kl)
    assert s.reliability.ece == pytest.approx(expected_calibration_error(probs, labels, n_bins=7))
    np.testing.assert_array_equal(s.reliability.counts, reliability(probs, labels, n_bins=7).counts)
    assert s.accuracy == pytest.approx(np.mean(probs.argmax(axis=1) == labels))


def test_a_true_class_with_probability_zero_makes_the_loss_infinite():
    pred = parse_predictions("label,a,b\n0,0,1\n1,0.5,0.5\n1,0.2,0.8\n")
    s = score_predictions(pred.log_probs, pred.labels)
    assert s.cross_entropy == math.inf
    assert s.n_infinite == 1
    assert s.finite_cross_entropy == pytest.approx((math.log(2) - math.log(0.8)) / 2)
    assert s.class_loss[0] == math.inf
    assert worst_examples(s.surprise, 1).tolist() == [0]


def test_the_marginal_kl_is_infinite_when_no_example_gives_an_occurring_class_any_probability():
    s = score_predictions([[0.0, -math.inf], [0.0, -math.inf]], [0, 1])
    assert (s.marginal_kl, s.marginal_cross_entropy) == (math.inf, math.inf)
    assert s.label_entropy == pytest.approx(math.log(2))


def test_a_class_without_examples_has_no_loss_and_no_share():
    s = score_predictions(np.log([[0.8, 0.1, 0.1], [0.6, 0.3, 0.1]]), [0, 1])
    assert math.isnan(s.class_loss[2])
    assert math.isnan(s.class_accuracy[2])
    assert s.class_contribution[2] == 0.0
    assert s.class_contribution.sum() == pytest.approx(s.cross_entropy)


def test_a_constant_prediction_of_the_class_shares_costs_exactly_their_entropy():
    labels = np.array([0, 0, 0, 1, 2, 2])
    p_hat = np.bincount(labels) / 6
    s = score_predictions(np.log(np.tile(p_hat, (6, 1))), labels)
    assert s.cross_entropy == pytest.approx(s.label_entropy)
    assert s.marginal_kl == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize(
    ("log_probs", "labels", "n_bins", "pattern"),
    [
        ([[0.0, 0.0]], [0], 10, r"row 0 sums to 2"),
        ([[0.1, -3.0]], [0], 10, r"log-probabilities \(<= 0"),
        ([[math.nan, 0.0]], [0], 10, r"log-probabilities"),
        ([0.0, -1.0], [0], 10, r"must be \(n, C\)"),
        ([[0.0]], [0], 10, r"C >= 2"),
        (np.log([[0.5, 0.5]]), [2], 10, r"class indices in \[0, 2\); got 2"),
        (np.log([[0.5, 0.5]]), [0.0], 10, r"integer class indices"),
        (np.log([[0.5, 0.5]]), [0], 0, r"n_bins must be an integer in \[1, 100\]"),
    ],
)
def test_score_predictions_rejects_bad_arguments(log_probs, labels, n_bins, pattern):
    with pytest.raises(ValueError, match=pattern):
        score_predictions(log_probs, labels, n_bins=n_bins)


def test_worst_examples_and_their_share():
    surprise = [0.1, 2.0, 0.5, 2.0, 0.4]
    assert worst_examples(surprise, 3).tolist() == [1, 3, 2]
    assert worst_examples(surprise, 99).tolist() == [1, 3, 2, 4, 0]
    assert worst_share(surprise, 2) == pytest.approx(4.0 / 5.0)
    assert worst_share([0.0, 0.0], 1) == 1.0
    assert worst_share([1.0, math.inf], 1) == 1.0
    with pytest.raises(ValueError, match="k must be an integer in \\[1, inf\\)"):
        worst_examples(surprise, 0)
    with pytest.raises(ValueError, match="surprise must hold values >= 0"):
        worst_share([-1.0], 1)


@settings(max_examples=40, deadline=None)
@given(
    logits=arrays(np.float64, st.tuples(st.integers(1, 30), st.integers(2, 6)), elements=st.floats(-30, 30)),
    data=st.data(),
)
def test_a_csv_written_from_logits_or_probabilities_scores_as_core_does(logits, data):
    n, c = logits.shape
    labels = np.array(data.draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)))
    names = [f"class {k}" for k in range(c)]
    for kind, values, fmt in (("logits", logits, "{!r}"), ("probabilities", softmax(logits, axis=1), "{!r}")):
        lines = ["label," + ",".join(names)] + [
            f"{y}," + ",".join(fmt.format(float(v)) for v in row)
            for y, row in zip(labels, values, strict=True)
        ]
        pred = parse_predictions("\n".join(lines), kind=kind)
        assert pred.labels.tolist() == labels.tolist()
        s = score_predictions(pred.log_probs, pred.labels)
        expected = float(cross_entropy(logits, labels))
        if kind == "logits":
            assert s.cross_entropy == pytest.approx(expected, rel=1e-9, abs=1e-12)
        elif np.isfinite(s.cross_entropy):  # a probability can underflow to 0 where the logit is finite
            assert s.cross_entropy == pytest.approx(expected, rel=1e-6, abs=1e-9)
        assert s.class_contribution.sum() == pytest.approx(s.cross_entropy, rel=1e-9)


@pytest.mark.parametrize("n_bins", [1, 3, 10, 17])
def test_rebin_gives_what_scoring_with_those_bins_gives(n_bins):
    rng = np.random.default_rng(7)
    logits = rng.normal(size=(200, 5)) * 2
    log_probs = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    labels = rng.integers(0, 5, size=200)
    rebinned = rebin(score_predictions(log_probs, labels, n_bins=10), log_probs, labels, n_bins=n_bins)
    direct = score_predictions(log_probs, labels, n_bins=n_bins)
    for field in PredictionScores._fields:
        got, want = getattr(rebinned, field), getattr(direct, field)
        if field == "reliability":
            for name in want._fields:
                np.testing.assert_array_equal(getattr(got, name), getattr(want, name), err_msg=name)
        else:
            np.testing.assert_array_equal(got, want, err_msg=field)


def test_rebin_names_a_bad_number_of_bins():
    log_probs = np.log([[0.5, 0.5], [0.9, 0.1]])
    with pytest.raises(ValueError, match="n_bins"):
        rebin(score_predictions(log_probs, [0, 1]), log_probs, [0, 1], n_bins=0)
