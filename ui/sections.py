"""Independent page sections that rerun on their own (``st.fragment``), each guarded by ``safe_page``.

A page made of several self-contained demos (the Numerical pitfalls page) wraps each demo in
``@safe_fragment``: moving one of its widgets reruns only that demo, so the page stays instant under
the slider however many charts the other demos draw, and an unexpected error still shows the friendly
message of :func:`ui.common.safe_page` instead of a traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import streamlit as st

from ui.common import safe_page


def safe_fragment(func: Callable[[], None]) -> Callable[[], None]:
    """Decorate a section-drawing function: ``st.fragment`` around ``safe_page``."""

    @functools.wraps(func)
    def guarded() -> None:
        with safe_page():
            func()

    return st.fragment(guarded)
