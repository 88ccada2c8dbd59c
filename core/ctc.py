"""CTC by hand, in log space and float64: the blank-extended target, the forward (alpha) and
backward (beta) variables over time × extended target, the occupancies, the best path, the
number of valid alignments, and the gradient with respect to the logits from the occupancies.

Conventions: `log_probs` is (T, C) for one sequence; the extended target has S' = 2S + 1 states
(a blank before, between and after the labels). alpha(t, s) includes the emission at t,
beta(t, s) covers the frames after t, so alpha · beta / p is the occupancy of state s at time t.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import torch
import torch.nn.functional as F

NEG_INF = float("-inf")


def extended(labels: list[int], blank: int) -> list[int]:
    """The target with a blank before, between and after its labels: length 2S + 1."""
    out = [blank]
    for label in labels:
        out += [label, blank]
    return out


def min_frames(labels: list[int]) -> int:
    """The shortest input that can emit `labels`: one frame each, plus a blank between repeats."""
    return len(labels) + sum(a == b for a, b in zip(labels, labels[1:], strict=False))


def collapse(path: list[int], blank: int) -> list[int]:
    """CTC's many-to-one map: merge adjacent repeats, then drop the blanks."""
    merged = [k for i, k in enumerate(path) if i == 0 or k != path[i - 1]]
    return [k for k in merged if k != blank]


def can_skip(ext: list[int], blank: int) -> list[bool]:
    """State s may be entered from s − 2 (skipping a blank) unless it is a blank or repeats s − 2."""
    return [s >= 2 and ext[s] != blank and ext[s] != ext[s - 2] for s in range(len(ext))]


def _fill(mask: list[bool], dtype) -> torch.Tensor:
    """0 where allowed, −inf where not: added to log values to mask a transition."""
    return torch.tensor([0.0 if m else NEG_INF for m in mask], dtype=dtype)


def log_alpha(log_probs: torch.Tensor, labels: list[int], blank: int) -> torch.Tensor:
    """alpha(t, s): log of the total probability of the prefixes of length t + 1 ending in state s."""
    ext = extended(labels, blank)
    lp = log_probs[:, ext]
    frames, n = lp.shape
    skip = _fill(can_skip(ext, blank), lp.dtype)
    out = torch.full((frames, n + 2), NEG_INF, dtype=lp.dtype)  # two leading columns of −inf
    out[0, 2 : 2 + min(n, 2)] = lp[0, : min(n, 2)]
    for t in range(1, frames):
        prev = out[t - 1]
        total = torch.logaddexp(torch.logaddexp(prev[2:], prev[1:-1]), prev[:-2] + skip)
        out[t, 2:] = total + lp[t]
    return out[:, 2:]


def log_beta(log_probs: torch.Tensor, labels: list[int], blank: int) -> torch.Tensor:
    """beta(t, s): log of the total probability of the frames after t, from state s to the end."""
    ext = extended(labels, blank)
    lp = log_probs[:, ext]
    frames, n = lp.shape
    skip_from = _fill([s + 2 < n and can_skip(ext, blank)[s + 2] for s in range(n)], lp.dtype)
    out = torch.full((frames, n), NEG_INF, dtype=lp.dtype)
    out[frames - 1, max(0, n - 2) :] = 0.0  # end on the last label or the final blank
    ahead = torch.full((n + 2,), NEG_INF, dtype=lp.dtype)  # beta + emission at t + 1, padded
    for t in range(frames - 2, -1, -1):
        ahead[:n] = out[t + 1] + lp[t + 1]
        out[t] = torch.logaddexp(torch.logaddexp(ahead[:n], ahead[1 : n + 1]), ahead[2:] + skip_from)
    return out


def best_path(log_probs: torch.Tensor, labels: list[int], blank: int) -> tuple[list[int], float]:
    """Viterbi: the most probable valid alignment, as a state index per frame, and its log-probability."""
    ext = extended(labels, blank)
    lp = log_probs[:, ext]
    frames, n = lp.shape
    skip = _fill(can_skip(ext, blank), lp.dtype)
    score = torch.full((frames, n + 2), NEG_INF, dtype=lp.dtype)
    score[0, 2 : 2 + min(n, 2)] = lp[0, : min(n, 2)]
    moves = torch.zeros((frames, n), dtype=torch.long)  # 0: stay, 1: from s − 1, 2: from s − 2
    for t in range(1, frames):
        prev = score[t - 1]
        best, moves[t] = torch.stack([prev[2:], prev[1:-1], prev[:-2] + skip]).max(0)
        score[t, 2:] = best + lp[t]
    last = score[frames - 1, 2:]
    ends = list(range(max(0, n - 2), n))
    s = max(ends, key=lambda k: float(last[k]))
    log_prob = float(last[s])
    if log_prob == NEG_INF:
        return [], NEG_INF
    steps = moves.tolist()
    path = [s]
    for t in range(frames - 1, 0, -1):
        s -= steps[t][s]
        path.append(s)
    return path[::-1], log_prob


def count_alignments(frames: int, labels: list[int], blank: int) -> int:
    """The exact number of valid alignments of `labels` to `frames` frames (Python integers)."""
    ext = extended(labels, blank)
    n, skip = len(ext), can_skip(ext, blank)
    count = [1 if s < 2 else 0 for s in range(n)]
    for _ in range(1, frames):
        count = [count[s] + (count[s - 1] if s else 0) + (count[s - 2] if skip[s] else 0) for s in range(n)]
    return sum(count[max(0, n - 2) :])


def alignments(log_probs: torch.Tensor, labels: list[int], blank: int, limit: int) -> list[tuple[list[int], float]]:
    """The valid alignments, walked through the lattice (states that can still reach the end only),
    with their log-probabilities; at most `limit` of them."""
    ext = extended(labels, blank)
    frames, n, skip = log_probs.shape[0], len(ext), can_skip(ext, blank)
    table = log_probs.tolist()
    # ahead[t][s]: can state s at time t still end the target in time?
    ahead = [[False] * n for _ in range(frames)]
    ahead[frames - 1] = [s >= n - 2 for s in range(n)]
    for t in range(frames - 2, -1, -1):
        ahead[t] = [any(ahead[t + 1][s2] for s2 in _next_states(s, n, skip)) for s in range(n)]
    out: list[tuple[list[int], float]] = []
    stack = [([s], table[0][ext[s]]) for s in range(min(n, 2)) if ahead[0][s]]
    while stack and len(out) < limit:
        states, log_prob = stack.pop()
        t = len(states)
        if t == frames:
            out.append(([ext[s] for s in states], log_prob))
            continue
        for s2 in _next_states(states[-1], n, skip):
            if ahead[t][s2]:
                stack.append((states + [s2], log_prob + table[t][ext[s2]]))
    return out


def _next_states(s: int, n: int, skip: list[bool]) -> list[int]:
    return [s2 for s2 in (s, s + 1, s + 2) if s2 < n and (s2 - s < 2 or skip[s2])]


@dataclass(frozen=True)
class Lattice:
    """Everything the CTC lab shows for one sequence."""

    ext: list[int]  # the extended target's classes
    log_alpha: torch.Tensor  # (T, 2S + 1)
    log_beta: torch.Tensor  # (T, 2S + 1)
    log_likelihood: float  # log p(target | input); −inf when no alignment exists
    occupancy: torch.Tensor  # (T, 2S + 1): P(state s at time t | target); zeros when infeasible
    path: list[int]  # the best alignment, as a state per frame ([] when infeasible)
    path_log_prob: float
    alignments: int

    @property
    def nll(self) -> float:
        return -self.log_likelihood

    @property
    def valid(self) -> torch.Tensor:
        """The states that lie on at least one valid alignment."""
        return torch.isfinite(self.log_alpha + self.log_beta)


def lattice(log_probs: torch.Tensor, labels: list[int], blank: int) -> Lattice:
    alpha = log_alpha(log_probs, labels, blank)
    beta = log_beta(log_probs, labels, blank)
    log_p = float(torch.logsumexp(alpha[-1, -2:], dim=0))
    if log_p == NEG_INF:
        occupancy = torch.zeros_like(alpha)
    else:
        occupancy = torch.exp(alpha + beta - log_p)
    path, path_log_prob = best_path(log_probs, labels, blank)
    return Lattice(
        extended(labels, blank),
        alpha,
        beta,
        log_p,
        occupancy,
        path,
        path_log_prob,
        count_alignments(log_probs.shape[0], labels, blank),
    )


def grad_logits(log_probs: torch.Tensor, lat: Lattice) -> torch.Tensor:
    """d(−log p)/d(logits) when log_probs = log_softmax(logits): softmax minus the occupancy
    summed over the states of each class."""
    per_class = torch.zeros_like(log_probs).index_add_(1, torch.tensor(lat.ext), lat.occupancy)
    return torch.exp(log_probs) - per_class


def nll(log_probs: torch.Tensor, labels: list[int], blank: int) -> torch.Tensor:
    """−log p(labels | input): the end of the lattice, on the last label or the final blank."""
    alpha = log_alpha(log_probs, labels, blank)[-1]
    return -torch.logsumexp(alpha[-2:], dim=0)


def greedy_decode(log_probs: torch.Tensor, blank: int) -> list[int]:
    """The most probable class at each frame, collapsed."""
    return collapse(log_probs.argmax(-1).tolist(), blank)


def sequences(targets: torch.Tensor, target_lengths: list[int]) -> list[list[int]]:
    """Each sequence's labels from padded (N, S) or concatenated 1-D targets."""
    if targets.dim() == 2:
        return [targets[n, :length].tolist() for n, length in enumerate(target_lengths)]
    starts = [0, *itertools.accumulate(target_lengths)]
    return [targets[a:b].tolist() for a, b in itertools.pairwise(starts)]


def batch_nll(args: dict, blank: int) -> torch.Tensor:
    """Per-sequence NLL for torch's CTC arguments (padded (N, S) or concatenated 1-D targets)."""
    frames = args["input_lengths"].tolist()
    labels = sequences(args["targets"], args["target_lengths"].tolist())
    return torch.stack([nll(args["log_probs"][: frames[n], n], lab, blank) for n, lab in enumerate(labels)])


def logit_gradient(args: dict, blank: int, reduction: str, zero_infinity: bool) -> torch.Tensor:
    """∂loss/∂z by autograd, z the logits of torch's CTC arguments (`log_probs` = log_softmax(z); the
    log-probabilities are logits of themselves, log_softmax leaves them unchanged), for the loss under
    `reduction` (the sum of the losses for 'none'). This is p_t(c) − γ_t(c), scaled by the reduction,
    where γ_t(c) is the occupancy of class c at frame t; the derivative with respect to log p_t(c)
    itself would be −γ_t(c). (torch's CTC backward returns the former as the gradient of its
    log_probs argument: it assumes they come from a log_softmax.)"""
    z = args["log_probs"].detach().clone().requires_grad_()
    loss = F.ctc_loss(
        z.log_softmax(-1),
        args["targets"],
        args["input_lengths"],
        args["target_lengths"],
        blank=blank,
        reduction=reduction,
        zero_infinity=zero_infinity,
    )
    (grad,) = torch.autograd.grad(loss.sum(), z)
    return grad
