"""The training playground page."""

from ui.playground import render

render()
