"""The MarginRankingLoss page."""

from ui.views.loss.page import render

render("margin_ranking")
