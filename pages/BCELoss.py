"""The BCELoss page."""

from ui.views.loss.page import render

render("bce")
