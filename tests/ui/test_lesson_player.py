"""ui.lesson_player and ui.page_menu in the app (AppTest): lesson links, stepping, composing, the menu."""

import base64
import json
import math
import zlib

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages._apptest import APP
from ui.lesson_plan import Lesson, Step, decode_lesson, encode_lesson
from ui.lesson_player import OPEN_KEY, PANEL_KEY, PROBLEMS_TITLE, ready_lessons
from ui.registry import DEFAULT_PAGE, PAGES, pages_by_section

SPECS = {spec.url_path: spec for spec in PAGES}
WIDGETS = ("slider", "select_slider", "radio", "selectbox", "number_input", "text_input")


def app_test(*, panel: bool = True) -> AppTest:
    """The app, not yet run; its sidebar's Lesson panel open (``panel``), as a lecturer opens it."""
    at = AppTest.from_file(str(APP), default_timeout=120)
    if panel:
        at.session_state[OPEN_KEY] = True  # what opening it on an earlier page leaves
    return at


def open_app(*, panel: bool = True, **params: str) -> AppTest:
    """The app run at the link ``params`` (see :func:`app_test`)."""
    at = app_test(panel=panel)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def run(at) -> AppTest:
    """Run the app (``at`` is the AppTest, or a widget just changed, whose ``run`` runs its AppTest).

    A step on the page already shown opens in two runs; in the browser a fragment's timer starts the
    second (ui.lesson_player._continue_opening), here the test does.
    """
    at = at.run()
    assert not at.exception, [e.value for e in at.exception]
    if "lesson_pending" in at.session_state:
        assert any("Opening step" in m.value for m in at.main.markdown)
        at = at.run()
        assert not at.exception, [e.value for e in at.exception]
    assert "lesson_pending" not in at.session_state
    return at


def page_of(at: AppTest) -> str:
    return at.session_state["_page_url_path"]


def query(at: AppTest) -> dict[str, str]:
    return {key: at.query_params[key] for key in at.query_params}


def toasts(at: AppTest) -> list[str]:
    return [t.value for t in at.get("toast")]


def bar_texts(at: AppTest) -> list[str]:
    return [t.value for t in at.main.get("text")]


def widget(at: AppTest, key: str):
    for kind in WIDGETS:
        found = [w for w in at.get(kind) if w.key == key]
        if found:
            return found[0]
    raise AssertionError(f"no control {key} on {page_of(at)}")


def shows(element, raw: str) -> bool:
    """The control shows the URL text ``raw``: a number to 1e-9, an option by its label."""
    value = element.value
    try:
        return math.isclose(float(value), float(raw), abs_tol=1e-9)
    except (TypeError, ValueError):
        pass
    options = list(getattr(element, "options", []) or [])
    if options and isinstance(value, int) and 0 <= value < len(options):
        return options[value] == raw  # a radio or select box over range(n) with a format_func
    labels = [str(o) for o in options]
    return str(value) == raw or (raw in labels and getattr(element, "format_func", str)(value) == raw)


def step_matches(at: AppTest, lesson: Lesson, index: int) -> None:
    step = lesson.steps[index]
    assert page_of(at) == step.page
    assert at.query_params["step"] == str(index + 1)
    assert at.session_state["units"] == step.params.get("units", ("nats",))[0]
    for name, (raw, *_) in step.params.items():
        if name != "units":
            assert shows(widget(at, name), raw), (index, name, widget(at, name).value, raw)
    texts = bar_texts(at)
    assert lesson.title in texts
    assert (step.note in texts) is bool(step.note)
    assert f"**Step {index + 1} of {len(lesson.steps)}**" in [m.value for m in at.main.markdown]
    assert not [t for t in toasts(at) if "link" in t], toasts(at)  # "The link's x=… could not be used"


@pytest.mark.parametrize("ready", ready_lessons(), ids=[name for name, _ in ready_lessons()])
def test_a_ready_lesson_opens_every_step_with_its_settings_and_note(ready):
    _, lesson = ready
    at = open_app(lesson=encode_lesson(lesson))
    step_matches(at, lesson, 0)
    for index in range(1, len(lesson.steps)):
        run(at.button(key="lesson_next").click())
        step_matches(at, lesson, index)
    assert at.button(key="lesson_next").disabled
    run(at.button(key="lesson_previous").click())
    step_matches(at, lesson, len(lesson.steps) - 2)


def test_a_step_on_the_same_page_puts_every_other_control_back_at_its_default():
    lesson = Lesson(
        "L", (Step("binary", {"bce_p": ("0.05",), "bce_pw": ("3.0",)}), Step("binary", {"bce_z": ("-3.0",)}))
    )
    at = open_app(lesson=encode_lesson(lesson))
    assert (widget(at, "bce_p").value, widget(at, "bce_pw").value) == (
        pytest.approx(0.05),
        pytest.approx(3.0),
    )
    run(at.button(key="lesson_next").click())
    assert page_of(at) == "binary"
    assert at.query_params["step"] == "2"
    assert widget(at, "bce_z").value == pytest.approx(-3.0)
    assert widget(at, "bce_p").value == pytest.approx(0.70)
    assert widget(at, "bce_pw").value == pytest.approx(1.0)
    assert "bce_p" not in at.query_params


def test_a_link_with_bad_steps_opens_the_good_ones_and_names_the_bad_ones_as_text():
    raw = {
        "title": "Mixed",
        "steps": [
            {"page": "nope", "note": "x"},
            {"page": "binary", "params": {"bce_p": "0.3"}, "note": "**not bold** <b>no html</b> :red[no]"},
            {"page": "kl", "params": {"kl q0": "1"}},
        ],
    }
    code = base64.urlsafe_b64encode(zlib.compress(json.dumps(raw).encode())).decode().rstrip("=")
    at = open_app(lesson=code)
    assert page_of(at) == "binary"
    assert widget(at, "bce_p").value == pytest.approx(0.3)
    texts = bar_texts(at)
    assert any(t.startswith("• Step 1: there is no page “nope”.") for t in texts), texts
    assert any(t.startswith("• Step 3: “kl q0” is not the name of a control") for t in texts), texts
    assert "**not bold** <b>no html</b> :red[no]" in texts  # the note, as typed: st.text
    assert f":material/warning: **{PROBLEMS_TITLE}**" in [m.value for m in at.main.markdown]
    assert all("not bold" not in m.value for m in at.markdown)
    assert "**Step 1 of 1**" in [m.value for m in at.main.markdown]
    run(at.button(key="lesson_dismiss").click())
    assert not any(t.startswith("•") for t in bar_texts(at))


def test_a_damaged_link_says_so_and_leaves_the_page_as_it_is():
    at = open_app(lesson="not-a-lesson", step="2")
    assert page_of(at) == DEFAULT_PAGE.url_path
    assert any("This lesson link is damaged" in t for t in bar_texts(at)), bar_texts(at)
    assert "lesson" not in at.query_params
    assert "step" not in at.query_params
    assert not any(b.key == "lesson_next" for b in at.button)  # no lesson bar


def test_a_link_to_a_later_step_opens_that_step_as_the_link_holds_it():
    lesson = Lesson("L", (Step("kl"), Step("binary", {"bce_p": ("0.2",)}, "two")))
    at = app_test()
    at.query_params.update({"lesson": encode_lesson(lesson), "step": "2", "bce_p": "0.4"})
    at.switch_page("pages/binary.py")
    run(at)
    assert page_of(at) == "binary"
    assert widget(at, "bce_p").value == pytest.approx(0.4)  # the student's own change, kept in the link
    assert "two" in bar_texts(at)
    run(at.button(key="lesson_previous").click())
    assert page_of(at) == "kl"


def test_add_this_view_as_a_step_keeps_the_settings_but_not_the_answer_to_the_question():
    at = app_test()
    at.query_params.update({"bce_p": "0.3", "units": "bits"})
    at.switch_page("pages/binary.py")
    run(at)
    at.radio(key="binary_predict").set_value(at.radio(key="binary_predict").options[0])
    run(at)
    run(at.button(key="lesson_add").click())
    lesson = at.session_state["lesson_plan"]
    assert lesson.steps == (Step("binary", {"bce_p": ("0.3",), "units": ("bits",)}),)
    assert at.query_params["step"] == "1"
    assert at.query_params["lesson"] == encode_lesson(lesson)
    assert "**Step 1 of 1**" in [m.value for m in at.main.markdown]
    assert any("Added as step 1" in t for t in toasts(at))


def test_compose_two_steps_then_step_back_to_the_first():
    at = app_test()
    at.switch_page("pages/kl.py")
    run(at)
    run(at.button(key="lesson_add").click())
    at.switch_page("pages/binary.py")
    at.query_params["bce_p"] = "0.2"
    run(at)
    # Off the lesson's path: the bar says so and offers the way back.
    assert any("This page is not step 1" in m.value for m in at.main.markdown)
    run(at.button(key="lesson_add").click())
    lesson = at.session_state["lesson_plan"]
    assert [s.page for s in lesson.steps] == ["kl", "binary"]
    run(at.button(key="lesson_previous").click())
    assert page_of(at) == "kl"
    assert at.query_params["step"] == "1"
    run(at.button(key="lesson_next").click())
    assert page_of(at) == "binary"
    assert widget(at, "bce_p").value == pytest.approx(0.2)


def test_a_home_page_lesson_link_opens_step_one_with_its_settings():
    _, lesson = ready_lessons()[0]
    at = app_test()
    at.session_state["units"] = "nats"  # a visitor's earlier choice, which step 1 (in bits) replaces
    at.query_params["lesson"] = encode_lesson(lesson)
    at.switch_page(SPECS[lesson.steps[0].page].path)
    run(at)
    step_matches(at, lesson, 0)


def test_the_lesson_panel_draws_its_widgets_only_while_it_is_open():
    at = open_app(panel=False)
    assert [b.key for b in at.sidebar.button] == ["share_link"]
    assert not at.get("file_uploader")
    at.session_state[PANEL_KEY] = True  # what a click on the folded panel does: it reruns the app
    run(at)
    shown = [b.key for b in at.sidebar.button]
    assert "lesson_add" in shown
    assert [f"lesson_ready_{name.removesuffix('.toml')}" for name, _ in ready_lessons()] == shown[-2:]
    assert len(at.get("file_uploader")) == 1


def test_the_lesson_panel_stays_open_on_the_next_page_and_folds_when_told():
    at = open_app()  # opened on an earlier page
    at.switch_page("pages/binary.py")
    run(at)
    assert "lesson_add" in [b.key for b in at.sidebar.button]
    at.session_state[PANEL_KEY] = False  # a click on the open panel
    run(at)
    assert [b.key for b in at.sidebar.button] == ["share_link"]


def test_the_ready_lessons_in_the_sidebar_open_step_one():
    name, lesson = ready_lessons()[1]
    at = open_app()
    run(at.button(key=f"lesson_ready_{name.removesuffix('.toml')}").click())
    assert page_of(at) == lesson.steps[0].page
    assert lesson.steps[0].note in bar_texts(at)


def test_close_the_lesson():
    at = open_app(lesson=encode_lesson(Lesson("L", (Step("kl", {}, "n"),))))
    run(at.button(key="lesson_close").click())
    assert "lesson" not in at.query_params
    assert "step" not in at.query_params
    assert not any(b.key == "lesson_next" for b in at.button)


def test_a_lesson_link_is_carried_with_presenter_mode():
    at = open_app(lesson=encode_lesson(Lesson("L", (Step("binary", {"bce_p": ("0.2",)}),))), present="1")
    assert page_of(at) == "binary"
    assert at.query_params["present"] == "1"
    assert at.session_state["present"] is True


def test_the_home_page_offers_the_ready_lessons_as_links():
    at = open_app()
    links = [link.proto for link in at.main.get("page_link") if "lesson=" in link.proto.query_string]
    assert len(links) == len(ready_lessons())
    for link, (_, lesson) in zip(links, ready_lessons(), strict=True):
        assert lesson.title in link.label
        assert link.page == lesson.steps[0].page  # not Home itself, which would show as the current page
        code = link.query_string.removeprefix("lesson=")
        assert decode_lesson(code) == (lesson, ())


# ------------------------------------------------------------------------------------------ the page menu
def test_the_menu_lists_every_page_under_its_section_with_title_icon_and_description():
    at = open_app()
    headers = [h.value for h in at.sidebar.get("header")]
    assert headers == list(pages_by_section())
    links = [link.proto for link in at.sidebar.get("page_link")]
    assert [(link.label, link.icon, link.help) for link in links] == [
        (spec.title, spec.icon, spec.description) for specs in pages_by_section().values() for spec in specs
    ]
    assert all(link.query_string == "" for link in links)  # deep links: the page's own address


def test_the_menu_is_drawn_on_the_other_pages_too():
    at = app_test()
    at.switch_page(SPECS["kl"].path)
    run(at)
    assert len(at.sidebar.get("page_link")) == len(PAGES)


# ------------------------------------------------------------------------------------------ the dialogs
def edit_dialog(at: AppTest) -> AppTest:
    """Open "Edit the steps" (AppTest closes a dialog on the next run; the browser keeps it open)."""
    return run(at.button(key="lesson_edit").click())


def test_the_edit_dialog_sets_notes_and_the_title_moves_and_deletes_steps():
    lesson = Lesson("L", (Step("kl", {}, "one"), Step("binary", {"bce_p": ("0.2",)}, "two"), Step("train")))
    at = open_app(lesson=encode_lesson(lesson))
    edit_dialog(at)
    assert [t.value for t in at.text_area] == ["one", "two", ""]
    assert "Settings: bce_p=0.2" in [t.value for t in at.get("text")]
    run(at.text_area(key="lesson_note_2").input("Press Play."))
    run(edit_dialog(at).text_input(key="lesson_title").input("  My   lesson "))
    run(edit_dialog(at).button(key="lesson_down_0").click())
    run(edit_dialog(at).button(key="lesson_delete_2").click())
    edited = at.session_state["lesson_plan"]
    assert edited == Lesson("My lesson", (Step("binary", {"bce_p": ("0.2",)}, "two"), Step("kl", {}, "one")))
    assert at.query_params["lesson"] == encode_lesson(edited)  # the address bar's link follows the edits
    assert [t.value for t in edit_dialog(at).text_area] == ["two", "one"]  # the fields follow the new order


def test_the_edit_dialog_refuses_a_note_longer_than_a_file_may_hold():
    at = open_app(lesson=encode_lesson(Lesson("L", (Step("kl"),))))
    edit_dialog(at)
    assert at.text_area(key="lesson_note_0").max_chars == 500


def test_the_share_dialog_gives_the_lessons_link():
    lesson = Lesson("L", (Step("kl", {}, "n"),))
    at = open_app(lesson=encode_lesson(lesson))
    run(at.button(key="lesson_share").click())
    (code,) = [c.value for c in at.get("code")]
    assert code.endswith(f"/?lesson={encode_lesson(lesson)}")
    assert decode_lesson(code.split("lesson=")[1]) == (lesson, ())


def test_a_lesson_too_long_for_a_link_says_so_in_the_share_dialog():
    notes = [" ".join(f"w{k}x{i}" for i in range(80))[:500] for k in range(30)]
    long = Lesson("Long", tuple(Step("kl", {}, note) for note in notes))
    at = open_app()
    at.session_state["lesson_plan"] = long  # as a loaded file leaves it (AppTest cannot upload)
    at.session_state["lesson_code"] = None
    run(at)
    run(at.button(key="lesson_share").click())
    assert not at.get("code")
    (message,) = [t.value for t in at.get("text") if "too long for a link" in t.value]
    assert message.startswith("This lesson is too long for a link: its code has ")
    assert "a link can carry at most 4,000" in message


def test_a_full_lesson_disables_add_and_says_why():
    full = Lesson("Full", tuple(Step("kl") for _ in range(30)))
    at = open_app(lesson=encode_lesson(full))
    assert at.button(key="lesson_add").disabled
    assert any("the most a lesson can have" in c.value for c in at.sidebar.caption)
