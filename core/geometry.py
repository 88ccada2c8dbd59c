"""The 2-D views: a loss over a plane of two inputs (one batched torch call), the embedding
losses' points with their autograd gradients, and each class's share of the multi-class losses."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from core import compute
from core.spec import LossSpec

F64 = torch.float64


@dataclass(frozen=True)
class Plane:
    """The loss of one sample over a grid of two of its inputs (the others fixed)."""

    fields: tuple[str, str]
    x: np.ndarray  # (G,)
    y: np.ndarray  # (G,)
    loss: np.ndarray  # (G, G): rows follow y, columns x
    extra: np.ndarray | None  # e.g. the softmax probability of the true class, same shape
    point: tuple[float, float]


def plane(
    spec: LossSpec,
    values: dict,
    params: dict,
    fields: tuple[str, str],
    span: tuple[float, float],
    grid: int = 41,
    extra=None,
) -> Plane:
    """Torch's reduction='none' loss at every point of the grid; `extra(args)` adds a second quantity."""
    values, params = compute.check_values(spec, values), compute.check_params(spec, params)
    axis = torch.linspace(span[0], span[1], grid, dtype=F64)
    gy, gx = torch.meshgrid(axis, axis, indexing="ij")
    n = grid * grid
    cols = compute.columns(
        spec, [{p.name: values[p.name] for p in spec.inputs}], {p.name: values[p.name] for p in spec.options}
    )
    cols = {
        k: (v.expand(n).clone() if isinstance(v, torch.Tensor) else v * n if isinstance(v, list) else v)
        for k, v in cols.items()
    }
    cols[fields[0]], cols[fields[1]] = gx.reshape(-1), gy.reshape(-1)
    args = spec.build(cols, params)
    with torch.no_grad():
        loss = spec.module(**{**compute.torch_kwargs(spec, params), "reduction": "none"})(*args.values())
        more = extra(args).reshape(grid, grid).numpy() if extra else None
    return Plane(
        fields,
        axis.numpy(),
        axis.numpy(),
        loss.reshape(grid, grid).numpy(),
        more,
        (float(values[fields[0]]), float(values[fields[1]])),
    )


def true_class_probability(target_kind_index: bool):
    """softmax(z)_y for class-index targets; the probability of the most likely target class otherwise."""

    def extra(args):
        p = torch.softmax(args["input"], -1)
        if target_kind_index:
            return p.gather(-1, args["target"].unsqueeze(-1)).squeeze(-1)
        return p.gather(-1, args["target"].argmax(-1, keepdim=True)).squeeze(-1)

    return extra


@dataclass(frozen=True)
class Points:
    """The triplet: its points, distances and the gradient of the loss at each point (autograd)."""

    anchor: np.ndarray
    positive: np.ndarray
    negative: np.ndarray
    grads: dict[str, np.ndarray]
    d_pos: float
    d_neg: float
    d_swap: float  # d(positive, negative): used instead of d_neg when swap is on and it is smaller
    loss: float


def triplet(spec: LossSpec, values: dict, params: dict) -> Points:
    case = compute.sample_case(spec, values, params)
    result = compute.evaluate(spec, case, {**params, "reduction": "sum"})
    a, p, n = (case.args[k] for k in ("anchor", "positive", "negative"))
    dist = _distance(spec, compute.check_params(spec, params))
    return Points(
        a[0].numpy(),
        p[0].numpy(),
        n[0].numpy(),
        {k: v[0] for k, v in result.grads.items()},
        dist(a, p),
        dist(a, n),
        dist(p, n),
        float(result.value),
    )


def _distance(spec: LossSpec, params: dict):
    """The loss's own distance, from torch."""
    if spec.key == "triplet_margin":
        return lambda x, y: float(torch.nn.functional.pairwise_distance(x, y, p=params["p"], eps=params["eps"]))
    function = compute.torch_kwargs(spec, params)["distance_function"] or torch.nn.functional.pairwise_distance
    return lambda x, y: float(function(x, y))


def ring_norm(spec: LossSpec, params: dict) -> tuple[float, float]:
    """(p, eps) of the loss's distance ||x - y + eps||_p; p = 0 for the cosine distance (no ring)."""
    params = compute.check_params(spec, params)
    if spec.key == "triplet_margin":
        return float(params["p"]), float(params["eps"])
    # torch.pairwise_distance's and nn.PairwiseDistance's eps is 1e-6
    return {None: (2.0, 1e-6), "l1": (1.0, 1e-6)}.get(params["distance_function"], (0.0, 0.0))


def margin_rings(points: Points, margin: float, p: float, eps: float, swap: bool) -> np.ndarray:
    """Where a negative stops costing anything: outside the p-ball of radius d(a, p) + margin around
    the anchor (and, with swap, around the positive). torch's distance ||x - n + eps||_p is centred on
    x + eps. Rings are separated by a NaN row (a break in the line); none for p = 0."""
    if not p:
        return np.zeros((0, 2))
    radius = points.d_pos + margin
    centres = (points.anchor, points.positive) if swap else (points.anchor,)
    rings = [p_ball(c + eps, radius, p) for c in centres]
    gap = np.full((1, 2), np.nan)
    return np.concatenate([part for ring in rings for part in (ring, gap)][:-1])


def p_ball(center: np.ndarray, radius: float, p: float, points: int = 181) -> np.ndarray:
    """The p-norm circle of `radius` around `center`: where a negative stops costing anything."""
    angle = np.linspace(0, 2 * np.pi, points)
    unit = np.stack([np.cos(angle), np.sin(angle)], 1)
    norms = (np.abs(unit) ** p).sum(1) ** (1 / p)
    return center + radius * unit / norms[:, None]


def class_shares(spec: LossSpec, case, params: dict) -> np.ndarray:
    """Each class's share of the first sample's loss, by hand; they add up to torch's per-sample loss.

    MultiMargin: w_y · max(0, margin − x_y + x_j)^p / C for each j ≠ y; MultiLabelMargin: the sum over
    the true classes j of max(0, 1 − (x_j − x_k)) / C, given to each other class k; MultiLabelSoftMargin:
    each class's weighted logistic term / C."""
    params = compute.check_params(spec, params)
    c = case.args["input"].shape[-1]
    x = case.args["input"].reshape(-1, c)[0]
    # MultiMargin's target is a class per sample; the multi-label targets have a column per class
    target = (
        case.args["target"].reshape(-1)[:1] if spec.key == "multi_margin" else case.args["target"].reshape(-1, c)[0]
    )
    if spec.key == "multi_margin":
        y = int(target[0])
        w = 1.0 if params["weight"] is None else params["weight"][y]
        share = w * (params["margin"] - x[y] + x).clamp(min=0) ** params["p"] / c
        share[y] = 0.0
        return share.numpy()
    if spec.key == "multilabel_margin":
        row = target.tolist()
        labels = row[: row.index(-1)] if -1 in row else row
        share = torch.zeros(c, dtype=F64)
        for j in labels:
            for k in range(c):
                if k not in labels:
                    share[k] += (1 - (x[j] - x[k])).clamp(min=0) / c
        return share.numpy()
    w = torch.ones(c, dtype=F64) if params["weight"] is None else torch.tensor(params["weight"], dtype=F64)
    y = target.to(F64)
    logsig = torch.nn.functional.logsigmoid
    return (-w * (y * logsig(x) + (1 - y) * logsig(-x)) / c).numpy()
