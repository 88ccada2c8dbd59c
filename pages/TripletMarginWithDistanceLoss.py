"""The TripletMarginWithDistanceLoss page."""

from ui.views.loss.page import render

render("triplet_distance")
