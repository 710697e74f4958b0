"""ui/live_charts.js in headless Chromium, on tests/e2e/live_app.py: the page's own drawing wins.

The script moves a chart through the updates it was sent, one every interval.  When the page pauses,
its rerun draws the chart afresh while the script is still on the page (it leaves when the rerun ends):
the script must not move the fresh chart to an update it still holds.  Before this was guarded, a slow
paused rerun of Train a network could leave its curves at an epoch the readout did not show.
"""

import pytest

from tests.e2e.harness import SCRIPT_DONE, streamlit_server
from tests.e2e.live_app import CHART_KEY, LEVELS, PAUSE_KEY, PAUSED, PLAY_KEY

CHART = f".st-key-{CHART_KEY} .js-plotly-plot"
LEVEL_JS = "(sel) => { const g = document.querySelector(sel); return g && g.data ? g.data[0].y[0] : null; }"
# Every animation frame: the levels the chart showed, in order (a change is recorded once).
WATCH_JS = """(sel) => {
  const seen = window.__levels = [];
  const tick = () => {
    const g = document.querySelector(sel);
    const level = g && g.data ? g.data[0].y[0] : null;
    if (level !== null && seen[seen.length - 1] !== level) seen.push(level);
    requestAnimationFrame(tick);
  };
  tick();
}"""


@pytest.fixture(scope="module")
def live_url(_playwright):
    with streamlit_server(script="tests/e2e/live_app.py") as (url, _log):
        yield url


@pytest.fixture
def page(browser, live_url):
    context = browser.new_context(viewport={"width": 900, "height": 700})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: page.errors.append(f"page error: {exc}"))
    page.goto(live_url, wait_until="domcontentloaded")
    page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
    page.wait_for_selector(f"{CHART} .main-svg", timeout=30_000)
    yield page
    context.close()


def _moving(page) -> None:
    """Wait until the script has moved the chart past its first update."""
    page.wait_for_function(f"(sel) => ({LEVEL_JS})(sel) >= {LEVELS[1]}", arg=CHART, timeout=15_000)


def test_the_script_moves_the_chart_through_its_updates(page):
    page.evaluate(WATCH_JS, CHART)
    _moving(page)
    page.wait_for_function(f"(sel) => ({LEVEL_JS})(sel) === {LEVELS[-1]}", arg=CHART, timeout=15_000)
    seen = page.evaluate("() => window.__levels")
    assert seen == sorted(seen), seen  # in order
    assert len(seen) >= len(LEVELS) // 2, seen  # most updates were drawn
    assert not page.errors, page.errors


def test_a_paused_rerun_draws_the_chart_and_the_script_leaves_it_alone(page):
    _moving(page)
    page.evaluate(WATCH_JS, CHART)
    page.locator(f".st-key-{PAUSE_KEY} button").click()
    page.wait_for_function(f"(sel) => ({LEVEL_JS})(sel) === {PAUSED}", arg=CHART, timeout=15_000)
    page.wait_for_selector(SCRIPT_DONE, timeout=30_000)  # the rerun ends: the script leaves the page
    page.wait_for_timeout(500)
    seen = page.evaluate("() => window.__levels")
    after = seen[seen.index(PAUSED) :]
    assert after == [PAUSED], f"the script moved the freshly drawn chart: levels seen {seen}"
    assert page.evaluate(LEVEL_JS, CHART) == PAUSED
    assert not page.errors, page.errors


def test_play_again_moves_the_chart_drawn_afresh(page):
    page.locator(f".st-key-{PAUSE_KEY} button").click()
    page.wait_for_function(f"(sel) => ({LEVEL_JS})(sel) === {PAUSED}", arg=CHART, timeout=15_000)
    page.wait_for_selector(SCRIPT_DONE, timeout=30_000)
    page.locator(f".st-key-{PLAY_KEY} button").click()
    _moving(page)  # a new mount takes the chart as the page drew it and moves it again
    assert not page.errors, page.errors
