"""CTC by hand: the blank-extended target and the forward (alpha) recursion in log space, the
reference the catalog's CTCLoss entry is checked against."""

from __future__ import annotations

import torch


def extended(labels: list[int], blank: int) -> list[int]:
    """The target with a blank before, between and after its labels: length 2S + 1."""
    out = [blank]
    for label in labels:
        out += [label, blank]
    return out


def min_frames(labels: list[int]) -> int:
    """The shortest input that can emit `labels`: one frame each, plus a blank between repeats."""
    return len(labels) + sum(a == b for a, b in zip(labels, labels[1:], strict=False))


def log_alpha(log_probs: torch.Tensor, labels: list[int], blank: int) -> torch.Tensor:
    """alpha(t, s) = log of the total probability of the prefixes that end at extended[s] at time t.

    log_probs: (T, C) log-probabilities of one sequence. Returns (T, 2S + 1).
    """
    ext = extended(labels, blank)
    lp = log_probs[:, ext]
    n = len(ext)
    neg_inf = torch.tensor(float("-inf"), dtype=log_probs.dtype)
    # a label may skip the blank before it unless it repeats the label two places back
    can_skip = torch.tensor([s >= 2 and ext[s] != blank and ext[s] != ext[s - 2] for s in range(n)])
    alpha = torch.full((n,), float("-inf"), dtype=log_probs.dtype)
    alpha[0] = lp[0, 0]
    if n > 1:
        alpha[1] = lp[0, 1]
    rows = [alpha]
    for t in range(1, log_probs.shape[0]):
        stay = alpha
        step = torch.cat([neg_inf.reshape(1), alpha[:-1]])
        skip = torch.where(can_skip, torch.cat([neg_inf.expand(2), alpha[:-2]])[:n], neg_inf)
        alpha = torch.logsumexp(torch.stack([stay, step, skip]), dim=0) + lp[t]
        rows.append(alpha)
    return torch.stack(rows)


def nll(log_probs: torch.Tensor, labels: list[int], blank: int) -> torch.Tensor:
    """−log p(labels | input): the end of the lattice, on the last label or the final blank."""
    alpha = log_alpha(log_probs, labels, blank)[-1]
    return -torch.logsumexp(alpha[-2:], dim=0)


def batch_nll(args: dict, blank: int) -> torch.Tensor:
    """Per-sequence NLL for torch's CTC arguments (padded (N, S) or concatenated 1-D targets)."""
    log_probs, targets = args["log_probs"], args["targets"]
    input_lengths, target_lengths = args["input_lengths"].tolist(), args["target_lengths"].tolist()
    out, start = [], 0
    for n, (frames, length) in enumerate(zip(input_lengths, target_lengths, strict=False)):
        if targets.dim() == 2:
            labels = targets[n, :length].tolist()
        else:
            labels = targets[start : start + length].tolist()
            start += length
        out.append(nll(log_probs[:frames, n], labels, blank))
    return torch.stack(out)
