"""Your own predictions: a CSV of true labels and predicted probabilities or logits, scored.

Privacy: a visitor's file or text is read in their session only.  Nothing of it is cached across sessions
(``st.cache_data`` is shared by every visitor, so it holds the example and nothing else); the last data
read is kept in this session's ``st.session_state`` so that moving a control does not read it again.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from core.defaults import PREDICTIONS_BINS, PREDICTIONS_WORST
from core.figures.calibration import ReliabilityFrame, reliability_figure
from core.figures.information import entropy_kl_bar_figure
from core.figures.predictions import class_loss_figure, class_shares_figure
from core.figures.scrub import sweep_frames
from core.figures.train import confusion_matrix_figure
from core.formatting import number, percent
from core.prediction_scores import PredictionScores, rebin, score_predictions, worst_examples
from core.predictions import (
    KINDS,
    MAX_UPLOAD_MB,
    ROW_SUM_TOLERANCE,
    Predictions,
    PredictionsError,
    RowSumError,
    example_csv,
    parse_predictions,
)
from core.units import in_unit
from ui.common import process_cache, show_figure, units
from ui.frame import presenter, side_by_side
from ui.page import page_header
from ui.scrub import scrub_payload, scrubbed_chart, track
from ui.sections import safe_fragment
from words.predictions import (
    EXAMPLE_SOURCES,
    FORMAT,
    FORMAT_SAMPLE,
    FORMULAS,
    KIND_LABELS,
    LEAD,
    LINK_NOTE,
    PRIVACY,
    RELIABILITY_TITLE,
    SOURCES,
    SPLIT_INTRO,
    WAITING,
    class_loss_alt,
    confusion_alt,
    error_markdown,
    example_sentence,
    loss_sentence,
    loss_value,
    notes,
    read_summary,
    reliability_alt,
    reliability_readout,
    reliability_sentence,
    shares_alt,
    split_alt,
    split_sentence,
    worst_sentence,
)
from words.visitor_text import plotly_literal

if TYPE_CHECKING:
    from streamlit.delta_generator import DeltaGenerator

SOURCE_KEY, FILE_KEY, TEXT_KEY = "preds_source", "preds_file", "preds_text"
KIND_KEY, RENORMALISE_KEY, BINS_KEY, WORST_KEY = (
    "preds_kind",
    "preds_renormalise",
    "preds_bins",
    "preds_worst",
)
BIN_VALUES = tuple(range(PREDICTIONS_BINS[0], PREDICTIONS_BINS[1] + 1))  # every value of the bins slider
MEMO_KEY = "_preds_last_read"  # this session's last data read: ((digest, kind, renormalise), result)


@st.cache_data(show_spinner="Computing the example: a small network's predictions on held-out digits…")
def _example(kind: str) -> str:
    """The example CSV: the same for every visitor (it holds nobody's data), so it is shared."""
    return example_csv(kind)


@process_cache(maxsize=64)
def _example_scores(example: str, kind: str, renormalise: bool, n_bins: int) -> PredictionScores:
    """The example's scores with ``n_bins`` reliability bins: the same for every visitor (the example holds
    nobody's data), so computed once per process and shared; never written to."""
    pred = parse_predictions(_example(example), kind=kind, renormalise=renormalise)
    return score_predictions(pred.log_probs, pred.labels, n_bins=n_bins)


def _read(data: bytes | str, kind: str, renormalise: bool) -> Predictions | PredictionsError:
    """Read the data, or reuse this session's last reading of the same bytes with the same settings."""
    raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
    key = (hashlib.sha256(raw).hexdigest(), kind, renormalise)
    memo = st.session_state.get(MEMO_KEY)
    if memo is not None and memo[0] == key:
        return memo[1]
    try:
        result: Predictions | PredictionsError = parse_predictions(data, kind=kind, renormalise=renormalise)
    except PredictionsError as error:
        result = error
    st.session_state[MEMO_KEY] = (key, result)
    return result


def _renormalise_now() -> None:
    st.session_state[RENORMALISE_KEY] = True


def _scores_at(pred: Predictions, scores: PredictionScores, example: tuple | None, n_bins: int):
    """The scores with ``n_bins`` reliability bins: shared per process for the example, else rebinned.

    ``example`` is ``(example, kind, renormalise)`` for one of the examples, else None.  Only the
    reliability bins depend on ``n_bins``: the other scores, computed for the page's full run, are kept
    (``core.prediction_scores.rebin``).  A visitor's own data is never kept beyond the session.
    """
    if example is not None:
        return _example_scores(*example, n_bins)
    if n_bins != len(scores.reliability.counts):
        return rebin(scores, pred.log_probs, pred.labels, n_bins=n_bins)
    return scores


def _reliability_draft(scores: PredictionScores):
    """The reliability diagram of ``scores`` (a Draft): what the page draws, and each frame of a drag."""
    frame = ReliabilityFrame(scores.reliability, reliability_readout(scores))
    return reliability_figure.draft([frame], active=0, title=RELIABILITY_TITLE, examples="examples")


def _reliability_frames(pred: Predictions, scores: PredictionScores, example: tuple | None) -> str:
    """The diagram at every number of bins, for ui.scrub: the bars' count and the count axis follow."""
    frames = sweep_frames(
        lambda n: _reliability_draft(_scores_at(pred, scores, example, int(n))),
        BIN_VALUES,
        name="bins",
        redrawn=True,
    )
    return scrub_payload(BIN_VALUES, frames)


@process_cache(maxsize=8)  # the examples' only: one text per example, shared by every session
def _example_frames(example: tuple) -> str:
    return _reliability_frames(None, None, example)


def reliability_section(
    pred: Predictions, scores: PredictionScores, ece_slot: DeltaGenerator, example: tuple | None
) -> None:
    """The bins slider, the reliability diagram, its sentence and the ECE metric.

    The slider, the ECE and the sentence are a fragment (:func:`reliability_readouts`) that reruns alone
    when the bins move; the diagram is drawn here, once per full run, and follows the slider in the browser
    (ui.scrub: its frames at every number of bins are computed once per process for an example, once per
    full run for a visitor's own data).
    """
    slider_box, chart_box, sentence_slot = st.container(), st.container(), st.empty()
    with slider_box:
        reliability_readouts(pred, scores, ece_slot, sentence_slot, example)
    with chart_box:
        scrubbed_chart(
            lambda n: _reliability_draft(_scores_at(pred, scores, example, int(n))).figure(),
            key="preds_reliability",
            widget_key=BINS_KEY,
            payload=_example_frames(example)
            if example is not None
            else _reliability_frames(pred, scores, None),
            alt=reliability_alt(scores),
            redraw=True,
        )


@safe_fragment
def reliability_readouts(
    pred: Predictions,
    scores: PredictionScores,
    ece_slot: DeltaGenerator,
    sentence_slot: DeltaGenerator,
    example: tuple | None,
) -> None:
    """The bins slider and the numbers it moves, the ECE and the sentence (reruns alone)."""
    low, high, default = PREDICTIONS_BINS
    n_bins = st.slider(
        "Confidence bins",
        low,
        high,
        default,
        key=BINS_KEY,
        help="How many equal-width confidence bins the reliability diagram and the ECE use.",
        bind="query-params",
    )
    scores = _scores_at(pred, scores, example, track(BINS_KEY, n_bins))
    ece_slot.metric(
        "ECE",
        number(scores.reliability.ece, 3),
        help="Expected calibration error: the reliability diagram's mean gap to its diagonal.",
    )
    sentence_slot.markdown(reliability_sentence(scores))


def _show(pred: Predictions, unit: str, example: tuple | None) -> None:
    """Everything the page shows about predictions it could read (``example``: see reliability_section)."""
    names = list(pred.class_names)
    plot_names = [plotly_literal(name) for name in names]

    # ------------------------------------------------------------------------------------------ the scores
    # In presenter mode the reliability diagram and its slider come first (a projector's first screen), the
    # summary of the scores under them.
    summary = None if presenter() else st.container()
    st.header("Calibration and mistakes")
    reliability_col, confusion_col = side_by_side(2, gap="large")
    summary = summary or st.container()
    n_bins = st.session_state.get(BINS_KEY, PREDICTIONS_BINS[2])
    scores = score_predictions(pred.log_probs, pred.labels, n_bins=n_bins)

    with summary:
        st.markdown(read_summary(pred))
        for note in notes(pred, scores, unit):
            st.warning(note, icon=":material/warning:")
        if presenter():  # five numbers in a row do not fit a zoomed page: three, then two
            top, bottom = st.columns(3), st.columns(3)
            m_ce, m_acc, m_ece, m_uniform, m_shares = (*top, *bottom[:2])
        else:
            m_ce, m_acc, m_ece, m_uniform, m_shares = st.columns(5)
        m_ce.metric(
            f"Cross-entropy ({unit})",
            loss_value(scores.cross_entropy, unit),
            help="The mean surprise −log q(true class) over all examples: the loss training minimises.",
        )
        m_acc.metric(
            "Accuracy",
            percent(scores.accuracy),
            help="Share of examples whose top class is right.",
        )
        ece_slot = m_ece.empty()  # filled by reliability_section, which reruns alone when the bins move
        m_uniform.metric(
            f"Uniform guess ({unit})",
            loss_value(scores.uniform_loss, unit),
            help="log C: the loss of predicting 1/C for every class, whatever the input.",
        )
        m_shares.metric(
            f"H(P̂) ({unit})",
            loss_value(scores.label_entropy, unit),
            help="The entropy of the class shares P̂: the loss of predicting P̂ for every example, whatever "
            "the input.",
        )
        st.latex(FORMULAS["cross_entropy"])
        st.markdown(loss_sentence(scores, pred.n_classes, unit))

    with reliability_col:
        reliability_section(pred, scores, ece_slot, example)
        st.latex(FORMULAS["ece"])
    with confusion_col:
        show_figure(
            confusion_matrix_figure(
                scores.confusion,
                plot_names,
                title="Confusion matrix",
                height=min(1400, max(460, 160 + 28 * pred.n_classes)),
            ),
            key="preds_confusion",
            alt=confusion_alt(scores, names),
        )

    # ------------------------------------------------------------------------------------------- per class
    st.header("Loss per class")
    class_col, table_col = side_by_side([1, 1.5], gap="large")
    with class_col:
        show_figure(
            class_loss_figure(
                plot_names,
                in_unit(scores.class_loss, unit),
                scores.counts,
                overall=in_unit(scores.cross_entropy, unit),
                unit=unit,
            ),
            key="preds_class_loss",
            alt=class_loss_alt(scores, names, unit),
        )
    with table_col:
        st.latex(FORMULAS["class_loss"])
        st.dataframe(
            pd.DataFrame(
                {
                    "class": names,
                    "n_k": scores.counts,
                    "P̂_k": scores.label_distribution,
                    "Q̄_k": scores.mean_prediction,
                    f"CE_k ({unit})": in_unit(scores.class_loss, unit),
                    "P̂_k · CE_k": in_unit(scores.class_contribution, unit),
                    "accuracy (%)": 100 * scores.class_accuracy,
                }
            ),
            hide_index=True,
            width="stretch",
            column_config={
                "n_k": st.column_config.NumberColumn(help="Examples of the class."),
                "P̂_k": st.column_config.NumberColumn(format="%.4f", help="The class's share of the labels."),
                "Q̄_k": st.column_config.NumberColumn(
                    format="%.4f", help="The model's mean predicted probability for the class."
                ),
                f"CE_k ({unit})": st.column_config.NumberColumn(
                    format="%.4f", help="The mean surprise of the class's examples."
                ),
                "P̂_k · CE_k": st.column_config.NumberColumn(
                    format="%.4f", help=f"The class's part of the cross-entropy, in {unit}."
                ),
                "accuracy (%)": st.column_config.NumberColumn(
                    format="%.1f", help="The share of the class's examples predicted right."
                ),
            },
            key="preds_class_table",
        )
        st.caption(
            "The column P̂_k · CE_k adds up to the cross-entropy: each class's loss weighted by its share."
        )

    # ------------------------------------------------------------------------------------------- the split
    st.header("Class shares: H(P̂, Q̄) = H(P̂) + KL(P̂ ‖ Q̄)")
    st.markdown(SPLIT_INTRO)
    st.latex(FORMULAS["shares"])
    st.latex(FORMULAS["split"])
    st.markdown(split_sentence(scores, names, unit))
    if scores.marginal_kl < float("inf"):
        show_figure(
            entropy_kl_bar_figure(
                float(in_unit(scores.label_entropy, unit)),
                float(in_unit(scores.marginal_kl, unit)),
                unit=unit,
            ),
            key="preds_split",
            alt=split_alt(scores, unit),
        )
        st.caption("Here P is P̂, the class shares, and “your Q” is Q̄, the model's mean prediction.")
    else:
        st.warning(
            "KL(P̂ ‖ Q̄) is infinite: some class occurs, but no example gives it any probability at all.",
            icon=":material/warning:",
        )
    show_figure(
        class_shares_figure(plot_names, scores.label_distribution, scores.mean_prediction),
        key="preds_shares",
        alt=shares_alt(scores, names),
    )

    # -------------------------------------------------------------------------------------- worst examples
    st.header("The worst examples: the highest surprise")
    low, high, default = PREDICTIONS_WORST
    k = st.columns([1, 3])[0].number_input(
        "Worst examples to list",
        min_value=low,
        max_value=high,
        value=default,
        step=1,
        key=WORST_KEY,
        help="The examples whose true class got the lowest probability, i.e. the highest surprise.",
        bind="query-params",
    )
    st.markdown(worst_sentence(scores, int(k)))
    rows = worst_examples(scores.surprise, int(k))
    probs = pred.probs[rows]
    table = {"line": pred.lines[rows]}
    if pred.ids is not None:
        table["id"] = [pred.ids[i] for i in rows]
    table |= {
        "true class": [names[pred.labels[i]] for i in rows],
        "q(true class)": probs[range(len(rows)), pred.labels[rows]],
        f"surprise ({unit})": in_unit(scores.surprise[rows], unit),
        "predicted class": [names[scores.predicted[i]] for i in rows],
        "q(predicted)": probs[range(len(rows)), scores.predicted[rows]],
    }
    st.dataframe(
        pd.DataFrame(table),
        hide_index=True,
        width="stretch",
        column_config={
            "q(true class)": st.column_config.NumberColumn(format="%.3e"),
            f"surprise ({unit})": st.column_config.NumberColumn(format="%.4f"),
            "q(predicted)": st.column_config.NumberColumn(format="%.4f"),
        },
        key="preds_worst_table",
    )
    st.caption("line: the line of the file the example is on (the header is line 1).")


page_header("Your own predictions", LEAD)


def explorer() -> None:
    """The data's controls and everything the page shows about the predictions.

    Not a fragment itself: the bins' fragment writes the ECE into a slot of the summary, and Streamlit
    1.67 drops what a nested fragment wrote into its parent fragment's slots when the parent reruns
    (ui.sections).  So the data's controls rerun the page.
    """
    unit = units()

    # ------------------------------------------------------------------------------------------ the data
    # In presenter mode the data's controls fold into an expander: the room sees the scores first.
    data_box = (
        st.expander("The predictions: the examples, a file or pasted text", icon=":material/dataset:")
        if presenter()
        else st.container()
    )
    data_box.info(PRIVACY, icon=":material/lock:")
    source_col, kind_col = data_box.columns([5, 4], gap="large")
    with source_col:
        source = st.radio(
            "Predictions",
            SOURCES,
            key=SOURCE_KEY,
            horizontal=True,
            help="The two examples are the same network's outputs, written as probabilities or as logits.",
            bind="query-params",
        )
        data: bytes | str | None = None
        if source in EXAMPLE_SOURCES:
            data = _example(EXAMPLE_SOURCES[source])
        elif source == SOURCES[2]:
            upload = st.file_uploader(
                "CSV file of predictions",
                key=FILE_KEY,
                max_upload_size=MAX_UPLOAD_MB,
                help=f"Any file up to {MAX_UPLOAD_MB} MB; the page says what it cannot read, and why.",
            )
            data = upload.getvalue() if upload is not None else None
        else:
            text = st.text_area(
                "CSV text",
                key=TEXT_KEY,
                height=200,
                placeholder=FORMAT_SAMPLE,
                help="Paste the CSV, header first. It is not put into the link.",
            )
            data = text if text.strip() else None
        if source not in EXAMPLE_SOURCES:
            st.caption(LINK_NOTE)
    kind = kind_col.radio(
        "The numbers are",
        KINDS,
        format_func=KIND_LABELS.get,
        key=KIND_KEY,
        horizontal=True,
        help="Auto-detect reads the numbers as probabilities if every one lies in [0, 1], otherwise as "
        "logits. Logits (scores before softmax) go through softmax.",
        bind="query-params",
    )
    renormalise = kind_col.toggle(
        "Renormalise rows that do not sum to 1",
        key=RENORMALISE_KEY,
        help=f"Divide each row of probabilities by its sum. Rows within {ROW_SUM_TOLERANCE:g} of 1 are "
        f"always "
        "divided by their sums; this also accepts rows that are further off.",
        bind="query-params",
    )
    with data_box.expander("The format, and the example to download", expanded=not presenter()):
        format_col, sample_col = side_by_side([3, 2], gap="large")
        format_col.markdown(FORMAT)
        with sample_col:
            st.code(FORMAT_SAMPLE, language=None)
            st.markdown(example_sentence())
            shown_kind = EXAMPLE_SOURCES.get(source, "probabilities")
            st.download_button(
                f"Download the example ({shown_kind}, CSV)",
                data=lambda: _example(shown_kind),  # computed when pressed
                file_name=f"example_predictions_{shown_kind}.csv",
                mime="text/csv",
                key="preds_download",
                on_click="ignore",
                icon=":material/download:",
            )

    if data is None:
        st.info(WAITING[source], icon=":material/upload_file:")
    else:
        result = _read(data, kind, renormalise)
        if isinstance(result, PredictionsError):
            st.error(error_markdown(result), icon=":material/error:")
            if isinstance(result, RowSumError) and not renormalise:
                st.button("Renormalise the rows", key="preds_renormalise_now", on_click=_renormalise_now)
        else:
            example = (EXAMPLE_SOURCES[source], kind, renormalise) if source in EXAMPLE_SOURCES else None
            _show(result, unit, example)


explorer()
