"""Every text the app shows is a claim with a test, or plain (a label, a definition, an instruction,
a message); docs/claims.md, the table of them, is current."""

from pathlib import Path

from tests.claims import CLAIMS, PLAIN, load, table
from tests.ui.strings import english_strings

ROOT = Path(__file__).resolve().parents[2]


def test_every_text_is_a_checked_claim_or_plain():
    load()
    missing = sorted(english_strings() - set(CLAIMS) - set(PLAIN))
    assert not missing, "texts backed by nothing (python -m tests.claims --todo lists them by file):\n" + "\n".join(
        missing
    )


def test_every_registered_text_is_shown_by_the_app():
    load()
    stale = sorted((set(CLAIMS) | set(PLAIN)) - english_strings())
    assert not stale, stale


def test_a_claim_is_not_also_plain():
    load()
    assert not set(CLAIMS) & set(PLAIN)


def test_docs_claims_md_is_current():
    assert (ROOT / "docs" / "claims.md").read_text() == table(), "run: python -m tests.claims"
