"""The KLDivLoss page."""

from ui.loss_page import render

render("kl_div")
