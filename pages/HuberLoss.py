"""The HuberLoss page."""

from ui.views.loss.page import render

render("huber")
