"""The 2-D views are declared on each LossSpec (`view`) and drawn by name: every declared view
exists, and every view is declared by some loss."""

from core.catalog import LOSSES
from core.params import Bool, Choice, Float
from ui.views.loss.extras import VIEWS


def test_every_declared_view_is_drawn_and_every_view_is_declared():
    declared = {spec.view for spec in LOSSES if spec.view}
    assert declared == set(VIEWS)
    planes = {"CrossEntropyLoss", "NLLLoss", "LinearCrossEntropyLoss"}
    assert {spec.title for spec in LOSSES if spec.view.endswith("_plane")} == planes


def test_every_declared_panel_is_drawn_and_every_panel_is_declared():
    from ui.views.loss.panels import PANELS

    assert {panel for spec in LOSSES for panel in spec.panels} == set(PANELS)


def test_an_overlay_varies_one_of_the_losss_parameters_within_its_range():
    for spec in (s for s in LOSSES if s.overlay):
        name, values = spec.overlay
        param = next(p for p in spec.params if p.name == name)
        assert isinstance(param, Float) and all(param.low <= v <= param.high for v in values), spec.title


def test_hidden_inputs_are_inputs_and_some_stay_visible():
    # what hides an input or option is a switch: an option or a parameter with a few values (CE's
    # target_kind, LinearCrossEntropyLoss's bias)
    for spec in (s for s in LOSSES if s.hidden):
        for switch in (p for p in spec.options + spec.params if isinstance(p, (Choice, Bool))):
            for value in switch.ends():
                state = {**spec.param_defaults(), **spec.defaults(), switch.name: value}
                hidden = spec.hidden(state)
                assert set(hidden) <= {p.name for p in spec.all_inputs} and spec.visible_inputs(state)


# What is specific to one loss is declared on its LossSpec (view, panels, overlay, hidden, shares,
# distance): no view chooses by a loss's key.


def test_no_view_switches_on_a_losss_key():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"spec\.key\s*(==|!=|in\b)|\.key\s*==\s*\"")
    found = {}
    for path in [*sorted((root / "ui").rglob("*.py")), root / "core" / "geometry.py"]:
        count = sum(1 for line in path.read_text().splitlines() if pattern.search(line))
        if count:
            found[str(path.relative_to(root))] = count
    assert not found, found


def test_every_class_shares_view_has_its_shares_and_every_triplet_view_its_distance():
    for spec in LOSSES:
        # the head plane draws the module's own weight and bias (core/geometry._head)
        head = {path.rsplit(".", 1)[-1] for path in spec.module_params.values()}
        assert ("weight" in head) == (spec.view == "head_plane"), spec.title
        assert (spec.shares is not None) == spec.view.startswith("class_shares"), spec.title
        assert (spec.distance is not None) == (spec.view == "triplet"), spec.title
