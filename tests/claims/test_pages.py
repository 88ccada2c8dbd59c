"""The texts of the Pitfalls, Compare and Playground pages and of the home page, checked with torch over
every value their controls allow. A number a text states is a {placeholder} filled by the function a
test here checks; a check that fails means the text must change, not the check."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from core import compare, ctc, pitfalls, training
from core.catalog import LOSSES
from core.params import Int
from tests.claims import claim, plain
from ui.views import compare as compare_page
from ui.views import playground


def lesson_numbers(key: str, value) -> dict[str, str]:
    """The {placeholders} of a demo's lesson at a control value (what the page fills in)."""
    demo = pitfalls.BY_KEY[key]
    value = demo.control.validate(value)
    return demo.numbers(value, *demo.run(value))


F64 = torch.float64
D = pitfalls.BY_KEY


def _values(control) -> list:
    """Every value a pitfall's control allows (its slider's steps)."""
    if isinstance(control, Int):
        return list(range(int(control.low), int(control.high) + 1, int(control.step)))
    count = round((control.high - control.low) / control.step)
    return [round(control.low + i * control.step, 10) for i in range(count + 1)]


# ---------------------------------------------------------------- Pitfalls: softmax before CrossEntropyLoss


@claim(D["softmax_ce"].lesson)
def test_softmax_first_keeps_the_loss_above_its_floor_with_a_smaller_fading_gradient():
    floor = pitfalls.softmax_floor()
    assert floor == pytest.approx(math.log(math.e + 2) - 1)  # CE of a one-hot probability row, 3 classes
    grads = []
    for scale in _values(D["softmax_ce"].control):
        mistake, fix = pitfalls.run("softmax_ce", scale)
        assert mistake.loss > floor and fix.loss < mistake.loss
        assert mistake.grad < fix.grad  # the shown ratio is below 1
        numbers = lesson_numbers("softmax_ce", scale)
        assert float(numbers["ratio"]) == pytest.approx(mistake.grad / fix.grad, abs=0.005)
        assert float(numbers["wrong"]) == pytest.approx(mistake.loss, rel=1e-3)
        grads.append(mistake.grad)
    assert np.all(np.diff(grads) < 0) and grads[-1] < 1e-4  # it fades to zero ...
    assert mistake.loss - floor < 1e-3  # ... while the loss stays at the floor
    # softmax(z) with huge logits is the one-hot row: the floor is the limit
    big, _ = _softmax_at(1e3)
    assert big == pytest.approx(floor, abs=1e-12)


def _softmax_at(scale: float) -> tuple[float, float]:
    z = torch.tensor([[2.0, 1.0, 0.1]], dtype=F64) * scale
    return nn.CrossEntropyLoss()(z.softmax(-1), torch.tensor([0])).item(), nn.CrossEntropyLoss()(
        z, torch.tensor([0])
    ).item()


# ---------------------------------------------------------------- Pitfalls: KLDivLoss


@claim(D["kl_probabilities"].lesson, D["kl_probabilities"].control.help)
def test_kl_on_probabilities_is_negative_and_batchmean_on_log_q_is_the_divergence():
    for mix in _values(D["kl_probabilities"].control):
        mistake, fix = pitfalls.run("kl_probabilities", mix)
        q = [
            [(1 - mix) * a + mix * b for a, b in zip(qr, pr, strict=True)]
            for qr, pr in zip(pitfalls._Q, pitfalls._P, strict=True)
        ]
        q, p = torch.tensor(q, dtype=F64), torch.tensor(pitfalls._P, dtype=F64)
        assert mistake.loss < 0
        kl = float((p * (p / q).log()).sum() / len(p))
        assert fix.loss == pytest.approx(kl, abs=1e-12)
        assert (fix.loss == pytest.approx(0, abs=1e-12)) == (mix == 1.0)  # 0 only when q = p
        assert fix.loss >= -1e-15
    torch.testing.assert_close(q, p)  # at 1: q = p


@claim(D["kl_mean"].lesson)
def test_kl_mean_is_batchmean_over_c_and_shrinks_while_batchmean_moves_little():
    values = _values(D["kl_mean"].control)
    first_mean, first_kl = pitfalls.run("kl_mean", values[0])
    for classes in values:
        mistake, fix = pitfalls.run("kl_mean", classes)
        assert mistake.loss == pytest.approx(fix.loss / classes, rel=1e-12)
        assert abs(fix.loss / first_kl.loss - 1) < 0.15  # moves little
        numbers = lesson_numbers("kl_mean", classes)
        assert numbers["first"] == str(values[0])
        assert float(numbers["kl_here"]) == pytest.approx(fix.loss, rel=1e-3)
        assert float(numbers["mean_here"]) == pytest.approx(mistake.loss, rel=1e-3)
        assert float(numbers["mean_first"]) == pytest.approx(first_mean.loss, rel=1e-3)
    assert mistake.loss < first_mean.loss / 5  # while 'mean' shrinks


# ---------------------------------------------------------------- BCELoss at extreme logits (issue example 2)


def _bce_grad(x: float) -> float:
    return compare.bce_sigmoid_gradient(x)


def _fade() -> dict[str, float]:
    return {k: float(v.replace("−", "-")) for k, v in compare.bce_fade().items()}


@claim(D["bce_extreme"].lesson, D["bce_extreme"].title)
def test_bce_on_a_sigmoid_stops_at_100_and_its_gradient_fades_from_where_the_page_says():
    # the clamp of log p at −100 and the 1e-12 of the backward are torch's: it still does both
    assert F.binary_cross_entropy(torch.zeros(1, dtype=F64), torch.ones(1, dtype=F64)).item() == 100.0
    p = torch.tensor([1e-20], dtype=F64, requires_grad=True)
    (dp,) = torch.autograd.grad(F.binary_cross_entropy(p, torch.ones(1, dtype=F64)), p)
    assert dp.item() == pytest.approx((1e-20 - 1) / 1e-12)  # divided by max(p(1 − p), 1e-12)
    # the sigmoid is not the cause: -log(sigmoid(x)) by autograd keeps its gradient −1 far below −28
    for x in (-28.0, -50.0, -99.0):
        t = torch.tensor(x, dtype=F64, requires_grad=True)
        (g,) = torch.autograd.grad(-torch.log(torch.sigmoid(t)), t)
        assert g.item() == pytest.approx(-1.0)
    # the numbers the page states, against torch's gradient on either side of each
    fade = _fade()
    for name, size in (("start", 0.99), ("half", 0.5), ("milli", 1e-3)):
        assert abs(_bce_grad(fade[name] + 0.06)) > size > abs(_bce_grad(fade[name] - 0.06)), name
    assert fade["start"] > fade["half"] > fade["milli"] > -100  # long before the clamp
    assert abs(_bce_grad(-27.0)) > 0.999  # −1 above the start
    for x in _values(D["bce_extreme"].control):
        mistake, fix = pitfalls.run("bce_extreme", x)
        if x <= -100:
            assert mistake.loss == 100.0
        else:
            assert mistake.loss < 100.0
            assert mistake.loss == pytest.approx(math.log1p(math.exp(-x)), rel=1e-9)
        if x < fade["milli"] - 0.06:
            assert mistake.grad < 1e-3
        exact = 1 / (1 + math.exp(x))  # |σ(x) − 1|
        assert fix.grad == pytest.approx(exact, rel=1e-12)
        assert fix.loss == pytest.approx(math.log1p(math.exp(-x)) if x > -30 else -x, rel=1e-12)
        assert lesson_numbers("bce_extreme", x) == compare.bce_fade()
    assert fix.grad < 0.01 and abs(_values(D["bce_extreme"].control)[-1]) == 5  # near −1 only for x ≪ 0


@claim(D["bce_extreme"].lesson)
def test_the_bce_fade_bisection_finds_where_torch_crosses():
    """compare.bce_gradient_below on sizes the pages do not use: torch's gradient crosses there."""
    for size in (0.9, 0.1, 1e-6, 1e-20):
        x = compare.bce_gradient_below(size)
        assert abs(_bce_grad(x - 1e-6)) < size <= abs(_bce_grad(x + 1e-6))


# ---------------------------------------------------------------- Pitfalls: the other demos


@claim(D["multilabel_padding"].lesson, D["multilabel_padding"].title)
def test_multilabel_margin_reads_up_to_the_first_minus_one():
    for score in _values(D["multilabel_padding"].control):
        mistake, fix = pitfalls.run("multilabel_padding", score)
        x = torch.tensor([score, 0.2, 0.4, 0.8], dtype=F64)

        def by_hand(targets, x=x):
            others = [j for j in range(4) if j not in targets]
            return sum(max(0.0, 1 - (x[i] - x[j]).item()) for i in targets for j in others) / 4

        assert mistake.loss == pytest.approx(by_hand([0]))  # only class 0; class 2 among the others
        assert fix.loss == pytest.approx(by_hand([0, 2]))
    x = torch.tensor([[0.9, 0.2, 0.4, 0.8]], dtype=F64)  # the multi-hot form of the same target
    multi_hot = torch.tensor([[1.0, 0.0, 1.0, 0.0]], dtype=F64)
    expected = F.binary_cross_entropy_with_logits(x, multi_hot)
    torch.testing.assert_close(nn.MultiLabelSoftMarginLoss()(x, multi_hot), expected)


@claim(D["beta_delta"].lesson, D["beta_delta"].title)
@pytest.mark.parametrize("beta", [0.1, 0.5, 1.0, 2.0, 3.0])
def test_huber_is_beta_times_smooth_l1_with_beta_equal_delta(beta):
    r = torch.linspace(-5, 5, 201, dtype=F64, requires_grad=True)
    zero = torch.zeros_like(r)
    smooth = nn.SmoothL1Loss(reduction="none", beta=beta)(r, zero)
    huber = nn.HuberLoss(reduction="none", delta=beta)(r, zero)
    torch.testing.assert_close(huber, beta * smooth)
    (gs,) = torch.autograd.grad(smooth.sum(), r)
    (gh,) = torch.autograd.grad(huber.sum(), r)
    torch.testing.assert_close(gh, beta * gs)
    inside = r.abs() < beta
    torch.testing.assert_close(smooth[inside], (r[inside] ** 2 / 2 / beta))  # SmoothL1 divides by beta
    assert torch.allclose(gh[~inside].abs(), torch.tensor(beta, dtype=F64))  # Huber's slope is delta
    if beta == 2.0:  # the page's demo
        for residual in _values(D["beta_delta"].control):
            mistake, fix = pitfalls.run("beta_delta", residual)
            assert fix.loss == pytest.approx(2 * mistake.loss, abs=1e-12)
            assert (mistake.loss != fix.loss) == (residual != 0)  # not the same loss


@claim(D["multi_margin_classes"].lesson, D["multi_margin_classes"].title)
def test_far_away_classes_multiply_multi_margin_by_two_over_c():
    for extra in _values(D["multi_margin_classes"].control):
        mistake, fix = pitfalls.run("multi_margin_classes", extra)
        x = torch.tensor([[0.3, 0.7] + [-10.0] * extra], dtype=F64)
        terms = (1 - x[0, 0] + x[0, 1:]).clamp(min=0)
        assert terms[1:].sum() == 0  # the added classes contribute nothing
        assert fix.loss == pytest.approx(mistake.loss * 2 / (2 + extra))


@claim(D["ctc_infinity"].lesson, D["ctc_infinity"].title)
def test_ctc_is_infinite_below_the_frames_the_target_needs_and_zero_infinity_hides_it():
    need = ctc.min_frames([1, 1])
    assert lesson_numbers("ctc_infinity", 2) == {"need": str(need)}
    assert ctc.count_alignments(need, [1, 1], 0) == 1  # a, blank, a
    assert ctc.count_alignments(need - 1, [1, 1], 0) == 0
    for frames in _values(D["ctc_infinity"].control):
        mistake, fix = pitfalls.run("ctc_infinity", frames)
        if frames < need:
            assert mistake.loss == math.inf and fix.loss == 0.0
            lp = torch.randn(frames, 1, 3, dtype=F64).log_softmax(-1).requires_grad_()
            args = (lp, torch.tensor([[1, 1]]), torch.tensor([frames]), torch.tensor([2]))
            (g,) = torch.autograd.grad(nn.CTCLoss(zero_infinity=True)(*args), lp)
            assert torch.all(g == 0)  # and a zero gradient
        else:
            assert math.isfinite(mistake.loss) and fix.loss == mistake.loss


# ---------------------------------------------------------------- Pitfalls: each side's title


def _softplus(x: float) -> float:
    return math.log1p(math.exp(-abs(x))) + max(x, 0.0)


def _intended(key: str, value) -> float:
    """What a mistake/fix demo means to compute, by hand: the fix must give it, the mistake does not."""
    if key == "softmax_ce":  # −log softmax(z)_0
        z = [value * v for v in (2.0, 1.0, 0.1)]
        return math.log(sum(math.exp(v) for v in z)) - z[0]
    if key in ("kl_probabilities", "kl_mean"):  # the KL divergence per sample, Σ p log(p / q) / batch
        if key == "kl_probabilities":
            q = [
                [(1 - value) * a + value * b for a, b in zip(qr, pr, strict=True)]
                for qr, pr in zip(pitfalls._Q, pitfalls._P, strict=True)
            ]
            p = pitfalls._P
        else:
            c = int(value)
            q = [
                [0.5, 0.3, 0.2 - 0.01 * (c - 3)] + [0.01] * (c - 3),
                [0.2, 0.3, 0.5 - 0.01 * (c - 3)] + [0.01] * (c - 3),
            ]
            p = [
                [0.9, 0.05, 0.05 - 0.001 * (c - 3)] + [0.001] * (c - 3),
                [0.1, 0.7, 0.2 - 0.001 * (c - 3)] + [0.001] * (c - 3),
            ]
        return (
            sum(pi * math.log(pi / qi) for pr, qr in zip(p, q, strict=True) for pi, qi in zip(pr, qr, strict=True)) / 2
        )
    if key == "bce_extreme":  # −log σ(x) for y = 1, exact at any logit
        return _softplus(-value)
    if key == "multilabel_padding":  # classes 0 and 2 true: each pair (true, other) short of margin 1, / C
        x = [value, 0.2, 0.4, 0.8]
        return sum(max(0.0, 1 - (x[i] - x[j])) for i in (0, 2) for j in (1, 3)) / 4
    raise KeyError(key)


MISTAKE_FIX_DEMOS = [d.key for d in pitfalls.DEMOS if d.sides == pitfalls.MISTAKE_FIX]


@claim(*(title for _, title in pitfalls.MISTAKE_FIX))
@pytest.mark.parametrize("key", MISTAKE_FIX_DEMOS)
def test_under_the_mistake_and_the_fix_the_fix_computes_what_the_demo_means_and_the_mistake_does_not(key):
    """A demo is titled 'The mistake' / 'The fix' only where the right side gives, at every value of the
    control, the quantity the demo means (computed by hand), and the left side does not at the page's default."""
    demo = D[key]
    for value in _values(demo.control):
        _, fix = pitfalls.run(key, value)
        assert fix.loss == pytest.approx(_intended(key, value), rel=1e-9, abs=1e-12), value
    mistake, fix = pitfalls.run(key, demo.control.default)
    assert abs(mistake.loss - fix.loss) > 1e-3 * max(1.0, abs(fix.loss))


def test_only_demos_with_a_by_hand_fix_are_titled_mistake_and_fix():
    assert set(MISTAKE_FIX_DEMOS) == {"softmax_ce", "kl_probabilities", "kl_mean", "bce_extreme", "multilabel_padding"}
    for demo in pitfalls.DEMOS:  # every demo declares its own two (icon, title) sides
        assert len(demo.sides) == 2 and all(icon and title for icon, title in demo.sides)
    for key in ("beta_delta", "multi_margin_classes", "ctc_infinity"):  # no side of these is a fix
        assert not {title for _, title in D[key].sides} & {title for _, title in pitfalls.MISTAKE_FIX}


@claim(*(title for _, title in D["beta_delta"].sides))
def test_beta_delta_sides_are_smooth_l1_with_beta_2_and_huber_with_delta_2_its_double():
    for r in _values(D["beta_delta"].control):
        left, right = pitfalls.run("beta_delta", r)
        smooth = r * r / 4 if abs(r) < 2 else abs(r) - 1  # SmoothL1, beta = 2: 0.5 r² / beta, |r| − beta / 2
        huber = r * r / 2 if abs(r) <= 2 else 2 * (abs(r) - 1)  # Huber, delta = 2: 0.5 r², delta (|r| − delta / 2)
        assert left.loss == pytest.approx(smooth, abs=1e-12) and right.loss == pytest.approx(huber, abs=1e-12)
        assert right.loss == pytest.approx(2 * left.loss, abs=1e-12)


@claim(*(title for _, title in D["multi_margin_classes"].sides))
def test_multi_margin_sides_are_two_classes_and_far_away_classes_times_two_over_c():
    for extra in _values(D["multi_margin_classes"].control):
        left, right = pitfalls.run("multi_margin_classes", extra)
        assert left.loss == pytest.approx(max(0.0, 1 - 0.3 + 0.7) / 2)  # two classes, the other's hinge / 2
        assert f"C = {2 + extra}" in right.label  # the classes added
        assert right.loss == pytest.approx(left.loss * 2 / (2 + extra))


@claim(*(title for _, title in D["ctc_infinity"].sides))
def test_ctc_sides_infinite_exactly_below_the_frames_needed_and_zero_infinity_turns_that_into_0():
    need = ctc.min_frames([1, 1])
    left_title = D["ctc_infinity"].sides[0][1]
    for frames in _values(D["ctc_infinity"].control):
        numbers = lesson_numbers("ctc_infinity", frames)
        assert left_title.format(**numbers) == left_title.replace("{need}", str(need))  # the title's T bound
        left, right = pitfalls.run("ctc_infinity", frames)
        assert (left.loss == math.inf) == (frames < need)  # ∞ whenever T < need, and only then
        assert "zero_infinity=True" in right.code and "zero_infinity" not in left.code
        if left.loss == math.inf:
            assert right.loss == 0.0  # that ∞ becomes 0
        else:
            assert right.loss == left.loss  # no ∞: nothing changed


plain("label", *(D[k].title for k in ("softmax_ce", "kl_probabilities", "kl_mean")))
plain("definition", *(d.control.help for d in pitfalls.DEMOS if d.key != "kl_probabilities"))
plain(
    "label",
    "size of the gradient: {g}",
    "Code",
)
plain(
    "instruction",
    "The mistakes people make with torch's losses, each shown live: two computations side by side, each titled "
    "by what it shows, computed by torch, with the code of both.",
)


# ---------------------------------------------------------------- Compare


@claim(
    "Several losses on shared axes, each curve from the real torch module (the dotted 0-1 loss aside) and its "
    "gradient from autograd. The settings are in the link, like everywhere else."
)
def test_every_compare_curve_but_the_0_1_loss_is_torch_and_its_gradient_matches_the_slope():
    groups = (compare.regression(0.5, 2.0, 0.3), compare.classification(), compare.probability(-60.0))
    for lines in groups:
        for line in lines:
            assert line.torch_loss == (line.key != "zero_one")
            if line.key == "bce":  # autograd through BCELoss's backward: not the slope where it fades
                for i in range(0, len(line.x), 50):
                    assert line.grad[i] == pytest.approx(compare.bce_sigmoid_gradient(float(line.x[i])), rel=1e-12)
            elif line.torch_loss:  # autograd's gradient is the curve's slope
                slope = np.gradient(line.loss, line.x)
                inner = slice(5, -5)
                kink = np.abs(np.diff(line.grad, prepend=line.grad[0])) > 0.05  # non-smooth points aside
                ok = ~kink[inner] & ~np.roll(kink, -1)[inner] & ~np.roll(kink, 1)[inner]
                np.testing.assert_allclose(slope[inner][ok], line.grad[inner][ok], atol=0.05, rtol=0.01)


@claim(
    "MSE's gradient grows with the residual, so one outlier can outweigh many small errors; L1, SmoothL1 and "
    "Huber cap it (at 1, 1 and delta). The Gaussian NLL at a fixed variance v is (log v + r²/v) / 2, a "
    "parabola like MSE: its gradient r/v grows without bound too."
)
@pytest.mark.parametrize("setting", [(0.05, 0.05, 0.1), (1.0, 1.0, 1.0), (3.0, 3.0, 4.0), (0.3, 2.2, 0.7)])
def test_regression_gradients_mse_grows_l1_smooth_l1_huber_are_capped(setting):
    beta, delta, var = setting
    lines = {line.key: line for line in compare.regression(beta, delta, var)}
    r = lines["mse"].x
    np.testing.assert_allclose(lines["mse"].grad, 2 * r)
    assert np.abs(lines["l1"].grad).max() <= 1 and np.abs(lines["smooth_l1"].grad).max() <= 1 + 1e-12
    assert np.abs(lines["huber"].grad).max() == pytest.approx(delta)
    assert np.abs(lines["smooth_l1"].grad).max() == pytest.approx(1.0)  # reached: a cap, not a bound
    np.testing.assert_allclose(lines["gaussian_nll"].loss, (np.log(var) + r**2 / var) / 2)
    np.testing.assert_allclose(lines["gaussian_nll"].grad, r / var)
    # one outlier outweighs many small errors under MSE
    costs = compare.outlier_costs(4.0, beta, delta, var)
    small = compare.outlier_costs(0.1, beta, delta, var)
    assert abs(costs["mse"][1]) > 10 * abs(small["mse"][1])


plain("definition", *(p.help for p in compare_page.CONTROLS))
plain("label", *compare_page.GROUP_TITLES.values())
plain("label", "Compare losses", "What a residual of {r} costs under each loss:", "Choose the losses to overlay.")
plain("label", "margin m = y·f(x)", "residual ŷ − y", "logit x of a positive example")

CLASSIFICATION_CAPTION = (
    "Each loss is a convex surrogate of the dotted 0-1 loss (which is no torch loss and has no useful gradient), "
    "and only the hinge never drops below it: the squared hinge does on ({squared}, 0] and the logistic loss on "
    "({logistic}, 0]. The hinge is zero beyond a margin of 1; the squared hinge is smooth there, and "
    "MultiMarginLoss divides it by the 2 classes; the logistic loss (SoftMarginLoss and BCEWithLogitsLoss: the "
    "same curve) never reaches zero."
)


@claim(CLASSIFICATION_CAPTION)
def test_the_surrogates_caption():
    lines = {line.key: line for line in compare.classification()}
    m, zero_one = lines["zero_one"].x, lines["zero_one"].loss
    assert np.all(lines["zero_one"].grad == 0)
    for key in ("hinge", "squared_hinge", "soft_margin", "bce_logits"):
        assert np.all(np.diff(lines[key].loss, 2) >= -1e-12), f"{key} is not convex"
    assert np.all(lines["hinge"].loss >= zero_one) and compare.below_zero_one("hinge") is None
    for key in ("squared_hinge", "soft_margin", "bce_logits"):
        start = compare.below_zero_one(key)
        below = lines[key].loss < zero_one
        np.testing.assert_array_equal(below, (m > start) & (m <= 0))  # exactly on (start, 0]
    assert compare.below_zero_one("squared_hinge") == pytest.approx(1 - math.sqrt(2))  # (1 − m)²/2 = 1
    assert compare.below_zero_one("soft_margin") == pytest.approx(-math.log(math.e - 1))  # log(1 + e^−m) = 1
    hinge, squared = lines["hinge"], lines["squared_hinge"]
    assert np.all(hinge.loss[m >= 1] == 0) and np.all(hinge.loss[m < 1] > 0)
    np.testing.assert_allclose(squared.loss, np.maximum(0, 1 - m) ** 2 / 2)  # divided by the 2 classes
    assert np.all(np.abs(np.diff(squared.grad)) < 0.05)  # its gradient is continuous: smooth at 1
    np.testing.assert_allclose(lines["soft_margin"].loss, lines["bce_logits"].loss)
    assert np.all(lines["soft_margin"].loss > 0)


PROBABILITY_CAPTION = (
    "BCELoss on a sigmoid stops at 100 below a logit of −100 (it clamps log p at −100). Its gradient fades long "
    "before, and the sigmoid is not the cause: BCELoss's backward divides by max(p(1 − p), 1e-12) instead of "
    "p(1 − p), so from a logit of {start} on the gradient falls away from −1, below 0.5 in size from {half} and "
    "below 0.001 from {milli}. BCEWithLogitsLoss stays exact: its gradient σ(x) − 1 tends to −1 and its loss to −x."
)


@claim(PROBABILITY_CAPTION)
@pytest.mark.parametrize("low", [-300.0, -150.0, -40.0, -10.0])
def test_the_probability_caption_on_the_lines_drawn(low):
    bce, logits = compare.probability(low=low)
    fade = _fade()
    x = bce.x
    np.testing.assert_array_equal(bce.loss[x <= -100], 100.0)
    assert np.all(bce.loss[x > -100] < 100)
    assert np.all(np.abs(bce.grad[x > fade["start"] + 0.06]) >= 0.99 * np.abs(logits.grad[x > fade["start"] + 0.06]))
    assert np.all(np.abs(bce.grad[x < fade["half"] - 0.06]) < 0.5)
    assert np.all(np.abs(bce.grad[x < fade["milli"] - 0.06]) < 1e-3)
    np.testing.assert_allclose(logits.grad, 1 / (1 + np.exp(-x)) - 1, rtol=1e-12)
    np.testing.assert_allclose(logits.loss, np.logaddexp(0, -x), rtol=1e-12)
    # both pages state the same numbers
    assert lesson_numbers("bce_extreme", -120) == compare.bce_fade()


# ---------------------------------------------------------------- home


@claim(
    "{n} of the {total} loss classes of torch.nn, computed live by real PyTorch: move the sliders for the "
    "prediction, the target and the loss's own parameters, and watch the value, the curve and the gradient "
    "change. Each loss also shows its formula worked by hand and the code that reproduces it."
)
def test_the_catalog_covers_n_of_torchs_loss_classes():
    from torch.nn.modules.loss import _Loss

    names = compare.torch_loss_classes()
    exported = {n for n in dir(nn) if isinstance(getattr(nn, n), type) and issubclass(getattr(nn, n), _Loss)}
    assert set(names) == exported - {"_Loss", "NLLLoss2d"}  # NLLLoss2d: NLLLoss under a deprecated name
    catalog = {spec.module.__name__ for spec in LOSSES}
    assert len(catalog) == len(LOSSES) and catalog <= set(names)  # n distinct torch classes
    for spec in LOSSES:
        assert spec.module is getattr(nn, spec.module.__name__) and spec.title == spec.module.__name__
        assert spec.formula and callable(spec.terms) and spec.params is not None  # by hand, and its sliders


plain("label", "Scenarios for a lecture", "The curve of {name}")
plain("instruction", "Each link opens the exact view; share it with a class.")


# ---------------------------------------------------------------- Playground


@claim(
    "A tiny model trained live under the losses you pick, side by side: see what a loss does to a fit. "
    "Training is deterministic for a seed, and runs in your session only."
)
@pytest.mark.parametrize("loss", ["huber", "gaussian_nll", "cross_entropy"])
def test_training_is_deterministic_for_a_seed(loss):
    task = "regression" if loss in training.REGRESSION_LOSSES else "classification"
    for seed in (0, 7):
        runs = []
        for _ in range(2):
            torch.manual_seed(len(runs))  # the global generator does not matter
            data = (
                training.regression_data(seed=seed)
                if task == "regression"
                else training.classification_data("moons", label_noise=0.1, seed=seed)
            )
            runs.append([(s.loss, s.prediction) for s in training.train(data, loss, "mlp", 0.05, 30, 8, seed, 10)])
        for (a, pa), (b, pb) in zip(*runs, strict=True):
            assert a == b and np.array_equal(pa, pb)


@claim("True slope {s}. ")
def test_the_true_slope_is_the_datas():
    data = training.regression_data(n=4000, outlier_fraction=0.0, seed=3)
    slope = np.polyfit(data.x[:, 0].numpy(), data.y.numpy(), 1)[0]
    assert slope == pytest.approx(training.TRUE_SLOPE, abs=0.03)


@claim(playground.NOISE.help, playground.SHARE.help, playground.OUTLIERS.help, playground.SIZE.help)
def test_the_playground_data_controls_do_what_their_help_says():
    n = 4000
    for noise in (0.0, 0.2, 0.4):
        data = training.classification_data("blobs", n=n, label_noise=noise, positive_share=0.3, seed=1)
        clean = training.classification_data("blobs", n=n, label_noise=0.0, positive_share=0.3, seed=1)
        assert torch.equal(data.outlier, data.y != clean.y)
        assert data.outlier.double().mean().item() == pytest.approx(noise, abs=0.03)  # each with that chance
        assert clean.y.mean().item() == pytest.approx(0.3)  # the share of class 1
    base = training.regression_data(outlier_fraction=0.0, seed=2)
    for fraction, size in ((0.15, 6.0), (0.5, 15.0)):
        data = training.regression_data(outlier_fraction=fraction, outlier_size=size, seed=2)
        assert data.outlier.double().mean().item() == pytest.approx(fraction, abs=0.01)
        torch.testing.assert_close(data.y - base.y, size * data.outlier.to(F64))  # pushed up by size


plain(
    "definition",
    *(
        p.help
        for p in playground.CONTROLS
        if p not in (playground.NOISE, playground.SHARE, playground.OUTLIERS, playground.SIZE)
    ),
)
plain(
    "message",
    "Choose at least one loss.",
    "Step {step} of {steps}",
    "Stopped at step {step} of {steps}.",
    "The settings changed since the last run: press Train.",
    "Training…",
)
plain("label", "Training playground", "Train", "Stop", "Choose the losses to train under.")
plain("label", "Pitfalls", "outliers", "slope", "training loss", "true line")
