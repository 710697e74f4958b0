"""Bad CSV files of predictions, shared by the tests of core.predictions, the page and the browser.

Each entry: (id, data, kind, a regular expression the message of ``core.predictions.parse_predictions``
must match).  ``kind`` is what the page's *The numbers are* is set to ("auto" is its default).
"""

from core.predictions import MAX_BYTES, MAX_ROWS

__all__ = ["BAD_INPUTS", "TOO_MANY_ROWS"]

BAD_INPUTS = [
    ("empty", b"", "auto", r"^The CSV is empty\. Give a header line"),
    ("only-blank-lines", b"\n  \n\t\n", "auto", r"^The CSV is empty\."),
    ("only-separators", b",,,\n ,\n", "auto", r"^The CSV holds no values, only separators"),
    ("binary-garbage", bytes(range(256)) * 4, "auto", r"^This is a binary file, not CSV text: .*byte 0\)"),
    ("binary-nul-later", b"label,a,b\n0,0.5\x00,0.5\n", "auto", r"zero bytes \(the first at byte 15\)"),
    ("excel-workbook", b"PK\x03\x04\x14\x00\x06\x00", "auto", r"^This is a ZIP archive .*Excel .*Save As"),
    ("old-excel", b"\xd0\xcf\x11\xe0\xa1\xb1", "auto", r"old Excel \.xls workbook"),
    ("gzip", b"\x1f\x8b\x08\x00", "auto", r"gzip-compressed"),
    ("pdf", b"%PDF-1.7\n", "auto", r"a PDF document"),
    (
        "not-utf8",
        "label,Café,Thé\n0,0.5,0.5\n".encode("latin-1"),
        "auto",
        r"not UTF-8 text: byte 0xE9 on line 1",
    ),
    ("utf16", "label,a,b\n0,0.5,0.5\n".encode("utf-16"), "auto", r"^The CSV is UTF-16 text"),
    ("nul-in-text", "label,a,b\n0,0.5,\x000.5\n", "auto", r"binary data, not CSV text"),
    (
        "one-column",
        b"label\n0\n1\n",
        "auto",
        r"^The header has only one column, .label.\. Give one label column",
    ),
    (
        "no-label-column",
        b"truth,a,b\n0,0.5,0.5\n",
        "auto",
        r"^No column is named label\. The header reads “truth”",
    ),
    ("two-label-columns", b"label,target,a,b\n0,0,0.5,0.5\n", "auto", r"“label” and “target”"),
    (
        "unnamed-index-column",
        b",label,a,b\n0,0,0.5,0.5\n",
        "auto",
        r"^Column 1 of the header has no name\..*index=False",
    ),
    (
        "trailing-separator",
        b"label,a,b,\n0,0.5,0.5,\n",
        "auto",
        r"^Column 4 .*separator at the end of the header",
    ),
    ("one-class-column", b"label,p\n0,0.3\n", "auto", r"only one class column, “p”.*1 − p and p"),
    ("no-class-column", b"id,label\n7,0\n", "auto", r"label and id the header has no class columns"),
    ("duplicate-class", b"label,Cat,Cat\n0,0.5,0.5\n", "auto", r"^Columns 2 and 3 are both named “Cat”"),
    ("two-id-columns", b"id,label,ID,a,b\n1,0,1,0.5,0.5\n", "auto", r"^Columns 1 and 3 are both named id"),
    ("control-char-name", b'label,"Ca\nt",Dog\n0,0.5,0.5\n', "auto", r"“Ca\\nt”, holds a line break"),
    ("long-name", b"label," + b"x" * 41 + b",b\n0,0.5,0.5\n", "auto", r"is 41 characters long .* at most 40"),
    ("header-only", b"label,Cat,Dog\n", "auto", r"^The CSV has a header but no rows"),
    ("header-only-blank-after", b"label,Cat,Dog\n\n\n", "auto", r"header but no rows"),
    (
        "too-few-values",
        b"label,a,b\n0,0.5,0.5\n1,0.5\n",
        "auto",
        r"^Line 3 has 2 values, but the header has 3",
    ),
    ("too-many-values", b"label,a,b\n0,0.5,0.5,0.1\n", "auto", r"^Line 2 has 4 values"),
    ("missing-label", b"label,a,b\n0,0.5,0.5\n ,0.5,0.5\n", "auto", r"^Line 3 has no label\."),
    (
        "not-a-number",
        b"label,a,b\n0,0.5,abc\n",
        "auto",
        r"^Line 2, column “b” holds “abc”, which is not a number",
    ),
    ("empty-number", b"label,a,b\n0,,0.5\n", "auto", r"^Line 2, column “a” is empty\. Fill in"),
    ("percent-sign", b"label,a,b\n0,40%,60%\n", "auto", r"holds “40%”.*without a percent sign"),
    ("decimal-comma", b"label;a;b\n0;0,4;0,6\n", "auto", r"holds “0,4”.*decimal separator"),
    ("unicode-minus", "label,a,b\n0,\u22121.5,2\n".encode(), "auto", r"plain hyphen-minus"),
    ("nan", b"label,a,b\n0,0.5,0.5\n1,nan,0.5\n", "auto", r"^Line 3, column “a” holds nan\. Every .* finite"),
    ("inf", b"label,a,b\n0,inf,0.5\n1,0.5,-inf\n", "logits", r"holds inf \(2 values in all are not finite"),
    (
        "unknown-label-name",
        b"label,Cat,Dog\nCat,0.5,0.5\nCow,0.5,0.5\n",
        "auto",
        r"^Line 3: .*“Cow” is neither a class name \(“Cat”, “Dog”\) nor a class index \(0 to 1\)",
    ),
    (
        "label-out-of-range",
        b"label,a,b\n0,0.5,0.5\n2,0.5,0.5\n",
        "auto",
        r"^Line 3: the label “2” is out of range: .*0 to 1",
    ),
    ("negative-label", b"label,a,b\n-1,0.5,0.5\n", "auto", r"“-1” is out of range"),
    ("fractional-label", b"label,a,b\n0.5,0.5,0.5\n", "auto", r"“0\.5” is neither a class name"),
    (
        "names-mixed-with-indices",
        b"label,a,b\na,0.5,0.5\n1,0.5,0.5\n",
        "auto",
        r"“a” is a class name, but other labels are not \(e\.g\. “1”\)",
    ),
    (
        "probability-above-one",
        b"label,a,b\n0,1.5,-0.5\n",
        "probabilities",
        r"line 2, column “a” holds 1\.5 \(2 numbers in all are outside \[0, 1\]\)\..*logits",
    ),
    (
        "probability-below-zero",
        b"label,a,b\n0,0.5,0.5\n1,-0.1,1.1\n",
        "probabilities",
        r"line 3, column “a” holds -0\.1",
    ),
    (
        "percentages",
        b"label,a,b\n0,60,40\n1,25,75\n",
        "auto",
        r"^The numbers look like percentages: every row sums to 100\.",
    ),
    ("percentages-as-probabilities", b"label,a,b\n0,60,40\n", "probabilities", r"look like percentages"),
    (
        "rows-not-summing-to-one",
        b"label,a,b\n0,0.5,0.5\n1,0.5,0.9\n",
        "auto",
        r"1 of 2 rows are off by more than 0\.01: the worst, line 3, sums to 1\.4 \(off by 0\.4\)",
    ),
    (
        "unclosed-quote",
        b'label,a,b\n0,"0.5,0.5\n',
        "auto",
        r"^Line 2 cannot be read as CSV \(unexpected end of data\)\. Check the quotes",
    ),
    ("text-after-quote", b'label,a,b\n0,"0.5"x,0.5\n', "auto", r"^Line 2 cannot be read as CSV"),
    (
        "huge-field",
        b"label,a,b\n0," + b"1" * 200_000 + b",0.5\n",
        "auto",
        r"^Line 2 holds a value over 131,072 characters",
    ),
    (
        "too-many-bytes",
        b"label,a,b\n" + b"0" * MAX_BYTES,
        "auto",
        r"^The CSV is larger than 10 MB \(10,485,770 bytes\)",
    ),
]


#: One row more than the page reads (about 1 MB): the row limit's own message.
TOO_MANY_ROWS = b"label,a,b\n" + b"0,0.5,0.5\n" * (MAX_ROWS + 1)
