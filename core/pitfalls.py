"""The mistakes people make with torch's losses, each a live pair of computations with real torch numbers (the
mistake and its fix, or the two things mistaken for each other), each side titled by what it shows, and the code
of each (which prints the same number; a test runs it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from torch import nn

from core import compare, ctc
from core.params import Float, Int, Number

F64 = torch.float64


@dataclass(frozen=True)
class Side:
    label: str  # what is done, as a short torch expression
    loss: float  # from torch
    grad: float | None  # the size of the gradient that matters (autograd), where there is one
    code: str  # a runnable program that prints `loss`


@dataclass(frozen=True)
class Demo:
    key: str
    title: str
    lesson: str  # why the two differ, in one or two sentences
    control: Number  # the one value the page lets you move
    run: Callable[[float], tuple[Side, Side]]  # control value -> (left side, right side)
    # (control value, left, right) -> the {placeholders} of the lesson and the side titles, computed with torch
    numbers: Callable[[float, Side, Side], dict[str, str]] = lambda value, mistake, fix: {}
    # each side's (icon, title), true of that side at every value of the control (a test checks each)
    sides: tuple[tuple[str, str], tuple[str, str]] = field(kw_only=True)


# The two sides of a demo whose left side is the mistake and whose right side is its fix.
MISTAKE_FIX = (("❌", "The mistake"), ("✅", "The fix"))


def _tensor(values) -> str:
    return f"torch.tensor({values!r}, dtype=torch.float64)"


def _program(*lines: str) -> str:
    return "\n".join(("import torch", "import torch.nn.functional as F", "from torch import nn", "", *lines)) + "\n"


def _grad_norm(loss: torch.Tensor, x: torch.Tensor) -> float:
    (g,) = torch.autograd.grad(loss, x)
    return float(g.norm())


# ---------------------------------------------------------------- softmax before CrossEntropyLoss


def _softmax_first(scale: float) -> tuple[Side, Side]:
    logits = [scale * v for v in (2.0, 1.0, 0.1)]
    z = torch.tensor([logits], dtype=F64, requires_grad=True)
    y = torch.tensor([0])  # the class with the largest logit: the prediction is right
    wrong = nn.CrossEntropyLoss()(torch.softmax(z, -1), y)
    right = nn.CrossEntropyLoss()(z, y)
    setup = (f"z = {_tensor([logits])}", "y = torch.tensor([0])")
    return (
        Side(
            "CrossEntropyLoss()(softmax(z), y)",
            wrong.item(),
            _grad_norm(wrong, z),
            _program(*setup, "print(nn.CrossEntropyLoss()(torch.softmax(z, -1), y).item())"),
        ),
        Side(
            "CrossEntropyLoss()(z, y)",
            right.item(),
            _grad_norm(right, z),
            _program(*setup, "print(nn.CrossEntropyLoss()(z, y).item())"),
        ),
    )


# ---------------------------------------------------------------- KLDivLoss


_Q = [[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]]
_P = [[0.9, 0.05, 0.05], [0.1, 0.7, 0.2]]


def _kl_probabilities(mix: float) -> tuple[Side, Side]:
    """The article's example, its prediction mixed towards the target by `mix`."""
    q = [[(1 - mix) * a + mix * b for a, b in zip(qr, pr, strict=True)] for qr, pr in zip(_Q, _P, strict=True)]
    qt, pt = torch.tensor(q, dtype=F64, requires_grad=True), torch.tensor(_P, dtype=F64)
    wrong = nn.KLDivLoss(reduction="mean")(qt, pt)
    right = nn.KLDivLoss(reduction="batchmean")(torch.log(qt), pt)
    setup = (f"q = {_tensor(q)}", f"p = {_tensor(_P)}")
    return (
        Side(
            "KLDivLoss(reduction='mean')(q, p)",
            wrong.item(),
            _grad_norm(wrong, qt),
            _program(*setup, "print(nn.KLDivLoss(reduction='mean')(q, p).item())"),
        ),
        Side(
            "KLDivLoss(reduction='batchmean')(q.log(), p)",
            right.item(),
            _grad_norm(right, qt),
            _program(*setup, "print(nn.KLDivLoss(reduction='batchmean')(q.log(), p).item())"),
        ),
    )


def _kl_mean(classes: float) -> tuple[Side, Side]:
    """The same two distributions spread over more classes: 'mean' shrinks, 'batchmean' does not."""
    c = int(classes)
    q = [[0.5, 0.3, 0.2 - 0.01 * (c - 3)] + [0.01] * (c - 3), [0.2, 0.3, 0.5 - 0.01 * (c - 3)] + [0.01] * (c - 3)]
    p = [[0.9, 0.05, 0.05 - 0.001 * (c - 3)] + [0.001] * (c - 3), [0.1, 0.7, 0.2 - 0.001 * (c - 3)] + [0.001] * (c - 3)]
    lq, pt = torch.log(torch.tensor(q, dtype=F64)), torch.tensor(p, dtype=F64)
    setup = (f"log_q = {_tensor(q)}.log()", f"p = {_tensor(p)}")
    return (
        Side(
            "KLDivLoss(reduction='mean')(log_q, p)",
            nn.KLDivLoss(reduction="mean")(lq, pt).item(),
            None,
            _program(*setup, "print(nn.KLDivLoss(reduction='mean')(log_q, p).item())"),
        ),
        Side(
            "KLDivLoss(reduction='batchmean')(log_q, p)",
            nn.KLDivLoss(reduction="batchmean")(lq, pt).item(),
            None,
            _program(*setup, "print(nn.KLDivLoss(reduction='batchmean')(log_q, p).item())"),
        ),
    )


# ---------------------------------------------------------------- BCELoss at extreme logits


def _bce_extreme(logit: float) -> tuple[Side, Side]:
    x = torch.tensor([logit], dtype=F64, requires_grad=True)
    y = torch.tensor([1.0], dtype=F64)
    wrong = nn.BCELoss()(torch.sigmoid(x), y)
    right = nn.BCEWithLogitsLoss()(x, y)
    setup = (f"x = {_tensor([logit])}", "y = torch.tensor([1.0], dtype=torch.float64)")
    return (
        Side(
            "BCELoss()(sigmoid(x), y)",
            wrong.item(),
            _grad_norm(wrong, x),
            _program(*setup, "print(nn.BCELoss()(torch.sigmoid(x), y).item())"),
        ),
        Side(
            "BCEWithLogitsLoss()(x, y)",
            right.item(),
            _grad_norm(right, x),
            _program(*setup, "print(nn.BCEWithLogitsLoss()(x, y).item())"),
        ),
    )


# ---------------------------------------------------------------- MultiLabelMarginLoss's padding


def _multilabel_padding(score: float) -> tuple[Side, Side]:
    """Classes 0 and 2 are true. Written [0, -1, 2], torch reads only class 0; [0, 2, -1] is right."""
    x = [[score, 0.2, 0.4, 0.8]]
    xt = torch.tensor(x, dtype=F64)
    wrong = nn.MultiLabelMarginLoss()(xt, torch.tensor([[0, -1, 2, -1]]))
    right = nn.MultiLabelMarginLoss()(xt, torch.tensor([[0, 2, -1, -1]]))
    setup = (f"x = {_tensor(x)}",)
    return (
        Side(
            "MultiLabelMarginLoss()(x, [[0, -1, 2, -1]])",
            wrong.item(),
            None,
            _program(*setup, "print(nn.MultiLabelMarginLoss()(x, torch.tensor([[0, -1, 2, -1]])).item())"),
        ),
        Side(
            "MultiLabelMarginLoss()(x, [[0, 2, -1, -1]])",
            right.item(),
            None,
            _program(*setup, "print(nn.MultiLabelMarginLoss()(x, torch.tensor([[0, 2, -1, -1]])).item())"),
        ),
    )


# ---------------------------------------------------------------- SmoothL1's beta vs Huber's delta


def _beta_delta(residual: float) -> tuple[Side, Side]:
    """beta = delta = 2: away from zero Huber is beta times SmoothL1."""
    r = torch.tensor([residual], dtype=F64)
    zero = torch.zeros(1, dtype=F64)
    setup = (f"r = {_tensor([residual])}", "zero = torch.zeros(1, dtype=torch.float64)")
    return (
        Side(
            "SmoothL1Loss(beta=2)(r, 0)",
            nn.SmoothL1Loss(beta=2.0)(r, zero).item(),
            None,
            _program(*setup, "print(nn.SmoothL1Loss(beta=2.0)(r, zero).item())"),
        ),
        Side(
            "HuberLoss(delta=2)(r, 0)",
            nn.HuberLoss(delta=2.0)(r, zero).item(),
            None,
            _program(*setup, "print(nn.HuberLoss(delta=2.0)(r, zero).item())"),
        ),
    )


# ---------------------------------------------------------------- MultiMarginLoss divides by C


def _multi_margin_classes(extra: float) -> tuple[Side, Side]:
    """The same two competing scores; `extra` far-away classes added: the loss shrinks by C."""
    k = int(extra)
    x2 = [[0.3, 0.7]]
    xc = [[0.3, 0.7] + [-10.0] * k]
    y = torch.tensor([0])
    return (
        Side(
            "MultiMarginLoss()(x, y), C = 2",
            nn.MultiMarginLoss()(torch.tensor(x2, dtype=F64), y).item(),
            None,
            _program(f"x = {_tensor(x2)}", "print(nn.MultiMarginLoss()(x, torch.tensor([0])).item())"),
        ),
        Side(
            f"MultiMarginLoss()(x, y), C = {2 + k}",
            nn.MultiMarginLoss()(torch.tensor(xc, dtype=F64), y).item(),
            None,
            _program(f"x = {_tensor(xc)}", "print(nn.MultiMarginLoss()(x, torch.tensor([0])).item())"),
        ),
    )


# ---------------------------------------------------------------- CTC's infinity


def _ctc_infinity(frames: float) -> tuple[Side, Side]:
    """Target 'aa' (classes 1, 1): it needs 3 frames (a, blank, a)."""
    t = int(frames)
    g = torch.Generator().manual_seed(0)
    lp = torch.randn(t, 1, 3, generator=g, dtype=F64).log_softmax(-1)
    args = (lp, torch.tensor([[1, 1]]), torch.tensor([t]), torch.tensor([2]))
    setup = (
        f"log_probs = torch.randn({t}, 1, 3, generator=torch.Generator().manual_seed(0), "
        "dtype=torch.float64).log_softmax(-1)",
        f"args = (log_probs, torch.tensor([[1, 1]]), torch.tensor([{t}]), torch.tensor([2]))",
    )
    return (
        Side("CTCLoss()(…)", nn.CTCLoss()(*args).item(), None, _program(*setup, "print(nn.CTCLoss()(*args).item())")),
        Side(
            "CTCLoss(zero_infinity=True)(…)",
            nn.CTCLoss(zero_infinity=True)(*args).item(),
            None,
            _program(*setup, "print(nn.CTCLoss(zero_infinity=True)(*args).item())"),
        ),
    )


# ---------------------------------------------------------------- the lessons' numbers


def _num(x: float) -> str:
    return f"{x:.4g}"


def softmax_floor(classes: int = 3) -> float:
    """The least CrossEntropyLoss can give on probabilities: its input one-hot on the true class (the
    limit of softmax(z) as the logits grow), so log(e + C − 1) − 1."""
    onehot = torch.zeros(1, classes, dtype=F64)
    onehot[0, 0] = 1.0
    return nn.CrossEntropyLoss()(onehot, torch.tensor([0])).item()


def _softmax_numbers(scale: float, mistake: Side, fix: Side) -> dict[str, str]:
    assert mistake.grad is not None and fix.grad is not None  # both sides of this demo have one
    return {
        "floor": _num(softmax_floor()),
        "wrong": _num(mistake.loss),
        "right": _num(fix.loss),
        "ratio": f"{mistake.grad / fix.grad:.2f}",
    }


def _kl_mean_numbers(classes: float, mistake: Side, fix: Side) -> dict[str, str]:
    first = int(BY_KEY["kl_mean"].control.low)
    mean_first, kl_first = _kl_mean(first)
    return {
        "first": str(first),
        "kl_first": _num(kl_first.loss),
        "kl_here": _num(fix.loss),
        "mean_first": _num(mean_first.loss),
        "mean_here": _num(mistake.loss),
    }


def ctc_needs() -> dict[str, str]:
    """The frames the target 'aa' needs (core.ctc.min_frames: one per label, a blank between repeats)."""
    return {"need": str(ctc.min_frames([1, 1]))}


DEMOS: tuple[Demo, ...] = (
    Demo(
        "softmax_ce",
        "Softmax before CrossEntropyLoss",
        "CrossEntropyLoss applies log-softmax itself. Given probabilities, it squashes them a second time: "
        "however large the logits, the loss cannot fall below {floor} (here {wrong}, against {right} without "
        "the softmax), and its gradient is {ratio} times the right one's, fading to zero while the loss stays "
        "that high.",
        Float("scale", 2.0, low=0.5, high=10.0, step=0.5, help="Multiplies the logits (2, 1, 0.1)."),
        _softmax_first,
        _softmax_numbers,
        sides=MISTAKE_FIX,
    ),
    Demo(
        "kl_probabilities",
        "KLDivLoss given probabilities",
        "KLDivLoss expects log-probabilities as input. The article passes probabilities and gets a negative "
        "number, which no divergence can be; with log q and batchmean it is the KL divergence, ≥ 0 and 0 only "
        "when q = p.",
        Float(
            "mix",
            0.0,
            low=0.0,
            high=1.0,
            step=0.05,
            help="Moves the prediction q towards the target p (1: q = p).",
        ),
        _kl_probabilities,
        sides=MISTAKE_FIX,
    ),
    Demo(
        "kl_mean",
        "KLDivLoss: mean against batchmean",
        "'mean' divides the sum by every element, batch × classes; 'batchmean' by the batch only, so 'mean' is "
        "batchmean / C. Spread nearly the same distributions over more classes: the divergence (batchmean) "
        "moves little, {kl_first} at {first} classes and {kl_here} here, while 'mean' shrinks from "
        "{mean_first} to {mean_here}.",
        Int("classes", 3, low=3, high=20, step=1, help="The number of classes."),
        _kl_mean,
        _kl_mean_numbers,
        sides=MISTAKE_FIX,
    ),
    Demo(
        "bce_extreme",
        "BCELoss on a sigmoid at extreme logits",
        "BCELoss clamps log p at −100: beyond a logit of −100 its loss stops at 100. Its gradient fades long "
        "before, and the sigmoid is not the cause: BCELoss's backward divides by max(p(1 − p), 1e-12) instead "
        "of p(1 − p), so from a logit of {start} on the gradient falls away from −1, below 0.5 in size from "
        "{half} and below 0.001 from {milli}. BCEWithLogitsLoss fuses the two and stays exact: its gradient "
        "σ(x) − 1 tends to −1 and its loss to −x.",
        Float("logit", -120.0, low=-200.0, high=5.0, step=1.0, help="The logit x of a positive example."),
        _bce_extreme,
        lambda value, mistake, fix: compare.bce_fade(),
        sides=MISTAKE_FIX,
    ),
    Demo(
        "multilabel_padding",
        "MultiLabelMarginLoss reads up to the first -1",
        "The target lists class indices and ends at the first -1: written [0, -1, 2, -1], only class 0 is a "
        "target, and class 2 is pushed down like the other classes. MultiLabelSoftMarginLoss takes a multi-hot "
        "vector [1, 0, 1, 0] instead.",
        Float("score", 0.9, low=-1.0, high=2.0, step=0.05, help="The score of class 0."),
        _multilabel_padding,
        sides=MISTAKE_FIX,
    ),
    Demo(
        "beta_delta",
        "SmoothL1Loss(beta) is not HuberLoss(delta)",
        "With beta = delta, Huber = beta · SmoothL1 everywhere: inside the quadratic zone SmoothL1 divides by "
        "beta, outside Huber's slope is delta. Their gradients differ by the same factor.",
        Float("residual", 3.0, low=-5.0, high=5.0, step=0.1, help="The residual ŷ − y."),
        _beta_delta,
        sides=(("🔹", "SmoothL1Loss(beta=2)"), ("🔸", "HuberLoss(delta=2) = 2 × SmoothL1Loss(beta=2)")),
    ),
    Demo(
        "multi_margin_classes",
        "MultiMarginLoss divides by the number of classes",
        "The hinge terms are summed over the other classes and divided by C. Add classes that score far below "
        "and contribute nothing: the loss still shrinks, multiplied by 2 / C.",
        Int("extra", 2, low=0, high=18, step=1, help="Far-away classes added."),
        _multi_margin_classes,
        sides=(("🔹", "Two classes"), ("🔸", "Far-away classes added: the loss × 2 / C")),
    ),
    Demo(
        "ctc_infinity",
        "CTC goes infinite when T is too short",
        "The target 'aa' needs {need} frames: a, blank, a. With fewer there is no alignment and the loss is ∞; "
        "zero_infinity=True reports 0 (and a zero gradient) instead, which hides the problem.",
        Int("T", 2, low=1, high=6, step=1, help="The number of input frames."),
        _ctc_infinity,
        lambda value, mistake, fix: ctc_needs(),
        sides=(
            ("❗", "CTCLoss(): ∞ whenever T < {need}"),
            ("⚠️", "zero_infinity=True: for T < {need}, 0 instead of ∞, the problem hidden"),
        ),
    ),
)

BY_KEY = {demo.key: demo for demo in DEMOS}


def run(key: str, value) -> tuple[Side, Side]:
    demo = BY_KEY[key]
    return demo.run(demo.control.validate(value))
