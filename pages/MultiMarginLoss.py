"""The MultiMarginLoss page."""

from ui.views.loss.page import render

render("multi_margin")
