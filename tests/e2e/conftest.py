"""Fixtures for the end-to-end tests: one Streamlit server and one headless Chromium per session.

The server is ``streamlit run app.py`` on a free loopback port (headless, file watcher off), waited on
through ``/_stcore/health`` and stopped at the end.  Chromium is Debian's ``/usr/bin/chromium`` driven
by Playwright (never a browser download).  Without Chromium or Playwright every e2e test is skipped
with a reason that says how to install them; ``.ci/run`` installs both, so CI runs them.
"""

from pathlib import Path

import pytest

from tests.e2e.harness import CHROMIUM, CHROMIUM_ARGS, SCRIPT_DONE, streamlit_server


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def _playwright():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"E2E TESTS SKIPPED: {CHROMIUM} is missing (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("E2E TESTS SKIPPED: playwright is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(_playwright):
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def app_url(_playwright):
    with streamlit_server() as (url, _log):
        yield url


@pytest.fixture
def page(browser, app_url):
    """A fresh browser context on the app's home page, with console errors collected in ``page.errors``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: page.errors.append(f"page error: {exc}"))
    page.goto(app_url + "/", wait_until="domcontentloaded")
    page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
    yield page
    context.close()
