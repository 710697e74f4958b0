"""Scrubbing in the browser: ui/scrub.py and ui/scrub.js on tests/e2e/scrub_app.py, in headless Chromium.

Dragging the st.slider's thumb with the button held redraws the chart on most moves and sends the
server nothing; the release reruns the page once, and the slider, its URL parameter, the page's
readout and the chart agree; an arrow key redraws the chart already drawn at once; a finger on a
phone works as the mouse does; and the link opens the same view in a fresh browser.  A chart drawn
outside its slider's fragment (``scrubbed_chart``) is not sent again at release and still shows the
released value, also after the window is resized (Plotly redraws it from the figure it was first given).
"""

from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.harness import PLAIN_JS, SCRIPT_DONE, streamlit_server
from tests.e2e.scrub_app import CHART_KEY, FRAGMENT_CHART_KEY, FRAGMENT_WIDGET_KEY, POINT, WIDGET_KEY, readout

CHART = f".st-key-{CHART_KEY} .js-plotly-plot"
SLIDER = f".st-key-{WIDGET_KEY} input[type='range']"
FRAGMENT_CHART = f".st-key-{FRAGMENT_CHART_KEY} .js-plotly-plot"
FRAGMENT_SLIDER = f".st-key-{FRAGMENT_WIDGET_KEY} input[type='range']"
MOVES = 12
# What the chart draws (every trace's data, by value: PLAIN_JS, and text), and the point's readout; null
# while no chart is drawn (Streamlit replaces the chart's element when a rerun brings a new figure).
DRAWN_JS = f"""(sel) => {{ const g = document.querySelector(sel); const plain = {PLAIN_JS};
    return g && g.data ? JSON.stringify(g.data.map(t => [plain(t.x), plain(t.y), t.text])) : null; }}"""
POINT_TEXT_JS = f"""(sel) => {{ const g = document.querySelector(sel);
    return g && g.data ? g.data[{POINT}].text[0] : null; }}"""


@pytest.fixture(scope="module")
def scrub_url(_playwright):
    with streamlit_server(script="tests/e2e/scrub_app.py") as (url, _log):
        yield url


def _open(browser, url: str, **context_options):
    context = browser.new_context(**{"viewport": {"width": 1000, "height": 800}, **context_options})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: page.errors.append(f"page error: {exc}"))
    page.sent = []  # messages from the browser to the server (a rerun request is one)
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: page.sent.append(payload)))
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
    page.wait_for_selector(f"{CHART} .main-svg", timeout=30_000)
    page.wait_for_timeout(300)  # the listener finds the slider's input
    return page


def _chart(page, js: str, chart: str = CHART) -> str:
    """What ``js`` reads from the chart, once a chart is drawn."""
    return page.wait_for_function(js, arg=chart, timeout=15_000).json_value()


def _settle(page) -> None:
    page.wait_for_timeout(300)
    page.wait_for_selector(SCRIPT_DONE, timeout=30_000)
    page.wait_for_selector(f"{CHART} .main-svg", timeout=30_000)
    page.wait_for_timeout(200)


def _thumb_center(page, slider: str = SLIDER) -> tuple[float, float, float]:
    """The thumb's center, and the track's width."""
    thumb = page.locator(slider).locator("xpath=../..")  # input → visually hidden wrapper → thumb
    box, track = thumb.bounding_box(), thumb.locator("xpath=..").bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, track["width"]


def _drag(page, fraction: float, slider: str = SLIDER, chart: str = CHART) -> int:
    """Press on the thumb, move ``fraction`` of the track in MOVES steps, button held; count redraws."""
    x, y, width = _thumb_center(page, slider)
    page.mouse.move(x, y)
    page.mouse.down()
    last, changed = _chart(page, DRAWN_JS, chart), 0
    for i in range(1, MOVES + 1):
        page.mouse.move(x + fraction * width * i / MOVES, y)
        page.wait_for_timeout(80)
        now = _chart(page, DRAWN_JS, chart)
        changed += now != last
        last = now
    return changed


def _page_readout(page) -> str:
    return page.get_by_text("Page readout:").inner_text().removeprefix("Page readout:").strip()


def _view(page) -> tuple[str, str, str]:
    """The slider's value, the page's readout and the chart's readout."""
    return page.locator(SLIDER).input_value(), _page_readout(page), _chart(page, POINT_TEXT_JS)


def test_drag_redraws_the_chart_on_most_moves_and_reruns_once_at_release(browser, scrub_url):
    page = _open(browser, scrub_url)
    sent_before = len(page.sent)
    changed = _drag(page, -0.4)
    assert changed >= MOVES / 2, f"the chart changed after {changed} of {MOVES} moves"
    assert len(page.sent) == sent_before, "the browser sent the server something during the drag"
    page.mouse.up()
    _settle(page)
    assert len(page.sent) == sent_before + 1  # one rerun, at release
    assert page.errors == []
    page.context.close()


def test_release_leaves_slider_url_page_and_chart_agreeing(browser, scrub_url):
    page = _open(browser, scrub_url)
    _drag(page, 0.3)
    during = _chart(page, POINT_TEXT_JS)  # what the chart showed when the button was released
    page.mouse.up()
    _settle(page)
    value = float(page.locator(SLIDER).input_value())
    assert value > 0.5
    assert float(parse_qs(urlparse(page.url).query)[WIDGET_KEY][0]) == pytest.approx(value)
    assert _page_readout(page) == readout(value) == during
    assert _chart(page, POINT_TEXT_JS) == during  # the rerun drew what the drag left
    assert page.errors == []
    page.context.close()


def test_an_arrow_key_redraws_the_chart_at_once_and_the_page_follows(browser, scrub_url):
    page = _open(browser, scrub_url)
    page.locator(SLIDER).focus()
    page.evaluate(
        """(sel) => { const g = document.querySelector(sel); window.__animated = false;
            g.on('plotly_animated', () => { window.__animated = true; }); }""",
        CHART,
    )
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => window.__animated", timeout=10_000)  # on the chart drawn before the rerun
    assert _chart(page, POINT_TEXT_JS) == readout(0.55)
    _settle(page)
    assert _view(page) == ("0.55", readout(0.55), readout(0.55))
    assert parse_qs(urlparse(page.url).query)[WIDGET_KEY] == ["0.55"]
    page.context.close()


def test_a_finger_on_a_phone_drags_the_chart_too(browser, scrub_url):
    page = _open(browser, scrub_url, viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page.locator(SLIDER).locator("xpath=../..").scroll_into_view_if_needed()
    x, y, width = _thumb_center(page)
    cdp = page.context.new_cdp_session(page)

    def touch(kind: str, at: float) -> None:
        points = [] if kind == "touchEnd" else [{"x": at, "y": y}]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    touch("touchStart", x)
    last, changed = _chart(page, DRAWN_JS), 0
    for i in range(1, MOVES + 1):
        touch("touchMove", x - 0.4 * width * i / MOVES)
        page.wait_for_timeout(80)
        now = _chart(page, DRAWN_JS)
        changed += now != last
        last = now
    touch("touchEnd", 0)
    _settle(page)
    assert changed >= MOVES / 2, f"the chart changed after {changed} of {MOVES} touch moves"
    value, page_text, chart_text = _view(page)
    assert float(value) < 0.5
    assert page_text == chart_text == readout(float(value))
    page.context.close()


def test_the_link_after_a_drag_opens_the_same_view(browser, scrub_url):
    page = _open(browser, scrub_url)
    _drag(page, -0.2)
    page.mouse.up()
    _settle(page)
    link, view = page.url, _view(page)
    assert view[0] != "0.5"
    page.context.close()

    fresh = _open(browser, link)
    assert _view(fresh) == view
    assert fresh.errors == []
    fresh.context.close()


def test_the_listener_renders_nothing(browser, scrub_url):
    page = _open(browser, scrub_url)
    listener = page.locator(f".st-key-scrub-{CHART_KEY}")
    assert listener.count() == 1
    assert listener.inner_text().strip() == ""
    page.context.close()


def test_a_chart_outside_the_sliders_fragment_keeps_the_released_value(browser, scrub_url):
    page = _open(browser, scrub_url)
    page.locator(FRAGMENT_SLIDER).locator("xpath=../..").scroll_into_view_if_needed()
    page.wait_for_selector(f"{FRAGMENT_CHART} .main-svg", timeout=30_000)
    page.wait_for_timeout(300)
    page.evaluate("(sel) => { document.querySelector(sel).dataset.drawnOnce = 'yes'; }", FRAGMENT_CHART)
    sent_before = len(page.sent)
    changed = _drag(page, 0.45, FRAGMENT_SLIDER, FRAGMENT_CHART)
    assert changed >= MOVES / 2, f"the chart changed after {changed} of {MOVES} moves"
    page.mouse.up()
    _settle(page)
    assert len(page.sent) == sent_before + 1  # one rerun, of the fragment
    value = float(page.locator(FRAGMENT_SLIDER).input_value())
    assert value > 0.5
    assert float(parse_qs(urlparse(page.url).query)[FRAGMENT_WIDGET_KEY][0]) == pytest.approx(value)
    fragment_text = page.get_by_text("Fragment readout:").inner_text()
    assert fragment_text.removeprefix("Fragment readout:").strip() == readout(value)
    # The chart was not drawn again (the same element), yet it shows the released value ...
    assert page.evaluate("(sel) => document.querySelector(sel).dataset.drawnOnce", FRAGMENT_CHART) == "yes"
    assert _chart(page, POINT_TEXT_JS, FRAGMENT_CHART) == readout(value)
    # ... also after Plotly redraws it from the figure it was given at x = 0.5 (a narrower window).
    page.set_viewport_size({"width": 700, "height": 800})
    page.wait_for_timeout(1_000)
    assert _chart(page, POINT_TEXT_JS, FRAGMENT_CHART) == readout(value)
    assert page.errors == []
    page.context.close()


def test_an_older_frame_of_the_listeners_own_drawn_again_is_drawn_over(browser, scrub_url):
    # Streamlit draws a chart again from what plotly.js last reported to it, which can be a frame the
    # listener drew before the slider moved on: the listener must not take it for its latest draw.
    page = _open(browser, scrub_url)
    page.locator(FRAGMENT_SLIDER).locator("xpath=../..").scroll_into_view_if_needed()
    page.wait_for_selector(f"{FRAGMENT_CHART} .main-svg", timeout=30_000)
    page.wait_for_timeout(300)
    redraw = """(sel) => { const g = document.querySelector(sel);
        Plotly.react(g, g.data.map(t => ({...t})), g.layout); }"""
    page.evaluate(redraw, FRAGMENT_CHART)  # as Streamlit redraws: the listener draws its frame on copies
    page.wait_for_timeout(200)
    page.evaluate("(sel) => { window.olderDraw = document.querySelector(sel).data.slice(); }", FRAGMENT_CHART)
    page.evaluate(redraw, FRAGMENT_CHART)  # and again: newer copies of the same frame
    page.wait_for_timeout(200)
    page.locator(FRAGMENT_SLIDER).focus()
    page.keyboard.press("ArrowRight")  # the listener moves its newer copies; the fragment reruns
    _settle(page)
    value = float(page.locator(FRAGMENT_SLIDER).input_value())
    assert value == pytest.approx(0.55)
    assert _chart(page, POINT_TEXT_JS, FRAGMENT_CHART) == readout(value)
    page.evaluate(  # Streamlit draws the older copies again: the point at 0.5
        "(sel) => { const g = document.querySelector(sel); Plotly.react(g, window.olderDraw, g.layout); }",
        FRAGMENT_CHART,
    )
    page.wait_for_timeout(300)
    assert _chart(page, POINT_TEXT_JS, FRAGMENT_CHART) == readout(value)
    assert page.errors == []
    page.context.close()
