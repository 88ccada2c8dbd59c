"""Admission: how many page runs execute at once.

Streamlit runs each session's script in its own thread, and those threads share one interpreter
lock. When a whole class moves sliders at the same moment, 50 runs would interleave every few
milliseconds: each takes 50 times longer, the caches thrash, and every student waits for all of
them. Letting a few run at a time and queueing the rest (the others wait here, holding nothing)
keeps each run short, so the queue drains faster: with 50 sessions, bench/load.py measured more
reruns per second and a lower p95 latency with one run at a time than with no limit (README).

Runs that last long on purpose (the playground's training loop) do not take a turn.

Torch gets one thread: a run's tensors are small (at most a few thousand numbers), so its
intra-op pool never splits work, but its idle workers spun on the second core after every op,
which the server's event loop (sending every session its messages) needs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps

import torch

AT_ONCE = 1
_turns = threading.BoundedSemaphore(AT_ONCE)
_holding = threading.local()
torch.set_num_threads(1)


@contextmanager
def turn() -> Iterator[None]:
    """Wait for a turn, run, give it back. Re-entrant within a thread (a page run that draws its
    fragment already holds the turn)."""
    if getattr(_holding, "turn", False):
        yield
        return
    with _turns:
        _holding.turn = True
        try:
            yield
        finally:
            _holding.turn = False


def one_at_a_time(fn: Callable) -> Callable:
    """`fn` runs within a turn (for page renderers and fragments)."""

    @wraps(fn)
    def run(*args, **kwargs):
        with turn():
            return fn(*args, **kwargs)

    return run
