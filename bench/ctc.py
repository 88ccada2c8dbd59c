"""Benchmark: the CTC lab's lattice (alpha, beta, occupancy, Viterbi, alignment count) against
torch.nn.functional.ctc_loss forward + backward on the same inputs, at several sizes; then the
lab page's rerun at its default sizes and the size of each of its figures.

    python -m bench.ctc [--repeat 20]
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch
import torch.nn.functional as F

from bench.core import time_ms
from core import ctc
from deploy.apptest import open_page
from ui.kit.pages import CTC_LAB

SIZES = ((50, 10, 6), (100, 20, 20), (200, 50, 30), (400, 100, 30))
TARGET_LATTICE_MS, TARGET_PAGE_MS, TARGET_KB = 20.0, 150.0, 150.0


def measure(frames: int, length: int, classes: int, repeat: int) -> str:
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(frames, classes, generator=g, dtype=torch.float64)
    labels = torch.randint(1, classes, (length,), generator=g).tolist()
    log_probs = logits.log_softmax(-1)

    def ours():
        return ctc.lattice(log_probs, labels, 0)

    def theirs():
        z = logits.clone().requires_grad_()
        loss = F.ctc_loss(
            z.log_softmax(-1)[:, None],
            torch.tensor([labels]),
            torch.tensor([frames]),
            torch.tensor([length]),
            reduction="sum",
        )
        loss.backward()
        return loss.item()

    equal = abs(ours().nll - theirs()) <= 1e-9 * max(1.0, abs(theirs()))
    count = time_ms(lambda: ctc.count_alignments(frames, labels, 0), repeat)
    return (
        f"| {frames} | {length} | {classes} | {time_ms(ours, repeat):.1f} | {count:.1f} | "
        f"{time_ms(theirs, repeat):.2f} | {'yes' if equal else '**no**'} |"
    )


def lattice_table(repeat: int) -> None:
    print("| T | S | C | lattice (ms) | of which count (ms) | F.ctc_loss fwd + bwd (ms) | −log p equal |")
    print("|---:|---:|---:|---:|---:|---:|:---:|")
    for frames, length, classes in SIZES:
        print(measure(frames, length, classes, repeat))


def page_table(repeat: int) -> None:
    at = open_page(CTC_LAB)
    samples = []
    for i in range(repeat + 2):
        at.slider(key="lab.sharpness").set_value(1.0 + (i % 5))
        start = time.perf_counter()
        at.run()
        if i >= 2:
            samples.append((time.perf_counter() - start) * 1e3)
    sizes = {chart.key: len(chart.proto.spec) / 1024 for chart in at.get("plotly_chart")}
    print(
        f"\nCTC lab page at its defaults (T = 8, target 'cab', N = 4): median rerun after a slider change "
        f"{statistics.median(samples):.1f} ms (target {TARGET_PAGE_MS:.0f})"
    )
    print("figures (KB): " + ", ".join(f"{k} {v:.1f}" for k, v in sizes.items()) + f" (target ≤ {TARGET_KB:.0f})")
    at = open_page(CTC_LAB, {"lab.source": "article", "lab.sequence": "0"})
    sizes = [len(chart.proto.spec) / 1024 for chart in at.get("plotly_chart")]
    print(f"the article's example (T = 50, C = 20, S up to 29): largest figure {max(sizes):.1f} KB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, float64, median of {args.repeat}\n")
    lattice_table(args.repeat)
    page_table(args.repeat)


if __name__ == "__main__":
    main()
