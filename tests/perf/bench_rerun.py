"""Rerun cost on the server: one whole-page rerun in AppTest after a slider move.  Prints only.

    python -m tests.perf.bench_rerun [--app-dir DIR ...] [--pages P ...] [--repeats 5]

What README's "What a slider move costs on the server" table reports.  For each registered page
(``PAGES`` of that checkout's ui/registry.py; ``--pages`` picks some by url path) and each
``--app-dir`` (default: this checkout; repeat it, e.g. ``--app-dir /work/before --app-dir .``, to
measure before and after in one run), the page runs in a fresh Python subprocess with its working
directory and ``sys.path[0]`` set to the checkout, so that checkout's ``core``/``ui``/``pages``/``words``
are imported (the checkouts have modules of the same names) and its .streamlit/config.toml is read.
Checkouts are interleaved page by page (page 1 on each checkout, then page 2, ...), so before and after
share the machine's conditions.

In each subprocess: ``AppTest.from_file(DIR/app.py, default_timeout=60)``, one run (AppTest needs a run
before ``switch_page``), ``at.switch_page(spec.path)`` and a run of the page that warms its caches.  Then
the page's main slider (``MAIN_SLIDERS`` of tests/perf/bench_load.py: url path -> widget key; a
select_slider walks over its options) is moved once unmeasured and ``--repeats`` times measured, each
time to a value not visited before where the slider has enough of them (spread over its range: a value
already seen would be served from ``st.cache_data``); each move is one ``at.run()``, timed in wall time
(``time.perf_counter``) and process CPU time (``time.process_time``: every thread of the process, so
the script thread AppTest runs the page in is included).  Then ``at.run()`` with no widget changed:
once unmeasured, ``--repeats`` times measured.  Reported per page and checkout: min and median of each,
in ms, and a row per later checkout with its ratio to the first (after / before: below 1 is faster).
Pages without a main slider (Home, the upload page) get the no-change rerun only.

Setup as in tests/conftest.py where it matters: ``pages/`` is never taken for a legacy pages folder
(``PagesManager.uses_pages_directory = False`` before each run, see ``_never_legacy_pages_folder``
there: otherwise every rerun would run the page without app.py); error details in full.  Unlike the
tests, ``EXPLORER_VALIDATE_FIGURES`` is unset (the app does not validate figures in production; the
check costs tens of ms per figure) and so is ``EXPLORER_RAISE_PAGE_ERRORS``: a page error shows as in
production, as an ``st.error``, and every ``st.exception``/``st.error`` element a run shows is counted
and its message printed below the table.  A page that cannot be measured gets a row that says why.

Fragments.  AppTest reruns the whole script (app.py and the page) on every ``at.run()``, even for a
widget drawn inside an ``st.fragment``, where the browser reruns only that fragment.  So this is the
whole page's server cost: the upper bound of a fragment rerun.  It also includes AppTest's own work per
run (a mock runtime, a script thread, parsing the messages into an element tree) and leaves out what a
real server adds (websocket, protobuf serialization; AppTest never runs ``runner.postScriptGC``'s
``gc.collect``).  tests/perf/bench_load.py measures a real server under load, tests/perf/bench_latency.py
the browser's side.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
THIS_FILE = Path(__file__).resolve()
RESULT_MARK = "BENCH_RERUN_RESULT "  # the worker's result: one JSON line on its stdout
UNSET_ENV = ("EXPLORER_VALIDATE_FIGURES", "EXPLORER_RAISE_PAGE_ERRORS", "PYTHONPATH")
RUN_TIMEOUT = 60.0  # seconds one at.run() may take (AppTest's default_timeout)
PAGE_TIMEOUT = 900.0  # seconds one page's subprocess may take
MAX_MESSAGES = 3  # distinct error messages kept per page and checkout
WORKER_FLAGS = {"--worker-list": "list", "--worker-page": "page"}  # internal: how the parent starts a worker


# ============================================================================================ worker
# Runs in a subprocess whose cwd is the checkout.  Imports nothing of any checkout at module level.


def _worker_setup() -> Path:
    """Import the checkout in the working directory, not the one this file lives in."""
    app_dir = Path.cwd().resolve()
    sys.path[0] = str(app_dir)
    sys.path[:] = [sys.path[0]] + [p for p in sys.path[1:] if p and Path(p).resolve() not in (app_dir, ROOT)]
    for name in UNSET_ENV:
        os.environ.pop(name, None)
    return app_dir


def _list_pages() -> list[dict]:
    app_dir = _worker_setup()
    from ui import registry

    if Path(registry.__file__).resolve().parent.parent != app_dir:
        raise SystemExit(f"imported {registry.__file__}, not the registry of {app_dir}")
    return [{"path": s.path, "title": s.title, "url_path": s.url_path} for s in registry.PAGES]


def _never_legacy_pages_folder() -> None:
    """tests/conftest.py's ``_never_legacy_pages_folder``, for the whole process (no monkeypatch here)."""
    from streamlit.runtime.pages_manager import PagesManager

    original_init = PagesManager.__init__

    def init(self, *args, **kwargs):
        PagesManager.uses_pages_directory = False
        original_init(self, *args, **kwargs)

    PagesManager.__init__ = init


def _find_slider(at, key: str):
    """The slider or select_slider with widget key ``key``, or None."""
    for kind in ("slider", "select_slider"):
        try:
            return getattr(at, kind)(key=key)
        except KeyError:
            continue
    return None


def _van_der_corput(count: int) -> list[float]:
    """0.5, 0.25, 0.75, 0.125, ...: fractions that spread over [0, 1] and jump around."""
    out = []
    for n in range(1, count + 1):
        fraction, denominator = 0.0, 1.0
        while n:
            denominator *= 2
            n, bit = divmod(n, 2)
            fraction += bit / denominator
        out.append(fraction)
    return out


def _move_indices(n_options: int, current: int, count: int) -> list[int]:
    """``count`` option indices, new ones first (spread over the range), never the previous one twice."""
    fresh: list[int] = []
    seen = {current}
    for fraction in _van_der_corput(4 * max(n_options, count)):
        index = round(fraction * (n_options - 1))
        if index not in seen:
            seen.add(index)
            fresh.append(index)
        if len(fresh) == count or len(seen) == n_options:
            break
    cycle = [current, *fresh]  # once all values are seen: cycle over them, which st.cache_data may serve
    moves, previous, i = list(fresh), (fresh[-1] if fresh else current), 0
    while len(moves) < count and len(cycle) > 1:
        candidate = cycle[i % len(cycle)]
        i += 1
        if candidate != previous:
            moves.append(candidate)
            previous = candidate
    return moves


def _slider_values(widget, count: int) -> tuple[list, str]:
    """``count`` values to move ``widget`` to, and a note on what they are."""
    if widget.type == "select_slider":
        current = widget.value
        if isinstance(current, (list, tuple)):
            return [], "range select_slider: not moved"
        fmt = widget.format_func
        options: list = []
        for text in widget.options:  # the proto holds formatted text; find the value each came from
            candidates = [text]
            for convert in (type(current), int, float):
                try:
                    candidates.append(convert(text))
                except (TypeError, ValueError):
                    pass
            options.append(next((c for c in candidates[::-1] if _formats_to(fmt, c, text)), None))
        settable = [i for i, value in enumerate(options) if value is not None]
        if len(settable) < 2:
            return [], "select_slider options not recognised: not moved"
        current_text = str(fmt(current))
        now = next((k for k, i in enumerate(settable) if widget.options[i] == current_text), 0)
        indices = _move_indices(len(settable), now, count)
        note = f"select_slider over {len(widget.options)} options"
        return [options[settable[k]] for k in indices], note
    current = widget.value
    if isinstance(current, (list, tuple)):
        return [], "range slider: not moved"
    low, high, step = widget.min, widget.max, widget.step
    if not all(isinstance(v, (int, float)) for v in (low, high, step, current)) or step <= 0:
        return [], f"slider of {type(current).__name__}: not moved"
    n_options = int(round((high - low) / step)) + 1
    now = min(max(int(round((current - low) / step)), 0), n_options - 1)
    # The proto holds the bounds as floats; an int slider's value (from session state) is an int.
    integer = isinstance(current, int) and all(float(v).is_integer() for v in (low, high, step))
    indices = _move_indices(n_options, now, count)
    values = [int(round(low + i * step)) if integer else round(low + i * step, 12) for i in indices]
    return values, f"slider [{low:g}, {high:g}] step {step:g}"


def _formats_to(fmt, value, text: str) -> bool:
    try:
        return str(fmt(value)) == text
    except Exception:  # a format_func that does not take this candidate's type
        return False


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        try:
            return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
        except (TypeError, ValueError):
            return False
    return a == b


def _page_errors(at) -> list[str]:
    """The st.exception and st.error elements of the last run, as one line each."""
    found = []
    for element in at.exception:
        message = (element.message or "").strip().splitlines()
        found.append(f"exception: {message[0] if message else '(no message)'}")
    for element in at.error:
        found.append(f"st.error: {str(element.value).strip().splitlines()[0]}")
    return found


def _measure_page(spec: dict) -> dict:
    """Open one page in AppTest, warm it, and time the reruns.  Returns the worker's result."""
    app_dir = _worker_setup()
    result: dict = {
        "slider": spec["slider_key"],
        "note": "",
        "values": [],
        "move_wall": [],
        "move_cpu": [],
        "idle_wall": [],
        "idle_cpu": [],
        "errors": [],
        "error_runs": 0,
        "runs": 0,
        "problem": "",
    }

    from streamlit import config
    from streamlit.testing.v1 import AppTest

    _never_legacy_pages_folder()
    config.set_option("client.showErrorDetails", "full")

    def run(at, timed: str | None = None) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        at.run()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if timed:
            result[f"{timed}_wall"].append(wall)
            result[f"{timed}_cpu"].append(cpu)
        result["runs"] += 1
        errors = _page_errors(at)
        if errors:
            result["error_runs"] += 1
            for message in errors:
                if message not in result["errors"] and len(result["errors"]) < MAX_MESSAGES:
                    result["errors"].append(message)

    try:
        at = AppTest.from_file(str(app_dir / "app.py"), default_timeout=spec["timeout"])
        run(at)  # the default page: AppTest needs one run before switch_page
        at.switch_page(spec["path"])
        run(at)  # the page's first run: imports, st.cache_data and st.cache_resource warm up
        for name in ("ui.registry", "core"):
            module = sys.modules.get(name)
            where = Path(getattr(module, "__file__", "") or "").resolve()
            if module is not None and app_dir not in where.parents:
                result["problem"] = f"imported {name} from {where}, not from {app_dir}"
                return result

        key = spec["slider_key"]
        if key:
            widget = _find_slider(at, key)
            if widget is None:
                result["note"] = f"no slider {key!r} on the page"
            else:
                values, result["note"] = _slider_values(widget, spec["repeats"] + 1)
                result["values"] = [str(v) for v in values[1:]]
                for number, value in enumerate(values):
                    _find_slider(at, key).set_value(value)
                    run(at, timed="move" if number else None)  # the first move warms up
                    moved = _find_slider(at, key)
                    if moved is None or not _same(moved.value, value):
                        result["note"] += f"; the slider did not take {value!r}"
                        break

        for number in range(spec["repeats"] + 1):
            run(at, timed="idle" if number else None)  # the first warms up
        # app.py draws the sidebar: without it the page ran alone (legacy pages mode)
        if not list(at.sidebar):
            result["problem"] = "the rerun had no sidebar: the page ran without app.py"
    except Exception as exc:  # a page that hangs or breaks AppTest: report it with what was measured
        lines = str(exc).strip().splitlines()
        result["problem"] = f"{type(exc).__name__}: {lines[0] if lines else ''}"
    return result


def _worker_main(mode: str, payload: str) -> None:
    output = _list_pages() if mode == "list" else _measure_page(json.loads(payload))
    sys.stdout.flush()
    print(RESULT_MARK + json.dumps(output), flush=True)


# ============================================================================================ parent


def main_sliders() -> dict[str, str]:
    """The page -> main slider table of tests/perf/bench_load.py (url path -> widget key)."""
    from tests.perf.bench_load import MAIN_SLIDERS

    return dict(MAIN_SLIDERS)


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in UNSET_ENV:
        env.pop(name, None)
    return env


def _call_worker(app_dir: Path, mode: str, payload: str = "", timeout: float = PAGE_TIMEOUT) -> tuple:
    """Run this file as a worker in ``app_dir``; (its JSON result, None) or (None, why it failed)."""
    try:
        done = subprocess.run(
            [sys.executable, str(THIS_FILE), f"--worker-{mode}", payload],
            cwd=app_dir,
            env=_child_env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None, f"no result within {timeout:.0f} s"
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(RESULT_MARK):
            return json.loads(line[len(RESULT_MARK) :]), None
    tail = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
    return None, f"worker exited with {done.returncode}: {tail}"


def _ms(values: list[float]) -> tuple[float, float]:
    if not values:
        return math.nan, math.nan
    return 1000 * min(values), 1000 * statistics.median(values)


def _cell(pair: tuple[float, float], digits: int = 0) -> str:
    if any(math.isnan(v) for v in pair):
        return "–"
    return f"{pair[0]:.{digits}f} / {pair[1]:.{digits}f}"


def _ratio(after: tuple[float, float], before: tuple[float, float]) -> tuple[float, float]:
    return tuple(
        a / b if b and not math.isnan(a) and not math.isnan(b) else math.nan
        for a, b in zip(after, before, strict=True)
    )


def _label(app_dir: Path) -> str:
    try:
        relative = app_dir.relative_to(Path.cwd().resolve())
        return "." if str(relative) == "." else f"./{relative}"
    except ValueError:
        return str(app_dir)


TIMINGS = ("move_wall", "move_cpu", "idle_wall", "idle_cpu")


def print_table(pages: list[tuple[str, str]], app_dirs: list[Path], results: dict) -> None:
    """One markdown table: a row per page and checkout, then each later checkout's ratio to the first."""
    print(
        "\n| page | checkout | main slider | slider move wall ms | slider move CPU ms "
        "| no-change wall ms | no-change CPU ms | runs with errors |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    messages = []
    for url_path, title in pages:
        first = None
        for number, app_dir in enumerate(app_dirs):
            label = _label(app_dir)
            outcome = results[url_path, app_dir]
            if isinstance(outcome, str):
                print(f"| {title} | {label} | | not measured: {outcome} | | | | |")
                continue
            pairs = {name: _ms(outcome[name]) for name in TIMINGS}
            if number == 0:
                first = pairs
            slider = outcome["slider"] or "–"
            errors = f"{outcome['error_runs']} of {outcome['runs']}"
            print(
                f"| {title} | {label} | {slider} | "
                + " | ".join(_cell(pairs[name]) for name in TIMINGS)
                + f" | {errors} |"
            )
            if outcome["problem"]:
                messages.append(f"- {title}, {label}: stopped: {outcome['problem']}")
            if outcome["note"] and not outcome["note"].startswith(("slider [", "select_slider over")):
                messages.append(f"- {title}, {label}: {outcome['note']}")
            messages += [f"- {title}, {label}: {message}" for message in outcome["errors"]]
            if number and first is not None:
                ratios = [_cell(_ratio(pairs[name], first[name]), 2) for name in TIMINGS]
                print(f"| {title} | {label} / {_label(app_dirs[0])} | | " + " | ".join(ratios) + " | |")
    print(
        "\nEach cell: min / median over the measured reruns; a ratio row divides by the first checkout's "
        "(below 1: faster). Wall and process CPU time of one whole-page `at.run()`."
    )
    if messages:
        print("\nProblems and messages the pages showed:")
        print("\n".join(messages))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--app-dir",
        type=Path,
        action="append",
        help="checkout of the app (default: this one); repeat it, e.g. --app-dir /work/before --app-dir . "
        "(the first is the 'before' of the ratio rows)",
    )
    parser.add_argument(
        "--pages", nargs="+", metavar="P", help="url paths of the pages (default: all registered)"
    )
    parser.add_argument(
        "--repeats", type=int, default=5, help="measured reruns per page and kind (default 5)"
    )
    parser.add_argument("--timeout", type=float, default=RUN_TIMEOUT, help="seconds one rerun may take")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    args.app_dirs = [path.resolve() for path in args.app_dir or [ROOT]]
    for app_dir in args.app_dirs:
        if not (app_dir / "app.py").is_file() or not (app_dir / "ui" / "registry.py").is_file():
            parser.error(f"{app_dir} has no app.py and ui/registry.py: not a checkout of the app")
    if len(set(args.app_dirs)) < len(args.app_dirs):
        parser.error("the same --app-dir twice")
    return args


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] and argv[0] in WORKER_FLAGS:  # a worker: this file run in a checkout's directory
        _worker_main(WORKER_FLAGS[argv[0]], argv[1] if len(argv) > 1 else "")
        return
    args = parse_args(argv)
    sliders = main_sliders()

    registered: dict[Path, dict[str, dict]] = {}
    for app_dir in args.app_dirs:
        listed, problem = _call_worker(app_dir, "list", timeout=120)
        if problem:
            raise SystemExit(f"cannot read the page registry of {app_dir}: {problem}")
        registered[app_dir] = {spec["url_path"]: spec for spec in listed}
    titles: dict[str, str] = {}
    for app_dir in args.app_dirs:
        for url_path, spec in registered[app_dir].items():
            titles.setdefault(url_path, spec["title"])
    if args.pages:
        unknown = [p for p in args.pages if p not in titles]
        if unknown:
            raise SystemExit(
                f"not a registered page in any checkout: {', '.join(unknown)}; known: {', '.join(titles)}"
            )
        pages = [(p, titles[p]) for p in args.pages]
    else:
        pages = list(titles.items())

    print(
        f"# Rerun cost in AppTest: {len(pages)} pages x {len(args.app_dirs)} checkouts, "
        f"{args.repeats} measured reruns each; python {sys.version.split()[0]}, {os.cpu_count()} CPUs",
        flush=True,
    )
    results: dict = {}
    for url_path, _title in pages:
        for app_dir in args.app_dirs:
            label = _label(app_dir)
            spec = registered[app_dir].get(url_path)
            if spec is None:
                results[url_path, app_dir] = "not registered in this checkout"
                print(f"{url_path:<18} {label}: not registered", flush=True)
                continue
            payload = json.dumps(
                {
                    "path": spec["path"],
                    "slider_key": sliders.get(url_path, ""),
                    "repeats": args.repeats,
                    "timeout": args.timeout,
                }
            )
            started = time.perf_counter()
            outcome, problem = _call_worker(app_dir, "page", payload)
            results[url_path, app_dir] = outcome if problem is None else problem
            if problem is not None:
                print(f"{url_path:<18} {label}: not measured: {problem}", flush=True)
                continue
            move, idle = _ms(outcome["move_wall"]), _ms(outcome["idle_wall"])
            print(
                f"{url_path:<18} {label}: wall ms min / median: move {_cell(move)}, no change {_cell(idle)}; "
                f"{outcome['note'] or 'no main slider'}; values {', '.join(outcome['values']) or '–'}; "
                f"{outcome['error_runs']} of {outcome['runs']} runs with errors"
                + (f"; stopped: {outcome['problem']}" if outcome["problem"] else "")
                + f" [{time.perf_counter() - started:.0f} s]",
                flush=True,
            )
    print_table(pages, args.app_dirs, results)


if __name__ == "__main__":
    main()
