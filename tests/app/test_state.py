"""State that must survive (issue 11): a sequence of moves in one session as a browser makes them,
links that keep a preset or a choice by its key, scenario links that keep the session's language,
and exact presets whose controls tell the truth about what gives the value."""

from __future__ import annotations

import json

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1.element_tree import InitialValue, Multiselect, Radio, Selectbox

from core import compare
from core.catalog import BY_KEY, LOSSES
from core.compute import evaluate
from core.flags import TEXT
from tests.app.helpers import main_value, open_page
from ui.kit.lecture import SCENARIOS
from ui.kit.pages import BY_URL, COMPARE, PLAYGROUND
from ui.kit.zh import ZH

# ---------------------------------------------------------------- a browser's choice widgets


@pytest.fixture
def browser_texts(monkeypatch):
    """Make AppTest send what a browser sends for a multiselect, selectbox or radio: the text(s) it
    showed, kept until the user picks another or the server sets one. AppTest itself formats the
    value again with the latest format_func, which hides a text the options no longer have (the
    Compare page's crash of issue 11 never happened in AppTest)."""
    kept: dict[str, list[str]] = {}

    def patched(cls, texts_of):
        original = cls._widget_state.fget

        def widget_state(self):
            if self._value is not None and not isinstance(self._value, InitialValue):
                kept[self.id] = texts_of(original(self))  # the user's pick, as the options show it now
            elif self.proto.set_value:  # the server's value
                kept[self.id] = list(self.proto.raw_values) if cls is Multiselect else [self.proto.raw_value]
            elif self.id not in kept:  # the first render: the default the server sent
                default = self.proto.default if cls is Multiselect else [self.proto.default]
                kept[self.id] = [self.proto.options[i] for i in default]
            state = WidgetState(id=self.id)
            if cls is Multiselect:
                state.string_array_value.data[:] = kept[self.id]
            elif kept[self.id]:
                state.string_value = kept[self.id][0]
            return state

        monkeypatch.setattr(cls, "_widget_state", property(widget_state))

    patched(Multiselect, lambda s: list(s.string_array_value.data))
    patched(Selectbox, lambda s: [s.string_value] if s.HasField("string_value") else [])
    patched(Radio, lambda s: [s.string_value] if s.HasField("string_value") else [])
    return kept


def open_compare(query: dict | None = None):
    at = open_page(COMPARE, query)
    assert not at.exception
    return at


def switch_language(at, language: str) -> None:
    next(w for w in at.get("button_group") if w.key == "lang_pick").set_value(language).run()


def legend(at) -> list[str]:
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return [trace["name"] for trace in spec["data"] if trace.get("name")]


def test_compare_survives_a_sequence_of_moves_in_both_languages(browser_texts):
    at = open_compare()
    at.multiselect(key="cmp.show.regression").unselect("mse").run()
    kept = ["l1", "smooth_l1", "huber", "gaussian_nll"]
    moves = [
        ("cmp.delta", 1.05),
        ("cmp.outlier", 3.1),
        ("cmp.beta", 1.1),
        ("lang", "zh"),
        ("cmp.var", 1.2),
        ("cmp.delta", 1.1),
        ("lang", "en"),
        ("cmp.beta", 0.5),
        ("cmp.outlier", -2.0),
    ]
    for key, value in moves:
        if key == "lang":
            switch_language(at, value)
        else:
            at.slider(key=key).set_value(value).run()
        assert not at.exception, (key, value, [e.message for e in at.exception])
        assert at.multiselect(key="cmp.show.regression").value == kept, (key, value)
        shown = legend(at)
        assert f"HuberLoss(delta={at.slider(key='cmp.delta').value:g})" in shown and "MSELoss" not in shown
        # the link holds the choice by its keys, and a new session opened on it shows the same losses
        assert at.query_params["cmp.show.regression"] == ",".join(kept), (key, value)
    again = open_compare({"cmp.show.regression": at.query_params["cmp.show.regression"]})
    assert again.multiselect(key="cmp.show.regression").value == kept


def test_a_picker_shows_names_that_no_parameter_changes():
    names = [line.title for line in compare.regression(beta=0.3, delta=2.0, var=0.5)]
    assert names == [line.title for line in compare.regression()]
    assert "HuberLoss(delta=2)" in [line.label for line in compare.regression(delta=2.0)]


@pytest.mark.parametrize("group", compare.GROUPS)
def test_the_compare_group_stays_in_the_link_by_its_key(group, browser_texts):
    at = open_compare({"cmp.group": group})
    switch_language(at, "zh")
    at.slider(key="cmp.low").set_value(-100.0).run() if group == "probability" else at.run()
    assert not at.exception and at.radio(key="cmp.group").value == group
    assert at.query_params.get("cmp.group", "regression") == group  # the default is left out, as Streamlit does


# ---------------------------------------------------------------- re-sharing a link


def _open_link(url: str, query: dict):
    at = open_page(BY_URL[url], query)
    assert not at.exception
    return at


def _numbers(at) -> tuple:
    return tuple(m.value for m in at.metric), tuple(x.value for x in at.latex)


LINKS = [(s.page.url, s.query) for s in SCENARIOS if s.page is not PLAYGROUND] + [
    (spec.title, {f"{spec.key}.preset": preset.key}) for spec in LOSSES for preset in spec.presets
]


@pytest.mark.parametrize("path, query", LINKS, ids=[f"{p}?{'&'.join(q.values())}" for p, q in LINKS])
def test_a_link_keeps_its_preset_and_choices_and_reopens_the_same(path, query):
    at = _open_link(path, query)
    for key, value in query.items():
        if key.endswith((".preset", ".group")):
            default = "custom" if key.endswith(".preset") else "regression"  # left out, as Streamlit does
            assert at.query_params.get(key, default) == value, (key, dict(at.query_params))
    again = _open_link(path, dict(at.query_params))
    assert _numbers(again) == _numbers(at)


def test_scenario_links_carry_the_language_and_presentation_mode():
    at = open_page(None, {"lang": "zh", "present": "1"})
    text = " ".join(m.value for m in at.markdown)
    for scenario in SCENARIOS:
        assert scenario.link({"lang": "zh", "present": "1"}) in text
    english = " ".join(m.value for m in open_page(None, {"lang": "en"}).markdown)
    assert "KLDivLoss?kl_div.preset=article&lang=en)" in english


# ---------------------------------------------------------------- exact presets


def test_the_kl_warning_says_how_to_fix_it_in_both_languages():
    for text in (TEXT["kl_input_not_log"], ZH[TEXT["kl_input_not_log"]]):
        assert "log_softmax" in text and ".log()" in text and "log_target=True" in text


@pytest.mark.parametrize("log_target", [False, True])
@pytest.mark.parametrize("reduction", ["none", "batchmean", "mean", "sum"])
def test_following_the_kl_warning_removes_it(log_target, reduction):
    # the advice is true for every setting: q.log() as input, and the target as log_target says
    spec = BY_KEY["kl_div"]
    params = {"reduction": reduction, "log_target": log_target}
    wrong = spec.preset("article").make()
    assert "kl_input_not_log" in {f.code for f in evaluate(spec, wrong, params).flags}
    target = wrong.args["target"].log() if log_target else wrong.args["target"]
    fixed = type(wrong)(args={**wrong.args, "input": wrong.args["input"].log(), "target": target})
    assert "kl_input_not_log" not in {f.code for f in evaluate(spec, fixed, params).flags}


@pytest.mark.parametrize("preset, feed", [("article", "probs"), ("article_fixed", "log_probs")])
def test_the_kl_presets_feed_says_what_they_pass(preset, feed):
    at = open_page(BY_KEY["kl_div"], {"kl_div.preset": preset})
    assert at.radio(key="kl_div.feed").value == feed


EXACT = [(spec, p) for spec in LOSSES for p in spec.presets if p.make is not None]


@pytest.mark.parametrize("spec, preset", EXACT, ids=[f"{s.key}-{p.key}" for s, p in EXACT])
def test_moving_an_input_of_an_exact_preset_moves_the_value(spec, preset):
    at = open_page(spec, {f"{spec.key}.preset": preset.key})
    slider = next(s for s in at.slider if s.key.split(".", 1)[1] in {p.name for p in spec.inputs})
    step = slider.step or 0.1
    moved = slider.value + step if slider.value + step <= slider.max else slider.value - step
    slider.set_value(moved).run()
    assert not at.exception
    assert at.session_state[f"{spec.key}.preset"] == "custom"
    assert f"{spec.key}.preset" not in at.query_params
    # the value shown is now the sliders' own: the one a new session opened on these sliders shows
    same = {
        k: str(at.session_state[k])
        for p in spec.all_inputs + spec.params
        for part in p.parts()
        if (k := f"{spec.key}.{p.name}{part}") in at.session_state
    }
    assert main_value(at) == main_value(open_page(spec, same))
