"""Take full-page screenshots of the running app in headless Chromium.

Starts ``streamlit run app.py`` on a free local port, opens each requested page with
Playwright driving Debian's Chromium (``/usr/bin/chromium``; never ``playwright install``),
waits until the script has finished and charts have settled, saves ``<out>/<page>.png``,
and reports any Streamlit exception element, error caught by ``ui.common.safe_page``, failed
request and browser console error. Then it stops the server. Exit status: 0 if every page
was clean, 1 otherwise.

Usage, from the repository root::

    python -m tests.e2e.screenshot --pages home multiclass --size 1280x800 --out /tmp/shots

Pages are named by their ``url_path`` in ``ui/registry.py`` (``home`` is served at ``/``).
"""

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from tests.e2e.harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    EXCEPTION,
    ROOT,
    SCRIPT_DONE,
    base_path_probes,
    keep_console_error,
    keep_http_error,
    page_url,
    streamlit_server,
    wait_for_charts,
    warm_up,
)
from ui.common import FRIENDLY_ERROR
from ui.registry import PAGES


def shoot(
    base: str,
    url_paths: list[str],
    size: tuple[int, int],
    out: Path,
    settle_ms: int,
    log_hint: str = "the log",
    *,
    dark: bool = False,
    query: str = "",
    zoom: float = 1.0,
) -> int:
    """Screenshot each page; return how many pages had an exception or console error."""
    from playwright.sync_api import sync_playwright  # only the screenshot tool needs it

    out.mkdir(parents=True, exist_ok=True)
    failures = 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            warm_up(browser, base)
            for url_path in url_paths:
                context = browser.new_context(
                    viewport={"width": size[0], "height": size[1]},
                    color_scheme="dark" if dark else "light",  # the app follows the system theme
                    device_scale_factor=zoom,
                )
                page = context.new_page()
                problems: list[str] = []
                probes = base_path_probes(base, url_path)
                page.on("console", lambda msg, p=problems, skip=probes: keep_console_error(msg, p, skip))
                page.on("pageerror", lambda exc, p=problems: p.append(f"page error: {exc}"))
                page.on("response", lambda r, p=problems, skip=probes: keep_http_error(r, p, skip))
                url = page_url(base, url_path) + (f"?{query}" if query else "")
                page.goto(url, wait_until="domcontentloaded")
                page.wait_for_selector(SCRIPT_DONE, timeout=60_000)
                wait_for_charts(page)
                page.wait_for_timeout(settle_ms)
                _grow_viewport_to_content(page, size)
                path = out / f"{url_path}{'-dark' if dark else ''}.png"
                page.screenshot(path=str(path), full_page=True)
                exceptions = [text.strip() for text in page.locator(EXCEPTION).all_inner_texts()]
                # A page error caught by ui.common.safe_page shows FRIENDLY_ERROR instead.
                caught = page.get_by_text(FRIENDLY_ERROR.split(".")[0]).count()
                exceptions += [f"ui.common.safe_page caught an error (see {log_hint})"] * bool(caught)
                status = "ok" if not exceptions and not problems else "PROBLEMS"
                print(f"{url_path}: {url} -> {path} [{status}]")
                for text in exceptions:
                    print(f"  stException: {text}")
                for text in problems:
                    print(f"  console: {text}")
                failures += bool(exceptions or problems)
                context.close()
        finally:
            browser.close()
    return failures


# Streamlit scrolls inside its main container, not the document, so Playwright's full_page
# would stop at the viewport: measure the tallest scrolling element instead.
_CONTENT_HEIGHT_JS = """() => Math.max(document.documentElement.scrollHeight,
    ...Array.from(document.querySelectorAll("*"), el => {
        const overflow = getComputedStyle(el).overflowY;
        return (overflow === "auto" || overflow === "scroll") ? el.scrollHeight : 0;
    }))"""


def _grow_viewport_to_content(page, size: tuple[int, int]) -> None:
    height = int(page.evaluate(_CONTENT_HEIGHT_JS))
    if height > size[1]:
        page.set_viewport_size({"width": size[0], "height": min(height, 20_000)})
        page.wait_for_timeout(300)  # let charts re-layout at the new height


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1280x800; got {text!r}") from None
    return width, height


def _has_emoji_font() -> bool:
    if shutil.which("fc-list") is None:
        return True  # cannot tell; do not warn
    fonts = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    return "emoji" in fonts.lower()


def main(argv: list[str] | None = None) -> int:
    known = [spec.url_path for spec in PAGES]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pages", nargs="+", default=known, metavar="URL_PATH", help=f"default: all ({known})"
    )
    parser.add_argument(
        "--size", type=_size, default=(1280, 800), help="viewport WIDTHxHEIGHT (default 1280x800)"
    )
    parser.add_argument(
        "--out", type=Path, default=ROOT / "screenshots", help="output folder (default screenshots/)"
    )
    parser.add_argument("--settle-ms", type=int, default=800, help="extra wait after the script finished")
    parser.add_argument("--dark", action="store_true", help="a browser that prefers the dark theme")
    parser.add_argument("--query", default="", help="query string for every page, e.g. present=1")
    parser.add_argument(
        "--zoom", type=float, default=1.0, help="device scale factor, e.g. 0.5 to see a projector at 50 %%"
    )
    args = parser.parse_args(argv)

    unknown = [name for name in args.pages if name not in known]
    if unknown:
        parser.error(f"unknown page(s) {unknown}; registered url_paths: {known}")
    if not Path(CHROMIUM).exists():
        parser.error(f"{CHROMIUM} not found: apt-get install chromium")
    if not _has_emoji_font():
        print(
            "warning: no colour emoji font, so emoji show as empty boxes in the screenshots; "
            "apt-get install fonts-noto-color-emoji"
        )

    with streamlit_server() as (base, log_path):
        failures = shoot(
            base,
            args.pages,
            args.size,
            args.out,
            args.settle_ms,
            log_hint=str(log_path),
            dark=args.dark,
            query=args.query,
            zoom=args.zoom,
        )
    print(f"{len(args.pages)} page(s), {failures} with problems; screenshots in {args.out}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
