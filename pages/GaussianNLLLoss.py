"""The GaussianNLLLoss page."""

from ui.views.loss.page import render

render("gaussian_nll")
