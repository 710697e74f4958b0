"""The Probability simplex in Chromium: a link opens its view; a key press on T moves the chart and the link.

The arrow key moves the *Temperature T* slider by one step; the page reruns, the chart's point, path and
readout, the metrics and the URL follow, and that URL opens the same view in a fresh browser.
"""

from urllib.parse import parse_qs, urlsplit

import pytest

from core.formatting import number
from core.simplex import point_readout, smoothed_target
from tests.e2e.harness import SCRIPT_DONE, base_path_probes, keep_console_error, page_url, wait_for_charts
from tests.e2e.test_pages import assert_clean, settle

TEMPERATURE = ".st-key-sx_T input[type='range']"
CHART = ".st-key-sx_chart .js-plotly-plot"
READOUT_JS = f"() => {{ const d = document.querySelector({CHART!r}).data; return d[d.length - 1].text[0]; }}"
POINT_JS = f"""() => {{ const d = document.querySelector({CHART!r}).data;
    const t = d[d.length - 2]; return [t.x[0], t.y[0]]; }}"""


def _new_page(browser, app_url: str):
    """A fresh context whose console errors are kept in ``page.errors``, except the 404s of the frontend's
    expected base-path probes on a deep link (see ``tests.e2e.harness.base_path_probes``)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    skip = base_path_probes(app_url, "simplex")
    page.on("console", lambda msg: keep_console_error(msg, page.errors, skip))
    page.on("pageerror", lambda exc: page.errors.append(f"page error: {exc}"))
    return context, page


@pytest.fixture
def simplex(browser, app_url):
    context, page = _new_page(browser, app_url)
    yield page
    context.close()


def _open(page, app_url: str, query: str = "") -> None:
    page.goto(page_url(app_url, "simplex") + (f"?{query}" if query else ""), wait_until="commit")
    page.wait_for_selector("h1:has-text('Probability simplex')", timeout=120_000)
    page.wait_for_selector(SCRIPT_DONE, timeout=120_000)
    settle(page)
    wait_for_charts(page)


def _metric(page, label: str) -> str:
    box = page.locator("[data-testid='stMetric']", has_text=label).first
    return box.locator("[data-testid='stMetricValue']").inner_text().strip()


def _expected_loss(temperature: float, true_index: int = 0, eps: float = 0.0, z=(1.0, 2.0)) -> str:
    return number(point_readout([*z, 0.0], smoothed_target(true_index, eps), temperature).loss, 3)


def test_a_link_opens_the_view_it_names(simplex, app_url):
    page = simplex
    _open(page, app_url, "sx_T=2.3&sx_true=Dog&sx_eps=0.25&sx_z1=-1.5")
    assert_clean(page)
    assert page.locator(TEMPERATURE).get_attribute("aria-valuetext") == "2.3"
    loss = _expected_loss(2.3, 1, 0.25, (-1.5, 2.0))
    assert _metric(page, "Loss (nats)") == loss
    assert page.evaluate(READOUT_JS).startswith(f"T = 2.3<br>loss {loss} nats")


def test_a_key_press_on_the_temperature_moves_the_chart_and_the_link(simplex, browser, app_url):
    page = simplex
    _open(page, app_url)
    assert page.evaluate(READOUT_JS).startswith(f"T = 1.0<br>loss {_expected_loss(1.0)} nats")
    start = page.evaluate(POINT_JS)
    thumb = page.locator(TEMPERATURE)
    thumb.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"() => ({READOUT_JS})().startsWith('T = 1.1<br>')", timeout=60_000)
    page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
    settle(page)
    assert page.evaluate(READOUT_JS).startswith(f"T = 1.1<br>loss {_expected_loss(1.1)} nats")
    assert page.evaluate(POINT_JS) != pytest.approx(start)
    assert _metric(page, "Loss (nats)") == _expected_loss(1.1)
    page.wait_for_function("() => new URLSearchParams(location.search).get('sx_T') === '1.1'", timeout=30_000)
    assert parse_qs(urlsplit(page.url).query)["sx_T"] == ["1.1"]
    assert_clean(page)
    # The link opens the same view in a fresh browser.
    context, fresh = _new_page(browser, app_url)
    try:
        _open(fresh, app_url, urlsplit(page.url).query)
        assert fresh.locator(TEMPERATURE).get_attribute("aria-valuetext") == "1.1"
        assert _metric(fresh, "Loss (nats)") == _expected_loss(1.1)
        assert fresh.evaluate(READOUT_JS) == page.evaluate(READOUT_JS)
        assert_clean(fresh)
    finally:
        context.close()
