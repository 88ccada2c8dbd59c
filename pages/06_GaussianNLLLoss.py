"""The GaussianNLLLoss page."""

from ui.loss_page import render

render("gaussian_nll")
