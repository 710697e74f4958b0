"""ui.teaching: every page's "What to try" prompts and its predict-then-check question, drawn.

The words themselves are tested in tests/words/test_lessons.py; here they meet the pages: every control a
prompt names in *italics* exists on its page, and the aids draw, reveal and follow the sidebar's unit.
"""

import ast
import re
import unicodedata
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages._apptest import open_page
from tests.words._lesson_helpers import italic_spans
from ui.registry import PAGES
from ui.teaching import PICK_HINT, QUESTION_TITLE, WHAT_TO_TRY_TITLE, question_key
from words.lessons import LESSONS

ROOT = Path(__file__).resolve().parents[2]
URL_PATHS = [spec.url_path for spec in PAGES]
SPECS = {spec.url_path: spec for spec in PAGES}
QUESTIONS = [url for url in URL_PATHS if LESSONS[url].question is not None]
WIDGETS = {
    "slider",
    "select_slider",
    "radio",
    "selectbox",
    "number_input",
    "text_input",
    "button",
    "toggle",
    "checkbox",
}


def normalise(label: str) -> str:
    """A widget label as read on screen: no Markdown bold, no leading emoji, single spaces."""
    text = " ".join(label.replace("**", "").split())
    if text and unicodedata.category(text[0]) == "So" and " " in text:
        text = text.split(" ", 1)[1]
    return text


def source_labels(path: Path) -> list[str]:
    """The literal text of every widget label in a page's source (an f-string's literal parts)."""
    labels = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr not in WIDGETS or not node.args:
            continue
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            labels.append(first.value)
        elif isinstance(first, ast.JoinedStr):
            labels.extend(v.value for v in first.values if isinstance(v, ast.Constant) and v.value.strip())
    return labels


def rendered_labels(url_path: str) -> set[str]:
    """Labels of every control the page draws in its default state (and the sidebar's), normalised."""
    at = open_page(SPECS[url_path].path)
    labels = {normalise(w.label) for kind in WIDGETS for w in at.get(kind)}
    if url_path == "home":  # the Home page's controls are its links: "**Title** — description"
        labels |= {normalise(link.proto.label.split(" — ")[0]) for link in at.get("page_link")}
    return labels


# ------------------------------------------------------------------------------ the words meet the pages
@pytest.mark.parametrize("url_path", URL_PATHS)
def test_every_prompt_names_a_control_that_exists_on_its_page(url_path):
    """Each *italic* span is a control's label: drawn by the page now, or written in its source."""
    lesson = LESSONS[url_path]
    on_screen = rendered_labels(url_path)
    in_source = source_labels(ROOT / SPECS[url_path].path)
    texts = list(lesson.what_to_try) + ([lesson.question.try_it] if lesson.question else [])
    for text in texts:
        for span in italic_spans(text):
            shown = normalise(span) in on_screen
            written = len(span) >= 4 and any(span in label for label in in_source)
            assert shown or written, f"{url_path}: no control {span!r}; on screen: {sorted(on_screen)}"


def test_the_control_check_rejects_a_label_that_is_not_on_the_page():
    on_screen = rendered_labels("binary")
    assert "Predicted p = P(y = 1)" in on_screen
    assert "Temperature T" not in on_screen
    assert not any("Temperature T" in label for label in source_labels(ROOT / "pages/binary.py"))


@pytest.mark.parametrize("url_path", QUESTIONS)
def test_question_keys_are_url_friendly_and_unused_by_the_pages(url_path):
    key = question_key(url_path)
    assert re.fullmatch(r"[a-z0-9_]+", key)
    for path in [*(ROOT / "pages").glob("*.py"), ROOT / "app.py", ROOT / "ui/common.py"]:
        assert f'"{key}"' not in path.read_text(encoding="utf-8"), path


# --------------------------------------------------------------------------------- drawn in a script
def aids_script(url_path: str, presenter: bool) -> None:
    from ui.teaching import render_teaching_aids

    render_teaching_aids(url_path, presenter=presenter)


def run_aids(url_path: str, presenter: bool = False, unit: str | None = None) -> AppTest:
    at = AppTest.from_function(
        aids_script, kwargs={"url_path": url_path, "presenter": presenter}, default_timeout=30
    )
    if unit is not None:
        at.session_state["units"] = unit
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("url_path", URL_PATHS)
def test_render_draws_the_prompts_and_checks_the_wrong_and_the_right_answer(url_path):
    lesson = LESSONS[url_path]
    at = run_aids(url_path)

    assert [e.label for e in at.expander] == [WHAT_TO_TRY_TITLE]
    listing = at.expander[0].markdown[0].value
    for k, prompt in enumerate(lesson.what_to_try, start=1):
        assert f"{k}. {prompt}" in listing
    if lesson.question is None:
        assert not at.radio
        return

    question = lesson.question
    (radio,) = at.radio
    assert radio.key == question_key(url_path)
    assert radio.value is None
    assert radio.label == question.prompt
    assert list(radio.options) == list(question.options)
    assert any(QUESTION_TITLE in m.value for m in at.markdown)
    assert [c.value for c in at.caption] == [PICK_HINT]
    assert not at.success  # nothing revealed before a choice
    assert not at.error

    correct, explanation = question.solve("nats")
    wrong = (correct + 1) % len(question.options)
    at.radio(key=question_key(url_path)).set_value(question.options[wrong]).run()
    assert not at.exception
    assert not at.success
    (error,) = at.error
    assert error.value.startswith("**Not quite")
    assert explanation in error.value
    assert question.options[correct] in error.value
    assert question.try_it in error.value

    at.radio(key=question_key(url_path)).set_value(question.options[correct]).run()
    assert not at.exception
    assert not at.error
    (success,) = at.success
    assert success.value.startswith("**Right.**")
    assert explanation in success.value


def test_the_explanation_follows_the_sidebar_unit():
    question = LESSONS["surprise"].question
    at = run_aids("surprise", unit="bits")
    at.radio(key=question_key("surprise")).set_value(question.options[0]).run()
    (error,) = at.error
    assert question.solve("bits")[1] in error.value
    assert "up by **1.0000 bits**" in error.value


@pytest.mark.parametrize("url_path", ["binary", "backprop"])
def test_presenter_mode_hides_what_to_try_but_keeps_the_question(url_path):
    at = run_aids(url_path, presenter=True)
    assert not at.expander
    assert [r.key for r in at.radio] == [question_key(url_path)]


def test_an_unknown_page_draws_nothing():
    at = run_aids("no_such_page")
    assert not at.main.children
