"""How the app reads on a projector, a phone and a keyboard: presentation mode at 1024 x 768 with the
sidebar open shows every headline number whole (as core computes it) and nothing wider than the main
area; on a touch screen a swipe over a chart or a slider's track scrolls the page; the chart's
toolbar leaves its legend free and adds few tab stops; keyboard focus is drawn plainly."""

from __future__ import annotations

import pytest

from core import compute, ctc_lab, pitfalls
from core.catalog import LOSSES
from core.latex import number_text as fmt
from tests.browser.conftest import wait_idle, watch
from ui.views.pitfalls import _fmt as pit_fmt

pytestmark = pytest.mark.browser
PRIMARY = "rgb(217, 72, 15)"  # #d9480f


def _expected() -> dict[str, str | None]:
    """Each page's first metric as core computes it at the page's defaults (None: a page without one)."""
    pages: dict[str, str | None] = {"": None}
    for spec in LOSSES:
        pages[spec.title] = fmt(compute.evaluate(spec, compute.sample_case(spec, spec.defaults(), {}), {}).value)
    lab = ctc_lab.analyse({p.name: p.default for p in ctc_lab.INPUTS}, {p.name: p.default for p in ctc_lab.PARAMS})
    demo = pitfalls.DEMOS[0]
    pages |= {
        "CTC_lab": fmt(lab.lattice.nll),
        "Compare": None,
        "Pitfalls": pit_fmt(demo.run(demo.control.default)[0].loss),
        "Playground": None,
    }
    return pages


# The lines the page's title takes (a loss page's title is a class name, one word: broken, it reads
# "LinearCrossEntro / pyLoss"): the line boxes of its text.
TITLES = {spec.title for spec in LOSSES}
TITLE_LINES = """() => {
  const h1 = document.querySelector('[data-testid=stMain] h1');
  const walker = document.createTreeWalker(h1, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const tops = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) tops.add(Math.round(r.top));
  }
  return tops.size;
}"""

# What a reader would see cut (and a class name broken mid-word): a metric's value or label wider than its box (Streamlit then ends it
# with "…"), code whose line ends are hidden, a formula that runs past its box without a visible
# scrollbar, and anything reaching past the main area's right edge.
MEASURE = """() => {
  const main = document.querySelector('[data-testid=stMain]').getBoundingClientRect();
  const cut = [];
  for (const box of document.querySelectorAll(
      ':is([data-testid=stMetricValue], [data-testid=stMetricLabel]), '
      + ':is([data-testid=stMetricValue], [data-testid=stMetricLabel]) [data-testid=stMarkdownContainer]')) {
    if (box.scrollWidth > box.clientWidth) cut.push(box.innerText);
  }
  const code = [...document.querySelectorAll('[data-testid=stMain] [data-testid=stCode] pre')]
    .filter(pre => pre.scrollWidth > pre.clientWidth + 1).map(pre => pre.innerText.slice(0, 60));
  const formulas = [...document.querySelectorAll('[data-testid=stMain] .katex-display')]
    .filter(k => k.scrollWidth > k.clientWidth + 1)
    .filter(k => !['auto', 'scroll'].includes(getComputedStyle(k).overflowX)
                 || getComputedStyle(k).scrollbarColor.startsWith('rgba(0, 0, 0, 0)'))
    .map(k => k.innerText.slice(0, 60));
  const scrolls = el => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const r = p.getBoundingClientRect();
      if (getComputedStyle(p).overflowX !== 'visible' && r.right <= main.right + 1) return true;
    }
    return false;
  };
  const wide = [...document.querySelectorAll('[data-testid=stMain] *')]
    .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.right > main.right + 1; })
    .filter(e => !scrolls(e)).map(e => e.tagName + ' ' + (e.getAttribute('data-testid') || ''));
  const first = document.querySelector('[data-testid=stMetricValue]');
  return {cut, code, formulas, wide: wide.slice(0, 5), value: first ? first.innerText.trim() : null,
          sidebar: document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().width};
}"""


def test_presentation_at_1024_shows_every_headline_whole(server, browser):
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-US")
    tab = context.new_page()
    watch(tab)
    problems = {}
    for path, expected in _expected().items():
        tab.goto(f"{server}/{path}?present=1")
        # drawn: the headline metric, else the page's chart (the home page: its gallery)
        ready = {"": "[data-testid=stImage] img"}.get(path, "[data-testid=stPlotlyChart] .main-svg")
        tab.wait_for_selector("[data-testid=stMetricValue]" if expected is not None else ready, timeout=90_000)
        wait_idle(tab)
        seen = tab.evaluate(MEASURE)
        seen["title"] = tab.evaluate(TITLE_LINES) if path in TITLES else 1
        assert seen["sidebar"] >= 200, "the sidebar is open"
        if expected is not None and seen["value"] != expected:
            problems[path or "Home"] = f"shows {seen['value']!r}, core gives {expected!r}"
        elif seen["cut"] or seen["code"] or seen["formulas"] or seen["wide"] or seen["title"] != 1:
            problems[path or "Home"] = {k: seen[k] for k in ("cut", "code", "formulas", "wide", "title") if seen[k]}
    context.close()
    assert not problems, problems
    assert not tab.errors, tab.errors


def _phone(browser, url: str, ready: str = "[data-testid=stPlotlyChart] .main-svg"):
    """A touch phone's tab (390 x 844) on `url`, once `ready` shows and the run is over; returns
    (context, tab)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True, device_scale_factor=2, locale="en-US"
    )
    tab = context.new_page()
    tab.goto(url)
    tab.wait_for_selector(ready, timeout=90_000)
    wait_idle(tab)
    return context, tab


def _swipe(tab, x: float, y: float, distance: float = -250) -> None:
    """A finger's vertical swipe from (x, y): touch events through Chromium's own input pipeline
    (the page's handlers see them, and may take the gesture, as on a phone)."""
    cdp = tab.context.new_cdp_session(tab)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 11):
        cdp.send(
            "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y + distance * step / 10}]}
        )
        tab.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    tab.wait_for_timeout(600)


SCROLLED = "() => Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollTop), window.scrollY)"
RANGES = """() => [...document.querySelectorAll('[data-testid=stPlotlyChart] .js-plotly-plot')]
    .map(p => JSON.stringify([p._fullLayout.xaxis.range, p._fullLayout.yaxis.range]))"""


@pytest.mark.parametrize("title", sorted(TITLES, key=len)[-2:])
def test_on_a_phone_a_loss_page_title_keeps_one_line(server, browser, title):
    """The longest class names (TripletMarginWithDistanceLoss, MultiLabelSoftMarginLoss) shrink to fit
    390 pixels; a short title keeps the normal size."""
    context, tab = _phone(browser, f"{server}/{title}")
    lines, size = tab.evaluate(TITLE_LINES), tab.evaluate(SIZE)
    tab.goto(f"{server}/L1Loss")
    tab.wait_for_selector("[data-testid=stPlotlyChart] .main-svg", timeout=90_000)
    wait_idle(tab)
    normal = tab.evaluate(SIZE)
    context.close()
    assert lines == 1
    assert 20 <= size < normal == 44  # 2.75rem


SIZE = "() => parseFloat(getComputedStyle(document.querySelector('[data-testid=stMain] h1')).fontSize)"


def test_on_a_phone_a_swipe_over_a_chart_scrolls_the_page(server, browser):
    context, tab = _phone(browser, f"{server}/HuberLoss")
    chart = tab.locator("[data-testid=stPlotlyChart]").first
    chart.scroll_into_view_if_needed()
    tab.wait_for_timeout(500)
    ranges, top = tab.evaluate(RANGES), tab.evaluate(SCROLLED)
    box = chart.bounding_box()
    _swipe(tab, box["x"] + box["width"] / 2, min(box["y"] + box["height"] / 2, 600))
    assert tab.evaluate(RANGES) == ranges  # not zoomed
    assert tab.evaluate(SCROLLED) > top + 100  # the page moved under the finger
    context.close()


def test_on_a_phone_only_the_slider_thumb_starts_a_drag(server, browser):
    context, tab = _phone(browser, f"{server}/HuberLoss")
    slider = tab.locator("[data-testid=stSlider]").first
    slider.scroll_into_view_if_needed()
    value = slider.locator("input[type=range]").get_attribute("aria-valuetext")
    track = slider.locator("[role=group] > div").first.bounding_box()
    thumb = slider.locator("[role=group] > div > div:has(input)").first.bounding_box()
    # a point of the track well away from the thumb
    x = track["x"] + (track["width"] * 0.1 if thumb["x"] > track["x"] + track["width"] / 2 else track["width"] * 0.9)
    top = tab.evaluate(SCROLLED)
    _swipe(tab, x, track["y"] + track["height"] / 2)
    wait_idle(tab)
    assert slider.locator("input[type=range]").get_attribute("aria-valuetext") == value
    assert tab.evaluate(SCROLLED) > top + 100
    context.close()


def test_the_toolbar_leaves_the_legend_free_and_adds_few_tab_stops(server, browser):
    context, tab = _phone(browser, f"{server}/HuberLoss?huber.overlay=true", "[data-testid=stPlotlyChart] .legend")
    chart = tab.locator("[data-testid=stPlotlyChart]").first
    box = chart.bounding_box()
    tab.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + 100)  # a touch shows the toolbar
    tab.wait_for_timeout(300)
    legend = chart.locator(".legend").first.bounding_box()
    bar = chart.locator(".modebar").first.bounding_box()
    assert legend and bar
    apart = (
        legend["y"] >= bar["y"] + bar["height"]
        or bar["y"] >= legend["y"] + legend["height"]
        or legend["x"] >= bar["x"] + bar["width"]
        or bar["x"] >= legend["x"] + legend["width"]
    )
    assert apart, (legend, bar)
    titles = chart.locator(".modebar-btn").evaluate_all("bs => bs.map(b => b.getAttribute('data-title'))")
    assert "Download plot as a PNG" in titles and "Reset axes" in titles
    assert len(titles) <= 3, titles  # PNG, reset axes and Streamlit's fullscreen
    context.close()


def test_keyboard_focus_is_drawn_plainly(server, page):
    page.goto(f"{server}/HuberLoss")
    page.wait_for_selector("[data-testid=stPlotlyChart] .main-svg", timeout=90_000)
    wait_idle(page)
    page.locator("[data-testid=stSidebar] [role=radio]").first.focus()  # the language picker
    outlines = {}
    for _ in range(80):
        page.keyboard.press("Tab")
        kind, style = page.evaluate(
            """() => {
              const e = document.activeElement;
              const kind = e.matches('input[type=radio]') ? 'radio'
                : e.matches('[role=switch]') ? 'toggle'
                : e.matches('[data-testid=stSidebar] a') ? 'sidebar link' : null;
              const shown = kind === 'radio' || kind === 'toggle' ? e.closest('label') : e;
              const s = getComputedStyle(shown);
              return [kind, [s.outlineStyle, s.outlineWidth, s.outlineColor]];
            }"""
        )
        if kind and kind not in outlines:
            outlines[kind] = style
        if len(outlines) == 3:
            break
    assert outlines == {kind: ["solid", "2px", PRIMARY] for kind in ("radio", "toggle", "sidebar link")}


def test_switching_a_tab_by_keyboard_keeps_the_focus_on_it(server, page):
    # switching reruns the page's fragment (only the open tab runs); the tabs must survive the rerun
    page.goto(f"{server}/HuberLoss")
    page.wait_for_selector("[data-testid=stPlotlyChart] .main-svg", timeout=90_000)
    wait_idle(page)
    page.get_by_role("tab", name="By hand").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_selector("[data-testid=stDataFrame]", timeout=90_000)  # the Reductions tab ran
    wait_idle(page)
    focused = page.evaluate("() => [document.activeElement.getAttribute('role'), document.activeElement.innerText]")
    assert focused == ["tab", "Reductions"]
    page.keyboard.press("ArrowRight")  # and the keyboard goes on from there
    page.wait_for_selector("[data-testid=stCode]", timeout=90_000)
    wait_idle(page)
    assert page.evaluate("() => document.activeElement.innerText") == "Copy as PyTorch"
