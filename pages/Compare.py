"""The compare page."""

from ui.views.compare import render

render()
