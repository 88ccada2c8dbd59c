"""The texts of CosineEmbeddingLoss, TripletMarginLoss, TripletMarginWithDistanceLoss and CTCLoss
(summary, notice, pitfall, parameter and input help, presets, flags, the CTC gradient heatmap's
caption), each checked with torch over the settings its page allows. The lattice's own texts are in
test_ctc_lab.py.

Every check computes from torch (the module the page calls, or torch.nn.functional) or from an
independent brute force, never from the spec's own `scratch` or `terms`."""

from __future__ import annotations

import itertools
import math

import numpy as np
import plotly
import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from torch import nn

from core import compute, ctc
from core.catalog import BY_KEY
from core.flags import TEXT as FLAG_TEXT
from core.losses import embedding, sequence
from core.params import LossValueError
from tests.claims import claim, plain
from tests.core.strategies import draws

COS = BY_KEY["cosine_embedding"]
TRI = BY_KEY["triplet_margin"]
TWD = BY_KEY["triplet_distance"]
CTC = BY_KEY["ctc"]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def param(spec, name):
    return next(p for p in spec.params + spec.all_inputs if p.name == name)


def preset(spec, key):
    return spec.preset(key)


def value(spec, values: dict, params: dict) -> float:
    case = compute.sample_case(spec, values, params)
    return compute.evaluate(spec, case, params).value


def case_of(spec, p):
    return p.make() if p.make else compute.sample_case(spec, p.values, p.params)


plain(
    "definition",
    param(COS, "len1").help,
    param(COS, "len2").help,
    param(COS, "angle1").help,
    param(COS, "angle2").help,
    *(p.help for p in embedding.POINTS),
    param(CTC, "blank").help,
    param(CTC, "T").help,
    param(CTC, "seed").help,
)
plain(
    "label",
    COS.sweep.label,
    TRI.sweep.label,
    CTC.sweep.label,
    "Article example",
    "Embedding",
    "Sequence",
    preset(COS, "opposite").title,
    preset(TWD, "cosine").title,
    preset(CTC, "zero_infinity").title,
    "Gradient over time × class",
)


# ---------------------------------------------------------------- CosineEmbeddingLoss


def torch_cos(x1, x2):
    """The cosine CosineEmbeddingLoss uses, read back from torch itself: 1 − loss for y = 1."""
    return 1 - F.cosine_embedding_loss(x1[None], x2[None], torch.tensor([1.0], dtype=x1.dtype)).item()


def test_cosine_embedding_adds_1e_12_to_each_squared_length():
    """The torch definition the notice and the zero_vector flag rely on: ε = 1e-12 on each |x|², so two
    equal vectors of length 1e-6 have cosine 1e-12 / (1e-12 + 1e-12) = 0.5, and a zero vector 0."""
    tiny = torch.tensor([1e-6, 0.0], dtype=torch.float64)
    assert torch_cos(tiny, tiny) == pytest.approx(0.5, rel=1e-6)
    assert torch_cos(torch.zeros(2, dtype=torch.float64), torch.tensor([1.0, 2.0], dtype=torch.float64)) == 0.0


@claim(COS.summary, COS.notice)
@SETTINGS
@given(
    st.floats(0.05, 3.0),
    st.floats(0.05, 3.0),
    st.floats(-180.0, 180.0),
    st.floats(-180.0, 180.0),
    st.floats(-1.0, 1.0),
    st.sampled_from([1, -1]),
    st.floats(0.05, 3.0),
)
def test_only_the_angle_matters_and_dissimilar_pairs_stop_at_the_margin(len1, len2, angle1, angle2, margin, y, scaled):
    """Directions, not lengths: multiplying x₁ by k > 0 changes nothing (at the slider's lengths, ≥ 0.05,
    the 1e-12 moves the loss by less than 1e-9); y = 1 pays 1 − cos, y = -1 pays cos − margin above the margin and nothing at or below it."""
    values = {"len1": len1, "len2": len2, "angle1": angle1, "angle2": angle2, "y": y}
    params = {"margin": margin, "reduction": "sum"}
    loss = value(COS, values, params)
    assert value(COS, {**values, "len1": scaled}, params) == pytest.approx(loss, abs=1e-9)  # x₁ · scaled/len1
    cos = math.cos(math.radians(angle2 - angle1))
    if y == 1:
        assert loss == pytest.approx(1 - cos, abs=1e-9)
    elif cos <= margin - 1e-9:
        assert loss == 0
    else:
        assert loss == pytest.approx(max(0.0, cos - margin), abs=1e-9)


@claim(COS.notice)
def test_a_vector_so_short_that_the_eps_counts_changes_the_loss_and_a_zero_vector_has_cosine_0():
    """The exception the notice names: at length 1e-6 scaling does change the loss; a zero vector has
    cosine 0 (y = 1 pays 1; y = -1 pays max(0, −margin))."""
    x2 = torch.tensor([[0.6, 0.8]], dtype=torch.float64)
    y = torch.tensor([1.0], dtype=torch.float64)
    for unit in (torch.tensor([[1.0, 0.0]]), torch.tensor([[0.6, 0.8]])):
        long, short = unit.double(), 1e-6 * unit.double()
        assert F.cosine_embedding_loss(long, x2, y) != pytest.approx(F.cosine_embedding_loss(short, x2, y).item())
    zero = torch.zeros(1, 2, dtype=torch.float64)
    for margin in (-0.5, 0.0, 0.5):
        assert F.cosine_embedding_loss(zero, x2, y, margin=margin).item() == 1.0
        assert F.cosine_embedding_loss(zero, x2, -y, margin=margin).item() == pytest.approx(max(0.0, -margin))


@claim(param(COS, "margin").help, param(COS, "y").help)
def test_the_margin_and_the_label_decide_who_pays():
    """y = 1: the cost 1 − cos is zero only at the same direction. y = -1: cos − margin above the margin,
    0 at or below, for every margin the slider allows."""
    m = param(COS, "margin")
    for margin in np.linspace(m.low, m.high, 9):
        for angle in range(-180, 181, 15):
            cos = math.cos(math.radians(angle))
            same = value(COS, {"angle1": 0.0, "angle2": float(angle), "y": 1}, {"margin": margin})
            assert (same < 1e-9) == (angle == 0), (angle, same)  # 1e-12: torch's eps
            apart = value(COS, {"angle1": 0.0, "angle2": float(angle), "y": -1}, {"margin": margin})
            if cos <= margin - 1e-9:
                assert apart == 0
            else:
                assert apart == pytest.approx(max(0.0, cos - margin), abs=1e-9)


@claim(preset(COS, "opposite").note)
def test_the_dissimilar_preset_pays_cos_minus_margin_and_turning_x2_away_reaches_zero():
    p = preset(COS, "opposite")
    values, params = {**COS.defaults(), **p.values}, {**COS.param_defaults(), **p.params}
    cos = math.cos(math.radians(values["angle2"] - values["angle1"]))
    assert values["y"] == -1 and cos > params["margin"]
    assert value(COS, values, params) == pytest.approx(cos - params["margin"])
    curve = compute.curve(COS, values, params)
    cosines = np.cos(np.radians(curve.x - values["angle1"]))
    assert np.all(curve.loss[cosines <= params["margin"] - 1e-9] == 0)
    assert np.all(curve.loss[cosines > params["margin"] + 1e-9] > 0)
    assert np.ptp(curve.loss) > 0.1


@claim(preset(COS, "article").note)
def test_the_cosine_article_preset_holds_the_articles_tensors():
    args = preset(COS, "article").make().args
    assert args["input1"].tolist() == [[0.3, 0.5, 0.7]] * 2
    assert args["input2"].tolist() == [[0.1, 0.3, 0.5]] * 2
    assert args["target"].tolist() == [1.0, -1.0]


# the cosines each page's torch computes, by the symbols its flags use: CosineEmbeddingLoss's one, and the
# cosine distance's d(a, p), d(a, n) and, with swap, d(p, n)
COSINE_ARGS = {"x₁": "input1", "x₂": "input2", "a": "anchor", "p": "positive", "n": "negative"}


def _cosine_pairs(spec, params):
    if spec is COS:
        return [("x₁", "x₂")]
    if params["distance_function"] != "cosine":
        return []
    return [("a", "p"), ("a", "n")] + ([("p", "n")] if params["swap"] else [])


def _zero_cases():
    """Every page setting with a zero vector or none: CosineEmbeddingLoss's lengths (0 or not) under both labels
    and three margins; TripletMarginWithDistanceLoss's points (0 or one of two others) under every
    distance_function and swap."""
    for len1, len2 in itertools.product((0.0, 1.0, 2.5), repeat=2):
        for y, margin in itertools.product((1, -1), (-0.5, 0.0, 0.5)):
            values = {"len1": len1, "len2": len2, "angle2": 40.0, "y": y}
            yield COS, compute.sample_case(COS, values, {}), {**COS.param_defaults(), "margin": margin}
    points = ((0.0, 0.0), (1.0, 0.5), (-1.5, 2.0))
    for (ax, ay), (px, py), (nx, ny) in itertools.product(points, repeat=3):
        values = {"ax": ax, "ay": ay, "px": px, "py": py, "nx": nx, "ny": ny}
        for distance, swap in itertools.product(param(TWD, "distance_function").choices, (False, True)):
            params = {**TWD.param_defaults(), "distance_function": distance, "swap": swap}
            yield TWD, compute.sample_case(TWD, values, params), params


def _torch_cosine(spec, u, v):
    """The cosine the page's torch computes: CosineEmbeddingLoss's, read back as 1 − its loss at y = 1, or
    F.cosine_similarity (the cosine distance's)."""
    if spec is COS:
        return 1 - F.cosine_embedding_loss(u, v, torch.ones(len(u), dtype=u.dtype), reduction="none")
    return F.cosine_similarity(u, v)


def _cosine_and_gradients(spec, case, first, second):
    u, v = (case.args[COSINE_ARGS[s]].detach().clone().requires_grad_() for s in (first, second))
    cos = _torch_cosine(spec, u, v)
    grad_u, grad_v = torch.autograd.grad(cos.sum(), (u, v))
    return cos, grad_u, grad_v


def _zero(case, symbol):
    return bool((case.args[COSINE_ARGS[symbol]] == 0).all())


@claim(FLAG_TEXT["zero_vector"])
def test_a_zero_vector_is_flagged_has_cosine_0_and_a_gradient_of_length_1_over_the_guard():
    """The flag is raised for a zero vector of a cosine the page computes whose other vector is not zero
    (CosineEmbeddingLoss; the cosine distance of TripletMarginWithDistanceLoss), and only then; its guard is
    what torch divides by: the vector's cosine with any vector is 0 and its gradient with respect to the zero
    vector, when the other is not zero, has length 1/guard."""
    for spec, case, params in _zero_cases():
        pairs = _cosine_pairs(spec, params)
        flags = [f for f in compute.evaluate(spec, case, params).flags if f.code == "zero_vector"]
        expected = {u for pair in pairs for u, v in (pair, pair[::-1]) if _zero(case, u) and not _zero(case, v)}
        assert sorted(f.values["point"] for f in flags) == sorted(expected), (spec.key, case.args, params)
        for f in flags:
            point = f.values["point"]
            for first, second in pairs:
                if point in (first, second):
                    cos, grad_first, grad_second = _cosine_and_gradients(spec, case, first, second)
                    assert cos.item() == 0.0
                    other = second if point == first else first
                    if not _zero(case, other):
                        grad = grad_first if point == first else grad_second
                        assert grad.norm().item() == pytest.approx(1 / float(f.values["guard"]), rel=1e-6)


@claim(FLAG_TEXT["zero_vectors"])
def test_two_zero_vectors_are_flagged_have_cosine_0_and_a_zero_gradient():
    """When both vectors of a cosine the page computes are zero (CosineEmbeddingLoss's x₁ and x₂; the cosine
    distance's a and p, a and n, or with swap p and n), and only then, the flag names the pair: torch's cosine
    is 0 and its gradient with respect to each is 0, not of length 1/guard; CosineEmbeddingLoss's page shows
    those zeros under both labels."""
    for spec, case, params in _zero_cases():
        flags = [f for f in compute.evaluate(spec, case, params).flags if f.code == "zero_vectors"]
        expected = [(u, v) for u, v in _cosine_pairs(spec, params) if _zero(case, u) and _zero(case, v)]
        assert [(f.values["point"], f.values["other"]) for f in flags] == expected, (spec.key, case.args, params)
        for f in flags:
            cos, grad_first, grad_second = _cosine_and_gradients(spec, case, f.values["point"], f.values["other"])
            assert cos.item() == 0.0 and not grad_first.any() and not grad_second.any()
            assert 1 / float(f.values["guard"]) > 1e5  # what the one-zero flag would have said
        if spec is COS and expected:
            grads = compute.evaluate(spec, case, params).grads
            assert not torch.as_tensor(grads["input1"]).any() and not torch.as_tensor(grads["input2"]).any()


def test_the_guards_are_what_torch_divides_by():
    """The guards the flags name: √(1e-12) for CosineEmbeddingLoss (1e-12 on each squared length, in float32),
    F.cosine_similarity's 1e-8 for the cosine distance."""
    x2 = torch.tensor([[0.6, 0.8]], dtype=torch.float64)
    for spec, guard in ((COS, embedding.COSINE_GUARD), (TWD, 1e-8)):
        zero = torch.zeros(1, 2, dtype=torch.float64, requires_grad=True)
        (grad,) = torch.autograd.grad(_torch_cosine(spec, zero, x2).sum(), zero)
        assert grad.norm().item() == pytest.approx(1 / guard, rel=1e-9)


# ---------------------------------------------------------------- the triplet losses


def distances(spec, case, params):
    """d(a, p), d(a, n), d(p, n) from torch's own distance functions."""
    a, p, n = (case.args[k] for k in ("anchor", "positive", "negative"))
    if spec is TRI:
        dist = lambda x, y: F.pairwise_distance(x, y, p=params["p"], eps=params["eps"])
    else:
        dist = {
            None: F.pairwise_distance,
            "l1": nn.PairwiseDistance(p=1),
            "cosine": lambda x, y: 1 - F.cosine_similarity(x, y),
        }[params["distance_function"]]
    return dist(a, p), dist(a, n), dist(p, n)


def triplet_draw(spec):
    @st.composite
    def strategy(draw):
        params, rows, options = draw(draws(spec))
        return compute.check_params(spec, params), rows

    return strategy()


@claim(TRI.summary, TRI.notice, param(TRI, "margin").help, param(TRI, "swap").help)
@SETTINGS
@given(triplet_draw(TRI))
def test_the_triplet_loss_is_zero_once_the_negative_is_a_margin_farther(drawn):
    check_triplet(TRI, *drawn)


@claim(param(TWD, "margin").help, param(TWD, "swap").help)
@SETTINGS
@given(triplet_draw(TWD))
def test_the_triplet_with_distance_loss_is_zero_once_the_negative_is_a_margin_farther(drawn):
    check_triplet(TWD, *drawn)


def check_triplet(spec, params, rows):
    case = compute.batch_case(spec, rows, {}, params)
    d_ap, d_an, d_pn = distances(spec, case, params)
    d_neg = torch.minimum(d_an, d_pn) if params["swap"] else d_an
    loss = torch.as_tensor(compute.evaluate(spec, case, {**params, "reduction": "none"}).value)
    torch.testing.assert_close(loss, (params["margin"] + d_ap - d_neg).clamp(min=0), rtol=1e-9, atol=1e-12)
    assert torch.equal(loss == 0, d_neg >= d_ap + params["margin"])


@claim(param(TRI, "margin").help, param(TWD, "margin").help)
def test_torch_requires_a_positive_margin():
    for module in (nn.TripletMarginLoss, nn.TripletMarginWithDistanceLoss):
        for margin in (0.0, -0.5):
            with pytest.raises(ValueError):
                module(margin=margin)
        module(margin=0.01)
    assert param(TRI, "margin").low > 0 and param(TWD, "margin").low > 0


@claim(param(TRI, "p").help, param(TRI, "eps").help)
def test_the_distance_is_the_p_norm_of_the_difference_plus_eps():
    """(Σ |a_k − p_k + eps|^p)^(1/p) for every p and eps the sliders allow, eps on each coordinate, not
    on the norm; p = 1 is the sum of absolute differences, p = 2 the Euclidean length."""
    g = torch.Generator().manual_seed(0)
    a, b = torch.randn(2, 5, 2, generator=g, dtype=torch.float64)
    p_param = param(TRI, "p")
    for p in np.arange(p_param.low, p_param.high + 1e-9, 0.3):
        for eps in (1e-12, 1e-6, 1e-3, 0.1):
            got = F.pairwise_distance(a, b, p=float(p), eps=eps)
            torch.testing.assert_close(got, ((a - b + eps).abs() ** p).sum(-1) ** (1 / p), rtol=1e-9, atol=0)
            if eps == 0.1:  # not added to the norm instead
                assert (got - ((a - b).abs() ** p).sum(-1) ** (1 / p) - eps).abs().max() > 1e-3
    torch.testing.assert_close(F.pairwise_distance(a, b, p=1.0, eps=0.0), (a - b).abs().sum(-1))
    torch.testing.assert_close(F.pairwise_distance(a, b, p=2.0, eps=0.0), (a - b).norm(dim=-1))


@claim(preset(TRI, "swap").title, preset(TRI, "swap").note)
def test_the_swap_preset_uses_d_p_n_and_the_loss_grows_for_every_margin_and_p():
    pre = preset(TRI, "swap")
    case = case_of(TRI, pre)
    m, p_param = param(TRI, "margin"), param(TRI, "p")
    for margin in np.linspace(m.low, m.high, 7):
        for p in np.linspace(p_param.low, p_param.high, 7):
            params = {**TRI.param_defaults(), **pre.params, "margin": margin, "p": p}
            _, d_an, d_pn = distances(TRI, case, params)
            assert d_pn.item() < d_an.item()
            swapped = compute.evaluate(TRI, case, params).value
            plain_ = compute.evaluate(TRI, case, {**params, "swap": False}).value
            assert swapped > plain_


@claim(preset(TRI, "article").note)
def test_the_triplet_article_preset_is_random_100_by_128():
    args = preset(TRI, "article").make().args
    assert [tuple(args[k].shape) for k in ("anchor", "positive", "negative")] == [(100, 128)] * 3


@claim(param(TWD, "distance_function").help)
def test_the_distance_choices_are_torchs_functions_with_their_eps():
    """None is torch.pairwise_distance (eps 1e-6 on the difference), cosine 1 − F.cosine_similarity
    (each length clamped at 1e-8), l1 nn.PairwiseDistance(p=1) (eps 1e-6)."""
    g = torch.Generator().manual_seed(1)
    a, b = torch.randn(2, 6, 2, generator=g, dtype=torch.float64)
    torch.testing.assert_close(F.pairwise_distance(a, b), ((a - b + 1e-6) ** 2).sum(-1).sqrt())
    torch.testing.assert_close(nn.PairwiseDistance(p=1)(a, b), (a - b + 1e-6).abs().sum(-1))
    tiny = torch.tensor([[1e-9, 0.0]], dtype=torch.float64)  # length 1e-9 < 1e-8: divided by 1e-8
    unit = torch.tensor([[1.0, 0.0]], dtype=torch.float64)
    assert F.cosine_similarity(tiny, unit).item() == pytest.approx(1e-9 / 1e-8)
    # and these are what the page passes to torch
    for choice, expected in ((None, F.pairwise_distance(a, b)), ("l1", nn.PairwiseDistance(p=1)(a, b))):
        fn = compute.torch_kwargs(TWD, {**TWD.param_defaults(), "distance_function": choice})["distance_function"]
        torch.testing.assert_close(fn(a, b) if fn else F.pairwise_distance(a, b), expected)
    fn = compute.torch_kwargs(TWD, {**TWD.param_defaults(), "distance_function": "cosine"})["distance_function"]
    torch.testing.assert_close(fn(a, b), 1 - F.cosine_similarity(a, b))


@claim(TWD.summary, TWD.notice)
@SETTINGS
@given(triplet_draw(TWD), st.floats(0.05, 20.0), st.sampled_from(["anchor", "positive", "negative"]))
def test_with_the_cosine_distance_a_point_slides_along_its_ray_for_free(drawn, k, which):
    """cosine: scaling any nonzero point by k > 0 leaves the loss unchanged; L1 is the sum of the
    coordinates' absolute differences (plus eps)."""
    params, rows = drawn
    params = {**params, "reduction": "sum"}
    case = compute.batch_case(TWD, rows, {}, params)
    assume(all(bool((v.norm(dim=-1) > 1e-3).all()) for v in case.args.values()))
    cosine = {**params, "distance_function": "cosine"}
    before = compute.evaluate(TWD, case, cosine).value
    scaled = compute.Case({**case.args, which: case.args[which] * k})
    assert compute.evaluate(TWD, scaled, cosine).value == pytest.approx(before, rel=1e-9, abs=1e-9)
    a, p = case.args["anchor"], case.args["positive"]
    torch.testing.assert_close(nn.PairwiseDistance(p=1)(a, p), (a - p + 1e-6).abs().sum(-1))


@claim(TWD.notice)
def test_the_l2_distance_does_see_lengths():
    """The contrast the notice draws: under None the same scaling changes the loss."""
    values = {"ax": 1.0, "ay": 0.0, "px": 1.0, "py": 1.0, "nx": 0.5, "ny": -0.5}
    case = compute.sample_case(TWD, values, {})
    scaled = compute.Case({**case.args, "positive": case.args["positive"] * 3})
    for distance, same in (("cosine", True), (None, False)):
        params = {"distance_function": distance}
        before, after = compute.evaluate(TWD, case, params).value, compute.evaluate(TWD, scaled, params).value
        assert (after == pytest.approx(before)) == same


@claim(preset(TWD, "cosine").note)
def test_the_cosine_preset_shows_directions_not_lengths():
    """Issue example 6: the positive is far in the anchor's direction, the negative near in another; the
    cosine distance ranks them the other way round from L2, the triplet costs nothing under cosine and
    something under L2; the curve over the negative's x is not flat and rises towards the anchor's
    direction; the anchor's gradient is finite and moderate along it (no zero vector)."""
    pre = preset(TWD, "cosine")
    values, params = {**TWD.defaults(), **pre.values}, {**TWD.param_defaults(), **pre.params}
    case = compute.sample_case(TWD, values, params)
    d_ap, d_an, _ = distances(TWD, case, params)
    assert d_ap.item() < d_an.item()
    l2 = {**params, "distance_function": None}
    d_ap2, d_an2, _ = distances(TWD, case, l2)
    assert d_ap2.item() > d_an2.item()
    assert compute.evaluate(TWD, case, params).value == 0
    assert compute.evaluate(TWD, case, l2).value > 0
    assert not compute.evaluate(TWD, case, params).flags
    curve = compute.curve(TWD, values, params)
    assert np.ptp(curve.loss) > 0.1 and np.all(np.isfinite(curve.grad))
    assert curve.loss[-1] > curve.loss[np.searchsorted(curve.x, values["nx"])]  # towards the anchor's direction
    for nx in np.linspace(-3, 3, 25):
        result = compute.evaluate(TWD, compute.sample_case(TWD, {**values, "nx": nx}, params), params)
        grads = np.concatenate([g.ravel() for g in result.grads.values()])
        assert np.all(np.isfinite(grads)) and np.abs(grads).max() < 10


# ---------------------------------------------------------------- CTCLoss


def collapse(path, blank):
    """CTC's map, written here: merge runs, drop blanks."""
    return [k for i, k in enumerate(path) if (i == 0 or k != path[i - 1]) and k != blank]


def repeats(labels):
    return sum(a == b for a, b in itertools.pairwise(labels))


def ctc_case(target, frames, blank=0, strength=2.0, noise=1.0, seed=0, params=None):
    params = {**CTC.param_defaults(), "blank": blank, **(params or {})}
    values = {"target": target, "T": frames, "strength": strength, "noise": noise, "seed": seed}
    return compute.sample_case(CTC, values, params), params


@claim(CTC.summary)
@pytest.mark.parametrize("target,frames,blank", [("cab", 4, 0), ("aa", 4, 0), ("bee", 5, 3), ("d", 5, 5), ("ab", 2, 1)])
def test_ctc_is_minus_log_the_sum_over_every_path_that_collapses_to_the_target(target, frames, blank):
    """Brute force over all C^T class paths: exp(−loss) is the summed probability of those that collapse
    (merge repeats, drop blanks) to the target."""
    case, params = ctc_case(target, frames, blank)
    lp = case.args["log_probs"][:, 0]
    labels = case.args["targets"][0].tolist()[: len(target)]
    total = sum(
        math.exp(sum(lp[t, k].item() for t, k in enumerate(path)))
        for path in itertools.product(range(lp.shape[1]), repeat=frames)
        if collapse(list(path), blank) == labels
    )
    loss = compute.evaluate(CTC, case, {**params, "reduction": "sum"}).value
    assert math.exp(-loss) == pytest.approx(total, rel=1e-9)


TARGETS = ["a", "ab", "aa", "abb", "aab", "aaa", "cab", "bee", "abcde", "ddeed"]


@claim(CTC.notice, CTC.pitfall, FLAG_TEXT["ctc_infeasible"])
def test_ctc_is_infinite_exactly_when_T_is_below_target_length_plus_repeats():
    """For every blank and target, torch's loss is ∞ iff T < S + adjacent repeats, and then (only then)
    the flag is raised with those numbers."""
    for blank in range(sequence.C):
        for target in TARGETS:
            labels = sequence.labels_of(target, blank)
            need = len(labels) + repeats(labels)
            for frames in range(max(1, need - 2), need + 2):
                case, params = ctc_case(target, frames, blank)
                result = compute.evaluate(CTC, case, {**params, "reduction": "sum"})
                assert math.isinf(result.value) == (frames < need)
                flags = [f for f in result.flags if f.code == "ctc_infeasible"]
                if frames < need:
                    (flag,) = flags
                    assert flag.values == {
                        "n": 0,
                        "T": frames,
                        "need": need,
                        "S": len(labels),
                        "repeats": repeats(labels),
                    }
                else:
                    assert not flags


@claim(CTC.notice)
def test_stronger_emissions_lower_the_loss_steadily_without_noise_and_overall_with_it():
    for blank in (0, 3):
        for target in TARGETS:
            labels = sequence.labels_of(target, blank)
            frames = len(labels) + repeats(labels) + 2
            for noise, seed in ((0.0, 0), (1.0, 0), (3.0, 1), (3.0, 2)):
                values = {"target": target, "T": frames, "noise": noise, "seed": seed}
                curve = compute.curve(CTC, values, {"blank": blank})
                if noise == 0:
                    assert np.all(np.diff(curve.loss) < 0)
                assert curve.loss[-1] < curve.loss[0]


def test_with_noise_the_loss_can_rise_with_the_strength():
    """Why the notice says 'not at every step': a case where it does rise."""
    curve = compute.curve(CTC, {"target": "bee", "T": 10, "noise": 3.0, "seed": 1}, {"blank": 0})
    assert np.any(np.diff(curve.loss) > 0)


@claim(CTC.pitfall, param(CTC, "zero_infinity").help, FLAG_TEXT["ctc_zeroed"])
def test_zero_infinity_replaces_infinite_losses_and_their_gradients_by_zero():
    """In a batch of a too-short and a feasible sequence: the infinite loss becomes 0 and its gradient
    zero, the feasible one is untouched; the flag ctc_zeroed is raised."""
    rows = [{"target": "aa", "T": 2, "strength": 2.0}, {"target": "cab", "T": 6, "strength": 2.0}]
    for blank in (0, 2):
        off = {**CTC.param_defaults(), "blank": blank, "reduction": "none"}
        case = compute.batch_case(CTC, rows, {}, off)
        before = compute.evaluate(CTC, case, off)
        after = compute.evaluate(CTC, case, {**off, "zero_infinity": True})
        assert math.isinf(before.value[0]) and after.value[0] == 0 and after.value[1] == before.value[1]
        assert np.all(np.isnan(before.grads["log_probs"][:2, 0]))  # its T = 2 frames
        assert np.all(after.grads["log_probs"][:, 0] == 0)
        assert np.allclose(after.grads["log_probs"][:, 1], before.grads["log_probs"][:, 1])
        assert "ctc_zeroed" in [f.code for f in after.flags] and "ctc_zeroed" not in [f.code for f in before.flags]


@claim(param(CTC, "reduction").help)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(draws(CTC))
def test_mean_divides_each_loss_by_its_target_length_then_averages(drawn):
    params, rows, options = drawn
    try:
        case = compute.batch_case(CTC, rows, options, params)
    except LossValueError:
        assume(False)
    none = torch.as_tensor(compute.evaluate(CTC, case, {**params, "reduction": "none"}).value)
    mean = compute.evaluate(CTC, case, {**params, "reduction": "mean"}).value
    expected = (none / case.args["target_lengths"].clamp(min=1)).mean().item()
    assert mean == pytest.approx(expected, rel=1e-9) or (math.isinf(mean) and math.isinf(expected))


@claim(param(CTC, "target").help)
def test_the_blank_is_not_a_letter_for_any_blank_index():
    for blank in range(sequence.C):
        classes = sequence.labels_of(sequence.ALPHABET, blank)
        assert blank not in classes and len(set(classes)) == len(sequence.ALPHABET)


@claim(param(CTC, "strength").help, param(CTC, "noise").help)
def test_strength_weighs_one_alignments_one_hot_logits_and_the_noise_is_added_to_them():
    """At noise 0 the frames' most probable classes form one alignment of the target, whose weight is the
    strength (softmax of strength · one-hot); the noise is a seeded draw scaled by the noise slider."""
    for blank in (0, 4):
        for target in TARGETS:
            labels = sequence.labels_of(target, blank)
            frames = len(labels) + repeats(labels) + 3
            clean, _ = ctc_case(target, frames, blank, strength=2.0, noise=0.0)
            path = clean.args["log_probs"][:, 0].argmax(-1).tolist()
            assert collapse(path, blank) == labels
            onehot = F.one_hot(torch.tensor(path), sequence.C).double()
            torch.testing.assert_close(clean.args["log_probs"][:, 0], (2.0 * onehot).log_softmax(-1))
            base, _ = ctc_case(target, frames, blank, strength=2.0, noise=1.0, seed=7)
            more, _ = ctc_case(target, frames, blank, strength=2.0, noise=2.5, seed=7)

            # log_softmax removes a constant per frame: compare the logits' differences to class 0
            def logits(c):
                lp = c.args["log_probs"][:, 0]
                return lp - lp[:, :1]

            noise1, noise25 = logits(base) - logits(clean), logits(more) - logits(clean)
            torch.testing.assert_close(noise25, 2.5 * noise1)
            g = torch.Generator().manual_seed(7)
            draw = torch.randn(frames, 1, sequence.C, generator=g, dtype=torch.float64)[:, 0]
            torch.testing.assert_close(noise1, draw - draw[:, :1])


@claim(preset(CTC, "article").note)
def test_the_ctc_article_preset_has_the_articles_shapes():
    args = preset(CTC, "article").make().args
    assert tuple(args["log_probs"].shape) == (50, 16, 20)
    assert tuple(args["targets"].shape) == (16, 30)
    assert args["input_lengths"].tolist() == [50] * 16
    lengths = args["target_lengths"]
    assert 10 <= int(lengths.min()) and int(lengths.max()) < 30
    torch.testing.assert_close(args["log_probs"].exp().sum(-1), torch.ones(50, 16, dtype=torch.float64))


@claim(preset(CTC, "infeasible").title, preset(CTC, "infeasible").note)
def test_the_too_short_preset_is_infinite_with_a_nan_gradient_and_says_why():
    pre = preset(CTC, "infeasible")
    params = {**CTC.param_defaults(), **pre.params}
    result = compute.evaluate(CTC, case_of(CTC, pre), params)
    assert math.isinf(result.value) and np.all(np.isnan(result.grads["log_probs"]))
    assert [f.code for f in result.flags] == ["ctc_infeasible"]


def test_the_by_hand_line_of_an_impossible_target_says_infinity_and_what_zero_infinity_reports():
    """No alignment: −log p = ∞ (torch's loss); with zero_infinity the line says that ∞ is reported as
    ℓ = 0 (torch's 0), never '−log p = 0' (which would mean p = 1)."""
    for blank in (0, 3):
        for target, frames in (("aa", 2), ("cab", 1), ("bee", 3)):
            for zero_infinity in (False, True):
                params = {**CTC.param_defaults(), "blank": blank, "reduction": "none", "zero_infinity": zero_infinity}
                case = compute.sample_case(CTC, {"target": target, "T": frames}, params)
                args = {k: v.detach() for k, v in case.args.items()}
                torch_loss = float(nn.CTCLoss(blank=blank, reduction="none", zero_infinity=zero_infinity)(**args))
                (line,) = compute.breakdown(CTC, case, params).lines
                assert r"\text{no alignment}:\ -\log p = \infty" in line
                assert r"-\log p = 0" not in line
                if zero_infinity:
                    assert torch_loss == 0
                    assert line.endswith(r"\infty \xrightarrow{\text{zero\_infinity}} \ell = 0")
                else:
                    assert math.isinf(torch_loss) and line.endswith(r"-\log p = \infty")


@claim(preset(CTC, "zero_infinity").note)
def test_the_zero_infinity_preset_reads_0_with_a_zero_gradient():
    pre = preset(CTC, "zero_infinity")
    params = {**CTC.param_defaults(), **pre.params}
    case = case_of(CTC, pre)
    result = compute.evaluate(CTC, case, params)
    assert result.value == 0 and np.all(result.grads["log_probs"] == 0)
    assert math.isinf(compute.evaluate(CTC, case, {**params, "zero_infinity": False}).value)
    assert [f.code for f in result.flags] == ["ctc_infeasible", "ctc_zeroed"]


# ---------------------------------------------------------------- the CTC gradient heatmap (ui/views/loss/panels.py)

HEATMAP_CAPTION = (
    "∂loss/∂z_t(c) for the first sequence, z its logits (log_probs = log_softmax(z)): the softmax "
    "minus the occupancy, p_t(c) − γ_t(c), scaled by the reduction. Red: gradient descent raises "
    "that logit; blue: it lowers it."
)
INFINITE_GRADIENT = "Where the loss is infinite its gradient is not defined (NaN); zero_infinity=True sets it to zero."


def occupancy_per_class(log_probs, labels, blank):
    """γ_t(c) by brute force: the posterior share of the alignments that emit c at frame t."""
    frames, classes = log_probs.shape
    gamma, total = torch.zeros(frames, classes, dtype=torch.float64), 0.0
    for path in itertools.product(range(classes), repeat=frames):
        if collapse(list(path), blank) == labels:
            prob = math.exp(sum(log_probs[t, k].item() for t, k in enumerate(path)))
            total += prob
            for t, k in enumerate(path):
                gamma[t, k] += prob
    return gamma / total


@claim(HEATMAP_CAPTION)
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("target,frames,blank", [("cab", 4, 0), ("aa", 4, 2), ("bd", 4, 5)])
def test_the_heatmap_is_the_logit_gradient_softmax_minus_occupancy(reduction, target, frames, blank):
    """Issue example 3. What the page draws (core.ctc.logit_gradient) is autograd's gradient with respect
    to logits z that torch's log_probs come from, equal to p − γ (γ by brute force) times the
    reduction's scale (1/(S·N) for mean), with positive entries; the derivative with respect to log p
    itself, −γ, has none. The colour scale is red at its negative end (descent raises the logit)."""
    rows = [{"target": target, "T": frames, "strength": 1.0}, {"target": "e", "T": frames, "strength": 1.0}]
    params = {**CTC.param_defaults(), "blank": blank, "reduction": reduction}
    case = compute.batch_case(CTC, rows, {"noise": 1.0, "seed": 3}, params)
    shown = ctc.logit_gradient(case.args, blank, reduction, False)[:, 0]
    # autograd through logits that differ from the log-probabilities by a constant per frame
    z = (case.args["log_probs"] + torch.linspace(0, 2, frames, dtype=torch.float64)[:, None, None]).requires_grad_()
    a = case.args
    loss = F.ctc_loss(
        z.log_softmax(-1), a["targets"], a["input_lengths"], a["target_lengths"], blank=blank, reduction=reduction
    )
    (grad,) = torch.autograd.grad(loss.sum(), z)
    torch.testing.assert_close(shown, grad[:, 0], rtol=1e-9, atol=1e-12)
    lp = a["log_probs"][:, 0]
    gamma = occupancy_per_class(lp, a["targets"][0].tolist()[: len(target)], blank)
    scale = 1 / (len(target) * len(rows)) if reduction == "mean" else 1.0
    torch.testing.assert_close(shown, scale * (lp.exp() - gamma), rtol=1e-7, atol=1e-12)
    assert (shown > 0).any()
    # −γ, the gradient with respect to log p: never positive
    lp_leaf = lp.detach().clone().requires_grad_()
    labels = a["targets"][0].tolist()[: len(target)]
    paths = [p for p in itertools.product(range(sequence.C), repeat=frames) if collapse(list(p), blank) == labels]
    index = torch.tensor(paths)
    nll = -torch.logsumexp(lp_leaf[torch.arange(frames), index].sum(-1), 0)  # −log Σ_π Π_t p_t(π_t)
    (d_logp,) = torch.autograd.grad(nll, lp_leaf)
    torch.testing.assert_close(d_logp, -gamma, rtol=1e-7, atol=1e-12)
    assert not (d_logp > 1e-12).any()
    # red at the negative end of the diverging scale the heatmap uses
    from ui.figures.loss import heatmap_figure

    figure = heatmap_figure(shown.numpy().T, range(frames), [str(c) for c in range(sequence.C)], {"x": "t", "y": "c"})
    low = figure.data[0].colorscale[0][1]
    high = figure.data[0].colorscale[-1][1]
    red_low = [int(x) for x in low[4:-1].split(",")]
    blue_high = [int(x) for x in high[4:-1].split(",")]
    assert red_low[0] > red_low[2] and blue_high[2] > blue_high[0]
    assert figure.data[0].zmid == 0


@claim(INFINITE_GRADIENT)
def test_where_ctc_is_infinite_the_heatmaps_gradient_is_nan_or_zero():
    for reduction in ("none", "mean", "sum"):
        case, params = ctc_case("aa", 2, params={"reduction": reduction})
        assert np.all(np.isnan(ctc.logit_gradient(case.args, 0, reduction, False).numpy()))
        assert np.all(ctc.logit_gradient(case.args, 0, reduction, True).numpy() == 0)


def test_plotly_rdbu_is_red_to_blue():
    """The named scale ui/figures resolves through plotly.py (not plotly.js's reversed RdBu)."""
    assert plotly.colors.get_colorscale("RdBu")[0][1] == "rgb(103,0,31)"


@claim(CTC.grad_note)
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("target,frames,blank", [("cab", 4, 0), ("aa", 4, 2), ("bd", 3, 5)])
def test_torchs_log_probs_gradient_is_softmax_minus_occupancy_not_minus_gamma(reduction, target, frames, blank):
    """The value panel prints autograd's ∂loss/∂log_probs: torch's CTC backward returns p − γ (the
    gradient for logits through log_softmax), not the derivative −γ with log_probs held free."""
    rows = [{"target": target, "T": frames, "strength": 1.0}]
    params = {**CTC.param_defaults(), "blank": blank, "reduction": reduction}
    case = compute.batch_case(CTC, rows, {"noise": 1.0, "seed": 3}, params)
    grad = torch.as_tensor(compute.evaluate(CTC, case, params).grads["log_probs"])[:, 0]
    lp = case.args["log_probs"][:, 0]
    labels = case.args["targets"][0].tolist()[: len(target)]
    gamma = occupancy_per_class(lp, labels, blank)
    scale = 1 / len(target) if reduction == "mean" else 1.0
    torch.testing.assert_close(grad, scale * (lp.exp() - gamma), rtol=1e-7, atol=1e-12)
    assert not torch.allclose(grad, -scale * gamma, atol=1e-6)
    # without an alignment (T = 1 for a target of 2 or more letters): NaN, or 0 with zero_infinity
    for zero_infinity in (False, True):
        p = {**params, "zero_infinity": zero_infinity}
        short = compute.batch_case(CTC, [{**rows[0], "T": 1}], {"noise": 1.0, "seed": 3}, p)
        g = compute.evaluate(CTC, short, p).grads["log_probs"]
        assert np.all(g == 0) if zero_infinity else np.all(np.isnan(g))


@claim(HEATMAP_CAPTION, INFINITE_GRADIENT)
@pytest.mark.parametrize("zero_infinity", ["false", "true"])
def test_without_an_alignment_the_page_draws_no_heatmap_of_p_minus_gamma(zero_infinity):
    """T = 1 for the default target 'cab': no alignment, so the gradient is NaN, or zeros with
    zero_infinity, neither of which is p − γ: the page says so instead of drawing the heatmap."""
    from tests.app.helpers import open_page

    at = open_page(CTC, {"ctc.T": "1", "ctc.zero_infinity": zero_infinity})
    assert not at.exception
    assert not any(c.key == "ctc.grad" for c in at.get("plotly_chart"))
    assert any(INFINITE_GRADIENT in i.value for i in at.info)
    assert not any(HEATMAP_CAPTION in c.value for c in at.caption)
