"""The CTC lab page."""

from ui.ctc_lab import render

render()
