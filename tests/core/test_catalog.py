"""The whole catalog against torch, in float64: one test per property, parametrized over every loss."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, assume, given, settings

from core import compute
from core.catalog import BY_KEY, LOSSES
from core.params import Choice, LossValueError
from core.spec import FAMILIES, Case, LossSpec
from tests.core.strategies import draws


def functional_value(spec: LossSpec, case: Case, params: dict) -> np.ndarray:
    """The same loss through `torch.nn.functional`: every argument by its name (the module's own
    parameters too: F.linear_cross_entropy takes the head's weight and bias as arguments), and the
    constructor's keywords the functional has (not those the tensors' shapes give: in_features, ...)."""
    params = compute.check_params(spec, params)
    keywords = inspect.signature(spec.functional).parameters
    kwargs = {k: v for k, v in compute.torch_kwargs(spec, params).items() if k in keywords}
    assert set(case.args) <= set(keywords), spec.title
    return spec.functional(**case.args, **kwargs).numpy()


SPECS = pytest.mark.parametrize("spec", LOSSES, ids=lambda s: s.key)

def _torch_losses() -> set[str]:
    """The loss classes of the pinned torch, from torch itself: every name `torch.nn.modules.loss`
    exports (`__all__`) that is a subclass of `_Loss`, less the private bases (`_Loss`,
    `_WeightedLoss`) and the deprecated aliases (NLLLoss2d, NLLLoss under an old name). A torch
    upgrade that adds a loss fails `test_catalog_has_every_torch_loss_once` until it has a spec."""
    from torch.nn.modules import loss

    return {
        name
        for name in loss.__all__
        if isinstance(cls := getattr(loss, name), type)
        and issubclass(cls, loss._Loss)
        and not name.startswith("_")
        and "__deprecated__" not in vars(cls)
    }


TORCH_LOSSES = _torch_losses()


def same(a, b):
    np.testing.assert_allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=1e-9, atol=1e-12)


def test_the_derived_list_is_torchs_own():
    """The derivation reads torch, not a list: the 21 losses the app began with, torch 2.13's
    LinearCrossEntropyLoss, and no base class or deprecated alias; the home page counts the same."""
    from core.compare import torch_loss_classes

    assert {"L1Loss", "CrossEntropyLoss", "CTCLoss", "LinearCrossEntropyLoss"} <= TORCH_LOSSES
    assert {"_Loss", "_WeightedLoss", "NLLLoss2d"}.isdisjoint(TORCH_LOSSES)
    assert len(TORCH_LOSSES) == 22  # torch 2.13.0 (requirements.txt pins it)
    assert set(torch_loss_classes()) == TORCH_LOSSES


def test_catalog_has_every_torch_loss_once():
    assert {s.title for s in LOSSES} == TORCH_LOSSES
    assert len(LOSSES) == len(TORCH_LOSSES) == len(BY_KEY)
    assert all(s.module is getattr(torch.nn, s.title) for s in LOSSES)
    assert all(s.family in FAMILIES for s in LOSSES)
    assert all(s.key.isidentifier() and len(s.key) <= 24 for s in LOSSES)


@SPECS
def test_params_are_torch_keywords_with_torch_defaults(spec):
    signature = inspect.signature(spec.module.__init__).parameters
    names = [p.name for p in spec.params]
    assert len(set(names)) == len(names)
    for p in spec.params:
        assert p.name in signature, f"{spec.title} has no keyword {p.name}"
        if signature[p.name].default is inspect.Parameter.empty:
            # torch requires it (LinearCrossEntropyLoss's in_features, num_classes): the view fixes its value
            assert isinstance(p, Choice) and p.choices == (p.default,), p.name
        else:
            assert p.default == signature[p.name].default, p.name
        assert p.help, f"{spec.title}.{p.name} has no help"
    assert {"size_average", "reduce"}.isdisjoint(names)
    assert "reduction" in names


def test_every_keyword_a_learner_varies_is_declared():
    for spec in LOSSES:
        torch_names = set(inspect.signature(spec.module.__init__).parameters) - {"self", "size_average", "reduce"}
        assert torch_names == {p.name for p in spec.params}, spec.title
    assert BY_KEY["kl_div"].reductions() == ("none", "batchmean", "mean", "sum")


@SPECS
def test_defaults_batch_and_presets_are_valid(spec):
    compute.check_values(spec, spec.defaults())
    compute.check_params(spec, spec.param_defaults())
    compute.batch_case(spec, list(spec.batch), {}, {})
    for preset in spec.presets:
        compute.check_params(spec, preset.params)
        compute.check_values(spec, preset.values)
        assert preset.make or preset.values or preset.params, preset.key


def _cases(spec):
    """Every case a page can show: the sliders' sample, the batch table, every preset."""
    yield "sample", compute.sample_case(spec, {}, {}), {}
    yield "batch", compute.batch_case(spec, list(spec.batch), {}, {}), {}
    for preset in spec.presets:
        case = preset.make() if preset.make else compute.sample_case(spec, preset.values, preset.params)
        yield preset.key, case, preset.params


@SPECS
def test_scratch_equals_torch_for_every_reduction(spec):
    for _name, case, params in _cases(spec):
        for reduction in spec.reductions():
            p = {**params, "reduction": reduction}
            result = compute.evaluate(spec, case, p)
            same(compute.scratch_value(spec, case, p), result.value)


@SPECS
def test_scratch_equals_torch_across_declared_ranges(spec):
    @settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(draws(spec))
    def check(drawn):
        params, rows, options = drawn
        try:
            case = compute.batch_case(spec, rows, options, params)
        except LossValueError:
            assume(False)
        for reduction in spec.reductions():
            p = {**params, "reduction": reduction}
            same(compute.scratch_value(spec, case, p), compute.evaluate(spec, case, p).value)

    check()


@SPECS
def test_functional_equals_module(spec):
    for _, case, params in _cases(spec):
        for reduction in spec.reductions():
            p = {**params, "reduction": reduction}
            np.testing.assert_array_equal(functional_value(spec, case, p), compute.evaluate(spec, case, p).value)


@SPECS
def test_every_reduction_reported(spec):
    result = compute.evaluate(spec, compute.batch_case(spec, list(spec.batch), {}, {}), {})
    assert set(result.by_reduction) == set(spec.reductions()) - {"none"}
    for reduction, value in result.by_reduction.items():
        same(
            value,
            compute.evaluate(spec, compute.batch_case(spec, list(spec.batch), {}, {}), {"reduction": reduction}).value,
        )


@SPECS
def test_gradients_are_autograd_of_the_reported_value(spec):
    case = compute.batch_case(spec, list(spec.batch), {}, {})
    params = compute.check_params(spec, {"reduction": "sum"})
    result = compute.evaluate(spec, case, params)
    assert set(result.grads) == set(spec.wrt) & set(case.args)
    for name in result.grads:
        args = {k: v.detach().clone().requires_grad_(k == name) for k, v in case.args.items()}
        compute.forward(spec, compute.torch_kwargs(spec, params), args).backward()
        same(result.grads[name], args[name].grad)


@SPECS
def test_curve_shape_and_current_point(spec):
    c = compute.curve(spec, spec.defaults(), {})
    assert c.x.shape == c.loss.shape == c.grad.shape == (spec.sweep.points,)
    assert 400 <= spec.sweep.points <= 600
    assert c.x.dtype == np.float64 and np.all(np.diff(c.x) > 0)
    # the current point is the loss of the slider sample as torch's reduction='sum' gives it
    case = compute.sample_case(spec, spec.defaults(), {})
    same(c.loss0, compute.evaluate(spec, case, {"reduction": "sum"}).value)
    assert c.x[0] <= c.x0 <= c.x[-1]


@SPECS
def test_curve_gradient_equals_finite_differences(spec):
    values = spec.defaults()
    c = compute.curve(spec, values, {})
    h = 1e-6
    xs = c.x[5:-5:7]
    up, _ = compute.curve_points(spec, values, {}, xs + h)
    down, _ = compute.curve_points(spec, values, {}, xs - h)
    mid, grad = compute.curve_points(spec, values, {}, xs)
    fd = (up - down) / (2 * h)
    # skip kinks (hinges, |x|): there the one-sided slopes differ
    smooth = np.isclose((up - mid) / h, (mid - down) / h, rtol=1e-3, atol=1e-5) & np.isfinite(fd)
    assert smooth.sum() >= len(xs) // 2
    np.testing.assert_allclose(grad[smooth], fd[smooth], rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------- the article's examples

ARTICLE_RESULTS = {  # docs/architecture.md §7: what torch 2.13 gives in float32
    "multilabel_margin": 0.4500,
    "soft_margin": 0.6764,
    "multi_margin": 0.6000,
    "hinge_embedding": 0.7667,
    "cosine_embedding": 0.5000,
    "kl_div": -0.3335,
}
ARTICLE_LOSSES = {
    "bce",
    "cross_entropy",
    "l1",
    "mse",
    "smooth_l1",
    "poisson_nll",
    "kl_div",
    "margin_ranking",
    "multilabel_margin",
    "soft_margin",
    "multi_margin",
    "triplet_margin",
    "hinge_embedding",
    "cosine_embedding",
    "ctc",
}


def test_the_article_losses_have_an_article_preset():
    assert {s.key for s in LOSSES if any(p.key == "article" for p in s.presets)} == ARTICLE_LOSSES


@pytest.mark.parametrize("key", sorted(ARTICLE_RESULTS))
def test_article_fixed_examples_give_the_articles_numbers(key):
    spec = BY_KEY[key]
    preset = spec.preset("article")
    result = compute.evaluate(spec, preset.make(), preset.params)
    assert result.value == pytest.approx(ARTICLE_RESULTS[key], abs=1e-4)


def test_article_random_examples_have_the_articles_shapes():
    shapes = {
        k: {n: tuple(t.shape) for n, t in BY_KEY[k].preset("article").make().args.items()}
        for k in ARTICLE_LOSSES - set(ARTICLE_RESULTS)
    }
    assert shapes["cross_entropy"] == {"input": (3, 5), "target": (3,)}
    assert shapes["l1"] == shapes["mse"] == shapes["smooth_l1"] == {"input": (3, 5), "target": (3, 5)}
    assert shapes["poisson_nll"] == {"input": (5, 2), "target": (5, 2)}
    assert shapes["triplet_margin"] == {"anchor": (100, 128), "positive": (100, 128), "negative": (100, 128)}
    assert shapes["ctc"] == {
        "log_probs": (50, 16, 20),
        "targets": (16, 30),
        "input_lengths": (16,),
        "target_lengths": (16,),
    }
    ctc = BY_KEY["ctc"].preset("article").make().args
    assert torch.allclose(ctc["log_probs"].exp().sum(-1), torch.ones(50, 16, dtype=torch.float64))
    assert ((ctc["target_lengths"] >= 10) & (ctc["target_lengths"] < 30)).all()
    bce = BY_KEY["bce"].preset("article").make().args
    assert ((bce["input"] > 0) & (bce["input"] < 1)).all() and set(bce["target"].tolist()) <= {0.0, 1.0}


def test_article_presets_are_reproducible():
    for key in ARTICLE_LOSSES:
        a, b = BY_KEY[key].preset("article").make(), BY_KEY[key].preset("article").make()
        assert all(torch.equal(a.args[k], b.args[k]) for k in a.args)
