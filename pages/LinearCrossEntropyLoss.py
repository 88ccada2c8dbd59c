"""The LinearCrossEntropyLoss page."""

from ui.views.loss.page import render

render("linear_cross_entropy")
