"""Validate once, at the boundary (issue 13): the values a loss page reads from its widgets are
validated once into a `compute.Sample`, and everything below it (curve, overlays, 2-D view, value,
by hand, reductions, code) trusts it. Counted: every call of `Param.validate` on one of the spec's
declared params during the rerun a slider move causes, with each panel open in turn. A widget's
value is validated at most once in that rerun; a batch table's cell once per row (the table is
another source)."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from core.catalog import BY_KEY
from core.params import Float, Param
from tests.app.helpers import open_page, open_tab

# a loss of each shape: a 1-D curve with an overlay, a softmax plane and options, a CTC panel with
# text and int inputs, a triplet view, a pair of planes over the label
KEYS = ("huber", "cross_entropy", "ctc", "triplet_margin", "margin_ranking")
TABS = (("by_hand", "By hand"), ("reductions", "Reductions"), ("code", "Copy as PyTorch"))


def _classes(cls: type) -> list[type]:
    """Param and every subclass of it (kinds may be classes, each with its own `validate`)."""
    out = [cls]
    for sub in cls.__subclasses__():
        out += _classes(sub)
    return out


@pytest.fixture
def validations(monkeypatch):
    """A Counter of the outermost `validate` calls by the Param's identity (a vector's entries, a
    subclass calling its parent's `validate`: inner calls, not counted again)."""
    counts: Counter = Counter()
    local = threading.local()

    def counting(original):
        def validate(self, value):
            depth = getattr(local, "depth", 0)
            if depth == 0:
                counts[id(self)] += 1
            local.depth = depth + 1
            try:
                return original(self, value)
            finally:
                local.depth = depth

        return validate

    for cls in _classes(Param):
        if "validate" in vars(cls):
            monkeypatch.setattr(cls, "validate", counting(vars(cls)["validate"]))
    return counts


def _clear_curve_cache() -> None:
    """The curve is cached across sessions: a new value would miss it; so must the counted run."""
    from ui.views.loss import panels

    panels._curve.cache_clear()


def _move_a_slider(at, spec) -> None:
    """The first float input the page shows, moved to a new value (no rerun yet)."""
    p = next(p for p in spec.visible_inputs(spec.defaults()) if isinstance(p, Float))
    slider = at.slider(key=f"{spec.key}.{p.name}")
    slider.set_value(round(p.low + 0.37 * (p.high - p.low), 2))


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("panel,label", TABS, ids=[p for p, _ in TABS])
def test_one_slider_move_validates_each_value_once(key, panel, label, validations):
    spec = BY_KEY[key]
    at = open_tab(open_page(spec, {f"{key}.overlay": "true"} if spec.overlay else {}), spec, panel, label)
    assert not at.exception and not at.error
    _move_a_slider(at, spec)
    _clear_curve_cache()
    validations.clear()
    at.run()
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]

    rows = len(spec.batch) if panel == "reductions" else 0
    inputs = {id(p) for p in spec.inputs}
    declared = {id(p): p for p in (*spec.all_inputs, *spec.params)}
    allowed = {i: 1 + (rows if i in inputs else 0) for i in declared}
    counts = {i: n for i, n in validations.items() if i in declared}
    assert counts, "no value validated: the count no longer sees Param.validate"
    too_often = {declared[i].name: (n, allowed[i]) for i, n in counts.items() if n > allowed[i]}
    assert not too_often, f"{key}, {panel} open: validated (times, at most): {too_often}"
