"""Classification losses: BCE on probabilities and on logits, cross-entropy, NLL and the
multi-label soft margin. The single-sample view has three classes."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from core.expr import Expr, Let, N, Term, each, log, logsigmoid, logsumexp, maximum, reduced, total
from core.flags import Flag, numbers
from core.losses._common import klass, number, reduce
from core.params import REDUCTION, Bool, Choice, Float, LossValueError, Vector, class_weight
from core.presets import Draw, seeded
from core.spec import Fit, LossSpec, Preset, Sweep

C = 3  # classes in the single-sample view


def _softplus(z):
    """log(1 + e^z), written so that it never overflows."""
    return torch.log1p(torch.exp(-z.abs())) + z.clamp(min=0)


def _weight(p, like):
    w = p.get("weight")
    return torch.ones_like(like) if w is None else torch.tensor(w, dtype=like.dtype).expand_as(like)


# ---------------------------------------------------------------- BCELoss


def _bce_elements(a, p):
    x, y = a["input"], a["target"]
    # torch clamps each log at -100 so that p = 0 or 1 gives a finite loss (and takes log(1 - p) as log1p(-p))
    loss = -(y * torch.log(x).clamp(min=-100) + (1 - y) * torch.log1p(-x).clamp(min=-100))
    return _weight(p, loss) * loss


def _clamped_log(q):
    """log q as torch's BCELoss takes it: clamped at -100 (shown as a max only where it bites)."""
    return maximum(log(q), -100) if q.value() == 0 or math.log(q.value()) < -100 else log(q)


def _bce_terms(a, p):
    x, y = a["input"].reshape(-1), a["target"].reshape(-1)
    loss = _bce_elements(a, p).reshape(-1)
    w = p["weight"]

    def line(i):
        xi, yi = N(x[i]), N(y[i])
        inner = yi * _clamped_log(xi) + (1 - yi) * _clamped_log(1 - xi)
        return -inner if w is None else -N(w[0]) * inner

    return each(loss, line)


def _bce_flags(a, p):
    x = a["input"]
    clamped = (torch.log(x) < -100) | (torch.log1p(-x) < -100)  # 0 or 1, or within e^-100 of them
    return [Flag("bce_clamped")] if bool(clamped.any()) else []


BCE = LossSpec(
    key="bce",
    title="BCELoss",
    family="classification",
    module=nn.BCELoss,
    functional=F.binary_cross_entropy,
    params=(REDUCTION, class_weight(1, "A rescaling weight of each element's loss (broadcast).")),
    inputs=(
        number("input", 0.7, 0.0, 1.0, "The predicted probability p of the positive class.", step=0.01),
        number("target", 1.0, 0.0, 1.0, "The label y: 0 or 1 (soft labels in between).", step=0.01),
    ),
    build=lambda c, p: {"input": c["input"], "target": c["target"]},
    wrt=("input",),
    scratch=lambda a, p: reduce(_bce_elements(a, p), p["reduction"]),
    terms=_bce_terms,
    sweep=Sweep("input", 0.001, 0.999, "predicted probability p"),
    formula=r"\ell = -w\,\big(y \log p + (1 - y) \log(1 - p)\big)",
    summary="Binary cross-entropy on probabilities: how surprised a model predicting p is by the label y.",
    notice="For a 0/1 label the loss is −log of the probability given to the label: it grows without bound as p "
    "moves to the wrong end, until torch's clamp of each log at -100 stops it at 100 (times the weight). The gradient "
    "is w·(p − y) / (p (1 − p)); torch's backward clamps p (1 − p) at 1e-12, so it stays finite at p = 0 or 1.",
    batch=({"input": 0.7, "target": 1.0}, {"input": 0.2, "target": 0.0}, {"input": 0.9, "target": 0.0}),
    presets=(
        Preset(
            "article",
            "Article example",
            make=seeded(
                0, input=Draw("randn", (3,), then="sigmoid"), target=Draw("randint", (3,), 0, 2, then="double")
            ),
            note="input = sigmoid of 3 random numbers, target = 3 random 0/1 labels, as in the article.",
        ),
        Preset(
            "confident_wrong",
            "Confident and wrong: p = 0.01 for y = 1",
            values={"input": 0.01, "target": 1.0},
            note="The loss is −log 0.01 and the gradient −1/0.01: the more confident the mistake, the steeper.",
        ),
        Preset(
            "clamp",
            "p = 0: the clamp at -100",
            values={"input": 0.0, "target": 1.0},
            note="log 0 = −∞ is clamped at -100: the loss is exactly 100, not ∞, and the warning says so.",
        ),
    ),
    flags=_bce_flags,
    pitfall="The input must be a probability per element, such as a sigmoid output (torch raises an error outside "
    "[0, 1]). torch clamps each log at -100 and, in the backward, p (1 − p) at 1e-12: after a sigmoid, the gradient "
    "fades once σ(x) comes within 1e-12 of the wrong end, and the loss stops at 100. BCEWithLogitsLoss takes the "
    "logit instead: no clamp, and its gradient does not fade.",
)

# ---------------------------------------------------------------- BCEWithLogitsLoss

POS_WEIGHT = Vector(
    "pos_weight",
    None,
    low=0.0,
    high=10.0,
    step=0.1,
    length=1,
    optional=True,
    ui_default=(1.0,),
    help="Multiplies the positive term y·log σ(x) (of each class): > 1 makes a missed positive cost more than an "
    "equally confident false alarm, < 1 less.",
)


def _bce_logits_elements(a, p):
    x, y = a["input"], a["target"]
    pw = 1.0 if p["pos_weight"] is None else p["pos_weight"][0]
    # -log σ(x) = softplus(-x), -log(1 - σ(x)) = softplus(x)
    loss = pw * y * _softplus(-x) + (1 - y) * _softplus(x)
    return _weight(p, loss) * loss


def _bce_logits_terms(a, p):
    x, y = a["input"].reshape(-1), a["target"].reshape(-1)
    loss = _bce_logits_elements(a, p).reshape(-1)
    pw, w = p["pos_weight"], p["weight"]

    def line(i):
        xi, yi = N(x[i]), N(y[i])
        positive = yi * logsigmoid(xi) if pw is None else N(pw[0]) * yi * logsigmoid(xi)
        inner = positive + (1 - yi) * logsigmoid(xi, complement=True)
        return -inner if w is None else -N(w[0]) * inner

    return each(loss, line)


BCE_LOGITS = LossSpec(
    key="bce_logits",
    fit=Fit(
        "classification",
        lambda out, y, o: nn.BCEWithLogitsLoss(
            pos_weight=torch.tensor([o.get("pos_weight", 1.0)], dtype=torch.float64)
        )(out[:, 0], y),
    ),
    title="BCEWithLogitsLoss",
    family="classification",
    module=nn.BCEWithLogitsLoss,
    functional=F.binary_cross_entropy_with_logits,
    params=(REDUCTION, class_weight(1, "A rescaling weight of each element's loss (broadcast)."), POS_WEIGHT),
    inputs=(
        number("input", 0.8, -10.0, 10.0, "The logit x; the probability is σ(x)."),
        number("target", 1.0, 0.0, 1.0, "The label y: 0 or 1 (soft labels in between).", step=0.01),
    ),
    build=lambda c, p: {"input": c["input"], "target": c["target"]},
    wrt=("input",),
    scratch=lambda a, p: reduce(_bce_logits_elements(a, p), p["reduction"]),
    terms=_bce_logits_terms,
    sweep=Sweep("input", -10.0, 10.0, "logit x"),
    formula=r"\ell = -w\,\big(p_w\, y \log \sigma(x) + (1 - y) \log(1 - \sigma(x))\big)",
    summary="Binary cross-entropy on a logit: the sigmoid and the log fused, accurate at any logit (no overflow, "
    "no clamp at 100).",
    notice="The gradient with respect to the logit is w·(σ(x) − y), or w·((p_w·y + 1 − y)·σ(x) − p_w·y) with "
    "pos_weight p_w: never larger than w·max(p_w·y, 1 − y). It tends to −w·p_w·y as x → −∞ and to w·(1 − y) as "
    "x → +∞ (p_w = 1 without pos_weight): a wrong logit keeps pulling however wrong it is, unless w = 0, or "
    "p_w = 0 on the x → −∞ side.",
    batch=({"input": 0.8, "target": 1.0}, {"input": -2.0, "target": 0.0}, {"input": 3.0, "target": 0.0}),
    presets=(
        Preset(
            "extreme",
            "Extreme wrong logit",
            values={"input": -10.0, "target": 1.0},
            note="x = -10 for y = 1: the loss is about −x = 10 and the gradient stays near −1: confidently wrong, "
            "it still pulls at full strength.",
        ),
        Preset(
            "pos_weight",
            "pos_weight 3",
            params={"pos_weight": (3.0,)},
            note="With y = 1 the positive term counts 3 times: the loss and its gradient are 3 times those "
            "without pos_weight.",
        ),
    ),
)

# ---------------------------------------------------------------- CrossEntropyLoss

IGNORE_INDEX = Choice(
    "ignore_index",
    -100,
    choices=(-100, 0, 1, 2),
    help="A target class whose samples are skipped (and not counted by mean).",
)
LABEL_SMOOTHING = Float(
    "label_smoothing",
    0.0,
    low=0.0,
    high=1.0,
    step=0.01,
    help="Mixes the target with the uniform distribution: (1 − ε)·target + ε/C.",
)
TARGET_KIND = Choice(
    "target_kind",
    "index",
    choices=("index", "probs"),
    help="The target as a class index, or as class probabilities.",
)
LOGITS = tuple(number(f"z{c}", z, -5.0, 5.0, f"The logit of class {c}.") for c, z in enumerate((2.0, 1.0, 0.1)))


def _probability_target(cols, params, default_ignore_index: int | None, allowed: str) -> torch.Tensor:
    """The rows' class probabilities: t0..t2 divided by their sum. torch raises a RuntimeError for an
    ignore_index other than its default with such a target (`allowed` says so)."""
    if params["ignore_index"] != default_ignore_index:
        raise LossValueError("ignore_index", params["ignore_index"], allowed)
    t = torch.stack([cols[f"t{c}"] for c in range(C)], dim=-1)
    total = t.sum(-1, keepdim=True)
    if bool((total <= 0).any()):
        raise LossValueError("t", [0.0] * C, "target weights ≥ 0 with a positive sum")
    return t / total


def _ce_build(cols, params):
    z = torch.stack([cols[f"z{c}"] for c in range(C)], dim=-1)
    if cols["target_kind"] == "probs":
        allowed = "-100 (none) with class-probability targets: it applies to class indices only"
        return {"input": z, "target": _probability_target(cols, params, IGNORE_INDEX.default, allowed)}
    return {"input": z, "target": cols["y"]}


def _ce(a, p):
    """Cross-entropy by hand from log-softmax, ordered as torch orders it (it matters at 0/0)."""
    z, target = a["input"], a["target"]
    logp = z - torch.logsumexp(z, dim=-1, keepdim=True)
    n_classes = z.shape[-1]
    w = torch.ones(n_classes, dtype=z.dtype) if p["weight"] is None else torch.tensor(p["weight"], dtype=z.dtype)
    eps = p["label_smoothing"]
    if target.is_floating_point():  # class probabilities, mixed with the uniform distribution
        loss = -(w * (target * (1 - eps) + eps / n_classes) * logp).sum(-1)
        return loss.sum() / z.shape[0] if p["reduction"] == "mean" else reduce(loss, p["reduction"])
    keep = target != p["ignore_index"]
    safe = torch.where(keep, target, torch.zeros_like(target))
    w_y = w[safe] * keep
    nll = -w_y * logp.gather(-1, safe.unsqueeze(-1)).squeeze(-1)
    smooth = -(w * logp).sum(-1) * keep
    if p["reduction"] == "mean":  # each part divided by the kept weights: 0/0 is NaN
        nll, smooth = nll.sum() / w_y.sum(), smooth.sum() / w_y.sum()
    else:
        nll, smooth = reduce(nll, p["reduction"]), reduce(smooth, p["reduction"])
    return nll if eps == 0 else (1 - eps) * nll + smooth * (eps / n_classes)


def _neg_log_softmax(zs, c):
    """-log softmax(z)_c = log Σ e^z - z_c, from the logits torch was given."""
    return logsumexp(zs) - zs[c]


def _weighted(weights, c, expr, factor=None):
    """factor · w_c · expr, leaving out what is absent (no smoothing factor, no weights)."""
    if weights is not None:
        factor = N(weights[c]) if factor is None else factor * N(weights[c])
    return expr if factor is None else factor * expr


def _ce_line(zs, target, i, p):
    """Sample i's cross-entropy from its logits `zs` (numbers, or named lines of their own), as a
    by-hand line: an expression, or (label, expression); `p["ignore_index"]` an integer."""
    n_classes, weights, eps = len(zs), p["weight"], p["label_smoothing"]
    # each class's -log softmax on a line of its own, when the line uses several
    nls = [Let(rf"-\log \mathrm{{softmax}}(z)_{{{c}}}", _neg_log_softmax(zs, c)) for c in range(n_classes)]
    if target.is_floating_point():  # Σ_c w_c ((1 - ε) t_c + ε/C) (-log softmax(z)_c)
        t = [N(v) for v in target[i].tolist()]
        share = (lambda c: t[c]) if eps == 0 else (lambda c: (1 - N(eps)) * t[c] + N(eps) / N(n_classes))
        return total([_weighted(weights, c, share(c) * nls[c]) for c in range(n_classes)])
    y = int(target[i])
    if y == p["ignore_index"]:
        return rf"y = {y} = \texttt{{ignore\_index}}", None
    if eps == 0:
        return rf"y = {y}", _weighted(weights, y, _neg_log_softmax(zs, y))
    # ε/C · Σ_c w_c (-log softmax(z)_c): the uniform part of the smoothed target
    smoothing = N(eps) / N(n_classes) * total([_weighted(weights, c, nls[c]) for c in range(n_classes)])
    return rf"y = {y}", _weighted(weights, y, nls[y], 1 - N(eps)) + smoothing


def _ce_terms(a, p):
    z, target = a["input"], a["target"]
    loss = _ce(a, {**p, "reduction": "none"})
    return each(loss, lambda i: _ce_line([N(v) for v in z[i].tolist()], target, i, p))


def _ce_split_mean(a, p, value, denominator):
    """mean with label smoothing, as torch computes it: (1 - ε) Σ nll / Σ w_y + ε/C Σ smooth / Σ w_y.
    It equals Σ ℓ / Σ w_y except when Σ w_y = 0, where the first part is 0/0 (NaN)."""
    z, target = a["input"], a["target"]
    n_classes, weights, eps = z.shape[-1], p["weight"], p["label_smoothing"]
    nll, smooth = [], []
    for i, y in enumerate(target.reshape(-1).tolist()):
        if y == p["ignore_index"]:
            continue
        zs = [N(v) for v in z[i].tolist()]
        nll.append(_weighted(weights, y, _neg_log_softmax(zs, y)))
        smooth.append(total([_weighted(weights, c, _neg_log_softmax(zs, c)) for c in range(n_classes)]))
    expr = (1 - N(eps)) * (total(nll) / denominator) + N(eps) / N(n_classes) * (total(smooth) / denominator)
    return Term(expr, value, name=r"\text{mean}")


def _weighted_mean_line(a, p, none, value):
    """mean over class indices divides by the kept targets' weights Σ w_y (their count without
    weights); over class probabilities, by the number of samples."""
    target = a["target"]
    if p["reduction"] != "mean" or target.is_floating_point():
        return reduced(p["reduction"], none, value)
    kept = [int(y) for y in target.reshape(-1).tolist() if y != p["ignore_index"]]
    if p["weight"] is None:
        denominator: Expr = N(len(kept))
    else:
        denominator = total([N(p["weight"][y]) for y in kept])
    if p.get("label_smoothing") and denominator.value() == 0:
        return _ce_split_mean(a, p, value, denominator)
    return reduced("mean", none, value, denominator)


def _ce_flags(a, p):
    z = a["input"]
    flags = []
    sums_to_one = torch.allclose(z.sum(-1), torch.ones(z.shape[:-1], dtype=z.dtype))
    if bool((z >= 0).all() and (z <= 1).all()) and sums_to_one:
        flags.append(Flag("ce_probabilities"))
    if not a["target"].is_floating_point():
        flags += _mean_flags(a["target"], p)
    return flags


def _mean_flags(target, p):
    """Why 'mean' gives NaN: every target ignored, or every kept target's class weight 0. Raised
    under every chosen reduction, since the page's table of reductions shows 'mean' too."""
    keep = target != p["ignore_index"]
    if not bool(keep.any()):
        return [Flag("all_ignored")]
    if p["weight"] is not None and sum(p["weight"][int(k)] for k in target[keep].tolist()) == 0:
        return [Flag("zero_weights")]
    return []


def _sweep_target_logit(values):
    return f"z{values['y']}" if values["target_kind"] == "index" else "z0"


CROSS_ENTROPY = LossSpec(
    key="cross_entropy",
    fit=Fit(
        "classification",
        lambda out, y, o: nn.CrossEntropyLoss(label_smoothing=o.get("label_smoothing", 0.0))(out, y.long()),
        outputs=2,
    ),
    overlay=("label_smoothing", (0.0, 0.1, 0.3)),
    hidden=lambda v: ("t0", "t1", "t2") if v.get("target_kind", "index") == "index" else ("y",),
    view="softmax_plane",
    title="CrossEntropyLoss",
    family="classification",
    module=nn.CrossEntropyLoss,
    functional=F.cross_entropy,
    params=(REDUCTION, class_weight(C), IGNORE_INDEX, LABEL_SMOOTHING),
    inputs=LOGITS
    + (klass(),)
    + tuple(
        number(f"t{c}", t, 0.0, 1.0, f"Target weight of class {c} (normalized with the others).", step=0.01)
        for c, t in enumerate((1.0, 0.0, 0.0))
    ),
    options=(TARGET_KIND,),
    build=_ce_build,
    wrt=("input",),
    scratch=_ce,
    terms=_ce_terms,
    sweep=Sweep(
        _sweep_target_logit, -6.0, 6.0, "logit of the true class (z₀ for class-probability targets; others fixed)"
    ),
    # with weights, label smoothing ε and either kind of target (torch's docs write the cases apart)
    formula=r"\ell = -\sum_c w_c\, q_c \log \frac{e^{z_c}}{\sum_k e^{z_k}},\qquad q = (1 - \varepsilon)\, t + "
    r"\frac{\varepsilon}{C},\quad t \in \{\mathrm{onehot}(y),\ (t_c)_c\}",
    summary="Log-softmax and negative log-likelihood in one: −log of the probability that softmax(z) gives the true "
    "class (with a soft target q, −Σ_c q_c log softmax(z)_c).",
    notice="Per sample, the gradient with respect to the logits is softmax(z) − q, q the target as a distribution: "
    "one_hot(y), (1 − ε)·one_hot(y) + ε/C with label smoothing, or the given probabilities; class weights make it "
    "(Σ_c w_c q_c)·softmax(z) − w·q. Raising the true class's logit helps less and less as its probability grows, "
    "and with label smoothing it stops helping before 1 (unless every other class weighs 0).",
    batch=(
        {"z0": 2.0, "z1": 1.0, "z2": 0.1, "y": 0},
        {"z0": 0.5, "z1": 2.5, "z2": 0.3, "y": 2},
        {"z0": -1.0, "z1": 0.0, "z2": 3.0, "y": 2},
    ),
    presets=(
        Preset(
            "article",
            "Article example",
            make=seeded(0, input=Draw("randn", (3, 5)), target=Draw("randint", (3,), 0, 5)),
            note="3 samples x 5 classes of random logits, 3 random class indices, as in the article.",
        ),
        Preset(
            "wrong",
            "Confident and wrong: class 0 by 4 logits",
            values={"z0": 4.0, "z1": 0.0, "z2": 0.0, "y": 1},
            note="The true class 1 trails class 0 by 4 logits: the loss is about that gap, and ∂loss/∂z₁ is near −1, "
            "the steepest it gets.",
        ),
        Preset(
            "smoothing",
            "Label smoothing 0.1",
            params={"label_smoothing": 0.1},
            note="The target becomes 0.9·one_hot(y) + 0.1/3: the loss stays above 0, and raising the true logit "
            "stops helping once its probability reaches 0.9 + 0.1/3 (the curve's minimum).",
        ),
        Preset(
            "soft_targets",
            "Class-probability target",
            values={"target_kind": "probs", "t0": 0.7, "t1": 0.2, "t2": 0.1},
            note="Target (0.7, 0.2, 0.1): the loss is smallest where softmax(z) equals it, and that minimum is the "
            "target's entropy, not 0.",
        ),
    ),
    reduce_line=_weighted_mean_line,
    flags=_ce_flags,
    pitfall="CrossEntropyLoss expects raw logits: given softmax outputs p of C classes it applies softmax again, so "
    "each class's term −log softmax(p)_c lies between log(C − 1 + e) − 1 and log(C − 1 + e), ends that only a one-hot "
    "p reaches, and for a class-index target without label smoothing the gradient shrinks (it stays 0 where the target "
    "is ignored or its class weight is 0).",
)

# ---------------------------------------------------------------- NLLLoss

LOG_PROBS = tuple(
    number(f"x{c}", v, -6.0, 1.0, f"The log-probability of class {c}, as passed to torch.")
    for c, v in enumerate((-0.357, -1.609, -2.303))
)


def _nll_parts(a, p):
    x, target = a["input"], a["target"]
    w = torch.ones(x.shape[-1], dtype=x.dtype) if p["weight"] is None else torch.tensor(p["weight"], dtype=x.dtype)
    keep = target != p["ignore_index"]
    safe = torch.where(keep, target, torch.zeros_like(target))
    w_y = w[safe] * keep
    return -w_y * x.gather(-1, safe.unsqueeze(-1)).squeeze(-1), w_y.sum()


def _nll(a, p):
    loss, denominator = _nll_parts(a, p)
    return loss.sum() / denominator if p["reduction"] == "mean" else reduce(loss, p["reduction"])


def _nll_terms(a, p):
    x, target = a["input"], a["target"]
    loss, _ = _nll_parts(a, p)

    def line(i):
        y = int(target[i])
        if y == p["ignore_index"]:
            return rf"y = {y} = \texttt{{ignore\_index}}", None
        return rf"y = {y}", -_weighted(p["weight"], y, N(x[i, y]))

    return each(loss, line)


def _nll_flags(a, p):
    mass = torch.exp(a["input"]).sum(-1)
    flags = []
    if not torch.allclose(mass, torch.ones_like(mass), atol=1e-3):
        flags.append(Flag("nll_not_log_probs", {"mass": numbers(mass.reshape(-1).tolist())}))
    return flags + _mean_flags(a["target"], p)


NLL = LossSpec(
    key="nll",
    view="log_prob_plane",
    title="NLLLoss",
    family="classification",
    module=nn.NLLLoss,
    functional=F.nll_loss,
    params=(REDUCTION, class_weight(C), IGNORE_INDEX),
    inputs=LOG_PROBS + (klass(),),
    build=lambda c, p: {"input": torch.stack([c[f"x{k}"] for k in range(C)], dim=-1), "target": c["y"]},
    wrt=("input",),
    scratch=_nll,
    terms=_nll_terms,
    sweep=Sweep(lambda v: f"x{v['y']}", -6.0, 1.0, "input x_y, the log-probability of the true class"),
    formula=r"\ell = -w_y\, x_y",
    summary="Picks the true class's log-probability and negates it: no softmax, no log, and no check that the "
    "input is log-probabilities.",
    notice="The loss is linear in its input: NLLLoss only picks −w_y·x_y. The log and the softmax must come before it.",
    batch=(
        {"x0": -0.357, "x1": -1.609, "x2": -2.303, "y": 0},
        {"x0": -2.0, "x1": -0.2, "x2": -3.0, "y": 1},
        {"x0": -0.1, "x1": -3.0, "x2": -2.5, "y": 2},
    ),
    presets=(
        Preset(
            "unnormalized",
            "Not log-probabilities",
            values={"x0": 0.5, "x1": 0.5, "x2": 0.5},
            note="x = (0.5, 0.5, 0.5) are not log-probabilities: torch still returns −x_y, a negative loss, without "
            "an error; the warning says so.",
        ),
        Preset(
            "ignored",
            "Ignored class: nothing left to average",
            params={"ignore_index": 0},
            note="ignore_index = 0 and the only target is 0: 'mean' divides 0 by 0 (NaN), 'sum' gives 0.",
        ),
    ),
    reduce_line=_weighted_mean_line,
    flags=_nll_flags,
    pitfall="NLLLoss expects log-probabilities (log_softmax output); given logits or probabilities "
    "it silently computes something else.",
)

# ---------------------------------------------------------------- MultiLabelSoftMarginLoss


def _mlsm_shares(x, target, p):
    """Each class's weighted logistic term / C."""
    c = x.shape[-1]
    w = torch.ones(c, dtype=torch.float64) if p["weight"] is None else torch.tensor(p["weight"], dtype=torch.float64)
    y = target.to(torch.float64)
    return -w * (y * F.logsigmoid(x) + (1 - y) * F.logsigmoid(-x)) / c


SCORES = tuple(
    number(f"x{c}", v, -5.0, 5.0, f"The score (logit) of class {c}.") for c, v in enumerate((1.5, -0.5, 0.3))
)
MULTI_HOT = tuple(
    Bool(f"y{c}", v, help=f"Whether class {c} is a true label.") for c, v in enumerate((True, False, True))
)


def _mlsm_elements(a, p):
    x, y = a["input"], a["target"]
    w = _weight(p, x)
    per_class = w * (y * _softplus(-x) + (1 - y) * _softplus(x))  # -log σ(x), -log(1 - σ(x))
    return per_class.sum(-1) / x.shape[-1]


def _mlsm_terms(a, p):
    x, y = a["input"], a["target"]
    loss = _mlsm_elements(a, p)
    n_classes = x.shape[-1]

    def line(i):
        # class c adds log σ(x_c) when it is a label (y_c = 1), log(1 - σ(x_c)) when not
        parts = [
            _weighted(p["weight"], c, logsigmoid(N(x[i, c]), complement=float(y[i, c]) == 0)) for c in range(n_classes)
        ]
        return -total(parts) / N(n_classes)

    return each(loss, line)


MULTILABEL_SOFT_MARGIN = LossSpec(
    key="multilabel_soft_margin",
    shares=_mlsm_shares,
    view="class_shares_multi_hot",
    title="MultiLabelSoftMarginLoss",
    family="classification",
    module=nn.MultiLabelSoftMarginLoss,
    functional=F.multilabel_soft_margin_loss,
    params=(REDUCTION, class_weight(C)),
    inputs=SCORES + MULTI_HOT,
    build=lambda c, p: {
        "input": torch.stack([c[f"x{k}"] for k in range(C)], dim=-1),
        "target": torch.stack([c[f"y{k}"] for k in range(C)], dim=-1),
    },
    wrt=("input",),
    scratch=lambda a, p: reduce(_mlsm_elements(a, p), p["reduction"]),
    terms=_mlsm_terms,
    sweep=Sweep("x0", -6.0, 6.0, "score of class 0 (others fixed)"),
    formula=r"\ell = -\frac{1}{C}\sum_c w_c\big(y_c \log\sigma(x_c) + (1 - y_c)\log\sigma(-x_c)\big)",
    summary="One logistic loss per class, averaged over the classes: a sample can have several labels.",
    notice="Each class is its own binary problem: the loss is the mean over the C classes of each class's logistic "
    "loss (times w_c with weights), not a softmax over them.",
    batch=(
        {"x0": 1.5, "x1": -0.5, "x2": 0.3, "y0": True, "y1": False, "y2": True},
        {"x0": -1.0, "x1": 2.0, "x2": 0.0, "y0": False, "y1": True, "y2": False},
    ),
    presets=(
        Preset(
            "all_right",
            "Every label right",
            values={"x0": 4.0, "x1": -4.0, "x2": 4.0},
            note="Scores of ±4 on the right side of every label: each class's loss is log(1 + e^−4), small but not 0.",
        ),
    ),
    pitfall="The target is a multi-hot vector of 0/1 per class; MultiLabelMarginLoss instead takes "
    "class indices padded with -1.",
)

# ---------------------------------------------------------------- LinearCrossEntropyLoss
#
# Cross-entropy of a linear layer's output, the layer held by the loss: its weight W (C x D) and bias
# b are the module's parameters (linear.weight, linear.bias), one head for the whole batch, so they
# are options (one value per batch), not inputs (one per row). core/compute.forward puts the page's
# W and b in place with torch.func.functional_call, so autograd differentiates with respect to them.

D = 2  # in_features: x lives in the plane

# options=None is the reference path; an instance, the chunked path (torch picks the chunk size when
# batch_chunk_size is None). The batch table's 3 rows make 1 and 2 rows per chunk both split the batch.
LCE_OPTIONS = (
    None,
    nn.LinearCrossEntropyOptions(),
    nn.LinearCrossEntropyOptions(batch_chunk_size=1),
    nn.LinearCrossEntropyOptions(batch_chunk_size=2),
)


def _options_source(options: nn.LinearCrossEntropyOptions | None) -> str:
    """options as source text, with the fields that differ from its defaults (its repr lists all five)."""
    if options is None:
        return "None"
    chunk = "" if options.batch_chunk_size is None else f"batch_chunk_size={options.batch_chunk_size}"
    return f"LinearCrossEntropyOptions({chunk})"


LCE_PARAMS = (
    Choice(
        "in_features",
        D,
        choices=(D,),
        help="The size of each input sample: 2 here, so that x is a point of the plane (fixed by the view).",
    ),
    Choice(
        "num_classes",
        C,
        choices=(C,),
        help="The number of classes C: 3 here, one weight row w_c (and bias b_c) each (fixed by the view).",
    ),
    Choice(
        "out_features",
        (),
        choices=((),),
        help="Extra output dimensions (d_1, ..., d_K) for a K-dimensional loss: () here, one prediction per sample.",
    ),
    Bool("bias", False, help="Whether the head adds a learnable bias b_c to each logit: z = W x + b."),
    Choice(
        "device",
        None,
        choices=(None,),
        help="The device of the head's weight and bias when the module creates them: None, the default (the CPU).",
    ),
    Choice(
        "dtype",
        None,
        choices=(None,),
        help="The dtype of the head's weight and bias when the module creates them: None, torch's default "
        "(float32). The page puts its own float64 weight and bias in their place, so every number is float64.",
    ),
    Choice(
        "reduction",
        "mean",
        choices=("none", "mean", "sum"),
        help="How the per-sample losses (what 'none' returns) become one number: 'sum' adds them; 'mean' divides "
        "that sum by the sum of the targets' class weights w_y (1 each without weight; ignored targets left out) "
        "for class indices, by the number of samples for class probabilities.",
    ),
    class_weight(C),
    Choice(
        "ignore_index",
        None,
        choices=(None, -100, 0, 1, 2),
        help="A target class whose samples are skipped (and not counted by mean). None, torch's default, means "
        "-100 for class indices, and is the only value allowed with class probabilities.",
    ),
    LABEL_SMOOTHING,
    Choice(
        "options",
        None,
        choices=LCE_OPTIONS,
        shown=tuple(_options_source(o) for o in LCE_OPTIONS),
        help="None: the reference path, the logits of the whole batch at once. LinearCrossEntropyOptions(...): the "
        "chunked path, batch_chunk_size samples at a time (at most the batch; None: torch picks it); it needs label_smoothing = 0 "
        "and class-index targets, else torch warns and takes the reference path.",
    ),
)
LCE_X = (
    number("x0", 1.0, -3.0, 3.0, "The input x: its first coordinate x₀ (the plane's horizontal axis)."),
    number("x1", 0.5, -3.0, 3.0, "The input x: its second coordinate x₁ (the plane's vertical axis)."),
)
HEAD_ROWS = ((2.0, 0.5), (-1.0, 1.5), (-0.5, -1.5))  # w_0, w_1, w_2: three directions of the plane
LCE_HEAD = tuple(
    number(
        f"w{c}{axis}",
        HEAD_ROWS[c][k],
        -3.0,
        3.0,
        f"Class {c}'s weight row w_{c} (linear.weight[{c}]): its {'first' if k == 0 else 'second'} coordinate.",
    )
    for c in range(C)
    for k, axis in enumerate("xy")
) + tuple(
    number(f"b{c}", 0.0, -5.0, 5.0, f"Class {c}'s bias b_{c} (linear.bias[{c}]), added to its logit (bias=True).")
    for c in range(C)
)
BIASES = tuple(f"b{c}" for c in range(C))


def _lce_ignore_index(p):
    """torch's None: -100 for class indices (and the only value allowed with probabilities)."""
    return -100 if p["ignore_index"] is None else p["ignore_index"]


def _lce_build(cols, params):
    x = torch.stack([cols["x0"], cols["x1"]], dim=-1)
    head = torch.tensor([[cols[f"w{c}x"], cols[f"w{c}y"]] for c in range(C)], dtype=torch.float64)
    if cols["target_kind"] == "probs":
        allowed = "None (torch's default) with class-probability targets: it applies to class indices only"
        target = _probability_target(cols, params, None, allowed)
    else:
        target = cols["y"]
    args = {"input": x, "target": target, "linear_weight": head}
    if params["bias"]:  # bias=False: the module has no bias (linear.bias is None), and none is passed
        args["linear_bias"] = torch.tensor([cols[b] for b in BIASES], dtype=torch.float64)
    return args


def _lce_logits(a):
    """z = x Wᵀ + b: each sample's logits from the head, by hand."""
    z = (a["input"].unsqueeze(-2) * a["linear_weight"]).sum(-1)
    return z + a["linear_bias"] if "linear_bias" in a else z


def _lce(a, p):
    """Cross-entropy (as CrossEntropyLoss computes it, by hand) of the logits x Wᵀ + b."""
    return _ce({"input": _lce_logits(a), "target": a["target"]}, {**p, "ignore_index": _lce_ignore_index(p)})


def _lce_terms(a, p):
    x, head, target = a["input"], a["linear_weight"], a["target"]
    bias = a.get("linear_bias")
    loss = _lce(a, {**p, "reduction": "none"})
    q = {**p, "ignore_index": _lce_ignore_index(p)}

    def logit(i, c):
        """z_c = w_c · x + b_c, on a line of its own."""
        z = N(head[c, 0]) * N(x[i, 0]) + N(head[c, 1]) * N(x[i, 1])
        return Let(rf"z_{{{c}}}", z if bias is None else z + N(bias[c]))

    return each(loss, lambda i: _ce_line([logit(i, c) for c in range(C)], target, i, q))


def _lce_reduce_line(a, p, none, value):
    return _weighted_mean_line(
        {"input": _lce_logits(a), "target": a["target"]}, {**p, "ignore_index": _lce_ignore_index(p)}, none, value
    )


def chunked_path(kwargs: dict, target: torch.Tensor) -> bool:
    """Whether F.linear_cross_entropy takes its chunked path: options given, and the case one it
    supports (reduction 'mean', 'sum' or 'none', no label smoothing, class-index targets of int64,
    out_features == ()); otherwise torch warns that it ignores the options and computes the reference
    path."""
    return (
        kwargs.get("options") is not None
        and kwargs["reduction"] in {"mean", "sum", "none"}
        and kwargs["label_smoothing"] == 0.0
        and target.dtype == torch.int64
        and tuple(kwargs.get("out_features", ())) == ()
    )


def _lce_flags(a, p):
    target = a["target"]
    chunked = chunked_path(p, target)
    flags = []
    if p["options"] is not None and not chunked:
        flags.append(Flag("lce_options_ignored"))
    if not target.is_floating_point():
        mean_flags = _mean_flags(target, {**p, "ignore_index": _lce_ignore_index(p)})
        flags += mean_flags
        if chunked and p["reduction"] == "mean" and [f.code for f in mean_flags] == ["all_ignored"]:
            flags.append(Flag("lce_chunked_nan_gradient"))
    return flags


def _lce_options_code(p):
    """options as source: nn.LinearCrossEntropyOptions(...), left out when None (the default)."""
    return {} if p["options"] is None else {"options": "nn." + _options_source(p["options"])}


LINEAR_CROSS_ENTROPY = LossSpec(
    key="linear_cross_entropy",
    title="LinearCrossEntropyLoss",
    family="classification",
    module=nn.LinearCrossEntropyLoss,
    functional=F.linear_cross_entropy,
    params=LCE_PARAMS,
    inputs=LCE_X
    + (klass(),)
    + tuple(
        number(f"t{c}", t, 0.0, 1.0, f"Target weight of class {c} (normalized with the others).", step=0.01)
        for c, t in enumerate((1.0, 0.0, 0.0))
    ),
    options=LCE_HEAD + (TARGET_KIND,),
    module_params={"linear_weight": "linear.weight", "linear_bias": "linear.bias"},
    build=_lce_build,
    wrt=("input", "linear_weight", "linear_bias"),
    scratch=_lce,
    terms=_lce_terms,
    sweep=Sweep("x0", -3.0, 3.0, "input x₀ (x₁ and the head fixed): every logit z_c moves, by w_c,0 per unit"),
    formula=r"z = W x + b,\qquad \ell = -\sum_c w_c\, q_c \log \frac{e^{z_c}}{\sum_k e^{z_k}},\qquad q = (1 - "
    r"\varepsilon)\, t + \frac{\varepsilon}{C},\quad t \in \{\mathrm{onehot}(y),\ (t_c)_c\}",
    summary="CrossEntropyLoss of a linear layer's output, with the layer inside the loss: its weight W and bias b "
    "are the module's parameters. With options (label_smoothing = 0 and class-index targets) torch computes the "
    "logits a chunk of the batch's rows at a time and holds no more than one chunk's.",
    notice="Per sample, the gradient of the summed loss with respect to the logits z = W x + b is g = softmax(z) − "
    "q, as for CrossEntropyLoss (q the target as a distribution; with class weights, (Σ_c w_c q_c)·softmax(z) − "
    "w·q; 0 for an ignored target); 'mean' divides it by what it divides the loss by, when that is not 0. The head "
    "gets g xᵀ for its weight (class c's row w_c gets g_c·x) and g for its bias; the "
    "input gets Wᵀg, whose first coordinate is the curve's slope.",
    batch=(
        {"x0": 1.0, "x1": 0.5, "y": 0},
        {"x0": -1.0, "x1": 1.0, "y": 1},
        {"x0": 0.5, "x1": -2.0, "y": 2},
    ),
    presets=(
        Preset(
            "chunked",
            "Chunked path: options=LinearCrossEntropyOptions()",
            params={"options": nn.LinearCrossEntropyOptions()},
            note="The chunked path gives the value and the gradients of the reference path (options=None), up to "
            "rounding: chunking changes how much memory the logits take, not the loss.",
        ),
        Preset(
            "fallback",
            "Chunked path refused: label smoothing 0.1",
            params={"options": nn.LinearCrossEntropyOptions(), "label_smoothing": 0.1},
            note="With label_smoothing ≠ 0 torch ignores options: it warns and takes the reference path, so the "
            "value is exactly that of options=None.",
        ),
        Preset(
            "wrong",
            "x points at class 0, the target is class 1",
            values={"x0": 2.0, "x1": 0.0, "y": 1},
            note="The head's gradient is g_c·x for row w_c: gradient descent moves the true class's row w_1 toward "
            "x and the rows of the other classes away from it.",
        ),
    ),
    reduce_line=_lce_reduce_line,
    flags=_lce_flags,
    code_kwargs=_lce_options_code,
    pitfall="options=LinearCrossEntropyOptions() takes the chunked path only with label_smoothing = 0 and "
    "class-index (int64) targets: otherwise torch warns “``options`` ignored” and takes the reference path, which "
    "holds every logit at once, so no memory is saved. The chunked path's scalar reductions consume their saved "
    "gradients: a second backward() raises unless allow_retain_graph=True.",
    overlay=("label_smoothing", (0.0, 0.1, 0.3)),
    hidden=lambda v: (
        (("t0", "t1", "t2") if v.get("target_kind", "index") == "index" else ("y",))
        + (() if v.get("bias", False) else BIASES)
    ),
    view="head_plane",
    panels=("linear_equality", "lce_memory"),
)
