"""The Calibration lab in Chromium: a link opens its view, and dragging *Epochs* redraws the diagrams.

The drag is the scrub mechanism (``ui/scrub.py``): while the *Epochs* thumb moves, the browser redraws
both reliability diagrams from the frames ``core`` computed, with no server round trip; at release the
page reruns once and the URL and every other number follow.
"""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e.harness import (
    SCRIPT_DONE,
    base_path_probes,
    keep_console_error,
    page_url,
    wait_for_charts,
    warm_up,
)
from tests.e2e.test_pages import assert_clean, settle

EPOCHS = ".st-key-calibration_epochs input[type='range']"
BEFORE = ".st-key-calibration_before .js-plotly-plot"


@pytest.fixture
def lab(browser, app_url):
    """A fresh browser context for deep links to the lab (the base-path probes' 404s are expected)."""
    warm_up(browser, app_url)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    skip = base_path_probes(app_url, "calibration")
    page.on("console", lambda msg: keep_console_error(msg, page.errors, skip))
    page.on("pageerror", lambda exc: page.errors.append(f"page error: {exc}"))
    yield page
    context.close()


def _open(page, app_url: str, query: str = "") -> None:
    page.goto(page_url(app_url, "calibration") + (f"?{query}" if query else ""), wait_until="commit")
    page.wait_for_selector("h1:has-text('Calibration lab')", timeout=120_000)
    page.wait_for_selector(SCRIPT_DONE, timeout=120_000)
    settle(page)
    wait_for_charts(page)


def _title(page, selector: str) -> str:
    return page.evaluate(f"() => document.querySelector({selector!r}).layout.title.text")


def _readout(page, selector: str) -> str:
    """The numbers written inside a reliability diagram (its last trace, the readout)."""
    return page.evaluate(
        f"() => {{ const d = document.querySelector({selector!r}).data; return d[d.length - 1].text[0]; }}"
    )


def test_a_link_opens_the_view_it_names(lab, app_url):
    page = lab
    _open(page, app_url, "calibration_epochs=10&calibration_width=16&calibration_eps=0.1&calibration_bins=20")
    assert_clean(page)
    assert page.locator(EPOCHS).get_attribute("aria-valuetext") == "10"
    assert _readout(page, BEFORE).startswith("epoch 10 · ECE ")
    counts = page.evaluate(f"() => document.querySelector({BEFORE!r}).data[5].y.length")
    assert counts == 20
    assert (
        page.get_by_text("Network 64 → 16 → 10 (ReLU), trained with label-smoothed cross-entropy").count()
        == 1
    )


def test_dragging_epochs_redraws_both_diagrams_in_the_browser_then_the_page_follows(lab, app_url):
    page = lab
    _open(page, app_url)
    page.wait_for_timeout(500)  # the listeners find the slider's input
    after = ".st-key-calibration_after .js-plotly-plot"
    assert _readout(page, BEFORE).startswith("epoch 50 · ")
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(payload)))
    thumb = page.locator(EPOCHS).locator("xpath=../..")  # input → visually hidden wrapper → thumb
    thumb.scroll_into_view_if_needed()
    box, track = thumb.bounding_box(), thumb.locator("xpath=..").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    seen = set()
    for i in range(1, 13):  # about three options to the left: from 50 epochs down to 10
        page.mouse.move(x - 0.34 * track["width"] * i / 12, y)
        page.wait_for_timeout(80)
        seen.add(_readout(page, BEFORE).split(" · ")[0])
    during = (_readout(page, BEFORE), _readout(page, after))
    assert len(seen) >= 3, f"the diagram followed only {sorted(seen)}"
    assert not sent, "the browser sent the server something during the drag"
    page.mouse.up()
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('calibration_epochs') !== null", timeout=60_000
    )
    page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
    settle(page)
    epochs = parse_qs(urlsplit(page.url).query)["calibration_epochs"][0]
    assert page.locator(EPOCHS).get_attribute("aria-valuetext") == epochs
    assert during[0].startswith(f"epoch {epochs} · ")
    # the rerun drew what the drag left, in both diagrams
    assert (_readout(page, BEFORE), _readout(page, after)) == during
    assert_clean(page)


def test_an_arrow_key_redraws_the_diagram_before_its_rerun(lab, app_url):
    page = lab
    _open(page, app_url)
    page.wait_for_timeout(500)
    page.locator(EPOCHS).focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        f"() => {{ const d = document.querySelector({BEFORE!r}).data; "
        "return d[d.length - 1].text[0].startsWith('epoch 70 · '); }",
        timeout=10_000,
    )
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('calibration_epochs') === '70'", timeout=60_000
    )
    page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
    settle(page)
    assert _readout(page, BEFORE).startswith("epoch 70 · ")
    assert_clean(page)
