"""Browser tabs as the server sees them: each session a websocket speaking Streamlit's own protocol
(BackMsg rerun requests with widget states, ForwardMsgs read until the script finishes). `run_level`
drives N of them at once for a while, each visiting a mix of pages and moving sliders as a student
would, and measures reruns, latencies, bytes, errors and the server's CPU. The load benchmark
(bench/load.py) prints it; tests/test_concurrency.py asserts on it.

A target is a port of 127.0.0.1 or a base URL (`http://host:port`, e.g. the balancer's). Like a
browser, a session first GETs the page and keeps the cookies it sets (HAProxy's sticky cookie,
deploy/balancer.py), then sends them on its websocket and on its later GETs (a download)."""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Slider_pb2 import Slider
from websockets.typing import Origin, Subprotocol

from ui.kit.pages import PLAYGROUND, of

# the pages a student visits: their addresses (Session.rerun's `page`, "" for home)
PAGES = tuple(
    of(key).url
    for key in ("l1", "huber", "cross_entropy", "kl_div", "triplet_margin", "bce_logits", "margin_ranking", "ctc")
)


def stat_fields(pid: int, tid: int | None = None) -> list[str]:
    """/proc's stat line of a process (or of one of its threads), from the field after the name on:
    [0] its state, [1] its parent's pid, [11] and [12] its user and system CPU ticks."""
    path = f"/proc/{pid}/stat" if tid is None else f"/proc/{pid}/task/{tid}/stat"
    return Path(path).read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pid: int, tid: int | None = None) -> float:
    """User + system CPU time of the process (all its threads), or of its thread `tid`, so far."""
    fields = stat_fields(pid, tid)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def base_url(target: int | str) -> str:
    return target.rstrip("/") if isinstance(target, str) else f"http://127.0.0.1:{target}"


def http_get(target: int | str, path: str, cookie: str = "") -> tuple[int, bytes, str]:
    """GET `path` as a browser would, with its Cookie header. Returns (status, body, the cookies
    the response set, as a Cookie header: "" if none)."""
    request = urllib.request.Request(base_url(target) + path, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, body, headers = response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        status, body, headers = error.code, error.read(), error.headers
    return status, body, "; ".join(c.split(";", 1)[0] for c in headers.get_all("Set-Cookie") or [])


class Session:
    """One browser tab, as the server sees it. `cookie`: the Cookie header it sends (its jar)."""

    def __init__(self, ws, cookie: str = ""):
        self.ws = ws
        self.cookie = cookie
        self.session_id = ""
        self.metrics: list[str] = []  # the metrics' values shown by the last run
        self.downloads: dict[str, str] = {}  # download button's key -> its deferred file id
        self.pages: dict[str, str] = {}  # url path -> page script hash
        # (widget id, min, max, step, fragment id) of the page shown
        self.sliders: list[tuple[str, float, float, float, str]] = []
        self.buttons: dict[str, str] = {}  # widget id's last part (the key) -> widget id

    async def rerun(
        self, page: str, widgets: list | None = None, query: str = "", fragment: str = "", press: str = ""
    ) -> tuple[float, int, bool]:
        """Ask for a run of `page` (of one fragment of it, as a browser does when the widget that
        changed lives in a fragment); wait for the run to finish. Returns (seconds, bytes, error)."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = query
        state.page_name = page
        if page in self.pages:
            state.page_script_hash = self.pages[page]
        state.fragment_id = fragment
        for widget_id, value in widgets or []:
            w = state.widget_states.widgets.add()
            w.id = widget_id
            w.double_array_value.data.append(value)  # a slider's state is an array: [value]
        if press:  # a button clicked: its trigger, as the browser sends it
            w = state.widget_states.widgets.add()
            w.id = press
            w.trigger_value = True
        start, received, error = time.perf_counter(), 0, False
        await self.ws.send(msg.SerializeToString())
        sliders, metrics = [], []
        while True:
            data = await asyncio.wait_for(self.ws.recv(), timeout=60)
            received += len(data)
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.pages = {p.url_pathname: p.page_script_hash for p in fwd.new_session.app_pages}
                self.session_id = fwd.new_session.initialize.session_id
            elif kind == "delta":
                element = fwd.delta.new_element
                if element.WhichOneof("type") == "slider" and element.slider.data_type == Slider.FLOAT:
                    slider = element.slider
                    sliders.append((slider.id, slider.min, slider.max, slider.step, fwd.delta.fragment_id))
                if element.WhichOneof("type") == "button":
                    self.buttons[element.button.id.rsplit("-", 1)[-1]] = element.button.id
                if element.WhichOneof("type") == "metric":
                    metrics.append(element.metric.body)
                if element.WhichOneof("type") == "download_button":
                    button = element.download_button
                    self.downloads[button.id.rsplit("-", 1)[-1]] = button.deferred_file_id
                if element.WhichOneof("type") == "exception":
                    error = True
                    exc = element.exception
                    print(f"  {page or 'home'}: {exc.type}: {exc.message[:300]}", file=sys.stderr)
                    if os.environ.get("LOAD_TRACEBACKS"):
                        print("\n".join(exc.stack_trace), file=sys.stderr)
            elif kind == "script_finished":
                if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue
                error = error or fwd.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR
                break
        if sliders or widgets is None:
            self.sliders = [s for s in sliders if not s[0].endswith(("lang_pick", "present_pick"))]
        if not fragment:
            self.metrics = metrics
        return time.perf_counter() - start, received, error

    async def move_a_slider(self, page: str, rng: random.Random) -> tuple[float, int, bool]:
        """Move a slider of the page shown, picked by `rng`, to a value a browser's slider can take
        (on its step grid), as a rerun of the slider's fragment. Returns what `rerun` does."""
        widget_id, low, high, step, fragment = rng.choice(self.sliders)
        value = low + step * rng.randint(0, round((high - low) / step))
        return await self.rerun(page, [(widget_id, value)], fragment=fragment)

    async def download(self, key: str) -> str:
        """Click the download button whose key ends with `key`: the server makes the file and
        answers with its URL (under /media/, in that process's memory). Returns the URL."""
        msg = BackMsg()
        request = msg.backend_operation_request
        request.request_id = f"download-{key}"
        request.session_id = self.session_id
        request.deferred_file.file_id = next(v for k, v in self.downloads.items() if k.endswith(key))
        await self.ws.send(msg.SerializeToString())
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(self.ws.recv(), timeout=60))
            response = fwd.backend_operation_response
            if fwd.WhichOneof("type") == "backend_operation_response" and response.request_id == request.request_id:
                if response.error_msg:
                    raise RuntimeError(response.error_msg)
                return response.deferred_file.url


def connect(target: int | str, cookie: str = ""):
    """A browser tab's websocket to the app, sending `cookie` (use with `async with`, or await it)."""
    base = base_url(target)
    return websockets.connect(
        "ws" + base.removeprefix("http") + "/_stcore/stream",
        subprotocols=[Subprotocol("streamlit")],
        max_size=None,
        origin=Origin(base),
        additional_headers={"Cookie": cookie} if cookie else None,
    )


async def open_session(target: int | str) -> Session:
    """A new tab: GET the page (keeping the cookies it sets), then its websocket with them."""
    _, _, cookie = await asyncio.to_thread(http_get, target, "/")
    return Session(await connect(target, cookie), cookie)


async def student(port: int | str, deadline: float, seed: int, results: list) -> None:
    rng = random.Random(seed)
    try:
        session = await open_session(port)
        async with session.ws:
            results.append(("home", *await session.rerun("")))
            while time.perf_counter() < deadline:
                page = rng.choice(PAGES)
                results.append(("visit", *await session.rerun(page)))
                for _ in range(3):
                    if not session.sliders or time.perf_counter() >= deadline:
                        break
                    results.append(("slider", *await session.move_a_slider(page, rng)))
                    await asyncio.sleep(rng.uniform(0.2, 1.0))  # a student reads before moving again
    except Exception as error:  # a dropped connection or a timeout is an error of the run
        results.append(("error", 0.0, 0, True))
        print(f"  session {seed}: {type(error).__name__}: {error}", file=sys.stderr)


HEAVY_QUERY = (
    "play.task=classification&play.model=mlp&play.hidden=64&play.steps=1000"
    "&play.losses.classification=bce_logits,multi_margin,soft_margin,cross_entropy"
)


async def heavy(port: int | str, deadline: float, results: list) -> None:
    """The costliest action, again and again: the playground run with Train pressed, sent as a full
    page run (not the fragment a browser would name), with the largest model and the most steps."""
    try:
        session = await open_session(port)
        async with session.ws:
            await session.rerun(PLAYGROUND.url, query=HEAVY_QUERY)
            train = next(v for k, v in session.buttons.items() if k.endswith("play.train"))
            while time.perf_counter() < deadline:
                results.append(("heavy", *await session.rerun(PLAYGROUND.url, query=HEAVY_QUERY, press=train)))
    except Exception as error:
        results.append(("error", 0.0, 0, True))
        print(f"  heavy session: {type(error).__name__}: {error}", file=sys.stderr)


def run_level(
    port: int | str, sessions: int, seconds: float, pid: int | Sequence[int] | None = None, with_heavy: bool = False
) -> dict:
    """Drive `sessions` students (and the heavy session) for `seconds`; `pid`: the server's process,
    or its processes (behind a balancer), whose CPU time is summed."""
    results: list = []
    pids = [] if pid is None else [pid] if isinstance(pid, int) else list(pid)

    def server_cpu() -> float:
        return sum(cpu_seconds(p) for p in pids) if pids else float("nan")

    cpu = server_cpu()
    client = time.process_time()
    start = time.perf_counter()
    deadline = start + seconds

    async def main():
        students = [student(port, deadline, seed, results) for seed in range(sessions)]
        await asyncio.gather(*students, *([heavy(port, deadline, results)] if with_heavy else []))

    asyncio.run(main())
    elapsed = time.perf_counter() - start
    cpu = server_cpu() - cpu
    client = time.process_time() - client
    trains = [r for r in results if r[0] == "heavy"]
    ok = [r for r in results if r[0] not in ("error", "heavy")]
    latencies = sorted(r[1] for r in ok)

    def p95(kind):
        times = sorted(r[1] for r in ok if r[0] == kind)
        return times[int(0.95 * (len(times) - 1))] * 1e3 if times else float("nan")

    loss_page = [r for r in ok if r[0] in ("visit", "slider")]
    return {
        "sessions": sessions,
        "seconds": elapsed,
        "reruns": len(ok),
        "per_second": len(loss_page) / elapsed,
        "median_ms": statistics.median(latencies) * 1e3 if latencies else float("nan"),
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] * 1e3 if latencies else float("nan"),
        "visit_p95_ms": p95("visit"),
        "move_p95_ms": p95("slider"),
        "kb_per_rerun": statistics.mean(r[2] for r in ok) / 1024 if ok else float("nan"),
        "errors": sum(1 for r in results if r[3]),
        "cpu_percent": 100 * cpu / elapsed,
        "client_cpu_percent": 100 * client / elapsed,
        "cpu_ms_per_rerun": 1e3 * cpu / len(ok) if ok else float("nan"),
        "trains": len(trains),
        "max_ms": latencies[-1] * 1e3 if latencies else float("nan"),
    }


def visit_every_page(port: int) -> int:
    """One session opens every page of the app (the memory target is after all pages were
    visited). Returns how many pages it opened."""

    async def visit():
        async with connect(port) as ws:
            session = Session(ws)
            await session.rerun("")
            for path in list(session.pages):
                await session.rerun(path)
            return len(session.pages)

    return asyncio.run(visit())
