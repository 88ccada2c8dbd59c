"""The CTCLoss page."""

from ui.views.loss.page import render

render("ctc")
