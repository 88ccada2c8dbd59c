"""A lecturer's journey in Chromium: prepare a view (every scenario of the home page, every preset of
every loss), copy the address bar, open it in a fresh browser in English and in Chinese, and get
the same numbers. Also: the Compare page through a sequence of slider moves. One server; one
browser context per role, reused from link to link (each page load is a new Streamlit session)."""

from __future__ import annotations

import re
import time

import pytest

from core.catalog import LOSSES
from tests.browser.conftest import wait_idle, watch
from ui.kit.lecture import SCENARIOS

pytestmark = pytest.mark.browser

LINKS = [(s.key, s.link()) for s in SCENARIOS] + [
    (f"{spec.key}-{p.key}", f"{spec.title}?{spec.key}.preset={p.key}") for spec in LOSSES for p in spec.presets
]
# What a page shows that a link must reproduce: each headline value, each slider's value, each
# chosen radio option (by position: its text is translated) and the losses chosen (stable names).
NUMBERS = """() => [
  [...document.querySelectorAll('[data-testid=stMetricValue]')].map(e => e.innerText.trim()),
  [...document.querySelectorAll('[data-testid=stMain] input[type=range]')].map(e => e.value),
  [...document.querySelectorAll('[data-testid=stMain] [role=radiogroup]')].map(
    g => [...g.querySelectorAll('input[type=radio]')].findIndex(i => i.checked)),
  [...document.querySelectorAll('[data-testid=stMain] .react-aria-ComboBox [data-tag]')].map(e => e.ariaLabel),
]"""
TAGS = (
    "() => [...document.querySelectorAll('[data-testid=stMain] .react-aria-ComboBox [data-tag]')].map(e => e.ariaLabel)"
)
TIMINGS: list[float] = []


@pytest.fixture(scope="module")
def tabs(browser):
    """A tab for the lecturer, and a fresh one for each language the link is opened in."""
    contexts = {role: browser.new_context(viewport={"width": 1280, "height": 800}) for role in ("lecturer", "en", "zh")}
    opened = {}
    for role, context in contexts.items():
        opened[role] = context.new_page()
        watch(opened[role])
    yield opened
    for context in contexts.values():
        context.close()
    if TIMINGS:
        print(f"\njourneys: {len(TIMINGS)} openings (the copy in both languages at once) in {sum(TIMINGS):.1f} s")


def settled(*opened: tuple) -> list:
    """Open each (tab, url) at once, and wait until each run is over and what it shows stops changing."""
    start = time.perf_counter()
    for tab, url in opened:
        tab.goto(url, wait_until="commit")
    shown = [settle(tab) for tab, _ in opened]
    TIMINGS.append(time.perf_counter() - start)
    return shown


def settle(tab) -> list:
    """What `tab` shows once its run is over: every page of a link shows a control or a value; a
    fragment or a chart may still be drawn after the status widget goes, so until two reads 0.2 s
    apart agree."""
    tab.wait_for_selector("[data-testid=stMain] h1", timeout=90_000)
    wait_idle(tab)
    tab.wait_for_function(f"() => ({NUMBERS})().some(x => x.length)", timeout=90_000)
    now, previous = tab.evaluate(NUMBERS), None
    while now != previous:
        time.sleep(0.2)
        wait_idle(tab)
        previous, now = now, tab.evaluate(NUMBERS)
    assert tab.locator("[data-testid=stException]").count() == 0, tab.url
    return now


def shows(tab, expected: list, seen: list, timeout: float = 10) -> list:
    """What `tab` shows, read again until it is `expected` or `timeout` seconds pass: on a loaded
    machine an element can come a moment after two equal reads (the Compare page's radio once did,
    in a full run with other work on the machine). A link that opens other numbers still fails."""
    deadline = time.perf_counter() + timeout
    while seen != expected and time.perf_counter() < deadline:
        time.sleep(0.25)
        wait_idle(tab)
        seen = tab.evaluate(NUMBERS)
    return seen


def in_language(url: str, lang: str) -> str:
    return re.sub(r"([?&])lang=\w+", rf"\1lang={lang}", url) if "lang=" in url else f"{url}&lang={lang}"


@pytest.mark.parametrize("name, link", LINKS, ids=[n for n, _ in LINKS])
def test_a_copied_address_opens_the_same_numbers_in_both_languages(server, tabs, name, link):
    (prepared,) = settled((tabs["lecturer"], f"{server}/{link}"))
    copied = tabs["lecturer"].url
    for key_value in link.split("?", 1)[1].split("&"):  # the link's own keys stay in the address bar
        key, value = key_value.split("=")
        if key.endswith((".preset", ".group")) and value not in ("custom", "regression"):
            assert key_value in copied, (copied, key_value)
    english, chinese = settled((tabs["en"], copied), (tabs["zh"], in_language(copied, "zh")))
    english, chinese = (shows(tabs[role], prepared, seen) for role, seen in (("en", english), ("zh", chinese)))
    assert english == prepared, copied
    assert chinese == prepared, in_language(copied, "zh")
    assert tabs["zh"].evaluate(r"() => /[\u4e00-\u9fff]/.test(document.body.innerText)"), "not in Chinese"
    for role in ("lecturer", "en", "zh"):
        assert not tabs[role].errors, (role, tabs[role].errors)


def test_the_compare_page_survives_a_sequence_of_moves(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    try:
        tab.goto(f"{server}/Compare?cmp.show.regression=l1,smooth_l1,huber,gaussian_nll")
        tab.wait_for_selector("[data-testid=stPlotlyChart] .main-svg", timeout=90_000)
        wait_idle(tab)
        for label in ("delta", "outlier", "beta", "var", "delta", "outlier"):
            tab.get_by_role("slider", name=label).focus()
            tab.keyboard.press("ArrowRight")
            time.sleep(0.3)
            wait_idle(tab)
            assert tab.locator("[data-testid=stException]").count() == 0, label
            tags = tab.evaluate(TAGS)
            assert tags == ["L1Loss", "SmoothL1Loss", "HuberLoss", "GaussianNLLLoss"], tags
            assert "cmp.show.regression=l1%2Csmooth_l1%2Chuber%2Cgaussian_nll" in tab.url, tab.url
            delta = tab.get_by_role("slider", name="delta").input_value()
            assert tab.locator(f"text=HuberLoss(delta={float(delta):g})").count() > 0
    finally:
        context.close()
