"""Load benchmark: N concurrent app sessions move a slider against one server on loopback.  Prints only.

    python -m tests.perf.bench_load --sessions 100 [--duration 60] [--page binary] [--slider-key bce_p]
        [--url http://127.0.0.1:PORT [--pids 123,456 | --pidfile RUN_DIR/upstreams.pid]] [--cluster 2]

Without ``--url`` the tool starts its own ``streamlit run app.py`` (tests/e2e/harness.py), or with
``--cluster N`` N of them behind nginx (deploy/run_cluster.sh, sticky sessions).  Each session is
tests/perf/streamlit_client.py: the websocket protocol of the Streamlit frontend, no browser (100
Chromium tabs would not fit 2 cores; a session here is one socket and one coroutine, all in this
process, whose CPU use is printed so you can see what the clients took from the server).

Timeline.  A probe session loads ``/`` (so a cold server's first run goes through app.py) and then the
page, and checks that the slider exists.  The N sessions then open over ``--ramp`` seconds, each loads
the page and moves the slider once per ``--interval`` (random phase, so the changes are spread out),
by a random walk of 1 to 5 steps that never repeats a value: every change is a real rerun of the
slider's fragment (pages/binary.py draws ``bce_p`` in an ``st.fragment``, so a move reruns that
section only, as in the browser).  After ``--warmup`` more seconds the measured window of
``--duration`` seconds starts.  A session sends its next change only after the previous rerun has
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

Targets (issue 6): 100 sessions with p95 <= 1 s, zero errors, RSS flat after warm-up (growth <= 5 %).
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
from dataclasses import dataclass, field
from pathlib import Path

from websockets.exceptions import ConnectionClosed

from tests.e2e.harness import streamlit_server
from tests.perf.cluster import read_pids, run_cluster
from tests.perf.streamlit_client import AppSession, Run, Slider

DEFAULT_SLIDERS = {"binary": "bce_p"}
FLAT_GROWTH = 0.05  # RSS growth after warm-up that still counts as flat
P95_TARGET = 1.0
FAILURE_KINDS = ("connect", "timeout", "disconnect", "error element")
MIB = 1024 * 1024
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


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


def own_streamlit_child(port: str) -> list[int]:
    """The pid of the ``streamlit run`` this process started on ``port`` (harness.streamlit_server)."""
    for pid in _children(os.getpid()):
        with contextlib.suppress(OSError):
            args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            if b"streamlit" in args and port.encode() in args:
                return [pid]
    return []


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
    session = AppSession(url, page=plan.page, timeout=plan.timeout)
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
    async with AppSession(url, page=page) as session:
        run = await session.load()
        if run.errors:
            raise SystemExit(f"page {page!r} shows errors: {run.errors}")
        if not session.sliders or (slider_key and slider_key not in session.sliders):
            raise SystemExit(f"no slider {slider_key!r} on page {page!r}; sliders: {sorted(session.sliders)}")
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


def report(
    target: Target,
    plan: Plan,
    tally: Tally,
    memory: tuple[Sample, Sample, list[Sample]],
) -> None:
    after_warmup, at_end, samples = memory
    duration = plan.end - plan.warmup_end
    measured = [r for r in tally.runs if plan.warmup_end <= r.sent < plan.end and r.finished is not None]
    latencies = [r.latency for r in measured]
    planned = round(plan.sessions * duration / plan.interval)
    errors = sum(tally.failures.values())
    p95 = _percentile(latencies, 95)
    loads = [r.latency for r in tally.loads]
    growth = at_end.total_rss - after_warmup.total_rss
    window = [s for s in samples if plan.warmup_end <= s.at <= plan.end] + [after_warmup, at_end]
    per_rerun = _slope([(s.reruns, s.total_rss) for s in window])
    peak = max([s.total_rss for s in samples] + [at_end.total_rss])
    flat = growth <= FLAT_GROWTH * after_warmup.total_rss

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
    print(_row("reruns completed", f"{len(measured)} / {planned} planned"))
    print(_row("ticks skipped (server behind)", str(tally.skipped_ticks)))
    print(_row("rerun latency p50", f"{_percentile(latencies, 50):.3f} s"))
    print(_row("rerun latency p95", f"{p95:.3f} s", f"<= {P95_TARGET:g} s", _verdict(p95 <= P95_TARGET)))
    print(_row("rerun latency max", f"{max(latencies, default=math.nan):.3f} s"))
    print(_row("errors", str(errors), "0", _verdict(errors == 0)))
    for kind in FAILURE_KINDS:
        print(_row(f"  {kind}", str(tally.failures.get(kind, 0))))
    print(_row("server RSS after warm-up", f"{after_warmup.total_rss / MIB:.1f} MiB"))
    print(_row("server RSS at end", f"{at_end.total_rss / MIB:.1f} MiB"))
    print(_row("server RSS peak", f"{peak / MIB:.1f} MiB"))
    print(
        _row(
            "RSS growth after warm-up",
            f"{growth / MIB:+.1f} MiB ({100 * growth / max(after_warmup.total_rss, 1):+.1f} %)",
            f"<= {100 * FLAT_GROWTH:g} %",
            _verdict(flat),
        )
    )
    print(_row("RSS growth per rerun (fit)", f"{per_rerun / 1024:+.2f} KiB"))
    server_cpu = sum(_cpu_percent(after_warmup, at_end, pid) for pid in at_end.rss)
    print(_row("server CPU (measured window)", f"{server_cpu:.0f} % of a core"))
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


# ---- main ----


@contextlib.contextmanager
def serve(args: argparse.Namespace) -> Iterator[Target]:
    """The server under test: the one at ``--url``, a ``--cluster`` of N, or a fresh process."""
    if args.url:
        if args.pidfile:
            yield Target(args.url.rstrip("/"), "given server", lambda: read_pids(Path(args.pidfile)))
        else:
            pids = [int(p) for p in args.pids.split(",")] if args.pids else []
            yield Target(args.url.rstrip("/"), "given server", lambda: pids)
    elif args.cluster:
        with run_cluster(args.cluster) as cluster:
            label = f"{args.cluster} Streamlit processes behind nginx (sticky cookie)"
            yield Target(cluster.url, label, lambda: cluster.upstream_pids, lambda: cluster.nginx_pids)
    else:
        with streamlit_server() as (url, _log):
            pids = own_streamlit_child(url.rsplit(":", 1)[1])
            yield Target(url, f"1 Streamlit process (pid {', '.join(map(str, pids))})", lambda: pids)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--duration", type=float, default=60.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds after the ramp, not measured")
    parser.add_argument("--ramp", type=float, default=10.0, help="seconds over which the sessions open")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between slider moves")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds a rerun may take")
    parser.add_argument("--page", default="binary", help="url path of the page")
    parser.add_argument("--slider-key", default=None, help="default: bce_p on binary, else the first")
    parser.add_argument("--url", help="an already running app (default: start one)")
    parser.add_argument("--pids", help="with --url: comma-separated server pids to measure")
    parser.add_argument("--pidfile", help="with --url: a file of server pids, e.g. RUN_DIR/upstreams.pid")
    parser.add_argument("--cluster", type=int, default=0, help="N Streamlit processes behind nginx")
    args = parser.parse_args(argv)
    if args.slider_key is None:
        args.slider_key = DEFAULT_SLIDERS.get(args.page, "")
    return args


async def _benchmark(args: argparse.Namespace, target: Target) -> None:
    slider = await probe(target.url, args.page, args.slider_key)
    print(f"slider {slider.id} in [{slider.min:g}, {slider.max:g}] step {slider.step:g}; starting the load")
    start = time.perf_counter() + 0.5
    warmup_end = start + args.ramp + args.warmup
    plan = Plan(
        sessions=args.sessions,
        interval=args.interval,
        start=start,
        ramp=args.ramp,
        warmup_end=warmup_end,
        end=warmup_end + args.duration,
        page=args.page,
        slider_key=args.slider_key,
        timeout=args.timeout,
    )
    tally = Tally()
    memory = await run_load(target, plan, tally)
    report(target, plan, tally, memory)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    with serve(args) as target:
        asyncio.run(_benchmark(args, target))


if __name__ == "__main__":
    main()
