"""Text a visitor supplied (an uploaded file's class names, a message quoting it), made safe to show.

A visitor's text is shown as the characters they wrote, never interpreted:

- :func:`markdown_literal` for Markdown (``st.markdown``, ``st.error``, ...): every ASCII punctuation
  character gets a backslash, so ``<b>``, ``*``, ``$…$``, ``:red[…]``, ``[link](…)`` and ``# heading``
  read as typed.  (Streamlit escapes raw HTML in Markdown anyway; the app never sets
  ``unsafe_allow_html``.)  Line breaks become spaces.
- :func:`plotly_literal` for Plotly labels (tick labels, legend and hover text), which understand a few
  HTML tags (``<b>``, ``<br>``, ``<a href>``) and entities: ``&``, ``<`` and ``>`` become entities.

Tables (``st.dataframe``) and ``st.code`` show text as it is and need neither.
"""

from __future__ import annotations

import html
import re

__all__ = ["markdown_literal", "plotly_literal"]

_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character


def markdown_literal(text: str) -> str:
    r"""``text`` for Markdown, shown exactly as written: punctuation escaped, line breaks as spaces.

    >>> markdown_literal("<b>x</b> *y* $z$")
    '\\<b\\>x\\<\\/b\\> \\*y\\* \\$z\\$'
    >>> markdown_literal("a\nb")
    'a b'
    """
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(text.splitlines()))


def plotly_literal(text: str) -> str:
    """``text`` for a Plotly label, shown exactly as written (``&``, ``<``, ``>`` as entities).

    >>> plotly_literal("<b>Dog</b> & Cat")
    '&lt;b&gt;Dog&lt;/b&gt; &amp; Cat'
    """
    return html.escape(text, quote=False)
