"""Declared parameters: one `Param` per torch keyword or slider value, with its kind, torch's
default, its UI range and one line of help; and the one error type every invalid value raises."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

KINDS = ("float", "int", "bool", "choice", "vector", "text")

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
class Param:
    """One value a user can set.

    For a constructor argument, `name` is the exact torch keyword and `default` torch's own default.
    For an input (one field of a sample, a column of the batch table) `name` is our short field name.
    """

    name: str
    kind: str  # one of KINDS
    default: Any
    help: str = ""
    low: float | None = None  # float/int/vector: inclusive bounds
    high: float | None = None
    step: float | None = None  # UI slider step
    choices: tuple = ()  # choice: the allowed values (language-neutral); text: the alphabet
    length: int = 0  # vector: number of entries; text: the maximum length
    optional: bool = False  # None is allowed (torch's `weight=None`)
    log_scale: bool = False  # float: the UI should slide on a log scale (eps)
    unit: str = ""
    ui_default: Any = None  # vector: the value the UI starts from when switched on

    def __post_init__(self):
        if self.kind not in KINDS:
            raise TypeError(f"unknown kind {self.kind!r} for {self.name}")

    def allowed(self) -> tuple[str, dict]:
        """What is allowed: an English template and its values (for error messages and help)."""
        if self.kind in ("float", "int"):
            template = ALLOWED["float"] if self.kind == "float" else ALLOWED["int"]
            return template, {"name": self.name, "low": _num(self.low), "high": _num(self.high)}
        if self.kind == "vector":
            template = ALLOWED["optional_vector"] if self.optional else ALLOWED["vector"]
            return template, {"length": self.length, "low": _num(self.low), "high": _num(self.high)}
        if self.kind == "choice":
            return ALLOWED["choice"], {"choices": ", ".join(repr(c) for c in self.choices)}
        if self.kind == "text":
            return ALLOWED["text"], {"length": self.length, "alphabet": "".join(self.choices)}
        return ALLOWED["bool"], {}

    def error(self, value: Any) -> LossValueError:
        return LossValueError(self.name, value, *self.allowed())

    def validate(self, value: Any) -> Any:
        """Return `value` in its canonical Python type, or raise LossValueError."""
        kind = self.kind
        if kind == "float":
            return self._number(value, float)
        if kind == "int":
            return self._number(value, int)
        if kind == "bool":
            if isinstance(value, bool):
                return value
            raise self.error(value)
        if kind == "choice":
            for choice in self.choices:
                if value == choice and type(value) is type(choice):
                    return choice
            raise self.error(value)
        if kind == "vector":
            if value is None and self.optional:
                return None
            if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") or len(value) != self.length:
                raise self.error(value)
            try:
                out = tuple(self._entry(v) for v in value)
            except LossValueError:
                raise self.error(value) from None
            return out
        if (
            not isinstance(value, str)
            or not 1 <= len(value) <= self.length
            or any(ch not in self.choices for ch in value)
        ):
            raise self.error(value)
        return value

    def _entry(self, v: Any) -> float:
        return Param(self.name, "float", 0.0, low=self.low, high=self.high).validate(v)

    def _number(self, value: Any, typ: type) -> float | int:
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or (typ is int and isinstance(value, float) and not value.is_integer())
        ):
            raise self.error(value)
        if (isinstance(value, float) and math.isnan(value)) or not self.low <= value <= self.high:
            raise self.error(value)
        return typ(value)


def _num(x: float | None) -> str:
    return "-∞" if x is None else f"{x:g}"


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
REDUCTION = Param(
    "reduction",
    "choice",
    "mean",
    choices=REDUCTIONS,
    help=(
        "How the per-element losses (what 'none' returns) become one number: 'sum' adds them; 'mean' "
        "divides that sum by their number, except CrossEntropyLoss and NLLLoss with class-index targets, "
        "which divide it by the sum of the targets' class weights w_y (1 each without weight), ignored "
        "targets left out."
    ),
)


def margin(default: float, low: float = 0.0, high: float = 3.0, help: str = "") -> Param:
    return Param("margin", "float", default, help=help, low=low, high=high, step=0.05)


def eps(default: float, help: str) -> Param:
    return Param("eps", "float", default, help=help, low=1e-12, high=0.1, log_scale=True)


def class_weight(length: int, help: str = "A manual rescaling weight for each class.") -> Param:
    return Param(
        "weight",
        "vector",
        None,
        help=help,
        low=0.0,
        high=5.0,
        step=0.1,
        length=length,
        optional=True,
        ui_default=(1.0,) * length,
    )
