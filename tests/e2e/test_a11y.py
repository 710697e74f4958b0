"""Accessibility: axe-core on every page finds no serious or critical violation that the app can fix.

axe-core comes from the npm registry (tests/e2e/package.json, installed by ``.ci/run`` with ``npm ci``)
and is injected into the page by Playwright.  The whole page is scanned, nothing excluded: the page menu,
whose Streamlit version nested list items in a ``<div>``, is drawn by the app (``ui/page_menu.py``).
"""

from pathlib import Path

import pytest

from tests.e2e.harness import SCRIPT_DONE, page_url, wait_for_charts
from ui.registry import PAGES

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"

# KaTeX (st.latex) draws display math in a box with overflow-x: auto whose content is often 1-3 px wider
# than the box from glyph rounding, which axe reports as a scrollable region without keyboard access.
# Up to this many pixels it is KaTeX's rounding, not a formula too wide for its column (which fails).
KATEX_ROUNDING_PX = 4
OVERFLOW_JS = (
    """(sel) => { const e = document.querySelector(sel); return e ? e.scrollWidth - e.clientWidth : null; }"""
)


def is_katex_rounding(page, violation: dict) -> bool:
    if violation["id"] != "scrollable-region-focusable":
        return False
    for node in violation["nodes"]:
        selector = node["target"][0]
        if ".katex-display" not in selector:
            return False
        overflow = page.evaluate(OVERFLOW_JS, selector)
        if overflow is None or overflow > KATEX_ROUNDING_PX:
            return False
    return True


def run_axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
        })"""
    )
    serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    return [v for v in serious if not is_katex_rounding(page, v)]


@pytest.mark.parametrize("spec", PAGES, ids=[spec.url_path for spec in PAGES])
def test_no_serious_accessibility_violations(page, app_url, spec):
    if not AXE.exists():
        pytest.skip(f"A11Y TESTS SKIPPED: {AXE} is missing (npm ci --prefix tests/e2e)")
    page.goto(page_url(app_url, spec.url_path), wait_until="domcontentloaded")
    page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
    wait_for_charts(page)
    page.wait_for_timeout(500)
    violations = run_axe(page)
    report = [
        f"{v['id']} ({v['impact']}): {v['help']} — e.g. {v['nodes'][0]['target']}: "
        f"{v['nodes'][0].get('failureSummary', '')[:200]}"
        for v in violations
    ]
    assert not violations, "\n".join(report)
