"""The training playground page."""

from ui.views.playground import render

render()
