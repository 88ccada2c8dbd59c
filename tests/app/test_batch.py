"""The Reductions tab's batch starts from the sample shown (issue 22, item 6): its row 0 is the
sliders' sample and follows them, so a batch of that one row gives the headline's value under every
reduction; the table's own rows are edited apart, and an edit survives a slider move. Where the value
is of a preset's own tensors, the tab says its batch is another one."""

from __future__ import annotations

import numpy as np

from core import compute
from core.catalog import BY_KEY
from core.latex import number_text
from tests.app.helpers import main_value, open_page, open_tab

HUBER, KL = BY_KEY["huber"], BY_KEY["kl_div"]


def _tab(at, spec):
    return open_tab(at, spec, "reductions", "Reductions")


def _per_element(at) -> np.ndarray:
    """The tab's table of per-element losses (its columns are ℓ), as floats."""
    return next(d for d in at.dataframe if str(d.value.columns[0]).startswith("ℓ")).value.to_numpy(dtype=float)


def _chosen(at) -> str:
    """The tab's value under the chosen reduction (its metric is marked ◀)."""
    return next(m.value for m in at.metric if m.label.endswith(" ◀"))


def _only_row_zero(at, spec):
    """Delete every row of the table: the batch is row 0 alone."""
    at.session_state[f"{spec.key}.batch"] = {
        "edited_rows": {},
        "added_rows": [],
        "deleted_rows": list(range(len(spec.batch))),
    }
    return at.run()


def test_a_batch_of_row_zero_gives_hubers_headline_under_every_reduction():
    at = _tab(open_page(HUBER), HUBER)
    at.slider(key="huber.input").set_value(1.5).run()
    at = _only_row_zero(at, HUBER)
    assert not at.exception and not at.error
    for reduction in HUBER.reductions():
        at.radio(key="huber.reduction").set_value(reduction).run()
        headline = main_value(at)
        assert _per_element(at).shape == (1, 1)
        if reduction == "none":  # the headline is the per-element losses
            assert number_text(_per_element(at)[0, 0]) == headline
        else:
            assert _chosen(at) == headline, reduction


def test_row_zero_is_hubers_sample_beside_the_tables_rows():
    at = _tab(open_page(HUBER), HUBER)
    at.slider(key="huber.input").set_value(-2.0).run()
    values = {"input": -2.0, "target": HUBER.defaults()["target"]}
    sample = compute.evaluate(HUBER, compute.sample_case(HUBER, values, {}), {"reduction": "none"})
    per = _per_element(at)
    assert per.shape == (len(HUBER.batch) + 1, 1)
    assert per[0, 0] == sample.per_element[0]
    assert any("Row 0 is the sliders' sample" in c.value for c in at.caption)


def test_kl_divs_article_preset_says_its_batch_is_another_and_a_moved_q0_brings_the_sliders_back():
    at = _tab(open_page(KL, {"kl_div.preset": "article"}), KL)
    preset = KL.preset("article")
    article = compute.evaluate(KL, preset.exact(), KL.opened_by(preset)[1]).value
    assert main_value(at) == number_text(article)
    assert any("the preset's own tensors (input (2, 3), target (2, 3))" in i.value for i in at.info)
    at.slider(key="kl_div.q0").set_value(0.6).run()  # leaves the preset for the sliders
    assert not any("preset's own tensors" in i.value for i in at.info)
    at = _only_row_zero(at, KL)
    assert not at.exception and not at.error
    assert _chosen(at) == main_value(at)  # the article's reduction, 'mean'
    for reduction in KL.reductions():
        at.radio(key="kl_div.reduction").set_value(reduction).run()
        if reduction != "none":
            assert _chosen(at) == main_value(at), reduction


def test_row_zero_follows_a_slider_while_an_edited_row_survives():
    spec = HUBER
    at = _tab(open_page(spec), spec)
    at.session_state["huber.batch"] = {"edited_rows": {0: {"input": 2.0}}, "added_rows": [], "deleted_rows": []}
    at.run()
    editor = next(d for d in at.dataframe if d.key == "huber.batch")
    assert len(editor.value) == len(spec.batch)  # row 0 is not in the editor: it is not edited there
    edited = {**spec.batch[0], "input": 2.0}
    expected_row_1 = compute.evaluate(spec, compute.batch_case(spec, [edited], {}, {}), {"reduction": "none"})

    at.slider(key="huber.input").set_value(-1.2).run()
    assert not at.exception and not at.error
    per = _per_element(at)
    moved = compute.evaluate(spec, compute.sample_case(spec, {"input": -1.2}, {}), {"reduction": "none"})
    assert per[0, 0] == moved.per_element[0]  # row 0 followed the slider
    assert per[1, 0] == expected_row_1.per_element[0]  # the edited row is still the edit
    assert per.shape[0] == len(spec.batch) + 1
    # the browser keeps an edit while the editor keeps its identity (Streamlit's id, from its data)
    assert next(d for d in at.dataframe if d.key == "huber.batch").proto.id == editor.proto.id
