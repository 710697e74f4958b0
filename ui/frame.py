"""The app's frame around every page: presenter mode, links to a view, and the check of a link's values.

Every control of every page is bound to the URL (``bind="query-params"``, its key is the parameter's
name), so the address bar always holds the current view and a link restores it.  Streamlit already
ignores a value a control cannot take (out of range, wrong type, not an option) and puts the control
at its default; this module tells the visitor so (:func:`report_link_problems`) and drops parameters
no control on the page knows.

``app.py`` calls, in order: :func:`presenter_toggle` (sidebar), snapshot the link's parameters with
:func:`link_parameters`, run the page, :func:`report_link_problems`, :func:`share_button` (sidebar).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from urllib.parse import urlencode, urlsplit

import streamlit as st

from ui.lesson_plan import LESSON_PARAM, STEP_PARAM

PRESENT_KEY = "present"  # session-state key of the toggle, and the URL parameter: ?present=1
PAGE_KEY = "_page_url_path"  # session-state key: the url_path of the page being drawn
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")
# Parameters of the frame, not of a page's controls: presenter mode, and a lecturer's lesson and step
# (ui.lesson_plan, ui.lesson_player), which ride along in every step's link.
APP_PARAMETERS = frozenset({PRESENT_KEY, LESSON_PARAM, STEP_PARAM})
# Longest parameter value quoted back in a notice.
QUOTE_CHARS = 40

# Every screen.  On a phone Streamlit stacks a row's columns, controls first when they are on the left,
# and the chart beside them ends up a screen away from the slider that drives it.  Below 640 px, in a row
# that holds a chart, the columns' elements are laid out as one list (display: contents) in this order:
# what comes before and including the chart, then the other columns (the controls), then what comes after
# the chart in its column (download button, formulas, captions).  A row of numbers (st.metric) stays one
# row instead of a tall stack.  On wider screens, side by side, nothing moves.
_ROW = '[data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stPlotlyChart"])'
_CHART_COLUMN = f'{_ROW} > [data-testid="stColumn"]:has([data-testid="stPlotlyChart"])'
# A row of numbers: columns that hold st.metric and nothing else (a row whose column also holds prose, a
# table or a slider stacks like any other, or its prose would be squeezed into a third of a phone).
_COLUMN_ITEM = '> [data-testid="stColumn"] > [data-testid="stVerticalBlock"] >'
_METRIC_ITEM = '[data-testid="stElementContainer"]:has(> [data-testid="stMetric"])'
_METRICS = (
    f'[data-testid="stHorizontalBlock"]:has({_COLUMN_ITEM} {_METRIC_ITEM})'
    f":not(:has({_COLUMN_ITEM} :not({_METRIC_ITEM})))"
)
SCREEN_CSS = f"""
<style>
@media (max-width: 640px) {{
  {_ROW} {{ row-gap: 1rem; }}
  {_ROW} > [data-testid="stColumn"],
  {_ROW} > [data-testid="stColumn"] > [data-testid="stVerticalBlock"] {{ display: contents; }}
  {_ROW} > [data-testid="stColumn"] > [data-testid="stVerticalBlock"] > * {{ flex: 1 1 100%; min-width: 0; }}
  {_CHART_COLUMN} > [data-testid="stVerticalBlock"] > * {{ order: -1; }}
  {_CHART_COLUMN} > [data-testid="stVerticalBlock"] > :has([data-testid="stPlotlyChart"]) ~ * {{ order: 1; }}
  {_METRICS} {{ flex-wrap: nowrap; gap: 0.5rem; }}
  {_METRICS} > [data-testid="stColumn"] {{ min-width: 0; }}
  [data-testid="stMetricValue"] {{ font-size: 1.35rem; }}
}}
</style>
"""

# Presenter mode: larger type for a projector, side notes hidden (charts are scaled in core.figures),
# and headings and spacing tightened so a page's chart and its controls share the first screen.
PRESENTER_CSS = """
<style>
html { font-size: 22px; }
[data-testid="stCaptionContainer"] { display: none; }
[data-testid="stMetricValue"] { font-size: 2rem; }
[data-testid="stMainBlockContainer"] { padding-top: 4rem; max-width: 100%; }  /* below the header bar */
h1 { font-size: 2rem !important; padding-top: 0 !important; padding-bottom: 0.25rem !important; }
h2 { font-size: 1.4rem !important; padding-top: 0 !important; padding-bottom: 0 !important; }
h3 { font-size: 1.25rem !important; padding-top: 0.25rem !important; padding-bottom: 0 !important; }
.katex { font-size: 1.3em; }
</style>
"""


def current_page() -> str:
    """The ``url_path`` of the page being drawn ("" outside the app, e.g. a page run on its own)."""
    return st.session_state.get(PAGE_KEY, "")


def opened_presenting() -> bool:
    """Whether the link asks for presenter mode (``?present=1``): read before the page config is set, so a
    lecture link opens with the sidebar folded away."""
    raw = st.query_params.get(PRESENT_KEY)
    return raw is not None and raw.strip().lower() in TRUE_WORDS


def presenter() -> bool:
    """Whether presenter mode is on."""
    return bool(st.session_state.get(PRESENT_KEY, False))


def side_by_side(spec, gap: str = "medium") -> list:
    """``st.columns(spec)``, or in presenter mode as many full-width containers, one under the other: a
    chart, a table or a row of numbers squeezed into part of a zoomed page loses its labels."""
    count = spec if isinstance(spec, int) else len(spec)
    if presenter():
        return [st.container() for _ in range(count)]
    return st.columns(spec, gap=gap)


def _parse_flag(raw: str | None) -> bool | None:
    if raw is None:
        return False
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def presenter_toggle() -> bool:
    """The sidebar's "Presenter mode" toggle, seeded once per session from ``?present=1``.

    Not a bound widget: Streamlit's binding of a toggle reads only ``true``/``false``, and a lecturer
    types ``?present=1``.  The toggle writes the parameter back, so a copied link keeps the mode.
    """
    if PRESENT_KEY not in st.session_state:
        raw = st.query_params.get(PRESENT_KEY)
        flag = _parse_flag(raw)
        if flag is None:
            st.toast(f"The link's present={_quote(raw)} is not 1 or 0: presenter mode stays off.", icon="⚠️")
        st.session_state[PRESENT_KEY] = bool(flag)
    on = st.sidebar.toggle(
        "Presenter mode",
        key=PRESENT_KEY,
        help="For a projector: larger text, thicker lines and bigger markers, side notes hidden. "
        "Add ?present=1 to a link to open it this way.",
    )
    if on:
        if st.query_params.get(PRESENT_KEY) != "1":  # each write sends the browser a message
            st.query_params[PRESENT_KEY] = "1"
    elif PRESENT_KEY in st.query_params:
        del st.query_params[PRESENT_KEY]
    st.html(SCREEN_CSS + PRESENTER_CSS if on else SCREEN_CSS)  # one style element, drawing nothing
    return on


def link_parameters() -> dict[str, list[str]]:
    """The URL's query parameters now, every value of each (call it before the page runs)."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _quote(raw: object) -> str:
    text = str(raw)
    return f"“{text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS] + '…'}”"


def _same(raw: str, value: object) -> bool:
    """Whether the URL text ``raw`` names the control's ``value`` (``"0.70"`` names 0.7)."""
    if str(value) == raw:
        return True
    try:
        return math.isclose(float(raw), float(value), rel_tol=0, abs_tol=1e-12)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def link_problems(
    before: Mapping[str, list[str]], after: Mapping[str, list[str]], state: Mapping[str, object]
) -> tuple[list[str], list[str]]:
    """Compare the link's parameters before and after the page ran; say which values were not used.

    Parameters
    ----------
    before, after : mapping of name to list of str
        The query parameters before and after the run (:func:`link_parameters`).
    state : mapping
        ``st.session_state`` after the run: a bound control's key holds its value.

    Returns
    -------
    notices : list of str
        One short sentence per parameter the page could not use as given.
    unknown : list of str
        Parameters that no control of the page reads (to be removed from the URL).

    Examples
    --------
    >>> before = {"p": ["5"], "q": ["0.70"], "z": ["1"]}
    >>> notices, unknown = link_problems(before, {"z": ["1"]}, {"p": 0.7, "q": 0.7})
    >>> notices[0][:40]
    'The link’s p=“5” could not be used here '
    >>> unknown
    ['z']
    """
    notices: list[str] = []
    unknown: list[str] = []
    for key, values in before.items():
        if key in APP_PARAMETERS or not values:
            continue
        raw = values[-1]
        if key not in state:
            unknown.append(key)
            notices.append(f"The link’s {key}={_quote(raw)} matches no control on this page and was ignored.")
            continue
        now = after.get(key)
        if now is None:  # Streamlit dropped it: not a value of the control, or the control's default
            if not _same(raw, state[key]):
                notices.append(
                    f"The link’s {key}={_quote(raw)} could not be used here (out of range, wrong type or not "
                    "an option), so that control is at its default."
                )
        elif now != values:
            notices.append(f"The link’s {key}={_quote(raw)} was adjusted to {_quote(now[-1])}.")
    return notices, unknown


def report_link_problems(before: Mapping[str, list[str]]) -> None:
    """After the page ran: a toast for each link value the page could not use; unknown parameters go."""
    notices, unknown = link_problems(before, link_parameters(), st.session_state)
    for key in unknown:
        if key in st.query_params:
            del st.query_params[key]
    for text in notices[:4]:
        st.toast(text, icon="⚠️")
    if len(notices) > 4:
        st.toast(f"… and {len(notices) - 4} more link values were not used.", icon="⚠️")


def view_link(base_url: str | None, url_path: str, parameters: Mapping[str, list[str]]) -> str:
    """The link to this view: the app's address, the page, and every control that is not at its default.

    >>> view_link("http://host:8501/binary?bce_p=0.3", "binary", {"bce_p": ["0.5"], "present": ["1"]})
    'http://host:8501/binary?bce_p=0.5&present=1'
    >>> view_link(None, "kl", {})
    '/kl'
    """
    origin = ""
    if base_url:
        parts = urlsplit(base_url)
        origin = f"{parts.scheme}://{parts.netloc}"
    query = urlencode([(key, value) for key, values in parameters.items() for value in values])
    return f"{origin}/{url_path}" + (f"?{query}" if query else "")


@st.dialog("Link to this view", width="large")
def _share_dialog(link: str) -> None:
    st.markdown(
        "This link opens the page exactly as it is now: every slider and choice is in it. "
        "Copy it with the button at the right of the box. (The address bar always holds the same link.)"
    )
    st.code(link, language=None, wrap_lines=True)
    st.caption("Tip for lectures: prepare one link per slide; add ?present=1 for presenter mode.")


def share_button() -> None:
    """A sidebar button that opens the link to the current view, with a copy button."""
    if st.sidebar.button("Link to this view", icon=":material/link:", key="share_link", width="stretch"):
        _share_dialog(view_link(st.context.url, current_page(), link_parameters()))
