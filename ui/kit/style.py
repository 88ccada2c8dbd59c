"""The app's own constant stylesheet, added to every page by ui/kit/layout.setup: metrics shown whole,
visible keyboard focus, charts and sliders that let a finger scroll the page. No user text here."""

from __future__ import annotations

import streamlit as st

PRIMARY = "#d9480f"  # .streamlit/config.toml's primaryColor

# Streamlit cuts a metric's value and label with "…" when the column is narrow (a projector's 1024
# pixels with the sidebar open): a cut number is a wrong number. The value shrinks with its box (cqi:
# a hundredth of the metric's width; 16cqi fits a 12-character number such as -1.23457e-05) and,
# narrower still, wraps; a list of values wraps between them.
_METRICS = (
    "[data-testid=stMetric] {container-type: inline-size;}"
    " :is([data-testid=stMetricValue], [data-testid=stMetricLabel]) [data-testid=stMarkdownContainer]"
    " {white-space: normal !important; text-overflow: clip !important; overflow: visible !important;"
    " overflow-wrap: anywhere;}"
    " :is([data-testid=stMetricValue], [data-testid=stMetricLabel]) p {white-space: normal !important;}"
    " [data-testid=stMetricValue] :is(div, p) {font-size: min(2.25rem, 16cqi); line-height: 1.15;}"
)

# A keyboard user must see where the focus is: Streamlit's own rings on radios, toggles and links are
# a faint shadow. react-aria hides the real <input> and marks its visible label data-focus-visible.
_FOCUS = (
    f":is(a, button, summary, textarea, input, [role=tab], [role=radio], [tabindex]):focus-visible"
    f" {{outline: 2px solid {PRIMARY} !important; outline-offset: 2px;}}"
    f" :is([data-testid=stRadioOption], [data-testid=stCheckbox] label, [data-testid=stToggle] label,"
    f" label[data-react-aria-pressable]):is([data-focus-visible], :has(input:focus-visible))"
    f" {{outline: 2px solid {PRIMARY} !important; outline-offset: 2px; border-radius: 4px;}}"
    f" [data-testid=stSlider] [role=group] div:has(> div > input:focus-visible)"
    f" {{outline: 2px solid {PRIMARY}; outline-offset: 3px; border-radius: 50%;}}"
)

# On a touch screen a swipe must scroll the page: Plotly's drag layer would zoom the chart and a
# slider's track would jump the thumb to the finger. There only the thumb starts a drag, and a
# chart is read, not dragged (its toolbar still resets and downloads it).
_TOUCH = (
    "@media (hover: none), (pointer: coarse) {"
    " [data-testid=stPlotlyChart] :is(.draglayer, .drag, .nsewdrag) {pointer-events: none !important;}"
    " [data-testid=stPlotlyChart] :is(.js-plotly-plot, .plot-container, .svg-container, .main-svg)"
    " {touch-action: pan-y !important;}"
    " [data-testid=stSlider] [role=group] > div {pointer-events: none; touch-action: pan-y !important;}"
    " [data-testid=stSlider] [role=group] > div > div:has(input) {pointer-events: auto;}"
    "}"
)

# A display formula wider than its column (a long by-hand line, a projector's narrow column) scrolls
# inside its box; Streamlit makes the scrollbar transparent, so nobody could tell the line goes on.
_FORMULAS = (
    "[data-testid=stMain] .katex-display {overflow-x: auto !important; overflow-y: hidden;"
    " padding-bottom: 6px; scrollbar-width: thin; scrollbar-color: #868e96 transparent !important;}"
)

# A loss page's title is a class name, one word: the browser broke it mid-word on a phone
# ("LinearCrossEntro|pyLoss"). Its type shrinks to fit the heading's box instead: --fit is set per
# page by `class_title` (cqi: a hundredth of the box's width); presentation mode keeps the rule.
_TITLES = (
    "[data-testid=stHeading] {container-type: inline-size;}"
    " [data-testid=stMain] h1 {font-size: min(2.75rem, var(--fit, 2.75rem)) !important;}"
)

# One screen (ui/views/loss/page.py): beside the controls, the value and the curve stay in view while
# the controls scroll; on a phone (Streamlit stacks columns below 640 px) a value line stays at the top,
# under Streamlit's header, above the slider being moved. Less empty space above the title.
_LAYOUT = (
    "[data-testid=stMainBlockContainer] {padding-top: 2.25rem !important;}"
    # sticky on the box whose parent is as tall as the controls: the column's own block (the row
    # stretches both columns to the taller one), and the line's wrapper inside the controls' column
    " .st-key-lx-value-line {display: none;}"
    " @media (min-width: 640px) {[data-testid=stColumn]:has(.st-key-lx-result) > div"
    " {position: sticky; top: 3.75rem; z-index: 1; height: fit-content; align-self: flex-start;}}"
    " @media (max-width: 639.98px) {[data-testid=stLayoutWrapper]:has(> .st-key-lx-value-line)"
    " {position: sticky; top: 3.75rem; z-index: 5; background: #fff;}"
    " .st-key-lx-value-line {display: block; padding: 0.25rem 0; border-bottom: 1px solid #dee2e6;}}"
)

APP_CSS = f"<style>{_METRICS} {_FOCUS} {_TOUCH} {_FORMULAS} {_TITLES} {_LAYOUT}</style>"

# A bold character of the app's font is about 0.48 em wide: a word of n characters fits a box of
# 100cqi at a size of 100cqi / (0.5 n), with a little to spare.
_EM_PER_CHARACTER = 0.5


def class_title(name: str) -> None:
    """A page title that is one word (a class name, never user text), sized to fit on one line."""
    st.html(f"<style>[data-testid=stMain] h1 {{--fit: calc(100cqi / {_EM_PER_CHARACTER * len(name):.1f});}}</style>")
    st.title(name, anchor=False)  # its hidden anchor icon wrapped to a line of its own under a long name


def apply() -> None:
    st.html(APP_CSS)
