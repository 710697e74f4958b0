"""Small Streamlit helpers shared by every page.

- ``units()``: the loss unit chosen in the sidebar ("nats" or "bits").
- ``show_figure(fig, key=..., alt=...)``: draw a Plotly figure the same way everywhere.
- ``show_shared_figure(build, share=..., key=..., alt=...)``: the same for a figure every session with the
  same ``share`` sees alike: built and prepared once per server process, kept in a bounded LRU.
- ``show_table(columns, index=...)``: ``st.table`` of a small table, converted for the browser once per
  server process for each content; ``show_dataframe(columns, ...)`` the same for ``st.dataframe``.
- ``process_cache(maxsize)``: a page function's results kept per process (a cheap ``st.cache_data``).
- ``safe_page()``: a guard that turns an unexpected error into a friendly message.
- ``leave_legacy_pages_mode()``: keep a deep link to a cold server inside ``app.py``'s frame.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

import streamlit as st

if TYPE_CHECKING:  # plotly is imported by core.figures; pages only pass figures through
    import plotly.graph_objects as go

_LOG = logging.getLogger(__name__)

UNITS: tuple[str, ...] = ("nats", "bits")
UNITS_KEY = "units"  # session-state key (and widget key) of the sidebar's unit choice

# Set to 1 (the test suite does) to let page errors propagate, so AppTest reports them
# as exceptions instead of the friendly message a visitor sees.
RAISE_ERRORS_ENV = "EXPLORER_RAISE_PAGE_ERRORS"

# Plotly's mode bar without the Plotly logo; its camera button saves a PNG at twice the screen's
# resolution (sharp on a slide), named after the chart.
PLOTLY_CONFIG: dict[str, object] = {"displaylogo": False}
PNG_SCALE = 2

# show_shared_figure's figures per process: (the figure, the figure as shown), least recently used first.
# A decision-region or training-curve figure is 20 to 60 KB, so the cache stays under about 15 MB.
MAX_SHARED_FIGURES = 256
_shared: OrderedDict[Hashable, tuple] = OrderedDict()
_shared_lock = threading.Lock()

# show_table's converted tables per process (a few KB each).
MAX_SHARED_TABLES = 512

FRIENDLY_ERROR = (
    "Sorry, this part of the page could not be drawn. Try other settings, or reload the page. "
    "The details were written to the server log."
)


_memos: dict[str, OrderedDict] = {}  # process_cache's caches: function's file:qualname -> LRU of results
_memos_lock = threading.Lock()


def process_cache(maxsize: int = 256) -> Callable[[Callable], Callable]:
    """Decorate a page's pure function: its results are kept for the whole process, shared by every session.

    ``functools.lru_cache`` for a function that a page defines: the page's file runs anew on every rerun,
    so its functions are new objects each time and an ``lru_cache`` of theirs would start empty.  Here the
    cache belongs to the function's file and qualified name, like ``st.cache_data``'s, but a hit costs a
    dict look-up (about a microsecond) instead of hashing the arguments' values (tenths of a millisecond),
    which counts on a slider's fragment that a lecture hall reruns a hundred times a second.

    The arguments must be hashable (numbers, strings, tuples) and the results never written to (they are
    shared): a JSON text, numbers, tuples.  At most ``maxsize`` results per function, least recently used
    dropped first.

    Examples
    --------
    >>> calls = []
    >>> @process_cache(maxsize=2)
    ... def square(x):
    ...     calls.append(x)
    ...     return x * x
    >>> square(3), square(3), calls
    (9, 9, [3])
    """

    def decorate(func: Callable) -> Callable:
        # A page's functions all live in module "__main__" (Streamlit runs each page file as a script), so
        # the file names the cache too: two pages may each have a ``_scrub``.
        name = f"{func.__code__.co_filename}:{func.__qualname__}"

        @functools.wraps(func)
        def cached(*args):
            with _memos_lock:
                memo = _memos.setdefault(name, OrderedDict())
                if args in memo:
                    memo.move_to_end(args)
                    return memo[args]
            result = func(*args)
            with _memos_lock:
                memo[args] = result
                while len(memo) > maxsize:
                    memo.popitem(last=False)
            return result

        return cached

    return decorate


def units_radio() -> str:
    """Draw the shared "Units" choice in the sidebar (``app.py`` calls this once per run)."""
    return st.sidebar.radio(
        "Units",
        UNITS,
        index=0,
        key=UNITS_KEY,
        bind="query-params",
        horizontal=True,
        help="Nats use the natural logarithm; bits use log base 2 (1 bit = ln 2 nats).",
    )


def units() -> str:
    """Return the loss unit chosen in the sidebar: ``"nats"`` (the default) or ``"bits"``."""
    return st.session_state.get(UNITS_KEY, UNITS[0])


def screen() -> tuple[bool, bool]:
    """(presenter mode, dark theme) of this session."""
    from ui.frame import presenter

    return presenter(), getattr(st.context.theme, "type", None) == "dark"


def show_figure(fig: go.Figure, *, key: str, alt: str, export: bool = True) -> None:
    """Draw a Plotly figure at the container's width, adapted to presenter mode and the theme.

    Parameters
    ----------
    fig : plotly.graph_objects.Figure
        Built by ``core.figures``.
    key : str
        A stable element key, unique on the page; also names the PNG and CSV files.
    alt : str
        What the chart shows, in one sentence, for screen readers. Streamlit 1.67's
        ``st.plotly_chart`` takes it as its accessible name (``alt=``). Required: an
        empty ``alt`` is a ``ValueError``.
    export : bool, default True
        Offer the numbers behind the chart as a CSV download under it (not in presenter mode).
        The CSV is built only when the button is pressed.
    """
    from core.figures.output import adapt  # plotly on first use, not on importing ui.common

    _check_alt(alt)
    projector, dark = screen()
    shown = adapt(fig, projector=projector, dark=dark) if projector or dark else fig
    _draw(fig, shown, key=key, alt=alt, export=export and not projector)


def show_shared_figure(
    build: Callable[[], go.Figure], *, share: Hashable, key: str, alt: str, export: bool = True
) -> None:
    """:func:`show_figure` for a figure that is the same for every session with the same ``share``.

    A page whose figures depend only on its settings (not on the session) draws them through this: the
    figure is built, adapted to presenter mode and the theme and its arrays converted for plotly.js
    (:meth:`core.figures.engine.SpecFigure.typed`) once per server process, and served to every other
    session from an LRU of :data:`MAX_SHARED_FIGURES` figures (a cached figure is never written to:
    ``to_dict()`` hands out copies).  A lecture hall on one setting then costs one build, not one a
    student.

    Parameters
    ----------
    build : callable
        Returns the figure (built by ``core.figures``); called only when the cache has none for ``share``.
    share : hashable
        Everything the figure depends on (settings, epoch, labels, unit, ...).  Two calls with equal
        ``share`` and ``key`` must build equal figures.
    key, alt, export
        As for :func:`show_figure`.
    """
    from core.figures.engine import SpecFigure
    from core.figures.output import adapt

    _check_alt(alt)
    projector, dark = screen()
    cache_key = (key, share, projector, dark)
    with _shared_lock:
        found = _shared.get(cache_key)
        if found is not None:
            _shared.move_to_end(cache_key)
    if found is None:
        fig = build()
        if projector or dark:
            shown = adapt(fig, projector=projector, dark=dark)
        else:
            shown = fig.typed() if isinstance(fig, SpecFigure) else fig
        found = (fig, shown)
        with _shared_lock:
            _shared[cache_key] = found
            while len(_shared) > MAX_SHARED_FIGURES:
                _shared.popitem(last=False)
    _draw(found[0], found[1], key=key, alt=alt, export=export and not projector)


def show_table(columns: Mapping[str, Sequence], *, index: str | Sequence[str]) -> None:
    """``st.table`` of ``columns`` (name -> cells), its rows labelled by ``index``.

    The same as ``st.table(pd.DataFrame(columns).set_index(index))``, but the table is built and
    converted to Arrow (what the browser reads) once per server process for each content and served from
    an LRU of :data:`MAX_SHARED_TABLES` after that: for a three-row table pandas and the conversion cost
    more than the rest of a section's rerun, and a lecture hall moving one slider shows the same tables.

    Parameters
    ----------
    columns : mapping of str to sequence
        Each column's cells, all of the same length; cells are strings or numbers (hashable).
    index : str or sequence of str
        The name of the column whose cells label the rows, or the row labels themselves.

    Examples
    --------
    >>> _arrow_table(((("k", ("a", "b")), ("v", ("1", "2"))), "k")).column_names
    ['v', 'k']
    """
    content = tuple((str(name), tuple(cells)) for name, cells in columns.items())
    key = (content, index if isinstance(index, str) else tuple(index))
    st.table(_arrow_table(key), hide_index=False)  # a given hide_index spares st.table a pandas round trip


@functools.lru_cache(maxsize=MAX_SHARED_TABLES)
def _arrow_table(key: tuple):
    """The pyarrow table (with pandas' index metadata, which the browser shows as row labels) of a key."""
    import pandas as pd
    import pyarrow as pa

    content, index = key
    frame = pd.DataFrame({name: list(cells) for name, cells in content})
    frame = frame.set_index(index) if isinstance(index, str) else frame.set_axis(list(index))
    return pa.Table.from_pandas(frame)


def show_dataframe(columns: Mapping[str, Sequence], **options) -> None:
    """``st.dataframe`` of ``columns`` (name -> cells), converted for the browser once per content.

    For a small table that moves with a slider: the same as ``st.dataframe(pd.DataFrame(columns), ...)``,
    without pandas, and the Arrow table (what the browser reads) is served from an LRU of
    :data:`MAX_SHARED_TABLES` after its first build.  ``options`` go to ``st.dataframe`` as they are
    (``hide_index``, ``column_config``, ``key``, ...).

    Examples
    --------
    >>> _arrow_columns((("loss", ("CE", "MSE")), ("value", (0.5, 0.25)))).column_names
    ['loss', 'value']
    """
    content = tuple((str(name), tuple(cells)) for name, cells in columns.items())
    st.dataframe(_arrow_columns(content), **options)


@functools.lru_cache(maxsize=MAX_SHARED_TABLES)
def _arrow_columns(content: tuple):
    """The pyarrow table of ``((name, cells), ...)``, columns in that order, no index."""
    import pyarrow as pa

    return pa.table({name: list(cells) for name, cells in content})


def _check_alt(alt: str) -> None:
    if not alt or not alt.strip():
        raise ValueError(f"alt must describe the chart for screen readers; got {alt!r}")


def _draw(fig: go.Figure, shown: go.Figure, *, key: str, alt: str, export: bool) -> None:
    """``shown`` as a chart, and the CSV of ``fig`` (the figure as built) under it if ``export``."""
    config = {**PLOTLY_CONFIG, "toImageButtonOptions": {"format": "png", "filename": key, "scale": PNG_SCALE}}
    st.plotly_chart(shown, width="stretch", key=key, config=config, alt=alt.strip())
    if export:
        csv_button(lambda: fig, key=key)


def csv_button(figure: Callable[[], go.Figure], *, key: str) -> None:
    """The "Numbers behind this chart (CSV)" button of the chart drawn with ``key``.

    ``figure()`` is called, and the CSV built, only when the button is pressed (and not in presenter
    mode's charts, which offer no CSV): it returns the figure as built, before presenter or theme styling.
    """
    from core.figures.output import figure_csv

    st.download_button(
        "Numbers behind this chart (CSV)",
        data=lambda: figure_csv(figure()),
        file_name=f"{key}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
        type="tertiary",
        icon=":material/download:",
    )


@contextmanager
def safe_page() -> Iterator[None]:
    """Show a friendly ``st.error`` instead of a traceback if the body raises.

    ``app.py`` wraps every page in it; a page may also wrap one risky part so the rest
    still draws::

        with safe_page():
            draw_the_chart()

    ``st.rerun()``, ``st.stop()`` and ``st.switch_page()`` pass through: they raise
    ``BaseException`` subclasses, which ``except Exception`` does not catch.
    """
    try:
        yield
    except Exception:
        if os.environ.get(RAISE_ERRORS_ENV) == "1":
            raise
        _LOG.exception("Unexpected error while drawing a page")
        st.error(FRIENDLY_ERROR, icon=":material/error:")


def leave_legacy_pages_mode() -> None:
    """Make sure the page runs inside ``app.py``'s frame, also for a deep link to a cold server.

    Streamlit 1.67 keeps a process-wide flag (``PagesManager.uses_pages_directory``) that is True
    when a ``pages/`` folder sits next to the main script, until the first call of
    ``st.navigation`` turns it off.  While it is on, a request runs the page file *without*
    ``app.py`` (no shared sidebar, no page config).  That happens when the first request after the
    server starts is a deep link: on Community Cloud, a shared link that wakes a sleeping app.
    So a page that finds the flag on turns it off and reruns, and the rerun goes through ``app.py``.
    Pinned Streamlit plus ``tests/e2e`` (a deep link as the very first request) guard this
    private attribute.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
