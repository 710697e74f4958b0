"""The figure engine: build plotly JSON as plain dicts, wrap it in a ``go.Figure`` only if it is used.

Every builder of :mod:`core.figures` fills a :class:`Draft` (plotly's JSON as dicts and lists, with
the bit of ``go.Figure``'s API the builders need) and returns it as a :class:`SpecFigure` through
:func:`figure_builder`.  ``st.plotly_chart`` needs nothing but the figure's ``to_dict()``, so a page
that only draws figures never builds plotly's object tree: that is the *fast path*.

Anything that uses the ``go.Figure`` API on a finished figure (``fig.update_yaxes(...)``,
``fig.layout``, ``fig.data``) builds the tree, about 5 ms per figure and rerun.  That stays correct,
but it is noticed: the figure records what left the fast path and where
(:attr:`SpecFigure.materialised_by`), the ``core.figures.engine`` logger writes a warning, and
:func:`fast_path_watch` collects every such event (the page tests use it).
"""

from __future__ import annotations

import base64
import copy
import functools
import logging
import os
import sys
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import _plotly_utils
import numpy as np
import plotly
import plotly.graph_objects as go
from _plotly_utils.basevalidators import is_homogeneous_array
from _plotly_utils.utils import plotlyjsShortTypes, to_typed_array_spec

VALIDATE_ENV = "EXPLORER_VALIDATE_FIGURES"  # "1": check every figure against plotly's schema (the tests do)

_LOG = logging.getLogger(__name__)
_ROOT = Path(__file__).resolve().parents[2]
_PLOTLY_DIRS = tuple(str(Path(module.__file__).parent) + os.sep for module in (plotly, _plotly_utils))
_watchers: list[list[str]] = []  # one list per open fast_path_watch(); SpecFigure._build appends to each
_watchers_lock = threading.Lock()


def _merge(target: dict, update: dict) -> dict:
    """Merge ``update`` into ``target`` as plotly does: dicts recursively, other values replaced."""
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value
    return target


def _magic(props: dict) -> dict:
    """Plotly's "magic underscores": ``{"title_text": "t"}`` becomes ``{"title": {"text": "t"}}``."""
    out: dict = {}
    for key, value in props.items():
        *path, last = key.split("_")
        node = out
        for part in path:
            node = node.setdefault(part, {})
        if isinstance(value, dict) and isinstance(node.get(last), dict):
            _merge(node[last], value)
        else:
            node[last] = value
    return out


def _domains(weights: list[float], spacing: float) -> list[tuple[float, float]]:
    """Cell domains along one paper axis: sizes proportional to ``weights``, ``spacing`` between cells."""
    total = 1.0 - spacing * (len(weights) - 1)
    scale = total / sum(weights)
    out, start = [], 0.0
    for w in weights:
        end = start + w * scale
        out.append((start, end))
        start = end + spacing
    return out


class Draft:
    """A figure under construction as plain dicts (plotly's JSON), with the bit of ``go.Figure``'s API we use.

    Why not ``go.Figure`` directly: every ``go.Scatter(...)``, ``add_*`` and ``update_*`` call runs plotly's
    property validators, which made building the figures the largest cost of a page rerun (20-100 ms per
    figure, several figures per slider move).  A ``Draft`` only appends and merges dicts; :meth:`figure`
    wraps the result in a :class:`SpecFigure` once, unvalidated.  The schema is still checked: with the
    environment variable ``EXPLORER_VALIDATE_FIGURES=1`` (set by the test suite) :meth:`figure` also builds
    the fully validated figure, so every figure the tests draw goes through plotly's validators.

    ``Draft(rows=..., cols=..., ...)`` lays out subplots like ``plotly.subplots.make_subplots`` (same
    domains, anchors, shared axes and subplot titles); ``row``/``col`` then place traces and axis updates.
    """

    def __init__(
        self,
        *,
        rows: int = 1,
        cols: int = 1,
        shared_xaxes: bool = False,
        shared_yaxes: bool = False,
        row_heights: list[float] | None = None,
        column_widths: list[float] | None = None,
        vertical_spacing: float | None = None,
        horizontal_spacing: float | None = None,
        subplot_titles: tuple[str, ...] | list[str] | None = None,
    ) -> None:
        self.data: list[dict] = []
        self.layout: dict = {}
        self.rows, self.cols = rows, cols
        if rows == 1 and cols == 1:
            return
        v_space = 0.3 / rows if vertical_spacing is None else vertical_spacing
        h_space = 0.2 / cols if horizontal_spacing is None else horizontal_spacing
        x_domains = _domains(column_widths or [1.0] * cols, h_space)
        y_domains = _domains(list(reversed(row_heights or [1.0] * rows)), v_space)[::-1]  # row 1 on top
        for r in range(1, rows + 1):
            for c in range(1, cols + 1):
                n = self._index(r, c)
                suffix = "" if n == 1 else str(n)
                x_axis = {"anchor": f"y{suffix}", "domain": list(x_domains[c - 1])}
                y_axis = {"anchor": f"x{suffix}", "domain": list(y_domains[r - 1])}
                if shared_xaxes and r != rows:  # plotly: all rows follow the bottom row's x axis
                    bottom = self._index(rows, c)
                    x_axis.update(matches=f"x{'' if bottom == 1 else bottom}", showticklabels=False)
                if shared_yaxes and c != 1:  # plotly: all columns follow the first column's y axis
                    first = self._index(r, 1)
                    y_axis.update(matches=f"y{'' if first == 1 else first}", showticklabels=False)
                self.layout[f"xaxis{suffix}"] = x_axis
                self.layout[f"yaxis{suffix}"] = y_axis
        if subplot_titles:
            self.layout["annotations"] = [
                {
                    "font": {"size": 16},
                    "showarrow": False,
                    "text": text,
                    "x": sum(x_domains[k % cols]) / 2,
                    "xanchor": "center",
                    "xref": "paper",
                    "y": y_domains[k // cols][1],
                    "yanchor": "bottom",
                    "yref": "paper",
                }
                for k, text in enumerate(subplot_titles)
                if text
            ]

    def _index(self, row: int, col: int) -> int:
        return (row - 1) * self.cols + col

    def _axis_suffix(self, row: int | None, col: int | None) -> str:
        if row is None or (self.rows == 1 and self.cols == 1):
            return ""
        n = self._index(row, col)
        return "" if n == 1 else str(n)

    # -- traces --
    def add_trace(self, trace: dict, row: int | None = None, col: int | None = None) -> Draft:
        trace = dict(trace)
        if row is not None and (self.rows, self.cols) != (1, 1):
            suffix = self._axis_suffix(row, col)
            trace.update(xaxis=f"x{suffix}", yaxis=f"y{suffix}")
        self.data.append(trace)
        return self

    def add_scatter(self, row: int | None = None, col: int | None = None, **props) -> Draft:
        return self.add_trace({"type": "scatter", **props}, row, col)

    def add_bar(self, row: int | None = None, col: int | None = None, **props) -> Draft:
        return self.add_trace({"type": "bar", **props}, row, col)

    # -- layout --
    def update_layout(self, props: dict | None = None, **kwargs) -> Draft:
        _merge(self.layout, _magic({**(props or {}), **kwargs}))
        return self

    def _axes(self, letter: str, row: int | None, col: int | None) -> list[str]:
        if row is not None or col is not None:
            return [f"{letter}axis{self._axis_suffix(row, col)}"]
        names = [key for key in self.layout if key.startswith(f"{letter}axis")]
        return names or [f"{letter}axis"]

    def update_xaxes(self, row: int | None = None, col: int | None = None, **props) -> Draft:
        for name in self._axes("x", row, col):
            _merge(self.layout.setdefault(name, {}), _magic(props))
        return self

    def update_yaxes(self, row: int | None = None, col: int | None = None, **props) -> Draft:
        for name in self._axes("y", row, col):
            _merge(self.layout.setdefault(name, {}), _magic(props))
        return self

    def update_annotations(self, **props) -> Draft:
        for note in self.layout.get("annotations", []):
            _merge(note, _magic(props))
        return self

    def add_annotation(self, **props) -> Draft:
        self.layout.setdefault("annotations", []).append(_magic(props))
        return self

    def add_shape(self, **props) -> Draft:
        self.layout.setdefault("shapes", []).append(_magic(props))
        return self

    def add_vline(self, x: float, row: int | str | None = None, col: int | None = None, **props) -> Draft:
        """A vertical line across the plot height at data coordinate ``x`` (like ``go.Figure.add_vline``).

        ``row="all"`` draws it in every row of column ``col``.
        """
        for r in range(1, self.rows + 1) if row == "all" else (row,):
            suffix = self._axis_suffix(r, col)
            self.add_shape(
                type="line", x0=x, x1=x, xref=f"x{suffix}", y0=0, y1=1, yref=f"y{suffix} domain", **props
            )
        return self

    def add_vrect(self, x0: float, x1: float, **props) -> Draft:
        """A band across the plot height between data coordinates ``x0`` and ``x1``."""
        return self.add_shape(type="rect", x0=x0, x1=x1, xref="x", y0=0, y1=1, yref="y domain", **props)

    def add_hline(
        self,
        y: float,
        *,
        annotation_text: str | None = None,
        annotation_position: str = "top right",
        **props,
    ) -> Draft:
        """A horizontal line across the plot width at ``y``, optionally labelled at one end."""
        self.add_shape(type="line", x0=0, x1=1, xref="x domain", y0=y, y1=y, yref="y", **props)
        if annotation_text is not None:
            vertical, horizontal = annotation_position.split()
            self.add_annotation(
                text=annotation_text,
                showarrow=False,
                x=0 if horizontal == "left" else 1,
                xref="x domain",
                xanchor=horizontal,
                y=y,
                yref="y",
                yanchor="bottom" if vertical == "top" else "top",
            )
        return self

    def figure(self) -> SpecFigure:
        """The finished figure (unvalidated; validated too when ``EXPLORER_VALIDATE_FIGURES=1``)."""
        # An empty template: otherwise plotly adds its 6.5 KB default template to every figure's JSON, which
        # Streamlit's chart theme overrides anyway (screenshots are pixel-identical without it).
        spec = {"data": self.data, "layout": {"template": {}, **self.layout}}
        if os.environ.get(VALIDATE_ENV) == "1":
            go.Figure(copy.deepcopy(spec))  # raises ValueError naming any property plotly does not know
        return SpecFigure(spec)


def _copy_json(node):
    """A copy of plotly JSON's dicts and lists (arrays and strings are shared: nothing writes into them)."""
    if isinstance(node, dict):
        return {key: _copy_json(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_copy_json(value) if isinstance(value, dict | list) else value for value in node]
    return node


_TYPED_ARRAY_CODES = dict(plotlyjsShortTypes)  # numpy dtype name -> plotly.js typed-array code ("f8", ...)
_NOT_ENCODED = frozenset({"geojson", "layer", "layers", "range"})  # plotly's is_skipped_key
_DOWNCASTS = {  # plotly's: a 64-bit integer array goes out in the smallest type that holds its values
    "int64": (np.int8, np.int16, np.int32),
    "uint64": (np.uint8, np.uint16, np.uint32),
}


# The typed form of each read-only array that owns its data, kept while the array lives (id -> (a weak
# reference to it, its typed form)).  Such an array can never change, so a part shared by many figures (a
# page's surface that every state of its chart is drawn on) is encoded once per process, not at every send.
_typed_once: dict[int, tuple[weakref.ref, dict]] = {}
_typed_once_lock = threading.Lock()


def _forget_typed(key: int) -> None:
    with _typed_once_lock:
        _typed_once.pop(key, None)


def _typed_array(arr: np.ndarray):
    """``_plotly_utils.utils.to_typed_array_spec`` for a numpy array, without its generic conversions.

    plotly first copies every array through narwhals and ``copy_to_readonly_numpy_array`` (about 50 µs an
    array, most of a figure's serialization); the JSON that comes out is the same.  A read-only array that
    owns its data (``arr.setflags(write=False)``: it can never change) is encoded once, and its typed form
    handed out again (as a new dict) while the array lives.
    """
    if arr.size == 0:
        return arr
    fixed = not arr.flags.writeable and arr.base is None
    if fixed:
        with _typed_once_lock:
            kept = _typed_once.get(id(arr))
        if kept is not None and kept[0]() is arr:
            return dict(kept[1])
    spec = _encode_typed(arr)
    if fixed and isinstance(spec, dict):
        key = id(arr)
        reference = weakref.ref(arr, lambda _gone, key=key: _forget_typed(key))
        with _typed_once_lock:
            _typed_once[key] = (reference, spec)
        return dict(spec)
    return spec


def frozen(node):
    """Make every numpy array in plotly JSON ``node`` read-only, in place, and return ``node``.

    For JSON that is shared and never written to (a page caches it per process): each array is then
    encoded for plotly.js once, however many figures draw it (see :func:`_typed_array`).  An array that
    is a view of another one is replaced by a read-only copy, so nothing can change it through its base.
    """
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        if isinstance(value, np.ndarray):
            if value.base is not None:
                value = node[key] = value.copy()
            value.setflags(write=False)
        elif isinstance(value, dict | list):
            frozen(value)
    return node


def _encode_typed(arr: np.ndarray):
    name = arr.dtype.name
    if name in _DOWNCASTS:
        low, high = arr.min(), arr.max()
        fitting = [t for t in _DOWNCASTS[name] if np.iinfo(t).min <= low and high <= np.iinfo(t).max]
        if not fitting:
            return arr
        arr = arr.astype(fitting[0])
        name = arr.dtype.name
    code = _TYPED_ARRAY_CODES.get(name)
    if code is None:  # strings, objects, booleans: left to the JSON encoder, as plotly does
        return arr
    spec = {"dtype": code, "bdata": base64.b64encode(np.ascontiguousarray(arr)).decode("ascii")}
    if arr.ndim > 1:
        spec["shape"] = str(arr.shape)[1:-1]
    return spec


def _encoded_copy(node):
    """:func:`_copy_json` that also writes each numpy array as plotly.js's typed array (base64), exactly
    as plotly's ``convert_to_base64`` does: an array that is the value of a key (not under ``range`` and
    the other keys plotly skips); arrays of other kinds (pandas) go through plotly's own conversion."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key in _NOT_ENCODED:
                out[key] = _copy_json(value)
            elif isinstance(value, np.ndarray):
                out[key] = _typed_array(value)
            elif isinstance(value, (dict, list, tuple, str, int, float)) or value is None:
                out[key] = _encoded_copy(value)
            elif is_homogeneous_array(value):
                out[key] = to_typed_array_spec(value)
            else:
                out[key] = value
        return out
    if isinstance(node, list):  # strings and numbers are shared as they are: 1,000 texts, one list copied
        return [_encoded_copy(value) if isinstance(value, _CONTAINERS) else value for value in node]
    if isinstance(node, tuple):
        return tuple(_encoded_copy(value) if isinstance(value, _CONTAINERS) else value for value in node)
    return node


_CONTAINERS = (dict, list, tuple)


class SpecFigure(go.Figure):
    """A finished figure that keeps its plotly JSON and builds plotly's object tree only if it is used.

    ``st.plotly_chart`` needs nothing but ``to_dict()``.  Building ``go.Figure``'s trace and layout
    objects (even unvalidated) and its ``to_dict`` deep copy cost about 5 ms per figure and rerun; here
    ``to_dict()`` copies the JSON's containers only.  Reading ``.data``, ``.layout`` or any other part of
    the ``go.Figure`` API (e.g. the tests) builds the object tree on first use, after which it is an
    ordinary ``go.Figure``; :attr:`materialised_by` then says which part of the API did it, and where.
    """

    #: None while the figure is on the fast path; then e.g. ``"update_yaxes at pages/comparison.py:92"``.
    materialised_by: str | None = None

    def __init__(self, spec: dict, *, typed: bool = False) -> None:  # plotly's own __init__ runs in _build
        object.__setattr__(self, "_spec", spec)
        object.__setattr__(self, "_built", False)
        object.__setattr__(self, "_typed", typed)  # numpy arrays already plotly.js typed arrays

    def _build(self) -> None:
        use = _api_use(sys._getframe())
        object.__setattr__(self, "materialised_by", use)
        object.__setattr__(self, "_built", True)
        title = self._spec.get("layout", {}).get("title")
        title = title.get("text") if isinstance(title, dict) else title
        _LOG.warning("figure %r left the fast path: %s (plotly's object tree built, ~5 ms)", title, use)
        with _watchers_lock:
            for seen in _watchers:
                seen.append(f"{title!r}: {use}")
        go.Figure.__init__(self, self._spec, _validate=False)

    def __getattr__(self, name: str):
        # Only reached when normal lookup fails: before _build, plotly's private attributes are missing.
        if name.startswith("__") or self.__dict__.get("_built", True):
            raise AttributeError(name)
        self._build()
        return getattr(self, name)

    def to_dict(self) -> dict:
        if self._built:
            return super().to_dict()
        if self._typed:
            return _copy_json(self._spec)
        return _encoded_copy(self._spec)  # numpy arrays as plotly.js typed arrays, as go.Figure.to_dict does

    def typed(self) -> SpecFigure:
        """The same figure with its arrays converted once: its ``to_dict()`` then only copies containers.

        Plotly's conversion looks at every list and array of the JSON (about 5 ms for a decision-region
        figure); a figure drawn again and again, e.g. one shared by every session, pays it once.  Its
        ``data`` holds plotly.js typed arrays (``{"dtype": ..., "bdata": ...}``), not numpy arrays, so
        :func:`core.figures.output.figure_csv` reads the original, not this.
        """
        return self if self._typed else SpecFigure(self.to_dict(), typed=True)


def _api_use(frame) -> str:
    """Name the ``go.Figure`` API that built a :class:`SpecFigure`'s object tree and the line that used it.

    Walks up from ``frame`` past plotly's own frames (and this module's): the outermost plotly frame is
    the method or property the caller used, the first frame outside is the caller.
    """
    entry = None
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename.startswith(_PLOTLY_DIRS):
            entry = frame.f_code.co_name
        elif filename != __file__:
            break
        frame = frame.f_back
    if frame is None:
        return f"{entry or 'an attribute'} used"
    path = Path(frame.f_code.co_filename)
    where = path.relative_to(_ROOT).as_posix() if path.is_relative_to(_ROOT) else str(path)
    return f"{entry or 'an attribute'} at {where}:{frame.f_lineno}"


@contextmanager
def fast_path_watch() -> Iterator[list[str]]:
    """Collect every :class:`SpecFigure` that leaves the fast path inside the block, in any thread.

    Yields a list that receives one ``"'title': what at file:line"`` entry per figure whose object tree
    was built; empty when every figure stayed on the fast path.

    >>> with fast_path_watch() as lost:
    ...     fig = Draft().add_scatter(x=[0, 1], y=[1, 0]).figure()
    ...     _ = fig.to_dict()
    >>> lost
    []
    """
    seen: list[str] = []
    with _watchers_lock:
        _watchers.append(seen)
    try:
        yield seen
    finally:
        with _watchers_lock:
            _watchers.remove(seen)


def trace_dicts(fig: go.Figure) -> list[dict]:
    """A figure's traces as plotly JSON dicts (arrays as given), read-only, without leaving the fast path."""
    if isinstance(fig, SpecFigure) and not fig._built:
        return fig._spec["data"]
    return [trace.to_plotly_json() for trace in fig.data]


def figure_builder(make: Callable[..., Draft]) -> Callable[..., go.Figure]:
    """Turn a function that fills a :class:`Draft` into a public builder that returns a figure.

    The undecorated function stays available as ``builder.draft`` so one builder can extend another's
    figure (e.g. ``curves_figure.draft(...)`` then more shapes) before it is finished.
    """

    @functools.wraps(make)
    def build(*args, **kwargs) -> go.Figure:
        return make(*args, **kwargs).figure()

    build.draft = make
    return build


def scatter(**props) -> dict:
    """A scatter trace as plotly JSON (for :meth:`Draft.add_trace`)."""
    return {"type": "scatter", **props}


def bar(**props) -> dict:
    """A bar trace as plotly JSON."""
    return {"type": "bar", **props}


def heatmap(**props) -> dict:
    """A heatmap trace as plotly JSON."""
    return {"type": "heatmap", **props}


def plottable(values, *, log: bool = False) -> np.ndarray:
    """Float64 copy with inf (and, on a log axis, values <= 0) turned into NaN: Plotly draws gaps there.

    >>> plottable([1.0, float("inf"), 0.0], log=True).tolist()
    [1.0, nan, nan]
    """
    arr = np.array(values, dtype=np.float64)
    bad = ~np.isfinite(arr)
    if log:
        bad |= arr <= 0
    arr[bad] = np.nan
    return arr
