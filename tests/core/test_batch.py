"""The Reductions tab's batch (core/compute.batch_of) starts from the sliders' sample: torch gives its
first row the sample's per-element losses (float64, exactly), whatever the table's other rows, and a
batch of that one row gives the sample's value under every reduction. Over hypothesis draws of every
parameter, option and input of every loss; a loss whose build makes a batch's tensors together says
why its first row may not be the sample (LossSpec.batch_apart, checked in tests/claims)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from core import compute
from core.catalog import LOSSES
from core.params import LossValueError
from tests.core.strategies import values_of

SPECS = pytest.mark.parametrize("spec", LOSSES, ids=lambda s: s.key)
SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def sample_of(spec, params: dict, values: dict) -> compute.Sample:
    """The sample the sliders give for these values, or a draw hypothesis rejects (the page refuses it)."""
    try:
        return compute.check(spec, values, params)
    except LossValueError:
        assume(False)
        raise


def batch_or_reject(sample: compute.Sample, rows: list[dict]) -> compute.Sample:
    try:
        return compute.batch_of(sample, rows)
    except LossValueError:  # rows the loss refuses beside this sample: the page says so
        assume(False)
        raise


def evaluated(sample: compute.Sample) -> compute.Evaluation:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # KLDivLoss's 'mean', LinearCrossEntropyLoss's fallback
        return compute.evaluation_of(sample)


def sliders(spec):
    return st.tuples(values_of(spec.params), values_of(spec.all_inputs))


@SPECS
def test_the_batchs_first_row_gets_the_samples_losses(spec):
    """The spec's rows after it, or rows drawn across the declared ranges."""
    rows = st.just(list(spec.batch)) | st.lists(values_of(spec.inputs), max_size=3)

    @SETTINGS
    @given(sliders(spec), rows)
    def check(drawn, rows):
        params, values = drawn
        sample = sample_of(spec, params, values)
        batch = batch_or_reject(sample, rows)
        alone, together = evaluated(sample), evaluated(batch)
        assert np.asarray(together.per_element).shape[0] == len(rows) + 1
        same = compute.same_losses(compute.first_row(together), alone.per_element)
        assert same or spec.batch_apart, (values, params, rows)

    check()


@SPECS
def test_a_batch_of_the_first_row_alone_gives_the_samples_value_under_every_reduction(spec):
    @SETTINGS
    @given(sliders(spec))
    def check(drawn):
        params, values = drawn
        sample = sample_of(spec, params, values)
        alone, batch = evaluated(sample), evaluated(compute.batch_of(sample, []))
        assert compute.same_losses(batch.per_element, alone.per_element)
        assert batch.by_reduction.keys() == alone.by_reduction.keys()
        for reduction, value in alone.by_reduction.items():
            assert compute.same_losses(batch.by_reduction[reduction], value), reduction
        assert compute.same_losses(batch.value, alone.value)

    check()


@SPECS
def test_the_tables_rows_are_validated_as_table_of_validates_them(spec):
    sample = compute.check(spec, {}, {})
    bad = {**spec.batch[0], spec.inputs[0].name: None}
    with pytest.raises(LossValueError):
        compute.batch_of(sample, [bad])
    assert compute.same_losses(
        evaluated(compute.batch_of(sample, list(spec.batch))).per_element,
        evaluated(compute.table_of(sample, [{p.name: p.default for p in spec.inputs}, *spec.batch])).per_element,
    )
