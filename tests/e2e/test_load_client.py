"""The load benchmark's websocket client (tests/perf/streamlit_client.py) against the session's server.

Fast versions of what ``python -m tests.perf.bench_load`` does: a few sessions move the binary page's
``bce_p`` slider through the same scheduling code, and every rerun must finish without an error and
show the new value in the elements it returned (the "Predicted p" metric).  The error detection is
checked too, so "zero errors" in the benchmark means something.
"""

import time

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.perf.bench_load import Plan, Tally, Target, run_load
from tests.perf.streamlit_client import XSRF_COOKIE, AppSession, run_sync

SESSIONS = 3
LOAD_SECONDS = 1.5  # to open the sessions and load the page, before the counted ticks
SECONDS = 3.0


def _plan() -> Plan:
    start = time.perf_counter()
    return Plan(
        sessions=SESSIONS,
        interval=1.0,
        start=start,
        ramp=0.0,
        warmup_end=start + LOAD_SECONDS,
        end=start + LOAD_SECONDS + SECONDS,
        page="binary",
        slider_key="bce_p",
        timeout=20.0,
    )


async def _warm(url: str) -> None:
    async with AppSession(url) as home:  # a cold server's first run must go through app.py
        await home.load()


def test_sessions_rerun_the_slider_fragment_with_the_new_value(app_url):
    run_sync(_warm(app_url))
    tally, plan = Tally(), _plan()
    run_sync(run_load(Target(app_url, "session server", list), plan, tally))

    assert tally.failures == {}, tally.messages
    assert len(tally.loads) == SESSIONS
    counted = [run for run in tally.runs if run.sent >= plan.warmup_end]
    # One change per session and second; a tick that passed while a rerun was still running is skipped.
    assert len(counted) + tally.skipped_ticks == SESSIONS * round(SECONDS)
    assert len(counted) >= SESSIONS
    for run in tally.runs:
        assert run.status == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
        assert run.errors == []
        assert run.metrics["Predicted p"] == f"{run.value:.2f}"
        assert 0 < run.latency < 20
    assert len({run.value for run in tally.runs}) > 1


async def _load_page(url: str, page: str) -> tuple[AppSession, list[str], str]:
    async with AppSession(url, page=page) as session:
        run = await session.load()
        return session, run.errors, session._ws.subprotocol


def test_the_client_speaks_the_browsers_handshake(app_url):
    session, errors, subprotocol = run_sync(_load_page(app_url, "binary"))

    assert errors == []
    assert subprotocol == "streamlit"
    assert session.cookies[XSRF_COOKIE].startswith("2|")
    assert session.page_script_hash
    assert {"bce_p", "bce_z", "bce_pw"} <= set(session.sliders)
    # Every widget the page drew is sent back on each rerun, as the frontend does.
    assert any(widget_id.endswith("-bce_y") for widget_id in session.widgets)


def test_the_client_reports_what_a_visitor_would_see_as_an_error(app_url):
    _session, errors, _subprotocol = run_sync(_load_page(app_url, "no-such-page"))

    assert errors == ["page not found: 'no-such-page'"]
