"""Margin and ranking losses: MarginRanking, HingeEmbedding, SoftMargin, MultiMargin and
MultiLabelMargin."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from core.expr import N, each, exp, log, maximum, total
from core.flags import Flag
from core.losses._common import klass, number, reduce, sign
from core.params import REDUCTION, Choice, LossValueError, class_weight, margin
from core.presets import Draw, exact, seeded
from core.spec import Fit, LossSpec, Preset, Sweep

C = 3


def _signed(t):
    return t.to(torch.float64)


def _multi_margin_shares(x, target, p):
    """w_y · max(0, margin − x_y + x_j)^p / C for each j ≠ y (0 for y)."""
    y = int(target[0])
    w = 1.0 if p["weight"] is None else p["weight"][y]
    share = w * (p["margin"] - x[y] + x).clamp(min=0) ** p["p"] / x.shape[-1]
    share[y] = 0.0
    return share


def _multilabel_margin_shares(x, target, p):
    """The sum over the listed classes j of max(0, 1 − (x_j − x_k)) / C, given to each other class k."""
    row = target.tolist()
    labels = row[: row.index(-1)] if -1 in row else row
    c = x.shape[-1]
    share = torch.zeros(c, dtype=torch.float64)
    for j in labels:
        for k in range(c):
            if k not in labels:
                share[k] += (1 - (x[j] - x[k])).clamp(min=0) / c
    return share


# ---------------------------------------------------------------- MarginRankingLoss


def _ranking_elements(a, p):
    return (-a["target"] * (a["input1"] - a["input2"]) + p["margin"]).clamp(min=0)


def _ranking_terms(a, p):
    x1, x2, y = (a[k].reshape(-1) for k in ("input1", "input2", "target"))
    loss = _ranking_elements(a, p).reshape(-1)
    return each(loss, lambda i: maximum(0, -N(y[i]) * (N(x1[i]) - N(x2[i])) + N(p["margin"])))


MARGIN_RANKING = LossSpec(
    key="margin_ranking",
    overlay=("margin", (0.0, 0.5, 1.0)),
    view="ranking_planes",
    title="MarginRankingLoss",
    family="margin",
    module=nn.MarginRankingLoss,
    functional=F.margin_ranking_loss,
    params=(REDUCTION, margin(0.0, help="How far x₁ must beat x₂ (y = 1) before the loss is zero.")),
    inputs=(
        number("x1", 0.8, -3.0, 3.0, "The first score x₁."),
        number("x2", 0.5, -3.0, 3.0, "The second score x₂."),
        sign(help="1: x₁ should rank higher; -1: x₂ should."),
    ),
    build=lambda c, p: {"input1": c["x1"], "input2": c["x2"], "target": _signed(c["y"])},
    wrt=("input1", "input2"),
    scratch=lambda a, p: reduce(_ranking_elements(a, p), p["reduction"]),
    terms=_ranking_terms,
    sweep=Sweep("x1", -3.0, 3.0, "x₁ (x₂ fixed)"),
    formula=r"\ell = \max\big(0,\ -y\,(x_1 - x_2) + \text{margin}\big)",
    summary="Ranks two scores: zero once the right one leads by the margin, linear otherwise.",
    notice="The loss is zero once the right score leads by the margin; short of that, each score's gradient is a "
    "constant ±1 (divided by the number of pairs under 'mean').",
    batch=({"x1": 0.8, "x2": 0.5, "y": 1}, {"x1": 0.2, "x2": 1.0, "y": 1}, {"x1": 1.5, "x2": -0.5, "y": -1}),
    presets=(
        Preset(
            "article",
            "Article example",
            make=seeded(
                0, input1=Draw("randn", (3,)), input2=Draw("randn", (3,)), target=Draw("randn", (3,), then="sign")
            ),
            note="Two sets of 3 random scores, target = signs of 3 random numbers, as in the article.",
        ),
        Preset(
            "margin",
            "Margin 0.5",
            params={"margin": 0.5},
            note="x₁ already ranks above x₂, by less than 0.5: the loss stays positive until the lead reaches the margin.",
        ),
    ),
)

# ---------------------------------------------------------------- HingeEmbeddingLoss


def _hinge_elements(a, p):
    x, y = a["input"], a["target"]
    return torch.where(y == 1, x, (p["margin"] - x).clamp(min=0))


def _hinge_terms(a, p):
    x, y = a["input"].reshape(-1), a["target"].reshape(-1)
    loss = _hinge_elements(a, p).reshape(-1)
    return each(
        loss,
        lambda i: ("y = 1", N(x[i])) if y[i] == 1 else ("y = -1", maximum(0, N(p["margin"]) - N(x[i]))),
    )


HINGE_EMBEDDING = LossSpec(
    key="hinge_embedding",
    overlay=("margin", (0.5, 1.0, 2.0)),
    view="distance_labels",
    title="HingeEmbeddingLoss",
    family="margin",
    module=nn.HingeEmbeddingLoss,
    functional=F.hinge_embedding_loss,
    params=(REDUCTION, margin(1.0, help="Dissimilar pairs (y = -1) cost nothing beyond this distance.")),
    inputs=(
        number("input", 0.5, -1.0, 4.0, "The input x, usually a distance between two embeddings."),
        sign(help="1: a similar pair (pull together); -1: a dissimilar pair (push apart)."),
    ),
    build=lambda c, p: {"input": c["input"], "target": _signed(c["y"])},
    wrt=("input",),
    scratch=lambda a, p: reduce(_hinge_elements(a, p), p["reduction"]),
    terms=_hinge_terms,
    sweep=Sweep("input", 0.0, 3.0, "distance x"),
    formula=r"\ell = \begin{cases} x & y = 1 \\ \max(0,\ \text{margin} - x) & y = -1 \end{cases}",
    summary="For distances: similar pairs pay their distance, dissimilar ones pay until they are a margin apart.",
    notice="Similar pairs (y = 1) are pulled with a constant force, ∂loss/∂x = 1 at any distance; dissimilar pairs "
    "(y = -1) are pushed with force 1 while closer than the margin and feel nothing once farther apart (under "
    "'mean', forces are divided by the number of pairs).",
    batch=({"input": 0.5, "y": 1}, {"input": 0.3, "y": -1}, {"input": 1.4, "y": -1}),
    presets=(
        Preset(
            "article",
            "Article example",
            make=exact(input=[[1.0, 0.8, 0.5]], target=[[1.0, 1.0, -1.0]]),
            note="inputs [[1.0, 0.8, 0.5]], targets [[1, 1, -1]], as in the article.",
        ),
        Preset(
            "dissimilar",
            "Dissimilar and close",
            values={"input": 0.2, "y": -1},
            note="A dissimilar pair at distance 0.2, inside the margin: it pays margin − 0.2 and its gradient −1 "
            "pushes it apart.",
        ),
    ),
)

# ---------------------------------------------------------------- SoftMarginLoss


def _soft_margin_elements(a, p):
    return torch.log1p(torch.exp(-a["target"] * a["input"]))


def _soft_margin_terms(a, p):
    x, y = a["input"].reshape(-1), a["target"].reshape(-1)
    loss = _soft_margin_elements(a, p).reshape(-1)
    return each(loss, lambda i: log(1 + exp(-N(y[i]) * N(x[i]))))


SOFT_MARGIN = LossSpec(
    key="soft_margin",
    fit=Fit("classification", lambda out, y, o: nn.SoftMarginLoss()(out[:, 0], 2 * y - 1)),
    title="SoftMarginLoss",
    family="margin",
    module=nn.SoftMarginLoss,
    functional=F.soft_margin_loss,
    params=(REDUCTION,),
    inputs=(number("input", 0.5, -5.0, 5.0, "The score x."), sign(help="The label: +1 or -1.")),
    build=lambda c, p: {"input": c["input"], "target": _signed(c["y"])},
    wrt=("input",),
    scratch=lambda a, p: reduce(_soft_margin_elements(a, p), p["reduction"]),
    terms=_soft_margin_terms,
    sweep=Sweep("input", -5.0, 5.0, "score x"),
    formula=r"\ell = \log\big(1 + e^{-y x}\big)",
    summary="The logistic loss log(1 + e^(−y·x)) on a ±1 label: smooth, and never quite zero.",
    notice="The loss depends only on the margin y·x: it never reaches zero, and its gradient −y·σ(−y·x) fades as "
    "y·x grows (divided by the number of elements under 'mean').",
    batch=({"input": 0.5, "y": 1}, {"input": -1.0, "y": 1}, {"input": 2.0, "y": -1}),
    presets=(
        Preset(
            "article",
            "Article example",
            make=exact(input=[[0.3, 0.7], [0.5, 0.5]], target=[[-1.0, 1.0], [1.0, -1.0]]),
            note="inputs [[0.3, 0.7], [0.5, 0.5]], targets [[-1, 1], [1, -1]], as in the article.",
        ),
    ),
    pitfall="The article writes a hinge, max(0, 1 − y·x); torch computes the logistic loss log(1 + e^(−y·x)).",
)

# ---------------------------------------------------------------- MultiMarginLoss

SCORES = tuple(number(f"x{c}", v, -3.0, 3.0, f"The score of class {c}.") for c, v in enumerate((0.3, 0.7, 0.1)))
P_MULTI = Choice("p", 1, choices=(1, 2), help="1: the hinge; 2: the squared hinge.")


def _multi_margin_elements(a, p):
    x, y = a["input"], a["target"]
    x_y = x.gather(-1, y.unsqueeze(-1))
    hinge = (p["margin"] - x_y + x).clamp(min=0) ** p["p"]
    hinge = hinge.masked_fill(torch.nn.functional.one_hot(y, x.shape[-1]).bool(), 0.0)
    w_y = 1.0 if p["weight"] is None else torch.tensor(p["weight"], dtype=x.dtype)[y]
    return w_y * hinge.sum(-1) / x.shape[-1]


def _multi_margin_terms(a, p):
    x, y = a["input"].reshape(-1, a["input"].shape[-1]), a["target"].reshape(-1)
    loss = _multi_margin_elements(a, p)
    n_classes = x.shape[-1]

    def line(i):
        t = int(y[i])
        hinges = [maximum(0, N(p["margin"]) - N(x[i, t]) + N(x[i, j])) for j in range(n_classes) if j != t]
        summed = total(hinges if p["p"] == 1 else [h**2 for h in hinges])
        weighted = summed if p["weight"] is None else N(p["weight"][t]) * summed
        return f"y = {t}", weighted / N(n_classes)

    return each(loss, line)


MULTI_MARGIN = LossSpec(
    key="multi_margin",
    fit=Fit("classification", lambda out, y, o: nn.MultiMarginLoss()(out, y.long()), outputs=2),
    shares=_multi_margin_shares,
    overlay=("margin", (0.5, 1.0, 2.0)),
    view="class_shares_index",
    title="MultiMarginLoss",
    family="margin",
    module=nn.MultiMarginLoss,
    functional=F.multi_margin_loss,
    params=(
        REDUCTION,
        P_MULTI,
        margin(1.0, help="How far the true class's score must lead every other."),
        class_weight(C),
    ),
    inputs=SCORES + (klass(),),
    build=lambda c, p: {"input": torch.stack([c[f"x{k}"] for k in range(C)], dim=-1), "target": c["y"]},
    wrt=("input",),
    scratch=lambda a, p: reduce(_multi_margin_elements(a, p), p["reduction"]),
    terms=_multi_margin_terms,
    sweep=Sweep(lambda v: f"x{v['y']}", -3.0, 3.0, "score of the true class (others fixed)"),
    formula=r"\ell = \frac{1}{C}\sum_{j \ne y} w_y \max(0,\ \text{margin} - x_y + x_j)^p",
    summary="The multi-class hinge (SVM) loss: every other class must trail the true one by the margin.",
    notice="Only classes whose score comes within the margin of the true class contribute; the sum is divided by the number of classes.",
    batch=({"x0": 0.3, "x1": 0.7, "x2": 0.1, "y": 0}, {"x0": 0.5, "x1": 0.5, "x2": -1.0, "y": 1}),
    presets=(
        Preset(
            "article",
            "Article example",
            make=exact(input=[[0.3, 0.7], [0.5, 0.5]], target=[0, 1]),
            note="inputs [[0.3, 0.7], [0.5, 0.5]], targets [0, 1], as in the article.",
        ),
        Preset(
            "squared",
            "Squared hinge (p = 2)",
            params={"p": 2},
            note="Each class's hinge is squared before the sum: violations above 1 cost more than with p = 1, those "
            "below 1 less.",
        ),
    ),
    pitfall="The sum over the other classes is divided by the number of classes C, not by C − 1.",
)

# ---------------------------------------------------------------- MultiLabelMarginLoss

LABEL_SLOTS = tuple(
    Choice(
        f"t{k}",
        v,
        choices=(-1, 0, 1, 2),
        help="A true class index; -1 ends the list (later entries are ignored).",
    )
    for k, v in enumerate((2, 0, -1))
)


def _labels(row: list[int]) -> list[int]:
    """The target classes torch reads: the entries before the first -1."""
    return row[: row.index(-1)] if -1 in row else row


def _mlm_build(cols, params):
    target = torch.stack([cols[f"t{k}"] for k in range(C)], dim=-1)
    return {"input": torch.stack([cols[f"x{k}"] for k in range(C)], dim=-1), "target": target}


def _mlm_elements(a, p):
    x, target = a["input"], a["target"]
    x2 = x.reshape(-1, x.shape[-1])
    rows = []
    for i, row in enumerate(target.reshape(-1, x.shape[-1]).tolist()):
        if any(t < -1 or t >= x.shape[-1] for t in _labels(row)):
            raise LossValueError("target", row, "class indices 0..{last}, padded with -1", {"last": x.shape[-1] - 1})
        labels = _labels(row)
        others = [k for k in range(x.shape[-1]) if k not in labels]
        total = x2.new_zeros(())
        for j in labels:  # torch loops over the listed labels, duplicates included
            for k in others:
                total = total + (1 - (x2[i, j] - x2[i, k])).clamp(min=0)
        rows.append(total / x.shape[-1])
    out = torch.stack(rows)
    return out.reshape(x.shape[:-1]) if x.dim() > 1 else out.reshape(())


def _mlm_terms(a, p):
    x, target = a["input"].reshape(-1, a["input"].shape[-1]), a["target"].reshape(-1, a["input"].shape[-1])
    loss = _mlm_elements(a, p)
    n_classes = x.shape[-1]

    def line(i):
        labels = _labels(target[i].tolist())  # what torch reads: the entries before the first -1
        others = [k for k in range(n_classes) if k not in labels]
        pairs = [maximum(0, 1 - (N(x[i, j]) - N(x[i, k]))) for j in labels for k in others]
        return rf"y = [{', '.join(map(str, labels))}]", total(pairs) / N(n_classes)  # a list: a repeat counts again

    return each(loss, line)


def _mlm_flags(a, p):
    flags = []
    for row in a["target"].reshape(-1, a["target"].shape[-1]).tolist():
        if -1 in row and any(t != -1 for t in row[row.index(-1) :]):
            flags.append(Flag("mlm_after_padding", {"row": row}))
    return flags


def _first_label(values):
    labels = _labels([values[f"t{k}"] for k in range(C)])
    return f"x{labels[0]}" if labels else "x0"


MULTILABEL_MARGIN = LossSpec(
    key="multilabel_margin",
    shares=_multilabel_margin_shares,
    view="class_shares_listed",
    title="MultiLabelMarginLoss",
    family="margin",
    module=nn.MultiLabelMarginLoss,
    functional=F.multilabel_margin_loss,
    params=(REDUCTION,),
    inputs=SCORES + LABEL_SLOTS,
    build=_mlm_build,
    wrt=("input",),
    scratch=lambda a, p: reduce(_mlm_elements(a, p), p["reduction"]),
    terms=_mlm_terms,
    sweep=Sweep(_first_label, -3.0, 3.0, "score of the first listed class (x₀ if none; others fixed)"),
    formula=r"\ell = \frac{1}{C}\sum_{m}\sum_{k \notin y} \max\big(0,\ 1 - (x_{y_m} - x_k)\big)",
    summary="Every true class must beat every other class by 1; the target lists class indices, ended by -1.",
    notice="Each true class must score at least 1 above each other class: every pair short of that adds "
    "1 − (x_j − x_k), and the sum is divided by the number of classes C. The target lists class indices and stops "
    "at the first -1; a class listed twice is counted twice.",
    batch=(
        {"x0": 0.3, "x1": 0.7, "x2": 0.1, "t0": 2, "t1": 0, "t2": -1},
        {"x0": 0.9, "x1": 0.2, "x2": 0.4, "t0": 1, "t1": -1, "t2": 0},
    ),
    presets=(
        Preset(
            "article",
            "Article example",
            make=exact(input=[[0.9, 0.2, 0.4, 0.8]], target=[[3, 0, -1, -1]]),
            note="x = [[0.9, 0.2, 0.4, 0.8]], y = [[3, 0, -1, -1]]: classes 3 and 0, as in the article.",
        ),
        Preset(
            "padding",
            "After the -1",
            values={"t0": 1, "t1": -1, "t2": 2},
            note="Target [1, -1, 2]: torch reads class 1 only; the 2 after the -1 changes nothing, and the warning "
            "says so.",
        ),
    ),
    flags=_mlm_flags,
    pitfall="The target holds class indices padded with -1, not a ±1 per class: everything after "
    "the first -1 is ignored. MultiLabelSoftMarginLoss takes a multi-hot vector instead.",
)
