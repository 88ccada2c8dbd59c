"""The pitfalls page."""

from ui.views.pitfalls import render

render()
