"""Hypothesis strategies derived from the declared parameters: one place knows each kind."""

from __future__ import annotations

from hypothesis import strategies as st

from core.params import Param
from core.spec import LossSpec


# Subnormal floats (below 2.2e-308 in size) are left out: a slider cannot give one, and their
# reciprocals overflow (a class weight of 1e-309 makes 'mean' divide by it: an infinite gradient).
def number(low: float, high: float) -> st.SearchStrategy:
    return st.floats(low, high, allow_nan=False, allow_subnormal=False)


def value_of(p: Param) -> st.SearchStrategy:
    if p.kind == "float":
        return number(p.low, p.high)
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
