"""The words of the Probability simplex page: sentences beside the charts, and its lesson."""

import math

import numpy as np
import pytest

from core.defaults import SIMPLEX_LOGITS, SIMPLEX_LR, SIMPLEX_STEPS, SIMPLEX_TEMPERATURE
from core.information import entropy
from core.simplex import corner_gradient_norms, descent_path, smoothed_target, temperature_path
from tests.words._lesson_helpers import italic_spans, option_index
from words.lesson import feedback
from words.lessons import LESSONS
from words.simplex import (
    descent_alt,
    descent_sentence,
    overshoot_warning,
    q_text,
    signed_vector,
    simplex_alt,
    simplex_lesson,
    simplex_solve,
    temperature_sentence,
    vector_text,
    why_sentence,
)

Z = np.array([*SIMPLEX_LOGITS, 0.0])


def test_vectors_are_written_with_true_minus_signs_and_class_names():
    assert vector_text([0.8, -0.1, 0.0]) == "(0.800, −0.100, 0.000)"
    assert signed_vector([-0.7551, 0.6652, 0.0]) == "(−0.755, +0.665, 0.000)"
    assert q_text([0.245, 0.665, 0.09]) == "Cat 0.245, Dog 0.665, Bird 0.090"


def test_descent_sentence_without_smoothing_says_the_corner_is_never_reached():
    path = descent_path(Z, smoothed_target(0, 0.0), 1.0, 30)
    text = descent_sentence(
        path.probs, path.losses, target=[1, 0, 0], true_index=0, label_smoothing=0.0, lr=1.0, unit="bits"
    )
    assert f"to **{path.losses[-1] / math.log(2):.4f} bits**" in text
    assert "The first step moves q by 0.431" in text
    assert "the last by 9.1e−4" in text
    assert "only infinite logits reach" in text
    assert "y′ =" not in text


@pytest.mark.parametrize(("steps", "reached"), [(400, True), (3, False)])
def test_descent_sentence_with_smoothing_says_where_the_path_stops(steps, reached):
    target = smoothed_target(1, 0.3)
    path = descent_path(Z, target, 2.0, steps)
    text = descent_sentence(
        path.probs, path.losses, target=target, true_index=1, label_smoothing=0.3, lr=2.0, unit="nats"
    )
    assert "y′ = (0.100, 0.800, 0.100)" in text
    assert ("has reached" in text) is reached
    assert ("is heading for" in text) is not reached
    assert f"H(y′) = {float(entropy(target)):.4f} nats" in text
    assert "Dog's probability goes from 0.665" in text


def test_one_step_has_no_first_and_last_step_comparison():
    path = descent_path(Z, smoothed_target(0, 0.0), 1.0, 1)
    text = descent_sentence(
        path.probs, path.losses, target=[1, 0, 0], true_index=0, label_smoothing=0.0, lr=1.0, unit="nats"
    )
    assert text.startswith("**1 step of η = 1**")
    assert "the last by" not in text


def test_overshoot_warning_only_above_four_t_squared():
    assert overshoot_warning(4.0, 1.0, False) is None
    assert overshoot_warning(1.0, 0.5, False) is None
    text = overshoot_warning(1.1, 0.5, False)
    assert text.startswith("η = 1.1 is above 4T² = 1:")
    assert "It does here" not in text
    assert "It does here: the loss rises on some steps." in overshoot_warning(10.0, 1.0, True)


def test_why_sentence_quotes_the_gradient_at_the_corners_and_now():
    norms = corner_gradient_norms(smoothed_target(2, 0.0), 2.0)
    text = why_sentence(0.25, norms, true_index=2, temperature=2.0)
    assert "At the Bird corner its size is **0.000**" in text
    assert "at the Cat corner **0.707**" in text  # √2 / T
    assert "at q now 0.250 (all divided by T = 2)" in text


@pytest.mark.parametrize(
    ("logits", "phrase"),
    [
        ([1.0, 2.0, 0.0], "into the Dog corner"),
        ([2.0, 0.0, 2.0], "to the middle of the Cat–Bird edge"),
        ([0.0, 0.0, 0.0], "all three logits are equal"),
    ],
)
def test_temperature_sentence_names_where_the_curve_starts(logits, phrase):
    q = temperature_path(logits, [0.7])[0]
    text = temperature_sentence(logits, 0.7, q)
    assert phrase in text
    assert f"at T = 0.7, q = ({q_text(q)})" in text


def test_alt_texts_say_what_the_charts_show():
    target = smoothed_target(0, 0.2)
    path = descent_path(Z, target, 1.0, 12)
    alt = simplex_alt(target, 12, "nats")
    assert "Cat, Dog and Bird" in alt
    assert "(0.867, 0.067, 0.067)" in alt  # the target
    assert "loss in nats are in the readouts" in alt  # q's numbers follow the slider: not in the alt
    assert "12 gradient-descent steps" in alt
    alt2 = descent_alt(path.losses, float(entropy(target)), "bits")
    assert "each of 12 gradient-descent steps" in alt2
    assert "bits" in alt2


# ------------------------------------------------------------------------------------------------ lesson
def test_the_lesson_is_registered_for_the_page():
    assert LESSONS["simplex"] == simplex_lesson()


def test_the_prompts_quote_the_defaults_and_core():
    prompts = simplex_lesson().what_to_try
    assert [italic_spans(p)[0] for p in prompts] == [
        "Label smoothing ε",
        "Steps k",
        "Temperature T",
        "Learning rate η",
    ]
    assert "H(y′) = 0.639 nats" in prompts[0]
    assert "(0.80, 0.10, 0.10)" in prompts[0]
    low, high, default = SIMPLEX_STEPS
    short = descent_path(Z, [1, 0, 0], SIMPLEX_LR[2], default).probs[-1, 0]
    long = descent_path(Z, [1, 0, 0], SIMPLEX_LR[2], high).probs[-1, 0]
    assert f"from {default} to {high}" in prompts[1]
    assert f"from {short:.3f} to {long:.3f}" in prompts[1]
    assert f"from {SIMPLEX_TEMPERATURE[2]:.1f} down to {SIMPLEX_TEMPERATURE[0]:.1f}" in prompts[2]
    jumpy = descent_path(Z, smoothed_target(0, 0.3), SIMPLEX_LR[1], default).losses
    assert jumpy[1] > jumpy[0]  # the prompt's claim: the first step raises the loss
    assert f"from {jumpy[0]:.3f} to {jumpy[1]:.3f} nats" in prompts[3]


@pytest.mark.parametrize("unit", ["nats", "bits"])
def test_the_largest_gradient_is_at_a_wrong_corner(unit):
    question = simplex_lesson().question
    correct, explanation = simplex_solve(unit)
    assert correct == option_index(question, "At the Dog corner")
    assert "**1.414 = √2**" in explanation
    assert "centre it is 0.816" in explanation
    right, text = feedback(question, option_index(question, "Near the Cat corner"), unit)
    assert not right
    assert text.startswith("**Not quite")
