"""The real app in headless Chromium: a `streamlit run` on a free loopback port, and a browser.

Without Debian's chromium these tests skip, unless LOSS_EXPLORER_REQUIRE_BROWSER=1 (CI) makes
the missing browser a failure."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from deploy.server import free_port, start_app

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _browser_path() -> str | None:
    path = shutil.which("chromium")
    if path:
        return path
    if os.environ.get("LOSS_EXPLORER_REQUIRE_BROWSER") == "1":
        pytest.fail("chromium is required (LOSS_EXPLORER_REQUIRE_BROWSER=1) but not installed")
    pytest.skip("no chromium: apt-get install -y chromium (browser tests skipped)")


@pytest.fixture(scope="session")
def server():
    _browser_path()
    port = free_port()
    try:
        process = start_app(port)
    except RuntimeError as error:
        pytest.fail(str(error))
    url = f"http://127.0.0.1:{port}"
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=_browser_path(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# On a page's own path (/L1Loss) Streamlit's client first probes these relative to the path, gets a
# 404, then finds the server at the root: its normal start, not an error of the app.
STREAMLIT_PROBES = ("/_stcore/health", "/_stcore/host-config")


def watch(tab) -> None:
    """Record page errors, console errors and failed requests in `tab.errors`."""
    tab.errors = []
    tab.on("pageerror", lambda error: tab.errors.append(str(error)))
    tab.on(
        "console",
        lambda msg: (
            tab.errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    tab.on(
        "response",
        lambda r: (
            tab.errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.split("?")[0].endswith(STREAMLIT_PROBES)
            else None
        ),
    )


@pytest.fixture
def page(browser):
    """A fresh page at 1280 x 800 that records page errors, console errors and failed requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    tab = context.new_page()
    watch(tab)
    yield tab
    context.close()


def wait_drawn(tab, charts: int = 1) -> None:
    """Until the script has finished and `charts` Plotly charts are drawn (a page without charts:
    until its first metric shows)."""
    if charts == 0:
        tab.wait_for_selector("[data-testid=stMetricValue]", timeout=90_000)
    else:
        tab.wait_for_selector("[data-testid=stPlotlyChart] .main-svg", timeout=90_000)
    tab.wait_for_function(
        "n => document.querySelectorAll('[data-testid=stPlotlyChart] .main-svg').length >= n",
        arg=charts,
        timeout=90_000,
    )
    wait_idle(tab)


def wait_idle(tab) -> None:
    """Until the script run under way (if any) has finished."""
    tab.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=90_000)


def switch_language(tab, name: str, heading: str) -> None:
    """Click the sidebar's language choice `name`; wait until `heading` shows and the run is over."""
    tab.get_by_text(name, exact=True).click()
    tab.wait_for_selector(f"text={heading}", timeout=90_000)
    wait_idle(tab)


def screenshot(tab, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=True)
    return path


def assert_clean(tab, shot: str | None = None) -> None:
    """No exception in the page and no page or console error; then, when named, a screenshot."""
    assert tab.locator("[data-testid=stException]").count() == 0
    assert not tab.errors, tab.errors
    if shot:
        screenshot(tab, shot)
