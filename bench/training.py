"""Benchmark: the playground's default runs (300 steps, every loss of a task trained in lock step,
a snapshot every frame), single-threaded as on one core, and the longest step between two
animation frames — how long a training run computes without yielding; then the page's whole run,
and how long other page runs wait for the global turn while a Train runs.

    python -m bench.training
"""

from __future__ import annotations

import statistics
import threading
import time

import torch

from core import training
from ui.kit import admission
from ui.views.playground import FRAME_TIME, frame_every

RUNS = (
    ("regression, linear, L1 + MSE + Huber", "regression", ("l1", "mse", "huber"), "linear"),
    ("regression, MLP, L1 + MSE + Huber", "regression", ("l1", "mse", "huber"), "mlp"),
    ("classification, linear, BCE + MultiMargin", "blobs", ("bce_logits", "multi_margin"), "linear"),
    ("classification, MLP, all four losses", "moons", training.CLASSIFICATION_LOSSES, "mlp"),
)


def run(task: str, losses, model: str) -> tuple[float, float]:
    if task == "regression":
        data = training.regression_data(outlier_fraction=0.15)
        grid = torch.linspace(-2.2, 2.2, 60, dtype=torch.float64)[:, None]
    else:
        data = training.classification_data(task)
        axis = torch.linspace(-3.0, 3.0, 41, dtype=torch.float64)
        gy, gx = torch.meshgrid(axis, axis, indexing="ij")
        grid = torch.stack([gx.reshape(-1), gy.reshape(-1)], 1)
    runners = [training.train(data, loss, model, 0.05, 300, 16, 0, frame_every(300), grid) for loss in losses]
    start = last = time.perf_counter()
    longest = 0.0
    for _ in zip(*runners, strict=True):
        now = time.perf_counter()
        longest, last = max(longest, now - last), now
    return time.perf_counter() - start, longest


def main() -> None:
    torch.set_num_threads(1)
    every = frame_every(300)
    print(f"torch {torch.__version__}, 1 thread, float64, 300 steps, a frame every {every} steps\n")
    print("| run | total (s) | longest stretch between frames (ms) | ≤ 3 s |")
    print("|---|---:|---:|:---:|")
    for title, task, losses, model in RUNS:
        run(task, losses, model)  # warm
        total, longest = run(task, losses, model)
        print(f"| {title} | {total:.2f} | {longest * 1e3:.0f} | {'yes' if total <= 3 else '**no**'} |")
    page_run()
    others_wait()


def page_run() -> None:
    """The whole default run as the page does it (training, its animation frames paced at least
    FRAME_TIME apart, the final figures), timed through AppTest."""
    from deploy.apptest import open_page
    from ui.kit.pages import PLAYGROUND

    for query in ({}, {"play.task": "classification", "play.model": "mlp", "play.data": "moons"}):
        at = open_page(PLAYGROUND, query)
        at.button(key="play.train").click()
        start = time.perf_counter()
        at.run()
        task = query.get("play.task", "regression")
        print(
            f"\nthe page's default {task} run, Train pressed to the last frame (AppTest): "
            f"{time.perf_counter() - start:.2f} s (frames at least {FRAME_TIME * 1e3:.0f} ms apart)"
        )


def others_wait() -> None:
    """A Train pressed as a full-page rerun (as AppTest and a crafted message send it), 1000 steps of
    the MLP under four losses, while another thread asks for the global turn every 20 ms, as other
    sessions' runs do: how long each of those waited."""
    from deploy.apptest import open_page
    from ui.kit.pages import PLAYGROUND

    at = open_page(PLAYGROUND, {"play.task": "classification", "play.model": "mlp", "play.steps": "1000",
                          "play.losses.classification": "bce_logits"})  # fmt: skip
    at.multiselect(key="play.losses.classification").set_value(list(training.CLASSIFICATION_LOSSES)).run()
    at.button(key="play.train").click()
    train = threading.Thread(target=at.run)
    waits, start = [], time.perf_counter()
    train.start()
    while train.is_alive():
        asked = time.perf_counter()
        with admission.turn():
            waits.append(time.perf_counter() - asked)
        time.sleep(0.02)
    took = time.perf_counter() - start
    print(
        f"\nwhile a Train of {took:.2f} s ran (classification, MLP, 4 losses, 1000 steps), another run asked "
        f"for the turn {len(waits)} times: median wait {statistics.median(waits) * 1e3:.1f} ms, "
        f"longest {max(waits) * 1e3:.0f} ms (deadline {admission.LIMIT * 1e3:.0f} ms)"
    )


if __name__ == "__main__":
    main()
