"""Train a network while playing, in headless Chromium: chart updates a second, and their cost.  Prints only.

    python -m tests.perf.bench_train_play [--seconds 15] [--query train_speed=1]
        [--app-dir /tmp/before [--app-dir .]]

For each checkout (default: this one) a Streamlit server of its own starts in that directory
(tests/perf/cluster.py); Chromium opens the Train a network page (with ``--query`` appended to its
URL), presses ▶ Play and watches the training-curves chart (``train_accuracy``) for ``--seconds``:

- updates/s: how often the epochs the chart draws change (its first trace's length, read every
  animation frame), and how often Plotly finished drawing it (``plotly_afterplot``);
- epochs/s: how far the chart got;
- the gaps between updates (p50, p95, max): a steady animation has them all near the tick;
- server CPU per update: the server process's user + system CPU time over the window, divided by the
  updates (what one playing session costs the server per frame it sees);
- browser CPU per update: the same for every Chromium process the benchmark started (what drawing an
  update costs the visitor's machine; with the load of other processes it decides the rate);
- server RSS before and after.

Then it presses ⏸ Pause and checks that the chart stops.  Issue 12, item 4: at least 5 updates a second.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import time
from pathlib import Path

from tests.e2e.harness import CHROMIUM, CHROMIUM_ARGS, ROOT, SCRIPT_DONE, wait_for_charts, warm_up
from tests.perf.cluster import app_dir_problem, app_server

CHART = ".st-key-train_accuracy .js-plotly-plot"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")

# Installed once: every animation frame, read the chart's first trace (the epochs drawn) and count changes;
# count Plotly's afterplot events on whichever graph div is current.
WATCH_JS = """(sel) => {
  const w = window.__trainWatch = {changes: 0, afterplots: 0, last: null, stamps: [], epochs: []};
  const tick = () => {
    const gd = document.querySelector(sel);
    if (gd && gd.on && !gd.__trainWatched) {
      gd.__trainWatched = true;
      gd.on('plotly_afterplot', () => { w.afterplots++; });
    }
    if (gd && gd.data && gd.data[0] && gd.data[0].x) {
      const n = gd.data[0].x.length;
      if (w.last !== null && n !== w.last) {
        w.changes++; w.stamps.push(performance.now()); w.epochs.push(n - 1);
      }
      w.last = n;
    }
    requestAnimationFrame(tick);
  };
  tick();
}"""
READ_JS = "() => ({changes: window.__trainWatch.changes, afterplots: window.__trainWatch.afterplots,"
READ_JS += " stamps: window.__trainWatch.stamps, epochs: window.__trainWatch.epochs})"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (its threads included), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, grandchildren, ...), from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def browser_cpu_seconds() -> float:
    """CPU time of every Chromium process this benchmark started (renderer, GPU, browser), in seconds."""
    total = 0.0
    for pid in descendants(os.getpid()):
        with contextlib.suppress(OSError):
            if "chrom" in Path(f"/proc/{pid}/comm").read_text():
                total += cpu_seconds(pid)
    return total


def rss_mib(pid: int) -> float:
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE / 2**20


def measure(browser, server, seconds: float, query: str) -> dict:
    warm_up(browser, server.url)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server.url}/train" + (f"?{query}" if query else ""), wait_until="domcontentloaded")
    page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
    wait_for_charts(page)
    page.evaluate(WATCH_JS, CHART)
    page.wait_for_timeout(500)
    rss_before = rss_mib(server.pid)
    page.locator(".st-key-train_play button").click()
    page.wait_for_function("() => window.__trainWatch.changes > 0", timeout=30_000)
    start_read = page.evaluate(READ_JS)
    cpu0, browser0, t0 = cpu_seconds(server.pid), browser_cpu_seconds(), time.perf_counter()
    page.wait_for_timeout(seconds * 1000)
    end_read = page.evaluate(READ_JS)
    cpu1, browser1, t1 = cpu_seconds(server.pid), browser_cpu_seconds(), time.perf_counter()
    page.locator(".st-key-train_pause button").click()
    page.wait_for_timeout(1500)
    paused = page.evaluate(READ_JS)["changes"]
    page.wait_for_timeout(1500)
    still = page.evaluate(READ_JS)["changes"] == paused
    rss_after = rss_mib(server.pid)
    context.close()
    updates = end_read["changes"] - start_read["changes"]
    stamps = end_read["stamps"][start_read["changes"] - 1 :]
    gaps = sorted(b - a for a, b in zip(stamps, stamps[1:], strict=False))
    epochs = end_read["epochs"][-1] - start_read["epochs"][-1] if end_read["epochs"] else 0
    wall = t1 - t0
    return {
        "updates/s": updates / wall,
        "afterplots/s": (end_read["afterplots"] - start_read["afterplots"]) / wall,
        "epochs/s": epochs / wall,
        "gap p50 ms": statistics.median(gaps) if gaps else float("nan"),
        "gap p95 ms": gaps[int(0.95 * (len(gaps) - 1))] if gaps else float("nan"),
        "gap max ms": gaps[-1] if gaps else float("nan"),
        "server CPU ms/update": 1000 * (cpu1 - cpu0) / max(updates, 1),
        "server CPU %": 100 * (cpu1 - cpu0) / wall,
        "browser CPU ms/update": 1000 * (browser1 - browser0) / max(updates, 1),
        "browser CPU %": 100 * (browser1 - browser0) / wall,
        "RSS MiB before/after": f"{rss_before:.0f}/{rss_after:.0f}",
        "stops on Pause": still,
        "page errors": len(errors),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--query", default="", help="query string for the page, e.g. train_speed=1")
    parser.add_argument("--app-dir", type=Path, action="append", help="a checkout of the app (repeatable)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    dirs = args.app_dir or [ROOT]
    for app_dir in dirs:
        if problem := app_dir_problem(app_dir):
            raise SystemExit(problem)
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for app_dir in dirs:
            with app_server(app_dir) as server:
                rows.append((app_dir, measure(browser, server, args.seconds, args.query)))
        browser.close()
    print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {args.seconds:.0f} s of Play")
    for app_dir, row in rows:
        print(f"\n{app_dir}")
        for name, value in row.items():
            print(f"  {name:24} {value:.2f}" if isinstance(value, float) else f"  {name:24} {value}")


if __name__ == "__main__":
    main()
