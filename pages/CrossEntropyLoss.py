"""The CrossEntropyLoss page."""

from ui.views.loss.page import render

render("cross_entropy")
