"""Scrubbing in a real browser: drag a page's main control with the button held; does the chart follow?

    python -m tests.perf.bench_drag [--pages binary surprise ...] [--moves 25] [--interval-ms 60]
                                    [--app-dir /work/before] [--query '?present=1'] [--first-slider]

For each page, a fresh Chromium context opens it at its defaults and presses the mouse on the main
control's grip: the thumb of the page's main ``st.slider`` (``MAIN_SLIDERS`` of tests/perf/bench_load.py,
the one ``tests/perf/bench_latency.py`` presses too; ``ui.scrub.follow_drag`` makes charts follow it;
``--first-slider``: the page's first slider, as up to stop 21), or, if a chart carries an in-chart Plotly
slider named ``"scrub"`` (the alternative that was measured and not chosen), that slider's grip.
With the button held, the mouse moves ``--moves`` times
along the track, one move every ``--interval-ms`` (a slow hand), over 40 % of the track towards its
longer side.  After each move it counts a change if what the page's charts draw (trace data and
text, annotations, shapes) differs from before the move.  Then it releases and waits for the page.

Reported per page: moves, chart changes, their ratio; the messages the browser sent to the server
during the drag and up to the page's settling after release (each is a rerun request: the target is
0 during the drag and 1 at release); the browser's time per step where charts follow the drag (from
the control's change to the frame drawn, p50; "-" where nothing is drawn during the drag); and
whether the URL holds the value after release (the widget's URL parameter changed and equals the
widget's value).

Target (issue 12): ratio >= 0.5 at the pages' defaults, 0 messages during a drag, 1 at release.
Prints only; never fails.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from tests.e2e.harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SCRIPT_DONE,
    page_url,
    streamlit_server,
    wait_for_charts,
    warm_up,
)
from tests.perf.bench_latency import SLIDER, SLIDER_KEYS
from tests.perf.bench_load import MAIN_SLIDERS
from ui.registry import PAGES

SCRUB_NAME = "scrub"  # the in-chart slider's name (core's scrub slider, ui/scrub.js)
SPAN = 0.4  # the drag covers this fraction of the track

# What the page's charts draw, as one string: compared after every move.
SIGNATURE_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(g => JSON.stringify([
    (g.data || []).map(t => [t.x, t.y, t.z, t.text, t.base]),
    ((g.layout || {}).annotations || []).map(a => [a.x, a.y, a.ax, a.ay, a.text]),
    ((g.layout || {}).shapes || []).map(s => [s.x0, s.x1, s.y0, s.y1]),
])).join('|')"""

# Marks the first chart with an in-chart scrub slider (data-bench-scrub), if any.
FIND_SCRUB_JS = """(name) => {
    const graph = Array.from(document.querySelectorAll('.js-plotly-plot'))
        .find(g => ((g.layout || {}).sliders || []).some(s => s.name === name));
    if (graph) graph.setAttribute('data-bench-scrub', '1');
    return Boolean(graph);
}"""
# Times each step drawn in the browser during the drag: from the control's change (Plotly's slider change,
# or the st.slider input's value) to a chart's frame or update drawn (plotly_animated / plotly_update).
STEP_TIMER_JS = """(input) => {
    window.__steps = [];
    let changed = null;
    const start = () => { changed = performance.now(); };
    const drawn = () => {
        if (changed !== null) window.__steps.push(performance.now() - changed);
        changed = null;
    };
    document.querySelectorAll('.js-plotly-plot').forEach(g => {
        g.on('plotly_sliderchange', start);
        g.on('plotly_animated', drawn);
        g.on('plotly_update', drawn);
    });
    if (input) new MutationObserver(start).observe(input, {attributes: true, attributeFilter: ['value']});
}"""


def _grip_and_track(page, scrub: bool, slider_key: str | None):
    """Bounding boxes of the grip to press and of the track it runs on, or None if the page has neither."""
    if scrub:
        chart = page.locator("[data-bench-scrub] ")
        return chart.locator(".slider-grip-rect").first, chart.locator(".slider-rail-rect").first
    selector = f".st-key-{slider_key} input[type='range']" if slider_key else SLIDER
    if page.locator(selector).count() == 0:
        return None
    thumb = page.locator(selector).first.locator("xpath=../..")  # input → visually hidden wrapper → thumb
    return thumb, thumb.locator("xpath=..")


def _slider_values(page) -> dict[str, str]:
    """Each keyed st.slider's value (by widget key, which is also its URL parameter)."""
    return page.evaluate(
        """() => Object.fromEntries(Array.from(document.querySelectorAll('[data-testid="stSlider"]'))
            .map(s => [Array.from(s.closest('[class*="st-key-"]')?.classList || [])
                .find(c => c.startsWith('st-key-'))?.slice(7), s.querySelector('input[type="range"]')?.value])
            .filter(([k, v]) => k && v !== undefined))"""
    )


def _url_verdict(before_url: str, after_url: str, sliders: dict[str, str]) -> str:
    before = parse_qs(urlparse(before_url).query)
    after = parse_qs(urlparse(after_url).query)
    changed = [key for key in after if after[key] != before.get(key)]
    if not changed:
        return "unchanged"
    wrong = [
        key for key in changed if key in sliders and abs(float(after[key][0]) - float(sliders[key])) > 1e-9
    ]
    return (
        f"disagrees ({', '.join(wrong)})"
        if wrong
        else f"holds {', '.join(f'{k}={after[k][0]}' for k in changed)}"
    )


def measure(page, url: str, moves: int, interval_ms: float, slider_key: str | None, sent: list) -> dict | str:
    """Drag once on ``url``; the numbers reported, or why the page was skipped."""
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
    try:  # the chart mounts a moment after the script run ends
        page.wait_for_selector(".js-plotly-plot", state="attached", timeout=60_000)
    except Exception:  # playwright's TimeoutError: a page without charts (or a machine far too busy)
        return "no Plotly chart within 60 s"
    wait_for_charts(page)
    page.wait_for_timeout(500)
    scrub = page.evaluate(FIND_SCRUB_JS, SCRUB_NAME)
    found = _grip_and_track(page, scrub, slider_key)
    if found is None:
        return "no slider to drag"
    grip, track = found
    if not grip.is_visible():  # inside a collapsed expander: open it (not a rerun)
        grip.locator("xpath=ancestor::details[1]/summary").click()
        grip.wait_for(state="visible")
    grip.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.evaluate(STEP_TIMER_JS, None if scrub else grip.locator("input[type='range']").element_handle())
    g, t = grip.bounding_box(), track.bounding_box()
    x0, y0 = g["x"] + g["width"] / 2, g["y"] + g["height"] / 2
    left_room, right_room = x0 - t["x"], t["x"] + t["width"] - x0
    x1 = x0 + SPAN * t["width"] * (1 if right_room >= left_room else -1)

    before_url, start = page.url, len(sent)
    page.mouse.move(x0, y0)
    page.mouse.down()
    last, changes = page.evaluate(SIGNATURE_JS), 0
    for i in range(1, moves + 1):
        page.mouse.move(x0 + (x1 - x0) * i / moves, y0)
        page.wait_for_timeout(interval_ms)
        now = page.evaluate(SIGNATURE_JS)
        changes += now != last
        last = now
    during = len(sent) - start
    page.mouse.up()
    page.wait_for_timeout(300)  # a rerun request leaves at release; then the run ends
    page.wait_for_selector(SCRIPT_DONE, timeout=30_000)
    wait_for_charts(page)
    page.wait_for_timeout(500)
    steps = page.evaluate("() => window.__steps || []")
    return {
        "control": "in-chart" if scrub else "st.slider",
        "moves": moves,
        "changes": changes,
        "during": during,
        "release": len(sent) - start - during,
        "step_ms": statistics.median(steps) if steps else None,
        "url": _url_verdict(before_url, page.url, _slider_values(page)),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=25)
    parser.add_argument("--interval-ms", type=float, default=60.0, help="pause after each move (default 60)")
    parser.add_argument("--pages", nargs="*", default=[spec.url_path for spec in PAGES])
    parser.add_argument(
        "--app-dir", type=Path, default=None, help="run this checkout's app.py (e.g. /work/before) instead"
    )
    parser.add_argument("--query", default="", help="appended to every page's URL, e.g. '?present=1'")
    parser.add_argument(
        "--slider",
        action="append",
        default=[],
        metavar="PAGE=KEY",
        help="drag this slider on that page instead of bench_latency's (e.g. simplex=sx_T); repeatable",
    )
    parser.add_argument(
        "--first-slider",
        action="store_true",
        help="drag each page's first slider, not its main one (MAIN_SLIDERS of bench_load.py)",
    )
    args = parser.parse_args(argv)
    chosen = SLIDER_KEYS if args.first_slider else MAIN_SLIDERS
    slider_keys = dict(chosen) | dict(item.split("=", 1) for item in args.slider)
    from playwright.sync_api import sync_playwright

    script = str(args.app_dir.resolve() / "app.py") if args.app_dir else "app.py"
    rows: list[tuple[str, dict]] = []
    with sync_playwright() as pw, streamlit_server(script=script) as (base, _log):
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        warm_up(browser, base)
        for url_path in args.pages:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            sent: list[float] = []  # one entry per message the browser sends to the server
            page.on(
                "websocket", lambda ws, sent=sent: ws.on("framesent", lambda _: sent.append(time.monotonic()))
            )
            result = measure(
                page,
                page_url(base, url_path) + args.query,
                args.moves,
                args.interval_ms,
                slider_keys.get(url_path),
                sent,
            )
            context.close()
            if isinstance(result, str):
                print(f"  {url_path}: skipped ({result})", flush=True)
                continue
            print(f"  {url_path}: {result}", flush=True)
            rows.append((url_path, result))
        browser.close()

    print(
        f"Drag with the button held: {args.moves} moves, one every {args.interval_ms:.0f} ms, over "
        f"{SPAN:.0%} of the track (app: {args.app_dir or 'this checkout'})"
    )
    header = (
        f"{'page':<20}{'control':<11}{'moves':>6}{'changes':>8}{'ratio':>7}"
        f"{'msgs drag':>10}{'msgs release':>13}{'step ms':>8}  URL after release"
    )
    print(header)
    print("-" * len(header))
    for url_path, r in rows:
        step = f"{r['step_ms']:.0f}" if r["step_ms"] is not None else "-"
        ratio = r["changes"] / r["moves"]
        print(
            f"{url_path:<20}{r['control']:<11}{r['moves']:>6}{r['changes']:>8}{ratio:>7.2f}"
            f"{r['during']:>10}{r['release']:>13}{step:>8}  {r['url']}"
        )
    print("targets: ratio >= 0.5, 0 messages during the drag, 1 at release, URL holds the value")


if __name__ == "__main__":
    main()
