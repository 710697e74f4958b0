"""The load benchmark's websocket client (tests/perf/streamlit_client.py) against the session's server.

Fast versions of what ``python -m tests.perf.bench_load`` does: a few sessions move the binary page's
``bce_p`` slider through the same scheduling code, and every rerun must finish without an error and
show the new value in the elements it returned (the "Predicted p" metric).  The client must send each
widget's value as the browser does (a select_slider's as its option's text), so Mini-batches' sliders
are moved and the page must show the values chosen.  Every page of the benchmark's table must have
its slider.  The error detection is checked too, so "zero errors" in the benchmark means something.
"""

import re
import time

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.perf.bench_load import MAIN_SLIDERS, Plan, Tally, Target, run_load
from tests.perf.streamlit_client import SUCCESS, XSRF_COOKIE, AppSession, run_sync
from ui.frame import PRESENT_KEY
from ui.registry import DEFAULT_PAGE, PAGES

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


async def _move_minibatch_sliders(url: str) -> tuple[AppSession, list]:
    """Mini-batches: the select_slider of draws to 500, then the batch-size slider to 7, then draws to 50."""
    async with AppSession(url, page="minibatch") as session:
        runs = [await session.load()]
        draws, batch = session.slider("minibatch_draws"), session.slider("minibatch_b")
        runs.append(await session.set_slider(draws, draws.options.index("500")))
        runs.append(await session.set_slider(batch, 7))
        runs.append(await session.set_slider(draws, draws.options.index("50")))
        return session, runs


def _draws_shown(run) -> list[str]:
    return [
        text.split(" mini-batches are drawn", 1)[0].rsplit(" ", 1)[-1]
        for text in run.texts
        if " mini-batches are drawn" in text
    ]


def test_moving_a_select_slider_and_a_slider_shows_the_chosen_values(app_url):
    session, (load, to_500, to_7, to_50) = run_sync(_move_minibatch_sliders(app_url))

    assert load.status == ForwardMsg.FINISHED_SUCCESSFULLY
    for run in (load, to_500, to_7, to_50):
        assert run.errors == []
        assert run.status in SUCCESS  # a move inside one of the page's fragments reruns only it
    assert session.sliders["minibatch_draws"].options == ("50", "100", "200", "500", "1000")
    assert _draws_shown(load) == ["200"]
    assert "per-example gradients of b₄[1] in the batch" in load.charts["minibatch_per_example"]
    assert _draws_shown(to_500) == ["500"]
    # Each slider reruns only its own section (a fragment): the draws do not redraw the batch's chart.
    assert "minibatch_per_example" not in to_500.charts
    # B's fragment sends its numbers only: the chart follows B in the browser (ui.scrub), it is not sent.
    assert "minibatch_per_example" not in to_7.charts
    held = next(text for text in to_7.texts if "This batch holds" in text)
    assert sum(int(n) for n in re.findall(r"(\d+) of class", held)) == 7
    assert _draws_shown(to_7) == []
    assert _draws_shown(to_50) == ["50"]  # the select_slider's value, sent as its option's text


def test_the_client_sends_each_widget_kind_as_the_browser_does(app_url):
    session, _runs = run_sync(_move_minibatch_sliders(app_url))

    fields = {
        widget_id.split("-", 2)[2]: state.WhichOneof("value") for widget_id, state in session.widgets.items()
    }
    assert fields["minibatch_b"] == "double_array_value"  # st.slider
    assert fields["minibatch_draws"] == "string_array_value"  # st.select_slider: the option's text
    assert fields["minibatch_param"] == "string_value"  # st.selectbox
    assert fields["minibatch_sampling"] == "string_value"  # st.radio
    assert fields["minibatch_draw"] == "int_value"  # st.number_input of ints
    assert fields[PRESENT_KEY] == "bool_value"  # st.toggle (the sidebar's presenter mode)
    states = {widget_id.split("-", 2)[2]: state for widget_id, state in session.widgets.items()}
    assert list(states["minibatch_draws"].string_array_value.data) == ["50"]
    assert list(states["minibatch_b"].double_array_value.data) == [7]


async def _sliders_of(url: str, page: str) -> tuple[list[str], list[str]]:
    async with AppSession(url, page=page) as session:
        run = await session.load()
        return run.errors, sorted(session.sliders)


def test_every_page_with_a_slider_has_its_main_slider_in_the_benchmark_table(app_url):
    for spec in PAGES:
        path = "" if spec.url_path == DEFAULT_PAGE.url_path else spec.url_path  # the default page is "/"
        errors, sliders = run_sync(_sliders_of(app_url, path))
        assert errors == [], spec.url_path
        if spec.url_path in MAIN_SLIDERS:
            assert MAIN_SLIDERS[spec.url_path] in sliders, (spec.url_path, sliders)
        else:
            assert sliders == [], f"{spec.url_path} has sliders {sliders} but no row in MAIN_SLIDERS"
