"""Admission: how many page runs execute at once, and for how long one may keep the others waiting.

Streamlit runs each session's script in its own thread, and those threads share one interpreter
lock. When a whole class moves sliders at the same moment, 50 runs would interleave every few
milliseconds: each takes 50 times longer, the caches thrash, and every student waits for all of
them. Letting one run at a time and queueing the rest in order (the others wait here, holding
nothing) keeps each run short, so the queue drains faster: with 50 sessions, bench/load.py
measured more reruns per second and a lower p95 latency with one run at a time than with no limit
(README).

No run may hold the others for long: a turn has a deadline (LIMIT). A run that has held the turn
for longer loses it to the next waiter; it goes on running, only no longer alone, and its own
release later does not free the new holder's turn. Work that is long on purpose (the playground's
training) gives the turn back for its duration (`outside_turn`). (Torch's single thread is set at the
start of every run, in its thread: `ui/kit/startup.py`.)
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps

from ui.kit.startup import start

AT_ONCE = 1
LIMIT = 0.5  # seconds a run may keep the turn while others wait


class Turns:
    """One holder at a time, served in order of arrival; the holder is a thread (so a release by a
    thread that lost the turn is recognised and ignored); a waiter at the head of the queue takes
    the turn from a holder that has had it for `limit` seconds."""

    def __init__(self, limit: float = LIMIT) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._queue: deque[tuple[int, threading.Event]] = deque()
        self._holder: int | None = None
        self._since = 0.0

    def _grant(self, thread: int) -> None:
        """Make `thread` the holder; wake the new head of the queue to time the holder's deadline."""
        self._holder, self._since = thread, time.monotonic()
        if self._queue:
            self._queue[0][1].set()

    def acquire(self, timeout: float | None = None) -> bool:
        me, woken = threading.get_ident(), threading.Event()
        end = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            if self._holder is None and not self._queue:
                self._grant(me)
                return True
            self._queue.append((me, woken))
        while True:
            with self._lock:
                if self._holder == me:  # handed over by a release
                    return True
                now = time.monotonic()
                head = self._queue[0][0] == me
                if head and (self._holder is None or now - self._since >= self.limit):
                    self._queue.popleft()
                    self._grant(me)  # the holder keeps running, no longer alone
                    return True
                if end is not None and now >= end:
                    self._queue.remove((me, woken))
                    if self._queue:
                        self._queue[0][1].set()
                    return False
                wait = self._since + self.limit - now if head else None
                if end is not None:
                    wait = end - now if wait is None else min(wait, end - now)
                woken.clear()
            woken.wait(wait)

    def release(self) -> None:
        """Give the turn back, if this thread holds it (a run that lost it frees nothing)."""
        with self._lock:
            if self._holder != threading.get_ident():
                return
            self._holder = None
            if self._queue:
                thread, woken = self._queue.popleft()
                self._grant(thread)
                woken.set()

    def held(self) -> bool:
        """Whether this thread holds the turn now."""
        return self._holder == threading.get_ident()


_turns = Turns()
_holding = threading.local()


@contextmanager
def turn() -> Iterator[None]:
    """Wait for a turn, run, give it back. Re-entrant within a thread (a page run that draws its
    fragment already holds the turn, or held it and lost it to the deadline)."""
    if getattr(_holding, "turn", False):
        yield
        return
    _turns.acquire()
    _holding.turn = True
    try:
        yield
    finally:
        _holding.turn = False
        _turns.release()


@contextmanager
def outside_turn() -> Iterator[None]:
    """Within a turn, give it back for long work and wait for it again after. If the work is
    interrupted (Streamlit stops a run with an exception), the run ends without the turn."""
    if not getattr(_holding, "turn", False):
        yield
        return
    _turns.release()
    _holding.turn = False
    yield
    _turns.acquire()
    _holding.turn = True


def one_at_a_time(fn: Callable) -> Callable:
    """`fn` runs within a turn (for page renderers and fragments), after the run's thread is set up
    (`ui.kit.startup.start`: a fragment's rerun usually runs in a new thread, which no page's setup prepared)."""

    @wraps(fn)
    def run(*args, **kwargs):
        start()
        with turn():
            return fn(*args, **kwargs)

    return run
