"""Hypothesis strategies derived from the declared parameters: one place knows each kind."""

from __future__ import annotations

import math

from hypothesis import strategies as st

from core.params import Param
from core.spec import LossSpec


# Numbers between 0 and 1e-6 in size are left out of a linear slider's range: none gives one (the
# finest step is 0.01), and dividing by them overflows float64 (class weights of 2.2e-308 make 'mean'
# divide by their sum: ∞), which is not a lesson about a loss. A log slider (eps) is drawn on its scale.
def number(low: float, high: float, log_scale: bool = False) -> st.SearchStrategy:
    if log_scale:
        return st.floats(math.log10(low), math.log10(high)).map(lambda e: min(max(10.0**e, low), high))
    return st.floats(low, high, allow_nan=False).filter(lambda x: x == 0 or abs(x) >= 1e-6)


def value_of(p: Param) -> st.SearchStrategy:
    if p.kind == "float":
        return number(p.low, p.high, p.log_scale)
    if p.kind == "int":
        return st.integers(int(p.low), int(p.high))
    if p.kind == "bool":
        return st.booleans()
    if p.kind == "choice":
        return st.sampled_from(p.choices)
    if p.kind == "text":
        return st.text(alphabet="".join(p.choices), min_size=1, max_size=p.length)
    entries = st.tuples(*[number(p.low, p.high)] * p.length)
    return st.none() | entries if p.optional else entries


def values_of(params: tuple[Param, ...]) -> st.SearchStrategy:
    return st.fixed_dictionaries({p.name: value_of(p) for p in params})


def draws(spec: LossSpec, max_rows: int = 4) -> st.SearchStrategy:
    """(params, rows, options) across the declared ranges."""
    return st.tuples(
        values_of(spec.params), st.lists(values_of(spec.inputs), min_size=1, max_size=max_rows), values_of(spec.options)
    )
