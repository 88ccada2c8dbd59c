"""Presets drawn from a seeded generator: each `Draw` makes a tensor and the code that remakes it,
so the article's random examples and their snippets can never drift apart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch

from core.spec import Case

F64 = torch.float64


@dataclass(frozen=True)
class Draw:
    """One tensor from the generator `g`: `how` is randn, rand, randint or full; `then` an
    optional method applied after (sigmoid, sign, log_softmax, double)."""

    how: str
    shape: tuple[int, ...]
    low: int = 0  # randint
    high: int = 2  # randint: exclusive; full: the fill value
    then: str = ""

    def tensor(self, g: torch.Generator) -> torch.Tensor:
        if self.how == "randn":
            t = torch.randn(self.shape, generator=g, dtype=F64)
        elif self.how == "rand":
            t = torch.rand(self.shape, generator=g, dtype=F64)
        elif self.how == "randint":
            t = torch.randint(self.low, self.high, self.shape, generator=g)
        else:
            t = torch.full(self.shape, self.high)
        for step in filter(None, self.then.split(".")):
            t = _THEN[step](t)
        return t

    def code(self) -> str:
        shape = repr(self.shape)
        text = {
            "randn": f"torch.randn({shape}, generator=g, dtype=torch.float64)",
            "rand": f"torch.rand({shape}, generator=g, dtype=torch.float64)",
            "randint": f"torch.randint({self.low}, {self.high}, {shape}, generator=g)",
            "full": f"torch.full({shape}, {self.high})",
        }[self.how]
        for step in filter(None, self.then.split(".")):
            text += _THEN_CODE[step]
        return text


_THEN = {
    "sigmoid": torch.sigmoid,
    "sign": torch.sign,
    "double": lambda t: t.double(),
    "log_softmax": lambda t: t.log_softmax(-1),
}
_THEN_CODE = {"sigmoid": ".sigmoid()", "sign": ".sign()", "double": ".double()", "log_softmax": ".log_softmax(-1)"}


def seeded(seed: int, **draws: Draw) -> Callable[[], Case]:
    """A preset maker: draws each tensor in order from one generator seeded with `seed`."""

    def make() -> Case:
        g = torch.Generator().manual_seed(seed)
        args = {name: draw.tensor(g) for name, draw in draws.items()}
        return Case(args, code={name: d.code() for name, d in draws.items()}, seed=seed)

    return make


def exact(**values) -> Callable[[], Case]:
    """A preset maker for tensors the article gives literally (lists of ints stay int64)."""

    def make() -> Case:
        return Case({k: torch.tensor(v) if _ints(v) else torch.tensor(v, dtype=F64) for k, v in values.items()})

    return make


def _ints(v) -> bool:
    flat = torch.tensor(v).flatten().tolist()
    return all(isinstance(x, int) for x in flat)
