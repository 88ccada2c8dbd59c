"""A class at once: the real server under concurrent sessions (Streamlit's own protocol, no
browser) shows no exception from a cold start on (tests/test_admission.py: how runs take turns); the import that raced at
cold start is done before any figure exists."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from deploy.server import free_port, start_app
from deploy.sessions import run_level

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cold_server():
    port = free_port()
    process = start_app(port)
    yield port, process.pid
    process.terminate()
    process.wait(timeout=20)


def test_thirty_sessions_from_a_cold_start_see_no_exception(cold_server):
    # a fresh server: every session's first run imports and caches at the same moment (where a
    # race on pandas' import once showed an AttributeError in the page)
    port, pid = cold_server
    # in a thread of its own: Playwright's sync API (the browser tests) keeps an event loop running
    # in the main thread, where asyncio.run() refuses to start another
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(run_level, port, 30, 8, pid).result(timeout=120)
    assert result["errors"] == 0
    assert result["reruns"] >= 60  # every session opened home, then pages, and moved sliders
    assert result["per_second"] > 2


def test_pandas_is_imported_before_any_figure_is_made():
    code = "import sys, ui.figures.adapter; print('pandas' in sys.modules and hasattr(sys.modules['pandas'], 'Series'))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "True", done.stderr
