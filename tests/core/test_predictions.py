"""core.predictions: reading a CSV of labels and probabilities or logits (every bad input has its message),
and the example, read back with the loss core computes from its logits."""

import math
import tomllib
from pathlib import Path

import numpy as np
import pytest

import core.predictions as predictions
from core.functional import log_softmax, softmax
from core.losses import cross_entropy
from core.prediction_scores import score_predictions
from core.predictions import (
    MAX_BYTES,
    MAX_CLASSES,
    MAX_UPLOAD_MB,
    PredictionsError,
    RowSumError,
    example_csv,
    example_predictions,
    parse_predictions,
)
from tests._prediction_files import BAD_INPUTS, TOO_MANY_ROWS

ROOT = Path(__file__).resolve().parents[2]
GOOD = "label,Cat,Dog,Bird\nCat,0.7,0.2,0.1\nDog,0.1,0.6,0.3\nBird,0.2,0.2,0.6\nCat,0.3,0.4,0.3\n"


@pytest.mark.parametrize(
    ("data", "kind", "pattern"), [c[1:] for c in BAD_INPUTS], ids=[c[0] for c in BAD_INPUTS]
)
def test_every_bad_input_raises_a_message_that_names_the_problem_and_the_fix(data, kind, pattern):
    with pytest.raises(PredictionsError, match=pattern) as info:
        parse_predictions(data, kind=kind)
    error = info.value
    assert isinstance(error, ValueError)
    assert error.problem.strip()
    assert error.fix.strip()
    assert str(error) == f"{error.problem} {error.fix}"
    assert "Traceback" not in str(error)
    assert len(str(error)) < 500  # a message, not a dump of the file


def test_too_many_rows_has_its_own_message():
    with pytest.raises(
        PredictionsError, match=r"^The CSV has more than 100,000 rows; the page reads at most 100,000\."
    ):
        parse_predictions(TOO_MANY_ROWS)


def test_the_row_limit_is_inclusive(monkeypatch):
    monkeypatch.setattr(predictions, "MAX_ROWS", 3)
    assert parse_predictions("label,a,b\n" + "0,0.5,0.5\n" * 3).n == 3
    with pytest.raises(PredictionsError, match="more than 3 rows"):
        parse_predictions("label,a,b\n" + "0,0.5,0.5\n" * 4)


def test_too_much_pasted_text_has_the_size_message():
    with pytest.raises(PredictionsError, match=r"larger than 10 MB"):
        parse_predictions("label,a,b\n" + "é" * (MAX_BYTES // 2))  # 2 bytes each in UTF-8


def test_too_many_classes():
    names = ",".join(f"c{k}" for k in range(MAX_CLASSES + 1))
    with pytest.raises(PredictionsError, match=r"has 101 class columns; the page shows at most 100"):
        parse_predictions(f"label,{names}\n0," + ",".join(["0"] * (MAX_CLASSES + 1)) + "\n")


def test_the_upload_limit_in_the_streamlit_config_is_the_one_core_states():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB
    assert MAX_BYTES == MAX_UPLOAD_MB * 1024 * 1024  # Streamlit counts megabytes of 2^20 bytes


def test_a_row_sum_error_carries_the_worst_row():
    with pytest.raises(RowSumError) as info:
        parse_predictions("label,a,b\n0,0.5,0.5\n1,0.3,0.3\n0,0.6,0.5\n")
    error = info.value
    assert (error.rows_off, error.n_rows, error.worst_line) == (2, 3, 3)
    assert error.worst_sum == pytest.approx(0.6)
    assert "renormalise" in error.fix


def test_renormalising_probabilities():
    pred = parse_predictions("label,a,b\n0,0.5,0.5\n1,0.3,0.3\n0,0.1,0.3\n", renormalise=True)
    assert pred.kind == "probabilities"
    np.testing.assert_allclose(pred.probs, [[0.5, 0.5], [0.5, 0.5], [0.25, 0.75]])
    assert pred.rows_renormalised == 2
    assert pred.worst_row_line == 4
    assert pred.max_row_error == pytest.approx(0.6)


def test_a_row_of_zeros_cannot_be_renormalised():
    with pytest.raises(
        PredictionsError, match=r"^Every probability on line 3 is 0, so that row cannot be renormalised"
    ):
        parse_predictions("label,a,b\n0,0.5,0.5\n1,0,0\n", renormalise=True)


def test_rows_within_the_tolerance_are_normalised_without_asking():
    pred = parse_predictions("label,a,b,c\n0,0.33,0.33,0.33\n1,0.5,0.5,0\n")
    np.testing.assert_allclose(pred.probs.sum(axis=1), 1.0, rtol=0, atol=1e-15)
    np.testing.assert_allclose(pred.probs[0], [1 / 3] * 3)
    assert pred.max_row_error == pytest.approx(0.01)
    assert pred.worst_row_line == 2
    assert pred.rows_renormalised == 0


# ------------------------------------------------------------------------------------------ the format
def test_a_good_file_is_read_with_names_from_the_header():
    pred = parse_predictions(GOOD)
    assert pred.class_names == ("Cat", "Dog", "Bird")
    assert pred.labels.tolist() == [0, 1, 2, 0]
    assert pred.lines.tolist() == [2, 3, 4, 5]
    assert (pred.kind, pred.detected, pred.label_format, pred.label_column) == (
        "probabilities",
        True,
        "names",
        "label",
    )
    assert pred.ids is None
    assert pred.outside == 0
    np.testing.assert_allclose(pred.probs[0], [0.7, 0.2, 0.1])


def test_bytes_and_text_give_the_same_result_with_a_bom_and_windows_line_ends():
    text_pred = parse_predictions(GOOD)
    byte_pred = parse_predictions(("\ufeff" + GOOD.replace("\n", "\r\n")).encode("utf-8"))
    assert byte_pred.class_names == text_pred.class_names
    np.testing.assert_array_equal(byte_pred.log_probs, text_pred.log_probs)
    np.testing.assert_array_equal(byte_pred.lines, text_pred.lines)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_commas_semicolons_and_tabs(delimiter):
    pred = parse_predictions(GOOD.replace(",", delimiter))
    assert pred.delimiter == delimiter
    assert pred.labels.tolist() == [0, 1, 2, 0]


def test_labels_as_indices_names_in_any_case_spaces_and_blank_lines():
    by_index = parse_predictions("label,Cat,Dog\n 0 ,0.9,0.1\n\n1.0,0.2,0.8\n")
    assert by_index.labels.tolist() == [0, 1]
    assert by_index.label_format == "indices"
    assert by_index.lines.tolist() == [2, 4]
    by_name = parse_predictions("Label , Cat , Dog \n cat ,0.9,0.1\nDOG,0.2,0.8\n")
    assert by_name.class_names == ("Cat", "Dog")
    assert by_name.labels.tolist() == [0, 1]
    assert by_name.label_column == "Label"


def test_the_label_and_id_columns_may_sit_anywhere_and_label_has_aliases():
    pred = parse_predictions("a,ID,b,Y_True\n0.9,x7,0.1,b\n0.2,x8,0.8,a\n")
    assert pred.class_names == ("a", "b")
    assert pred.ids == ("x7", "x8")
    assert pred.labels.tolist() == [1, 0]
    assert pred.label_column == "Y_True"


def test_numeric_class_names_are_read_as_names_and_a_different_index_reading_is_flagged():
    # Class names 1, 2, 3: the labels name them, and read as indices they would name other classes.
    pred = parse_predictions("label,1,2,3\n1,0.8,0.1,0.1\n2,0.1,0.8,0.1\n")
    assert pred.label_format == "names"
    assert pred.labels.tolist() == [0, 1]
    assert pred.labels_ambiguous
    # The digits 0 … 9 as names: both readings agree, nothing to flag.
    digits = parse_predictions("label,0,1\n1,0.3,0.7\n0,0.6,0.4\n")
    assert digits.labels.tolist() == [1, 0]
    assert not digits.labels_ambiguous
    # A label that is no name (0) makes every label an index.
    shifted = parse_predictions("label,1,2,3\n0,0.8,0.1,0.1\n1,0.1,0.8,0.1\n")
    assert (shifted.label_format, shifted.labels.tolist()) == ("indices", [0, 1])


def test_html_in_a_class_name_is_kept_as_text():
    pred = parse_predictions("label,<script>alert(1)</script>,<b>Dog</b>\n0,0.5,0.5\n")
    assert pred.class_names == ("<script>alert(1)</script>", "<b>Dog</b>")


def test_auto_reads_numbers_outside_the_unit_interval_as_logits():
    pred = parse_predictions("label,a,b,c\n0,2.0,-1.0,0.5\n2,0.1,0.2,0.3\n")
    assert (pred.kind, pred.detected, pred.outside, pred.first_outside) == ("logits", True, 2, (2, "a", 2.0))
    np.testing.assert_allclose(
        pred.log_probs, log_softmax(np.array([[2.0, -1.0, 0.5], [0.1, 0.2, 0.3]]), axis=1)
    )


def test_asking_for_logits_reads_numbers_in_the_unit_interval_as_logits():
    pred = parse_predictions(GOOD, kind="logits")
    assert (pred.kind, pred.detected) == ("logits", False)
    np.testing.assert_allclose(pred.probs[0], softmax(np.array([0.7, 0.2, 0.1])))
    assert parse_predictions("label,a,b\n0,60,40\n", kind="logits").kind == "logits"  # no percentage check


def test_asking_for_probabilities_is_not_detection():
    pred = parse_predictions(GOOD, kind="probabilities")
    assert (pred.kind, pred.detected) == ("probabilities", False)


def test_a_probability_of_zero_gives_minus_infinity():
    pred = parse_predictions("label,a,b\n0,0,1\n1,0,1\n")
    assert pred.log_probs[0, 0] == -math.inf
    assert pred.log_probs[0, 1] == 0.0


@pytest.mark.parametrize(("kind", "renormalise"), [("guess", False), ("auto", "yes")])
def test_bad_arguments_are_plain_value_errors(kind, renormalise):
    with pytest.raises(ValueError, match="kind must be one of|renormalise must be True or False"):
        parse_predictions(GOOD, kind=kind, renormalise=renormalise)
    with pytest.raises(ValueError, match="data must be str or bytes; got int"):
        parse_predictions(3)


# ------------------------------------------------------------------------------------------ the example
@pytest.fixture(scope="module")
def example():
    return example_predictions()


def test_the_example_is_the_calibration_networks_test_digits(example):
    names, logits, labels = example
    assert names == tuple("0123456789")
    assert logits.shape == (1078, 10)
    assert labels.shape == (1078,)


@pytest.mark.parametrize("kind", ["probabilities", "logits"])
def test_the_example_csv_reads_back_with_the_networks_loss(example, kind):
    names, logits, labels = example
    text = example_csv(kind)
    assert text.splitlines()[0] == "label,0,1,2,3,4,5,6,7,8,9"
    pred = parse_predictions(text)
    assert pred.kind == kind
    assert pred.class_names == names
    assert pred.labels.tolist() == labels.tolist()
    s = score_predictions(pred.log_probs, pred.labels)
    assert s.cross_entropy == pytest.approx(float(cross_entropy(logits, labels)), rel=1e-4)
    assert s.n_infinite == 0
    assert pred.max_row_error < 1e-4  # 6 significant digits per probability


def test_the_example_kind_is_checked():
    with pytest.raises(ValueError, match="kind must be 'probabilities' or 'logits'; got 'auto'"):
        example_csv("auto")
