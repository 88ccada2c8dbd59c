"""Memory over a long lecture: waves of sessions that open the app, use it and leave. Starts the app
on a loopback port; each wave opens N sessions at once (deploy/sessions.py: each GETs the page, opens
its websocket, runs the home page, visits a loss page and moves three of its sliders), then closes
them all; after a pause the server's RSS is read. Prints a row per wave, and how far the last wave's
RSS is from the first's (the target: within 10 %).

    python -m bench.waves [--waves 10] [--sessions 50] [--pause 5]

A closed session is not freed at once: Streamlit keeps a disconnected session for its reconnection
(`server.disconnectedSessionTTL`, 120 s by default) in a store of at most 128 sessions, the oldest
evicted first; so the server holds at most 128 closed sessions whatever the number of waves. The
table also shows the server's own count of active sessions (/_stcore/metrics) after each wave."""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import sys
import time
import urllib.request

from deploy.server import free_port, start_app
from deploy.sessions import PAGES, open_session, rss_mb


async def visit_and_leave(port: int, seed: int) -> bool:
    """One student: open the app, the home page, a loss page, three slider moves; then leave (the
    websocket closes). Returns whether every run ended without an error."""
    rng = random.Random(seed)
    try:
        session = await open_session(port)
        async with session.ws:
            errors = [(await session.rerun(""))[2]]
            page = rng.choice(PAGES)
            errors.append((await session.rerun(page))[2])
            for _ in range(3):
                errors.append((await session.move_a_slider(page, rng))[2])
        return not any(errors)
    except Exception as error:  # a dropped connection or a timeout
        print(f"  session {seed}: {type(error).__name__}: {error}", file=sys.stderr)
        return False


def active_sessions(port: int) -> int:
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/metrics", timeout=10).read().decode()
    match = re.search(r"^active_sessions (\d+)", text, re.M)
    return int(match.group(1)) if match else -1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--waves", type=int, default=10)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--pause", type=float, default=5, help="seconds between a wave's end and reading RSS")
    args = parser.parse_args()
    port = free_port()
    server = start_app(port)
    try:
        print(f"server RSS at start: {rss_mb(server.pid):.0f} MB; {args.sessions} sessions a wave\n")
        print("| wave | sessions ok | wave time (s) | active sessions after | server RSS (MB) |")
        print("|---:|---:|---:|---:|---:|")
        rss = []
        for wave in range(args.waves):
            start = time.perf_counter()

            async def one_wave(wave=wave):
                seeds = range(wave * args.sessions, (wave + 1) * args.sessions)
                return await asyncio.gather(*(visit_and_leave(port, seed) for seed in seeds))

            ok = sum(asyncio.run(one_wave()))
            elapsed = time.perf_counter() - start
            time.sleep(args.pause)
            rss.append(rss_mb(server.pid))
            print(
                f"| {wave + 1} | {ok} | {elapsed:.1f} | {active_sessions(port)} | {rss[-1]:.0f} |",
                flush=True,
            )
        change = 100 * (rss[-1] - rss[0]) / rss[0]
        print(f"\nRSS after the last wave vs after the first: {rss[-1]:.0f} / {rss[0]:.0f} MB ({change:+.1f} %; target ±10 %)")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
