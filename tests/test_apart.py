"""The benchmarks and the tests share their helpers through deploy/ and never import each other; the
app (core/, ui/, pages/, app.py) imports none of them."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# a folder of the repository -> the top-level packages its files may not import
FORBIDDEN = {
    "bench": {"tests"},
    "tests": {"bench"},
    "deploy": {"bench", "tests"},
    "core": {"bench", "tests", "deploy", "ui"},
    "ui": {"bench", "tests", "deploy"},
    "pages": {"bench", "tests", "deploy"},
}


def imported(path: Path) -> set[str]:
    """The modules `path` imports, anywhere in it (a function's own import too), absolute."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.add(node.module)
    return out


def crossings(folder: str) -> list[str]:
    files = [ROOT / "app.py"] if folder == "pages" else []
    files += sorted((ROOT / folder).rglob("*.py"))
    return [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in files
        for module in sorted(imported(path))
        if module.split(".")[0] in FORBIDDEN[folder]
    ]


def test_no_folder_imports_what_it_must_not():
    assert all((ROOT / folder).is_dir() for folder in FORBIDDEN)
    found = [line for folder in FORBIDDEN for line in crossings(folder)]
    assert not found, found


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    path = tmp_path / "probe.py"
    path.write_text("def f():\n    from tests.app.helpers import open_page\n    import bench.load\n")
    assert imported(path) == {"tests.app.helpers", "bench.load"}
