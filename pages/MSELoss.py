"""The MSELoss page."""

from ui.views.loss.page import render

render("mse")
