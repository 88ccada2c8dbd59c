"""The MarginRankingLoss page."""

from ui.loss_page import render

render("margin_ranking")
