"""The MultiMarginLoss page."""

from ui.loss_page import render

render("multi_margin")
