"""Every text the app shows, and what backs it.

A text is either a **claim** (it says something about behaviour: "bounded by 1", "the gradient
shrinks as ...", "an upper bound"), backed by one or more tests that compute it with torch over every
setting the page allows, or **plain** (a label, a definition of an input or parameter, or an
instruction about the app itself), which states nothing that torch could contradict.

    @claim(BY_KEY["huber"].notice)            # the text itself, or its spec attribute
    def test_huber_gradient_is_clipped_at_delta(): ...

    plain("label", "Article example", "Home")

`test_every_text.py` fails when a text the app shows (tests/ui/strings.py collects them all) is
neither, and `python -m tests.claims` writes the table text -> test to docs/claims.md.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections import defaultdict
from pathlib import Path

CLAIMS: dict[str, set[str]] = defaultdict(set)  # text -> "module::test"
PLAIN: dict[str, str] = {}  # text -> kind
KINDS = {
    "label": "names something (a title, a heading, a button, a choice)",
    "definition": "says what an input or parameter is, as torch's documentation defines it",
    "instruction": "tells the reader what to do in the app, or what the app does with the view",
    "message": "an error or status template; its values come from the code that raises it",
}


def claim(*texts: str):
    """Mark a test as the check of `texts`."""

    def mark(test):
        for text in texts:
            assert text, f"{test.__name__}: an empty text"
            CLAIMS[text].add(f"{test.__module__.removeprefix('tests.claims.')}::{test.__name__}")
        return test

    return mark


def plain(kind: str, *texts: str) -> None:
    assert kind in KINDS, kind
    for text in texts:
        PLAIN[text] = kind


def load() -> None:
    """Import every module of this package, so that every claim and plain text is registered."""
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name.startswith("test_"):
            importlib.import_module(f"tests.claims.{info.name}")


def table() -> str:
    """docs/claims.md: every text and its check."""
    from tests.ui.strings import english_strings

    load()
    rows = [
        "# What backs each text of the app",
        "",
        "Written by `python -m tests.claims` from the registrations in `tests/claims/`; "
        "`tests/claims/test_every_text.py` checks that it is current and that no text is missing.",
        "",
        "| Text | Backed by |",
        "|---|---|",
    ]
    for text in sorted(english_strings(), key=lambda text: (text.lower(), text)):
        if text in CLAIMS:
            backing = "<br>".join(f"`{t}`" for t in sorted(CLAIMS[text]))
        else:
            backing = f"*{PLAIN.get(text, 'nothing')}*"
        rows.append(f"| {_cell(text)} | {backing} |")
    return "\n".join(rows) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
