"""The MultiLabelMarginLoss page."""

from ui.views.loss.page import render

render("multilabel_margin")
