"""The loss page's panels, each drawn from a validated `compute.Sample` it trusts: the value from
torch, the curve and its gradient, the computation by hand, the code, and the extra panels a LossSpec
declares by name (PANELS: the CTC gradient heatmap). The reductions over a batch are in batch.py."""

from __future__ import annotations

import functools

import numpy as np
import streamlit as st

from core import compute, ctc
from core.catalog import BY_KEY
from core.ctc_lab import class_names
from core.flags import TEXT as FLAG_TEXT
from core.latex import number_text
from core.params import LossValueError
from core.snippet import snippet_of
from core.spec import Preset
from ui.figures.loss import curve_figure, heatmap_figure
from ui.kit import widgets
from ui.kit.charts import show
from ui.kit.i18n import error_text, t
from ui.kit.lecture import presenting
from ui.views.loss.equality import linear_equality
from ui.views.loss.memory import lce_memory

Sample = compute.Sample

# ---------------------------------------------------------------- the value


def _as_opened(sample: Sample, preset: Preset) -> bool:
    """Whether the page still shows the state the preset opened (its note is true of that state):
    the same parameters, and for a preset of slider values the same values. (The preset's own
    values are another source: validated here, once a run, to compare them.)"""
    spec = sample.spec
    opened_values, opened_params = spec.opened_by(preset)
    if sample.params != compute.check_params(spec, opened_params):
        return False
    return preset.make is not None or sample.values == compute.check_values(spec, opened_values)


def _value_text(result: compute.Evaluation) -> str:
    value = result.value
    return number_text(float(value)) if np.ndim(value) == 0 else ", ".join(number_text(v) for v in np.ravel(value)[:6])


def value_line(result: compute.Evaluation) -> None:
    """The value in one line, for a phone: shown there only, above the sliders (ui/kit/style.py)."""
    label = t("Loss · reduction='{r}'", r=result.reduction)
    st.markdown(f"**{label}** = {_value_text(result)}")


def value_panel(shown: Sample, result: compute.Evaluation, preset: Preset | None, sample: Sample) -> str | None:
    """torch's value and gradients for the tensors `shown`; the preset's note while `sample` (the
    sliders) is still in the state the preset opened. In presentation mode the box holds the value
    alone, and the lines about it are returned, for `value_details` under the columns: at a
    projector's size they would push the curve off the screen."""
    spec, case = shown.spec, shown.case
    with st.container(border=True):
        st.metric(t("Loss · reduction='{r}'", r=result.reduction), _value_text(result))
        status = {"finite": t("finite ✓"), "inf": t("infinite ∞"), "nan": t("not a number (NaN)")}[result.status]
        # one caption (every element is a message to every browser, on every move), in few lines: the
        # value and the curve share the screen with the controls
        shapes = ", ".join(f"{name} {tuple(v.shape)}" for name, v in case.args.items())
        lines = [
            t("computed by torch.nn.{title} · {status}", title=spec.title, status=status)
            + " · "
            + t("Tensors: {shapes}", shapes=shapes)
        ]
        if preset is not None and preset.note and _as_opened(sample, preset):
            lines.append(t(preset.note))
        loss = "loss" if result.reduction != "none" else "Σloss"  # for 'none', the gradient of the sum
        shown_grads = [(name, grad) for name, grad in result.grads.items() if grad.size <= 6]
        if shown_grads:
            lines.append(
                " · ".join(
                    f"∂{loss}/∂{name} = " + ", ".join(number_text(g) for g in np.ravel(grad))
                    for name, grad in shown_grads
                )
            )
        if shown_grads and spec.grad_note:
            lines.append(t(spec.grad_note))
        details = "  \n".join(lines)
        if not presenting():
            st.caption(details)
    return details if presenting() else None


def flag_notes(result: compute.Evaluation) -> None:
    """Why the value or a gradient is not finite, clamped or not what was meant: under the curve, which
    stays beside the controls with the value."""
    for flag in result.flags:
        (st.error if result.status != "finite" else st.warning)(t(FLAG_TEXT[flag.code]).format(**flag.values), icon="⚠️")


def value_details(*details: str | None) -> None:
    """The lines about the value and the curve that presentation mode moves under the columns
    (`value_panel`, `curve_panel`)."""
    for text in details:
        if text:
            st.caption(text)


# ---------------------------------------------------------------- the curve


def _curve_labels(spec):
    return {"x": t(spec.sweep.label), "loss": t("loss"), "grad": t("gradient"), "point": t("current")}


def _overlay_name(param: str, value: float) -> str:
    """A curve's name in the overlay: its parameter and value (the current curve's too)."""
    return f"{param}={value:g}"


def curve_panel(sample: Sample) -> str | None:
    spec, params = sample.spec, sample.params
    overlay_param, overlay_values = spec.overlay or (None, ())
    overlays: tuple[tuple[str, compute.Curve], ...] = ()
    # a bold line beside the overlay's switch, not a heading: the chart fits beside the controls
    beside = overlay_param and not presenting()  # a projector's type would cut the switch's label
    title, switch = st.columns([2, 3], vertical_alignment="center") if beside else (st.container(), st.container())
    title.markdown(f"**{t('Curve and gradient')}**")
    if overlay_param:
        with switch:
            on = widgets.toggle_in_link(
                widgets.key_of(spec.key, "overlay"), t("Compare {name} values", name=overlay_param)
            )
        if on:  # the overlay's values are the catalog's own (tests/ui/test_views.py checks their range)
            overlays = tuple(
                (_overlay_name(overlay_param, v), shared_curve(sample.but(params={overlay_param: v})))
                for v in overlay_values
                if not np.isclose(v, params[overlay_param])
            )
    line = shared_curve(sample)
    if not np.isfinite(line.loss).any():
        st.info(
            t("The loss is infinite (or NaN) at every point of this curve: there is no line to draw."),
            icon="♾️",
        )
        return None
    own = _overlay_name(overlay_param, params[overlay_param]) if overlay_param and overlays else ""
    show(
        curve_figure(line, _curve_labels(spec), overlays, own),
        key=widgets.key_of(spec.key, "chart"),
        taller=False,  # beside the controls and the value, on one screen
    )
    about = t(
        "The loss of the sample as the swept input varies (the others fixed), as reduction='sum' "
        "gives it for this one sample; below, its derivative by autograd."
    )
    if presenting():  # under the columns, as the value's lines (`value_panel`)
        return about
    st.caption(about)
    return None


def shared_curve(sample: Sample) -> compute.Curve:
    """`compute.curve_of`, shared by every session: a class opening a page, or following the lecturer
    to the same values, draws the same curves (CTC's costs a CTC forward and backward per point)."""
    return _curve(sample.spec.key, _frozen(sample.values), _frozen(sample.params))


# A curve is three arrays of at most 500 float64 (about 12 KB): 256 of them hold about 3 MB. Enough for
# a class following its lecturer (the same few settings); random settings only cycle through it
# (bench/waves.py: 2048 grew the server by about 3 MB a wave of 50 students, over the 10 % target).
@functools.lru_cache(maxsize=256)
def _curve(key: str, values: tuple, params: tuple) -> compute.Curve:
    # the key of a validated sample: trusted as it was
    return compute.curve_of(Sample.trusted(BY_KEY[key], dict(values), dict(params)))


def _frozen(mapping: dict) -> tuple:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in mapping.items()))


# ---------------------------------------------------------------- panels a LossSpec declares


def _ctc_gradient(shown: Sample, result: compute.Evaluation) -> None:
    params = shown.params
    # the first sequence's logits z (log_probs = log_softmax(z)): (T, C)
    logits = ctc.logit_gradient(shown.case.args, params["blank"], params["reduction"], params["zero_infinity"])
    grad = logits[:, 0].numpy()
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


# panels drawn from the evaluated case, by the name a LossSpec declares (LossSpec.panels)
PANELS = {"ctc_gradient": _ctc_gradient, "linear_equality": linear_equality, "lce_memory": lce_memory}


# ---------------------------------------------------------------- the tabs


def by_hand(shown: Sample, result: compute.Evaluation) -> None:
    st.latex(shown.spec.formula)
    try:
        breakdown = compute.breakdown_of(shown)
    except LossValueError as error:
        st.error(error_text(error))
        return
    # the lines in one formula, a row each (one element, not one per line: each is a message)
    st.latex(r"\begin{gathered}" + r" \\[6pt] ".join(breakdown.lines) + r"\end{gathered}")
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


def code(shown: Sample) -> None:
    st.code(snippet_of(shown), language="python")
    st.caption(t("Paste it into Python: it prints the value shown above."))


def notice(spec) -> None:
    st.info(t(spec.notice), icon="👀")
    if spec.pitfall:
        st.warning(t(spec.pitfall), icon="⚠️")
