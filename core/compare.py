"""Several losses on shared axes: each curve from the real torch module (autograd for the
gradient), so that the shapes can be compared — the regression losses against the residual,
the binary classification losses as surrogates of the 0-1 loss against the margin y·f(x), and
BCELoss on a sigmoid against BCEWithLogitsLoss as the logit grows."""

from __future__ import annotations

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

    @property
    def title(self) -> str:
        return self.name or self.label


def _line(key: str, label: str, x: torch.Tensor, fn, name: str = "") -> Line:
    """`fn(x)` gives one loss per point (reduction='none'); its derivative comes from autograd."""
    x = x.detach().clone().requires_grad_()
    loss = fn(x)
    (grad,) = torch.autograd.grad(loss.sum(), x)
    return Line(key, label, x.detach().numpy(), loss.detach().numpy(), grad.numpy(), name=name)


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
        _line(key, label, x, fn, name=label.split("(")[0])
        for key, (label, fn) in _regression(beta, delta, var, POINTS).items()
    ]


def outlier_costs(residual: float, beta: float = 1.0, delta: float = 1.0, var: float = 1.0) -> dict:
    """What one residual costs under each regression loss, and its gradient: {key: (loss, gradient)}."""
    x = torch.tensor([residual], dtype=F64)
    out = {}
    for key, (label, fn) in _regression(beta, delta, var, 1).items():
        point = _line(key, label, x, fn)
        out[key] = (float(point.loss[0]), float(point.grad[0]))
    return out


def classification(span: float = 3.0) -> list[Line]:
    """Surrogates of the 0-1 loss against the margin m = y·f(x), each from a torch module:
    hinge = HingeEmbeddingLoss(margin=1) at y = −1 with input m, i.e. max(0, 1 − m);
    squared hinge = MultiMarginLoss(p=2) on the two scores (m, 0) with the first class true: it
    divides by the C = 2 classes, as torch does; logistic = SoftMarginLoss(m, 1) and
    BCEWithLogitsLoss(m, 1), the same curve log(1 + e^(−m))."""
    m = torch.linspace(-span, span, POINTS, dtype=F64)
    ones = torch.ones(POINTS, dtype=F64)
    first = torch.zeros(POINTS, dtype=torch.long)
    zero_one = (m <= 0).to(F64)
    lines = [
        Line("zero_one", "0-1 loss", m.numpy(), zero_one.numpy(), np.zeros(POINTS), torch_loss=False),
        _line(
            "hinge",
            "HingeEmbeddingLoss(margin=1), input m, y=-1",
            m,
            lambda v: nn.HingeEmbeddingLoss(reduction="none", margin=1.0)(v, -ones),
        ),
        _line(
            "squared_hinge",
            "MultiMarginLoss(p=2), scores (m, 0), y=0",
            m,
            lambda v: nn.MultiMarginLoss(reduction="none", p=2)(torch.stack([v, torch.zeros_like(v)], -1), first),
        ),
        _line("soft_margin", "SoftMarginLoss(m, y=1)", m, lambda v: nn.SoftMarginLoss(reduction="none")(v, ones)),
        _line("bce_logits", "BCEWithLogitsLoss(m, y=1)", m, lambda v: nn.BCEWithLogitsLoss(reduction="none")(v, ones)),
    ]
    return lines


def probability(low: float = -150.0, high: float = 10.0) -> list[Line]:
    """BCELoss on sigmoid(x) against BCEWithLogitsLoss on x, label 1, as the logit x goes very negative.
    BCELoss's backward divides by max(p (1 − p), 1e-12), so below x ≈ −27.6 its gradient through the
    sigmoid fades (< 1e-3 by −35) while the loss is still −x; below −100 its clamp of log p stops the loss at 100."""
    x = torch.linspace(low, high, POINTS, dtype=F64)
    ones = torch.ones(POINTS, dtype=F64)
    return [
        _line("bce", "BCELoss(sigmoid(x), 1)", x, lambda v: nn.BCELoss(reduction="none")(torch.sigmoid(v), ones)),
        _line("bce_logits", "BCEWithLogitsLoss(x, 1)", x, lambda v: nn.BCEWithLogitsLoss(reduction="none")(v, ones)),
    ]
