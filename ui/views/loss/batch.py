"""The loss page's Reductions tab: a batch whose row 0 is the sliders' sample (it follows them) and whose
other rows are an editable table (`st.data_editor`, a source of its own, validated by core), every
reduction of it, and how the chosen one is made; the table's bounds (MAX_ROWS) and its key."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import streamlit as st

from core import compute
from core.latex import number_text
from core.params import LossValueError
from ui.kit import widgets
from ui.kit.i18n import error_text, t

Sample = compute.Sample


# The batch table's largest size. Streamlit applies a table's added rows one by one (a pandas append
# each, quadratic): 3 000 pasted rows cost 5-16 s of server CPU, again on every later rerun, since
# the browser resends its edits. At 100 rows the costliest loss (CTCLoss) reruns in about 0.09 s of
# CPU (300 rows: 0.26 s; tests/app/test_cost.py holds the bound), and a class needs a handful of rows.
MAX_ROWS = 100


def reductions(sample: Sample, shown: Sample, shown_result: compute.Evaluation) -> None:
    """The batch: the sliders' sample as its row 0 (drawn apart, read-only: it follows the sliders), then
    the editable table's rows (a source of their own, validated), under the sliders' options and
    parameters; every reduction of it, and how the chosen one is made. The table's data is always the
    spec's rows, so its identity (Streamlit's, from its data) and the edits kept under its key survive
    a slider move. `shown` and its result are the value above: the page says when row 0 is not it."""
    spec = sample.spec
    st.caption(t("Edit the batch: one row per sample. The table is not part of the link."))
    columns = {p.name: widgets.table_column(p) for p in spec.inputs}
    first = {p.name: sample.values[p.name] for p in spec.inputs}
    st.dataframe(pd.DataFrame([first]), column_config=columns)  # row 0: read-only, not the editor
    frame = pd.DataFrame(list(spec.batch))
    edited = st.data_editor(
        frame,
        num_rows="dynamic",
        key=_editor_key(spec, len(frame)),
        hide_index=True,
        column_config=columns,
    )
    rows = [{k: _plain(v) for k, v in row.items()} for row in edited.to_dict("records")]
    try:
        batch = compute.batch_of(sample, rows)
    except LossValueError as error:
        st.error(t("The table: {message}. Showing the original batch.", message=error_text(error)), icon="🚫")
        batch = compute.batch_of(sample, list(spec.batch))
    result = compute.evaluation_of(batch)
    _first_row_note(sample, shown, shown_result, result)
    per = np.asarray(result.per_element)
    table = pd.DataFrame(per.reshape(per.shape[0], -1) if per.ndim else per.reshape(1, 1))
    table.columns = [f"ℓ[{c}]" for c in range(table.shape[1])] if table.shape[1] > 1 else ["ℓ (none)"]
    st.dataframe(table, width="stretch")
    cols = st.columns(len(result.by_reduction))
    for col, (reduction, value) in zip(cols, result.by_reduction.items(), strict=True):
        chosen = " ◀" if reduction == result.reduction else ""
        col.metric(f"{reduction}{chosen}", number_text(value))
    if result.reduction != "none":
        none = np.asarray(compute.scratch_of(batch.reduced("none"))).reshape(-1)
        args = dict(batch.case.args)
        st.latex(compute.reduction_line(spec, args, batch.params, none, float(result.value)))


def _first_row_note(sample: Sample, shown: Sample, shown_result: compute.Evaluation, result) -> None:
    """Whether the batch's row 0 is the value above: the preset's own tensors are no row of the table;
    the sliders' sample is, when torch gives row 0 its per-element losses (CTCLoss's build draws a
    batch's noise for its longest T: spec.batch_apart says why it may not)."""
    if shown.case is not sample.case:
        shapes = ", ".join(f"{name} {tuple(v.shape)}" for name, v in shown.case.args.items())
        st.info(
            t(
                "The value above is of the preset's own tensors ({shapes}), which are not a row of this table: "
                "the batch below is another one, the sliders' sample in row 0, then the table's rows.",
                shapes=shapes,
            ),
            icon="🔀",
        )
        return
    row, value = compute.first_row(result), np.asarray(shown_result.per_element)
    if compute.same_losses(row, value):
        st.caption(
            t(
                "Row 0 is the sliders' sample: it follows them and is not edited here, and torch gives it the "
                "per-element losses of the value above. Edit, add or delete the table's rows; without them the "
                "batch is that one sample."
            )
        )
        return
    lines = [
        t(
            "Row 0 holds the sliders' values, but in this batch torch gives it {row}, where the value above has "
            "{value}: the batch below is another one.",
            row=_elements(row),
            value=_elements(value),
        )
    ]
    if sample.spec.batch_apart:
        lines.append(t(sample.spec.batch_apart))
    st.warning("  \n".join(lines), icon="🔀")


def _elements(x) -> str:
    return ", ".join(number_text(v) for v in np.ravel(x))


def _editor_key(spec, rows: int) -> str:
    """The batch table's widget key, checked before the table is drawn: an edit that makes the table
    larger than MAX_ROWS is refused before Streamlit applies it (that is the slow part), and the table
    gets a new key, so that the browser drops the edit instead of sending it with every later move."""
    base = widgets.key_of(spec.key, "batch")
    generation_key = f"{base}.generation"
    generation = st.session_state.get(generation_key, 0)
    key = base if generation == 0 else f"{base}.{generation}"
    size, changes = _edited_size(st.session_state.get(key), rows)
    if size <= MAX_ROWS and changes <= MAX_ROWS:
        return key
    del st.session_state[key]
    st.session_state[generation_key] = generation + 1
    message = (
        t(
            "The table holds at most {limit} rows, and this edit gave {rows}: it is back to the original batch.",
            limit=MAX_ROWS,
            rows=size,
        )
        if size > MAX_ROWS
        else t(
            "An edit may change at most {limit} rows, and this one named {rows}: the table is back to the "
            "original batch.",
            limit=MAX_ROWS,
            rows=changes,
        )
    )
    st.error(message, icon="🚫")
    return f"{base}.{generation + 1}"


def _edited_size(edits, rows: int) -> tuple[int, int]:
    """The rows the table would hold after an editor's raw edit state ({"edited_rows", "added_rows",
    "deleted_rows"}; a JSON text as the browser sends it, a dict once read), and how many rows it edits
    or deletes (more than the table has only in a crafted state)."""
    if isinstance(edits, str):
        try:
            edits = json.loads(edits)
        except ValueError:
            return 0, 0  # not an edit state: Streamlit's own deserializer reports it
    if not isinstance(edits, dict):
        return 0, 0
    sizes = {
        name: len(part) if isinstance(part := edits.get(name), (list, dict)) else 0
        for name in ("edited_rows", "added_rows", "deleted_rows")
    }
    table = max(rows - sizes["deleted_rows"], 0) + sizes["added_rows"]
    return table, max(sizes["edited_rows"], sizes["deleted_rows"])


def _plain(v):
    """A table cell as a plain Python value: numpy scalars unwrapped, empty cells as None."""
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and np.isnan(v):
        return None
    return v
