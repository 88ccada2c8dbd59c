"""Benchmark: LinearCrossEntropyLoss's two paths, memory and time, for a few vocabularies V. The
same figures as the memory panel of its page (ui/views/loss/memory.py): core.memory's model at the
full size, and torch's profiler on this machine at the size the panel measures (the setting scaled
down by k), on one thread as the server runs torch.

    python -m bench.lce [--full]

--full also measures each setting up to V = 32768 at its full size (seconds and GBs per row), to set the model
against the profiler where the bytes are large.
"""

from __future__ import annotations

import argparse

import torch

from core import memory
from core.memory import Setting, bytes_text

TOKENS, HIDDEN = 4096, 256
VOCABS = (8192, 32768, 131072)
DTYPES = ("float32", "bfloat16")
FULL_V = 32768  # --full stops here: at V = 131072 the reference holds 6.4 GB, the bfloat16 loop takes minutes


def settings() -> list[Setting]:
    return [Setting(TOKENS, v, HIDDEN, dtype) for dtype in DTYPES for v in VOCABS]


def row(s: Setting) -> tuple[str, memory.Measurement]:
    """One line of the table: the model at `s`, the measurement at the panel's scaled size."""
    small, k = memory.scaled(s)
    m = memory.measure(small)
    cells = (
        f"{s.v}",
        s.dtype,
        bytes_text(memory.reference(s).peak),
        bytes_text(memory.chunked(s).peak),
        f"{small.n} × {small.v} × {small.d} (÷{k})",
        bytes_text(m.reference.peak),
        bytes_text(m.chunked.peak),
        bytes_text(m.reference.largest),
        bytes_text(m.chunked.largest),
        f"{m.reference.seconds * 1e3:.1f}",
        f"{m.chunked.seconds * 1e3:.1f}",
        f"{m.loss_gap:.1e}",
    )
    return "| " + " | ".join(cells) + " |", m


def full_row(s: Setting) -> str:
    m = memory.measure(s)
    cells = (
        f"{s.v}",
        s.dtype,
        bytes_text(memory.reference(s).peak),
        bytes_text(m.reference.peak),
        bytes_text(memory.chunked(s).peak),
        bytes_text(m.chunked.peak),
        f"{m.reference.seconds:.2f}",
        f"{m.chunked.seconds:.2f}",
        f"{m.loss_gap:.1e}",
    )
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full", action="store_true", help="also measure every setting at its full size")
    args = parser.parse_args()
    torch.set_num_threads(1)
    memory.measure(Setting(64, 256, 16, "float32"))  # the first chunked call imports torch._dynamo: not timed
    print(f"N = {TOKENS} tokens, d = {HIDDEN}; peaks of one forward and backward (x and W not counted).\n")
    print(
        "| V | dtype | model: reference | model: chunked | measured at N × V × d | reference peak | chunked peak "
        "| reference largest | chunked largest | reference CPU (ms) | chunked CPU (ms) | loss gap |"
    )
    print("|---:|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for s in settings():
        print(row(s)[0])
    if args.full:
        print("\nAt the full size:\n")
        print(
            "| V | dtype | model: reference | measured | model: chunked | measured | reference CPU (s) | chunked CPU (s) "
            "| loss gap |"
        )
        print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
        for s in settings():
            if s.v <= FULL_V:
                print(full_row(s))


if __name__ == "__main__":
    main()
