"""The playground and lecture mode in AppTest: a run trains to the known outcome, runs stay in
their own session, every scenario opens what it names, presentation mode changes the page,
and figures offer their data as CSV."""

from __future__ import annotations

import pytest

from tests.app.helpers import open_page
from tests.app.test_pages import sweep_widgets
from ui.kit.lecture import SCENARIOS
from ui.kit.pages import PLAYGROUND


def open_playground(query=None):
    at = open_page(PLAYGROUND, query)
    assert not at.exception
    return at


def test_a_regression_run_shows_l1_keeping_the_slope():
    at = open_playground({"play.outliers": "0.2", "play.size": "8"})
    at.button(key="play.train").click().run()
    assert not at.exception
    assert {"play.fit", "play.history"} <= {c.key for c in at.get("plotly_chart")}
    summary = next(c.value for c in at.main.caption if "slope" in c.value)
    slopes = {part.split(":")[0].strip(): float(part.split()[-1]) for part in summary.split(". ", 1)[1].split(" · ")}
    assert abs(slopes["L1Loss"] - 1.5) < abs(slopes["MSELoss"] - 1.5)


def test_a_classification_run_draws_the_boundaries():
    at = open_playground({"play.task": "classification", "play.data": "moons", "play.model": "mlp"})
    at.button(key="play.train").click().run()
    assert not at.exception and "play.fit" in {c.key for c in at.get("plotly_chart")}


def test_training_state_belongs_to_its_session():
    first, second = open_playground(), open_playground()
    first.button(key="play.train").click().run()
    second.run()
    assert "play.runs" in first.session_state and "play.runs" not in second.session_state
    # the other session shows its data, untrained: no loss history
    assert "play.history" not in {c.key for c in second.get("plotly_chart")}


def test_changed_settings_ask_for_a_new_run():
    at = open_playground()
    at.button(key="play.train").click().run()
    at.slider(key="play.lr").set_value(0.1).run()
    assert any("press Train" in c.value for c in at.main.caption)


def test_every_playground_control_moves():
    # after a run, any change of a setting replaces its figures by the request to train again
    for task in ("regression", "classification"):
        at = open_playground({"play.task": task, "play.steps": "20"})
        at.button(key="play.train").click().run()
        sweep_widgets(at)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.key)
def test_every_scenario_opens_what_it_names(scenario):
    at = open_page(scenario.page, scenario.query)
    assert not at.exception
    for key, value in scenario.query.items():
        shown = at.session_state[key]
        if isinstance(shown, bool):
            assert shown == (value == "true"), key
        elif isinstance(shown, (int, float)):
            assert shown == float(value), key
        else:
            assert shown == value, key


def test_the_home_page_lists_the_scenarios():
    at = open_page()
    text = " ".join(m.value for m in at.markdown)
    assert all(s.link() in text for s in SCENARIOS)


def test_presentation_mode_hides_the_secondary_panels_and_comes_from_the_link():
    from core.catalog import BY_KEY

    normal = open_page(BY_KEY["huber"])
    presenting = open_page(BY_KEY["huber"], {"present": "1"})
    assert len(normal.tabs) == 4 and len(presenting.tabs) == 2
    assert presenting.session_state["present"] is True
    presenting.toggle(key="present_pick").set_value(False).run()
    assert len(presenting.tabs) == 4


def test_figures_offer_their_data_as_csv():
    from core.catalog import BY_KEY

    at = open_page(BY_KEY["l1"])
    buttons = [b for b in at.get("download_button") if b.proto.id and "chart" in str(b.proto)]
    assert buttons
