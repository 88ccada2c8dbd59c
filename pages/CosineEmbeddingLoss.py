"""The CosineEmbeddingLoss page."""

from ui.views.loss.page import render

render("cosine_embedding")
