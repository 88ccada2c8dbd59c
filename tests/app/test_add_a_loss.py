"""Adding a loss is its `LossSpec` and its page file (and its texts' translations), nothing else
(README, "To add a loss"). Checked by adding one: each loss's twin, the same spec under a new key,
is put in the catalog and its page is opened, every panel in turn; every view must show exactly
what the original's page shows. Any knowledge about a loss kept outside its spec (a table or a
branch keyed by the loss's key, anywhere in core/ or ui/) would treat the twin differently and
fail here."""

from __future__ import annotations

from dataclasses import replace

import pytest
from streamlit.testing.v1 import AppTest

from core.catalog import BY_KEY, LOSSES
from core.params import Number
from tests.app.helpers import ROOT, TIMEOUT, open_tab, shown

PAGE = "from ui.views.loss.page import render\nrender({key!r})\n"
PANELS = (("reductions", "Reductions"), ("code", "Copy as PyTorch"), ("notice", "What to notice"))


def _query(spec) -> dict:
    """A link that moves the inputs off their defaults: the views a student reaches, not only the first."""
    query = {}
    for i, param in enumerate(spec.inputs):
        if isinstance(param, Number):
            query[param.name] = str(param.low + (0.2 + 0.13 * i) % 1 * (param.high - param.low))
    return query


def _seen(at: AppTest) -> str:
    assert not at.exception, at.exception
    texts = [e.value for e in at.warning], [e.value for e in at.caption], [e.value for e in at.markdown]
    return repr((shown(at), texts))


def _views(spec, query: dict, tmp_path) -> list[str]:
    """What the page of `spec` shows under `query`, with each panel open in turn."""
    # beside app.py, as a page file is run: the sidebar's links are relative to the main script
    script = ROOT / f".{tmp_path.name}_{spec.key}.py"
    script.write_text(PAGE.format(key=spec.key))
    try:
        at = AppTest.from_file(str(script), default_timeout=TIMEOUT)
        for name, value in query.items():
            at.query_params[f"{spec.key}.{name}"] = value
        seen = [_seen(at.run())]
        for panel, label in PANELS:
            seen.append(_seen(open_tab(at, spec, panel, label)))
        return seen
    finally:
        script.unlink()


@pytest.mark.parametrize("spec", LOSSES, ids=[s.key for s in LOSSES])
def test_a_loss_added_by_its_spec_alone_shows_what_its_original_shows(spec, monkeypatch, tmp_path):
    twin = replace(spec, key=f"{spec.key}_twin")
    monkeypatch.setitem(BY_KEY, twin.key, twin)
    for query in ({}, _query(spec)):
        # the same, but for the widget keys in the share link (each loss's own prefix)
        added = [view.replace(f"{twin.key}.", f"{spec.key}.") for view in _views(twin, query, tmp_path)]
        assert added == _views(spec, query, tmp_path)
