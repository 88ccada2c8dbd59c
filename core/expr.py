"""Arithmetic that renders itself: the by-hand lines are built from these, so the LaTeX a page shows
and the number that a test evaluates are one object.

A line such as  -w (y log p + (1 - y) log(1 - p)) = 0.3567  is written

    -w * (y * log(p) + (1 - y) * log(1 - p))

with `w`, `y`, `p` the numbers torch used (`N(0.7)`), and `Expr.value()` computes what the
substituted numbers give, in float64, from the same tree that `Expr.latex()` prints. A test
(tests/core/test_breakdown.py) checks over random draws of every parameter that each line's value
is torch's number for its element, so a line cannot leave out a weight or a smoothing term.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, fields, is_dataclass

from core.latex import num

# precedence of what a node prints: a child of lower precedence gets parentheses
SUM, PRODUCT, UNARY, POWER, ATOM = 1, 2, 3, 4, 5


class Expr:
    @property
    def prec(self) -> int:
        """How tightly the node binds when printed (a subclass may set it as a class attribute)."""
        return ATOM

    def value(self) -> float:
        raise NotImplementedError

    def latex(self) -> str:
        raise NotImplementedError

    # arithmetic builds trees
    def __add__(self, other):
        return Op("+", self, lift(other))

    def __radd__(self, other):
        return Op("+", lift(other), self)

    def __sub__(self, other):
        return Op("-", self, lift(other))

    def __rsub__(self, other):
        return Op("-", lift(other), self)

    def __mul__(self, other):
        return Op("*", self, lift(other))

    def __rmul__(self, other):
        return Op("*", lift(other), self)

    def __truediv__(self, other):
        return Frac(self, lift(other))

    def __rtruediv__(self, other):
        return Frac(lift(other), self)

    def __neg__(self):
        return Neg(self)

    def __pow__(self, other):
        return Pow(self, lift(other))


def lift(x) -> Expr:
    return x if isinstance(x, Expr) else N(x)


def _wrap(e: Expr, prec: int, first: bool = False) -> str:
    """`e` as an operand: in parentheses when it binds less tightly than `prec`, or when it starts with
    a minus sign and does not come first (2 · (-3), 1 - (-3))."""
    text = e.latex()
    return rf"\left({text}\right)" if e.prec < prec or (text.startswith("-") and not first) else text


@dataclass(frozen=True)
class N(Expr):
    """A number torch used (or computed), printed to 4 significant digits; `text` prints a name instead
    (`\\infty`), when the number is better read as one."""

    x: float
    text: str = ""

    def __post_init__(self):
        object.__setattr__(self, "x", float(self.x))

    def value(self) -> float:
        return self.x

    def latex(self) -> str:
        return self.text or num(self.x)


@dataclass(frozen=True)
class Op(Expr):
    """a + b, a - b, a · b."""

    op: str
    a: Expr
    b: Expr

    @property
    def prec(self) -> int:
        return SUM if self.op in "+-" else PRODUCT

    def value(self) -> float:
        a, b = self.a.value(), self.b.value()
        if self.op == "+":
            return a + b
        if self.op == "-":
            return a - b
        return _mul(a, b)

    def latex(self) -> str:
        if self.op == "+":
            return _plus(self.a.latex(), _wrap(self.b, SUM, first=True))
        if self.op == "-":
            return f"{self.a.latex()} - {_wrap(self.b, PRODUCT)}"
        return rf"{_wrap(self.a, PRODUCT, first=True)} \cdot {_wrap(self.b, POWER)}"


def _plus(a: str, b: str) -> str:
    """a + b, or a - c when b prints as -c (a leading minus always negates what follows as a whole)."""
    return f"{a} - {b[1:]}" if b.startswith("-") else f"{a} + {b}"


def _mul(a: float, b: float) -> float:
    """0 · ∞ = 0 where a factor is an exact zero weight or target (torch's xlogy convention)."""
    if (a == 0 and math.isinf(b)) or (b == 0 and math.isinf(a)):
        return 0.0
    return a * b


@dataclass(frozen=True)
class Neg(Expr):
    a: Expr
    prec = UNARY

    def value(self) -> float:
        return -self.a.value()

    def latex(self) -> str:
        return f"-{_wrap(self.a, PRODUCT)}"


@dataclass(frozen=True)
class Frac(Expr):
    a: Expr
    b: Expr

    def value(self) -> float:
        a, b = self.a.value(), self.b.value()
        if b == 0:
            return math.nan if a == 0 else math.copysign(math.inf, a)
        return a / b

    def latex(self) -> str:
        return rf"\frac{{{self.a.latex()}}}{{{self.b.latex()}}}"


@dataclass(frozen=True)
class Pow(Expr):
    a: Expr
    b: Expr
    prec = POWER

    def value(self) -> float:
        return self.a.value() ** self.b.value()

    def latex(self) -> str:
        base = self.a.latex()
        if self.a.prec < ATOM or isinstance(self.a, Fn) or base.startswith("-"):
            base = rf"\left({base}\right)"
        return f"{base}^{{{self.b.latex()}}}"


_FUNCTIONS: dict[str, tuple[str, Callable[[float], float]]] = {
    "log": (r"\log", lambda x: -math.inf if x == 0 else math.log(x) if x > 0 else math.nan),
    "exp": (r"\exp", lambda x: math.exp(x) if x < 709 else math.inf),
    "sqrt": (r"\sqrt", math.sqrt),
    "abs": ("abs", abs),
    "lgamma": (r"\log\Gamma", math.lgamma),
}


@dataclass(frozen=True)
class Fn(Expr):
    """log, exp, sqrt, |x|, log Γ of one argument."""

    name: str
    a: Expr

    def value(self) -> float:
        return _FUNCTIONS[self.name][1](self.a.value())

    def latex(self) -> str:
        inner = self.a.latex()
        if self.name == "abs":
            return rf"\lvert {inner} \rvert"
        if self.name == "sqrt":
            return rf"\sqrt{{{inner}}}"
        if self.name == "exp":
            return f"e^{{{inner}}}"
        return rf"{_FUNCTIONS[self.name][0]}({inner})"


@dataclass(frozen=True)
class Max(Expr):
    """max(a, b) (or min)."""

    a: Expr
    b: Expr
    low: bool = False

    def value(self) -> float:
        return (min if self.low else max)(self.a.value(), self.b.value())

    def latex(self) -> str:
        return rf"\{'min' if self.low else 'max'}({self.a.latex()},\ {self.b.latex()})"


@dataclass(frozen=True)
class Sum(Expr):
    """a + b + ... over many parts; prints the first `shown` and a count of the rest."""

    parts: tuple
    shown: int = 6
    prec = SUM

    def value(self) -> float:
        return math.fsum(p.value() for p in self.parts) if self.parts else 0.0

    def latex(self) -> str:
        if not self.parts:
            return "0"
        text = self.parts[0].latex()
        for p in self.parts[1 : self.shown]:
            text = _plus(text, _wrap(p, SUM, first=True))
        if len(self.parts) > self.shown:
            text += rf" + \dots\ ({len(self.parts)} \text{{ terms}})"
        return text


def log(x) -> Expr:
    return Fn("log", lift(x))


def exp(x) -> Expr:
    return Fn("exp", lift(x))


def sqrt(x) -> Expr:
    return Fn("sqrt", lift(x))


def absolute(x) -> Expr:
    return Fn("abs", lift(x))


def lgamma(x) -> Expr:
    return Fn("lgamma", lift(x))


def maximum(a, b) -> Expr:
    return Max(lift(a), lift(b))


def minimum(a, b) -> Expr:
    return Max(lift(a), lift(b), low=True)


def total(parts, shown: int = 6) -> Expr:
    return Sum(tuple(lift(p) for p in parts), shown)


@dataclass(frozen=True)
class Let(Expr):
    """A named intermediate result (a distance, a part of a sum): the line prints its number, and a
    line of its own before it shows how it is computed, `name = expression = number`."""

    name: str
    a: Expr

    def value(self) -> float:
        return self.a.value()

    def latex(self) -> str:
        return num(self.value())


def lets(e) -> list[Let]:
    """The Let nodes inside `e`, innermost first, each once."""
    found: list[Let] = []
    if isinstance(e, Expr) and is_dataclass(e):  # every node is a dataclass
        for f in fields(e):
            child = getattr(e, f.name)
            for c in child if isinstance(child, tuple) else (child,):
                found += [x for x in lets(c) if x not in found]
        if isinstance(e, Let) and e not in found:
            found.append(e)
    return found


@dataclass(frozen=True)
class Term:
    """One line of the breakdown: `label` (a condition such as y = 1, printed before a colon),
    `name` (what the line computes, printed before =), the expression with torch's numbers
    substituted, and the value it ends in (torch's number for the element, or the reduced loss).
    `expr=None` states the value without a computation (an ignored target: 0)."""

    expr: Expr | None
    value: float
    label: str = ""
    name: str = ""

    def latex(self) -> str:
        head = rf"{self.label}:\ " if self.label else ""
        head += f"{self.name} = " if self.name else ""
        if self.expr is None:
            return f"{head}{num(self.value)}"
        return f"{head}{self.expr.latex()} = {num(self.value)}"

    def lines(self) -> list[str]:
        """The line, after one line per named intermediate it uses."""
        return [f"{x.name} = {x.a.latex()} = {num(x.value())}" for x in lets(self.expr)] + [self.latex()]


def each(losses, line) -> list[Term]:
    """One term per element of `losses` (torch's numbers, any shape): `line(i)` gives the element's
    expression, or (label, expression)."""
    flat = [float(v) for v in losses.reshape(-1)]
    out = []
    for i, value in enumerate(flat):
        made = line(i)
        label, expr = made if isinstance(made, tuple) else ("", made)
        out.append(Term(expr, value, label))
    return out


def reduced(reduction: str, none, value: float, denominator: Expr | None = None) -> Term:
    """The line that turns the per-element losses `none` into the reported `value`: their sum, or
    their sum over `denominator` (the number of elements unless given)."""
    parts = total([N(v) for v in none.reshape(-1)])
    if reduction == "sum":
        return Term(parts, value, name=r"\textstyle\sum_i \ell_i")
    return Term(Frac(parts, denominator or N(none.size)), value, name=r"\text{mean}")


@dataclass(frozen=True)
class _Times(Op):
    """a · b as torch multiplies two tensors: 0 · ∞ is NaN (no xlogy convention)."""

    def value(self) -> float:
        return self.a.value() * self.b.value()


def times(a, b) -> Expr:
    """a · b where torch multiplies plainly (KLDivLoss's p · log q, e^t · (t - x)): an exact 0 times
    ±∞ gives NaN, as torch does, not the 0 of `a * b` (torch's xlogy convention)."""
    return _Times("*", lift(a), lift(b))


# ---------------------------------------------------------------- log σ and log Σ e (classification)


@dataclass(frozen=True)
class LogSigmoid(Expr):
    """log σ(x), or log(1 - σ(x)) = log σ(-x) when `complement`: printed with σ, evaluated without
    overflow at any x (as torch's softplus form is)."""

    a: Expr
    complement: bool = False

    def value(self) -> float:
        x = self.a.value()
        z = x if self.complement else -x  # log σ(x) = -softplus(-x), log(1 - σ(x)) = -softplus(x)
        if math.isinf(z):
            return -math.inf if z > 0 else 0.0
        return -(math.log1p(math.exp(-abs(z))) + max(z, 0.0))

    def latex(self) -> str:
        inner = self.a.latex()
        return rf"\log\big(1 - \sigma({inner})\big)" if self.complement else rf"\log\sigma({inner})"


def logsigmoid(x, complement: bool = False) -> Expr:
    return LogSigmoid(lift(x), complement)


@dataclass(frozen=True)
class LogSumExp(Expr):
    """log(e^a + e^b + ...): the log-softmax's normaliser, printed with its terms, evaluated stably."""

    parts: tuple

    def value(self) -> float:
        xs = [p.value() for p in self.parts]
        top = max(xs)
        if math.isinf(top):
            return top
        return top + math.log(math.fsum(math.exp(x - top) for x in xs))

    def latex(self) -> str:
        return r"\log\left(" + " + ".join(rf"e^{{{p.latex()}}}" for p in self.parts) + r"\right)"


def logsumexp(parts) -> Expr:
    return LogSumExp(tuple(lift(p) for p in parts))
