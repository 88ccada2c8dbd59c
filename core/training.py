"""The training playground: small data sets made in code (seeded), small models, and a training
loop under a torch loss that yields snapshots to animate. Deterministic for a seed; nothing global
is touched (every random draw uses its own generator)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from core.catalog import BY_KEY, LOSSES
from core.spec import Fit

F64 = torch.float64
# the playground's losses of each task, in the order its pickers list them: every loss whose spec
# declares a `fit`, by its task
REGRESSION_LOSSES = ("l1", "mse", "smooth_l1", "huber", "gaussian_nll")
CLASSIFICATION_LOSSES = ("bce_logits", "multi_margin", "soft_margin", "cross_entropy")
for _task, _keys in (("regression", REGRESSION_LOSSES), ("classification", CLASSIFICATION_LOSSES)):
    assert set(_keys) == {s.key for s in LOSSES if s.fit is not None and s.fit.task == _task}, _task
TRUE_SLOPE, TRUE_INTERCEPT = 1.5, 0.5


@dataclass(frozen=True)
class Data:
    x: torch.Tensor  # (N, 1) or (N, 2)
    y: torch.Tensor  # (N,): values, or 0/1 labels
    outlier: torch.Tensor  # (N,) bool: which points were made outliers / had their label flipped


def regression_data(n: int = 80, outlier_fraction: float = 0.1, outlier_size: float = 6.0, seed: int = 0) -> Data:
    """y = 1.5 x + 0.5 + noise on x in [−2, 2]; a fraction of the points pushed up by `outlier_size`."""
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(n, 1, generator=g, dtype=F64) * 4 - 2
    y = TRUE_SLOPE * x[:, 0] + TRUE_INTERCEPT + 0.3 * torch.randn(n, generator=g, dtype=F64)
    outlier = torch.zeros(n, dtype=torch.bool)
    outlier[torch.randperm(n, generator=g)[: round(outlier_fraction * n)]] = True
    return Data(x, y + outlier_size * outlier, outlier)


def classification_data(
    dataset: str = "blobs", n: int = 120, label_noise: float = 0.0, positive_share: float = 0.5, seed: int = 0
) -> Data:
    """Two classes in the plane: two Gaussian blobs or two interleaved moons; `positive_share` of the
    points in class 1 (imbalance), then a fraction of the labels flipped (noise)."""
    g = torch.Generator().manual_seed(seed)
    positives = max(1, min(n - 1, round(positive_share * n)))
    y = torch.cat([torch.zeros(n - positives), torch.ones(positives)]).to(F64)
    if dataset == "moons":
        t = torch.rand(n, generator=g, dtype=F64) * math.pi
        upper = torch.stack([torch.cos(t), torch.sin(t)], 1)
        lower = torch.stack([1 - torch.cos(t), 0.5 - torch.sin(t)], 1)
        x = torch.where(y[:, None] == 1, lower, upper) + 0.12 * torch.randn(n, 2, generator=g, dtype=F64)
        x = (x - torch.tensor([0.5, 0.25], dtype=F64)) * 1.6
    else:
        centers = torch.tensor([[-1.0, -0.7], [1.0, 0.7]], dtype=F64)
        x = centers[y.long()] + 0.7 * torch.randn(n, 2, generator=g, dtype=F64)
    flipped = torch.rand(n, generator=g, dtype=F64) < label_noise
    return Data(x, torch.where(flipped, 1 - y, y), flipped)


def make_model(architecture: str, inputs: int, outputs: int, hidden: int = 16, seed: int = 0) -> nn.Module:
    """A linear model or a one-hidden-layer tanh MLP, initialised from its own generator."""
    model: nn.Module
    if architecture == "linear":
        model = nn.Linear(inputs, outputs)
    else:
        model = nn.Sequential(nn.Linear(inputs, hidden), nn.Tanh(), nn.Linear(hidden, outputs))
    model = model.to(F64)
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            fan_in = p.shape[-1] if p.dim() == 2 else 1
            p.copy_(torch.randn(p.shape, generator=g, dtype=F64) / math.sqrt(fan_in) * (0.1 if p.dim() == 1 else 1.0))
    return model


def _fit(loss: str) -> Fit:
    fit = BY_KEY[loss].fit
    assert fit is not None, f"{loss} is not in the playground"
    return fit


def outputs_for(loss: str) -> int:
    """How many numbers the model predicts per sample for this loss (its spec's `fit`)."""
    return _fit(loss).outputs


def loss_value(loss: str, out: torch.Tensor, y: torch.Tensor, options: dict) -> torch.Tensor:
    """The torch loss on the model's outputs: regression targets y, or 0/1 labels (its spec's `fit`)."""
    return _fit(loss).loss(out, y, options)


@dataclass(frozen=True)
class Snapshot:
    step: int
    loss: float
    prediction: np.ndarray  # regression: the fitted function on `grid`; classification: P(class 1) on it


def score(loss: str, out: torch.Tensor) -> torch.Tensor:
    """What the model says: the fitted value, or the probability of class 1."""
    if _fit(loss).task == "regression":
        return out[:, 0]
    if outputs_for(loss) == 2:
        return torch.softmax(out, -1)[:, 1]
    return torch.sigmoid(out[:, 0])


def train(
    data: Data,
    loss: str,
    architecture: str = "linear",
    lr: float = 0.05,
    steps: int = 300,
    hidden: int = 16,
    seed: int = 0,
    every: int = 10,
    grid: torch.Tensor | None = None,
    options: dict | None = None,
) -> Iterator[Snapshot]:
    """Full-batch Adam under `loss`, a snapshot (loss and the model on `grid`) every `every` steps."""
    options = options or {}
    model = make_model(architecture, data.x.shape[1], outputs_for(loss), hidden, seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    grid = data.x if grid is None else grid
    for step in range(1, steps + 1):
        optimizer.zero_grad()
        value = loss_value(loss, model(data.x), data.y, options)
        value.backward()
        optimizer.step()
        if step % every == 0 or step == steps:
            with torch.no_grad():  # left before the yield: grad mode is per thread, not per generator
                prediction = score(loss, model(grid)).numpy()
            yield Snapshot(step, value.item(), prediction)


def warm_up() -> None:
    """Make a first optimizer: torch.optim's first one imports torch._dynamo (about 3 s, once per process)."""
    torch.optim.Adam([torch.zeros(1, requires_grad=True)])
