"""Several losses on shared axes: each curve from the real torch module (autograd for the
gradient), so that the shapes can be compared — the regression losses against the residual,
the binary classification losses as surrogates of the 0-1 loss against the margin y·f(x), and
BCELoss on a sigmoid against BCEWithLogitsLoss as the logit grows."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

F64 = torch.float64
GROUPS = ("regression", "classification", "probability")
POINTS = 500


@dataclass(frozen=True)
class Line:
    """One loss along the shared axis."""

    key: str  # stable: used for colours, links and tests
    label: str  # language-neutral: the torch call with its parameters (the legend)
    x: np.ndarray
    loss: np.ndarray
    grad: np.ndarray
    torch_loss: bool = True  # False for the 0-1 loss, the reference that is not a torch.nn loss
    name: str = ""  # what a picker shows: never changes with a parameter (the browser sends it back)
    # its colour as a slot of the figures' palette (ui/figures/base.PALETTE: 0 blue, 1 orange, 2 green,
    # 3 purple, 4 amber, 5 dark grey), kept whichever other lines are shown; None: its position
    color: int | None = None

    @property
    def title(self) -> str:
        return self.name or self.label


def _line(key: str, label: str, x: torch.Tensor, fn, name: str = "", color: int | None = None) -> Line:
    """`fn(x)` gives one loss per point (reduction='none'); its derivative comes from autograd."""
    x = x.detach().clone().requires_grad_()
    loss = fn(x)
    (grad,) = torch.autograd.grad(loss.sum(), x)
    return Line(key, label, x.detach().numpy(), loss.detach().numpy(), grad.numpy(), name=name, color=color)


def _regression(beta: float, delta: float, var: float, n: int) -> dict:
    """key -> (label, residual -> per-point loss) for the regression losses, target 0. The label
    carries the parameter; the name a picker shows is the class name before it."""
    zero = torch.zeros(n, dtype=F64)
    variance = torch.full((n,), var, dtype=F64)
    return {
        "l1": ("L1Loss", lambda r: nn.L1Loss(reduction="none")(r, zero)),
        "mse": ("MSELoss", lambda r: nn.MSELoss(reduction="none")(r, zero)),
        "smooth_l1": (f"SmoothL1Loss(beta={beta:g})", lambda r: nn.SmoothL1Loss(reduction="none", beta=beta)(r, zero)),
        "huber": (f"HuberLoss(delta={delta:g})", lambda r: nn.HuberLoss(reduction="none", delta=delta)(r, zero)),
        "gaussian_nll": (
            f"GaussianNLLLoss(var={var:g})",
            lambda r: nn.GaussianNLLLoss(reduction="none")(r, zero, variance),
        ),
    }


def regression(beta: float = 1.0, delta: float = 1.0, var: float = 1.0, span: float = 4.0) -> list[Line]:
    """L1, MSE, SmoothL1(beta), Huber(delta) and GaussianNLL at a fixed variance, against the
    residual ŷ − y (target 0)."""
    x = torch.linspace(-span, span, POINTS, dtype=F64)
    return [
        _line(key, label, x, fn, name=label.split("(")[0], color=i)
        for i, (key, (label, fn)) in enumerate(_regression(beta, delta, var, POINTS).items())
    ]


def outlier_costs(residual: float, beta: float = 1.0, delta: float = 1.0, var: float = 1.0) -> dict:
    """What one residual costs under each regression loss, and its gradient: {key: (loss, gradient)}."""
    x = torch.tensor([residual], dtype=F64)
    out = {}
    for key, (label, fn) in _regression(beta, delta, var, 1).items():
        point = _line(key, label, x, fn)
        out[key] = (float(point.loss[0]), float(point.grad[0]))
    return out


def _surrogates(n: int) -> dict:
    """key -> (label, margin -> per-point loss) for the surrogates of the 0-1 loss, each a torch module."""
    ones = torch.ones(n, dtype=F64)
    first = torch.zeros(n, dtype=torch.long)
    return {
        "hinge": (
            "HingeEmbeddingLoss(margin=1), input m, y=-1",
            lambda v: nn.HingeEmbeddingLoss(reduction="none", margin=1.0)(v, -ones),
        ),
        "squared_hinge": (
            "MultiMarginLoss(p=2), scores (m, 0), y=0",
            lambda v: nn.MultiMarginLoss(reduction="none", p=2)(torch.stack([v, torch.zeros_like(v)], -1), first),
        ),
        "soft_margin": ("SoftMarginLoss(m, y=1)", lambda v: nn.SoftMarginLoss(reduction="none")(v, ones)),
        "bce_logits": ("BCEWithLogitsLoss(m, y=1)", lambda v: nn.BCEWithLogitsLoss(reduction="none")(v, ones)),
    }


def classification(span: float = 3.0) -> list[Line]:
    """Surrogates of the 0-1 loss against the margin m = y·f(x), each from a torch module:
    hinge = HingeEmbeddingLoss(margin=1) at y = −1 with input m, i.e. max(0, 1 − m);
    squared hinge = MultiMarginLoss(p=2) on the two scores (m, 0) with the first class true: it
    divides by the C = 2 classes, as torch does; logistic = SoftMarginLoss(m, 1) and
    BCEWithLogitsLoss(m, 1), the same curve log(1 + e^(−m))."""
    m = torch.linspace(-span, span, POINTS, dtype=F64)
    zero_one = (m <= 0).to(F64)
    return [
        Line("zero_one", "0-1 loss", m.numpy(), zero_one.numpy(), np.zeros(POINTS), torch_loss=False, color=5),
        # hinge blue, squared hinge purple, logistic green and orange
        *(
            _line(key, label, m, fn, color=c)
            for (key, (label, fn)), c in zip(_surrogates(POINTS).items(), (0, 3, 2, 1), strict=True)
        ),
    ]


def below_zero_one(key: str) -> float | None:
    """Where the surrogate `key` drops below the 0-1 loss (which is 1 for m ≤ 0, 0 beyond): the margin
    m₀ < 0 such that it is below 1 on (m₀, 0], by bisection on the torch module; None if it never is
    (it is ≥ 1 at m = 0, and every surrogate falls as m grows)."""
    _, fn = _surrogates(1)[key]
    value = lambda m: float(fn(torch.tensor([m], dtype=F64))[0])  # noqa: E731
    if value(0.0) >= 1.0:
        return None
    low, high = -10.0, 0.0  # value(low) > 1 for every surrogate drawn
    for _ in range(60):
        mid = (low + high) / 2
        low, high = (mid, high) if value(mid) >= 1.0 else (low, mid)
    return high


def probability(low: float = -150.0, high: float = 10.0) -> list[Line]:
    """BCELoss on sigmoid(x) against BCEWithLogitsLoss on x, label 1, as the logit x goes very negative.
    BCELoss's backward divides by max(p (1 − p), 1e-12), so below x ≈ −27.6 its gradient through the
    sigmoid fades (`bce_gradient_below`) while the loss is still −x; below −100 its clamp of log p stops
    the loss at 100."""
    x = torch.linspace(low, high, POINTS, dtype=F64)
    ones = torch.ones(POINTS, dtype=F64)
    return [
        _line(
            "bce", "BCELoss(sigmoid(x), 1)", x, lambda v: nn.BCELoss(reduction="none")(torch.sigmoid(v), ones), color=0
        ),
        _line(
            "bce_logits",
            "BCEWithLogitsLoss(x, 1)",
            x,
            lambda v: nn.BCEWithLogitsLoss(reduction="none")(v, ones),
            color=1,
        ),
    ]


def bce_sigmoid_gradient(x: float) -> float:
    """d/dx BCELoss(sigmoid(x), 1), by torch's autograd."""
    t = torch.tensor([x], dtype=F64, requires_grad=True)
    (grad,) = torch.autograd.grad(nn.BCELoss()(torch.sigmoid(t), torch.ones(1, dtype=F64)), t)
    return float(grad[0])


def bce_gradient_below(size: float) -> float:
    """The logit below which the gradient of BCELoss(sigmoid(x), 1) is smaller than `size` (0 < size < 0.999)
    in absolute value, by bisection on torch's autograd. On [−700, −20] that gradient only grows in size
    with x (it is σ(x) − 1 ≈ −1 down to x ≈ −27.6, then fades)."""
    assert 0 < size < 0.999, size
    low, high = -700.0, -20.0
    for _ in range(60):
        mid = (low + high) / 2
        low, high = (mid, high) if abs(bce_sigmoid_gradient(mid)) < size else (low, mid)
    return low


@functools.cache
def bce_fade() -> dict[str, str]:
    """Where the gradient of BCELoss(sigmoid(x), 1) leaves −1 (below 0.99 in size), and where it falls below
    0.5 and 0.001 in size: the numbers the Pitfalls and Compare pages state, from `bce_gradient_below`."""
    return {
        name: f"{bce_gradient_below(size):.1f}".replace("-", "−")
        for name, size in (("start", 0.99), ("half", 0.5), ("milli", 1e-3))
    }


def torch_loss_classes() -> list[str]:
    """The loss classes torch.nn exports: the subclasses of torch.nn.modules.loss._Loss, without the
    deprecated aliases (NLLLoss2d)."""
    from torch.nn.modules.loss import _Loss

    return sorted(
        name
        for name in dir(nn)
        if isinstance(cls := getattr(nn, name), type)
        and issubclass(cls, _Loss)
        and cls is not _Loss
        and not name.startswith("_")
        and "__deprecated__" not in vars(cls)
    )
