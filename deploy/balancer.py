"""Several Streamlit processes behind HAProxy (Debian's `haproxy` package), for a machine with more
than one core: one Python process runs the app's scripts on one core, so N cores want N processes.

    python -m deploy --workers 2 --port 8501

Choices, each for a reason:

- **HAProxy in HTTP mode.** It passes a websocket's Upgrade through natively; `timeout tunnel`
  (1 h) then governs an open websocket, so a student who reads a page for a while keeps it;
  `timeout connect` (5 s), `client` and `server` (60 s) bound plain HTTP requests.
- **Stickiness by an inserted cookie** (`cookie SERVERID insert indirect nocache`, `cookie wN` per
  server), not by source IP: a lecture hall behind one NAT shares one IP and would all land on one
  process. A session's state, its websocket reconnects and its `st.download_button` files (kept in
  the memory of the process that made them, served under /media/) must reach the same process.
- **`option redispatch`**: a client whose cookie names a dead process goes to a live one (its
  view comes back, since every view lives in the URL's query parameters). `retry-on conn-failure
  empty-response` retries a request that met a process dying (refused, or closed without an
  answer) instead of answering 502: a reconnect at the moment of the kill met one 502 in 2 runs of
  tests/test_balancer.py without it, none in 3 with it.
- **Health checks on `/_stcore/health`** every second (down after 2 failures, up after 2
  successes): a dead process is taken out of rotation within about 2 s.
- **One cookie secret per launch, the same for every process** (`server.cookieSecret`): anything
  Streamlit signs in one process is accepted by another after a redispatch.
- **The balancer listens on every interface** by default (`--address`), the Streamlit processes on
  loopback only: a class reaches the app through HAProxy, never a process directly.
- **A stats socket** in the config's temporary directory: `show stat` tells which servers are up
  (the test reads it; so can an operator with `socat`).

The config is generated into a temporary directory from numbers only (ports, counts, paths this
module made), never from user text.
"""

from __future__ import annotations

import csv
import ipaddress
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from deploy.server import free_port, start_app

COOKIE = "SERVERID"
BACKEND = "streamlit"


def haproxy_binary() -> str:
    path = shutil.which("haproxy")
    if path is None:
        raise RuntimeError("haproxy is not installed: apt-get update && apt-get install -y haproxy")
    return path


def config(port: int, workers: list[int], stats_socket: Path, address: str = "127.0.0.1") -> str:
    """HAProxy's configuration: `address`:`port` in front, one server per worker port (w1, w2, ...).
    The address is parsed as an IPv4 address first: no other text reaches the file."""
    bind = ipaddress.IPv4Address(address)
    servers = "\n".join(
        f"    server w{i} 127.0.0.1:{p} cookie w{i} check inter 1s fall 2 rise 2"
        for i, p in enumerate(workers, start=1)
    )
    return f"""global
    maxconn 4096
    stats socket {stats_socket} mode 600 level admin

defaults
    mode http
    option redispatch
    retries 2
    retry-on conn-failure empty-response
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout tunnel 1h

frontend loss_explorer
    bind {bind}:{int(port)}
    default_backend {BACKEND}

backend {BACKEND}
    balance roundrobin
    cookie {COOKIE} insert indirect nocache
    option httpchk GET /_stcore/health
    http-check expect status 200
{servers}
"""


def show_stat(stats_socket: Path) -> dict[str, str]:
    """Each server's status as HAProxy sees it ("UP", "DOWN", "UP 1/2", ...), by name."""
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(5)
        s.connect(str(stats_socket))
        s.sendall(b"show stat\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    rows = csv.DictReader(data.decode().lstrip("# ").splitlines())
    return {r["svname"]: r["status"] for r in rows if r["pxname"] == BACKEND and r["svname"] != "BACKEND"}


@dataclass
class Balancer:
    """The running processes: `workers` (Streamlit, w1 first) and `haproxy`, in front on `port`."""

    port: int
    address: str
    workers: list[subprocess.Popen]
    haproxy: subprocess.Popen
    directory: Path
    _tmp: tempfile.TemporaryDirectory = field(repr=False)

    @property
    def url(self) -> str:
        """Where this machine reaches it (loopback when it listens on every interface)."""
        return f"http://{'127.0.0.1' if self.address == '0.0.0.0' else self.address}:{self.port}"

    @property
    def stats_socket(self) -> Path:
        return self.directory / "haproxy.sock"

    def status(self) -> dict[str, str]:
        return show_stat(self.stats_socket)

    def stop(self) -> None:
        """Stop HAProxy first (no new requests), then every worker; wait for each."""
        for process in [self.haproxy, *self.workers]:
            if process.poll() is None:
                process.terminate()
        for process in [self.haproxy, *self.workers]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._tmp.cleanup()


def start_workers(count: int, secret: str) -> tuple[list[subprocess.Popen], list[int]]:
    """`count` Streamlit processes on free loopback ports, started at once, each with `secret`."""
    env = {"STREAMLIT_SERVER_COOKIE_SECRET": secret}
    ports = [free_port() for _ in range(count)]
    with ThreadPoolExecutor(count) as pool:
        futures = [pool.submit(start_app, p, 120, env) for p in ports]
        processes: list[subprocess.Popen] = []
        errors: list[BaseException] = []
        for future in futures:
            try:
                processes.append(future.result())
            except RuntimeError as error:
                errors.append(error)
    if errors:
        for process in processes:
            process.kill()
        raise errors[0]
    return processes, ports


def wait_healthy(url: str, haproxy: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline and haproxy.poll() is None:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"haproxy did not answer on {url} (exit code {haproxy.poll()})")


def start(workers: int, port: int, address: str = "127.0.0.1") -> Balancer:
    """`workers` Streamlit processes (on loopback) behind HAProxy on `address`:`port` (0.0.0.0: every
    interface, for a class), returned once the balancer answers /_stcore/health on loopback. Call
    `stop()` when done."""
    binary = haproxy_binary()
    tmp = tempfile.TemporaryDirectory(prefix="loss-explorer-haproxy-")
    directory = Path(tmp.name)
    processes, ports = start_workers(workers, secrets.token_hex(32))
    cfg = directory / "haproxy.cfg"
    cfg.write_text(config(port, ports, directory / "haproxy.sock", address))
    log = (directory / "haproxy.log").open("wb")
    haproxy = subprocess.Popen([binary, "-db", "-f", str(cfg)], stdout=log, stderr=subprocess.STDOUT)
    balancer = Balancer(port, address, processes, haproxy, directory, tmp)
    try:
        wait_healthy(balancer.url, haproxy)
    except RuntimeError as error:
        output = (directory / "haproxy.log").read_text()[-2000:]
        balancer.stop()
        raise RuntimeError(f"{error}: {output}") from None
    return balancer
