"""Sequence loss: CTC, on a short target over a five-letter alphabet and emissions that are
aligned to the target with a strength, plus seeded noise."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from core import ctc
from core.expr import N, Term, exp, log, reduced, total
from core.flags import Flag
from core.losses._common import number, reduce
from core.params import Bool, Choice, Int, Text
from core.presets import Draw, seeded
from core.spec import LossSpec, Preset, Sweep

ALPHABET = "abcde"
C = len(ALPHABET) + 1  # the letters and the blank
MAX_TARGET = 12
MAX_T = 30

BLANK = Int("blank", 0, low=0, high=C - 1, step=1, help="The class index of the blank symbol.")
REDUCTION = Choice(
    "reduction",
    "mean",
    choices=("none", "mean", "sum"),
    help="mean divides each sequence's loss by its target length, then averages.",
)
ZERO_INFINITY = Bool(
    "zero_infinity", False, help="Replace infinite losses (no valid alignment) and their gradients by zero."
)


def letter_classes(blank: int) -> list[int]:
    """The class index of each letter: the non-blank classes, in order."""
    return [k for k in range(C) if k != blank]


def labels_of(text: str, blank: int) -> list[int]:
    """The class indices of a validated target text."""
    classes = letter_classes(blank)
    return [classes[ALPHABET.index(ch)] for ch in text]


def aligned_path(labels: list[int], frames: int, blank: int) -> list[int]:
    """A valid alignment spread over `frames`: each label held for a stretch, a blank between
    repeats (when there are too few frames it is cut short, and no valid one exists)."""
    minimal = []
    for k, label in enumerate(labels):
        if k and label == labels[k - 1]:
            minimal.append(blank)
        minimal.append(label)
    return [minimal[t * len(minimal) // frames] for t in range(frames)]


def _build(cols, params):
    blank = params["blank"]
    texts, frames = cols["target"], cols["T"].tolist()
    n, t_max = len(texts), max(frames)
    # one alignment per distinct (target, T): a curve repeats one sample hundreds of times
    rows = {key: i for i, key in enumerate(dict.fromkeys(zip(texts, frames, strict=False)))}
    labels = {key: labels_of(key[0], blank) for key in rows}
    aligned = torch.zeros(t_max, len(rows), C, dtype=torch.float64)  # torch's (T, N, C) layout
    for (text, t_i), r in rows.items():
        aligned[torch.arange(t_i), r, torch.tensor(aligned_path(labels[text, t_i], t_i, blank))] = 1.0
    which = (
        torch.tensor([rows[key] for key in zip(texts, frames, strict=False)])
        if len(rows) > 1
        else torch.zeros(n, dtype=torch.long)
    )
    g = torch.Generator().manual_seed(cols["seed"])
    noise = torch.randn(t_max, 1, C, generator=g, dtype=torch.float64)
    logits = cols["strength"].reshape(1, n, 1) * aligned[:, which] + cols["noise"] * noise
    s_max = max(len(lab) for lab in labels.values())
    padded = torch.tensor([lab + [blank] * (s_max - len(lab)) for lab in labels.values()])
    lengths = torch.tensor([len(lab) for lab in labels.values()])
    return {
        "log_probs": logits.log_softmax(-1),
        "targets": padded[which],
        "input_lengths": cols["T"].clone(),
        "target_lengths": lengths[which],
    }


def _scratch(a, p):
    loss = ctc.batch_nll(a, p["blank"])
    if p["zero_infinity"]:
        loss = torch.where(torch.isinf(loss), torch.zeros_like(loss), loss)
    if p["reduction"] == "mean":
        return (loss / a["target_lengths"].clamp(min=1)).mean()
    return reduce(loss, p["reduction"])


def _label_text(labels: list[int], blank: int, classes: int) -> str:
    letters = letter_classes(blank)
    if classes == C:
        return "".join(ALPHABET[letters.index(k)] for k in labels)
    return ",".join(map(str, labels))


def _sequences(a):
    return ctc.sequences(a["targets"], a["target_lengths"].tolist())


def _terms(a, p):
    """−log p(target), p the sum of the forward variables α_T over the two end states (the last label and
    the final blank), each written e^{log α} from the forward algorithm's log α (factored as
    −(m + log(1 + e^{o − m})) when e^m would underflow)."""
    loss = _scratch(a, {**p, "reduction": "none"}).tolist()
    frames = a["input_lengths"].tolist()
    classes = a["log_probs"].shape[-1]
    out = []
    for n, labels in enumerate(_sequences(a)):
        text = _label_text(labels, p["blank"], classes)
        label = rf"T = {frames[n]},\ \text{{target }} \texttt{{{text}}}"
        ends = ctc.log_alpha(a["log_probs"][: frames[n], n], labels, p["blank"])[-1, -2:].tolist()
        high, low = max(ends), min(ends)
        if high == float("-inf"):  # no alignment: torch's ∞, which zero_infinity reports as 0
            name = r"-\log p = \infty \xrightarrow{\text{zero\_infinity}} \ell" if p["zero_infinity"] else r"-\log p"
            out.append(Term(None, loss[n], rf"{label},\ \text{{no alignment}}", name))
            continue
        if high < -700:  # e^high underflows a float: the same sum, factored
            log_p = N(high) + log(1 + exp(N(low) - N(high)))
        else:
            log_p = log(total([exp(N(e)) for e in ends]))
        out.append(Term(-log_p, loss[n], label, r"-\log(\alpha_T(S') + \alpha_T(S'-1))"))
    return out


def _reduce_line(a, p, none, value):
    if p["reduction"] == "mean":
        lengths = a["target_lengths"].clamp(min=1).tolist()
        parts = total([N(v) / N(s) for v, s in zip(none.reshape(-1).tolist(), lengths, strict=True)])
        return Term(parts / N(len(lengths)), value, name=r"\text{mean}")
    return reduced(p["reduction"], none, value)


def _flags(a, p):
    flags = []
    frames = a["input_lengths"].tolist()
    for n, labels in enumerate(_sequences(a)):
        need = ctc.min_frames(labels)
        if frames[n] < need:
            values = {"n": n, "T": frames[n], "need": need, "S": len(labels), "repeats": need - len(labels)}
            flags.append(Flag("ctc_infeasible", values))
    if flags and p["zero_infinity"]:
        flags.append(Flag("ctc_zeroed"))
    return flags


CTC = LossSpec(
    key="ctc",
    panels=("ctc_gradient",),
    title="CTCLoss",
    family="sequence",
    module=nn.CTCLoss,
    functional=F.ctc_loss,
    params=(REDUCTION, BLANK, ZERO_INFINITY),
    inputs=(
        Text(
            "target",
            "cab",
            choices=tuple(ALPHABET),
            length=MAX_TARGET,
            help=f"The target: letters from '{ALPHABET}'; the blank is not a letter.",
        ),
        Int("T", 8, low=1, high=MAX_T, step=1, help="The number of input frames T."),
        number(
            "strength",
            2.0,
            0.0,
            8.0,
            "How strongly the emissions favour one alignment of the target: the weight of its one-hot logits, to which the noise is added.",
        ),
    ),
    options=(
        number("noise", 1.0, 0.0, 3.0, "The scale of the seeded random noise on the emission logits."),
        Int("seed", 0, low=0, high=9999, step=1, help="The seed of the noise."),
    ),
    build=_build,
    wrt=("log_probs",),
    grad_note="Where an alignment exists, torch's gradient for log_probs is p − γ (the softmax minus the "
    "occupancy), scaled by the reduction: the gradient for the logits z of log_probs = log_softmax(z). With "
    "log_probs held free the derivative would be −γ. Without an alignment it is NaN, or 0 with zero_infinity=True.",
    batch_apart="This page draws the noise of a CTCLoss batch for the batch's longest T (one draw shared by all "
    "rows), and a row here is longer than the sliders' T: row 0's noise is not the sample's.",
    scratch=_scratch,
    terms=_terms,
    sweep=Sweep("strength", 0.0, 8.0, "alignment strength of the emissions", points=400),  # CTC backward is the cost
    formula=r"\ell = -\log \sum_{\pi \in \mathcal{B}^{-1}(y)} \prod_{t=1}^{T} p_t(\pi_t)",
    summary="Sums over every alignment of the target to the input frames (blanks and repeats collapse).",
    notice="The loss sums over every alignment. Without noise, stronger emissions along one alignment lower it steadily; with noise they lower it overall, though not at every step. It is infinite when T is too short for the target.",
    batch=(
        {"target": "cab", "T": 8, "strength": 2.0},
        {"target": "bee", "T": 6, "strength": 1.0},
        {"target": "ad", "T": 5, "strength": 3.0},
    ),
    presets=(
        Preset(
            "article",
            "Article example",
            make=seeded(
                0,
                log_probs=Draw("randn", (50, 16, 20), then="log_softmax"),
                targets=Draw("randint", (16, 30), 1, 20),
                input_lengths=Draw("full", (16,), high=50),
                target_lengths=Draw("randint", (16,), 10, 30),
            ),
            note="T = 50, C = 20, N = 16, padded targets with S = 30 and lengths in [10, 30), as in the article.",
        ),
        Preset(
            "infeasible",
            "T too short",
            values={"target": "aa", "T": 2},
            note="Fewer frames than the target needs: no alignment exists, the loss is ∞ and its gradient NaN.",
        ),
        Preset(
            "zero_infinity",
            "zero_infinity",
            values={"target": "aa", "T": 2},
            params={"zero_infinity": True},
            note="The same too-short input with zero_infinity=True: the loss reads 0 and the gradient is zero, "
            "which hides the problem.",
        ),
    ),
    reduce_line=_reduce_line,
    flags=_flags,
    pitfall="CTC is infinite when the input is too short for the target (T < target length + "
    "number of adjacent repeats); zero_infinity hides it.",
)
