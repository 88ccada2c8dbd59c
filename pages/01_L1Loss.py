"""The L1Loss page."""

from ui.loss_page import render

render("l1")
