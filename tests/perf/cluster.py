"""Start and stop ``deploy/run_cluster.sh`` (N Streamlit processes behind nginx) from Python.

Used by the load benchmark (``--cluster N``) and by tests/e2e/test_deploy_cluster.py.  Everything runs
on loopback on free ports, in a run directory of its own (nginx.conf, logs, pid files).
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

SCRIPT = ROOT / "deploy" / "run_cluster.sh"


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


@contextlib.contextmanager
def run_cluster(processes: int = 2, timeout: float = 90.0) -> Iterator[Cluster]:
    """Run ``deploy/run_cluster.sh`` with ``processes`` Streamlit processes; stop it on exit."""
    port, *upstream_ports = _free_ports(processes + 1)
    run_dir = Path(tempfile.mkdtemp(prefix="explorer-cluster-"))
    command = [
        "bash",
        str(SCRIPT),
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
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
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
