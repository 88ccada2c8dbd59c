"""The view of one loss: inputs and parameters, the value from torch, the curve and its
gradient, the computation by hand, the reductions, the code. Pages call `render(key)`.

This module is the frame: the header, the preset a link opens, and the order of the parts. The
controls (ui/views/loss/controls.py) validate the widgets' values once into a `compute.Sample`;
the panels (panels.py) and the 2-D views (extras.py) draw from it and trust it."""

from __future__ import annotations

import streamlit as st

from core import compute
from core.catalog import BY_KEY
from core.spec import LossSpec
from ui.kit import link, widgets
from ui.kit.admission import one_at_a_time
from ui.kit.i18n import begin_run, t
from ui.kit.layout import FAMILY_ICONS, FAMILY_TITLES, setup
from ui.kit.lecture import presenting
from ui.kit.safe import quoted
from ui.kit.share import share_and_reset
from ui.kit.style import class_title
from ui.views.loss import batch, controls, extras, panels
from ui.views.loss.controls import CUSTOM

__all__ = ["CUSTOM", "render"]

# the keys of the containers ui/kit/style.py lays out (Streamlit gives each the class st-key-<key>)
RESULT, PHONE_VALUE = "lx-result", "lx-value-line"


@one_at_a_time
def render(key: str) -> None:
    spec = BY_KEY[key]
    setup(spec.title, FAMILY_ICONS[spec.family], owns=spec.key)
    notices = widgets.seed(spec.key, spec.all_inputs + spec.params)
    preset_key = widgets.key_of(spec.key, "preset")
    if preset_key not in st.session_state:
        wanted = controls.preset_in_link(spec, st.query_params.get(preset_key, CUSTOM))
        if wanted not in [CUSTOM] + [p.key for p in spec.presets]:
            notices.append(t("The link's preset {value} does not exist; showing the sliders.", value=quoted(wanted)))
            wanted = CUSTOM
        st.session_state[preset_key] = wanted
        if wanted != CUSTOM:  # a link to a preset: its values, except those the link sets itself
            controls.apply_preset(spec, spec.preset(wanted), keep=set(st.query_params))

    class_title(spec.title)
    st.caption(f"{FAMILY_ICONS[spec.family]} {t(FAMILY_TITLES[spec.family])} · `torch.nn.{spec.title}`")
    for notice in notices:
        st.warning(notice, icon="🔗")
    _explorer(spec, preset_key)
    link.publish()


@st.fragment
@one_at_a_time
def _explorer(spec: LossSpec, preset_key: str) -> None:
    """Everything a control changes. A fragment: moving a slider reruns this function only, not the
    page's setup, sidebar and header (what lets a class use the app at once, bench/load.py)."""
    begin_run()
    # One screen: the controls on the left; the value and the curve on the right, kept in view while
    # the controls scroll (ui/kit/style.py). On a phone the columns stack, and a value line at the top
    # of the controls stays in view above the slider being moved.
    left, right = st.columns([5, 7], gap="large")
    with left:
        st.write(t(spec.summary))  # here, not under the title: the value and the curve start higher
        phone = st.container(key=PHONE_VALUE)
        preset = controls.preset_picker(spec, preset_key)
        sample = controls.sample(spec, preset)  # the sliders' values, validated once
    with right, st.container(key=RESULT):
        shown = controls.shown(sample, preset)  # the tensors the value is of: the sliders' or the preset's
        result = compute.evaluation_of(shown)
        details = panels.value_panel(shown, result, preset, sample)
        about = panels.curve_panel(sample)
        panels.flag_notes(result)
    with phone:
        panels.value_line(result)
    panels.value_details(details, about)  # under both columns: the kept-in-view column holds value and curve only
    extras.render(sample)
    for panel in spec.panels:
        panels.PANELS[panel](shown, result)
    # presentation mode keeps the formula and the lesson, and hides the secondary panels
    tabs = ("by_hand", "notice") if presenting() else ("by_hand", "reductions", "code", "notice")
    titles = {
        "by_hand": t("By hand"),
        "reductions": t("Reductions"),
        "code": t("Copy as PyTorch"),
        "notice": t("What to notice"),
    }
    draw = {
        "by_hand": lambda: panels.by_hand(shown, result),
        "reductions": lambda: batch.reductions(sample, shown, result),
        "code": lambda: panels.code(shown),
        "notice": lambda: panels.notice(spec),
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
    labels = [titles[p] for p in tabs]
    if st.session_state.get(tab_key) not in labels:
        st.session_state[tab_key] = titles[opened] if opened in tabs else labels[0]
    for panel, tab in zip(tabs, st.tabs(labels, key=tab_key, on_change=remember), strict=True):
        if tab.open is False:
            continue
        with tab:
            draw[panel]()
    if presenting():
        st.caption(
            t(
                "Presentation mode shows By hand and What to notice only; the link for students (Share this view) "
                "opens with every tab."
            )
        )
    share_and_reset(
        spec.key,
        t(
            "The address bar always holds this link: every input, parameter and the preset; the batch table is "
            "not in it."
        ),
    )
    link.publish()
