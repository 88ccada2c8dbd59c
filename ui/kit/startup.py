"""What the server sets before a run computes anything: `start()`, called at the start of every run,
in the thread Streamlit made for it (by `ui.kit.layout.setup`, the first call of every page, and by
`ui.kit.admission.one_at_a_time`, which every page renderer and every fragment goes through).

Torch gets one thread: a run's tensors are small (at most a few thousand numbers), so its intra-op
pool never splits work, but its idle workers spun on the second core after every op, which the
server's event loop (sending every session its messages) needs.

The count is set again in every new thread. Streamlit runs each run (a page, or a fragment after a
slider move) in a thread of its own, and torch's OpenMP/MKL state is per thread: once the count
had been set in one thread, a new thread's first log or exp cost 4-7 ms of CPU (about 5 ms a run,
half of a slider move's CPU on this machine); set in the thread first, its first ops cost what they
do anywhere (tests/app/test_startup.py). Importing a module sets nothing: the tests and the
benchmarks choose their own thread count (bench/core.py --threads).
"""

from __future__ import annotations

import threading

import torch

THREADS = 1  # torch's intra-op threads in the server
_thread = threading.local()


def start() -> None:
    """Set torch's thread count in this thread, once per thread (runs of many sessions may call it at
    the same time, each in its own thread)."""
    if getattr(_thread, "started", False):
        return
    torch.set_num_threads(THREADS)
    _thread.started = True
