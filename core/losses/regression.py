"""Regression losses: L1, MSE, SmoothL1 and Huber, on a prediction and a target."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from core.expr import N, absolute, each
from core.latex import num
from core.losses._common import number, reduce
from core.params import REDUCTION, Float
from core.presets import Draw, seeded
from core.spec import Fit, LossSpec, Preset, Sweep

INPUTS = (
    number("input", 0.7, -3.0, 3.0, "The prediction ŷ."),
    number("target", 0.2, -3.0, 3.0, "The true value y."),
)
BATCH = ({"input": 0.7, "target": 0.2}, {"input": -1.0, "target": 0.5}, {"input": 2.5, "target": 0.0})
SWEEP = Sweep("input", -3.0, 3.0, "prediction ŷ (target fixed)")
WRT = ("input", "target")


def _pair(cols, params):
    return {"input": cols["input"], "target": cols["target"]}


def _article(name: str) -> Preset:
    # The article: input and target are random 3 x 5 tensors.
    return Preset(
        "article",
        "Article example",
        make=seeded(0, input=Draw("randn", (3, 5)), target=Draw("randn", (3, 5))),
        note=f"{name} on random 3 x 5 input and target, as in the article.",
    )


OUTLIER = Preset(
    "outlier",
    "An outlier",
    values={"input": 3.0, "target": 0.0},
    note="A residual ŷ − y of 3: L1 charges 3 and MSE 3² = 9; SmoothL1 and Huber are on their linear part there "
    "(for every beta and delta up to 3), so they grow like L1. Compare what it costs under each regression loss.",
)


def _l1(a, p):
    return reduce((a["input"] - a["target"]).abs(), p["reduction"])


def _l1_terms(a, p):
    x, y = a["input"].reshape(-1), a["target"].reshape(-1)
    return each((x - y).abs(), lambda i: absolute(N(x[i]) - N(y[i])))


L1 = LossSpec(
    key="l1",
    fit=Fit("regression", lambda out, y, o: nn.L1Loss()(out[:, 0], y)),
    title="L1Loss",
    family="regression",
    module=nn.L1Loss,
    functional=F.l1_loss,
    params=(REDUCTION,),
    inputs=INPUTS,
    build=_pair,
    wrt=WRT,
    scratch=_l1,
    terms=_l1_terms,
    sweep=SWEEP,
    formula=r"\ell = |\hat y - y|",
    summary="Mean absolute error: every unit of error costs the same, so outliers pull gently.",
    notice="The gradient is ±1 wherever the prediction is off: a small error pulls as hard as a large one, and the slope jumps at zero.",
    batch=BATCH,
    presets=(_article("L1Loss"), OUTLIER),
)


def _mse(a, p):
    return reduce((a["input"] - a["target"]) ** 2, p["reduction"])


def _mse_terms(a, p):
    x, y = a["input"].reshape(-1), a["target"].reshape(-1)
    return each((x - y) ** 2, lambda i: (N(x[i]) - N(y[i])) ** 2)


MSE = LossSpec(
    key="mse",
    fit=Fit("regression", lambda out, y, o: nn.MSELoss()(out[:, 0], y)),
    title="MSELoss",
    family="regression",
    module=nn.MSELoss,
    functional=F.mse_loss,
    params=(REDUCTION,),
    inputs=INPUTS,
    build=_pair,
    wrt=WRT,
    scratch=_mse,
    terms=_mse_terms,
    sweep=SWEEP,
    formula=r"\ell = (\hat y - y)^2",
    summary="Mean squared error: the cost grows with the square of the error, so outliers dominate.",
    notice="The gradient is 2·(ŷ − y): it grows with the error, so one outlier can outweigh many small errors.",
    batch=BATCH,
    presets=(_article("MSELoss"), OUTLIER),
)

BETA = Float(
    "beta",
    1.0,
    low=0.0,
    high=3.0,
    step=0.05,
    help="Where the quadratic part ends: for |ŷ − y| < beta the loss is 0.5·(ŷ − y)²/beta; beta = 0 gives L1.",
)
DELTA = Float(
    "delta",
    1.0,
    low=0.05,
    high=3.0,
    step=0.05,
    help="Where the quadratic part ends; beyond it the loss grows linearly with slope delta.",
)


def _smooth_l1_elements(d, beta):
    ad = d.abs()
    if beta == 0:  # torch: beta = 0 is exactly L1
        return ad
    return torch.where(ad < beta, 0.5 * d**2 / beta, ad - 0.5 * beta)


def _smooth_l1(a, p):
    return reduce(_smooth_l1_elements(a["input"] - a["target"], p["beta"]), p["reduction"])


def _smooth_l1_terms(a, p):
    d = (a["input"] - a["target"]).reshape(-1)
    beta = p["beta"]
    loss = _smooth_l1_elements(d, beta)

    def line(i):
        ad = abs(float(d[i]))
        if beta == 0:  # torch: exactly L1
            return r"\beta = 0", N(ad)
        if ad < beta:
            return rf"|d| = {num(ad)} < \beta", 0.5 * N(ad) ** 2 / N(beta)
        return rf"|d| = {num(ad)} \ge \beta", N(ad) - 0.5 * N(beta)

    return each(loss, line)


SMOOTH_L1 = LossSpec(
    key="smooth_l1",
    fit=Fit("regression", lambda out, y, o: nn.SmoothL1Loss(beta=o.get("beta", 1.0))(out[:, 0], y)),
    overlay=("beta", (0.0, 0.5, 2.0)),
    title="SmoothL1Loss",
    family="regression",
    module=nn.SmoothL1Loss,
    functional=F.smooth_l1_loss,
    params=(REDUCTION, BETA),
    inputs=INPUTS,
    build=_pair,
    wrt=WRT,
    scratch=_smooth_l1,
    terms=_smooth_l1_terms,
    sweep=SWEEP,
    formula=r"\ell = \begin{cases} 0.5\,(\hat y - y)^2/\beta & |\hat y - y| < \beta \\ "
    r"|\hat y - y| - 0.5\,\beta & \text{otherwise} \end{cases}",
    summary="Quadratic for |ŷ − y| < beta, linear beyond: smooth at zero like MSE (for beta > 0), with L1's slope of ±1 "
    "for large errors.",
    notice="Inside |ŷ − y| < beta the curve is MSE scaled by 0.5/beta; outside it is L1 shifted down by beta/2. The "
    "gradient never exceeds 1 in size.",
    batch=BATCH,
    presets=(_article("SmoothL1Loss"), OUTLIER, Preset("beta0", "beta = 0 is L1", params={"beta": 0.0})),
    pitfall="For beta > 0, SmoothL1(beta) equals Huber(delta=beta) divided by beta at every error: the same shape, "
    "scaled by 1/beta (the same curve at beta = 1).",
)


def _huber_elements(d, delta):
    ad = d.abs()
    return torch.where(ad < delta, 0.5 * d**2, delta * (ad - 0.5 * delta))


def _huber(a, p):
    return reduce(_huber_elements(a["input"] - a["target"], p["delta"]), p["reduction"])


def _huber_terms(a, p):
    d = (a["input"] - a["target"]).reshape(-1)
    delta = p["delta"]
    loss = _huber_elements(d, delta)

    def line(i):
        ad = abs(float(d[i]))
        if ad < delta:
            return rf"|d| = {num(ad)} < \delta", 0.5 * N(ad) ** 2
        return rf"|d| = {num(ad)} \ge \delta", N(delta) * (N(ad) - 0.5 * N(delta))

    return each(loss, line)


HUBER = LossSpec(
    key="huber",
    fit=Fit("regression", lambda out, y, o: nn.HuberLoss(delta=o.get("delta", 1.0))(out[:, 0], y)),
    overlay=("delta", (0.25, 0.5, 2.0)),
    title="HuberLoss",
    family="regression",
    module=nn.HuberLoss,
    functional=F.huber_loss,
    params=(REDUCTION, DELTA),
    inputs=INPUTS,
    build=_pair,
    wrt=WRT,
    scratch=_huber,
    terms=_huber_terms,
    sweep=SWEEP,
    formula=r"\ell = \begin{cases} 0.5\,(\hat y - y)^2 & |\hat y - y| < \delta \\ "
    r"\delta\,(|\hat y - y| - 0.5\,\delta) & \text{otherwise} \end{cases}",
    summary="Quadratic near zero, linear with slope delta beyond: the gradient never exceeds delta.",
    notice="Inside |ŷ − y| < delta the curve is MSE/2; outside, lines of slope ±delta. The gradient is clipped at ±delta.",
    batch=BATCH,
    presets=(
        OUTLIER,
        Preset(
            "small_delta",
            "Small delta",
            params={"delta": 0.2},
            values={"input": 0.7, "target": 0.2},
            note="The error is larger than delta: the point sits on the linear part, where the gradient is clipped "
            "to ±delta and the loss is delta · (|ŷ − y| − delta/2).",
        ),
    ),
    pitfall="Huber(delta) = delta · SmoothL1(beta=delta) at every error: the same shape, scaled by delta (the same "
    "curve at delta = 1).",
)
