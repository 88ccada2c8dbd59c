"""The 2-D views of the loss pages: what a 1-D curve hides (planes of two inputs, both labels of
a pair, points and their gradients, each class's share)."""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from core import compute, geometry
from core.compare import Line
from ui.charts import show, show_in
from ui.figures import bars_figure, lines_figure, plane_figure, triplet_figure, vectors_figure
from ui.i18n import t


def render(spec, values: dict, params: dict) -> None:
    """The page's 2-D view, for the losses that declare one (LossSpec.view)."""
    view = VIEWS.get(spec.view)
    if view is None:
        return
    st.subheader(t("Geometry"))
    view(spec, values, params)


def _plane_labels(x: str, y: str, extra: str = "") -> dict:
    return {"x": x, "y": y, "loss": t("loss"), "extra": extra, "point": t("current")}


def _logit_plane(spec, values, params) -> None:
    if spec.key == "cross_entropy":
        index = values["target_kind"] == "index"
        plane = geometry.plane(
            spec, values, params, ("z0", "z1"), (-5.0, 5.0), extra=geometry.true_class_probability(index)
        )
        labels = _plane_labels("z0", "z1", t("softmax probability of the true class"))
        caption = t(
            "The loss and the probability of the true class over the logits z0 and z1, z2 fixed at {z2}. "
            "Label smoothing and class weights change both live.",
            z2=f"{values['z2']:g}",
        )
    else:
        plane = geometry.plane(spec, values, params, ("x0", "x1"), (-6.0, 1.0))
        labels = _plane_labels("x0", "x1")
        caption = t("NLLLoss over its inputs x0 and x1: a plane, since it only picks −w_y·x_y.")
    show(plane_figure(plane, labels), key=f"{spec.key}.plane")
    st.caption(caption)


def _ranking_planes(spec, values, params) -> None:
    margin = params["margin"]
    x = np.array([-3.0, 3.0])
    cols = st.columns(2)
    for col, y, edge in ((cols[0], 1, x - margin), (cols[1], -1, x + margin)):
        plane = geometry.plane(spec, {**values, "y": y}, params, ("x1", "x2"), (-3.0, 3.0))
        labels = _plane_labels("x1", "x2")
        labels["loss"] = f"y = {y:+d}"
        fig = plane_figure(plane, labels, lines=((t("margin"), x, edge),))
        show_in(col, fig, key=f"{spec.key}.plane{y:+d}")
    st.caption(
        t(
            "The loss over (x1, x2) for y = +1 and y = −1: zero beyond the dashed line, a margin away from "
            "the diagonal x1 = x2."
        )
    )


def _curves(spec, values, params, field_label: str) -> list[Line]:
    lines = []
    for y in (1, -1):
        c = compute.curve(spec, {**values, "y": y}, params)
        lines.append(Line("hinge" if y == 1 else "l1", f"y = {y:+d}", c.x, c.loss, c.grad))
    return lines


def _both_labels(spec, values, params) -> None:
    labels = {"loss": t("loss"), "grad": t("gradient")}
    if spec.key == "hinge_embedding":
        lines = _curves(spec, values, params, "x")
        show(lines_figure(lines, {**labels, "x": t("distance x")}, point=params["margin"]), key=f"{spec.key}.both")
        st.caption(
            t(
                "Similar pairs (y = +1) pay their distance; dissimilar pairs (y = −1) pay until they are the "
                "margin apart (dotted)."
            )
        )
        return
    case = compute.sample_case(spec, values, params)
    left, right = st.columns([2, 3])
    show_in(
        left,
        vectors_figure(case.args["input1"][0].numpy(), case.args["input2"][0].numpy(), {"x1": "x₁", "x2": "x₂"}),
        key=f"{spec.key}.vectors",
    )
    edge = values["angle1"] + math.degrees(math.acos(params["margin"]))
    lines = _curves(spec, values, params, "angle2")
    show_in(
        right, lines_figure(lines, {**labels, "x": t("direction of x₂ in degrees")}, point=edge), key=f"{spec.key}.both"
    )
    st.caption(
        t(
            "Only the angle matters. y = +1 pays 1 − cos; y = −1 pays once the cosine exceeds the margin, "
            "i.e. within {angle}° of x₁ (dotted).",
            angle=f"{math.degrees(math.acos(params['margin'])):.0f}",
        )
    )


def _triplet(spec, values, params) -> None:
    points = geometry.triplet(spec, values, params)
    params = compute.check_params(spec, params)
    p = params.get("p", {None: 2.0, "l1": 1.0}.get(params.get("distance_function"), 0.0))
    ring = geometry.p_ball(points.anchor, points.d_pos + params["margin"], p) if p else np.zeros((0, 2))
    names = {"anchor": t("anchor"), "positive": t("positive"), "negative": t("negative"), "ring": t("margin ring")}
    show(triplet_figure(points, ring, names, params["swap"]), key=f"{spec.key}.points")
    used = min(points.d_neg, points.d_swap) if params["swap"] else points.d_neg
    st.caption(
        t(
            "d(a, p) = {dp}, d(a, n) = {dn}, d(p, n) = {ds}; the loss uses {used} for the negative. A negative "
            "outside the dashed ring (radius d(a, p) + margin) costs nothing. Arrows: where gradient descent "
            "moves each point (autograd).",
            dp=f"{points.d_pos:.3g}",
            dn=f"{points.d_neg:.3g}",
            ds=f"{points.d_swap:.3g}",
            used=f"{used:.3g}",
        )
    )


def _bars(spec, values, params) -> None:
    case = compute.sample_case(spec, values, params)
    shares = geometry.class_shares(spec, case, params)
    x = case.args["input"][0].numpy()
    target = case.args["target"][0] if spec.key != "multi_margin" else case.args["target"]
    if spec.key == "multi_margin":
        targets = [k == int(target[0]) for k in range(len(x))]
    elif spec.key == "multilabel_margin":
        row = target.tolist()
        read = row[: row.index(-1)] if -1 in row else row
        targets = [k in read for k in range(len(x))]
        ignored = row[row.index(-1) + 1 :] if -1 in row else []
        st.caption(
            t(
                "The target {row} as torch reads it: classes {read}; everything after the first -1 {ignored} "
                "is ignored.",
                row=row,
                read=read,
                ignored=ignored,
            )
        )
    else:
        targets = [bool(v) for v in target.tolist()]
    labels = {"scores": t("scores (true classes outlined)"), "shares": t("each class's share of the loss")}
    show(bars_figure(x, shares, [t("class {k}", k=k) for k in range(len(x))], targets, labels), key=f"{spec.key}.bars")
    st.caption(t("The shares add up to the loss torch gives for this sample: {total}.", total=f"{shares.sum():.6g}"))


# LossSpec.view -> the function that draws it
VIEWS = {
    "logit_plane": _logit_plane,
    "ranking_planes": _ranking_planes,
    "both_labels": _both_labels,
    "triplet": _triplet,
    "class_shares": _bars,
}
