"""The texts of LinearCrossEntropyLoss's spec (core/losses/classification.py: summary, notice,
pitfall, sweep, parameters, presets, its flag), each checked with torch over every setting its page
allows (every input, the head's weight and bias, either kind of target, bias, weight, ignore_index,
label_smoothing, options, every reduction), or registered as plain. Each preset's test checks that
the page's shown quantity has the property its note names.

A text whose check fails here must be rewritten, not the check."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, assume, given, settings
from torch import nn

from core import compute
from core.catalog import BY_KEY
from core.flags import TEXT as FLAG_TEXT
from core.params import LossValueError
from tests.claims import claim, plain
from tests.core.fallback import recording_fallback
from tests.core.strategies import draws

LCE = BY_KEY["linear_cross_entropy"]
EVERY_SETTING = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)


def param(name):
    return next(p for p in (*LCE.params, *LCE.all_inputs) if p.name == name)


CHUNKED = [o for o in param("options").choices if o is not None]


def drawn_case(drawn):
    """A batch the page can show (the batch table, the sliders) and its validated parameters."""
    params, rows, options = drawn
    try:
        case = compute.batch_case(LCE, rows, options, params)
    except LossValueError:  # refused with a message (ignore_index with probabilities)
        assume(False)
        raise
    return case, compute.check_params(LCE, params)


def logits(args) -> torch.Tensor:
    return F.linear(args["input"], args["linear_weight"], args.get("linear_bias"))


def ignore_index(params) -> int:
    return -100 if params["ignore_index"] is None else params["ignore_index"]


def head_gradient(args, params) -> torch.Tensor:
    """∂loss/∂z per sample (reduction='sum'): (Σ_c w_c q_c)·softmax(z) − w·q, 0 for an ignored target."""
    z = logits(args)
    classes, eps, target = z.shape[-1], params["label_smoothing"], args["target"]
    w = (
        torch.ones(classes, dtype=z.dtype)
        if params["weight"] is None
        else torch.tensor(params["weight"], dtype=z.dtype)
    )
    if target.is_floating_point():
        q, kept = (1 - eps) * target + eps / classes, torch.ones(len(z), dtype=z.dtype)
    else:
        kept = (target != ignore_index(params)).to(z.dtype)
        q = (1 - eps) * F.one_hot(target.clamp(min=0), classes).to(z.dtype) + eps / classes
    return ((q * w).sum(-1, keepdim=True) * torch.softmax(z, -1) - w * q) * kept[:, None]


def divisor_of(args, params) -> torch.Tensor:
    """What 'mean' divides by for class indices: the kept targets' class weights w_y, summed."""
    target = args["target"]
    kept = target != ignore_index(params)
    w = (
        torch.ones(3, dtype=torch.float64)
        if params["weight"] is None
        else torch.tensor(params["weight"], dtype=torch.float64)
    )
    return w[target.clamp(min=0)][kept].sum()


# ---------------------------------------------------------------- summary, notice, sweep


@claim(LCE.summary)
@EVERY_SETTING
@given(draws(LCE))
def test_it_is_cross_entropy_of_a_linear_layer_and_options_chunk_the_batch(drawn):
    """The value is F.cross_entropy(F.linear(x, W, b)) with the same keywords; with options (label
    smoothing 0, class indices) torch runs its chunked op instead of computing the logits."""
    case, params = drawn_case(drawn)
    args = case.args
    for reduction in ("none", "mean", "sum"):
        p = {**params, "reduction": reduction}
        value = np.asarray(compute.evaluate(LCE, case, p).value)
        kwargs = dict(weight=None if p["weight"] is None else torch.tensor(p["weight"], dtype=torch.float64))
        if not args["target"].is_floating_point():
            kwargs["ignore_index"] = ignore_index(p)
        expected = F.cross_entropy(
            logits(args), args["target"], reduction=reduction, label_smoothing=p["label_smoothing"], **kwargs
        )
        np.testing.assert_allclose(value, expected.numpy(), rtol=1e-9, atol=1e-12)
    module = nn.LinearCrossEntropyLoss(**compute.torch_kwargs(LCE, params)).double()
    with torch.no_grad():
        module.linear.weight.copy_(args["linear_weight"])
        if "linear_bias" in args:
            module.linear.bias.copy_(args["linear_bias"])
    x = args["input"].clone().requires_grad_()
    out, _ = recording_fallback(lambda: module(x, args["target"]))
    chunked = (
        params["options"] is not None and params["label_smoothing"] == 0 and not args["target"].is_floating_point()
    )
    assert ("chunked" in type(out.grad_fn).__name__) == chunked
    assert isinstance(module.linear, nn.Linear)  # the layer is inside the loss: its weight and bias are parameters
    assert {name for name, _ in module.named_parameters()} == {"linear.weight"} | (
        {"linear.bias"} if "linear_bias" in args else set()
    )


@claim(LCE.notice)
@EVERY_SETTING
@given(draws(LCE))
def test_the_head_gets_g_x_and_g_and_the_input_w_transpose_g(drawn):
    """Per sample (reduction='sum' adds the samples' gradients): autograd's gradients of the page's
    W, b and x are g xᵀ, g and Wᵀg with g = (Σ_c w_c q_c)·softmax(z) − w·q (softmax(z) − q without
    weights, 0 when ignored); the curve's slope is (Wᵀg)₀ of the slider sample."""
    case, params = drawn_case(drawn)
    params = {**params, "reduction": "sum"}
    args = case.args
    grads = compute.evaluate(LCE, case, params).grads
    g = head_gradient(args, params)
    np.testing.assert_allclose(grads["linear_weight"], (g.T @ args["input"]).numpy(), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(grads["input"], (g @ args["linear_weight"]).numpy(), rtol=1e-9, atol=1e-12)
    if "linear_bias" in args:
        np.testing.assert_allclose(grads["linear_bias"], g.sum(0).numpy(), rtol=1e-9, atol=1e-12)
    # without class weights g = softmax(z) − q
    if params["weight"] is None and not args["target"].is_floating_point():
        kept = args["target"] != ignore_index(params)
        onehot = F.one_hot(args["target"].clamp(min=0), 3).double()
        q = (1 - params["label_smoothing"]) * onehot + params["label_smoothing"] / 3
        np.testing.assert_allclose(g[kept].numpy(), (torch.softmax(logits(args), -1) - q)[kept].numpy(), atol=1e-12)
    # 'mean' divides the gradients by what it divides the loss by: Σ w_y over the kept targets, or N
    mean = compute.evaluate(LCE, case, {**params, "reduction": "mean"})
    divisor = len(args["target"]) if args["target"].is_floating_point() else float(divisor_of(args, params))
    if divisor != 0:
        total = compute.evaluate(LCE, case, params)
        assert float(mean.value) == pytest.approx(float(total.value) / divisor, rel=1e-9, abs=1e-12)
        for name, grad in mean.grads.items():
            np.testing.assert_allclose(grad, np.asarray(grads[name]) / divisor, rtol=1e-9, atol=1e-12)
    # the curve's slope at the slider sample: the first coordinate of Wᵀg
    rows, options = drawn[1], drawn[2]
    values = {**LCE.defaults(), **rows[0], **options}
    try:
        sample = compute.check(LCE, values, params)
    except LossValueError:
        return
    curve = compute.curve_of(sample)
    one = sample.case.args
    slope = (head_gradient(one, params) @ one["linear_weight"])[0, 0]
    assert curve.grad0 == pytest.approx(float(slope), rel=1e-9, abs=1e-12)


@claim(LCE.sweep.label)
@EVERY_SETTING
@given(draws(LCE, max_rows=1))
def test_the_curve_moves_x0_alone_and_each_logit_by_its_rows_first_entry(drawn):
    case, params = drawn_case(drawn)
    values = {**LCE.defaults(), **drawn[1][0], **drawn[2]}
    try:
        sample = compute.check(LCE, values, params)
    except LossValueError:
        return
    assert LCE.sweep.field_for(values) == "x0"
    moved = compute.check(LCE, {**values, "x0": values["x0"] - 1.0 if values["x0"] > 0 else values["x0"] + 1.0}, params)
    step = moved.values["x0"] - values["x0"]
    a, b = sample.case.args, moved.case.args
    np.testing.assert_allclose(b["input"][0, 1], a["input"][0, 1])  # x₁ fixed
    np.testing.assert_array_equal(b["linear_weight"], a["linear_weight"])  # the head fixed
    np.testing.assert_allclose(
        (logits(b) - logits(a))[0].numpy(), step * a["linear_weight"][:, 0].numpy(), rtol=1e-9, atol=1e-12
    )


# ---------------------------------------------------------------- the chunked path and its fallback


@claim(LCE.pitfall, FLAG_TEXT["lce_options_ignored"])
@pytest.mark.parametrize("options", CHUNKED, ids=lambda o: f"chunk={o.batch_chunk_size}")
@pytest.mark.parametrize("bias", [False, True])
def test_options_falls_back_with_a_warning_unless_no_smoothing_and_class_indices(options, bias):
    """For each choice of options, every reduction and either target: torch warns and computes the
    reference path (the logits, cross_entropy: the same number as options=None, exactly) iff
    label_smoothing ≠ 0 or the target is probabilities, and the page's flag says so then only. The
    chunked path's 'mean' and 'sum' refuse a second backward unless allow_retain_graph=True."""
    for kind in ("index", "probs"):
        for smoothing in (0.0, 0.1, 1.0):
            params = {"options": options, "label_smoothing": smoothing, "bias": bias}
            case = compute.batch_case(LCE, list(LCE.batch), {"target_kind": kind, "b0": 0.5}, params)
            falls_back = smoothing != 0 or kind == "probs"
            for reduction in ("none", "mean", "sum"):
                p = {**params, "reduction": reduction}
                result, warned = recording_fallback(lambda p=p, case=case: compute.evaluate(LCE, case, p))
                assert warned == falls_back
                assert [f.code for f in result.flags if f.code == "lce_options_ignored"] == (
                    ["lce_options_ignored"] if falls_back else []
                )
                if falls_back:
                    reference = compute.evaluate(LCE, case, {**p, "options": None})
                    np.testing.assert_array_equal(result.value, reference.value)
                    args = {k: v.detach().clone().requires_grad_(k == "input") for k, v in case.args.items()}
                    kwargs = compute.torch_kwargs(LCE, compute.check_params(LCE, p))
                    out, _ = recording_fallback(lambda kwargs=kwargs, args=args: compute.forward(LCE, kwargs, args))
                    assert "chunked" not in type(out.grad_fn).__name__  # the logits and cross_entropy
    # a second backward
    case = compute.batch_case(LCE, list(LCE.batch), {}, {"bias": bias})
    for reduction in ("mean", "sum"):
        for retain in (False, True):
            chosen = nn.LinearCrossEntropyOptions(batch_chunk_size=options.batch_chunk_size, allow_retain_graph=retain)
            p = compute.check_params(LCE, {"reduction": reduction, "bias": bias})
            args = {k: v.detach().clone().requires_grad_(k != "target") for k, v in case.args.items()}
            loss = compute.forward(LCE, {**compute.torch_kwargs(LCE, p), "options": chosen}, args)
            loss.backward(retain_graph=True)
            if retain:
                loss.backward()
            else:
                with pytest.raises(RuntimeError):
                    loss.backward()


@claim(param("options").help)
@pytest.mark.parametrize("n", [1, 3, 100])
def test_options_none_is_the_reference_path_and_an_instance_chunks_batch_chunk_size_samples(n):
    """batch_chunk_size is the chunk torch uses (at most the batch; its own pick for None, from 1 to
    the batch); options=None computes the (N, C) logits; the fallback is the test above."""
    for options in CHUNKED:
        adjusted = options._adjust(
            num_batches=n, in_features=2, num_classes=3, dtype=torch.float64, device=torch.device("cpu")
        )
        if options.batch_chunk_size is None:
            assert 1 <= adjusted.batch_chunk_size <= n
        else:
            assert adjusted.batch_chunk_size == min(options.batch_chunk_size, n)
    rows = [{"x0": -3.0 + 6.0 * i / max(n - 1, 1), "x1": 1.0, "y": i % 3} for i in range(n)]
    sample = compute.check(LCE, {}, {})
    case = compute.table_of(sample, rows).case
    args = {k: v.detach().clone().requires_grad_(k == "input") for k, v in case.args.items()}
    out = compute.forward(LCE, compute.torch_kwargs(LCE, compute.check_params(LCE, {"options": None})), args)
    assert "chunked" not in type(out.grad_fn).__name__
    z = F.linear(args["input"], args["linear_weight"])
    assert z.shape == (n, 3)
    np.testing.assert_allclose(out.item(), float(F.cross_entropy(z.detach(), args["target"])), rtol=1e-12)


# ---------------------------------------------------------------- parameters


@claim(param("reduction").help)
@EVERY_SETTING
@given(draws(LCE))
def test_mean_divides_by_the_kept_weights_for_indices_and_by_the_samples_for_probabilities(drawn):
    case, params = drawn_case(drawn)
    target = case.args["target"]
    none = np.asarray(compute.evaluate(LCE, case, {**params, "reduction": "none"}).value, dtype=float)
    total = compute.evaluate(LCE, case, {**params, "reduction": "sum"}).value
    mean = compute.evaluate(LCE, case, {**params, "reduction": "mean"}).value
    assert none.shape == (len(target),)
    assert total == pytest.approx(none.sum(), rel=1e-9, abs=1e-12)
    if target.is_floating_point():
        denominator = float(len(target))
    else:
        w = params["weight"] or (1.0, 1.0, 1.0)
        denominator = sum(w[int(y)] for y in target.tolist() if y != ignore_index(params))
    if denominator == 0:
        assert np.isnan(mean)
    else:
        assert mean == pytest.approx(none.sum() / denominator, rel=1e-9, abs=1e-12)


@claim(param("ignore_index").help)
def test_ignore_index_none_is_minus_100_for_indices_and_the_only_value_with_probabilities():
    x = torch.tensor([[1.0, 0.5], [0.0, 1.0], [2.0, -1.0]], dtype=torch.float64)
    w = torch.tensor([[2.0, 0.5], [-1.0, 1.5], [-0.5, -1.5]], dtype=torch.float64)
    y = torch.tensor([0, -100, 2])
    for reduction in ("none", "mean", "sum"):
        default = F.linear_cross_entropy(x, w, y, reduction=reduction)
        minus_100 = F.linear_cross_entropy(x, w, y, reduction=reduction, ignore_index=-100)
        torch.testing.assert_close(default, minus_100, rtol=0, atol=0)
    assert float(F.linear_cross_entropy(x, w, y, reduction="none")[1]) == 0.0  # skipped
    probs = torch.tensor([[1.0, 0.0, 0.0]] * 3, dtype=torch.float64)
    F.linear_cross_entropy(x, w, probs, ignore_index=None)
    for value in (-100, 0, 1, 2):
        with pytest.raises(RuntimeError):
            F.linear_cross_entropy(x, w, probs, ignore_index=value)
        with pytest.raises(LossValueError):
            compute.sample_case(LCE, {"target_kind": "probs"}, {"ignore_index": value})
    # with indices, each choice skips its class (and None skips none of 0..2)
    for value in param("ignore_index").choices:
        case = compute.batch_case(LCE, list(LCE.batch), {}, {"ignore_index": value})
        none = compute.evaluate(LCE, case, {"ignore_index": value, "reduction": "none"}).value
        skipped = [int(t) == value for t in case.args["target"]]
        assert [v == 0 for v in none] == skipped or not any(skipped) and all(v > 0 for v in none)


@claim(param("dtype").help, param("device").help)
def test_the_module_creates_float32_cpu_parameters_and_the_page_computes_in_float64():
    module = nn.LinearCrossEntropyLoss(2, 3, bias=True)
    assert module.linear.weight.dtype == module.linear.bias.dtype == torch.get_default_dtype() == torch.float32
    assert module.linear.weight.device.type == "cpu"
    for bias in (False, True):
        case = compute.sample_case(LCE, {}, {"bias": bias})
        assert all(v.dtype == torch.float64 for k, v in case.args.items() if k != "target")
        result = compute.evaluate(LCE, case, {"bias": bias})
        assert all(g.dtype == np.float64 for g in result.grads.values())
        out = compute.forward(LCE, compute.torch_kwargs(LCE, compute.check_params(LCE, {"bias": bias})), case.args)
        assert out.dtype == torch.float64


plain(
    "definition",
    param("in_features").help,
    param("num_classes").help,
    param("out_features").help,
    param("bias").help,
    *(p.help for p in LCE.inputs if p.name in ("x0", "x1")),
    *(p.help for p in LCE.options if p.name != "target_kind"),
)
plain("label", *(p.title for p in LCE.presets))
plain("message", "None (torch's default) with class-probability targets: it applies to class indices only")


def test_the_fixed_parameters_are_what_the_view_draws():
    """in_features 2 (x in the plane), num_classes 3 (three rows), out_features () (one loss per sample)."""
    assert param("in_features").choices == (2,) and param("num_classes").choices == (3,)
    assert param("out_features").choices == ((),)
    case = compute.sample_case(LCE, {}, {})
    assert case.args["input"].shape[-1] == 2 and case.args["linear_weight"].shape == (3, 2)
    assert compute.evaluate(LCE, case, {"reduction": "none"}).value.shape == (1,)


# ---------------------------------------------------------------- presets


def shown(key):
    preset = LCE.preset(key)
    return compute.sample_case(LCE, preset.values, preset.params), {**LCE.param_defaults(), **preset.params}


@claim(LCE.preset("chunked").note)
def test_the_chunked_preset_gives_the_reference_paths_value_and_gradients():
    case, params = shown("chunked")
    for batch in (case, compute.batch_case(LCE, list(LCE.batch), {}, params)):
        for reduction in ("none", "mean", "sum"):
            p = {**params, "reduction": reduction}
            chunked, warned = recording_fallback(lambda p=p, batch=batch: compute.evaluate(LCE, batch, p))
            reference = compute.evaluate(LCE, batch, {**p, "options": None})
            assert not warned
            np.testing.assert_allclose(chunked.value, reference.value, rtol=1e-12, atol=1e-15)
            for name in reference.grads:
                np.testing.assert_allclose(chunked.grads[name], reference.grads[name], rtol=1e-12, atol=1e-15)
            args = {k: v.detach().clone().requires_grad_(k == "input") for k, v in batch.args.items()}
            out = compute.forward(LCE, compute.torch_kwargs(LCE, compute.check_params(LCE, p)), args)
            assert "chunked" in type(out.grad_fn).__name__


@claim(LCE.preset("fallback").note)
def test_the_fallback_preset_warns_and_equals_options_none_exactly():
    case, params = shown("fallback")
    assert params["label_smoothing"] != 0 and params["options"] is not None
    for reduction in ("none", "mean", "sum"):
        p = {**params, "reduction": reduction}
        result, warned = recording_fallback(lambda p=p: compute.evaluate(LCE, case, p))
        assert warned
        np.testing.assert_array_equal(result.value, compute.evaluate(LCE, case, {**p, "options": None}).value)


@claim(LCE.preset("wrong").note)
def test_the_wrong_preset_pulls_the_true_row_toward_x_and_pushes_the_others_away():
    case, params = shown("wrong")
    x = case.args["input"][0].numpy()
    y = int(case.args["target"][0])
    z = logits(case.args)[0]
    assert y == 1 and int(z.argmax()) == 0  # x points at class 0
    grads = compute.evaluate(LCE, case, params).grads["linear_weight"]
    for c in range(3):
        step = -grads[c]  # gradient descent's direction for row w_c
        cosine = step @ x / (np.linalg.norm(step) * np.linalg.norm(x))
        assert cosine == pytest.approx(1.0 if c == y else -1.0, abs=1e-12)


@claim(FLAG_TEXT["lce_chunked_nan_gradient"])
@pytest.mark.parametrize("options", [None, *CHUNKED], ids=lambda o: f"chunk={getattr(o, 'batch_chunk_size', 'none')}")
@pytest.mark.parametrize("bias", [False, True])
def test_every_target_ignored_gives_nan_gradients_on_the_chunked_path_only(options, bias):
    """Every reduction, ignore_index and weight (off, on), label_smoothing 0 and 0.1: the flag shows
    exactly when every target is ignored, reduction='mean' and torch takes the chunked path; there
    autograd's gradients of x, W (and b) are all NaN and options=None's are all 0. Where the flag is
    not shown and the kept weights sum to more than 0, the gradients are finite."""
    rows = [dict(r) for r in LCE.batch]
    for ignore in (None, -100, 0, 1, 2):
        for every in (False, True):
            batch = [{**r, "y": ignore if every and ignore not in (None, -100) else r["y"]} for r in rows]
            for reduction in ("none", "mean", "sum"):
                for smoothing in (0.0, 0.1):
                    for weight in (None, (1.0, 0.5, 2.0)):
                        p = {
                            "options": options,
                            "bias": bias,
                            "reduction": reduction,
                            "ignore_index": ignore,
                            "label_smoothing": smoothing,
                            "weight": weight,
                        }
                        case = compute.batch_case(LCE, batch, {"b0": 0.5}, p)
                        result, warned = recording_fallback(lambda p=p, case=case: compute.evaluate(LCE, case, p))
                        all_ignored = bool((case.args["target"] == ignore_index(p)).all())
                        shown = "lce_chunked_nan_gradient" in [f.code for f in result.flags]
                        chunked = options is not None and not warned
                        assert shown == (all_ignored and reduction == "mean" and chunked)
                        grads = [np.asarray(g) for g in result.grads.values()]
                        if shown:
                            assert all(np.isnan(g).all() for g in grads)
                            reference = compute.evaluate(LCE, case, {**p, "options": None})
                            assert all((np.asarray(g) == 0).all() for g in reference.grads.values())
                        elif not all_ignored:
                            assert all(np.isfinite(g).all() for g in grads)
