"""A preset's note is true of the state the preset opens (tests/claims check it there), so the page
shows it only in that state: picking a preset opens exactly its state whatever was set before; a
changed parameter leaves a preset of slider values for the sliders; an exact preset (its own
tensors) stays under another parameter but hides its note until its own parameters are back."""

from __future__ import annotations

import pytest

from core.catalog import LOSSES
from tests.app.helpers import open_page

NOTED = [(spec, p) for spec in LOSSES for p in spec.presets if p.note]


def note_shown(at, preset) -> bool:
    return any(preset.note in c.value for c in at.caption)


def other_reduction(spec, preset) -> str:
    _, params = spec.opened_by(preset)
    return next(r for r in spec.reductions() if r != params["reduction"])


@pytest.mark.parametrize("spec, preset", NOTED, ids=[f"{s.key}-{p.key}" for s, p in NOTED])
def test_a_note_shows_in_the_state_its_preset_opens_and_only_there(spec, preset):
    at = open_page(spec)
    reduction = at.radio(key=f"{spec.key}.reduction")
    reduction.set_value(other_reduction(spec, preset)).run()  # a student's earlier setting
    at.selectbox(key=f"{spec.key}.preset").set_value(preset.key).run()
    assert not at.exception
    assert note_shown(at, preset), preset.note  # the picker opened the preset's own state
    opened = at.session_state[f"{spec.key}.reduction"]

    at.radio(key=f"{spec.key}.reduction").set_value(other_reduction(spec, preset)).run()
    assert not at.exception
    assert not note_shown(at, preset)
    if preset.make is None:  # slider values: a changed parameter leaves the preset
        assert at.session_state[f"{spec.key}.preset"] == "custom"
    else:  # its own tensors stay; the note comes back with its own parameters
        assert at.session_state[f"{spec.key}.preset"] == preset.key
        at.radio(key=f"{spec.key}.reduction").set_value(opened).run()
        assert note_shown(at, preset)


@pytest.mark.parametrize("spec, preset", NOTED[::5], ids=[f"{s.key}-{p.key}" for s, p in NOTED[::5]])
def test_a_link_that_changes_a_presets_state_does_not_show_its_note(spec, preset):
    query = {f"{spec.key}.preset": preset.key, f"{spec.key}.reduction": other_reduction(spec, preset)}
    at = open_page(spec, query)
    assert not at.exception
    assert not note_shown(at, preset)
    assert note_shown(open_page(spec, {f"{spec.key}.preset": preset.key}), preset)
