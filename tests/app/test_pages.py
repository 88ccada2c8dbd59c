"""Every loss page in AppTest: runs clean, shows torch's value, every widget moves through its
range, deep links restore the view, the language switch keeps the values, bad input is explained."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core import compute
from core.catalog import BY_KEY, LOSSES
from core.latex import number_text as fmt
from tests.app.helpers import main_value, open_page, open_tab, shown

SPECS = pytest.mark.parametrize("spec", LOSSES, ids=lambda s: s.key)
KINDS = ("slider", "select_slider", "radio", "toggle", "text_input", "number_input")


@SPECS
def test_page_runs_clean_and_shows_torchs_value(spec):
    at = open_page(spec)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == spec.title
    expected = compute.evaluate(spec, compute.sample_case(spec, {}, {}), {}).value
    assert main_value(at) == fmt(expected)
    assert len(at.get("plotly_chart")) >= 1
    assert any("The same number" in s.value for s in at.success)


APP_WIDE = ("lang_pick", "present_pick")  # the sidebar's switches: tested on their own


def _widgets(at):
    """The page's enabled widgets (a disabled one cannot be moved by a user either)."""
    return [
        (kind, w.key) for kind in KINDS for w in getattr(at, kind) if w.key and w.key not in APP_WIDE and not w.disabled
    ]


def _values(kind, w):
    if kind == "slider":
        return [w.min, w.max, type(w.min)((w.min + w.max) / 2)]
    if kind == "select_slider":  # the log-scale eps: AppTest lists its options as text
        options = [float(o) for o in w.options]
        return [options[0], options[-1], options[len(options) // 2]]
    if kind == "radio":
        return list(w.options)
    if kind == "toggle":
        return [not w.value, w.value]
    if kind == "number_input":
        return [w.min, w.max, (w.min + w.max) // 2]
    return ["ab", "abcdeabcdeab", "edcba"]


def sweep_widgets(at, inert: tuple = ()) -> None:
    """Every widget of the page to its minimum, maximum and middle: no exception, and a change
    (except for the `inert` keys, which have nothing to change in the page's state)."""
    for w in at.toggle:  # switch the optional weights on, so that their sliders are drawn too
        if w.key.endswith(".on"):
            w.set_value(True).run()
    assert not at.exception
    for kind, key in _widgets(at):
        widget = getattr(at, kind)(key=key)
        original = widget.value
        states = {shown(at)}
        for value in _values(kind, widget):
            getattr(at, kind)(key=key).set_value(value).run()
            assert not at.exception, (key, value, [str(e.value)[:500] for e in at.exception])
            states.add(shown(at))
        assert len(states) > 1 or key in inert, f"{key} changed nothing"
        getattr(at, kind)(key=key).set_value(original).run()


@SPECS
def test_every_widget_through_its_range_changes_what_is_shown(spec):
    # with the code open: the program shows every input and parameter (the formula may not: eps
    # matters to PoissonNLLLoss only once log_input is off)
    sweep_widgets(open_tab(open_page(spec), spec, "code", "Copy as PyTorch"))


@pytest.mark.parametrize("key", ["l1", "cross_entropy", "kl_div", "triplet_distance", "ctc"])
def test_a_deep_link_restores_the_view(key):
    spec = BY_KEY[key]
    query = {
        "l1": {"l1.input": "1.5", "l1.target": "-0.5", "l1.reduction": "sum"},
        "cross_entropy": {
            "cross_entropy.z1": "3",
            "cross_entropy.label_smoothing": "0.2",
            "cross_entropy.weight.on": "true",
            "cross_entropy.weight.1": "2",
        },
        "kl_div": {"kl_div.feed": "probs", "kl_div.reduction": "batchmean"},
        "triplet_distance": {"triplet_distance.distance_function": "cosine", "triplet_distance.swap": "true"},
        "ctc": {"ctc.target": "aa", "ctc.T": "2", "ctc.zero_infinity": "true"},
    }[key]
    at = open_page(spec, query)
    assert not at.exception
    values = {
        "l1": ({"input": 1.5, "target": -0.5}, {"reduction": "sum"}),
        "cross_entropy": ({"z1": 3.0}, {"label_smoothing": 0.2, "weight": (1.0, 2.0, 1.0)}),
        "kl_div": ({"feed": "probs"}, {"reduction": "batchmean"}),
        "triplet_distance": ({}, {"distance_function": "cosine", "swap": True}),
        "ctc": ({"target": "aa", "T": 2}, {"zero_infinity": True}),
    }[key]
    expected = compute.evaluate(spec, compute.sample_case(spec, *values), values[1]).value
    assert main_value(at) == fmt(expected)
    assert main_value(open_page(spec)) != main_value(at)


@pytest.mark.parametrize("spec", [s for s in LOSSES if s.overlay], ids=lambda s: s.key)
def test_the_overlay_names_the_current_curve_by_its_parameter_and_value(spec):
    """With "Compare ... values" on, every curve of the legend is named by the parameter's value, the current
    one too (the default, or 0.75 when the default is one of the overlay's values), not "loss"."""
    name, overlay_values = spec.overlay
    value = spec.param_defaults()[name]
    query = {f"{spec.key}.overlay": "true"}
    if any(np.isclose(value, v) for v in overlay_values):
        value = 0.75
        query[f"{spec.key}.{name}"] = str(value)
    at = open_page(spec, query)
    assert not at.exception
    chart = next(c for c in at.get("plotly_chart") if c.key == f"{spec.key}.chart")
    legend = [trace["name"] for trace in json.loads(chart.proto.spec)["data"] if trace.get("showlegend", True)]
    expected = [f"{name}={v:g}" for v in overlay_values if not np.isclose(v, value)] + [f"{name}={value:g}"]
    assert [n for n in legend if n != "current"] == expected


def test_a_deep_link_opens_a_preset():
    spec = BY_KEY["kl_div"]
    at = open_page(spec, {"kl_div.preset": "article"})
    assert main_value(at) == fmt(-0.33354081540810485) or main_value(at).startswith("-0.3335")
    assert any("kl_input_not_log" not in w.value and "log-probabilities" in w.value for w in at.warning)


def test_a_deep_link_to_a_value_preset_applies_its_values_unless_the_link_sets_them():
    spec = BY_KEY["huber"]
    at = open_page(spec, {"huber.preset": "outlier"})
    assert at.slider(key="huber.input").value == 3.0 and at.slider(key="huber.target").value == 0.0
    at = open_page(spec, {"huber.preset": "outlier", "huber.input": "-2"})
    assert at.slider(key="huber.input").value == -2.0 and at.slider(key="huber.target").value == 0.0


def test_choosing_a_preset_sets_its_values_and_back_to_sliders_resets():
    spec = BY_KEY["bce_logits"]
    at = open_page(spec)
    at.selectbox(key="bce_logits.preset").set_value("extreme").run()
    assert at.slider(key="bce_logits.input").value == -10.0
    at.selectbox(key="bce_logits.preset").set_value("custom").run()
    assert at.slider(key="bce_logits.input").value == 0.8


def test_invalid_deep_link_values_fall_back_with_a_notice():
    spec = BY_KEY["l1"]
    at = open_page(spec, {"l1.input": "abc", "l1.target": "99", "l1.reduction": "avg", "l1.preset": "nope"})
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    for name in ("l1.input", "l1.target", "l1.reduction", "'nope'"):
        assert name in warnings
    assert main_value(at) == main_value(open_page(spec))


def test_the_language_switch_changes_the_labels_and_keeps_the_values():
    spec = BY_KEY["huber"]
    at = open_page(spec, {"huber.input": "2", "huber.delta": "0.5"})
    english = [s.value for s in at.subheader]
    value = main_value(at)
    at.get("button_group")[0].set_value("zh").run()
    assert not at.exception
    chinese = [s.value for s in at.subheader]
    assert chinese != english and any("\u4e00" <= ch <= "\u9fff" for s in chinese for ch in s)
    assert at.slider(key="huber.input").value == 2.0 and main_value(at) == value
    at.get("button_group")[0].set_value("en").run()
    assert [s.value for s in at.subheader] == english


def test_the_language_comes_from_the_link():
    at = open_page(BY_KEY["mse"], {"lang": "zh"})
    assert at.session_state["lang"] == "zh"
    assert any("\u4e00" <= ch <= "\u9fff" for s in at.subheader for ch in s.value)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("target, shown_name", [("a-b", "target"), ("", "target"), ("xyzzy", "target")])
def test_bad_ctc_target_is_explained_and_the_page_goes_on(target, shown_name):
    at = open_page(BY_KEY["ctc"])
    at.text_input(key="ctc.target").set_value(target).run()
    assert not at.exception
    assert any(shown_name in e.value and "abcde" in e.value for e in at.error)
    assert main_value(at) == main_value(open_page(BY_KEY["ctc"]))  # the default target is used
    assert at.get("plotly_chart")


def test_a_ctc_target_too_long_cannot_be_typed_and_a_link_with_one_is_refused():
    at = open_page(BY_KEY["ctc"], {"ctc.target": "abcdeabcdeabcde"})
    limit = at.text_input(key="ctc.target").proto.max_chars
    assert 0 < limit < len("abcdeabcdeabcde")  # the field takes no more
    assert any("ctc.target" in w.value and f"1 to {limit} letters" in w.value for w in at.warning)
    assert main_value(at) == main_value(open_page(BY_KEY["ctc"]))  # the default target is used


def test_infinite_ctc_is_shown_and_explained():
    at = open_page(BY_KEY["ctc"], {"ctc.target": "aa", "ctc.T": "2"})
    assert main_value(at) == "∞"
    assert any("T = 2 < 3" in e.value for e in at.error)
    at.toggle(key="ctc.zero_infinity").set_value(True).run()
    assert main_value(at) == "0"


@pytest.mark.parametrize(
    "key, edits, message",
    [
        ("bce", {"edited_rows": {1: {"target": 2.0}}}, "target = `2.0`"),
        ("bce", {"edited_rows": {0: {"input": None}}}, "input = `None`"),
        ("cross_entropy", {"edited_rows": {0: {"y": None}}}, "y = `None`"),
        ("gaussian_nll", {"edited_rows": {2: {"var": -1.0}}}, "var = `-1.0`"),
        ("ctc", {"edited_rows": {0: {"target": "a_c"}}}, "target = `'a_c'`"),
        ("poisson_nll", {"added_rows": [{"input": float("nan"), "target": 1.0}]}, "input = `None`"),
    ],
)
def test_bad_table_edits_are_explained(key, edits, message):
    at = open_tab(open_page(BY_KEY[key]), BY_KEY[key], "reductions", "Reductions")
    at.session_state[f"{key}.batch"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [], **edits}
    at.run()
    assert not at.exception
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert at.get("plotly_chart") and np.isfinite(float(main_value(at)))


def test_only_the_open_tab_runs_and_it_stays_open_across_languages():
    spec = BY_KEY["huber"]
    at = open_page(spec)
    assert any("The same number" in s.value for s in at.success) and not at.dataframe
    at = open_tab(at, spec, "reductions", "Reductions")
    # row 0 (the sliders'), the table, the per-element losses
    assert not at.exception and len(at.dataframe) == 3 and not any("The same number" in s.value for s in at.success)
    reductions = {m.label for m in at.metric}
    assert {"mean ◀", "sum"} <= reductions
    at.get("button_group")[0].set_value("zh").run()
    assert [t.label for t in at.tabs][1] == "归约" and len(at.dataframe) == 3
    at = open_tab(at, spec, "code", "复制为 PyTorch 代码")
    assert any("HuberLoss(" in c.value for c in at.code) and not at.dataframe


GEOMETRY = {
    "cross_entropy": {"cross_entropy.plane"},
    "nll": {"nll.plane"},
    "margin_ranking": {"margin_ranking.plane+1", "margin_ranking.plane-1"},
    "hinge_embedding": {"hinge_embedding.both"},
    "cosine_embedding": {"cosine_embedding.vectors", "cosine_embedding.both"},
    "triplet_margin": {"triplet_margin.points"},
    "triplet_distance": {"triplet_distance.points"},
    "multi_margin": {"multi_margin.bars"},
    "multilabel_margin": {"multilabel_margin.bars"},
    "multilabel_soft_margin": {"multilabel_soft_margin.bars"},
}


@pytest.mark.parametrize("key", sorted(GEOMETRY))
def test_the_geometry_view_is_drawn(key):
    at = open_page(BY_KEY[key])
    assert GEOMETRY[key] <= {c.key for c in at.get("plotly_chart")}


def test_multilabel_margin_shows_the_target_as_torch_reads_it():
    at = open_page(
        BY_KEY["multilabel_margin"],
        {"multilabel_margin.t0": "1", "multilabel_margin.t1": "-1", "multilabel_margin.t2": "2"},
    )
    assert any("classes [1]" in c.value and "[2]" in c.value for c in at.caption)


def test_triplet_swap_changes_the_drawing():
    spec = BY_KEY["triplet_margin"]
    at = open_page(spec, {"triplet_margin.swap": "true"})
    chart = next(c for c in at.get("plotly_chart") if c.key == "triplet_margin.points")
    assert chart.proto.spec.count("d(p, n)") == 1


@pytest.mark.parametrize("key", ["cross_entropy", "multi_margin"])
def test_a_preset_with_other_classes_leaves_the_weights_out_and_says_so(key):
    at = open_page(BY_KEY[key], {f"{key}.preset": "article", f"{key}.weight.on": "true"})
    assert not at.exception
    assert any("weight is left out" in w.value for w in at.warning)
    assert main_value(at) == main_value(open_page(BY_KEY[key], {f"{key}.preset": "article"}))
