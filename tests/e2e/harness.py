"""What every browser-side tool shares: the Streamlit server, Chromium's launch flags, page URLs.

Used by the e2e tests (tests/e2e/conftest.py), the screenshot tool and the latency benchmark.
"""

import contextlib
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from ui.registry import DEFAULT_PAGE

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps trying hosts this machine cannot reach.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCRIPT_DONE = "[data-testid='stApp'][data-test-script-state='notRunning']"
EXCEPTION = "[data-testid='stException']"
# A trace's array as a plain (nested) list, whoever drew it: a figure from the server carries its arrays as
# base64 typed arrays ({"dtype": "f8", "bdata": ..., "shape": "30, 30"}, and plotly.js keeps them so in the
# graph div's data), a drag listener's frame as plain lists (ui/scrub.js), plotly.js may hold typed arrays.
# The same numbers give the same list, so a test compares what a chart shows, not how it was stored.
PLAIN_JS = """(v) => {
    const TYPES = {f8: Float64Array, f4: Float32Array, i1: Int8Array, u1: Uint8Array, i2: Int16Array,
                   u2: Uint16Array, i4: Int32Array, u4: Uint32Array};
    const rows = (flat, shape) => {
        if (shape.length < 2) return flat;
        const width = shape.slice(1).reduce((a, b) => a * b, 1);
        const row = (i) => rows(flat.slice(i * width, (i + 1) * width), shape.slice(1));
        return Array.from({length: shape[0]}, (_, i) => row(i));
    };
    if (v && typeof v === 'object' && typeof v.bdata === 'string' && TYPES[v.dtype]) {
        const bytes = Uint8Array.from(atob(v.bdata), c => c.charCodeAt(0));
        const flat = Array.from(new TYPES[v.dtype](bytes.buffer));
        return rows(flat, v.shape === undefined ? [] : String(v.shape).split(',').map(Number));
    }
    return ArrayBuffer.isView(v) ? Array.from(v) : v;
}"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, server: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited early with status {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise TimeoutError(f"streamlit did not answer {url}/_stcore/health within {timeout:.0f} s")


@contextlib.contextmanager
def streamlit_server(
    timeout: float = 60.0, extra_args: tuple[str, ...] = (), script: str = "app.py"
) -> Iterator[tuple[str, Path]]:
    """Run ``streamlit run <script>`` on a free loopback port; yield its base URL and log path."""
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        *extra_args,
    ]
    log_path = Path(tempfile.gettempdir()) / f"streamlit-{port}.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, server, timeout)
            print(f"streamlit is up at {url} (log: {log_path})")
            yield url, log_path
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def page_url(base: str, url_path: str) -> str:
    return base + "/" if url_path == DEFAULT_PAGE.url_path else f"{base}/{url_path}"


def warm_up(browser, base: str) -> None:
    """Load "/" once so the server's first script run goes through app.py.

    Streamlit 1.67 treats a ``pages/`` folder next to app.py as a legacy (v1) multipage
    app until the first run calls ``st.navigation``: a deep link as the very first request
    after start-up would run the page file without app.py (no sidebar, no wide layout) or
    show "Page not found". Visitors can hit this too; the screenshots should not.
    """
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "/", wait_until="domcontentloaded")
    page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
    context.close()


def base_path_probes(base: str, url_path: str) -> set[str]:
    """URLs the Streamlit frontend probes on a deep link to find the app's base path.

    On ``/binary`` it first tries ``/binary/_stcore/health`` and ``/binary/_stcore/host-config``
    (404, expected), then falls back to ``/_stcore/...``. Those two 404s are not problems.
    """
    if url_path == DEFAULT_PAGE.url_path:
        return set()
    return {f"{base}/{url_path}/_stcore/health", f"{base}/{url_path}/_stcore/host-config"}


def keep_console_error(msg, problems: list[str], skip: set[str]) -> None:
    if msg.type == "error" and msg.location.get("url") not in skip:
        problems.append(msg.text)


def keep_http_error(response, problems: list[str], skip: set[str]) -> None:
    if response.status >= 400 and response.url not in skip:
        problems.append(f"HTTP {response.status} {response.url}")


def wait_for_charts(page) -> None:
    """Wait until every Plotly chart on the page has drawn its SVG (if there are any)."""
    charts = page.locator(".stPlotlyChart, [data-testid='stPlotlyChart']")
    for index in range(charts.count()):
        charts.nth(index).locator(".main-svg").first.wait_for(state="visible", timeout=30_000)
