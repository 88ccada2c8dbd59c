"""ui/ in layers (docs/architecture.md §1): ui.figures is pure (numpy -> figure dicts: no streamlit,
no page, no widget), one small adapter is the only code touching plotly's and Streamlit's
internals, and ui.kit knows no page view. Imports are read from the source (every `import` and
`from ... import`, inside functions too), so a lazy import counts as well."""

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import ui.figures

ROOT = Path(__file__).resolve().parents[2]
INTERNALS = ("_plotly_utils", "plotly.basedatatypes")


def imports(path: Path, root: Path = ROOT) -> set[str]:
    """Every module a file imports: `import a.b` gives a.b; `from a.b import c` gives a.b and a.b.c
    (c may be a module); relative imports are resolved against the file's package."""
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found |= {base} | {f"{base}.{alias.name}" for alias in node.names}
    return found


def importers(paths, *prefixes: str) -> dict[str, list[str]]:
    """{file: the modules it imports under any of `prefixes`}, for the files that import one."""
    hits = {}
    for path in paths:
        bad = sorted(m for m in imports(path) if any(m == p or m.startswith(p + ".") for p in prefixes))
        if bad:
            hits[str(path.relative_to(ROOT))] = bad
    return hits


def files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def test_importing_every_figures_module_loads_no_streamlit():
    modules = [m.name for m in pkgutil.walk_packages(ui.figures.__path__, "ui.figures.")]
    assert {"ui.figures.adapter", "ui.figures.base", "ui.figures.loss"} <= set(modules)
    code = (
        "import importlib, sys\n"
        f"for m in {['ui.figures', *modules]!r}: importlib.import_module(m)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit'))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_figures_import_no_widget_and_no_page():
    assert importers(files("ui/figures"), "ui.kit", "ui.views", "streamlit", "app", "pages") == {}


def test_the_kit_imports_no_page_view():
    assert files("ui/kit") and importers(files("ui/kit"), "ui.views") == {}


def test_only_the_adapter_touches_plotlys_internals():
    """Only ui/figures/adapter.py imports _plotly_utils or plotly.basedatatypes (what Streamlit's
    plotly_chart and plotly's to_dict rely on), and within ui/figures only it imports plotly at all:
    the builders make plain dicts."""
    everywhere = [*files("ui"), *files("pages"), ROOT / "app.py"]
    assert list(importers(everywhere, *INTERNALS)) == ["ui/figures/adapter.py"]
    assert list(importers(files("ui/figures"), "plotly", "_plotly_utils")) == ["ui/figures/adapter.py"]


def test_the_import_reader_sees_every_kind_of_import(tmp_path):
    """The checks above are only as good as `imports`: a lazy, a from- and a relative import count."""
    package = tmp_path / "ui" / "kit"
    package.mkdir(parents=True)
    source = package / "probe.py"
    source.write_text(
        "def f():\n    from ..views import compare\n    import ui.views.loss.page\nfrom ui import views\n"
    )
    assert {"ui.views", "ui.views.compare", "ui.views.loss.page"} <= imports(source, tmp_path)


def test_no_module_of_ui_outgrows_one_subject():
    """A module of ui/ holds one subject: past ~350 lines it holds two, and is split (issue 13)."""
    long = {str(path.relative_to(ROOT)): n for path in files("ui") if (n := len(path.read_text().splitlines())) > 350}
    assert not long, long
