"""Your own predictions: read a CSV of true labels and predicted probabilities or logits.

**The format.**  UTF-8 text (a byte-order mark is fine), one header line naming the columns, then one
row per example::

    label,Cat,Dog,Bird
    Cat,0.7,0.2,0.1
    Bird,0.1,0.3,0.6

- one **label** column (named ``label``, ``target``, ``y``, ``y_true`` or ``true_label``, in any case)
  holding each example's true class: a class name from the header, or a class index 0 … C − 1 (all
  names or all indices);
- optionally one ``id`` column naming each example (shown in the table of worst examples);
- one column per class, at least 2 and at most :data:`MAX_CLASSES`: the class names come from the
  header; the numbers are **probabilities** (each in [0, 1], each row summing to 1) or **logits** (any
  finite numbers, turned into probabilities by softmax);
- commas, semicolons or tabs between the values (whichever the header line uses most), at most
  :data:`MAX_ROWS` rows and :data:`MAX_BYTES` bytes.

:func:`parse_predictions` reads it.  Every problem raises :class:`PredictionsError`, a ``ValueError``
whose ``problem`` names what is wrong (and where: the line of the file, the column) and whose ``fix``
says what to do; rows that do not sum to 1 raise its subclass :class:`RowSumError`, which carries the
worst row, so a page can offer to renormalise.  (A result object with messages would serve a page as
well; an exception keeps one path for the numbers and one for the problems, as the rest of :mod:`core`
does.)  :mod:`core.prediction_scores` scores what was read; :func:`example_csv` writes the example.
"""

from __future__ import annotations

import csv
import io
import itertools
import operator
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from core.calibration import train_calibration_run
from core.defaults import CALIBRATION_EPOCH, CALIBRATION_SMOOTHING, CALIBRATION_WIDTH
from core.functional import log_softmax, softmax

__all__ = [
    "EXAMPLE_KINDS",
    "ID_COLUMN",
    "KINDS",
    "LABEL_COLUMNS",
    "MAX_BYTES",
    "MAX_CLASSES",
    "MAX_NAME_CHARS",
    "MAX_ROWS",
    "MAX_UPLOAD_MB",
    "ROW_SUM_TOLERANCE",
    "Predictions",
    "PredictionsError",
    "RowSumError",
    "example_csv",
    "example_predictions",
    "parse_predictions",
]

#: Largest upload in MB (MiB): ``.streamlit/config.toml``'s ``server.maxUploadSize`` says the same.
MAX_UPLOAD_MB = 10
MAX_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_ROWS = 100_000
MAX_CLASSES = 100
MAX_NAME_CHARS = 40
#: Rows of probabilities summing to 1 within this are divided by their sums without asking.
ROW_SUM_TOLERANCE = 0.01
LABEL_COLUMNS = ("label", "target", "y", "y_true", "true_label")
ID_COLUMN = "id"
KINDS = ("auto", "probabilities", "logits")
EXAMPLE_KINDS = ("probabilities", "logits")
_DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs"}
_QUOTE_CHARS = 40
# The first bytes of files that are not text, and what they are.
_MAGIC = (
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx or OpenDocument workbook is one)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls workbook"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x93NUMPY", "a NumPy .npy array"),
    (b"PAR1", "a Parquet file"),
)
_SAVE_AS_CSV = "Save it as CSV text (in a spreadsheet: File › Save As › CSV UTF-8) and upload that."


# ------------------------------------------------------------------------------------------ the errors
class PredictionsError(ValueError):
    """A CSV of predictions that cannot be used: ``problem`` says what and where, ``fix`` what to do.

    ``str(error)`` is the two joined by a space.  Both are plain text; values taken from the file are
    quoted “like this” and shortened to 40 characters, with control characters written as escapes.
    """

    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(f"{problem} {fix}")
        self.problem = problem
        self.fix = fix


class RowSumError(PredictionsError):
    """Rows of probabilities that do not sum to 1: ``rows_off`` of ``n_rows`` rows are off by more than
    :data:`ROW_SUM_TOLERANCE`; the worst is on line ``worst_line`` of the file and sums to ``worst_sum``.
    ``parse_predictions(..., renormalise=True)`` divides every row by its sum instead."""

    def __init__(self, rows_off: int, n_rows: int, worst_line: int, worst_sum: float) -> None:
        problem = (
            f"As probabilities, every row must sum to 1, but {rows_off:,} of {n_rows:,} rows are off by more "
            f"than {ROW_SUM_TOLERANCE:g}: the worst, line {worst_line}, sums to {worst_sum:.6g} "
            f"(off by {abs(worst_sum - 1):.4g})."
        )
        fix = (
            "If they are unnormalised scores, renormalise the rows (divide each row by its sum); if they are "
            "logits, read them as logits."
        )
        super().__init__(problem, fix)
        self.rows_off = rows_off
        self.n_rows = n_rows
        self.worst_line = worst_line
        self.worst_sum = worst_sum


def _quote(value: str) -> str:
    """A value from the file for a message: “shortened…”, with control characters as escapes."""
    text = value if len(value) <= _QUOTE_CHARS else value[:_QUOTE_CHARS] + "…"
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return f"“{text}”"


# ------------------------------------------------------------------------------------------ the result
@dataclass(frozen=True, eq=False)
class Predictions:
    """A CSV of predictions, read (see :func:`parse_predictions`).

    Attributes
    ----------
    class_names : tuple of str ``(C,)``
        From the header, in column order, spaces around them stripped.
    labels : ndarray of int ``(n,)``
        True class indices in ``[0, C)``.
    log_probs : ndarray ``(n, C)`` float64
        log q_ik: log-softmax of logits, or the log of the (renormalised) probabilities; −inf where a
        probability is exactly 0.
    lines : ndarray of int ``(n,)``
        The line of the file each example was read from (the header is line 1).
    ids : tuple of str or None
        The ``id`` column, if there is one.
    kind : {"probabilities", "logits"}
        How the numbers were read.
    detected : bool
        True if ``kind`` was detected (``kind="auto"``), False if it was asked for.
    outside : int
        How many numbers lie outside [0, 1] (> 0 means they cannot be probabilities).
    first_outside : tuple (line, class name, value) or None
        The first of them.
    label_format : {"names", "indices"}
        Whether the labels were read as class names or as class indices.
    labels_ambiguous : bool
        True if the labels could also be read the other way and would then name other classes.
    max_row_error : float
        Probabilities: the largest |row sum − 1| before the rows were divided by their sums; 0 for logits.
    worst_row_line : int or None
        The line of that row (None for logits).
    rows_renormalised : int
        Rows off by more than :data:`ROW_SUM_TOLERANCE` that were renormalised on request.
    delimiter : str
        ``","``, ``";"`` or ``"\\t"``.
    label_column : str
        The label column's name as written.
    """

    class_names: tuple[str, ...]
    labels: np.ndarray
    log_probs: np.ndarray
    lines: np.ndarray
    ids: tuple[str, ...] | None
    kind: str
    detected: bool
    outside: int
    first_outside: tuple[int, str, float] | None
    label_format: str
    labels_ambiguous: bool
    max_row_error: float
    worst_row_line: int | None
    rows_renormalised: int
    delimiter: str
    label_column: str

    @property
    def n(self) -> int:
        """Number of examples."""
        return int(self.labels.shape[0])

    @property
    def n_classes(self) -> int:
        """Number of classes C."""
        return len(self.class_names)

    @property
    def probs(self) -> np.ndarray:
        """q_ik = exp(log q_ik), ``(n, C)``; every row sums to 1."""
        return np.exp(self.log_probs)


# ------------------------------------------------------------------------------------------ reading
def _check_kind(kind) -> str:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}; got {kind!r}")
    return kind


def _too_large(size: int) -> PredictionsError:
    return PredictionsError(
        f"The CSV is larger than {MAX_UPLOAD_MB} MB ({size:,} bytes); the page reads at most "
        f"{MAX_UPLOAD_MB} MB.",
        f"Use a sample of the rows (at most {MAX_ROWS:,}), or fewer decimals per number.",
    )


def _decode(data) -> str:
    """The text of ``data`` (str, or UTF-8 bytes), after the checks for size, emptiness and binary files."""
    if isinstance(data, str):
        size = len(data.encode("utf-8", "surrogatepass"))
        if size > MAX_BYTES:
            raise _too_large(size)
        text = data.removeprefix("\ufeff")
    elif isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
        if len(raw) > MAX_BYTES:
            raise _too_large(len(raw))
        for magic, what in _MAGIC:
            if raw.startswith(magic):
                raise PredictionsError(f"This is {what}, not CSV text.", _SAVE_AS_CSV)
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise PredictionsError(
                "The CSV is UTF-16 text; the page reads UTF-8.",
                "Save it again as UTF-8 (in a spreadsheet: File › Save As › CSV UTF-8).",
            )
        if b"\x00" in raw:
            raise PredictionsError(
                f"This is a binary file, not CSV text: it holds zero bytes (the first at byte "
                f"{raw.index(0):,}).",
                _SAVE_AS_CSV,
            )
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            raise PredictionsError(
                f"The CSV is not UTF-8 text: byte 0x{raw[exc.start]:02X} on line {line} (byte {exc.start:,}) "
                "is not valid UTF-8.",
                "Save it again as UTF-8 (in a spreadsheet: File › Save As › CSV UTF-8). If it is not a text "
                "file at all, export your predictions as CSV first.",
            ) from None
    else:
        raise ValueError(f"data must be str or bytes; got {type(data).__name__}")
    if "\x00" in text:
        raise PredictionsError("This is binary data, not CSV text: it holds zero characters.", _SAVE_AS_CSV)
    if not text.strip():
        raise PredictionsError(
            "The CSV is empty.",
            "Give a header line (label, then one column per class) and one row per example.",
        )
    return text


def _delimiter(text: str) -> str:
    """The separator the header line uses most: a comma, a semicolon or a tab (a comma on a tie)."""
    first = next(line for line in text.splitlines() if line.strip())
    counts = [first.count(d) for d in _DELIMITERS]
    return _DELIMITERS[int(np.argmax(counts))]


def _read_rows(text: str, delimiter: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the data rows with their line numbers; blank lines are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            if not "".join(row).strip():
                continue
            if header is None:
                header = row
                continue
            if len(rows) == MAX_ROWS:
                raise PredictionsError(
                    f"The CSV has more than {MAX_ROWS:,} rows; the page reads at most {MAX_ROWS:,}.",
                    f"Use a random sample of at most {MAX_ROWS:,} rows.",
                )
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise PredictionsError(
                f"Line {reader.line_num} holds a value over {csv.field_size_limit():,} characters long.",
                "A CSV of predictions has short numbers: check that this is the right file, and that every "
                'quote (") that opens a value also closes it.',
            ) from None
        raise PredictionsError(
            f"Line {reader.line_num} cannot be read as CSV ({exc}).",
            'Check the quotes (") on that line: a value that starts with a quote must end with one.',
        ) from None
    if header is None:  # only separators and spaces
        raise PredictionsError(
            "The CSV holds no values, only separators and spaces.",
            "Give a header line (label, then one column per class) and one row per example.",
        )
    return header, rows


class _Columns(NamedTuple):
    label: int
    id: int | None
    classes: list[int]
    all_names: list[str]  # every column's name, stripped

    @property
    def class_names(self) -> tuple[str, ...]:
        return tuple(self.all_names[j] for j in self.classes)


def _columns(header: list[str], delimiter: str) -> _Columns:
    names = [name.strip() for name in header]
    shown = ", ".join(_quote(n) for n in names[:8]) + (", …" if len(names) > 8 else "")
    if len(names) == 1:
        others = [d for d in _DELIMITERS if d != delimiter and d in header[0]]
        hint = f" (it holds {_DELIMITER_NAMES[others[0]]}, but too few to tell)" if others else ""
        raise PredictionsError(
            f"The header has only one column, {_quote(names[0])}{hint}.",
            "Give one label column plus one column per class, separated by commas, e.g. label,Cat,Dog,Bird.",
        )
    for j, name in enumerate(names):
        if not name:
            trailing = " (a separator at the end of the header line makes an empty last column)" * (
                j == len(names) - 1
            )
            raise PredictionsError(
                f"Column {j + 1} of the header has no name{trailing}.",
                "Every column needs a name: label for the true class, then each class's name. A "
                "spreadsheet's or pandas' row-number column has none: delete it (in pandas, save with "
                "index=False).",
            )
    for j, name in enumerate(names):
        if any(not ch.isprintable() for ch in name):
            raise PredictionsError(
                f"The name of column {j + 1}, {_quote(name)}, holds a line break or another control "
                "character.",
                "Give every column a name on one line, without control characters.",
            )
        if len(name) > MAX_NAME_CHARS:
            raise PredictionsError(
                f"The name of column {j + 1} is {len(name):,} characters long ({_quote(name)}); a class name "
                f"may have at most {MAX_NAME_CHARS}.",
                "Shorten the class names in the header.",
            )
    folded = [name.casefold() for name in names]
    label_cols = [j for j, f in enumerate(folded) if f in LABEL_COLUMNS]
    if not label_cols:
        raise PredictionsError(
            f"No column is named label. The header reads {shown}.",
            "Name the column that holds the true classes label (target, y, y_true and true_label work too).",
        )
    if len(label_cols) > 1:
        both = " and ".join(_quote(names[j]) for j in label_cols[:2])
        raise PredictionsError(
            f"Several columns could hold the labels: {both}.",
            "Keep one label column, or rename the others.",
        )
    id_cols = [j for j, f in enumerate(folded) if f == ID_COLUMN]
    if len(id_cols) > 1:
        raise PredictionsError(
            f"Columns {id_cols[0] + 1} and {id_cols[1] + 1} are both named id.",
            "Keep one id column, or rename the other.",
        )
    label = label_cols[0]
    id_col = id_cols[0] if id_cols else None
    classes = [j for j in range(len(names)) if j != label and j != id_col]
    if len(classes) < 2:
        which = f"only one class column, {_quote(names[classes[0]])}," if classes else "no class columns"
        raise PredictionsError(
            f"Besides the label{' and id' if id_col is not None else ''} the header has {which} but there "
            "must be at least 2.",
            "Give one column per class. For a yes/no classifier with one probability p per row, write two "
            "columns, e.g. no and yes, holding 1 − p and p.",
        )
    if len(classes) > MAX_CLASSES:
        raise PredictionsError(
            f"The header has {len(classes):,} class columns; the page shows at most {MAX_CLASSES}.",
            f"Keep at most {MAX_CLASSES} classes (e.g. the most frequent ones, with their probabilities "
            "renormalised).",
        )
    seen: dict[str, int] = {}
    for j in classes:
        if names[j] in seen:
            raise PredictionsError(
                f"Columns {seen[names[j]] + 1} and {j + 1} are both named {_quote(names[j])}.",
                "The class names come from the header and must differ: rename one of them.",
            )
        seen[names[j]] = j
    return _Columns(label, id_col, classes, names)


def _number_fix(value: str) -> str:
    if not value:
        return "Fill in every number (or delete the row)."
    if value.endswith("%"):
        return "Write probabilities as numbers between 0 and 1 (25 % is 0.25), without a percent sign."
    if "," in value:
        return "Use a point as the decimal separator (0.25, not 0,25)."
    if "\u2212" in value:
        return "Write minus signs as the plain hyphen-minus (-1.5, not \u22121.5)."
    return "Write each probability or logit as a plain number, such as 0.25 or -1.5e-3."


def _cells(rows, columns: _Columns):
    """The labels (text), ids (text or None), scores ``(n, C)`` and line numbers of the data rows."""
    if not rows:
        raise PredictionsError(
            "The CSV has a header but no rows of predictions.",
            "Add one row per example under the header: its label, then one number per class.",
        )
    cols, names, n_fields = columns.classes, columns.all_names, len(columns.all_names)
    for line, row in rows:
        if len(row) != n_fields:
            raise PredictionsError(
                f"Line {line} has {len(row)} values, but the header has {n_fields} columns.",
                "Every row needs one value under each column: the label, then one number per class.",
            )
    lines = np.fromiter((line for line, _ in rows), dtype=np.int64, count=len(rows))
    labels = [row[columns.label].strip() for _, row in rows]
    if not all(labels):
        raise PredictionsError(
            f"Line {lines[labels.index('')]} has no label.",
            "Give every row its true class (a class name or index), or delete the row.",
        )
    ids = tuple(row[columns.id].strip() for _, row in rows) if columns.id is not None else None
    pick = operator.itemgetter(*cols)  # at least 2 columns: a tuple per row
    try:
        flat = np.array(list(itertools.chain.from_iterable(pick(row) for _, row in rows)), dtype=np.float64)
    except ValueError:  # find the first cell that is not a number, for the message
        for line, row in rows:
            for j in cols:
                cell = row[j].strip()
                try:
                    float(cell)
                except ValueError:
                    what = "is empty" if not cell else f"holds {_quote(cell)}, which is not a number"
                    raise PredictionsError(
                        f"Line {line}, column {_quote(names[j])} {what}.", _number_fix(cell)
                    ) from None
        raise  # numpy rejected a value that float() reads: not expected
    return labels, ids, flat.reshape(len(rows), len(cols)), lines


def _label_indices(
    labels: list[str], names: tuple[str, ...], lines: np.ndarray
) -> tuple[np.ndarray, str, bool]:
    """Class indices of the labels, whether they were read as names or indices, and if that was ambiguous."""
    n_classes = len(names)
    exact = {name: k for k, name in enumerate(names)}
    folded: dict[str, int] = {}
    for k, name in enumerate(names):
        folded.setdefault(name.casefold(), k)
    unique_folded = len(folded) == n_classes

    def as_name(label: str) -> int | None:
        if label in exact:
            return exact[label]
        return folded.get(label.casefold()) if unique_folded else None

    def as_index(label: str) -> int | None:
        try:
            value = float(label)
        except ValueError:
            return None
        return int(value) if value.is_integer() else None

    by_name = [as_name(label) for label in labels]
    by_index = [as_index(label) for label in labels]
    if all(k is not None for k in by_name):
        ambiguous = all(k is not None and 0 <= k < n_classes for k in by_index) and by_index != by_name
        return np.array(by_name, dtype=np.intp), "names", ambiguous
    listed = ", ".join(_quote(n) for n in names[:6]) + (", …" if n_classes > 6 else "")
    for i, label in enumerate(labels):
        if by_name[i] is None and by_index[i] is None:
            raise PredictionsError(
                f"Line {lines[i]}: the label {_quote(label)} is neither a class name ({listed}) nor a "
                f"class index (0 to {n_classes - 1}).",
                "Write each label as a class name exactly as in the header, or as its index (0 for the "
                "first class column).",
            )
    # Not every label is a name, so they are indices: a label that is only a name mixes the two.
    for i, label in enumerate(labels):
        if by_index[i] is None:
            example = next(labels[m] for m in range(len(labels)) if by_name[m] is None)
            raise PredictionsError(
                f"Line {lines[i]}: the label {_quote(label)} is a class name, but other labels are not "
                f"(e.g. {_quote(example)}).",
                "Write all labels the same way: all as class names, or all as class indices.",
            )
    for i, label in enumerate(labels):
        if not 0 <= by_index[i] < n_classes:
            raise PredictionsError(
                f"Line {lines[i]}: the label {_quote(label)} is out of range: with {n_classes} classes the "
                f"class indices run from 0 to {n_classes - 1}.",
                "Count the classes from 0, in the order of the class columns (the first class column is 0), "
                "or write the labels as class names.",
            )
    return np.array(by_index, dtype=np.intp), "indices", False


def parse_predictions(data, *, kind: str = "auto", renormalise: bool = False) -> Predictions:
    """Read a CSV of true labels and predicted probabilities or logits (format: :mod:`core.predictions`).

    **How the numbers are read.**  ``kind="logits"``: q_i = softmax(z_i), log q_i by log-softmax.
    ``kind="probabilities"``: every number must lie in [0, 1] and every row must sum to 1 within
    :data:`ROW_SUM_TOLERANCE`; each row is then divided by its sum (so it sums to 1 exactly), and
    log q = log p (−inf where p = 0).  ``kind="auto"``: probabilities if every number lies in [0, 1],
    otherwise logits; numbers in [0, 100] whose rows all sum to 100 are taken for percentages and
    rejected (unless ``kind="logits"``).

    Parameters
    ----------
    data : str or bytes
        The CSV: text, or bytes in UTF-8 (an uploaded file's contents).
    kind : {"auto", "probabilities", "logits"}, default "auto"
    renormalise : bool, default False
        Divide rows of probabilities that sum to something else than 1 (by more than the tolerance) by
        their sums instead of raising :class:`RowSumError`.

    Returns
    -------
    Predictions

    Raises
    ------
    PredictionsError
        For every problem with the data, naming the problem (with the line of the file) and the fix:
        too large, empty, binary, not UTF-8; broken quoting; a header with one column, a column
        without a name, a control character or an over-long name, no or two label columns, fewer than
        2 or more than :data:`MAX_CLASSES` class columns, two columns of one name; a header but no
        rows, more than :data:`MAX_ROWS` rows; a row with too few or too many values, a missing label,
        a value that is not a number, NaN or inf; a label that is neither a class name nor an index, an
        index out of range, names mixed with indices; probabilities outside [0, 1], percentages; rows
        that do not sum to 1 (:class:`RowSumError`), a row of zeros to renormalise.
    ValueError
        If ``kind`` or ``renormalise`` is not one of the allowed values.

    Examples
    --------
    >>> pred = parse_predictions("label,Cat,Dog\\nCat,0.8,0.2\\nDog,0.4,0.6\\n")
    >>> pred.class_names, pred.labels.tolist(), pred.kind, pred.label_format
    (('Cat', 'Dog'), [0, 1], 'probabilities', 'names')
    >>> parse_predictions("label,a,b\\n0,2.0,0.0\\n", kind="auto").kind   # 2.0 is no probability
    'logits'
    >>> parse_predictions("label,Cat,Dog\\nCat,0.8,0.2\\nDog,0.4,0.7\\n")
    Traceback (most recent call last):
    ...
    core.predictions.RowSumError: As probabilities, every row must sum to 1, but 1 of 2 rows are off by more
    than 0.01: the worst, line 3, sums to 1.1 (off by 0.1). ...
    """
    kind = _check_kind(kind)
    if not isinstance(renormalise, bool):
        raise ValueError(f"renormalise must be True or False; got {renormalise!r}")
    text = _decode(data)
    delimiter = _delimiter(text)
    header, rows = _read_rows(text, delimiter)
    columns = _columns(header, delimiter)
    label_texts, ids, scores, lines = _cells(rows, columns)
    class_names = columns.class_names

    finite = np.isfinite(scores)
    if not finite.all():
        i, k = (int(v) for v in np.argwhere(~finite)[0])
        count = int((~finite).sum())
        raise PredictionsError(
            f"Line {lines[i]}, column {_quote(class_names[k])} holds {scores[i, k]:g}"
            + (f" ({count:,} values in all are not finite numbers)." if count > 1 else "."),
            "Every probability or logit must be a finite number: fill in that value or delete the row (a "
            "model whose outputs are NaN or inf has usually diverged).",
        )
    labels, label_format, ambiguous = _label_indices(label_texts, class_names, lines)

    outside_mask = (scores < 0) | (scores > 1)
    outside = int(outside_mask.sum())
    first_outside = None
    if outside:
        i, k = (int(v) for v in np.argwhere(outside_mask)[0])
        first_outside = (int(lines[i]), class_names[k], float(scores[i, k]))
    sums = scores.sum(axis=1)
    if (
        kind != "logits"
        and outside
        and scores.min() >= 0
        and np.all(np.abs(sums - 100) <= 100 * ROW_SUM_TOLERANCE)
    ):
        raise PredictionsError(
            "The numbers look like percentages: every row sums to 100.",
            "Divide them by 100 (probabilities lie between 0 and 1), or read them as logits if that is what "
            "they are.",
        )
    if kind == "probabilities" and outside:
        line, name, value = first_outside
        raise PredictionsError(
            f"Probabilities lie between 0 and 1, but line {line}, column {_quote(name)} holds {value:g}"
            + (f" ({outside:,} numbers in all are outside [0, 1])." if outside > 1 else "."),
            "If the numbers are logits (scores before softmax, any sign and size), read them as logits.",
        )
    read_as = "logits" if kind == "logits" or (kind == "auto" and outside) else "probabilities"

    max_row_error, worst_line, rows_renormalised = 0.0, None, 0
    if read_as == "logits":
        log_probs = log_softmax(scores, axis=1)
    else:
        error = np.abs(sums - 1)
        worst = int(np.argmax(error))
        max_row_error, worst_line = float(error[worst]), int(lines[worst])
        off = error > ROW_SUM_TOLERANCE + 1e-12  # 0.33 + 0.33 + 0.33 is within 0.01
        if off.any() and not renormalise:
            raise RowSumError(int(off.sum()), len(sums), worst_line, float(sums[worst]))
        if (sums == 0).any():
            line = int(lines[int(np.argmax(sums == 0))])
            raise PredictionsError(
                f"Every probability on line {line} is 0, so that row cannot be renormalised.",
                "Give the row at least one positive probability, or delete it.",
            )
        rows_renormalised = int(off.sum())
        probs = scores / sums[:, None]
        with np.errstate(divide="ignore"):
            log_probs = np.log(probs)
    return Predictions(
        class_names=class_names,
        labels=labels,
        log_probs=log_probs,
        lines=lines,
        ids=ids,
        kind=read_as,
        detected=kind == "auto",
        outside=outside,
        first_outside=first_outside,
        label_format=label_format,
        labels_ambiguous=ambiguous,
        max_row_error=max_row_error,
        worst_row_line=worst_line,
        rows_renormalised=rows_renormalised,
        delimiter=delimiter,
        label_column=columns.all_names[columns.label],
    )


# ------------------------------------------------------------------------------------------ the example
def example_predictions() -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """The example data: a small network's logits on held-out digits, with the true digits.

    The network is the calibration lab's at its defaults (:func:`core.calibration.train_calibration_run`
    with :data:`core.defaults.CALIBRATION_WIDTH` hidden units, :data:`~core.defaults.CALIBRATION_SMOOTHING`
    label smoothing, :data:`~core.defaults.CALIBRATION_EPOCH` epochs on 360 training digits); the examples
    are its 1,078 test digits.  Deterministic.

    Returns
    -------
    class_names : tuple of str
        ``("0", "1", …, "9")``.
    logits : ndarray ``(1078, 10)``
    labels : ndarray of int ``(1078,)``
    """
    run = train_calibration_run(CALIBRATION_WIDTH, CALIBRATION_SMOOTHING, [CALIBRATION_EPOCH])
    names = tuple(str(d) for d in range(10))
    return names, run.snapshots[CALIBRATION_EPOCH]["test"], run.labels["test"]


def example_csv(kind: str = "probabilities") -> str:
    """The example data (:func:`example_predictions`) as a CSV in the page's format.

    Header ``label,0,1,…,9``; each row the true digit, then the ten probabilities written with 6
    significant digits (so a tiny probability stays positive) or the ten logits with 4 decimals.

    Parameters
    ----------
    kind : {"probabilities", "logits"}, default "probabilities"

    Returns
    -------
    str
        The CSV text, lines ending in ``\\n``.
    """
    if kind not in EXAMPLE_KINDS:
        raise ValueError(f"kind must be 'probabilities' or 'logits'; got {kind!r}")
    names, logits, labels = example_predictions()
    values = softmax(logits, axis=1) if kind == "probabilities" else logits
    cell = "{:.6g}" if kind == "probabilities" else "{:.4f}"
    out = io.StringIO()
    out.write("label," + ",".join(names) + "\n")
    for label, row in zip(labels, values, strict=True):
        out.write(f"{int(label)}," + ",".join(cell.format(v) for v in row) + "\n")
    return out.getvalue()
