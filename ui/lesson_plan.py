"""A lecturer's lesson: an ordered list of steps, each a page, its settings and a note for the room.

This module is the model and nothing else: plain data, its validation, and its three spellings (a link
code, a TOML file, a JSON file).  It imports nothing from Streamlit, so it is tested without a browser;
:mod:`ui.lesson_player` draws it (the lesson bar, the sidebar's Lesson panel, the key listener).

Not to be confused with :mod:`words.lessons`, which holds each *page's* teaching aids ("What to try"
prompts and the predict-then-check question).  A lesson here is a lecturer's sequence of views.

A step's settings are the page's URL query parameters (every control is bound to the URL, its key is
the parameter's name), kept as text exactly as the URL holds them; the page's controls decide whether
they can use them when the step opens (:func:`ui.frame.report_link_problems` says when they cannot).
What this module checks is what it can know without running a page: the page exists, each parameter
has a control's name and a short text value, the note is short, and the limits below.

The one shape, in a file and (compressed) in a link::

    {"version": 1, "title": "Cross-entropy in 15 minutes",
     "steps": [{"page": "binary", "params": {"bce_p": "0.05"}, "note": "What does the loss do?"}]}

A link carries it as ``?lesson=<code>``: compact JSON, compressed with zlib, in base64url without
padding (:func:`encode_lesson`, :func:`decode_lesson`).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import tomllib
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from core.units import UNITS
from ui.registry import PAGES

__all__ = [
    "FORMAT_VERSION",
    "LESSON_PARAM",
    "MAX_FILE_BYTES",
    "MAX_LINK_CHARS",
    "MAX_NOTE_CHARS",
    "MAX_PARAMS",
    "MAX_STEPS",
    "MAX_TITLE_CHARS",
    "MAX_VALUE_CHARS",
    "READY_LESSONS_DIR",
    "RESERVED_PARAMETERS",
    "STEP_PARAM",
    "UNITS_PARAM",
    "Lesson",
    "Loaded",
    "Step",
    "add_step",
    "decode_lesson",
    "encode_lesson",
    "lesson_file_name",
    "lesson_from_data",
    "lesson_to_data",
    "lesson_to_json",
    "lesson_to_toml",
    "link_length_problem",
    "move_step",
    "read_lesson_file",
    "read_ready_lessons",
    "remove_step",
    "step_from_view",
    "step_label",
    "step_number",
    "step_query",
    "with_note",
    "with_title",
]

LESSON_PARAM = "lesson"  # ?lesson=<code>: the lesson a link opens
STEP_PARAM = "step"  # ?step=3: which step (from 1) the view is
UNITS_PARAM = "units"  # the sidebar's shared unit choice (ui.common.UNITS_KEY), a setting a step may hold
# Parameters of the app's frame, never a step's setting: the lesson's own two and presenter mode
# (ui.frame.PRESENT_KEY), which is the viewer's choice, kept from step to step.
RESERVED_PARAMETERS = frozenset({LESSON_PARAM, STEP_PARAM, "present"})

FORMAT_VERSION = 1
MAX_STEPS = 30
MAX_NOTE_CHARS = 500  # a note or question for the room, read aloud in under a minute
MAX_TITLE_CHARS = 80
MAX_PARAMS = 40  # settings in one step (the Train page has the most controls, 16)
MAX_VALUE_CHARS = 400  # one setting's text (the longest control, the class names, takes 300)
MAX_VALUES = 10  # values of one setting that repeats in the URL (a multi-choice control)
# The lesson code in a link.  Browsers take far longer links, but chat tools, e-mail and learning
# platforms cut or refuse long ones; 4,000 characters is safe for all of them (and for nginx's default
# 8 KB request line).  A longer lesson is shared as a file.
MAX_LINK_CHARS = 4_000
MAX_FILE_BYTES = 64 * 1024  # a lesson file; 30 steps of 500-character notes take about 20 KB
_MAX_DECODED_BYTES = 256 * 1024  # what a link's code may unpack to (a guard against zip bombs)

READY_LESSONS_DIR = Path(__file__).resolve().parents[1] / "lessons"  # the lessons the app ships
UNTITLED = "Untitled lesson"

_PAGE_NAMES: tuple[str, ...] = tuple(spec.url_path for spec in PAGES)
_PAGE_TITLES: dict[str, str] = {spec.url_path: spec.title for spec in PAGES}
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")  # a control's key: what the pages use, no more
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # control characters but tab and line feed
_STEP_FIELDS = ("page", "params", "note")
_LESSON_FIELDS = ("version", "title", "steps")
_QUOTE_CHARS = 40


# ------------------------------------------------------------------------------------------ the model
@dataclass(frozen=True)
class Step:
    """One step of a lesson.

    Parameters
    ----------
    page : str
        The page's ``url_path`` (``"binary"``), one of :data:`ui.registry.PAGES`.
    params : mapping of str to tuple of str
        The page's settings as its URL holds them: a control's key and its value(s) as text, e.g.
        ``{"bce_p": ("0.05",)}``; a control at its default is left out.  May hold ``"units"``.
    note : str
        A short note or question for the room (plain text, at most :data:`MAX_NOTE_CHARS`), or "".
    """

    page: str
    params: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class Lesson:
    """A titled, ordered list of steps (at most :data:`MAX_STEPS`)."""

    title: str = UNTITLED
    steps: tuple[Step, ...] = ()


class Loaded(NamedTuple):
    """What reading a lesson gave: the lesson made of its good steps (None if none), and the problems.

    ``problems`` are sentences for the visitor, one per problem, each naming the step it is about.
    """

    lesson: Lesson | None
    problems: tuple[str, ...]


def _quote(raw: object) -> str:
    text = raw if isinstance(raw, str) else repr(raw)
    return f"“{text if len(text) <= _QUOTE_CHARS else text[:_QUOTE_CHARS] + '…'}”"


def _kind(raw: object) -> str:
    if isinstance(raw, Mapping):
        return "a table"
    if isinstance(raw, list | tuple):
        return "a list"
    return f"{_quote(raw)}"


# ------------------------------------------------------------------------------------------ validation
def _normalise_text(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _value_text(raw: object) -> str | None:
    """A setting's value as the URL writes it, or None if it is not a text, a finite number or a flag."""
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        return repr(raw) if math.isfinite(raw) else None
    if isinstance(raw, str):
        return raw
    return None


def _check_params(raw: object, where: str, page: str) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    if raw is None:
        return {}, []
    if not isinstance(raw, Mapping):
        return {}, [f"{where}: its params must be a table of control names and values; got {_kind(raw)}."]
    problems: list[str] = []
    if len(raw) > MAX_PARAMS:
        problems.append(f"{where} has {len(raw)} settings; a step can hold at most {MAX_PARAMS}.")
        return {}, problems
    params: dict[str, tuple[str, ...]] = {}
    for name, value in raw.items():
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            problems.append(
                f"{where}: {_quote(name)} is not the name of a control (a letter, then letters, digits "
                "or _, at most 40 characters)."
            )
            continue
        if name in RESERVED_PARAMETERS:
            problems.append(
                f"{where}: “{name}” is the explorer's own link parameter, not a setting of "
                f"{_PAGE_TITLES.get(page, page)}; leave it out."
            )
            continue
        values = value if isinstance(value, list | tuple) else [value]
        if not values or len(values) > MAX_VALUES:
            problems.append(f"{where}: {name} must have 1 to {MAX_VALUES} values; got {len(values)}.")
            continue
        texts = [_value_text(v) for v in values]
        if any(t is None for t in texts):
            bad = values[texts.index(None)]
            problems.append(
                f"{where}: the value of {name} must be text, a finite number or true/false (a list of "
                f"them for a control with several values); got {_kind(bad)}."
            )
            continue
        too_long = [t for t in texts if len(t) > MAX_VALUE_CHARS]
        if too_long:
            problems.append(
                f"{where}: the value of {name} has {len(too_long[0])} characters; a setting can have at "
                f"most {MAX_VALUE_CHARS}."
            )
            continue
        if any(_CONTROL.search(t) or "\n" in t for t in texts):
            problems.append(f"{where}: the value of {name} contains a line break or a control character.")
            continue
        if name == UNITS_PARAM and (len(texts) != 1 or texts[0] not in UNITS):
            problems.append(f"{where}: units must be {' or '.join(UNITS)}; got {_quote(', '.join(texts))}.")
            continue
        params[name] = tuple(texts)
    return params, problems


def _check_step(raw: object, number: int) -> tuple[Step | None, list[str]]:
    """One step from a file or a link: the step, or None and the sentences that say why not."""
    where = f"Step {number}"
    if not isinstance(raw, Mapping):
        return None, [f"{where} is not a table with a page, its params and a note; got {_kind(raw)}."]
    unknown = [key for key in raw if key not in _STEP_FIELDS]
    if unknown:
        return None, [f"{where}: unknown field {_quote(unknown[0])} (a step has {', '.join(_STEP_FIELDS)})."]
    page = raw.get("page")
    if page is None:
        return None, [f"{where} has no page."]
    if page not in _PAGE_NAMES:
        return None, [f"{where}: there is no page {_quote(page)}. The pages are {', '.join(_PAGE_NAMES)}."]
    problems: list[str] = []
    params, param_problems = _check_params(raw.get("params"), where, page)
    problems += param_problems
    note = raw.get("note", "")
    if not isinstance(note, str):
        problems.append(f"{where}: its note must be text; got {_kind(note)}.")
    else:
        note = _normalise_text(note)
        if len(note) > MAX_NOTE_CHARS:
            problems.append(
                f"{where}: its note has {len(note)} characters; a note can have at most {MAX_NOTE_CHARS}."
            )
        elif _CONTROL.search(note):
            problems.append(f"{where}: its note contains a control character.")
    if problems:
        return None, problems
    return Step(page=page, params=params, note=note), []


def lesson_from_data(data: object) -> Loaded:
    """Validate a lesson read from a file or a link: every good step, and a sentence per problem.

    A problem in a step leaves that step out and names it; the other steps still load.  A problem with
    the whole lesson (no list of steps, an unknown version, no good step) gives no lesson.

    Parameters
    ----------
    data : object
        What ``json.loads`` or ``tomllib.loads`` gave: a mapping with ``steps`` (a list of mappings with
        ``page``, optional ``params`` and ``note``), optional ``title`` and ``version``.

    Returns
    -------
    Loaded

    Examples
    --------
    >>> steps = [{"page": "binary", "params": {"bce_p": 0.05}}, {"page": "nope"}]
    >>> loaded = lesson_from_data({"steps": steps})
    >>> loaded.lesson.steps[0].params
    {'bce_p': ('0.05',)}
    >>> loaded.problems[0][:34]
    'Step 2: there is no page “nope”. T'
    """
    if not isinstance(data, Mapping):
        return Loaded(None, (f"A lesson is a table with a title and a list of steps; got {_kind(data)}.",))
    problems: list[str] = []
    version = data.get("version", FORMAT_VERSION)
    if isinstance(version, bool) or version != FORMAT_VERSION:
        return Loaded(
            None,
            (
                f"This lesson has format version {_quote(version)}; this explorer reads version "
                f"{FORMAT_VERSION}.",
            ),
        )
    unknown = [key for key in data if key not in _LESSON_FIELDS]
    if unknown:
        problems.append(
            f"The lesson's field {_quote(unknown[0])} is not known and was ignored (a lesson has "
            f"{', '.join(_LESSON_FIELDS)})."
        )
    title = data.get("title", UNTITLED)
    if not isinstance(title, str):
        problems.append(f"The lesson's title must be text; got {_kind(title)}. It is “{UNTITLED}”.")
        title = UNTITLED
    title = " ".join(_normalise_text(title).split()) or UNTITLED
    if len(title) > MAX_TITLE_CHARS:
        problems.append(
            f"The lesson's title has {len(title)} characters; at most {MAX_TITLE_CHARS} are kept."
        )
        title = title[:MAX_TITLE_CHARS].rstrip()
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list):
        problems.append(
            'A lesson needs a list of steps ([[steps]] tables in TOML, "steps": [...] in JSON); '
            f"got {'none' if raw_steps is None else _kind(raw_steps)}."
        )
        return Loaded(None, tuple(problems))
    if len(raw_steps) > MAX_STEPS:
        problems.append(
            f"The lesson has {len(raw_steps)} steps; a lesson can have at most {MAX_STEPS}, so steps "
            f"{MAX_STEPS + 1}–{len(raw_steps)} were left out."
        )
    steps: list[Step] = []
    for number, raw in enumerate(raw_steps[:MAX_STEPS], start=1):
        step, step_problems = _check_step(raw, number)
        problems += [f"{text} This step was left out." for text in step_problems[:1]] + step_problems[1:]
        if step is not None:
            steps.append(step)
    if not steps:
        problems.append("No step of this lesson could be used." if raw_steps else "The lesson has no steps.")
        return Loaded(None, tuple(problems))
    return Loaded(Lesson(title=title, steps=tuple(steps)), tuple(problems))


# ------------------------------------------------------------------------------------------ spellings
def lesson_to_data(lesson: Lesson) -> dict:
    """The lesson as plain data (JSON and TOML can hold it); a setting with one value is a string.

    >>> lesson_to_data(Lesson("L", (Step("kl", {"kl_mode": ("Soft",)}, "Why?"),)))["steps"]
    [{'page': 'kl', 'params': {'kl_mode': 'Soft'}, 'note': 'Why?'}]
    """
    steps = []
    for step in lesson.steps:
        params = {
            name: values[0] if len(values) == 1 else list(values) for name, values in step.params.items()
        }
        steps.append({"page": step.page, "params": params, "note": step.note})
    return {"version": FORMAT_VERSION, "title": lesson.title, "steps": steps}


def encode_lesson(lesson: Lesson) -> str:
    """The lesson as a link's code: compact JSON, zlib, base64url without padding.

    >>> code = encode_lesson(Lesson("L", (Step("binary"),)))
    >>> decode_lesson(code).lesson == Lesson("L", (Step("binary"),))
    True
    """
    text = json.dumps(lesson_to_data(lesson), separators=(",", ":"), ensure_ascii=False)
    packed = zlib.compress(text.encode("utf-8"), 9)
    return base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def link_length_problem(code: str) -> str | None:
    """The sentence that says a lesson is too long for a link, or None if its code fits."""
    if len(code) <= MAX_LINK_CHARS:
        return None
    return (
        f"This lesson is too long for a link: its code has {len(code):,} characters and a link can carry "
        f"at most {MAX_LINK_CHARS:,}. Save it as a file instead, or shorten its notes."
    )


_DAMAGED = (
    "This lesson link is damaged, perhaps cut off when it was copied ({why}). Ask for the link again, "
    "or for the lesson as a file."
)


def decode_lesson(code: str) -> Loaded:
    """Read a link's lesson code (:func:`encode_lesson`) and validate it (:func:`lesson_from_data`).

    Checked before anything is unpacked: the length (:data:`MAX_LINK_CHARS`) and the alphabet; the
    unpacked text may not exceed 256 KB.

    >>> decode_lesson("abc").problems[0][:30]
    'This lesson link is damaged, p'
    """
    problem = link_length_problem(code)
    if problem is not None:
        return Loaded(None, (problem.replace("This lesson is too long", "This lesson link is too long"),))
    if not code or not _BASE64URL.fullmatch(code):
        return Loaded(None, (_DAMAGED.format(why="it has characters a lesson code never has"),))
    try:
        packed = base64.urlsafe_b64decode(code + "=" * (-len(code) % 4))
        unpacker = zlib.decompressobj()
        raw = unpacker.decompress(packed, _MAX_DECODED_BYTES)
        if unpacker.unconsumed_tail:
            return Loaded(None, (_DAMAGED.format(why="it unpacks to more than a lesson can hold"),))
        if not unpacker.eof:
            return Loaded(None, (_DAMAGED.format(why="it ends too early"),))
        data = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, zlib.error):  # json and UnicodeDecodeError are ValueErrors
        return Loaded(None, (_DAMAGED.format(why="it does not unpack to a lesson"),))
    return lesson_from_data(data)


def _toml_string(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    escapes = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
    out = []
    for char in text:
        if char in escapes:
            out.append(escapes[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


_TOML_HEADER = """\
# A lesson for the Cross-Entropy Explorer.  Load it with "Load a lesson file" in the sidebar's Lesson
# panel.  Each [[steps]] table is one step: the page (its address, e.g. "binary" for /binary), the
# page's settings under [steps.params] as the page's link writes them, and a note for the room.
"""


def lesson_to_toml(lesson: Lesson) -> str:
    """The lesson as a small TOML file, for a lecturer to keep, edit and load again.

    >>> demo = Lesson("Demo", (Step("binary", {"bce_p": ("0.05",)}, 'Say "why"'),))
    >>> print(lesson_to_toml(demo).split("\\n\\n", 1)[1])
    title = "Demo"
    version = 1
    <BLANKLINE>
    [[steps]]
    page = "binary"
    note = "Say \\"why\\""
    [steps.params]
    bce_p = "0.05"
    <BLANKLINE>
    """
    lines = [_TOML_HEADER, f"title = {_toml_string(lesson.title)}", f"version = {FORMAT_VERSION}"]
    for step in lesson.steps:
        lines += ["", "[[steps]]", f"page = {_toml_string(step.page)}", f"note = {_toml_string(step.note)}"]
        if step.params:
            lines.append("[steps.params]")
            for name, values in step.params.items():
                value = (
                    _toml_string(values[0])
                    if len(values) == 1
                    else "[" + ", ".join(_toml_string(v) for v in values) + "]"
                )
                lines.append(f"{name} = {value}")
    return "\n".join(lines) + "\n"


def lesson_to_json(lesson: Lesson) -> str:
    """The lesson as an indented JSON file."""
    return json.dumps(lesson_to_data(lesson), indent=2, ensure_ascii=False) + "\n"


def read_lesson_file(name: str, content: bytes) -> Loaded:
    """Read and validate a lesson file: TOML, or JSON when its name ends in ``.json``.

    Parameters
    ----------
    name : str
        The file's name, as the visitor's computer called it (quoted in messages).
    content : bytes
        The file's bytes (at most :data:`MAX_FILE_BYTES`), UTF-8.
    """
    shown = _quote(name)
    if len(content) > MAX_FILE_BYTES:
        return Loaded(
            None,
            (
                f"The file {shown} has {len(content) / 1024:.0f} KB; a lesson file can have at most "
                f"{MAX_FILE_BYTES // 1024} KB.",
            ),
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Loaded(None, (f"The file {shown} is not text (UTF-8), so it is not a lesson file.",))
    as_json = name.lower().endswith(".json")
    try:
        data = json.loads(text) if as_json else tomllib.loads(text)
    except ValueError as error:  # json.JSONDecodeError and tomllib.TOMLDecodeError
        kind = "JSON" if as_json else "TOML"
        return Loaded(None, (f"The file {shown} is not valid {kind}: {error}.",))
    return lesson_from_data(data)


def read_ready_lessons(folder: Path = READY_LESSONS_DIR) -> list[tuple[str, Loaded]]:
    """The lessons shipped in ``folder`` (``*.toml``, by file name), each read and validated."""
    return [
        (path.name, read_lesson_file(path.name, path.read_bytes())) for path in sorted(folder.glob("*.toml"))
    ]


def lesson_file_name(lesson: Lesson, suffix: str = ".toml") -> str:
    """A file name for the lesson: its title in lower case, words joined by hyphens.

    >>> lesson_file_name(Lesson("Cross-entropy in 15 minutes!"))
    'cross-entropy-in-15-minutes.toml'
    """
    stem = "-".join(re.findall(r"[a-z0-9]+", lesson.title.lower()))[:60].strip("-") or "lesson"
    return stem + suffix


# ------------------------------------------------------------------------------------------ editing
def _checked_index(lesson: Lesson, index: int) -> int:
    if not 0 <= index < len(lesson.steps):
        raise ValueError(f"index must be a step of the lesson, in [0, {len(lesson.steps)}); got {index}")
    return index


def add_step(lesson: Lesson, step: Step) -> Lesson:
    """The lesson with ``step`` appended; ``ValueError`` if it already has :data:`MAX_STEPS` steps."""
    if len(lesson.steps) >= MAX_STEPS:
        raise ValueError(f"A lesson can have at most {MAX_STEPS} steps; this one is full.")
    return replace(lesson, steps=(*lesson.steps, step))


def remove_step(lesson: Lesson, index: int) -> Lesson:
    """The lesson without its step ``index`` (from 0)."""
    _checked_index(lesson, index)
    return replace(lesson, steps=lesson.steps[:index] + lesson.steps[index + 1 :])


def move_step(lesson: Lesson, index: int, offset: int) -> Lesson:
    """The lesson with step ``index`` moved by ``offset`` places (-1: earlier), kept within the lesson.

    >>> steps = (Step("home"), Step("kl"), Step("binary"))
    >>> [s.page for s in move_step(Lesson("L", steps), 2, -1).steps]
    ['home', 'binary', 'kl']
    """
    _checked_index(lesson, index)
    target = min(max(index + offset, 0), len(lesson.steps) - 1)
    steps = list(lesson.steps)
    steps.insert(target, steps.pop(index))
    return replace(lesson, steps=tuple(steps))


def with_note(lesson: Lesson, index: int, note: str) -> Lesson:
    """The lesson with a new note for step ``index``; ``ValueError`` if the note is too long."""
    _checked_index(lesson, index)
    note = _normalise_text(note)
    if len(note) > MAX_NOTE_CHARS:
        raise ValueError(
            f"The note of step {index + 1} has {len(note)} characters; a note can have at most "
            f"{MAX_NOTE_CHARS}."
        )
    steps = list(lesson.steps)
    steps[index] = replace(steps[index], note=note)
    return replace(lesson, steps=tuple(steps))


def with_title(lesson: Lesson, title: str) -> Lesson:
    """The lesson with a new title (one line, at most :data:`MAX_TITLE_CHARS`; empty means untitled)."""
    title = " ".join(title.split())
    if len(title) > MAX_TITLE_CHARS:
        raise ValueError(f"A lesson's title can have at most {MAX_TITLE_CHARS} characters; got {len(title)}.")
    return replace(lesson, title=title or UNTITLED)


def step_from_view(
    page: str, parameters: Mapping[str, Iterable[str]], *, leave_out: Iterable[str] = ()
) -> tuple[Step | None, tuple[str, ...]]:
    """The current view as a step: the page and its URL's parameters, without the frame's own.

    Parameters
    ----------
    page : str
        The page's ``url_path``.
    parameters : mapping of str to iterable of str
        The URL's query parameters now (``ui.frame.link_parameters()``).
    leave_out : iterable of str
        More parameters to leave out (the page's question, so the room can still answer it).

    Returns
    -------
    step : Step or None
    problems : tuple of str
        Why the view cannot be a step (an unknown page, a value too long for a step), or ().
    """
    skip = RESERVED_PARAMETERS | set(leave_out)
    params = {name: list(values) for name, values in parameters.items() if name not in skip and list(values)}
    step, problems = _check_step({"page": page, "params": params}, number=1)
    return step, tuple(text.replace("Step 1", "This view", 1) for text in problems)


def step_query(step: Step, *, code: str | None, index: int) -> dict[str, list[str]]:
    """The query parameters that open ``step``: its settings (but the shared units), the lesson, the step.

    ``units`` is left out: it belongs to a control every page shares, which the player sets itself.

    >>> step_query(Step("binary", {"bce_p": ("0.3",), "units": ("bits",)}), code="Abc", index=1)
    {'bce_p': ['0.3'], 'lesson': ['Abc'], 'step': ['2']}
    """
    query = {name: list(values) for name, values in step.params.items() if name != UNITS_PARAM}
    if code is not None:
        query[LESSON_PARAM] = [code]
    query[STEP_PARAM] = [str(index + 1)]
    return query


def step_number(raw: str | None, count: int) -> int | None:
    """The step index (from 0) a URL's ``step`` text names, or None if it names no step of ``count``.

    >>> step_number("2", 3), step_number("4", 3), step_number("x", 3), step_number(None, 3)
    (1, None, None, None)
    """
    if raw is None or not raw.isdigit():
        return None
    number = int(raw)
    return number - 1 if 1 <= number <= count else None


def step_label(lesson: Lesson, index: int) -> str:
    """``"3 · Binary cross-entropy"``: the step's number and its page's title (no visitor text)."""
    step = lesson.steps[_checked_index(lesson, index)]
    return f"{index + 1} · {_PAGE_TITLES[step.page]}"
