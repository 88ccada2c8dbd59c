"""The compare page: losses of one family on shared axes, with their gradients."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import compare
from core.params import Choice, Float
from ui.figures.lines import lines_figure
from ui.kit import link, widgets
from ui.kit.admission import one_at_a_time
from ui.kit.charts import show
from ui.kit.i18n import t
from ui.kit.layout import header, setup
from ui.kit.share import share_and_reset

PREFIX = "cmp"
GROUP = Choice(
    "group",
    "regression",
    choices=compare.GROUPS,
    help="regression: against the residual; classification: against the margin y·f(x); probability: "
    "BCELoss on a sigmoid against BCEWithLogitsLoss.",
)
BETA = Float("beta", 1.0, low=0.05, high=3.0, step=0.05, help="SmoothL1Loss's beta.")
DELTA = Float("delta", 1.0, low=0.05, high=3.0, step=0.05, help="HuberLoss's delta.")
VAR = Float("var", 1.0, low=0.1, high=4.0, step=0.1, help="GaussianNLLLoss's fixed variance.")
OUTLIER = Float("outlier", 3.0, low=-4.0, high=4.0, step=0.1, help="A residual to price under each loss.")
LOW = Float("low", -150.0, low=-300.0, high=-10.0, step=5.0, help="The most negative logit shown.")
CONTROLS = (GROUP, BETA, DELTA, VAR, OUTLIER, LOW)
GROUP_TITLES = {"regression": "Regression", "classification": "Binary classification", "probability": "Probability"}


@one_at_a_time
def render() -> None:
    setup("Compare", "📊", owns=PREFIX)
    notices = widgets.seed(PREFIX, CONTROLS, {GROUP.name: GROUP_TITLES})
    header(
        t("Compare losses"),
        t(
            "Several losses on shared axes, each curve from the real torch module (the dotted 0-1 loss aside) "
            "and its gradient from autograd. The settings are in the link, like everywhere else."
        ),
        notices,
    )
    top = st.container()  # Share and Reset, filled once the controls are drawn
    group = widgets.param_input(PREFIX, GROUP, titles=GROUP_TITLES)
    if group == "regression":
        _regression()
    elif group == "classification":
        _classification()
    else:
        _probability()
    share_and_reset(PREFIX, t("The address bar always holds this link: every control of this page."), where=top)
    link.publish()


def _chosen(group: str, lines: list) -> list:
    """The losses the user keeps on the axes (all by default; the choice is in the link)."""
    keys = [line.key for line in lines]
    names = {line.key: line.title for line in lines}  # stable: the parameters are in the legend's labels
    kept = widgets.loss_picker(f"{PREFIX}.show.{group}", keys, keys, names, t("Choose the losses to overlay."))
    return [line for line in lines if line.key in kept] or lines[:1]


def _labels(x: str) -> dict:
    return {"x": x, "loss": t("loss"), "grad": t("gradient")}


def _regression() -> None:
    cols = st.columns(4)
    values = {}
    for col, p in zip(cols, (BETA, DELTA, VAR, OUTLIER), strict=True):
        with col:
            values[p.name] = widgets.param_input(PREFIX, p)
    lines = _chosen("regression", compare.regression(values["beta"], values["delta"], values["var"]))
    show(lines_figure(lines, _labels(t("residual ŷ − y")), point=values["outlier"]), key="cmp.regression")
    costs = compare.outlier_costs(values["outlier"], values["beta"], values["delta"], values["var"])
    st.markdown(t("What a residual of {r} costs under each loss:", r=f"{values['outlier']:g}"))
    st.dataframe(
        pd.DataFrame(
            {
                t("loss"): [line.label for line in lines],
                t("value"): [costs[line.key][0] for line in lines],
                t("gradient"): [costs[line.key][1] for line in lines],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    st.caption(
        t(
            "MSE's gradient grows with the residual, so one outlier can outweigh many small errors; L1, "
            "SmoothL1 and Huber cap it (at 1, 1 and delta). The Gaussian NLL at a fixed variance v is "
            "(log v + r²/v) / 2, a parabola like MSE: its gradient r/v grows without bound too."
        )
    )


def _classification() -> None:
    lines = _chosen("classification", compare.classification())
    show(lines_figure(lines, _labels(t("margin m = y·f(x)"))), key="cmp.classification")
    below = {key: f"{compare.below_zero_one(key):.2f}".replace("-", "−") for key in ("squared_hinge", "soft_margin")}
    st.caption(
        t(
            "Each loss is a convex surrogate of the dotted 0-1 loss (which is no torch loss and has no useful "
            "gradient), and only the hinge never drops below it: the squared hinge does on ({squared}, 0] and "
            "the logistic loss on ({logistic}, 0]. The hinge is zero beyond a margin of 1; the squared hinge "
            "is smooth there, and MultiMarginLoss divides it by the 2 classes; the logistic loss "
            "(SoftMarginLoss and BCEWithLogitsLoss: the same curve) never reaches zero.",
            squared=below["squared_hinge"],
            logistic=below["soft_margin"],
        )
    )


def _probability() -> None:
    low = widgets.param_input(PREFIX, LOW)
    lines = _chosen("probability", compare.probability(low=low))
    show(lines_figure(lines, _labels(t("logit x of a positive example"))), key="cmp.probability")
    st.caption(
        t(
            "BCELoss on a sigmoid stops at 100 below a logit of −100 (it clamps log p at −100). Its gradient "
            "fades long before, and the sigmoid is not the cause: BCELoss's backward divides by "
            "max(p(1 − p), 1e-12) instead of p(1 − p), so from a logit of {start} on the gradient falls away "
            "from −1, below 0.5 in size from {half} and below 0.001 from {milli}. BCEWithLogitsLoss stays "
            "exact: its gradient σ(x) − 1 tends to −1 and its loss to −x.",
            **compare.bce_fade(),
        )
    )
