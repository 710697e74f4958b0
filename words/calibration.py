"""The Calibration lab's words: its formulas, the sentences under its charts, two claims tested, its lesson.

Every sentence is chosen from numbers that :mod:`core.calibration` computed for the settings on screen,
so what a student reads always matches the charts; nothing here states a result in advance.

How a verdict is reached (the page says so too): a model counts as *calibrated on average* when its mean
confidence on the test digits is within :data:`CALIBRATED_GAP` (one percentage point, about the sampling
error of an accuracy measured on 1078 digits) of its accuracy; above that it is over-confident, below it
under-confident.
"""

from __future__ import annotations

import functools

from core.calibration import (
    CalibrationScores,
    EpochCalibration,
    calibration_at,
    train_calibration_run,
)
from core.defaults import (
    CALIBRATION_BINS,
    CALIBRATION_EPOCH,
    CALIBRATION_EPOCHS,
    CALIBRATION_SMOOTHING,
    CALIBRATION_WIDTH,
)
from core.formatting import number, percent
from words.lesson import Lesson, Question
from words.sources import WEB_ARTICLE, capital

__all__ = [
    "CALIBRATED_GAP",
    "FORMULAS",
    "calibration_lesson",
    "claims_intro",
    "calibration_solve",
    "confidence_text",
    "cross_entropy_claim",
    "diagram_alt",
    "diagram_readout",
    "diagram_title",
    "epochs_sentence",
    "scaling_sentence",
    "smoothing_claim",
    "verdict_rule",
]

#: Mean confidence within this much of the accuracy counts as calibrated on average (1 percentage point).
CALIBRATED_GAP = 0.01

#: The lab's formulas, for ``st.latex``: the scores, temperature scaling and its derivative.
FORMULAS: dict[str, str] = {
    "ece": r"\mathrm{ECE} = \sum_{m=1}^{M} \frac{|B_m|}{n}\,"
    r"\bigl|\operatorname{acc}(B_m) - \operatorname{conf}(B_m)\bigr|",
    "nll": r"\mathrm{NLL} = -\frac{1}{n} \sum_{i=1}^{n} \log p_{i, y_i}",
    "brier": r"\mathrm{Brier} = \frac{1}{n} \sum_{i=1}^{n} \sum_{k=1}^{C} \bigl(p_{ik} - [k = y_i]\bigr)^2",
    "temperature": r"p_i(T) = \operatorname{softmax}(z_i / T)",
    "fit": r"T^\ast = \arg\min_{T > 0} \mathrm{NLL}_{\text{validation}}(T)",
    "slope": r"\frac{d\,\mathrm{NLL}}{dT} = \frac{1}{n} \sum_{i=1}^{n} "
    r"\frac{z_{i y_i} - \sum_k p_{ik}(T)\, z_{ik}}{T^2}",
    "convex": r"\beta = \tfrac{1}{T}: \quad \frac{d^2\,\mathrm{NLL}}{d\beta^2} = "
    r"\frac{1}{n} \sum_{i=1}^{n} \operatorname{Var}_{p_i}[z_i] \;\ge\; 0",
}


def _pct(p: float) -> str:
    return percent(p, 1, space=True)


def _points(gap: float) -> str:
    """A gap between two shares in percentage points, without its sign: ``4.3 percentage points``."""
    return f"{number(100 * abs(gap), 1)} percentage points"


def _state(scores: CalibrationScores) -> str:
    """``"over"``, ``"under"`` or ``"calibrated"``, by the mean confidence against the accuracy."""
    gap = scores.overconfidence
    if gap > CALIBRATED_GAP:
        return "over"
    if gap < -CALIBRATED_GAP:
        return "under"
    return "calibrated"


def verdict_rule() -> str:
    """The rule every verdict on the page follows, in one sentence (Markdown).

    >>> verdict_rule().startswith("A network counts as **calibrated on average**")
    True
    """
    return (
        "A network counts as **calibrated on average** here when its mean confidence on the test digits "
        f"is within {_points(CALIBRATED_GAP).replace('points', 'point')} of its accuracy (about the "
        "sampling error of an accuracy measured on this many digits); above that it is **over-confident**, "
        "below it **under-confident**."
    )


def confidence_text(scores: CalibrationScores) -> str:
    """How sure against how right, in words: ``97.2 % sure on average, right on 92.9 %``.

    >>> from core.calibration import calibration_scores
    >>> confidence_text(calibration_scores([[2.0, 0.0], [0.0, 2.0]], [0, 0]))
    '88.1 % sure on average, right on 50.0 % of the test digits'
    """
    return f"{_pct(scores.confidence)} sure on average, right on {_pct(scores.accuracy)} of the test digits"


def scaling_sentence(at: EpochCalibration) -> str:
    """What temperature scaling did at this epoch: the fitted T, and the test scores before and after.

    The sentence follows the numbers: T above or below 1 (flatten or sharpen), and whether the ECE and
    the NLL on the test digits went down (T is fitted on the validation digits, so they need not).
    """
    fit, before, after = at.fit, at.before, at.after
    if fit.temperature > 1:
        action = f"**T = {number(fit.temperature, 2)}** > 1 flattens every prediction"
    elif fit.temperature < 1:
        action = f"**T = {number(fit.temperature, 2)}** < 1 sharpens every prediction"
    else:
        action = "**T = 1** leaves the predictions as they are"
    text = (
        f"Fitted on the validation digits, {action}. On the test digits the mean confidence goes from "
        f"{_pct(before.confidence)} to {_pct(after.confidence)} against an accuracy of "
        f"{_pct(before.accuracy)}, which does not change: dividing every logit by the same T keeps "
        "each prediction's top class."
    )
    ece_down, nll_down = after.ece < before.ece, after.nll < before.nll
    ece = f"the ECE from {_pct(before.ece)} to {_pct(after.ece)}"
    nll = f"the NLL from {number(before.nll, 3)} to {number(after.nll, 3)} nats"
    if ece_down and nll_down:
        text += f" It takes {ece} and {nll}."
        shrink = 1 - after.ece / before.ece if before.ece > 0 else 0.0
        if _state(before) == "over" and shrink >= 0.5:
            text += f" Most of the over-confidence is gone ({percent(shrink, 0, space=True)} of the ECE)."
    elif nll_down:
        text += (
            f" It lowers {nll}, but moves {ece}: T minimises the NLL on the validation digits, not the "
            "ECE on the test digits, and the two need not agree."
        )
    else:
        text += (
            f" On the test digits it moves {nll} and {ece}: the temperature that suits the validation "
            "digits does not suit these as well."
        )
    return text


def epochs_sentence(sweep: tuple[EpochCalibration, ...]) -> str:
    """How the fitted T and the over-confidence moved over the snapshot epochs, from first to last.

    Parameters
    ----------
    sweep : tuple of EpochCalibration
        :func:`core.calibration.calibration_sweep` of the run on screen, in increasing epoch.
    """
    peak = max(sweep, key=lambda at: at.before.overconfidence)
    first, last = sweep[0], sweep[-1]
    text = (
        f"From epoch {first.epoch} to epoch {last.epoch} the fitted temperature goes from "
        f"{number(first.fit.temperature, 2)} to {number(last.fit.temperature, 2)}."
    )
    if _state(peak.before) == "over":
        text += (
            f" The network is most over-confident at epoch {peak.epoch}: "
            f"{confidence_text(peak.before)}, a gap of {_points(peak.before.overconfidence)}; "
            f"after temperature scaling the gap is {_points(peak.after.overconfidence)}."
        )
    else:
        text += " At no epoch is it over-confident by more than one percentage point."
    return text


def claims_intro() -> str:
    """What the source claims, quoted, before the page tests it (Markdown).

    >>> claims_intro().startswith("A popular web article on cross-entropy rates")
    True
    """
    return (
        f"{capital(WEB_ARTICLE)} rates cross-entropy's calibration “excellent” and says that label "
        "smoothing “prevents overconfidence”. Both are claims about trained networks, so here they are "
        "tested on this one, at the width and the number of epochs chosen above. " + verdict_rule()
    )


def cross_entropy_claim(plain: EpochCalibration, epochs: int) -> str:
    """The verdict on "cross-entropy's calibration is excellent", for the network trained without smoothing.

    Parameters
    ----------
    plain : EpochCalibration
        The network trained with plain cross-entropy (ε = 0), at the epoch on screen.
    epochs : int
        That epoch, for the sentence.
    """
    before, fit = plain.before, plain.fit
    where = f"Trained with plain cross-entropy for {epochs} epoch{'s' if epochs != 1 else ''}"
    state = _state(before)
    if state == "over":
        return (
            f"**Not here.** {where}, the network is over-confident: {confidence_text(before)} "
            f"(ECE {_pct(before.ece)}). Temperature scaling, T = {number(fit.temperature, 2)}, brings "
            f"the ECE to {_pct(plain.after.ece)}."
        )
    if state == "under":
        return (
            f"**Not here, and the other way round.** {where}, the network is under-confident: "
            f"{confidence_text(before)} (ECE {_pct(before.ece)}); T = {number(fit.temperature, 2)} < 1 "
            "sharpens it. Train longer and watch it swing to over-confident."
        )
    return (
        f"**It holds here.** {where}, the network is calibrated on average: {confidence_text(before)} "
        f"(ECE {_pct(before.ece)}), and the fitted T = {number(fit.temperature, 2)} is close to 1."
    )


def smoothing_claim(plain: EpochCalibration, smoothed: EpochCalibration, eps: float) -> str:
    """The verdict on "label smoothing prevents overconfidence": the same network with and without it.

    Parameters
    ----------
    plain : EpochCalibration
        Trained with ε = 0.
    smoothed : EpochCalibration
        Trained with label smoothing ``eps``, same width and epochs.
    eps : float
        ε, for the sentence.
    """
    with_eps = f"With ε = {number(eps, 2).rstrip('0').rstrip('.')}"
    p_state, s_state = _state(plain.before), _state(smoothed.before)
    s, p = smoothed.before, plain.before
    compare = f"its ECE is {_pct(s.ece)} against {_pct(p.ece)} without smoothing" + (
        " (better)." if s.ece < p.ece else " (worse)."
    )
    if s_state == "over":
        more = "less than" if s.overconfidence < p.overconfidence else "no less than"
        return (
            f"**Not at these settings.** {with_eps} the network is still over-confident: "
            f"{confidence_text(s)}, {more} the {_points(p.overconfidence)} without smoothing; " + compare
        )
    if p_state != "over":
        return (
            f"**Nothing to prevent at these settings:** without smoothing the network is not over-confident "
            f"({confidence_text(p)}). {with_eps}: {confidence_text(s)}; " + compare
        )
    if s_state == "under":
        return (
            f"**It prevents it, and overshoots.** {with_eps} the network is under-confident: "
            f"{confidence_text(s)}, {_points(s.overconfidence)} below; " + compare + " Smoothing aims "
            f"the training targets at {_pct(1 - eps + eps / 10)} for the true digit, so the network "
            f"learns to say about that even where it is almost always right. Temperature scaling "
            f"repairs this too, with T = {number(smoothed.fit.temperature, 2)} < 1."
        )
    return f"**Yes, here.** {with_eps} the network is calibrated on average: {confidence_text(s)}; " + compare


# ------------------------------------------------------------------------------------------ the lesson
@functools.lru_cache(maxsize=1)
def _default_run():
    return train_calibration_run(CALIBRATION_WIDTH, CALIBRATION_SMOOTHING, CALIBRATION_EPOCHS)


def calibration_solve(unit: str) -> tuple[int, str]:
    """Answer the lab's question from ``core``: where the fitted T goes between 10 and the last epoch."""
    run = _default_run()
    early, late = (calibration_at(run, e, CALIBRATION_BINS[2]) for e in (10, CALIBRATION_EPOCHS[-1]))
    t_early, t_late = early.fit.temperature, late.fit.temperature
    if t_late > 1 and t_late > t_early:
        correct = 0
    elif t_late < 1 and t_late < t_early:
        correct = 1
    elif abs(t_late - 1) < 0.05:
        correct = 2
    else:
        correct = 3
    explanation = (
        f"At epoch 10 the fitted T is {number(t_early, 2)} ({confidence_text(early.before)}); at epoch "
        f"{late.epoch} it is {number(t_late, 2)} ({confidence_text(late.before)}). Once the network "
        f"gets its {run.n_train} training digits right, cross-entropy keeps "
        "rewarding it for being surer of them, so the logits keep growing while the test accuracy "
        "stays put: over-confidence, which a T above 1 undoes."
    )
    return correct, explanation


def calibration_lesson() -> Lesson:
    """The Calibration lab's "What to try" prompts and its predict-then-check question."""
    last = CALIBRATION_EPOCHS[-1]
    return Lesson(
        what_to_try=(
            f"Drag *Epochs* slowly from 1 to {last} and watch the diagrams follow the slider: the "
            "hatched gaps appear as the bars sink below the diagonal (over-confident), while the "
            "temperature-scaled diagram stays close to it.",
            "Set *Label smoothing ε* to 0.1: the gaps flip to the other side (under-confident), the "
            "fitted T drops below 1, and the verdicts at the bottom of the page change.",
            "Set *Bins* to its largest value: the same predictions, cut into thinner bins, give a "
            "different ECE. The ECE depends on the binning; the NLL and the Brier score do not.",
            "Change *Hidden units*: does a wider network end up more over-confident at "
            f"{CALIBRATION_EPOCH} epochs? Read the gap in the table.",
        ),
        question=Question(
            prompt="Train the network longer: from **10** to "
            f"**{last} epochs**, with plain cross-entropy. What happens to the temperature T fitted "
            "on the validation digits?",
            options=(
                "it rises above 1: the predictions need flattening",
                "it falls below 1: the predictions need sharpening",
                "it stays at 1: cross-entropy keeps the network calibrated",
                "none of these",
            ),
            solve=calibration_solve,
            try_it=f"Move *Epochs* from 10 to {last} (*Label smoothing ε* at 0) and read T in the "
            "second diagram, or in the chart of T epoch by epoch.",
        ),
    )


# ------------------------------------------------------------------------------------------ chart texts
def diagram_title(*, scaled: bool) -> str:
    """The title of a reliability diagram: which model it shows (its numbers are in the readout).

    >>> diagram_title(scaled=False), diagram_title(scaled=True)
    ('As trained', 'After temperature scaling')
    """
    return "After temperature scaling" if scaled else "As trained"


def diagram_readout(at: EpochCalibration, *, scaled: bool) -> str:
    """The numbers written inside a reliability diagram; they follow the *Epochs* slider while it moves.

    >>> from core.calibration import calibration_at, train_calibration_run
    >>> at = calibration_at(train_calibration_run(16, 0.0, [2]), 2)
    >>> diagram_readout(at, scaled=False).split("<br>")[0]
    'epoch 2 · ECE 2.7 %'
    """
    scores = at.after if scaled else at.before
    head = f"epoch {at.epoch}" + (f" · T = {number(at.fit.temperature, 2)}" if scaled else "")
    return (
        f"{head} · ECE {_pct(scores.ece)}<br>sure {_pct(scores.confidence)} · right {_pct(scores.accuracy)}"
    )


def diagram_alt(*, scaled: bool, bins: int) -> str:
    """The reliability diagram in one sentence, for screen readers.

    It names no epoch and no score: the diagram follows the epochs slider in the browser and is not sent
    again when it moves, while the scores table and the sentence under the diagrams, read with them, are.

    >>> diagram_alt(scaled=True, bins=10)[:80]
    'Reliability diagram of the network after temperature scaling, at the epochs chos'
    """
    which = "after temperature scaling" if scaled else "as trained"
    return (
        f"Reliability diagram of the network {which}, at the epochs chosen above: accuracy of the test "
        f"digits in each of {bins} confidence bins against the diagonal of perfect calibration, with the "
        f"gap to each bin's mean confidence hatched and the number of digits per bin underneath. Its ECE, "
        f"confidence and accuracy are in the table below."
    )
