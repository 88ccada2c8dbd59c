"""The loss page's own texts, the frame around every loss (ui/views/loss/: page, controls, panels), its 2-D views
(ui/views/loss/extras.py, core/geometry.py), the shared parameters' help and the error templates
(core/params.py, core/compute.py, ui/kit/widgets.py, ui/kit/i18n.py, ui/kit/safe.py), checked with torch over
the settings the page allows. A text whose check fails here must be rewritten, not the check.

Texts of ui/ files are passed as the literal the page translates (there is no object to pass);
tests/claims/test_every_text.py fails when one of them is no longer shown.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from core import compute, geometry
from core.catalog import BY_KEY, LOSSES
from core.latex import number_text
from core.params import ALLOWED, REDUCTION, LossValueError, class_weight
from core.snippet import snippet
from tests.claims import claim, plain
from tests.core.test_snippets import edge_draws, edge_value, run
from ui.views.loss import controls, panels

F64 = torch.float64
SPECS = pytest.mark.parametrize("spec", LOSSES, ids=lambda s: s.key)
FAST = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)


def page_cases(spec):
    """Every case the page shows without typing (sliders, batch table, presets), with the parameters
    the page computes it with (a class vector that does not fit a preset's tensors left out)."""
    cases = [(compute.sample_case(spec, {}, {}), {}), (compute.batch_case(spec, list(spec.batch), {}, {}), {})]
    for preset in spec.presets:
        case = preset.make() if preset.make else compute.sample_case(spec, preset.values, preset.params)
        cases.append((case, preset.params))
    for case, params in cases:
        misfits = compute.class_vector_misfits(spec, case, params)
        yield case, {**params, **{name: None for name, _, _ in misfits}}


def drawn_case(spec, data):
    params, rows, options = data.draw(edge_draws(spec))
    try:
        case = compute.batch_case(spec, rows, options, params)
        compute.evaluate(spec, case, params)
    except LossValueError:
        assume(False)
    return case, compute.check_params(spec, params)


# ---------------------------------------------------------------- the value panel


def called_directly(spec, kwargs: dict, args: dict) -> torch.Tensor:
    """torch.nn.<title> called as a user calls it: built, its own parameters (LinearCrossEntropyLoss's
    head, `spec.module_params`) copied in under no_grad, in float64, then called on the forward arguments."""
    module = getattr(torch.nn, spec.title)(**kwargs)
    own = {name: path for name, path in spec.module_params.items() if name in args}
    if own:
        module = module.double()
        for name, path in own.items():
            module.get_parameter(path).copy_(args[name])
    return module(*(v for k, v in args.items() if k not in spec.module_params))


@claim(
    "computed by torch.nn.{title} · {status}",
    "finite ✓",
    "infinite ∞",
    "not a number (NaN)",
)
@SPECS
def test_the_value_is_torch_nn_modules_and_its_status_says_what_it_is(spec):
    assert spec.module is getattr(torch.nn, spec.title)
    for case, params in page_cases(spec):
        for reduction in spec.reductions():
            p = compute.check_params(spec, {**params, "reduction": reduction})
            result = compute.evaluate(spec, case, p)
            with torch.no_grad():
                direct = called_directly(spec, compute.torch_kwargs(spec, p), case.args).numpy()
            np.testing.assert_array_equal(result.value, direct)
            expected = "nan" if np.isnan(direct).any() else "finite" if np.isfinite(direct).all() else "inf"
            assert result.status == expected


@claim("By hand: {value}. torch: {torch}. The same number.")
@SPECS
def test_by_hand_gives_torchs_number_on_every_case_the_page_shows(spec):
    """The page says 'The same number' when the by-hand value agrees to 1e-9; it does on every case
    the page shows (so 'They differ' never appears), and both print alike."""
    for case, params in page_cases(spec):
        for reduction in spec.reductions():
            p = {**params, "reduction": reduction}
            by_hand = compute.breakdown(spec, case, p).value
            value = compute.evaluate(spec, case, p).value
            assert np.allclose(by_hand, value, rtol=1e-9, atol=1e-12, equal_nan=True), (spec.key, p)
            assert panels._num(by_hand) == panels._num(value)


@claim("Paste it into Python: it prints the value shown above.")
@SPECS
def test_the_snippet_prints_the_value_shown(spec):
    """Every case the page shows, every reduction: the program runs and prints torch's value, which
    the page rounds to what it shows (the full check over hypothesis draws: tests/core/test_snippets.py)."""
    for case, params in page_cases(spec):
        for reduction in spec.reductions():
            p = {**params, "reduction": reduction}
            printed = np.asarray(run(snippet(spec, case, p)), dtype=float)
            value = compute.evaluate(spec, case, p).value
            np.testing.assert_array_equal(printed, np.asarray(value, dtype=float))
            assert panels._num(printed if printed.ndim else float(printed)) == panels._num(value)


@claim(
    "The preset's tensors have {classes} classes, {name} has {length} entries: {name} is left out of the value "
    "below (the curve still uses it)."
)
def test_a_class_vector_that_does_not_fit_a_preset_is_left_out_of_the_value_only():
    spec = BY_KEY["cross_entropy"]
    case = spec.preset("article").make()
    params = {"weight": (0.5, 2.0, 1.0)}
    with pytest.raises(RuntimeError):  # torch refuses 3 weights for the preset's 5 classes
        compute.evaluate(spec, case, params)
    fitted = controls.fit_to_case(compute.check(spec, {}, params).showing(case)).params
    assert fitted["weight"] is None
    assert compute.evaluate(spec, case, fitted).value == compute.evaluate(spec, case, {}).value
    with_weight = panels.shared_curve(compute.check(spec, {}, params))  # the curve: the sliders' 3 classes
    without = panels.shared_curve(compute.check(spec, {}, {}))
    assert not np.allclose(with_weight.loss, without.loss)


@claim(
    "The value comes from the preset's own tensors, not from these inputs; moving one leaves the preset for the "
    "sliders."
)
def test_an_exact_presets_value_is_its_tensors_and_moving_an_input_leaves_it():
    from tests.app.helpers import main_value, open_page

    spec = BY_KEY["triplet_margin"]
    preset = spec.preset("article")
    at = open_page(spec, {"triplet_margin.preset": "article"})
    assert main_value(at) == number_text(compute.evaluate(spec, preset.make(), {}).value)
    assert main_value(at) != number_text(compute.evaluate(spec, compute.sample_case(spec, {}, {}), {}).value)
    slider = next(s for s in at.slider if s.key == "triplet_margin.ax")
    slider.set_value(slider.value + 0.5).run()
    assert at.session_state["triplet_margin.preset"] == "custom"
    values = {**spec.defaults(), "ax": slider.value}
    assert main_value(at) == number_text(compute.evaluate(spec, compute.sample_case(spec, values, {}), {}).value)


# ---------------------------------------------------------------- the shared reduction


def _mean_denominator(spec, case, params, none):
    target = case.args.get("target")
    if spec.key in ("cross_entropy", "nll") and not target.is_floating_point():
        kept = target != params["ignore_index"]
        w = (
            torch.ones(case.args["input"].shape[-1], dtype=F64)
            if params["weight"] is None
            else torch.tensor(params["weight"], dtype=F64)
        )
        return float((w[target.clamp(min=0)] * kept).sum())
    return none.size


@claim(REDUCTION.help)
@pytest.mark.parametrize("spec", [s for s in LOSSES if REDUCTION in s.params], ids=lambda s: s.key)
@FAST
@given(data=st.data())
def test_reduction_help_says_how_every_loss_that_shows_it_reduces(spec, data):
    """'none' returns the per-element losses, 'sum' adds them, 'mean' divides the sum by their number,
    or, for CrossEntropyLoss and NLLLoss with class indices, by the kept targets' weights."""
    case, params = drawn_case(spec, data)
    module = lambda r: spec.module(**{**compute.torch_kwargs(spec, params), "reduction": r})  # noqa: E731
    with torch.no_grad():
        none = module("none")(*case.args.values()).numpy()
        total, mean = float(module("sum")(*case.args.values())), float(module("mean")(*case.args.values()))
    assert total == pytest.approx(none.sum(), rel=1e-9, abs=1e-12, nan_ok=True)
    denominator = _mean_denominator(spec, case, params, none)
    assert mean == pytest.approx(
        none.sum() / denominator if denominator else math.nan, rel=1e-9, abs=1e-12, nan_ok=True
    )


def test_the_reduction_help_fails_on_the_old_text():
    """CrossEntropyLoss with class weights: 'mean averages' the per-element losses is false."""
    spec = BY_KEY["cross_entropy"]
    case = compute.batch_case(spec, list(spec.batch), {}, {"weight": (0.5, 1.5, 2.5)})
    result = compute.evaluate(spec, case, {"weight": (0.5, 1.5, 2.5)})
    assert result.value != pytest.approx(result.per_element.mean())


# ---------------------------------------------------------------- the curve


@claim(
    "The loss of the sample as the swept input varies (the others fixed), as reduction='sum' gives it for this "
    "one sample; below, its derivative by autograd."
)
@SPECS
@FAST
@given(data=st.data())
def test_the_curve_is_the_samples_sum_loss_and_its_derivative(spec, data):
    params = compute.check_params(spec, data.draw(st.fixed_dictionaries({p.name: edge_value(p) for p in spec.params})))
    values = data.draw(st.fixed_dictionaries({p.name: edge_value(p) for p in spec.all_inputs}))
    try:
        curve = compute.curve(spec, values, params)
        case = compute.sample_case(spec, values, params)
    except LossValueError:
        assume(False)
    value = compute.evaluate(spec, case, {**params, "reduction": "sum"}).value
    assert curve.loss0 == pytest.approx(value, rel=1e-9, abs=1e-12, nan_ok=True)
    # the derivative: a central difference of torch's loss along the swept input, where it is smooth
    x = np.asarray(curve.x)
    for i in (len(x) // 3, 2 * len(x) // 3):
        h = 1e-6 * max(1.0, abs(x[i]))
        lo, hi = compute.curve_points(spec, values, params, [x[i] - h, x[i] + h])[0]
        if not (np.isfinite(lo) and np.isfinite(hi) and np.isfinite(curve.grad[i])):
            continue
        slope = (hi - lo) / (2 * h)
        near = compute.curve_points(spec, values, params, [x[i] - 1e-3, x[i] + 1e-3])[1]
        if abs(near[0] - near[1]) > 1e-3 * max(1.0, abs(slope)):  # a kink nearby (a hinge, a clamp)
            continue
        assert curve.grad[i] == pytest.approx(slope, rel=1e-4, abs=1e-5), (spec.key, x[i])


@claim("Where the loss is infinite its gradient is not defined (NaN); zero_infinity=True sets it to zero.")
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_ctc_an_infinite_loss_has_a_nan_gradient_and_zero_infinity_zeroes_both(reduction):
    spec = BY_KEY["ctc"]
    values = {**spec.defaults(), "T": 1, "target": "ab"}
    case = compute.sample_case(spec, values, {"reduction": reduction})
    result = compute.evaluate(spec, case, {"reduction": reduction})
    assert np.isinf(result.per_element).all()
    assert np.isnan(result.grads["log_probs"]).all()
    zeroed = compute.evaluate(spec, case, {"reduction": reduction, "zero_infinity": True})
    assert (np.asarray(zeroed.value) == 0).all() and (zeroed.grads["log_probs"] == 0).all()


# ---------------------------------------------------------------- the 2-D views


@claim(
    "The loss and the {probability} over the logits z0 and z1, z2 fixed at {z2}. Label smoothing and class "
    "weights change the loss, not the probability.",
    "softmax probability of the true class",
    "softmax probability of the target's most likely class",
)
@pytest.mark.parametrize("kind", ["index", "probs"])
def test_ce_plane_smoothing_and_weights_change_the_loss_not_the_probability(kind):
    spec = BY_KEY["cross_entropy"]
    values = {**spec.defaults(), "target_kind": kind, "y": 1, "t0": 0.2, "t1": 0.7, "t2": 0.1, "z2": 0.5}
    extra = geometry.true_class_probability(kind == "index")
    base = geometry.plane(spec, values, {}, ("z0", "z1"), (-5.0, 5.0), extra=extra)
    # the second panel: softmax(z) of class 1 (the true class, or the target's most likely class)
    z0, z1 = np.meshgrid(base.x, base.y)
    z = np.stack([z0, z1, np.full_like(z0, 0.5)], -1)
    np.testing.assert_allclose(base.extra, torch.softmax(torch.tensor(z), -1)[..., 1].numpy(), rtol=1e-12)
    for params in ({"label_smoothing": 0.3}, {"weight": (2.0, 0.5, 1.0)}):
        other = geometry.plane(spec, values, params, ("z0", "z1"), (-5.0, 5.0), extra=extra)
        assert not np.allclose(other.loss, base.loss)
        np.testing.assert_array_equal(other.extra, base.extra)


@claim("NLLLoss over its inputs x0 and x1: a plane, since it only picks −w_y·x_y (0 when y is ignore_index).")
@FAST
@given(
    y=st.sampled_from((0, 1, 2)),
    ignore=st.sampled_from((-100, 0, 1, 2)),
    weight=edge_value(class_weight(3)),
    x2=st.floats(-6, 1),
)
def test_nll_plane_is_minus_w_y_x_y(y, ignore, weight, x2):
    spec = BY_KEY["nll"]
    values = {**spec.defaults(), "y": y, "x2": x2}
    params = {"ignore_index": ignore, "weight": weight, "reduction": "none"}
    plane = geometry.plane(spec, values, params, ("x0", "x1"), (-6.0, 1.0))
    gx, gy = np.meshgrid(plane.x, plane.y)
    x_y = (gx, gy, np.full_like(gx, x2))[y]
    w_y = 1.0 if weight is None else weight[y]
    expected = np.zeros_like(gx) if y == ignore else -w_y * x_y
    np.testing.assert_allclose(plane.loss, expected, rtol=1e-12, atol=1e-12)


@claim(
    "The loss over (x1, x2) for y = +1 and y = −1: zero beyond the dashed line, where x1 − x2 = margin (y = +1) "
    "or x2 − x1 = margin (y = −1), and growing by 1 per unit of x1 − x2 on the other side."
)
@pytest.mark.parametrize("margin", [0.0, 0.5, 1.3, 3.0])
def test_ranking_planes_are_zero_beyond_the_margin_line_and_grow_with_slope_1(margin):
    spec = BY_KEY["margin_ranking"]
    for y in (1, -1):
        plane = geometry.plane(spec, {**spec.defaults(), "y": y}, {"margin": margin}, ("x1", "x2"), (-3.0, 3.0))
        x1, x2 = np.meshgrid(plane.x, plane.y)
        beyond = y * (x1 - x2) >= margin
        assert (plane.loss[beyond] == 0).all() and (plane.loss[~beyond] > 0).all()
        np.testing.assert_allclose(plane.loss[~beyond], (margin - y * (x1 - x2))[~beyond], rtol=1e-12, atol=1e-12)


@claim(
    "Similar pairs (y = +1) pay their distance; dissimilar pairs (y = −1) pay until they are the margin apart (dotted)."
)
@pytest.mark.parametrize("margin", [0.0, 0.5, 1.0, 3.0])
def test_hinge_embedding_both_labels(margin):
    spec = BY_KEY["hinge_embedding"]
    for y in (1, -1):
        c = compute.curve(spec, {**spec.defaults(), "y": y}, {"margin": margin})
        if y == 1:
            np.testing.assert_allclose(c.loss, c.x, rtol=1e-12)
        else:
            assert ((c.loss > 0) == (c.x < margin)).all()
            np.testing.assert_allclose(c.loss, np.maximum(0, margin - c.x), rtol=1e-12, atol=1e-12)


@claim(
    "Only the angle between x₁ and x₂ matters, not their lengths, up to torch's guard: cos = x₁·x₂ / "
    "√((|x₁|² + 1e-12)(|x₂|² + 1e-12)), so a vector of length 0 counts as cos = 0. y = +1 pays 1 − cos; y = −1 pays cos − margin once the cosine exceeds the margin, i.e. within {angle}° of "
    "x₁ (dotted)."
)
@FAST
@given(
    margin=st.sampled_from((-1.0, 0.0, 1.0)) | st.floats(-1, 1),
    angle1=st.floats(-180, 180),
    angle2=st.floats(-180, 180),
    lens=st.tuples(st.floats(0.01, 3), st.floats(0.01, 3), st.floats(0.01, 3), st.floats(0.01, 3)),
)
def test_cosine_embedding_depends_on_the_angle_only(margin, angle1, angle2, lens):
    spec = BY_KEY["cosine_embedding"]

    def loss(y, l1, l2):
        values = {"len1": l1, "angle1": angle1, "len2": l2, "angle2": angle2, "y": y}
        return compute.evaluate(spec, compute.sample_case(spec, values, {}), {"margin": margin}).value

    between = abs((angle2 - angle1 + 180) % 360 - 180)
    cos = math.cos(math.radians(between))

    def guarded(l1, l2):  # torch's cosine, with its guard of 1e-12 on each squared length
        return cos * l1 * l2 / math.sqrt((l1**2 + 1e-12) * (l2**2 + 1e-12))

    for y in (1, -1):
        for l1, l2 in (lens[:2], lens[2:]):
            c = guarded(l1, l2)
            assert loss(y, l1, l2) == pytest.approx(1 - c if y == 1 else max(0.0, c - margin), rel=1e-9, abs=1e-13)
        # the lengths: no more than the guard's 1e-12 / length²
        a, b = loss(y, lens[0], lens[1]), loss(y, lens[2], lens[3])
        assert abs(a - b) <= 1e-12 * sum(1 / n**2 for n in lens) + 1e-13
        assert abs(a - (1 - cos if y == 1 else max(0.0, cos - margin))) <= 1e-12 * sum(1 / n**2 for n in lens) + 1e-13
        zero = loss(y, 0.0, lens[1])  # a zero-length vector: cos = 0
        assert zero == pytest.approx(1.0 if y == 1 else max(0.0, -margin), abs=1e-12)
    # "within {angle}° of x₁": the caption's angle, acos(margin) in degrees
    within = math.degrees(math.acos(margin))
    if abs(between - within) > 1e-6:
        assert (loss(-1, 1.0, 1.0) > 0) == (between < within)


def test_cosine_caption_fails_on_the_old_text():
    """'Only the angle matters' without the zero length: a zero vector changes the loss at a fixed angle."""
    spec = BY_KEY["cosine_embedding"]
    values = {"len1": 1.0, "angle1": 0.0, "len2": 1.0, "angle2": 30.0, "y": 1}
    one = compute.evaluate(spec, compute.sample_case(spec, values, {}), {}).value
    zero = compute.evaluate(spec, compute.sample_case(spec, {**values, "len2": 0.0}, {}), {}).value
    assert one != pytest.approx(zero)


TRIPLETS = [BY_KEY["triplet_margin"], BY_KEY["triplet_distance"]]


def _triplet_draw(spec, data):
    params = compute.check_params(spec, data.draw(st.fixed_dictionaries({p.name: edge_value(p) for p in spec.params})))
    values = data.draw(st.fixed_dictionaries({p.name: edge_value(p) for p in spec.all_inputs}))
    return params, values


@claim(
    "d(a, p) = {dp}, d(a, n) = {dn}, d(p, n) = {ds}; the loss uses {used} for the negative.",
    "A negative outside the dashed ring (radius d(a, p) + margin) costs nothing.",
    "A negative outside both dashed rings (radius d(a, p) + margin, around the anchor and around the positive) "
    "costs nothing.",
    "The cosine distance depends only on the points' directions from the origin: no ring is drawn.",
)
@pytest.mark.parametrize("spec", TRIPLETS, ids=lambda s: s.key)
@FAST
@given(data=st.data())
def test_triplet_distances_and_rings_are_torchs(spec, data):
    params, values = _triplet_draw(spec, data)
    points = geometry.triplet(spec, values, params)
    used = min(points.d_neg, points.d_swap) if params["swap"] else points.d_neg
    # the distances shown are the ones torch's loss uses
    assert points.loss == pytest.approx(max(points.d_pos - used + params["margin"], 0.0), rel=1e-9, abs=1e-9)
    p, eps = geometry.ring_norm(spec, params)
    rings = geometry.margin_rings(points, params["margin"], p, eps, params["swap"])
    # negatives on a grid: torch's loss is 0 exactly where they lie outside every ring drawn
    axis = np.linspace(-3, 3, 13)
    grid = np.array([(x, y) for x in axis for y in axis])
    n = len(grid)
    a = torch.tensor(points.anchor, dtype=F64).expand(n, 2)
    pos = torch.tensor(points.positive, dtype=F64).expand(n, 2)
    neg = torch.tensor(grid, dtype=F64)
    module = spec.module(**{**compute.torch_kwargs(spec, params), "reduction": "none"})
    with torch.no_grad():
        loss = module(a, pos, neg).numpy()
    if not p:  # cosine: the loss does not change when the negative moves along its direction
        assert len(rings) == 0
        with torch.no_grad():
            scaled = module(a, pos, 2.5 * neg).numpy()
        np.testing.assert_allclose(scaled, loss, rtol=1e-9, atol=1e-9)
        return
    radius = points.d_pos + params["margin"]
    centres = [points.anchor + eps] + ([points.positive + eps] if params["swap"] else [])
    parts = [part[~np.isnan(part[:, 0])] for part in np.split(rings, np.flatnonzero(np.isnan(rings[:, 0])))]
    assert len(parts) == len(centres)
    for part, centre in zip(parts, centres, strict=True):  # the p-ball of radius d(a, p) + margin around it
        np.testing.assert_allclose(np.linalg.norm(part - centre, ord=p, axis=1), radius, rtol=1e-9)
    d = np.stack([np.linalg.norm(grid - c, ord=p, axis=1) for c in centres])
    clear = (np.abs(d - radius) > 1e-7).all(0)  # not on a ring, where rounding decides
    outside = (d > radius).all(0)
    assert ((loss[clear] == 0) == outside[clear]).all(), (params, values)


@claim("Arrows: where gradient descent moves each point (autograd).")
@pytest.mark.parametrize("spec", TRIPLETS, ids=lambda s: s.key)
@FAST
@given(data=st.data())
def test_triplet_arrows_point_against_torchs_gradient(spec, data):
    from ui.figures.geometry import triplet_figure

    params, values = _triplet_draw(spec, data)
    points = geometry.triplet(spec, values, params)
    case = compute.sample_case(spec, values, params)
    args = {k: v.detach().requires_grad_() for k, v in case.args.items()}
    loss = spec.module(**{**compute.torch_kwargs(spec, params), "reduction": "sum"})(*args.values())
    grads = torch.autograd.grad(loss, list(args.values()))
    for name, g in zip(args, grads, strict=True):
        np.testing.assert_allclose(points.grads[name], g[0].numpy(), rtol=1e-12, atol=1e-12)
    fig = triplet_figure(points, np.zeros((0, 2)), {k: k for k in ("anchor", "positive", "negative", "ring")}, False)
    # each point's arrow (by its colour, the point's own) starts at the point and goes along -gradient
    colour = {"#1971c2": "anchor", "#2f9e44": "positive", "#e03131": "negative"}
    arrows = {colour[a["arrowcolor"]]: a for a in fig.to_dict()["layout"]["annotations"]}
    for name in ("anchor", "positive", "negative"):
        g = points.grads[name]
        assert (name in arrows) == (np.linalg.norm(g) > 1e-9)
        if name in arrows:
            a = arrows[name]
            assert (a["ax"], a["ay"]) == tuple(float(v) for v in getattr(points, name))
            step = np.array([a["x"] - a["ax"], a["y"] - a["ay"]])
            assert np.dot(step, -g) >= (1 - 1e-9) * np.linalg.norm(step) * np.linalg.norm(g)


def test_triplet_ring_fails_on_the_old_ring():
    """The old caption: 'A negative outside the dashed ring (around the anchor) costs nothing', with swap: false."""
    spec = BY_KEY["triplet_margin"]
    values = {**spec.defaults(), "ax": 0.0, "ay": 0.0, "px": 1.0, "py": 0.0, "nx": -1.3, "ny": 0.0}
    # d(a, p) = 1, margin 1: ring radius 2 around the anchor; the negative at (2.5, 0) is outside it
    # but 1.5 from the positive: with swap the loss is 1 - 1.5 + 1 > 0
    case = compute.sample_case(spec, {**values, "nx": 2.5}, {"swap": True})
    assert compute.evaluate(spec, case, {"swap": True}).value > 0


CLASS_SHARES = [s for s in LOSSES if s.view.startswith("class_shares")]


@claim("The shares add up to the loss torch gives for this sample: {total}.")
@pytest.mark.parametrize("spec", CLASS_SHARES, ids=lambda s: s.key)
@FAST
@given(data=st.data())
def test_class_shares_add_up_to_torchs_sample_loss(spec, data):
    params = compute.check_params(spec, data.draw(st.fixed_dictionaries({p.name: edge_value(p) for p in spec.params})))
    values = data.draw(st.fixed_dictionaries({p.name: edge_value(p) for p in spec.all_inputs}))
    try:
        case = compute.sample_case(spec, values, params)
    except LossValueError:
        assume(False)
    shares = geometry.class_shares(spec, case, params)
    with torch.no_grad():
        torch_loss = spec.module(**{**compute.torch_kwargs(spec, params), "reduction": "none"})(*case.args.values())
    assert shares.sum() == pytest.approx(float(torch_loss.reshape(-1)[0]), rel=1e-9, abs=1e-12)


MLM_CUT = "The target {row} as torch reads it: classes {read}; everything after the first -1 {ignored} is ignored."
MLM_WHOLE = "The target {row} as torch reads it: classes {read} (no -1: every entry is read)."


def mlm_captions(monkeypatch, row):
    """The captions the MultiLabelMarginLoss bars show for the target `row` (templates and values)."""
    from ui.views.loss import extras as ui_geometry

    shown = []
    monkeypatch.setattr(ui_geometry, "t", lambda text, **kw: (text, kw))
    monkeypatch.setattr(ui_geometry.st, "caption", shown.append)
    monkeypatch.setattr(ui_geometry, "show", lambda *a, **k: None)
    monkeypatch.setattr(ui_geometry, "bars_figure", lambda *a, **k: None)
    values = {f"t{k}": v for k, v in enumerate(row)}
    spec = BY_KEY["multilabel_margin"]
    ui_geometry.VIEWS[spec.view](compute.check(spec, values, {}))
    return [c for c in shown if c[0] in (MLM_CUT, MLM_WHOLE)]


@claim(MLM_CUT, MLM_WHOLE)
def test_the_multilabel_margin_caption_names_a_minus_one_only_when_the_target_has_one(monkeypatch):
    for row in itertools.product((-1, 0, 1, 2), repeat=3):
        row = list(row)
        ((text, kw),) = mlm_captions(monkeypatch, row)
        assert kw["row"] == row
        if -1 in row:
            assert text == MLM_CUT and kw["ignored"] == row[row.index(-1) + 1 :]
        else:  # no -1: every entry is a class read (torch's loss over them: the test below)
            assert text == MLM_WHOLE and kw["read"] == row


@claim(MLM_CUT, MLM_WHOLE)
@FAST
@given(
    row=st.lists(st.sampled_from((-1, 0, 1, 2)), min_size=3, max_size=3),
    x=st.lists(st.floats(-3, 3), min_size=3, max_size=3),
)
def test_multilabel_margin_reads_the_target_up_to_the_first_minus_one(row, x):
    spec = BY_KEY["multilabel_margin"]
    inp = torch.tensor([x], dtype=F64)
    read = row[: row.index(-1)] if -1 in row else row

    def loss(r):
        return float(spec.module(reduction="sum")(inp, torch.tensor([r])))

    # what follows the first -1 changes nothing; the classes read are the true ones
    if -1 in row:
        cut = row.index(-1)
        for other in (0, 1, 2):
            changed = row[: cut + 1] + [other] * (len(row) - cut - 1)
            assert loss(changed) == loss(row)
    by_hand = (
        sum(max(0.0, 1 - (x[j] - x[k])) for j in read for k in range(3) if k not in read) / 3
    )  # a repeated class counts again
    assert loss(row) == pytest.approx(by_hand, abs=1e-12)


# ---------------------------------------------------------------- plain texts

plain(
    "label",
    "probability",  # a table column (CTC lab's alignments, Compare's group)
    "value",  # a table column (Compare's costs)
    "By hand",
    "Reductions",
    "Copy as PyTorch",
    "What to notice",
    "Curve and gradient",
    "Compare {name} values",
    "Gradient over time × class",
    "Inputs",
    "Parameters",
    "Preset",
    "Sliders",
    "Share this view",
    "Loss · reduction='{r}'",
    "Tensors: {shapes}",
    "Data as CSV",
    "Geometry",
    "Losses",
    "Home",
    "Compare losses",
    "Training playground",
    "CTC lab",
    "Pitfalls",
    "Regression",
    "Probabilistic",
    "Classification",
    "Margin & ranking",
    "Embedding",
    "Sequence",
    "scores (true classes outlined)",
    "each class's share of the loss",
    "class {k}",
    "direction of x₂ in degrees",
    "distance x",
    "margin ring",
    "anchor",
    "positive",
    "negative",
    "target",
    "margin",
    "current",
    "gradient",
    "loss",
    "class",
    "data",
    "outliers",
    "step",
    "time t",
    "{value} ({n} characters)",
)
plain("definition", class_weight(1).help)
plain(
    "instruction",
    "A starting point: the article's example, or a case worth seeing.",
    "Edit the batch: one row per sample. The table is not part of the link.",
    "The address bar always holds this link: every input, parameter and the preset; the batch table is not in it.",
)
plain(
    "message",
    *ALLOWED.values(),
    "one of the {what}: {names}",
    "at least one row",
    "inputs",
    "options",
    "parameters",
    "By hand: {value}. torch: {torch}. They differ.",
    "… and {n} more elements.",
    "The loss is infinite (or NaN) at every point of this curve: there is no line to draw.",
    "The link's preset {value} does not exist; showing the sliders.",
    "The link's value {value} for {name} is not allowed ({allowed}); the default is used.",
    "The link gives {name} {count} times ({values}); only the last one is read.",
    "{name} = {value} is not allowed: {allowed}",
    "{message} — showing the default {name} instead.",
    "The table: {message}. Showing the original batch.",
    "The table holds at most {limit} rows, and this edit gave {rows}: it is back to the original batch.",
    "An edit may change at most {limit} rows, and this one named {rows}: the table is back to the original batch.",
)


def test_torchs_cosine_guard_is_1e_12_on_each_squared_length():
    """The cosine caption's 1e-12: for x₁ = x₂ of length 0.01, 1 − cos = 1e-12 / (1e-4 + 1e-12)."""
    spec = BY_KEY["cosine_embedding"]
    values = {"len1": 0.01, "angle1": 10.0, "len2": 0.01, "angle2": 10.0, "y": 1}
    value = compute.evaluate(spec, compute.sample_case(spec, values, {}), {}).value
    assert value == pytest.approx(1e-12 / (1e-4 + 1e-12), rel=1e-6)
