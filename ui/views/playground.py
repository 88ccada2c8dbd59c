"""The training playground: a tiny model trained live under the losses the user picks, overlaid
so that what each loss does to the fit is visible. The data shows at once; training animates every
10 steps under a progress bar and a Stop button, and keeps its results in this session only."""

from __future__ import annotations

import math
import threading
import time

import numpy as np
import streamlit as st
import torch

from core import training
from core.catalog import BY_KEY
from core.params import Choice, Float, Int, Param
from ui.figures.training import boundary_figure, fit_figure, history_figure
from ui.kit import link, widgets
from ui.kit.admission import one_at_a_time, outside_turn
from ui.kit.charts import CONFIG, show
from ui.kit.i18n import t
from ui.kit.layout import header, setup
from ui.kit.lecture import presenting
from ui.kit.share import share_and_reset

PREFIX = "play"
EVERY = 10  # steps between two frames, at least
FRAMES = 25  # frames of a run, at most (a browser draws a frame of both charts in ~50-150 ms)
FRAME_TIME = 0.12  # seconds between two frames, at least: the server must not run ahead of what the
# browser shows, or a Stop clicked at the step on screen lands many frames later
TASK = Choice(
    "task",
    "regression",
    choices=("regression", "classification"),
    help="Fit a line or a curve to 1-D data, or separate two classes in the plane.",
)
MODEL = Choice("model", "linear", choices=("linear", "mlp"), help="A linear model or a small MLP (tanh).")
HIDDEN = Int("hidden", 16, low=2, high=64, step=2, help="The MLP's hidden units.")
LR = Float("lr", 0.05, low=0.005, high=0.3, step=0.005, help="Adam's learning rate.")
STEPS = Int("steps", 300, low=20, high=1000, step=10, help="Full-batch training steps.")
SEED = Int("seed", 0, low=0, high=9999, step=1, help="The seed of the data and of the initial weights.")
OUTLIERS = Float("outliers", 0.15, low=0.0, high=0.5, step=0.05, help="The fraction of points made outliers.")
SIZE = Float("size", 6.0, low=0.0, high=15.0, step=0.5, help="How far an outlier is pushed up.")
DATASET = Choice("data", "blobs", choices=("blobs", "moons"), help="Two Gaussian blobs or two moons.")
NOISE = Float("noise", 0.0, low=0.0, high=0.4, step=0.05, help="The chance that each label is flipped.")
SHARE = Float("share", 0.5, low=0.1, high=0.9, step=0.05, help="The share of class 1 (imbalance).")
POS_WEIGHT = Float("pos_weight", 1.0, low=0.1, high=10.0, step=0.1, help="BCEWithLogitsLoss's pos_weight.")
SMOOTHING = Float(
    "label_smoothing", 0.0, low=0.0, high=0.5, step=0.05, help="CrossEntropyLoss's label_smoothing."
)
BETA = Float("beta", 1.0, low=0.1, high=3.0, step=0.1, help="SmoothL1Loss's beta.")
DELTA = Float("delta", 1.0, low=0.1, high=3.0, step=0.1, help="HuberLoss's delta.")
TASK_CONTROLS = {"regression": (OUTLIERS, SIZE), "classification": (DATASET, NOISE, SHARE)}
LOSS_OPTIONS = (BETA, DELTA, POS_WEIGHT, SMOOTHING)  # each a keyword of some losses' torch constructors
CONTROLS = (
    TASK,
    MODEL,
    HIDDEN,
    LR,
    STEPS,
    SEED,
    OUTLIERS,
    SIZE,
    DATASET,
    NOISE,
    SHARE,
    POS_WEIGHT,
    SMOOTHING,
    BETA,
    DELTA,
)
# the first optimizer of a process costs seconds of imports: made in the background when the page is
# first opened, not when the first Train is pressed (where it would stall the first frame)
threading.Thread(target=training.warm_up, daemon=True).start()
# the playground's loss keys are the catalog's: its names are the catalog's titles
LOSS_NAMES = {key: BY_KEY[key].title for key in training.REGRESSION_LOSSES + training.CLASSIFICATION_LOSSES}
GRID = 41
RUNS = f"{PREFIX}.runs"


@one_at_a_time
def render() -> None:
    setup("Playground", "🏋️", owns=PREFIX)
    notices = widgets.seed(PREFIX, CONTROLS)
    header(
        t("Training playground"),
        t(
            "A tiny model trained live under the losses you pick, side by side: see what "
            "a loss does to a fit. Training is deterministic for a seed, and runs in "
            "your session only."
        ),
        notices,
    )
    top = st.container()  # Share and Reset, filled once the controls are drawn
    task = widgets.param_input(PREFIX, TASK)
    regression = task == "regression"
    choices = training.REGRESSION_LOSSES if regression else training.CLASSIFICATION_LOSSES
    default = ["l1", "mse", "huber"] if regression else ["bce_logits", "multi_margin"]
    losses = widgets.loss_picker(
        f"{PREFIX}.losses.{task}", choices, default, LOSS_NAMES, t("Choose the losses to train under.")
    )
    shown = [p for p in (MODEL, HIDDEN, LR, STEPS, SEED, *TASK_CONTROLS[task], *LOSS_OPTIONS) if _applies(p, losses)]
    settings = {}
    for row in range(0, len(shown), 3):  # row by row: on a phone they stack in this order
        for col, p in zip(st.columns(3), shown[row : row + 3], strict=False):  # the last row may be short
            with col:
                settings[p.name] = widgets.param_input(PREFIX, p)
    share_and_reset(PREFIX, t("The address bar always holds this link: every control of this page."), where=top)
    link.publish()  # before training, which a click on Stop interrupts
    if not losses:
        st.info(t("Choose at least one loss."))
        return
    _run(task, tuple(losses), settings)


def _applies(p: Param, losses) -> bool:
    """Whether a control changes anything for the choices made (the others are not drawn; their
    state, from a link or an earlier choice, waits in the session for when they apply)."""
    if p is HIDDEN:
        return _value(MODEL) == "mlp"
    if p is SIZE:
        return _value(OUTLIERS) > 0
    if p in LOSS_OPTIONS:  # a chosen loss's torch constructor takes it
        return any(p.name in {q.name for q in BY_KEY[loss].params} for loss in losses)
    return True


def _value(p: Param):
    """A control's value at the start of the run (seeded from the link or the default)."""
    return widgets.value_of(st.session_state[widgets.key_of(PREFIX, p.name)])


def frame_every(steps: int) -> int:
    """Steps between two frames: every EVERY steps, fewer frames for long runs."""
    return EVERY * math.ceil(steps / (EVERY * FRAMES))


def _data(task: str, s: dict):
    if task == "regression":
        data = training.regression_data(
            outlier_fraction=s["outliers"], outlier_size=s.get("size", SIZE.default), seed=s["seed"]
        )
        grid = torch.linspace(-2.2, 2.2, 60, dtype=torch.float64)[:, None]
        return data, grid, None
    data = training.classification_data(s["data"], label_noise=s["noise"], positive_share=s["share"], seed=s["seed"])
    axis = torch.linspace(-3.0, 3.0, GRID, dtype=torch.float64)
    gy, gx = torch.meshgrid(axis, axis, indexing="ij")
    return data, torch.stack([gx.reshape(-1), gy.reshape(-1)], 1), axis.numpy()


def _run(task: str, losses: tuple, settings: dict) -> None:
    """Train (on a click), then show the last run or the data alone. Not a fragment: a click on Stop
    is then a rerun of the whole page, which Streamlit lets interrupt this run at its next frame
    (a fragment's click waits until a running fragment has finished)."""
    data, grid, axis = _data(task, settings)
    config = (task, losses, tuple(sorted(settings.items())))
    # progress and Stop beside Train, above the charts: in sight where the click was
    row = st.container(horizontal=True, vertical_alignment="center")  # buttons as wide as their text
    go = row.button(t("Train"), type="primary", icon=":material/play_arrow:", key=f"{PREFIX}.train")
    status, stop = row.empty(), row.empty()
    chart, history = st.empty(), st.empty()
    view = (task, data, grid, axis, chart, history)
    if go:
        _train(losses, settings, data, grid, config, status, stop, view)
    runs = st.session_state.get(RUNS)
    if runs and runs["config"] == config and runs["snapshots"]:
        _draw(view, runs, animate=False)
        if not runs["done"]:  # a click (Stop, or any other) interrupted it
            status.info(t("Stopped at step {step} of {steps}.", step=runs["step"], steps=runs["steps"]))
        _summary(task, runs)
        return
    _draw(view, {"snapshots": {}, "history": {}}, animate=False)  # the data, before any training
    if runs and runs["snapshots"]:
        status.caption(t("The settings changed since the last run: press Train."))


def _train(losses: tuple, settings: dict, data, grid, config, status, stop, view) -> None:
    """Train every loss in lock step, a frame every EVERY steps. The snapshots reached are kept in
    the session as they come: a run interrupted by a click leaves them for the next run to show."""
    steps = settings["steps"]
    runs = {"config": config, "snapshots": {}, "history": {}, "step": 0, "steps": steps, "done": False}
    st.session_state[RUNS] = runs  # this session's state: no other session sees it
    stop.button(t("Stop"), icon=":material/stop:", key=f"{PREFIX}.stop")  # its click interrupts the run
    bar = status.progress(0.0, text=t("Training…"))
    _draw(view, runs, animate=True)  # the data while the first frame is computed
    options = {p.name: settings[p.name] for p in LOSS_OPTIONS if p.name in settings}
    runners = [
        training.train(
            data,
            loss,
            settings["model"],
            settings["lr"],
            steps,
            settings.get("hidden", HIDDEN.default),
            settings["seed"],
            frame_every(steps),
            grid,
            options,
        )
        for loss in losses
    ]
    with outside_turn():  # long on purpose: the other sessions' runs go on meanwhile
        last = time.monotonic()
        for snapshots in zip(*runners, strict=True):
            time.sleep(max(0.0, last + FRAME_TIME - time.monotonic()))  # outside the turn: costs nobody
            last = time.monotonic()
            for loss, snap in zip(losses, snapshots, strict=True):
                runs["snapshots"][loss] = snap
                steps_seen, values = runs["history"].setdefault(loss, ([], []))
                steps_seen.append(snap.step)
                values.append(snap.loss)
            runs["step"] = snapshots[0].step
            bar.progress(runs["step"] / steps, text=t("Step {step} of {steps}", step=runs["step"], steps=steps))
            _draw(view, runs, animate=True)
    runs["done"] = True
    status.empty()
    stop.empty()


def _draw(view, runs, animate: bool) -> None:
    task, data, grid, axis, chart, history = view
    names = {LOSS_NAMES[k]: s.prediction for k, s in runs["snapshots"].items()}
    if task == "regression":
        truth = (training.TRUE_SLOPE * grid[:, 0] + training.TRUE_INTERCEPT).numpy()
        fig = fit_figure(
            data.x.numpy(),
            data.y.numpy(),
            data.outlier.numpy(),
            grid.numpy(),
            names,
            {"data": t("data"), "outliers": t("outliers"), "truth": t("true line")},
            truth,
        )
    else:
        fig = boundary_figure(data.x.numpy(), data.y.numpy(), axis, names, {"class": t("class")})
    hist = None
    if runs["history"]:
        hist = history_figure(
            {LOSS_NAMES[k]: v for k, v in runs["history"].items()}, {"step": t("step"), "loss": t("training loss")}
        )
    # while animating, each frame replaces the last: no keys (a keyed chart cannot be drawn twice in a run)
    if animate:
        if presenting():
            fig, hist = fig.presented(), hist and hist.presented()
        chart.plotly_chart(fig.for_streamlit(), config=CONFIG)
        if hist is not None:
            history.plotly_chart(hist.for_streamlit(), config=CONFIG)
        return
    with chart.container():
        show(fig, f"{PREFIX}.fit")
    if hist is not None:
        with history.container():
            show(hist, f"{PREFIX}.history")


def _summary(task, runs) -> None:
    if task == "regression":
        rows = []
        for loss, snap in runs["snapshots"].items():
            grid = np.linspace(-2.2, 2.2, len(snap.prediction))
            slope = float(np.polyfit(grid, snap.prediction, 1)[0])
            rows.append(f"{LOSS_NAMES[loss]}: {t('slope')} {slope:.3f}")
        st.caption(t("True slope {s}. ", s=training.TRUE_SLOPE) + " · ".join(rows))
        return
    st.caption(" · ".join(f"{LOSS_NAMES[k]}: {t('loss')} {s.loss:.4f}" for k, s in runs["snapshots"].items()))
