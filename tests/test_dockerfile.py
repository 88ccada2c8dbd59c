"""deploy/Dockerfile is not built here (no Docker daemon on these machines; the README says so), so
what can be checked without building it is checked: it copies files that exist, every first-party
package the app and `python -m deploy` import, the config, and it runs the README's command."""

from __future__ import annotations

import ast
import re
import shlex
from pathlib import Path

from tests.test_apart import imported

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "deploy" / "Dockerfile").read_text()


def _instructions(name: str) -> list[str]:
    """The arguments of every `name` instruction, continuation lines joined."""
    lines = re.sub(r"\\\n\s*", " ", DOCKERFILE).splitlines()
    return [line.split(None, 1)[1] for line in lines if line.startswith(name + " ")]


def _first_party_imports() -> set[str]:
    """The top-level first-party packages imported by the app's files and by deploy/."""
    ours = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}
    files = [ROOT / "app.py"] + [p for d in ("pages", "core", "ui", "deploy") for p in (ROOT / d).rglob("*.py")]
    return {module.split(".")[0] for path in files for module in imported(path)} & ours


def test_the_dockerfile_copies_what_the_app_needs_and_runs_the_readmes_command():
    copied = {shlex.split(args)[0] for args in _instructions("COPY")}
    assert all((ROOT / source).exists() for source in copied), copied
    assert _first_party_imports() <= copied, "a package the app imports is not copied"
    assert {"pages", "app.py", ".streamlit", "requirements.txt"} <= copied
    (cmd,) = _instructions("CMD")
    assert ast.literal_eval(cmd)[:3] == ["python", "-m", "deploy"]
    assert "python -m deploy --workers" in (ROOT / "README.md").read_text()
    assert any(re.search(r"apt-get install .*\bhaproxy\b", run) for run in _instructions("RUN"))
    assert any("-r requirements.txt" in run for run in _instructions("RUN"))
