"""The setup every page runs first (page config, language, grouped navigation from the page
registry, ui/kit/pages.py)."""

from __future__ import annotations

import functools

import streamlit as st

from core.catalog import LOSSES
from core.spec import FAMILIES
from ui.kit import link, pages
from ui.kit.i18n import init_language, language_picker, t
from ui.kit.lecture import init_presentation, presentation_toggle
from ui.kit.style import apply as apply_style

FAMILY_TITLES = {
    "regression": "Regression",
    "probabilistic": "Probabilistic",
    "classification": "Classification",
    "margin": "Margin & ranking",
    "embedding": "Embedding",
    "sequence": "Sequence",
}
# the sidebar lists the CTC lab after the losses of this family
CTC_LAB_FAMILY = "sequence"
FAMILY_ICONS = {
    "regression": "📏",
    "probabilistic": "🎲",
    "classification": "🏷️",
    "margin": "↔️",
    "embedding": "🧭",
    "sequence": "🔤",
}


@functools.cache
def _page(path: str) -> st.Page:
    """The page object of an app file, made once per server. A link given a path makes Streamlit
    resolve the path on disk (a system call per folder) for every link on every run: 30 links a
    page visit, measurable when a class loads pages at once (bench/load.py)."""
    return st.Page(path, default=path == "app.py")  # the home page's URL is the root


def page_link(path: str, label: str, icon: str | None = None) -> None:
    """A link to a page of the app (client-side navigation, like st.page_link with a path)."""
    st.page_link(_page(path), label=label, icon=icon)


def setup(title: str, icon: str = "📉", owns: str | None = None) -> None:
    """The first call of every page: config, the view its link holds (`owns`: the prefix of its
    controls' keys, ui/kit/link.py), language, navigation. The page's last call is `link.publish()`.
    (Torch's thread count is set by `one_at_a_time`, which every page renderer goes through.)"""
    st.set_page_config(page_title=f"{title} · Loss Explorer", page_icon=icon, layout="wide")
    link.enter((f"{owns}.",) if owns else ())
    init_language()
    apply_style()
    init_presentation()
    with st.sidebar:
        language_picker()
        presentation_toggle()
        for page in (pages.HOME, pages.COMPARE, pages.PITFALLS, pages.PLAYGROUND):
            page_link(page.path, t(page.title), page.icon)
        for family in FAMILIES:
            st.caption(f"{FAMILY_ICONS[family]} {t(FAMILY_TITLES[family])}")
            for spec in LOSSES:
                if spec.family == family:
                    page_link(pages.of(spec).path, spec.title)
            if family == CTC_LAB_FAMILY:
                page_link(pages.CTC_LAB.path, t(pages.CTC_LAB.title), pages.CTC_LAB.icon)


def header(title: str, intro: str, notices: list[str]) -> None:
    """A page's title, its paragraph, and the notices about its link."""
    st.title(title)
    st.write(intro)
    for notice in notices:
        st.warning(notice, icon="🔗")
