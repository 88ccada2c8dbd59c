"""The MultiLabelMarginLoss page."""

from ui.loss_page import render

render("multilabel_margin")
