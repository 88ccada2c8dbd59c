"""The PoissonNLLLoss page."""

from ui.views.loss.page import render

render("poisson_nll")
