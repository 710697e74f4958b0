"""core.defaults: one definition of each page default, consistent with itself."""

import pytest

from core import defaults
from core.defaults import (
    BACKPROP_BATCH,
    BACKPROP_CLASSES,
    BACKPROP_FEATURES,
    BACKPROP_HIDDEN,
    BINARY_P,
    BINARY_POS_WEIGHT,
    BINARY_Z,
    DEFAULT_CLASS_NAMES,
    KL_P_WEIGHTS,
    KL_Q_WEIGHTS,
    MULTICLASS_CLASSES,
    MULTICLASS_LOGITS,
    PITFALLS_LOGITS,
    SOFTMAX_GRADIENT_CLASSES,
    SOFTMAX_GRADIENT_LOGITS,
    SURPRISE_EXPLORER,
    SURPRISE_GAME,
    SURPRISE_GAME_PRESET,
)


@pytest.mark.parametrize(
    "slider",
    [
        BINARY_P,
        BINARY_Z,
        BINARY_POS_WEIGHT,
        BACKPROP_BATCH,
        BACKPROP_FEATURES,
        BACKPROP_HIDDEN,
        BACKPROP_CLASSES,
    ],
)
def test_every_slider_default_lies_in_its_range(slider):
    low, high, default = slider
    assert low <= default <= high


def test_the_multi_class_logits_are_shared_by_three_pages():
    assert len(MULTICLASS_LOGITS) == len(DEFAULT_CLASS_NAMES)
    assert PITFALLS_LOGITS == MULTICLASS_LOGITS[:4]
    assert SOFTMAX_GRADIENT_LOGITS[:4] == MULTICLASS_LOGITS[:4]
    assert MULTICLASS_CLASSES <= len(MULTICLASS_LOGITS)
    assert SOFTMAX_GRADIENT_CLASSES <= len(SOFTMAX_GRADIENT_LOGITS)


def test_the_prediction_on_entropy_and_kl_is_the_guessing_games_model():
    assert KL_Q_WEIGHTS == SURPRISE_GAME["right"]
    assert len(KL_P_WEIGHTS) == len(KL_Q_WEIGHTS)


def test_percentages_sum_to_100():
    assert sum(SURPRISE_EXPLORER) == 100
    for weights in SURPRISE_GAME.values():
        assert sum(weights) == 100
    assert sum(KL_P_WEIGHTS) == 100
    assert SURPRISE_GAME_PRESET in SURPRISE_GAME


def test_defaults_hold_numbers_and_names_only():
    for name in defaults.__all__:
        value = getattr(defaults, name)
        assert isinstance(value, int | float | str | tuple | dict), name
