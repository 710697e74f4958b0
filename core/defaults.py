"""The pages' default settings, each defined once.

A page reads its widgets' defaults from here, and the words package (:mod:`words`) reads the same
constants to compute the numbers its prompts and questions quote, so the two never drift apart.
Numbers and default class names only: no labels, no Streamlit.

Ranges of a slider are written ``(min, max, default)``.  Percentages are the integer slider values
the pages show (they are normalised to probabilities by :func:`core.proportions.normalise_weights`).

>>> MULTICLASS_LOGITS[:4], KL_Q_WEIGHTS
((3.5, 0.8, 0.2, -0.5), (85, 10, 3, 2))
"""

from __future__ import annotations

__all__ = [
    "BACKPROP_BATCH",
    "BACKPROP_CLASSES",
    "BACKPROP_FEATURES",
    "BACKPROP_HIDDEN",
    "BACKPROP_LAYER_SIZES",
    "BACKPROP_N_LAYERS",
    "BACKPROP_SEED",
    "BINARY_LABEL",
    "CALIBRATION_BINS",
    "CALIBRATION_COMPARE_SMOOTHING",
    "CALIBRATION_EPOCH",
    "CALIBRATION_EPOCHS",
    "CALIBRATION_SMOOTHING",
    "CALIBRATION_SMOOTHINGS",
    "CALIBRATION_WIDTH",
    "CALIBRATION_WIDTHS",
    "BINARY_P",
    "BINARY_POS_WEIGHT",
    "BINARY_Z",
    "COMPARISON_GAMMA",
    "COMPARISON_MARGIN",
    "COMPARISON_P_TRUE",
    "COMPARISON_SMOOTHING",
    "DEFAULT_CLASS_NAMES",
    "IDENTITIES_M",
    "IDENTITIES_N",
    "IDENTITIES_SEED",
    "KL_CLASSES",
    "KL_P_WEIGHTS",
    "KL_Q_WEIGHTS",
    "LANGUAGE_CONTEXT",
    "LANGUAGE_HIDDEN",
    "LANGUAGE_HIDDENS",
    "LANGUAGE_PASSAGE_CHARS",
    "LANGUAGE_PASSAGE_WIDTH",
    "LANGUAGE_SAMPLE_CHARS",
    "LANGUAGE_SAMPLE_DRAW",
    "LANGUAGE_SMOOTHING",
    "LANGUAGE_SMOOTHINGS",
    "LANGUAGE_SMOOTHING_SWEEP",
    "LANGUAGE_SURPRISE_TOP_BITS",
    "LANGUAGE_TEMPERATURE",
    "LANGUAGE_TEXT",
    "LANGUAGE_TEXT_MAX_CHARS",
    "MINIBATCH_LAYER_SIZES",
    "MINIBATCH_N_SAMPLES",
    "MINIBATCH_SEED",
    "MULTICLASS_CLASSES",
    "MULTICLASS_LOGITS",
    "PITFALLS_LOGITS",
    "PITFALLS_LOG_EPS",
    "PITFALLS_LOG_P",
    "PREDICTIONS_BINS",
    "PREDICTIONS_WORST",
    "SOFTMAX_GRADIENT_CLASSES",
    "SIMPLEX_ARROWS",
    "SIMPLEX_CONTOURS",
    "SIMPLEX_CURVE_TEMPERATURES",
    "SIMPLEX_HOVER_RESOLUTION",
    "SIMPLEX_LOGITS",
    "SIMPLEX_LOGIT_RANGE",
    "SIMPLEX_LR",
    "SIMPLEX_RESOLUTION",
    "SIMPLEX_SMOOTHING",
    "SIMPLEX_STEPS",
    "SIMPLEX_TEMPERATURE",
    "SIMPLEX_TRUE_INDEX",
    "SOFTMAX_GRADIENT_LOGITS",
    "SURPRISE_EXPLORER",
    "SURPRISE_EXPLORER_STEP",
    "SURPRISE_GAME",
    "SURPRISE_GAME_PRESET",
    "SURPRISE_TRUE_INDEX",
]

# ------------------------------------------------------------------------------------------ class names
# The classes of every cross-entropy page, in order; a page with C classes uses the first C.
DEFAULT_CLASS_NAMES: tuple[str, ...] = (
    "Cat",
    "Dog",
    "Bird",
    "Fish",
    "Horse",
    "Rabbit",
    "Turtle",
    "Frog",
    "Fox",
    "Owl",
)

# ------------------------------------------------------------------------------------------- Surprise
# The guessing game's presets: the model's percentages for Cat, Dog, Bird and Fish.  The true answer
# is Cat in all three; "right" is the state the page opens in (0.23 bits, 0.1625 nats).
SURPRISE_GAME: dict[str, tuple[int, int, int, int]] = {
    "right": (85, 10, 3, 2),
    "unsure": (30, 25, 25, 20),
    "wrong": (5, 85, 6, 4),
}
SURPRISE_GAME_PRESET = "right"
SURPRISE_TRUE_INDEX = 0
# The explorer's three percentages (Cat is true): P(true) = 70 %, 0.3567 nats, 0.51 bits.
SURPRISE_EXPLORER: tuple[float, float, float] = (70.0, 20.0, 10.0)
SURPRISE_EXPLORER_STEP = 0.5

# ----------------------------------------------------------------------------- Binary cross-entropy
BINARY_LABEL = 1
BINARY_P: tuple[float, float, float] = (0.01, 0.99, 0.70)  # predicted p = P(y = 1)
BINARY_Z: tuple[float, float, float] = (-8.0, 8.0, 0.85)  # the logit
BINARY_POS_WEIGHT: tuple[float, float, float] = (0.1, 10.0, 1.0)

# ---------------------------------------------------------------------------------- Multi-class logits
# One logit per class; the first four (Cat true) give P(true) = 89.1 %, 0.1155 nats and a true-class
# gradient of −0.109.
MULTICLASS_LOGITS: tuple[float, ...] = (3.5, 0.8, 0.2, -0.5, -1.0, 0.4, -0.2, 1.0, -1.5, 0.6)
MULTICLASS_CLASSES = 4

# ------------------------------------------------------------------------------------ Loss comparison
COMPARISON_P_TRUE = 0.70
COMPARISON_GAMMA = 2.0
COMPARISON_MARGIN = 1.0
COMPARISON_SMOOTHING = 0.1

# ------------------------------------------------------------------------------------- Entropy and KL
KL_CLASSES = 4
KL_P_WEIGHTS: tuple[int, ...] = (60, 25, 10, 5)  # the soft truth
KL_Q_WEIGHTS: tuple[int, ...] = SURPRISE_GAME["right"]  # the prediction: the guessing game's model

# --------------------------------------------------------------------------------- Numerical pitfalls
PITFALLS_LOG_EPS = -7  # clipping at ε = 10⁻⁷, Keras' default
PITFALLS_LOG_P = -10  # the true class's probability, 10⁻¹⁰
PITFALLS_LOGITS: tuple[float, ...] = MULTICLASS_LOGITS[:4]  # BCE on softmax: the multi-class logits

# ----------------------------------------------------------------------------------- Softmax gradient
SOFTMAX_GRADIENT_CLASSES = 4
SOFTMAX_GRADIENT_LOGITS: tuple[float, ...] = (*MULTICLASS_LOGITS[:4], -1.0, 1.5)

# ------------------------------------------------------------------------------------ Backpropagation
BACKPROP_N_LAYERS = 4  # D → H → H → H → C
BACKPROP_BATCH: tuple[int, int, int] = (1, 16, 8)  # B
BACKPROP_FEATURES: tuple[int, int, int] = (2, 6, 2)  # D
BACKPROP_HIDDEN: tuple[int, int, int] = (2, 8, 5)  # H
BACKPROP_CLASSES: tuple[int, int, int] = (2, 5, 3)  # C
BACKPROP_SEED = 0
# The default network, D → H → H → H → C at the sliders' defaults.
BACKPROP_LAYER_SIZES: tuple[int, ...] = (
    BACKPROP_FEATURES[2],
    *(BACKPROP_HIDDEN[2],) * (BACKPROP_N_LAYERS - 1),
    BACKPROP_CLASSES[2],
)

# --------------------------------------------------------------------------------------- Mini-batches
MINIBATCH_N_SAMPLES = 2048  # the fixed data set the batches come from
MINIBATCH_LAYER_SIZES: tuple[int, ...] = (2, 16, 16, 16, 3)  # D → H → H → H → C
MINIBATCH_SEED = 0  # of the data set and of the network

# ------------------------------------------------------------------------------ Vectorized identities
IDENTITIES_SEED = 1  # its default network has 3 of its 4 hidden units active (seed 0: only 1)
IDENTITIES_N = 3  # rows of W
IDENTITIES_M = 4  # columns of W

# ------------------------------------------------------------------------------------ Calibration lab
# The lab's network is core.calibration's MLP [64, width, 10] on the digits.  Every epoch here is kept by
# one cached run per (width, ε), so moving the epochs never retrains.  At the defaults (50 epochs, 32 units,
# no smoothing) it is right on about 93 % of the test digits while 97 % sure on average: over-confident.
CALIBRATION_EPOCHS: tuple[int, ...] = (1, 2, 3, 5, 10, 20, 30, 50, 70, 100)
CALIBRATION_EPOCH = 50
CALIBRATION_WIDTHS: tuple[int, ...] = (16, 32, 64, 128)  # units of the hidden layer
CALIBRATION_WIDTH = 32
CALIBRATION_SMOOTHINGS: tuple[float, ...] = (0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3)  # label smoothing ε
CALIBRATION_SMOOTHING = 0.0
CALIBRATION_COMPARE_SMOOTHING = 0.1  # the ε the label-smoothing claim is tested with while ε is 0
CALIBRATION_BINS: tuple[int, int, int] = (5, 30, 10)  # confidence bins of the reliability diagram

# -------------------------------------------------------------------------------- Probability simplex
# Three classes (Cat, Dog, Bird).  The sliders set z₁ (Cat) and z₂ (Dog); z₃ (Bird) stays 0.  The default
# leans to Dog while Cat is true: q = (0.245, 0.665, 0.090), 1.4076 nats; 30 steps of η = 1 reach
# q_Cat = 0.978.
SIMPLEX_LOGITS: tuple[float, float] = (1.0, 2.0)
SIMPLEX_LOGIT_RANGE: tuple[float, float] = (-6.0, 6.0)
SIMPLEX_TRUE_INDEX = 0
SIMPLEX_TEMPERATURE: tuple[float, float, float] = (0.1, 5.0, 1.0)
SIMPLEX_SMOOTHING: tuple[float, float, float] = (0.0, 1.0, 0.0)
SIMPLEX_LR: tuple[float, float, float] = (0.1, 10.0, 1.0)  # η
SIMPLEX_STEPS: tuple[int, int, int] = (1, 200, 30)  # k
# Lattice steps along an edge of the loss surface's grid.  plotly.js fills a contour's cells outside the
# triangle (NaN) at every frame of a drag, at a cost that grows faster than the cells: key press -> frame
# 60 ms at 40 steps, 31 ms at 30 (tests/perf/bench_latency); the filled contours look the same.
SIMPLEX_RESOLUTION = 30
SIMPLEX_HOVER_RESOLUTION = 20  # lattice steps between the points that show q and the loss on hover
SIMPLEX_ARROWS = 6  # arrows of −(p − y′) at the corners and the interior points of this lattice
SIMPLEX_CURVE_TEMPERATURES: tuple[float, float, int] = (0.01, 100.0, 61)  # T curve: 15 a decade
SIMPLEX_CONTOURS: dict[str, tuple[float, float]] = {"nats": (0.25, 4.0), "bits": (0.5, 6.0)}  # spacing, top

# ------------------------------------------------------------------------------ Language-model surprise
# Character models on the shipped essay (core.charlm): 27 symbols, the last 15 % of the text held out.
# Each (context, hidden) network is trained once per process (about a second); k only rebuilds counts.
LANGUAGE_SMOOTHINGS: tuple[float, ...] = (0.001, 0.01, 0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 100.0, 1000.0)  # add-k
LANGUAGE_SMOOTHING = 1.0
LANGUAGE_SMOOTHING_SWEEP: tuple[float, float, int] = (1e-3, 1e3, 61)  # the k curve: log-spaced
LANGUAGE_CONTEXT: tuple[int, int, int] = (1, 5, 3)  # characters the network reads
LANGUAGE_HIDDENS: tuple[int, ...] = (16, 32, 64, 128)  # units of its hidden layer
LANGUAGE_HIDDEN = 64
LANGUAGE_PASSAGE_CHARS = 240  # the held-out passage to inspect: its first characters
LANGUAGE_PASSAGE_WIDTH = 30  # characters per line of the surprise chart
LANGUAGE_SURPRISE_TOP_BITS = 10.0  # the colour scale's top (surprise above it gets the top colour)
LANGUAGE_TEXT = "The quick brown fox jumps over the lazy dog."  # every letter once at least
LANGUAGE_TEXT_MAX_CHARS = 300
LANGUAGE_TEMPERATURE: tuple[float, float, float] = (0.1, 3.0, 1.0)
LANGUAGE_SAMPLE_CHARS: tuple[int, int, int] = (50, 600, 300)
LANGUAGE_SAMPLE_DRAW: tuple[int, int, int] = (0, 999, 0)  # which sequence of random draws

# --------------------------------------------------------------------------------- Your own predictions
# The page opens on the example (the calibration lab's network on its test digits, core.predictions).
PREDICTIONS_BINS: tuple[int, int, int] = CALIBRATION_BINS  # confidence bins: the calibration lab's
PREDICTIONS_WORST: tuple[int, int, int] = (1, 100, 10)  # rows in the table of worst examples
