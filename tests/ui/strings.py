"""Every English string the app shows: the catalog's texts and each literal passed to `t()`."""

from __future__ import annotations

import ast
from pathlib import Path

from core import ctc_lab, pitfalls
from core.catalog import LOSSES
from core.flags import TEXT as FLAG_TEXT
from core.params import ALLOWED
from ui.kit.layout import FAMILY_TITLES

ROOT = Path(__file__).resolve().parents[2]
# Templates raised by builds, not by a Param's kind.
BUILD_ERRORS = (
    "a rate λ ≥ 0 when log_input=False",
    "weights ≥ 0 with a positive sum",
    "target weights ≥ 0 with a positive sum",
    "-100 (none) with class-probability targets: it applies to class indices only",
    "None (torch's default) with class-probability targets: it applies to class indices only",
    "class indices 0..{last}, padded with -1",
    "at least one row",
    "one of the {what}: {names}",
    "parameters",
    "inputs",
    "options",
    "1 to 40 symbols from '{alphabet}' and '-' for the blank",
)


def catalog_strings() -> set[str]:
    out = set(FLAG_TEXT.values()) | set(ALLOWED.values()) | set(FAMILY_TITLES.values()) | set(BUILD_ERRORS)
    for spec in LOSSES:
        out |= {spec.summary, spec.notice, spec.pitfall, spec.grad_note, spec.batch_apart, spec.sweep.label}
        out |= {p.help for p in spec.params + spec.all_inputs}
        out |= {p.title for p in spec.presets} | {p.note for p in spec.presets}
    out |= {p.help for p in ctc_lab.INPUTS}
    out |= (
        {d.title for d in pitfalls.DEMOS}
        | {d.lesson for d in pitfalls.DEMOS}
        | {d.control.help for d in pitfalls.DEMOS}
        | {title for d in pitfalls.DEMOS for _, title in d.sides}
    )
    return {s for s in out if s}


def widget_strings() -> set[str]:
    """Texts declared in the UI layer: its params' help (the lab's path, ...), scenarios, page titles;
    and the names of the tensors LinearCrossEntropyLoss's memory panel lists (core/memory.py's)."""
    from core.memory import PART_TEXTS
    from ui.kit.lecture import SCENARIOS
    from ui.kit.pages import HOME, TOOLS
    from ui.views.compare import CONTROLS, GROUP_TITLES
    from ui.views.ctc_lab import PATH
    from ui.views.loss.memory import CONTROLS as MEMORY
    from ui.views.playground import CONTROLS as PLAYGROUND

    return (
        {PATH.help}
        | {p.help for p in CONTROLS}
        | set(GROUP_TITLES.values())
        | {p.help for p in PLAYGROUND}
        | {p.help for p in MEMORY}
        | set(PART_TEXTS)
        | {s.title for s in SCENARIOS}
        | {s.point for s in SCENARIOS}
        | {page.title for page in (HOME, *TOOLS)}
    )


def code_strings() -> set[str]:
    """String literals passed as the first argument of t(...) in the app's code."""
    out = set()
    files = [ROOT / "app.py", *sorted((ROOT / "ui").rglob("*.py")), *sorted((ROOT / "pages").glob("*.py"))]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "t"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                out.add(node.args[0].value)
    return out


def english_strings() -> set[str]:
    return catalog_strings() | code_strings() | widget_strings()
