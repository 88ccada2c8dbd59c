"""A seeded fuzz of every page in AppTest. For each page: 200 random combinations of its widgets (a
random subset, sometimes all, of the enabled ones, each at its minimum, its maximum or a random value
inside; presets, tabs, language, presentation mode, batch table edits, multiselect subsets, typed
text of any kind), set together and run once; and 100 links with random query strings (junk keys,
the page's own keys with values of the wrong type, huge, infinite and NaN numbers, unicode, emoji,
control characters, very long values), each opened in a fresh session.

What it proves: no run raises, and every error and warning the app shows is one of ours, that is one
of the app's translatable templates (English or Chinese) with its placeholders filled in, never a
message from Streamlit, torch or Python. Each page has its own fixed seed, so a failure names the
page, the seed, the combination or link, and the values set, and running the test again repeats it.
"""

from __future__ import annotations

import random
import re
import string
import zlib
from dataclasses import dataclass, field

import pytest
from streamlit.errors import StreamlitAPIException, StreamlitValueAboveMaxError
from streamlit.proto.Slider_pb2 import Slider as SliderProto
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.testing.v1 import AppTest

import ui.kit.i18n
from core import compare, ctc_lab, training
from core.catalog import LOSSES
from core.params import Bool, Choice, Float, Param
from core.spec import LossSpec
from tests.app.helpers import ROOT, TIMEOUT
from tests.ui.strings import english_strings
from ui.kit import widgets
from ui.kit.pages import COMPARE, CTC_LAB, PITFALLS, PLAYGROUND, page_path
from ui.kit.zh import ZH
from ui.views.compare import CONTROLS as COMPARE_CONTROLS
from ui.views.ctc_lab import PATH
from ui.views.loss import memory as memory_panel
from ui.views.loss.page import CUSTOM
from ui.views.pitfalls import CONTROLS as PITFALL_CONTROLS
from ui.views.playground import CONTROLS as PLAYGROUND_CONTROLS

COMBINATIONS = 200  # widget combinations per page, one run each
LINKS = 100  # query strings per page, a fresh session each
SEED = 20261126  # with the page's name: each page's own seed
TRAININGS = 3  # at most this many Train clicks in the playground's fuzz (always with the fewest steps)

# ---------------------------------------------------------------- "one of ours"


def _pattern(template: str) -> str:
    """A template as a regex: its text literally, each {placeholder} a non-greedy wildcard."""
    parts = []
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name is not None:
            parts.append(".*?")
    return "".join(parts)


TEMPLATES = sorted(english_strings() | {ZH[s] for s in english_strings() if s in ZH})
OURS = re.compile("|".join(f"(?:{_pattern(t)})" for t in TEMPLATES), re.DOTALL)


def is_ours(message: str) -> bool:
    """The whole message is one of the app's templates filled in (a filled-in value may itself be
    another template, as in an error inside a notice: the wildcard covers it)."""
    return OURS.fullmatch(message) is not None


def problems(at: AppTest) -> list[str]:
    """What must not happen: exceptions, and errors or warnings whose text is not ours."""
    out = [
        "exception: " + e.proto.message + "\n    " + "\n    ".join(list(e.proto.stack_trace)[-8:]) for e in at.exception
    ]
    for kind in ("error", "warning"):
        out += [f"{kind} not from our templates: {m.value!r}" for m in getattr(at, kind) if not is_ours(m.value)]
    return out


def test_the_matcher_accepts_our_messages_in_both_languages_and_rejects_foreign_ones():
    template = "The link's value {value} for {name} is not allowed ({allowed}); the default is used."
    allowed = "a number with -3 ≤ input ≤ 3"
    assert is_ours(template.format(value="'abc'", name="l1.input", allowed=allowed))
    assert is_ours(
        ZH[template].format(value="'abc'", name="l1.input", allowed=ZH["a number with {low} ≤ {name} ≤ {high}"])
    )
    assert is_ours("Every target equals ignore_index, so reduction='mean' divides 0 by 0 (NaN).")
    # Streamlit's own messages, and ours with something foreign around them, are not ours
    assert not is_ours(str(StreamlitValueAboveMaxError(value=5, max_value=3)))
    assert not is_ours(str(StreamlitAPIException("`st.tabs` got a default tab that is not one of its tabs.")))
    assert not is_ours("ValueError: Every target equals ignore_index, so reduction='mean' divides 0 by 0 (NaN).")
    assert not is_ours("Every target equals ignore_index, so reduction='mean' divides 0 by 0 (NaN). Traceback")


def test_the_check_reports_foreign_messages_and_exceptions_and_passes_ours():
    ours = "Every target equals ignore_index, so reduction='mean' divides 0 by 0 (NaN)."
    foreign = str(StreamlitValueAboveMaxError(value=5, max_value=3))
    at = AppTest.from_string(f"import streamlit as st\nst.warning({ours!r})\nst.error({foreign!r})").run()
    assert problems(at) == [f"error not from our templates: {foreign!r}"]
    at = AppTest.from_string(f"import streamlit as st\nst.warning({ours!r})\n1 / 0").run()
    assert len(problems(at)) == 1 and "division by zero" in problems(at)[0]


# ---------------------------------------------------------------- the pages


@dataclass(frozen=True)
class Page:
    name: str
    path: str | None  # None: the home page
    spec: LossSpec | None = None
    keys: dict = field(default_factory=dict)  # its URL keys -> their Param (None: not a Param)


def _declared(prefix: str, params) -> dict:
    """Every widget key of these params and the Param its value must satisfy."""
    return {widgets.key_of(prefix, p.name) + suffix: part for p in params for suffix, part in p.parts().items()}


def _loss_page(spec: LossSpec) -> Page:
    keys = _declared(spec.key, spec.all_inputs + spec.params)
    presets = (CUSTOM, *(p.key for p in spec.presets))
    keys[f"{spec.key}.preset"] = Choice("preset", CUSTOM, choices=presets)
    if spec.overlay:
        keys[f"{spec.key}.overlay"] = Bool("overlay", False)
    keys.update({f"{spec.key}.{name}": None for name in ("tab", "panel", "batch", "chart")})
    if "lce_memory" in spec.panels:  # the memory panel's own sliders (ui/views/loss/memory.py)
        keys.update(_declared(memory_panel.prefix_of(spec.key), memory_panel.CONTROLS))
    return Page(spec.title, page_path(spec), spec, keys)


def multiselect_options() -> dict:
    """The values (not the shown names) each multiselect of the app offers."""
    return {
        "cmp.show.regression": tuple(line.key for line in compare.regression()),
        "cmp.show.classification": tuple(line.key for line in compare.classification()),
        "cmp.show.probability": tuple(line.key for line in compare.probability()),
        "play.losses.regression": training.REGRESSION_LOSSES,
        "play.losses.classification": training.CLASSIFICATION_LOSSES,
    }


MULTI = multiselect_options()


def _multi(prefix: str) -> dict:
    return {key: None for key in MULTI if key.startswith(prefix)}


PAGES = [
    *(_loss_page(spec) for spec in LOSSES),
    Page("CTC_lab", CTC_LAB.path, keys=_declared("lab", ctc_lab.INPUTS + ctc_lab.PARAMS + (PATH,))),
    Page("Compare", COMPARE.path, keys={**_declared("cmp", COMPARE_CONTROLS), **_multi("cmp.")}),
    Page("Pitfalls", PITFALLS.path, keys=_declared("pit", tuple(PITFALL_CONTROLS.values()))),
    Page("Playground", PLAYGROUND.path, keys={**_declared("play", PLAYGROUND_CONTROLS), **_multi("play.")}),
]
# the home page has no controls of its own: a link to it may carry any page's keys
HOME = Page("home", None, keys={k: v for page in PAGES for k, v in page.keys.items()})


BY_NAME = {page.name: page for page in [*PAGES, HOME]}


def _seed(page: Page, what: str) -> int:
    return SEED + zlib.crc32(f"{what}:{page.name}".encode())


def _open(page: Page, query: dict | None = None) -> AppTest:
    """A fresh session on `page`, with `query` as its link (query parameters are read on the first run)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update(query or {})
    return at.switch_page(page.path) if page.path else at


# AppTest formats a radio's value (to send it back like a browser does) with the page's format_func,
# outside the script run, where st.session_state is not the session's: t() would answer English
# while the page shows Chinese labels, and AppTest fails before the app runs. Outside a run, t()
# answers the language the page was drawn in.
_drawn_in = {"lang": "en"}


@pytest.fixture(autouse=True)
def _labels_in_the_language_shown(monkeypatch):
    in_the_run = ui.kit.i18n.lang

    def lang() -> str:
        return in_the_run() if get_script_run_ctx(suppress_warning=True) is not None else _drawn_in["lang"]

    monkeypatch.setattr(ui.kit.i18n, "lang", lang)


def _run(at: AppTest) -> AppTest:
    _drawn_in["lang"] = at.session_state["lang"] if "lang" in at.session_state else "en"
    return at.run()


# ---------------------------------------------------------------- random values

JUNK = (
    "1e308",
    "1e400",
    "-1e308",
    "-1e400",
    "1e-400",
    "inf",
    "-inf",
    "Infinity",
    "nan",
    "NaN",
    "-nan",
    "-0",
    "-0.0",
    "0",
    "99999999999999999999",
    "-99999999999999999999",
    "0x10",
    "1_000",
    " 1 ",
    "1,5",
    "٣",
    "１",
    "true",
    "false",
    "True",
    "None",
    "null",
    "",
    " ",
    "中文",
    "交叉熵损失",
    "😀",
    "👍🏽🔥",
    "\u202eabc",
    "\u202e",
    "a\u200bb",
    "\t",
    "\n",
    "\r\n",
    "\x01\x02\x1f\x7f",
    "é",
    "ا",
    "%",
    "%00",
    "&",
    "=",
    "?",
    "#",
    "'",
    '"',
    "\\",
    "<script>alert(1)</script>",
    "{}",
    "{0}",
    "{name}",
    "[1, 2]",
    "(1, 2)",
    "1.5",
    "-1",
    "2",
    "abc",
    "-",
    "aa",
)
JUNK_KEYS = (
    "",
    "x",
    "lang.x",
    "l1.input.x",
    "😀",
    "中文",
    "\u202ekey",
    "__proto__",
    "embed",
    "embed_options",
    "LANG",
    " lang",
)
SPECIAL_KEYS = ("lang", "present", "preset", "tab", "panel")
UNICODE = "aé中文😀\u202e\u200b\t\x01 -=&?#%'\"\\{}"


def _long(rng: random.Random) -> str:
    return "".join(rng.choice(UNICODE) for _ in range(2000)) if rng.random() < 0.5 else rng.choice("a9-中😀") * 2000


def _junk(rng: random.Random) -> str:
    return _long(rng) if rng.random() < 0.1 else rng.choice(JUNK)


def _text(rng: random.Random, p: Param | None) -> str:
    """Typed text: valid ones of every length, the limits, and anything a keyboard can give."""
    r = rng.random()
    if p is None or r < 0.3:
        return _junk(rng)
    letters = "".join(p.choices)
    if r < 0.75:
        return "".join(rng.choice(letters) for _ in range(rng.randint(1, p.length)))
    if r < 0.85:
        return "".join(rng.choice(letters) for _ in range(p.length + rng.choice((0, 1))))
    valid = "".join(rng.choice(letters) for _ in range(rng.randint(1, p.length)))
    where = rng.randint(0, len(valid))
    return rng.choice((valid.upper(), f" {valid} ", valid[:where] + rng.choice(UNICODE) + valid[where:]))


def _number(rng: random.Random, low, high, step=None, integer=False):
    r = rng.random()
    if r < 0.2:
        return low
    if r < 0.4:
        return high
    if integer:
        return rng.randint(int(low), int(high))
    if step and r < 0.8:  # on the slider's grid, as a drag gives it
        return min(high, round(low + rng.randint(0, round((high - low) / step)) * step, 10))
    return rng.uniform(low, high)


def _subset(rng: random.Random, options) -> list:
    r = rng.random()
    if r < 0.1:
        return []
    if r < 0.3:
        return list(options)
    return rng.sample(list(options), rng.randint(1, len(options)))


def _widget_value(rng: random.Random, page: Page, kind: str, w):
    if kind == "slider":
        integer = w.proto.data_type == SliderProto.DataType.INT
        value = _number(rng, w.min, w.max, w.step, integer)
        return int(value) if integer else float(value)
    if kind == "select_slider":  # the log-scale eps: AppTest lists its options as text
        return float(rng.choice([w.options[0], w.options[-1], *w.options]))
    if kind == "number_input":
        return _number(rng, w.min, w.max, integer=True)
    if kind in ("toggle", "checkbox"):
        return rng.random() < 0.5
    if kind == "text_input":
        return _text(rng, page.keys.get(w.key))
    if kind == "multiselect":
        options = MULTI[w.key]
        assert len(options) == len(w.options), (w.key, w.options)
        return _subset(rng, options)
    # a radio or the preset's selectbox: one of its values (AppTest sends the text shown for it, as a
    # browser does)
    options = page.keys[w.key].choices
    assert len(options) == len(w.options), (w.key, w.options)
    return rng.choice(options)


KINDS = (
    "slider",
    "select_slider",
    "radio",
    "toggle",
    "checkbox",
    "selectbox",
    "multiselect",
    "text_input",
    "number_input",
)
PANELS = {"by_hand": "By hand", "reductions": "Reductions", "code": "Copy as PyTorch", "notice": "What to notice"}


def _panels_shown(at: AppTest) -> dict:
    """The loss page's tabs now drawn: panel -> its label in the language shown."""
    labels = {t.label for t in at.tabs}
    return {panel: label for panel, english in PANELS.items() for label in (english, ZH[english]) if label in labels}


UNDECLARED = Float("column", 0.0, low=-10.0, high=10.0)  # a table column no input declares


def _cell(rng: random.Random, p: Param | None):
    """A value a table cell can hold: the column's param gives its extremes, a random valid value
    and values it refuses (core/params.py, `fuzz_values`); any cell may be empty."""
    p = p or UNDECLARED
    return rng.choice([*p.fuzz_values(), p.draw(rng), None])


def _table_edits(rng: random.Random, spec: LossSpec) -> dict:
    """Random edits of the batch table, in the shape st.data_editor keeps them."""
    rows, columns = len(spec.batch), list(spec.batch[0])
    declared = {p.name: p for p in spec.all_inputs}
    edited = {
        i: {c: _cell(rng, declared.get(c)) for c in rng.sample(columns, rng.randint(1, len(columns)))}
        for i in rng.sample(range(rows), rng.randint(0, rows))
    }
    added = [{c: _cell(rng, declared.get(c)) for c in columns} for _ in range(rng.choice((0, 0, 1, 3)))]
    deleted = sorted(rng.sample(range(rows), rng.choice((0, 0, 1, rows))))
    return {"edited_rows": edited, "added_rows": added, "deleted_rows": deleted}


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 120 else f"{text[:100]}… ({len(value) if hasattr(value, '__len__') else '?'} long)"


# ---------------------------------------------------------------- widgets

IDS = [page.name for page in PAGES]


def _find(at: AppTest, key: str):
    """The widget of this key, of any kind, or None when it is not drawn."""
    return next((w for kind in (*KINDS, "button") for w in getattr(at, kind) if w.key == key), None)


def _state(at: AppTest, page: Page, drawn: list) -> dict:
    """Every widget's value (and the open tab): what a failing combination started from."""
    out = {w.key or w.label: w.value for _kind, w in drawn}
    for key in ("lang", "present", *([f"{page.spec.key}.panel"] if page.spec else [])):
        if key in at.session_state:
            out[key] = at.session_state[key]
    return out


def _described(values: dict) -> str:
    return "{" + ", ".join(f"{k!r}: {_short(v)}" for k, v in values.items()) + "}"


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_random_widget_combinations(page: Page):
    seed = _seed(page, "widgets")
    rng = random.Random(seed)
    at = _run(_open(page))
    assert not problems(at), problems(at)
    trainings = 0
    for i in range(COMBINATIONS):
        drawn = [(kind, w) for kind in KINDS for w in getattr(at, kind)]
        before = _state(at, page, drawn)
        chosen = {}
        enabled = [(kind, w) for kind, w in drawn if not w.disabled]
        picked = enabled if rng.random() < 0.2 else rng.sample(enabled, rng.randint(1, len(enabled)))
        for kind, w in picked:
            value = _widget_value(rng, page, kind, w)
            w.set_value(value)
            chosen[w.key or w.label] = value
        if rng.random() < 0.3:
            language = rng.choice(["en", "zh", "en", "zh", None])  # None: the shown choice clicked again
            next(w for w in at.get("button_group") if w.key == "lang_pick").set_value(language)
            chosen["lang_pick"] = language
        if page.spec is not None:
            shown = _panels_shown(at)
            if rng.random() < 0.3 and shown:
                panel = rng.choice(sorted(shown))
                at.session_state[f"{page.spec.key}.tab"] = shown[panel]
                at.session_state[f"{page.spec.key}.panel"] = panel
                chosen["tab"] = shown[panel]
            panel_key = f"{page.spec.key}.panel"
            opened = at.session_state[panel_key] if panel_key in at.session_state else "by_hand"
            if opened == "reductions" and "reductions" in shown and rng.random() < 0.4:
                edits = _table_edits(rng, page.spec)
                at.session_state[f"{page.spec.key}.batch"] = edits
                chosen["table"] = edits
        train = _find(at, "play.train") if page.path == PLAYGROUND.path else None
        if train is not None and trainings < TRAININGS and rng.random() < 0.04:
            steps = _find(at, "play.steps")
            steps.set_value(int(steps.min))  # the shortest run: training is what is slow
            train.click()
            chosen.update({"play.steps": int(steps.min), "play.train": "click"})
            trainings += 1
        _run(at)
        found = problems(at)
        assert not found, (
            f"{page.name}, seed {seed}, combination {i + 1} of {COMBINATIONS}: from {_described(before)}, "
            f"set {_described(chosen)}\n" + "\n".join(found)
        )


# ---------------------------------------------------------------- walks

WALK = 120  # moves per page, one after the other in one session


def _slid(rng: random.Random, w, integer: bool):
    """A slider moved as a drag or the arrow keys move it: a few steps from where it is, within its range."""
    if rng.random() < 0.1:
        return rng.choice((w.min, w.max))
    moved = w.value + rng.choice((-3, -2, -1, -1, 1, 1, 2, 3)) * w.step
    moved = min(w.max, max(w.min, moved))
    return int(moved) if integer else float(round(moved, 10))


def _move(rng: random.Random, page: Page, kind: str, w):
    """One move of one widget, from its current value: what a person does next."""
    if kind == "slider":
        return _slid(rng, w, w.proto.data_type == SliderProto.DataType.INT)
    if kind == "select_slider":
        options = [float(o) for o in w.options]
        at = min(range(len(options)), key=lambda i: abs(options[i] - float(w.value)))
        return options[min(len(options) - 1, max(0, at + rng.choice((-1, 1))))]
    if kind == "number_input":
        return int(min(w.max, max(w.min, w.value + rng.choice((-10, -1, 1, 10)))))
    if kind in ("toggle", "checkbox"):
        return not w.value
    if kind == "text_input":
        p = page.keys.get(w.key)
        r = rng.random()
        if r < 0.4 and w.value:  # a character deleted
            return w.value[:-1]
        if r < 0.8 and p is not None and p.choices:  # a character typed
            return w.value + rng.choice("".join(p.choices))
        return _text(rng, p)
    if kind == "multiselect":
        options, kept = MULTI[w.key], list(w.value)
        if kept and (rng.random() < 0.5 or len(kept) == len(options)):
            kept.remove(rng.choice(kept))
        else:
            kept.append(rng.choice([o for o in options if o not in kept]))
        return kept
    options = [c for c in page.keys[w.key].choices if c != w.value]
    return rng.choice(options) if options else w.value


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_random_walks(page: Page):
    """A student's session: one control moved at a time, each move from where the last left it (a few
    slider steps, the next choice, one letter typed or deleted), with language switches, tab changes
    and (rarely) training in between. tests/browser/test_walks.py walks the real frontend, which
    sends choices as the text it last showed."""
    seed = _seed(page, "walk")
    rng = random.Random(seed)
    at = _run(_open(page))
    trail = []
    for i in range(WALK):
        enabled = [(kind, w) for kind in KINDS for w in getattr(at, kind) if not w.disabled]
        r = rng.random()
        if r < 0.08:
            language = rng.choice(["en", "zh"])
            next(w for w in at.get("button_group") if w.key == "lang_pick").set_value(language)
            trail.append(("lang_pick", language))
        elif r < 0.16 and page.spec is not None and _panels_shown(at):
            shown = _panels_shown(at)
            panel = rng.choice(sorted(shown))
            at.session_state[f"{page.spec.key}.tab"] = shown[panel]
            at.session_state[f"{page.spec.key}.panel"] = panel
            trail.append(("tab", panel))
        elif r < 0.18 and _find(at, "play.train") is not None:
            _find(at, "play.steps").set_value(int(_find(at, "play.steps").min))
            _find(at, "play.train").click()
            trail.append(("play.train", "click"))
        else:
            kind, w = rng.choice(enabled)
            value = _move(rng, page, kind, w)
            w.set_value(value)
            trail.append((w.key or w.label, value))
        _run(at)
        found = problems(at)
        assert not found, (
            f"{page.name}, seed {seed}, move {i + 1} of {WALK}; the walk: "
            + " → ".join(f"{k}={_short(v)}" for k, v in trail[-12:])
            + "\n"
            + "\n".join(found)
        )


# ---------------------------------------------------------------- links


def _query_value(rng: random.Random, key: str, p: Param | None):
    """A value for `key` in a link: plausible for its Param (in range, at and past its limits), or junk;
    sometimes the key twice."""
    r = rng.random()
    if r < 0.1:
        return [_query_value(rng, key, p) for _ in range(2)]
    if key in MULTI and r < 0.5:
        return [*_subset(rng, MULTI[key]), *([_junk(rng)] if rng.random() < 0.3 else [])]
    if p is None or r > 0.5:
        return _junk(rng)
    # its extremes, a random valid value and values it refuses (core/params.py), as text, sometimes
    # in capitals (a boolean's TRUE, a choice's MEAN) or with a blank before it
    text = str(rng.choice([*p.fuzz_values(), p.draw(rng)]))
    return rng.choice([text, text, text.upper(), f" {text}"])


def _random_query(rng: random.Random, page: Page) -> dict:
    """1 to 8 keys (the page's own, the app-wide ones, junk) with random values; often a language
    and the presentation switch, valid or not, so that the notices are drawn in both languages."""
    real = sorted(page.keys)
    query = {}
    for _ in range(rng.randint(1, 8)):
        r = rng.random()
        if r < 0.6 and real:
            key = rng.choice(real)
        elif r < 0.8:
            key = rng.choice(SPECIAL_KEYS)
        else:
            key = rng.choice(JUNK_KEYS + (_long(rng),))
        query[key] = _query_value(rng, key, page.keys.get(key))
    if rng.random() < 0.4:
        query["lang"] = rng.choice(["zh", "zh", "en", _junk(rng)])
    if rng.random() < 0.2:
        query["present"] = rng.choice(["1", "1", "0", _junk(rng)])
    return query


@pytest.mark.parametrize("page", [*PAGES, HOME], ids=[*IDS, HOME.name])
def test_random_links(page: Page):
    seed = _seed(page, "links")
    rng = random.Random(seed)
    for i in range(LINKS):
        query = _random_query(rng, page)
        at = _run(_open(page, query))
        found = problems(at)
        assert not found, f"{page.name}, seed {seed}, link {i + 1} of {LINKS}: {_described(query)}\n" + "\n".join(found)


# ---------------------------------------------------------------- what this fuzz found


@pytest.mark.parametrize(
    "name, query",
    [
        # a preset with its own tensors (5 classes; MultiMargin's: 2) and the sliders' 3 class weights
        # switched on: torch raised in compute.evaluate
        ("CrossEntropyLoss", {"cross_entropy.preset": "article", "cross_entropy.weight.on": "true"}),
        ("MultiMarginLoss", {"multi_margin.preset": "article", "multi_margin.weight.on": "true"}),
        # a whole number beyond any float: OverflowError from math.isnan in core.params.Param._number
        ("CTCLoss", {"ctc.blank": "9" * 400}),
        ("Pitfalls", {"pit.ctc_infinity": "9" * 400}),
        # inf for an int number_input: OverflowError from int(inf) in Streamlit's own URL binding
        ("Playground", {"play.steps": "inf"}),
        ("CTC_lab", {"lab.seed": "-1e400"}),
        ("CTCLoss", {"ctc.seed": "1e400"}),
    ],
    ids=[
        "ce-article-weights",
        "multi-margin-article-weights",
        "ctc-blank-400-digits",
        "pitfall-400-digits",
        "playground-steps-inf",
        "lab-seed-minus-1e400",
        "ctc-seed-1e400",
    ],
)
def test_what_the_fuzz_found_raising_now_runs_clean(name, query):
    """Links with which a page raised when this fuzz first ran, each alone."""
    at = _run(_open(BY_NAME[name], query))
    assert not problems(at), problems(at)
    assert at.warning  # each is explained
