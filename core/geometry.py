"""The 2-D views: a loss over a plane of two inputs (one batched torch call), the embedding
losses' points with their autograd gradients, and each class's share of the multi-class losses."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from core import compute
from core.losses.classification import chunked_path
from core.params import Number
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
    args = spec.build(_columns_at(sample, fields, gx.reshape(-1), gy.reshape(-1)), params)
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


def _columns_at(sample: compute.Sample, fields: tuple[str, str], xs: torch.Tensor, ys: torch.Tensor):
    """The sample's columns repeated once per point, with `fields` set to the points' coordinates."""
    n = len(xs)
    cols = {
        k: (v.expand(n).clone() if isinstance(v, torch.Tensor) else v * n if isinstance(v, list) else v)
        for k, v in compute.columns_of(sample).items()
    }
    cols[fields[0]], cols[fields[1]] = xs, ys
    return cols


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


# ---------------------------------------------------------------- a linear head over the plane of its input


@dataclass(frozen=True)
class HeadPlane:
    """A linear head over the plane of its 2-D input x (LinearCrossEntropyLoss): torch's
    reduction='none' loss of the sample at every x of a grid, the class the head predicts there
    (the argmax of torch's logits x @ W.T + b), the boundaries between those classes, and the head's
    class directions w_c (the rows of W)."""

    x: np.ndarray  # (G,)
    y: np.ndarray  # (G,)
    loss: np.ndarray  # (G, G): rows follow y, columns x
    predicted: np.ndarray  # (G, G): the predicted class at each point
    weight: np.ndarray  # (C, 2): the class directions w_c
    bias: np.ndarray  # (C,): zeros without a bias
    # where the two largest logits tie: polylines (K, 2), NaN rows between pieces and off the boundary
    boundaries: np.ndarray
    # (C, 2): where to write each class's name, a point of its region in view clear of the lines, the
    # arrows and the current x (label_spots); NaN for a class predicted nowhere in view
    spots: np.ndarray
    point: tuple[float, float]
    point_loss: float  # torch's loss at the current x (the same call)
    point_class: int  # the class the head predicts at the current x
    target: int | None  # the target class of a class-index target; None for class probabilities


def head_plane_of(sample: compute.Sample, fields: tuple[str, str] = ("x0", "x1"), grid: int = 61) -> HeadPlane:
    """The head plane of a sample, over its inputs' declared range: one batched call of the real
    module (the way core/compute.py calls it, the head's weight and bias as its parameters) over the
    grid and the current point."""
    spec, values, params = sample.spec, sample.values, sample.params
    low, high = _declared_range(spec, fields)
    axis = torch.linspace(low, high, grid, dtype=F64)
    gy, gx = torch.meshgrid(axis, axis, indexing="ij")
    point = (float(values[fields[0]]), float(values[fields[1]]))
    xs = torch.cat([gx.reshape(-1), torch.tensor(point[:1], dtype=F64)])
    ys = torch.cat([gy.reshape(-1), torch.tensor(point[1:], dtype=F64)])
    args = spec.build(_columns_at(sample, fields, xs, ys), params)
    weight, bias = _head(spec, args)
    with torch.no_grad():
        loss = compute.forward(spec, _as_torch_runs(spec, {**params, "reduction": "none"}, args), args)
        predicted = F.linear(args["input"], weight, bias).argmax(-1)
    target = args["target"]
    n = grid * grid
    classes = predicted[:n].reshape(grid, grid).numpy()
    flat = torch.stack([gx.reshape(-1), gy.reshape(-1)], -1).numpy()
    boundaries = class_boundaries(weight, bias, (low, high))
    spots = label_spots(flat, classes.reshape(-1), weight.numpy(), boundaries, point, (low, high))
    return HeadPlane(
        axis.numpy(),
        axis.numpy(),
        loss[:n].reshape(grid, grid).numpy(),
        classes,
        weight.numpy(),
        (bias if bias is not None else torch.zeros(len(weight), dtype=F64)).numpy(),
        boundaries,
        spots,
        point,
        float(loss[n]),
        int(predicted[n]),
        None if target.is_floating_point() else int(target[0]),
    )


def label_spots(
    points: np.ndarray, classes: np.ndarray, weight: np.ndarray, boundaries: np.ndarray, point, span
) -> np.ndarray:
    """For each class, the grid point of its region farthest from what is drawn there: the region's
    boundaries, the arrows from the origin to each w_c, the current x and the square's edges. A name
    is wider than it is tall: horizontal distances count half. NaN for a class with no point."""
    low, high = span
    along = np.linspace(0.0, 1.0, 12)[:, None, None] * weight[None]  # points along each arrow
    finite = boundaries[np.isfinite(boundaries).all(1)]
    drawn = np.concatenate([finite[::8], along.reshape(-1, 2), np.asarray([point], dtype=float)])
    scale = np.array([0.5, 1.0])
    spots = np.full((len(weight), 2), np.nan)
    every = 1 + len(points) // 400  # a few hundred candidates are enough to place a name (and cheap)
    for c in range(len(weight)):
        mine = points[classes == c]
        if not len(mine):
            continue
        mine = mine[::every] if len(mine) > every else mine
        edges = np.minimum(mine - low, high - mine) * scale
        clear = np.sqrt(((((mine[:, None, :] - drawn[None]) * scale) ** 2).sum(-1)).min(1))
        spots[c] = mine[np.argmax(np.minimum(edges.min(1), clear))]
    return spots


def _declared_range(spec: LossSpec, fields: tuple[str, str]) -> tuple[float, float]:
    """The square that holds both inputs' declared ranges."""
    params = [p for p in spec.inputs if p.name in fields and isinstance(p, Number)]
    return min(p.low for p in params), max(p.high for p in params)


def _head(spec: LossSpec, args) -> tuple[torch.Tensor, torch.Tensor | None]:
    """The head's weight (C, in_features) and its bias (None without one): the arguments that are the
    module's own `weight` and `bias` (LossSpec.module_params)."""
    own = {path.rsplit(".", 1)[-1]: args.get(name) for name, path in spec.module_params.items()}
    weight = own["weight"]
    assert weight is not None, spec.title  # a head view's loss has a head (tests/ui/test_views.py)
    return weight, own.get("bias")


def class_boundaries(
    weight: torch.Tensor, bias: torch.Tensor | None, span: tuple[float, float], points: int = 801
) -> np.ndarray:
    """Where a head's predicted class changes, within the square `span`²: on the line where the
    logits of classes i and j are equal, (w_i − w_j)·x + b_i − b_j = 0, the points where no other
    class's logit (torch's) is larger. Polylines separated by NaN rows."""
    low, high = span
    b = bias if bias is not None else torch.zeros(len(weight), dtype=weight.dtype)
    reach = math.sqrt(2) * max(abs(low), abs(high))
    pieces = []
    for i in range(len(weight)):
        for j in range(i + 1, len(weight)):
            a, c = weight[i] - weight[j], b[i] - b[j]
            norm = float(a.norm())
            if norm < 1e-9:  # parallel: one class is above the other everywhere, or they tie everywhere
                continue
            foot = -c * a / norm**2  # the line's point nearest the origin
            along = torch.stack([-a[1], a[0]]) / norm
            t = torch.linspace(-reach - float(foot.norm()), reach + float(foot.norm()), points, dtype=weight.dtype)
            xy = foot + t[:, None] * along
            with torch.no_grad():
                logits = F.linear(xy, weight, bias)
            others = logits.clone()
            others[:, [i, j]] = -torch.inf
            top = torch.maximum(logits[:, i], logits[:, j])
            inside = ((xy >= low) & (xy <= high)).all(-1)
            on = inside & (top >= others.max(-1).values)
            line = xy.numpy().copy()
            line[~on.numpy()] = np.nan
            pieces += [line, np.full((1, 2), np.nan)]
    return np.concatenate(pieces[:-1]) if pieces else np.zeros((0, 2))


# ---------------------------------------------------------------- LinearCrossEntropyLoss(x) == CrossEntropyLoss(Linear(x))

# How close two float64 losses must be to count as the same number: this many machine epsilons
# at the values' size (max(1, |value|)); the chunked path sums in another order, a few ε apart.
ULPS = 16


@dataclass(frozen=True)
class Equality:
    """A head's loss computed twice by torch: fused (the loss's own module, on the sample's input x)
    and composed (nn.CrossEntropyLoss on the logits of an nn.Linear holding the same weight and
    bias), under the same weight, ignore_index, label_smoothing and reduction."""

    fused: np.ndarray  # the module's value (an array under reduction='none')
    composed: np.ndarray  # nn.CrossEntropyLoss(...)(nn.Linear(...)(x), target)
    difference: float  # the largest |fused − composed|; 0 where both are the same ∞ or NaN
    scale: float  # max(1, |composed|) over the finite values: the size the difference is measured at
    eps: float  # the machine epsilon of the values' dtype
    chunked: bool  # whether torch took its chunked path (options given, and usable for this case)

    @property
    def ulps(self) -> float:
        """The difference in machine epsilons at the values' size."""
        return self.difference / (self.eps * self.scale)

    @property
    def tolerance(self) -> float:
        return ULPS * self.eps * self.scale

    @property
    def agree(self) -> bool:
        return self.difference <= self.tolerance


def linear_equality(sample: compute.Sample) -> Equality:
    """The sample's loss from its module, and the same from nn.Linear then nn.CrossEntropyLoss."""
    spec, params, args = sample.spec, sample.params, sample.case.args
    kwargs = compute.torch_kwargs(spec, params)
    weight, bias = _head(spec, args)
    linear = torch.nn.Linear(weight.shape[1], weight.shape[0], bias=bias is not None, dtype=weight.dtype)
    with torch.no_grad():
        linear.weight.copy_(weight)
        if bias is not None:
            linear.bias.copy_(bias)
        fused = compute.forward(spec, _as_torch_runs(spec, params, args), args)
        ignore = kwargs["ignore_index"]
        criterion = torch.nn.CrossEntropyLoss(
            weight=kwargs["weight"],
            ignore_index=-100 if ignore is None else ignore,  # torch maps None to -100 for class indices
            reduction=kwargs["reduction"],
            label_smoothing=kwargs["label_smoothing"],
        )
        composed = criterion(linear(args["input"]), args["target"])
    a, b = fused.numpy(), composed.numpy()
    same = (a == b) | (np.isnan(a) & np.isnan(b))
    gap = np.where(same, 0.0, np.abs(a - b))
    finite = np.abs(b[np.isfinite(b)])
    return Equality(
        a,
        b,
        float(np.nan_to_num(gap, nan=np.inf).max(initial=0.0)),
        float(max(1.0, finite.max(initial=0.0))),
        float(torch.finfo(fused.dtype).eps),
        chunked_path(kwargs, args["target"]),
    )


def _as_torch_runs(spec: LossSpec, params: dict, args) -> dict:
    """The constructor's keywords, with options=None where torch would ignore them (it warns, then
    takes the reference path, chunked_path): the same computation, without a warning per call."""
    kwargs = compute.torch_kwargs(spec, params)
    if "options" in kwargs and not chunked_path(kwargs, args["target"]):
        kwargs["options"] = None
    return kwargs
