"""Every NaN and ∞ a page can show carries a flag that explains it.

For every loss: whenever `compute.evaluate` gives a non-finite value (the chosen reduction, any
other reduction in `by_reduction`, or an element of `per_element`) or a non-finite gradient, one of
its flags has a code in `core.flags.NONFINITE`. Checked on hypothesis draws of every parameter,
option and batch row (biased to the ends of each declared range, to 0 and to 1, where the
non-finite results live), on every preset under the same drawn parameters, and on every preset as
the page first shows it."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from core import compute
from core.catalog import LOSSES
from core.flags import NONFINITE
from core.params import Float, LossValueError, Param
from core.spec import LossSpec
from tests.core.strategies import edgy

SPECS = pytest.mark.parametrize("spec", LOSSES, ids=lambda s: s.key)


def edgy_values(params: tuple[Param, ...]) -> st.SearchStrategy:
    return st.fixed_dictionaries({p.name: edgy(p) for p in params})


def edgy_draws(spec: LossSpec, max_rows: int = 4) -> st.SearchStrategy:
    """(params, rows, options): each row either drawn freely or made of the range's extremes."""
    return st.tuples(
        edgy_values(spec.params),
        st.lists(edgy_values(spec.inputs), min_size=1, max_size=max_rows),
        edgy_values(spec.options),
    )


def nonfinite(result) -> list[str]:
    """What is not finite in one evaluation: 'value', 'by_reduction[r]', 'per_element', 'grad[x]'."""
    out = []
    if not np.all(np.isfinite(np.asarray(result.value, dtype=float))):
        out.append("value")
    out += [f"by_reduction[{r}]" for r, v in result.by_reduction.items() if not np.isfinite(v)]
    if not np.all(np.isfinite(np.asarray(result.per_element, dtype=float))):
        out.append("per_element")
    out += [f"grad[{k}]" for k, g in result.grads.items() if not np.all(np.isfinite(np.asarray(g, dtype=float)))]
    return out


def unexplained(spec: LossSpec, case, params: dict) -> list[str]:
    """The non-finite results of `case` (under every reduction) that no NONFINITE flag explains."""
    params = {**params, **{name: None for name, _, _ in compute.class_vector_misfits(spec, case, params)}}
    out = []
    for reduction in spec.reductions():
        result = compute.evaluate(spec, case, {**params, "reduction": reduction})
        bad = nonfinite(result)
        codes = {f.code for f in result.flags}
        if bad and not codes & NONFINITE:
            out.append(f"reduction={reduction}: {', '.join(bad)} not finite, flags {sorted(codes)}")
    return out


def check(spec: LossSpec, case, params: dict) -> None:
    problems = unexplained(spec, case, params)
    assert not problems, f"{spec.key}, params {params}, args {case.args}:\n" + "\n".join(problems)


def preset_case(spec: LossSpec, preset, params: dict):
    if preset.make:
        return preset.make()
    return compute.sample_case(spec, preset.values, {**params, **preset.params})


@SPECS
def test_every_preset_as_shown_flags_each_nonfinite_result(spec):
    for preset in spec.presets:
        params = compute.check_params(spec, preset.params)
        check(spec, preset_case(spec, preset, params), params)


@SPECS
def test_every_drawn_batch_flags_each_nonfinite_result(spec):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(edgy_draws(spec))
    def run(drawn):
        params, rows, options = drawn
        try:
            params = compute.check_params(spec, params)
            case = compute.batch_case(spec, rows, options, params)
        except LossValueError:
            assume(False)
        check(spec, case, params)

    run()


@SPECS
def test_every_preset_under_drawn_parameters_flags_each_nonfinite_result(spec):
    if not spec.presets:
        pytest.skip("no presets")

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(st.sampled_from(spec.presets), edgy_values(spec.params), edgy_values(spec.all_inputs))
    def run(preset, params, values):
        try:
            params = compute.check_params(spec, {**params, **preset.params})
            # a preset's values over the sliders' (a make preset's own tensors replace them)
            case = preset.make() if preset.make else compute.sample_case(spec, {**values, **preset.values}, params)
        except LossValueError:
            assume(False)
        check(spec, case, params)

    run()


def test_the_edges_reach_zero_one_and_both_ends():
    assert Float("x", 0.0, low=-3.0, high=3.0).edges() == [-3.0, 0.0, 1.0, 3.0]
    assert Float("x", 1.0, low=0.05, high=3.0).edges() == [0.05, 1.0, 3.0]
