"""LinearCrossEntropyLoss's memory panel (PANELS["lce_memory"]): why the loss exists. Sliders for
tokens N, vocabulary V, hidden size d and dtype; each path's bytes as core/memory.py models them from
torch's code, a chart against N on log axes, where chunking starts to pay; and a measurement with
torch's profiler on this server, at the setting scaled down, cached for every session."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import streamlit as st

from core import memory
from core.memory import Setting, bytes_text
from core.params import Choice
from ui.figures.memory import memory_figure
from ui.kit import link, widgets
from ui.kit.charts import show
from ui.kit.i18n import t

TOKENS = Choice(
    "N",
    4096,
    choices=tuple(2**k for k in range(10, 21)),
    help="Tokens: the rows of the input x (batch × sequence length), each with its target class.",
)
VOCAB = Choice(
    "V",
    32768,
    choices=tuple(2**k for k in range(13, 19)),
    help="Vocabulary: the classes, the rows of the head's weight W (V × d).",
)
HIDDEN = Choice(
    "d",
    256,
    choices=tuple(2**k for k in range(6, 14)),
    help="Hidden size: in_features, the length of each token's vector x.",
)
DTYPE = Choice("dtype", "float32", choices=tuple(memory.DTYPES), help="The dtype of x and W.")
SIZES = (TOKENS, VOCAB, HIDDEN)
CONTROLS = (*SIZES, DTYPE)
# float32's gaps below this are said to be below it
AGREE_BELOW = 1e-5
# the chart's N: four points an octave over the slider's range
CURVE = np.unique(np.round(2.0 ** np.arange(10, 20.01, 0.25)).astype(int))


def prefix_of(key: str) -> str:
    """The panel's widget keys: <loss>.memory.<name> (?linear_cross_entropy.memory.N=65536)."""
    return widgets.key_of(key, "memory")


def _size_slider(prefix: str, p: Choice) -> int:
    """A numeric choice on a slider of its values (powers of two: a log scale), kept in the link by
    its value like every choice (ui/kit/link.py)."""
    key = widgets.key_of(prefix, p.name)
    value = st.select_slider(
        widgets.label_of(p), options=p.choices, format_func=lambda v: str(int(v)), key=key, help=t(p.help)
    )
    link.keep(key, str(value), str(p.default))
    return int(value)


_warming = threading.Lock()
_warmed = False


def _warm_up_once() -> None:
    """The chunked path's first call in a process imports torch._dynamo (a second of CPU): done in the
    background when the panel is first drawn, so that the first "Measure" stays under a second."""
    global _warmed
    with _warming:
        if _warmed:
            return
        _warmed = True
    threading.Thread(target=memory.warm_up, daemon=True).start()


def lce_memory(shown, result) -> None:
    _warm_up_once()
    prefix = prefix_of(shown.spec.key)
    notices = widgets.seed(prefix, CONTROLS)
    st.subheader(t("Why it exists: the memory it saves"))
    for notice in notices:
        st.warning(notice, icon="🔗")
    cols = st.columns(4)
    sizes = {}
    for col, p in zip(cols[:3], SIZES, strict=True):
        with col:
            sizes[p.name] = _size_slider(prefix, p)
    with cols[3]:
        dtype = widgets.param_input(prefix, DTYPE)
    setting = Setting(sizes["N"], sizes["V"], sizes["d"], dtype)
    _model(setting)
    _measurement(prefix, setting)


def _model(s: Setting) -> None:
    reference, chunked, chunking = memory.reference(s), memory.chunked(s), memory.chunking(s)
    logits = memory.logits_bytes(s)
    left, right = st.columns(2)
    left.metric(t("Reference path (options=None): peak"), bytes_text(reference.peak))
    left.caption(
        t(
            "The N × V logits: {logits}. The reference path allocates four N × V tensors: the logits, their "
            "log-softmax and, in backward, the gradient of each.",
            logits=bytes_text(logits),
        )
    )
    right.metric(t("Chunked path (LinearCrossEntropyOptions()): peak"), bytes_text(chunked.peak))
    right.caption(
        t(
            "One chunk's logits, {rows} × V in {acc}: {chunk}; the gradients of x and W, computed in the forward pass.",
            rows=chunking.rows,
            acc=chunking.acc_dtype,
            chunk=bytes_text(next(p.bytes for p in chunked.parts if p.shape == "B × V")),
        )
    )
    if chunking.rows < s.n:
        st.markdown(
            t(
                "The chunked path computes the logits {rows} rows at a time ({chunks} chunks): it never holds "
                "the N × V logits.",
                rows=chunking.rows,
                chunks=chunking.chunks,
            )
        )
    else:
        st.markdown(t("Here one chunk is all N = {n} rows: the chunked path holds the whole N × V logits.", n=s.n))
    threshold = memory.rule_threshold(s.v, s.d)
    if threshold is not None:
        rule = t(
            "torch's rule: chunking is a win when N ≥ d and V > d. Here V = {v} > d = {d}: from N = {n} tokens on.",
            v=s.v,
            d=s.d,
            n=threshold,
        )
    else:
        rule = t("torch's rule: chunking is a win when N ≥ d and V > d. Here V = {v} ≤ d = {d}: at no N.", v=s.v, d=s.d)
    high = int(TOKENS.choices[-1])
    crossing = memory.bytes_threshold(s.v, s.d, s.dtype, high)
    if crossing is not None:
        saving = t(
            "By the modelled bytes, the chunked path's peak is below the reference path's from N = {n} "
            "tokens on (up to N = {high}).",
            n=crossing,
            high=high,
        )
    else:
        saving = t(
            "By the modelled bytes, the chunked path's peak is not below the reference path's at N = {high}.",
            high=high,
        )
    st.markdown(rule + "  \n" + saving)
    curve = [Setting(int(n), s.v, s.d, s.dtype) for n in CURVE]
    labels = {
        "x": t("tokens N"),
        "y": t("bytes"),
        "reference": t("reference path"),
        "chunked": t("chunked path"),
        "logits": t("the N × V logits"),
        "current": t("current"),
        "rule": t("N = d"),
    }
    show(
        memory_figure(
            CURVE,
            [memory.reference(c).peak for c in curve],
            [memory.chunked(c).peak for c in curve],
            [memory.logits_bytes(c) for c in curve],
            (s.n, reference.peak, chunked.peak),
            labels,
            threshold=float(threshold) if threshold is not None and CURVE[0] <= threshold <= CURVE[-1] else None,
        ),
        key="memory.chart",
    )
    st.caption(
        t(
            "The peak bytes of one forward and backward (x and W themselves not counted), from the buffers "
            "torch's code allocates on CPU for index targets, reduction='mean' and no bias; both axes logarithmic."
        )
    )


@st.cache_data(max_entries=256, show_spinner=False)
def measured(s: Setting) -> memory.Measurement:
    """core.memory.measure, shared by every session: a setting is measured once per server."""
    return memory.measure(s)


def _measurement(prefix: str, s: Setting) -> None:
    small, k = memory.scaled(s)
    st.subheader(t("Measured on this server"))
    st.caption(
        t(
            "At a small size, the setting divided by {k}: N = {n}, V = {v}, d = {d}, {dtype}. torch's profiler "
            "(profile_memory=True) records every allocation of one forward and backward of each path.",
            k=k,
            n=small.n,
            v=small.v,
            d=small.d,
            dtype=small.dtype,
        )
    )
    done_key = f"{prefix}.measured"
    done = st.session_state.setdefault(done_key, set())
    if st.button(t("Measure"), key=f"{prefix}.measure", icon=":material/speed:"):
        done.add(small)
    if small not in done:
        return
    m = measured(small)
    rows = []
    for path, run in ((t("reference path"), m.reference), (t("chunked path"), m.chunked)):
        model = memory.footprint(small, "reference" if run is m.reference else "chunked").peak
        rows.append(
            {
                t("path"): path,
                t("peak (profiler)"): bytes_text(run.peak),
                t("peak (model)"): bytes_text(model),
                t("largest allocation"): bytes_text(run.largest),
                t("CPU time (ms)"): f"{run.seconds * 1e3:.1f}",
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    if m.reference.scratch or m.chunked.scratch:
        st.markdown(
            t(
                "The profiler also counts the scratch buffers oneDNN's matmuls allocate and free within one call "
                "(the largest here: {scratch}), which the model leaves out: without them the reference path's "
                "peak is {reference} and the chunked path's {chunked}.",
                scratch=bytes_text(max(m.reference.scratch, m.chunked.scratch)),
                reference=bytes_text(m.reference.bare),
                chunked=bytes_text(m.chunked.bare),
            )
        )
    st.markdown(_agreement(m))


def _agreement(m: memory.Measurement) -> str:
    """How far apart the two paths' values are, and why."""
    gaps = {"loss": f"{m.loss_gap:.1e}", "grad": f"{m.grad_gap:.1e}"}
    if m.setting.dtype != "float32":
        return t(
            "In bfloat16 the two paths' losses differ by {loss} and their gradients by {grad} (relative): the "
            "reference path rounds its N × V tensors to bfloat16; the chunked path computes each chunk in float32 "
            "but adds up its chunks' losses, and their gradients of W, in bfloat16.",
            **gaps,
        )
    if m.loss_gap < AGREE_BELOW and m.grad_gap < AGREE_BELOW:
        return t(
            "The two paths agree: their losses differ by {loss} and their gradients by {grad} (relative), below 1e-5 "
            "in float32.",
            **gaps,
        )
    return t(
        "The two paths' losses differ by {loss} and their gradients by {grad} (relative): they compute the same "
        "values by different steps, each rounded to float32 (machine epsilon {eps}), and so rounded differently.",
        eps=f"{memory.machine_epsilon('float32'):.1e}",
        **gaps,
    )
