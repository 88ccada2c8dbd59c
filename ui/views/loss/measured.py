"""LinearCrossEntropyLoss's memory panel, its "Measured on this server" part: torch's profiler at the
setting scaled down (core.memory.scaled), what the model predicts there, the table and the sentences
under it; measured once per server and setting, cached for every session."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core import memory
from core.memory import Setting, bytes_text
from ui.kit.i18n import t

# float32's gaps below this are said to be below it
AGREE_BELOW = 1e-5


@st.cache_data(max_entries=256, show_spinner=False)
def measured(s: Setting) -> memory.Measurement:
    """core.memory.measure, shared by every session: a setting is measured once per server."""
    return memory.measure(s)


def measurement(prefix: str, s: Setting) -> None:
    small, k = memory.scaled(s)
    st.subheader(t("Measured on this server"))
    st.caption(
        t(
            "At a small size, the setting divided by {k} (each size at least 1): N = {n}, V = {v}, d = {d}, {dtype}. torch's profiler "
            "(profile_memory=True) records every allocation of one forward and backward of each path.",
            k=k,
            n=small.n,
            v=small.v,
            d=small.d,
            dtype=small.dtype,
        )
        + "  \n"
        + _predicted(s, small)
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
    st.markdown(_times(m))
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


def _predicted(s: Setting, small: Setting) -> str:
    """What the model predicts at the measured size, and its share of the full setting's peaks."""
    reference, chunked = memory.reference(small).peak, memory.chunked(small).peak
    full_reference, full_chunked = memory.reference(s).peak, memory.chunked(s).peak
    return t(
        "There the model predicts peaks of {reference} (reference path) and {chunked} (chunked path), the "
        "table's “peak (model)”: {reference_ratio} and {chunked_ratio} of the {full_reference} and "
        "{full_chunked} above.",
        reference=bytes_text(reference),
        chunked=bytes_text(chunked),
        reference_ratio=_ratio(full_reference, reference),
        chunked_ratio=_ratio(full_chunked, chunked),
        full_reference=bytes_text(full_reference),
        full_chunked=bytes_text(full_chunked),
    )


def _times(m: memory.Measurement) -> str:
    """What the table's CPU times are of, and the chunks and matrix products each path ran."""
    return t(
        "The CPU times are of this small size only, the best of 3 forward and backward passes on one thread "
        "without the profiler; the full setting's were not measured. Here the chunked path ran {chunks} "
        "chunks and {chunked} matrix products, the reference path {reference}.",
        chunks=memory.chunking(m.setting).chunks,
        chunked=m.chunked.matmuls,
        reference=m.reference.matmuls,
    )


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


def _ratio(full: int, small: int) -> str:
    """The small peak's share of the full one: 1/1024, 1/3.5."""
    ratio = full / small
    return f"1/{ratio:.0f}" if ratio >= 100 else f"1/{ratio:.3g}"
