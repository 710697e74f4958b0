"""ui.lesson_plan: a lecturer's lesson as data, its validation, its link code and its files (no Streamlit)."""

import base64
import doctest
import json
import tomllib
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ui.lesson_plan as plan
from ui.lesson_plan import (
    LESSON_PARAM,
    MAX_FILE_BYTES,
    MAX_LINK_CHARS,
    MAX_NOTE_CHARS,
    MAX_PARAMS,
    MAX_STEPS,
    MAX_TITLE_CHARS,
    MAX_VALUE_CHARS,
    READY_LESSONS_DIR,
    STEP_PARAM,
    Lesson,
    Step,
    add_step,
    decode_lesson,
    encode_lesson,
    lesson_file_name,
    lesson_from_data,
    lesson_to_data,
    lesson_to_json,
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

PAGE_NAMES = [spec.url_path for spec in PAGES]
GOOD = {"page": "binary", "params": {"bce_p": "0.05"}, "note": "Why so steep?"}


def data(*steps, **extra):
    return {"version": 1, "title": "T", "steps": list(steps), **extra}


def only_problem(loaded) -> str:
    assert len(loaded.problems) == 1, loaded.problems
    return loaded.problems[0]


def test_the_docstring_examples_run():
    # ui/ is not under pytest's doctest paths (it holds Streamlit modules); this one is pure.
    result = doctest.testmod(plan, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.attempted > 5
    assert result.failed == 0


# ------------------------------------------------------------------------------------------ reading
def test_a_good_lesson_loads_without_problems():
    loaded = lesson_from_data(data(GOOD, {"page": "kl"}))
    assert loaded.problems == ()
    assert loaded.lesson == Lesson("T", (Step("binary", {"bce_p": ("0.05",)}, "Why so steep?"), Step("kl")))


def test_numbers_flags_and_lists_become_the_urls_text():
    params = {"a": 3, "b": 0.1, "c": True, "d": ["1", 2], "units": "bits"}
    step = lesson_from_data(data({"page": "kl", "params": params})).lesson.steps[0]
    assert step.params == {"a": ("3",), "b": ("0.1",), "c": ("true",), "d": ("1", "2"), "units": ("bits",)}


def test_notes_are_trimmed_and_their_line_ends_made_plain():
    step = lesson_from_data(data({"page": "kl", "note": "  one\r\ntwo\rthree \n"})).lesson.steps[0]
    assert step.note == "one\ntwo\nthree"


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ("binary", "Step 2 is not a table with a page, its params and a note; got “binary”."),
        ({"params": {}}, "Step 2 has no page."),
        ({"page": "nope"}, "Step 2: there is no page “nope”. The pages are home, surprise"),
        ({"page": "kl", "nots": "x"}, "Step 2: unknown field “nots” (a step has page, params, note)."),
        (
            {"page": "kl", "params": ["x"]},
            "Step 2: its params must be a table of control names and values; got a list.",
        ),
        ({"page": "kl", "params": {"bce p": "1"}}, "Step 2: “bce p” is not the name of a control"),
        ({"page": "kl", "params": {"9x": "1"}}, "Step 2: “9x” is not the name of a control"),
        (
            {"page": "kl", "params": {"x" * 41: "1"}},
            "Step 2: “" + "x" * 40 + "…” is not the name of a control",
        ),
        ({"page": "kl", "params": {"lesson": "x"}}, "Step 2: “lesson” is the explorer's own link parameter"),
        (
            {"page": "kl", "params": {"present": "1"}},
            "Step 2: “present” is the explorer's own link parameter",
        ),
        ({"page": "kl", "params": {"step": "1"}}, "Step 2: “step” is the explorer's own link parameter"),
        (
            {"page": "kl", "params": {"kl_q0": {"a": 1}}},
            "Step 2: the value of kl_q0 must be text, a finite number",
        ),
        (
            {"page": "kl", "params": {"kl_q0": float("nan")}},
            "Step 2: the value of kl_q0 must be text, a finite",
        ),
        ({"page": "kl", "params": {"kl_q0": []}}, "Step 2: kl_q0 must have 1 to 10 values; got 0."),
        ({"page": "kl", "params": {"kl_q0": ["1"] * 11}}, "Step 2: kl_q0 must have 1 to 10 values; got 11."),
        (
            {"page": "kl", "params": {"kl_q0": "x" * (MAX_VALUE_CHARS + 1)}},
            f"Step 2: the value of kl_q0 has {MAX_VALUE_CHARS + 1} characters; a setting can have at most",
        ),
        ({"page": "kl", "params": {"kl_q0": "a\nb"}}, "Step 2: the value of kl_q0 contains a line break"),
        (
            {"page": "kl", "params": {"kl_q0": "a\x1bb"}},
            "Step 2: the value of kl_q0 contains a line break or a",
        ),
        ({"page": "kl", "params": {"units": "kelvin"}}, "Step 2: units must be nats or bits; got “kelvin”."),
        (
            {"page": "kl", "params": {f"k{i}": "1" for i in range(MAX_PARAMS + 1)}},
            f"Step 2 has {MAX_PARAMS + 1} settings; a step can hold at most {MAX_PARAMS}.",
        ),
        ({"page": "kl", "note": 5}, "Step 2: its note must be text; got “5”."),
        (
            {"page": "kl", "note": "x" * (MAX_NOTE_CHARS + 1)},
            f"Step 2: its note has {MAX_NOTE_CHARS + 1} characters; a note can have at most {MAX_NOTE_CHARS}",
        ),
        ({"page": "kl", "note": "bell\x07"}, "Step 2: its note contains a control character."),
    ],
)
def test_a_bad_step_is_named_and_left_out_and_the_good_steps_still_load(step, message):
    loaded = lesson_from_data(data(GOOD, step, {"page": "kl"}))
    text = only_problem(loaded)
    assert text.startswith(message), text
    assert text.endswith("This step was left out."), text
    assert [s.page for s in loaded.lesson.steps] == ["binary", "kl"]


def test_every_problem_of_a_step_is_named():
    loaded = lesson_from_data(data(GOOD, {"page": "kl", "params": {"9": "1"}, "note": 7}))
    assert len(loaded.problems) == 2
    assert all(text.startswith("Step 2") for text in loaded.problems)


@pytest.mark.parametrize(
    ("lesson", "message"),
    [
        (["x"], "A lesson is a table with a title and a list of steps; got a list."),
        ({"title": "T"}, "A lesson needs a list of steps ([[steps]] tables in TOML"),
        ({"steps": {"page": "kl"}}, "A lesson needs a list of steps ([[steps]] tables in TOML, "),
        (
            {"version": 2, "steps": [GOOD]},
            "This lesson has format version “2”; this explorer reads version 1.",
        ),
        ({"version": True, "steps": [GOOD]}, "This lesson has format version “True”"),
        ({"steps": []}, "The lesson has no steps."),
    ],
)
def test_a_lesson_that_cannot_be_used_at_all_gives_no_lesson_and_says_why(lesson, message):
    loaded = lesson_from_data(lesson)
    assert loaded.lesson is None
    assert loaded.problems[-1].startswith(message), loaded.problems


def test_a_lesson_of_bad_steps_only_says_no_step_could_be_used():
    loaded = lesson_from_data(data({"page": "nope"}, {"page": "kl", "note": 1}))
    assert loaded.lesson is None
    assert loaded.problems[-1] == "No step of this lesson could be used."
    assert loaded.problems[0].startswith("Step 1:")
    assert loaded.problems[1].startswith("Step 2:")


def test_too_many_steps_keeps_the_first_ones_and_says_so():
    loaded = lesson_from_data(data(*[GOOD] * (MAX_STEPS + 5)))
    assert len(loaded.lesson.steps) == MAX_STEPS
    assert only_problem(loaded) == (
        f"The lesson has {MAX_STEPS + 5} steps; a lesson can have at most {MAX_STEPS}, so steps "
        f"{MAX_STEPS + 1}–{MAX_STEPS + 5} were left out."
    )


@pytest.mark.parametrize(
    ("title", "shown", "message"),
    [
        (None, "Untitled lesson", None),
        ("  Two   words \n", "Two words", None),
        (3, "Untitled lesson", "The lesson's title must be text; got “3”. It is “Untitled lesson”."),
        ("x" * (MAX_TITLE_CHARS + 9), "x" * MAX_TITLE_CHARS, f"The lesson's title has {MAX_TITLE_CHARS + 9}"),
    ],
)
def test_the_title(title, shown, message):
    raw = {"steps": [GOOD]} if title is None else {"title": title, "steps": [GOOD]}
    loaded = lesson_from_data(raw)
    assert loaded.lesson.title == shown
    assert [p[: len(message)] for p in loaded.problems] == ([message] if message else [])


def test_an_unknown_lesson_field_is_ignored_with_a_message():
    loaded = lesson_from_data(data(GOOD, author="me"))
    assert loaded.lesson is not None
    assert only_problem(loaded).startswith("The lesson's field “author” is not known and was ignored")


# ------------------------------------------------------------------------------------------ the link
def test_a_link_code_is_base64url_of_zlib_compressed_compact_json():
    lesson = Lesson("T", (Step("binary", {"bce_p": ("0.3",)}, "n"),))
    code = encode_lesson(lesson)
    assert set(code) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    raw = zlib.decompress(base64.urlsafe_b64decode(code + "=" * (-len(code) % 4)))
    assert json.loads(raw) == lesson_to_data(lesson)
    assert b" " not in raw


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("", "it has characters a lesson code never has"),
        ("abc def", "it has characters a lesson code never has"),
        ("abc=", "it has characters a lesson code never has"),
        ("abcd", "it does not unpack to a lesson"),
        (base64.urlsafe_b64encode(b"plain").decode().rstrip("="), "it does not unpack to a lesson"),
        (encode_lesson(Lesson("T", (Step("kl"),)))[:-6], "it ends too early"),
        (
            base64.urlsafe_b64encode(zlib.compress(b"[" * 300_000)).decode().rstrip("="),
            "it unpacks to more than a lesson can hold",
        ),
        (
            base64.urlsafe_b64encode(zlib.compress(b"{not json")).decode().rstrip("="),
            "it does not unpack to a lesson",
        ),
        (
            base64.urlsafe_b64encode(zlib.compress(b"\xff\xfe")).decode().rstrip("="),
            "it does not unpack to a lesson",
        ),
    ],
)
def test_a_damaged_link_says_it_is_damaged(code, why):
    loaded = decode_lesson(code)
    assert loaded.lesson is None
    assert only_problem(loaded).startswith(
        f"This lesson link is damaged, perhaps cut off when it was copied ({why})"
    )


def test_a_link_code_with_bad_steps_loads_the_good_ones():
    raw = json.dumps(data(GOOD, {"page": "nope"})).encode()
    loaded = decode_lesson(base64.urlsafe_b64encode(zlib.compress(raw)).decode().rstrip("="))
    assert len(loaded.lesson.steps) == 1
    assert only_problem(loaded).startswith("Step 2: there is no page “nope”.")


def test_the_link_length_limit_has_its_own_message():
    assert link_length_problem("x" * MAX_LINK_CHARS) is None
    assert link_length_problem("x" * (MAX_LINK_CHARS + 1)) == (
        f"This lesson is too long for a link: its code has {MAX_LINK_CHARS + 1:,} characters and a link can "
        f"carry at most {MAX_LINK_CHARS:,}. Save it as a file instead, or shorten its notes."
    )
    loaded = decode_lesson("A" * (MAX_LINK_CHARS + 1))
    assert loaded.lesson is None
    assert only_problem(loaded).startswith("This lesson link is too long for a link: its code has 4,001")


def test_a_full_lesson_of_long_notes_is_too_long_for_a_link_but_fits_in_a_file():
    rng_words = [f"word{i}" for i in range(2000)]
    notes = [" ".join(rng_words[k * 60 : k * 60 + 60])[:MAX_NOTE_CHARS] for k in range(MAX_STEPS)]
    lesson = Lesson("Long", tuple(Step("kl", {}, note) for note in notes))
    assert link_length_problem(encode_lesson(lesson)) is not None
    toml = lesson_to_toml(lesson).encode()
    assert len(toml) <= MAX_FILE_BYTES
    assert read_lesson_file("long.toml", toml) == (lesson, ())


# ------------------------------------------------------------------------------------------ files
def test_a_toml_file_round_trips_and_is_readable_toml():
    lesson = Lesson(
        'Quotes " and \\ back',
        (Step("kl", {"kl_mode": ("Soft (a distribution)",), "r": ("1", "2")}, 'Line one\nline "two"\ttab'),),
    )
    text = lesson_to_toml(lesson)
    assert tomllib.loads(text)["steps"][0]["params"] == {"kl_mode": "Soft (a distribution)", "r": ["1", "2"]}
    assert read_lesson_file("x.toml", text.encode()) == (lesson, ())


def test_a_json_file_round_trips():
    lesson = Lesson("J", (Step("binary", {"bce_p": ("0.3",)}, "é ≈ −"),))
    assert read_lesson_file("x.JSON", lesson_to_json(lesson).encode()) == (lesson, ())


def test_a_hand_written_toml_file_with_numbers_and_a_multi_line_note():
    text = '''title = "Hand"
[[steps]]
page = "binary"
note = """
Two
lines"""
params = { bce_p = 0.3, bce_y = "y = 0 (negative)" }
'''
    lesson, problems = read_lesson_file("hand.toml", text.encode())
    assert problems == ()
    assert lesson.steps[0] == Step(
        "binary", {"bce_p": ("0.3",), "bce_y": ("y = 0 (negative)",)}, "Two\nlines"
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "big.toml",
            b"#" * (MAX_FILE_BYTES + 1),
            "The file “big.toml” has 64 KB; a lesson file can have at most 64 KB.",
        ),
        ("bin.toml", b"\xff\xfe\x00", "The file “bin.toml” is not text (UTF-8), so it is not a lesson file."),
        ("bad.toml", b"title = \n", "The file “bad.toml” is not valid TOML: "),
        ("bad.json", b"{", "The file “bad.json” is not valid JSON: "),
        ("list.json", b"[1]", "A lesson is a table with a title and a list of steps; got a list."),
    ],
)
def test_a_file_that_is_not_a_lesson_says_why(name, content, message):
    loaded = read_lesson_file(name, content)
    assert loaded.lesson is None
    assert only_problem(loaded).startswith(message)


def test_a_file_name_from_the_title():
    assert lesson_file_name(Lesson("From softmax to backprop")) == "from-softmax-to-backprop.toml"
    assert lesson_file_name(Lesson("!!!"), ".json") == "lesson.json"


# ------------------------------------------------------------------------------------------ round trips
NAMES = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,39}", fullmatch=True).filter(
    lambda name: name not in {LESSON_PARAM, STEP_PARAM, "present", "units"}
)
TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(["\t", "\\", '"', "'", "#", "="]),
    max_size=40,
)
VALUES = st.lists(TEXT, min_size=1, max_size=3).map(tuple)
NOTES = (
    st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.just("\n"), max_size=MAX_NOTE_CHARS)
    .map(lambda note: note.strip())
    .filter(lambda note: "\r" not in note)
)
STEPS = st.builds(
    Step,
    page=st.sampled_from(PAGE_NAMES),
    params=st.dictionaries(NAMES, VALUES, max_size=5) | st.just({"units": ("bits",)}),
    note=NOTES,
)
TITLES = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=20)
LESSONS = st.builds(Lesson, title=TITLES, steps=st.lists(STEPS, min_size=1, max_size=6).map(tuple))


@settings(max_examples=80, deadline=None)
@given(LESSONS)
def test_a_lesson_survives_the_link_the_toml_file_and_the_json_file(lesson):
    assert decode_lesson(encode_lesson(lesson)) == (lesson, ())
    assert read_lesson_file("l.toml", lesson_to_toml(lesson).encode()) == (lesson, ())
    assert read_lesson_file("l.json", lesson_to_json(lesson).encode()) == (lesson, ())


@settings(max_examples=60, deadline=None)
@given(
    st.binary(max_size=200).map(lambda b: base64.urlsafe_b64encode(b).decode().rstrip("="))
    | st.text(max_size=80)
)
def test_any_text_as_a_link_code_gives_a_lesson_or_messages_never_an_exception(code):
    loaded = decode_lesson(code)
    assert loaded.lesson is not None or loaded.problems


# ------------------------------------------------------------------------------------------ editing
THREE = Lesson("L", (Step("home"), Step("kl"), Step("binary")))


def test_add_move_remove_and_edit_steps():
    lesson = add_step(THREE, Step("train", {}, "last"))
    assert [s.page for s in lesson.steps] == ["home", "kl", "binary", "train"]
    assert [s.page for s in move_step(lesson, 0, 1).steps] == ["kl", "home", "binary", "train"]
    assert [s.page for s in move_step(lesson, 0, -1).steps] == ["home", "kl", "binary", "train"]
    assert [s.page for s in move_step(lesson, 3, 9).steps] == ["home", "kl", "binary", "train"]
    assert [s.page for s in remove_step(lesson, 1).steps] == ["home", "binary", "train"]
    assert with_note(lesson, 2, "  Why?\r\n").steps[2].note == "Why?"
    assert with_title(lesson, "  A   new title ").title == "A new title"
    assert with_title(lesson, "   ").title == "Untitled lesson"
    assert THREE.steps == (Step("home"), Step("kl"), Step("binary"))  # nothing is changed in place


def test_editing_refuses_what_a_file_would_refuse():
    full = Lesson("F", (Step("kl"),) * MAX_STEPS)
    with pytest.raises(ValueError, match=f"A lesson can have at most {MAX_STEPS} steps; this one is full."):
        add_step(full, Step("kl"))
    with pytest.raises(ValueError, match=f"The note of step 2 has {MAX_NOTE_CHARS + 1} characters"):
        with_note(THREE, 1, "x" * (MAX_NOTE_CHARS + 1))
    with pytest.raises(ValueError, match=f"at most {MAX_TITLE_CHARS} characters; got {MAX_TITLE_CHARS + 1}"):
        with_title(THREE, "x" * (MAX_TITLE_CHARS + 1))
    with pytest.raises(ValueError, match=r"index must be a step of the lesson, in \[0, 3\); got 3"):
        remove_step(THREE, 3)
    with pytest.raises(ValueError, match=r"in \[0, 3\); got -1"):
        move_step(THREE, -1, 1)


def test_a_view_becomes_a_step_without_the_frames_parameters_and_the_question():
    url = {
        "bce_p": ["0.3"],
        "present": ["1"],
        "lesson": ["x"],
        "step": ["2"],
        "binary_predict": ["a"],
        "units": ["bits"],
    }
    step, problems = step_from_view("binary", url, leave_out=["binary_predict"])
    assert problems == ()
    assert step == Step("binary", {"bce_p": ("0.3",), "units": ("bits",)})


def test_a_view_that_cannot_be_a_step_says_why():
    step, problems = step_from_view("binary", {"mc_names": ["x" * (MAX_VALUE_CHARS + 1)]})
    assert step is None
    assert problems[0].startswith("This view: the value of mc_names has")


def test_the_query_that_opens_a_step():
    step = Step("binary", {"bce_p": ("0.3",), "r": ("1", "2"), "units": ("bits",)})
    assert step_query(step, code="C", index=2) == {
        "bce_p": ["0.3"],
        "r": ["1", "2"],
        "lesson": ["C"],
        "step": ["3"],
    }
    assert step_query(step, code=None, index=0) == {"bce_p": ["0.3"], "r": ["1", "2"], "step": ["1"]}


@pytest.mark.parametrize(
    ("raw", "index"), [("1", 0), ("3", 2), ("0", None), ("4", None), ("-1", None), ("1.0", None)]
)
def test_step_number(raw, index):
    assert step_number(raw, 3) == index


def test_a_step_label_names_the_page_not_the_note():
    assert step_label(Lesson("L", (Step("kl", {}, "<b>secret</b>"),)), 0) == "1 · Entropy and KL"


# ------------------------------------------------------------------------------------------ shipped lessons
def test_the_ready_lessons_load_without_problems_and_fit_in_a_link():
    ready = read_ready_lessons()
    assert len(ready) >= 2
    for name, (lesson, problems) in ready:
        assert problems == (), name
        assert len(lesson.steps) >= 5, name
        assert all(step.note for step in lesson.steps), name
        assert link_length_problem(encode_lesson(lesson)) is None, name
        assert (READY_LESSONS_DIR / name).suffix == ".toml"


def test_the_frame_leaves_the_lessons_parameters_in_the_link():
    from ui.frame import APP_PARAMETERS, link_problems

    assert {LESSON_PARAM, STEP_PARAM} <= APP_PARAMETERS <= plan.RESERVED_PARAMETERS
    notices, unknown = link_problems(
        {"lesson": ["abc"], "step": ["2"]}, {"lesson": ["abc"], "step": ["2"]}, {}
    )
    assert (notices, unknown) == ([], [])


def test_the_units_parameter_is_the_sidebars_units_control():
    from ui.common import UNITS, UNITS_KEY

    assert plan.UNITS_PARAM == UNITS_KEY
    assert plan.UNITS == UNITS
