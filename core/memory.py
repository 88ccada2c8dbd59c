"""Why LinearCrossEntropyLoss exists: the memory of its two paths, modelled from torch's code and
measured with torch's profiler.

`F.linear_cross_entropy(input, W, target, options=None)` (the reference path) is
`cross_entropy(linear(input, W), target)`: it allocates the N × V logits, their log-softmax (saved for
backward) and, in backward, two N × V gradients. With `options=LinearCrossEntropyOptions()` (the
chunked path, torch/nn/modules/linear_cross_entropy.py) it computes the loss and the gradients in
forward, B rows of the logits at a time; B comes from torch's own `LinearCrossEntropyOptions._adjust`
("auto" resolves per device and dtype: on CPU float32 "compact" with "aspect_ratio:2", bfloat16
"accurate" with "aspect_ratio" and float32 accumulation).

`footprint` lists the buffers each path allocates during one forward and backward (index targets,
reduction='mean', no bias, x and W leaves that require grad, on CPU) and their peak; `measure` runs
both paths under torch's profiler (`profile_memory=True`) at a small size and reports the peak, the
largest single allocation, the scratch oneDNN's matmuls take, the time and how far the two paths'
values are apart. tests/core/test_memory.py checks the model against the profiler's figures: equal
up to a few small buffers, once the matmuls' scratch (allocated and freed within one call, by oneDNN
for bfloat16 on CPU) is left out.
"""

from __future__ import annotations

import bisect
import functools
import math
import time
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch.nn import LinearCrossEntropyOptions

DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16}
CPU = torch.device("cpu")

# the measurement's size: a setting is scaled down by a power of two until it fits these (each bounds
# a cost: the reference path's N × V tensors, the chunked path's V × d gradient buffers, and its
# bfloat16 loop, whose cost grows as V² (V / d chunks, each touching V × d floats))
MEASURE_N, MEASURE_V, MEASURE_NV, MEASURE_VD = 1024, 4096, 1 << 20, 1 << 19
# and the chunked loop's iterations (each a few dozen small ops, each recorded by the profiler)
MEASURE_CHUNKS = 128


@dataclass(frozen=True)
class Setting:
    n: int  # tokens: the rows of the input
    v: int  # vocabulary: the classes, the rows of W
    d: int  # hidden size: in_features
    dtype: str  # "float32" or "bfloat16"

    @property
    def itemsize(self) -> int:
        return DTYPES[self.dtype].itemsize


@dataclass(frozen=True)
class Chunking:
    """What torch resolves `LinearCrossEntropyOptions()` to for a call (its `_adjust`)."""

    rows: int  # B, batch_chunk_size: logits rows per chunk
    chunks: int  # ceil(N / B)
    acc_policy: str
    acc_dtype: str


def chunking(s: Setting) -> Chunking:
    """torch's own resolution of the default options on CPU for this call."""
    adjusted = LinearCrossEntropyOptions()._adjust(
        num_batches=s.n, in_features=s.d, num_classes=s.v, dtype=DTYPES[s.dtype], device=CPU
    )
    rows = adjusted.batch_chunk_size
    acc = next(name for name, dtype in DTYPES.items() if dtype == adjusted.acc_dtype)
    return Chunking(rows, math.ceil(s.n / rows), adjusted.acc_policy, acc)


@dataclass(frozen=True)
class Part:
    """One buffer (or a group freed together) a path allocates: what it is, its shape, its bytes."""

    what: str
    shape: str
    bytes: int


@dataclass(frozen=True)
class Footprint:
    path: str  # "reference" or "chunked"
    parts: tuple[Part, ...]  # the buffers, in the order torch allocates them
    peak: int  # the most bytes live at once during forward and backward (inputs not counted)
    at_peak: tuple[Part, ...] = ()  # the tensors live at that moment, one Part each: their bytes add up to peak


# what each tensor live at a peak is called (the panel translates them; tests/ui/strings.py collects them)
LOG_SOFTMAX = "the log-softmax, saved for backward"
GRAD_LOG_SOFTMAX = "the gradient of the log-softmax (nll_loss's backward)"
GRAD_LOGITS = "the gradient of the logits (log_softmax's backward)"
GRAD_X = "the gradient of x"
GRAD_W = "the gradient of W"
CHUNK_LOGITS = "one chunk's logits (logits_buf)"
CHUNK_ROWS = "one number per row of the chunk (tmp: row maxima, softmax factors)"
GRAD_X_FORWARD = "the gradient of x, computed in forward"
GRAD_W_FORWARD = "the gradient of W, computed in forward"
MASK = "the targets' mask (bool)"
INDEX = "the targets as indices (int64)"
WEIGHT = "the targets' weights, one per token"
W_ROWS = "W's rows of the chunk's targets (index_select)"
X_GRAD_COPY = "backward: the gradient of x times the upstream gradient, for x.grad"
W_GRAD_COPY = "backward: the gradient of W times the upstream gradient, for W.grad"
W_FLOAT32 = "W in float32"
W_SCRATCH = "the chunk's gradient of W, in float32 (scratch)"
X_ROWS = "the chunk's rows of x, in float32"
SUB_TEMP = "a float32 temporary of sub_, which adds the chunk into the bfloat16 gradient of W"
GRAD_X_CAST = "the gradient of x cast to bfloat16 after the loop"
PART_TEXTS = (
    LOG_SOFTMAX,
    GRAD_LOG_SOFTMAX,
    GRAD_LOGITS,
    GRAD_X,
    GRAD_W,
    CHUNK_LOGITS,
    CHUNK_ROWS,
    GRAD_X_FORWARD,
    GRAD_W_FORWARD,
    MASK,
    INDEX,
    WEIGHT,
    W_ROWS,
    X_GRAD_COPY,
    W_GRAD_COPY,
    W_FLOAT32,
    W_SCRATCH,
    X_ROWS,
    SUB_TEMP,
    GRAD_X_CAST,
)


def footprint(s: Setting, path: str) -> Footprint:
    return reference(s) if path == "reference" else chunked(s)


def reference(s: Setting) -> Footprint:
    """options=None: linear, then cross_entropy (log_softmax, nll_loss); autograd's backward.

    Live at once: forward, the logits and their log-softmax; backward, the saved log-softmax,
    nll_loss's gradient and log_softmax's gradient (3 N × V); then the logits' gradient with the
    gradients of x and W (the matmuls' outputs, which autograd hands to .grad without a copy).
    In bfloat16 oneDNN's matmuls also take scratch that they free before returning (up to 1 MB at
    the sizes the panel measures), left out: `measure` reports it apart, and at the smallest sizes it is
    most of the profiler's peak."""
    n, v, d, size = s.n, s.v, s.d, s.itemsize
    nv = n * v * size
    parts = (
        Part("logits", "N × V", nv),
        Part("log-softmax (saved for backward)", "N × V", nv),
        Part("gradient of the log-softmax", "N × V", nv),
        Part("gradient of the logits", "N × V", nv),
        Part("gradients of x and W", "N × d + V × d", (n + v) * d * size),
    )
    return Footprint("reference", parts, int(_reference_peak(n, v, d, size)), _largest(_reference_moments(s)))


def _reference_moments(s: Setting) -> tuple[tuple[Part, ...], ...]:
    """The two moments that can be the reference path's peak, each its live tensors: log_softmax's
    backward (the saved log-softmax, nll_loss's gradient and its own) and the linear's (the logits'
    gradient with the gradients of x and W)."""
    n, v, d, size = s.n, s.v, s.d, s.itemsize
    nv = n * v * size
    return (
        (Part(LOG_SOFTMAX, "N × V", nv), Part(GRAD_LOG_SOFTMAX, "N × V", nv), Part(GRAD_LOGITS, "N × V", nv)),
        (Part(GRAD_LOGITS, "N × V", nv), Part(GRAD_X, "N × d", n * d * size), Part(GRAD_W, "V × d", v * d * size)),
    )


def moments(s: Setting, path: str) -> tuple[tuple[Part, ...], ...]:
    """The moments of one forward and backward that can be the path's peak, each the tensors live then
    (one Part each); the peak is the largest (`Footprint.at_peak`)."""
    return _reference_moments(s) if path == "reference" else _chunked_moments(s, chunking(s).rows)


def _largest(moments: tuple[tuple[Part, ...], ...]) -> tuple[Part, ...]:
    """The moment whose tensors add up to the most bytes (the first of equal ones)."""
    return max(moments, key=lambda parts: sum(p.bytes for p in parts))


def _reference_peak(n, v, d, size):
    """The reference path's peak (n an int or an array of them)."""
    return np.maximum(3 * n * v * size, n * v * size + (n + v) * d * size)


def chunked(s: Setting) -> Footprint:
    """LinearCrossEntropyOptions(): torch's _ChunkContext buffers for the policy "auto" resolves to.

    The forward computes the loss and both gradients, B rows at a time; backward multiplies them by
    the upstream gradient and autograd copies them into .grad (the op still holds the originals)."""
    c = chunking(s)
    n, v, d, b, size = s.n, s.v, s.d, c.rows, s.itemsize
    parts: tuple[Part, ...]
    if _policy(s.dtype, c) == "float32":
        parts = (
            Part("one chunk's logits (logits_buf)", "B × V", b * v * size),
            Part("gradient of x", "N × d", n * d * size),
            Part("gradient of W", "V × d", v * d * size),
            Part("the targets' mask, index and weight", "3 × N", n * (1 + 8 + size)),
            Part("per chunk: W's rows of the targets", "B × d", b * d * size),
            Part("backward: copies of the gradients into .grad", "N × d + V × d", (n + v) * d * size),
        )
    else:
        acc = 4
        parts = (
            Part("one chunk's logits, in float32 (logits_buf)", "B × V", b * v * acc),
            Part("gradient of x, in float32", "N × d", n * d * acc),
            Part("gradient of W", "V × d", v * d * size),
            Part("W in float32 and the weight-gradient scratch", "2 × V × d", 2 * v * d * acc),
            Part("the chunk's rows of x in float32", "B × d", b * d * acc),
            Part("the targets' mask, index and weight", "3 × N", n * (1 + 8 + acc)),
            Part("per chunk: the bfloat16 gradient of W added in float32", "2 × V × d", 2 * v * d * acc),
            Part("backward: copies of the gradients into .grad", "N × d + V × d", (n + v) * d * size),
        )
    return Footprint("chunked", parts, int(_chunked_peak(n, v, d, s.dtype, b)), _largest(_chunked_moments(s, b)))


def _chunked_moments(s: Setting, b: int) -> tuple[tuple[Part, ...], ...]:
    """The moments that can be the chunked path's peak, each its live tensors: a chunk of the loop
    (the last buffer it adds, in bfloat16 one of three) and backward (the gradients and their copies)."""
    n, v, d, size = s.n, s.v, s.d, s.itemsize
    backward = (
        Part(GRAD_X_FORWARD, "N × d", n * d * size),
        Part(GRAD_W_FORWARD, "V × d", v * d * size),
        Part(X_GRAD_COPY, "N × d", n * d * size),
        Part(W_GRAD_COPY, "V × d", v * d * size),
    )
    loop: tuple[Part, ...]
    if s.dtype == "float32":
        loop = (
            Part(CHUNK_LOGITS, "B × V", b * v * size),
            Part(CHUNK_ROWS, "B", b * size),
            Part(GRAD_X_FORWARD, "N × d", n * d * size),
            Part(GRAD_W_FORWARD, "V × d", v * d * size),
            Part(MASK, "N", n),
            Part(INDEX, "N", 8 * n),
            Part(WEIGHT, "N", n * size),
        )
        return ((*loop, Part(W_ROWS, "B × d", b * d * size)), backward)
    acc = 4
    loop = (
        Part(CHUNK_LOGITS, "B × V", b * v * acc),
        Part(CHUNK_ROWS, "B", b * acc),
        Part(GRAD_X_FORWARD, "N × d", n * d * acc),
        Part(GRAD_W_FORWARD, "V × d", v * d * size),
        Part(W_FLOAT32, "V × d", v * d * acc),
        Part(W_SCRATCH, "V × d", v * d * acc),
        Part(X_ROWS, "B × d", b * d * acc),
        Part(MASK, "N", n),
        Part(INDEX, "N", 8 * n),
        Part(WEIGHT, "N", n * acc),
    )
    return (
        (*loop, Part(SUB_TEMP, "V × d", v * d * acc), Part(SUB_TEMP, "V × d", v * d * acc)),
        (*loop, Part(W_ROWS, "B × d", b * d * acc)),
        (*loop, Part(GRAD_X_CAST, "N × d", n * d * size)),
        backward,
    )


def _policy(dtype: str, c: Chunking) -> str:
    """Which of the modelled layouts torch's "auto" resolved to: float32 "compact" (no scratch, all in
    float32) or bfloat16 "accurate" (float32 accumulation)."""
    if (dtype, c.acc_policy, c.acc_dtype) in (("float32", "compact", "float32"), ("bfloat16", "accurate", "float32")):
        return dtype
    # a torch whose "auto" resolves otherwise: the model must be read again from its code
    raise NotImplementedError(f"no model of the chunked path for {dtype} with {c}")


def _chunked_peak(n, v, d, dtype: str, b):
    """The chunked path's peak (n and the chunk's rows b ints, or arrays of them)."""
    size = DTYPES[dtype].itemsize
    if dtype == "float32":
        # the loop: logits_buf, tmp, grad_input, grad_linear_weight, the target's mask, corrected
        # target and per-row weights, and per chunk W's target rows (index_select); backward: the
        # gradients and their copies into .grad
        loop = b * v * size + b * size + n * d * size + v * d * size + n * (1 + 8 + size)
        return np.maximum(loop + b * d * size, 2 * (n + v) * d * size)
    acc = 4  # float32 accumulation: logits_buf, grad_input, W's copy, the weight-gradient scratch
    loop = b * v * acc + b * acc + n * d * acc + v * d * size + 2 * v * d * acc + b * d * acc + n * (1 + 8 + acc)
    # per chunk, grad_linear_weight.sub_(scratch) promotes to float32 (two V × d temporaries) and
    # index_select(W in float32) takes B × d; after the loop grad_input goes to bfloat16 (N × d)
    return np.maximum(
        np.maximum(loop + np.maximum(2 * v * d * acc, b * d * acc), loop + n * d * size),
        2 * (n + v) * d * size,
    )


def rows_of(n, v: int, d: int, dtype: str):
    """torch's chunk rows for the "auto" method on CPU (LinearCrossEntropyOptions._compute_batch_chunk_size:
    next_pow2(ceil(N / ceil(V / d))), divided by 2 for float32's "aspect_ratio:2"), for an array of N
    (tests/core/test_memory.py checks it against torch's own `_adjust`)."""
    n = np.asarray(n, dtype=np.int64)
    target = -(-n // -(-v // d))
    pow2 = np.left_shift(1, np.frexp((target - 1).astype(np.float64))[1].astype(np.int64))
    return np.maximum(1, np.minimum(pow2 // (2 if dtype == "float32" else 1), n))


@functools.lru_cache(maxsize=256)
def curve(ns: tuple[int, ...], v: int, d: int, dtype: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """The reference path's peak, the chunked path's and the N × V logits' bytes at each N of `ns` (the
    panel's chart: the same for every N of the slider, so kept per V, d and dtype)."""
    settings = [Setting(int(n), v, d, dtype) for n in ns]
    return (
        tuple(reference(c).peak for c in settings),
        tuple(chunked(c).peak for c in settings),
        tuple(logits_bytes(c) for c in settings),
    )


def logits_bytes(s: Setting) -> int:
    """The N × V logits in the input's dtype (and their gradient: as many again)."""
    return s.n * s.v * s.itemsize


# ---------------------------------------------------------------- where chunking starts to pay


def rule_wins(n: int, v: int, d: int) -> bool:
    """torch's rule (LinearCrossEntropyOptions' docstring): "Chunking is a win when num_batches >=
    in_features and num_classes > in_features"."""
    return n >= d and v > d


def rule_threshold(v: int, d: int) -> int | None:
    """The fewest tokens from which torch's rule says chunking wins: d, or None when V ≤ d."""
    return d if v > d else None


def saves(s: Setting) -> bool:
    """Whether the chunked path's peak is below the reference path's."""
    return chunked(s).peak < reference(s).peak


@functools.lru_cache(maxsize=256)
def lower_at(ns: tuple[int, ...], v: int, d: int, dtype: str) -> tuple[int, ...]:
    """The N of `ns` (the slider's, say) at which the chunked path's modelled peak is below the reference's."""
    return tuple(int(n) for n in ns if saves(Setting(int(n), v, d, dtype)))


def runs(chosen, values) -> list[tuple[int, int]]:
    """`chosen` (some of `values`, in their order) as runs of neighbours in `values`: (first, last) each."""
    out: list[tuple[int, int]] = []
    picked = set(chosen)
    for i, value in enumerate(values):
        if value not in picked:
            continue
        if out and i > 0 and values[i - 1] in picked:
            out[-1] = (out[-1][0], value)
        else:
            out.append((value, value))
    return out


@functools.lru_cache(maxsize=256)
def bytes_threshold(v: int, d: int, dtype: str, high: int) -> int | None:
    """The fewest tokens N ≤ high from which on the chunked path's peak is below the reference's: the
    N after the last one in [1, high] that does not save (the chunk's rows double at powers of two,
    so saving is not monotone in N: every N is evaluated); None when N = high does not save."""
    _policy(dtype, chunking(Setting(high, v, d, dtype)))
    n = np.arange(1, high + 1, dtype=np.int64)
    size = DTYPES[dtype].itemsize
    saving = _chunked_peak(n, v, d, dtype, rows_of(n, v, d, dtype)) < _reference_peak(n, v, d, size)
    if not saving[-1]:
        return None
    losing = np.flatnonzero(~saving)
    return int(losing[-1]) + 2 if losing.size else 1


# ---------------------------------------------------------------- measured on this server


def scaled(s: Setting) -> tuple[Setting, int]:
    """The setting divided by the smallest power of two k that makes it cheap to measure (N ≤
    MEASURE_N, V ≤ MEASURE_V, N·V ≤ MEASURE_NV, V·d ≤ MEASURE_VD, at most MEASURE_CHUNKS chunks),
    each size at least 1; and k."""
    k = 1
    while True:
        small = Setting(max(1, s.n // k), max(1, s.v // k), max(1, s.d // k), s.dtype)
        if fits(small):
            return small, k
        k *= 2


def fits(s: Setting) -> bool:
    """Whether a setting is within the measurement's bounds."""
    sizes = s.n <= MEASURE_N and s.v <= MEASURE_V and s.n * s.v <= MEASURE_NV and s.v * s.d <= MEASURE_VD
    return sizes and chunking(s).chunks <= MEASURE_CHUNKS


@dataclass(frozen=True)
class Run:
    """One forward and backward of one path, measured."""

    peak: int  # bytes: the most allocated at once, from the profiler's allocation records
    largest: int  # bytes: the largest single allocation
    scratch: int  # bytes: the largest matmul scratch (allocated and freed within one call), 0 if none
    bare: int  # bytes: the peak without the matmuls' scratch (what the model counts)
    seconds: float  # CPU time of the same forward and backward without the profiler (best of 3)
    loss: float
    matmuls: int = 0  # the matrix products (aten::mm and aten::addmm calls) the profiler recorded


@dataclass(frozen=True)
class Measurement:
    setting: Setting
    reference: Run
    chunked: Run
    loss_gap: float  # |chunked − reference| / |reference|
    grad_gap: float  # the largest |difference| of the gradients of x and W, over their largest |value|


def warm_up() -> None:
    """Import what the chunked path's first call imports: torch._dynamo, about a second of CPU once per
    process (torch/_compile.py's wrapper around the custom op). Without it the first measurement of a
    process would cost that second."""
    import torch._dynamo  # noqa: F401


def _tensors(s: Setting):
    g = torch.Generator().manual_seed(0)
    dtype = DTYPES[s.dtype]
    x = torch.randn(s.n, s.d, generator=g).to(dtype).requires_grad_()
    w = (torch.randn(s.v, s.d, generator=g) / math.sqrt(s.d)).to(dtype).requires_grad_()
    y = torch.randint(0, s.v, (s.n,), generator=g)
    return x, w, y


def _options(path: str) -> LinearCrossEntropyOptions | None:
    return None if path == "reference" else LinearCrossEntropyOptions()


# the matrix products torch's profiler records: whose scratch the model leaves out (oneDNN's, for
# bfloat16 on CPU), and which the panel counts (float32's chunked path adds each chunk into the
# gradient of W in place, with addmm_)
MATMULS = ("aten::mm", "aten::addmm", "aten::addmm_")


@dataclass(frozen=True)
class Records:
    """What torch's profiler records of one forward (and backward), in order."""

    sizes: list[int]  # each allocation's bytes (positive) and each free's (negative)
    scratch: list[bool]  # whether the record is a matmul's scratch: allocated, then at once freed, in one call
    matmuls: int = 0  # how many aten::mm, aten::addmm and aten::addmm_ calls were recorded


def _profiled(s: Setting, path: str, backward: bool = True):
    """torch's profiler's Records of one forward (and backward) of `path`; and the loss and the
    gradients of x and W."""
    x, w, y = _tensors(s)
    # torch.autograd.profiler directly: torch.profiler.profile's start imports torch._inductor (a
    # second of CPU on the first call in a process) only to read a CUDA-graphs setting
    with torch.autograd.profiler.profile(use_cpu=True, profile_memory=True, use_kineto=True) as prof:
        loss = F.linear_cross_entropy(x, w, y, options=_options(path))
        if backward:
            loss.backward()
    events = prof.kineto_results.events()
    records = sorted((e for e in events if e.name() == "[memory]"), key=lambda e: e.start_ns())
    calls = sorted((e.start_ns(), e.end_ns()) for e in events if e.name() in MATMULS)
    sizes = [r.nbytes() for r in records]
    return (
        Records(sizes, _scratch(sizes, [r.start_ns() for r in records], calls), len(calls)),
        loss.detach(),
        x.grad,
        w.grad,
    )


def _scratch(sizes: list[int], times: list[int], calls: list[tuple[int, int]]) -> list[bool]:
    """Which records are a matmul's scratch: an allocation freed by the next record, both within the
    same matmul call (`calls`: their (start, end), sorted)."""
    starts = [start for start, _ in calls]
    marks = [False] * len(sizes)
    for i in range(len(sizes) - 1):
        if sizes[i] > 0 and sizes[i + 1] == -sizes[i] and not marks[i]:
            call = bisect.bisect_right(starts, times[i]) - 1
            if call >= 0 and times[i + 1] <= calls[call][1]:
                marks[i] = marks[i + 1] = True
    return marks


def profile(s: Setting, path: str, backward: bool = True) -> Records:
    """What torch's profiler records of one forward (and backward) of `path`."""
    return _profiled(s, path, backward)[0]


def allocations(s: Setting, path: str, backward: bool = True) -> list[int]:
    """What torch's profiler records of one forward (and backward): each allocation's bytes
    (positive) and each free's (negative), in order."""
    return profile(s, path, backward).sizes


def without_scratch(records: Records) -> list[int]:
    """The records' sizes, the matmuls' scratch left out."""
    return [size for size, scratch in zip(records.sizes, records.scratch, strict=True) if not scratch]


def peak_of(records: list[int]) -> int:
    """The most bytes live at once, counted from the first record."""
    live = peak = 0
    for size in records:
        live += size
        peak = max(peak, live)
    return peak


def live_at_once(records: list[int], wanted: list[int]) -> bool:
    """Whether allocations of the sizes `wanted` (a multiset) are all live at some moment of the records
    (a free is matched to a live allocation of its size)."""
    live: list[int] = []
    for size in records:
        if size > 0:
            live.append(size)
            if size in wanted and _contains(live, wanted):
                return True
        else:
            live.remove(-size)
    return not wanted


def _contains(sizes: list[int], wanted: list[int]) -> bool:
    """Whether `wanted` is a sub-multiset of `sizes`."""
    left = list(sizes)
    for size in wanted:
        if size not in left:
            return False
        left.remove(size)
    return True


def _seconds(s: Setting, path: str, repeat: int = 3) -> float:
    """The CPU time of one forward and backward on this thread (torch runs on one in the server),
    the best of `repeat`: a busy machine slows a run's wall clock, not its CPU time."""
    best = math.inf
    for _ in range(repeat):
        x, w, y = _tensors(s)
        start = time.thread_time()
        F.linear_cross_entropy(x, w, y, options=_options(path)).backward()
        best = min(best, time.thread_time() - start)
    return best


def _gap(a: torch.Tensor, b: torch.Tensor) -> float:
    a, b = a.double(), b.double()
    return float((a - b).abs().max() / b.abs().max().clamp_min(1e-300))


def measure(s: Setting) -> Measurement:
    """Both paths on the same seeded tensors (x ~ N(0, 1), W ~ N(0, 1/d), random targets)."""
    runs, values = {}, {}
    for path in ("reference", "chunked"):
        records, loss, gx, gw = _profiled(s, path)
        scratch = max((size for size, mark in zip(records.sizes, records.scratch, strict=True) if mark), default=0)
        runs[path] = Run(
            peak_of(records.sizes),
            max(records.sizes, default=0),
            scratch,
            peak_of(without_scratch(records)),
            _seconds(s, path),
            float(loss),
            records.matmuls,
        )
        values[path] = (loss, gx, gw)
    (l0, gx0, gw0), (l1, gx1, gw1) = values["reference"], values["chunked"]
    return Measurement(
        s,
        runs["reference"],
        runs["chunked"],
        loss_gap=_gap(l1, l0),
        grad_gap=max(_gap(gx1, gx0), _gap(gw1, gw0)),
    )


def machine_epsilon(dtype: str) -> float:
    """The dtype's machine epsilon, the gap between 1 and the next number (2^-23 = 1.2e-7 in float32)."""
    return torch.finfo(DTYPES[dtype]).eps


def bytes_text(count: float) -> str:
    """Bytes in decimal units, three significant digits: 524 MB, 1.57 GB."""
    text = f"{count:.0f} B"
    for unit, size in (("kB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12)):
        if float(f"{count / size:.3g}") >= 1:
            text = f"{count / size:.3g} {unit}"
    return text
