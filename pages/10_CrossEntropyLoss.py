"""The CrossEntropyLoss page."""

from ui.loss_page import render

render("cross_entropy")
