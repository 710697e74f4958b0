"""Display formulas a keyboard can scroll: ``ui/formula_scroll.js`` on every page.

``st.latex`` draws display math with KaTeX in a box that scrolls sideways (``overflow-x: auto``).  A
formula wider than its column makes that box a scrollable region, which a keyboard user can scroll only
if it takes the focus (WCAG 2.1.1; axe-core's rule "scrollable-region-focusable"); and KaTeX's glyph
rounding often makes a formula 1 to 3 px wider than a box it fits in, which shows a useless scroll bar.
The script gives a box that really scrolls ``tabindex="0"``, the role "region" and a name, and clips
the rounding's empty pixels of the others.  It writes no text into the page.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from ui.components import script_component

COMPONENT_NAME = "explorer_formula_scroll"
LABEL = "Formula, wider than the page: scroll sideways"  # the name of a formula box that scrolls
_JS_PATH = Path(__file__).with_name("formula_scroll.js")


def _component() -> Callable:
    return script_component(COMPONENT_NAME, _JS_PATH, isolate_styles=False)


def formula_scroll() -> None:
    """Mount the script (an empty element in the sidebar); call it once per run of the app."""
    with st.sidebar:
        _component()(key="formula-scroll", data={"label": LABEL}, height=0)
