"""Every page of the app, in one registry derived from the catalog: the sidebar, the home gallery,
the scenarios, the tests and the benches all take a page's file and address from here.

A loss's page file is named by its torch class (`pages/HuberLoss.py`), so its address is
`/HuberLoss` and adding a loss renames nothing. Streamlit's legacy multipage mode finds the files in
`pages/` (docs/architecture.md §5: why not `st.navigation`); `tests/ui/test_pages_registry.py`
checks that every page here has its file and every file is here.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.catalog import BY_KEY, LOSSES
from core.spec import LossSpec


@dataclass(frozen=True)
class Page:
    path: str  # the page's file, relative to the app's root
    url: str  # its address (Streamlit: the file's name less ".py"); "" for the home page
    title: str  # its label in the sidebar: English, translated there (a loss's class name stays as is)
    icon: str | None = None
    spec: LossSpec | None = None  # the loss it shows, for a loss's page


def _tool(url: str, title: str, icon: str) -> Page:
    return Page(f"pages/{url}.py", url, title, icon)


HOME = Page("app.py", "", "Home", "🏠")
CTC_LAB = _tool("CTC_lab", "CTC lab", "🧪")
COMPARE = _tool("Compare", "Compare losses", "📊")
PITFALLS = _tool("Pitfalls", "Pitfalls", "⚠️")
PLAYGROUND = _tool("Playground", "Training playground", "🏋️")
TOOLS = (COMPARE, PITFALLS, PLAYGROUND, CTC_LAB)

LOSS_PAGES = {spec.key: Page(f"pages/{spec.title}.py", spec.title, spec.title, spec=spec) for spec in LOSSES}
PAGES = (HOME, *LOSS_PAGES.values(), *TOOLS)
BY_URL = {page.url: page for page in PAGES}


def of(spec: LossSpec | str) -> Page:
    """The page of a loss, given its spec or its key."""
    return LOSS_PAGES[spec if isinstance(spec, str) else spec.key]


def page_path(spec: LossSpec) -> str:
    """The page file of a loss, relative to the app's root."""
    return of(spec).path


assert set(LOSS_PAGES) == set(BY_KEY)
