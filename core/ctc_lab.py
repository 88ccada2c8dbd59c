"""The CTC lab's inputs and results: emissions for one target (aligned plus noise, random with a
sharpness, or the article's example), the lattice and both gradients, the enumeration for tiny
sizes, and a batch given padded and concatenated."""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from core import ctc
from core.catalog import BY_KEY
from core.losses.sequence import ALPHABET, C, aligned_path, labels_of, letter_classes
from core.params import Choice, Float, Int, LossValueError, Text

SOURCES = ("aligned", "random", "article")
ENUMERATION_LIMIT = 2_000  # alignments listed; more are counted, not listed

# The lab's own inputs, declared like the catalog's (and turned into widgets the same way).
TARGET = Text(
    "target",
    "cab",
    choices=tuple(ALPHABET),
    length=12,
    help=f"The target: letters from '{ALPHABET}'; the blank is a separate symbol.",
)
FRAMES = Int("T", 8, low=1, high=60, step=1, help="The number of input frames T.")
SOURCE = Choice(
    "source",
    "aligned",
    choices=SOURCES,
    help="aligned: an alignment of the target plus noise; random: random logits; article: "
    "the article's example (T = 50, C = 20, N = 16).",
)
SHARPNESS = Float(
    "sharpness",
    3.0,
    low=0.0,
    high=10.0,
    step=0.1,
    help="How peaked the emissions are. random: it multiplies the random logits, so 0 gives uniform emissions; "
    "aligned: it weighs the alignment's one-hot logits, the noise added apart (at 0 only the noise is left). "
    "Raising it makes the aligned class more probable in every frame (where the noise favoured another class, that "
    "frame's largest probability first falls, until the aligned class overtakes it); for random, it raises each "
    "frame's largest probability.",
)
NOISE = Float(
    "noise",
    1.0,
    low=0.0,
    high=3.0,
    step=0.05,
    help="The scale of the seeded random noise added to aligned emissions.",
)
SEED = Int("seed", 0, low=0, high=9999, step=1, help="The seed of the random numbers.")
SEQUENCE = Int("sequence", 0, low=0, high=15, step=1, help="Which of the article's 16 sequences to show.")
BATCH = Int("N", 4, low=1, high=8, step=1, help="Sequences in the batch (the target and random ones).")
BLANK = next(p for p in BY_KEY["ctc"].params if p.name == "blank")
REDUCTION = next(p for p in BY_KEY["ctc"].params if p.name == "reduction")
ZERO_INFINITY = next(p for p in BY_KEY["ctc"].params if p.name == "zero_infinity")
INPUTS = (TARGET, FRAMES, SOURCE, SHARPNESS, NOISE, SEED, SEQUENCE, BATCH)
PARAMS = (BLANK, REDUCTION, ZERO_INFINITY)


@dataclass(frozen=True)
class Emissions:
    logits: torch.Tensor  # (T, C) of the sequence shown
    labels: list[int]
    blank: int
    names: list[str]  # a display name per class: the letters, ∅ for the blank, or numbers


def class_names(classes: int, blank: int) -> list[str]:
    names = [str(c) for c in range(classes)]
    if classes == C:
        for letter, c in zip(ALPHABET, letter_classes(blank), strict=True):
            names[c] = letter
    names[blank] = "∅"
    return names


def emissions(values: dict, blank: int) -> Emissions:
    """The emission logits of the sequence the lab shows."""
    if values["source"] == "article":
        case = BY_KEY["ctc"].preset("article").exact().args
        n = values["sequence"]
        length = int(case["target_lengths"][n])
        logits = case["log_probs"][:, n]  # already log-probabilities; log_softmax leaves them as they are
        return Emissions(logits, case["targets"][n, :length].tolist(), 0, class_names(logits.shape[1], 0))
    labels = labels_of(values["target"], blank)
    return Emissions(_logits(labels, values, blank), labels, blank, class_names(C, blank))


def _logits(labels: list[int], values: dict, blank: int) -> torch.Tensor:
    frames = values["T"]
    g = torch.Generator().manual_seed(values["seed"])
    noise = torch.randn(frames, C, generator=g, dtype=torch.float64)
    if values["source"] == "random":
        return values["sharpness"] * noise
    aligned = torch.zeros(frames, C, dtype=torch.float64)
    aligned[torch.arange(frames), torch.tensor(aligned_path(labels, frames, blank))] = 1.0
    return values["sharpness"] * aligned + values["noise"] * noise


@dataclass(frozen=True)
class LabResult:
    emissions: Emissions
    log_probs: torch.Tensor  # (T, C)
    lattice: ctc.Lattice
    torch_nll: float  # torch.nn.CTCLoss, reduction='sum', on this one sequence
    grad_autograd: torch.Tensor  # d loss / d logits, (T, C)
    grad_formula: torch.Tensor  # softmax − occupancy per class
    greedy: list[int]
    min_frames: int

    @property
    def feasible(self) -> bool:
        return self.lattice.alignments > 0

    @property
    def grad_difference(self) -> float:
        both = torch.isfinite(self.grad_autograd) & torch.isfinite(self.grad_formula)
        return float((self.grad_autograd - self.grad_formula)[both].abs().max()) if both.any() else math.nan


def analyse(values: dict, params: dict) -> LabResult:
    """The lattice of the sequence shown, torch's loss and gradient for it, and the formula's gradient."""
    em = emissions(values, params["blank"])
    logits = em.logits.detach().clone().requires_grad_()
    log_probs = logits.log_softmax(-1)
    loss = F.ctc_loss(
        log_probs[:, None],
        torch.tensor([em.labels]),
        torch.tensor([logits.shape[0]]),
        torch.tensor([len(em.labels)]),
        blank=em.blank,
        reduction="sum",
        zero_infinity=params["zero_infinity"],
    )
    loss.backward()
    assert logits.grad is not None  # a leaf that requires grad, after backward
    lp = log_probs.detach()
    lat = ctc.lattice(lp, em.labels, em.blank)
    return LabResult(
        em,
        lp,
        lat,
        loss.item(),
        logits.grad,
        ctc.grad_logits(lp, lat),
        ctc.greedy_decode(lp, em.blank),
        ctc.min_frames(em.labels),
    )


def enumeration(result: LabResult) -> list[tuple[list[int], float]] | None:
    """Every valid alignment with its log-probability, best first, when there are few enough."""
    if not 0 < result.lattice.alignments <= ENUMERATION_LIMIT:
        return None
    paths = ctc.alignments(result.log_probs, result.emissions.labels, result.emissions.blank, ENUMERATION_LIMIT)
    return sorted(paths, key=lambda item: -item[1])


@dataclass(frozen=True)
class BatchResult:
    targets: list[list[int]]
    frames: list[int]
    padded: dict[str, float | list[float]]  # torch, per reduction, with (N, S) targets
    concatenated: dict[str, float | list[float]]  # torch, per reduction, with 1-D targets
    lattice_nll: list[float]  # ours, per sequence


def batch(values: dict, params: dict) -> BatchResult:
    """The article's 16 sequences, or the target and N − 1 random targets (seeded) of T frames each,
    given to torch both padded and concatenated."""
    if values["source"] == "article":
        case = BY_KEY["ctc"].preset("article").exact().args
        lengths = case["target_lengths"].tolist()
        return _batch(
            case["log_probs"],
            ctc.sequences(case["targets"], lengths),
            case["input_lengths"].tolist(),
            blank=0,
            zero_infinity=params["zero_infinity"],
        )
    blank = params["blank"]
    g = torch.Generator().manual_seed(values["seed"] + 1)
    first = labels_of(values["target"], blank)
    letters = letter_classes(blank)
    targets = [first]
    for _ in range(values["N"] - 1):
        length = int(torch.randint(1, len(first) + 2, (1,), generator=g))
        targets.append([letters[int(i)] for i in torch.randint(0, len(letters), (length,), generator=g)])
    log_probs = torch.stack([_logits(lab, values, blank) for lab in targets], dim=1).log_softmax(-1)
    return _batch(log_probs, targets, [values["T"]] * len(targets), blank, params["zero_infinity"])


def _batch(log_probs, targets, frames, blank, zero_infinity) -> BatchResult:
    lengths = torch.tensor([len(t) for t in targets])
    s_max = int(lengths.max())
    padded = torch.tensor([t + [blank] * (s_max - len(t)) for t in targets])
    flat = torch.tensor([k for t in targets for k in t])
    input_lengths = torch.tensor(frames)

    def torch_losses(tgt):
        return {
            r: F.ctc_loss(
                log_probs, tgt, input_lengths, lengths, blank=blank, reduction=r, zero_infinity=zero_infinity
            ).tolist()
            for r in ("none", "mean", "sum")
        }

    ours = ctc.batch_nll(
        {"log_probs": log_probs, "targets": padded, "input_lengths": input_lengths, "target_lengths": lengths}, blank
    )
    return BatchResult(targets, frames, torch_losses(padded), torch_losses(flat), ours.tolist())


def collapse_text(path: str, blank_symbol: str = "-") -> tuple[str, str]:
    """The collapse rule on a typed path ('-' is the blank): after merging repeats, after dropping blanks."""
    allowed = set(ALPHABET) | {blank_symbol}
    if not path or len(path) > 40 or any(ch not in allowed for ch in path):
        raise LossValueError(
            "path", path, "1 to 40 symbols from '{alphabet}' and '-' for the blank", {"alphabet": ALPHABET}
        )
    merged = "".join(ch for i, ch in enumerate(path) if i == 0 or ch != path[i - 1])
    return merged, merged.replace(blank_symbol, "")
