"""The CTC forward recursion by hand against torch: padded and concatenated targets, blanks at
other indices, repeats, and inputs too short for their target."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from core import ctc


def _case(seed, n=4, frames=9, classes=5, blank=0):
    g = torch.Generator().manual_seed(seed)
    log_probs = torch.randn(frames, n, classes, generator=g, dtype=torch.float64).log_softmax(-1)
    letters = [k for k in range(classes) if k != blank]
    lengths = torch.randint(1, 5, (n,), generator=g)
    labels = [[letters[int(i)] for i in torch.randint(0, len(letters), (int(s),), generator=g)] for s in lengths]
    return log_probs, labels, torch.randint(1, frames + 1, (n,), generator=g)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("blank", [0, 2, 4])
def test_padded_and_concatenated_targets_match_torch(seed, blank):
    log_probs, labels, frames = _case(seed, blank=blank)
    lengths = torch.tensor([len(x) for x in labels])
    padded = torch.tensor([x + [blank] * (4 - len(x)) for x in labels])
    flat = torch.tensor([k for x in labels for k in x])
    expected = F.ctc_loss(log_probs, padded, frames, lengths, blank=blank, reduction="none")
    for targets in (padded, flat):
        args = {"log_probs": log_probs, "targets": targets, "input_lengths": frames, "target_lengths": lengths}
        torch.testing.assert_close(ctc.batch_nll(args, blank), expected, rtol=1e-9, atol=1e-9)


def test_repeats_need_a_blank_between_them():
    assert ctc.min_frames([1, 1]) == 3 and ctc.min_frames([1, 2]) == 2 and ctc.min_frames([1, 1, 1]) == 5
    log_probs = torch.full((2, 3), 1 / 3, dtype=torch.float64).log()
    assert ctc.nll(log_probs, [1, 1], blank=0).item() == math.inf
    # with three frames exactly one path is valid: a, blank, a
    three = torch.full((3, 3), 1 / 3, dtype=torch.float64).log()
    assert ctc.nll(three, [1, 1], blank=0).item() == pytest.approx(3 * math.log(3))


def test_extended_target_has_blanks_around_every_label():
    assert ctc.extended([3, 1], blank=0) == [0, 3, 0, 1, 0]
    assert len(ctc.extended([1, 2, 3], blank=5)) == 2 * 3 + 1
