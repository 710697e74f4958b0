"""Independent page sections that rerun on their own (``st.fragment``), each guarded by ``safe_page``,
and tabs that draw only the open one.

A page made of several self-contained demos (the Numerical pitfalls page) wraps each demo in
``@safe_fragment``: moving one of its widgets reruns only that demo, so the page stays instant under
the slider however many charts the other demos draw, and an unexpected error still shows the friendly
message of :func:`ui.common.safe_page` instead of a traceback.

A page whose one control moves many charts puts its sections in :func:`open_tab`: only the open tab's
section is computed and sent, so a slider move costs the server (and the browser's redraw) one section,
not all of them; every number stays one click away, and the open tab is part of the link.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import streamlit as st

from ui.common import safe_page

if TYPE_CHECKING:
    from streamlit.delta_generator import DeltaGenerator


def safe_fragment(func: Callable[..., None]) -> Callable[..., None]:
    """Decorate a section-drawing function: ``st.fragment`` around ``safe_page``.

    Arguments are passed through; a rerun of the fragment alone gets those of the run that drew it last
    (Streamlit keeps them), e.g. the slots (``st.empty()``) it writes its numbers into.  A fragment that
    writes into slots drawn outside it must not run inside another fragment: in Streamlit 1.67 the outer
    fragment's rerun drops what the inner one wrote there (tested in the browser: the slot stays empty).
    """

    @functools.wraps(func)
    def guarded(*args, **kwargs) -> None:
        with safe_page():
            func(*args, **kwargs)

    return st.fragment(guarded)


def open_tab(labels: Sequence[str], *, key: str) -> tuple[int, DeltaGenerator]:
    """Draw tabs bound to the URL (parameter ``key``, value the label); return the open tab and its panel.

    Only the open tab's panel is meant to be filled: Streamlit's tabs then track which one is open
    (``bind="query-params"``), and switching tabs reruns the script (only the fragment, inside one), which
    draws the newly opened panel.  The first tab is open by default.

    Returns
    -------
    index : int
        The position of the open tab in ``labels``.
    panel : DeltaGenerator
        Its container: draw the section ``with panel:``.
    """
    tabs = st.tabs(list(labels), key=key, bind="query-params")
    index = next((i for i, tab in enumerate(tabs) if tab.open), 0)
    return index, tabs[index]


def metric_row(slot: DeltaGenerator | None = None) -> DeltaGenerator:
    """A row for a few ``st.metric`` side by side: ``row = metric_row(); row.metric(...)``.

    One horizontal container, where ``st.columns(n)`` sends a row and n columns: on a page that reruns on
    every slider move, each element sent is server work (and the metrics wrap on a narrow screen too).
    ``slot``: where to draw the row (e.g. an ``st.empty()`` a fragment fills); by default, here.
    """
    return (st if slot is None else slot).container(horizontal=True, gap="medium")
