"""Load benchmark: a class opening the app at once. Starts the app on a loopback port and drives N
concurrent sessions over Streamlit's own websocket protocol (BackMsg rerun requests with widget
states, reading ForwardMsgs until the script finishes), each session visiting a mix of pages and
moving sliders as a student would (deploy/sessions.py); bounded in time. Prints reruns per second, median and p95
latency, bytes per rerun, errors, the server's CPU and memory, and this client's CPU (it shares the
machine), for N = 1, 10 and 50.

    python -m bench.load [--seconds 20] [--sessions 1 10 50] [--heavy] [--workers N | --url URL]

--workers N starts `python -m deploy`'s setup instead of one process: N Streamlit processes behind
HAProxy (deploy/balancer.py), driven through the balancer; the server's CPU is then the sum over the
N processes (over 100 % when more than one core works), and HAProxy's CPU is printed apart.

--url drives an app already running there (e.g. `python -m deploy`'s balancer) instead of starting
one; the server's CPU and memory are then not measured (its processes are not this one's children).

--heavy adds, at each level, one more session that does the costliest thing the app allows over and
over: a crafted full-page run of the playground with Train pressed (a 1000-step MLP of 64 hidden
units under the four classification losses). The others' latencies then show whether one action
can hold the class (issue 11: no action may keep the others waiting more than about 0.5 s).
"""
from __future__ import annotations

import argparse

from deploy.balancer import start
from deploy.server import free_port, start_app
from deploy.sessions import PAGES, cpu_seconds, rss_mb, run_level, visit_every_page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--heavy", action="store_true", help="one more session pressing Train over and over")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, help="N Streamlit processes behind HAProxy (python -m deploy)")
    where.add_argument("--url", help="drive the app running at this base URL instead of starting one")
    args = parser.parse_args()
    port = free_port()
    server = balancer = None
    if args.workers:
        balancer = start(args.workers, port)
        target: int | str = balancer.url
        pids = [w.pid for w in balancer.workers]
    elif args.url:
        target, pids = args.url, []
    else:
        server = start_app(port)
        target, pids = port, [server.pid]
    try:
        setup = f"{args.workers} processes behind HAProxy at {target}" if balancer else f"app at {target}"
        print(f"{setup}; each level runs {args.seconds:g} s; pages: {', '.join(PAGES)}\n")
        print(
            "| sessions | reruns | loss-page reruns/s | median (ms) | p95 (ms) | p95 page visit (ms) "
            "| p95 slider move (ms) | KB per rerun | errors | server CPU (%) | CPU per rerun (ms) | server RSS (MB) "
            "| this client's CPU (%) | HAProxy CPU (%) | slowest (ms) | heavy Train runs |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for n in args.sessions:
            haproxy = cpu_seconds(balancer.haproxy.pid) if balancer else float("nan")
            r = run_level(target, n, args.seconds, pids or None, args.heavy)
            haproxy = 100 * (cpu_seconds(balancer.haproxy.pid) - haproxy) / r["seconds"] if balancer else float("nan")
            rss = sum(rss_mb(p) for p in pids) if pids else float("nan")
            print(
                f"| {n} | {r['reruns']} | {r['per_second']:.1f} | {r['median_ms']:.0f} | {r['p95_ms']:.0f} | "
                f"{r['visit_p95_ms']:.0f} | {r['move_p95_ms']:.0f} | "
                f"{r['kb_per_rerun']:.1f} | {r['errors']} | {r['cpu_percent']:.0f} | {r['cpu_ms_per_rerun']:.1f} | "
                f"{rss:.0f} | {r['client_cpu_percent']:.0f} | {haproxy:.0f} | {r['max_ms']:.0f} | {r['trains']} |",
                flush=True,
            )
        if server:
            pages = visit_every_page(port)
            print(f"\nserver RSS after a session opened all {pages} pages: {rss_mb(server.pid):.0f} MB")
    finally:
        if server:
            server.terminate()
            server.wait(timeout=20)
        if balancer:
            balancer.stop()


if __name__ == "__main__":
    main()
