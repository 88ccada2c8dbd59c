"""The KLDivLoss page."""

from ui.views.loss.page import render

render("kl_div")
