"""Memory over a long lecture: every cache the app keeps is bounded. A cache is shared by every session
of a server process and lives as long as it does, so a cache that grows with what students type or
slide would grow for the whole lecture (bench/waves.py measures the server's RSS over waves of
sessions). Each cache decorator in the app's code either names its bound, or is listed here with why
its keys are finite."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [ROOT / "app.py", *sorted((ROOT / "core").rglob("*.py")), *sorted((ROOT / "ui").rglob("*.py"))]

# caches without a size bound whose keys come from the code, not from a visitor
FINITE = {
    ("ui/kit/layout.py", "_page"): "one page object per page file",
    ("ui/figures/adapter.py", "_colorscale"): "one per colourscale name written in ui/figures",
    ("core/compare.py", "bce_fade"): "takes no arguments",
    ("app.py", "thumbnail"): "one image per loss key of the catalog",
}
# the keyword that bounds each kind of cache, and the decorators that cannot be bounded
BOUND = {"lru_cache": "maxsize", "cache_data": "max_entries", "cache_resource": "max_entries"}
UNBOUNDED = {"cache"}  # functools.cache


def _caches():
    """(file, function, decorator name, its bound or None) for every cache decorator."""
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for deco in node.decorator_list:
                call = deco if isinstance(deco, ast.Call) else None
                target = call.func if call else deco
                name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
                if name not in BOUND and name not in UNBOUNDED:
                    continue
                bound = None
                for keyword in call.keywords if call else []:
                    if keyword.arg == BOUND.get(name) and isinstance(keyword.value, ast.Constant):
                        bound = keyword.value.value
                yield str(path.relative_to(ROOT)), node.name, name, bound


def test_every_cache_is_bounded_or_has_finite_keys():
    caches = list(_caches())
    assert len(caches) >= 7  # the scan finds the caches there are (a scan that finds none proves nothing)
    unbounded = [(f, fn) for f, fn, _, bound in caches if not isinstance(bound, int) or bound <= 0]
    assert sorted(unbounded) == sorted(FINITE), "a cache without a bound must say why its keys are finite"


def test_the_shared_curve_cache_holds_a_few_megabytes():
    from core.catalog import LOSSES
    from ui.views.loss import panels

    size = panels._curve.cache_info().maxsize
    largest = max(spec.sweep.points for spec in LOSSES) * 8 * 3  # x, loss and gradient in float64
    assert size is not None and size * largest <= 4e6
