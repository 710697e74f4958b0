"""Start and stop the servers the benchmarks measure, for the app in any checkout.

- ``app_server``: one ``streamlit run`` (the app, or tests/perf/bare_app.py) with the app directory as
  its working directory, so that checkout's code *and* its ``.streamlit/config.toml`` are used: the
  load and latency benchmarks can measure /work/before and this checkout in one run (``--app-dir``).
- ``run_cluster``: the app directory's ``deploy/run_cluster.sh`` (N Streamlit processes behind nginx),
  for the load benchmark's ``--cluster N`` and tests/e2e/test_deploy_cluster.py.

Everything runs on loopback on free ports; a cluster gets a run directory of its own (nginx.conf, logs,
pid files).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.e2e.harness import ROOT, _free_port, _wait_healthy

SCRIPT = "deploy/run_cluster.sh"  # in the app directory
BARE_APP = ROOT / "tests" / "perf" / "bare_app.py"  # the reference page, whichever app is measured


@dataclass(frozen=True)
class Server:
    """One running ``streamlit run``: its URL, its pid and its log."""

    url: str
    pid: int
    log: Path


@dataclass(frozen=True)
class Cluster:
    """A running cluster: nginx's URL, the Streamlit processes behind it and where it logs."""

    url: str
    upstream_ports: tuple[int, ...]
    run_dir: Path
    process: subprocess.Popen

    @property
    def upstream_pids(self) -> list[int]:
        return read_pids(self.run_dir / "upstreams.pid")

    @property
    def nginx_pids(self) -> list[int]:
        return read_pids(self.run_dir / "nginx.pid")

    @property
    def access_log(self) -> Path:
        return self.run_dir / "access.log"


def nginx_missing_reason() -> str | None:
    """Why the cluster cannot run here, or None."""
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        return "nginx is not installed (Debian: apt-get install -y nginx)"
    return None


def read_pids(path: Path) -> list[int]:
    """The pids in a pid file (one per line); [] when it does not exist."""
    try:
        return [int(line) for line in path.read_text().split()]
    except FileNotFoundError:
        return []


def _free_ports(count: int) -> list[int]:
    ports: list[int] = []
    while len(ports) < count:
        port = _free_port()
        if port not in ports:
            ports.append(port)
    return ports


def _stop(process: subprocess.Popen, timeout: float = 20.0) -> None:
    """SIGTERM the script (it stops its children); SIGKILL its process group if it hangs."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def app_dir_problem(app_dir: Path) -> str | None:
    """Why ``app_dir`` is not a checkout of the app, or None."""
    if not (app_dir / "app.py").is_file():
        return f"{app_dir} has no app.py (expected a checkout of the app, e.g. /work/before)"
    return None


@contextlib.contextmanager
def app_server(
    app_dir: Path = ROOT, script: str | Path = "app.py", timeout: float = 60.0
) -> Iterator[Server]:
    """Run ``streamlit run <script>`` in ``app_dir`` on a free loopback port; stop it on exit.

    The flags are those of tests/e2e/harness.py's ``streamlit_server`` (headless, no file watcher); the
    working directory is ``app_dir``, so its ``.streamlit/config.toml`` applies and its packages are
    imported.  ``script`` is relative to ``app_dir`` or absolute (``BARE_APP``).
    """
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
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
    ]
    log_path = Path(tempfile.gettempdir()) / f"streamlit-{port}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command, cwd=app_dir, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, process, timeout)
        print(
            f"streamlit is up at {url}: {script} in {app_dir} (pid {process.pid}, log {log_path})", flush=True
        )
        yield Server(url, process.pid, log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def run_cluster(processes: int = 2, timeout: float = 90.0, app_dir: Path = ROOT) -> Iterator[Cluster]:
    """Run ``app_dir``'s ``deploy/run_cluster.sh`` with ``processes`` Streamlit processes; stop it on exit."""
    port, *upstream_ports = _free_ports(processes + 1)
    run_dir = Path(tempfile.mkdtemp(prefix="explorer-cluster-"))
    command = [
        "bash",
        str(Path(app_dir) / SCRIPT),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--upstream-ports",
        ",".join(map(str, upstream_ports)),
        "--run-dir",
        str(run_dir),
    ]
    env = {**os.environ, "PYTHON": sys.executable, "PATH": f"{os.environ.get('PATH', '')}:/usr/sbin"}
    with open(run_dir / "run_cluster.out", "w") as out:
        process = subprocess.Popen(
            command, cwd=app_dir, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, process, timeout)
        except (RuntimeError, TimeoutError) as exc:
            output = (run_dir / "run_cluster.out").read_text()
            raise RuntimeError(f"deploy/run_cluster.sh did not come up: {exc}\n{output}") from exc
        print(f"cluster is up at {url} ({processes} processes, run dir {run_dir})")
        yield Cluster(url, tuple(upstream_ports), run_dir, process)
    finally:
        _stop(process)
        shutil.rmtree(run_dir, ignore_errors=True)
