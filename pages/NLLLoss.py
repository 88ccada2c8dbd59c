"""The NLLLoss page."""

from ui.views.loss.page import render

render("nll")
