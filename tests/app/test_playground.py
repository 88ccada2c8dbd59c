"""The playground in AppTest: the data before any training, only the controls that apply (and
their link values kept for when they do), progress and Stop above the charts, an interrupted run's
partial result, and training outside the global turn."""

from __future__ import annotations

import pytest

from core import training
from tests.app.helpers import open_page
from ui.kit import admission
from ui.kit.pages import PLAYGROUND
from ui.views.playground import frame_every


def open_playground(query=None):
    at = open_page(PLAYGROUND, query)
    assert not at.exception
    return at


def widget_keys(at) -> set:
    return {w.key for kind in ("slider", "radio", "number_input", "multiselect") for w in at.get(kind)}


def in_order(node) -> list:
    """Every element under `node`, depth first, in the order the page shows them."""
    found = []
    for child in getattr(node, "children", {}).values():
        found.append(child)
        found.extend(in_order(child))
    return found


def charts(at) -> dict:
    return {c.key: c.proto.spec for c in at.get("plotly_chart")}


def interrupted_after(monkeypatch, frames: int) -> list:
    """Make training stop with an exception after `frames` frames, as a click on Stop interrupts a
    run (Streamlit raises at the run's next frame); returns, for each frame, whether the run held
    the global turn while training."""
    real, held = training.train, []

    def train(*args, **kwargs):
        for i, snapshot in enumerate(real(*args, **kwargs)):
            held.append(admission._turns.held())
            if i == frames:
                raise RuntimeError("interrupted")
            yield snapshot

    monkeypatch.setattr(training, "train", train)
    return held


@pytest.mark.parametrize("task", ["regression", "classification"])
def test_the_data_shows_before_any_training(task):
    at = open_playground({"play.task": task})
    spec = charts(at).get("play.fit")
    assert spec is not None, "no chart before Train"
    assert '"mode":"markers"' in spec.replace(" ", "")  # the points
    assert "contour" not in spec and "L1Loss" not in spec  # and no fit yet
    assert "play.history" not in charts(at)


def test_only_the_controls_that_apply_are_drawn():
    at = open_playground()  # regression, linear, L1 + MSE + Huber
    keys = widget_keys(at)
    assert "play.hidden" not in keys and "play.beta" not in keys
    assert {"play.delta", "play.size", "play.outliers", "play.lr"} <= keys
    at.radio(key="play.model").set_value("mlp").run()
    at.multiselect(key="play.losses.regression").set_value(["smooth_l1"]).run()
    keys = widget_keys(at)
    assert {"play.hidden", "play.beta"} <= keys and "play.delta" not in keys
    at.slider(key="play.outliers").set_value(0.0).run()
    assert "play.size" not in widget_keys(at)  # no outliers: their size changes nothing

    at = open_playground({"play.task": "classification"})  # BCEWithLogits + MultiMargin
    keys = widget_keys(at)
    assert "play.pos_weight" in keys and "play.label_smoothing" not in keys
    assert not {"play.beta", "play.delta", "play.outliers"} & keys
    at.multiselect(key="play.losses.classification").set_value(["cross_entropy"]).run()
    keys = widget_keys(at)
    assert "play.label_smoothing" in keys and "play.pos_weight" not in keys


def test_a_link_value_waits_for_its_control_to_apply():
    at = open_playground({"play.beta": "2.5", "play.hidden": "32"})
    assert "play.beta" not in widget_keys(at)
    at.multiselect(key="play.losses.regression").set_value(["l1", "smooth_l1"]).run()
    at.radio(key="play.model").set_value("mlp").run()
    assert at.slider(key="play.beta").value == 2.5 and at.slider(key="play.hidden").value == 32

    at = open_playground({"play.delta": "0.5"})  # HuberLoss is among the default losses
    assert at.slider(key="play.delta").value == 0.5
    at = open_playground({"play.task": "classification", "play.pos_weight": "3", "play.label_smoothing": "0.2"})
    assert at.slider(key="play.pos_weight").value == 3
    at.multiselect(key="play.losses.classification").set_value(["cross_entropy"]).run()
    assert at.slider(key="play.label_smoothing").value == 0.2


def test_no_stop_button_after_a_run():
    at = open_playground({"play.steps": "20"})
    at.button(key="play.train").click().run()
    assert not at.exception and "play.history" in charts(at)
    assert "play.stop" not in {b.key for b in at.button}
    assert not at.get("progress")


def test_progress_and_stop_sit_above_the_charts(monkeypatch):
    interrupted_after(monkeypatch, 3)
    at = open_playground()
    at.button(key="play.train").click().run()
    shown = in_order(at.main)
    kinds = [e.type for e in shown]
    stop = next(i for i, e in enumerate(shown) if getattr(e, "key", None) == "play.stop")
    assert kinds.index("progress") < kinds.index("plotly_chart") and stop < kinds.index("plotly_chart")


def test_an_interrupted_run_shows_how_far_it_got(monkeypatch):
    held = interrupted_after(monkeypatch, 3)
    at = open_playground({"play.steps": "1000"})
    at.button(key="play.train").click().run()
    assert at.exception  # the interruption
    monkeypatch.undo()
    at.run()
    assert not at.exception
    assert [i.value for i in at.info] == [f"Stopped at step {3 * frame_every(1000)} of 1000."]
    assert '"name":"L1Loss"' in charts(at)["play.fit"].replace(" ", "")  # the fits reached so far
    assert "play.stop" not in {b.key for b in at.button}
    # training gave the global turn back, and an interrupted run ended without it
    assert held and not any(held)
    assert admission._turns.acquire(timeout=1)
    admission._turns.release()


def test_a_stopped_run_then_changed_settings_ask_for_a_new_run(monkeypatch):
    interrupted_after(monkeypatch, 2)
    at = open_playground()
    at.button(key="play.train").click().run()
    monkeypatch.undo()
    at.slider(key="play.lr").set_value(0.1).run()
    assert not at.info and any("press Train" in c.value for c in at.main.caption)
    assert "L1Loss" not in charts(at)["play.fit"]  # the new settings' data, without the old fits


def test_a_control_keeps_its_value_while_it_does_not_apply():
    at = open_playground()
    at.slider(key="play.delta").set_value(2.0).run()
    at.multiselect(key="play.losses.regression").set_value(["l1"]).run()
    assert "play.delta" not in widget_keys(at)
    at.multiselect(key="play.losses.regression").set_value(["l1", "huber"]).run()
    assert at.slider(key="play.delta").value == 2.0
    at.radio(key="play.model").set_value("mlp").run()
    at.slider(key="play.hidden").set_value(40).run()
    at.radio(key="play.model").set_value("linear").run()
    assert "play.hidden" not in widget_keys(at)
    at.radio(key="play.model").set_value("mlp").run()
    assert at.slider(key="play.hidden").value == 40
