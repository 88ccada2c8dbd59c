"""The catalog's entry is read by name: `LossSpec` takes keywords only, and every field of it and of its
parts says what it is (a comment above it or beside it, as PyTorch's ModuleInfo does)."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from core import spec

SOURCE = Path(spec.__file__).read_text()


def uncommented(source: str, classes: tuple[str, ...]) -> list[str]:
    """The fields of `classes` with no comment on the line above them nor on their own line."""
    lines = source.splitlines()
    return [
        f"{node.name}.{item.target.id}"
        for node in ast.parse(source).body
        if isinstance(node, ast.ClassDef) and node.name in classes
        for item in node.body
        if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
        if not (lines[item.lineno - 2].strip().startswith("#") or "#" in lines[item.lineno - 1])
    ]


def test_a_loss_spec_takes_keywords_only():
    assert all(f.kw_only for f in dataclasses.fields(spec.LossSpec))
    with pytest.raises(TypeError):
        spec.LossSpec("key", "Title")  # type: ignore[misc]


def test_every_field_is_commented():
    assert not uncommented(SOURCE, ("LossSpec", "Case", "Sweep", "Preset"))


def test_the_check_sees_a_field_without_a_comment():
    source = "class Sweep:\n    # the range\n    low: float\n    high: float\n    points: int = 500  # its points\n"
    assert uncommented(source, ("Sweep",)) == ["Sweep.high"]
