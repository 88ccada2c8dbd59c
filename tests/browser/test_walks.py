"""A student's walk through each page in the real browser: one control at a time, each move from where
the last one left it, in one session. The browser is the frontend that matters here: it sends a
choice as the text it last showed, so a label that changes with another control's value breaks a
walk (the Compare page once raised after "delta, then any other slider"); AppTest cannot see that."""

from __future__ import annotations

import random
import zlib

import pytest

from core.catalog import LOSSES
from tests.browser.conftest import screenshot, switch_language, wait_drawn, wait_idle
from ui.kit.zh import ZH

pytestmark = pytest.mark.browser

MOVES = 10  # per page
SEED = 20261202
PAGES = [(s.title, 1) for s in LOSSES] + [("CTC_lab", 3), ("Compare", 1), ("Pitfalls", 0), ("Playground", 1)]
MAIN = "[data-testid=stMain]"


def _controls(tab) -> list:
    """The enabled controls of the main area a student can move: sliders, radio choices and toggles."""
    sliders = tab.locator(f"{MAIN} [data-testid=stSlider] input[type=range]:not(:disabled)").all()
    radios = tab.locator(f"{MAIN} [data-testid=stRadio] label:has(input:not(:checked):not(:disabled))").all()
    toggles = tab.locator(f"{MAIN} [data-testid=stCheckbox] label:has(input:not(:disabled))").all()
    return [("slider", s) for s in sliders] + [("radio", r) for r in radios] + [("toggle", t) for t in toggles]


def _move(tab, rng: random.Random) -> str:
    controls = [(kind, c) for kind, c in _controls(tab) if c.is_visible()]
    kind, control = rng.choice(controls)
    if kind == "slider":
        control.focus()
        key = rng.choice(("ArrowRight", "ArrowLeft"))
        for _ in range(rng.randint(1, 3)):
            tab.keyboard.press(key)
        label = control.get_attribute("aria-label") or "slider"
        done = f"{label} {key}"
    else:
        done = f"{kind} {control.inner_text()[:30]!r}"
        control.click()
    tab.wait_for_timeout(400)  # the rerun starts after the move is sent
    wait_idle(tab)
    return done


@pytest.mark.parametrize("name, charts", PAGES, ids=[p[0] for p in PAGES])
def test_a_random_walk_raises_nothing(server, page, name, charts):
    rng = random.Random(SEED + zlib.crc32(name.encode()))
    page.goto(f"{server}/{name}")
    if charts:
        wait_drawn(page, charts)
    else:
        wait_idle(page)
        page.wait_for_selector("[data-testid=stMetricValue]", timeout=90_000)
    walk = []
    for i in range(MOVES):
        if i == MOVES // 2:
            switch_language(page, "中文", ZH["Home"])  # the sidebar's link, translated
            walk.append("中文")
        walk.append(_move(page, rng))
        problems = page.locator("[data-testid=stException]").count()
        assert problems == 0 and not page.errors, (name, walk, page.errors)
    screenshot(page, f"walk-{name}")
