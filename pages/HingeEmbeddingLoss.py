"""The HingeEmbeddingLoss page."""

from ui.views.loss.page import render

render("hinge_embedding")
