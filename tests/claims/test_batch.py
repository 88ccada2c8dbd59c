"""The Reductions tab's sentences about its batch: row 0 is the sliders' sample (core/compute.batch_of),
a preset's own tensors are no row of it, and why CTCLoss's row 0 may get other losses."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from core import compute
from core.catalog import BY_KEY, LOSSES
from core.params import LossValueError
from tests.claims import claim
from tests.core.strategies import values_of

ROW_ZERO = (
    "Row 0 is the sliders' sample: it follows them and is not edited here, and torch gives it the "
    "per-element losses of the value above. Edit, add or delete the table's rows; without them the "
    "batch is that one sample."
)
PRESET = (
    "The value above is of the preset's own tensors ({shapes}), which are not a row of this table: "
    "the batch below is another one, the sliders' sample in row 0, then the table's rows."
)
APART = (
    "Row 0 holds the sliders' values, but in this batch torch gives it {row}, where the value above has "
    "{value}: the batch below is another one."
)
CTC = BY_KEY["ctc"]


def _evaluated(sample):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compute.evaluation_of(sample)


def _slider_states(spec):
    """What the sliders show without typing: the defaults, each preset of slider values, each of the
    spec's rows moved onto the sliders (under every reduction)."""
    states = [({}, {})] + [(p.values, p.params) for p in spec.presets if p.make is None]
    states += [(dict(row), {}) for row in spec.batch]
    for values, params in states:
        for reduction in spec.reductions():
            yield compute.check(spec, values, {**params, "reduction": reduction})


@claim(ROW_ZERO)
@pytest.mark.parametrize("spec", [s for s in LOSSES if not s.batch_apart], ids=lambda s: s.key)
def test_row_zero_gets_the_samples_losses_and_alone_its_value(spec):
    """The page shows the sentence only when torch gives row 0 the value's per-element losses (and the
    spec's rows follow it); here, that it does at every state the sliders reach without typing, and that
    the batch of row 0 alone is the sample under every reduction (tests/core/test_batch.py: across
    the declared ranges; tests/app/test_batch.py: it follows a slider, the editor keeps the other rows)."""
    for sample in _slider_states(spec):
        alone = _evaluated(sample)
        batch = _evaluated(compute.batch_of(sample, list(spec.batch)))
        assert compute.same_losses(compute.first_row(batch), alone.per_element)
        one = _evaluated(compute.batch_of(sample, []))
        assert one.by_reduction.keys() == alone.by_reduction.keys()
        assert all(compute.same_losses(one.by_reduction[r], v) for r, v in alone.by_reduction.items())


@claim(PRESET)
@pytest.mark.parametrize(
    "spec, preset",
    [(s, p) for s in LOSSES for p in s.presets if p.make is not None],
    ids=lambda x: getattr(x, "key", ""),
)
def test_a_presets_own_tensors_are_no_row_of_the_table(spec, preset):
    """Each exact preset's tensors have other shapes than one row's (so no row of the table is them),
    and the tab's batch under it, row 0 the sliders' as the preset opens them, is other tensors."""
    values, params = spec.opened_by(preset)
    sample = compute.check(spec, values, params)
    own = preset.exact().args
    one_row = compute.batch_of(sample, []).case.args
    assert any(own[name].shape != one_row[name].shape for name in own), preset.key
    batch = compute.batch_of(sample, list(spec.batch)).case.args
    assert any(own[name].shape != v.shape or not torch.equal(own[name], v) for name, v in batch.items())


def _longest(rows) -> int:
    return max((row["T"] for row in rows), default=0)


@claim(APART, CTC.batch_apart)
def test_ctcs_row_zero_gets_other_losses_only_beside_a_longer_row_that_changes_its_noise():
    """Over CTCLoss's sliders and rows: whenever torch gives row 0 other losses than the sample's, row 0
    holds the sliders' values (its target and T), a row is longer than the sliders' T and row 0's
    frames carry other noise than the sample's; and such a case exists (the sentences are shown)."""

    rows = st.just(list(CTC.batch)) | st.lists(values_of(CTC.inputs), max_size=3)

    @settings(deadline=None, max_examples=80, suppress_health_check=[HealthCheck.too_slow])
    @given(values_of(CTC.params), values_of(CTC.all_inputs), rows)
    def check(params, values, rows):
        try:
            sample = compute.check(CTC, values, params)
            batch = compute.batch_of(sample, rows)
        except LossValueError:
            assume(False)
        row = compute.first_row(_evaluated(batch))
        if compute.same_losses(row, _evaluated(sample).per_element):
            return
        mine, theirs = sample.case.args, batch.case.args
        t = int(mine["input_lengths"][0])
        assert int(theirs["input_lengths"][0]) == t  # row 0's T is the sliders'
        n = int(mine["target_lengths"][0])
        assert torch.equal(theirs["targets"][0, :n], mine["targets"][0, :n])  # and its target
        assert _longest(rows) > t
        assert not torch.equal(theirs["log_probs"][:t, 0], mine["log_probs"][:, 0])

    check()
    # the state the page meets: sliders at T = 6 beside the spec's rows (T = 8 the longest)
    sample = compute.check(CTC, {"T": 6}, {})
    batch = _evaluated(compute.batch_of(sample, list(CTC.batch)))
    assert not np.array_equal(compute.first_row(batch), _evaluated(sample).per_element)
