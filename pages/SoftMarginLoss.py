"""The SoftMarginLoss page."""

from ui.views.loss.page import render

render("soft_margin")
