"""The view of one loss: inputs and parameters, the value from torch, the curve and its
gradient, the computation by hand, the reductions, the code. Pages call `render(key)`."""

from __future__ import annotations

import functools
import json
import urllib.parse

import numpy as np
import pandas as pd
import streamlit as st

from core import compute, ctc
from core.catalog import BY_KEY
from core.ctc_lab import class_names
from core.flags import TEXT as FLAG_TEXT
from core.latex import number_text
from core.params import LossValueError
from core.snippet import snippet
from core.spec import LossSpec
from ui.figures.loss import curve_figure, heatmap_figure
from ui.kit import widgets
from ui.kit.admission import one_at_a_time
from ui.kit.charts import show
from ui.kit.i18n import begin_run, error_text, in_any_language, t, translated_choice
from ui.kit.layout import FAMILY_ICONS, FAMILY_TITLES, setup
from ui.kit.lecture import presenting
from ui.kit.safe import quoted
from ui.views.loss import extras as geometry

# The parameter that is the point of a loss, and a few values of it whose curves can be overlaid.
CUSTOM = "custom"


@one_at_a_time
def render(key: str) -> None:
    spec = BY_KEY[key]
    setup(spec.title, FAMILY_ICONS[spec.family])
    notices = widgets.seed(spec.key, spec.all_inputs + spec.params)
    preset_key = widgets.key_of(spec.key, "preset")
    if preset_key not in st.session_state:
        wanted = _preset_in_link(spec, st.query_params.get(preset_key, CUSTOM))
        if wanted not in [CUSTOM] + [p.key for p in spec.presets]:
            notices.append(t("The link's preset {value} does not exist; showing the sliders.", value=quoted(wanted)))
            wanted = CUSTOM
        st.session_state[preset_key] = wanted
        if wanted != CUSTOM:  # a link to a preset: its values, except those the link sets itself
            _apply_preset(spec, spec.preset(wanted), keep=set(st.query_params))

    st.title(spec.title)
    st.caption(f"{FAMILY_ICONS[spec.family]} {t(FAMILY_TITLES[spec.family])} · `torch.nn.{spec.title}`")
    st.write(t(spec.summary))
    for notice in notices:
        st.warning(notice, icon="🔗")
    _explorer(spec, preset_key)


@st.fragment
@one_at_a_time
def _explorer(spec: LossSpec, preset_key: str) -> None:
    """Everything a control changes. A fragment: moving a slider reruns this function only, not the
    page's setup, sidebar and header (what lets a class use the app at once, bench/load.py)."""
    begin_run()
    preset = _preset_picker(spec, preset_key)
    values, params = _controls(spec, preset)
    values, case = _case(spec, values, params, preset)
    case_params = _fit_to_case(spec, case, params)
    result = compute.evaluate(spec, case, case_params)

    _value_panel(spec, result, case, preset, values, params)
    _curve_panel(spec, values, params)
    geometry.render(spec, values, params)
    if spec.panel:
        PANELS[spec.panel](case, params, result)
    # presentation mode keeps the formula and the lesson, and hides the secondary panels
    panels = ("by_hand", "notice") if presenting() else ("by_hand", "reductions", "code", "notice")
    titles = {
        "by_hand": t("By hand"),
        "reductions": t("Reductions"),
        "code": t("Copy as PyTorch"),
        "notice": t("What to notice"),
    }
    # Only the open tab runs (switching tabs reruns this fragment): the batch table and the code
    # are not computed on every slider move. The open panel is remembered by name, so it stays
    # open when the language (and so every label) changes.
    tab_key, panel_key = widgets.key_of(spec.key, "tab"), widgets.key_of(spec.key, "panel")
    opened = st.session_state.get(panel_key, "by_hand")

    def remember():
        chosen = {title: panel for panel, title in titles.items()}.get(st.session_state[tab_key])
        st.session_state[panel_key] = chosen or "by_hand"

    # The open tab goes in through session state, not `default`: the tabs' identity includes
    # `default`, and a default that followed the open tab re-created them on every switch (the
    # keyboard's focus fell to <body>). Set only when the stored label is not one of today's (a
    # language switch, a first visit).
    labels = [titles[p] for p in panels]
    if st.session_state.get(tab_key) not in labels:
        st.session_state[tab_key] = titles[opened] if opened in panels else labels[0]
    tabs = st.tabs(labels, key=tab_key, on_change=remember)
    for panel, tab in zip(panels, tabs, strict=True):
        if tab.open is False:
            continue
        with tab:
            if panel == "by_hand":
                _by_hand(spec, case, case_params, result)
            elif panel == "reductions":
                _reductions(spec, values, params)
            elif panel == "code":
                st.code(snippet(spec, case, case_params), language="python")
                st.caption(t("Paste it into Python: it prints the value shown above."))
            else:
                st.info(t(spec.notice), icon="👀")
                if spec.pitfall:
                    st.warning(t(spec.pitfall), icon="⚠️")
    _share(spec)


# ---------------------------------------------------------------- controls


def _preset_picker(spec: LossSpec, key: str):
    options = [CUSTOM] + [p.key for p in spec.presets]
    titles = {CUSTOM: t("Sliders"), **{p.key: t(p.title) for p in spec.presets}}

    def apply():
        chosen = st.session_state[key]
        widgets.reset(spec.key, spec.all_inputs + spec.params)
        if chosen != CUSTOM:
            _apply_preset(spec, spec.preset(chosen))

    # not bound to the link: Streamlit writes a bound selectbox's shown title there and drops a key
    # it does not show (?kl_div.preset=article): the link keeps the preset's key instead
    st.selectbox(
        t("Preset"),
        options,
        format_func=titles.get,
        key=translated_choice(key),
        on_change=apply,
        help=t("A starting point: the article's example, or a case worth seeing."),
    )
    chosen = st.session_state[key]
    widgets.keep_in_link(key, chosen, CUSTOM)
    return None if chosen == CUSTOM else spec.preset(chosen)


def _preset_in_link(spec: LossSpec, raw: str) -> str:
    """A link names a preset by its key (?huber.preset=outlier) or, copied from the address bar, by
    its title in either language (Streamlit writes the shown text there)."""
    titles = {CUSTOM: "Sliders", **{p.key: p.title for p in spec.presets}}
    return next((key for key, title in titles.items() if raw == key or raw in in_any_language(title)), raw)


def _apply_preset(spec: LossSpec, preset, keep: set = frozenset()) -> None:
    widgets.set_values(spec.key, spec.all_inputs, preset.values, keep)
    widgets.set_values(spec.key, spec.params, preset.params, keep)


def _controls(spec: LossSpec, preset) -> tuple[dict, dict]:
    exact = preset is not None and preset.make is not None
    left, right = st.columns(2, gap="large")
    values = {}
    preset_key = widgets.key_of(spec.key, "preset")

    def leave_preset():
        # a preset is a state, and its note is true of that state (issue 12): a moved input leaves it
        # for the sliders (with exact tensors, moving one would change the curve and not the value,
        # issue 11), and so does a changed parameter of a preset made of slider values. An exact
        # preset keeps its tensors under other parameters; its note shows only while they are its own.
        st.session_state[preset_key] = CUSTOM

    leave = leave_preset if preset is not None else None

    with left:
        st.subheader(t("Inputs"))
        if exact:
            st.caption(
                t(
                    "The value comes from the preset's own tensors, not from these inputs; moving one "
                    "leaves the preset for the sliders."
                )
            )
        current = {p.name: st.session_state[widgets.key_of(spec.key, p.name)] for p in spec.options}
        for p in spec.visible_inputs(current) + spec.options:
            values[p.name] = widgets.param_input(spec.key, p, on_change=leave)
    with right:
        st.subheader(t("Parameters"))
        params = {p.name: widgets.param_input(spec.key, p, on_change=None if exact else leave) for p in spec.params}
    values = {**{p.name: st.session_state[widgets.key_of(spec.key, p.name)] for p in spec.inputs}, **values}
    return _valid_values(spec, values), _valid_params(spec, params)


def _valid_values(spec, values):
    """Values the computation can use: a bad one is reported and replaced by its default."""
    try:
        compute.sample_case(spec, values, {})
        return values
    except LossValueError as error:
        st.error(
            t("{message} — showing the default {name} instead.", message=_error_text(error), name=error.name), icon="🚫"
        )
        bad = error.name
    fixed = {**values, bad: spec.defaults()[bad]} if bad in values else spec.defaults()
    try:
        compute.sample_case(spec, fixed, {})
        return fixed
    except LossValueError:
        return spec.defaults()


def _valid_params(spec, params):
    try:
        return compute.check_params(spec, params)
    except LossValueError as error:
        st.error(_error_text(error), icon="🚫")
        return compute.check_params(spec, {})


def _error_text(error: LossValueError) -> str:
    return error_text(error)


def _case(spec, values, params, preset):
    """The values and tensors shown: a combination the loss refuses falls back to the defaults."""
    try:
        case = compute.sample_case(spec, values, params)
    except LossValueError as error:  # e.g. a negative input once log_input is off
        st.error(_error_text(error), icon="🚫")
        values = spec.defaults()
        case = compute.sample_case(spec, values, params)
    if preset is not None and preset.make is not None:
        case = preset.make()
    return values, case


def _fit_to_case(spec, case, params) -> dict:
    """The parameters for the tensors shown: a class-weight vector that does not match a preset's
    number of classes is left out, and the page says so (the curve keeps the sliders' classes)."""
    misfits = compute.class_vector_misfits(spec, case, params)
    for name, length, classes in misfits:
        st.warning(
            t(
                "The preset's tensors have {classes} classes, {name} has {length} entries: "
                "{name} is left out of the value below (the curve still uses it).",
                classes=classes,
                name=name,
                length=length,
            ),
            icon="⚖️",
        )
    return {**params, **{name: None for name, _, _ in misfits}}


# ---------------------------------------------------------------- results


def _as_opened(spec, preset, values: dict, params: dict) -> bool:
    """Whether the page still shows the state the preset opened (its note is true of that state):
    the same parameters, and for a preset of slider values the same values."""
    opened_values, opened_params = spec.opened_by(preset)
    if compute.check_params(spec, params) != compute.check_params(spec, opened_params):
        return False
    return preset.make is not None or compute.check_values(spec, values) == compute.check_values(spec, opened_values)


def _value_panel(spec, result, case, preset, values: dict, params: dict):
    with st.container(border=True):
        cols = st.columns([2, 3])
        value = result.value
        shown = number_text(value) if np.ndim(value) == 0 else ", ".join(number_text(v) for v in np.ravel(value)[:6])
        cols[0].metric(t("Loss · reduction='{r}'", r=result.reduction), shown)
        status = {"finite": t("finite ✓"), "inf": t("infinite ∞"), "nan": t("not a number (NaN)")}[result.status]
        cols[0].caption(t("computed by torch.nn.{title} · {status}", title=spec.title, status=status))
        # one caption, a line each (every element is a message to every browser, on every move)
        lines = (
            [t(preset.note)] if preset is not None and preset.note and _as_opened(spec, preset, values, params) else []
        )
        shapes = ", ".join(f"{name} {tuple(v.shape)}" for name, v in case.args.items())
        lines.append(t("Tensors: {shapes}", shapes=shapes))
        loss = "loss" if result.reduction != "none" else "Σloss"  # for 'none', the gradient of the sum
        shown_grads = [(name, grad) for name, grad in result.grads.items() if grad.size <= 6]
        for name, grad in shown_grads:
            lines.append(f"∂{loss}/∂{name} = " + ", ".join(number_text(g) for g in np.ravel(grad)))
        if shown_grads and spec.grad_note:
            lines.append(t(spec.grad_note))
        cols[1].caption("  \n".join(lines))
    for flag in result.flags:
        (st.error if result.status != "finite" else st.warning)(t(FLAG_TEXT[flag.code]).format(**flag.values), icon="⚠️")


def _curve_labels(spec):
    return {"x": t(spec.sweep.label), "loss": t("loss"), "grad": t("gradient"), "point": t("current")}


def _curve_panel(spec, values, params):
    st.subheader(t("Curve and gradient"))
    overlay_param, overlay_values = spec.overlay or (None, ())
    overlays = ()
    if overlay_param:
        on = st.toggle(
            t("Compare {name} values", name=overlay_param), key=widgets.key_of(spec.key, "overlay"), bind=widgets.BIND
        )
        if on:
            overlays = tuple(
                (f"{overlay_param}={v:g}", shared_curve(spec, values, {**params, overlay_param: v}))
                for v in overlay_values
                if not np.isclose(v, params[overlay_param])
            )
    curve = shared_curve(spec, values, params)
    if not np.isfinite(curve.loss).any():
        st.info(
            t("The loss is infinite (or NaN) at every point of this curve: there is no line to draw."),
            icon="♾️",
        )
        return
    show(
        curve_figure(curve, _curve_labels(spec), overlays),
        key=widgets.key_of(spec.key, "chart"),
    )
    st.caption(
        t(
            "The loss of the sample as the swept input varies (the others fixed), as reduction='sum' "
            "gives it for this one sample; below, its derivative by autograd."
        )
    )


def shared_curve(spec: LossSpec, values: dict, params: dict) -> compute.Curve:
    """`compute.curve`, shared by every session: a class opening a page, or following the lecturer
    to the same values, draws the same curves (CTC's costs a CTC forward and backward per point)."""
    return _curve(spec.key, _frozen(values), _frozen(params))


@functools.lru_cache(maxsize=2048)
def _curve(key: str, values: tuple, params: tuple) -> compute.Curve:
    return compute.curve(BY_KEY[key], dict(values), dict(params))


def _frozen(mapping: dict) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in mapping.items()))


def _ctc_gradient(case, params, result):
    # the first sequence's logits z (log_probs = log_softmax(z)): (T, C)
    grad = ctc.logit_gradient(case.args, params["blank"], params["reduction"], params["zero_infinity"])[:, 0].numpy()
    st.subheader(t("Gradient over time × class"))
    # no alignment for the first sequence: NaN, or zeros under zero_infinity (not p − γ)
    if any(f.code == "ctc_infeasible" and f.values["n"] == 0 for f in result.flags):
        st.info(
            t("Where the loss is infinite its gradient is not defined (NaN); zero_infinity=True sets it to zero."),
            icon="♾️",
        )
        return
    show(
        heatmap_figure(
            grad.T,
            range(grad.shape[0]),
            class_names(grad.shape[1], params["blank"]),
            {"x": t("time t"), "y": t("class")},
        ),
        key="ctc.grad",
    )
    st.caption(
        t(
            "∂loss/∂z_t(c) for the first sequence, z its logits (log_probs = log_softmax(z)): the softmax "
            "minus the occupancy, p_t(c) − γ_t(c), scaled by the reduction. Red: gradient descent raises "
            "that logit; blue: it lowers it."
        )
    )


# panels drawn from the evaluated case, by the name a LossSpec declares (LossSpec.panel)
PANELS = {"ctc_gradient": _ctc_gradient}


def _by_hand(spec, case, params, result):
    st.latex(spec.formula)
    try:
        breakdown = compute.breakdown(spec, case, params)
    except LossValueError as error:
        st.error(_error_text(error))
        return
    for line in breakdown.lines:
        st.latex(line)
    if breakdown.hidden:
        st.caption(t("… and {n} more elements.", n=breakdown.hidden))
    same = np.allclose(breakdown.value, result.value, rtol=1e-9, atol=1e-12, equal_nan=True)
    if same:
        st.success(
            t(
                "By hand: {value}. torch: {torch}. The same number.",
                value=_num(breakdown.value),
                torch=_num(result.value),
            ),
            icon="✅",
        )
    else:
        st.error(
            t("By hand: {value}. torch: {torch}. They differ.", value=_num(breakdown.value), torch=_num(result.value))
        )


def _num(x) -> str:
    return number_text(x) if np.ndim(x) == 0 else "[" + ", ".join(number_text(v) for v in np.ravel(x)[:6]) + "]"


# The batch table's largest size. Streamlit applies a table's added rows one by one (a pandas append
# each, quadratic): 3 000 pasted rows cost 5-16 s of server CPU, again on every later rerun, since
# the browser resends its edits. At 100 rows the costliest loss (CTCLoss) reruns in about 0.09 s of
# CPU (300 rows: 0.26 s; tests/app/test_cost.py holds the bound), and a class needs a handful of rows.
MAX_ROWS = 100


def _reductions(spec, values, params):
    st.caption(t("Edit the batch: one row per sample. The table is not part of the link."))
    frame = pd.DataFrame(list(spec.batch))
    edited = st.data_editor(
        frame,
        num_rows="dynamic",
        key=_editor_key(spec, len(frame)),
        hide_index=True,
        column_config=_column_config(spec),
    )
    rows = [{k: _plain(v) for k, v in row.items()} for row in edited.to_dict("records")]
    options = {p.name: values[p.name] for p in spec.options}
    try:
        case = compute.batch_case(spec, rows, options, params)
    except LossValueError as error:
        st.error(t("The table: {message}. Showing the original batch.", message=_error_text(error)), icon="🚫")
        case = compute.batch_case(spec, list(spec.batch), options, params)
    result = compute.evaluate(spec, case, params)
    per = np.asarray(result.per_element)
    table = pd.DataFrame(per.reshape(per.shape[0], -1) if per.ndim else per.reshape(1, 1))
    table.columns = [f"ℓ[{c}]" for c in range(table.shape[1])] if table.shape[1] > 1 else ["ℓ (none)"]
    st.dataframe(table, width="stretch")
    cols = st.columns(len(result.by_reduction))
    for col, (reduction, value) in zip(cols, result.by_reduction.items(), strict=True):
        chosen = " ◀" if reduction == result.reduction else ""
        col.metric(f"{reduction}{chosen}", number_text(value))
    if result.reduction != "none":
        none = np.asarray(compute.scratch_value(spec, case, {**params, "reduction": "none"})).reshape(-1)
        st.latex(compute.reduction_line(spec, {k: v for k, v in case.args.items()}, params, none, float(result.value)))


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


def _column_config(spec):
    config = {}
    for p in spec.inputs:
        if p.kind == "float":
            config[p.name] = st.column_config.NumberColumn(
                p.name, min_value=p.low, max_value=p.high, help=t(p.help), format="%.3f"
            )
        elif p.kind == "choice":
            config[p.name] = st.column_config.SelectboxColumn(p.name, options=list(p.choices), help=t(p.help))
        elif p.kind == "bool":
            config[p.name] = st.column_config.CheckboxColumn(p.name, help=t(p.help))
        elif p.kind == "int":
            config[p.name] = st.column_config.NumberColumn(
                p.name, min_value=p.low, max_value=p.high, step=1, help=t(p.help)
            )
        else:
            config[p.name] = st.column_config.TextColumn(p.name, help=t(p.help), max_chars=p.length)
    return config


def _plain(v):
    """A table cell as a plain Python value: numpy scalars unwrapped, empty cells as None."""
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and np.isnan(v):
        return None
    return v


def _share(spec):
    with st.popover(t("Share this view"), icon="🔗"):
        base = (st.context.url or "").split("?")[0]
        query = urllib.parse.urlencode(st.query_params.to_dict())
        st.code(f"{base}?{query}" if query else base, language=None)
        st.caption(
            t(
                "The address bar always holds this link: every input, parameter and the preset; the batch table is not in it."
            )
        )
