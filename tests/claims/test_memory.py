"""LinearCrossEntropyLoss's memory panel (ui/views/loss/memory.py): every sentence checked with torch,
over the settings the panel allows (its sliders, and the small sizes it measures at). The ui texts
are literals passed to t(), copied here."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from core import memory
from core.memory import Setting
from tests.claims import claim, plain
from ui.views.loss.memory import CONTROLS, HIDDEN, TOKENS, VOCAB

plain(
    "label",
    "Why it exists: the memory it saves",
    "Reference path (options=None): peak",
    "Chunked path (LinearCrossEntropyOptions()): peak",
    "tokens N",
    "bytes",
    "reference path",
    "chunked path",
    "the N × V logits",
    "N = d",
    "Measured on this server",
    "Measure",
    "path",
    "peak (profiler)",
    "peak (model)",
    "largest allocation",
    "CPU time (ms)",
)
plain("definition", *(p.help for p in CONTROLS))

REFERENCE = (
    "The N × V logits: {logits}. The reference path allocates four N × V tensors: the logits, their "
    "log-softmax and, in backward, the gradient of each."
)
CHUNK = "One chunk's logits, {rows} × V in {acc}: {chunk}; the gradients of x and W, computed in the forward pass."
CHUNKS = (
    "The chunked path computes the logits {rows} rows at a time ({chunks} chunks): it never holds the N × V logits."
)
ONE_CHUNK = "Here one chunk is all N = {n} rows: the chunked path holds the whole N × V logits."
RULE = "torch's rule: chunking is a win when N ≥ d and V > d. Here V = {v} > d = {d}: from N = {n} tokens on."
NO_RULE = "torch's rule: chunking is a win when N ≥ d and V > d. Here V = {v} ≤ d = {d}: at no N."
SAVES = (
    "By the bytes torch allocates, the chunked path's peak is below the reference path's from N = {n} tokens on "
    "(up to N = {high})."
)
NEVER = "By the bytes torch allocates, the chunked path's peak is not below the reference path's at N = {high}."
CHART = (
    "The peak bytes of one forward and backward (x and W themselves not counted), from the buffers torch's code "
    "allocates on CPU for index targets, reduction='mean' and no bias; both axes logarithmic."
)
SMALL = (
    "At a small size, the setting divided by {k}: N = {n}, V = {v}, d = {d}, {dtype}. torch's profiler "
    "(profile_memory=True) records every allocation of one forward and backward of each path."
)
AGREE = (
    "The two paths agree: their losses differ by {loss} and their gradients by {grad} (relative), below 1e-5 "
    "in float32."
)
BF16 = (
    "In bfloat16 the two paths' losses differ by {loss} and their gradients by {grad} (relative): the chunked "
    "path adds up its chunks' losses in bfloat16."
)

DTYPES = tuple(memory.DTYPES)
SLIDERS = [
    Setting(n, v, d, dtype) for n in TOKENS.choices for v in VOCAB.choices for d in HIDDEN.choices for dtype in DTYPES
]
HIGH = int(TOKENS.choices[-1])
# what the panel measures: every slider setting scaled down
MEASURED = sorted({memory.scaled(s)[0] for s in SLIDERS}, key=lambda s: (s.dtype, s.n, s.v, s.d))
# a few of them, and small settings of each regime (d ≠ V and N ≠ V: no gradient of x or W has N × V elements)
PROFILED = [Setting(256, 2048, 16, dt) for dt in DTYPES] + [
    Setting(n, v, d, dt) for n, v, d in ((512, 1024, 32), (64, 512, 1024), (300, 700, 50)) for dt in DTYPES
]


@pytest.fixture(autouse=True)
def _one_thread():
    """As the server runs torch (ui/kit/startup.py); two threads on a busy two-core machine spin."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _sizes(s: Setting, path: str, backward: bool = True) -> list[int]:
    return [r for r in memory.allocations(s, path, backward) if r > 0]


@claim(REFERENCE)
@pytest.mark.parametrize("s", PROFILED, ids=str)
def test_the_reference_path_allocates_four_n_by_v_tensors_two_in_forward(s):
    x, w, y = memory._tensors(s)
    assert memory.logits_bytes(s) == F.linear(x, w).nbytes == s.n * s.v * s.itemsize
    nv = memory.logits_bytes(s)
    assert _sizes(s, "reference").count(nv) == 4
    assert _sizes(s, "reference", backward=False).count(nv) == 2


@claim(CHUNK)
@pytest.mark.parametrize("s", PROFILED, ids=str)
def test_the_chunked_forward_allocates_one_chunks_logits_and_both_gradients(s):
    c = memory.chunking(s)
    acc = memory.DTYPES[c.acc_dtype].itemsize
    forward = _sizes(s, "chunked", backward=False)
    assert c.rows * s.v * acc in forward  # one chunk's logits, in the accumulation dtype
    assert s.n * s.d * acc in forward and s.v * s.d * s.itemsize in forward  # the gradients of x and W
    chunk = next(p for p in memory.chunked(s).parts if p.shape == "B × V")
    assert chunk.bytes == c.rows * s.v * acc


@claim(CHUNKS)
def test_the_chunked_path_never_holds_the_n_by_v_logits_and_loops_over_its_chunks():
    shown = [s for s in [*PROFILED, Setting(1024, 1024, 32, "bfloat16")] if memory.chunking(s).rows < s.n]
    assert len(shown) >= len(PROFILED) - 1
    for s in shown:
        c = memory.chunking(s)
        assert c.chunks == math.ceil(s.n / c.rows)
        # nothing as large as the N × V logits in float32 (the accumulation dtype) is allocated, but
        # what has d columns: the gradients of x and W (and their copies into .grad), a chunk's rows of W
        wide = {rows * s.d * size for rows in (s.n, s.v, c.rows) for size in (4, s.itemsize)}
        assert all(size < s.n * s.v * 4 or size in wide for size in _sizes(s, "chunked"))
    # the loop runs `chunks` times: float32 gathers W's target rows once a chunk (B × d)
    s = Setting(1024, 2048, 48, "float32")
    c = memory.chunking(s)
    assert _sizes(s, "chunked", backward=False).count(c.rows * s.d * 4) == c.chunks
    # on every slider setting shown with this sentence, B < N
    assert all(memory.chunking(s).rows < s.n for s in SLIDERS if s.v > s.d or s.dtype == "float32")


@claim(ONE_CHUNK)
def test_with_v_at_most_d_in_bfloat16_one_chunk_holds_all_the_logits():
    for s in (Setting(64, 128, 128, "bfloat16"), Setting(100, 50, 64, "bfloat16")):
        c = memory.chunking(s)
        assert c.rows == s.n and c.chunks == 1
        assert s.n * s.v * 4 in _sizes(s, "chunked", backward=False)
    shown = [s for s in SLIDERS if memory.chunking(s).rows >= s.n]
    assert shown and all(s.dtype == "bfloat16" and s.v <= s.d for s in shown)


@claim(RULE, NO_RULE)
def test_torchs_rule_is_its_docstrings_and_the_threshold_is_d():
    doc = " ".join(torch.nn.LinearCrossEntropyOptions.__doc__.split())
    assert "Chunking is a win when ``num_batches >= in_features`` and ``num_classes > in_features``" in doc
    for v in VOCAB.choices:
        for d in HIDDEN.choices:
            threshold = memory.rule_threshold(v, d)
            wins = [n for n in range(1, 3 * d) if memory.rule_wins(n, v, d)]
            if v > d:
                assert threshold == d == wins[0] and wins == list(range(d, 3 * d))
            else:
                assert threshold is None and not wins


@claim(SAVES, NEVER)
def test_the_byte_threshold_is_where_the_models_peaks_cross_for_every_slider_setting():
    for v in VOCAB.choices:
        for d in HIDDEN.choices:
            for dtype in DTYPES:
                n = memory.bytes_threshold(v, d, dtype, HIGH)
                if n is None:
                    assert not memory.saves(Setting(HIGH, v, d, dtype))
                    continue
                assert not memory.saves(Setting(n - 1, v, d, dtype)) if n > 1 else True
                # from n on, one N at a time with torch's own chunk rows: the next 64, every power of two,
                # and each N where the rows double (q·2^j + 1, q = ceil(V / d)) and the one before it
                q = -(-v // d)
                later = [*range(n, min(n + 64, HIGH + 1)), *(2**k for k in range(21))]
                later += [q * 2**j + e for j in range(21) for e in (0, 1)]
                later = [m for m in later if n <= m <= HIGH]
                assert all(memory.saves(Setting(m, v, d, dtype)) for m in later), (v, d, dtype, n)


@claim(CHART, SAVES, NEVER)
@pytest.mark.parametrize("s", PROFILED, ids=str)
def test_the_modelled_peaks_are_what_torchs_profiler_records(s):
    """The tensors exist before the profiler starts: x and W are not counted. bfloat16's CPU matmuls
    add oneDNN scratch (0.05 to 5 MB) the model leaves out."""
    for path in ("reference", "chunked"):
        measured = memory.peak_of(memory.allocations(s, path))
        model = memory.footprint(s, path).peak
        slack = 1e-3 * model + 4096 if s.dtype == "float32" else 2e-2 * model + (2 << 20)
        assert abs(measured - model) <= slack, (path, measured, model)


@claim(SMALL)
def test_the_measurement_is_the_setting_scaled_down_and_the_profilers_peak():
    for s in SLIDERS[::7]:
        small, k = memory.scaled(s)
        assert (small.n, small.v, small.d, small.dtype) == (
            max(1, s.n // k),
            max(1, s.v // k),
            max(1, s.d // k),
            s.dtype,
        )
    s = PROFILED[0]
    m = memory.measure(s)
    assert m.setting == s and m.chunked.peak == memory.peak_of(memory.allocations(s, "chunked"))


def _gaps(s: Setting) -> tuple[float, float]:
    """The loss and gradient gaps, as core.memory.measure computes them, without the profiler."""
    out = {}
    for path in ("reference", "chunked"):
        x, w, y = memory._tensors(s)
        loss = F.linear_cross_entropy(x, w, y, options=memory._options(path))
        loss.backward()
        out[path] = (loss.detach(), x.grad, w.grad)
    (l0, gx0, gw0), (l1, gx1, gw1) = out["reference"], out["chunked"]
    return memory._gap(l1, l0), max(memory._gap(gx1, gx0), memory._gap(gw1, gw0))


@claim(AGREE)
def test_in_float32_the_paths_agree_below_1e_5_at_every_measured_size():
    """The losses' largest gap is about 1e-6 (1.1e-6 at N = 1024, V = 256, d = 1), the gradients' 6e-6."""
    worst = [0.0, 0.0]
    for s in (s for s in MEASURED if s.dtype == "float32"):
        loss, grad = _gaps(s)
        worst = [max(worst[0], loss), max(worst[1], grad)]
    assert worst[0] < 1e-5 and worst[1] < 1e-5, worst
    m = memory.measure(PROFILED[0])
    assert (m.loss_gap, m.grad_gap) == pytest.approx(_gaps(PROFILED[0]), rel=0.5, abs=1e-9)


def _chunked_loss_summed_in(s: Setting, dtype: torch.dtype) -> torch.Tensor:
    """torch's chunked loss (mean), each chunk's terms in float32 as its loop computes them, added up
    in `dtype`."""
    x, w, y = memory._tensors(s)
    rows = memory.chunking(s).rows
    weight = torch.full((s.n,), -1.0 / s.n)  # neg_weight_target: -1 / N for reduction='mean'
    out = torch.zeros((), dtype=dtype)
    for start in range(0, s.n, rows):
        z = x[start : start + rows].detach().float() @ w.detach().float().T
        z = z - z.amax(1, keepdim=True)
        chunk = weight[start : start + rows]
        out.add_(chunk.dot(z.gather(1, y[start : start + rows, None]).squeeze(1)))
        out.sub_(chunk.dot(z.exp().sum(1).log()))
    return out


@claim(BF16)
def test_in_bfloat16_the_chunked_path_adds_its_chunks_losses_in_bfloat16():
    for s in [s for s in MEASURED if s.dtype == "bfloat16"][::5]:
        x, w, y = memory._tensors(s)
        torchs = F.linear_cross_entropy(x, w, y, options=torch.nn.LinearCrossEntropyOptions())
        assert torchs.item() == _chunked_loss_summed_in(s, torch.bfloat16).item(), s
        # summed in float32 instead, the same chunks give the exact loss (of the bfloat16 x and W)
        exact = F.cross_entropy(x.detach().double() @ w.detach().double().T, y).item()
        assert _chunked_loss_summed_in(s, torch.float32).item() == pytest.approx(exact, rel=1e-5)
