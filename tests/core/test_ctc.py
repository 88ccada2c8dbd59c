"""The CTC forward recursion by hand against torch: padded and concatenated targets, blanks at
other indices, repeats, and inputs too short for their target."""

from __future__ import annotations

import itertools
import math

import pytest
import torch
import torch.nn.functional as F

from core import ctc


def enumerate_alignments(log_probs: torch.Tensor, labels: list[int], blank: int) -> list[tuple[list[int], float]]:
    """Every path of classes over the T frames that collapses to `labels`, with its log-probability.

    Brute force over C^T paths: only for tiny sizes (the tests and the page keep C^T ≤ 10^6)."""
    frames, classes = log_probs.shape
    if classes**frames > 1_000_000:
        raise ValueError(f"{classes}^{frames} paths are too many to enumerate")
    table = log_probs.tolist()
    return [
        (list(path), sum(table[t][k] for t, k in enumerate(path)))
        for path in itertools.product(range(classes), repeat=frames)
        if ctc.collapse(list(path), blank) == labels
    ]


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


# ---------------------------------------------------------------- the lattice

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@st.composite
def ctc_cases(draw, max_frames=12, max_classes=6):
    """Random emissions, a target with repeats allowed, the blank anywhere."""
    classes = draw(st.integers(2, max_classes))
    blank = draw(st.integers(0, classes - 1))
    letters = [k for k in range(classes) if k != blank]
    labels = draw(st.lists(st.sampled_from(letters), min_size=1, max_size=6))
    frames = draw(st.integers(1, max_frames))
    seed = draw(st.integers(0, 2**16))
    scale = draw(st.sampled_from([0.1, 1.0, 4.0]))
    g = torch.Generator().manual_seed(seed)
    logits = scale * torch.randn(frames, classes, generator=g, dtype=torch.float64)
    return logits, labels, blank


def _torch_nll(logits, labels, blank, zero_infinity=False):
    return F.ctc_loss(
        logits.log_softmax(-1)[:, None],
        torch.tensor([labels]),
        torch.tensor([logits.shape[0]]),
        torch.tensor([len(labels)]),
        blank=blank,
        reduction="sum",
        zero_infinity=zero_infinity,
    )


@settings(max_examples=150)
@given(ctc_cases())
def test_lattice_nll_equals_torch(case):
    logits, labels, blank = case
    lat = ctc.lattice(logits.log_softmax(-1), labels, blank)
    expected = _torch_nll(logits, labels, blank).item()
    assert lat.nll == pytest.approx(expected, rel=1e-9, abs=1e-9) or (math.isinf(lat.nll) and math.isinf(expected))
    feasible = logits.shape[0] >= ctc.min_frames(labels)
    assert math.isfinite(lat.nll) == feasible == (lat.alignments > 0)
    if not feasible:
        assert _torch_nll(logits, labels, blank, zero_infinity=True).item() == 0.0


@settings(max_examples=100)
@given(ctc_cases())
def test_occupancy_gradient_equals_autograd_and_occupancies_sum_to_one(case):
    logits, labels, blank = case
    if logits.shape[0] < ctc.min_frames(labels):
        return
    log_probs = logits.log_softmax(-1)
    lat = ctc.lattice(log_probs, labels, blank)
    torch.testing.assert_close(lat.occupancy.sum(1), torch.ones(logits.shape[0], dtype=torch.float64))
    z = logits.clone().requires_grad_()
    _torch_nll(z, labels, blank).backward()
    torch.testing.assert_close(ctc.grad_logits(log_probs, lat), z.grad, rtol=1e-7, atol=1e-9)


@settings(max_examples=100)
@given(ctc_cases(max_frames=6, max_classes=4))
def test_viterbi_and_count_against_the_enumeration(case):
    logits, labels, blank = case
    log_probs = logits.log_softmax(-1)
    lat = ctc.lattice(log_probs, labels, blank)
    paths = enumerate_alignments(log_probs, labels, blank)
    assert lat.alignments == len(paths)
    if not paths:
        assert lat.path == [] and lat.path_log_prob == -math.inf
        return
    total = torch.logsumexp(torch.tensor([lp for _, lp in paths], dtype=torch.float64), 0).item()
    assert total == pytest.approx(lat.log_likelihood, rel=1e-9)
    classes = [lat.ext[s] for s in lat.path]
    assert ctc.collapse(classes, blank) == labels
    assert all(b - a in (0, 1, 2) for a, b in zip(lat.path, lat.path[1:], strict=False))
    assert lat.path[0] in (0, 1) and lat.path[-1] >= len(lat.ext) - 2
    assert lat.path_log_prob == pytest.approx(max(lp for _, lp in paths), rel=1e-9)
    assert lat.path_log_prob == pytest.approx(sum(log_probs[t, k].item() for t, k in enumerate(classes)), rel=1e-9)
    walked = ctc.alignments(log_probs, labels, blank, limit=10**6)
    assert sorted(p for p, _ in walked) == sorted(p for p, _ in paths)
    assert sorted(lp for _, lp in walked) == pytest.approx(sorted(lp for _, lp in paths), rel=1e-12)


def test_collapse_merges_repeats_then_drops_blanks():
    assert ctc.collapse([1, 1, 0, 1, 2, 2, 0], blank=0) == [1, 1, 2]
    assert ctc.collapse([0, 0, 0], blank=0) == []
    assert ctc.collapse([3, 3, 3], blank=0) == [3]


def test_counts_for_a_known_case():
    # "a" in 2 frames: a a, blank a, a blank
    assert ctc.count_alignments(2, [1], blank=0) == 3
    assert ctc.count_alignments(2, [1, 1], blank=0) == 0
    assert ctc.count_alignments(200, list(range(1, 31)), blank=0) > 10**40  # exact, beyond float's integers


def test_valid_region_is_empty_when_infeasible():
    lat = ctc.lattice(torch.full((2, 3), 1 / 3, dtype=torch.float64).log(), [1, 1], blank=0)
    assert not lat.valid.any() and lat.alignments == 0 and lat.nll == math.inf
    assert torch.equal(lat.occupancy, torch.zeros(2, 5, dtype=torch.float64))
