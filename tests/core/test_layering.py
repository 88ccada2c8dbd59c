"""core/ is pure computation: importing every module of it loads neither streamlit nor plotly."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import core

ROOT = Path(__file__).resolve().parents[2]


def test_core_imports_neither_streamlit_nor_plotly():
    modules = [m.name for m in pkgutil.walk_packages(core.__path__, "core.")]
    assert "core.catalog" in modules and "core.losses.sequence" in modules
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'plotly')))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
