"""Interaction latency in a real browser: slider key press -> the chart draws the new data.  Prints only.

    python -m tests.perf.bench_latency [--presses 50] [--pages binary multiclass ...] [--first-slider]
        [--app-dir /work/before [--app-dir .]]

For each page with a slider and a chart, Chromium focuses the page's main slider (the one a student moves
most: ``MAIN_SLIDERS`` of tests/perf/bench_load.py, the slider the lecture-hall benchmark moves too) and
presses an arrow key ``--presses`` times (alternating right and left) after 5 uncounted warm-up presses.
``--first-slider`` presses the first slider on the page instead, as this benchmark did up to stop 20
(on several pages a structural setting: the number of classes, the network's width).
Inside the page a capture-phase ``keydown`` listener stamps the press and each chart's
``plotly_afterplot`` event (a chart redrawn from a figure the server sent) or ``plotly_animated``
event (a scrubbed chart moved to the key's frame in the browser, ui/scrub.js, before the rerun) stamps
the redraw; a press counts once a chart's trace data differs from what it showed before it.  The
same is done for a bare reference page (tests/perf/bare_app.py: one slider, one four-bar chart)
served by its own Streamlit process in the same run: Streamlit's own floor on this machine.  Also
printed: the cold start, from launching ``streamlit run app.py`` to the first page fully drawn, and the
bare app's, from launching it to its chart drawn (the first of them after the app's servers stopped).

``--app-dir`` serves that checkout of the app (default: this one) from its own directory, so its code
and its ``.streamlit/config.toml`` are measured (tests/perf/cluster.py); give it twice (e.g.
/work/before and .) to measure before and after in one run, against the same bare page: one server per
checkout, one after the other, and one table with a row per page and checkout.

Targets (issue 12, item 2): every page's p50 within 1.25x the bare page's, p95 <= 250 ms, cold start
within 1.25x the bare app's.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from tests.e2e.harness import CHROMIUM, CHROMIUM_ARGS, ROOT, SCRIPT_DONE, page_url, wait_for_charts
from tests.perf.bench_load import MAIN_SLIDERS
from tests.perf.cluster import BARE_APP, app_dir_problem, app_server
from ui.registry import PAGES

SLIDER = "[data-testid='stSlider'] input[type='range']"
# With --first-slider, pages whose first slider changes no chart until something else happens: the slider
# to press instead (by widget key; Streamlit gives the widget's container the class st-key-<key>).
SLIDER_KEYS = {"train": "train_noise"}
WARM_UP = 5  # presses per page not counted: the first reruns of a page pay for imports and caches

# Installed once per page load: stamps key presses and chart redraws whose data changed.
INSTRUMENT_JS = """() => {
    const signature = () => Array.from(document.querySelectorAll('.js-plotly-plot'))
        .map(g => JSON.stringify((g.data || []).map(t => [t.x, t.y, t.z, t.text, t.base]))).join('|');
    window.__lat = {pressedAt: null, drawnAt: null, before: signature(), signature};
    document.addEventListener('keydown', (e) => {
        window.__lat.before = window.__lat.signature();
        window.__lat.pressedAt = performance.now();
        window.__lat.drawnAt = null;
    }, true);
    const watch = () => document.querySelectorAll('.js-plotly-plot').forEach(g => {
        if (g.__latWatched) return;
        g.__latWatched = true;
        const stamp = () => {
            const lat = window.__lat;
            if (lat.pressedAt !== null && lat.drawnAt === null && lat.signature() !== lat.before) {
                lat.drawnAt = performance.now();
            }
        };
        g.on('plotly_afterplot', stamp);  // a chart redrawn from a figure the server sent
        g.on('plotly_animated', stamp);  // a scrubbed chart moved to the key's frame (ui/scrub.js)
    });
    watch();
    new MutationObserver(watch).observe(document.body, {childList: true, subtree: true});
}"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def measure(page, url: str, presses: int, slider_key: str | None = None) -> list[float] | str:
    """The press -> redraw latencies (ms) of ``presses`` counted presses, or why there are none."""
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
    try:  # the chart mounts a moment after the script run ends
        page.wait_for_selector(".js-plotly-plot", state="attached", timeout=15_000)
    except Exception:  # playwright's TimeoutError: a page without charts
        return "no chart"
    wait_for_charts(page)
    selector = f".st-key-{slider_key} input[type='range']" if slider_key else SLIDER
    if page.locator(selector).count() == 0:
        return "no slider"
    page.evaluate(INSTRUMENT_JS)
    slider = page.locator(selector).first
    if not slider.is_visible():  # inside a collapsed expander: open it (not a rerun)
        slider.locator("xpath=ancestor::details[1]/summary").click()
        slider.wait_for(state="visible")
    slider.focus()
    at_max = float(slider.get_attribute("value")) >= float(slider.get_attribute("max"))
    keys = ["ArrowLeft", "ArrowRight"] if at_max else ["ArrowRight", "ArrowLeft"]
    latencies = []
    for i in range(WARM_UP + presses):
        page.keyboard.press(keys[i % 2])
        try:
            page.wait_for_function("() => window.__lat.drawnAt !== null", timeout=15_000)
        except Exception:  # playwright's TimeoutError: this slider changes no chart (e.g. a learning rate)
            return f"press {i + 1} ({keys[i % 2]}) changed no chart's data within 15 s"
        latencies.append(page.evaluate("() => window.__lat.drawnAt - window.__lat.pressedAt"))
        page.wait_for_selector(SCRIPT_DONE, timeout=30_000)
    return latencies[WARM_UP:]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=50)
    parser.add_argument(
        "--first-slider",
        action="store_true",
        help="press each page's first slider, not its main one (MAIN_SLIDERS of bench_load.py)",
    )
    parser.add_argument("--pages", nargs="*", default=[spec.url_path for spec in PAGES])
    parser.add_argument(
        "--app-dir",
        type=Path,
        action="append",
        help="checkout of the app to serve (default: this one); repeat it to measure several",
    )
    args = parser.parse_args(argv)
    app_dirs = [path.resolve() for path in args.app_dir or [ROOT]]
    for app_dir in app_dirs:
        if problem := app_dir_problem(app_dir):
            parser.error(problem)
    from playwright.sync_api import sync_playwright

    rows: list[tuple[str, Path, list[float]]] = []
    cold_starts: dict[Path, float] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()

        def fresh_page():
            """A new browser context per page: one page's renderer state never slows the next."""
            nonlocal context, page
            context.close()
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            return page

        for app_dir in app_dirs:
            started = time.perf_counter()
            with app_server(app_dir) as server:
                base = server.url
                page = fresh_page()
                page.goto(base + "/", wait_until="domcontentloaded")
                page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
                wait_for_charts(page)
                cold_starts[app_dir] = time.perf_counter() - started
                for url_path in args.pages:
                    start = time.perf_counter()
                    key = (SLIDER_KEYS if args.first_slider else MAIN_SLIDERS).get(url_path)
                    latencies = measure(fresh_page(), page_url(base, url_path), args.presses, key)
                    took = time.perf_counter() - start
                    if isinstance(latencies, str):
                        print(f"  {url_path} ({app_dir}): skipped ({latencies})", flush=True)
                    else:
                        p50 = statistics.median(latencies)
                        print(f"  {url_path} ({app_dir}): p50 {p50:.0f} ms ({took:.0f} s)", flush=True)
                        rows.append((url_path, app_dir, latencies))
        # The bare app's cold start, the same way: what Streamlit itself costs from launch to a drawn chart.
        started = time.perf_counter()
        with app_server(app_dirs[0], BARE_APP) as bare_server:
            page = fresh_page()
            page.goto(bare_server.url + "/", wait_until="domcontentloaded")
            page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
            wait_for_charts(page)
            bare_cold_start = time.perf_counter() - started
            bare = measure(fresh_page(), bare_server.url + "/", args.presses)
            if isinstance(bare, str):
                raise SystemExit(f"the bare page could not be measured: {bare}")
        browser.close()

    several = len(app_dirs) > 1
    app_width = max(len(str(app_dir)) for app_dir in app_dirs) + 2 if several else 0
    bare_p50 = statistics.median(bare)
    pressed = "its first slider" if args.first_slider else "its main slider"
    print(
        f"Interaction latency: key press on {pressed} -> chart redrawn with new data, "
        f"{args.presses} presses per page"
    )
    print(
        f"cold start of the bare app (streamlit run {BARE_APP.name} -> its chart drawn): "
        f"{bare_cold_start:.2f} s"
    )
    for app_dir, cold_start in cold_starts.items():
        print(
            f"cold start (streamlit run app.py in {app_dir} -> first page drawn): {cold_start:.2f} s, "
            f"{cold_start / bare_cold_start:.2f}x the bare app's (target <= 1.25x)"
        )
    header = f"{'page':<20}{'app' if several else '':<{app_width}}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
    header += f"{'p50 / bare':>12}"
    print(header)
    print("-" * len(header))
    print(
        f"{'(bare reference)':<20}{'':<{app_width}}{bare_p50:>9.0f}{percentile(bare, 95):>9.0f}"
        f"{max(bare):>9.0f}{1.0:>12.2f}"
    )
    for url_path in args.pages:
        for name, app_dir, latencies in rows:
            if name != url_path:
                continue
            p50 = statistics.median(latencies)
            app = str(app_dir) if several else ""
            print(
                f"{url_path:<20}{app:<{app_width}}{p50:>9.0f}{percentile(latencies, 95):>9.0f}"
                f"{max(latencies):>9.0f}{p50 / bare_p50:>12.2f}"
            )
    print("targets: p50 / bare <= 1.25, p95 <= 250 ms")


if __name__ == "__main__":
    main()
