"""What the app's sentences say about torch, checked with torch over the settings they cover: the
home page's scenarios (ui/kit/lecture.py), the KLDivLoss warning's advice (core/flags.py) and the
article presets' notes. A sentence whose check fails here must be rewritten, not the check."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from core import compare, compute, ctc, pitfalls, training
from core.catalog import BY_KEY
from tests.claims import claim, plain
from ui.kit.lecture import SCENARIOS

SCENARIO = {s.key: s for s in SCENARIOS}

KL = BY_KEY["kl_div"]
REDUCTIONS = ("none", "batchmean", "mean", "sum")


# ---------------------------------------------------------------- scenarios


@claim(SCENARIO["why_huber"].point)
def test_why_huber_an_outlier_at_4_costs_16_under_mse_and_3_5_under_huber():
    """'One outlier at {r}: MSE pays {mse} ...' with the link's residual 4 and delta 1: the numbers filled in
    are torch's, and they are the maths' (r², 2r; δ(|r| − δ/2), δ)."""
    scenario = SCENARIO["why_huber"]
    numbers = scenario.numbers(scenario.query)
    r, delta = float(scenario.query["cmp.outlier"]), float(scenario.query["cmp.delta"])
    assert float(numbers["r"]) == r and abs(r) > delta  # an outlier: beyond Huber's quadratic zone
    assert float(numbers["mse"]) == pytest.approx(r**2) and float(numbers["mse_grad"]) == pytest.approx(2 * r)
    assert float(numbers["huber"]) == pytest.approx(delta * (abs(r) - delta / 2))
    assert float(numbers["huber_grad"]) == pytest.approx(delta)
    costs = compare.outlier_costs(4.0, delta=1.0)
    assert costs["mse"] == pytest.approx((16.0, 8.0))
    assert costs["huber"] == pytest.approx((3.5, 1.0))


@claim(SCENARIO["surrogates"].point)
def test_surrogates_are_convex_and_only_the_hinge_stays_above_the_0_1_loss():
    """'Hinge, squared hinge and logistic loss: convex surrogates of the 0-1 loss; only the hinge never
    drops below it.' On the lines the Compare page draws (the squared hinge is halved by MultiMarginLoss,
    the logistic uses ln)."""
    assert SCENARIO["surrogates"].query == {"cmp.group": "classification"}
    lines = {line.key: line for line in compare.classification()}
    zero_one = lines["zero_one"].loss
    for key in ("hinge", "squared_hinge", "soft_margin", "bce_logits"):
        assert np.all(np.diff(lines[key].loss, 2) >= -1e-12), f"{key} is not convex"
    assert np.all(lines["hinge"].loss >= zero_one)
    for key in ("squared_hinge", "soft_margin", "bce_logits"):
        assert np.any(lines[key].loss < zero_one), key


@claim(SCENARIO["softmax_ce"].point)
def test_softmax_before_cross_entropy_stays_near_0_55_and_shrinks_the_gradient():
    """'Logits {scale}× (2, 1, 0.1): with the softmax first the loss is {wrong} instead of {right}, and no
    logits bring it below {floor}.'"""
    scenario = SCENARIO["softmax_ce"]
    numbers = scenario.numbers(scenario.query)
    scale = float(numbers["scale"])
    assert scale == float(scenario.query["pit.softmax_ce"])
    z = torch.tensor([[2.0, 1.0, 0.1]], dtype=torch.float64) * scale
    y = torch.tensor([0])
    assert float(numbers["wrong"]) == pytest.approx(F.cross_entropy(z.softmax(-1), y).item(), rel=1e-3)
    assert float(numbers["right"]) == pytest.approx(F.cross_entropy(z, y).item(), rel=1e-3)
    floor = float(numbers["floor"])
    assert floor == pytest.approx(math.log(math.e + 2) - 1, rel=1e-3)
    for big in (10.0, 100.0, 1e4):  # no logits bring it below: it only approaches the floor
        assert F.cross_entropy((z / scale * big).softmax(-1), y).item() >= math.log(math.e + 2) - 1 - 1e-12
    mistake, fix = pitfalls.run("softmax_ce", 6.0)
    assert mistake.loss == pytest.approx(0.55, abs=0.01)
    assert mistake.grad < fix.grad


@claim(SCENARIO["ctc_infinite"].point)
def test_aa_needs_three_frames():
    """''aa' needs {need} frames (a, blank, a): with {T} there is no alignment and the loss is ∞.'"""
    scenario = SCENARIO["ctc_infinite"]
    numbers = scenario.numbers(scenario.query)
    assert scenario.query["lab.target"] == "aa" and numbers == {"need": "3", "T": scenario.query["lab.T"]}
    assert ctc.min_frames([1, 1]) == 3
    target = torch.tensor([[1, 1]])

    def nll(frames: int) -> float:
        log_probs = torch.zeros(frames, 1, 3, dtype=torch.float64).log_softmax(-1)
        return F.ctc_loss(log_probs, target, [frames], [2], reduction="sum").item()

    assert nll(2) == math.inf and math.isfinite(nll(3))
    assert nll(int(numbers["T"])) == math.inf and math.isfinite(nll(int(numbers["need"])))


@claim(SCENARIO["article_kl"].point)
def test_the_articles_kl_example_is_negative():
    """'Probabilities passed where torch expects log-probabilities: a negative 'divergence'.'"""
    preset = KL.preset("article")
    value = compute.evaluate(KL, preset.make(), {**KL.param_defaults(), **preset.params}).value
    assert value < 0


@claim(SCENARIO["triplet_swap"].point)
def test_swap_uses_the_positive_to_negative_distance_and_the_loss_grows():
    """'The negative is closer to the positive than to the anchor: swap uses d(p, n) and the loss grows.'"""
    spec = BY_KEY["triplet_margin"]
    values = {**spec.defaults(), "px": 2.0, "py": 0.0, "nx": 1.8, "ny": 1.2}
    case = compute.sample_case(spec, values, {})
    a, p, n = case.args["anchor"], case.args["positive"], case.args["negative"]
    assert torch.dist(p, n) < torch.dist(a, n)
    plain = compute.evaluate(spec, case, {"swap": False}).value
    swapped = compute.evaluate(spec, case, {"swap": True}).value
    assert swapped > plain
    margin = spec.param_defaults().get("margin", 1.0)
    assert swapped == pytest.approx(max(0.0, float(torch.dist(a, p) - torch.dist(p, n)) + margin), rel=1e-6)
    query = SCENARIO["triplet_swap"].query
    assert query["triplet_margin.swap"] == "true" and float(query["triplet_margin.nx"]) == values["nx"]


@claim(SCENARIO["huber_fit"].point)
@pytest.mark.parametrize("seed", [0, 1, 4, 9999])
def test_huber_against_outliers_mse_is_pulled_up_and_l1_and_huber_stay_near_the_true_line(seed):
    """'Press Train: the MSE line is pulled up towards the outliers; L1 and Huber stay near the true line.'
    (the scenario's data: 20 % outliers pushed up by 8; the page's defaults otherwise, and other seeds).
    It is pulled up, not tilted: the outliers sit at random x, so its slope moves either way."""
    query = SCENARIO["huber_fit"].query
    data = training.regression_data(
        outlier_fraction=float(query["play.outliers"]), outlier_size=float(query["play.size"]), seed=seed
    )
    grid = torch.linspace(-2.2, 2.2, 60, dtype=torch.float64)[:, None]
    truth = training.TRUE_SLOPE * grid[:, 0].numpy() + training.TRUE_INTERCEPT
    error, offset = {}, {}
    for loss in ("l1", "mse", "huber"):
        *_, last = training.train(data, loss, "linear", 0.05, 300, 16, seed, 300, grid, {"delta": 1.0})
        error[loss] = float(np.abs(last.prediction - truth).mean())
        offset[loss] = float((last.prediction - truth).mean())
    assert error["mse"] > 2 * max(error["l1"], error["huber"])
    assert offset["mse"] > 1.0 and offset["mse"] > 4 * max(abs(offset["l1"]), abs(offset["huber"]))  # up
    assert max(error["l1"], error["huber"]) < 0.4  # near the true line (whose values span ±3.3)


plain("label", *(s.title for s in SCENARIOS))
plain("label", "Presentation mode", "Reset this view")
plain(
    "instruction",
    "For students: this view, with every panel.",
    "For the projector: the same view in presentation mode.",
    "Every control of this page back to its default.",
    "The address bar always holds this link: every control of this page.",
    "Presentation mode shows By hand and What to notice only; the link for students (Share this view) opens "
    "with every tab.",
)
plain("instruction", "Larger type, figures and lines for a projector; secondary panels hidden.")


# ---------------------------------------------------------------- the KLDivLoss warning's advice


def _kl_case(q: torch.Tensor, p: torch.Tensor, log_target: bool):
    return {"input": q, "target": p.log() if log_target else p}


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("log_target", [False, True])
def test_following_the_kl_warnings_advice_clears_it_and_gives_the_divergence(reduction, log_target):
    """'Pass log-probabilities: q.log() for probabilities q, F.log_softmax(logits, dim=-1) for scores
    (and a target given as log-probabilities needs log_target=True).'"""
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(4, 3, generator=g, dtype=torch.float64)
    q, p = logits.softmax(-1), torch.rand(4, 3, generator=g, dtype=torch.float64).softmax(-1)
    params = {"reduction": reduction, "log_target": log_target}
    codes = lambda args: {flag.code for flag in KL.flags(args, params)}  # noqa: E731
    assert "kl_input_not_log" in codes(_kl_case(q, p, log_target))  # the mistake is flagged
    for advised in (q.log(), F.log_softmax(logits, dim=-1)):
        args = _kl_case(advised, p, log_target)
        assert "kl_input_not_log" not in codes(args)
        value = F.kl_div(advised, args["target"], reduction=reduction, log_target=log_target)
        same = F.kl_div(advised, p, reduction=reduction, log_target=False)  # the target as probabilities
        torch.testing.assert_close(value, same)
        if reduction == "batchmean":  # the KL of the maths, averaged over the batch
            torch.testing.assert_close(value, (p * (p.log() - q.log())).sum() / 4)


def test_the_fixed_article_example_is_the_mean_kl_of_its_rows():
    """'log q as input and batchmean: the real KL divergence, averaged over the batch.'"""
    preset = KL.preset("article_fixed")
    case = preset.make()
    value = compute.evaluate(KL, case, {**KL.param_defaults(), **preset.params}).value
    q, p = case.args["input"].exp(), case.args["target"]
    rows = (p * (p / q).log()).sum(-1)
    assert value == pytest.approx(float(rows.mean())) and value >= 0
