"""The words of the Your own predictions page: its lead, the format, what was read, the sentences beside its
charts, the messages for a file it cannot read, and its lesson.

Every number comes from :mod:`core.predictions` (and :mod:`core.defaults`) and is formatted by
:mod:`core.formatting`; losses arrive in nats and are written in the sidebar's unit.  Everything taken
from the visitor's data (class names, ids, values quoted in a message) passes through
:mod:`words.visitor_text` before it reaches Markdown or a chart.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import numpy as np

from core.calibration import digits_splits
from core.defaults import CALIBRATION_EPOCH, CALIBRATION_WIDTH, PREDICTIONS_WORST
from core.formatting import count, number, percent
from core.functional import log_softmax
from core.prediction_scores import PredictionScores, worst_examples, worst_share
from core.predictions import (
    LABEL_COLUMNS,
    MAX_CLASSES,
    MAX_ROWS,
    MAX_UPLOAD_MB,
    ROW_SUM_TOLERANCE,
    Predictions,
    PredictionsError,
    RowSumError,
    example_predictions,
)
from core.units import in_unit
from words.lesson import Lesson, Question, loss_text, nearest_ratio
from words.visitor_text import markdown_literal

__all__ = [
    "EXAMPLE_SOURCES",
    "FORMAT",
    "FORMAT_SAMPLE",
    "FORMULAS",
    "KIND_LABELS",
    "LEAD",
    "LINK_NOTE",
    "PRIVACY",
    "ROW_SUM_HINT",
    "SOURCES",
    "SPLIT_INTRO",
    "WAITING",
    "class_list",
    "class_loss_alt",
    "confusion_alt",
    "error_markdown",
    "example_sentence",
    "loss_sentence",
    "loss_value",
    "notes",
    "predictions_lesson",
    "predictions_solve",
    "read_summary",
    "reliability_alt",
    "reliability_sentence",
    "reliability_readout",
    "RELIABILITY_TITLE",
    "shares_alt",
    "split_alt",
    "split_sentence",
    "worst_sentence",
]

#: The choices of the page's "Predictions" control: the two examples, then the visitor's own data.
SOURCES: tuple[str, ...] = ("Example: probabilities", "Example: logits", "Upload a file", "Paste text")
EXAMPLE_SOURCES: dict[str, str] = {SOURCES[0]: "probabilities", SOURCES[1]: "logits"}
#: The choices of "The numbers are", keyed by :data:`core.predictions.KINDS`.
KIND_LABELS: dict[str, str] = {"auto": "Auto-detect", "probabilities": "Probabilities", "logits": "Logits"}

LEAD = (
    "Bring your own classifier's outputs: a CSV file with each example's true class and the model's "
    "probabilities or logits for every class. The page scores them the way training does, with the "
    "cross-entropy, and shows where that loss comes from: which classes, which examples, and whether the "
    "model's confidence can be taken at its word."
)
PRIVACY = (
    "**Your data stays private.** A file or text you give this page lives only in your browser session: it "
    "is not saved, not logged and not shared with other visitors, and it is gone when you close the tab. "
    "A link to this view carries the settings, never your data."
)
LINK_NOTE = (
    "A link to this view opens the page with the example: your file or pasted text cannot travel in a link."
)
WAITING = {
    SOURCES[2]: "Choose a CSV file above (drag it onto the box, or browse). Until then nothing is shown.",
    SOURCES[3]: "Paste CSV text into the box above and press Ctrl+Enter (⌘+Enter on a Mac), or click outside "
    "the box.",
}
FORMAT = (
    "**The format.** A header line naming the columns, then one line per example:\n"
    f"- a column named **label** ({', '.join(LABEL_COLUMNS[1:])} work too, in any case) with the true "
    "class, written as a **class name** from the header or as a **class index** (0 for the first class "
    "column); all labels one way or the other;\n"
    f"- one column per class (2 to {MAX_CLASSES}): the header gives the **class names**, the rows hold "
    "either **probabilities** (each in [0, 1], each row summing to 1) or **logits** (any numbers; the page "
    "applies softmax);\n"
    "- optionally a column named **id**, shown in the table of worst examples.\n\n"
    "Commas, semicolons or tabs between values; UTF-8 text; a point as the decimal separator. At most "
    f"{MAX_UPLOAD_MB} MB and {MAX_ROWS:,} rows."
)
#: A few lines in the format, for the format box and the empty paste box.
FORMAT_SAMPLE = "label,Cat,Dog,Bird\nCat,0.7,0.2,0.1\nBird,0.1,0.3,0.6\nDog,0.25,0.5,0.25"
#: The fix for rows that do not sum to 1, in the page's controls (it replaces the fix core words in general).
ROW_SUM_HINT = (
    "If they are unnormalised scores, switch on *Renormalise rows that do not sum to 1* (or press the button "
    "below), which divides each row by its sum; if they are logits, set *The numbers are* to Logits."
)
SPLIT_INTRO = (
    "For one example the split is trivial: its label y is certain, H(y) = 0, so its whole loss −log q(y) "
    "is the KL divergence KL(y ‖ q). For the data set as a whole, compare two distributions over the "
    "classes: **P̂**, the share of each class among the labels, and **Q̄**, the model's prediction averaged "
    "over all examples. H(P̂) is what the best constant guess pays (predict P̂ for every example, ignoring "
    "the inputs); KL(P̂ ‖ Q̄) is 0 exactly when the model predicts each class as often, on average, as it "
    "occurs. H(P̂, Q̄) is not the cross-entropy above: a perfect model has a cross-entropy of 0, but "
    "H(P̂, Q̄) = H(P̂)."
)
#: The formulas beside the numbers, for ``st.latex``.
FORMULAS: dict[str, str] = {
    "cross_entropy": r"\mathrm{CE} = \frac{1}{n}\sum_{i=1}^{n} -\log q_i(y_i)"
    r" = \sum_{k} \hat P_k\, \mathrm{CE}_k",
    "class_loss": r"\mathrm{CE}_k = \frac{1}{n_k}\sum_{i:\,y_i = k} -\log q_i(k)",
    "shares": r"\hat P_k = \frac{n_k}{n}, \qquad \bar Q_k = \frac{1}{n}\sum_{i=1}^{n} q_i(k)",
    "split": r"H(\hat P, \bar Q) = -\sum_k \hat P_k \log \bar Q_k"
    r" = H(\hat P) + \mathrm{KL}(\hat P \,\|\, \bar Q)",
    "ece": r"\mathrm{ECE} = \sum_{m=1}^{M} \frac{|B_m|}{n}\,\bigl|\operatorname{acc}(B_m) - "
    r"\operatorname{conf}(B_m)\bigr|",
}


@functools.cache
def _example_sizes() -> tuple[int, int]:
    """Training and test digits of the example network (cheap: no training)."""
    parts = digits_splits()
    return len(parts["train"][1]), len(parts["test"][1])


def example_sentence() -> str:
    """What the example is, for the format box.

    >>> example_sentence().startswith("**The example** is a small network")
    True
    """
    n_train, n_test = _example_sizes()
    return (
        f"**The example** is a small network (one hidden layer of {CALIBRATION_WIDTH} units, trained for "
        f"{CALIBRATION_EPOCH} epochs on {n_train} images of handwritten digits, as in the Calibration lab) "
        f"predicting {n_test:,} digits it never saw. Its classes are the digits 0 to 9."
    )


# ------------------------------------------------------------------------------------------ what was read
def class_list(names: Sequence[str], limit: int = 10) -> str:
    """Class names for Markdown, each shown as written, the first ``limit`` of them.

    >>> class_list(["Cat", "*Dog*"]), class_list([str(k) for k in range(12)], limit=3)
    ('Cat, \\\\*Dog\\\\*', '0, 1, 2, … (12 in all)')
    """
    shown = ", ".join(markdown_literal(name) for name in names[:limit])
    return shown + (f", … ({len(names)} in all)" if len(names) > limit else "")


def read_summary(pred: Predictions) -> str:
    """What the page read: examples, classes, how the labels and the numbers were taken.

    >>> from core.predictions import parse_predictions
    >>> pred = parse_predictions("label,a,b\\n1,2.5,-1\\n0,0.2,0.3\\n")
    >>> print(read_summary(pred))
    Read **2 examples** of **2 classes** (a, b). Labels: **class indices** (0 is the first class
    column). The numbers were read as **logits** and turned into probabilities by softmax, detected: 2
    of them lie outside [0, 1] (the first, 2.5, on line 2), so they cannot be probabilities.
    """
    head = f"Read **{pred.n:,} example{'s' * (pred.n != 1)}** of **{pred.n_classes} classes** "
    head += f"({class_list(pred.class_names)}). "
    if pred.label_format == "names":
        labels = "Labels: **class names** from the header."
    else:
        labels = "Labels: **class indices** (0 is the first class column)."
    if not pred.detected:
        how = f"The numbers were read as **{pred.kind}**, as chosen under *The numbers are*."
        if pred.kind == "logits":
            how += " Softmax turned them into probabilities."
    elif pred.kind == "logits":
        line, _, value = pred.first_outside
        how = (
            "The numbers were read as **logits** and turned into probabilities by softmax, detected: "
            f"{pred.outside:,} of them lie outside [0, 1] (the first, {value:g}, on line {line}), so "
            "they cannot be probabilities."
        )
    else:
        how = (
            "The numbers were read as **probabilities**, detected: every one lies in [0, 1]. (If they are "
            "logits, set *The numbers are* to Logits.)"
        )
    return f"{head}{labels} {how}"


def notes(pred: Predictions, scores: PredictionScores, unit: str) -> list[str]:
    """Warnings about what was read (Markdown, one per item; empty when there is nothing to say).

    >>> from core.prediction_scores import score_predictions
    >>> from core.predictions import parse_predictions
    >>> pred = parse_predictions("label,a,b\\n0,0,1\\n1,0.3,0.7\\n")
    >>> print(notes(pred, score_predictions(pred.log_probs, pred.labels), "nats")[0])
    **1 example gave its true class probability 0.** Its surprise −log 0 is infinite, so the
    cross-entropy is infinite too; without it, the mean is 0.3567 nats. Training from logits never
    reaches exactly 0; rounding a tiny probability to 0 when writing the file does. It heads the table
    of worst examples.
    """
    out = []
    if pred.labels_ambiguous:
        out.append(
            "**The labels are numbers that are also class names.** They were read as names (a label 1 is "
            "the column named 1), not as indices (where 1 would be the second class column). If you meant "
            "indices, rename the class columns."
        )
    if pred.rows_renormalised:
        out.append(
            f"**{pred.rows_renormalised:,} rows did not sum to 1** and were divided by their sums, as "
            f"asked; the worst, line {pred.worst_row_line}, was off by {number(pred.max_row_error, 4)}."
        )
    elif pred.kind == "probabilities" and pred.max_row_error > 1e-3:
        out.append(
            f"Rows summed to 1 only within {number(pred.max_row_error, 4)} (the worst: line "
            f"{pred.worst_row_line}; {ROW_SUM_TOLERANCE:g} is allowed), so each was divided by its sum."
        )
    if scores.n_infinite:
        k = scores.n_infinite
        one = k == 1
        without = (
            f"without {'it' if one else 'them'}, the mean is {loss_text(scores.finite_cross_entropy, unit)}"
            if math.isfinite(scores.finite_cross_entropy)
            else "no example is left to average"
        )
        out.append(
            f"**{k:,} example{'' if one else 's'} gave {'its' if one else 'their'} true class "
            f"probability 0.** {'Its' if one else 'Their'} surprise −log 0 is infinite, so the cross-entropy "
            f"is infinite too; {without}. Training from logits never reaches exactly 0; rounding a tiny "
            f"probability to 0 when writing the file does. {'It heads' if one else 'They head'} the table of "
            "worst examples."
        )
    return out


def error_markdown(error: PredictionsError) -> str:
    """The message for a file the page cannot read: the problem in bold, then the fix (both as written).

    For rows that do not sum to 1 the fix names the page's controls (:data:`ROW_SUM_HINT`).

    >>> from core.predictions import parse_predictions
    >>> try:
    ...     parse_predictions("label,*a*,b\\n")
    ... except PredictionsError as error:
    ...     print(error_markdown(error))
    **The CSV has a header but no rows of predictions\\.**
    <BLANKLINE>
    **Fix:** Add one row per example under the header\\: its label\\, then one number per class\\.
    """
    fix = ROW_SUM_HINT if isinstance(error, RowSumError) else markdown_literal(error.fix)
    return f"**{markdown_literal(error.problem)}**\n\n**Fix:** {fix}"


# ------------------------------------------------------------------------------------------ the numbers
def loss_value(value_nats: float, unit: str, digits: int = 4) -> str:
    """A loss for a metric: the number in ``unit``, or ∞.

    >>> loss_value(math.log(2), "bits"), loss_value(math.inf, "nats")
    ('1.0000', '∞')
    """
    return "∞" if math.isinf(value_nats) else number(in_unit(value_nats, unit), digits)


def loss_sentence(scores: PredictionScores, n_classes: int, unit: str) -> str:
    """The cross-entropy against two guesses that ignore the inputs: uniform, and the class shares.

    >>> from core.prediction_scores import score_predictions
    >>> s = score_predictions(np.log([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]), [0, 1, 0])
    >>> print(loss_sentence(s, 2, "nats"))
    Guessing uniformly among the 2 classes costs log 2 = 0.6931 nats per example; always predicting the
    class shares P̂ costs their entropy H(P̂) = 0.6365 nats. These predictions cost **0.2798 nats**:
    their inputs save them 0.3567 nats per example beyond knowing the class shares.
    """
    base = (
        f"Guessing uniformly among the {n_classes} classes costs log {n_classes} = "
        f"{loss_text(scores.uniform_loss, unit)} per example; always predicting the class shares P̂ costs "
        f"their entropy H(P̂) = {loss_text(scores.label_entropy, unit)}."
    )
    ce = scores.cross_entropy
    if math.isinf(ce):
        return (
            base + " These predictions cost **infinitely** more: one sure mistake outweighs everything else."
        )
    gain = scores.label_entropy - ce
    if gain >= 0:
        verdict = (
            f"their inputs save them {loss_text(gain, unit)} per example beyond knowing the class shares."
        )
    else:
        verdict = (
            f"that is {loss_text(-gain, unit)} more than always predicting the class shares: as a "
            "probability forecast, these predictions are worse than ignoring the inputs."
        )
    return f"{base} These predictions cost **{loss_text(ce, unit)}**: {verdict}"


# The reliability diagram's title.  It does not name the number of bins, which the readout inside the chart
# does: the diagram follows the bins slider in the browser, where only traces (the readout is one) move.
RELIABILITY_TITLE = "Reliability: accuracy per confidence bin"


def reliability_readout(scores: PredictionScores) -> str:
    """The numbers written inside the reliability diagram (Plotly text: ``<br>`` breaks the line).

    >>> from core.prediction_scores import score_predictions
    >>> reliability_readout(score_predictions(np.log([[0.9, 0.1], [0.2, 0.8]]), [0, 0]))
    '10 bins · ECE 0.450<br>sure 85.0% · right 50.0%'
    """
    return (
        f"{len(scores.reliability.counts)} bins · ECE {number(scores.reliability.ece, 3)}<br>"
        f"sure {percent(scores.mean_confidence)} · right {percent(scores.accuracy)}"
    )


def reliability_sentence(scores: PredictionScores) -> str:
    """Mean confidence against accuracy, and what the ECE measures.

    >>> from core.prediction_scores import score_predictions
    >>> print(reliability_sentence(score_predictions(np.log([[0.9, 0.1], [0.2, 0.8]]), [0, 0])))
    On average the top class gets 85.0% and is right 50.0% of the time: **over-confident** by 35.0
    percentage points. The ECE, 0.450, is the bars' mean distance from the diagonal, each bin weighted
    by its share of the examples.
    """
    conf, acc = scores.mean_confidence, scores.accuracy
    gap = conf - acc
    if abs(gap) < 0.01:
        verdict = "**calibrated on average** (within one percentage point)"
    elif gap > 0:
        verdict = f"**over-confident** by {number(100 * gap, 1)} percentage points"
    else:
        verdict = f"**under-confident** by {number(-100 * gap, 1)} percentage points"
    return (
        f"On average the top class gets {percent(conf)} and is right {percent(acc)} of the time: {verdict}. "
        f"The ECE, {number(scores.reliability.ece, 3)}, is the bars' mean distance from the diagonal, each "
        "bin weighted by its share of the examples."
    )


def split_sentence(scores: PredictionScores, names: Sequence[str], unit: str) -> str:
    """What the split H(P̂, Q̄) = H(P̂) + KL(P̂ ‖ Q̄) says here, and the class whose share is missed most.

    >>> from core.prediction_scores import score_predictions
    >>> s = score_predictions(np.log([[0.9, 0.1], [0.8, 0.2], [0.6, 0.4]]), [0, 1, 1])
    >>> print(split_sentence(s, ["a", "b"], "nats"))
    The class shares have entropy H(P̂) = 0.6365 nats and the model's mean prediction misses them by
    KL(P̂ ‖ Q̄) = 0.4222 nats. The largest gap: class a is 33.3% of the labels but gets 76.7% of the
    predicted probability on average.
    """
    kl = scores.marginal_kl
    kl_text = "is infinite" if math.isinf(kl) else loss_text(kl, unit)
    gaps = scores.mean_prediction - scores.label_distribution
    k = int(np.argmax(np.abs(gaps)))
    return (
        f"The class shares have entropy H(P̂) = {loss_text(scores.label_entropy, unit)} and the model's mean "
        f"prediction misses them by KL(P̂ ‖ Q̄) {'' if math.isinf(kl) else '= '}{kl_text}. The largest gap: "
        f"class {markdown_literal(names[k])} is {percent(scores.label_distribution[k])} of the labels but "
        f"gets {percent(scores.mean_prediction[k])} of the predicted probability on average."
    )


def worst_sentence(scores: PredictionScores, k: int) -> str:
    """How much of the loss the ``k`` worst examples carry.

    >>> from core.prediction_scores import score_predictions
    >>> s = score_predictions(np.log([[0.9, 0.1], [0.1, 0.9], [0.5, 0.5], [0.99, 0.01]]), [0, 0, 0, 0])
    >>> print(worst_sentence(s, 1))
    The 1 worst example is 25.0% of the rows but carries **74.0%** of the total loss.
    """
    n = scores.surprise.shape[0]
    k = min(k, n)
    share = worst_share(scores.surprise, k)
    rows = "example is" if k == 1 else "examples are"
    return (
        f"The {k:,} worst {rows} {percent(k / n)} of the rows but carr{'ies' if k == 1 else 'y'} "
        f"**{percent(share)}** of the total loss."
    )


# ------------------------------------------------------------------------------------------ alt texts
def reliability_alt(scores: PredictionScores) -> str:
    """Alt text of the reliability diagram.

    It names nothing that the bins slider changes: the diagram follows the slider in the browser and is
    not sent again, so its alt text must hold for every number of bins (the ECE is beside the chart).

    >>> from core.prediction_scores import score_predictions
    >>> reliability_alt(score_predictions(np.log([[0.9, 0.1], [0.2, 0.8]]), [0, 0])).split("; ")[1]
    'on average the model is 85.0% sure of its top class and right 50.0% of the time.'
    """
    return (
        "Reliability diagram: the examples are grouped into equal-width bins by the model's confidence in "
        "its top class, and each bin's accuracy is a bar against the diagonal of perfect calibration, with "
        "the number of examples per bin beneath; on average the model is "
        f"{percent(scores.mean_confidence)} sure of its top class and right {percent(scores.accuracy)} of "
        "the time."
    )


def confusion_alt(scores: PredictionScores, names: Sequence[str]) -> str:
    """Alt text of the confusion matrix, naming the most frequent mistake."""
    off = scores.confusion.copy()
    np.fill_diagonal(off, 0)
    text = (
        f"Confusion matrix of {len(names)} classes, true class by row and predicted class by column; "
        f"{percent(scores.accuracy)} of the examples lie on the diagonal."
    )
    if off.max() > 0:
        t, p = np.unravel_index(int(np.argmax(off)), off.shape)
        text += f" The most frequent mistake: {names[t]} predicted as {names[p]}, {int(off[t, p])} times."
    return text


def class_loss_alt(scores: PredictionScores, names: Sequence[str], unit: str) -> str:
    """Alt text of the per-class loss bars."""
    loss = np.where(np.isnan(scores.class_loss), -np.inf, scores.class_loss)
    k = int(np.argmax(loss))
    return (
        f"Horizontal bars of the mean surprise of each class's examples in {unit}; the highest is class "
        f"{names[k]} at {loss_value(scores.class_loss[k], unit, 3)}, against "
        f"{loss_value(scores.cross_entropy, unit, 3)} over all examples."
    )


def split_alt(scores: PredictionScores, unit: str) -> str:
    """Alt text of the stacked bar H(P̂, Q̄) = H(P̂) + KL(P̂ ‖ Q̄)."""
    return (
        f"Stacked bar: the cross-entropy of the class shares against the mean prediction, "
        f"{loss_value(scores.marginal_cross_entropy, unit)} {unit}, is their entropy "
        f"{loss_value(scores.label_entropy, unit)} plus the KL divergence "
        f"{loss_value(scores.marginal_kl, unit)}."
    )


def shares_alt(scores: PredictionScores, names: Sequence[str]) -> str:
    """Alt text of the grouped bars of P̂ and Q̄, naming the class with the largest gap."""
    gaps = scores.mean_prediction - scores.label_distribution
    k = int(np.argmax(np.abs(gaps)))
    return (
        f"Grouped bars for each of {len(names)} classes: its share of the labels P̂ next to the model's mean "
        f"predicted probability Q̄; the largest gap is class {names[k]}, "
        f"{percent(scores.label_distribution[k])} of the labels against {percent(scores.mean_prediction[k])} "
        "predicted."
    )


# ------------------------------------------------------------------------------------------ the lesson
WORST_K = PREDICTIONS_WORST[2]
#: The options' shares of the loss, in the order of the question's options.
_SHARES = (0.01, 0.10, 1 / 3, 0.90)


@functools.lru_cache(maxsize=1)
def _example_scores() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The example's surprise per digit (nats), its labels and its predicted digits."""
    _, logits, labels = example_predictions()
    log_q = log_softmax(logits, axis=1)
    return -log_q[np.arange(labels.size), labels], labels, logits.argmax(axis=1)


def predictions_solve(unit: str) -> tuple[int, str]:
    """The share of the example's loss that its :data:`WORST_K` worst digits carry, from ``core``."""
    surprise, labels, predicted = _example_scores()
    share = worst_share(surprise, WORST_K)
    correct = nearest_ratio(share, _SHARES)
    worst = int(worst_examples(surprise, 1)[0])
    n = surprise.size
    typical = round(float(surprise[worst] / np.median(surprise)))
    explanation = (
        f"They carry {percent(share)} of the total. The surprise −log q(true) has no ceiling: the worst "
        f"digit (true class {int(labels[worst])}, predicted {int(predicted[worst])}) costs "
        f"{loss_text(float(surprise[worst]), unit)}, as much as {count(typical)} typical digits. Accuracy "
        f"counts each of these mistakes as 1 in {n:,}; the cross-entropy lets a few confident mistakes "
        "dominate the mean."
    )
    return correct, explanation


def predictions_lesson() -> Lesson:
    """The page's "What to try" prompts and its predict-then-check question."""
    _, n_test = _example_sizes()
    return Lesson(
        what_to_try=(
            f"Under *Predictions*, choose “{SOURCES[1]}”: the example now holds the network's logits, the "
            "page detects them (numbers outside [0, 1]) and applies softmax, and the **cross-entropy**, the "
            "**accuracy** and every chart stay as they were.",
            f"With “{SOURCES[0]}”, set *The numbers are* to Logits: softmax of numbers between 0 and 1 is "
            "almost uniform, so the **cross-entropy** climbs towards log 10 = "
            f"{number(math.log(10), 4)} nats, while the **accuracy** does not move at all. Accuracy never "
            "looks at the confidence.",
            "Move *Confidence bins* from 5 to 30: the predictions stay the same but the **ECE** changes. It "
            "is an estimate that depends on the binning.",
            "Download the example, change the label of one digit the network got right into another digit, "
            "and give it back with *Predictions* set to “Upload a file”: the **accuracy** drops by one "
            f"example in {n_test:,}, while the **cross-entropy** jumps by that digit's new surprise "
            f"divided by {n_test:,}.",
        ),
        question=Question(
            prompt=f"The example holds {n_test:,} test digits. Its **{WORST_K} worst** (the highest "
            f"surprise −log q(true)) are under {percent(WORST_K / n_test, 0)} of the rows. What share of the "
            "total cross-entropy do they carry?",
            options=(
                "about 1 %: every example counts the same",
                "about 10 %",
                "about a third",
                "over 90 %",
            ),
            solve=predictions_solve,
            try_it=f"Keep “{SOURCES[0]}”, set *Worst examples to list* to {WORST_K} and read the sentence "
            "above the table.",
        ),
    )
