"""Run the app: one `streamlit run app.py` process on a loopback port, returned once
/_stcore/health says ok (the browser tests, the concurrency test and the load benchmark use it)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(port: int, timeout: float = 60, env: Mapping[str, str] | None = None) -> subprocess.Popen:
    """`streamlit run app.py` on 127.0.0.1:`port`, returned once /_stcore/health says ok. Its output
    goes to a temporary file (a pipe nobody reads would block the server once full). `env` adds
    environment variables (the balancer gives every process the same STREAMLIT_SERVER_COOKIE_SECRET:
    Streamlit refuses that option on the command line)."""
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + timeout
    while time.time() < deadline and process.poll() is None:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok":
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    log.seek(0)
    raise RuntimeError("streamlit did not become healthy: " + log.read().decode()[-2000:])
