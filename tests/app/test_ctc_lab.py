"""The CTC lab page in AppTest: torch's loss beside the lattice's, the lattice's figures, the
infeasible case, the article's example, batches, the collapse rule and bad input."""

from __future__ import annotations

import base64
import json

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from core import ctc, ctc_lab
from tests.app.helpers import open_page
from ui.kit.pages import CTC_LAB


def open_lab(query=None):
    at = open_page(CTC_LAB, query)
    assert not at.exception, [str(e.value)[:500] for e in at.exception]
    return at


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def _torch_nll(target: str, frames: int, sharpness=3.0, noise=1.0, seed=0, blank=0) -> float:
    values = {
        "target": target,
        "T": frames,
        "source": "aligned",
        "sharpness": sharpness,
        "noise": noise,
        "seed": seed,
        "sequence": 0,
        "N": 1,
    }
    em = ctc_lab.emissions(values, blank)
    return F.ctc_loss(
        em.logits.log_softmax(-1)[:, None],
        torch.tensor([em.labels]),
        torch.tensor([frames]),
        torch.tensor([len(em.labels)]),
        blank=blank,
        reduction="sum",
    ).item()


def test_the_lab_shows_torchs_loss_and_the_lattices_and_they_agree():
    at = open_lab()
    shown = metrics(at)
    expected = f"{_torch_nll('cab', 8):.6g}"
    assert shown["torch.nn.CTCLoss (sum)"] == expected and shown["−log p, from the lattice"] == expected
    assert shown["valid alignments"] == str(ctc.count_alignments(8, [3, 1, 2], 0))
    assert any("agree" in s.value for s in at.success)
    keys = {c.key for c in at.get("plotly_chart")}
    assert {"lab.emissions", "lab.alpha", "lab.beta", "lab.gamma", "lab.grad.auto", "lab.grad.formula"} <= keys


def test_the_occupancy_figure_has_the_best_path_and_blank_cells_off_the_lattice():
    at = open_lab({"lab.target": "abba", "lab.T": "10"})
    gamma = json.loads(next(c for c in at.get("plotly_chart") if c.key == "lab.gamma").proto.spec)
    heat, path = gamma["data"]
    assert heat["type"] == "heatmap" and path["mode"] == "lines+markers"
    assert len(gamma["layout"]["yaxis"]["ticktext"]) == 2 * 4 + 1
    z = np.frombuffer(base64.b64decode(heat["z"]["bdata"]), dtype=np.float32)
    assert np.isnan(z).any() and np.nansum(z) == pytest.approx(10, rel=1e-4)  # each of the 10 columns sums to 1


def test_a_deep_link_sets_the_lab():
    at = open_lab({"lab.target": "bead", "lab.T": "12", "lab.blank": "3", "lab.seed": "7"})
    assert metrics(at)["torch.nn.CTCLoss (sum)"] == f"{_torch_nll('bead', 12, seed=7, blank=3):.6g}"


def test_infeasible_targets_are_explained_and_zero_infinity_shown():
    at = open_lab({"lab.target": "aa", "lab.T": "2"})
    shown = metrics(at)
    assert shown["−log p, from the lattice"] == "∞" and shown["valid alignments"] == "0"
    assert any("needs at least 3 frames" in e.value for e in at.error)
    at.toggle(key="lab.zero_infinity").set_value(True).run()
    assert metrics(at)["torch.nn.CTCLoss (sum)"] == "0"
    assert not at.exception


def test_the_articles_example_is_a_source():
    at = open_lab({"lab.source": "article", "lab.sequence": "3"})
    shown = metrics(at)
    case = ctc_lab.emissions({"source": "article", "sequence": 3}, 0)
    expected = F.ctc_loss(
        case.logits[:, None],
        torch.tensor([case.labels]),
        torch.tensor([50]),
        torch.tensor([len(case.labels)]),
        reduction="sum",
    ).item()
    assert shown["torch.nn.CTCLoss (sum)"] == f"{expected:.6g}"


def test_the_batch_shows_per_sequence_losses_and_the_mean_by_target_length():
    at = open_lab({"lab.N": "5"})
    table = at.dataframe[-1].value
    assert len(table) == 5
    assert table["loss (padded)"].tolist() == table["loss (concatenated)"].tolist()
    mean = float(metrics(at)["mean ◀"])
    assert mean == pytest.approx(table["loss / S"].mean(), rel=1e-5)


def test_every_alignment_is_listed_when_few():
    at = open_lab({"lab.target": "ab", "lab.T": "4"})
    listed = at.dataframe[0].value
    assert len(listed) == ctc.count_alignments(4, [2, 3], 0)


@pytest.mark.parametrize("path, shown", [("cc-aa-b", "cab"), ("a-a", "aa"), ("---", "∅")])
def test_the_collapse_rule(path, shown):
    at = open_lab()
    at.text_input(key="lab.path").set_value(path).run()
    assert shown in at.latex[-1].value


@pytest.mark.parametrize(
    "key, value", [("lab.target", "a-b"), ("lab.target", ""), ("lab.target", "xyz"), ("lab.path", "ab?c")]
)
def test_bad_input_is_explained(key, value):
    at = open_lab()
    at.text_input(key=key).set_value(value).run()
    assert not at.exception
    assert any("is not allowed" in e.value for e in at.error)
    assert at.get("plotly_chart")


def test_every_widget_of_the_lab_through_its_range():
    from tests.app.test_pages import sweep_widgets

    # "aa" in 2 frames has no alignment, so that zero_infinity has something to change
    sweep_widgets(open_lab({"lab.target": "aa", "lab.T": "2"}))
    # every sequence of the article's example has an alignment: zero_infinity has nothing to zero
    sweep_widgets(open_lab({"lab.source": "article"}), inert=("lab.zero_infinity",))


def test_invalid_link_values_fall_back_with_a_notice():
    at = open_lab({"lab.T": "500", "lab.source": "nope"})
    warnings = " ".join(w.value for w in at.warning)
    assert "lab.T" in warnings and "lab.source" in warnings
    assert metrics(at)["torch.nn.CTCLoss (sum)"] == f"{_torch_nll('cab', 8):.6g}"


@pytest.mark.parametrize(
    "lang, message",
    [
        ("en", "target = `'xyz'` is not allowed: 1 to 12 letters from 'abcde'. The default is shown instead."),
        ("zh", "target = `'xyz'` 不合法，应为：1 到 12 个取自 'abcde' 的字母。改为显示默认值。"),
    ],
)
def test_a_refused_input_and_the_fallback_are_two_sentences(lang, message):
    """The refusal ends with what is allowed, without a full stop: the page adds the language's own before
    saying that the default is shown."""
    at = open_lab({"lang": lang})
    at.text_input(key="lab.target").set_value("xyz").run()
    assert [e.value for e in at.error] == [message]


def test_a_text_that_ends_a_sentence_gets_no_second_full_stop():
    from ui.kit import i18n

    i18n._run.lang = "en"
    try:
        assert i18n.sentences("T = 0 is refused.", "Shown instead") == "T = 0 is refused. Shown instead."
        i18n._run.lang = "zh"
        assert i18n.sentences("不合法。", "改为显示默认值。") == "不合法。改为显示默认值。"
        assert i18n.sentences("应为 'abcde'", "改为显示默认值。") == "应为 'abcde'。改为显示默认值。"
    finally:
        i18n._run.lang = None
