"""Declared parameters: one `Param` per torch keyword or slider value, with torch's default, its UI
range and one line of help; and the one error type every invalid value raises.

Each kind of value is a small class (`Float`, `Int`, `Bool`, `Choice`, `Vector`, `Text`), modelled on
scikit-learn's `_param_validation` constraints: it knows what it allows (`validate`, and the English
text of `allowed`), its valid extremes (`ends`), values just outside it (`outside`), how to draw a
valid value at random (`draw`), and what a column of it is in torch (`column`). What needs a
library core/ must not import is registered per class where that library is: the widget in
ui/kit/widgets.py, the hypothesis strategy in tests/core/strategies.py (`functools.singledispatch`).
"""

from __future__ import annotations

import math
import random
from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import torch

# What is allowed, by kind: English templates (pages translate them and fill in the values).
ALLOWED = {
    "float": "a number with {low} ≤ {name} ≤ {high}",
    "int": "a whole number with {low} ≤ {name} ≤ {high}",
    "bool": "True or False",
    "choice": "one of {choices}",
    "vector": "{length} numbers, each with {low} ≤ x ≤ {high}",
    "optional_vector": "None, or {length} numbers, each with {low} ≤ x ≤ {high}",
    "text": "1 to {length} letters from '{alphabet}'",
}


class LossValueError(ValueError):
    """An invalid value: names the parameter, the value given and what is allowed.

    `allowed` is an English template filled with `values`, so that a page can translate it.
    """

    def __init__(self, name: str, value: Any, allowed: str, values: dict | None = None):
        self.name, self.value, self.template, self.values = name, value, allowed, values or {}
        self.allowed = allowed.format(**self.values)
        super().__init__(f"{name} = {value!r} is not allowed: {self.allowed}")


@dataclass(frozen=True)
class Param(ABC):
    """One value a user can set; abstract: each kind is a subclass.

    For a constructor argument, `name` is the exact torch keyword and `default` torch's own default.
    For an input (one field of a sample, a column of the batch table) `name` is our short field name.
    """

    name: str
    default: Any
    help: str = ""
    unit: str = field(default="", kw_only=True)  # shown after the name in the widget's label

    @abstractmethod
    def allowed(self) -> tuple[str, dict]:
        """What is allowed: an English template and its values (for error messages and help)."""
        ...

    def error(self, value: Any) -> LossValueError:
        return LossValueError(self.name, value, *self.allowed())

    @abstractmethod
    def validate(self, value: Any) -> Any:
        """Return `value` in its canonical Python type, or raise LossValueError."""
        ...

    @abstractmethod
    def ends(self) -> tuple:
        """The valid extremes: the ends of a range, every choice, the shortest and longest text."""
        ...

    @abstractmethod
    def outside(self) -> tuple:
        """Values a widget, a table cell or a link could give that are not allowed: just past the
        range, an empty cell, a choice's text with a blank, a text too long (each raises LossValueError)."""
        ...

    @abstractmethod
    def draw(self, rng: random.Random) -> Any:
        """A valid value at random."""
        ...

    def fuzz_values(self) -> tuple:
        """What a fuzz tries besides random valid values: the valid extremes, then refused values."""
        return (*self.ends(), *self.outside())

    def column(self, values: list) -> Any:
        """Validated values of this input, one per row, as the column a loss reads (a float64 tensor)."""
        return torch.tensor(values, dtype=torch.float64)

    def parts(self) -> dict[str, Param]:
        """The single values this param is set by, by key suffix: itself (""); a vector its switch
        (".on") and each entry (".0", ...). Each part's default is the state it starts in."""
        return {"": self}

    def split(self, value: Any) -> dict[str, Any]:
        """`value` as the values of its parts (the inverse of reading them)."""
        return {"": value}


def _num(x: float | None) -> str:
    return "-∞" if x is None else f"{x:g}"


@dataclass(frozen=True, kw_only=True)
class Number(Param):
    """A number in [low, high] (inclusive): a `Float` or an `Int`."""

    low: float
    high: float
    step: float | None = None  # UI slider step
    template: ClassVar[str] = ""
    number: ClassVar[type] = float

    def allowed(self) -> tuple[str, dict]:
        return self.template, {"name": self.name, "low": _num(self.low), "high": _num(self.high)}

    def validate(self, value: Any) -> float | int:
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or (self.number is int and isinstance(value, float) and not value.is_integer())
        ):
            raise self.error(value)
        if (isinstance(value, float) and math.isnan(value)) or not self.low <= value <= self.high:
            raise self.error(value)
        return self.number(value)

    def ends(self) -> tuple:
        return (self.low, self.high)

    def edges(self) -> list:
        """The ends, and 0 and 1 where allowed: where the non-finite results of a loss live."""
        return sorted({self.low, self.high} | {v for v in (0.0, 1.0) if self.low <= v <= self.high})

    def outside(self) -> tuple:
        step = self.step or 1
        return (self.low - step, self.high + step)

    def fuzz_values(self) -> tuple:
        """The ends, 0 (both signs) and 1 where allowed, then just past each end."""
        zero = (-0.0,) if self.low <= 0 <= self.high else ()
        return (*self.edges(), *zero, *self.outside())


@dataclass(frozen=True, kw_only=True)
class Float(Number):
    """A real number in [low, high]."""

    log_scale: bool = False  # the UI slides on a log scale (eps)
    template: ClassVar[str] = ALLOWED["float"]
    number: ClassVar[type] = float

    def draw(self, rng: random.Random) -> float:
        return rng.uniform(self.low, self.high)


@dataclass(frozen=True, kw_only=True)
class Int(Number):
    """A whole number in [low, high] (a float that is whole is taken)."""

    template: ClassVar[str] = ALLOWED["int"]
    number: ClassVar[type] = int

    def draw(self, rng: random.Random) -> int:
        return rng.randint(int(self.low), int(self.high))

    def column(self, values: list) -> torch.Tensor:
        return torch.tensor(values, dtype=torch.int64)


@dataclass(frozen=True)
class Bool(Param):
    """True or False (not 0 or 1)."""

    def allowed(self) -> tuple[str, dict]:
        return ALLOWED["bool"], {}

    def validate(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        raise self.error(value)

    def ends(self) -> tuple:
        return (False, True)

    def outside(self) -> tuple:
        return ()

    def draw(self, rng: random.Random) -> bool:
        return rng.random() < 0.5


@dataclass(frozen=True, kw_only=True)
class Choice(Param):
    """One of `choices` (language-neutral values: torch's own), of the same type. `shown`, when given,
    is each choice as it is written in the widget, the link and messages (source text), for values
    whose repr is long (torch's option objects)."""

    choices: tuple
    shown: tuple[str, ...] = ()

    def text(self, value: Any) -> str:
        """The choice as written: its `shown` text, else str()."""
        return self.shown[self.choices.index(value)] if self.shown else str(value)

    def allowed(self) -> tuple[str, dict]:
        texts = self.shown or tuple(repr(c) for c in self.choices)
        return ALLOWED["choice"], {"choices": ", ".join(texts)}

    def validate(self, value: Any) -> Any:
        for choice in self.choices:
            if value == choice and type(value) is type(choice):
                return choice
        raise self.error(value)

    def ends(self) -> tuple:
        return self.choices

    def outside(self) -> tuple:
        return (*(() if None in self.choices else (None,)), f"{self.choices[0]} ")

    def draw(self, rng: random.Random) -> Any:
        return rng.choice(self.choices)

    def column(self, values: list) -> torch.Tensor:  # a class index or a ±1 label
        return torch.tensor(values, dtype=torch.int64)


@dataclass(frozen=True, kw_only=True)
class Vector(Param):
    """`length` numbers in [low, high]; None too when `optional` (torch's `weight=None`)."""

    low: float
    high: float
    length: int
    step: float | None = None  # UI slider step
    optional: bool = False
    ui_default: tuple | None = None  # the value the UI starts from when switched on

    def allowed(self) -> tuple[str, dict]:
        template = ALLOWED["optional_vector"] if self.optional else ALLOWED["vector"]
        return template, {"length": self.length, "low": _num(self.low), "high": _num(self.high)}

    @property
    def entry(self) -> Float:
        """One entry, as a number of its own."""
        return Float(self.name, 1.0, low=self.low, high=self.high, step=self.step)

    def validate(self, value: Any) -> tuple | None:
        if value is None and self.optional:
            return None
        if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != self.length:
            raise self.error(value)
        entry = self.entry
        try:
            return tuple(entry.validate(v) for v in value)
        except LossValueError:
            raise self.error(value) from None

    def ends(self) -> tuple:
        lows, highs = (self.low,) * self.length, (self.high,) * self.length
        return (None, lows, highs) if self.optional else (lows, highs)

    def outside(self) -> tuple:
        step = self.step or 1
        return (
            (self.low - step,) * self.length,
            (self.high + step,) * self.length,
            (self.low,) * (self.length + 1),
            *(() if self.optional else (None,)),
        )

    def draw(self, rng: random.Random) -> tuple:
        return tuple(rng.uniform(self.low, self.high) for _ in range(self.length))

    def parts(self) -> dict[str, Param]:
        start = self.default if self.default is not None else self.ui_default or (1.0,) * self.length
        return {
            ".on": Bool(self.name, self.default is not None),
            **{f".{i}": replace(self.entry, default=v) for i, v in enumerate(start)},
        }

    def split(self, value: Any) -> dict[str, Any]:
        return {".on": value is not None, **{f".{i}": float(v) for i, v in enumerate(value or ())}}


@dataclass(frozen=True, kw_only=True)
class Text(Param):
    """1 to `length` letters, each one of `choices` (the alphabet)."""

    choices: tuple
    length: int

    def allowed(self) -> tuple[str, dict]:
        return ALLOWED["text"], {"length": self.length, "alphabet": "".join(self.choices)}

    def validate(self, value: Any) -> str:
        if (
            not isinstance(value, str)
            or not 1 <= len(value) <= self.length
            or any(ch not in self.choices for ch in value)
        ):
            raise self.error(value)
        return value

    def ends(self) -> tuple:
        return (self.choices[0], self.choices[0] * self.length)

    def outside(self) -> tuple:
        first = self.choices[0]
        return ("", first * (self.length + 1), f" {first}", first.upper() if first.upper() != first else "?")

    def draw(self, rng: random.Random) -> str:
        return "".join(rng.choice(self.choices) for _ in range(rng.randint(1, self.length)))

    def column(self, values: list) -> list:
        return values


def validate_all(declared: tuple[Param, ...], values: dict, what: str) -> dict:
    """Check `values` against `declared`: missing ones take their default, unknown names are errors."""
    known = {p.name: p for p in declared}
    unknown = set(values) - set(known)
    if unknown:
        name = sorted(unknown)[0]
        raise LossValueError(
            name, values[name], "one of the {what}: {names}", {"what": what, "names": ", ".join(known)}
        )
    return {p.name: p.validate(values[p.name]) if p.name in values else p.default for p in declared}


# Parameters shared by several losses: declared once, reused by the catalog.
REDUCTIONS = ("none", "mean", "sum")
REDUCTION = Choice(
    "reduction",
    "mean",
    choices=REDUCTIONS,
    help=(
        "How the per-element losses (what 'none' returns) become one number: 'sum' adds them; 'mean' "
        "divides that sum by their number, except CrossEntropyLoss and NLLLoss with class-index targets, "
        "which divide it by the sum of the targets' class weights w_y (1 each without weight), ignored "
        "targets left out."
    ),
)


def margin(default: float, low: float = 0.0, high: float = 3.0, help: str = "") -> Float:
    return Float("margin", default, help=help, low=low, high=high, step=0.05)


def eps(default: float, help: str) -> Float:
    return Float("eps", default, help=help, low=1e-12, high=0.1, log_scale=True)


def class_weight(length: int, help: str = "A manual rescaling weight for each class.") -> Vector:
    return Vector(
        "weight",
        None,
        help=help,
        low=0.0,
        high=5.0,
        step=0.1,
        length=length,
        optional=True,
        ui_default=(1.0,) * length,
    )
