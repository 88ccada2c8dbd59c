"""Each kind of param is a class that knows its values (core/params.py); no code asks a param for its
kind to decide what to do."""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest

from core import ctc_lab, pitfalls
from core.catalog import LOSSES
from core.params import ALLOWED, Bool, Choice, Float, Int, LossValueError, Param, Text, Vector

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("core", "ui", "pages", "tests", "bench", "deploy")
KINDS = (Float, Int, Bool, Choice, Vector, Text)
DECLARED = [
    *(p for spec in LOSSES for p in (*spec.params, *spec.all_inputs, *spec.options)),
    *ctc_lab.INPUTS,
    *ctc_lab.PARAMS,
    *(d.control for d in pitfalls.BY_KEY.values()),
]


def _kind_reads(path: Path) -> list[int]:
    """The lines of `path` that read an attribute named `kind` (`p.kind == "float"`, `p.kind in ...`)."""
    tree = ast.parse(path.read_text(), str(path))
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Attribute) and node.attr == "kind"]


def test_no_code_asks_a_param_for_its_kind():
    """A param has no `kind` to switch on: what differs by kind is a method of its class, or a function
    registered per class (widgets, strategies). No module reads an attribute named `kind`."""
    assert not hasattr(Float("x", 0.0, low=0.0, high=1.0), "kind")
    paths = [ROOT / "app.py", *(p for folder in FOLDERS for p in sorted((ROOT / folder).rglob("*.py")))]
    assert len(paths) > 100
    found = {path.relative_to(ROOT).as_posix(): lines for path in paths if (lines := _kind_reads(path))}
    assert not found


def test_the_kind_check_sees_a_kind_branch(tmp_path):
    code = tmp_path / "x.py"
    code.write_text('def f(p):\n    if p.kind == "float":\n        return 1\n    return p.kind in ("int",)\n')
    assert _kind_reads(code) == [2, 4]


def test_every_declared_param_is_one_of_the_kinds():
    assert len(DECLARED) > 100
    assert {type(p) for p in DECLARED} == set(KINDS)
    with pytest.raises(TypeError):
        Param("x", 1.0)  # abstract: a kind must be chosen


@pytest.mark.parametrize("p", DECLARED, ids=lambda p: f"{type(p).__name__}-{p.name}")
def test_fuzz_values_ends_are_allowed_and_outside_is_refused(p):
    assert p.validate(p.default) == p.default or p.default is None
    for value in p.ends():
        p.validate(value)
    rng = random.Random(p.name)
    for _ in range(20):
        p.validate(p.draw(rng))
    assert p.outside() or isinstance(p, Bool)  # a boolean has no value of its type it refuses
    for value in p.outside():
        with pytest.raises(LossValueError) as refused:
            p.validate(value)
        assert refused.value.template in ALLOWED.values()
    assert set(map(repr, p.ends())) <= set(map(repr, p.fuzz_values()))
    assert set(map(repr, p.outside())) <= set(map(repr, p.fuzz_values()))


def test_a_numbers_fuzz_values_are_its_ends_zero_one_and_just_past_them():
    p = Float("x", 0.5, low=-3.0, high=3.0, step=0.5)
    assert list(map(repr, p.fuzz_values())) == ["-3.0", "0.0", "1.0", "3.0", "-0.0", "-3.5", "3.5"]
    assert Int("n", 2, low=1, high=6).fuzz_values() == (1, 6, 0, 7)


def test_each_kind_keeps_its_allowed_text():
    assert Float("x", 0.0, low=-1.0, high=2.0).error(5).allowed == "a number with -1 ≤ x ≤ 2"
    assert Int("n", 1, low=1, high=6).allowed()[0] == ALLOWED["int"]
    assert Bool("b", False).allowed()[0] == ALLOWED["bool"]
    assert Choice("c", 1, choices=(1, 2)).error(3).allowed == "one of 1, 2"
    weight = Vector("w", None, low=0.0, high=5.0, length=2, optional=True)
    assert weight.allowed()[0] == ALLOWED["optional_vector"]
    assert Vector("w", (1.0,), low=0.0, high=5.0, length=1).allowed()[0] == ALLOWED["vector"]
    assert Text("t", "ab", choices=("a", "b"), length=3).error("c").allowed == "1 to 3 letters from 'ab'"


def test_a_vector_is_set_by_a_switch_and_its_entries():
    p = Vector("w", None, low=0.0, high=5.0, step=0.1, length=2, optional=True, ui_default=(1.0, 2.0))
    parts = p.parts()
    assert list(parts) == [".on", ".0", ".1"]
    assert [part.default for part in parts.values()] == [False, 1.0, 2.0]
    assert isinstance(parts[".on"], Bool) and isinstance(parts[".1"], Float) and parts[".1"].high == 5.0
    assert p.split((0.5, 3)) == {".on": True, ".0": 0.5, ".1": 3.0}
    assert p.split(None) == {".on": False}
    assert Float("x", 0.0, low=0.0, high=1.0).parts() == {"": Float("x", 0.0, low=0.0, high=1.0)}
