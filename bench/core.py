"""Benchmark: for every loss, the median warm time of what a page does per rerun in core —
evaluate (every reduction + autograd) and the 500-point curve — at the slider defaults.

    python -m bench.core [--repeat 200] [--threads N]
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from core import compute
from core.catalog import LOSSES

TARGET_MS = 2.0


def time_ms(fn, repeat: int) -> float:
    for _ in range(5):  # warm up
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e3)
    return statistics.median(samples)


def page_work(spec):
    """What a loss page computes in core on a rerun at the slider defaults: evaluate, curve."""
    values = spec.defaults()

    def evaluate():
        compute.evaluate(spec, compute.sample_case(spec, values, {}), {})

    def curve():
        compute.curve(spec, values, {})

    return evaluate, curve


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--threads", type=int, default=None, help="torch.set_num_threads (default: torch's)")
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, median of {args.repeat} warm runs\n")
    print("| loss | evaluate (ms) | curve (ms) | points | evaluate + curve (ms) | ≤ 2 ms |")
    print("|---|---:|---:|---:|---:|:---:|")
    worst = 0.0
    for spec in LOSSES:
        evaluate, curve = page_work(spec)

        def both(evaluate=evaluate, curve=curve):
            evaluate()
            curve()

        e, c, total = time_ms(evaluate, args.repeat), time_ms(curve, args.repeat), time_ms(both, args.repeat)
        worst = max(worst, total)
        ok = "yes" if total <= TARGET_MS else "**no**"
        print(f"| {spec.title} | {e:.2f} | {c:.2f} | {spec.sweep.points} | {total:.2f} | {ok} |")
    print(f"\nworst: {worst:.2f} ms (target {TARGET_MS} ms)")


if __name__ == "__main__":
    main()
