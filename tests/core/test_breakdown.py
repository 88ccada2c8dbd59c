"""The by-hand breakdown is reproducible: every line is a `core.expr.Term` whose expression, evaluated
from the numbers it prints (at full precision), gives the number the line ends in, and that number
is torch's (reduction='none' for an element, the chosen reduction for the last line). Checked on
every case a page shows and over hypothesis draws of every parameter, option and input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings

from core import compute
from core.catalog import LOSSES
from core.expr import N, Term, absolute, log, maximum, total
from core.params import LossValueError
from tests.core.strategies import draws

SPECS = pytest.mark.parametrize("spec", LOSSES, ids=lambda s: s.key)


def close(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return math.isclose(a, b, rel_tol=1e-7, abs_tol=1e-9)


def check_case(spec, case, params):
    for reduction in spec.reductions():
        p = compute.check_params(spec, {**params, "reduction": reduction})
        result = compute.evaluate(spec, case, p)
        args = {k: v.detach() for k, v in case.args.items()}
        terms = spec.terms(args, p)
        elements = np.asarray(result.per_element, dtype=float).reshape(-1)
        assert len(terms) == elements.size
        for term, element in zip(terms, elements, strict=True):
            assert isinstance(term, Term), f"{spec.key}: a line is not a Term: {term!r}"
            assert close(term.value, element), (term.latex(), element)
            if term.expr is not None:
                assert close(term.expr.value(), term.value), (reduction, term.latex(), term.expr.value())
        if reduction == "none":
            continue
        none = compute.scratch_value(spec, case, {**p, "reduction": "none"}).reshape(-1)
        last = compute.reduction_term(spec, args, p, none, float(result.value))
        assert isinstance(last, Term), f"{spec.key}: the reduction line is not a Term"
        assert close(last.value, float(result.value)), (last.latex(), result.value)
        assert close(last.expr.value(), last.value), (reduction, last.latex(), last.expr.value())
        assert compute.breakdown(spec, case, p).lines[-1] == last.latex()


def pages_cases(spec):
    """Every case a page shows without typing: the sliders' sample, the batch table, every preset."""
    yield compute.sample_case(spec, {}, {}), {}
    yield compute.batch_case(spec, list(spec.batch), {}, {}), {}
    for preset in spec.presets:
        case = preset.make() if preset.make else compute.sample_case(spec, preset.values, preset.params)
        yield case, preset.params


@SPECS
def test_every_line_of_every_shown_case_evaluates_to_torchs_number(spec):
    for case, params in pages_cases(spec):
        check_case(spec, case, params)


@SPECS
def test_every_line_evaluates_to_torchs_number_across_declared_ranges(spec):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(draws(spec))
    def check(drawn):
        params, rows, options = drawn
        try:
            case = compute.batch_case(spec, rows, options, params)
            compute.check_params(spec, params)
        except LossValueError:
            assume(False)
        check_case(spec, case, params)

    check()


# ---------------------------------------------------------------- the expressions themselves


def test_an_expression_prints_the_numbers_it_evaluates():
    line = -N(2.0) * (N(1.0) * log(0.7) + (1 - N(1.0)) * log(1 - N(0.7)))
    assert line.value() == pytest.approx(-2 * math.log(0.7))
    assert line.latex() == r"-2 \cdot \left(1 \cdot \log(0.7) + \left(1 - 1\right) \cdot \log(1 - 0.7)\right)"


def test_negative_numbers_are_parenthesised_where_a_sign_would_be_misread():
    assert (N(1) - N(-3)).latex() == r"1 - \left(-3\right)"
    assert (N(2) * N(-3)).latex() == r"2 \cdot \left(-3\right)"
    assert (N(-0.5) ** 2).latex() == r"\left(-0.5\right)^{2}"
    assert maximum(0, N(1) - N(-0.3) * N(2)).latex() == r"\max(0,\ 1 - \left(-0.3 \cdot 2\right))"
    assert (N(1) - (N(2) - N(3))).value() == 2 and (N(1) - (N(2) - N(3))).latex() == r"1 - \left(2 - 3\right)"


def test_a_long_sum_prints_its_first_terms_and_counts_the_rest_but_adds_them_all():
    s = total([N(1)] * 10)
    assert s.value() == 10
    assert s.latex().endswith(r"\dots\ (10 \text{ terms})")
    assert absolute(N(-2)).latex() == r"\lvert -2 \rvert"


def test_zero_times_infinity_is_zero_as_in_torchs_xlogy():
    assert (N(0) * log(0)).value() == 0
