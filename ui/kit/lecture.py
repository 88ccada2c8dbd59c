"""Lecture mode: named scenarios (each a link that opens the exact view) and the presentation
switch (an app-wide choice like the language: session state, seeded from ?present=, written back)."""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from core import compare, ctc, memory, pitfalls
from ui.kit import pages
from ui.kit.i18n import t


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str  # English; translated on the page
    page: pages.Page  # the page it opens
    query: dict  # widget keys and their values: what the link sets
    point: str  # what to look at
    # the query -> the point's {placeholders}, computed with torch (or a core function a test checks)
    numbers: Callable[[dict], dict[str, str]] = lambda query: {}

    def link(self, app_wide: dict | None = None) -> str:
        """The scenario's address; `app_wide` adds the session's own choices (lang, present)."""
        query = {**self.query, **(app_wide or {})}
        return f"{self.page.url}?{urllib.parse.urlencode(query)}" if query else self.page.url

    def text(self) -> str:
        """The point in the current language, its numbers filled in."""
        return t(self.point, **self.numbers(self.query))


def _num(x: float) -> str:
    return f"{x:.4g}"


def _outlier_numbers(query: dict) -> dict[str, str]:
    residual = float(query["cmp.outlier"])
    costs = compare.outlier_costs(residual, delta=float(query["cmp.delta"]))
    return {
        "r": _num(residual),
        "mse": _num(costs["mse"][0]),
        "mse_grad": _num(costs["mse"][1]),
        "huber": _num(costs["huber"][0]),
        "huber_grad": _num(costs["huber"][1]),
    }


def _softmax_numbers(query: dict) -> dict[str, str]:
    scale = float(query["pit.softmax_ce"])
    mistake, fix = pitfalls.run("softmax_ce", scale)
    return {
        "scale": _num(scale),
        "wrong": _num(mistake.loss),
        "right": _num(fix.loss),
        "floor": _num(pitfalls.softmax_floor()),
    }


def _ctc_numbers(query: dict) -> dict[str, str]:
    return {"need": str(ctc.min_frames([1, 1])), "T": query["lab.T"]}


# an LLM-like head: 8192 tokens, a 128k vocabulary (2^17), hidden size 4096
LLM = {f"linear_cross_entropy.memory.{k}": v for k, v in (("N", "8192"), ("V", "131072"), ("d", "4096"))}


def _chunk_numbers(query: dict) -> dict[str, str]:
    """The bytes of the logits on each path, from core/memory.py's model of torch's code (checked
    against torch's profiler in its tests) and torch's own choice of the chunk (its _adjust)."""
    n, v, d = (int(query[f"linear_cross_entropy.memory.{k}"]) for k in ("N", "V", "d"))
    s = memory.Setting(n, v, d, "float32")
    rows = memory.chunking(s).rows
    return {
        "n": str(s.n),
        "v": str(s.v),
        "d": str(s.d),
        "logits": memory.bytes_text(memory.logits_bytes(s)),
        "ref_peak": memory.bytes_text(memory.reference(s).peak),
        "rows": str(rows),
        "chunk": memory.bytes_text(rows * s.v * s.itemsize),
        "chunked_peak": memory.bytes_text(memory.chunked(s).peak),
    }


SCENARIOS = (
    Scenario(
        "why_huber",
        "Why Huber",
        pages.COMPARE,
        {"cmp.group": "regression", "cmp.outlier": "4", "cmp.delta": "1"},
        "One outlier at {r}: MSE pays {mse} and pulls with a gradient of {mse_grad}; Huber pays {huber} and "
        "pulls with {huber_grad}.",
        _outlier_numbers,
    ),
    Scenario(
        "huber_fit",
        "Huber against outliers, trained",
        pages.PLAYGROUND,
        {"play.task": "regression", "play.outliers": "0.2", "play.size": "8"},
        "Press Train: the MSE line is pulled up towards the outliers; L1 and Huber stay near the true line.",
    ),
    Scenario(
        "softmax_ce",
        "Softmax before cross-entropy",
        pages.PITFALLS,
        {"pit.softmax_ce": "6"},
        "Logits {scale}× (2, 1, 0.1): with the softmax first the loss is {wrong} instead of {right}, and no "
        "logits bring it below {floor}.",
        _softmax_numbers,
    ),
    Scenario(
        "ctc_infinite",
        "CTC goes infinite",
        pages.CTC_LAB,
        {"lab.target": "aa", "lab.T": "2"},
        "'aa' needs {need} frames (a, blank, a): with {T} there is no alignment and the loss is ∞.",
        _ctc_numbers,
    ),
    Scenario(
        "article_kl",
        "The article's KL example",
        pages.of("kl_div"),
        {"kl_div.preset": "article"},
        "Probabilities passed where torch expects log-probabilities: a negative 'divergence'.",
    ),
    Scenario(
        "surrogates",
        "Surrogates of the 0-1 loss",
        pages.COMPARE,
        {"cmp.group": "classification"},
        "Hinge, squared hinge and logistic loss: convex surrogates of the 0-1 loss; only the hinge never drops "
        "below it.",
    ),
    Scenario(
        "llm_chunking",
        "Why LLMs chunk their loss",
        pages.of("linear_cross_entropy"),
        LLM,
        "{n} tokens, a vocabulary of {v}, d = {d}, float32: the reference path holds all the logits at once, "
        "{logits}, and peaks at {ref_peak}; the chunked path holds {rows} rows of them at a time, {chunk}, and "
        "peaks at {chunked_peak}.",
        _chunk_numbers,
    ),
    Scenario(
        "triplet_swap",
        "What swap changes",
        pages.of("triplet_margin"),
        {
            "triplet_margin.swap": "true",
            "triplet_margin.px": "2",
            "triplet_margin.py": "0",
            "triplet_margin.nx": "1.8",
            "triplet_margin.ny": "1.2",
        },
        "The negative is closer to the positive than to the anchor: swap uses d(p, n) and the loss grows.",
    ),
)


# Our own constant stylesheet (no user text): larger type in the main area for a projector. The metric's
# value grows with its box up to 3.6rem and shrinks below it (ui/kit/style.py: never cut with "…"); code
# wraps instead of hiding its line ends; a formula wider than its column scrolls with a visible bar.
PRESENTATION_CSS = (
    "<style>[data-testid=stMain] :is(p, li, label, .stMarkdown, .stCaption) {font-size: 1.25rem !important;}"
    " [data-testid=stMain] h1 {font-size: min(3.2rem, var(--fit, 3.2rem)) !important;}"
    " [data-testid=stMain] :is(h2, h3) {font-size: 2.2rem !important;}"
    " [data-testid=stMain] [data-testid=stMetricValue] :is(div, p) {font-size: min(3.6rem, 16cqi) !important;}"
    " [data-testid=stMain] [data-testid=stCode] :is(pre, code)"
    " {white-space: pre-wrap !important; overflow-wrap: anywhere !important;}"
    # a slider's value sits in a box sized for the normal type: the larger line would reach the thumb
    " [data-testid=stMain] [data-testid=stSliderThumbValue] p {line-height: 1 !important;}</style>"
)


def init_presentation() -> None:
    if "present" not in st.session_state:
        st.session_state["present"] = st.query_params.get("present") == "1"
    if st.session_state["present"]:
        st.query_params["present"] = "1"
        st.html(PRESENTATION_CSS)
    elif "present" in st.query_params:
        del st.query_params["present"]


def _switched() -> None:
    st.session_state["present"] = st.session_state["present_pick"]


def presentation_toggle() -> None:
    st.session_state["present_pick"] = st.session_state.get("present", False)
    st.toggle(
        t("Presentation mode"),
        key="present_pick",
        on_change=_switched,
        help=t("Larger type, figures and lines for a projector; secondary panels hidden."),
    )


def presenting() -> bool:
    return bool(st.session_state.get("present", False))


def scenario_links() -> None:
    """The scenarios as links on the home page: each opens the exact view, in the language and
    presentation mode of the session (a link opens a new session, which knows neither)."""
    app_wide = {"lang": st.session_state.get("lang", "en"), **({"present": "1"} if presenting() else {})}
    for scenario in SCENARIOS:
        st.markdown(f"- [{t(scenario.title)}]({scenario.link(app_wide)}) — {scenario.text()}")
