"""The training playground: a tiny model trained live under the losses the user picks, overlaid
so that what each loss does to the fit is visible. Training runs in a fragment with a progress
bar, animates every 10 steps, and keeps its results in this session only."""

from __future__ import annotations

import numpy as np
import streamlit as st
import torch

from core import training
from core.params import Param
from ui import widgets
from ui.admission import one_at_a_time
from ui.charts import show
from ui.figures import boundary_figure, fit_figure, history_figure
from ui.i18n import t
from ui.layout import header, setup

PREFIX = "play"
EVERY = 10
TASK = Param(
    "task",
    "choice",
    "regression",
    choices=("regression", "classification"),
    help="Fit a line or a curve to 1-D data, or separate two classes in the plane.",
)
MODEL = Param("model", "choice", "linear", choices=("linear", "mlp"), help="A linear model or a small MLP (tanh).")
HIDDEN = Param("hidden", "int", 16, low=2, high=64, step=2, help="The MLP's hidden units.")
LR = Param("lr", "float", 0.05, low=0.005, high=0.3, step=0.005, help="Adam's learning rate.")
STEPS = Param("steps", "int", 300, low=20, high=1000, step=10, help="Full-batch training steps.")
SEED = Param("seed", "int", 0, low=0, high=9999, step=1, help="The seed of the data and of the initial weights.")
OUTLIERS = Param("outliers", "float", 0.15, low=0.0, high=0.5, step=0.05, help="The fraction of points made outliers.")
SIZE = Param("size", "float", 6.0, low=0.0, high=15.0, step=0.5, help="How far an outlier is pushed up.")
DATASET = Param("data", "choice", "blobs", choices=("blobs", "moons"), help="Two Gaussian blobs or two moons.")
NOISE = Param("noise", "float", 0.0, low=0.0, high=0.4, step=0.05, help="The fraction of labels flipped.")
SHARE = Param("share", "float", 0.5, low=0.1, high=0.9, step=0.05, help="The share of class 1 (imbalance).")
POS_WEIGHT = Param("pos_weight", "float", 1.0, low=0.1, high=10.0, step=0.1, help="BCEWithLogitsLoss's pos_weight.")
SMOOTHING = Param(
    "label_smoothing", "float", 0.0, low=0.0, high=0.5, step=0.05, help="CrossEntropyLoss's label_smoothing."
)
BETA = Param("beta", "float", 1.0, low=0.1, high=3.0, step=0.1, help="SmoothL1Loss's beta.")
DELTA = Param("delta", "float", 1.0, low=0.1, high=3.0, step=0.1, help="HuberLoss's delta.")
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
LOSS_NAMES = {
    "l1": "L1Loss",
    "mse": "MSELoss",
    "smooth_l1": "SmoothL1Loss",
    "huber": "HuberLoss",
    "gaussian_nll": "GaussianNLLLoss",
    "bce_logits": "BCEWithLogitsLoss",
    "multi_margin": "MultiMarginLoss",
    "soft_margin": "SoftMarginLoss",
    "cross_entropy": "CrossEntropyLoss",
}
GRID = 41


@one_at_a_time
def render() -> None:
    setup("Playground", "🏋️")
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
    task = widgets.param_input(PREFIX, TASK)
    regression = task == "regression"
    choices = training.REGRESSION_LOSSES if regression else training.CLASSIFICATION_LOSSES
    default = ["l1", "mse", "huber"] if regression else ["bce_logits", "multi_margin"]
    losses = widgets.loss_picker(
        f"{PREFIX}.losses.{task}", choices, default, LOSS_NAMES, t("Choose the losses to train under.")
    )
    cols = st.columns(3)
    settings = {}
    data_controls = (OUTLIERS, SIZE, BETA, DELTA) if regression else (DATASET, NOISE, SHARE, POS_WEIGHT, SMOOTHING)
    for i, p in enumerate((MODEL, HIDDEN, LR, STEPS, SEED) + data_controls):
        with cols[i % 3]:
            settings[p.name] = widgets.param_input(PREFIX, p)
    if not losses:
        st.info(t("Choose at least one loss."))
        return
    _run(task, tuple(losses), settings)


def _data(task: str, s: dict):
    if task == "regression":
        data = training.regression_data(outlier_fraction=s["outliers"], outlier_size=s["size"], seed=s["seed"])
        grid = torch.linspace(-2.2, 2.2, 60, dtype=torch.float64)[:, None]
        return data, grid, None
    data = training.classification_data(s["data"], label_noise=s["noise"], positive_share=s["share"], seed=s["seed"])
    axis = torch.linspace(-3.0, 3.0, GRID, dtype=torch.float64)
    gy, gx = torch.meshgrid(axis, axis, indexing="ij")
    return data, torch.stack([gx.reshape(-1), gy.reshape(-1)], 1), axis.numpy()


@st.fragment
def _run(task: str, losses: tuple, settings: dict) -> None:
    data, grid, axis = _data(task, settings)
    config = (task, losses, tuple(sorted(settings.items())))
    runs = st.session_state.get(f"{PREFIX}.runs")
    go = st.button(t("Train"), type="primary", icon=":material/play_arrow:", key=f"{PREFIX}.train")
    chart, history, progress = st.empty(), st.empty(), st.empty()
    if go:
        runs = {"config": config, "snapshots": {}, "history": {}}
        st.session_state[f"{PREFIX}.runs"] = runs  # this session's state: no other session sees it
        st.button(t("Stop"), icon=":material/stop:", key=f"{PREFIX}.stop")  # a click interrupts the run
        options = {k: settings[k] for k in ("beta", "delta", "pos_weight", "label_smoothing") if k in settings}
        runners = {
            loss: training.train(
                data,
                loss,
                settings["model"],
                settings["lr"],
                settings["steps"],
                settings["hidden"],
                settings["seed"],
                EVERY,
                grid,
                options,
            )
            for loss in losses
        }
        bar = progress.progress(0.0, text=t("Training…"))
        for snapshots in zip(*runners.values(), strict=True):
            for loss, snap in zip(losses, snapshots, strict=True):
                runs["snapshots"][loss] = snap
                steps, values = runs["history"].setdefault(loss, ([], []))
                steps.append(snap.step)
                values.append(snap.loss)
            step = snapshots[0].step
            bar.progress(step / settings["steps"], text=t("Step {step} of {steps}", step=step, steps=settings["steps"]))
            _draw(task, data, grid, axis, runs, chart, history, animate=True)
        progress.empty()
    if runs and runs["config"] == config and runs["snapshots"]:
        _draw(task, data, grid, axis, runs, chart, history, animate=False)
        _summary(task, data, runs)
    elif runs and runs["snapshots"]:
        st.caption(t("The settings changed since the last run: press Train."))


def _draw(task, data, grid, axis, runs, chart, history, animate: bool) -> None:
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
    hist = history_figure(
        {LOSS_NAMES[k]: v for k, v in runs["history"].items()}, {"step": t("step"), "loss": t("training loss")}
    )
    # while animating, each frame replaces the last: no keys (a keyed chart cannot be drawn twice in a run)
    if animate:
        chart.plotly_chart(fig.for_streamlit())
        history.plotly_chart(hist.for_streamlit())
    else:
        with chart.container():
            show(fig, f"{PREFIX}.fit")
        with history.container():
            show(hist, f"{PREFIX}.history")


def _summary(task, data, runs) -> None:
    if task == "regression":
        rows = []
        for loss, snap in runs["snapshots"].items():
            grid = np.linspace(-2.2, 2.2, len(snap.prediction))
            slope = float(np.polyfit(grid, snap.prediction, 1)[0])
            rows.append(f"{LOSS_NAMES[loss]}: {t('slope')} {slope:.3f}")
        st.caption(t("True slope {s}. ", s=training.TRUE_SLOPE) + " · ".join(rows))
        return
    st.caption(" · ".join(f"{LOSS_NAMES[k]}: {t('loss')} {s.loss:.4f}" for k, s in runs["snapshots"].items()))
