"""The README's command for a lecture hall, as a lecturer types it: `python -m deploy --workers N
--port P` starts the processes behind HAProxy, answers through the balancer with its sticky cookie,
and SIGTERM (Ctrl-C's sibling, `docker stop`'s signal) stops every process it started. Wrong
arguments get a message, not a traceback.

Without Debian's haproxy the running part skips, unless LOSS_EXPLORER_REQUIRE_BROWSER=1 (CI)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

from deploy.balancer import COOKIE
from deploy.server import ROOT, free_port
from deploy.sessions import stat_fields


def _deploy(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "deploy", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if int(stat_fields(int(entry))[1]) == pid:
                    found.append(int(entry))
            except OSError:
                continue
    return found


def _alive(pid: int) -> bool:
    try:
        return stat_fields(pid)[0] != "Z"  # a zombie has exited
    except OSError:
        return False


@pytest.mark.parametrize(
    "args, message",
    [(["--workers", "0"], "--workers must be at least 1"), (["--address", "example.org"], "must be an IPv4 address")],
)
def test_wrong_arguments_get_a_message(args, message):
    process = _deploy(*args)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 2 and message in output and "Traceback" not in output


def test_the_readmes_command_serves_through_the_balancer_and_sigterm_stops_everything():
    if shutil.which("haproxy") is None:
        if os.environ.get("LOSS_EXPLORER_REQUIRE_BROWSER") == "1":
            pytest.fail("haproxy is required (LOSS_EXPLORER_REQUIRE_BROWSER=1) but not installed")
        pytest.skip("no haproxy: apt-get install -y haproxy")
    port = free_port()
    process = _deploy("--workers", "2", "--port", str(port), "--address", "127.0.0.1")
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # printed once the balancer answers
        assert f"2 Streamlit processes behind HAProxy at http://127.0.0.1:{port}" in line, line
        children = _children(process.pid)
        assert len(children) == 3  # two Streamlit processes and HAProxy
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as response:
            assert response.status == 200
            assert any(c.startswith(f"{COOKIE}=") for c in response.headers.get_all("Set-Cookie") or [])
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 128 + signal.SIGTERM
        deadline = time.time() + 10
        while any(_alive(c) for c in children) and time.time() < deadline:
            time.sleep(0.2)
        assert not any(_alive(c) for c in children), "a process outlived the command"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
