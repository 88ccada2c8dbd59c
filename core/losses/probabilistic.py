"""Probabilistic losses: Poisson and Gaussian negative log-likelihoods, and the KL divergence."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from core.expr import Frac, N, Term, each, exp, log, maximum, reduced, times, total
from core.flags import Flag, numbers
from core.latex import num
from core.losses._common import number, reduce
from core.params import REDUCTION, Bool, Choice, LossValueError, eps
from core.presets import Draw, exact, seeded
from core.spec import Fit, LossSpec, Preset, Sweep

# ---------------------------------------------------------------- PoissonNLLLoss

LOG_INPUT = Bool(
    "log_input", True, help="True: the input is the log-rate log λ. False: the input is the rate λ itself."
)
FULL_POISSON = Bool("full", False, help="Add the Stirling approximation of log(y!), for targets > 1.")


def _poisson_build(cols, params):
    x = cols["input"]
    if not params["log_input"] and bool((x < 0).any()):
        raise LossValueError("input", float(x.min()), "a rate λ ≥ 0 when log_input=False")
    return {"input": x, "target": cols["target"]}


def _poisson_elements(a, p):
    x, y = a["input"], a["target"]
    loss = torch.exp(x) - y * x if p["log_input"] else x - y * torch.log(x + p["eps"])
    if p["full"]:
        stirling = y * torch.log(y) - y + 0.5 * torch.log(2 * math.pi * y)
        loss = loss + torch.where(y > 1, stirling, torch.zeros_like(y))
    return loss


def _stirling(y: float):
    """torch's Stirling term of log(y!), added by full=True where the target is > 1."""
    return N(y) * log(N(y)) - N(y) + 0.5 * log(2 * N(math.pi, r"\pi") * N(y))


def _poisson_terms(a, p):
    x, y = a["input"].reshape(-1), a["target"].reshape(-1)
    loss = _poisson_elements(a, p).reshape(-1)

    def line(i):
        xi, yi = float(x[i]), float(y[i])
        if p["log_input"]:
            expr = exp(N(xi)) - N(yi) * N(xi)
        else:
            expr = N(xi) - N(yi) * log(N(xi) + N(p["eps"]))
        if p["full"]:  # torch adds the Stirling term only where the target is > 1
            if yi > 1:
                return rf"y = {num(yi)} > 1", expr + _stirling(yi)
            return rf"y = {num(yi)} \le 1", expr
        return expr

    return each(loss, line)


def _poisson_flags(a, p):
    # A preset's own tensors skip the build's check: its log-rates may be read as rates.
    if not p["log_input"] and bool((a["input"] + p["eps"] <= 0).any()):
        return [Flag("poisson_negative_rate")]
    return []


POISSON = LossSpec(
    key="poisson_nll",
    title="PoissonNLLLoss",
    family="probabilistic",
    module=nn.PoissonNLLLoss,
    functional=F.poisson_nll_loss,
    params=(
        REDUCTION,
        LOG_INPUT,
        FULL_POISSON,
        eps(1e-8, "Added to the rate before its log when log_input=False, so λ = 0 stays finite."),
    ),
    inputs=(
        number("input", 0.5, -3.0, 3.0, "The predicted log-rate log λ (or the rate λ if log_input=False)."),
        number("target", 2.0, 0.0, 10.0, "The observed count y ≥ 0.", step=1.0),
    ),
    build=_poisson_build,
    wrt=("input",),
    scratch=lambda a, p: reduce(_poisson_elements(a, p), p["reduction"]),
    terms=_poisson_terms,
    flags=_poisson_flags,
    sweep=Sweep(
        "input", -3.0, 3.0, "input (log λ, or λ)", bounds=lambda p: (-3.0, 3.0) if p["log_input"] else (0.0, 3.0)
    ),
    formula=r"\ell = e^{x} - y\,x \quad(\texttt{log\_input}),\qquad \ell = x - y \log(x + \varepsilon)",
    summary="Negative log-likelihood of a count y under a Poisson distribution of rate λ, up to the constant "
    "log(y!) (full=True adds Stirling's approximation of it for y > 1).",
    notice="With log_input=True the loss is lowest at log λ = log y (for y > 0). Without full that lowest value, "
    "y − y·log y, is below zero once y > e: the dropped log(y!) is what keeps a negative log-likelihood ≥ 0.",
    batch=({"input": 0.5, "target": 2.0}, {"input": 1.5, "target": 3.0}, {"input": 0.2, "target": 0.0}),
    presets=(
        Preset(
            "article",
            "Article example",
            make=seeded(0, input=Draw("randn", (5, 2)), target=Draw("randn", (5, 2))),
            note="Log-rates (input) and targets: random 5 x 2 tensors, as in the article. The targets include "
            "negative numbers, which are no counts: torch does not check them.",
        ),
        Preset(
            "rate",
            "Rate, not log-rate",
            params={"log_input": False},
            values={"input": 2.0},
            note="log_input=False: the input is the rate λ itself, and the loss λ − y·log(λ + eps) is lowest at "
            "λ = y − eps (for y > 0), next to the observed count.",
        ),
    ),
)

# ---------------------------------------------------------------- GaussianNLLLoss


def _gaussian_elements(a, p):
    var = a["var"].clamp(min=p["eps"])
    loss = 0.5 * (torch.log(var) + (a["input"] - a["target"]) ** 2 / var)
    return loss + 0.5 * math.log(2 * math.pi) if p["full"] else loss


def _gaussian_terms(a, p):
    x, y, v = (a[k].reshape(-1) for k in ("input", "target", "var"))
    loss = _gaussian_elements(a, p).reshape(-1)
    eps = p["eps"]

    def line(i):
        vi = float(v[i])
        var = N(vi) if vi >= eps else maximum(N(vi), N(eps))  # torch clamps the variance at eps
        expr = 0.5 * (log(var) + (N(x[i]) - N(y[i])) ** 2 / var)
        if p["full"]:
            expr = expr + 0.5 * log(2 * N(math.pi, r"\pi"))
        return (rf"\sigma^2 = {num(vi)} < \varepsilon", expr) if vi < eps else expr

    return each(loss, line)


GAUSSIAN = LossSpec(
    key="gaussian_nll",
    # the playground's model predicts a mean and a log-variance
    fit=Fit("regression", lambda out, y, o: nn.GaussianNLLLoss()(out[:, 0], y, out[:, 1].exp()), outputs=2),
    title="GaussianNLLLoss",
    family="probabilistic",
    module=nn.GaussianNLLLoss,
    functional=F.gaussian_nll_loss,
    params=(
        REDUCTION,
        Bool("full", False, help="Add the constant ½ log 2π."),
        eps(
            1e-6,
            "The variance is clamped to at least eps; below eps its gradient is still passed on, computed at "
            "eps (a plain clamp would give 0).",
        ),
    ),
    inputs=(
        number("input", 0.5, -3.0, 3.0, "The predicted mean μ."),
        number("target", 0.0, -3.0, 3.0, "The observed value y."),
        number("var", 1.0, 0.0, 4.0, "The predicted variance σ² ≥ 0."),
    ),
    build=lambda c, p: {"input": c["input"], "target": c["target"], "var": c["var"]},
    wrt=("input", "target", "var"),
    scratch=lambda a, p: reduce(_gaussian_elements(a, p), p["reduction"]),
    terms=_gaussian_terms,
    sweep=Sweep("input", -3.0, 3.0, "predicted mean μ (target fixed)"),
    formula=r"\ell = \tfrac12\Big(\log \max(\sigma^2, \varepsilon) + "
    r"\frac{(\mu - y)^2}{\max(\sigma^2, \varepsilon)}\Big)",
    summary="Negative log-likelihood of y under a normal distribution whose mean and variance are predicted, up to "
    "the constant ½ log 2π (full=True adds it).",
    notice="Shrinking the variance lowers the loss only while σ² stays above the squared error (μ − y)², where the "
    "loss is lowest; below it the loss climbs steeply, as (μ − y)²/(2σ²) grows, until σ² reaches the clamp at eps. "
    "The model learns how sure to be.",
    batch=(
        {"input": 0.5, "target": 0.0, "var": 1.0},
        {"input": 2.0, "target": 0.0, "var": 4.0},
        {"input": -1.0, "target": -0.5, "var": 0.25},
    ),
    presets=(
        Preset(
            "confident",
            "Confident and wrong",
            values={"input": 2.0, "target": 0.0, "var": 0.05},
            note="A variance far below the squared error: the error is divided by σ², so the loss and its gradient "
            "with respect to μ are large.",
        ),
        Preset(
            "humble",
            "Humble and wrong",
            values={"input": 2.0, "target": 0.0, "var": 4.0},
            note="The same error, with the variance equal to the squared error: the best variance for this mistake "
            "(the gradient with respect to σ² is 0), and a loss far below the confident one's.",
        ),
    ),
)

# ---------------------------------------------------------------- KLDivLoss

KL_REDUCTION = Choice(
    "reduction",
    "mean",
    choices=("none", "batchmean", "mean", "sum"),
    help="batchmean divides the sum by the batch size (the KL divergence averaged over the batch); mean divides it "
    "by every element, batch × classes.",
)
LOG_TARGET = Bool("log_target", False, help="True: the target is given as log-probabilities too.")
FEED = Choice(
    "feed",
    "log_probs",
    choices=("log_probs", "probs"),
    help="What is passed as input: log q (correct) or q itself (the article's mistake).",
)


def _distribution(cols, prefix, name):
    w = torch.stack([cols[f"{prefix}{c}"] for c in range(3)], dim=-1)
    total = w.sum(-1, keepdim=True)
    if bool((total <= 0).any()):
        raise LossValueError(name, [0.0, 0.0, 0.0], "weights ≥ 0 with a positive sum")
    return w / total


def _kl_build(cols, params):
    q = _distribution(cols, "q", "q")
    t = _distribution(cols, "p", "p")
    x = torch.log(q) if cols["feed"] == "log_probs" else q
    return {"input": x, "target": torch.log(t) if params["log_target"] else t}


def _kl_elements(a, p):
    x, t = a["input"], a["target"]
    if p["log_target"]:
        return torch.exp(t) * (t - x)
    return torch.xlogy(t, t) - t * x


def _kl(a, p):
    loss = _kl_elements(a, p)
    if p["reduction"] == "batchmean":
        return loss.sum() / _batch_size(a)
    return reduce(loss, p["reduction"])


def _kl_terms(a, p):
    x, t = a["input"].reshape(-1), a["target"].reshape(-1)
    loss = _kl_elements(a, p).reshape(-1)
    if p["log_target"]:  # torch: exp(t) · (t - x); exp(-inf) · (-inf - x) is NaN
        return each(loss, lambda i: times(exp(N(t[i])), N(t[i]) - N(x[i])))
    # torch: xlogy(p, p) - p · x; 0 · log 0 is 0 there, but 0 · x with x = -inf is NaN
    return each(loss, lambda i: N(t[i]) * log(N(t[i])) - times(N(t[i]), N(x[i])))


def _batch_size(a) -> int:
    return a["input"].shape[0] if a["input"].dim() else 1


def _kl_reduce_line(a, p, none, value):
    if p["reduction"] == "batchmean":
        parts = total([N(v) for v in none.reshape(-1)])
        n = _batch_size(a)
        return Term(Frac(parts, N(n, rf"{n}\ (\text{{batch}})")), value, name=r"\text{batchmean}")
    return reduced(p["reduction"], none, value)


def _kl_flags(a, p):
    flags = []
    x = a["input"]
    mass = torch.exp(x).sum(-1)
    if bool((x > 0).any()) or not torch.allclose(mass, torch.ones_like(mass), atol=1e-6):
        flags.append(Flag("kl_input_not_log", {"mass": numbers(mass.reshape(-1).tolist())}))
    if p["reduction"] == "mean":
        flags.append(Flag("kl_mean"))
    t = a["target"]
    target_mass = torch.exp(t) if p["log_target"] else t
    if bool(((torch.exp(x) == 0) & (target_mass > 0)).any()):
        flags.append(Flag("kl_zero_q"))
    if p["log_target"]:
        if bool((target_mass == 0).any()):  # exp(-inf) · (-inf - x) = 0 · (-inf)
            flags.append(Flag("kl_log_target_zero_p"))
    else:
        if bool(((t == 0) & (x == -math.inf)).any()):  # p · x = 0 · (-inf); xlogy covers p · log p only
            flags.append(Flag("kl_zero_p_and_q"))
        if bool((t == 0).any()):  # d/dp xlogy(p, p) at p = 0
            flags.append(Flag("kl_zero_p_grad"))
    return flags


_ARTICLE_Q = [[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]]
_ARTICLE_P = [[0.9, 0.05, 0.05], [0.1, 0.7, 0.2]]
_WEIGHT = "Weight of class {c} in {d} (normalized with the others)."
KL_DIV = LossSpec(
    key="kl_div",
    title="KLDivLoss",
    family="probabilistic",
    module=nn.KLDivLoss,
    functional=F.kl_div,
    params=(KL_REDUCTION, LOG_TARGET),
    inputs=tuple(
        number(f"q{c}", w, 0.0, 1.0, _WEIGHT.format(c=c, d="the prediction q"), step=0.01)
        for c, w in enumerate((0.5, 0.3, 0.2))
    )
    + tuple(
        number(f"p{c}", w, 0.0, 1.0, _WEIGHT.format(c=c, d="the target p"), step=0.01)
        for c, w in enumerate((0.9, 0.05, 0.05))
    ),
    options=(FEED,),
    build=_kl_build,
    wrt=("input", "target"),
    scratch=_kl,
    terms=_kl_terms,
    sweep=Sweep("q0", 0.001, 1.0, "weight of class 0 in q"),
    formula=r"\ell_c = p_c\,(\log p_c - x_c), \quad x = \log q",
    summary="The Kullback–Leibler divergence KL(p ‖ q) = Σ p · log(p / q) between a target distribution p and a "
    "prediction q, given to torch as log q.",
    notice="With log q as input, a sample's sum over classes is KL(p ‖ q) wherever torch gives a number (a class "
    "with p = 0 can give NaN: see the flags): never negative, and zero only when q = p. Its gradient with respect "
    "to the input is −p under reduction='sum' (batchmean and mean divide it as they divide the sum), so descent "
    "raises log q where the target has mass.",
    batch=(
        {"q0": 0.5, "q1": 0.3, "q2": 0.2, "p0": 0.9, "p1": 0.05, "p2": 0.05},
        {"q0": 0.2, "q1": 0.3, "q2": 0.5, "p0": 0.1, "p1": 0.7, "p2": 0.2},
    ),
    presets=(
        Preset(
            "article",
            "Article example",
            params={"reduction": "mean", "log_target": False},
            values={"feed": "probs"},  # the controls say what the tensors are: probabilities as input
            make=exact(input=_ARTICLE_Q, target=_ARTICLE_P),
            note="The article passes probabilities as input (and the target as probabilities, log_target=False): "
            "torch returns a negative number.",
        ),
        Preset(
            "article_fixed",
            "Article example, fixed",
            params={"reduction": "batchmean", "log_target": False},
            values={"feed": "log_probs"},
            make=exact(input=[[math.log(v) for v in row] for row in _ARTICLE_Q], target=_ARTICLE_P),
            note="log q as input, p as target (log_target=False) and batchmean: the real KL divergence, averaged "
            "over the batch.",
        ),
        Preset(
            "probs",
            "Probabilities as input (wrong)",
            values={"feed": "probs", "q0": 0.5, "q1": 0.3, "q2": 0.2, "p0": 0.9, "p1": 0.05, "p2": 0.05},
            note="q itself passed where log q belongs: the value is not KL(p ‖ q), and here it is negative, which no "
            "divergence can be.",
        ),
    ),
    reduce_line=_kl_reduce_line,
    flags=_kl_flags,
    pitfall="KLDivLoss expects log-probabilities as input; probabilities give a wrong, even negative, divergence. "
    "reduction='batchmean' gives the KL divergence averaged over the batch ('sum' its total); 'mean' also divides by "
    "the number of classes.",
)
