"""Share and reset, on every page: the view's link for students, and apart the same view for a
projector (presentation mode is the projector's choice, not the class's), each whole and copied in
one click; and a button that puts the page's controls back to their defaults."""

from __future__ import annotations

import urllib.parse

import streamlit as st

from ui.kit import link
from ui.kit.i18n import t


def _url(query: dict[str, str]) -> str:
    base = (st.context.url or "").split("?")[0]
    return f"{base}?{urllib.parse.urlencode(query)}" if query else base


def links() -> tuple[str, str]:
    """The view's link for students (without presentation mode) and for the projector (with it)."""
    student = {key: value for key, value in link.wanted().items() if key != "present"}
    return _url(student), _url({**student, "present": "1"})


def share_and_reset(prefix: str, note: str, where=None) -> None:
    """The Share popover and the Reset button of a page whose controls' keys start with `prefix`
    (`note`: what the link holds on this page, translated), drawn once every control of the page is (the link is
    made of them), in `where` when given: a container placed higher on the page."""
    left, right = (where or st).columns([3, 2])
    with left:
        # Its content is made only while it is open (opening it reruns the page or fragment): a slider
        # move sends one element for it, not five (every element is a message to the browser).
        popover = st.popover(t("Share this view"), icon="🔗", key=f"{prefix}:share", on_change="rerun")
        if popover.open:
            student, projector = links()
            with popover:
                st.caption(t("For students: this view, with every panel."))
                st.code(student, language=None, wrap_lines=True)
                st.caption(t("For the projector: the same view in presentation mode."))
                st.code(projector, language=None, wrap_lines=True)
                st.caption(note)
    with right:
        if st.button(
            t("Reset this view"),
            icon="🔄",
            key=f"{prefix}:reset",
            help=t("Every control of this page back to its default."),
        ):
            link.reset()
            st.rerun()
