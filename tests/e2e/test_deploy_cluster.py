"""The scale-out recipe in deploy/: two ``streamlit run app.py`` processes behind nginx, sticky sessions.

``deploy/run_cluster.sh`` is started on free loopback ports; sessions of the load benchmark's websocket
client (tests/perf/streamlit_client.py) open the binary page through nginx and move its slider.  nginx's
access log names the process (``upstream=127.0.0.1:PORT``) and the sticky key of every request, so the
test sees that both processes served sessions and that all requests of one visitor went to one process.
At the end the script is stopped with SIGTERM and no process of the cluster may be left.
"""

import re
import time
import urllib.request
from pathlib import Path

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.perf.cluster import Cluster, nginx_missing_reason, run_cluster
from tests.perf.streamlit_client import AppSession, run_sync

MIN_VISITS = 6  # each with 4 more HTTP requests: per-connection balancing passes 6 visits with p = 2**-24
MAX_VISITS = 16  # random sticky keys: the chance that 16 visitors all land on one of 2 processes is 2**-15
LOG_LINE = re.compile(
    r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) .* upstream=(?P<upstream>\S+) sticky=(?P<key>\S+)'
)


@pytest.fixture(scope="module")
def cluster():
    reason = nginx_missing_reason()
    if reason:
        pytest.skip(f"DEPLOY CLUSTER TEST SKIPPED: {reason}")
    with run_cluster(processes=2, timeout=60) as running:
        pids = running.upstream_pids + running.nginx_pids
        yield running
    assert not [pid for pid in pids if _alive(pid)], "processes of the cluster are still running"


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


async def _visit(url: str) -> tuple[dict[str, str], list[str]]:
    """Open the binary page, move the slider twice; return the session's cookies and what went wrong."""
    async with AppSession(url, page="binary", timeout=20) as session:
        problems = list((await session.load()).errors)
        slider = session.slider("bce_p")
        for value in (0.25, 0.75):
            run = await session.set_slider(slider, value)
            problems += run.errors
            if run.status != ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                problems.append(f"status {run.status}")
            if run.metrics.get("Predicted p") != f"{value:.2f}":
                problems.append(f"Predicted p {run.metrics.get('Predicted p')} for {value}")
        return session.cookies, problems


def _more_requests(url: str, cookies: dict[str, str]) -> None:
    """What a browser tab also asks for (host config, health checks), each on a new connection."""
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    for path in ("/_stcore/host-config", "/_stcore/health") * 2:
        request = urllib.request.Request(url + path, headers={"Cookie": cookie})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200


def _requests(cluster: Cluster) -> list[dict[str, str]]:
    lines = cluster.access_log.read_text().splitlines()
    return [match.groupdict() for match in map(LOG_LINE.search, lines) if match]


def _websocket_upstreams(cluster: Cluster, keys: list[str], timeout: float = 5.0) -> dict[str, str]:
    """sticky key -> upstream of each key's websocket (nginx logs it when the websocket closes)."""
    deadline = time.monotonic() + timeout
    while True:
        found = {
            r["key"]: r["upstream"]
            for r in _requests(cluster)
            if r["path"] == "/_stcore/stream" and r["key"] in keys
        }
        if len(found) == len(keys) or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_sessions_spread_over_both_processes_and_stay_on_theirs(cluster):
    upstreams = {f"127.0.0.1:{port}" for port in cluster.upstream_ports}
    keys: list[str] = []
    for visit in range(MAX_VISITS):
        cookies, problems = run_sync(_visit(cluster.url))
        assert problems == []
        _more_requests(cluster.url, cookies)
        keys.append(cookies["explorer_upstream"])
        if visit + 1 >= MIN_VISITS and set(_websocket_upstreams(cluster, keys).values()) == upstreams:
            break

    websockets = _websocket_upstreams(cluster, keys)
    assert set(websockets) == set(keys), "every visit's websocket went through nginx with its cookie"
    assert set(websockets.values()) == upstreams, f"{len(keys)} visits did not reach both processes"
    for request in _requests(cluster):
        if request["key"] in websockets:
            assert request["upstream"] == websockets[request["key"]], f"not sticky: {request}"


def test_the_cluster_answers_health_and_the_app_through_nginx(cluster):
    with urllib.request.urlopen(f"{cluster.url}/_stcore/health", timeout=10) as response:
        cookies = response.headers.get_all("Set-Cookie")
    assert any(c.startswith("explorer_upstream=") for c in cookies)
    assert any(c.startswith("_streamlit_xsrf=2|") for c in cookies)
    with urllib.request.urlopen(f"{cluster.url}/binary", timeout=10) as response:
        assert response.status == 200
        assert b'<div id="root">' in response.read()
