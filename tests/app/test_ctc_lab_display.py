"""How the CTC lab writes its numbers: the alignment table says how many of how many it lists (the
most probable first), its probabilities read at a glance, and the batch table writes ∞ as the
metrics do (not the table's own "Infinity")."""

from __future__ import annotations

import math

import pyarrow as pa

from core import ctc_lab
from tests.app.test_ctc_lab import open_lab


def _defaults() -> tuple[dict, dict]:
    return {p.name: p.default for p in ctc_lab.INPUTS}, {p.name: p.default for p in ctc_lab.PARAMS}


def _shown(frame):
    """The table as the browser draws it: the Styler's display values when there are any."""
    styler = frame.proto.arrow_data.styler
    return pa.ipc.open_stream(styler.display_values).read_pandas() if styler.display_values else frame.value


def test_the_alignment_table_says_it_lists_the_most_probable_of_all():
    at = open_lab()
    values, params = _defaults()
    result = ctc_lab.analyse(values, params)
    paths = ctc_lab.enumeration(result)
    total = result.lattice.alignments
    assert len(paths) == total > 50  # the default target has more alignments than the table lists
    assert at.expander[0].label == f"The 50 most probable of {total:,} alignments".replace(",", " ")
    table = at.dataframe[0].value
    best = sorted((lp for _, lp in paths), reverse=True)[:50]
    assert table["probability"].tolist() == [f"{math.exp(lp):.3g}" for lp in best]
    assert all("0.0000" not in p for p in table["probability"])  # small ones in scientific notation
    assert any("e-" in p for p in table["probability"])
    assert any(f"all {total:,} alignments".replace(",", " ") in c.value for c in at.caption)


def test_a_short_list_is_every_alignment():
    at = open_lab({"lab.target": "ab", "lab.T": "4"})
    assert at.expander[0].label.startswith("Every alignment (")


def test_the_batch_table_writes_infinity_as_the_metrics_do():
    at = open_lab({"lab.target": "aa", "lab.T": "2"})
    shown = _shown(at.dataframe[-1])
    losses = shown["loss (padded)"].tolist()
    assert "∞" in losses and not any(str(v) in ("inf", "Infinity") for v in losses)
    sums = {m.label: m.value for m in at.metric}
    assert "∞" in sums.values()


def test_alignments_too_many_to_list_are_counted_not_promised():
    at = open_lab({"lab.target": "cab", "lab.T": "20"})
    values, params = _defaults()
    result = ctc_lab.analyse({**values, "target": "cab", "T": 20}, params)
    assert ctc_lab.enumeration(result) is None
    count = f"{result.lattice.alignments:,}".replace(",", " ")
    assert at.expander[0].label == f"Alignments ({count}), not listed"
