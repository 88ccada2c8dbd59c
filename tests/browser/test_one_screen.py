"""One screen, measured in Chromium on every loss page (ui/views/loss/page.py, ui/kit/style.py): the
headline value and the curve inside the first screen at 1280 × 800, and at 1024 × 768 in presentation
mode with the sidebar open; and with the page's last slider scrolled into view, the value and the curve
still on the screen beside it. On a 390 px phone, with any slider in view, the value line is on the
screen too and says the headline's number."""

from __future__ import annotations

import time

import pytest

from core.catalog import LOSSES
from tests.browser.conftest import screenshot, wait_drawn, watch

pytestmark = pytest.mark.browser

MAIN = "[data-testid=stMain]"
VALUE, CHART = f"{MAIN} [data-testid=stMetric]", f"{MAIN} [data-testid=stPlotlyChart]"
SLIDERS = f"{MAIN} [data-testid=stSlider]"
LINE = ".st-key-lx-value-line"
BOX = "s => { const b = document.querySelector(s).getBoundingClientRect(); return [b.top, b.bottom]; }"
CONTROLS = "[data-testid=stColumn]:has(.st-key-lx-value-line) [data-testid=stSlider]"  # the sliders' column
LAST_SLIDER_IN_VIEW = (
    f"() => {{ const s = [...document.querySelectorAll('{CONTROLS}')];"
    " s[s.length - 1].scrollIntoView({block: 'nearest'}); }"
)


def _inside(tab, selector: str, height: int) -> tuple[float, float]:
    top, bottom = tab.evaluate(BOX, selector)
    assert 0 <= top and bottom <= height, (selector, top, bottom)
    return top, bottom


# the normal screen in English, the projector's in Chinese (its longer lines wrap more)
SIZES = {
    "1280x800": ({"width": 1280, "height": 800}, "en", ""),
    "1024x768-present": ({"width": 1024, "height": 768}, "zh", "&present=1"),
}


@pytest.fixture(scope="module", params=list(SIZES))
def screen(request, browser):
    viewport, lang, extra = SIZES[request.param]
    context = browser.new_context(viewport=viewport)
    tab = context.new_page()
    watch(tab)
    yield request.param, tab, viewport["height"], f"lang={lang}{extra}"
    context.close()


@pytest.mark.parametrize("spec", LOSSES, ids=[s.title for s in LOSSES])
def test_the_value_and_the_curve_are_on_the_first_screen_and_stay_beside_the_controls(server, screen, spec):
    size, tab, height, query = screen
    tab.goto(f"{server}/{spec.title}?{query}")
    wait_drawn(tab)
    assert tab.evaluate("window.scrollY") == 0
    _inside(tab, VALUE, height)
    _inside(tab, CHART, height)
    if size == "1280x800":
        _inside(tab, SLIDERS, height)  # a control too
    tab.evaluate(LAST_SLIDER_IN_VIEW)
    time.sleep(0.3)
    _inside(tab, VALUE, height)
    _inside(tab, CHART, height)
    if spec.key in ("huber", "cross_entropy", "linear_cross_entropy"):
        screenshot(tab, f"one-screen-{spec.title}-{size}")
    assert not tab.errors, tab.errors


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    tab = context.new_page()
    watch(tab)
    yield tab
    context.close()


@pytest.mark.parametrize("spec", LOSSES, ids=[s.title for s in LOSSES])
def test_on_a_phone_the_value_line_is_in_view_beside_every_slider(server, phone, spec):
    phone.goto(f"{server}/{spec.title}?lang=en")
    wait_drawn(phone)
    value = phone.locator(VALUE).first.locator("[data-testid=stMetricValue]").inner_text().strip()
    count = phone.locator(CONTROLS).count()
    for i in sorted({0, count - 1}):
        phone.locator(CONTROLS).nth(i).evaluate("e => e.scrollIntoView({block: 'center'})")
        time.sleep(0.2)
        slider_top = phone.locator(CONTROLS).nth(i).bounding_box()["y"]
        _, line_bottom = _inside(phone, LINE, 844)
        assert line_bottom <= slider_top, (i, line_bottom, slider_top)  # above the slider, not over it
        assert value in phone.locator(LINE).inner_text(), (value, phone.locator(LINE).inner_text())
    if spec.key in ("huber", "triplet_margin"):
        screenshot(phone, f"one-screen-phone-{spec.title}")
