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
    return plane_of(compute.check(spec, values, params), fields, span, grid, extra)


def plane_of(
    sample: compute.Sample, fields: tuple[str, str], span: tuple[float, float], grid: int = 41, extra=None
) -> Plane:
    """`plane` for a sample (its values and parameters)."""
    spec, values, params = sample.spec, sample.values, sample.params
    axis = torch.linspace(span[0], span[1], grid, dtype=F64)
    gy, gx = torch.meshgrid(axis, axis, indexing="ij")
    n = grid * grid
    cols = compute.columns_of(sample)
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
    return triplet_of(compute.check(spec, values, params))


def triplet_of(sample: compute.Sample) -> Points:
    """The triplet of a sample: its points, their distances and the gradients of its summed loss."""
    spec, case = sample.spec, sample.case
    result = compute.evaluation_of(sample.reduced("sum"))
    a, p, n = (case.args[k] for k in ("anchor", "positive", "negative"))
    dist = _distance(spec, sample.params)
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


def _declared_distance(spec: LossSpec, params: dict):
    """LossSpec.distance for `params`: (the distance function, (p, eps)); a triplet view's loss
    declares one (tests/ui/test_views.py)."""
    assert spec.distance is not None, spec.title
    return spec.distance(params)


def _distance(spec: LossSpec, params: dict):
    """The loss's own distance, from torch (LossSpec.distance)."""
    return _declared_distance(spec, params)[0]


def ring_norm(spec: LossSpec, params: dict) -> tuple[float, float]:
    """(p, eps) of the loss's distance ||x - y + eps||_p; p = 0 for the cosine distance (no ring)."""
    return _declared_distance(spec, compute.check_params(spec, params))[1]


def ring_norm_of(sample: compute.Sample) -> tuple[float, float]:
    """`ring_norm` for a sample's parameters."""
    return _declared_distance(sample.spec, sample.params)[1]


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
    """Each class's share of the first sample's loss, by hand (LossSpec.shares); they add up to
    torch's per-sample loss (tests/claims/test_loss_page.py)."""
    return _shares(spec, case, compute.check_params(spec, params))


def class_shares_of(sample: compute.Sample) -> np.ndarray:
    """`class_shares` for a sample (its tensors, its parameters)."""
    return _shares(sample.spec, sample.case, sample.params)


def _shares(spec: LossSpec, case, params: dict) -> np.ndarray:
    c = case.args["input"].shape[-1]
    x = case.args["input"].reshape(-1, c)[0]
    target = case.args["target"]
    target = target.reshape(-1)[:1] if target.dim() <= 1 else target.reshape(-1, c)[0]
    assert spec.shares is not None, spec.title  # a class-shares view's loss declares them (tests/ui/test_views.py)
    return spec.shares(x, target, params).numpy()
