"""Share and reset, on every page (ui/kit/share.py): the popover's links are made only while it is open
(a slider move sends one element for it), and when open they hold the page's view, for students
without presentation mode and for the projector with it; Reset puts every control back to its default
and empties the page's part of the link. In presentation mode a loss page says which tabs it hides."""

from __future__ import annotations

import urllib.parse

import pytest

from core.catalog import BY_KEY
from deploy.apptest import open_page
from ui.kit import pages


def _links(at) -> list[str]:
    return [c.value for c in at.code if c.value.startswith(("?", "http"))]


def _query(url: str) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(url.split("?", 1)[1]) if "?" in url else {}


def test_the_closed_popover_holds_nothing_and_the_open_one_the_pages_link_for_students_and_projector():
    at = open_page(BY_KEY["huber"], {"huber.delta": "0.5", "present": "1"})
    assert not at.exception
    assert _links(at) == []  # closed: no link built, none sent
    at.session_state["huber:share"] = True  # the browser opens it
    at.run()
    student, projector = _links(at)
    assert _query(student)["huber.delta"] == ["0.5"] and "present" not in _query(student)
    assert _query(projector)["huber.delta"] == ["0.5"] and _query(projector)["present"] == ["1"]
    # (that it follows a slider moved in the browser: tests/browser/test_app_in_chromium.py)
    at.session_state["huber:share"] = False
    at.run()
    assert _links(at) == []


PAGES = [pages.of("huber"), pages.of("cross_entropy"), *pages.TOOLS]
VIEWS = {
    "HuberLoss": {"huber.delta": "0.5", "huber.input": "2"},
    "CrossEntropyLoss": {"cross_entropy.reduction": "sum"},
    "Compare": {"cmp.group": "classification"},
    "Pitfalls": {"pit.softmax_ce": "6"},
    "Playground": {"play.task": "classification"},
    "CTC_lab": {"lab.T": "2"},
}


@pytest.mark.parametrize("page", PAGES, ids=[p.url for p in PAGES])
def test_every_page_shares_its_view_and_resets_it(page):
    at = open_page(page, VIEWS[page.url])
    assert not at.exception, [e.message for e in at.exception]
    assert {key: at.query_params[key] for key in VIEWS[page.url]} == VIEWS[page.url]
    prefix = next(iter(VIEWS[page.url])).split(".")[0]
    at.session_state[f"{prefix}:share"] = True
    at.run()
    (student, _) = _links(at)
    assert {k: v[0] for k, v in _query(student).items() if k != "lang"} == VIEWS[page.url]
    before = at.session_state[next(iter(VIEWS[page.url]))]
    at.button(key=f"{prefix}:reset").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert [key for key in at.query_params if key.startswith(f"{prefix}.")] == []
    assert at.session_state[next(iter(VIEWS[page.url]))] != before  # back to its default


def test_presentation_mode_says_which_tabs_it_hides_and_the_student_link_has_them():
    note = "Presentation mode shows By hand and What to notice only"
    presenting = open_page(BY_KEY["huber"], {"present": "1"})
    assert [t.label for t in presenting.tabs] == ["By hand", "What to notice"]
    assert any(note in c.value for c in presenting.caption)
    student = open_page(BY_KEY["huber"])
    assert [t.label for t in student.tabs] == ["By hand", "Reductions", "Copy as PyTorch", "What to notice"]
    assert not any(note in c.value for c in student.caption)
