"""The BCEWithLogitsLoss page."""

from ui.loss_page import render

render("bce_logits")
