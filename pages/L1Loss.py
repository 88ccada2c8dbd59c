"""The L1Loss page."""

from ui.views.loss.page import render

render("l1")
