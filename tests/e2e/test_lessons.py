"""Lessons and the page menu in a real browser, driven by the keyboard as a lecturer's clicker drives it.

- A lesson link opens step 1; ArrowRight / PageDown step forward and ArrowLeft / PageUp step back, and on
  every step the page, every control's value and the note are the step's: the step's own settings, and
  every other control at the value the page shows on a plain visit (so nothing is left over from the
  step before, on the same page or another).  The lesson is the shipped "Cross-entropy in 15 minutes":
  steps on the same page one after another, a unit that changes, sliders, a radio and a select box.
- A key pressed on a focused slider moves the slider, not the lesson.
- A broken lesson file gives its messages, the good steps, and no exception.
- The page menu: every page in Tab order, followed with Enter; the current page marked aria-current.
- axe-core with a lesson open and the Lesson panel unfolded (test_a11y.py scans every page as well).

A page takes seconds to draw on a small, busy machine; every wait is for a condition, never a fixed sleep.
"""

from __future__ import annotations

import math

import pytest

from tests.e2e.harness import EXCEPTION, base_path_probes, keep_console_error, page_url, warm_up
from tests.e2e.test_a11y import AXE, run_axe
from tests.e2e.test_links import CONTROLS_JS, wait_until_done
from ui.lesson_plan import Lesson, encode_lesson
from ui.lesson_player import PROBLEMS_TITLE, ready_lessons
from ui.registry import DEFAULT_PAGE, PAGES

VIEWPORT = {"width": 1280, "height": 900}
LESSON: Lesson = dict(ready_lessons())["cross_entropy_in_15_minutes.toml"]
FORWARD = ("ArrowRight", "PageDown")
BACK = ("ArrowLeft", "PageUp")
LISTENING = ".st-key-lesson_keys [data-listening='true']"
BAR = ".st-key-lesson_bar"
# The step the view shows: the address bar's page and ?step=, and the lesson bar's "Step k of n".
AT_STEP_JS = """([path, step, label]) => location.pathname.replace(/\\/$/, '') === path
    && new URLSearchParams(location.search).get('step') === step
    && (document.querySelector(".st-key-lesson_bar") || {innerText: ''}).innerText.includes(label)"""
# What the lesson bar shows as plain text (st.text): the title and the note.
BAR_TEXTS_JS = """() => [...document.querySelectorAll(".st-key-lesson_bar [data-testid='stText']")]
    .map(e => e.innerText.trim())"""
MENU_LINKS = ".st-key-page_menu a[data-testid='stPageLink-NavLink']"
# The titles of the links shown as the current page (a link's text is its icon's name, then its title;
# Streamlit keeps an undisplayed copy of each link with a tooltip, which has no client rects).
CURRENT_JS = """() => [...document.querySelectorAll("[aria-current='page']")]
    .filter(a => a.getClientRects().length > 0).map(a => a.innerText.trim().split('\\n').pop()).join('|')"""


# ------------------------------------------------------------------------------------------ helpers
def new_tab(context):
    """A tab with its problems collected: console errors (but Streamlit's base-path probes), page errors."""
    page = context.new_page()
    page.problems = []
    page.on("console", lambda msg: keep_console_error(msg, page.problems, page.probes))
    page.on("pageerror", lambda exc: page.problems.append(f"page error: {exc}"))
    page.probes = set()
    return page


def open_tab(context, app_url: str, url_path: str, query: str = ""):
    page = new_tab(context)
    page.probes = base_path_probes(app_url, url_path)
    page.goto(page_url(app_url, url_path) + (f"?{query}" if query else ""), wait_until="commit")
    return page


def assert_clean(page) -> None:
    assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).all_inner_texts()
    assert page.get_by_text("could not be drawn").count() == 0, "ui.common.safe_page caught an error"
    assert not page.problems, page.problems


def path_of(url_path: str) -> str:
    return "" if url_path == DEFAULT_PAGE.url_path else f"/{url_path}"


def wait_for_step(page, index: int) -> None:
    """Wait until the view is step ``index`` (from 0), drawn, with its key listener live again."""
    step = LESSON.steps[index]
    label = f"Step {index + 1} of {len(LESSON.steps)}"
    try:
        page.wait_for_function(AT_STEP_JS, arg=[path_of(step.page), str(index + 1), label], timeout=120_000)
    except Exception as exc:  # playwright's TimeoutError
        raise AssertionError(f"step {index + 1} did not open: {page.url}") from exc
    wait_until_done(page)
    page.wait_for_selector(LISTENING, state="attached", timeout=120_000)


def shown_as(shown: object, raw: str) -> bool:
    """A control shows the URL text ``raw``: a number to 1e-9 ("85%" shows 85), else the same text."""
    text = str(shown).strip()
    try:
        return math.isclose(float(text.rstrip("%")), float(raw), abs_tol=1e-9)
    except ValueError:
        return text == raw


def assert_step(page, index: int, defaults: dict[str, dict]) -> None:
    """The view is step ``index``: its page, every control's value, the note."""
    step = LESSON.steps[index]
    shown = page.evaluate(CONTROLS_JS)
    plain = defaults[step.page]
    for key, default in plain.items():
        if key in step.params:
            assert shown_as(shown.get(key), step.params[key][0]), (
                index + 1,
                key,
                shown.get(key),
                step.params[key],
            )
        else:
            assert shown.get(key) == default, (index + 1, key, shown.get(key), default)
    texts = page.evaluate(BAR_TEXTS_JS)
    assert texts == [LESSON.title, step.note], (index + 1, texts)
    assert_clean(page)


def press_away_from_controls(page, key: str) -> None:
    """Press ``key`` as a clicker does: nothing focused but the page itself."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press(key)


# ------------------------------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def context(browser, app_url):
    warm_up(browser, app_url)  # a deep link as the server's first request would skip app.py
    context = browser.new_context(viewport=VIEWPORT)
    yield context
    context.close()


@pytest.fixture(scope="module")
def defaults(context, app_url) -> dict[str, dict]:
    """Every control of each page of the lesson as a plain visit shows it (and the sidebar's, in nats)."""
    found = {}
    for url_path in dict.fromkeys(step.page for step in LESSON.steps):
        page = open_tab(context, app_url, url_path)
        wait_until_done(page)
        found[url_path] = page.evaluate(CONTROLS_JS)
        assert found[url_path].get("units") == "nats", found[url_path]
        page.close()
    return found


# ------------------------------------------------------------------------------------------ tests
def test_the_lesson_covers_what_the_keyboard_test_must_cover():
    pages = [step.page for step in LESSON.steps]
    assert any(a == b for a, b in zip(pages, pages[1:], strict=False))  # a step on the page already shown
    assert {step.params.get("units", ("nats",))[0] for step in LESSON.steps} == {"bits", "nats"}
    assert len(LESSON.steps) >= 5


def test_a_lesson_link_steps_forward_and_back_with_the_keyboard(context, app_url, defaults):
    page = open_tab(context, app_url, DEFAULT_PAGE.url_path, f"lesson={encode_lesson(LESSON)}")
    page.probes = {probe for spec in PAGES for probe in base_path_probes(app_url, spec.url_path)}
    wait_for_step(page, 0)
    assert_step(page, 0, defaults)
    last = len(LESSON.steps) - 1
    for index in range(1, last + 1):
        press_away_from_controls(page, FORWARD[index % 2])
        wait_for_step(page, index)
        assert_step(page, index, defaults)
    press_away_from_controls(page, "ArrowRight")  # at the last step: nowhere to go
    page.wait_for_timeout(1_500)
    wait_for_step(page, last)
    for index in range(last - 1, -1, -1):
        press_away_from_controls(page, BACK[index % 2])
        wait_for_step(page, index)
        assert_step(page, index, defaults)
    # The Next button, by keyboard: Tab reaches it and Enter presses it.
    page.locator(".st-key-lesson_next button").focus()
    page.keyboard.press("Enter")
    wait_for_step(page, 1)
    assert_step(page, 1, defaults)
    page.close()


def test_a_key_pressed_on_a_slider_moves_the_slider_not_the_lesson(context, app_url):
    page = open_tab(context, app_url, DEFAULT_PAGE.url_path, f"lesson={encode_lesson(LESSON)}")
    page.probes = {probe for spec in PAGES for probe in base_path_probes(app_url, spec.url_path)}
    wait_for_step(page, 0)
    press_away_from_controls(page, "PageDown")
    wait_for_step(page, 1)
    index = next(i for i, step in enumerate(LESSON.steps) if step.page == "binary")
    while page.evaluate("() => new URLSearchParams(location.search).get('step')") != str(index + 1):
        current = int(page.evaluate("() => new URLSearchParams(location.search).get('step')"))
        press_away_from_controls(page, "ArrowRight")
        wait_for_step(page, current)
    slider = page.locator(".st-key-bce_p input[type='range']")
    before = slider.get_attribute("aria-valuetext")
    for key in ("ArrowRight", "PageDown", "ArrowLeft"):
        slider.focus()
        page.keyboard.press(key)
        page.wait_for_function(
            "([k, old]) => (new URLSearchParams(location.search).get('bce_p') || '0.70') !== old",
            arg=["bce_p", before],
            timeout=60_000,
        )
        wait_until_done(page)
        now = slider.get_attribute("aria-valuetext")
        assert now != before, key
        before = now
        assert page.evaluate("() => new URLSearchParams(location.search).get('step')") == str(index + 1)
        assert page.url.split("?")[0].endswith("/binary")
    assert_clean(page)
    page.close()


BROKEN_TOML = """\
title = "A lesson with mistakes"

[[steps]]
page = "binary"
note = "A good step."
[steps.params]
bce_p = "0.2"

[[steps]]
page = "binray"
note = "A misspelt page."

[[steps]]
page = "kl"
note = "A setting that is no control's name."
[steps.params]
"kl q0" = "30"

[[steps]]
page = "multiclass"
note = "%s"

[[steps]]
page = "kl"
note = "Another good step: <b>not bold</b> **nor this**"
[steps.params]
kl_mode = "Soft (a distribution)"
""" % ("x" * 600)


def upload(page, name: str, content: str) -> None:
    """Unfold the sidebar's Lesson panel and give its file uploader a file."""
    panel = page.locator("[data-testid='stSidebar'] [data-testid='stExpander']", has_text="Lesson").first
    if not panel.locator(".st-key-lesson_file").is_visible():
        panel.locator("summary").click()
    page.locator(".st-key-lesson_file input[type='file']").set_input_files(
        files=[{"name": name, "mimeType": "application/toml", "buffer": content.encode()}]
    )


def test_the_lesson_panel_draws_its_widgets_once_opened_and_stays_open_on_the_next_page(context, app_url):
    page = open_tab(context, app_url, "binary")
    wait_until_done(page)
    uploader = page.locator(".st-key-lesson_file")
    assert uploader.count() == 0  # folded: its widgets are not drawn at all
    panel = page.locator("[data-testid='stSidebar'] [data-testid='stExpander']", has_text="Lesson").first
    panel.locator("summary").click()
    uploader.wait_for(state="visible", timeout=60_000)
    page.locator("[data-testid='stSidebar'] a[href='multiclass']").first.click()
    page.wait_for_url("**/multiclass*", timeout=60_000)
    wait_until_done(page)
    assert uploader.is_visible()
    panel.locator("summary").click()
    uploader.wait_for(state="detached", timeout=60_000)
    assert_clean(page)


def problems_shown(page) -> list[str]:
    box = page.locator(".st-key-lesson_problems_box")
    box.wait_for(state="visible", timeout=120_000)
    return [t.strip() for t in box.locator("[data-testid='stText']").all_inner_texts()]


def test_a_broken_lesson_file_gives_messages_and_loads_the_good_steps(context, app_url):
    page = open_tab(context, app_url, "kl")
    wait_until_done(page)
    upload(page, "mistakes.toml", BROKEN_TOML)
    page.wait_for_function(AT_STEP_JS, arg=["/binary", "1", "Step 1 of 2"], timeout=120_000)
    wait_until_done(page)
    shown = problems_shown(page)
    assert PROBLEMS_TITLE in page.locator(".st-key-lesson_problems_box").inner_text()
    expected = [
        "• Step 2: there is no page “binray”.",
        "• Step 3: “kl q0” is not the name of a control",
        "• Step 4: its note has 600 characters; a note can have at most 500.",
    ]
    assert len(shown) == len(expected), shown
    for text, start in zip(shown, expected, strict=True):
        assert text.startswith(start), (text, start)
        assert text.endswith("This step was left out."), text
    assert page.locator(".st-key-bce_p input[type='range']").get_attribute("aria-valuetext") == "0.20"
    assert_clean(page)

    page.wait_for_selector(LISTENING, state="attached", timeout=120_000)
    press_away_from_controls(page, "ArrowRight")
    page.wait_for_function(AT_STEP_JS, arg=["/kl", "2", "Step 2 of 2"], timeout=120_000)
    wait_until_done(page)
    assert page.evaluate(BAR_TEXTS_JS)[-1] == "Another good step: <b>not bold</b> **nor this**"
    note = page.locator(f"{BAR} [data-testid='stText']").last
    assert note.locator("b, strong").count() == 0  # the visitor's <b> and ** stay as typed

    # A file that is not a lesson at all: a message, and the lesson open before stays as it was.
    upload(page, "notes.toml", "this is = not [toml")
    page.wait_for_function(
        "() => (document.querySelector('.st-key-lesson_problems_box') || {innerText: ''})"
        ".innerText.includes('is not valid TOML')",
        timeout=120_000,
    )
    wait_until_done(page)  # the first file's messages are gone once the run is over
    shown = problems_shown(page)
    assert len(shown) == 1, shown
    assert shown[0].startswith("• The file “notes.toml” is not valid TOML:"), shown
    assert "Step 2 of 2" in page.locator(BAR).inner_text()
    assert_clean(page)
    page.close()


def test_every_page_is_in_the_menus_tab_order_and_opens_with_enter(context, app_url):
    page = open_tab(context, app_url, DEFAULT_PAGE.url_path)
    wait_until_done(page)
    page.wait_for_selector(f"{MENU_LINKS}[aria-current='page']", state="attached", timeout=120_000)
    assert page.evaluate(CURRENT_JS) == DEFAULT_PAGE.title
    menu = page.locator(".st-key-page_menu")
    assert menu.get_attribute("role") == "navigation"
    assert menu.get_attribute("aria-label") == "Pages"
    assert [h.strip() for h in menu.locator("h2").all_inner_texts()] == list(
        dict.fromkeys(spec.section for spec in PAGES)
    )

    # Tab from the top of the page: each page's link, in the registry's order.
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    reached: list[str] = []
    for _ in range(2 * len(PAGES) + 20):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const a = document.activeElement; "
            "return a && a.matches('.st-key-page_menu a') ? a.innerText.trim().split('\\n').pop() : null; }"
        )
        if focused:
            reached.append(focused)
        if page.evaluate("() => !document.activeElement.closest(\"[data-testid='stSidebar']\")") and reached:
            break  # past the sidebar
    assert reached == [spec.title for spec in PAGES]

    # Shift+Tab back to "Binary cross-entropy", Enter: its page opens, marked as the current page.
    target = next(spec for spec in PAGES if spec.url_path == "binary")
    for _ in range(len(PAGES) + 5):
        if page.evaluate("() => document.activeElement.innerText.trim().split('\\n').pop()") == target.title:
            break
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.split("?")[0].endswith("/binary"), timeout=120_000)
    wait_until_done(page)
    page.wait_for_function(f"(title) => ({CURRENT_JS})() === title", arg=target.title, timeout=120_000)
    assert_clean(page)
    page.close()


def test_no_serious_accessibility_violation_with_a_lesson_open_and_the_lesson_panel_unfolded(
    context, app_url
):
    if not AXE.exists():
        pytest.skip(f"A11Y TESTS SKIPPED: {AXE} is missing (npm ci --prefix tests/e2e)")
    page = open_tab(context, app_url, DEFAULT_PAGE.url_path, f"lesson={encode_lesson(LESSON)}")
    page.probes = {probe for spec in PAGES for probe in base_path_probes(app_url, spec.url_path)}
    wait_for_step(page, 0)
    panel = page.locator("[data-testid='stSidebar'] [data-testid='stExpander']", has_text="Lesson").first
    panel.locator("summary").click()
    page.locator(".st-key-lesson_file").wait_for(state="visible", timeout=60_000)
    violations = run_axe(page)
    report = [f"{v['id']} ({v['impact']}): {v['help']} — e.g. {v['nodes'][0]['target']}" for v in violations]
    assert not violations, "\n".join(report)
    page.close()
