"""The PoissonNLLLoss page."""

from ui.loss_page import render

render("poisson_nll")
