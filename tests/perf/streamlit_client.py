"""A headless Streamlit 1.67 client: one app session spoken over the websocket, as a browser tab does.

Used by the load benchmark (tests/perf/bench_load.py) and its e2e test (tests/e2e/test_load_client.py).
A browser per session would not fit this 2-core machine (100 Chromium contexts); this client costs
a socket and a coroutine, so the server, not the clients, is what is measured.

The protocol (Streamlit 1.67, served by Starlette + uvicorn; web/server/starlette/starlette_websocket.py):

1. ``GET /_stcore/health``: the server answers with the ``_streamlit_xsrf`` cookie (a random token,
   ``2|mask|masked token|timestamp``), as it does for the browser on load; behind the nginx recipe in
   deploy/ the response also carries nginx's sticky-upstream cookie.  The cookies are kept.
2. Websocket ``/_stcore/stream`` with the cookies, an ``Origin`` equal to the app's own origin (the
   server rejects a foreign origin with close code 1008) and the subprotocol header the frontend sends:
   ``Sec-WebSocket-Protocol: streamlit, <xsrf cookie value>``.  The server selects ``streamlit``.
   With ``server.enableXsrfProtection = true`` it compares that token with the cookie, double-submit
   style (no server secret is involved), but only to decide whether to trust the auth cookie of
   ``st.login``: a websocket without a token still connects.  XSRF is enforced (HTTP 403) on uploads.
3. Every message is a binary protobuf.  The client sends ``BackMsg(rerun_script=ClientState)``; the
   first one names the page by its URL path (``page_name="binary"``), later ones by the
   ``page_script_hash`` that the server's ``navigation`` ForwardMsg reported (not the ``new_session``
   one, which names app.py), with the states of *all* widgets seen so far (``WidgetStates``: the
   frontend always sends the whole set, so the server deserializes all of them on every rerun; it
   would otherwise keep the values it remembers) and, for a widget inside an ``st.fragment``, that
   fragment's id (the ``fragment_id`` of the delta that drew it), so only the fragment reruns,
   exactly as in the browser.
4. The server streams ``ForwardMsg``s: ``new_session``, ``navigation``, ``delta`` (one element each:
   ``delta.new_element.slider``, ``.metric``, ``.plotly_chart``, ...), ``script_finished``.  A run is
   over at ``script_finished`` with status FINISHED_SUCCESSFULLY, FINISHED_FRAGMENT_RUN_SUCCESSFULLY or
   FINISHED_WITH_COMPILE_ERROR; FINISHED_EARLY_FOR_RERUN (``st.rerun``) means another run follows.
   No ``cached_message_hashes`` are sent, so every element arrives in full (never as ``ref_hash``).

A slider's value goes as ``double_array_value`` (``[v]``; the server's ``SliderSerde`` takes a list, two
values for a range slider), a radio's and a selectbox's as ``string_value`` (the formatted option),
a checkbox's as ``bool_value``, a text input's as ``string_value``.  Other widget kinds are not sent.

Errors a visitor would see are collected per run: ``exception`` elements, ``st.error`` alerts (what
``ui.common.safe_page`` shows instead of a traceback), ``session_event.script_compilation_exception``
and ``page_not_found``.
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

T = TypeVar("T")
XSRF_COOKIE = "_streamlit_xsrf"
DONE = {
    ForwardMsg.FINISHED_SUCCESSFULLY,
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
}


@dataclass
class Run:
    """One script run as the client saw it: from sending the BackMsg to ``script_finished``."""

    sent: float
    value: float | None = None  # the slider value this run was asked for (None for a page load)
    finished: float | None = None
    status: int | None = None
    errors: list[str] = field(default_factory=list)
    metrics: dict[str, str] = field(default_factory=dict)
    elements: int = 0

    @property
    def latency(self) -> float:
        """Seconds from sending the widget change to ``script_finished`` (``nan`` if it never came)."""
        return float("nan") if self.finished is None else self.finished - self.sent


@dataclass(frozen=True)
class Slider:
    """A slider as the server drew it: enough to move it and to know which fragment reruns."""

    id: str
    fragment_id: str
    min: float
    max: float
    step: float
    value: float


def run_sync(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` in a thread of its own, so it also works where a loop already runs in this one
    (Playwright's sync API, which the e2e fixtures hold for the whole test session, keeps one)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def fetch_cookies(base_url: str, timeout: float = 10.0) -> dict[str, str]:
    """``GET /_stcore/health`` and return the cookies it sets (the XSRF token, the proxy's sticky key)."""
    with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=timeout) as response:
        headers = response.headers.get_all("Set-Cookie") or []
    cookies = {}
    for header in headers:
        name, _, value = header.split(";", 1)[0].partition("=")
        cookies[name.strip()] = value.strip()
    return cookies


def _websocket_url(base_url: str) -> str:
    return base_url.replace("http://", "ws://", 1).replace("https://", "wss://", 1) + "/_stcore/stream"


def _initial_state(kind: str, proto: Any) -> WidgetState | None:
    """The value the frontend reports for a widget it has just drawn (or the server has just set)."""
    state = WidgetState(id=proto.id)
    if kind == "slider":
        state.double_array_value.data.extend(proto.value if proto.set_value else proto.default)
    elif kind in ("radio", "selectbox"):
        if proto.set_value and proto.HasField("raw_value"):
            state.string_value = proto.raw_value
        elif proto.HasField("default"):
            state.string_value = proto.options[proto.default]
        else:
            return None
    elif kind == "checkbox":
        state.bool_value = proto.value if proto.set_value else proto.default
    elif kind == "text_input":
        state.string_value = proto.value if proto.set_value else proto.default
    else:
        return None
    return state


class AppSession:
    """One browser tab's worth of Streamlit session over a websocket.

    >>> async def demo(url):  # doctest: +SKIP
    ...     async with AppSession(url, page="binary") as session:
    ...         first = await session.load()
    ...         slider = session.slider("bce_p")
    ...         run = await session.set_slider(slider, 0.42)
    ...         return run.latency, run.metrics["Predicted p"]
    """

    def __init__(self, base_url: str, page: str = "", query_string: str = "", timeout: float = 30.0):
        self.base_url = base_url.rstrip("/")
        self.page = page
        self.query_string = query_string
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.page_script_hash = ""
        self.widgets: dict[str, WidgetState] = {}
        self.sliders: dict[str, Slider] = {}
        self._ws: ClientConnection | None = None

    async def __aenter__(self) -> AppSession:
        await self.connect()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def connect(self) -> None:
        """Fetch the cookies as the page load does, then open the websocket as the frontend does."""
        self.cookies = await asyncio.to_thread(fetch_cookies, self.base_url)
        xsrf = self.cookies.get(XSRF_COOKIE)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        self._ws = await connect(
            _websocket_url(self.base_url),
            origin=self.base_url,
            subprotocols=["streamlit", xsrf] if xsrf else ["streamlit"],
            additional_headers=headers,
            max_size=None,
            open_timeout=self.timeout,
        )

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    async def load(self) -> Run:
        """Run the page as a fresh tab does (by its URL path) and wait for the run to finish."""
        return await self._rerun(page_name=self.page)

    def slider(self, key: str) -> Slider:
        """The slider whose widget key is ``key`` (its id ends with ``-<key>``), as last drawn."""
        try:
            return self.sliders[key]
        except KeyError:
            seen = sorted(self.sliders)
            raise KeyError(f"no slider with key {key!r} on page {self.page!r}; seen: {seen}") from None

    async def set_slider(self, slider: Slider, value: float) -> Run:
        """Move ``slider`` to ``value``, as a drag does, and wait for the (fragment) rerun to finish."""
        state = WidgetState(id=slider.id)
        state.double_array_value.data.append(value)
        self.widgets[slider.id] = state
        run = await self._rerun(page_script_hash=self.page_script_hash, fragment_id=slider.fragment_id)
        run.value = value
        return run

    async def _rerun(self, page_name: str = "", page_script_hash: str = "", fragment_id: str = "") -> Run:
        if self._ws is None:
            raise RuntimeError("connect() first")
        msg = BackMsg()
        client_state = msg.rerun_script
        client_state.query_string = self.query_string
        client_state.page_name = page_name
        client_state.page_script_hash = page_script_hash
        client_state.fragment_id = fragment_id
        client_state.widget_states.widgets.extend(self.widgets.values())
        client_state.context_info.url = f"{self.base_url}/{self.page}"
        run = Run(sent=time.perf_counter())
        await self._ws.send(msg.SerializeToString())
        async with asyncio.timeout(self.timeout):
            while run.status not in DONE:
                self._receive(ForwardMsg.FromString(await self._ws.recv()), run)
        run.finished = time.perf_counter()
        return run

    def _receive(self, msg: ForwardMsg, run: Run) -> None:
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            run.elements += 1
            self._element(msg.delta.new_element, msg.delta.fragment_id, run)
        elif kind == "navigation":
            self.page_script_hash = msg.navigation.page_script_hash
        elif kind == "script_finished":
            run.status = msg.script_finished
            if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                run.errors.append("script finished with a compile error")
        elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
            run.errors.append(f"compilation error: {msg.session_event.script_compilation_exception.message}")
        elif kind == "page_not_found":
            run.errors.append(f"page not found: {self.page!r}")

    def _element(self, element: Any, fragment_id: str, run: Run) -> None:
        kind = element.WhichOneof("type")
        proto = getattr(element, kind) if kind else None
        if kind == "exception":
            run.errors.append(f"exception: {proto.type}: {proto.message}")
        elif kind == "alert" and proto.format == Alert.ERROR:
            run.errors.append(f"st.error: {proto.body}")
        elif kind == "metric":
            run.metrics[proto.label] = proto.body
        if proto is None or not hasattr(proto, "id") or not proto.id.startswith("$$ID-"):
            return
        if proto.id not in self.widgets or getattr(proto, "set_value", False):
            state = _initial_state(kind, proto)
            if state is not None:
                self.widgets[proto.id] = state
        if kind == "slider":
            self._remember_slider(proto, fragment_id)

    def _remember_slider(self, proto: Any, fragment_id: str) -> None:
        key = proto.id.split("-", 2)[2] if proto.id.count("-") >= 2 else ""
        if not key or key == "None":
            return
        current = self.widgets[proto.id].double_array_value.data
        self.sliders[key] = Slider(
            id=proto.id,
            fragment_id=fragment_id,
            min=proto.min,
            max=proto.max,
            step=proto.step,
            value=current[0] if current else proto.default[0],
        )
