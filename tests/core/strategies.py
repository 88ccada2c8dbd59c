"""Hypothesis strategies derived from the declared parameters: each kind of param (core/params.py)
registers its own here, where hypothesis may be imported."""

from __future__ import annotations

import math
from functools import singledispatch

from hypothesis import strategies as st

from core.params import Bool, Choice, Float, Int, Param, Text, Vector
from core.spec import LossSpec


# Numbers between 0 and 1e-6 in size are left out of a linear slider's range: none gives one (the
# finest step is 0.01), and dividing by them overflows float64 (class weights of 2.2e-308 make 'mean'
# divide by their sum: ∞), which is not a lesson about a loss. A log slider (eps) is drawn on its scale.
def number(low: float, high: float, log_scale: bool = False) -> st.SearchStrategy:
    if log_scale:
        return st.floats(math.log10(low), math.log10(high)).map(lambda e: min(max(10.0**e, low), high))
    return st.floats(low, high, allow_nan=False).filter(lambda x: x == 0 or abs(x) >= 1e-6)


@singledispatch
def value_of(p: Param) -> st.SearchStrategy:
    """Any valid value of `p`: one strategy per kind of param."""
    raise TypeError(f"no strategy for {type(p).__name__}")


@value_of.register
def _(p: Float) -> st.SearchStrategy:
    return number(p.low, p.high, p.log_scale)


@value_of.register
def _(p: Int) -> st.SearchStrategy:
    return st.integers(int(p.low), int(p.high))


@value_of.register
def _(p: Bool) -> st.SearchStrategy:
    return st.booleans()


@value_of.register
def _(p: Choice) -> st.SearchStrategy:
    return st.sampled_from(p.choices)


@value_of.register
def _(p: Text) -> st.SearchStrategy:
    return st.text(alphabet="".join(p.choices), min_size=1, max_size=p.length)


@value_of.register
def _(p: Vector) -> st.SearchStrategy:
    entries = st.tuples(*[number(p.low, p.high)] * p.length)
    return st.none() | entries if p.optional else entries


@singledispatch
def edgy(p: Param) -> st.SearchStrategy:
    """A value of `p`, drawn often at the ends of its range, at 0 and at 1 (where the non-finite
    results of a loss live); a param without a range: any value."""
    return value_of(p)


@edgy.register
def _(p: Float) -> st.SearchStrategy:
    return st.sampled_from(p.edges()) | number(p.low, p.high, p.log_scale)


@edgy.register
def _(p: Int) -> st.SearchStrategy:
    return st.sampled_from([int(v) for v in p.edges()]) | st.integers(int(p.low), int(p.high))


@edgy.register
def _(p: Vector) -> st.SearchStrategy:
    entry = st.sampled_from(p.entry.edges()) | number(p.low, p.high)
    entries = st.tuples(*[entry] * p.length)
    return st.none() | entries if p.optional else entries


def values_of(params: tuple[Param, ...]) -> st.SearchStrategy:
    return st.fixed_dictionaries({p.name: value_of(p) for p in params})


def draws(spec: LossSpec, max_rows: int = 4) -> st.SearchStrategy:
    """(params, rows, options) across the declared ranges."""
    return st.tuples(
        values_of(spec.params), st.lists(values_of(spec.inputs), min_size=1, max_size=max_rows), values_of(spec.options)
    )
