"""words.calibration: every verdict is chosen from the numbers, and the lesson's answer comes from core."""

import numpy as np
import pytest

from core.calibration import (
    CalibrationScores,
    EpochCalibration,
    Reliability,
    TemperatureFit,
    calibration_at,
    train_calibration_run,
)
from core.defaults import CALIBRATION_BINS, CALIBRATION_EPOCHS, CALIBRATION_WIDTH
from words.calibration import (
    CALIBRATED_GAP,
    FORMULAS,
    calibration_lesson,
    calibration_solve,
    claims_intro,
    cross_entropy_claim,
    diagram_alt,
    diagram_readout,
    diagram_title,
    epochs_sentence,
    scaling_sentence,
    smoothing_claim,
)

_EMPTY = Reliability(np.linspace(0, 1, 3), np.array([0, 10]), np.full(2, np.nan), np.full(2, np.nan), 0.0, 10)


def scores(accuracy, confidence, ece=None, nll=0.3):
    ece = abs(confidence - accuracy) if ece is None else ece
    return CalibrationScores(accuracy, confidence, nll, 0.1, ece, _EMPTY)


def at(before, after, temperature, epoch=50):
    return EpochCalibration(
        epoch, TemperatureFit(temperature, after.nll, before.nll, 5, False), before, after
    )


OVER = at(scores(0.93, 0.97, nll=0.38), scores(0.93, 0.93, ece=0.01, nll=0.25), 2.2)
UNDER = at(scores(0.93, 0.81, nll=0.33), scores(0.93, 0.92, ece=0.012, nll=0.24), 0.5)
CALIBRATED = at(scores(0.93, 0.935, ece=0.012, nll=0.24), scores(0.93, 0.93, ece=0.011, nll=0.239), 1.02)


@pytest.mark.parametrize(
    ("case", "start"),
    [
        (OVER, "**Not here.**"),
        (UNDER, "**Not here, and the other way round.**"),
        (CALIBRATED, "**It holds here.**"),
    ],
)
def test_the_cross_entropy_verdict_follows_the_gap(case, start):
    text = cross_entropy_claim(case, 50)
    assert text.startswith(start)
    assert "for 50 epochs" in text
    assert f"{100 * case.before.confidence:.1f} % sure on average" in text


def test_the_gap_threshold_is_one_percentage_point():
    assert CALIBRATED_GAP == 0.01
    just_over = at(scores(0.90, 0.9101), scores(0.9, 0.9), 1.1)
    just_within = at(scores(0.90, 0.9099), scores(0.9, 0.9), 1.0)
    assert cross_entropy_claim(just_over, 10).startswith("**Not here.**")
    assert cross_entropy_claim(just_within, 10).startswith("**It holds here.**")


@pytest.mark.parametrize(
    ("plain", "smoothed", "start", "detail"),
    [
        (OVER, UNDER, "**It prevents it, and overshoots.**", "(worse)"),
        (OVER, CALIBRATED, "**Yes, here.**", "(better)"),
        (
            OVER,
            at(scores(0.93, 0.95, nll=0.3), scores(0.93, 0.93), 1.3),
            "**Not at these settings.**",
            "less than",
        ),
        (CALIBRATED, UNDER, "**Nothing to prevent at these settings:**", "(worse)"),
    ],
)
def test_the_label_smoothing_verdict_compares_the_two_networks(plain, smoothed, start, detail):
    text = smoothing_claim(plain, smoothed, 0.1)
    assert text.startswith(start)
    assert detail in text
    assert "With ε = 0.1" in text


def test_the_overshoot_names_the_smoothed_target():
    assert "at 91.0 % for the true digit" in smoothing_claim(OVER, UNDER, 0.1)
    assert "at 82.0 % for the true digit" in smoothing_claim(OVER, UNDER, 0.2)


def test_the_scaling_sentence_says_what_moved():
    assert "**T = 2.20** > 1 flattens" in scaling_sentence(OVER)
    assert "Most of the over-confidence is gone" in scaling_sentence(OVER)
    assert "**T = 0.50** < 1 sharpens" in scaling_sentence(UNDER)
    worse_ece = at(scores(0.9, 0.92, ece=0.02, nll=0.4), scores(0.9, 0.9, ece=0.03, nll=0.35), 1.2)
    assert "not the ECE on the test digits" in scaling_sentence(worse_ece)
    both_worse = at(scores(0.9, 0.92, ece=0.02, nll=0.4), scores(0.9, 0.9, ece=0.03, nll=0.45), 1.2)
    assert "does not suit these as well" in scaling_sentence(both_worse)


def test_the_epochs_sentence_finds_the_most_overconfident_epoch():
    sweep = (at(UNDER.before, UNDER.after, 0.5, epoch=1), at(OVER.before, OVER.after, 2.2, epoch=70))
    text = epochs_sentence(sweep)
    assert text.startswith("From epoch 1 to epoch 70 the fitted temperature goes from 0.50 to 2.20.")
    assert "most over-confident at epoch 70" in text
    calm = (
        at(UNDER.before, UNDER.after, 0.5, epoch=1),
        at(CALIBRATED.before, CALIBRATED.after, 1.0, epoch=5),
    )
    assert "At no epoch is it over-confident" in epochs_sentence(calm)


def test_readouts_and_alt_text_carry_the_numbers():
    assert diagram_title(scaled=False) == "As trained"
    assert diagram_readout(OVER, scaled=False) == "epoch 50 · ECE 4.0 %<br>sure 97.0 % · right 93.0 %"
    assert (
        diagram_readout(OVER, scaled=True) == "epoch 50 · T = 2.20 · ECE 1.0 %<br>sure 93.0 % · right 93.0 %"
    )
    assert diagram_alt(scaled=True, bins=12).startswith(
        "Reliability diagram of the network after temperature"
    )
    assert "as trained, at the epochs chosen above" in diagram_alt(scaled=False, bins=12)
    assert "each of 12 confidence bins" in diagram_alt(scaled=False, bins=12)


def test_the_claims_are_quoted_and_the_source_named_by_what_it_is():
    intro = claims_intro()
    assert "“excellent”" in intro
    assert "“prevents overconfidence”" in intro
    assert "web article on cross-entropy" in intro
    assert "seed" not in intro.lower()
    assert "003" not in intro


def test_formulas_cover_every_score():
    assert set(FORMULAS) == {"ece", "nll", "brier", "temperature", "fit", "slope", "convex"}


def test_the_question_is_answered_by_training_the_network():
    lesson = calibration_lesson()
    correct, explanation = calibration_solve("nats")
    run = train_calibration_run(CALIBRATION_WIDTH, 0.0, CALIBRATION_EPOCHS)
    early = calibration_at(run, 10, CALIBRATION_BINS[2])
    late = calibration_at(run, CALIBRATION_EPOCHS[-1], CALIBRATION_BINS[2])
    assert late.fit.temperature > 1 > early.fit.temperature  # the page's network, as trained now
    assert lesson.question.options[correct].startswith("it rises above 1")
    assert f"the fitted T is {early.fit.temperature:.2f}" in explanation
    assert f"it is {late.fit.temperature:.2f}" in explanation
    assert len(lesson.what_to_try) == 4
