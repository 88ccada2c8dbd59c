"""The compare and pitfalls pages in AppTest: they run, show torch's numbers, follow their
controls and links, and every widget moves without an exception."""

from __future__ import annotations

import json

import pytest

from core import compare, pitfalls
from tests.app.helpers import open_page
from tests.app.test_pages import sweep_widgets
from ui.kit.pages import COMPARE, PITFALLS


def open_at(page, query=None):
    at = open_page(page, query)
    assert not at.exception, [str(e.value)[:500] for e in at.exception]
    return at


@pytest.mark.parametrize("group, lines", [("regression", 5), ("classification", 5), ("probability", 2)])
def test_each_family_draws_its_losses(group, lines):
    at = open_at(COMPARE, {"cmp.group": group})
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = {trace["name"] for trace in figure["data"]}
    assert len(names) == lines


def test_a_link_chooses_the_losses_on_the_axes():
    at = open_at(COMPARE, {"cmp.group": "classification"})
    at.multiselect(key="cmp.show.classification").set_value(["zero_one", "hinge"]).run()
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert {trace["legendgroup"] for trace in figure["data"]} == {"zero_one", "hinge"}


def test_the_outlier_table_is_torchs():
    at = open_at(COMPARE, {"cmp.outlier": "2.5", "cmp.delta": "0.5"})
    table = at.dataframe[0].value
    costs = compare.outlier_costs(2.5, delta=0.5)
    assert table.iloc[:, 1].tolist() == [costs[k][0] for k in ("l1", "mse", "smooth_l1", "huber", "gaussian_nll")]
    assert "HuberLoss(delta=0.5)" in table.iloc[:, 0].tolist()


def test_every_compare_widget_moves():
    for group in compare.GROUPS:
        sweep_widgets(open_at(COMPARE, {"cmp.group": group}))


def test_pitfalls_show_both_sides_of_every_demo():
    at = open_at(PITFALLS)
    values = [m.value for m in at.metric]
    assert len(values) == 2 * len(pitfalls.DEMOS)
    before, after = pitfalls.run("kl_probabilities", 0.0)
    assert values[2:4] == [f"{before.loss:.6g}", f"{after.loss:.6g}"]


def test_a_pitfall_link_sets_its_control():
    at = open_at(PITFALLS, {"pit.ctc_infinity": "2", "pit.bce_extreme": "-150"})
    values = [m.value for m in at.metric]
    assert values[-2:] == ["∞", "0"]
    assert values[6:8] == ["100", "150"]


def test_every_pitfall_control_moves():
    sweep_widgets(open_at(PITFALLS))
