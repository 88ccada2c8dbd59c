"""The BCEWithLogitsLoss page."""

from ui.views.loss.page import render

render("bce_logits")
