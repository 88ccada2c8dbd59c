"""LinearCrossEntropyLoss beyond the catalog-wide tests: the chunked path (options) against the
reference path (options=None) for every size of the batch table, in float32 and float64; the
gradients autograd gives the head (W, b) and the input against their closed form; the module's own
parameters put in place by torch.func.functional_call on every path of core/compute."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, assume, given, settings
from torch import nn

from core import compute
from core.catalog import BY_KEY
from core.params import LossValueError
from tests.core.strategies import draws

LCE = BY_KEY["linear_cross_entropy"]
CHUNKED = [o for o in next(p for p in LCE.params if p.name == "options").choices if o is not None]
# the batch table holds 1 to ui/views/loss/batch.MAX_ROWS (100) rows
SIZES = (1, 2, 3, 5, 64, 100)

# float32 tolerance, chunked against reference: both compute the same sums in another order (per
# chunk, and torch's CPU "accurate" policy), so they differ by float32 rounding: about 1e-7 relative
# per operation. Measured here over these sizes and uniformly drawn inputs in the sliders' ranges: at
# most 1.2e-4 absolute on a 'sum' of 100 losses (about 3e-7 relative), 4e-5 on a gradient entry. The
# bound is 1e-5 relative plus 1e-5 absolute per element summed (N for the loss's 'sum' and W's and
# b's gradients, which add N rows): rounding, two orders of magnitude below any visible difference.
F32_RTOL = 1e-5


def _draw(n: int, seed: int, dtype: torch.dtype):
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(n, 2, generator=g, dtype=torch.float64) * 6 - 3  # the sliders' ranges
    w = torch.rand(3, 2, generator=g, dtype=torch.float64) * 6 - 3
    b = torch.rand(3, generator=g, dtype=torch.float64) * 10 - 5
    y = torch.randint(0, 3, (n,), generator=g)
    return x.to(dtype), w.to(dtype), b.to(dtype), y


def _value_and_grads(x, w, b, y, reduction, options, weight=None):
    x, w, b = (t.clone().requires_grad_() for t in (x, w, b))
    loss = F.linear_cross_entropy(x, w, y, linear_bias=b, weight=weight, reduction=reduction, options=options)
    grads = torch.autograd.grad(loss.sum(), (x, w, b))
    return (loss.detach(), *grads)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("options", CHUNKED, ids=lambda o: f"chunk={o.batch_chunk_size}")
@pytest.mark.parametrize("n", SIZES)
def test_the_chunked_path_equals_the_reference_path(n, options, dtype):
    x, w, b, y = _draw(n, seed=n, dtype=dtype)
    weight = torch.tensor([1.0, 2.0, 0.5], dtype=dtype)
    for reduction in ("none", "mean", "sum"):
        for class_weight in (None, weight):
            chunked = _value_and_grads(x, w, b, y, reduction, options, class_weight)
            reference = _value_and_grads(x, w, b, y, reduction, None, class_weight)
            for name, got, want in zip(("loss", "input", "W", "b"), chunked, reference, strict=True):
                if dtype == torch.float64:
                    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, err_msg=name)
                else:
                    summed = n if name in ("W", "b") or (name == "loss" and reduction == "sum") else 1
                    np.testing.assert_allclose(got, want, rtol=F32_RTOL, atol=F32_RTOL * summed, err_msg=name)


def test_the_chunked_path_runs_the_chunked_op_and_options_none_does_not():
    """The comparison above compares two computations: with options, torch's chunked op (its own
    autograd node); without, the logits and cross_entropy."""
    x, w, b, y = _draw(3, seed=0, dtype=torch.float64)
    x.requires_grad_()
    for options in CHUNKED:
        for reduction in ("none", "mean", "sum"):
            loss = F.linear_cross_entropy(x, w, y, linear_bias=b, reduction=reduction, options=options)
            assert "chunked" in type(loss.grad_fn).__name__
    loss = F.linear_cross_entropy(x, w, y, linear_bias=b, options=None)
    assert "chunked" not in type(loss.grad_fn).__name__


def _closed_form(case, params):
    """∂loss/∂z per sample for reduction='sum': (Σ_c w_c q_c)·softmax(z) − w·q, 0 for an ignored
    target (softmax(z) − q without class weights); then the head's and the input's gradients."""
    a = case.args
    x, head, target = a["input"], a["linear_weight"], a["target"]
    z = x @ head.T + (a["linear_bias"] if "linear_bias" in a else 0)
    p = torch.softmax(z, dim=-1)
    eps, classes = params["label_smoothing"], head.shape[0]
    w = (
        torch.ones(classes, dtype=z.dtype)
        if params["weight"] is None
        else torch.tensor(params["weight"], dtype=z.dtype)
    )
    if target.is_floating_point():
        q = (1 - eps) * target + eps / classes
        kept = torch.ones(len(x), dtype=z.dtype)
    else:
        ignore = -100 if params["ignore_index"] is None else params["ignore_index"]
        kept = (target != ignore).to(z.dtype)
        q = (1 - eps) * F.one_hot(target.clamp(min=0), classes).to(z.dtype) + eps / classes
    g = ((q * w).sum(-1, keepdim=True) * p - w * q) * kept[:, None]
    return {"input": g @ head, "linear_weight": g.T @ x, "linear_bias": g.sum(0)}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(draws(LCE, max_rows=6))
def test_autograds_gradients_of_the_head_and_the_input_are_the_closed_form(drawn):
    """Over every setting the page allows (both paths, bias, weights, smoothing, ignore_index, either
    target): W gets (softmax(z) − q) xᵀ summed over the samples, b gets softmax(z) − q, x gets Wᵀ(softmax(z) − q)."""
    params, rows, options = drawn
    params = {**params, "reduction": "sum"}
    try:
        case = compute.batch_case(LCE, rows, options, params)
    except LossValueError:
        assume(False)
    grads = compute.evaluate(LCE, case, params).grads
    expected = _closed_form(case, compute.check_params(LCE, params))
    assert set(grads) == {"input", "linear_weight"} | ({"linear_bias"} if params["bias"] else set())
    for name, g in grads.items():
        np.testing.assert_allclose(g, expected[name], rtol=1e-9, atol=1e-12, err_msg=name)


def test_the_closed_form_check_fails_on_a_wrong_gradient():
    """The check above sees a gradient off by the target (softmax(z) alone) or transposed."""
    case = compute.batch_case(LCE, list(LCE.batch), {}, {"bias": True})
    params = compute.check_params(LCE, {"bias": True, "reduction": "sum"})
    grads = compute.evaluate(LCE, case, params).grads
    right = _closed_form(case, params)
    z = case.args["input"] @ case.args["linear_weight"].T + case.args["linear_bias"]
    wrong = torch.softmax(z, -1).T @ case.args["input"]
    assert np.allclose(grads["linear_weight"], right["linear_weight"])
    assert not np.allclose(grads["linear_weight"], wrong)
    assert not np.allclose(grads["linear_weight"], right["linear_weight"].T.reshape(3, 2))


def test_every_path_of_compute_uses_the_pages_head_not_the_modules_own():
    """evaluate, the curve's points and the batch table call the module with the page's W and b
    (functional_call): the value is cross_entropy(x Wᵀ + b), whatever the module drew for itself."""
    values = {**LCE.defaults(), "b0": 1.0, "b1": -2.0, "b2": 0.5}
    params = {"bias": True, "reduction": "sum"}
    sample = compute.check(LCE, values, params)
    a = sample.case.args
    logits = a["input"] @ a["linear_weight"].T + a["linear_bias"]
    expected = float(F.cross_entropy(logits, a["target"], reduction="sum"))
    assert compute.evaluation_of(sample).value == pytest.approx(expected, rel=1e-12)
    curve = compute.curve_of(sample)
    assert curve.loss0 == pytest.approx(expected, rel=1e-12)
    loss, _ = compute.curve_points(LCE, values, params, [values["x0"]])
    assert float(loss[0]) == pytest.approx(expected, rel=1e-12)
    rows = [{"x0": values["x0"], "x1": values["x1"], "y": 0}] * 2
    table = compute.table_of(sample, rows)
    assert compute.evaluation_of(table).value == pytest.approx(2 * expected, rel=1e-12)


def test_without_bias_no_bias_is_passed_and_the_bias_sliders_are_hidden():
    case = compute.sample_case(LCE, {"b0": 3.0}, {})
    assert "linear_bias" not in case.args
    assert {"b0", "b1", "b2"}.isdisjoint(p.name for p in LCE.visible_options(LCE.defaults(), {"bias": False}))
    assert {"b0", "b1", "b2"} <= {p.name for p in LCE.visible_options(LCE.defaults(), {"bias": True})}
    assert {"t0", "t1", "t2"}.isdisjoint(p.name for p in LCE.visible_inputs(LCE.defaults()))
    probs = {**LCE.defaults(), "target_kind": "probs"}
    assert "y" not in {p.name for p in LCE.visible_inputs(probs)}


def test_a_class_weight_fits_the_heads_classes_not_the_inputs_size():
    """The input has 2 features and the head 3 classes: a 3-entry class weight fits."""
    case = compute.sample_case(LCE, {}, {})
    assert compute.class_vector_misfits(LCE, case, {**compute.check_params(LCE, {}), "weight": (1.0, 2.0, 3.0)}) == []


def test_evaluation_leaves_torchs_global_random_generator_alone():
    """The module is built on the meta device: its own parameters are never drawn."""
    state = torch.random.get_rng_state()
    compute.evaluate(LCE, compute.sample_case(LCE, {}, {}), {})
    assert torch.equal(state, torch.random.get_rng_state())


def test_probability_targets_refuse_an_ignore_index_and_say_what_is_allowed():
    with pytest.raises(RuntimeError):  # torch's own refusal
        nn.LinearCrossEntropyLoss(2, 3, ignore_index=-100)(torch.zeros(1, 2), torch.tensor([[1.0, 0.0, 0.0]]))
    for ignore_index in (-100, 0, 1, 2):
        with pytest.raises(LossValueError) as error:
            compute.sample_case(LCE, {"target_kind": "probs"}, {"ignore_index": ignore_index})
        assert error.value.name == "ignore_index" and "None" in error.value.allowed
    compute.sample_case(LCE, {"target_kind": "probs"}, {"ignore_index": None})


@pytest.mark.parametrize(
    "params",
    [
        {"in_features": 3},
        {"num_classes": 4},
        {"out_features": (2,)},
        {"device": "cpu"},
        {"dtype": torch.float64},
        {"options": "chunked"},
        {"options": nn.LinearCrossEntropyOptions(batch_chunk_size=3)},
        {"ignore_index": -1},
        {"bias": 1},
    ],
)
def test_values_the_view_does_not_offer_are_refused_with_what_is_allowed(params):
    with pytest.raises(LossValueError) as error:
        compute.check_params(LCE, params)
    assert error.value.name == next(iter(params)) and error.value.allowed


def test_the_sliders_are_the_tensors_torch_gets():
    """x = (x0, x1), linear.weight's rows w_c = (w{c}x, w{c}y), linear.bias = (b0, b1, b2) with bias=True."""
    values = {"x0": 0.25, "x1": -1.5, "w0x": 1.0, "w0y": 2.0, "w1x": -3.0, "w1y": 0.5, "w2x": 0.0, "w2y": -0.75}
    values |= {"b0": 1.5, "b1": -2.5, "b2": 4.0, "y": 2}
    args = compute.sample_case(LCE, values, {"bias": True}).args
    assert list(args) == ["input", "target", "linear_weight", "linear_bias"]
    assert args["input"].tolist() == [[0.25, -1.5]] and args["target"].tolist() == [2]
    assert args["linear_weight"].tolist() == [[1.0, 2.0], [-3.0, 0.5], [0.0, -0.75]]
    assert args["linear_bias"].tolist() == [1.5, -2.5, 4.0]
    probs = compute.sample_case(LCE, {"target_kind": "probs", "t0": 0.5, "t1": 0.5, "t2": 1.0}, {}).args
    assert probs["target"].tolist() == [[0.25, 0.25, 0.5]]
