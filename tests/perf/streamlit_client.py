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
   one, which names app.py), with the states of *all* widgets on the page (``WidgetStates``: the
   frontend always sends the whole set, so the server deserializes all of them on every rerun; it
   would otherwise keep the values it remembers) and, for a widget inside an ``st.fragment``, that
   fragment's id (the ``fragment_id`` of the delta that drew it), so only the fragment reruns,
   exactly as in the browser.
4. The server streams ``ForwardMsg``s: ``new_session``, ``navigation``, ``delta`` (one element each:
   ``delta.new_element.slider``, ``.metric``, ``.plotly_chart``, ...), ``script_finished``.  A run is
   over at ``script_finished`` with status FINISHED_SUCCESSFULLY, FINISHED_FRAGMENT_RUN_SUCCESSFULLY or
   FINISHED_WITH_COMPILE_ERROR; FINISHED_EARLY_FOR_RERUN (``st.rerun``) means another run follows.
   The elements arrive in full, or as a ``ref_hash`` to one the client reported as cached (5).
5. What the frontend keeps between runs, and so sends again (streamlit/static/static/js/index.*.js of the
   installed 1.67 wheel: ``WidgetStateManager``, ``ForwardMessageCache``, ``App.handleScriptFinished``):

   - the widget states: set when a widget mounts (its default, or the value the server pushed with
     ``set_value``) and when the user moves it; after a successful run the states of widgets that are
     no longer drawn are dropped (``removeInactiveWidgetState``; after a fragment run only those of
     that fragment's widgets);
   - a message cache: every ForwardMsg whose ``metadata.cacheable`` is set (a ``new_element`` delta of
     at least ``global.minCachedMessageSize``, 10 kB) is kept by its ``hash``, and the hashes are sent
     with each rerun (``cached_message_hashes``), so the server sends an unchanged large element as a
     ``ref_hash`` instead of in full.  After each run the entries not used for more than
     ``max_cached_message_age`` runs (from ``new_session.config``) are dropped, as the frontend does.

   The browser also rewrites its URL when a ``bind="query-params"`` widget moves; the server reads
   ``ClientState.query_string`` only when the page changes (script_runner.py: ``populate_from_query_string``
   on a new ``page_script_hash``), so the client keeps the query string it loaded with.

What each widget sends, as the 1.67 frontend does (``set*Value`` in the widget's chunk under
streamlit/static/static/js/, and the server's ``value_type`` in streamlit/elements/widgets/):

- ``st.slider`` (``Slider`` proto, type SLIDER): ``double_array_value``, ``[v]`` (``[a, b]`` for a
  range); on mount ``value`` if ``set_value`` else ``default``.
- ``st.select_slider`` (the same ``Slider`` proto, type SELECT_SLIDER): ``string_array_value`` of the
  *formatted options*, ``[options[i]]``; ``min``/``max``/``step``/``default`` are option indices, and
  on mount the frontend reports ``raw_value`` if ``set_value`` else the options at ``default``.  (In
  Streamlit 1.39 it was a ``double_array_value`` of the indices, like a slider; 1.67's serde is
  string-based, ``SelectSliderSerde``, ``value_type="string_array_value"``.)  Sending a number here is
  what broke Mini-batches: the server replaces a widget's recorded ``value_type`` by the
  field it received (``SessionState.__getitem__``), then re-serializes the select_slider's strings into
  a ``double_array_value`` in ``register_widget`` (query-param binding): ``TypeError: must be real
  number, not str``.
- ``st.radio``, ``st.selectbox``: ``string_value``, the formatted option (``raw_value`` if ``set_value``
  else ``options[default]``; no value at all when there is none, i.e. ``index=None`` or cleared).
- ``st.number_input``: ``int_value`` when ``data_type`` is INT, else ``double_value`` (``value`` if
  ``set_value`` else ``default``; none when empty).
- ``st.checkbox`` and ``st.toggle`` (the ``Checkbox`` proto, type TOGGLE): ``bool_value``.
- ``st.text_input``: ``string_value``.
- Other widget kinds (buttons are triggers, not states) are not sent.

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
from streamlit.proto.NumberInput_pb2 import NumberInput
from streamlit.proto.Slider_pb2 import Slider as SliderProto
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

T = TypeVar("T")
XSRF_COOKIE = "_streamlit_xsrf"
DONE = {
    ForwardMsg.FINISHED_SUCCESSFULLY,
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
}
# After these the frontend drops the states of widgets that are no longer drawn.
SUCCESS = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
DEFAULT_MAX_CACHED_MESSAGE_AGE = 2  # global.maxCachedMessageAge; the server sends it in new_session


@dataclass
class Run:
    """One script run as the client saw it: from sending the BackMsg to ``script_finished``."""

    sent: float
    value: float | None = None  # the slider position this run was asked for (None for a page load)
    finished: float | None = None
    status: int | None = None
    errors: list[str] = field(default_factory=list)
    metrics: dict[str, str] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)  # markdown, captions and headings, in order
    charts: dict[str, str] = field(default_factory=dict)  # a keyed Plotly chart's key -> its alt text
    elements: int = 0
    cached_elements: int = 0  # elements that came as a ref_hash to the client's message cache

    @property
    def latency(self) -> float:
        """Seconds from sending the widget change to ``script_finished`` (``nan`` if it never came)."""
        return float("nan") if self.finished is None else self.finished - self.sent


@dataclass(frozen=True)
class Slider:
    """A slider or select_slider as the server drew it: enough to move it and to know which fragment reruns.

    For a select_slider ``options`` holds the formatted options and ``min``, ``max``, ``step`` and
    ``value`` are option indices (as in its proto); a position is sent as the option's text.
    """

    id: str
    fragment_id: str
    min: float
    max: float
    step: float
    value: float
    options: tuple[str, ...] = ()

    def label(self, position: float) -> str:
        """The text on the thumb at ``position``: a select_slider's option, else the number."""
        return self.options[int(position)] if self.options else f"{position:g}"


@dataclass
class _Cached:
    """One message of the frontend's ForwardMsg cache, with the run count at its last use."""

    msg: ForwardMsg
    run_count: int
    fragment_id: str


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


def is_select_slider(proto: Any) -> bool:
    return proto.type == SliderProto.SELECT_SLIDER


def slider_state(proto: Any, positions: list[float]) -> WidgetState:
    """The state the frontend sends for a slider at ``positions`` (one, or two for a range).

    A slider sends the numbers (``double_array_value``); a select_slider sends the formatted options at
    those indices (``string_array_value``), never the indices.
    """
    state = WidgetState(id=proto.id)
    if is_select_slider(proto):
        state.string_array_value.data.extend(proto.options[int(i)] for i in positions)
    else:
        state.double_array_value.data.extend(positions)
    return state


def _initial_state(kind: str, proto: Any) -> WidgetState | None:
    """The value the frontend reports for a widget it has just drawn (or the server has just set).

    ``None``: a widget kind the frontend keeps no value for.  A state with only an ``id`` is what the
    frontend sends for an empty widget (``null``: a radio, selectbox or number input without a value).
    """
    state = WidgetState(id=proto.id)
    if kind == "slider":
        if is_select_slider(proto):
            if proto.set_value and proto.raw_value:
                state.string_array_value.data.extend(proto.raw_value)
                return state
            return slider_state(proto, list(proto.default))
        return slider_state(proto, list(proto.value if proto.set_value else proto.default))
    if kind in ("radio", "selectbox"):
        if proto.set_value:
            if proto.HasField("raw_value"):
                state.string_value = proto.raw_value
        elif proto.HasField("default") and proto.options:
            state.string_value = proto.options[proto.default]
    elif kind == "number_input":
        field_name = "int_value" if proto.data_type == NumberInput.INT else "double_value"
        value_field = "value" if proto.set_value else "default"
        if proto.HasField(value_field):
            number = getattr(proto, value_field)
            setattr(state, field_name, int(number) if field_name == "int_value" else number)
    elif kind == "checkbox":  # st.checkbox and st.toggle
        state.bool_value = proto.value if proto.set_value else proto.default
    elif kind == "text_input":
        state.string_value = proto.value if proto.set_value else proto.default
    else:
        return None
    return state


def _key(element_id: str) -> str:
    """The user key in an element id ``$$ID-<hash>-<key>`` (``""`` when there is none)."""
    return element_id.split("-", 2)[2] if element_id.count("-") >= 2 else ""


def _positions(proto: Any, state: WidgetState) -> list[float]:
    """A slider's current positions from the state the client holds for it (indices for a select_slider)."""
    if is_select_slider(proto):
        options = list(proto.options)
        return [
            float(options.index(v)) if v in options else float(proto.default[0])
            for v in state.string_array_value.data
        ]
    return list(state.double_array_value.data)


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
        self.max_cached_message_age = DEFAULT_MAX_CACHED_MESSAGE_AGE
        self._cache: dict[str, _Cached] = {}
        self._run_count = 0  # script runs finished, for the cache's ages (the frontend's scriptRunCount)
        self._drawn: dict[str, tuple[str, int]] = {}  # widget id -> (fragment id, run that last drew it)
        self._slider_protos: dict[str, Any] = {}  # widget key -> the slider's last proto
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

    @property
    def cached_message_hashes(self) -> list[str]:
        """The hashes the next rerun reports as cached, as the frontend's ``getCachedMessageHashes``."""
        return list(self._cache)

    async def load(self) -> Run:
        """Run the page as a fresh tab does (by its URL path) and wait for the run to finish."""
        return await self._rerun(page_name=self.page)

    def slider(self, key: str) -> Slider:
        """The slider or select_slider with key ``key`` (its id ends with ``-<key>``), as last drawn."""
        try:
            return self.sliders[key]
        except KeyError:
            seen = sorted(self.sliders)
            raise KeyError(f"no slider with key {key!r} on page {self.page!r}; seen: {seen}") from None

    async def set_slider(self, slider: Slider, value: float) -> Run:
        """Move ``slider`` to ``value``, as a drag does, and wait for the (fragment) rerun to finish.

        ``value`` is a position: the number for a slider, the option's index for a select_slider (sent as
        the option's text, as the browser does).
        """
        self.widgets[slider.id] = slider_state(self._slider_protos[_key(slider.id)], [value])
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
        client_state.cached_message_hashes.extend(self._cache)
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
        if kind == "ref_hash":
            cached = self._cache.get(msg.ref_hash)
            if cached is None:
                run.errors.append(f"cached message missing: {msg.ref_hash}")
                return
            cached.run_count = self._run_count
            run.cached_elements += 1
            msg, kind = cached.msg, cached.msg.WhichOneof("type")
        elif msg.metadata.cacheable and msg.hash:
            if msg.hash in self._cache:
                self._cache[msg.hash].run_count = self._run_count
            else:
                self._cache[msg.hash] = _Cached(msg, self._run_count, msg.delta.fragment_id)
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            run.elements += 1
            self._element(msg.delta.new_element, msg.delta.fragment_id, run)
        elif kind == "new_session":
            self.max_cached_message_age = msg.new_session.config.max_cached_message_age
        elif kind == "navigation":
            self.page_script_hash = msg.navigation.page_script_hash
        elif kind == "script_finished":
            run.status = msg.script_finished
            if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                run.errors.append("script finished with a compile error")
            if msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                self._finished(msg.script_finished, list(msg.metadata.run.fragment_ids))
        elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
            run.errors.append(f"compilation error: {msg.session_event.script_compilation_exception.message}")
        elif kind == "page_not_found":
            run.errors.append(f"page not found: {self.page!r}")

    def _finished(self, status: int, fragment_ids: list[str]) -> None:
        """What the frontend does after a run: drop undrawn widgets' states, age the message cache."""
        if status in SUCCESS:
            stale = [
                widget_id
                for widget_id, (fragment_id, drawn_in) in self._drawn.items()
                if drawn_in != self._run_count and (not fragment_ids or fragment_id in fragment_ids)
            ]
            for widget_id in stale:
                del self._drawn[widget_id]
                self.widgets.pop(widget_id, None)
            self.sliders = {key: s for key, s in self.sliders.items() if s.id in self._drawn}
        self._run_count += 1
        for hash_, cached in list(self._cache.items()):
            if fragment_ids and cached.fragment_id not in fragment_ids:
                continue  # a fragment run ages only that fragment's messages
            if self._run_count - cached.run_count > self.max_cached_message_age:
                del self._cache[hash_]

    def _element(self, element: Any, fragment_id: str, run: Run) -> None:
        kind = element.WhichOneof("type")
        proto = getattr(element, kind) if kind else None
        if kind == "exception":
            run.errors.append(f"exception: {proto.type}: {proto.message}")
        elif kind == "alert" and proto.format == Alert.ERROR:
            run.errors.append(f"st.error: {proto.body}")
        elif kind == "metric":
            run.metrics[proto.label] = proto.body
        elif kind in ("markdown", "heading"):
            run.texts.append(proto.body)
        elif kind == "plotly_chart" and proto.id.count("-") >= 2:
            run.charts[_key(proto.id)] = proto.alt
        if proto is None or not hasattr(proto, "id") or not proto.id.startswith("$$ID-"):
            return
        self._drawn[proto.id] = (fragment_id, self._run_count)
        if proto.id not in self.widgets or getattr(proto, "set_value", False):
            state = _initial_state(kind, proto)
            if state is not None:
                self.widgets[proto.id] = state
        if kind == "slider":
            self._remember_slider(proto, fragment_id)

    def _remember_slider(self, proto: Any, fragment_id: str) -> None:
        key = _key(proto.id)
        if not key or key == "None":
            return
        current = _positions(proto, self.widgets[proto.id])
        self._slider_protos[key] = proto
        self.sliders[key] = Slider(
            id=proto.id,
            fragment_id=fragment_id,
            min=proto.min,
            max=proto.max,
            step=proto.step,
            value=current[0] if current else proto.default[0],
            options=tuple(proto.options) if is_select_slider(proto) else (),
        )
