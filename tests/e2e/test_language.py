"""The Language-model surprise page in Chromium: typed text of any kind is only ever text, a link opens
its view, and the smoothing chart follows a drag of the k control before the page reruns.
"""

from urllib.parse import quote

import pytest

from core.charlm import clean_text
from core.defaults import LANGUAGE_SMOOTHING, LANGUAGE_SMOOTHINGS
from core.figures.language import SMOOTHING_MARKS
from tests.e2e.harness import (
    SCRIPT_DONE,
    base_path_probes,
    keep_console_error,
    page_url,
    wait_for_charts,
    warm_up,
)
from tests.e2e.test_pages import assert_clean, settle

K_INPUT = ".st-key-lm_k input[type='range']"
SMOOTHING = ".st-key-lm_smoothing_chart .js-plotly-plot"
PASSAGE = ".st-key-lm_passage_chart .js-plotly-plot"
TEXT = ".st-key-lm_text textarea"
MARK_X_JS = f"(sel) => document.querySelector(sel).data[{SMOOTHING_MARKS[1]}].x[0]"
CELLS_JS = "(sel) => document.querySelector(sel).data[0].text.flat().join('')"
# Typed by a visitor: markup, an event handler, accents, a ligature, an emoji, a line break.
TYPED = 'Tom & <img src=x onerror="window.pwned=1"> said <b>Ünïcödé</b> ﬁne 😀\nbye'


@pytest.fixture
def lm(browser, app_url):
    """A fresh browser context for deep links to the page (the base-path probes' 404s are expected)."""
    warm_up(browser, app_url)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    skip = base_path_probes(app_url, "language")
    page.on("console", lambda msg: keep_console_error(msg, page.errors, skip))
    page.on("pageerror", lambda exc: page.errors.append(f"page error: {exc}"))
    page.on("dialog", lambda dialog: (page.errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield page
    context.close()


def _open(page, app_url: str, query: str = "") -> None:
    page.goto(page_url(app_url, "language") + (f"?{query}" if query else ""), wait_until="commit")
    page.wait_for_selector("h1:has-text('Language-model surprise')", timeout=120_000)
    page.wait_for_selector(SCRIPT_DONE, timeout=120_000)
    settle(page)
    wait_for_charts(page)


def _cells(page) -> str:
    return page.evaluate(CELLS_JS, PASSAGE).replace("␣", " ")


def test_typed_markup_and_unicode_stay_text(lm, app_url):
    page = lm
    _open(page, app_url, "lm_passage=" + quote("Your own text"))
    before = page.evaluate(CELLS_JS, PASSAGE)
    box = page.locator(TEXT)
    box.fill(TYPED)
    box.press("Control+Enter")  # commits the text area
    page.wait_for_function(
        "([sel, old]) => { const g = document.querySelector(sel); "
        "return g && g.data[0].text.flat().join('') !== old; }",
        arg=[PASSAGE, before],
        timeout=60_000,
    )
    page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
    settle(page)
    assert_clean(page)
    assert (
        _cells(page)
        == clean_text(TYPED).text
        == "tom img src x onerror window pwned said b unicode b fine bye"
    )
    assert page.evaluate("() => window.pwned") is None  # no handler ran
    assert page.locator("img[src='x']").count() == 0  # no element was made from the typed markup
    assert page.locator("[data-testid='stMain'] b:has-text('Ünïcödé')").count() == 0
    assert page.locator(TEXT).input_value() == TYPED  # what was typed is kept, as typed


def test_a_link_opens_the_view_it_names(lm, app_url):
    page = lm
    _open(page, app_url, "lm_k=5&lm_context=2&lm_hidden=32&lm_model=bigram&lm_T=0.5&lm_draw=7")
    assert_clean(page)
    assert page.locator(K_INPUT).get_attribute("aria-valuetext") == "5"
    assert page.evaluate(MARK_X_JS, SMOOTHING) == 5
    title = page.evaluate(f"() => document.querySelector({PASSAGE!r}).layout.title.text")
    assert "Surprise per character<br>" in title  # Streamlit's theme may wrap it in <b>
    assert "bigram (k = 5)" in title


def test_dragging_k_moves_the_marks_before_the_page_reruns(lm, app_url):
    page = lm
    _open(page, app_url)
    default = LANGUAGE_SMOOTHINGS.index(LANGUAGE_SMOOTHING)
    assert page.locator(K_INPUT).input_value() == str(default)  # the input holds the option's index
    assert page.evaluate(MARK_X_JS, SMOOTHING) == LANGUAGE_SMOOTHING
    page.locator(K_INPUT).scroll_into_view_if_needed()
    thumb = page.locator(K_INPUT).locator("xpath=../..")  # input → visually hidden wrapper → thumb
    box, track = thumb.bounding_box(), thumb.locator("xpath=..").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    seen = set()
    for i in range(1, 13):  # a quarter of the track to the right, button held: no rerun yet
        page.mouse.move(x + 0.25 * track["width"] * i / 12, y)
        page.wait_for_timeout(80)
        seen.add(page.evaluate(MARK_X_JS, SMOOTHING))
    during = int(page.locator(K_INPUT).input_value())
    assert during > default
    assert page.evaluate(MARK_X_JS, SMOOTHING) == LANGUAGE_SMOOTHINGS[during]  # the chart follows the thumb
    assert len(seen) > 1
    page.mouse.up()
    page.wait_for_function(
        "([sel, v]) => document.querySelector(sel).getAttribute('aria-valuetext') === v",
        arg=[K_INPUT, f"{LANGUAGE_SMOOTHINGS[during]:g}"],
        timeout=60_000,
    )
    page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
    settle(page)
    wait_for_charts(page)
    assert_clean(page)
    assert page.evaluate(MARK_X_JS, SMOOTHING) == LANGUAGE_SMOOTHINGS[during]  # the rerun draws the same
    assert f"lm_k={LANGUAGE_SMOOTHINGS[during]:g}" in page.url
