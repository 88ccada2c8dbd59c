"""The SoftMarginLoss page."""

from ui.loss_page import render

render("soft_margin")
