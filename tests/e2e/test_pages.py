"""Every page in a real browser: opened from the menu, drawn without error, every slider moves a chart.

Chart data is read from the DOM (each Plotly graph div's ``data``), so a slider passes only if the figure
the student sees actually changed after a keyboard press.
"""

import pytest

from tests.e2e.harness import EXCEPTION, PLAIN_JS, SCRIPT_DONE, wait_for_charts
from ui.registry import DEFAULT_PAGE, PAGES

# Streamlit 1.67 sliders are react-aria range inputs (visually hidden, keyboard-operable) inside stSlider.
SLIDERS = "[data-testid='stSlider'] input[type='range']"
PAGES_WITHOUT_SLIDERS = {"home"}
# A signature of what every chart on the page draws: the data of each trace, as JSON, by value (PLAIN_JS).
CHART_DATA_JS = f"""() => {{
    const plain = {PLAIN_JS};
    return Array.from(document.querySelectorAll('.js-plotly-plot'))
        .map(g => JSON.stringify((g.data || []).map(t => [t.x, t.y, t.z, t.text, t.base].map(plain))))
        .join('|');
}}"""


def open_from_menu(page, spec):
    heading = page.locator("h1").first.inner_text()
    link = page.locator(".st-key-page_menu a", has_text=spec.title).first  # ui/page_menu.py
    link.click()
    page.wait_for_url(lambda url: url.rstrip("/").endswith("" if spec is DEFAULT_PAGE else spec.url_path))
    if spec is not DEFAULT_PAGE:  # "notRunning" is news only once the new page's heading is drawn
        page.wait_for_function(
            "(old) => { const h = document.querySelector('h1'); return h && h.innerText !== old; }",
            arg=heading,
            timeout=60_000,
        )
    page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
    settle(page)
    wait_for_charts(page)


def settle(page, quiet_ms: int = 1_000, timeout_ms: int = 30_000):
    """Wait until the page stops adding elements: under load the frontend draws well after the run ends."""
    waited, last = 0, -1
    while waited < timeout_ms:
        count = page.locator("[data-testid='stElementContainer']").count()
        if count == last and page.locator("[data-testid='stSkeleton']").count() == 0:
            return
        last = count
        page.wait_for_timeout(quiet_ms)
        waited += quiet_ms


def assert_clean(page):
    assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).all_inner_texts()
    assert page.get_by_text("could not be drawn").count() == 0, "ui.common.safe_page caught an error"
    assert not page.errors, page.errors


@pytest.mark.parametrize("spec", PAGES, ids=[spec.url_path for spec in PAGES])
def test_page_opens_from_the_menu_without_errors(page, spec):
    open_from_menu(page, spec)
    assert page.locator("h1").first.inner_text().strip() != ""
    assert_clean(page)


@pytest.mark.parametrize("spec", PAGES, ids=[spec.url_path for spec in PAGES])
def test_every_slider_moves_a_chart(page, spec):
    open_from_menu(page, spec)
    sliders = page.locator(SLIDERS)
    count = sliders.count()
    if spec.url_path in PAGES_WITHOUT_SLIDERS:
        assert count == 0
        return
    assert count > 0, f"{spec.url_path} shows no slider"
    for index in range(count):
        slider = page.locator(SLIDERS).nth(index)
        container = page.locator("[data-testid='stSlider']").filter(has=slider)
        if not container.is_visible():  # in a closed expander or another tab
            continue
        label = slider.get_attribute("aria-label")
        assert label, f"slider {index} on {spec.url_path} has no accessible label"
        before = page.evaluate(CHART_DATA_JS)
        at_max = float(slider.get_attribute("value")) >= float(slider.get_attribute("max"))
        slider.focus()
        page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
        try:
            page.wait_for_function(f"(before) => ({CHART_DATA_JS})() !== before", arg=before, timeout=15_000)
        except Exception as exc:  # playwright's TimeoutError
            raise AssertionError(f"{spec.url_path}: moving {label!r} did not change any chart") from exc
        page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
        assert_clean(page)
