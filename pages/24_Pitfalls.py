"""The pitfalls page."""

from ui.pitfalls_page import render

render()
