"""The CosineEmbeddingLoss page."""

from ui.loss_page import render

render("cosine_embedding")
