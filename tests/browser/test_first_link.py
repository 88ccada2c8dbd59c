"""The first request a fresh server gets is a deep link (a lecturer's link, opened by a whole class
after a restart): the page it names opens with its values, and no "Page not found" dialog shows.

Streamlit's `st.navigation` beside a `pages/` folder shows that dialog on the first deep link after a
server start (docs/architecture.md §5); the legacy multipage mode this app keeps does not. The same
probe sees the dialog on a path that is no page, so it cannot pass by looking at the wrong thing."""

from __future__ import annotations

import pytest

from core import compute
from core.catalog import BY_KEY
from core.latex import number_text
from deploy.server import free_port, start_app
from tests.browser.conftest import _browser_path, wait_drawn

pytestmark = pytest.mark.browser
NOT_FOUND = "text=Page not found"


@pytest.fixture
def fresh_server():
    _browser_path()
    port = free_port()
    process = start_app(port)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=20)


def _open(browser, url: str):
    """A new browser context (no cache, no cookies) whose first page is `url`."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    tab.goto(url)
    yield tab
    context.close()


def test_the_first_deep_link_after_a_server_start_opens_its_page_without_a_not_found_dialog(browser, fresh_server):
    spec = BY_KEY["huber"]
    for tab in _open(browser, f"{fresh_server}/HuberLoss?huber.delta=0.5&huber.input=2"):
        wait_drawn(tab)
        tab.wait_for_timeout(1500)  # the dialog, when it comes, comes with the first page's messages
        assert tab.locator(NOT_FOUND).count() == 0
        expected = compute.evaluate(spec, compute.sample_case(spec, {"input": 2.0}, {"delta": 0.5}), {"delta": 0.5})
        shown = tab.locator("[data-testid=stMetricValue]").first.inner_text().strip()
        assert shown == number_text(expected.value)


def test_the_probe_sees_the_dialog_on_a_path_that_is_no_page(browser, fresh_server):
    for tab in _open(browser, f"{fresh_server}/NoSuchLoss"):
        tab.wait_for_selector(NOT_FOUND, timeout=60_000)
