"""Invalid values raise LossValueError naming the parameter, the value and what is allowed;
values torch accepts that make the loss infinite or NaN are results, flagged, not errors."""

from __future__ import annotations

import math

import pytest

from core import compute
from core.catalog import BY_KEY
from core.params import LossValueError

# (loss, params, slider values, the name the message must start with, a word of what is allowed)
INVALID = [
    ("l1", {"reduction": "avg"}, {}, "reduction", "'mean'"),
    ("l1", {"margin": 1.0}, {}, "margin", "reduction"),  # not a parameter of L1Loss
    ("l1", {}, {"input": math.nan}, "input", "≤"),
    ("l1", {}, {"input": 99.0}, "input", "≤ 3"),
    ("l1", {}, {"input": "0.5"}, "input", "a number"),
    ("smooth_l1", {"beta": -1.0}, {}, "beta", "0 ≤ beta"),
    ("huber", {"delta": 0.0}, {}, "delta", "0.05 ≤ delta"),
    ("huber", {"delta": True}, {}, "delta", "a number"),
    ("bce", {}, {"target": 1.5}, "target", "0 ≤ target ≤ 1"),
    ("bce", {}, {"input": -0.1}, "input", "0 ≤ input ≤ 1"),
    ("bce", {"weight": (1.0, 2.0)}, {}, "weight", "1 numbers"),
    ("cross_entropy", {}, {"y": 3}, "y", "one of 0, 1, 2"),
    ("cross_entropy", {"weight": (1.0, math.nan, 1.0)}, {}, "weight", "3 numbers"),
    ("cross_entropy", {"weight": (1.0, -1.0, 1.0)}, {}, "weight", "0 ≤ x ≤ 5"),
    ("cross_entropy", {"label_smoothing": 1.5}, {}, "label_smoothing", "≤ 1"),
    ("cross_entropy", {"ignore_index": 0}, {"target_kind": "probs"}, "ignore_index", "class indices"),
    ("cross_entropy", {}, {"target_kind": "probs", "t0": 0.0, "t1": 0.0, "t2": 0.0}, "t", "positive sum"),
    ("nll", {"ignore_index": 7}, {}, "ignore_index", "one of"),
    ("gaussian_nll", {}, {"var": -1.0}, "var", "0 ≤ var"),
    ("poisson_nll", {"log_input": False}, {"input": -1.0}, "input", "rate"),
    ("poisson_nll", {"log_input": "yes"}, {}, "log_input", "True or False"),
    ("poisson_nll", {"eps": 0.0}, {}, "eps", "1e-12 ≤ eps"),
    ("kl_div", {}, {"q0": 0.0, "q1": 0.0, "q2": 0.0}, "q", "positive sum"),
    ("kl_div", {"reduction": "batch"}, {}, "reduction", "'batchmean'"),
    ("multi_margin", {"p": 3}, {}, "p", "one of 1, 2"),
    ("multilabel_margin", {}, {"t0": 3}, "t0", "one of -1, 0, 1, 2"),
    ("margin_ranking", {}, {"y": 0}, "y", "one of -1, 1"),
    ("triplet_margin", {"margin": 0.0}, {}, "margin", "0.01 ≤ margin"),
    ("triplet_distance", {"distance_function": "euclid"}, {}, "distance_function", "'cosine'"),
    ("cosine_embedding", {"margin": 2.0}, {}, "margin", "-1 ≤ margin ≤ 1"),
    ("ctc", {}, {"target": "a-b"}, "target", "letters from 'abcde'"),  # '-' is no letter (the blank)
    ("ctc", {}, {"target": "xyz"}, "target", "letters from 'abcde'"),
    ("ctc", {}, {"target": ""}, "target", "1 to 12"),
    ("ctc", {}, {"target": "abcdeabcdeabc"}, "target", "1 to 12"),
    ("ctc", {}, {"T": 0}, "T", "1 ≤ T ≤ 30"),
    ("ctc", {}, {"T": 2.5}, "T", "a whole number"),
    ("ctc", {"blank": 6}, {}, "blank", "0 ≤ blank ≤ 5"),
]


@pytest.mark.parametrize(
    "key, params, values, name, allowed", INVALID, ids=[f"{c[0]}-{c[3]}-{i}" for i, c in enumerate(INVALID)]
)
def test_invalid_values_raise_one_clear_error(key, params, values, name, allowed):
    spec = BY_KEY[key]
    with pytest.raises(LossValueError) as info:
        compute.sample_case(spec, values, params)
    message = str(info.value)
    assert info.value.name == name and message.startswith(f"{name} = ")
    assert allowed in message, message
    bad = {**params, **values}.get(name)
    if bad is not None:
        assert repr(bad) in message or str(bad) in message


def test_a_bad_row_in_the_batch_table_is_named():
    spec = BY_KEY["bce"]
    rows = [{"input": 0.5, "target": 1.0}, {"input": 0.5, "target": 2.0}]
    with pytest.raises(LossValueError, match="target = 2.0"):
        compute.batch_case(spec, rows, {}, {})
    with pytest.raises(LossValueError, match="at least one row"):
        compute.batch_case(spec, [], {}, {})


# ---------------------------------------------------------------- results, not errors


def test_ctc_too_short_is_infinite_and_explained():
    spec = BY_KEY["ctc"]
    case = compute.sample_case(spec, {"target": "aa", "T": 2}, {})
    result = compute.evaluate(spec, case, {"reduction": "sum"})
    assert result.status == "inf" and result.value == math.inf
    assert any(f.code == "ctc_infeasible" and "T = 2 < 3" in str(f) for f in result.flags)
    fixed = compute.evaluate(spec, case, {"reduction": "sum", "zero_infinity": True})
    assert fixed.value == 0.0 and fixed.finite
    # three frames are enough for "aa": a, blank, a
    assert compute.evaluate(spec, compute.sample_case(spec, {"target": "aa", "T": 3}, {}), {}).finite


def test_bce_at_zero_is_clamped_not_infinite():
    spec = BY_KEY["bce"]
    result = compute.evaluate(spec, compute.sample_case(spec, {"input": 0.0, "target": 1.0}, {}), {})
    assert result.value == 100.0 and result.finite
    assert any(f.code == "bce_clamped" for f in result.flags)


def test_all_ignored_targets_give_nan_and_say_why():
    spec = BY_KEY["nll"]
    result = compute.evaluate(spec, compute.sample_case(spec, {"y": 0}, {"ignore_index": 0}), {"ignore_index": 0})
    assert result.status == "nan"
    assert any(f.code == "all_ignored" for f in result.flags)
    assert (
        compute.evaluate(spec, compute.sample_case(spec, {"y": 0}, {}), {"ignore_index": 0, "reduction": "sum"}).value
        == 0.0
    )


def test_kl_given_probabilities_is_flagged():
    spec = BY_KEY["kl_div"]
    wrong = compute.evaluate(spec, compute.sample_case(spec, {"feed": "probs"}, {}), {"reduction": "batchmean"})
    right = compute.evaluate(spec, compute.sample_case(spec, {}, {}), {"reduction": "batchmean"})
    assert any(f.code == "kl_input_not_log" for f in wrong.flags)
    assert not right.flags and right.value > 0
    mean = compute.evaluate(spec, compute.sample_case(spec, {}, {}), {"reduction": "mean"})
    assert any(f.code == "kl_mean" for f in mean.flags)
    assert mean.value == pytest.approx(right.value / 3)


def test_cross_entropy_on_probabilities_is_flagged():
    spec = BY_KEY["cross_entropy"]
    case = compute.batch_case(spec, [{"z0": 0.7, "z1": 0.2, "z2": 0.1, "y": 0}], {}, {})
    assert any(f.code == "ce_probabilities" for f in compute.evaluate(spec, case, {}).flags)
    assert not compute.evaluate(spec, compute.sample_case(spec, {}, {}), {}).flags


def test_multilabel_margin_reads_only_up_to_the_first_minus_one():
    spec = BY_KEY["multilabel_margin"]
    padded = compute.sample_case(spec, {"t0": 1, "t1": -1, "t2": 2}, {})
    alone = compute.sample_case(spec, {"t0": 1, "t1": -1, "t2": -1}, {})
    result = compute.evaluate(spec, padded, {})
    assert result.value == compute.evaluate(spec, alone, {}).value
    assert any(f.code == "mlm_after_padding" for f in result.flags)


@pytest.mark.parametrize("value", [10**400, -(10**400), 2**1100])
def test_a_whole_number_beyond_any_float_is_refused_not_raised(value):
    # a link can carry one (?ctc.blank=999...9): comparing it with a float is fine, isnan is not
    blank = next(p for p in BY_KEY["ctc"].params if p.name == "blank")
    with pytest.raises(LossValueError) as error:
        blank.validate(value)
    assert error.value.name == "blank"


def test_class_weights_that_do_not_fit_a_presets_classes_are_named():
    # the article's CrossEntropyLoss has 5 classes and MultiMarginLoss 2; the sliders' weights have 3
    for key, classes in (("cross_entropy", 5), ("multi_margin", 2)):
        spec = BY_KEY[key]
        case = spec.preset("article").make()
        params = compute.check_params(spec, {"weight": (1.0, 2.0, 1.0)})
        assert compute.class_vector_misfits(spec, case, params) == [("weight", 3, classes)]
        with pytest.raises(RuntimeError):  # what torch says without the check
            compute.evaluate(spec, case, params)
        assert math.isfinite(float(compute.evaluate(spec, case, {**params, "weight": None}).value))
    bce = BY_KEY["bce"]  # one weight broadcasts over the article's three probabilities
    case = bce.preset("article").make()
    assert compute.class_vector_misfits(bce, case, compute.check_params(bce, {"weight": (2.0,)})) == []
