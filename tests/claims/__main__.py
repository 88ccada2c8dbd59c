"""python -m tests.claims: write docs/claims.md; --todo: list the texts nothing backs yet, by file."""

import sys
from pathlib import Path

from tests.claims import CLAIMS, PLAIN, load, table

ROOT = Path(__file__).resolve().parents[2]

if "--todo" in sys.argv:
    from tests.ui.strings import english_strings

    load()
    sources = [*ROOT.glob("core/**/*.py"), *ROOT.glob("ui/*.py"), ROOT / "app.py"]
    todo = sorted(english_strings() - set(CLAIMS) - set(PLAIN))
    for text in todo:
        probe = text[:40]
        where = [str(p.relative_to(ROOT)) for p in sources if probe in p.read_text()]
        print(f"{', '.join(where) or '?'}\t{text}")
    print(f"{len(todo)} texts backed by nothing", file=sys.stderr)
else:
    (ROOT / "docs" / "claims.md").write_text(table())
