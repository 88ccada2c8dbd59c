"""The cost of one action. Pages run one at a time (ui/kit/admission.py), so a slow run holds every
other visitor: for each input that scales work, its most expensive allowed value (and combination)
reruns within BOUND seconds of server CPU, and a value beyond its limit gets a clear message.

Measured as the process's CPU time around a whole-page AppTest rerun (more than a slider move, which
reruns one fragment), the best of RERUNS after a first, cold run; the shared curve cache is emptied
before each, as a new value would find it. What scales work, and its limit:
- the batch table's rows (every loss page): ui.views.loss.batch.MAX_ROWS;
- CTCLoss's target length and T (its curve is 400 CTC forwards and backwards): the Params' ranges;
- the CTC lab's T, target, N, the article's sequences, the listed alignments (core.ctc_lab
  .ENUMERATION_LIMIT) and the typed path (40 symbols);
- Compare's `low` (a fixed number of points whatever the range), the pitfalls' controls;
- the playground's drawing before Train (training itself runs outside the turn: not bounded here).
Every other control is a bounded slider, toggle or choice over a fixed-size sample."""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

import ui.views.loss.panels
from core import ctc_lab
from core.catalog import BY_KEY, LOSSES
from core.losses.sequence import MAX_T, MAX_TARGET
from tests.app.helpers import ROOT, TIMEOUT, open_tab
from ui.kit.pages import COMPARE, CTC_LAB, PITFALLS, PLAYGROUND, page_path
from ui.views.loss.batch import MAX_ROWS
from ui.views.pitfalls import CONTROLS as PITFALL_CONTROLS

BOUND = 0.5  # seconds of server CPU for one rerun: what one action may hold the others for (issue 11)
RERUNS = 2
LONGEST_TARGET = ("abcde" * 3)[:MAX_TARGET]


def _open(path: str, query: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update(query)
    return at.switch_page(path).run()


def cpu_of_rerun(at: AppTest) -> float:
    """The least CPU time of RERUNS whole-page reruns, each with the curve cache emptied."""
    times = []
    for _ in range(RERUNS):
        ui.views.loss.panels._curve.cache_clear()
        start = time.process_time()
        at.run()
        times.append(time.process_time() - start)
        assert not at.exception, [e.message for e in at.exception]
    return min(times)


def per_element(at: AppTest):
    """The reductions tab's table of per-element losses (its columns are ℓ): row 0, the sliders' sample,
    then the table's rows."""
    return next(d for d in at.dataframe if str(d.value.columns[0]).startswith("ℓ")).value


def _costliest_row(spec) -> dict:
    if spec.key == "ctc":
        return {"target": LONGEST_TARGET, "T": MAX_T, "strength": 8.0}
    return dict(spec.batch[0])


@pytest.mark.parametrize("spec", LOSSES, ids=lambda s: s.key)
def test_a_loss_page_at_its_costliest_reruns_within_the_bound(spec):
    """The overlay's extra curves, a full batch table and (CTCLoss) the longest target and T."""
    query = {f"{spec.key}.overlay": "true"} if spec.overlay else {}
    if spec.key == "ctc":
        query.update({"ctc.target": LONGEST_TARGET, "ctc.T": str(MAX_T)})
    at = _open(page_path(spec), query)
    open_tab(at, spec, "reductions", "Reductions")
    added = [_costliest_row(spec) for _ in range(MAX_ROWS - len(spec.batch))]
    at.session_state[f"{spec.key}.batch"] = {"edited_rows": {}, "added_rows": added, "deleted_rows": []}
    at.run()
    assert not at.error, [e.value for e in at.error]
    assert len(per_element(at)) == MAX_ROWS + 1  # the per-element losses of every row, and of row 0
    assert cpu_of_rerun(at) <= BOUND


def test_a_pasted_table_beyond_the_limit_is_refused_cheaply_and_forgotten():
    """3 000 pasted rows cost 5-16 s of CPU, and 5 s again on every later move (the browser resent
    them). Now: a message naming the limit, the original batch, and a new table the browser starts
    afresh, so later moves are cheap."""
    spec = BY_KEY["ctc"]
    at = _open(page_path(spec), {})
    open_tab(at, spec, "reductions", "Reductions")
    added = [_costliest_row(spec) for _ in range(3000)]
    at.session_state["ctc.batch"] = {"edited_rows": {}, "added_rows": added, "deleted_rows": []}
    start = time.process_time()
    at.run()
    assert time.process_time() - start <= BOUND
    assert [e.value for e in at.error] == [
        f"The table holds at most {MAX_ROWS} rows, and this edit gave 3003: it is back to the original batch."
    ]
    assert len(per_element(at)) == len(spec.batch) + 1
    at.slider(key="ctc.strength").set_value(1.0)
    assert cpu_of_rerun(at) <= BOUND
    assert not at.error and len(per_element(at)) == len(spec.batch) + 1
    assert "ctc.batch" not in at.session_state  # the oversized edit is gone from the session


def test_a_table_at_the_limit_is_kept_and_one_row_more_is_refused():
    spec = BY_KEY["mse"]
    at = _open(page_path(spec), {})
    open_tab(at, spec, "reductions", "Reductions")
    row = dict(spec.batch[0])
    at.session_state["mse.batch"] = {"added_rows": [row] * (MAX_ROWS - len(spec.batch))}
    at.run()
    assert not at.error and len(per_element(at)) == MAX_ROWS + 1
    at.session_state["mse.batch"] = {"added_rows": [row] * (MAX_ROWS - len(spec.batch) + 1)}
    at.run()
    assert f"at most {MAX_ROWS} rows" in at.error[0].value
    # the refused table starts afresh under a new key, which takes edits like the first one did
    at.session_state["mse.batch.1"] = {"added_rows": [row]}
    at.run()
    assert not at.error and len(per_element(at)) == len(spec.batch) + 2


LAB = {
    "aligned, the longest target, T and batch": {
        "lab.target": LONGEST_TARGET,
        "lab.T": str(ctc_lab.FRAMES.high),
        "lab.N": str(ctc_lab.BATCH.high),
        "lab.path": ("ab-" * 14)[:40],
    },
    "random emissions, the longest target, T and batch": {
        "lab.source": "random",
        "lab.target": LONGEST_TARGET,
        "lab.T": str(ctc_lab.FRAMES.high),
        "lab.N": str(ctc_lab.BATCH.high),
    },
    "the article's example": {"lab.source": "article", "lab.sequence": "15"},
    # the most alignments still listed one by one (1 830, below core.ctc_lab.ENUMERATION_LIMIT)
    "the longest list of alignments": {"lab.target": "a", "lab.T": str(ctc_lab.FRAMES.high)},
}


@pytest.mark.parametrize("case", LAB)
def test_the_ctc_lab_at_its_costliest_reruns_within_the_bound(case):
    at = _open(CTC_LAB.path, LAB[case])
    assert not at.warning, [w.value for w in at.warning]  # every value was allowed
    assert cpu_of_rerun(at) <= BOUND


OTHERS = {
    "Compare, regression": (COMPARE.path, {"cmp.group": "regression"}),
    "Compare, classification": (COMPARE.path, {"cmp.group": "classification"}),
    "Compare, probability at the lowest logit": (COMPARE.path, {"cmp.group": "probability", "cmp.low": "-300"}),
    "Pitfalls, every control at its maximum": (
        PITFALLS.path,
        {f"pit.{k}": str(p.high) for k, p in PITFALL_CONTROLS.items()},
    ),
    "Playground before Train, the largest MLP": (
        PLAYGROUND.path,
        {"play.model": "mlp", "play.hidden": "64", "play.steps": "1000", "play.task": "classification"},
    ),
}


@pytest.mark.parametrize("case", OTHERS)
def test_the_other_pages_at_their_costliest_rerun_within_the_bound(case):
    path, query = OTHERS[case]
    at = _open(path, query)
    assert not at.warning, [w.value for w in at.warning]
    assert cpu_of_rerun(at) <= BOUND


BEYOND = {
    "CTCLoss": (
        page_path(BY_KEY["ctc"]),
        {"ctc.T": str(MAX_T + 1), "ctc.target": "a" * (MAX_TARGET + 1)},
        (f"1 ≤ T ≤ {MAX_T}", f"1 to {MAX_TARGET} letters"),
    ),
    "CTC lab": (
        CTC_LAB.path,
        {"lab.T": "61", "lab.N": "9", "lab.target": "a" * 13, "lab.path": "a" * 41, "lab.sequence": "16"},
        ("1 ≤ T ≤ 60", "1 ≤ N ≤ 8", "1 to 12 letters", "1 to 40 letters", "0 ≤ sequence ≤ 15"),
    ),
    "Compare": (COMPARE.path, {"cmp.low": "-301"}, ("-300 ≤ low ≤ -10",)),
    "Playground": (
        PLAYGROUND.path,
        {"play.steps": "1001", "play.hidden": "65"},
        ("20 ≤ steps ≤ 1000", "2 ≤ hidden ≤ 64"),
    ),
}


@pytest.mark.parametrize("page", BEYOND)
def test_a_value_beyond_its_limit_is_refused_with_the_limit_named(page):
    path, query, limits = BEYOND[page]
    at = _open(path, query)
    notices = " ".join(w.value for w in at.warning)
    for limit in limits:
        assert limit in notices, (limit, notices)
    assert cpu_of_rerun(at) <= BOUND


def test_rows_deleted_make_room_and_a_crafted_edit_is_refused_truthfully():
    """The limit is on the table an edit leaves: deleting the example rows and pasting MAX_ROWS of
    one's own is allowed; a crafted state naming more rows than a table can have is refused, and the
    message counts what it named."""
    spec = BY_KEY["mse"]
    at = _open(page_path(spec), {})
    open_tab(at, spec, "reductions", "Reductions")
    row, rows = dict(spec.batch[0]), len(spec.batch)
    at.session_state["mse.batch"] = {"added_rows": [row] * MAX_ROWS, "deleted_rows": list(range(rows))}
    at.run()
    assert not at.error and len(per_element(at)) == MAX_ROWS + 1
    at.session_state["mse.batch"] = {"edited_rows": {str(i): {"input": 0.5} for i in range(MAX_ROWS + 1)}}
    at.run()
    assert [e.value for e in at.error] == [
        f"An edit may change at most {MAX_ROWS} rows, and this one named {MAX_ROWS + 1}: the table is back to "
        "the original batch."
    ]
    assert len(per_element(at)) == rows + 1
