"""LinearCrossEntropyLoss's memory panel (ui/views/loss/memory.py, measured.py): every sentence checked with torch,
over the settings the panel allows (its sliders, and the small sizes it measures at). The ui texts
are literals passed to t(), copied here."""

from __future__ import annotations

import math
import warnings

import pytest
import torch
import torch.nn.functional as F

from core import memory
from core.memory import Setting, bytes_text
from tests.claims import claim, plain
from ui.views.loss import measured as measure_panel
from ui.views.loss import memory as panel
from ui.views.loss.memory import CONTROLS, HIDDEN, TOKENS, VOCAB

pytestmark = pytest.mark.usefixtures("one_thread")

plain(
    "label",
    "Why it exists: the memory it saves",
    "Reference path (options=None): peak",
    "Chunked path (LinearCrossEntropyOptions()): peak",
    "tokens N",
    "vocabulary V",
    "hidden size d",
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
INTRO = (
    "A language model's last layer turns each of N tokens' hidden vectors x (d numbers each) into V logits, one "
    "score per entry of its vocabulary, by multiplying them with the head's weight W (V × d): the logits are an "
    "N × V matrix, and cross-entropy turns them into the loss. The reference path builds all N × V logits at once, "
    "and in backward their gradient too. The chunked path takes the tokens B rows at a time (B chosen by torch) and "
    "turns each chunk's B × V logits into its part of the loss and of the gradients of x and W before the next "
    "chunk: it never holds more than B × V logits."
)
AT_PEAK = "At its peak these tensors are live at once:"
IN_BYTES = "In bytes: {terms} = {total} ({peak})."
SAVES_HERE = "Here chunking saves {saved}: a peak of {chunked} instead of {reference}."
COSTS_MORE = (
    "Here chunking costs memory instead of saving it: the chunked path's peak, {chunked}, is {extra} above the "
    "reference path's, {reference}."
)
SAME = "Here chunking saves nothing: both paths' peaks are {peak}."
LOWER_ALL = (
    "By the modelled bytes, the chunked path's peak is lower than the reference path's at every N on the slider "
    "({first} to {last})."
)
LOWER_SOME = (
    "By the modelled bytes, the chunked path's peak is lower than the reference path's at the slider's N = {lower}, "
    "and not at N = {higher}."
)
LOWER_NONE = (
    "By the modelled bytes, the chunked path's peak is lower than the reference path's at no N on the slider "
    "({first} to {last})."
)
WHY = (
    "The rule, from LinearCrossEntropyOptions' docstring, looks at the shapes alone, and torch does not apply it: "
    "given options, it runs the chunked path at every N. The modelled peaks add up the bytes of the tensors each "
    "path holds (listed above), which depend on the dtype and on torch's chunk rows B as well."
)
DISAGREE = "On the slider the two disagree at N = {ns}."
AGREE_ALL = "On the slider the two agree at every N."
PREDICTED = (
    "There the model predicts peaks of {reference} (reference path) and {chunked} (chunked path), the table's "
    "“peak (model)”: {reference_ratio} and {chunked_ratio} of the {full_reference} and {full_chunked} above."
)
TIMES = (
    "The CPU times are of this small size only, the best of 3 forward and backward passes on one thread without the "
    "profiler; the full setting's were not measured. Here the chunked path ran {chunks} chunks and {chunked} matrix "
    "products, the reference path {reference}."
)
CHART = (
    "The peak bytes of one forward and backward (x and W themselves not counted), from the buffers torch's code "
    "allocates on CPU for index targets, reduction='mean' and no bias; both axes logarithmic."
)
SMALL = (
    "At a small size, the setting divided by {k} (each size at least 1): N = {n}, V = {v}, d = {d}, {dtype}. torch's profiler "
    "(profile_memory=True) records every allocation of one forward and backward of each path."
)
AGREE = (
    "The two paths agree: their losses differ by {loss} and their gradients by {grad} (relative), below 1e-5 "
    "in float32."
)
ROUNDING = (
    "The two paths' losses differ by {loss} and their gradients by {grad} (relative): they compute the same values "
    "by different steps, each rounded to float32 (machine epsilon {eps}), and so rounded differently."
)
BF16 = (
    "In bfloat16 the two paths' losses differ by {loss} and their gradients by {grad} (relative): the reference "
    "path rounds its N × V tensors to bfloat16; the chunked path computes each chunk in float32 but adds up its "
    "chunks' losses, and their gradients of W, in bfloat16."
)
SCRATCH = (
    "The profiler also counts the scratch buffers oneDNN's matmuls allocate and free within one call (the largest "
    "here: {scratch}), which the model leaves out: without them the reference path's peak is {reference} and the "
    "chunked path's {chunked}."
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


def _sizes(s: Setting, path: str, backward: bool = True) -> list[int]:
    return [r for r in memory.allocations(s, path, backward) if r > 0]


@claim(REFERENCE, INTRO)
@pytest.mark.parametrize("s", PROFILED, ids=str)
def test_the_reference_path_allocates_four_n_by_v_tensors_two_in_forward(s):
    x, w, y = memory._tensors(s)
    assert memory.logits_bytes(s) == F.linear(x, w).nbytes == s.n * s.v * s.itemsize
    nv = memory.logits_bytes(s)
    assert _sizes(s, "reference").count(nv) == 4
    assert _sizes(s, "reference", backward=False).count(nv) == 2


@claim(CHUNK, INTRO)
@pytest.mark.parametrize("s", PROFILED, ids=str)
def test_the_chunked_forward_allocates_one_chunks_logits_and_both_gradients(s):
    c = memory.chunking(s)
    acc = memory.DTYPES[c.acc_dtype].itemsize
    forward = _sizes(s, "chunked", backward=False)
    assert c.rows * s.v * acc in forward  # one chunk's logits, in the accumulation dtype
    assert s.n * s.d * acc in forward and s.v * s.d * s.itemsize in forward  # the gradients of x and W
    chunk = next(p for p in memory.chunked(s).parts if p.shape == "B × V")
    assert chunk.bytes == c.rows * s.v * acc


@claim(CHUNKS, INTRO)
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


@claim(ONE_CHUNK, INTRO)
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


def _lower(s: Setting) -> bool:
    """Whether the chunked path's modelled peak is below the reference path's (from the footprints)."""
    return memory.footprint(s, "chunked").peak < memory.footprint(s, "reference").peak


def _expand(listed: str) -> list[int]:
    """The slider's N a listing names ("1024, 4096–1048576": runs of neighbours on the slider)."""
    ns = [int(n) for n in TOKENS.choices]
    out = []
    for run in listed.split(", "):
        first, _, last = run.partition("–")
        out += ns[ns.index(int(first)) : ns.index(int(last or first)) + 1]
    return out


def _between(text: str, before: str, after: str) -> str:
    return text.split(before, 1)[1].split(after, 1)[0]


@claim(LOWER_ALL, LOWER_SOME, LOWER_NONE, DISAGREE, AGREE_ALL)
def test_the_slider_n_where_chunking_is_lower_and_where_torchs_rule_disagrees_at_every_setting():
    """A full grid of the slider's values, 11 N × 6 V × 8 d × 2 dtypes: the statement does not depend on the
    current N, so each of the 96 (V, d, dtype) is checked at every N. The N it says the chunked peak is
    lower at are exactly those where it is (each N's footprints, not `lower_at`), the others are the rest,
    and it names every N where that and torch's rule disagree."""
    ns = [int(n) for n in TOKENS.choices]
    shown = set()
    for v in VOCAB.choices:
        for d in HIDDEN.choices:
            for dtype in DTYPES:
                lower = [n for n in ns if _lower(Setting(n, v, d, dtype))]
                text = panel._on_the_slider(Setting(ns[0], v, d, dtype))
                saying, why_verdict = text.split("  \n")
                if len(lower) == len(ns):
                    assert saying == LOWER_ALL.format(first=ns[0], last=ns[-1])
                elif not lower:
                    assert saying == LOWER_NONE.format(first=ns[0], last=ns[-1])
                else:
                    lower_text = _between(saying, "at the slider's N = ", ", and not at N = ")
                    higher_text = _between(saying, ", and not at N = ", ".")
                    assert saying == LOWER_SOME.format(lower=lower_text, higher=higher_text)
                    assert _expand(lower_text) == lower
                    assert _expand(higher_text) == [n for n in ns if n not in lower]
                shown.add(saying.split(" at ")[1][:6])
                wins = [n for n in ns if memory.rule_wins(n, v, d)]
                differ = [n for n in ns if (n in wins) != (n in lower)]
                assert why_verdict.startswith(WHY + " ")
                verdict = why_verdict.removeprefix(WHY + " ")
                if differ:
                    assert verdict == DISAGREE.format(ns=_between(verdict, "at N = ", "."))
                    assert _expand(_between(verdict, "at N = ", ".")) == differ
                else:
                    assert verdict == AGREE_ALL
    assert len(shown) == 3  # each of the three statements is met on the sliders


@claim(WHY)
def test_torchs_rule_reads_the_shapes_and_the_peaks_the_dtype_and_the_chunk_rows():
    """The rule is the docstring's (test_torchs_rule_is_its_docstrings_and_the_threshold_is_d) and torch runs
    the chunked path where it says chunking does not win. Over the full slider grid: the rule is the same in
    both dtypes, the peaks are not (every setting),
    and at some settings the chunked peak with torch's B differs from the one with 2·B; the tensors each
    path holds are the ones listed (test_the_tensors_listed_add_up_to_the_peak_shown_at_every_setting)."""
    matters = 0
    for s in (s for s in SLIDERS if s.dtype == "float32"):
        other = Setting(s.n, s.v, s.d, "bfloat16")
        for path in ("reference", "chunked"):
            assert memory.footprint(s, path).peak != memory.footprint(other, path).peak, (s, path)
        for x in (s, other):
            b = memory.chunking(x).rows
            matters += int(memory._chunked_peak(x.n, x.v, x.d, x.dtype, 2 * b)) != memory.chunked(x).peak
    assert matters > 0
    # where the rule says chunking does not win (N < d, or V ≤ d), torch runs the chunked path all the same:
    # its chunk's logits buffer is allocated, and nothing warns (no fall-through to the reference path)
    for s in (Setting(64, 512, 1024, "float32"), Setting(64, 512, 1024, "bfloat16"), Setting(256, 128, 256, "float32")):
        assert not memory.rule_wins(s.n, s.v, s.d)
        c = memory.chunking(s)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            forward = _sizes(s, "chunked", backward=False)
        assert c.rows * s.v * memory.DTYPES[c.acc_dtype].itemsize in forward
    # said beside the rule, at every setting (test_the_slider_n_where_chunking_is_lower_...: after the bytes' N)
    assert all(WHY in panel._on_the_slider(s) for s in SLIDERS[:: len(SLIDERS) // 20])


@claim(AT_PEAK, IN_BYTES, *memory.PART_TEXTS)
def test_the_tensors_listed_add_up_to_the_peak_shown_at_every_setting():
    """A full grid of the slider's values (1056 settings), both paths: the panel lists the tensors of the
    model's largest moment, each with its shape and bytes, and the bytes it writes add up to the peak the
    metric shows (test_the_modelled_peaks_are_the_profilers_without_onednns_matmul_scratch checks that
    they are live at the profiler's peak, at every size the panel measures)."""
    named = set()
    for s in SLIDERS:
        for path in ("reference", "chunked"):
            f = memory.footprint(s, path)
            lines = panel._breakdown(f).split("\n")
            assert lines[0] == AT_PEAK and lines[-2] == ""
            assert lines[1:-2] == [f"- {p.what}, {p.shape}: {bytes_text(p.bytes)}" for p in f.at_peak]
            terms = _between(lines[-1], "In bytes: ", " = ").split(" + ")
            total = _between(lines[-1], " = ", " (")
            assert lines[-1] == IN_BYTES.format(terms=" + ".join(terms), total=total, peak=bytes_text(f.peak))
            assert [int(x.replace(",", "")) for x in terms] == [p.bytes for p in f.at_peak]
            assert sum(int(x.replace(",", "")) for x in terms) == int(total.replace(",", "")) == f.peak
            assert max(sum(p.bytes for p in m) for m in memory.moments(s, path)) == f.peak
            named |= {p.what for p in f.at_peak}
    assert named == set(memory.PART_TEXTS)  # each name is shown at some setting


@claim(SAVES_HERE, COSTS_MORE, SAME)
def test_the_panel_says_whether_chunking_saves_or_costs_at_every_setting():
    """A full grid of the slider's values (1056 settings): the sentence follows the two modelled peaks'
    order, with their bytes and their difference; at N = 1024, V = 131072, d = 4096 in float32 chunking
    costs more."""
    seen = set()
    for s in SLIDERS:
        reference, chunked = memory.reference(s).peak, memory.chunked(s).peak
        said = panel._here(reference, chunked)
        if chunked < reference:
            expected = SAVES_HERE.format(
                saved=bytes_text(reference - chunked), chunked=bytes_text(chunked), reference=bytes_text(reference)
            )
        elif chunked > reference:
            expected = COSTS_MORE.format(
                chunked=bytes_text(chunked), extra=bytes_text(chunked - reference), reference=bytes_text(reference)
            )
        else:
            expected = SAME.format(peak=bytes_text(chunked))
        assert said == expected, s
        seen.add((chunked > reference) - (chunked < reference))
    assert len(seen) == 3
    s = Setting(1024, 131072, 4096, "float32")
    assert panel._here(memory.reference(s).peak, memory.chunked(s).peak).startswith(COSTS_MORE.split("{")[0])


@claim(PREDICTED)
def test_the_predicted_peaks_are_the_models_at_the_measured_size_and_their_share_of_the_full_ones():
    """Every slider setting (the full grid, 1056): the text names the model's peaks at the size the panel
    measures (the table's "peak (model)" column, tests/app/test_memory_panel.py) and each as a share of
    the full setting's: 1/1024 of both at N = 8192, V = 131072, d = 4096 (k = 32, k² = 1024)."""
    for s in SLIDERS:
        small, _ = memory.scaled(s)
        said = measure_panel._predicted(s, small)
        r, c = memory.reference(small).peak, memory.chunked(small).peak
        fr, fc = memory.reference(s).peak, memory.chunked(s).peak
        ratios = _between(said, "“peak (model)”: ", " of the ").split(" and ")
        assert said == PREDICTED.format(
            reference=bytes_text(r),
            chunked=bytes_text(c),
            reference_ratio=ratios[0],
            chunked_ratio=ratios[1],
            full_reference=bytes_text(fr),
            full_chunked=bytes_text(fc),
        )
        for ratio, full, part in zip(ratios, (fr, fc), (r, c), strict=True):
            assert float(ratio.removeprefix("1/")) == pytest.approx(full / part, rel=5e-3, abs=0.5), (s, ratio)
    s = Setting(8192, 131072, 4096, "float32")
    assert "1/1024 and 1/1024 of the 12.9 GB and 4.56 GB" in measure_panel._predicted(s, memory.scaled(s)[0])


@claim(TIMES)
def test_the_cpu_times_are_the_best_of_3_unprofiled_runs_at_the_small_size(monkeypatch):
    """The measured size only (the panel measures memory.scaled's setting: test_the_measurement_is_the_
    setting_scaled_down_and_the_profilers_peak): each path is run once under the profiler and 3 times
    without it, on one thread, its time the least of the 3; the chunks are torch's, the matrix products
    the profiler's aten::mm and aten::addmm calls."""
    s = PROFILED[0]
    calls = []
    original = memory.F.linear_cross_entropy

    def counted(*args, **kwargs):
        calls.append((torch.autograd._profiler_enabled(), torch.get_num_threads(), kwargs.get("options") is None))
        return original(*args, **kwargs)

    monkeypatch.setattr(memory.F, "linear_cross_entropy", counted)
    m = memory.measure(s)
    for reference in (True, False):
        runs = [(profiled, threads) for profiled, threads, ref in calls if ref == reference]
        assert sorted(runs) == [(False, 1)] * 3 + [(True, 1)]
    monkeypatch.setattr(memory.F, "linear_cross_entropy", original)
    clock = iter([0.0, 5.0, 10.0, 12.0, 20.0, 27.0])  # runs of 5, 2 and 7 seconds
    monkeypatch.setattr(memory.time, "thread_time", lambda: next(clock))
    assert memory._seconds(s, "reference") == 2.0
    monkeypatch.undo()
    for path, run in (("reference", m.reference), ("chunked", m.chunked)):
        assert run.matmuls == memory.profile(s, path).matmuls == _matrix_products(s, path) > 0
    for other in PROFILED[1:2]:  # the other dtype's kernels differ (bfloat16: no addmm_)
        assert all(
            memory.profile(other, path).matmuls == _matrix_products(other, path) for path in ("reference", "chunked")
        )
    said = measure_panel._times(m)
    chunks = memory.chunking(s).chunks
    assert said == TIMES.format(chunks=chunks, chunked=m.chunked.matmuls, reference=m.reference.matmuls)
    assert chunks > 1 and m.chunked.matmuls >= chunks


@claim(CHART, LOWER_ALL, LOWER_SOME, LOWER_NONE, SAVES_HERE, COSTS_MORE, SAME, AT_PEAK, *memory.PART_TEXTS, SCRATCH)
@pytest.mark.parametrize("dtype", DTYPES)
def test_the_modelled_peaks_are_the_profilers_without_onednns_matmul_scratch(dtype):
    """At every size the panel measures (the tensors exist before the profiler starts: x and W are not
    counted). Without the matmuls' scratch the profiler's peak is the model's plus a few bytes (the
    loss: 8 in float32's reference path, 4 in bfloat16's) or, on the chunked path, a few vectors of at
    most B elements (the chunk's softmax denominators: 4·B + 2 bytes in bfloat16, less in float32).
    The scratch: float32 has none; bfloat16's reference path (oneDNN's matmuls) up to 1.05 MB, 3.4
    times the model's peak at 1024 × 8 × 8 (the chunked path's matmuls are in float32: none). The
    tensors the panel lists for the model's peak (one of its largest moments, where two tie) are
    allocations of their sizes all live at one moment of the records."""
    for s in (s for s in MEASURED if s.dtype == dtype):
        rows = memory.chunking(s).rows
        for path in ("reference", "chunked"):
            records = memory.profile(s, path)
            bare, model = memory.peak_of(memory.without_scratch(records)), memory.footprint(s, path).peak
            slack = 16 if path == "reference" else 4 * rows + 1024
            assert 0 <= bare - model <= slack, (s, path, bare, model)
            assert memory.peak_of(records.sizes) >= model
            largest = [m for m in memory.moments(s, path) if sum(p.bytes for p in m) == model]
            bare_records = memory.without_scratch(records)
            assert any(memory.live_at_once(bare_records, [p.bytes for p in m]) for m in largest), (s, path)
            # the scratch: each an allocation freed by the next record, within one matmul call
            marked = [i for i, mark in enumerate(records.scratch) if mark]
            assert all(records.sizes[i] > 0 and records.sizes[i + 1] == -records.sizes[i] for i in marked[::2])
            assert not marked or (dtype == "bfloat16" and path == "reference"), (s, path)


def _matrix_products(s: Setting, path: str) -> int:
    """Every matrix product torch's profiler records in one forward and backward of `path`, counted
    here from the events' names (any aten op of the mm family, in place or not), not from core/memory."""
    x, w, y = memory._tensors(s)
    with torch.autograd.profiler.profile(use_cpu=True, use_kineto=True) as prof:
        F.linear_cross_entropy(x, w, y, options=memory._options(path)).backward()
    names = [e.name() for e in prof.kineto_results.events()]
    family = {
        n
        for n in names
        if n.removeprefix("aten::").rstrip("_") in {"mm", "addmm", "bmm", "baddbmm", "addbmm", "matmul"}
    }
    return sum(1 for n in names if n in family and n != "aten::matmul")  # matmul dispatches to mm


@claim(SCRATCH)
@pytest.mark.parametrize("s", [Setting(1024, 8, 8, "bfloat16"), Setting(16, 2048, 128, "bfloat16")], ids=str)
def test_the_scratch_is_onednns_without_it_torch_allocates_the_rest_alike(s):
    """With oneDNN off, torch's bfloat16 matmuls allocate no scratch and everything else the same:
    the records left when the scratch is taken out, whose peak is below the profiler's. (How large the
    scratch is depends on the kernels oneDNN picks for the processor: most of the peak at 16 × 2048 ×
    128 on one machine, 136 kB of 730 kB on an AMD EPYC.)"""
    records = memory.profile(s, "reference")
    assert any(records.scratch)
    with torch.backends.mkldnn.flags(enabled=False):
        plain_records = memory.profile(s, "reference")
    assert not any(plain_records.scratch)
    assert plain_records.sizes == memory.without_scratch(records)
    m = memory.measure(s)
    assert m.reference.scratch == max(r for r, mark in zip(records.sizes, records.scratch, strict=True) if mark)
    assert m.reference.bare == memory.peak_of(memory.without_scratch(records)) < m.reference.peak
    assert m.chunked.scratch == 0 and m.chunked.bare == m.chunked.peak


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


def _measurement(s: Setting, loss_gap: float, grad_gap: float) -> memory.Measurement:
    run = memory.Run(1, 1, 0, 1, 0.001, 1.0)
    return memory.Measurement(s, run, run, loss_gap, grad_gap)


@claim(AGREE)
def test_in_float32_the_panel_says_below_1e_5_only_when_both_gaps_are():
    """Measured here (one thread, 2026-12-02) over the 133 float32 sizes the panel measures: the losses'
    largest gap 4.8e-7 (N = 128, V = 256, d = 1), the gradients' 9.1e-6 (x's, at N = 128, V = 4096, d = 1,
    from the sliders N = 8192, V = 262144, d = 64): below 1e-5, by a margin another machine may not keep."""
    s = MEASURED[-1]
    assert s.dtype == "float32" and measure_panel.AGREE_BELOW == float("1e-5") and "below 1e-5" in AGREE
    shown = measure_panel._agreement(_measurement(s, 4.8e-7, 9.9e-6))
    assert shown == AGREE.format(loss="4.8e-07", grad="9.9e-06")
    for loss, grad in ((1e-5, 0.0), (0.0, 1e-5), (2e-5, 3e-5)):
        shown = measure_panel._agreement(_measurement(s, loss, grad))
        assert "below" not in shown and shown.startswith(ROUNDING.split("{loss}")[0]), (loss, grad)
    m = memory.measure(PROFILED[0])
    assert (m.loss_gap, m.grad_gap) == pytest.approx(_gaps(PROFILED[0]), rel=0.5, abs=1e-9)
    said = measure_panel._agreement(m)
    assert ("below 1e-5" in said) == (m.loss_gap < 1e-5 and m.grad_gap < 1e-5)


@claim(ROUNDING)
def test_in_float32_the_paths_compute_the_same_values_and_their_gaps_are_rounding():
    """Both paths in float64 on the same x, W and targets agree to 1.2e-14 at every float32 size the panel
    measures: their float32 gaps come from rounding alone (float32's machine epsilon, 2^-23)."""
    assert memory.machine_epsilon("float32") == 2.0**-23 == torch.finfo(torch.float32).eps
    for s in (s for s in MEASURED if s.dtype == "float32"):
        out = {}
        for path in ("reference", "chunked"):
            x, w, y = memory._tensors(s)
            x, w = x.detach().double().requires_grad_(), w.detach().double().requires_grad_()
            loss = F.linear_cross_entropy(x, w, y, options=memory._options(path))
            loss.backward()
            out[path] = (loss.detach(), x.grad, w.grad)
        (l0, gx0, gw0), (l1, gx1, gw1) = out["reference"], out["chunked"]
        assert max(memory._gap(l1, l0), memory._gap(gx1, gx0), memory._gap(gw1, gw0)) < 1e-12, s
    shown = measure_panel._agreement(_measurement(MEASURED[-1], 1e-6, 2e-5))
    assert shown == ROUNDING.format(loss="1.0e-06", grad="2.0e-05", eps="1.2e-07")


def _chunked_by_hand(s: Setting, acc: torch.dtype) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """torch's chunked loop (torch/nn/modules/linear_cross_entropy.py, bfloat16 "accurate" on CPU):
    each chunk in float32 (its rows of x, W, the logits, the gradients), the loss (mean) and the
    gradient of W added up over the chunks in `acc`; the gradient of x, each chunk's own rows, in
    float32 (torch rounds it to bfloat16 once, at the end)."""
    x, w, y = memory._tensors(s)
    x, w = x.detach(), w.detach()
    rows = memory.chunking(s).rows
    weight = torch.full((s.n,), -1.0 / s.n)  # neg_weight_target: -1 / N for reduction='mean'
    w32 = w.float()
    loss = torch.zeros((), dtype=acc)
    grad_x = torch.empty(s.n, s.d)
    grad_w = torch.zeros(s.v, s.d, dtype=acc)
    for start in range(0, s.n, rows):
        xc, yc, wc = x[start : start + rows].float(), y[start : start + rows], weight[start : start + rows]
        z = xc @ w32.T
        z = z - z.amax(1, keepdim=True)
        loss.add_(wc.dot(z.gather(1, yc[:, None]).squeeze(1)))
        e = z.exp()
        denominator = e.sum(1)
        p = e * (wc / denominator)[:, None]  # the softmax times the row's weight
        loss.sub_(wc.dot(denominator.log()))
        grad_x[start : start + rows] = torch.addmm(w32.index_select(0, yc) * wc[:, None], p, w32, alpha=-1)
        chunk = p.T @ xc  # this chunk's gradient of W, in float32
        chunk.index_add_(0, yc, xc * wc[:, None], alpha=-1)
        grad_w.sub_(chunk)
    return loss, grad_x, grad_w


@claim(BF16, INTRO)
def test_in_bfloat16_the_chunked_path_adds_its_chunks_losses_and_w_gradients_in_bfloat16():
    """At every bfloat16 size the panel measures, torch's chunked loss and gradients are, bit for bit,
    float32 chunks whose losses and W-gradients are added up in bfloat16; added up in float32 instead,
    the W-gradient differs at every size with more than one chunk (and is closer to the float64 one at
    118 of 125). The reference path's four N × V tensors are bfloat16 (2 bytes an element)."""
    closer = several = 0
    for s in (s for s in MEASURED if s.dtype == "bfloat16"):
        x, w, y = memory._tensors(s)
        loss = F.linear_cross_entropy(x, w, y, options=torch.nn.LinearCrossEntropyOptions())
        loss.backward()
        torchs = (loss.detach(), x.grad, w.grad)
        by_hand = [t.to(torch.bfloat16) for t in _chunked_by_hand(s, torch.bfloat16)]
        assert all(torch.equal(a, b) for a, b in zip(torchs, by_hand, strict=True)), s
        if memory.chunking(s).chunks > 1:
            several += 1
            in_float32 = _chunked_by_hand(s, torch.float32)[2].to(torch.bfloat16)
            assert not torch.equal(in_float32, w.grad), s
            xd, wd = x.detach().double().requires_grad_(), w.detach().double().requires_grad_()
            F.cross_entropy(xd @ wd.T, y).backward()
            closer += memory._gap(in_float32, wd.grad) < memory._gap(w.grad, wd.grad)
    assert closer >= 0.9 * several
    # and the loss added up in float32 is the exact loss (of the bfloat16 x and W) to float32's rounding
    s = Setting(512, 1024, 32, "bfloat16")
    x, w, y = memory._tensors(s)
    exact = F.cross_entropy(x.detach().double() @ w.detach().double().T, y).item()
    assert _chunked_by_hand(s, torch.float32)[0].item() == pytest.approx(exact, rel=1e-5)
    saved: list[torch.Tensor] = []
    for s in PROFILED[1::2]:
        x, w, y = memory._tensors(s)
        saved.clear()
        with torch.autograd.graph.saved_tensors_hooks(lambda t: saved.append(t) or t, lambda t: t):
            F.linear_cross_entropy(x, w, y)
        wide = [t for t in saved if t.numel() == s.n * s.v]
        assert wide and all(t.dtype == torch.bfloat16 for t in wide)
        assert _sizes(s, "reference").count(s.n * s.v * 2) == 4  # the four N × V tensors, 2 bytes an element
