"""The app in a real browser: every page draws its charts without an exception or a page error,
a slider moved by keyboard updates the value, a deep link opens the prepared view, and the
layout holds at 768 pixels in Chinese. Screenshots land in artifacts/screenshots/."""

from __future__ import annotations

import pytest

from core import compute
from core.catalog import BY_KEY, LOSSES
from core.latex import number_text as fmt
from tests.browser.conftest import assert_clean, screenshot, switch_language, wait_drawn, wait_idle, watch

pytestmark = pytest.mark.browser
PAGES = (
    [("Home", "", 0)]
    + [(s.title, s.title, 1) for s in LOSSES]
    + [("CTC_lab", "CTC_lab", 3), ("Compare", "Compare", 1), ("Pitfalls", "Pitfalls", 0)]
)


def metric(tab) -> str:
    return tab.locator("[data-testid=stMetricValue]").first.inner_text().strip()


@pytest.mark.parametrize("name, path, charts", PAGES, ids=[p[0] for p in PAGES])
def test_every_page_draws_without_errors(server, page, name, path, charts):
    page.goto(f"{server}/{path}")
    if name == "Home":  # a gallery of curve images, one per loss
        page.wait_for_function(
            "n => [...document.querySelectorAll('[data-testid=stImage] img')].filter(i => i.naturalWidth > 0).length >= n",
            arg=len(LOSSES),
            timeout=90_000,
        )
    else:
        wait_drawn(page, charts)
    assert_clean(page, f"{name}-1280")


def test_a_slider_moved_by_keyboard_updates_the_value(server, page):
    page.goto(f"{server}/L1Loss")
    wait_drawn(page)
    before = metric(page)
    thumb = page.locator("[data-testid=stSlider] input[type=range]").first  # the input ŷ
    thumb.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    spec = BY_KEY["l1"]

    def settled() -> bool:
        """Each key press may rerun the script: wait until the value shown is torch's for the final thumb."""
        moved = float(page.locator("[data-testid=stSlider] [data-testid=stSliderThumbValue]").first.inner_text())
        expected = fmt(compute.evaluate(spec, compute.sample_case(spec, {"input": moved}, {}), {}).value)
        return moved != 0.7 and metric(page) == expected

    for _ in range(120):
        if settled():
            break
        page.wait_for_timeout(250)
    assert settled() and metric(page) != before
    assert "l1.input=" in page.url  # the address bar follows the slider
    # the share popover, opened now (its content is made when it opens), holds the same link
    moved = page.locator("[data-testid=stSlider] [data-testid=stSliderThumbValue]").first.inner_text()
    page.get_by_role("button", name="Share this view").click()
    student, projector = (page.locator("[data-testid=stPopoverBody] [data-testid=stCode]").nth(i) for i in (0, 1))
    student.wait_for(timeout=30_000)
    assert f"l1.input={float(moved):g}" in student.inner_text() and student.inner_text().startswith(server)
    assert "present=1" not in student.inner_text() and "present=1" in projector.inner_text()


def test_a_deep_link_opens_the_prepared_view_in_chinese(server, page):
    page.goto(f"{server}/HuberLoss?huber.input=2&huber.delta=0.5&huber.overlay=true&lang=zh")
    wait_drawn(page)
    spec = BY_KEY["huber"]
    expected = compute.evaluate(spec, compute.sample_case(spec, {"input": 2.0}, {"delta": 0.5}), {"delta": 0.5})
    assert metric(page) == fmt(expected.value)
    assert page.get_by_text("曲线与梯度").count() == 1
    # the overlays (delta=0.25, delta=2), the current curve (delta=0.5: one entry for its loss and gradient), the point
    assert page.locator(".legend .traces").count() >= 4
    screenshot(page, "HuberLoss-deep-link-zh-1280")


def test_the_ctc_lab_draws_the_lattice_with_the_best_path(server, page):
    page.goto(f"{server}/CTC_lab?lab.target=abba&lab.T=10")
    wait_drawn(page, 3)
    page.get_by_role("tab", name="Occupancy γ").click()
    page.wait_for_timeout(500)
    assert page.locator("[data-testid=stPlotlyChart] .heatmaplayer").count() >= 3
    assert page.locator("[data-testid=stPlotlyChart] .scatterlayer .trace").count() >= 1  # the best path
    assert not page.errors, page.errors
    screenshot(page, "CTC_lab-occupancy-1280")


def test_a_training_run_completes_in_the_browser(server, page):
    page.goto(f"{server}/Playground?play.outliers=0.2&play.size=8")
    page.wait_for_selector("[data-testid=stButton] button", timeout=90_000)
    page.get_by_role("button", name="Train").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stCaptionContainer]')]"
        ".some(e => e.innerText.includes('True slope'))",
        timeout=90_000,
    )
    # the last frame's charts are replaced by the final ones, which Plotly draws a moment later
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=stPlotlyChart] .main-svg').length >= 2", timeout=90_000
    )
    assert_clean(page, "Playground-trained-1280")


def test_presentation_mode_in_the_browser(server, page):
    page.goto(f"{server}/HuberLoss?present=1&huber.overlay=true")
    wait_drawn(page)
    size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
    assert size >= 48
    assert page.get_by_role("tab").count() == 2
    screenshot(page, "HuberLoss-presentation-1280")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_layout_holds_at_768_pixels(server, browser, lang):
    context = browser.new_context(viewport={"width": 768, "height": 1000})
    tab = context.new_page()
    watch(tab)
    tab.goto(f"{server}/CrossEntropyLoss?lang={lang}")
    wait_drawn(tab)
    assert not tab.errors, tab.errors
    overflow = tab.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert tab.locator("[data-testid=stException]").count() == 0
    screenshot(tab, f"CrossEntropyLoss-768-{lang}")
    context.close()


def test_the_open_tab_survives_a_slider_move_and_the_language_switch(server, page):
    # only the open tab runs (a fragment rerun on each switch): the batch table appears when its
    # tab is opened, stays through a slider move, and stays open when the language changes
    page.goto(f"{server}/HuberLoss")
    wait_drawn(page)
    assert page.locator("[data-testid=stDataFrame]").count() == 0
    page.get_by_role("tab", name="Reductions").click()
    page.wait_for_selector("[data-testid=stDataFrame]", timeout=90_000)
    thumb = page.locator("[data-testid=stSlider] input[type=range]").first
    thumb.focus()
    page.keyboard.press("ArrowRight")
    wait_idle(page)
    assert page.get_by_role("tab", name="Reductions").get_attribute("aria-selected") == "true"
    switch_language(page, "中文", "曲线与梯度")
    assert page.get_by_role("tab", name="归约").get_attribute("aria-selected") == "true"
    assert page.locator("[data-testid=stDataFrame]").count() >= 1
    assert_clean(page, "HuberLoss-reductions-zh-1280")


def test_a_figures_csv_is_made_when_its_button_is_clicked(server, page):
    page.goto(f"{server}/L1Loss")
    wait_drawn(page)
    with page.expect_download(timeout=90_000) as download:
        page.get_by_role("button", name="Data as CSV").first.click()
    text = open(download.value.path(), encoding="utf-8").read()
    assert text.startswith("trace,x,y,z\n") and len(text.splitlines()) > 500  # the curve's 500 points and more


def test_switching_the_language_back_and_forth_keeps_the_choices(server, page):
    # the browser sends a selectbox's or radio's choice as the text it showed: after a switch that
    # text is in the other language (this once raised KeyError in the preset's callback)
    page.goto(f"{server}/HuberLoss?huber.preset=outlier&huber.reduction=sum")
    wait_drawn(page)
    value = metric(page)
    for language, heading in (("中文", "曲线与梯度"), ("English", "Curve and gradient"), ("中文", "曲线与梯度")):
        switch_language(page, language, heading)
        assert page.locator("[data-testid=stException]").count() == 0
        assert metric(page) == value
    assert "huber.preset=outlier" in page.url  # the preset by its key, whatever the language shown
    # the address bar's link opens the same view
    link = page.url
    assert "huber.reduction=sum" in link and "lang=zh" in link
    page.goto(link)
    wait_drawn(page)
    assert metric(page) == value
    assert page.locator("[data-testid=stAlert]").filter(has_text="🔗").count() == 0  # no notice about the link
