"""The MSELoss page."""

from ui.loss_page import render

render("mse")
