"""Every loss at the ends of its ranges (probabilities 0 and 1, logits ±10, eps tiny, margins 0 and
max, beta 0, all targets ignored, CTC at T = 1): torch's result is finite, or infinite/NaN with a
flag that explains it — never an exception."""

from __future__ import annotations

import itertools

import pytest

from core import compute
from core.catalog import LOSSES
from core.flags import NONFINITE
from core.params import LossValueError

SPECS = pytest.mark.parametrize("spec", LOSSES, ids=lambda s: s.key)


def _cases(spec):
    """Each input and each parameter at each of its ends (the others at their defaults), and every
    pair of parameter ends."""
    for p in spec.all_inputs:
        for value in p.ends():
            yield {p.name: value}, {}
    for p in spec.params:
        for value in p.ends():
            yield {}, {p.name: value}
    for a, b in itertools.combinations(spec.params, 2):
        for va, vb in itertools.product(a.ends(), b.ends()):
            yield {}, {a.name: va, b.name: vb}


@SPECS
def test_the_ends_of_every_range_give_a_result_or_a_reason(spec):
    unexplained = []
    count = 0
    for values, params in _cases(spec):
        try:
            case = compute.sample_case(spec, values, params)
        except LossValueError:
            continue  # a combination the loss refuses, with its own message (tested elsewhere)
        count += 1
        result = compute.evaluate(spec, case, params)
        curve = compute.curve(spec, {**spec.defaults(), **values}, params)
        assert curve.x.shape == curve.loss.shape
        if not result.finite and not any(f.code in NONFINITE for f in result.flags):
            unexplained.append((values, params, result.value))
    assert count > 5
    assert not unexplained, unexplained[:5]
