"""The compare page."""

from ui.compare_page import render

render()
