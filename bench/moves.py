"""What one slider move and one page visit cost the server, with nothing else running: starts the
app, opens one session (deploy/sessions.py), and on each page moves a random slider of the page N
times in a row (after 30 moves to warm up), then visits the page N/4 times. Prints, per page, the
server's CPU per move (from /proc: all its threads) and its event loop's thread's share, and per
visit. For comparing two versions of the code, run to run, without the noise of 50 sessions.

    python -m bench.moves [--moves 300] [--pages HuberLoss CrossEntropyLoss ...]
"""

from __future__ import annotations

import argparse
import asyncio
import random

from deploy.server import free_port, start_app
from deploy.sessions import PAGES, cpu_seconds, open_session


async def measure(port: int, pid: int, page: str, moves: int) -> tuple[float, float, float]:
    """(ms of server CPU per move, of which the event loop's thread, ms per visit) on `page`."""
    session = await open_session(port)
    rng = random.Random(0)
    async with session.ws:
        await session.rerun("")
        await session.rerun(page)

        async def move(n: int) -> None:
            for _ in range(n):
                await session.move_a_slider(page, rng)

        await move(30)
        cpu, loop = cpu_seconds(pid), cpu_seconds(pid, pid)  # the main thread runs the event loop
        await move(moves)
        cpu, loop = cpu_seconds(pid) - cpu, cpu_seconds(pid, pid) - loop
        visits = max(1, moves // 4)
        visit = cpu_seconds(pid)
        for _ in range(visits):
            await session.rerun(page)
        visit = cpu_seconds(pid) - visit
    return 1e3 * cpu / moves, 1e3 * loop / moves, 1e3 * visit / visits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--moves", type=int, default=300)
    parser.add_argument("--pages", nargs="+", default=[p.strip("/") for p in PAGES], help="page addresses")
    args = parser.parse_args()
    print(f"one session; {args.moves} slider moves and {max(1, args.moves // 4)} visits a page; server CPU from /proc\n")
    print("| page | CPU per move (ms) | of which the event loop's thread (ms) | CPU per visit (ms) |")
    print("|---|---:|---:|---:|")
    for page in args.pages:
        port = free_port()
        server = start_app(port)  # a fresh server per page: one page's state does not weigh on the next
        try:
            move, loop, visit = asyncio.run(measure(port, server.pid, page, args.moves))
        finally:
            server.terminate()
            server.wait(timeout=20)
        print(f"| {page} | {move:.2f} | {loop:.2f} | {visit:.2f} |", flush=True)


if __name__ == "__main__":
    main()
