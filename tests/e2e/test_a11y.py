"""Accessibility: axe-core on every page finds no serious or critical violation that the app can fix.

axe-core comes from the npm registry (tests/e2e/package.json, installed by ``.ci/run`` with ``npm ci``)
and is injected into the page by Playwright.  The whole page is scanned, nothing excluded: the page menu,
whose Streamlit version nested list items in a ``<div>``, is drawn by the app (``ui/page_menu.py``), and a
display formula wider than its column can take the keyboard's focus (``ui/formula_scroll.py``).
"""

from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.harness import SCRIPT_DONE, page_url, wait_for_charts
from ui.registry import PAGES

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
FORMULA_ROUNDING_PX = 4  # ui/formula_scroll.js's ROUNDING_PX


# True once every box is as ui/formula_scroll.js leaves it.
FITTED_JS = f"""() => [...document.querySelectorAll('.katex-display')].every(box => {{
    const extra = box.scrollWidth - box.clientWidth;
    if (extra > {FORMULA_ROUNDING_PX}) return box.getAttribute('tabindex') === '0';
    return !box.hasAttribute('tabindex') && (extra <= 0 || getComputedStyle(box).overflowX === 'hidden');
}})"""


def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
        })"""
    )
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("spec", PAGES, ids=[spec.url_path for spec in PAGES])
def test_no_serious_accessibility_violations(page, app_url, spec):
    if not AXE.exists():
        pytest.skip(f"A11Y TESTS SKIPPED: {AXE} is missing (npm ci --prefix tests/e2e)")
    page.goto(page_url(app_url, spec.url_path), wait_until="domcontentloaded")
    page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
    wait_for_charts(page)
    try:  # ui/formula_scroll.js has fitted every formula's box (at once, unless fonts are still coming)
        page.wait_for_function(FITTED_JS, timeout=15_000)
    except PlaywrightTimeout:
        pass  # axe then says which box is a scrollable region without focus
    page.wait_for_timeout(500)
    violations = run_axe(page)
    report = [
        f"{v['id']} ({v['impact']}): {v['help']} — e.g. {v['nodes'][0]['target']}: "
        f"{v['nodes'][0].get('failureSummary', '')[:200]}"
        for v in violations
    ]
    assert not violations, "\n".join(report)


# Each display formula's box: how much wider its formula is, its tabindex, name and overflow-x.
FORMULA_BOXES_JS = """() => [...document.querySelectorAll('.katex-display')].map(box => ({
    extra: box.scrollWidth - box.clientWidth, tabindex: box.getAttribute('tabindex'),
    label: box.getAttribute('aria-label'), overflow: getComputedStyle(box).overflowX}))"""


def test_a_formula_wider_than_a_phone_takes_the_focus_and_rounding_shows_no_scroll_bar(browser, app_url):
    # On a phone the identities' formulas are wider than the screen; on a desktop they fit, some within
    # KaTeX's rounding.  ui/formula_scroll.js must tell the two apart on both.
    for width, height in ((390, 844), (1280, 900)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(page_url(app_url, "identities"), wait_until="domcontentloaded")
        page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
        page.wait_for_selector(".katex-display", timeout=60_000)
        try:  # the script fits each box once it is laid out and its fonts have arrived
            page.wait_for_function(FITTED_JS, timeout=15_000)
        except PlaywrightTimeout:
            pass  # the assertions below say which box is not fitted
        boxes = page.evaluate(FORMULA_BOXES_JS)
        context.close()
        assert boxes
        for box in boxes:
            if box["extra"] > FORMULA_ROUNDING_PX:
                assert box["tabindex"] == "0", box
                assert box["label"], box
            else:
                assert box["tabindex"] is None, box
                assert box["extra"] <= 0 or box["overflow"] == "hidden", box
        if width == 390:
            assert any(box["extra"] > FORMULA_ROUNDING_PX for box in boxes), "no formula scrolls on a phone"
