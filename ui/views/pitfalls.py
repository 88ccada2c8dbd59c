"""The pitfalls page: one live pair of computations per pitfall, each side titled by its demo (core.pitfalls),
with real torch numbers and the code of both."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from core import pitfalls
from core.latex import number_text
from ui.kit import link, widgets
from ui.kit.admission import one_at_a_time
from ui.kit.i18n import t
from ui.kit.layout import header, setup
from ui.kit.share import share_and_reset

PREFIX = "pit"
# Each demo's control under a key of its own: pit.<demo> in the URL.
CONTROLS = {demo.key: replace(demo.control, name=demo.key) for demo in pitfalls.DEMOS}


@one_at_a_time
def render() -> None:
    setup("Pitfalls", "⚠️", owns=PREFIX)
    notices = widgets.seed(PREFIX, tuple(CONTROLS.values()))
    header(
        t("Pitfalls"),
        t(
            "The mistakes people make with torch's losses, each shown live: two computations side by side, "
            "each titled by what it shows, computed by torch, with the code of both."
        ),
        notices,
    )
    top = st.container()  # Share and Reset, filled once the controls are drawn
    for demo in pitfalls.DEMOS:
        _demo(demo)
    share_and_reset(PREFIX, t("The address bar always holds this link: every control of this page."), where=top)
    link.publish()


def _fmt(x: float | None) -> str:
    return "—" if x is None else number_text(x)


def _demo(demo) -> None:
    st.subheader(t(demo.title))
    value = widgets.param_input(PREFIX, CONTROLS[demo.key], label=demo.control.name)
    before, after = demo.run(value)
    numbers = demo.numbers(value, before, after)
    columns = st.columns(2, gap="large")
    for col, side, (icon, title) in zip(columns, (before, after), demo.sides, strict=True):
        with col.container(border=True):
            st.markdown(f"{icon} **{t(title, **numbers)}**")
            # two columns side by side: a long line wraps rather than hiding its end
            st.code(side.label, language="python", wrap_lines=True)
            st.metric(t("loss"), _fmt(side.loss))
            if side.grad is not None:
                st.caption(t("size of the gradient: {g}", g=_fmt(side.grad)))
            with st.expander(t("Code")):
                st.code(side.code, language="python", wrap_lines=True)
    st.info(t(demo.lesson, **numbers), icon="💡")
