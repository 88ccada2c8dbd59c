"""The texts of the regression and probabilistic losses (L1, MSE, SmoothL1, Huber, PoissonNLL,
GaussianNLL, KLDiv) and the KLDivLoss and PoissonNLLLoss flags, each checked with torch over every
setting its page allows (every beta and delta of the sliders' grids, full, eps, log_input,
log_target, the input fed to KLDivLoss, every reduction), or registered as plain. Each preset's test
checks that the page's shown quantity has the property its title and note name.

A text whose check fails here must be rewritten, not the check."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from core import compute
from core.catalog import BY_KEY
from core.expr import N, times
from core.flags import TEXT as FLAG_TEXT
from core.flags import Flag
from tests.claims import claim, plain

F64 = torch.float64
L1, MSE, SMOOTH, HUBER = (BY_KEY[k] for k in ("l1", "mse", "smooth_l1", "huber"))
POISSON, GAUSSIAN, KL = (BY_KEY[k] for k in ("poisson_nll", "gaussian_nll", "kl_div"))
REGRESSION = (L1, MSE, SMOOTH, HUBER)
EXAMPLES = settings(max_examples=40, deadline=None)


def param(spec, name):
    return next(p for p in (*spec.params, *spec.inputs, *spec.options) if p.name == name)


def grid(p) -> np.ndarray:
    """Every value a slider offers: low to high by its step."""
    return np.round(np.arange(p.low, p.high + p.step / 2, p.step), 10)


BETAS, DELTAS = grid(param(SMOOTH, "beta")), grid(param(HUBER, "delta"))
EPSILONS = (1e-12, 1e-8, 1e-6, 1e-3, 0.1)  # eps's log-scale slider, its ends included


def t(values):
    return torch.tensor(values, dtype=F64)


def curve(spec, values=None, params=None):
    return compute.curve(spec, {**spec.defaults(), **(values or {})}, params or {})


def shown(spec, key, params=None):
    """The page at a preset: torch's evaluation of its case under its parameters (and `params`)."""
    preset = spec.preset(key)
    merged = {**(params or {}), **preset.params}
    case = preset.make() if preset.make else compute.sample_case(spec, preset.values, merged)
    return compute.evaluate(spec, case, merged), case


def one(value) -> float:
    """A one-sample value under any reduction ('none' gives one element)."""
    return np.asarray(value, dtype=float).item()


def sample(spec, values, params):
    return compute.evaluate(spec, compute.sample_case(spec, values, params), params)


# ---------------------------------------------------------------- plain texts

plain(
    "label",
    "Regression",
    "Probabilistic",
    "Article example",
    "Small delta",
    "Rate, not log-rate",
    L1.sweep.label,
    POISSON.sweep.label,
    GAUSSIAN.sweep.label,
    KL.sweep.label,
)
plain(
    "definition",
    param(L1, "input").help,
    param(L1, "target").help,
    param(POISSON, "log_input").help,
    param(POISSON, "input").help,
    param(POISSON, "target").help,
    param(GAUSSIAN, "input").help,
    param(GAUSSIAN, "target").help,
    param(GAUSSIAN, "var").help,
    param(KL, "log_target").help,
)
plain("message", "a rate λ ≥ 0 when log_input=False", "weights ≥ 0 with a positive sum")


# ---------------------------------------------------------------- L1 and MSE


@claim(L1.summary, L1.notice)
def test_l1_costs_each_unit_alike_and_its_gradient_is_plus_or_minus_one_jumping_at_zero():
    c = curve(L1, {"target": 0.2})
    d = c.x - 0.2
    assert np.allclose(c.loss, np.abs(d))  # every unit of error costs the same
    off = np.abs(d) > 1e-9
    assert np.array_equal(c.grad[off], np.sign(d[off]))  # ±1: a small error pulls as hard as a large one
    # the slope jumps at zero: -1 just left, +1 just right (torch gives 0 at 0 itself)
    for reduction in L1.reductions():
        for x, want in ((0.2 - 1e-6, -1.0), (0.2 + 1e-6, 1.0), (3.0, 1.0), (-3.0, -1.0)):
            r = sample(L1, {"input": x, "target": 0.2}, {"reduction": reduction})
            assert r.grads["input"].item() == want


@claim(MSE.summary, MSE.notice)
def test_mse_is_the_squared_error_its_gradient_2d_and_one_outlier_outweighs_many_small_errors():
    c = curve(MSE, {"target": 0.2})
    d = c.x - 0.2
    assert np.allclose(c.loss, d**2) and np.allclose(c.grad, 2 * d)
    for reduction in MSE.reductions():
        r = sample(MSE, {"input": 1.5, "target": 0.2}, {"reduction": reduction})
        assert r.grads["input"].item() == pytest.approx(2 * 1.3)
    # one residual of 3 among twenty of 0.1: under MSE the outlier's pull beats all the others together
    # (under L1 it is one pull among 21), and its share of the loss is larger than under L1
    rows = [{"input": 3.0, "target": 0.0}] + [{"input": 0.1, "target": 0.0}] * 20
    share = {}
    for spec, outweighs in ((MSE, True), (L1, False)):
        r = compute.evaluate(spec, compute.batch_case(spec, rows, {}, {}), {"reduction": "sum"})
        g = r.grads["input"]
        assert bool(abs(g[0]) > abs(g[1:]).sum()) == outweighs
        share[spec.key] = r.per_element[0] / r.per_element.sum()
    assert share["mse"] > 0.95 > share["l1"]


# ---------------------------------------------------------------- SmoothL1 and Huber


@claim(SMOOTH.notice, param(SMOOTH, "beta").help)
def test_smooth_l1_is_mse_times_half_over_beta_inside_and_l1_minus_half_beta_outside():
    for beta in BETAS:
        c = curve(SMOOTH, {"target": 0.2}, {"beta": float(beta)})
        d = c.x - 0.2
        inside = np.abs(d) < beta
        mse = (c.x - 0.2) ** 2
        assert np.allclose(c.loss[inside], mse[inside] * 0.5 / beta)
        assert np.allclose(c.loss[~inside], np.abs(d[~inside]) - beta / 2)
        assert np.all(np.abs(c.grad) <= 1)  # the gradient never exceeds 1 in size
        if beta == 0:  # beta = 0 gives L1
            assert np.array_equal(c.loss, np.abs(d))
    # the quadratic part is not MSE / beta (the factor is 0.5 / beta)
    c = curve(SMOOTH, {"target": 0.0}, {"beta": 2.0})
    inside = np.abs(c.x) < 2
    assert not np.allclose(c.loss[inside], c.x[inside] ** 2 / 2.0)


@claim(SMOOTH.summary)
def test_smooth_l1_is_smooth_at_zero_for_beta_above_0_with_slope_one_for_large_errors():
    for beta in BETAS:
        tiny = min(1e-6, beta / 10) if beta else 1e-6
        left, right = (
            sample(SMOOTH, {"input": x, "target": 0.0}, {"beta": float(beta), "reduction": "sum"}).grads["input"].item()
            for x in (-tiny, tiny)
        )
        if beta > 0:  # the gradient goes through 0 continuously, as MSE's does
            assert abs(right - left) <= 2 * tiny / beta + 1e-12
        else:  # beta = 0: L1's jump
            assert (left, right) == (-1.0, 1.0)
        far = sample(SMOOTH, {"input": 3.0, "target": -3.0}, {"beta": float(beta), "reduction": "sum"})
        assert far.grads["input"].item() == 1.0


@claim(HUBER.summary, HUBER.notice, param(HUBER, "delta").help)
def test_huber_is_half_mse_inside_lines_of_slope_delta_outside_and_its_gradient_is_clipped():
    for delta in DELTAS:
        c = curve(HUBER, {"target": 0.2}, {"delta": float(delta)})
        d = c.x - 0.2
        inside = np.abs(d) < delta
        assert np.allclose(c.loss[inside], d[inside] ** 2 / 2)
        assert np.allclose(c.loss[~inside], delta * (np.abs(d[~inside]) - delta / 2))
        assert np.allclose(c.grad, np.clip(d, -delta, delta))
        assert np.all(np.abs(c.grad) <= delta + 1e-12)
        assert np.allclose(np.abs(c.grad[~inside]), delta)  # slopes ±delta beyond


@claim(SMOOTH.pitfall, HUBER.pitfall)
def test_huber_is_delta_times_smooth_l1_at_every_error_and_the_same_at_1():
    x = torch.linspace(-6, 6, 241, dtype=F64)
    y = torch.zeros_like(x)
    for beta in BETAS[BETAS > 0]:
        for reduction in ("none", "mean", "sum"):
            smooth = F.smooth_l1_loss(x, y, beta=float(beta), reduction=reduction)
            huber = F.huber_loss(x, y, delta=float(beta), reduction=reduction)
            assert torch.allclose(huber, beta * smooth)
            assert torch.allclose(smooth, huber / beta)
        if abs(beta - 1) > 1e-9:  # scaled: a different curve, unless beta = 1
            assert not torch.allclose(F.huber_loss(x, y, delta=float(beta)), F.smooth_l1_loss(x, y, beta=float(beta)))
    assert torch.equal(
        F.huber_loss(x, y, delta=1.0, reduction="none"), F.smooth_l1_loss(x, y, beta=1.0, reduction="none")
    )


# ---------------------------------------------------------------- regression presets


@claim(L1.preset("article").note, MSE.preset("article").note, SMOOTH.preset("article").note)
def test_the_article_presets_are_random_3_by_5_input_and_target():
    for spec in (L1, MSE, SMOOTH):
        preset = spec.preset("article")
        assert preset.note.startswith(f"{spec.title} on random 3 x 5")
        args = preset.make().args
        assert args["input"].shape == args["target"].shape == (3, 5)
        assert len(set(args["input"].reshape(-1).tolist())) == 15 and not torch.equal(args["input"], args["target"])
        r = compute.evaluate(spec, preset.make(), {})
        assert r.per_element.shape == (3, 5) and r.finite


@claim("An outlier", HUBER.preset("outlier").note)
def test_the_outlier_costs_3_under_l1_9_under_mse_and_lies_on_the_linear_part_of_smooth_l1_and_huber():
    specs = {spec.key: spec for spec in REGRESSION if any(p.key == "outlier" for p in spec.presets)}
    assert set(specs) == {"l1", "mse", "smooth_l1", "huber"}
    values = L1.preset("outlier").values
    assert values["input"] - values["target"] == 3
    for reduction in L1.reductions():
        assert one(shown(L1, "outlier", {"reduction": reduction})[0].value) == 3
        assert one(shown(MSE, "outlier", {"reduction": reduction})[0].value) == 3**2
    for beta in BETAS:  # every beta the slider offers, up to 3
        r, _ = shown(SMOOTH, "outlier", {"beta": float(beta)})
        assert r.value == pytest.approx(3 - beta / 2) and r.grads["input"].item() == 1  # like L1: slope 1
    for delta in DELTAS:
        r, _ = shown(HUBER, "outlier", {"delta": float(delta)})
        assert r.value == pytest.approx(delta * (3 - delta / 2)) and r.grads["input"].item() == pytest.approx(delta)


@claim("beta = 0 is L1")
def test_beta_0_preset_is_l1_value_and_gradient():
    preset = SMOOTH.preset("beta0")
    for target in (-1.0, 0.2, 2.0):
        smooth = curve(SMOOTH, {"target": target}, preset.params)
        l1 = curve(L1, {"target": target})
        assert np.array_equal(smooth.loss, l1.loss) and np.array_equal(smooth.grad, l1.grad)


@claim(HUBER.preset("small_delta").note)
def test_small_delta_puts_the_error_on_the_linear_part_with_the_gradient_clipped():
    preset = HUBER.preset("small_delta")
    delta = preset.params["delta"]
    d = preset.values["input"] - preset.values["target"]
    assert abs(d) > delta
    for reduction in HUBER.reductions():
        r, _ = shown(HUBER, "small_delta", {"reduction": reduction})
        assert r.grads["input"].item() == pytest.approx(math.copysign(delta, d))
        assert one(r.value) == pytest.approx(delta * (abs(d) - delta / 2))
    default = compute.evaluate(HUBER, compute.sample_case(HUBER, preset.values, {}), {})
    assert abs(default.grads["input"].item()) > delta  # with the default delta the pull is not clipped


# ---------------------------------------------------------------- PoissonNLLLoss


def stirling(y):
    return y * math.log(y) - y + 0.5 * math.log(2 * math.pi * y)


@claim(param(POISSON, "full").help)
def test_full_adds_stirlings_approximation_of_log_y_factorial_for_targets_above_1():
    for log_input in (True, False):
        for y in np.arange(0, 10.5, 1.0):  # the target slider: 0 to 10 by 1
            for x in (0.5, 2.0):
                params = {"log_input": log_input, "reduction": "sum"}
                base = sample(POISSON, {"input": x, "target": y}, {**params, "full": False}).value
                full = sample(POISSON, {"input": x, "target": y}, {**params, "full": True}).value
                added = full - base
                if y > 1:
                    assert added == pytest.approx(stirling(y))
                    # an approximation of log(y!): off by less than 1/(12 y)
                    assert 0 < math.lgamma(y + 1) - added < 1 / (12 * y)
                else:
                    assert added == 0
    # not where y <= 1, even for a target between 0 and 1 (the article's targets)
    x, y = t([0.3, 0.3]), t([0.5, 1.0])
    assert torch.equal(
        F.poisson_nll_loss(x, y, full=True, reduction="none"), F.poisson_nll_loss(x, y, reduction="none")
    )


@claim(param(POISSON, "eps").help)
def test_eps_is_added_to_the_rate_before_its_log_so_a_zero_rate_stays_finite():
    for eps in EPSILONS:
        for y in (0.0, 1.0, 4.0):
            r = sample(POISSON, {"input": 0.0, "target": y}, {"log_input": False, "eps": eps, "reduction": "sum"})
            assert r.finite and r.value == pytest.approx(0 - y * math.log(0 + eps))
            r = sample(POISSON, {"input": 1.5, "target": y}, {"log_input": False, "eps": eps, "reduction": "sum"})
            assert r.value == pytest.approx(1.5 - y * math.log(1.5 + eps))
            # with log_input=True eps plays no part
            on = sample(POISSON, {"input": 0.0, "target": y}, {"eps": eps, "reduction": "sum"}).value
            assert on == pytest.approx(1 - y * 0)
    # without eps a zero rate would not be finite
    assert math.isinf(F.poisson_nll_loss(t([0.0]), t([2.0]), log_input=False, eps=0.0).item())


@claim(POISSON.summary)
def test_poisson_nll_is_minus_log_likelihood_up_to_log_y_factorial():
    for log_input in (True, False):
        for y in range(11):
            for rate in (0.05, 0.5, 1.0, 2.5, 7.0, 20.0):
                if not log_input and rate > 3:  # the rate slider ends at 3
                    continue
                x = math.log(rate) if log_input else rate
                nll = -torch.distributions.Poisson(t(rate)).log_prob(t(float(y))).item()
                params = {"log_input": log_input, "reduction": "sum", "eps": 1e-12}
                base = sample(POISSON, {"input": x, "target": float(y)}, {**params, "full": False}).value
                assert base + math.lgamma(y + 1) == pytest.approx(nll, abs=1e-9)
                full = sample(POISSON, {"input": x, "target": float(y)}, {**params, "full": True}).value
                if y <= 1:
                    assert full == pytest.approx(nll, abs=1e-9)  # log(0!) = log(1!) = 0
                else:
                    assert 0 < nll - full < 1 / (12 * y)


@claim(POISSON.notice)
def test_poisson_minimum_sits_at_log_y_and_is_negative_without_full_once_y_exceeds_e():
    for y in np.arange(1, 10.5, 1.0):
        for full in (False, True):
            c = curve(POISSON, {"target": float(y)}, {"full": full})
            assert c.x[np.argmin(c.loss)] == pytest.approx(math.log(y), abs=(c.x[1] - c.x[0]))
            lowest = sample(POISSON, {"input": math.log(y), "target": float(y)}, {"full": full, "reduction": "sum"})
            assert lowest.grads["input"].item() == pytest.approx(0, abs=1e-12)
            if not full:
                assert lowest.value == pytest.approx(y - y * math.log(y))
                assert bool(lowest.value < 0) == bool(y > math.e)
            else:  # the Stirling term brings it back above 0
                assert lowest.value > 0
    # y = 0: no minimum, the loss keeps falling as λ -> 0
    c = curve(POISSON, {"target": 0.0})
    assert np.all(np.diff(c.loss) > 0)
    # a negative log-likelihood with log(y!) kept is >= 0
    for y in range(11):
        assert -torch.distributions.Poisson(t(float(max(y, 1)))).log_prob(t(float(y))).item() >= 0


@claim(POISSON.preset("article").note)
def test_poisson_article_preset_random_log_rates_and_unchecked_negative_targets():
    args = POISSON.preset("article").make().args
    assert args["input"].shape == args["target"].shape == (5, 2)
    assert bool((args["target"] < 0).any())  # no counts, and torch does not object
    for full in (False, True):
        for reduction in POISSON.reductions():
            r, _ = shown(POISSON, "article", {"full": full, "reduction": reduction})
            assert r.finite


@claim(POISSON.preset("rate").note)
def test_rate_preset_reads_the_input_as_a_rate_lowest_at_y_minus_eps():
    preset = POISSON.preset("rate")
    assert preset.params["log_input"] is False
    for eps in EPSILONS:
        for y in np.arange(0, 10.5, 1.0):
            best = max(y - eps, 0.0)

            def loss(lam, y=y, eps=eps):
                x = torch.tensor([lam], dtype=F64, requires_grad=True)
                value = F.poisson_nll_loss(x, t([y]), log_input=False, eps=eps, reduction="sum")
                (g,) = torch.autograd.grad(value, x)
                return value.item(), g.item()

            value, slope = loss(best)
            assert value == pytest.approx(best - y * math.log(best + eps))
            if y > 0:
                assert slope == pytest.approx(0, abs=1e-9)
            for other in (best + 0.1, best - 0.1):
                if other >= 0:
                    assert loss(other)[0] > value
        # the page's curve (λ from 0 to 3) has its lowest point at y - eps for the targets inside it
        # (y = 0: at λ = 0, the end of the range; the note says y > 0)
        for y in (0.0, 1.0, 2.0):
            c = curve(POISSON, {"target": y, **preset.values}, {**preset.params, "eps": eps})
            assert c.x[np.argmin(c.loss)] == pytest.approx(max(y - eps, 0), abs=c.x[1] - c.x[0])


@claim(FLAG_TEXT["poisson_negative_rate"])
def test_log_rates_read_as_rates_are_flagged_and_not_finite():
    r, case = shown(POISSON, "article", {"log_input": False})
    assert "poisson_negative_rate" in {f.code for f in r.flags} and not r.finite
    assert bool((case.args["input"] + 1e-8 <= 0).any())
    assert torch.isnan(torch.log(t([-0.5]) + 1e-8)).all() and torch.log(t([0.0])).item() == -math.inf
    back, _ = shown(POISSON, "article", {"log_input": True})  # set log_input=True: finite again
    assert back.finite and not back.flags
    # a rate a sample allows (>= 0) is never flagged
    ok = sample(POISSON, {"input": 0.0, "target": 2.0}, {"log_input": False})
    assert ok.finite and not ok.flags


# ---------------------------------------------------------------- GaussianNLLLoss


@claim(param(GAUSSIAN, "full").help, GAUSSIAN.summary)
def test_gaussian_nll_is_minus_log_likelihood_and_full_adds_half_log_2_pi():
    for mu, y, var in ((0.5, 0.0, 1.0), (2.0, -1.0, 0.3), (-3.0, 3.0, 4.0), (0.0, 0.0, 1e-3)):
        nll = -torch.distributions.Normal(t(mu), t(math.sqrt(var))).log_prob(t(y)).item()
        for reduction in GAUSSIAN.reductions():
            values = {"input": mu, "target": y, "var": var}
            base = one(sample(GAUSSIAN, values, {"reduction": reduction}).value)
            full = one(sample(GAUSSIAN, values, {"reduction": reduction, "full": True}).value)
            assert full - base == pytest.approx(0.5 * math.log(2 * math.pi))
            assert full == pytest.approx(nll)


@claim(param(GAUSSIAN, "eps").help)
def test_the_variance_is_clamped_at_eps_and_its_gradient_still_passes_computed_at_eps():
    for eps in EPSILONS:
        for var in (0.0, eps / 2):
            d = 0.5
            params = {"eps": eps, "reduction": "sum"}
            below = sample(GAUSSIAN, {"input": d, "target": 0.0, "var": var}, params)
            at = sample(GAUSSIAN, {"input": d, "target": 0.0, "var": eps}, params)
            assert below.value == pytest.approx(at.value)
            want = 0.5 * (1 / eps - d**2 / eps**2)  # d/dσ² of ½(log σ² + d²/σ²) at σ² = eps
            assert below.grads["var"].item() == pytest.approx(want) != 0
            # a plain clamp would stop it
            v = torch.tensor([var], dtype=F64, requires_grad=True)
            (g,) = torch.autograd.grad((0.5 * (torch.log(v.clamp(min=eps)) + d**2 / v.clamp(min=eps))).sum(), v)
            assert g.item() == 0


@claim(GAUSSIAN.notice)
def test_shrinking_the_variance_helps_only_above_the_squared_error_and_explodes_when_wrong():
    for d in (0.0, 0.3, 1.0, 2.0):
        for eps in EPSILONS:
            for var in np.linspace(0.0, 4.0, 81):
                r = sample(GAUSSIAN, {"input": d, "target": 0.0, "var": float(var)}, {"eps": eps, "reduction": "sum"})
                v = max(var, eps)
                g = r.grads["var"].item()
                if v > d**2 * (1 + 1e-9):
                    assert g > 0  # shrinking the variance lowers the loss
                elif v < d**2 * (1 - 1e-9):
                    assert g < 0  # below the squared error, shrinking raises it
            if d**2 >= eps:
                lowest = sample(GAUSSIAN, {"input": d, "target": 0.0, "var": d**2}, {"eps": eps, "reduction": "sum"})
                assert abs(lowest.grads["var"].item()) < 1e-9
                tiny = sample(GAUSSIAN, {"input": d, "target": 0.0, "var": 0.0}, {"eps": eps, "reduction": "sum"})
                assert tiny.value == pytest.approx(0.5 * (math.log(eps) + d**2 / eps))  # stops at the clamp
                assert tiny.value > lowest.value
                # between the clamp and the squared error the loss climbs as d²/(2σ²) grows
                vs = np.geomspace(max(eps, 1e-9), d**2, 30)
                losses = [
                    sample(GAUSSIAN, {"input": d, "target": 0.0, "var": float(v)}, {"eps": eps}).value for v in vs
                ]
                assert losses == sorted(losses, reverse=True)
        if d > 0:
            explodes = [sample(GAUSSIAN, {"input": d, "target": 0.0, "var": 0.0}, {"eps": e}).value for e in EPSILONS]
            assert explodes[0] > 1e10 * d**2 and explodes == sorted(explodes, reverse=True)


@claim("Confident and wrong", GAUSSIAN.preset("confident").note, "Humble and wrong", GAUSSIAN.preset("humble").note)
def test_confident_pays_far_more_than_humble_which_has_the_best_variance_for_its_error():
    for eps in EPSILONS:
        for full in (False, True):
            for reduction in GAUSSIAN.reductions():
                p = {"eps": eps, "full": full, "reduction": reduction}
                confident, c_case = shown(GAUSSIAN, "confident", p)
                humble, h_case = shown(GAUSSIAN, "humble", p)
                for case in (c_case, h_case):  # both wrong, by the same error
                    assert case.args["input"].item() - case.args["target"].item() == 2
                d2 = 4.0
                assert c_case.args["var"].item() < d2 / 10  # far below the squared error
                assert h_case.args["var"].item() == d2  # equal to it
                assert abs(humble.grads["var"].item()) < 1e-12  # the best variance for this mistake
                assert one(confident.value) > 5 * one(humble.value) + 5
                assert abs(confident.grads["input"].item()) > 10 * abs(humble.grads["input"].item())


# ---------------------------------------------------------------- KLDivLoss


def kl_case(q, p, feed="log_probs", log_target=False):
    values = {**{f"q{c}": v for c, v in enumerate(q)}, **{f"p{c}": v for c, v in enumerate(p)}, "feed": feed}
    return compute.sample_case(KL, values, {"log_target": log_target})


def true_kl(q, p) -> float:
    q, p = np.asarray(q, float) / sum(q), np.asarray(p, float) / sum(p)
    keep = p > 0
    with np.errstate(divide="ignore"):
        return float(np.sum(p[keep] * (np.log(p[keep]) - np.log(q[keep]))))


weights = st.lists(st.sampled_from([0.0, 0.01, 0.05, 0.2, 0.5, 1.0]) | st.floats(0, 1), min_size=3, max_size=3).filter(
    lambda w: sum(w) > 0
)


@claim(*(param(KL, f"{d}{c}").help for d in "qp" for c in range(3)))
def test_each_weight_is_normalised_with_the_others():
    case = kl_case((0.2, 0.2, 0.6), (1.0, 0.5, 0.5))
    assert torch.allclose(case.args["input"].exp(), t([[0.2, 0.2, 0.6]]))
    assert torch.allclose(case.args["target"], t([[0.5, 0.25, 0.25]]))


@claim(KL.summary, KL.notice, param(KL, "feed").help)
@EXAMPLES
@given(weights, weights, st.booleans())
def test_with_log_q_the_sum_over_classes_is_kl_never_negative_zero_only_at_q_equal_p(q, p, log_target):
    case = kl_case(q, p, log_target=log_target)
    pn = np.asarray(p) / sum(p)
    # the gradient: -p under 'sum' (and 'none', of the sum), divided by batchmean's 1 row and mean's 3
    # elements; always, NaN value or not
    for reduction, divisor in (("none", 1), ("sum", 1), ("batchmean", 1), ("mean", 3)):
        g = compute.evaluate(KL, case, {"reduction": reduction, "log_target": log_target}).grads["input"]
        assert np.allclose(g, -pn / divisor)
    r = compute.evaluate(KL, case, {"reduction": "sum", "log_target": log_target})
    if math.isnan(r.value):
        assert bool((pn == 0).any())  # only a class with p = 0 gives NaN
        return
    assert r.value == pytest.approx(true_kl(q, p), abs=1e-12) or r.value == true_kl(q, p) == math.inf
    assert r.value >= -1e-12
    qn = np.asarray(q) / sum(q)
    if r.value < 1e-12:  # zero only when q = p (up to rounding: KL >= |q - p|² / 2)
        assert np.allclose(qn, pn, atol=1e-5, rtol=0), f"KL {r.value} for q {qn} != p {pn}"
    same = compute.evaluate(KL, kl_case(p, p, log_target=log_target), {"reduction": "sum", "log_target": log_target})
    assert math.isnan(same.value) or abs(same.value) < 1e-12  # and zero when q = p
    # q itself as input (the article's mistake) is not the divergence: always below it (log q < q - 1 < q)
    wrong = compute.evaluate(KL, kl_case(q, p, "probs", log_target), {"reduction": "sum", "log_target": log_target})
    assert math.isnan(wrong.value) or wrong.value < true_kl(q, p)


def test_q_as_input_is_not_the_divergence_for_the_default_sliders():
    q, p = (0.5, 0.3, 0.2), (0.9, 0.05, 0.05)
    right = compute.evaluate(KL, kl_case(q, p), {"reduction": "sum"}).value
    wrong = compute.evaluate(KL, kl_case(q, p, "probs"), {"reduction": "sum"}).value
    assert right == pytest.approx(true_kl(q, p)) and wrong != pytest.approx(right)


ROWS = [((0.5, 0.3, 0.2), (0.9, 0.05, 0.05)), ((0.2, 0.3, 0.5), (0.1, 0.7, 0.2)), ((0.3, 0.3, 0.4), (0.3, 0.3, 0.4))]


def kl_batch(rows, feed="log_probs", log_target=False):
    table = [{**{f"q{c}": v for c, v in enumerate(q)}, **{f"p{c}": v for c, v in enumerate(p)}} for q, p in rows]
    return compute.batch_case(KL, table, {"feed": feed}, {"log_target": log_target})


@claim(param(KL, "reduction").help, KL.pitfall, FLAG_TEXT["kl_mean"])
def test_batchmean_is_the_average_kl_sum_its_total_and_mean_also_divides_by_the_classes():
    for log_target in (False, True):
        for n in (1, 2, 3):
            rows = ROWS[:n]
            r = compute.evaluate(
                KL, kl_batch(rows, log_target=log_target), {"reduction": "mean", "log_target": log_target}
            )
            kls = [true_kl(q, p) for q, p in rows]
            assert r.by_reduction["batchmean"] == pytest.approx(np.mean(kls))
            assert r.by_reduction["sum"] == pytest.approx(np.sum(kls))
            assert r.by_reduction["mean"] == pytest.approx(np.sum(kls) / (n * 3))
            assert r.by_reduction["mean"] != pytest.approx(np.mean(kls))  # not the KL, with 3 classes
            assert "kl_mean" in {f.code for f in r.flags}
    # probabilities as input: wrong, and here negative
    r = compute.evaluate(KL, kl_batch(ROWS[:2], "probs"), {})
    assert all(v < 0 for v in r.by_reduction.values())


@claim(FLAG_TEXT["kl_input_not_log"])
def test_the_not_log_probabilities_flag_and_its_advice():
    q = t([[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]])
    p = t([[0.9, 0.05, 0.05], [0.1, 0.7, 0.2]])
    wrong = compute.evaluate(KL, compute.Case({"input": q, "target": p}), {"reduction": "batchmean"})
    flag = next(f for f in wrong.flags if f.code == "kl_input_not_log")
    assert str(flag).startswith(f"exp(input) sums to {', '.join(f'{v:.3g}' for v in q.exp().sum(-1).tolist())} per row")
    assert not torch.allclose(q.exp().sum(-1), torch.ones(2, dtype=F64))
    kls = [true_kl(a.tolist(), b.tolist()) for a, b in zip(q, p, strict=True)]
    for fixed, log_target in ((q.log(), False), (F.log_softmax(torch.log(q) + 7.0, dim=-1), False), (q.log(), True)):
        target = p.log() if log_target else p
        r = compute.evaluate(
            KL, compute.Case({"input": fixed, "target": target}), {"reduction": "batchmean", "log_target": log_target}
        )
        assert not r.flags and r.value == pytest.approx(np.mean(kls))
    # a log target without log_target=True is not the divergence
    r = compute.evaluate(KL, compute.Case({"input": q.log(), "target": p.log()}), {"reduction": "batchmean"})
    assert r.value != pytest.approx(np.mean(kls))


def codes(r):
    return {f.code for f in r.flags}


@claim(FLAG_TEXT["kl_zero_q"])
def test_q_zero_where_p_is_not_makes_that_term_the_divergence_and_the_target_gradient_infinite():
    for log_target in (False, True):
        r = compute.evaluate(
            KL,
            kl_case((0.0, 0.5, 0.5), (0.5, 0.5, 0.0), log_target=log_target),
            {"reduction": "sum", "log_target": log_target},
        )
        assert "kl_zero_q" in codes(r)
        assert r.per_element[0, 0] == math.inf and r.grads["target"][0, 0] == math.inf
        if not log_target:  # (with log_target, p2 = 0 adds a NaN: its own flag)
            assert r.value == math.inf and all(v == math.inf for v in r.by_reduction.values())
    r = compute.evaluate(KL, kl_case((0.0, 0.5, 0.5), (0.0, 0.5, 0.5)), {"reduction": "sum"})
    assert "kl_zero_q" not in codes(r)  # where p is 0 too, no infinite term


@claim(FLAG_TEXT["kl_log_target_zero_p"])
def test_log_target_with_a_zero_p_gives_nan_where_xlogy_gives_0():
    for q in ((0.5, 0.3, 0.2), (0.0, 0.5, 0.5)):
        for feed in ("log_probs", "probs"):
            case = kl_case(q, (0.0, 0.5, 0.5), feed, log_target=True)
            assert case.args["target"][0, 0].item() == -math.inf
            r = compute.evaluate(KL, case, {"reduction": "sum", "log_target": True})
            assert "kl_log_target_zero_p" in codes(r)
            assert math.isnan(r.per_element[0, 0]) and math.isnan(r.grads["target"][0, 0])
            assert all(math.isnan(v) for v in r.by_reduction.values())
            x = case.args["input"][0, 0].item()
            assert math.isnan(times(N(math.exp(-math.inf)), N(-math.inf) - N(x)).value())
    # with log_target=False the same p gives 0 there (xlogy(0, 0) = 0)
    assert torch.xlogy(t(0.0), t(0.0)).item() == 0
    r = compute.evaluate(KL, kl_case((0.5, 0.3, 0.2), (0.0, 0.5, 0.5)), {"reduction": "sum"})
    assert r.per_element[0, 0] == 0 and math.isfinite(r.value) and "kl_log_target_zero_p" not in codes(r)


@claim(FLAG_TEXT["kl_zero_p_and_q"])
def test_p_and_q_both_zero_give_nan_from_p_times_log_q():
    case = kl_case((0.0, 0.5, 0.5), (0.0, 0.5, 0.5))
    r = compute.evaluate(KL, case, {"reduction": "sum"})
    assert "kl_zero_p_and_q" in codes(r)
    assert math.isnan(r.per_element[0, 0]) and all(math.isnan(v) for v in r.by_reduction.values())
    assert math.isnan((t(0.0) * t(-math.inf)).item()) and torch.xlogy(t(0.0), t(0.0)).item() == 0
    assert true_kl((0.0, 0.5, 0.5), (0.0, 0.5, 0.5)) == 0  # the divergence's term is 0
    # q itself as input (0, not -inf) is not this case
    r = compute.evaluate(KL, kl_case((0.0, 0.5, 0.5), (0.0, 0.5, 0.5), "probs"), {"reduction": "sum"})
    assert "kl_zero_p_and_q" not in codes(r) and not math.isnan(r.value)


@claim(FLAG_TEXT["kl_zero_p_grad"])
def test_p_zero_gives_a_nan_target_gradient_and_a_finite_input_gradient():
    for feed in ("log_probs", "probs"):
        for reduction in KL.reductions():
            r = compute.evaluate(KL, kl_case((0.5, 0.3, 0.2), (0.0, 0.5, 0.5), feed), {"reduction": reduction})
            assert "kl_zero_p_grad" in codes(r)
            assert math.isnan(r.grads["target"][0, 0]) and np.isfinite(r.grads["input"]).all()
    # the derivative of p · log p is log p + 1, -inf at p = 0
    p = torch.tensor([1e-300], dtype=F64, requires_grad=True)
    (g,) = torch.autograd.grad(torch.xlogy(p, p).sum(), p)
    assert g.item() == pytest.approx(math.log(1e-300) + 1)


@claim("Article example, fixed", KL.preset("article").note, KL.preset("article_fixed").note)
def test_the_articles_kl_is_negative_and_the_fixed_one_is_the_average_kl():
    q = [[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]]
    p = [[0.9, 0.05, 0.05], [0.1, 0.7, 0.2]]
    for reduction in KL.reductions():
        wrong, case = shown(KL, "article", {"reduction": reduction})
        assert KL.preset("article").params["log_target"] is False and KL.preset("article").values["feed"] == "probs"
        assert torch.allclose(case.args["input"], t(q))
        assert all(v < 0 for v in wrong.by_reduction.values())
    fixed, case = shown(KL, "article_fixed")
    assert KL.preset("article_fixed").params == {"reduction": "batchmean", "log_target": False}
    assert torch.allclose(case.args["input"].exp(), t(q))
    assert fixed.value == pytest.approx(np.mean([true_kl(a, b) for a, b in zip(q, p, strict=True)]))


@claim("Probabilities as input (wrong)", KL.preset("probs").note)
def test_probabilities_as_input_give_a_negative_value_which_is_not_the_kl():
    preset = KL.preset("probs")
    q = [preset.values[f"q{c}"] for c in range(3)]
    p = [preset.values[f"p{c}"] for c in range(3)]
    for log_target in (False, True):
        for reduction in KL.reductions():
            r, _ = shown(KL, "probs", {"log_target": log_target, "reduction": reduction})
            assert float(np.sum(r.value)) < 0
            assert all(v < 0 for v in r.by_reduction.values())
            assert r.by_reduction["sum"] != pytest.approx(true_kl(q, p))
    assert true_kl(q, p) > 0


def test_flag_codes_of_this_module_exist():
    for code in ("kl_zero_q", "kl_log_target_zero_p", "kl_zero_p_and_q", "kl_zero_p_grad", "poisson_negative_rate"):
        assert str(Flag(code))
