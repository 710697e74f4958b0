"""Calibration lab: is a network trained with cross-entropy as sure as it is right, and does T fix it?

Training runs are deterministic, so each (width, ε) is trained once per server process, to the last
epoch on offer, and shared by every session (``ui.common.process_cache``; every epoch of the slider is a
snapshot of that one run, so moving the epochs never retrains).  Everything derived from a run is kept
too.
"""

from __future__ import annotations

import streamlit as st

from core.calibration import (
    CalibrationRun,
    EpochCalibration,
    TemperatureCheck,
    calibration_at,
    calibration_sweep,
    check_temperature_fit,
    nll_curve,
    train_calibration_run,
)
from core.defaults import (
    CALIBRATION_BINS,
    CALIBRATION_COMPARE_SMOOTHING,
    CALIBRATION_EPOCH,
    CALIBRATION_EPOCHS,
    CALIBRATION_SMOOTHING,
    CALIBRATION_SMOOTHINGS,
    CALIBRATION_WIDTH,
    CALIBRATION_WIDTHS,
)
from core.figures.calibration import (
    ReliabilityFrame,
    confidence_curves_figure,
    nll_epochs_figure,
    reliability_figure,
    reliability_scrub_frames,
    temperature_curve_figure,
)
from core.figures.scrub import sweep_frames
from core.formatting import number, percent, scientific
from core.units import in_unit
from ui.common import process_cache, show_figure, show_table, units
from ui.frame import side_by_side
from ui.page import page_header
from ui.scrub import scrub_payload, scrubbed_chart, track
from ui.sections import open_tab, safe_fragment
from words.calibration import (
    FORMULAS,
    claims_intro,
    cross_entropy_claim,
    diagram_alt,
    diagram_readout,
    diagram_title,
    epochs_sentence,
    scaling_sentence,
    smoothing_claim,
)

EPOCHS_KEY, WIDTH_KEY, EPS_KEY, BINS_KEY = (
    "calibration_epochs",
    "calibration_width",
    "calibration_eps",
    "calibration_bins",
)
GRID_SIZE = 801  # temperatures in the grid search: neighbours 0.75 % apart


# ------------------------------------------------------------------------------------------ cached work
@process_cache(maxsize=len(CALIBRATION_WIDTHS) * len(CALIBRATION_SMOOTHINGS))
def _trained(width: int, eps: float) -> CalibrationRun:
    return train_calibration_run(width, eps, CALIBRATION_EPOCHS)


def _run(width: int, eps: float) -> CalibrationRun:
    """The run of a setting, with a spinner while it trains (Streamlit shows one only after a moment)."""
    with st.spinner("Training the network on the digits (once per setting)…"):
        return _trained(width, eps)


# Everything below is kept once per process and shared, never written to (ui.common.process_cache): the
# epochs' fragment reads it on every release, and a hit costs a dict look-up, not a copy.
@process_cache(maxsize=256)
def _sweep(width: int, eps: float, bins: int) -> tuple[EpochCalibration, ...]:
    return tuple(calibration_sweep(_trained(width, eps), bins))


@process_cache(maxsize=256)
def _diagram_frames(width: int, eps: float, bins: int, scaled: bool) -> tuple[ReliabilityFrame, ...]:
    """One state of a reliability diagram per epoch option: what dragging *Epochs* shows."""
    return tuple(
        ReliabilityFrame((s.after if scaled else s.before).reliability, diagram_readout(s, scaled=scaled))
        for s in _sweep(width, eps, bins)
    )


@process_cache(maxsize=256)
def _diagram_scrub(width: int, eps: float, bins: int, scaled: bool) -> str:
    # The select slider's hidden range input holds the index of its option, so the drag follows indices.
    indices = range(len(CALIBRATION_EPOCHS))
    return scrub_payload(indices, reliability_scrub_frames(_diagram_frames(width, eps, bins, scaled)))


def _epochs_chart(curve: dict, which: str, epochs: int, unit: str):
    """The epoch-by-epoch chart ``which`` ("confidence" or "nll") with ``epochs`` marked (a Draft)."""
    if which == "confidence":
        return confidence_curves_figure.draft(curve, epoch=epochs)
    return nll_epochs_figure.draft(curve, epoch=epochs, unit_scale=in_unit(1.0, unit), unit=unit)


@process_cache(maxsize=64)
def _epochs_scrub(width: int, eps: float, which: str, unit: str) -> str:
    """:func:`_epochs_chart` at every epoch option, for ui.scrub."""
    curve = _trained(width, eps).curve
    indices = range(len(CALIBRATION_EPOCHS))  # the select slider's range input holds the option's index
    frames = sweep_frames(lambda i: _epochs_chart(curve, which, CALIBRATION_EPOCHS[int(i)], unit), indices)
    return scrub_payload(indices, frames)


@process_cache(maxsize=256)
def _at(width: int, eps: float, epochs: int, bins: int) -> EpochCalibration:
    return calibration_at(_trained(width, eps), epochs, bins)


@process_cache(maxsize=64)
def _temperature_check(width: int, eps: float, epochs: int) -> tuple[TemperatureCheck, object]:
    run = _trained(width, eps)
    at = calibration_at(run, epochs)
    logits = run.snapshots[epochs]
    check = check_temperature_fit(logits["validation"], run.labels["validation"], at.fit, grid_size=GRID_SIZE)
    test_curve = nll_curve(logits["test"], run.labels["test"], check.grid)
    return check, test_curve


def _eps_text(eps: float) -> str:
    return "0" if eps == 0 else f"{eps:g}"


# ------------------------------------------------------------------------------------------ controls
page_header(
    "Calibration lab",
    "When a network says it is 97 % sure, is it right 97 % of the time? Here a small network learns the "
    "handwritten digits with cross-entropy, and the page compares how **sure** it is with how often it "
    "is **right**, on digits it never saw. Then one number, a **temperature** T that divides every "
    "logit, repairs the difference.",
)

SECTIONS = ("Over the epochs", "Temperature scaling", "Two claims, tested on this network")
SECTION_KEY = "calibration_section"


def over_the_epochs(run: CalibrationRun, sweep, width: int, eps: float, unit: str) -> None:
    """Accuracy, confidence, the fitted T and the NLL after every epoch, the chosen epoch marked.

    Drawn once per full run, outside the epochs' fragment: the epoch's line follows the slider in the
    browser (ui.scrub), during a drag and after a release, so a release does not send these charts again."""
    left, right = side_by_side(2)
    with left:
        scrubbed_chart(
            lambda epochs: _epochs_chart(run.curve, "confidence", epochs, unit).figure(),
            key="calibration_confidence",
            widget_key=EPOCHS_KEY,
            payload=_epochs_scrub(width, eps, "confidence", unit),
            alt="Test accuracy and mean confidence of the network after each epoch, and below them the "
            "temperature fitted on the validation digits after each epoch, on a log scale of epochs; a "
            "dotted line marks the epochs chosen above.",
        )
    with right:
        scrubbed_chart(
            lambda epochs: _epochs_chart(run.curve, "nll", epochs, unit).figure(),
            key="calibration_nll",
            widget_key=EPOCHS_KEY,
            payload=_epochs_scrub(width, eps, "nll", unit),
            alt="Test NLL of the network after each epoch as trained and after temperature scaling, and "
            "the training loss, on log scales; a dotted line marks the epochs chosen above.",
        )
    st.markdown(epochs_sentence(sweep))


def temperature_scaling(
    run: CalibrationRun,
    sweep,
    at: EpochCalibration,
    width: int,
    eps: float,
    epochs: int,
    bins: int,
    unit: str,
) -> None:
    """How T is fitted, checked by a grid and finite differences, and the NLL against T."""
    check, test_curve = _temperature_check(width, eps, epochs)
    explain_col, chart_col = side_by_side([1, 1.1], gap="large")
    with explain_col:
        st.markdown(
            "Divide every logit by the same T > 0 and fit T on the **validation** digits, by minimising the "
            "NLL there. T > 1 flattens the predictions, T < 1 sharpens them; the top class never changes, so "
            "the accuracy stays exactly the same."
        )
        st.latex(FORMULAS["temperature"])
        st.latex(FORMULAS["fit"])
        st.latex(FORMULAS["slope"])
        st.markdown(
            "In β = 1/T the NLL is convex (its second derivative is a variance), so it has one minimum. "
            "The page finds it with Newton's method in β, kept inside a bracket that halves whenever a "
            f"Newton step would leave it. Here it took **{at.fit.iterations} steps**."
        )
        st.latex(FORMULAS["convex"])
        apart = percent(check.grid[1] / check.grid[0] - 1, 2, space=True)
        st.markdown(
            f"**Checked two other ways.** A grid search over {GRID_SIZE} temperatures ({apart} "
            f"apart) finds its smallest validation NLL at T = {number(check.grid_temperature, 4)}, next to "
            f"Newton's T* = {number(at.fit.temperature, 4)}. The derivative dNLL/dT is "
            f"{scientific(check.slope_at_fit, 1)} at T*, and at T = 1 the formula gives "
            f"{number(check.slope_at_one, 6)} where a central finite difference gives "
            f"{number(check.finite_difference_at_one, 6)}."
        )
    with chart_col:
        show_figure(
            temperature_curve_figure(
                check.grid,
                check.grid_nll,
                test_curve,
                fitted=at.fit.temperature,
                grid_best=check.grid_temperature,
                unit_scale=in_unit(1.0, unit),
                unit=unit,
            ),
            key="calibration_temperature",
            alt=f"NLL on the validation and the test digits against the temperature T on a log scale, with "
            f"the fitted T* = {number(at.fit.temperature, 3)} and the grid's minimum marked.",
        )


def two_claims(
    run: CalibrationRun,
    sweep,
    at: EpochCalibration,
    width: int,
    eps: float,
    epochs: int,
    bins: int,
    unit: str,
) -> None:
    """The source's two claims, tested on this network at these epochs and bins."""
    st.markdown(claims_intro())
    eps_compare = eps if eps > 0 else CALIBRATION_COMPARE_SMOOTHING
    plain = _at(width, 0.0, epochs, bins)
    smoothed = _at(width, eps_compare, epochs, bins)
    ce_col, ls_col = st.columns(2, gap="large")
    with ce_col:
        st.subheader("“Cross-entropy's calibration: excellent”")
        st.markdown(cross_entropy_claim(plain, epochs))
    with ls_col:
        st.subheader("“Label smoothing prevents overconfidence”")
        st.markdown(smoothing_claim(plain, smoothed, eps_compare))
        if eps == 0:
            st.caption(f"Tested with ε = {_eps_text(eps_compare)}; choose another ε above to test that one.")
    show_table(
        {
            "accuracy": [percent(s.before.accuracy, 1, space=True) for s in (plain, smoothed)],
            "mean confidence": [percent(s.before.confidence, 1, space=True) for s in (plain, smoothed)],
            "confidence − accuracy": [
                f"{number(100 * s.before.overconfidence, 1)} points" for s in (plain, smoothed)
            ],
            f"ECE ({bins} bins)": [percent(s.before.ece, 2, space=True) for s in (plain, smoothed)],
            f"NLL ({unit})": [number(in_unit(s.before.nll, unit), 4) for s in (plain, smoothed)],
            "fitted T": [number(s.fit.temperature, 3) for s in (plain, smoothed)],
        },
        index=["cross-entropy (ε = 0)", f"label smoothing (ε = {_eps_text(eps_compare)})"],
    )
    st.markdown(
        "**Why a proper scoring rule still ends up over-confident.** Cross-entropy is minimised by the true "
        "probabilities, but only on the data it is minimised on. Once the network gets every training digit "
        "right, it can still lower the training loss by growing its logits, and nothing in the loss says "
        "stop; the test digits then meet a network surer than it has earned. Label smoothing puts a "
        "floor under the training loss, and temperature scaling corrects the scale afterwards, on digits "
        "kept aside."
    )


# The sections the epochs' fragment draws, by tab (the first, Over the epochs, is drawn outside it).
DRAW_SECTION = {1: temperature_scaling, 2: two_claims}


def lab() -> None:
    """The controls and everything they move: the diagrams, the scores and the open section.

    Hidden units, ε and the bins rerun the page (each may train or bin anew).  The epochs, the control a
    student drags most, are a fragment of their own (:func:`epochs_readouts`) that fills the slots laid
    out here: a release reruns only what the epochs change, and the diagrams, drawn here outside it,
    follow the epochs in the browser (ui.scrub), during a drag and after it."""
    # The epochs last: on a phone, where the row stacks, it sits just above the diagrams it moves.
    c_width, c_eps, c_bins, c_epochs = st.columns([1, 1.2, 1, 1.4], gap="medium")
    width = c_width.select_slider(
        "Hidden units",
        CALIBRATION_WIDTHS,
        value=CALIBRATION_WIDTH,
        key=WIDTH_KEY,
        help="The width of the network's one hidden layer (ReLU).",
        bind="query-params",
    )
    eps = c_eps.select_slider(
        "Label smoothing ε",
        CALIBRATION_SMOOTHINGS,
        value=CALIBRATION_SMOOTHING,
        format_func=_eps_text,
        key=EPS_KEY,
        help="Train towards (1 − ε)·one-hot + ε/10 instead of the one-hot label (cross_entropy's "
        "label_smoothing). 0 is plain cross-entropy.",
        bind="query-params",
    )
    low, high, default = CALIBRATION_BINS
    bins = c_bins.slider(
        "Bins",
        low,
        high,
        default,
        key=BINS_KEY,
        help="How many equal-width confidence bins the reliability diagrams and the ECE use.",
        bind="query-params",
    )

    run = _run(width, eps)
    if run.diverged_at is not None:
        st.warning(
            f"Training diverged in epoch {run.diverged_at}; the network keeps its last finite weights.",
            icon=":material/warning:",
        )

    # ------------------------------------------------------------------------------------------ reliability
    st.header("Reliability on the test digits")
    before_col, after_col = side_by_side(2)
    diagram_slots = (before_col.container(), after_col.container())
    # The network and how to read the diagrams, under them: the first screen holds the epochs slider and
    # the diagrams it moves.
    slots = {"caption": st.empty()}
    st.markdown(
        "Each test digit goes into a bin by its **confidence**, the probability of the network's top class. "
        "A bar shows how often the digits in that bin are **right**. A calibrated network's bars reach the "
        "dashed diagonal; a hatched gap up to the bin's mean confidence (the short dash) means the bin is "
        "over-confident (/) or under-confident (\\\\). The grey bars count the digits per bin."
    )
    slots["sentence"] = st.empty()
    table_col, formula_col = side_by_side([1, 1.15], gap="large")
    slots["table"] = table_col.empty()
    with formula_col:
        st.markdown("**Expected calibration error**: the bins' gaps, weighted by how many digits each holds")
        st.latex(FORMULAS["ece"])
        st.markdown(
            "**Negative log-likelihood**: the cross-entropy on the test digits (in nats; bits divide by ln 2)"
        )
        st.latex(FORMULAS["nll"])
        st.markdown("**Brier score**: the squared distance to the one-hot truth, from 0 to 2")
        st.latex(FORMULAS["brier"])
        st.caption(
            "$n$ test digits; $p_{ik}$ the probability of digit $k$ for test digit $i$, $y_i$ its true "
            "digit; $B_m$ the digits in bin $m$, acc and conf their accuracy and mean confidence. The ECE "
            "only looks at the top class and depends on the bins; the NLL and the Brier score use every "
            "probability."
        )
    section, slots["section"] = open_tab(SECTIONS, key=SECTION_KEY)

    with c_epochs:
        epochs_readouts(width, eps, bins, section, slots)

    # Drawn at the epochs the fragment ran with; after that the listeners keep them at the slider's value.
    if section not in DRAW_SECTION:
        with slots["section"]:
            over_the_epochs(run, _sweep(width, eps, bins), width, eps, units())
    for slot, scaled, key in zip(
        diagram_slots, (False, True), ("calibration_before", "calibration_after"), strict=True
    ):
        with slot:
            scrubbed_chart(
                lambda value, scaled=scaled: reliability_figure(
                    _diagram_frames(width, eps, bins, scaled),
                    active=CALIBRATION_EPOCHS.index(value),
                    title=diagram_title(scaled=scaled),
                ),
                key=key,
                widget_key=EPOCHS_KEY,
                payload=_diagram_scrub(width, eps, bins, scaled),
                alt=diagram_alt(scaled=scaled, bins=bins),
            )


@safe_fragment
def epochs_readouts(width: int, eps: float, bins: int, section: int, slots: dict) -> None:
    """The epochs slider and what it changes besides the diagrams: a release reruns only this."""
    epochs = track(
        EPOCHS_KEY,
        st.select_slider(
            "Epochs",
            CALIBRATION_EPOCHS,
            value=CALIBRATION_EPOCH,
            key=EPOCHS_KEY,
            help="How long the network trains: each epoch is one full-batch gradient step with momentum. "
            "Drag it and the diagrams below follow.",
            bind="query-params",
        ),
    )
    unit = units()
    run = _trained(width, eps)
    sweep = _sweep(width, eps, bins)
    at = sweep[CALIBRATION_EPOCHS.index(epochs)]
    n_val, n_test = len(run.labels["validation"]), len(run.labels["test"])
    loss_name = "cross-entropy" if eps == 0 else f"label-smoothed cross-entropy (ε = {_eps_text(eps)})"
    slots["caption"].caption(
        f"Network 64 → {width} → 10 (ReLU), trained with {loss_name} for {epochs} "
        f"epoch{'s' if epochs != 1 else ''}: full-batch gradient descent with momentum on {run.n_train} "
        f"training digits, few enough to memorise. T is fitted on {n_val} validation digits; every score "
        f"below is measured on the other {n_test} test digits."
    )
    slots["sentence"].markdown(scaling_sentence(at))
    with slots["table"]:
        show_table(
            {
                "as trained": [
                    percent(at.before.accuracy, 1, space=True),
                    percent(at.before.confidence, 1, space=True),
                    percent(at.before.ece, 2, space=True),
                    number(in_unit(at.before.nll, unit), 4),
                    number(at.before.brier, 4),
                ],
                f"T = {number(at.fit.temperature, 3)}": [
                    percent(at.after.accuracy, 1, space=True),
                    percent(at.after.confidence, 1, space=True),
                    percent(at.after.ece, 2, space=True),
                    number(in_unit(at.after.nll, unit), 4),
                    number(at.after.brier, 4),
                ],
            },
            index=["accuracy", "mean confidence", f"ECE ({bins} bins)", f"NLL ({unit})", "Brier score"],
        )
    if section in DRAW_SECTION:
        with slots["section"]:
            DRAW_SECTION[section](run, sweep, at, width, eps, epochs, bins, unit)


lab()

st.caption(
    "Data: the 1797 8×8 handwritten digits of the UCI Optical Recognition of Handwritten Digits test set "
    "(E. Alpaydin and C. Kaynak, 1998, CC BY 4.0), shipped with the app."
)
