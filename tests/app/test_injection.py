"""No user text reaches a page as Markdown. A link's refused value, typed text and a table cell are
echoed only inside a code span, cut to a few dozen characters: a crafted link cannot show a fake
"sign in" box with a link or an image, bold text, :emoji:, :color[directives] or $LaTeX$."""

from __future__ import annotations

import pytest
from google.protobuf.descriptor import FieldDescriptor
from streamlit.testing.v1 import AppTest

from core import ctc_lab
from core.catalog import BY_KEY, LOSSES
from tests.app.helpers import ROOT, TIMEOUT, open_tab
from ui.kit import widgets
from ui.kit.pages import COMPARE, CTC_LAB, PITFALLS, PLAYGROUND, page_path
from ui.kit.safe import LIMIT, quoted
from ui.views import compare as compare_page
from ui.views import pitfalls as pitfalls_page
from ui.views import playground
from ui.views.ctc_lab import PATH

MARK = "PWN"  # in every payload: where it shows, the payload shows
PAYLOADS = (
    f"[Your session expired, sign in {MARK}](https://evil.example/login)",
    f"![{MARK}](https://evil.example/pixel.png)",
    f"**{MARK}** _x_ # h",
    f":red[{MARK}] :material/lock: :smile: :blue-background[x]",
    f"${MARK}^2$ $$x$$ \\(y\\)",
    f"a\n\n# {MARK} heading\n\n- item",
    f"`` {MARK} ` ``` `",
    f"\\`{MARK}` [x](https://evil.example)",
    f"{MARK}\x01\x1f\u202e\u200b\t<b>x</b>",
    MARK + "[x](https://evil.example)" * 4000,  # 100 KB
)
# Typed text: a text field takes no more characters than its param allows (12 for a CTC target), so
# what a keyboard can type there is short.
TYPED = ("[PWN](x.y)", "![PWN](x)", "**PWN**", ":red[PWN]", "$PWN^2$", "a\n\n# PWN", "`` PWN `", "PWN\x01\u202e<b>")
SPAN = LIMIT + 6  # a code span's text: the cut value, its quotes, "…" and padding


# ---------------------------------------------------------------- the checker


def code_spans(markdown: str) -> tuple[str, list[str]]:
    """The Markdown outside code spans, and the text of each span (CommonMark: a run of n backticks
    opens a span that the next run of exactly n closes; a backslash escapes a backtick outside one)."""
    outside, spans, i = [], [], 0
    while i < len(markdown):
        ch = markdown[i]
        if ch == "\\" and i + 1 < len(markdown):
            outside.append(markdown[i : i + 2])
            i += 2
            continue
        if ch != "`":
            outside.append(ch)
            i += 1
            continue
        j = i
        while j < len(markdown) and markdown[j] == "`":
            j += 1
        fence, end = markdown[i:j], j
        while True:  # the next run of exactly len(fence) backticks
            start = markdown.find(fence, end)
            if start < 0:
                break
            stop = start
            while stop < len(markdown) and markdown[stop] == "`":
                stop += 1
            if stop - start == len(fence):
                break
            end = stop
        if start < 0:  # no closing run: the backticks are literal text
            outside.append(fence)
            i = j
            continue
        spans.append(markdown[j:start])
        outside.append(" ")
        i = start + len(fence)
    return "".join(outside), spans


def _strings(message, path=""):
    """Every text field of an element's message (nested ones too), with its field's path."""
    for field, value in message.ListFields():
        name = f"{path}.{field.name}"
        values = value if field.is_repeated else [value]
        for v in values:
            if field.type == FieldDescriptor.TYPE_STRING:
                yield name, v
            elif field.type == FieldDescriptor.TYPE_MESSAGE:
                yield from _strings(v, name)


def _nodes(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


# Elements whose text the browser shows literally, never as Markdown.
LITERAL = {"Code"}


def unsafe_echoes(at: AppTest) -> list[str]:
    """Each place where user text (the MARK) shows outside a code span, or in a span too long."""
    found = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or type(proto).__name__ in LITERAL:
            continue
        for field, text in _strings(proto, type(proto).__name__):
            if MARK not in text:
                continue
            outside, spans = code_spans(text)
            if MARK in outside:
                found.append(f"{field}: outside a code span: {text[:300]!r}")
            found += [f"{field}: an echo of {len(s)} characters" for s in spans if MARK in s and len(s) > SPAN]
    return found


def test_the_checker_finds_markdown_outside_code_spans():
    assert code_spans("a `b` c ``d`e`` f") == ("a   c   f", ["b", "d`e"])
    assert code_spans("`` a ` b ``") == (" ", [" a ` b "])
    assert code_spans("\\`PWN` x") == ("\\`PWN` x", [])  # an escaped backtick opens nothing
    assert code_spans("``PWN`") == ("``PWN`", [])  # unclosed: literal
    at = AppTest.from_string(f"import streamlit as st\nst.warning('value `{MARK}` ok')\nst.caption('`x` {MARK}')")
    assert unsafe_echoes(at.run()) == [f"Markdown.body: outside a code span: '`x` {MARK}'"]


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_a_value_is_quoted_whole_in_one_short_code_span(payload):
    shown = quoted(payload)
    outside, spans = code_spans(shown)
    assert len(spans) == 1 and MARK in spans[0] and len(spans[0]) <= SPAN
    assert quoted("a" * LIMIT) == f"`'{'a' * LIMIT}'`"  # up to LIMIT characters: whole
    assert MARK not in outside and "\n" not in shown and "\x01" not in shown and "\u202e" not in shown
    if len(repr(payload)) > LIMIT + 2:
        assert spans[0].endswith("…") and f"{len(payload):,}".replace(",", " ") in outside


# ---------------------------------------------------------------- every page


def _keys(prefix: str, params) -> list[str]:
    return [key for p in params for key in widgets.widget_keys(prefix, p)]


PAGES = {
    **{
        spec.title: (page_path(spec), [*_keys(spec.key, spec.all_inputs + spec.params), f"{spec.key}.preset"])
        for spec in LOSSES
    },
    "CTC_lab": (CTC_LAB.path, _keys("lab", ctc_lab.INPUTS + ctc_lab.PARAMS + (PATH,))),
    "Compare": (
        COMPARE.path,
        [*_keys(compare_page.PREFIX, compare_page.CONTROLS), *(f"cmp.show.{g}" for g in ("regression", "probability"))],
    ),
    "Pitfalls": (PITFALLS.path, _keys(pitfalls_page.PREFIX, tuple(pitfalls_page.CONTROLS.values()))),
    "Playground": (PLAYGROUND.path, [*_keys(playground.PREFIX, playground.CONTROLS), "play.losses.regression"]),
}


def _open(path: str, query: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update(query)
    return at.switch_page(path).run()


@pytest.mark.parametrize("name", PAGES)
def test_a_crafted_link_is_echoed_only_in_code_spans(name):
    """Every control of the page given a payload at once: each refused value is named in a short
    code span, nowhere as Markdown. Then text typed into each of the page's text fields."""
    path, keys = PAGES[name]
    query = {key: PAYLOADS[i % len(PAYLOADS)] for i, key in enumerate(keys)}
    at = _open(path, {**query, "lang": PAYLOADS[0], "present": PAYLOADS[1]})
    assert not at.exception, [e.message for e in at.exception]
    assert any(MARK in w.value for w in at.warning), "the link's values are not reported"
    assert unsafe_echoes(at) == []
    for field in [w.key for w in at.text_input]:
        for payload in TYPED:
            assert len(payload) <= at.text_input(key=field).proto.max_chars
            at.text_input(key=field).input(payload).run()
            assert not at.exception, [e.message for e in at.exception]
            assert any(MARK in e.value for e in at.error), (field, payload)
            assert unsafe_echoes(at) == [], (field, payload)


def test_a_typed_table_cell_is_echoed_only_in_a_code_span():
    spec = BY_KEY["ctc"]
    at = _open(page_path(spec), {})
    open_tab(at, spec, "reductions", "Reductions")
    for payload in PAYLOADS:
        at.session_state["ctc.batch"] = {"edited_rows": {0: {"target": payload}}, "added_rows": [], "deleted_rows": []}
        at.run()
        assert any(MARK in e.value for e in at.error), payload
        assert unsafe_echoes(at) == [], payload


def test_the_same_in_chinese():
    at = _open(page_path(BY_KEY["ctc"]), {"lang": "zh", "ctc.target": PAYLOADS[0], "ctc.T": PAYLOADS[-1]})
    assert "链接" in at.warning[0].value
    assert unsafe_echoes(at) == []


def test_a_cut_value_says_its_length_in_characters():
    assert quoted("x" * 100).endswith("(100 characters)")
    shown = quoted(list(range(100)))  # what is cut is the repr: its length is the one said
    assert shown.endswith(f"({len(repr(list(range(100))))} characters)")
