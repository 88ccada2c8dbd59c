"""The texts of the classification and margin losses (BCE, BCEWithLogits, CrossEntropy, NLL,
MultiLabelSoftMargin, MarginRanking, HingeEmbedding, SoftMargin, MultiMargin, MultiLabelMargin) and
their flags, each checked with torch over every setting its page allows (weight, pos_weight,
ignore_index, label_smoothing, class-probability targets, p, margin, every reduction), or registered
as plain. Each preset's test checks that the page's shown quantity has the property its note names.

A text whose check fails here must be rewritten, not the check."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from core import compute
from core.catalog import BY_KEY
from core.expr import N, logsigmoid, logsumexp
from core.flags import TEXT as FLAG_TEXT
from core.latex import num
from tests.claims import claim, plain
from ui.kit.zh import ZH

F64 = torch.float64
REDUCTIONS = ("none", "mean", "sum")
EXAMPLES = settings(max_examples=40, deadline=None)

BCE, BCE_LOGITS, CE, NLL = BY_KEY["bce"], BY_KEY["bce_logits"], BY_KEY["cross_entropy"], BY_KEY["nll"]
MLSM, RANKING, HINGE = BY_KEY["multilabel_soft_margin"], BY_KEY["margin_ranking"], BY_KEY["hinge_embedding"]
SOFT, MULTI, MLM = BY_KEY["soft_margin"], BY_KEY["multi_margin"], BY_KEY["multilabel_margin"]
MINE = (BCE, BCE_LOGITS, CE, NLL, MLSM, RANKING, HINGE, SOFT, MULTI, MLM)


def t(values, dtype=F64):
    return torch.tensor(values, dtype=dtype)


def param(spec, name):
    return next(p for p in (*spec.params, *spec.inputs, *spec.options) if p.name == name)


def shown(spec, key, params=None):
    """The page at a preset: torch's evaluation of its case under its parameters (and `params`)."""
    preset = spec.preset(key)
    case = preset.make() if preset.make else compute.sample_case(spec, preset.values, preset.params)
    return compute.evaluate(spec, case, {**preset.params, **(params or {})}), case


def inputs(spec):
    return {p.name: p.default for p in spec.inputs}


def grad(fn, x):
    x = x.detach().clone().requires_grad_()
    (g,) = torch.autograd.grad(fn(x).sum(), x)
    return g


probability = st.floats(0.0, 1.0)
weights = st.none() | st.floats(0.0, 5.0)
reductions = st.sampled_from(REDUCTIONS)


# ================================================================ BCELoss


@claim(BCE.summary)
@given(p=st.floats(1e-40, 1.0), y=st.sampled_from([0.0, 1.0]), w=weights)
@EXAMPLES
def test_bce_is_the_surprise_at_the_label(p, y, w):
    """For a 0/1 label, BCELoss is −log of the probability the model gave that label (times w)."""
    given_to_label = p if y == 1 else 1 - p
    loss = F.binary_cross_entropy(t([p]), t([y]), weight=None if w is None else t([w])).item()
    expected = (1.0 if w is None else w) * -max(math.log(given_to_label), -100) if given_to_label > 0 else None
    if expected is None:  # log 0, clamped
        expected = 100.0 * (1.0 if w is None else w)
    assert loss == pytest.approx(expected, rel=1e-9, abs=1e-12)


@claim(BCE.notice)
@given(p=probability, y=probability, w=weights, reduction=reductions)
@EXAMPLES
def test_bce_grows_to_the_clamp_and_its_gradient_clamps_p_times_1_minus_p(p, y, w, reduction):
    weight = None if w is None else t([w])
    ww = 1.0 if w is None else w
    loss = F.binary_cross_entropy(t([p]), t([y]), weight=weight, reduction="none").item()
    assert loss <= 100 * ww + 1e-9  # the clamp of each log at -100 stops it at 100 (times the weight)
    g = grad(lambda x: F.binary_cross_entropy(x, t([y]), weight=weight, reduction=reduction), t([p])).item()
    assert math.isfinite(g)
    assert g == pytest.approx(ww * (p - y) / max(p * (1 - p), 1e-12), rel=1e-6, abs=1e-12)


def test_bce_climbs_without_bound_until_exactly_100_at_the_wrong_end():
    # grows without bound: -log p for p -> 0 with y = 1, far beyond any fixed level, before the clamp
    ps = [10.0**-k for k in range(1, 44)]
    losses = [F.binary_cross_entropy(t([p]), t([1.0])).item() for p in ps]
    assert all(b > a for a, b in zip(losses, losses[1:], strict=False))
    assert losses[-1] > 98
    for p in (0.0, 1e-50, 1e-300):  # below e^-100 = 3.7e-44: the clamp
        assert F.binary_cross_entropy(t([p]), t([1.0])).item() == 100.0
    assert F.binary_cross_entropy(t([1.0]), t([0.0]), weight=t([2.5])).item() == 250.0


@claim(BCE.pitfall)
def test_bce_needs_probabilities_and_fades_after_a_sigmoid_where_the_logits_version_does_not():
    for bad in (-0.1, 1.5):
        with pytest.raises(RuntimeError):
            F.binary_cross_entropy(t([bad]), t([1.0]))

    def through_sigmoid(x):
        return grad(lambda z: F.binary_cross_entropy(torch.sigmoid(z), t([1.0])), t([x])).item()

    for x in (-10.0, -20.0, -26.0, -26.9):  # σ(x) above 2e-12: the gradient is the exact σ(x) - 1
        assert torch.sigmoid(t(x)) > 2e-12 and through_sigmoid(x) == pytest.approx(-1, abs=1e-3)
    fading = [through_sigmoid(x) for x in (-28.0, -30.0, -35.0, -50.0)]  # σ(x) below 1e-12
    assert all(torch.sigmoid(t(x)) < 1e-12 for x in (-28.0, -30.0, -35.0, -50.0))
    assert all(abs(b) < abs(a) for a, b in zip(fading, fading[1:], strict=False)) and abs(fading[0]) < 0.8
    # the loss stops at 100; the logit version has no clamp, its gradient stays -1
    assert F.binary_cross_entropy(torch.sigmoid(t([-200.0])), t([1.0])).item() == 100.0
    assert F.binary_cross_entropy_with_logits(t([-200.0]), t([1.0])).item() == 200.0
    assert grad(lambda z: F.binary_cross_entropy_with_logits(z, t([1.0])), t([-200.0])).item() == -1.0


@claim(param(BCE, "weight").help)
@given(p=st.floats(0.01, 0.99), x=st.floats(-10, 10), y=probability, w=st.floats(0.0, 5.0))
@EXAMPLES
def test_weight_rescales_each_elements_loss(p, x, y, w):
    for spec, inp in ((BCE, t([p, 0.3])), (BCE_LOGITS, t([x, -1.0]))):
        target = t([y, 1.0])
        plain_ = spec.functional(inp, target, reduction="none")
        weighted = spec.functional(inp, target, weight=t([w]), reduction="none")  # one weight, broadcast
        assert torch.allclose(weighted, w * plain_, rtol=1e-12, atol=1e-15)


@claim(BCE.preset("article").note)
def test_bce_article_preset_is_sigmoids_and_0_1_labels():
    args = BCE.preset("article").make().args
    assert args["input"].shape == (3,) and bool(((args["input"] > 0) & (args["input"] < 1)).all())
    assert set(args["target"].tolist()) <= {0.0, 1.0}
    assert torch.allclose(torch.logit(args["input"]).sigmoid(), args["input"])


@claim(BCE.preset("confident_wrong").title, BCE.preset("confident_wrong").note)
def test_bce_confident_and_wrong_is_steep():
    result, case = shown(BCE, "confident_wrong")
    assert case.args["input"].item() == 0.01 and case.args["target"].item() == 1.0
    assert result.value == pytest.approx(-math.log(0.01))
    assert result.grads["input"].item() == pytest.approx(-1 / 0.01)
    less_sure = compute.evaluate(BCE, compute.sample_case(BCE, {"input": 0.1, "target": 1.0}, {}), {})
    assert abs(less_sure.grads["input"].item()) < abs(result.grads["input"].item())


@claim(BCE.preset("clamp").title, BCE.preset("clamp").note, FLAG_TEXT["bce_clamped"])
def test_bce_at_p_0_is_exactly_100_and_flagged():
    result, _ = shown(BCE, "clamp")
    assert result.value == 100.0 and result.finite
    assert [f.code for f in result.flags] == ["bce_clamped"]
    # the flag is raised wherever a log falls below -100, and only there
    for p, flagged in ((1e-50, True), (1.0, True), (1e-40, False), (0.5, False)):
        r = compute.evaluate(BCE, compute.sample_case(BCE, {"input": p, "target": 1.0}, {}), {"weight": (3.0,)})
        assert any(f.code == "bce_clamped" for f in r.flags) == flagged
        assert r.per_element.max() <= 300.0


# ================================================================ BCEWithLogitsLoss


def _softplus(z: float) -> float:
    return math.log1p(math.exp(-abs(z))) + max(z, 0.0)


@claim(BCE_LOGITS.summary)
@given(x=st.floats(-1000, 1000), y=probability)
@EXAMPLES
def test_bce_with_logits_is_accurate_at_any_logit_without_the_clamp(x, y):
    exact = y * _softplus(-x) + (1 - y) * _softplus(x)
    got = F.binary_cross_entropy_with_logits(t([x]), t([y])).item()
    assert math.isfinite(got) and abs(got - exact) <= 1e-14 * max(1.0, abs(x))  # rounding of |x|, no more
    if y == 1 and x < -100:  # beyond BCELoss's clamp at 100
        assert got > 100 and F.binary_cross_entropy(torch.sigmoid(t([x])), t([y])).item() == 100


@claim(BCE_LOGITS.notice)
@given(x=st.floats(-10, 10), y=probability, w=weights, pw=st.none() | st.floats(0.0, 10.0), reduction=reductions)
@EXAMPLES
def test_bce_with_logits_gradient_formula_and_bound(x, y, w, pw, reduction):
    ww, pp = (1.0 if w is None else w), (1.0 if pw is None else pw)
    kwargs = {"weight": None if w is None else t([w]), "pos_weight": None if pw is None else t([pw])}
    g = grad(lambda z: F.binary_cross_entropy_with_logits(z, t([y]), reduction=reduction, **kwargs), t([x])).item()
    s = 1 / (1 + math.exp(-x))
    expected = ww * (s - y) if pw is None else ww * ((pp * y + 1 - y) * s - pp * y)
    assert g == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert abs(g) <= ww * max(pp * y, 1 - y) + 1e-12


def _slider(spec, name) -> list[float]:
    """Every value a slider allows, both ends included."""
    p = param(spec, name)
    count = round((p.high - p.low) / p.step)
    return [round(p.low + k * p.step, 10) for k in range(count + 1)]


@claim(BCE_LOGITS.notice)
@given(
    w=st.sampled_from([None, *_slider(BCE_LOGITS, "weight")]),
    pw=st.sampled_from([None, *_slider(BCE_LOGITS, "pos_weight")]),
    y=st.sampled_from(_slider(BCE_LOGITS, "target")),
    reduction=reductions,
)
@example(w=0.0, pw=None, y=1.0, reduction="mean")  # the sliders' ends: w = 0 or p_w = 0 fades
@example(w=0.0, pw=None, y=0.0, reduction="mean")
@example(w=None, pw=0.0, y=1.0, reduction="mean")
@example(w=None, pw=0.0, y=0.0, reduction="mean")
@example(w=5.0, pw=10.0, y=0.5, reduction="sum")
@EXAMPLES
def test_bce_with_logits_gradient_tends_to_its_limits_and_fades_only_at_a_zero_weight(w, pw, y, reduction):
    ww, pp = (1.0 if w is None else w), (1.0 if pw is None else pw)
    kwargs = {"weight": None if w is None else t([w]), "pos_weight": None if pw is None else t([pw])}
    xs = t([-1000.0, *np.linspace(-40.0, 40.0, 161), 1000.0])
    g = grad(lambda z: F.binary_cross_entropy_with_logits(z, t([y] * len(xs)), reduction="none", **kwargs), xs)
    scale = 1 / len(xs) if reduction == "mean" else 1  # each element's gradient, whatever the reduction
    g_reduced = grad(
        lambda z: F.binary_cross_entropy_with_logits(z, t([y] * len(xs)), reduction=reduction, **kwargs), xs
    )
    torch.testing.assert_close(g_reduced, g * scale)
    low, high = -ww * pp * y, ww * (1 - y)
    assert g[0].item() == pytest.approx(low, abs=1e-12) and g[-1].item() == pytest.approx(high, abs=1e-12)
    # however wrong the logit it keeps pulling: the gradient only grows in size towards its limit
    assert bool((g.diff() >= -1e-15).all())  # non-decreasing in x: |g| grows as x goes to either end
    # a wrong logit (x → −∞ with y > 0, x → +∞ with y < 1) fades only at w = 0, or p_w = 0 on the x → −∞ side
    if y > 0:
        assert (low == 0) == (ww == 0 or pp == 0)
    if y < 1:
        assert (high == 0) == (ww == 0)
    # the notice names both exceptions (the sliders allow w = 0 and p_w = 0), in English and Chinese
    assert "unless w = 0, or p_w = 0 on the x → −∞ side" in BCE_LOGITS.notice
    assert "除非 w = 0，或在 x → −∞ 一侧 p_w = 0" in ZH[BCE_LOGITS.notice]


@claim(BCE_LOGITS.params[2].help)
@given(a=st.floats(0.01, 10), pw=st.floats(0.0, 10.0), x=st.floats(-10, 10), y=probability)
@EXAMPLES
def test_pos_weight_multiplies_the_positive_term_and_tilts_misses_against_false_alarms(a, pw, x, y):
    with_pw = F.binary_cross_entropy_with_logits(t([x]), t([y]), pos_weight=t([pw])).item()
    assert with_pw == pytest.approx(pw * y * _softplus(-x) + (1 - y) * _softplus(x), rel=1e-12, abs=1e-13)
    missed = F.binary_cross_entropy_with_logits(t([-a]), t([1.0]), pos_weight=t([pw])).item()
    false_alarm = F.binary_cross_entropy_with_logits(t([a]), t([0.0]), pos_weight=t([pw])).item()
    if pw > 1:
        assert missed > false_alarm
    elif pw < 1:
        assert missed < false_alarm


@claim(BCE_LOGITS.preset("extreme").title, BCE_LOGITS.preset("extreme").note)
def test_extreme_wrong_logit_still_pulls_at_full_strength():
    result, case = shown(BCE_LOGITS, "extreme")
    x = case.args["input"].item()
    assert x == -10 and case.args["target"].item() == 1
    assert result.value == pytest.approx(-x, abs=1e-4)
    assert -1 < result.grads["input"].item() < -0.9999


@claim(BCE_LOGITS.preset("pos_weight").title, BCE_LOGITS.preset("pos_weight").note)
def test_pos_weight_3_triples_the_loss_and_gradient_of_a_positive():
    result, case = shown(BCE_LOGITS, "pos_weight")
    assert case.args["target"].item() == 1.0
    base = compute.evaluate(BCE_LOGITS, case, {})
    assert result.value == pytest.approx(3 * base.value)
    assert result.grads["input"].item() == pytest.approx(3 * base.grads["input"].item())


# ================================================================ CrossEntropyLoss

logits = st.lists(st.floats(-5, 5), min_size=3, max_size=3)
# the page's sliders: weights in steps of 0.1, label_smoothing in steps of 0.01
class_weights = st.none() | st.lists(st.integers(0, 50).map(lambda k: k / 10), min_size=3, max_size=3)
smoothing = st.integers(0, 100).map(lambda k: k / 100)


def _target_distribution(y, probs, eps, c=3):
    q = t(probs) / sum(probs) if probs is not None else F.one_hot(t(y, torch.long), c).to(F64)
    return (1 - eps) * q + eps / c


@claim(CE.summary)
@given(
    z=st.lists(logits, min_size=1, max_size=3),
    w=class_weights,
    ignore=st.sampled_from([-100, 0, 1, 2]),
    eps=smoothing,
    reduction=reductions,
)
@EXAMPLES
def test_cross_entropy_is_log_softmax_then_nll_and_soft_targets_weigh_the_classes(z, w, ignore, eps, reduction):
    z_ = t(z)
    y = torch.arange(len(z)) % 3
    weight = None if w is None else t(w)
    ce = F.cross_entropy(z_, y, weight=weight, ignore_index=ignore, reduction=reduction)
    nll = F.nll_loss(F.log_softmax(z_, -1), y, weight=weight, ignore_index=ignore, reduction=reduction)
    assert torch.allclose(ce, nll, equal_nan=True, rtol=1e-12)
    # a soft target q (given, or a smoothed index): -Σ_c w_c q_c log softmax(z)_c per sample
    q = torch.stack([_target_distribution(int(k), None, eps) for k in y])
    soft = F.cross_entropy(z_, y, weight=weight, label_smoothing=eps, reduction="none")
    w_ = torch.ones(3, dtype=F64) if w is None else t(w)
    assert torch.allclose(soft, -(w_ * q * F.log_softmax(z_, -1)).sum(-1), rtol=1e-10, atol=1e-12)


@claim(CE.notice)
@given(
    z=logits,
    y=st.integers(0, 2),
    probs=st.none() | st.lists(st.floats(0.01, 1.0), min_size=3, max_size=3),
    w=class_weights,
    eps=smoothing,
)
@EXAMPLES
def test_cross_entropy_gradient_is_softmax_minus_the_target_distribution(z, y, probs, w, eps):
    target = t(y, torch.long) if probs is None else t(probs) / sum(probs)
    weight = None if w is None else t(w)
    g = grad(
        lambda x: F.cross_entropy(x[None], target[None], weight=weight, label_smoothing=eps, reduction="sum"), t(z)
    )
    q = _target_distribution(y, probs, eps)
    s = torch.softmax(t(z), -1)
    w_ = torch.ones(3, dtype=F64) if w is None else t(w)
    assert torch.allclose(g, (w_ * q).sum() * s - w_ * q, rtol=1e-9, atol=1e-12)
    if w is None:
        assert torch.allclose(g, s - q, rtol=1e-9, atol=1e-12)


@claim(CE.notice)
@given(z=logits, y=st.integers(0, 2), w=class_weights, eps=smoothing)
@EXAMPLES
def test_raising_the_true_logit_helps_less_and_less_and_with_smoothing_stops_before_1(z, y, w, eps):
    weight = None if w is None else t(w)
    line = torch.linspace(-30, 30, 601, dtype=F64)
    zs = t(z).repeat(len(line), 1)
    zs[:, y] = line
    g = grad(
        lambda x: F.cross_entropy(
            x, t([y] * len(line), torch.long), weight=weight, label_smoothing=eps, reduction="sum"
        ),
        zs,
    )[:, y]
    assert bool((torch.diff(g) >= -1e-12).all())  # rises towards 0: each step up helps less
    others_weigh = w is None or (w[y] > 0 and any(w[c] > 0 for c in range(3) if c != y))
    if eps > 0 and others_weigh:  # the gradient reaches 0 where the probability is below 1
        assert g[-1] > 0
        where = int(torch.nonzero(g > 0)[0])
        assert torch.softmax(zs[where], -1)[y] < 1 - 1e-6


# the most classes a CrossEntropyLoss page shows: the sliders' 3, or a preset's batch (the article's 5)
CE_MOST_CLASSES = max(
    (p.make() if p.make else compute.sample_case(CE, p.values, p.params)).args["input"].shape[-1] for p in CE.presets
)


def _pitfall_bounds(c: int) -> tuple[float, float]:
    """The two ends the pitfall names ("between <low> and <high>,"), evaluated for c classes."""
    match = re.search(r"between (.+?) and (.+?),", CE.pitfall)
    assert match, CE.pitfall

    def value(formula: str) -> float:
        python = formula.replace("−", "-").replace("·", "*").replace("C", str(c)).replace("e", "math.e")
        return float(eval(python.replace("log", "math.log"), {"math": math}))

    return value(match[1]), value(match[2])


def _simplex_point(draw, c):
    """A point of the simplex: a softmax of the page's logits, or any probabilities (corners, edges, zeros)."""
    if draw(st.booleans()):
        return torch.softmax(t(draw(st.lists(st.floats(-5, 5), min_size=c, max_size=c))), -1)
    share = t(draw(st.lists(st.floats(0, 1) | st.just(0.0), min_size=c, max_size=c).filter(lambda v: sum(v) > 0)))
    return share / share.sum()


@claim(CE.pitfall)
@pytest.mark.parametrize("c", range(2, CE_MOST_CLASSES + 1))
@given(data=st.data(), eps=smoothing)
@EXAMPLES
def test_softmax_before_cross_entropy_squashes_the_loss_and_shrinks_the_gradient(c, data, eps):
    low, high = _pitfall_bounds(c)
    # the ends are each class's -log softmax(p)_c at a one-hot p: low for the hot class, high for the others
    corners = -F.log_softmax(torch.eye(c, dtype=F64), -1)
    assert torch.allclose(corners, torch.where(torch.eye(c, dtype=torch.bool), t(low), t(high)), rtol=1e-12)
    # any other p of the simplex stays strictly between them
    p = _simplex_point(data.draw, c)
    terms = -F.log_softmax(p, -1)
    assert bool((terms >= low - 1e-12).all() and (terms <= high + 1e-12).all())
    if p.max() < 1 - 1e-9:
        assert bool((terms > low).all() and (terms < high).all())
    # for a class-index target without label smoothing, the softmax first shrinks the gradient
    z = t(data.draw(st.lists(st.floats(-5, 5), min_size=c, max_size=c)))
    y = data.draw(st.integers(0, c - 1))
    w = data.draw(st.none() | st.lists(st.integers(0, 50).map(lambda k: k / 10), min_size=c, max_size=c))
    weight = None if w is None else t(w)

    def ce(x):
        return F.cross_entropy(x[None], t([y], torch.long), weight=weight, label_smoothing=eps, reduction="sum")

    direct, twice = grad(ce, z), grad(lambda x: ce(torch.softmax(x, -1)), z)
    if eps == 0 and (weight is None or weight[y] > 0):
        assert twice.norm() < direct.norm()
    elif eps == 0:  # a class weight of 0: both gradients are 0
        assert twice.norm() == direct.norm() == 0

    def ignored(x):  # the target ignored (the page's ignore_index may name any class)
        return F.cross_entropy(x[None], t([y], torch.long), weight=weight, ignore_index=y, reduction="sum")

    assert grad(ignored, z).norm() == grad(lambda x: ignored(torch.softmax(x, -1)), z).norm() == 0
    assert F.cross_entropy(z[None], t([y], torch.long), reduction="none").item() == pytest.approx(
        -F.log_softmax(z, -1)[y].item()
    )


def test_the_squashed_range_is_narrower_than_on_logits():
    """The page's own logits reach past the pitfall's upper end, log(C − 1 + e), and below its lower one."""
    low, high = _pitfall_bounds(3)
    assert F.cross_entropy(t([[-5.0, 5.0, 5.0]]), t([0], torch.long)).item() > high
    assert F.cross_entropy(t([[5.0, -5.0, -5.0]]), t([0], torch.long)).item() < low


@claim(param(CE, "ignore_index").help)
@given(z=st.lists(logits, min_size=2, max_size=4), w=class_weights, ignore=st.sampled_from([0, 1, 2]), eps=smoothing)
@EXAMPLES
def test_ignored_samples_are_skipped_and_not_counted_by_mean(z, w, ignore, eps):
    for spec in (CE, NLL):
        x = t(z) if spec is CE else F.log_softmax(t(z), -1)
        y = torch.arange(len(z)) % 3
        kw = {"weight": None if w is None else t(w)} | ({"label_smoothing": eps} if spec is CE else {})
        none = spec.functional(x, y, ignore_index=ignore, reduction="none", **kw)
        assert bool((none[y == ignore] == 0).all())
        keep = y != ignore
        if keep.any():
            mean = spec.functional(x, y, ignore_index=ignore, reduction="mean", **kw)
            alone = spec.functional(x[keep], y[keep], reduction="mean", **kw)
            assert torch.allclose(mean, alone, equal_nan=True, rtol=1e-12)


@claim(param(CE, "label_smoothing").help)
@given(
    z=st.lists(logits, min_size=1, max_size=3),
    w=class_weights,
    eps=st.floats(0.0, 1.0),
    probs=st.booleans(),
    reduction=st.sampled_from(["none", "sum"]),
)
@EXAMPLES
def test_label_smoothing_mixes_the_target_with_uniform(z, w, eps, probs, reduction):
    z_ = t(z)
    y = torch.arange(len(z)) % 3
    target = F.one_hot(y, 3).to(F64) * 0.6 + 0.4 / 3 if probs else y
    q = target if probs else F.one_hot(y, 3).to(F64)
    weight = None if w is None else t(w)
    smoothed = F.cross_entropy(z_, target, weight=weight, label_smoothing=eps, reduction=reduction)
    mixed = F.cross_entropy(z_, (1 - eps) * q + eps / 3, weight=weight, reduction=reduction)
    assert torch.allclose(smoothed, mixed, rtol=1e-10, atol=1e-12)


@claim(*(p.help for p in CE.inputs[4:]))
def test_class_probability_targets_are_normalized_by_the_page():
    args = compute.sample_case(CE, {"target_kind": "probs", "t0": 2.0 / 4, "t1": 0.5, "t2": 1.0}, {}).args
    assert torch.allclose(args["target"], t([[0.25, 0.25, 0.5]]))


@claim(CE.sweep.label)
def test_the_sweep_moves_the_true_logit_or_z0_for_probabilities():
    for y in range(3):
        assert CE.sweep.field_for({"y": y, "target_kind": "index"}) == f"z{y}"
    assert CE.sweep.field_for({"y": 2, "target_kind": "probs"}) == "z0"


@claim(CE.preset("article").note)
def test_cross_entropy_article_preset_shapes():
    args = CE.preset("article").make().args
    assert args["input"].shape == (3, 5) and args["target"].shape == (3,)
    assert args["target"].dtype == torch.long and bool(((args["target"] >= 0) & (args["target"] < 5)).all())


@claim(CE.preset("wrong").title, CE.preset("wrong").note)
def test_confident_and_wrong_cross_entropy_costs_the_gap_and_pulls_at_nearly_minus_1():
    result, case = shown(CE, "wrong")
    z, y = case.args["input"][0], int(case.args["target"][0])
    gap = float(z.max() - z[y])
    assert y == 1 and gap == 4
    assert result.value == pytest.approx(gap, abs=0.05)
    g = result.grads["input"][0]
    assert -1 < g[y] < -0.95 and g[y] == g.min()


@claim(CE.preset("smoothing").title, CE.preset("smoothing").note)
def test_label_smoothing_keeps_the_loss_above_0_with_a_minimum_at_0_9_plus_0_1_over_3():
    preset = CE.preset("smoothing")
    eps = preset.params["label_smoothing"]
    values = {**CE.defaults(), **preset.values}
    curve = compute.curve(CE, values, preset.params)
    assert curve.loss.min() > 0
    i = int(np.argmin(curve.loss))
    assert 0 < i < len(curve.loss) - 1 and curve.grad[i - 1] < 0 < curve.grad[i + 1]
    z = torch.tensor([values[f"z{c}"] for c in range(3)], dtype=F64)
    y = values["y"]
    z[y] = float(curve.x[i])
    assert torch.softmax(z, -1)[y].item() == pytest.approx(1 - eps + eps / 3, abs=0.01)


@claim(CE.preset("soft_targets").title, CE.preset("soft_targets").note)
def test_a_soft_target_costs_at_least_its_entropy_reached_where_softmax_equals_it():
    result, case = shown(CE, "soft_targets")
    q = case.args["target"][0]
    assert torch.allclose(q, t([0.7, 0.2, 0.1]))
    entropy = -(q * q.log()).sum().item()
    at_q = compute.evaluate(
        CE,
        compute.sample_case(
            CE, {**CE.preset("soft_targets").values, **{f"z{c}": math.log(q[c].item()) for c in range(3)}}, {}
        ),
        {},
    )
    assert at_q.value == pytest.approx(entropy) and np.allclose(at_q.grads["input"], 0, atol=1e-12)
    assert result.value > entropy
    torch.manual_seed(0)
    for z in torch.randn(50, 3, dtype=F64) * 3:
        assert F.cross_entropy(z[None], q[None]).item() >= entropy - 1e-12


@claim(FLAG_TEXT["ce_probabilities"])
def test_cross_entropy_applies_log_softmax_itself_and_flags_probability_inputs():
    p = t([[0.7, 0.2, 0.1]])
    assert F.cross_entropy(p, t([0], torch.long)).item() == pytest.approx(-F.log_softmax(p, -1)[0, 0].item())
    case = compute.batch_case(CE, [{"z0": 0.7, "z1": 0.2, "z2": 0.1, "y": 0}], {}, {})
    assert [f.code for f in compute.evaluate(CE, case, {}).flags] == ["ce_probabilities"]
    assert not compute.evaluate(CE, compute.sample_case(CE, {}, {}), {}).flags


@claim(FLAG_TEXT["all_ignored"])
@given(ignore=st.sampled_from([0, 1, 2]), eps=smoothing, w=class_weights, reduction=reductions)
@EXAMPLES
def test_every_target_ignored_is_nan_under_mean_and_flagged_there(ignore, eps, w, reduction):
    for spec in (CE, NLL):
        params = {"ignore_index": ignore, "weight": None if w is None else tuple(w), "reduction": reduction}
        params |= {"label_smoothing": eps} if spec is CE else {}
        rows = [{**inputs(spec), "y": ignore}] * 2
        result = compute.evaluate(spec, compute.batch_case(spec, rows, {}, params), params)
        flagged = [f.code for f in result.flags if f.code in ("all_ignored", "zero_weights")]
        # 'mean' is NaN, and the page's table of reductions shows it under every chosen reduction
        assert math.isnan(result.by_reduction["mean"]) and flagged == ["all_ignored"]
        if reduction == "mean":
            assert math.isnan(result.value)
        else:
            assert np.all(np.asarray(result.value) == 0)


@claim(FLAG_TEXT["zero_weights"])
@given(eps=smoothing, y=st.integers(0, 2), reduction=reductions)
@EXAMPLES
def test_zero_weights_of_every_kept_target_give_nan_under_mean(eps, y, reduction):
    w = [1.0, 2.0, 0.5]
    w[y] = 0.0
    for spec in (CE, NLL):
        params = {"weight": tuple(w), "reduction": reduction} | ({"label_smoothing": eps} if spec is CE else {})
        rows = [{**inputs(spec), "y": y}] * 2
        result = compute.evaluate(spec, compute.batch_case(spec, rows, {}, params), params)
        flagged = [f.code for f in result.flags if f.code in ("all_ignored", "zero_weights")]
        assert math.isnan(result.by_reduction["mean"]) and flagged == ["zero_weights"]  # shown in the table
        if reduction == "mean":
            assert math.isnan(result.value)
        else:
            assert np.all(np.isfinite(result.value))


def test_the_smoothed_mean_over_zero_weights_is_nan_in_the_by_hand_line_too():
    params = {"weight": (0.0, 1.0, 1.0), "label_smoothing": 0.2, "reduction": "mean"}
    case = compute.sample_case(CE, {"y": 0}, params)
    b = compute.breakdown(CE, case, params)
    assert math.isnan(b.value) and b.lines[-1].endswith(r"\mathrm{NaN}")


# ================================================================ NLLLoss

log_probs = st.lists(st.floats(-6, 1), min_size=3, max_size=3)


@claim(NLL.summary)
@given(x=st.lists(log_probs, min_size=1, max_size=3), w=class_weights, reduction=st.sampled_from(["none", "sum"]))
@example(x=[[0.5, 0.5, 0.5]], w=None, reduction="none")  # no log-probabilities: exp sums to 3e^0.5, not 1
@EXAMPLES
def test_nll_picks_minus_the_true_entry_whatever_the_input(x, w, reduction):
    x_ = t(x)
    y = torch.arange(len(x)) % 3
    loss = F.nll_loss(x_, y, weight=None if w is None else t(w), reduction=reduction)  # no error on any input
    w_ = torch.ones(3, dtype=F64) if w is None else t(w)
    picked = -w_[y] * x_[torch.arange(len(x)), y]
    assert torch.allclose(loss, picked if reduction == "none" else picked.sum(), rtol=1e-12)


@claim(NLL.summary)
@pytest.mark.parametrize("ignore_index", [-100, 0, 1, 2])
def test_nll_checks_the_target_but_not_that_the_input_is_log_probabilities(ignore_index):
    x = t([[0.5, 0.5, 0.5], [3.0, -7.0, 2.0]])  # rows whose exp does not sum to 1: accepted
    assert not torch.allclose(x.exp().sum(-1), torch.ones(2, dtype=F64))
    y = torch.tensor([1, 2])
    picked = F.nll_loss(x, y, reduction="none", ignore_index=ignore_index)
    expected = -x[torch.arange(2), y] * (y != ignore_index)
    torch.testing.assert_close(picked, expected)
    # the target is checked: a class index outside 0..C-1 (other than ignore_index) raises
    for bad in (3, 5, -1, -3):
        if bad == ignore_index:
            continue
        with pytest.raises(IndexError, match="out of bounds"):
            F.nll_loss(x, torch.tensor([0, bad]), ignore_index=ignore_index)
    # so the summary's "no check" is about the input only, in English and Chinese
    assert NLL.summary.endswith("no check that the input is log-probabilities.")
    assert ZH[NLL.summary].endswith("也不检查输入是否为对数概率。")


@claim(NLL.notice)
@given(x=st.lists(log_probs, min_size=1, max_size=3), w=class_weights, reduction=reductions)
@EXAMPLES
def test_nll_is_linear_its_gradient_minus_w_y_on_the_true_entry(x, w, reduction):
    x_ = t(x)
    y = torch.arange(len(x)) % 3
    weight = None if w is None else t(w)
    g = grad(lambda v: F.nll_loss(v, y, weight=weight, reduction=reduction), x_)
    w_ = torch.ones(3, dtype=F64) if w is None else t(w)
    picked = -w_[y] / w_[y].sum() if reduction == "mean" else -w_[y]  # 0/0 = NaN when every w_y is 0
    # −w_y (over Σ w_y under 'mean') on the true entry, 0 on the others
    expected = torch.where(F.one_hot(y, 3).bool(), picked[:, None], torch.zeros((), dtype=F64))
    assert torch.allclose(g, expected, equal_nan=True)
    assert torch.allclose(
        grad(lambda v: F.nll_loss(v, y, weight=weight, reduction=reduction), x_ + 3.7), g, equal_nan=True
    )


@claim(NLL.pitfall)
def test_nll_given_logits_or_probabilities_computes_something_else_silently():
    z = t([[2.0, 1.0, 0.1]])
    y = t([0], torch.long)
    right = F.cross_entropy(z, y).item()
    for wrong in (z, torch.softmax(z, -1)):
        assert F.nll_loss(wrong, y).item() != pytest.approx(right, rel=1e-3)
    assert F.nll_loss(F.log_softmax(z, -1), y).item() == pytest.approx(right)


@claim(NLL.preset("unnormalized").title, NLL.preset("unnormalized").note, FLAG_TEXT["nll_not_log_probs"])
def test_not_log_probabilities_give_a_negative_loss_without_error_and_a_warning():
    result, case = shown(NLL, "unnormalized")
    x = case.args["input"][0]
    assert not math.isclose(x.exp().sum().item(), 1, abs_tol=1e-3)
    assert result.value == -x[int(case.args["target"][0])].item() < 0
    assert [f.code for f in result.flags] == ["nll_not_log_probs"]
    mass = float(x.exp().sum())
    assert f"{mass:.3g}"[:3] in str(result.flags[0])
    fine = compute.evaluate(NLL, compute.sample_case(NLL, {}, {}), {})
    assert not fine.flags


@claim(NLL.preset("ignored").title, NLL.preset("ignored").note)
def test_ignored_class_preset_leaves_nothing_to_average():
    result, case = shown(NLL, "ignored")
    assert int(case.args["target"][0]) == NLL.preset("ignored").params["ignore_index"]
    assert math.isnan(result.value) and [f.code for f in result.flags] == ["all_ignored"]
    assert shown(NLL, "ignored", {"reduction": "sum"})[0].value == 0


# ================================================================ MultiLabelSoftMarginLoss

multi_hot = st.lists(st.booleans(), min_size=3, max_size=3)


@claim(MLSM.summary, MLSM.notice)
@given(
    x=st.lists(st.lists(st.floats(-5, 5), min_size=3, max_size=3), min_size=1, max_size=3),
    y=multi_hot,
    w=class_weights,
    reduction=reductions,
)
@EXAMPLES
def test_multilabel_soft_margin_is_the_mean_over_classes_of_weighted_logistic_losses(x, y, w, reduction):
    x_ = t(x)
    y_ = t([y] * len(x)).to(F64)
    weight = None if w is None else t(w)
    per_class = F.binary_cross_entropy_with_logits(x_, y_, reduction="none")
    if weight is not None:
        per_class = per_class * weight
    per_sample = per_class.sum(-1) / 3  # the mean over the C classes, weights or not
    expected = {"none": per_sample, "mean": per_sample.mean(), "sum": per_sample.sum()}[reduction]
    got = F.multilabel_soft_margin_loss(x_, y_, weight=weight, reduction=reduction)
    assert torch.allclose(got, expected, rtol=1e-10, atol=1e-14)


@claim(MLSM.pitfall)
def test_multi_hot_for_the_soft_margin_class_indices_for_the_margin_loss():
    x = t([[1.5, -0.5, 0.3]])
    hot = t([[1.0, 0.0, 1.0]])
    soft = F.multilabel_soft_margin_loss(x, hot).item()
    assert soft == pytest.approx(F.binary_cross_entropy_with_logits(x, hot).item())
    indices = t([[0, 2, -1]], torch.long)  # the same labels, as MultiLabelMarginLoss reads them
    pairs = [max(0.0, 1 - (x[0, j] - x[0, 1]).item()) for j in (0, 2)]
    assert F.multilabel_margin_loss(x, indices).item() == pytest.approx(sum(pairs) / 3)
    misread = F.multilabel_margin_loss(x, hot.long()).item()  # 0/1 read as the indices 1, 0, 1
    assert misread != pytest.approx(F.multilabel_margin_loss(x, indices).item())


@claim(MLSM.preset("all_right").title, MLSM.preset("all_right").note)
def test_every_label_right_is_small_but_not_zero():
    result, case = shown(MLSM, "all_right")
    x, y = case.args["input"][0], case.args["target"][0]
    assert bool(((x > 0) == (y > 0)).all()) and bool((x.abs() == 4).all())
    assert result.value == pytest.approx(math.log1p(math.exp(-4))) and result.value > 0


# ================================================================ MarginRankingLoss

scores = st.floats(-3, 3)
signs = st.sampled_from([-1.0, 1.0])
margins = st.floats(0.0, 3.0)


@claim(RANKING.summary, RANKING.notice, RANKING.params[1].help)
@given(x1=scores, x2=scores, y=signs, m=margins, reduction=reductions, n=st.integers(1, 3))
@EXAMPLES
def test_ranking_is_zero_once_the_lead_reaches_the_margin_and_linear_before(x1, x2, y, m, reduction, n):
    a, b, target = t([x1] * n), t([x2] * n), t([y] * n)
    loss = F.margin_ranking_loss(a, b, target, margin=m, reduction="none")
    lead = y * (x1 - x2)  # how far the right score leads
    assert bool((loss == 0).all()) == (lead >= m) or math.isclose(lead, m, abs_tol=1e-12)
    g1 = grad(lambda v: F.margin_ranking_loss(v, b, target, margin=m, reduction=reduction), a)
    g2 = grad(lambda v: F.margin_ranking_loss(a, v, target, margin=m, reduction=reduction), b)
    scale = 1 / n if reduction == "mean" else 1
    if lead < m - 1e-12:  # short of the margin: constant ±1 (per pair under 'mean'), linear loss
        assert torch.allclose(g1, t([-y * scale] * n)) and torch.allclose(g2, t([y * scale] * n))
        assert loss[0].item() == pytest.approx(m - lead)
    elif lead > m + 1e-12:
        assert bool((g1 == 0).all() and (g2 == 0).all())


@claim(RANKING.preset("article").note)
def test_ranking_article_preset_is_two_score_sets_and_signs():
    args = RANKING.preset("article").make().args
    assert args["input1"].shape == args["input2"].shape == args["target"].shape == (3,)
    assert set(args["target"].tolist()) <= {-1.0, 1.0}


@claim(RANKING.preset("margin").title, RANKING.preset("margin").note)
def test_margin_preset_ranked_right_still_pays_until_the_lead_reaches_it():
    result, case = shown(RANKING, "margin")
    m = RANKING.preset("margin").params["margin"]
    x1, x2, y = (case.args[k].item() for k in ("input1", "input2", "target"))
    assert y == 1 and 0 < x1 - x2 < m and result.value > 0
    at_margin = compute.sample_case(RANKING, {"x1": x2 + m, "x2": x2, "y": 1}, {})
    assert compute.evaluate(RANKING, at_margin, {"margin": m}).value == 0


# ================================================================ HingeEmbeddingLoss


@claim(HINGE.summary, HINGE.notice, HINGE.params[1].help)
@given(x=st.floats(-1, 4), y=signs, m=margins, reduction=reductions, n=st.integers(1, 3))
@EXAMPLES
def test_hinge_embedding_pulls_similar_pairs_constantly_and_pushes_dissimilar_ones_within_the_margin(
    x, y, m, reduction, n
):
    target = t([y] * n)
    loss = F.hinge_embedding_loss(t([x] * n), target, margin=m, reduction="none")[0].item()
    g = grad(lambda v: F.hinge_embedding_loss(v, target, margin=m, reduction=reduction), t([x] * n))
    scale = 1 / n if reduction == "mean" else 1
    if y == 1:  # pays its distance; pulled with force 1 at any distance
        assert loss == x and torch.allclose(g, t([scale] * n))
    else:
        assert loss == pytest.approx(max(0.0, m - x))
        if x < m:
            assert torch.allclose(g, t([-scale] * n))
        elif x > m:
            assert loss == 0 and bool((g == 0).all())


def test_zh_divides_by_the_number_of_pairs_not_by_a_logarithm():
    """'mean' divides by the number of pairs (N); 对数 alone reads "the logarithm" in Chinese."""
    for spec in (HINGE, RANKING):
        assert "number of pairs" in spec.notice
        assert "除以对数" not in ZH[spec.notice] and "除以样本对的个数" in ZH[spec.notice]
    x1, x2, y = t([0.3, 2.0, 0.1, 1.5]), t([1.0, 0.5, 0.4, 2.0]), t([1.0, -1.0, -1.0, 1.0])
    for loss, args in ((F.hinge_embedding_loss, (x1, y)), (F.margin_ranking_loss, (x1, x2, y))):
        assert loss(*args).item() == pytest.approx(loss(*args, reduction="sum").item() / len(y))  # 4 pairs


@claim(HINGE.preset("article").note)
def test_hinge_article_preset_tensors():
    args = HINGE.preset("article").make().args
    assert args["input"].tolist() == [[1.0, 0.8, 0.5]] and args["target"].tolist() == [[1.0, 1.0, -1.0]]


@claim(HINGE.preset("dissimilar").title, HINGE.preset("dissimilar").note)
def test_dissimilar_and_close_pays_the_rest_of_the_margin_and_is_pushed_apart():
    result, case = shown(HINGE, "dissimilar")
    m = HINGE.param_defaults()["margin"]
    assert case.args["target"].item() == -1 and case.args["input"].item() == 0.2 < m
    assert result.value == pytest.approx(m - 0.2) and result.grads["input"].item() == -1


# ================================================================ SoftMarginLoss


@claim(SOFT.summary, SOFT.notice)
@given(x=st.floats(-5, 5), y=signs, reduction=reductions, n=st.integers(1, 3))
@EXAMPLES
def test_soft_margin_is_the_logistic_loss_of_y_x_positive_with_a_fading_gradient(x, y, reduction, n):
    target = t([y] * n)
    loss = F.soft_margin_loss(t([x] * n), target, reduction="none")[0].item()
    assert loss == pytest.approx(math.log1p(math.exp(-y * x)), rel=1e-12) and loss > 0
    g = grad(lambda v: F.soft_margin_loss(v, target, reduction=reduction), t([x] * n))
    scale = 1 / n if reduction == "mean" else 1
    assert torch.allclose(g, t([-y / (1 + math.exp(y * x)) * scale] * n), rtol=1e-9)
    # depends on y·x only; the gradient fades as y·x grows
    assert F.soft_margin_loss(t([-x]), t([-y])).item() == pytest.approx(loss)
    further = grad(lambda v: F.soft_margin_loss(v, t([y])), t([x + 0.5 * y])).abs().item()
    assert further < abs(g[0].item()) / scale
    # never zero: even at y·x = 700, far beyond the page's ±5
    assert F.soft_margin_loss(t([700.0]), t([1.0])).item() > 0


@claim(SOFT.pitfall)
def test_soft_margin_is_logistic_not_the_hinge():
    x, y = t([0.3, 0.7, 2.0]), t([-1.0, 1.0, 1.0])
    got = F.soft_margin_loss(x, y, reduction="none")
    assert torch.allclose(got, torch.log1p(torch.exp(-y * x)))
    assert not torch.allclose(got, (1 - y * x).clamp(min=0))


@claim(SOFT.preset("article").note)
def test_soft_margin_article_preset_tensors():
    args = SOFT.preset("article").make().args
    assert args["input"].tolist() == [[0.3, 0.7], [0.5, 0.5]]
    assert args["target"].tolist() == [[-1.0, 1.0], [1.0, -1.0]]


# ================================================================ MultiMarginLoss


@claim(MULTI.summary, MULTI.notice, MULTI.params[2].help, MULTI.pitfall)
@given(
    x=st.lists(scores, min_size=3, max_size=3),
    y=st.integers(0, 2),
    m=margins,
    power=st.sampled_from([1, 2]),
    w=class_weights,
)
@EXAMPLES
def test_multi_margin_counts_classes_within_the_margin_and_divides_by_c(x, y, m, power, w):
    loss = F.multi_margin_loss(t([x]), t([y], torch.long), p=power, margin=m, weight=None if w is None else t(w))
    w_y = 1.0 if w is None else w[y]
    # only these contribute (a positive hinge term; a difference below ~1e-154 squares to 0 in float64)
    within = [j for j in range(3) if j != y and (m - x[y] + x[j]) > 0 and (m - x[y] + x[j]) ** power > 0]
    expected = w_y * sum((m - x[y] + x[j]) ** power for j in within) / 3  # by C = 3, not C - 1
    assert loss.item() == pytest.approx(expected, rel=1e-9, abs=1e-12)
    if w_y > 0:
        assert (loss.item() == 0) == (not within)  # zero once every other class trails by the margin


@claim(MULTI.preset("article").note)
def test_multi_margin_article_preset_tensors():
    args = MULTI.preset("article").make().args
    assert args["input"].tolist() == [[0.3, 0.7], [0.5, 0.5]] and args["target"].tolist() == [0, 1]


@claim(MULTI.preset("squared").title, MULTI.preset("squared").note)
def test_squared_hinge_costs_more_above_1_and_less_below():
    result, case = shown(MULTI, "squared")
    x, y = case.args["input"][0].tolist(), int(case.args["target"][0])
    hinges = [max(0.0, 1 - x[y] + x[j]) for j in range(3) if j != y]
    assert any(h > 1 for h in hinges) and any(0 < h < 1 for h in hinges)  # both cases are on the page
    assert result.value == pytest.approx(sum(h**2 for h in hinges) / 3)
    for h in hinges:
        assert (h**2 > h) == (h > 1)
    # the gradient shrinks to 0 at the margin with p = 2: the curve is smooth there
    curve = compute.curve(MULTI, {**MULTI.defaults(), **MULTI.preset("squared").values}, {"p": 2})
    near = np.abs(curve.loss) < 1e-3
    assert np.all(np.abs(curve.grad[near]) < 0.1)


# ================================================================ MultiLabelMarginLoss

label_rows = st.lists(st.sampled_from([-1, 0, 1, 2]), min_size=3, max_size=3)


def _read(row):
    return row[: row.index(-1)] if -1 in row else row


@claim(MLM.summary, MLM.notice, MLM.inputs[3].help, MLM.pitfall)
@given(x=st.lists(scores, min_size=3, max_size=3), row=label_rows)
@EXAMPLES
def test_multilabel_margin_pairs_each_true_class_with_each_other_until_the_first_minus_1(x, row):
    loss = F.multilabel_margin_loss(t([x]), t([row], torch.long)).item()
    labels = _read(row)
    others = [k for k in range(3) if k not in labels]
    expected = sum(max(0.0, 1 - (x[j] - x[k])) for j in labels for k in others) / 3
    assert loss == pytest.approx(expected, rel=1e-9, abs=1e-12)
    padded = labels + [-1] * (3 - len(labels))  # entries after the first -1 changed: same loss
    assert F.multilabel_margin_loss(t([x]), t([padded], torch.long)).item() == loss
    # zero exactly when each true class scores at least 1 above each other class
    assert (loss == 0) == all(x[j] - x[k] >= 1 for j in labels for k in others)


@claim(MLM.notice)
@given(x=st.lists(scores, min_size=3, max_size=3), j=st.sampled_from([0, 1, 2]), other=st.sampled_from([0, 1, 2]))
@EXAMPLES
def test_multilabel_margin_counts_a_class_listed_twice_twice(x, j, other):
    """'a class listed twice is counted twice': [j, j] adds j's pairs twice, [j, j, j] three times, and a
    repeat after another class adds its pairs again (not the loss of the set {j})."""

    def loss(row):
        return F.multilabel_margin_loss(t([x]), t([row], torch.long)).item()

    def pairs(labels):
        return sum(max(0.0, 1 - (x[a] - x[k])) for a in labels for k in range(3) if k not in labels) / 3

    once = loss([j, -1, -1])
    assert once == pytest.approx(pairs([j]), rel=1e-9, abs=1e-12)
    assert loss([j, j, -1]) == pytest.approx(2 * once, rel=1e-9, abs=1e-12)
    assert loss([j, j, j]) == pytest.approx(3 * once, rel=1e-9, abs=1e-12)
    listed = [j, other, j]  # j twice and other once (or j three times): each listing adds its pairs
    expected = sum(pairs_vs(x, a, set(listed)) for a in listed)
    assert loss(listed) == pytest.approx(expected, rel=1e-9, abs=1e-12)
    if pairs([j]) > 0:  # the set {j} would give less
        assert loss([j, j, -1]) > loss([j, -1, -1])


def pairs_vs(x, a, labels):
    """Class a's pairs with every class not listed, over C = 3."""
    return sum(max(0.0, 1 - (x[a] - x[k])) for k in range(3) if k not in labels) / 3


def test_multilabel_margin_by_hand_line_writes_the_target_as_the_list_torch_reads():
    """y = [1, 1], a list (a repeat counts again), not the set {1, 1} = {1}; the line's value is torch's."""
    x = [0.3, 0.7, 0.1]
    for row, shown in (([1, 1, -1], "y = [1, 1]"), ([2, 0, -1], "y = [2, 0]"), ([-1, 2, 0], "y = []")):
        values = {**{f"x{k}": v for k, v in enumerate(x)}, **{f"t{k}": v for k, v in enumerate(row)}}
        case = compute.sample_case(MLM, values, {})
        (line,) = compute.breakdown(MLM, case, {"reduction": "none"}).lines
        assert line.startswith(shown + r":\ "), line
        assert "\\{" not in line
        torch_loss = F.multilabel_margin_loss(t([x]), t([row], torch.long), reduction="none").item()
        assert line.endswith(num(torch_loss)), (line, torch_loss)


@claim(MLM.sweep.label)
def test_the_sweep_moves_the_first_listed_class_or_x0():
    assert MLM.sweep.field_for({"t0": 2, "t1": 0, "t2": -1}) == "x2"
    assert MLM.sweep.field_for({"t0": -1, "t1": 1, "t2": 2}) == "x0"


@claim(MLM.preset("article").note)
def test_multilabel_margin_article_preset_tensors():
    args = MLM.preset("article").make().args
    assert args["input"].tolist() == [[0.9, 0.2, 0.4, 0.8]] and args["target"].tolist() == [[3, 0, -1, -1]]
    assert _read(args["target"][0].tolist()) == [3, 0]


@claim(MLM.preset("padding").title, MLM.preset("padding").note, FLAG_TEXT["mlm_after_padding"])
def test_after_the_minus_1_nothing_counts_and_the_warning_says_so():
    result, case = shown(MLM, "padding")
    row = case.args["target"][0].tolist()
    assert row == [1, -1, 2]
    alone = compute.sample_case(MLM, {**MLM.preset("padding").values, "t2": -1}, {})
    assert result.value == compute.evaluate(MLM, alone, {}).value
    assert [f.code for f in result.flags] == ["mlm_after_padding"]
    assert not compute.evaluate(MLM, alone, {}).flags


# ================================================================ the expressions added for these lines


@given(x=st.floats(-800, 800))
@EXAMPLES
def test_logsigmoid_evaluates_torchs_logsigmoid_at_any_logit(x):
    assert logsigmoid(N(x)).value() == pytest.approx(F.logsigmoid(t(x)).item(), rel=1e-12, abs=1e-300)
    assert logsigmoid(N(x), complement=True).value() == pytest.approx(F.logsigmoid(t(-x)).item(), rel=1e-12, abs=1e-300)


@given(z=st.lists(st.floats(-800, 800), min_size=1, max_size=6))
@EXAMPLES
def test_logsumexp_evaluates_torchs_logsumexp(z):
    assert logsumexp([N(v) for v in z]).value() == pytest.approx(torch.logsumexp(t(z), 0).item(), rel=1e-12)
    assert logsumexp([N(2), N(-1)]).latex() == r"\log\left(e^{2} + e^{-1}\right)"


def test_the_by_hand_lines_show_the_weight_and_the_smoothing_term():
    """Issue example 5: MultiMargin's w_y and CrossEntropy's smoothing term are in the line."""
    case = compute.sample_case(MULTI, {}, {"weight": (2.0, 1.0, 1.0)})
    line = MULTI.terms(case.args, compute.check_params(MULTI, {"weight": (2.0, 1.0, 1.0)}))[0]
    assert line.expr.value() == pytest.approx(line.value) and line.latex().startswith(r"y = 0:\ \frac{2 \cdot")
    p = compute.check_params(CE, {"label_smoothing": 0.1})
    line = CE.terms(compute.sample_case(CE, {}, p).args, p)[0]
    assert r"\frac{0.1}{3}" in line.latex() and line.expr.value() == pytest.approx(line.value)


# ================================================================ plain texts

plain(
    "definition",
    BCE.inputs[0].help,
    BCE.inputs[1].help,
    BCE_LOGITS.inputs[0].help,
    *(p.help for p in CE.inputs[:3]),
    param(CE, "target_kind").help,
    *(p.help for p in NLL.inputs[:3]),
    *(p.help for p in MLSM.inputs),
    *(p.help for p in RANKING.inputs),
    *(p.help for p in HINGE.inputs),
    SOFT.inputs[0].help,
    SOFT.inputs[1].help,
    CE.inputs[3].help,
    *(p.help for p in MULTI.inputs[:3]),
    param(MULTI, "p").help,
    param(MULTI, "weight").help,
    param(CE, "weight").help,
    param(NLL, "weight").help,
    param(MLSM, "weight").help,
)
plain(
    "label",
    BCE.sweep.label,
    BCE_LOGITS.sweep.label,
    NLL.sweep.label,
    MLSM.sweep.label,
    RANKING.sweep.label,
    HINGE.sweep.label,
    SOFT.sweep.label,
    MULTI.sweep.label,
)
plain(
    "message",
    "-100 (none) with class-probability targets: it applies to class indices only",
    "class indices 0..{last}, padded with -1",
    "target weights ≥ 0 with a positive sum",
)


@given(
    z=st.lists(st.floats(-6, 6), min_size=3, max_size=3),
    y=st.integers(0, 2),
    probs=st.none() | st.lists(st.floats(0.01, 1), min_size=3, max_size=3),
    w=class_weights,
    eps=st.floats(0, 1),
)
@EXAMPLES
def test_the_cross_entropy_formula_shown_is_torchs_with_weights_smoothing_and_either_target(z, y, probs, w, eps):
    """The formula header: ℓ = −Σ_c w_c q_c log softmax(z)_c, q = (1 − ε) t + ε/C, t = onehot(y) or the
    target's probabilities (reduction='none', per sample)."""
    assert r"q = (1 - \varepsilon)\, t + " in CE.formula
    logits = torch.tensor([z], dtype=torch.float64)
    weight = None if w is None else torch.tensor(w, dtype=torch.float64)
    if probs is None:
        target, t_vec = torch.tensor([y]), F.one_hot(torch.tensor(y), 3).double()
    else:
        t_vec = torch.tensor(probs, dtype=torch.float64) / sum(probs)
        target = t_vec[None]
    torch_value = F.cross_entropy(logits, target, weight=weight, label_smoothing=eps, reduction="none").item()
    q = (1 - eps) * t_vec + eps / 3
    wc = torch.ones(3, dtype=torch.float64) if weight is None else weight
    formula = -(wc * q * logits[0].log_softmax(-1)).sum().item()
    assert formula == pytest.approx(torch_value, rel=1e-9, abs=1e-12)
