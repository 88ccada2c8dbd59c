"""The MultiLabelSoftMarginLoss page."""

from ui.loss_page import render

render("multilabel_soft_margin")
