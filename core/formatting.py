"""Numbers as text: the one place the app turns a number into the characters a student reads.

Every figure label, sentence, table cell and LaTeX snippet formats its numbers with these helpers, so a
minus sign, a power of ten or a percentage looks the same on every page.  The rules:

- A true minus sign (U+2212 "−"), never a hyphen, in text a student reads (LaTeX gets ASCII "-").
- A value that rounds to zero is written without a sign: ``0.000``, never ``−0.000``.
- A signed number always carries its sign, so the sign never depends on colour.
- Very small or very large values switch to a power of ten where a fixed-point field would show 0.

Pure string functions: no numpy, no Streamlit.
"""

from __future__ import annotations

import math

MINUS = "−"
_SUBSCRIPTS = str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋")
_FROM_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉₋", "0123456789-")
_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")

__all__ = [
    "MINUS",
    "compact",
    "count",
    "from_subscript",
    "human_bytes",
    "number",
    "percent",
    "scientific",
    "signed",
    "significant",
    "subscript",
    "superscript",
    "tex_number",
    "times_ten",
]


def subscript(k: int) -> str:
    """Unicode subscript digits, for indices in plain text.

    >>> subscript(12), subscript(0)
    ('₁₂', '₀')
    """
    return str(k).translate(_SUBSCRIPTS)


def from_subscript(text: str) -> str:
    """Unicode subscript digits (and minus) back to plain ones: the inverse of :func:`subscript`.

    Other characters are kept.

    >>> from_subscript("₁₂"), from_subscript("H₂")
    ('12', 'H2')
    """
    return text.translate(_FROM_SUBSCRIPTS)


def superscript(k: int) -> str:
    """Unicode superscript digits (and minus), for powers in plain text.

    >>> superscript(10), superscript(-7)
    ('¹⁰', '⁻⁷')
    """
    return str(k).translate(_SUPERSCRIPTS)


def _is_zero_at(value: float, digits: int) -> bool:
    return float(f"{abs(value):.{digits}f}") == 0


def number(value: float, digits: int = 4) -> str:
    """Fixed point with ``digits`` decimals and a true minus; no sign on a value that rounds to 0.

    >>> number(0.69314718), number(-0.109), number(-1e-9, 3)
    ('0.6931', '−0.1090', '0.000')
    """
    text = f"{abs(value):.{digits}f}"
    return MINUS + text if value < 0 and not _is_zero_at(value, digits) else text


def significant(value: float, digits: int = 6) -> str:
    """``digits`` significant digits with a true minus; NaN and inf spelled out (``NaN``, ``+inf``, ``−inf``).

    >>> significant(0.693147180559), significant(-1234567.0, 3), significant(float("-inf"))
    ('0.693147', '−1.23e+06', '−inf')
    """
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+inf" if value > 0 else MINUS + "inf"
    return f"{value:.{digits}g}".replace("-", MINUS, 1) if value < 0 else f"{value:.{digits}g}"


def signed(value: float, digits: int = 3) -> str:
    """Fixed point with an explicit sign, so the sign never depends on colour; ``0.000`` carries none.

    >>> signed(-0.1091), signed(0.06), signed(-0.0001)
    ('−0.109', '+0.060', '0.000')
    """
    if _is_zero_at(value, digits):
        return f"{0:.{digits}f}"
    return ("+" if value > 0 else MINUS) + f"{abs(value):.{digits}f}"


def scientific(value: float, digits: int = 1, *, sign: bool = False) -> str:
    """Mantissa ``e`` exponent with true minus signs: ``9.1e−11``; exactly 0 gives ``0``.

    ``sign=True`` writes ``+`` before a positive value.

    >>> scientific(9.12e-11), scientific(-3.4e-7, 2, sign=True), scientific(12345.0, sign=True)
    ('9.1e−11', '−3.40e−7', '+1.2e4')
    """
    if value == 0:
        return "0"
    mantissa, exponent = f"{abs(value):.{digits}e}".split("e")
    power = int(exponent)
    text = f"{mantissa}e{MINUS if power < 0 else ''}{abs(power)}"
    if value < 0:
        return MINUS + text
    return "+" + text if sign else text


def compact(value: float, digits: int = 3) -> str:
    """A signed number for tables and captions: fixed point while it reads well, else :func:`scientific`.

    Fixed point for 10^-digits <= |value| < 10^5; outside that a mantissa with ``digits - 1`` decimals.

    >>> compact(0.06), compact(-0.109), compact(-3.4e-7), compact(0.0)
    ('+0.060', '−0.109', '−3.40e−7', '0.000')
    """
    if value == 0:
        return f"{0:.{digits}f}"
    if 10**-digits <= abs(value) < 1e5:
        return signed(value, digits)
    return scientific(value, max(digits - 1, 0), sign=True)


def times_ten(value: float, digits: int = 1, *, fixed_between: tuple[float, float] | None = None) -> str:
    """``6.5 × 10⁻¹³``: a mantissa times a power of ten with superscript digits; 0 gives ``0``.

    With ``fixed_between=(low, high)``, values with low <= |value| < high are written in fixed point
    (:func:`number` with four decimals) instead.

    >>> times_ten(6.5e-13), times_ten(-1e10, 2), times_ten(0.5, fixed_between=(1e-3, 1e4))
    ('6.5 × 10⁻¹³', '−1.00 × 10¹⁰', '0.5000')
    """
    if value == 0:
        return "0"
    if fixed_between is not None and fixed_between[0] <= abs(value) < fixed_between[1]:
        return number(value, 4)
    mantissa, exponent = f"{abs(value):.{digits}e}".split("e")
    return f"{MINUS if value < 0 else ''}{mantissa} × 10{superscript(int(exponent))}"


def count(value: float) -> str:
    """A large count: digits with thousands separators below 10 000, else ``2.5·10⁹``.

    >>> count(9999), count(2.5e9), count(3e6)
    ('9,999', '2.5·10⁹', '3·10⁶')
    """
    if value < 10_000:
        return f"{value:,.0f}"
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa.removesuffix('.0')}·10{superscript(int(exponent))}"


def percent(p: float, digits: int = 1, *, space: bool = False) -> str:
    """A probability as a percentage: ``35.7%`` (``space=True``: ``35.7 %``).

    >>> percent(0.357), percent(0.5, 0, space=True)
    ('35.7%', '50 %')
    """
    return f"{100 * p:.{digits}f}{' ' if space else ''}%"


def tex_number(value: float, digits: int = 3, *, sign: bool = False) -> str:
    r"""A number for ``st.latex``: ``0.891``, ``-0.109``, ``+0.060`` (``sign=True``), ``3.40 \times 10^{-7}``.

    Fixed point with ``digits`` decimals for 10^-digits <= |value| < 10^5 (and for 0); otherwise a
    mantissa with ``digits - 1`` decimals times a power of ten, so tiny and huge values stay readable.

    >>> tex_number(0.8909), tex_number(0.06, sign=True), tex_number(-3.4e-7)
    ('0.891', '+0.060', '-3.40 \\times 10^{-7}')
    """
    if value == 0:
        return f"{0:.{digits}f}"
    prefix = "+" if sign and value > 0 else ""
    if 10**-digits <= abs(value) < 1e5:
        return prefix + f"{value:.{digits}f}"
    mantissa, exponent = f"{value:.{max(digits - 1, 0)}e}".split("e")
    return prefix + rf"{mantissa} \times 10^{{{int(exponent)}}}"


def human_bytes(n_bytes: float) -> str:
    """Bytes in decimal units: ``800 B``, ``8.0 MB``, ``20.0 GB``.

    >>> human_bytes(800), human_bytes(8e6), human_bytes(2e10)
    ('800 B', '8.0 MB', '20.0 GB')
    """
    if n_bytes < 1000:
        return f"{int(n_bytes)} B"
    units = ("kB", "MB", "GB", "TB", "PB")
    power = min(int(math.log10(n_bytes) // 3), len(units))
    return f"{n_bytes / 1000**power:.1f} {units[power - 1]}"
