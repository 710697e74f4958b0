"""Shared test setup.

- Scripts under tests/ that are not tests (the benchmarks in tests/perf/ and the
  screenshot tool) are kept out of collection, so ``--doctest-modules`` does not import
  them.
- Tests marked ``torch`` compare with PyTorch, which is not a dependency: where torch is
  not installed they are skipped (each also calls ``pytest.importorskip("torch")``, and
  tests/test_hygiene.py checks that every test importing torch is marked).
- For tests that use Streamlit: ``st.cache_data`` and the figures ``ui.common.show_shared_figure``
  keeps are cleared before each test, so no test sees another's cached results; error details are
  shown in full (.streamlit/config.toml hides them from visitors, and AppTest reads that file too);
  page errors propagate (see ``ui.common.safe_page``), so AppTest reports them as exceptions; and
  AppTest is kept from mistaking ``pages/`` for a legacy (v1) pages folder (see
  ``_never_legacy_pages_folder``).  Streamlit is touched only if the test module already imported it,
  which keeps core-only runs fast.
"""

import importlib.util
import os
import sys

import pytest

# Every figure the tests build is also checked against plotly's schema (core.figures.engine.Draft.figure);
# the app itself skips that check, which would cost tens of milliseconds per figure and rerun.
os.environ["EXPLORER_VALIDATE_FIGURES"] = "1"

collect_ignore = ["perf", "e2e/screenshot.py"]


def _torch_missing() -> bool:
    try:
        return importlib.util.find_spec("torch") is None
    except (ImportError, ValueError):  # ValueError: torch blocked in sys.modules
        return True


def pytest_collection_modifyitems(config, items):
    """Skip the tests marked ``torch`` where torch is not installed (found without importing it)."""
    if not _torch_missing():
        return
    skip = pytest.mark.skip(reason="torch is not installed; this test compares with PyTorch")
    for item in items:
        if item.get_closest_marker("torch") is not None:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _streamlit_test_setup(monkeypatch):
    monkeypatch.setenv("EXPLORER_RAISE_PAGE_ERRORS", "1")  # ui.common.RAISE_ERRORS_ENV
    if "streamlit" not in sys.modules:
        yield
        return
    from streamlit import config

    streamlit = sys.modules["streamlit"]
    streamlit.cache_data.clear()
    common = sys.modules.get("ui.common")
    if common is not None:
        common._shared.clear()
    _never_legacy_pages_folder(monkeypatch)
    previous = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", "full")
    yield
    config.set_option("client.showErrorDetails", previous)


def _never_legacy_pages_folder(monkeypatch):
    """Keep AppTest from running a page without app.py on reruns.

    Streamlit 1.67 decides per process whether an app uses the legacy ``pages/`` folder
    (``PagesManager.uses_pages_directory``): True when a ``pages/`` folder sits next to the
    main script, until ``st.navigation`` sets it False. AppTest resets it to None before
    every run, so on each rerun it is True again and Streamlit runs the requested page file
    directly, skipping app.py: no sidebar, so the "units" choice disappears. This app always
    calls ``st.navigation``, so False is the truth.
    """
    from streamlit.runtime.pages_manager import PagesManager

    original_init = PagesManager.__init__

    def init(self, *args, **kwargs):
        PagesManager.uses_pages_directory = False
        original_init(self, *args, **kwargs)

    monkeypatch.setattr(PagesManager, "__init__", init)
