"""Each kind of param has its widget, its reading from a link and its table column (ui/kit/widgets.py)
and its hypothesis strategy (tests/core/strategies.py), registered per class: a new kind without
one fails here, not in a page."""

from __future__ import annotations

import pytest

from core.params import Bool, Choice, Float, Int, LossValueError, Param, Text, Vector
from tests.core import strategies
from ui.kit import widgets

KINDS = (Float, Int, Bool, Choice, Vector, Text)


def _registered(function, cls: type) -> bool:
    return function.dispatch(cls) is not function.dispatch(object)


def test_every_kind_is_a_param():
    assert all(issubclass(cls, Param) for cls in KINDS)


@pytest.mark.parametrize("cls", KINDS, ids=lambda c: c.__name__)
def test_every_kind_has_a_widget_and_a_strategy(cls):
    assert _registered(widgets._widget, cls)
    assert _registered(strategies.value_of, cls)


@pytest.mark.parametrize("cls", [k for k in KINDS if k is not Vector], ids=lambda c: c.__name__)
def test_every_kind_of_single_value_reads_from_a_link_and_fills_a_table_column(cls):
    """(A vector is read and shown as its parts: a switch and numbers.)"""
    assert _registered(widgets._read, cls)
    assert _registered(widgets.table_column, cls)


def test_a_link_is_read_by_the_kind_of_param():
    assert widgets._parse(Float("x", 0.0, low=-1.0, high=1.0), "0.5") == 0.5
    assert widgets._parse(Float("eps", 1e-8, low=1e-12, high=0.1, log_scale=True), "3e-7") == 1e-6
    assert widgets._parse(Int("n", 1, low=0, high=5), "3") == 3
    assert widgets._parse(Bool("b", False), "TRUE") is True
    assert widgets._parse(Choice("y", 1, choices=(-1, 1)), "-1") == -1
    assert widgets._parse(Choice("r", "mean", choices=("sum", "mean")), "Sum", {"sum": "Sum"}) == "sum"
    assert widgets._parse(Text("t", "a", choices=("a", "b"), length=3), "ab") == "ab"
    for p, raw in (
        (Int("n", 1, low=0, high=5), "1.5"),
        (Bool("b", False), "1"),
        (Text("t", "a", choices=("a",), length=1), "aa"),
    ):
        with pytest.raises(LossValueError):
            widgets._parse(p, raw)


def _choices_of_the_catalog():
    from core.catalog import LOSSES

    return [(spec.key, p) for spec in LOSSES for p in spec.params + spec.options if isinstance(p, Choice)]


@pytest.mark.parametrize("key, p", _choices_of_the_catalog(), ids=lambda v: getattr(v, "name", v))
def test_every_choice_is_linked_as_its_short_text_and_read_back(key, p):
    """A link holds each choice as it is written (Choice.text: LinearCrossEntropyOptions(batch_chunk_size=1),
    not the five-field repr), and reading that text back gives the same value."""
    texts = [p.text(c) for c in p.choices]
    assert len(set(texts)) == len(texts)
    for choice, text in zip(p.choices, texts, strict=True):
        assert len(text) <= 48 and "," not in text, text
        assert widgets._parse(p, text) == choice
