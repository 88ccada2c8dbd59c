"""The TripletMarginWithDistanceLoss page."""

from ui.loss_page import render

render("triplet_distance")
