"""What the server sets before a run computes anything: `start()`, called at the start of every run,
in its thread (by `ui.kit.admission.one_at_a_time`, which every page renderer and every fragment goes
through).

Torch gets one thread: a run's tensors are small (at most a few thousand numbers), so its intra-op
pool never splits work, but its idle workers spun on the second core after every op, which the
server's event loop (sending every session its messages) needs. (Measured before the count was set
in every thread, below; not measured again since.)

The count is set again in every new thread: the counts torch sets for OpenMP and MKL belong to the
calling thread, and Streamlit usually runs a rerun (a page, or a fragment after a slider move) in a
new thread. Once the count had been set in one thread only, a new thread's log and exp of 501 × 3
float64 cost it 4-8 ms of CPU, mostly on the first call (probably OpenMP/MKL setting up for that
thread; the exact mechanism was not identified). In bench.moves that was 4.2 ms of KLDivLoss's slider
move (11.47 -> 7.23 ms), whose curve takes such a log; the other pages' moves changed by 0.1-0.4 ms.
Set in the thread first, the ops cost about what they cost when the count is never set
(tests/app/test_startup.py). Importing a module sets nothing: the tests and the benchmarks choose
their own thread count (bench/core.py --threads).
"""

from __future__ import annotations

import threading

import torch

THREADS = 1  # torch's intra-op threads in the server
_thread = threading.local()


def start() -> None:
    """Call torch.set_num_threads(THREADS) once in this thread: the OpenMP and MKL counts it sets are
    this thread's own (the process-wide value it also writes is the same every time, so runs of many
    sessions may call it at once)."""
    if getattr(_thread, "started", False):
        return
    torch.set_num_threads(THREADS)
    _thread.started = True
