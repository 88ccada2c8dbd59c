"""The CTC lab's texts (ui/views/ctc_lab.py, core/ctc_lab.py), each checked against torch.nn.CTCLoss or an
independent brute force over every class path (C^T paths, small T), over the lab's sources, blanks
and zero_infinity. The ui texts are literals passed to t(), copied here."""

from __future__ import annotations

import itertools
import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hst

from core import ctc, ctc_lab
from core.catalog import BY_KEY
from tests.claims import claim, plain

plain(
    "label",
    "CTC lab",
    "The lattice",
    "Emissions",
    "Forward α",
    "Backward β",
    "Occupancy γ",
    "time t",
    "state s",
    "best path",
    "alignment",
    "lattice",
    "valid alignments",
    "greedy decode",
    "−log p, from the lattice",
    "torch.nn.CTCLoss (sum)",
    "Gradient with respect to the logits",
    "A batch, padded and concatenated",
    "loss (padded)",
    "loss (concatenated)",
    "loss / S",
    "torch.nn.CTCLoss(reduction='{r}') on the batch",
    "The collapse rule",
    "Alignments ({n}), not listed",
    "Every alignment ({n})",
    "matches it",
    "differs from it",
)
plain(
    "message",
    "The lattice and torch agree: {ours} and {theirs}.",
    "The lattice and torch differ: {ours} and {theirs}.",
    "Largest difference: {d}.",
    "The default is shown instead.",
    "1 to 40 symbols from '{alphabet}' and '-' for the blank",
    "concatenated targets give {v}",
)
plain("definition", ctc_lab.FRAMES.help, ctc_lab.SEED.help, "A path, one symbol per frame; '-' is the blank.")

HEADER = (
    "CTC sums the probabilities of every alignment of the target to the input frames. The lattice "
    "below holds all of them: each path from the first frame (in the first blank or the first label) to "
    "the last frame (in the last label or the final blank) is one alignment. The loss and the gradient "
    "computed from the lattice are set beside torch.nn.CTCLoss's."
)
ALPHA = "log α(t, s): the log of the summed probability of every path over the frames up to t that is in state s at frame t."
BETA = (
    "log β(t, s): the log of the summed probability, over the frames after t, of every way to finish the "
    "target from state s."
)
GAMMA = "γ(t, s) = α·β / p: the share of the probability that passes through state s at time t. Each column sums to 1."
BLANK_CELLS = "Blank cells lie on no valid alignment."
EMISSIONS = "p_t(c): the probability of each class at each frame; the line is the best alignment."
INFEASIBLE = (
    "No alignment exists: the target {target} needs at least {need} frames (its {S} labels plus "
    "a blank between each pair of equal neighbours), and T = {T}. The lattice has no path from "
    "start to end, so −log p = ∞."
)
ZERO_INFINITY = (
    "torch.nn.CTCLoss returns ∞ here; with zero_infinity=True it returns 0 and a zero gradient instead (now: {value})."
)
NO_GRADIENT = (
    "With no alignment the loss is infinite and its gradient is not defined: torch gives NaN, "
    "or zeros with zero_infinity=True."
)
BATCH_CAPTION = (
    "reduction='mean' divides each sequence's loss by its target length S, then averages: "
    "the mean of the last column. Padded (N × S) and concatenated targets give the same losses."
)
VALUES = {p.name: p.default for p in ctc_lab.INPUTS}
# small lattices (C^T ≤ 6^6 paths): targets with repeats, blanks elsewhere than 0, both sources
SMALL = [
    ({"target": "cab", "T": 5}, 0),
    ({"target": "aa", "T": 5, "source": "random"}, 0),
    ({"target": "bee", "T": 6, "noise": 2.0}, 3),
    ({"target": "d", "T": 4, "sharpness": 0.0}, 5),
    ({"target": "abb", "T": 5, "seed": 4}, 1),
]


def collapse(path, blank):
    return [k for i, k in enumerate(path) if (i == 0 or k != path[i - 1]) and k != blank]


def states(path, blank):
    """The extended-target state of each frame of a valid path: 2k for a blank after k labels,
    2k − 1 for the k-th label."""
    out, k = [], 0
    for i, c in enumerate(path):
        if c == blank:
            out.append(2 * k)
        else:
            if i == 0 or c != path[i - 1]:
                k += 1
            out.append(2 * k - 1)
    return out


def brute(result):
    """Every class path that collapses to the target, with its probability and states."""
    lp, labels, blank = result.log_probs, result.emissions.labels, result.emissions.blank
    frames, classes = lp.shape
    table = lp.tolist()
    out = []
    for path in itertools.product(range(classes), repeat=frames):
        if collapse(list(path), blank) == labels:
            out.append((list(path), math.exp(sum(table[t][k] for t, k in enumerate(path))), states(path, blank)))
    return out


def lab(values, blank, zero_infinity=False):
    return ctc_lab.analyse({**VALUES, **values}, {"blank": blank, "reduction": "mean", "zero_infinity": zero_infinity})


@pytest.fixture(scope="module", params=range(len(SMALL)))
def small(request):
    values, blank = SMALL[request.param]
    result = lab(values, blank)
    return result, brute(result)


@claim(HEADER, "autograd through torch.nn.CTCLoss", "softmax − occupancy summed per class")
def test_lattice_loss_and_gradient_are_torchs_and_paths_run_first_frame_to_last(small):
    result, paths = small
    assert result.lattice.nll == pytest.approx(result.torch_nll, rel=1e-9)
    # the gradient from the lattice, against autograd through torch with logits of our own
    logits = result.emissions.logits.detach().clone().requires_grad_()
    loss = F.ctc_loss(
        logits.log_softmax(-1)[:, None],
        torch.tensor([result.emissions.labels]),
        torch.tensor([logits.shape[0]]),
        torch.tensor([len(result.emissions.labels)]),
        blank=result.emissions.blank,
        reduction="sum",
    )
    (grad,) = torch.autograd.grad(loss, logits)
    torch.testing.assert_close(result.grad_formula, grad, rtol=1e-7, atol=1e-10)
    torch.testing.assert_close(result.grad_autograd, grad)
    last = len(result.lattice.ext) - 1
    assert paths and all(s[0] in (0, 1) and s[-1] in (last - 1, last) for _, _, s in paths)
    assert math.fsum(p for _, p, _ in paths) == pytest.approx(math.exp(result.lattice.log_likelihood), rel=1e-9)


@claim(ALPHA, BETA, GAMMA, BLANK_CELLS)
def test_alpha_beta_gamma_and_the_blank_cells_by_brute_force(small):
    """α·β at (t, s) is the summed probability of the paths through s at t (and α alone that of the
    prefixes, checked at the last frame and at t = 0); γ is that share of p, each frame's column sums
    to 1; a cell is blank (not valid) iff no path passes through it."""
    result, paths = small
    lat = result.lattice
    frames, n = lat.log_alpha.shape
    through = torch.zeros(frames, n, dtype=torch.float64)
    for _, p, s in paths:
        through[torch.arange(frames), torch.tensor(s)] += p
    p = math.exp(lat.log_likelihood)
    torch.testing.assert_close(torch.exp(lat.log_alpha + lat.log_beta), through, rtol=1e-7, atol=1e-300)
    torch.testing.assert_close(lat.occupancy, through / p, rtol=1e-7, atol=1e-12)
    torch.testing.assert_close(lat.occupancy.sum(1), torch.ones(frames, dtype=torch.float64))
    assert torch.equal(lat.valid, through > 0)
    # α at t = 0: the first frame's emission in state 0 or 1, nothing elsewhere
    lp0 = result.log_probs[0, lat.ext].exp()
    expected0 = torch.where(torch.arange(n) < 2, lp0, torch.zeros(n, dtype=torch.float64))
    torch.testing.assert_close(lat.log_alpha[0].exp(), expected0)
    # α at the last frame in the two end states: the paths ending there (β = 1 there)
    for s in (n - 2, n - 1):
        ending = math.fsum(q for _, q, st in paths if st[-1] == s)
        assert math.exp(lat.log_alpha[-1, s]) == pytest.approx(ending, rel=1e-9, abs=1e-300)
        assert lat.log_beta[-1, s] == 0


@claim(
    EMISSIONS,
    "Target {target}; the greedy decode {verdict}; the best alignment has probability {p}.",
    "The most probable class of each frame, collapsed.",
)
def test_emissions_sum_to_1_the_best_path_is_the_most_probable_alignment_and_greedy_is_argmax_collapsed(small):
    result, paths = small
    torch.testing.assert_close(
        result.log_probs.exp().sum(-1), torch.ones(result.log_probs.shape[0], dtype=torch.float64)
    )
    best_path, best_p, best_states = max(paths, key=lambda item: item[1])
    assert math.exp(result.lattice.path_log_prob) == pytest.approx(best_p, rel=1e-9)
    assert result.lattice.path == best_states
    assert result.greedy == collapse(result.log_probs.argmax(-1).tolist(), result.emissions.blank)


@claim(
    "The {k} most probable of {n} alignments",
    "Too many (or none) to list; the lattice counts them exactly.",
    "The probabilities of all {n} alignments sum to {total}; the lattice gives p = {p}.",
)
def test_the_listed_alignments_are_all_of_them_best_first_and_the_count_is_exact(small):
    result, paths = small
    assert result.lattice.alignments == len(paths)
    listed = ctc_lab.enumeration(result)
    assert sorted(path for path, _ in listed) == sorted(path for path, _, _ in paths)
    probs = [math.exp(lp) for _, lp in listed]
    assert probs == sorted(probs, reverse=True)
    assert math.fsum(probs) == pytest.approx(math.exp(result.lattice.log_likelihood), rel=1e-9)
    # beyond the limit nothing is listed, but the count is still exact
    big = lab({"target": "abc", "T": 20}, 0)
    assert ctc_lab.enumeration(big) is None and big.lattice.alignments > ctc_lab.ENUMERATION_LIMIT
    assert big.lattice.alignments == sum(1 for _ in ctc.alignments(big.log_probs, big.emissions.labels, 0, 10**6))


@claim(INFEASIBLE, ZERO_INFINITY, NO_GRADIENT)
def test_too_few_frames_no_alignment_infinite_loss_nan_or_zero_gradient():
    for blank in (0, 2):
        for target in ("a", "aa", "aba", "abba", "eee", "cab"):
            labels = [ctc_lab.letter_classes(blank)[ctc_lab.ALPHABET.index(ch)] for ch in target]
            need = len(labels) + sum(a == b for a, b in itertools.pairwise(labels))
            for frames in range(max(1, need - 2), need + 2):
                result = lab({"target": target, "T": frames}, blank)
                assert result.min_frames == need
                assert result.feasible == (frames >= need) == (result.lattice.alignments > 0)
                if frames < need:
                    assert result.lattice.nll == math.inf and result.torch_nll == math.inf
                    assert torch.isnan(result.grad_autograd).all()
                    zeroed = lab({"target": target, "T": frames}, blank, zero_infinity=True)
                    assert zeroed.torch_nll == 0 and (zeroed.grad_autograd == 0).all()


@claim(
    "The article's example: random log-probabilities, T = 50, C = 20, N = 16, targets of length 10 to 29.",
    ctc_lab.SOURCE.help,
    ctc_lab.SEQUENCE.help,
)
def test_the_article_source_is_random_log_probabilities_of_those_sizes():
    args = BY_KEY["ctc"].preset("article").make().args
    frames, n, classes = args["log_probs"].shape
    assert (frames, n, classes) == (50, 16, 20) and args["input_lengths"].tolist() == [50] * 16
    lengths = args["target_lengths"]
    assert int(lengths.min()) >= 10 and int(lengths.max()) <= 29
    assert ctc_lab.SEQUENCE.high == n - 1
    for k in (0, 15):
        em = ctc_lab.emissions({**VALUES, "source": "article", "sequence": k}, 0)
        torch.testing.assert_close(em.logits.log_softmax(-1), args["log_probs"][:, k])
        assert len(em.labels) == int(lengths[k])


@claim(ctc_lab.NOISE.help, ctc_lab.SOURCE.help)
def test_sharpness_and_noise_do_what_their_help_says():
    for seed in (0, 3):
        for blank in (0, 5):
            values = {**VALUES, "target": "cab", "T": 8, "seed": seed}
            g = torch.Generator().manual_seed(seed)
            draw = torch.randn(8, ctc_lab.C, generator=g, dtype=torch.float64)
            # random: sharpness multiplies the random logits, 0 is uniform, the noise slider plays no part
            for k in (0.0, 2.5):
                for noise in (0.0, 2.0):
                    em = ctc_lab.emissions({**values, "source": "random", "sharpness": k, "noise": noise}, blank)
                    torch.testing.assert_close(em.logits, k * draw)
            # aligned: sharpness weighs the one-hot of an alignment, the noise is added apart
            zero = ctc_lab.emissions({**values, "sharpness": 0.0, "noise": 1.5}, blank).logits
            torch.testing.assert_close(zero, 1.5 * draw)
            clean = ctc_lab.emissions({**values, "sharpness": 1.0, "noise": 0.0}, blank)
            path = clean.logits.argmax(-1).tolist()
            assert collapse(path, blank) == clean.labels
            assert torch.equal(clean.logits, F.one_hot(torch.tensor(path), ctc_lab.C).double())


# every sharpness the slider offers (0 to 10 by 0.1), in order
SHARPNESS_GRID = [round(ctc_lab.SHARPNESS.low + i * ctc_lab.SHARPNESS.step, 10) for i in range(101)]
assert SHARPNESS_GRID[-1] == ctc_lab.SHARPNESS.high


def rises(a: torch.Tensor, b: torch.Tensor) -> bool:
    """b > a in every frame (a probability within 1e-12 of 1 may stay where it is: float64 has no room
    left to show the rise, e.g. 0.9999999999999999 twice)."""
    return bool(((b > a) | ((b >= a) & (a > 1 - 1e-12))).all())


@claim(ctc_lab.SHARPNESS.help)
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(
    target=hst.text(alphabet=ctc_lab.ALPHABET, min_size=1, max_size=ctc_lab.TARGET.length),
    frames=hst.integers(ctc_lab.FRAMES.low, ctc_lab.FRAMES.high),
    noise=hst.sampled_from([round(i * ctc_lab.NOISE.step, 10) for i in range(61)]),
    seed=hst.integers(ctc_lab.SEED.low, ctc_lab.SEED.high),
    blank=hst.integers(ctc_lab.BLANK.low, ctc_lab.BLANK.high),
)
def test_raising_sharpness_raises_the_aligned_class_or_each_frames_largest_probability(
    target, frames, noise, seed, blank
):
    values = {**VALUES, "target": target, "T": frames, "noise": noise, "seed": seed}
    every = torch.arange(frames)

    def probs(source, k):
        return ctc_lab.emissions({**values, "source": source, "sharpness": k}, blank).logits.softmax(-1)

    aligned = [probs("aligned", k) for k in SHARPNESS_GRID]
    on = torch.tensor(ctc_lab.aligned_path(ctc_lab.labels_of(target, blank), frames, blank))
    for a, b in itertools.pairwise(aligned):
        # aligned: the aligned class is more probable in every frame
        assert rises(a[every, on], b[every, on])
        # where another class is more probable than the aligned one, the frame's largest probability falls
        behind = (b > b[every, on].unsqueeze(1)).any(1)
        assert bool((b.max(1).values[behind] < a.max(1).values[behind]).all())
        # until the aligned class overtakes it: once it leads, it keeps the lead
        ahead = (a[every, on].unsqueeze(1) >= a).all(1)
        assert not bool((ahead & behind).any())
    # random: each frame's largest probability rises
    random = [probs("random", k) for k in SHARPNESS_GRID]
    for a, b in itertools.pairwise(random):
        assert rises(a.max(1).values, b.max(1).values)


def test_the_old_sentence_each_aligned_frame_gets_more_peaked_is_false_with_noise():
    """The help used to say that raising the sharpness makes each frame more peaked: with the lab's
    defaults (noise 1, seed 0), frame 1's largest probability first falls."""
    peaks = [
        ctc_lab.emissions({**VALUES, "sharpness": k}, 0).logits.softmax(-1).max(1).values[1] for k in SHARPNESS_GRID
    ]
    assert any(b < a for a, b in itertools.pairwise(peaks))


def test_chinese_names_the_occupancy_with_one_word():
    """The EN term 'occupancy' (γ) is 占用率 in every Chinese text (the CTCLoss page and the lab)."""
    from ui.kit.zh import ZH

    with_occupancy = {en: zh for en, zh in ZH.items() if "occupancy" in en.lower()}
    assert len(with_occupancy) >= 4
    for en, zh in with_occupancy.items():
        assert "占用率" in zh, en
    assert not [en for en, zh in ZH.items() if "占据" in zh]


@claim(ctc_lab.BATCH.help, ctc_lab.TARGET.help, BATCH_CAPTION)
def test_the_batch_holds_the_target_and_random_ones_and_mean_divides_by_S():
    for values, zero_infinity in (
        ({"N": 4}, False),
        ({"N": 6, "T": 3, "target": "aab"}, True),
        ({"N": 5, "T": 3, "target": "aab"}, False),
        ({"source": "article"}, False),
    ):
        for blank in (0, 3):
            params = {"blank": blank, "reduction": "mean", "zero_infinity": zero_infinity}
            merged = {**VALUES, **values}
            b = ctc_lab.batch(merged, params)
            if merged["source"] != "article":
                assert len(b.targets) == merged["N"]
                assert b.targets[0] == ctc_lab.labels_of(merged["target"], blank)
                assert all(blank not in t for t in b.targets)
            none = torch.tensor(b.padded["none"], dtype=torch.float64)
            lengths = torch.tensor([max(len(t), 1) for t in b.targets], dtype=torch.float64)
            mean = (none / lengths).mean().item()
            assert b.padded["mean"] == pytest.approx(mean, rel=1e-9) or (math.isinf(mean) and b.padded["mean"] == mean)
            assert b.padded["none"] == pytest.approx(b.concatenated["none"], rel=1e-12)
            for r in ("mean", "sum"):
                assert b.padded[r] == pytest.approx(b.concatenated[r], rel=1e-12) or b.padded[r] == b.concatenated[r]
