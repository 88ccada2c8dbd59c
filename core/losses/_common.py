"""Helpers shared by the family modules: common inputs, reductions and per-element terms."""

from __future__ import annotations

import torch

from core.params import Choice, Float

F64 = torch.float64


def reduce(losses: torch.Tensor, reduction: str) -> torch.Tensor:
    """torch's plain reductions: keep, mean over every element, or sum."""
    if reduction == "none":
        return losses
    return losses.mean() if reduction == "mean" else losses.sum()


def each(losses: torch.Tensor, line) -> list[tuple[str, float]]:
    """One breakdown term per element: `line(i)` gives the LaTeX, ending with the element's value."""
    flat = losses.reshape(-1)
    return [(line(i), float(flat[i])) for i in range(flat.numel())]


def number(name: str, default: float, low: float, high: float, help: str, step: float = 0.05, unit: str = "") -> Float:
    return Float(name, default, help=help, low=low, high=high, step=step, unit=unit)


def sign(name: str = "y", default: int = 1, help: str = "The label: +1 or -1.") -> Choice:
    return Choice(name, default, help=help, choices=(-1, 1))


def klass(name: str = "y", default: int = 0, classes: int = 3, help: str = "The true class index.") -> Choice:
    return Choice(name, default, help=help, choices=tuple(range(classes)))
