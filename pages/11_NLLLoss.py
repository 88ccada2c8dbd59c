"""The NLLLoss page."""

from ui.loss_page import render

render("nll")
