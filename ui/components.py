"""The app's own scripts in the page: ``st.components.v2`` components, registered once per process.

Each script lives next to the module that mounts it (``ui/scrub.js`` beside ``ui/scrub.py``, ...), is
read from the app's own files and served with the page, never from a CDN.  :func:`script_component`
registers it with Streamlit on first use and hands every later call the same mount function.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import streamlit as st


@functools.cache
def script_component(name: str, script: Path, *, isolate_styles: bool = True) -> Callable:
    """The mount function of the component ``name`` whose JavaScript is the file ``script``.

    Parameters
    ----------
    name : str
        The component's name, unique in the app.
    script : pathlib.Path
        The ``.js`` file (an ES module whose default export Streamlit calls with the component's data).
    isolate_styles : bool, default True
        False mounts the component in the page's own document (no shadow root), for a script that must
        reach elements Streamlit draws (the menu, the formulas, the lesson panel).
    """
    js = script.read_text(encoding="utf-8")
    return st.components.v2.component(name, js=js, isolate_styles=isolate_styles)
