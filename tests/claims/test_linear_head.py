"""LinearCrossEntropyLoss's views (ui/views/loss/extras.py's head plane, ui/views/loss/equality.py),
checked with torch over every setting the page allows: every input, option (the head's weight and
bias, either kind of target) and parameter (bias, weight, ignore_index, label_smoothing, reduction,
options). A text whose check fails here must be rewritten, not the check."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, assume, given, settings

from core import compute, geometry
from core.catalog import BY_KEY
from core.params import LossValueError
from tests.claims import claim, plain
from tests.core.fallback import recording_fallback
from tests.core.strategies import values_of
from ui.kit.lecture import SCENARIOS

SPEC = BY_KEY["linear_cross_entropy"]
SCENARIO = next(s for s in SCENARIOS if s.key == "llm_chunking")
DRAWS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
EVERY_SETTING = (values_of(SPEC.all_inputs), values_of(SPEC.params))


def _sample(values, params) -> compute.Sample:
    try:
        return compute.check(SPEC, values, params)
    except LossValueError:  # a combination the page refuses with a message (ignore_index with probabilities)
        assume(False)
        raise


def _torch_logits(plane, points) -> torch.Tensor:
    bias = torch.tensor(plane.bias)
    return F.linear(torch.as_tensor(np.asarray(points, dtype=float)), torch.tensor(plane.weight), bias)


# ---------------------------------------------------------------- the head plane


@claim(
    "Each arrow is a class's direction w_c, a row of the head's weight; the lines divide the plane by the class "
    "the head predicts, the one with the largest logit w_c·x + b_c. Label smoothing, class weights and "
    "ignore_index change the loss's contours, not these regions."
)
@DRAWS
@given(*EVERY_SETTING)
def test_arrows_are_the_rows_and_lines_divide_the_argmax_regions(values, params):
    sample = _sample(values, params)
    plane = geometry.head_plane_of(sample, grid=15)
    args = sample.case.args
    np.testing.assert_array_equal(plane.weight, args["linear_weight"].numpy())  # the arrows: W's rows
    expected_bias = args["linear_bias"].numpy() if "linear_bias" in args else np.zeros(3)
    np.testing.assert_array_equal(plane.bias, expected_bias)  # b_c (0 without a bias)
    # the regions: torch's argmax of the logits at every grid point
    gx, gy = np.meshgrid(plane.x, plane.y)
    logits = _torch_logits(plane, np.stack([gx.ravel(), gy.ravel()], 1))
    top = logits.max(-1).values.numpy().reshape(gx.shape)
    chosen = logits.numpy().reshape(*gx.shape, 3)
    picked = np.take_along_axis(chosen, plane.predicted[..., None], -1)[..., 0]
    np.testing.assert_array_equal(picked, top)
    # the lines: where the two largest logits tie; crossing one changes the predicted class
    on = plane.boundaries[np.isfinite(plane.boundaries).all(1)]
    if len(on):
        two = torch.topk(_torch_logits(plane, on), 2).values.numpy()
        assert np.all(two[:, 0] - two[:, 1] <= 1e-9 * np.maximum(1.0, np.abs(two[:, 0])))
    # the loss's own parameters change the contours, never the regions
    plain_params = {**sample.params, "label_smoothing": 0.0, "weight": None, "ignore_index": None}
    other = geometry.head_plane_of(sample.but(params=plain_params), grid=15)
    np.testing.assert_array_equal(other.predicted, plane.predicted)
    np.testing.assert_array_equal(other.boundaries, plane.boundaries)


@claim("The target class's arrow is the thicker one.")
def test_the_target_class_arrow_is_the_thicker_one():
    from ui.figures.head import head_figure

    for y in range(3):
        plane = geometry.head_plane_of(compute.check(SPEC, {"y": y}, {}), grid=9)
        assert plane.target == y
        labels = {"x": "", "y": "", "loss": "", "point": "", "boundary": "", "classes": [""] * 3, "arrows": [""] * 3}
        widths = [a.arrowwidth for a in head_figure(plane, labels).layout.annotations if a.showarrow]
        assert widths[y] > max(w for c, w in enumerate(widths) if c != y)
    # with class probabilities there is no target class: the page says nothing about thickness
    assert geometry.head_plane_of(compute.check(SPEC, {"target_kind": "probs"}, {}), grid=9).target is None


@claim("At the current x the head predicts class {k}; the contours are torch's reduction='none' loss, {loss} here.")
@DRAWS
@given(*EVERY_SETTING)
def test_the_current_x_its_class_and_its_none_loss(values, params):
    sample = _sample(values, params)
    plane = geometry.head_plane_of(sample, grid=5)
    x = sample.case.args["input"]
    logits = _torch_logits(plane, x.numpy())[0]
    assert plane.point_class == int(logits.argmax())
    none = compute.evaluation_of(sample.reduced("none")).value
    np.testing.assert_allclose(plane.point_loss, np.ravel(none)[0], rtol=1e-12, atol=1e-15)
    # the contours are the same reduction='none' loss at each grid point
    corner = sample.but(values={"x0": float(plane.x[0]), "x1": float(plane.y[-1])})
    np.testing.assert_allclose(
        plane.loss[-1, 0], np.ravel(compute.evaluation_of(corner.reduced("none")).value)[0], rtol=1e-12, atol=1e-15
    )


plain("label", "loss over the input x, the head fixed", "class boundary", "predicts {k}")


# ---------------------------------------------------------------- the equality panel


@claim(
    "The same loss: they differ by {d} ({ulps} machine epsilons at this size, ε = {eps}); agreeing means at "
    "most {limit}.",
    "They differ by {d} ({ulps} machine epsilons at this size, ε = {eps}): more than {limit}.",
    "Both computed by torch with the same weight and bias, under the page's class weights, ignore_index, "
    "label_smoothing and reduction.",
)
@DRAWS
@given(*EVERY_SETTING)
def test_linear_cross_entropy_is_cross_entropy_of_linear(values, params):
    """Both numbers from torch, the fused one the page's own value; for every setting they agree
    within the stated tolerance (the second text, the disagreement, is then never shown)."""
    sample = _sample(values, params)
    eq = geometry.linear_equality(sample)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_array_equal(eq.fused, compute.evaluation_of(sample).value)
    kwargs = compute.torch_kwargs(SPEC, sample.params)
    args = sample.case.args
    linear = torch.nn.Linear(2, 3, bias="linear_bias" in args, dtype=torch.float64)
    with torch.no_grad():
        linear.weight.copy_(args["linear_weight"])
        if "linear_bias" in args:
            linear.bias.copy_(args["linear_bias"])
        ignore = -100 if kwargs["ignore_index"] is None else kwargs["ignore_index"]
        criterion = torch.nn.CrossEntropyLoss(
            weight=kwargs["weight"],
            ignore_index=ignore,
            reduction=kwargs["reduction"],
            label_smoothing=kwargs["label_smoothing"],
        )
        np.testing.assert_array_equal(eq.composed, criterion(linear(args["input"]), args["target"]).numpy())
    assert eq.eps == torch.finfo(torch.float64).eps
    assert eq.agree and eq.ulps <= geometry.ULPS


@claim(
    "torch took its chunked path (options given), which computes the logits a chunk of samples at a time: the "
    "same loss.",
    "options are given, but the chunked path needs label_smoothing = 0 and class-index targets: torch warned and "
    "took the reference path, the same value exactly.",
    "options=None: torch's reference path, nn.Linear then cross-entropy: the same value exactly.",
)
@DRAWS
@given(*EVERY_SETTING)
def test_which_path_torch_took_and_what_it_gives(values, params):
    sample = _sample(values, params)
    kwargs = compute.torch_kwargs(SPEC, sample.params)
    _, warned = recording_fallback(lambda: compute.forward(SPEC, kwargs, sample.case.args))
    eq = geometry.linear_equality(sample)
    if kwargs["options"] is None:
        assert not eq.chunked and not warned
    else:
        assert eq.chunked == (not warned)  # chunked exactly when torch does not fall back
        if warned:  # the fallback happens exactly for these two (the page fixes the rest)
            target = sample.case.args["target"]
            assert kwargs["label_smoothing"] != 0 or target.is_floating_point()
    if not eq.chunked:  # the reference path: the same operations, bit for bit
        np.testing.assert_array_equal(eq.fused, eq.composed)
    else:
        assert eq.agree


@claim(
    "torch took its chunked path (options given), which computes the logits a chunk of samples at a time: the "
    "same loss.",
)
def test_the_chunked_path_computes_the_logits_a_chunk_at_a_time():
    """'which computes the logits a chunk of samples at a time': torch's profiler's largest allocation
    is the whole (N, V) logits on the reference path and one chunk's (batch_chunk_size, V) on the
    chunked path (float32, N = 1024, V = 2000, chunks of 128): no more than one chunk's logits.
    (When and that torch takes the chunked path: test_linear_cross_entropy's summary test.)"""
    from torch.profiler import ProfilerActivity, profile

    n, d, v, chunk = 1024, 16, 2000, 128
    g = torch.Generator().manual_seed(0)
    x, w, y = torch.randn(n, d, generator=g), torch.randn(v, d, generator=g), torch.randint(0, v, (n,), generator=g)
    largest, values = {}, {}
    for name, options in (("reference", None), ("chunked", torch.nn.LinearCrossEntropyOptions(batch_chunk_size=chunk))):
        with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
            values[name] = F.linear_cross_entropy(x, w, y, options=options)
        largest[name] = max(e.cpu_memory_usage for e in prof.events())
    assert largest["reference"] == n * v * 4
    assert largest["chunked"] == chunk * v * 4
    assert abs(values["chunked"] - values["reference"]) <= 1e-5 * abs(values["reference"])


def _allocations(n, v, d, options, reduction, weight, bias) -> list[int]:
    """torch's profiler's records of one forward and backward in float64: each allocation's bytes
    (positive) and each free's (negative), in order."""
    g = torch.Generator().manual_seed(0)
    x = torch.randn(n, d, dtype=torch.float64, generator=g, requires_grad=True)
    w = torch.randn(v, d, dtype=torch.float64, generator=g, requires_grad=True)
    b = torch.randn(v, dtype=torch.float64, generator=g, requires_grad=True) if bias else None
    y = torch.randint(0, v, (n,), generator=g)
    class_weight = torch.rand(v, dtype=torch.float64, generator=g) if weight else None
    with torch.autograd.profiler.profile(use_cpu=True, profile_memory=True, use_kineto=True) as prof:
        loss = F.linear_cross_entropy(x, w, y, linear_bias=b, reduction=reduction, weight=class_weight, options=options)
        (loss.sum() if reduction == "none" else loss).backward()
    records = sorted((e for e in prof.kineto_results.events() if e.name() == "[memory]"), key=lambda e: e.start_ns())
    return [r.nbytes() for r in records]


@claim(SPEC.summary)
@pytest.mark.parametrize("chunk", [None, 2, 16], ids=lambda c: f"batch_chunk_size={c}")
def test_the_chunked_path_holds_no_more_than_one_chunks_logits(chunk):
    """'holds no more than one chunk's [logits]', over forward and backward: of the buffers the size of
    one chunk's logits (B rows × V classes, float64: B from torch's own _adjust when batch_chunk_size
    is None), never more than one is live, under every reduction, with and without class weights and
    a bias (N = 64, V = 2000, d = 3: x, W and their gradients are smaller than a chunk's logits, and
    with B = 1 a bias's gradient, V long, would be the same size, so B = 1 runs without one). The
    reference path allocates the whole N × V logits. (When torch takes the chunked path:
    test_linear_cross_entropy's summary test.)"""
    n, v, d = 64, 2000, 3
    options = torch.nn.LinearCrossEntropyOptions(batch_chunk_size=chunk)
    rows = options._adjust(n, d, v, torch.float64).batch_chunk_size
    one = rows * v * 8
    for reduction in ("none", "mean", "sum"):
        for weight in (False, True):
            for bias in (False, True) if rows > 1 else (False,):
                live = peak = 0
                for size in _allocations(n, v, d, options, reduction, weight, bias):
                    if abs(size) == one:
                        live += size
                        peak = max(peak, live)
                assert peak == one, (reduction, weight, bias, peak / one)
    assert max(_allocations(n, v, d, None, "mean", False, False)) == n * v * 8


# ---------------------------------------------------------------- the scenario


@claim(SCENARIO.point)
def test_why_llms_chunk_their_loss():
    """The scenario's link opens the memory panel at an LLM-like head (N = 8192 tokens, V = 2^17, d =
    4096); its numbers are the panel's: the N × V logits in float32, torch's own chunk (its _adjust of
    LinearCrossEntropyOptions()), and each path's peak as core/memory.py models torch's code."""
    from torch.nn import LinearCrossEntropyOptions

    from core import memory
    from ui.views.loss.memory import CONTROLS, prefix_of

    keys = {f"{prefix_of(SPEC.key)}.{p.name}": p for p in CONTROLS}
    assert set(SCENARIO.query) <= set(keys) and SCENARIO.page.spec is SPEC
    for key, value in SCENARIO.query.items():
        assert int(value) in keys[key].choices, key  # a value the slider offers
    n, v, d = (int(SCENARIO.query[f"{prefix_of(SPEC.key)}.{k}"]) for k in ("N", "V", "d"))
    assert (n, v, d) == (8192, 131072, 4096)
    numbers = SCENARIO.numbers(SCENARIO.query)
    assert (numbers["n"], numbers["v"], numbers["d"]) == ("8192", "131072", "4096")
    assert numbers["logits"] == memory.bytes_text(n * v * 4) == "4.29 GB"
    rows = (
        LinearCrossEntropyOptions()
        ._adjust(num_batches=n, in_features=d, num_classes=v, dtype=torch.float32, device=torch.device("cpu"))
        .batch_chunk_size
    )
    assert numbers["rows"] == str(rows) and rows < n  # a chunk is a part of the batch
    assert numbers["chunk"] == memory.bytes_text(rows * v * 4)
    s = memory.Setting(n, v, d, "float32")
    assert numbers["ref_peak"] == memory.bytes_text(memory.reference(s).peak)
    assert numbers["chunked_peak"] == memory.bytes_text(memory.chunked(s).peak)
    # the reference path holds the whole logits (and more at its peak); the chunked path one chunk,
    # and peaks lower (at d = 4096 its peak is mostly the gradient of the V × d head)
    assert memory.reference(s).peak >= n * v * 4 > rows * v * 4
    assert memory.reference(s).peak > memory.chunked(s).peak
    assert memory.rule_wins(n, v, d)  # torch's own rule: a setting where chunking is a win
