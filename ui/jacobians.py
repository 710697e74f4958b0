"""Text for the gradient pages (Softmax gradient, Vectorized identities): numbers in LaTeX and tables.

Pure string helpers, no Streamlit and no math: the numbers come from ``core``; these only write them.
"""

from __future__ import annotations

import math

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def sub(index: int) -> str:
    """Unicode subscript digits: ``sub(12) == "₁₂"``."""
    return str(index).translate(_SUBSCRIPTS)


def tex_num(value: float, digits: int = 3, *, sign: bool = False) -> str:
    """A number for ``st.latex``: ``0.891``, ``-0.109``, ``+0.060`` (``sign=True``), ``3.40 \\times 10^{-7}``.

    Fixed-point with ``digits`` decimals for 10^-digits <= |value| < 10^5 (and for 0); otherwise a
    mantissa with ``digits - 1`` decimals times a power of ten, so tiny and huge values stay readable.
    """
    if value == 0:
        return f"{0:.{digits}f}"
    prefix = "+" if sign and value > 0 else ""
    if 10**-digits <= abs(value) < 1e5:
        return prefix + f"{value:.{digits}f}"
    mantissa, exponent = f"{value:.{max(digits - 1, 0)}e}".split("e")
    return prefix + rf"{mantissa} \times 10^{{{int(exponent)}}}"


def plain_num(value: float, digits: int = 3) -> str:
    """A signed number for tables and captions, with a true minus: ``+0.060``, ``−0.109``, ``−3.4e−7``."""
    if value == 0:
        return f"{0:.{digits}f}"
    sign = "+" if value > 0 else "−"
    if 10**-digits <= abs(value) < 1e5:
        return sign + f"{abs(value):.{digits}f}"
    mantissa, exponent = f"{abs(value):.{max(digits - 1, 0)}e}".split("e")
    power = int(exponent)
    return f"{sign}{mantissa}e{'−' if power < 0 else ''}{abs(power)}"


def sci(value: float, digits: int = 1) -> str:
    """A small non-negative error in scientific notation: ``9.1e−11``; exactly 0 gives ``0``."""
    if value == 0:
        return "0"
    mantissa, exponent = f"{value:.{digits}e}".split("e")
    power = int(exponent)
    return f"{mantissa}e{'−' if power < 0 else ''}{abs(power)}"


def human_bytes(n_bytes: float) -> str:
    """Bytes in decimal units: ``800 B``, ``8.0 MB``, ``20.0 GB``."""
    if n_bytes < 1000:
        return f"{int(n_bytes)} B"
    units = ("kB", "MB", "GB", "TB", "PB")
    power = min(int(math.log10(n_bytes) // 3), len(units))
    return f"{n_bytes / 1000**power:.1f} {units[power - 1]}"
