"""The SmoothL1Loss page."""

from ui.loss_page import render

render("smooth_l1")
