"""Lessons in the app: open a lesson link, step through it (buttons, arrow keys, a clicker), compose, share.

The lesson itself (steps, validation, the link code, the TOML and JSON files) is :mod:`ui.lesson_plan`;
this module is its Streamlit side.  (Not to be confused with :mod:`ui.teaching`, which draws each page's
own teaching aids from :mod:`words.lessons`.)

``app.py`` calls, in this order:

1. :func:`follow_lesson` before any widget of the run: it reads a lesson link (``?lesson=<code>``) and
   carries out a move to a step asked for by a button, a key or a loaded file.  It says whether this
   run draws the page (not while a step on the same page is being opened, see below).
2. :func:`lesson_panel` in the sidebar: the "Lesson" expander, where a lecturer adds the current view as
   a step, edits the steps, shares the link, saves or loads a file, or opens a ready lesson.
3. :func:`lesson_bar` in the main area, above the page: "Step 3 of 8", Previous and Next, the step's
   note, the key listener (``ui/lesson_keys.js``), and any problem a loaded lesson had.

How a step opens.  A step is a page and its URL's settings, so opening it is opening its link:
``st.switch_page`` with the step's query parameters (plus ``lesson``, ``step`` and ``present``), and
the page's controls, bound to the URL, take their values from it.  Two things make that exact:

- Streamlit keeps a control's value in the session when its page is left, and a kept value wins over
  a link that does not name the control.  So the session's view state is forgotten first (every key
  but the viewer's own choices, :data:`KEPT_KEYS`): the step opens as its link opens in a new tab.
- ``st.switch_page`` may not set a parameter that a control drawn on the current page owns, and the
  sidebar's "Units" control is on every page.  So the unit is set through session state instead.
- A step on the page already shown: the browser keeps a control it still shows at the value it shows,
  whatever the server now says is the default.  So that step opens in two runs: one that draws the
  frame but not the page (the browser drops the page's controls, and Streamlit their bindings), then,
  started by a fragment's timer 0.1 s later, the switch to the step, whose controls are drawn anew.

Nothing a lesson holds is shown as Markdown or HTML: titles, notes and messages are drawn with
``st.text`` (or as a widget's value).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from core.units import UNITS
from ui.common import UNITS_KEY
from ui.components import script_component
from ui.frame import PAGE_KEY, PRESENT_KEY, link_parameters, view_link
from ui.lesson_plan import (
    LESSON_PARAM,
    MAX_NOTE_CHARS,
    MAX_STEPS,
    MAX_TITLE_CHARS,
    STEP_PARAM,
    UNITS_PARAM,
    Lesson,
    Loaded,
    add_step,
    decode_lesson,
    encode_lesson,
    lesson_file_name,
    lesson_to_toml,
    link_length_problem,
    move_step,
    read_lesson_file,
    read_ready_lessons,
    remove_step,
    step_from_view,
    step_label,
    step_number,
    step_query,
    with_note,
    with_title,
)
from ui.registry import PAGES
from ui.teaching import question_key

_LOG = logging.getLogger(__name__)

PREFIX = "lesson"  # every session-state key and widget key of this module starts with it
PLAN_KEY = "lesson_plan"  # the Lesson
CODE_KEY = "lesson_code"  # its link code, or None when it is too long for a link
LINK_KEY = "lesson_link_code"  # the code of the last lesson link read (its lesson may differ: bad steps)
INDEX_KEY = "lesson_index"  # the current step, from 0
PENDING_KEY = "lesson_pending"  # a step to open at the top of the next run
PROBLEMS_KEY = "lesson_problems"  # sentences about the last lesson read, until dismissed
KEYS_KEY = "lesson_keys"  # the key listener
FILE_KEY = "lesson_file"  # the file uploader
CLEARED_KEY = "lesson_cleared"  # the step whose page a run has just drawn without (a step on the same page)
ARMED_KEY = "lesson_armed"  # the fragment that then continues has run once, with that run
PANEL_KEY = "lesson_panel"  # the sidebar's Lesson expander: True while it is open
OPEN_KEY = "lesson_panel_open"  # the same, kept across pages (the expander's own state is the page's)
# Session state that a step keeps: the viewer's own choices and the frame's bookkeeping (and, by their
# prefix, this module's keys).  Everything else is a page's view, forgotten when a step opens.  The
# unit is set by the step.  A new session-wide choice of the viewer belongs here.
KEPT_KEYS = frozenset({PRESENT_KEY, PAGE_KEY})

COMPONENT_NAME = "explorer_lesson_keys"
_JS_PATH = Path(__file__).with_name("lesson_keys.js")

_SPECS = {spec.url_path: spec for spec in PAGES}
PROBLEMS_TITLE = "Some of this lesson could not be used"
PANEL_HELP = (
    "A lesson steps through views of the explorer, each with a note for the room. Move with Previous and "
    "Next above the page, or with → / Page Down and ← / Page Up, the keys a presentation clicker sends."
)
ADD_HELP = (
    f"Adds this page with its settings as the next step (at most {MAX_STEPS}); the answer to the page's "
    "question is left out, so the room can still answer it."
)
FULL = (
    f"This lesson has {MAX_STEPS} steps, the most a lesson can have: delete a step in *Edit the steps* "
    "to add another."
)
OFF_STEP = "This page is not step {number} of the lesson."
# The key listener draws nothing; out of the layout, it leaves no empty gap under the note.
BAR_CSS = f"<style>.st-key-{KEYS_KEY} {{ display: none; }}</style>"


# ------------------------------------------------------------------------------------------ state
def current_lesson() -> Lesson | None:
    """The lesson of this session, or None."""
    return st.session_state.get(PLAN_KEY)


def current_index() -> int:
    """The current step, from 0 (0 without a lesson)."""
    lesson = current_lesson()
    if lesson is None or not lesson.steps:
        return 0
    return min(max(int(st.session_state.get(INDEX_KEY, 0)), 0), len(lesson.steps) - 1)


def _install(lesson: Lesson) -> None:
    """Make ``lesson`` the session's lesson; its link code is kept when it fits in a link."""
    code = encode_lesson(lesson) if lesson.steps else None
    st.session_state[PLAN_KEY] = lesson
    st.session_state[CODE_KEY] = code if code is not None and link_length_problem(code) is None else None
    st.session_state[INDEX_KEY] = min(st.session_state.get(INDEX_KEY, 0), max(len(lesson.steps) - 1, 0))


def _edit(lesson: Lesson) -> None:
    """Replace the session's lesson by an edited one; a link in the address bar follows the edit."""
    _install(lesson)
    if LESSON_PARAM in st.query_params:
        code = st.session_state[CODE_KEY]
        if code is None:
            del st.query_params[LESSON_PARAM]
        else:
            st.query_params[LESSON_PARAM] = code


def _go(index: int) -> None:
    """Open step ``index`` (from 0) at the top of the next run (a callback, or before ``st.rerun``)."""
    st.session_state[INDEX_KEY] = index
    st.session_state[PENDING_KEY] = index


def _step_by(offset: int) -> None:
    """Callback of Previous (-1) and Next (+1): move from the current step, within the lesson.

    Past either end nothing happens, unless the view has left the step: then the step opens again.
    """
    lesson = current_lesson()
    if lesson is None or not lesson.steps:
        return
    index = current_index()
    target = min(max(index + offset, 0), len(lesson.steps) - 1)
    if target != index or not on_step(st.session_state.get(PAGE_KEY, "")):
        _go(target)


def _on_key() -> None:
    """Callback of the key listener: it sends "next" or "previous" as the trigger value "move"."""
    move = (st.session_state.get(KEYS_KEY) or {}).get("move")
    if move in ("next", "previous"):
        _step_by(1 if move == "next" else -1)


def _forget_views() -> None:
    """Forget every page's view state, so a step opens as its link opens in a new session."""
    for key in list(st.session_state):
        if key not in KEPT_KEYS and not key.startswith(PREFIX):
            del st.session_state[key]


# ------------------------------------------------------------------------------------------ 1. routing
def follow_lesson(here: str) -> bool:
    """Read a lesson link and open a step asked for; call it first in a run, before any widget.

    Parameters
    ----------
    here : str
        The ``url_path`` of the page this run draws.

    Returns
    -------
    bool
        Whether this run draws the page: False for the first of the two runs that open a step on the
        page already shown (:func:`lesson_bar` then starts the second).
    """
    _read_link(here)
    pending = st.session_state.pop(PENDING_KEY, None)
    if pending is None:
        return True
    return _open_step(pending, here)


def _read_link(here: str) -> None:
    """A link's ``?lesson=`` that this session has not read yet: read it, check it, open its step."""
    code = st.query_params.get(LESSON_PARAM)
    if not code or code in (st.session_state.get(CODE_KEY), st.session_state.get(LINK_KEY)):
        return
    loaded = decode_lesson(code)
    st.session_state[LINK_KEY] = code
    st.session_state[PROBLEMS_KEY] = loaded.problems
    if loaded.lesson is None:
        for name in (LESSON_PARAM, STEP_PARAM):
            if name in st.query_params:
                del st.query_params[name]
        return
    st.session_state[INDEX_KEY] = 0
    _install(loaded.lesson)
    index = step_number(st.query_params.get(STEP_PARAM), len(loaded.lesson.steps))
    if index is not None and not loaded.problems and loaded.lesson.steps[index].page == here:
        st.session_state[INDEX_KEY] = index  # a link to a step: its settings are in the URL already
    else:
        _go(index if index is not None and not loaded.problems else 0)


def _open_step(index: int, here: str) -> bool:
    """Open step ``index``: switch to its page with its settings, or first draw this page without its body."""
    lesson = current_lesson()
    if lesson is None or not lesson.steps:
        return True
    index = min(max(index, 0), len(lesson.steps) - 1)
    step = lesson.steps[index]
    carried = {PRESENT_KEY: st.query_params.get_all(PRESENT_KEY)} if PRESENT_KEY in st.query_params else {}
    _forget_views()
    st.session_state[INDEX_KEY] = index
    st.session_state[UNITS_KEY] = step.params.get(UNITS_PARAM, (UNITS[0],))[0]
    if step.page == here and st.session_state.get(CLEARED_KEY) != index:
        st.session_state[CLEARED_KEY] = index  # this run draws the frame only; the next one switches
        st.session_state[PENDING_KEY] = index
        st.session_state[ARMED_KEY] = False
        return False
    st.session_state.pop(CLEARED_KEY, None)
    st.session_state.pop(ARMED_KEY, None)
    query = step_query(step, code=st.session_state.get(CODE_KEY), index=index)
    st.switch_page(_SPECS[step.page].path, query_params={**query, **carried})


@st.fragment(run_every=0.1)
def _continue_opening() -> None:
    """Once the run without the page is drawn, run the app again to switch to the step.

    The fragment runs with the app's run (it only arms itself then) and on its timer afterwards.
    """
    if st.session_state.get(ARMED_KEY):
        st.rerun()
    st.session_state[ARMED_KEY] = True


# ------------------------------------------------------------------------------------------ 3. the bar
def _keys() -> Callable:
    return script_component(COMPONENT_NAME, _JS_PATH, isolate_styles=False)


def _dismiss_problems() -> None:
    st.session_state.pop(PROBLEMS_KEY, None)


def _show_problems() -> None:
    problems = st.session_state.get(PROBLEMS_KEY)
    if not problems:
        return
    with st.container(border=True, key="lesson_problems_box"):
        st.markdown(f":material/warning: **{PROBLEMS_TITLE}**")
        for text in problems:
            st.text(f"• {text}")
        st.button("Dismiss", key="lesson_dismiss", on_click=_dismiss_problems, type="tertiary")


def on_step(here: str) -> bool:
    """Whether this view is the current step: its page, with ``?step=`` naming it."""
    lesson = current_lesson()
    if lesson is None or not lesson.steps:
        return False
    index = current_index()
    return lesson.steps[index].page == here and st.query_params.get(STEP_PARAM) == str(index + 1)


def lesson_bar(here: str) -> None:
    """Above the page: where the lesson is, Previous and Next, the step's note, and the key listener."""
    _show_problems()
    lesson = current_lesson()
    if lesson is None or not lesson.steps:
        return
    index, count = current_index(), len(lesson.steps)
    if st.session_state.get(CLEARED_KEY) is not None and PENDING_KEY in st.session_state:
        st.markdown(f"Opening step {index + 1} of {count}…")
        _continue_opening()
        return
    at_step = on_step(here)
    st.html(BAR_CSS)
    with st.container(border=True, key="lesson_bar"):
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            st.button(
                "Previous",
                icon=":material/arrow_back:",
                key="lesson_previous",
                on_click=_step_by,
                args=(-1,),
                disabled=at_step and index == 0,
            )
            st.markdown(f"**Step {index + 1} of {count}**", width="content")
            st.button(
                "Next",
                icon=":material/arrow_forward:",
                icon_position="right",
                key="lesson_next",
                on_click=_step_by,
                args=(1,),
                disabled=at_step and index == count - 1,
            )
            st.text(lesson.title)
        if at_step:
            note = lesson.steps[index].note
            if note:
                st.text(note)
        else:
            st.markdown(OFF_STEP.format(number=index + 1))
            st.button(f"Back to step {index + 1}", key="lesson_back", on_click=_go, args=(index,))
        _keys()(key=KEYS_KEY, on_move_change=_on_key, height=0)


# ------------------------------------------------------------------------------------------ 2. the panel
@functools.cache
def ready_lessons() -> tuple[tuple[str, Lesson], ...]:
    """The lessons shipped in ``lessons/`` as (file name, lesson); a problem is logged, not shown."""
    ready = []
    for name, loaded in read_ready_lessons():
        for text in loaded.problems:
            _LOG.warning("lessons/%s: %s", name, text)
        if loaded.lesson is not None:
            ready.append((name, loaded.lesson))
    return tuple(ready)


def _open_loaded(loaded: Loaded) -> None:
    """Callback side of opening a lesson: keep its problems; open its first step if it has one."""
    st.session_state[PROBLEMS_KEY] = loaded.problems
    if loaded.lesson is not None:
        _install(loaded.lesson)
        _go(0)


def _open_ready(name: str) -> None:
    lesson = dict(ready_lessons())[name]
    _open_loaded(Loaded(lesson, ()))


def _load_file() -> None:
    """Callback of the file uploader: read the file, say what was wrong with it, open what is good."""
    uploaded = st.session_state.get(FILE_KEY)
    if uploaded is None:
        return
    _open_loaded(read_lesson_file(uploaded.name, uploaded.getvalue()))


def _add_view(here: str) -> None:
    """Callback of "Add this view": the page and its URL's settings (but its question) as a new step."""
    step, problems = step_from_view(here, link_parameters(), leave_out=(question_key(here),))
    if step is None:
        st.session_state[PROBLEMS_KEY] = problems
        return
    lesson = add_step(current_lesson() or Lesson(), step)
    _edit(lesson)
    st.session_state[INDEX_KEY] = len(lesson.steps) - 1
    code = st.session_state[CODE_KEY]
    if code is not None:  # this view is now that step
        st.query_params[LESSON_PARAM] = code
    st.query_params[STEP_PARAM] = str(len(lesson.steps))
    st.toast(f"Added as step {len(lesson.steps)}.", icon=":material/playlist_add:")


def _close() -> None:
    for key in (PLAN_KEY, CODE_KEY, LINK_KEY, INDEX_KEY, PENDING_KEY, PROBLEMS_KEY):
        st.session_state.pop(key, None)
    for name in (LESSON_PARAM, STEP_PARAM):
        if name in st.query_params:
            del st.query_params[name]


def _note_key(index: int) -> str:
    return f"lesson_note_{index}"


def _forget_note_fields() -> None:
    """After steps move or go, the note fields are drawn again from the lesson (they are keyed by place)."""
    for key in [key for key in st.session_state if key.startswith("lesson_note_")]:
        del st.session_state[key]


def _set_note(index: int) -> None:
    lesson = current_lesson()
    if lesson is not None and index < len(lesson.steps):
        _edit(with_note(lesson, index, st.session_state[_note_key(index)]))


def _set_title() -> None:
    lesson = current_lesson()
    if lesson is not None:
        _edit(with_title(lesson, st.session_state["lesson_title"]))


def _move(index: int, offset: int) -> None:
    lesson = current_lesson()
    if lesson is not None:
        _edit(move_step(lesson, index, offset))
        _forget_note_fields()


def _remove(index: int) -> None:
    lesson = current_lesson()
    if lesson is not None:
        _edit(remove_step(lesson, index))
        _forget_note_fields()


def _settings_text(params) -> str:
    if not params:
        return "Settings: the page's defaults"
    return "Settings: " + ", ".join(f"{name}={'&'.join(values)}" for name, values in params.items())


@st.dialog("Edit the lesson", width="large")
def _edit_dialog() -> None:
    lesson = current_lesson()
    if lesson is None:
        return
    st.text_input(
        "Title", value=lesson.title, max_chars=MAX_TITLE_CHARS, key="lesson_title", on_change=_set_title
    )
    if not lesson.steps:
        st.markdown("The lesson has no steps. Open a page, set it up, and press *Add this view as a step*.")
    for index, step in enumerate(lesson.steps):
        with st.container(border=True, key=f"lesson_edit_step_{index}"):
            st.markdown(f"**Step {step_label(lesson, index)}**")
            st.text(_settings_text(step.params))
            st.text_area(
                "Note or question for the room",
                value=step.note,
                max_chars=MAX_NOTE_CHARS,
                key=_note_key(index),
                on_change=_set_note,
                args=(index,),
                height=80,
            )
            with st.container(horizontal=True, gap="small"):
                st.button(
                    "Earlier",
                    icon=":material/arrow_upward:",
                    key=f"lesson_up_{index}",
                    on_click=_move,
                    args=(index, -1),
                    disabled=index == 0,
                )
                st.button(
                    "Later",
                    icon=":material/arrow_downward:",
                    key=f"lesson_down_{index}",
                    on_click=_move,
                    args=(index, 1),
                    disabled=index == len(lesson.steps) - 1,
                )
                st.button(
                    "Delete",
                    icon=":material/delete:",
                    key=f"lesson_delete_{index}",
                    on_click=_remove,
                    args=(index,),
                )
                if st.button("Open", icon=":material/open_in_browser:", key=f"lesson_open_{index}"):
                    _go(index)
                    st.rerun()
    if st.button("Done", type="primary", key="lesson_done"):
        st.rerun()


@st.dialog("Link to this lesson", width="large")
def _share_dialog() -> None:
    code = st.session_state.get(CODE_KEY)
    lesson = current_lesson()
    if lesson is None:
        return
    if code is None:
        with st.container(border=True):
            st.markdown(":material/warning: **Too long for a link**")
            st.text(link_length_problem(encode_lesson(lesson)) or "")
        return
    st.markdown(
        "Whoever opens this link gets the lesson at step 1 and moves through it at their own pace with "
        "*Previous* and *Next* (or the arrow keys, Page Up and Page Down). Copy it with the button at the "
        "right of the box."
    )
    st.code(view_link(st.context.url, "", {LESSON_PARAM: [code]}), language=None, wrap_lines=True)
    st.caption("For the projector, add &present=1 at the end to open it in presenter mode.")


def _remember_panel() -> None:
    """Callback of the Lesson expander: remember whether it is open, for the next page's."""
    st.session_state[OPEN_KEY] = bool(st.session_state.get(PANEL_KEY))


def lesson_panel(here: str) -> None:
    """The sidebar's "Lesson" expander: compose, share, save, load, and the ready lessons.

    Its content is drawn only while it is open (opening it reruns the app): folded, as it is on most
    visits, its widgets cost neither the server's run nor the browser's drawing of every page.
    Open, it stays open on the next page, as a lecturer adding a step from each page expects.
    """
    panel = st.sidebar.expander(
        "Lesson",
        expanded=st.session_state.get(OPEN_KEY, False),
        icon=":material/school:",
        key=PANEL_KEY,
        on_change=_remember_panel,
    )
    if not panel.open:
        return
    lesson = current_lesson()
    steps = len(lesson.steps) if lesson is not None else 0
    with panel:
        st.caption(PANEL_HELP)
        if lesson is not None and steps:
            st.text(f"{lesson.title}\n{steps} step{'s' * (steps != 1)}, now at step {current_index() + 1}")
        st.button(
            "Add this view as a step",
            icon=":material/playlist_add:",
            key="lesson_add",
            on_click=_add_view,
            args=(here,),
            disabled=steps >= MAX_STEPS,
            width="stretch",
        )
        st.caption(FULL if steps >= MAX_STEPS else ADD_HELP)
        if lesson is not None:
            if st.button("Edit the steps", icon=":material/edit_note:", key="lesson_edit", width="stretch"):
                _edit_dialog()
        if steps:
            if st.button("Link to this lesson", icon=":material/link:", key="lesson_share", width="stretch"):
                _share_dialog()
            st.download_button(
                "Save as a file",
                data=lesson_to_toml(lesson),
                file_name=lesson_file_name(lesson),
                mime="application/toml",
                key="lesson_save",
                on_click="ignore",
                icon=":material/download:",
                width="stretch",
            )
        if lesson is not None:
            st.button(
                "Close the lesson",
                icon=":material/close:",
                key="lesson_close",
                on_click=_close,
                width="stretch",
            )
        st.file_uploader(
            "Load a lesson file (TOML or JSON)",
            type=["toml", "json"],
            key=FILE_KEY,
            on_change=_load_file,
            max_upload_size=1,
        )
        st.markdown("**Ready lessons**")
        for name, ready in ready_lessons():
            st.button(
                f"{ready.title} ({len(ready.steps)} steps)",
                icon=":material/school:",
                key=f"lesson_ready_{Path(name).stem}",
                on_click=_open_ready,
                args=(name,),
                width="stretch",
            )


def ready_lesson_links() -> None:
    """One link per ready lesson (for the Home page): each opens the lesson at step 1.

    The link is step 1's page with the lesson's code (no ``step``), so the lesson is read and its first
    step opened as a move to a step is (the session's view state forgotten, the step's settings set).
    """
    for _name, lesson in ready_lessons():
        steps = " → ".join(dict.fromkeys(_SPECS[step.page].title for step in lesson.steps))
        st.page_link(  # to step 1's page, which opens the step (a link to this page would show as "here")
            _SPECS[lesson.steps[0].page].path,
            label=f"**{lesson.title}** — {len(lesson.steps)} steps: {steps}",
            icon=":material/school:",
            query_params={LESSON_PARAM: encode_lesson(lesson)},
        )
