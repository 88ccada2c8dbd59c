"""The HuberLoss page."""

from ui.loss_page import render

render("huber")
