"""LinearCrossEntropyLoss's memory panel (PANELS["lce_memory"]): why the loss exists. Sliders for
tokens N, vocabulary V, hidden size d and dtype; each path's bytes as core/memory.py models them from
torch's code, broken down into the tensors live at each peak, a chart against N on log axes, where
chunking pays; and a measurement with torch's profiler on this server (ui/views/loss/measured.py)."""

from __future__ import annotations

import threading

import numpy as np
import streamlit as st

from core import memory
from core.memory import Setting, bytes_text
from core.params import Choice
from ui.figures.memory import memory_figure
from ui.kit import link, widgets
from ui.kit.charts import show
from ui.kit.i18n import lang, t
from ui.views.loss.measured import measurement

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
# the chart's N: four points an octave over the slider's range
CURVE = np.unique(np.round(2.0 ** np.arange(10, 20.01, 0.25)).astype(int))


def prefix_of(key: str) -> str:
    """The panel's widget keys: <loss>.memory.<name> (?linear_cross_entropy.memory.N=65536)."""
    return widgets.key_of(key, "memory")


def _size_slider(prefix: str, p: Choice) -> int:
    """A numeric choice on a slider of its values (powers of two: a log scale), kept in the link by
    its value like every choice (ui/kit/link.py)."""
    key = widgets.key_of(prefix, p.name)
    labels = {"N": t("tokens N"), "V": t("vocabulary V"), "d": t("hidden size d")}
    value = st.select_slider(
        labels[p.name], options=p.choices, format_func=lambda v: str(int(v)), key=key, help=t(p.help)
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
    st.markdown(
        t(
            "A language model's last layer turns each of N tokens' hidden vectors x (d numbers each) into V "
            "logits, one score per entry of its vocabulary, by multiplying them with the head's weight W (V × d): "
            "the logits are an N × V matrix, and cross-entropy turns them into the loss. The reference path builds "
            "all N × V logits at once, and in backward their gradient too. The chunked path takes the tokens B "
            "rows at a time (B chosen by torch) and turns each chunk's B × V logits into its part of the loss and "
            "of the gradients of x and W before the next chunk: it never holds more than B × V logits."
        )
    )
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
    measurement(prefix, setting)


def _breakdown(f: memory.Footprint) -> str:
    """The tensors live at a path's peak, one line each with its shape and bytes, and their sum."""
    lines = [t("At its peak these tensors are live at once:")]
    lines += [f"- {t(p.what)}, {p.shape}: {bytes_text(p.bytes)}" for p in f.at_peak]
    terms = " + ".join(f"{p.bytes:,}" for p in f.at_peak)
    lines.append("")
    lines.append(t("In bytes: {terms} = {total} ({peak}).", terms=terms, total=f"{f.peak:,}", peak=bytes_text(f.peak)))
    return "\n".join(lines)


def _listed(ns: list[int]) -> str:
    """Slider values as runs of neighbours: 1024, 4096–1048576."""
    values = [int(v) for v in TOKENS.choices]
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in memory.runs(ns, values))


def _here(reference: int, chunked: int) -> str:
    """Whether chunking saves memory at this setting, by how much or what it costs (the two peaks)."""
    if chunked < reference:
        return t(
            "Here chunking saves {saved}: a peak of {chunked} instead of {reference}.",
            saved=bytes_text(reference - chunked),
            chunked=bytes_text(chunked),
            reference=bytes_text(reference),
        )
    if chunked > reference:
        return t(
            "Here chunking costs memory instead of saving it: the chunked path's peak, {chunked}, is {extra} above "
            "the reference path's, {reference}.",
            chunked=bytes_text(chunked),
            extra=bytes_text(chunked - reference),
            reference=bytes_text(reference),
        )
    return t("Here chunking saves nothing: both paths' peaks are {peak}.", peak=bytes_text(chunked))


def _on_the_slider(s: Setting) -> str:
    """At which of the slider's N the chunked path's modelled peak is lower, and where that and torch's
    rule disagree."""
    ns = [int(n) for n in TOKENS.choices]
    lower = list(memory.lower_at(tuple(ns), s.v, s.d, s.dtype))
    span = {"first": ns[0], "last": ns[-1]}
    if len(lower) == len(ns):
        saving = t(
            "By the modelled bytes, the chunked path's peak is lower than the reference path's at every N on the "
            "slider ({first} to {last}).",
            **span,
        )
    elif lower:
        saving = t(
            "By the modelled bytes, the chunked path's peak is lower than the reference path's at the slider's "
            "N = {lower}, and not at N = {higher}.",
            lower=_listed(lower),
            higher=_listed([n for n in ns if n not in lower]),
        )
    else:
        saving = t(
            "By the modelled bytes, the chunked path's peak is lower than the reference path's at no N on the "
            "slider ({first} to {last}).",
            **span,
        )
    wins = [n for n in ns if memory.rule_wins(n, s.v, s.d)]
    differ = [n for n in ns if (n in wins) != (n in lower)]
    why = t(
        "The rule, from LinearCrossEntropyOptions' docstring, looks at the shapes alone, and torch does not apply "
        "it: given options, it runs the chunked path at every N. The modelled peaks add up the bytes of the "
        "tensors each path holds (listed above), which depend on the dtype and on torch's chunk rows B as well."
    )
    if differ:
        verdict = t("On the slider the two disagree at N = {ns}.", ns=_listed(differ))
    else:
        verdict = t("On the slider the two agree at every N.")
    return saving + "  \n" + why + ("" if lang() == "zh" else " ") + verdict


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
        + "\n\n"
        + _breakdown(reference)
    )
    right.metric(t("Chunked path (LinearCrossEntropyOptions()): peak"), bytes_text(chunked.peak))
    right.caption(
        t(
            "One chunk's logits, {rows} × V in {acc}: {chunk}; the gradients of x and W, computed in the forward pass.",
            rows=chunking.rows,
            acc=chunking.acc_dtype,
            chunk=bytes_text(next(p.bytes for p in chunked.parts if p.shape == "B × V")),
        )
        + "\n\n"
        + _breakdown(chunked)
    )
    here = _here(reference.peak, chunked.peak)
    if chunking.rows < s.n:
        chunks = t(
            "The chunked path computes the logits {rows} rows at a time ({chunks} chunks): it never holds "
            "the N × V logits.",
            rows=chunking.rows,
            chunks=chunking.chunks,
        )
    else:
        chunks = t("Here one chunk is all N = {n} rows: the chunked path holds the whole N × V logits.", n=s.n)
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
    st.markdown(here + "  \n" + chunks + "\n\n" + rule + "  \n" + _on_the_slider(s))
    references, chunkeds, logits_curve = memory.curve(tuple(int(n) for n in CURVE), s.v, s.d, s.dtype)
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
            list(references),
            list(chunkeds),
            list(logits_curve),
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
