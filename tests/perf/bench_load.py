"""Load benchmark: N concurrent app sessions move a slider against one server on loopback.  Prints only.

    python -m tests.perf.bench_load --sessions 100 [--duration 60] [--page binary] [--slider-key bce_p]
        [--app-dir /work/before [--app-dir .]] [--url http://127.0.0.1:PORT [--pids 1,2 | --pidfile F]]
        [--cluster 2]
    python -m tests.perf.bench_load --all-pages --sessions 100 [--app-dir /work/before --app-dir .]

Without ``--url`` the tool starts its own ``streamlit run app.py`` in ``--app-dir`` (default: this
checkout), as its working directory, so that checkout's code and its ``.streamlit/config.toml`` are
what is measured (tests/perf/cluster.py); with ``--cluster N`` that checkout's deploy/run_cluster.sh
(N processes behind nginx, sticky sessions).  Give ``--app-dir`` twice (e.g. /work/before and .) to
measure both in one run: each page runs against one, then the other, back to back, so both see the
same machine; one summary table then compares them.  Each session is tests/perf/streamlit_client.py:
the websocket protocol of the Streamlit frontend, no browser (100 Chromium tabs would not fit 2 cores;
a session here is one socket and one coroutine, all in this process, whose CPU use is printed so you
can see what the clients took from the server).

Which slider.  ``--page P`` moves P's main slider, the one a student moves most (``MAIN_SLIDERS``, keys
from pages/*.py), unless ``--slider-key`` names another; ``--page bare`` runs the reference page
tests/perf/bare_app.py (one slider, one four-bar chart: Streamlit's own floor) in a server of its own,
started in the app directory too, so it runs with the same server config as the app.

``--all-pages`` runs the bare page and then every page of ``MAIN_SLIDERS`` in turn, each against a
fresh server of its own (or cluster), and ends with one summary table.  One server per page, not one for
all: each row is then what ``--page P`` alone measures, and no page inherits the previous page's
sessions (Streamlit keeps a closed tab's session for a while), caches, heap or CPU backlog, so a leak
or a slow page shows on its own row.  Starting a server costs a few seconds per page, small beside
the ramp and warm-up.  With ``--url`` all pages run against that one server and the bare row is
left out (it needs a server of its own); with ``--cluster`` too.  A page that cannot be measured (it
shows an error on load, lacks its slider, or its server does not start) gets a row that says why, and
the run goes on.

Timeline.  A probe session loads ``/`` (so a cold server's first run goes through app.py) and then the
page, and checks that the slider exists.  The N sessions then open over ``--ramp`` seconds, each loads
the page and moves the slider once per ``--interval`` (random phase, so the changes are spread out),
by a random walk of 1 to 5 steps that never repeats a value: every change is a real rerun (of the
slider's fragment where the page draws it in an ``st.fragment``, e.g. binary's ``bce_p``, as in the
browser).  A select_slider walks over its options.  After ``--warmup`` more seconds the measured window
of ``--duration`` seconds starts.  A session sends its next change only after the previous rerun has
finished; a tick that passes while it waits is skipped and counted (the server is behind).

How to read the numbers:

- reruns completed: changes sent and finished in the measured window, of sessions x duration / interval
  planned.  Fewer means skipped ticks: the server could not keep the pace.
- latency p50 / p95 / max: from sending the widget change (BackMsg) to receiving that rerun's
  ``script_finished`` ForwardMsg, all elements received in between.  The browser still has to draw
  the chart after that (tests/perf/bench_latency.py measures that part on an idle server).
- errors: sessions that failed to connect or load, reruns that timed out (``--timeout``), closed
  websockets, and reruns whose elements carried an error (exception, ``st.error``, compile error,
  page not found).  Any error is a failure of the target.
- server RSS: resident memory of the Streamlit process(es) (with their children) from /proc, after
  the warm-up, at the end and at the peak; growth after warm-up in MiB and % and, fitted over the
  1-second samples of the measured window, per rerun.  Sessions hold their state from the moment
  they connect, so "flat" means no growth with reruns: a leak per rerun shows as a steady slope.
- server CPU: % of one core over the measured window, per process (the machine has ``os.cpu_count()``
  cores, shared with this client).

Targets (issue 12, item 3): 100 sessions on every page with a slider, p95 <= 1 s, zero errors, RSS
flat after warm-up (growth <= 5 %).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import random
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from websockets.exceptions import ConnectionClosed

from tests.e2e.harness import ROOT
from tests.perf.cluster import BARE_APP, app_dir_problem, app_server, read_pids, run_cluster
from tests.perf.streamlit_client import AppSession, Run, Slider

# Each page's main slider: the control a student moves most, by widget key (pages/<page>.py, all bound
# with bind="query-params").  In the order of the navigation menu (ui/registry.py); home has no slider.
# tests/e2e/test_load_client.py checks that every registered page with a slider has its row here.
MAIN_SLIDERS = {
    "surprise": "sur_x_cat",  # the explorer's true-class p, moving the loss along the -log p curve
    "binary": "bce_p",  # predicted p on the probability-space curves
    "multiclass": "mc_z0",  # the logit of the true class (class 1 by default)
    "simplex": "sx_z1",  # the logit of the true class (Cat by default): q moves over the triangle
    "comparison": "cmp_p",  # the operating point p_true on all the loss and gradient curves
    "kl": "kl_q0",  # the prediction Q's weight of the true class (one-hot P by default)
    "pitfalls": "pit_scale",  # section 1's logit scale: overflow and underflow
    "softmax_gradient": "sgrad_z1",  # the logit of the true class t = 1
    "backprop": "backprop_stage",  # the stage stepper through forward and backward
    "minibatch": "minibatch_b",  # the batch size B
    "identities": "ident_n",  # the size n of the first identity's W
    "train": "train_noise",  # the data's noise, which redraws the data (bench_latency.py presses it too)
    "calibration": "calibration_epochs",  # a select_slider: how long the network trains
    "language": "lm_T",  # the sampling temperature: the written text and the next-character bars change
    "predictions": "preds_bins",  # the reliability diagram's bins, on the example predictions
}
BARE_PAGE = "bare"  # --page bare: tests/perf/bare_app.py, one slider and one chart
BARE_SLIDER = "bare_value"
FLAT_GROWTH = 0.05  # RSS growth after warm-up that still counts as flat
P95_TARGET = 1.0
FAILURE_KINDS = ("connect", "timeout", "disconnect", "error element")
MIB = 1024 * 1024
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


class PageProblem(Exception):
    """The page cannot be benchmarked: it shows an error before any load, or lacks the slider."""


@dataclass(frozen=True)
class Target:
    """What the sessions connect to and which processes are measured."""

    url: str
    label: str
    server_pids: Callable[[], list[int]]
    proxy_pids: Callable[[], list[int]] = list


@dataclass(frozen=True)
class Plan:
    """The benchmark's timeline, in ``time.perf_counter`` seconds."""

    sessions: int
    interval: float
    start: float
    ramp: float
    warmup_end: float
    end: float
    page: str
    slider_key: str
    timeout: float


@dataclass
class Tally:
    """What all sessions saw, kept in one place (one event loop: no locks needed)."""

    loads: list[Run] = field(default_factory=list)
    runs: list[Run] = field(default_factory=list)
    skipped_ticks: int = 0
    failures: dict[str, int] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)

    def fail(self, kind: str, message: str) -> None:
        self.failures[kind] = self.failures.get(kind, 0) + 1
        if len(self.messages) < 5:
            self.messages.append(f"{kind}: {message}")

    def record(self, run: Run) -> None:
        run.texts.clear()  # thousands of runs are kept: their page texts are not needed, only the timing
        run.charts.clear()
        self.runs.append(run)
        if run.errors:
            self.fail("error element", run.errors[0])


@dataclass(frozen=True)
class Sample:
    """Memory and CPU of the measured processes at one moment."""

    at: float
    reruns: int
    rss: dict[int, int]
    cpu_ticks: dict[int, int]
    client_cpu: float  # this process's CPU seconds (the clients)

    @property
    def total_rss(self) -> int:
        return sum(self.rss.values())


@dataclass(frozen=True)
class Summary:
    """One page's result: a row of the summary table (``problem`` set when it could not run)."""

    page: str
    slider_key: str = ""
    app: str = ""  # the app directory, when several are measured
    p50: float = math.nan
    p95: float = math.nan
    max: float = math.nan
    done: int = 0
    planned: int = 0
    errors: int = 0
    rss_growth: float = math.nan  # bytes, after warm-up to the end
    rss_growth_share: float = math.nan  # of the RSS after warm-up
    server_cpu: float = math.nan  # % of one core over the measured window
    problem: str = ""


# ---- /proc ----


def _children(pid: int) -> list[int]:
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            children.extend(int(child) for child in (task / "children").read_text().split())
    return children


def _with_descendants(pids: list[int]) -> list[int]:
    seen: list[int] = []
    todo = list(pids)
    while todo:
        pid = todo.pop()
        if pid not in seen:
            seen.append(pid)
            todo.extend(_children(pid))
    return seen


def _rss_bytes(pid: int) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def _cpu_ticks(pid: int) -> int:
    with contextlib.suppress(OSError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime of all the process's threads
    return 0


def sample(pids: list[int], reruns: int) -> Sample:
    """RSS and CPU time of each pid, its descendants added to it."""
    rss, ticks = {}, {}
    for pid in pids:
        family = _with_descendants([pid])
        rss[pid] = sum(_rss_bytes(p) for p in family)
        ticks[pid] = sum(_cpu_ticks(p) for p in family)
    return Sample(time.perf_counter(), reruns, rss, ticks, time.process_time())


# ---- sessions ----


def value_walk(slider: Slider, rng: random.Random) -> Iterator[float]:
    """Slider values in a random walk of 1 to 5 steps, reflected at the ends, never the same twice."""
    steps = round((slider.max - slider.min) / slider.step)
    index = round((slider.value - slider.min) / slider.step)
    while True:
        move = rng.choice([-1, 1]) * rng.randint(1, min(5, max(1, steps // 2)))
        index = index + move if 0 <= index + move <= steps else index - move
        yield round(slider.min + index * slider.step, 10)


def find_slider(session: AppSession, key: str) -> Slider:
    return session.slider(key) if key else next(iter(session.sliders.values()))


def url_path(page: str) -> str:
    """The path a tab opens for ``page`` (the bare app is a single page, served at ``/``)."""
    return "" if page == BARE_PAGE else page


async def _sleep_until(moment: float) -> None:
    await asyncio.sleep(max(0.0, moment - time.perf_counter()))


async def _move_slider(session: AppSession, plan: Plan, tally: Tally, rng: random.Random) -> None:
    slider = find_slider(session, plan.slider_key)
    values = value_walk(slider, rng)
    tick = time.perf_counter() + rng.uniform(0, plan.interval)
    while True:
        await _sleep_until(tick)
        if time.perf_counter() >= plan.end:
            return
        tally.record(await session.set_slider(slider, next(values)))
        tick += plan.interval
        while tick < time.perf_counter():
            tick += plan.interval
            if plan.warmup_end <= tick < plan.end:
                tally.skipped_ticks += 1


async def drive_session(index: int, url: str, plan: Plan, tally: Tally) -> None:
    """One visitor: open the page, then move the slider until the plan ends."""
    rng = random.Random(index)
    await _sleep_until(plan.start + plan.ramp * index / plan.sessions)
    session = AppSession(url, page=url_path(plan.page), timeout=plan.timeout)
    try:
        try:
            await session.connect()
            tally.loads.append(await session.load())
        except Exception as exc:  # a failed visit of any kind is what is counted here
            tally.fail("connect", f"{type(exc).__name__}: {exc}")
            return
        await _move_slider(session, plan, tally, rng)
    except TimeoutError:
        tally.fail("timeout", f"no script_finished within {plan.timeout:.0f} s")
    except ConnectionClosed as exc:
        tally.fail("disconnect", str(exc))
    finally:
        with contextlib.suppress(Exception):
            await session.close()


async def probe(url: str, page: str, slider_key: str) -> Slider:
    """Warm the server up through ``/``, then check that the page loads and has the slider."""
    async with AppSession(url) as home:
        await home.load()
    async with AppSession(url, page=url_path(page)) as session:
        run = await session.load()
        if run.errors:
            raise PageProblem(f"page {page!r} shows errors: {run.errors}")
        if not session.sliders or (slider_key and slider_key not in session.sliders):
            raise PageProblem(
                f"no slider {slider_key!r} on page {page!r}; sliders: {sorted(session.sliders)}"
            )
        return find_slider(session, slider_key)


async def _sample_every_second(pids: Callable[[], list[int]], tally: Tally, out: list[Sample]) -> None:
    while True:
        out.append(sample(pids(), len(tally.runs)))
        await asyncio.sleep(1.0)


async def run_load(target: Target, plan: Plan, tally: Tally) -> tuple[Sample, Sample, list[Sample]]:
    """Drive all sessions; return the samples after warm-up, at the end, and every second."""
    samples: list[Sample] = []
    sampler = asyncio.create_task(_sample_every_second(target.server_pids, tally, samples))
    sessions = [asyncio.create_task(drive_session(i, target.url, plan, tally)) for i in range(plan.sessions)]
    await _sleep_until(plan.warmup_end)
    after_warmup = sample(target.server_pids(), len(tally.runs))
    await _sleep_until(plan.end)
    at_end = sample(target.server_pids(), len(tally.runs))
    await asyncio.gather(*sessions)
    sampler.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await sampler
    return after_warmup, at_end, samples


# ---- report ----


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q) - 1]


def _slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of y over x (nan with fewer than 2 distinct x)."""
    if len({x for x, _ in points}) < 2:
        return float("nan")
    return statistics.linear_regression([x for x, _ in points], [y for _, y in points]).slope


def _cpu_percent(first: Sample, last: Sample, pid: int) -> float:
    seconds = last.at - first.at
    return 100 * (last.cpu_ticks.get(pid, 0) - first.cpu_ticks.get(pid, 0)) / CLOCK_TICKS / seconds


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def _row(name: str, value: str, target: str = "", verdict: str = "") -> str:
    return f"{name:<34}{value:>26}   {target:<10}{verdict}".rstrip()


def _measured(plan: Plan, tally: Tally) -> list[Run]:
    return [r for r in tally.runs if plan.warmup_end <= r.sent < plan.end and r.finished is not None]


def summarize(plan: Plan, tally: Tally, memory: tuple[Sample, Sample, list[Sample]]) -> Summary:
    """The numbers of one page's run that the summary table shows."""
    after_warmup, at_end, _samples = memory
    latencies = [r.latency for r in _measured(plan, tally)]
    growth = at_end.total_rss - after_warmup.total_rss
    return Summary(
        page=plan.page,
        slider_key=plan.slider_key,
        p50=_percentile(latencies, 50),
        p95=_percentile(latencies, 95),
        max=max(latencies, default=math.nan),
        done=len(latencies),
        planned=round(plan.sessions * (plan.end - plan.warmup_end) / plan.interval),
        errors=sum(tally.failures.values()),
        rss_growth=growth,
        rss_growth_share=growth / after_warmup.total_rss if after_warmup.total_rss else math.nan,
        server_cpu=sum(_cpu_percent(after_warmup, at_end, pid) for pid in at_end.rss),
    )


def report(
    target: Target,
    plan: Plan,
    tally: Tally,
    memory: tuple[Sample, Sample, list[Sample]],
) -> Summary:
    """Print one page's full report; return its summary row."""
    after_warmup, at_end, samples = memory
    summary = summarize(plan, tally, memory)
    duration = plan.end - plan.warmup_end
    loads = [r.latency for r in tally.loads]
    window = [s for s in samples if plan.warmup_end <= s.at <= plan.end] + [after_warmup, at_end]
    per_rerun = _slope([(s.reruns, s.total_rss) for s in window])
    peak = max([s.total_rss for s in samples] + [at_end.total_rss])
    flat = summary.rss_growth <= FLAT_GROWTH * after_warmup.total_rss

    print(
        f"load benchmark: {plan.sessions} sessions on page {plan.page!r}, slider {plan.slider_key!r} "
        f"moved every {plan.interval:g} s; ramp {plan.ramp:g} s, "
        f"warm-up to {plan.warmup_end - plan.start:g} s, then {duration:g} s measured"
    )
    print(f"server: {target.label} at {target.url}")
    print(
        f"machine: {os.cpu_count()} cores shared with the client (and anything else running: "
        f"load average {os.getloadavg()[0]:.1f} at the end)"
    )
    print(_row("", "value", "target", ""))
    print(_row("sessions connected", f"{len(tally.loads)} / {plan.sessions}"))
    print(
        _row(
            "page load (first run) p50 / p95",
            f"{_percentile(loads, 50):.3f} / {_percentile(loads, 95):.3f} s",
        )
    )
    print(_row("reruns completed", f"{summary.done} / {summary.planned} planned"))
    print(_row("ticks skipped (server behind)", str(tally.skipped_ticks)))
    cached = sum(r.cached_elements for r in _measured(plan, tally))
    print(_row("elements sent as cache refs", str(cached)))
    print(_row("rerun latency p50", f"{summary.p50:.3f} s"))
    p95 = summary.p95
    print(_row("rerun latency p95", f"{p95:.3f} s", f"<= {P95_TARGET:g} s", _verdict(p95 <= P95_TARGET)))
    print(_row("rerun latency max", f"{summary.max:.3f} s"))
    print(_row("errors", str(summary.errors), "0", _verdict(summary.errors == 0)))
    for kind in FAILURE_KINDS:
        print(_row(f"  {kind}", str(tally.failures.get(kind, 0))))
    print(_row("server RSS after warm-up", f"{after_warmup.total_rss / MIB:.1f} MiB"))
    print(_row("server RSS at end", f"{at_end.total_rss / MIB:.1f} MiB"))
    print(_row("server RSS peak", f"{peak / MIB:.1f} MiB"))
    print(
        _row(
            "RSS growth after warm-up",
            f"{summary.rss_growth / MIB:+.1f} MiB ({100 * summary.rss_growth_share:+.1f} %)",
            f"<= {100 * FLAT_GROWTH:g} %",
            _verdict(flat),
        )
    )
    print(_row("RSS growth per rerun (fit)", f"{per_rerun / 1024:+.2f} KiB"))
    print(_row("server CPU (measured window)", f"{summary.server_cpu:.0f} % of a core"))
    client_cpu = 100 * (at_end.client_cpu - after_warmup.client_cpu) / (at_end.at - after_warmup.at)
    print(_row("client CPU (this process)", f"{client_cpu:.0f} % of a core"))
    for pid in at_end.rss:
        print(
            _row(
                f"  process {pid}",
                f"{after_warmup.rss.get(pid, 0) / MIB:.1f} -> {at_end.rss[pid] / MIB:.1f} MiB, "
                f"{_cpu_percent(after_warmup, at_end, pid):.0f} %",
            )
        )
    proxy = _with_descendants(target.proxy_pids())
    if proxy:
        print(_row("nginx RSS (all processes)", f"{sum(_rss_bytes(p) for p in proxy) / MIB:.1f} MiB"))
    for message in tally.messages:
        print(f"first errors: {message}")
    return summary


def print_summary(rows: list[Summary], sessions: int) -> None:
    """The summary table: one row a page (and app directory), the bare reference first."""
    apps = list(dict.fromkeys(row.app for row in rows))
    app_width = max(len(app) for app in apps) + 2 if len(apps) > 1 else 0
    print()
    print(f"Load per page: {sessions} sessions each, a fresh server per row; app in {', '.join(apps)}")
    header = (
        f"{'page':<18}{'app' if app_width else '':<{app_width}}{'slider':<16}"
        f"{'p50 s':>7}{'p95 s':>7}{'max s':>7}{'reruns done / planned':>23}"
        f"{'errors':>8}{'RSS growth':>20}{'server CPU':>12}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        name = "(bare reference)" if row.page == BARE_PAGE else row.page
        lead = f"{name:<18}{row.app if app_width else '':<{app_width}}{row.slider_key:<16}"
        if row.problem:
            print(f"{lead}not measured: {row.problem}")
            continue
        growth = f"{row.rss_growth / MIB:+.1f} MiB {100 * row.rss_growth_share:+.1f} %"
        print(
            f"{lead}{row.p50:>7.3f}{row.p95:>7.3f}{row.max:>7.3f}{f'{row.done} / {row.planned}':>23}"
            f"{row.errors:>8}{growth:>20}{f'{row.server_cpu:.0f} %':>12}"
        )
    print(
        f"targets: p95 <= {P95_TARGET:g} s, 0 errors, RSS growth <= {100 * FLAT_GROWTH:g} %, "
        "all planned reruns done; server CPU in % of one core"
    )


# ---- main ----


@contextlib.contextmanager
def serve(args: argparse.Namespace, page: str, app_dir: Path) -> Iterator[Target]:
    """The server under test: the one at ``--url``, a ``--cluster`` of N, or a fresh process.

    A fresh process runs ``app.py`` in ``app_dir``, or tests/perf/bare_app.py there for the bare page.
    """
    if args.url:
        if args.pidfile:
            yield Target(args.url.rstrip("/"), "given server", lambda: read_pids(Path(args.pidfile)))
        else:
            pids = [int(p) for p in args.pids.split(",")] if args.pids else []
            yield Target(args.url.rstrip("/"), "given server", lambda: pids)
    elif args.cluster:
        with run_cluster(args.cluster, app_dir=app_dir) as cluster:
            label = f"{args.cluster} Streamlit processes behind nginx (sticky cookie), app in {app_dir}"
            yield Target(cluster.url, label, lambda: cluster.upstream_pids, lambda: cluster.nginx_pids)
    else:
        script = BARE_APP if page == BARE_PAGE else "app.py"
        with app_server(app_dir, script) as server:
            label = f"1 Streamlit process (pid {server.pid}) running {script} in {app_dir}"
            yield Target(server.url, label, lambda: [server.pid])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--duration", type=float, default=60.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds after the ramp, not measured")
    parser.add_argument("--ramp", type=float, default=10.0, help="seconds over which the sessions open")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between slider moves")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds a rerun may take")
    parser.add_argument(
        "--page", default="binary", help=f"url path of the page, or {BARE_PAGE!r} for tests/perf/bare_app.py"
    )
    parser.add_argument("--slider-key", default=None, help="default: the page's main slider (MAIN_SLIDERS)")
    parser.add_argument(
        "--all-pages",
        action="store_true",
        help="the bare page, then every page of MAIN_SLIDERS, each on a fresh server; one summary table",
    )
    parser.add_argument(
        "--app-dir",
        type=Path,
        action="append",
        help="checkout of the app to serve (default: this one); repeat it to measure several, "
        "e.g. --app-dir /work/before --app-dir . (each page runs on each in turn)",
    )
    parser.add_argument("--url", help="an already running app (default: start one)")
    parser.add_argument("--pids", help="with --url: comma-separated server pids to measure")
    parser.add_argument("--pidfile", help="with --url: a file of server pids, e.g. RUN_DIR/upstreams.pid")
    parser.add_argument("--cluster", type=int, default=0, help="N Streamlit processes behind nginx")
    args = parser.parse_args(argv)
    if args.url and args.app_dir:
        parser.error("--app-dir starts a server for that checkout; with --url the server is already running")
    args.app_dirs = [path.resolve() for path in args.app_dir or [ROOT]]
    for app_dir in args.app_dirs:
        if not args.url and (problem := app_dir_problem(app_dir)):
            parser.error(problem)
    if args.all_pages and args.slider_key is not None:
        parser.error("--slider-key names one page's slider; --all-pages uses MAIN_SLIDERS")
    if args.page == BARE_PAGE and (args.url or args.cluster):
        parser.error("--page bare starts tests/perf/bare_app.py itself; not with --url or --cluster")
    if args.slider_key is None:
        args.slider_key = BARE_SLIDER if args.page == BARE_PAGE else MAIN_SLIDERS.get(args.page, "")
    return args


async def _benchmark(args: argparse.Namespace, target: Target, page: str, slider_key: str) -> Summary:
    slider = await probe(target.url, page, slider_key)
    kind = f"select_slider over {len(slider.options)} options" if slider.options else "slider"
    print(
        f"{kind} {slider.id} in [{slider.label(slider.min)}, {slider.label(slider.max)}] "
        f"step {slider.step:g}; starting the load",
        flush=True,
    )
    start = time.perf_counter() + 0.5
    warmup_end = start + args.ramp + args.warmup
    plan = Plan(
        sessions=args.sessions,
        interval=args.interval,
        start=start,
        ramp=args.ramp,
        warmup_end=warmup_end,
        end=warmup_end + args.duration,
        page=page,
        slider_key=slider_key,
        timeout=args.timeout,
    )
    tally = Tally()
    memory = await run_load(target, plan, tally)
    return report(target, plan, tally, memory)


def run_page(args: argparse.Namespace, page: str, slider_key: str, app_dir: Path) -> Summary:
    """Serve, probe and load one page; a page that cannot run becomes a row that says why."""
    app = str(app_dir)
    try:
        with serve(args, page, app_dir) as target:
            return replace(asyncio.run(_benchmark(args, target, page, slider_key)), app=app)
    except (
        PageProblem,
        ConnectionClosed,
        RuntimeError,
        TimeoutError,
        OSError,
    ) as exc:  # server or page failed
        print(f"page {page!r} not measured: {exc}", flush=True)
        return Summary(page, slider_key, app, problem=str(exc).splitlines()[0])


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.all_pages:
        pages = list(MAIN_SLIDERS.items())
        if not (args.url or args.cluster):
            pages.insert(0, (BARE_PAGE, BARE_SLIDER))
    else:
        pages = [(args.page, args.slider_key)]
    if len(pages) == 1 and len(args.app_dirs) == 1:  # one run: its full report, and a problem is an exit
        with serve(args, args.page, args.app_dirs[0]) as target:
            try:
                asyncio.run(_benchmark(args, target, args.page, args.slider_key))
            except PageProblem as exc:
                raise SystemExit(str(exc)) from None
        return
    runs = [(page, key, app_dir) for page, key in pages for app_dir in args.app_dirs]
    rows = []
    for number, (page, slider_key, app_dir) in enumerate(runs, 1):
        print(f"\n== run {number} of {len(runs)}: page {page} ({slider_key}), app in {app_dir}", flush=True)
        rows.append(run_page(args, page, slider_key, app_dir))
    print_summary(rows, args.sessions)


if __name__ == "__main__":
    main()
