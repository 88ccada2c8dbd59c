"""The TripletMarginLoss page."""

from ui.views.loss.page import render

render("triplet_margin")
