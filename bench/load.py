"""Load benchmark: a class opening the app at once. Starts the app on a loopback port and drives N
concurrent sessions over Streamlit's own websocket protocol (BackMsg rerun requests with widget
states, reading ForwardMsgs until the script finishes), each session visiting a mix of pages and
moving sliders as a student would (deploy/sessions.py); bounded in time. Prints reruns per second, median and p95
latency, bytes per rerun, errors and the server's memory, for N = 1, 10 and 50.

    python -m bench.load [--seconds 20] [--sessions 1 10 50] [--heavy] [--url http://127.0.0.1:8501]

--url drives an app already running there (e.g. `python -m deploy`'s balancer) instead of starting
one; the server's CPU and memory are then not measured (its processes are not this one's children).

--heavy adds, at each level, one more session that does the costliest thing the app allows over and
over: a crafted full-page run of the playground with Train pressed (a 1000-step MLP of 64 hidden
units under the four classification losses). The others' latencies then show whether one action
can hold the class (issue 11: no action may keep the others waiting more than about 0.5 s).
"""

from __future__ import annotations

import argparse

from deploy.server import free_port, start_app
from deploy.sessions import PAGES, rss_mb, run_level, visit_every_page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--heavy", action="store_true", help="one more session pressing Train over and over")
    parser.add_argument("--url", help="drive the app running at this base URL instead of starting one")
    args = parser.parse_args()
    port = free_port()
    server = None if args.url else start_app(port)
    target = args.url or port
    pid = server.pid if server else None
    try:
        print(
            f"app at {args.url or f'127.0.0.1:{port}'}; each level runs {args.seconds:g} s; pages: {', '.join(PAGES)}\n"
        )
        print(
            "| sessions | reruns | loss-page reruns/s | median (ms) | p95 (ms) | p95 page visit (ms) "
            "| p95 slider move (ms) | KB per rerun | errors | server CPU (%) | CPU per rerun (ms) | server RSS (MB) "
            "| this client's CPU (%) | slowest (ms) | heavy Train runs |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for n in args.sessions:
            r = run_level(target, n, args.seconds, pid, args.heavy)
            print(
                f"| {n} | {r['reruns']} | {r['per_second']:.1f} | {r['median_ms']:.0f} | {r['p95_ms']:.0f} | "
                f"{r['visit_p95_ms']:.0f} | {r['move_p95_ms']:.0f} | "
                f"{r['kb_per_rerun']:.1f} | {r['errors']} | {r['cpu_percent']:.0f} | {r['cpu_ms_per_rerun']:.1f} | "
                f"{rss_mb(pid) if pid else float('nan'):.0f} | {r['client_cpu_percent']:.0f} | {r['max_ms']:.0f} | {r['trains']} |",
                flush=True,
            )
        if server:
            pages = visit_every_page(port)
            print(f"\nserver RSS after a session opened all {pages} pages: {rss_mb(server.pid):.0f} MB")
    finally:
        if server:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
