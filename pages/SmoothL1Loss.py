"""The SmoothL1Loss page."""

from ui.views.loss.page import render

render("smooth_l1")
