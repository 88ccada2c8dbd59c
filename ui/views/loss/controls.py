"""The loss page's controls: the preset picker, the sliders of the inputs and parameters, and the
boundary where their values are validated, once, into a `compute.Sample` that every panel below
trusts. A value the loss refuses is reported and replaced by its default."""

from __future__ import annotations

import streamlit as st

from core import compute
from core.params import LossValueError, Vector
from core.spec import LossSpec, Preset
from ui.kit import link, widgets
from ui.kit.i18n import error_text, in_any_language, t, translated_choice

# The preset picker's entry for "no preset": the sliders' own values.
CUSTOM = "custom"


def preset_picker(spec: LossSpec, key: str) -> Preset | None:
    options = [CUSTOM] + [p.key for p in spec.presets]
    titles = {CUSTOM: t("Sliders"), **{p.key: t(p.title) for p in spec.presets}}

    def apply():
        chosen = st.session_state[key]
        widgets.reset(spec.key, spec.all_inputs + spec.params)
        if chosen != CUSTOM:
            apply_preset(spec, spec.preset(chosen))

    # not bound to the link: Streamlit writes a bound selectbox's shown title there and drops a key
    # it does not show (?kl_div.preset=article): the link keeps the preset's key instead
    st.selectbox(
        t("Preset"),
        options,
        format_func=lambda option: titles[option],
        key=translated_choice(key),
        on_change=apply,
        help=t("A starting point: the article's example, or a case worth seeing."),
    )
    chosen = st.session_state[key]
    link.keep(key, chosen, CUSTOM)
    return None if chosen == CUSTOM else spec.preset(chosen)


def preset_in_link(spec: LossSpec, raw: str) -> str:
    """A link names a preset by its key (?huber.preset=outlier) or, copied from the address bar, by
    its title in either language (Streamlit writes the shown text there)."""
    titles = {CUSTOM: "Sliders", **{p.key: p.title for p in spec.presets}}
    return next((key for key, title in titles.items() if raw == key or raw in in_any_language(title)), raw)


def apply_preset(spec: LossSpec, preset: Preset, keep: set | frozenset = frozenset()) -> None:
    widgets.set_values(spec.key, spec.all_inputs, preset.values, keep)
    widgets.set_values(spec.key, spec.params, preset.params, keep)


def sample(spec: LossSpec, preset: Preset | None) -> compute.Sample:
    """Draw the inputs and parameters, and return their values validated once (the boundary)."""
    exact = preset is not None and preset.make is not None
    values = {}
    preset_key = widgets.key_of(spec.key, "preset")

    def leave_preset():
        # a preset is a state, and its note is true of that state (issue 12): a moved input leaves it
        # for the sliders (with exact tensors, moving one would change the curve and not the value,
        # issue 11), and so does a changed parameter of a preset made of slider values. An exact
        # preset keeps its tensors under other parameters; its note shows only while they are its own.
        st.session_state[preset_key] = CUSTOM

    leave = leave_preset if preset is not None else None

    st.subheader(t("Inputs"))
    if exact:
        st.caption(
            t(
                "The value comes from the preset's own tensors, not from these inputs; moving one "
                "leaves the preset for the sliders."
            )
        )
    # what hides an input or an option: an option, or a parameter (LinearCrossEntropyLoss's bias)
    switches = [p for p in spec.options + spec.params if not isinstance(p, Vector)]
    current = {p.name: widgets.value_of(st.session_state[widgets.key_of(spec.key, p.name)]) for p in switches}
    for p in spec.visible_inputs(current) + spec.visible_options(current):
        values[p.name] = widgets.param_input(spec.key, p, on_change=leave)
    st.subheader(t("Parameters"))
    params = {p.name: widgets.param_input(spec.key, p, on_change=None if exact else leave) for p in spec.params}
    values = {
        **{p.name: widgets.value_of(st.session_state[widgets.key_of(spec.key, p.name)]) for p in spec.all_inputs},
        **values,
    }
    return checked(spec, values, params)


def checked(spec: LossSpec, values: dict, params: dict) -> compute.Sample:
    """The values and parameters validated once, and their tensors built once. What is refused is
    reported and falls back: a bad value to its default, bad parameters to torch's defaults, and a
    combination the loss refuses (a negative rate once log_input is off) to the default values."""
    values = _valid_values(spec, values)
    params, refused = _valid_params(spec, params)
    try:
        result = compute.Sample.trusted(spec, values, params)
    except LossValueError:
        result = None
        values = _buildable(spec, values)
    if refused is not None:
        st.error(error_text(refused), icon="🚫")
    if result is None:
        try:
            result = compute.Sample.trusted(spec, values, params)
        except LossValueError as error:
            st.error(error_text(error), icon="🚫")
            result = compute.Sample.trusted(spec, spec.defaults(), params)
    return result


def _refused_value(error: LossValueError) -> None:
    st.error(
        t("{message} — showing the default {name} instead.", message=error_text(error), name=error.name), icon="🚫"
    )


def _fixed(spec: LossSpec, values: dict, error: LossValueError) -> dict:
    """The values with the one refused replaced by its default (every default when the error names
    no single value)."""
    return {**values, error.name: spec.defaults()[error.name]} if error.name in values else spec.defaults()


def _valid_values(spec: LossSpec, values: dict) -> dict:
    """Validated values: a bad one is reported and replaced by its default (then, as before, the
    values must also make tensors under torch's default parameters, or every value is the default)."""
    try:
        return compute.check_values(spec, values)
    except LossValueError as error:
        _refused_value(error)
        fixed = _fixed(spec, values, error)
    try:
        return compute.check(spec, fixed, {}).values
    except LossValueError:
        return spec.defaults()


def _buildable(spec: LossSpec, values: dict) -> dict:
    """Valid values whose tensors the loss refused: if it refuses them under torch's default
    parameters too, the value it names is reported and replaced by its default (only on this path:
    the tensors are built a second time only for a refused combination)."""
    defaults = compute.check_params(spec, {})
    try:
        compute.Sample.trusted(spec, values, defaults)
        return values
    except LossValueError as error:
        _refused_value(error)
        fixed = _fixed(spec, values, error)
    try:
        compute.Sample.trusted(spec, fixed, defaults)
        return fixed
    except LossValueError:
        return spec.defaults()


def _valid_params(spec: LossSpec, params: dict) -> tuple[dict, LossValueError | None]:
    """Validated parameters, or torch's defaults and the error that refused them."""
    try:
        return compute.check_params(spec, params), None
    except LossValueError as error:
        return compute.check_params(spec, {}), error


def shown(sample: compute.Sample, preset: Preset | None) -> compute.Sample:
    """What the value, the computation by hand and the code show: the sample, or an exact preset's
    own tensors, with the parameters fitted to them."""
    if preset is not None and preset.make is not None:
        sample = sample.showing(preset.make())
    return fit_to_case(sample)


def fit_to_case(sample: compute.Sample) -> compute.Sample:
    """The parameters for the tensors shown: a class-weight vector that does not match a preset's
    number of classes is left out, and the page says so (the curve keeps the sliders' classes)."""
    misfits = compute.class_vector_misfits(sample.spec, sample.case, sample.params)
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
    if not misfits:
        return sample
    return sample.showing(sample.case, {**sample.params, **{name: None for name, _, _ in misfits}})
