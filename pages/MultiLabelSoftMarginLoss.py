"""The MultiLabelSoftMarginLoss page."""

from ui.views.loss.page import render

render("multilabel_soft_margin")
