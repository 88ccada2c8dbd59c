"""`python -m deploy --workers N --port P`: N Streamlit processes of the app behind HAProxy on port P
(deploy/balancer.py says why each setting). Ctrl-C or SIGTERM stops them all."""

from __future__ import annotations

import argparse
import ipaddress
import os
import signal
import sys
import time
from types import FrameType

from deploy.balancer import start


def _stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="Streamlit processes (default: one per core)"
    )
    parser.add_argument("--port", type=int, default=8501, help="the balancer's port")
    parser.add_argument(
        "--address",
        default="0.0.0.0",
        help="the balancer's IPv4 address (default: every interface; 127.0.0.1: this machine only)",
    )
    args = parser.parse_args()
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        ipaddress.IPv4Address(args.address)
    except ValueError:
        parser.error(f"--address must be an IPv4 address, not {args.address!r}")
    try:
        balancer = start(args.workers, args.port, args.address)
    except RuntimeError as error:
        sys.exit(str(error))
    try:
        everywhere = " (every interface of this machine)" if args.address == "0.0.0.0" else ""
        processes = f"{args.workers} Streamlit process{'es' if args.workers > 1 else ''}"
        print(f"Loss Explorer: {processes} behind HAProxy at {balancer.url}{everywhere}", flush=True)
        while balancer.haproxy.poll() is None:
            time.sleep(1)
        sys.exit(f"haproxy exited with code {balancer.haproxy.returncode}")
    finally:
        balancer.stop()


if __name__ == "__main__":
    main()
