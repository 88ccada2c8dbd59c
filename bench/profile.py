"""Where a rerun's CPU goes: starts the app, drives N sessions (deploy/sessions.py, as bench/load.py
does) and records the server with py-spy meanwhile (`py-spy record --format raw --threads
--nonblocking`; py-spy leaves out threads it sees idle). Prints two Markdown tables: the server's
samples by the kind of work (the first rule below that any frame of a stack matches), and the script
threads' samples by the part of the loss page they ran under; each row's share of the samples and,
from the same window's server CPU per rerun, its milliseconds per rerun. Rough: on a saturated
machine py-spy also counts a thread that waits for a core as running, and stacks that stand in a
wait (WAITS) are counted apart and left out.

    python -m bench.profile [--sessions 50] [--seconds 20] [--rate 200] [--raw out.txt]

py-spy needs ptrace rights over the server (root, or CAP_SYS_PTRACE). GC: Python's collector runs
inside whatever frame allocated; py-spy (without --native) does not show it apart, and the
server's end-of-run gc.collect() is off (`postScriptGC = false`).
"""

from __future__ import annotations

import argparse
import collections
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from deploy.server import free_port, start_app
from deploy.sessions import run_level

SCRIPT_THREAD = "ScriptRunner.scriptThread"
# a stack whose innermost frame is one of these waits: py-spy (non-blocking) sometimes samples such
# a thread as running; these samples are counted apart and left out of the tables
WAITS = ("EpollSelector.select", "Condition.wait", "Queue.get", "sleep (")

UVLOOP = "uvloop's loop (C): its I/O and its epoll waits, not told apart"

# (row, substrings: a stack belongs to the row when any of its frames contains one), first match wins
KINDS: list[tuple[str, tuple[str, ...]]] = [
    ("figures: JSON encoding (plotly.io.to_json)", ("plotly/io/_json.py",)),
    ("figures: adapter (copy, base64 typed arrays)", ("ui/figures/adapter.py", "convert_to_base64")),
    ("figures: building the dicts (ui/figures)", ("(ui/figures/",)),
    ("wake the event loop, once per message (call_soon_threadsafe)", ("call_soon_threadsafe",)),
    (
        "legacy multipage: pages/ globbed and every page resolved on each full run",
        ("_create_page (", "_mpa_v1.<locals>.<listcomp>"),
    ),
    ("protobuf serialisation", ("serialize_forward_msg", "SerializeToString", "google/protobuf", "ByteSize")),
    ("ForwardMsg enqueue", ("forward_msg_queue", "_enqueue", "enqueue (")),
    ("core compute, torch", ("(core/", "(torch/")),
    (
        "Streamlit elements (delta generation, widgets, session state)",
        ("streamlit/delta_generator", "streamlit/elements/", "streamlit/runtime/state/"),
    ),
    ("our script's own Python (ui/, pages/)", ("(ui/", "(pages/", "(app.py")),
    ("websocket I/O (uvicorn, starlette, websockets)", ("uvicorn/", "starlette/", "(websockets/")),
    ("JSON, other", ("json/encoder.py", "json/decoder.py")),
    ("GC (visible frames)", ("gc.collect", "collect (")),
]

# the loss page's parts: the first frame of ours (ui/, core/) under _explorer, the fragment a slider
# move reruns; a page visit's setup, sidebar and header run under render
PARTS: list[tuple[str, tuple[str, ...]]] = [
    ("controls: preset picker, sliders, Sample (controls.py)", ("(ui/views/loss/controls.py",)),
    ("value: evaluation_of (core) + value panel", ("evaluation_of (", "value_panel (")),
    ("curve panel", ("curve_panel (",)),
    ("2-D views (extras.py)", ("(ui/views/loss/extras.py",)),
    ("the open tab: by hand, reductions, code, notice", ("<lambda> (ui/views/loss/page.py",)),
    ("extra panels (PANELS)", ("(ui/views/loss/panels.py",)),
    ("share popover", ("_share (",)),
]


def classify(frames: list[str], rules: list[tuple[str, tuple[str, ...]]], default: str) -> str:
    for row, needles in rules:
        if any(n in f for f in frames for n in needles):
            return row
    return default


def part_of(frames: list[str]) -> str:
    """The part of the page a script thread's sample ran under."""
    for i, frame in enumerate(frames):
        if frame.startswith("_explorer (ui/views/loss/page.py"):
            ours = [f for f in frames[i + 1 :] if "(ui/" in f or "(core/" in f]
            return classify(ours[:1], PARTS, "fragment, other (tabs container, begin_run, admission)")
    if any(f.startswith("render (ui/views/loss/page.py") for f in frames):
        return "page visit: setup, sidebar, header"
    if any("(app.py" in f or "(pages/" in f for f in frames):
        return "other pages (home, CTC, ...)"
    return "Streamlit around the script (thread, rerun handling)"


def parse(raw: str) -> tuple[collections.Counter, collections.Counter, int, int]:
    """Samples by (thread, kind), script threads' samples by part, the total less the waits, and
    the waits (a stack whose innermost frame is a wait)."""
    kinds: collections.Counter = collections.Counter()
    parts: collections.Counter = collections.Counter()
    total = waiting = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = stack.split(";")
        thread = frames[0]
        script = SCRIPT_THREAD in thread
        where = "script threads" if script else ("event loop" if "MainThread" in thread else "other threads")
        if frames[-1].startswith(WAITS):
            waiting += n
            continue
        # uvloop's loop is C: its I/O and its epoll waits show as the Python frame that started it
        kind = UVLOOP if frames[-1].startswith("Runner.run (") else classify(frames[1:], KINDS, "other")
        kinds[(where, kind)] += n
        total += n
        if script:
            parts[part_of(frames[1:])] += n
    return kinds, parts, total, waiting


def table(title: str, rows: list[tuple[str, int]], total: int, ms: float) -> str:
    out = [f"| {title} | samples | share | ms per rerun |", "|---|---:|---:|---:|"]
    for row, n in rows:
        out.append(f"| {row} | {n} | {100 * n / total:.1f} % | {ms * n / total:.2f} |")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=int, default=200)
    parser.add_argument("--raw", help="keep py-spy's raw samples in this file")
    args = parser.parse_args()
    spy = shutil.which("py-spy")
    if not spy:
        raise SystemExit("py-spy is not installed (pip install -r requirements-dev.txt)")
    port = free_port()
    server = start_app(port)
    out = Path(args.raw) if args.raw else Path(tempfile.mkdtemp()) / "samples.txt"
    try:
        run_level(port, 10, 5, server.pid)  # warm: imports, caches, every page of the mix opened once
        record = [spy, "record", "--pid", str(server.pid), "--rate", str(args.rate), "--duration"]
        record += [str(int(args.seconds)), "--format", "raw", "--threads", "--nonblocking", "-o", str(out)]
        result: dict = {}
        # the sessions start with py-spy and run for its whole duration
        driver = threading.Thread(
            target=lambda: result.update(run_level(port, args.sessions, args.seconds, server.pid))
        )
        spying = subprocess.Popen(record, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        driver.start()
        _, err = spying.communicate()
        driver.join()
        if spying.returncode:
            raise SystemExit(f"py-spy failed: {err.decode()[-1000:]}")
    finally:
        server.terminate()
        server.wait(timeout=20)
    r = result
    ms = r["cpu_ms_per_rerun"]
    print(
        f"{args.sessions} sessions, {args.seconds:g} s: {r['reruns']} reruns, {r['per_second']:.1f} loss-page reruns/s, "
        f"p95 {r['p95_ms']:.0f} ms, {r['errors']} errors, server CPU {r['cpu_percent']:.0f} %, "
        f"CPU per rerun {ms:.1f} ms (py-spy at {args.rate} Hz, non-blocking, on the same machine)\n"
    )
    kinds, parts, total, waiting = parse(out.read_text())
    if not total:
        raise SystemExit("py-spy recorded no samples")
    print(
        f"{total} samples of running threads (shares and ms below are of these); {waiting} more stood in a wait "
        "(select, Condition.wait), left out\n"
    )
    by_kind = sorted(kinds.items(), key=lambda kv: -kv[1])
    print(table("where (thread: kind of work)", [(f"{w}: {k}", n) for (w, k), n in by_kind], total, ms))
    script = sum(parts.values())
    print()
    print(table("script threads, by the part of the page", sorted(parts.items(), key=lambda kv: -kv[1]), total, ms))
    print(
        f"\nscript threads: {100 * script / total:.1f} % of the samples; the rest is the event loop and other threads"
    )


if __name__ == "__main__":
    main()
