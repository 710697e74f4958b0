"""The Your own predictions page in Chromium: every bad file, uploaded through the file dialog's input,
gets its message and never a traceback; a file too large for the server is stopped by the uploader; and a
class name holding HTML is shown as the characters it is made of.

One browser tab serves the whole module (uploading into it again replaces the file), so the checks cost
one upload and one rerun each instead of a page load.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from core.predictions import MAX_UPLOAD_MB, PredictionsError, RowSumError, parse_predictions
from tests._prediction_files import BAD_INPUTS, TOO_MANY_ROWS
from tests.e2e.harness import EXCEPTION, SCRIPT_DONE, base_path_probes, keep_console_error, wait_for_charts
from tests.e2e.test_pages import CHART_DATA_JS
from words.predictions import KIND_LABELS, SOURCES

UPLOAD_INPUT = ".st-key-preds_file [data-testid='stFileUploaderDropzoneInput']"
ERROR = "[data-testid='stAlertContentError']"
# Files the server would refuse (Streamlit's uploader stops them in the browser, before any upload).
TOO_LARGE_FOR_THE_UPLOADER = {"too-many-bytes"}
HOSTILE = (
    'label,<b>bold</b>,<img src=x onerror="alert(1)">,:red[Cat] $x$\n'
    "0,0.6,0.3,0.1\n1,0.2,0.7,0.1\n2,0.1,0.1,0.8\n"
)


@pytest.fixture(scope="module")
def tab(browser, app_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.dialogs = []
    skip = base_path_probes(app_url, "predictions")  # the frontend's expected 404s on a deep link
    page.on("console", lambda msg: keep_console_error(msg, page.errors, skip))
    page.on("pageerror", lambda exc: page.errors.append(f"page error: {exc}"))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(app_url + "/", wait_until="domcontentloaded")
    page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
    page.app_url = app_url
    _set_kind(page, "auto")
    yield page
    context.close()


def _set_kind(page, kind: str) -> None:
    """Open the page for uploads with *The numbers are* at ``kind`` (through the link, as a visitor could)."""
    if getattr(page, "kind", None) == kind:
        return
    query = f"preds_source={quote(SOURCES[2])}&preds_kind={quote(KIND_LABELS[kind])}"
    page.goto(f"{page.app_url}/predictions?{query}", wait_until="domcontentloaded")
    page.wait_for_selector(UPLOAD_INPUT, state="attached", timeout=60_000)
    page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
    page.kind = kind


def _upload(page, tmp_path: Path, data: bytes) -> None:
    """Upload ``data`` under a new short name (the uploader shortens long ones), then wait for the rerun."""
    page.uploads = getattr(page, "uploads", 0) + 1
    name = f"file{page.uploads}.csv"
    path = tmp_path / name
    path.write_bytes(data)
    page.locator(UPLOAD_INPUT).set_input_files(str(path))
    # The uploader shows the file's name; then the rerun draws the result.
    page.get_by_text(name).first.wait_for(timeout=60_000)
    page.wait_for_timeout(300)
    page.wait_for_selector(SCRIPT_DONE, timeout=60_000)


def _assert_no_traceback(page) -> None:
    assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).all_inner_texts()
    assert page.get_by_text("could not be drawn").count() == 0, "ui.common.safe_page caught an error"
    assert page.get_by_text("Traceback").count() == 0
    assert not page.errors, page.errors


CASES = [c for c in BAD_INPUTS if c[0] not in TOO_LARGE_FOR_THE_UPLOADER] + [
    ("too-many-rows", TOO_MANY_ROWS, "auto", "")
]


@pytest.mark.parametrize(("name", "data", "kind"), [c[:3] for c in CASES], ids=[c[0] for c in CASES])
def test_every_bad_file_shows_its_message_and_no_traceback(tab, tmp_path, name, data, kind):
    data = data if isinstance(data, bytes) else data.encode("utf-8")
    with pytest.raises(PredictionsError) as info:
        parse_predictions(data, kind=kind)
    _set_kind(tab, kind)
    _upload(tab, tmp_path, data)
    error = tab.locator(ERROR).first
    error.wait_for(timeout=60_000)
    shown = " ".join(error.inner_text().split())
    assert " ".join(info.value.problem.split()) in shown
    if isinstance(info.value, RowSumError):  # the page words this fix with its own controls
        assert "switch on Renormalise rows that do not sum to 1 (or press the button below)" in shown
        assert tab.get_by_role("button", name="Renormalise the rows").count() == 1
    else:
        assert " ".join(info.value.fix.split()) in shown
    assert tab.locator(".js-plotly-plot").count() == 0
    _assert_no_traceback(tab)


def test_a_file_over_the_upload_limit_is_stopped_by_the_uploader(tab, tmp_path):
    _set_kind(tab, "auto")
    path = tmp_path / "huge.csv"
    path.write_bytes(b"label,a,b\n" + b"0,0.5,0.5\n" * (MAX_UPLOAD_MB * 1024 * 1024 // 10 + 1))
    tab.locator(UPLOAD_INPUT).set_input_files(str(path))
    tab.get_by_text(f"File must be {MAX_UPLOAD_MB:.1f}MB or smaller.").first.wait_for(timeout=30_000)
    tab.wait_for_selector(SCRIPT_DONE, timeout=60_000)
    _assert_no_traceback(tab)


def test_html_in_a_class_name_is_shown_as_text(tab, tmp_path):
    _set_kind(tab, "auto")
    _upload(tab, tmp_path, HOSTILE.encode("utf-8"))
    main = tab.locator("[data-testid='stMain']")
    summary = main.locator("[data-testid='stMarkdownContainer']", has_text="Read 3 examples").first
    text = summary.inner_text()  # waits for the rerun that reads the file
    tab.wait_for_selector(SCRIPT_DONE, timeout=60_000)
    wait_for_charts(tab)
    tick_texts = "() => [...document.querySelectorAll('.js-plotly-plot .xtick text')].map(e => e.textContent)"
    tab.wait_for_function(f"() => ({tick_texts})().includes('<b>bold</b>')", timeout=30_000)
    assert "<b>bold</b>" in text
    assert '<img src=x onerror="alert(1)">' in text
    assert ":red[Cat] $x$" in text
    assert main.locator("img[src='x']").count() == 0
    assert summary.locator("b").count() == 0
    assert tab.dialogs == []
    # The confusion matrix's tick labels read the names as written, and hold no <b> of their own.
    ticks = tab.locator(".js-plotly-plot .xtick text").evaluate_all("els => els.map(e => e.textContent)")
    assert "<b>bold</b>" in ticks
    assert (
        tab.locator(".js-plotly-plot .xtick text b, .js-plotly-plot .xtick tspan[style*='bold']").count() == 0
    )
    _assert_no_traceback(tab)


def test_the_bins_slider_redraws_the_diagram_and_the_example_downloads(browser, app_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(app_url + "/", wait_until="domcontentloaded")
        page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
        page.goto(app_url + "/predictions", wait_until="domcontentloaded")
        slider = page.locator(".st-key-preds_bins input[type='range']")
        slider.wait_for(state="attached", timeout=60_000)
        wait_for_charts(page)
        before = page.evaluate(CHART_DATA_JS)
        slider.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"(before) => ({CHART_DATA_JS})() !== before", arg=before, timeout=30_000)
        page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
        page.get_by_text("11 bins · ECE").first.wait_for(timeout=30_000)
        assert "preds_bins=11" in page.url
        # The example downloads, and reads back as the same 1,078 digits.
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="Download the example (probabilities, CSV)").click()
        text = Path(download.value.path()).read_text(encoding="utf-8")
        pred = parse_predictions(text)
        assert (pred.n, pred.kind, pred.class_names) == (1078, "probabilities", tuple("0123456789"))
        assert download.value.suggested_filename == "example_predictions_probabilities.csv"
        assert page.locator(EXCEPTION).count() == 0
    finally:
        context.close()
