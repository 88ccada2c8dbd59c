"""Two Streamlit processes behind HAProxy (deploy/balancer.py), driven over Streamlit's own protocol:
20 sessions with no exception, each one's CSV download served through the balancer by the process
that made it (the sticky cookie), then one process killed mid-run: HAProxy's health check marks it
down, its sessions reconnect through the balancer to the other process and, since every view lives
in the URL, show the same values again.

Without Debian's haproxy this skips, unless LOSS_EXPLORER_REQUIRE_BROWSER=1 (CI) makes it fail."""

from __future__ import annotations

import asyncio
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from websockets import ConnectionClosed, InvalidStatus

from deploy.balancer import COOKIE, Balancer, start
from deploy.server import free_port
from deploy.sessions import Session, connect, http_get, open_session
from ui.kit.pages import of

SESSIONS = 20
PAGE = of("huber").url


def query(i: int) -> str:
    """Session i's view, as a shared link gives it: its own target, so its own curve, values and CSV
    (files are named by their content: the same CSV made in both processes would be in both)."""
    return f"huber.input=2&huber.delta=0.5&huber.target={-2 + 0.2 * i:.1f}"


CSV_KEY = ".csv"  # the first "Data as CSV" button of the page


@pytest.fixture(scope="module")
def balancer():
    if shutil.which("haproxy") is None:
        if os.environ.get("LOSS_EXPLORER_REQUIRE_BROWSER") == "1":
            pytest.fail("haproxy is required (LOSS_EXPLORER_REQUIRE_BROWSER=1) but not installed")
        pytest.skip("no haproxy: apt-get install -y haproxy (balancer test skipped)")
    running = start(2, free_port())
    yield running
    running.stop()


def server_of(cookie: str) -> str:
    """The server a Cookie header sticks to ("w1", "w2"; "" if none)."""
    pairs = dict(part.split("=", 1) for part in cookie.split("; ") if "=" in part)
    return pairs.get(COOKIE, "")


async def view(session: Session, i: int) -> list[str]:
    """Open session i's view; its metrics' values. No exception element may show."""
    _, _, error = await session.rerun(PAGE, query=query(i))
    assert not error, "the page showed an exception"
    assert session.metrics, "the page showed no metric"
    return session.metrics


async def reconnect(balancer: Balancer, session: Session) -> Session:
    """A browser's reconnect: a new websocket through the balancer with the same cookie jar, the
    cookie HAProxy sets on the handshake (a redispatch names the new server) kept. Like Streamlit's
    frontend, it tries again a few times, a moment apart."""
    for _ in range(10):
        try:
            ws = await connect(balancer.url, session.cookie)
            break
        except InvalidStatus as refused:
            print(f"reconnect refused: {refused}")
            await asyncio.sleep(0.3)
    else:
        raise AssertionError("no reconnect through the balancer in 10 attempts")
    new = ws.response.headers.get("Set-Cookie", "").split(";", 1)[0]
    return Session(ws, new or session.cookie)


async def wait_down(balancer: Balancer, name: str, timeout: float = 15) -> dict[str, str]:
    deadline = time.perf_counter() + timeout
    while (status := balancer.status())[name] != "DOWN" and time.perf_counter() < deadline:
        await asyncio.sleep(0.2)
    return status


async def scenario(balancer: Balancer) -> dict:
    sessions = [await open_session(balancer.url) for _ in range(SESSIONS)]
    before = [await view(s, i) for i, s in enumerate(sessions)]
    servers = [server_of(s.cookie) for s in sessions]

    downloads = []  # (status with its cookie, body, status with the other server's cookie)
    for s in sessions:
        url = await s.download(CSV_KEY)
        status, body, _ = http_get(balancer.url, url, s.cookie)
        other = "w2" if server_of(s.cookie) == "w1" else "w1"
        wrong, _, _ = http_get(balancer.url, url, f"{COOKIE}={other}")
        downloads.append((url, status, body, wrong))

    # mid-run: every session keeps rerunning its view while w1's process is killed
    stop_at = time.perf_counter() + 6
    reconnects = [0] * SESSIONS
    exceptions = [0] * SESSIONS

    async def keep_running(i: int) -> None:
        while time.perf_counter() < stop_at:
            try:
                _, _, error = await sessions[i].rerun(PAGE, query=query(i))
                exceptions[i] += error
            except ConnectionClosed:  # the websocket to the killed process
                await sessions[i].ws.close()
                sessions[i] = await reconnect(balancer, sessions[i])
                reconnects[i] += 1
            await asyncio.sleep(0.1)

    async def kill_w1() -> dict[str, str]:
        await asyncio.sleep(1)
        balancer.workers[0].kill()
        return await wait_down(balancer, "w1")

    *_, status = await asyncio.gather(*(keep_running(i) for i in range(SESSIONS)), kill_w1())
    after = [await view(s, i) for i, s in enumerate(sessions)]
    for s in sessions:
        await s.ws.close()
    return {
        "servers": servers,
        "cookies": [server_of(s.cookie) for s in sessions],
        "before": before,
        "after": after,
        "downloads": downloads,
        "reconnects": reconnects,
        "exceptions": exceptions,
        "status": status,
    }


def test_sessions_stick_and_survive_a_dead_process(balancer):
    first = [http_get(balancer.url, "/")[2] for _ in range(4)]
    assert {server_of(c) for c in first} == {"w1", "w2"}, first  # both processes take new tabs
    start_time = time.perf_counter()
    with ThreadPoolExecutor(1) as pool:  # own thread: Playwright's sync API may hold the main loop
        result = pool.submit(asyncio.run, asyncio.wait_for(scenario(balancer), 80)).result(timeout=90)
    print(f"scenario: {time.perf_counter() - start_time:.1f} s")

    # every session's CSV download comes from the process that made it, through the balancer
    for url, status, body, wrong in result["downloads"]:
        assert url.startswith("/media/") and url.endswith(".csv"), url
        assert status == 200, (url, status)
        assert body.count(b"\n") > 10 and b"," in body.splitlines()[0], body[:200]
        assert wrong == 404, (url, wrong)  # the other process never had it: stickiness is what serves it

    # the killed process is out of rotation; the other one still serves
    assert result["status"]["w1"] == "DOWN", result["status"]
    assert result["status"]["w2"].startswith("UP"), result["status"]
    # its sessions reconnected (through the balancer, to w2) and show the same view's values
    assert sorted(result["servers"]) == ["w1"] * (SESSIONS // 2) + ["w2"] * (SESSIONS // 2)  # round robin
    for server, reconnects in zip(result["servers"], result["reconnects"], strict=True):
        assert (reconnects > 0) == (server == "w1"), (server, reconnects)  # only the killed one's sessions
    assert result["cookies"] == ["w2"] * SESSIONS, result["cookies"]
    assert result["after"] == result["before"]
    assert len({tuple(m) for m in result["before"]}) == SESSIONS  # each its own view and values
    assert sum(result["exceptions"]) == 0
