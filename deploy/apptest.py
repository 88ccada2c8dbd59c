"""The app in Streamlit's AppTest (no server, no browser): a page opened as a link opens it."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core.spec import LossSpec
from deploy.server import ROOT
from ui.kit import pages

TIMEOUT = 60


def open_page(page: LossSpec | pages.Page | None = None, query: dict | None = None) -> AppTest:
    """The home page with `query` as the link's parameters, then (when given) `page`: a loss's spec or a
    page of the registry (`ui.kit.pages`)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if isinstance(page, LossSpec):
        page = pages.of(page)
    if page is not None and page is not pages.HOME:
        # the home page keeps no key of another page in its link (ui/kit/link.py): the link is given
        # again, as a browser opening it on the page would
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.switch_page(page.path).run()
    return at
