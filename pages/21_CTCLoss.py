"""The CTCLoss page."""

from ui.loss_page import render

render("ctc")
