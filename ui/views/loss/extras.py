"""The 2-D views of the loss pages: what a 1-D curve hides (planes of two inputs, both labels of
a pair, points and their gradients, each class's share)."""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from core import compute, geometry
from core.compare import Line
from ui.figures.geometry import bars_figure, plane_figure, triplet_figure, vectors_figure
from ui.figures.head import head_figure
from ui.figures.lines import lines_figure
from ui.kit.charts import show, show_in
from ui.kit.i18n import t

Sample = compute.Sample


def render(sample: Sample) -> None:
    """The page's 2-D view of the sliders' sample (validated: trusted here), for the losses that
    declare one (LossSpec.view)."""
    view = VIEWS.get(sample.spec.view)
    if view is None:
        return
    st.subheader(t("Geometry"))
    view(sample)


def _plane_labels(x: str, y: str, extra: str = "") -> dict:
    return {"x": x, "y": y, "loss": t("loss"), "extra": extra, "point": t("current")}


def _softmax_plane(sample: Sample) -> None:
    spec, values = sample.spec, sample.values
    index = values["target_kind"] == "index"
    plane = geometry.plane_of(sample, ("z0", "z1"), (-5.0, 5.0), extra=geometry.true_class_probability(index))
    # with class-probability targets there is no true class: the probability of the target's
    # most likely class (geometry.true_class_probability)
    probability = (
        t("softmax probability of the true class")
        if index
        else t("softmax probability of the target's most likely class")
    )
    show(plane_figure(plane, _plane_labels("z0", "z1", probability)), key=f"{spec.key}.plane")
    st.caption(
        t(
            "The loss and the {probability} over the logits z0 and z1, z2 fixed at {z2}. "
            "Label smoothing and class weights change the loss, not the probability.",
            probability=probability,
            z2=f"{values['z2']:g}",
        )
    )


def _log_prob_plane(sample: Sample) -> None:
    plane = geometry.plane_of(sample, ("x0", "x1"), (-6.0, 1.0))
    show(plane_figure(plane, _plane_labels("x0", "x1")), key=f"{sample.spec.key}.plane")
    st.caption(
        t("NLLLoss over its inputs x0 and x1: a plane, since it only picks −w_y·x_y (0 when y is ignore_index).")
    )


def _head_plane(sample: Sample) -> None:
    spec = sample.spec
    plane = geometry.head_plane_of(sample)
    classes = len(plane.weight)
    labels = {
        "x": "x0",
        "y": "x1",
        "loss": t("loss over the input x, the head fixed"),
        "point": t("current"),
        "boundary": t("class boundary"),
        "classes": [t("predicts {k}", k=c) for c in range(classes)],
        "arrows": [f"w{'₀₁₂₃₄₅₆₇₈₉'[c]}" for c in range(classes)],
    }
    show(head_figure(plane, labels), key=f"{spec.key}.head")
    text = [
        t(
            "Each arrow is a class's direction w_c, a row of the head's weight; the lines divide the plane by "
            "the class the head predicts, the one with the largest logit w_c·x + b_c. Label smoothing, class "
            "weights and ignore_index change the loss's contours, not these regions."
        )
    ]
    if plane.target is not None:
        text.append(t("The target class's arrow is the thicker one."))
    text.append(
        t(
            "At the current x the head predicts class {k}; the contours are torch's reduction='none' loss, {loss} "
            "here.",
            k=plane.point_class,
            loss=f"{plane.point_loss:.4g}",
        )
    )
    st.caption(" ".join(text))


def _ranking_planes(sample: Sample) -> None:
    spec, margin = sample.spec, sample.params["margin"]
    x = np.array([-3.0, 3.0])
    cols = st.columns(2)
    for col, y, edge in ((cols[0], 1, x - margin), (cols[1], -1, x + margin)):
        plane = geometry.plane_of(sample.but(values={"y": y}), ("x1", "x2"), (-3.0, 3.0))
        labels = _plane_labels("x1", "x2")
        labels["loss"] = f"y = {y:+d}"
        fig = plane_figure(plane, labels, lines=((t("margin"), x, edge),))
        show_in(col, fig, key=f"{spec.key}.plane{y:+d}")
    st.caption(
        t(
            "The loss over (x1, x2) for y = +1 and y = −1: zero beyond the dashed line, where x1 − x2 = margin "
            "(y = +1) or x2 − x1 = margin (y = −1), and growing by 1 per unit of x1 − x2 on the other side."
        )
    )


def _curves(sample: Sample) -> list[Line]:
    """The curve of each label, y = +1 and y = −1 (the code's own values: trusted)."""
    lines = []
    for y in (1, -1):
        c = compute.curve_of(sample.but(values={"y": y}))
        lines.append(Line(f"label{y:+d}", f"y = {y:+d}", c.x, c.loss, c.grad))
    return lines


def _distance_labels(sample: Sample) -> None:
    spec, params = sample.spec, sample.params
    labels = {"loss": t("loss"), "grad": t("gradient")}
    lines = _curves(sample)
    show(lines_figure(lines, {**labels, "x": t("distance x")}, point=params["margin"]), key=f"{spec.key}.both")
    st.caption(
        t(
            "Similar pairs (y = +1) pay their distance; dissimilar pairs (y = −1) pay until they are the "
            "margin apart (dotted)."
        )
    )


def _angle_labels(sample: Sample) -> None:
    spec, values, params, case = sample.spec, sample.values, sample.params, sample.case
    labels = {"loss": t("loss"), "grad": t("gradient")}
    left, right = st.columns([2, 3])
    show_in(
        left,
        vectors_figure(case.args["input1"][0].numpy(), case.args["input2"][0].numpy(), {"x1": "x₁", "x2": "x₂"}),
        key=f"{spec.key}.vectors",
    )
    edge = values["angle1"] + math.degrees(math.acos(params["margin"]))
    lines = _curves(sample)
    show_in(
        right, lines_figure(lines, {**labels, "x": t("direction of x₂ in degrees")}, point=edge), key=f"{spec.key}.both"
    )
    st.caption(
        t(
            "Only the angle between x₁ and x₂ matters, not their lengths, up to torch's guard: cos = x₁·x₂ / "
            "√((|x₁|² + 1e-12)(|x₂|² + 1e-12)), so a vector of length 0 counts as cos = 0. y = +1 pays 1 − cos; y = −1 pays cos − margin once the cosine exceeds the margin, "
            "i.e. within {angle}° of x₁ (dotted).",
            angle=f"{math.degrees(math.acos(params['margin'])):.0f}",
        )
    )


def _triplet(sample: Sample) -> None:
    spec, params = sample.spec, sample.params
    points = geometry.triplet_of(sample)
    p, eps = geometry.ring_norm_of(sample)
    ring = geometry.margin_rings(points, params["margin"], p, eps, params["swap"])
    names = {"anchor": t("anchor"), "positive": t("positive"), "negative": t("negative"), "ring": t("margin ring")}
    show(triplet_figure(points, ring, names, params["swap"]), key=f"{spec.key}.points")
    used = min(points.d_neg, points.d_swap) if params["swap"] else points.d_neg
    if not p:
        ring_text = t("The cosine distance depends only on the points' directions from the origin: no ring is drawn.")
    elif params["swap"]:
        ring_text = t(
            "A negative outside both dashed rings (radius d(a, p) + margin, around the anchor and around the "
            "positive) costs nothing."
        )
    else:
        ring_text = t("A negative outside the dashed ring (radius d(a, p) + margin) costs nothing.")
    st.caption(
        " ".join(
            (
                t(
                    "d(a, p) = {dp}, d(a, n) = {dn}, d(p, n) = {ds}; the loss uses {used} for the negative.",
                    dp=f"{points.d_pos:.3g}",
                    dn=f"{points.d_neg:.3g}",
                    ds=f"{points.d_swap:.3g}",
                    used=f"{used:.3g}",
                ),
                ring_text,
                t("Arrows: where gradient descent moves each point (autograd)."),
            )
        )
    )


def _bars(sample: Sample, true_classes) -> None:
    """Each class's score and its share of the loss; `true_classes(target row, C)` marks the true ones."""
    spec, case = sample.spec, sample.case
    shares = geometry.class_shares_of(sample)
    x = case.args["input"][0].numpy()
    targets = true_classes(case.args["target"], len(x))
    labels = {"scores": t("scores (true classes outlined)"), "shares": t("each class's share of the loss")}
    show(bars_figure(x, shares, [t("class {k}", k=k) for k in range(len(x))], targets, labels), key=f"{spec.key}.bars")
    st.caption(t("The shares add up to the loss torch gives for this sample: {total}.", total=f"{shares.sum():.6g}"))


def _index_target(target, classes: int) -> list[bool]:
    """MultiMarginLoss: one class index per sample."""
    return [k == int(target.reshape(-1)[0]) for k in range(classes)]


def _multi_hot_target(target, classes: int) -> list[bool]:
    """MultiLabelSoftMarginLoss: a 0/1 per class."""
    return [bool(v) for v in target[0].tolist()]


def _listed_target(target, classes: int) -> list[bool]:
    """MultiLabelMarginLoss: class indices up to the first -1, said in a caption."""
    row = target[0].tolist()
    read = row[: row.index(-1)] if -1 in row else row
    if -1 in row:
        st.caption(
            t(
                "The target {row} as torch reads it: classes {read}; everything after the first -1 {ignored} "
                "is ignored.",
                row=row,
                read=read,
                ignored=row[row.index(-1) + 1 :],
            )
        )
    else:
        st.caption(
            t("The target {row} as torch reads it: classes {read} (no -1: every entry is read).", row=row, read=read)
        )
    return [k in read for k in range(classes)]


# LossSpec.view -> the function that draws it, from the sliders' validated sample
VIEWS = {
    "softmax_plane": _softmax_plane,
    "log_prob_plane": _log_prob_plane,
    "head_plane": _head_plane,
    "ranking_planes": _ranking_planes,
    "distance_labels": _distance_labels,
    "angle_labels": _angle_labels,
    "triplet": _triplet,
    "class_shares_index": lambda sample: _bars(sample, _index_target),
    "class_shares_multi_hot": lambda sample: _bars(sample, _multi_hot_target),
    "class_shares_listed": lambda sample: _bars(sample, _listed_target),
}
