"""The HingeEmbeddingLoss page."""

from ui.loss_page import render

render("hinge_embedding")
