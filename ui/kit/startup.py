"""What the server process sets once, before the first page runs: `start()`, called by every page's
`ui.kit.layout.setup` (the first run of the process does the work; the later calls return at once).

Torch gets one thread: a run's tensors are small (at most a few thousand numbers), so its intra-op
pool never splits work, but its idle workers spun on the second core after every op, which the
server's event loop (sending every session its messages) needs. Importing a module sets nothing:
the tests and the benchmarks choose their own thread count (bench/core.py --threads).
"""

from __future__ import annotations

import threading

import torch

THREADS = 1  # torch's intra-op threads in the server
_lock = threading.Lock()
_started = False


def start() -> None:
    """Set up the process for serving pages, once (sessions' first runs may call it at the same time)."""
    global _started
    if _started:
        return
    with _lock:
        if not _started:
            torch.set_num_threads(THREADS)
            _started = True
