"""The CTC lab page."""

from ui.views.ctc_lab import render

render()
