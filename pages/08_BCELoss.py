"""The BCELoss page."""

from ui.loss_page import render

render("bce")
