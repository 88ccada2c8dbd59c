"""The CTC lab page: the alignment lattice of one target — emissions, alpha, beta, occupancy and
the best path — torch's loss and gradient beside the lattice's, the alignments themselves, a batch
given both ways, and the collapse rule."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import streamlit as st

from core import ctc_lab
from core.latex import number_text
from core.params import LossValueError, Text
from ui.figures.loss import heatmap_figure, lattice_figure
from ui.kit import link, widgets
from ui.kit.admission import one_at_a_time
from ui.kit.charts import show, show_in
from ui.kit.i18n import error_text, sentences, t
from ui.kit.layout import header, setup
from ui.kit.lecture import presenting
from ui.kit.share import share_and_reset

PREFIX = "lab"
LISTED = 50  # alignments shown in the table, the most probable first


@one_at_a_time
def render() -> None:
    setup("CTC lab", "🔤", owns=PREFIX)
    notices = widgets.seed(PREFIX, ctc_lab.INPUTS + ctc_lab.PARAMS + (PATH,))
    header(
        t("CTC lab"),
        t(
            "CTC sums the probabilities of every alignment of the target to the input frames. The lattice "
            "below holds all of them: each path from the first frame (in the first blank or the first label) to "
            "the last frame (in the last label or the final blank) is one alignment. The loss and the gradient "
            "computed from the lattice are set beside torch.nn.CTCLoss's."
        ),
        notices,
    )
    top = st.container()  # Share and Reset, filled once the controls are drawn
    values, params = _controls()
    result = ctc_lab.analyse(values, params)
    _summary(result, params)
    _lattice(result)
    _gradient(result)
    _alignments(result)
    _batch(values, params)
    _collapse()
    share_and_reset(PREFIX, t("The address bar always holds this link: every control of this page."), where=top)
    link.publish()


PATH = Text(
    "path",
    "cc-aa-b",
    choices=tuple(ctc_lab.ALPHABET) + ("-",),
    length=40,
    help="A path, one symbol per frame; '-' is the blank.",
)


def _controls() -> tuple[dict, dict]:
    left, right = st.columns(2, gap="large")
    values = {}
    with left:
        values["source"] = widgets.param_input(PREFIX, ctc_lab.SOURCE)
        article = values["source"] == "article"
        if article:
            st.caption(
                t(
                    "The article's example: random log-probabilities, T = 50, C = 20, N = 16, targets of length 10 to 29."
                )
            )
            values["sequence"] = widgets.param_input(PREFIX, ctc_lab.SEQUENCE)
        for p in (ctc_lab.TARGET, ctc_lab.FRAMES, ctc_lab.SHARPNESS, ctc_lab.NOISE, ctc_lab.SEED):
            values[p.name] = widgets.param_input(PREFIX, p, disabled=article)
    with right:
        # the article's example has its blank at 0
        params = {
            p.name: widgets.param_input(PREFIX, p, disabled=article and p.name == "blank") for p in ctc_lab.PARAMS
        }
        if not article:
            values["N"] = widgets.param_input(PREFIX, ctc_lab.BATCH)
    values = {p.name: values.get(p.name, p.default) for p in ctc_lab.INPUTS}
    try:
        values = {p.name: p.validate(values[p.name]) for p in ctc_lab.INPUTS}
        ctc_lab.emissions(values, params["blank"])
    except LossValueError as error:
        st.error(
            sentences(error_text(error), t("The default is shown instead.")),
            icon="🚫",
        )
        values = {**values, error.name: next(p.default for p in ctc_lab.INPUTS if p.name == error.name)}
    return values, params


def _text(labels, names) -> str:
    return "".join(names[k] for k in labels) if len(names) <= 6 else " ".join(names[k] for k in labels)


def _summary(result, params) -> None:
    names = result.emissions.names
    lat = result.lattice
    with st.container(border=True):
        # on a projector four metrics side by side leave each a sliver: two rows of two
        cols = st.columns(2) + st.columns(2) if presenting() else st.columns(4)
        cols[0].metric(t("−log p, from the lattice"), number_text(lat.nll))
        cols[1].metric(t("torch.nn.CTCLoss (sum)"), number_text(result.torch_nll))
        cols[2].metric(t("valid alignments"), _count(lat.alignments))
        cols[3].metric(
            t("greedy decode"),
            _text(result.greedy, names) or "∅",
            help=t("The most probable class of each frame, collapsed."),
        )
        target = _text(result.emissions.labels, names)
        if result.feasible:
            same = math.isclose(lat.nll, result.torch_nll, rel_tol=1e-9, abs_tol=1e-9)
            (st.success if same else st.error)(
                t(
                    "The lattice and torch agree: {ours} and {theirs}.",
                    ours=number_text(lat.nll),
                    theirs=number_text(result.torch_nll),
                )
                if same
                else t(
                    "The lattice and torch differ: {ours} and {theirs}.",
                    ours=number_text(lat.nll),
                    theirs=number_text(result.torch_nll),
                ),
                icon="✅" if same else "🚫",
            )
            st.caption(
                t(
                    "Target {target}; the greedy decode {verdict}; the best alignment has probability {p}.",
                    target=target,
                    verdict=t("matches it") if result.greedy == result.emissions.labels else t("differs from it"),
                    p=number_text(math.exp(lat.path_log_prob)),
                )
            )
    if not result.feasible:
        st.error(
            t(
                "No alignment exists: the target {target} needs at least {need} frames (its {S} labels plus "
                "a blank between each pair of equal neighbours), and T = {T}. The lattice has no path from "
                "start to end, so −log p = ∞.",
                target=target,
                need=result.min_frames,
                S=len(result.emissions.labels),
                T=result.log_probs.shape[0],
            ),
            icon="♾️",
        )
        st.info(
            t(
                "torch.nn.CTCLoss returns ∞ here; with zero_infinity=True it returns 0 and a zero gradient "
                "instead (now: {value}).",
                value=number_text(result.torch_nll),
            ),
            icon="💡",
        )


def _count(n: int) -> str:
    """An exact count with thin groups of three digits: 3 381 098."""
    return f"{n:,}".replace(",", " ")


def _prob(p: float) -> str:
    """A probability to 3 significant digits, in scientific notation when small (1e-13, not 0.0000000000001)."""
    return f"{p:.3g}"


def _state_names(result) -> list[str]:
    return [result.emissions.names[k] for k in result.lattice.ext]


def _lattice(result) -> None:
    st.subheader(t("The lattice"))
    lat = result.lattice
    axes = {"x": t("time t"), "y": t("state s"), "path": t("best path")}
    tabs = st.tabs([t("Emissions"), t("Forward α"), t("Backward β"), t("Occupancy γ")])
    with tabs[0]:
        path = [lat.ext[s] for s in lat.path]
        show(
            lattice_figure(
                result.log_probs.exp(), result.emissions.names, {**axes, "y": t("class")}, path, zmin=0, zmax=1
            ),
            key="lab.emissions",
        )
        st.caption(t("p_t(c): the probability of each class at each frame; the line is the best alignment."))
    figures = (
        (
            lat.log_alpha,
            "lab.alpha",
            t(
                "log α(t, s): the log of the summed probability of every path over the frames up to t that is in state s at frame t."
            ),
        ),
        (
            lat.log_beta,
            "lab.beta",
            t(
                "log β(t, s): the log of the summed probability, over the frames after t, of every way to finish the target from state s."
            ),
        ),
        (
            lat.occupancy.masked_fill(~lat.valid, float("nan")),  # blank off the lattice, like α and β
            "lab.gamma",
            t(
                "γ(t, s) = α·β / p: the share of the probability that passes through "
                "state s at time t. Each column sums to 1."
            ),
        ),
    )
    for tab, (z, key, caption) in zip(tabs[1:], figures, strict=True):
        with tab:
            limits = {"zmin": 0, "zmax": 1} if key == "lab.gamma" else {}
            show(lattice_figure(z, _state_names(result), axes, lat.path, **limits), key=key)
            st.caption(caption + " " + t("Blank cells lie on no valid alignment."))


def _gradient(result) -> None:
    st.subheader(t("Gradient with respect to the logits"))
    if not result.feasible:
        st.info(
            t(
                "With no alignment the loss is infinite and its gradient is not defined: torch gives NaN, "
                "or zeros with zero_infinity=True."
            ),
            icon="♾️",
        )
        return
    autograd, formula = result.grad_autograd.numpy(), result.grad_formula.numpy()
    finite = np.isfinite(autograd)
    bound = float(np.abs(autograd[finite]).max()) if finite.any() else 1.0
    frames = range(autograd.shape[0])
    axes = {"x": t("time t"), "y": t("class")}
    left, right = st.columns(2)
    left.caption(t("autograd through torch.nn.CTCLoss"))
    show_in(left, heatmap_figure(autograd.T, frames, result.emissions.names, axes, bound), key="lab.grad.auto")
    right.caption(t("softmax − occupancy summed per class"))
    show_in(right, heatmap_figure(formula.T, frames, result.emissions.names, axes, bound), key="lab.grad.formula")
    st.caption(t("Largest difference: {d}.", d=f"{result.grad_difference:.2g}"))


def _alignments(result) -> None:
    paths = ctc_lab.enumeration(result)  # the most probable first
    n = result.lattice.alignments
    listed = (paths or [])[:LISTED]
    if paths is None:
        title = t("Alignments ({n}), not listed", n=_count(n))
    elif len(listed) == len(paths):
        title = t("Every alignment ({n})", n=_count(n))
    else:
        title = t("The {k} most probable of {n} alignments", k=len(listed), n=_count(n))
    with st.expander(title):
        if paths is None:
            st.caption(t("Too many (or none) to list; the lattice counts them exactly."))
            return
        names = result.emissions.names
        probs = [math.exp(lp) for _, lp in paths]
        frame = pd.DataFrame(
            {
                t("alignment"): [" ".join(names[k] for k in path) for path, _ in listed],
                t("probability"): [_prob(p) for p in probs[: len(listed)]],
            }
        )
        st.dataframe(frame, hide_index=True, width="stretch")
        st.caption(
            t(
                "The probabilities of all {n} alignments sum to {total}; the lattice gives p = {p}.",
                n=_count(len(paths)),
                total=f"{sum(probs):.10g}",
                p=f"{math.exp(result.lattice.log_likelihood):.10g}",
            )
        )


def _each(losses: dict[str, float | list[float]]) -> list[float]:
    """A batch's losses under reduction='none': one per sequence."""
    each = losses["none"]
    assert isinstance(each, list)
    return each


def _one(losses: dict[str, float | list[float]], reduction: str) -> float:
    """A batch's loss under 'mean' or 'sum': one number."""
    one = losses[reduction]
    assert not isinstance(one, list)
    return one


def _batch(values, params) -> None:
    st.subheader(t("A batch, padded and concatenated"))
    b = ctc_lab.batch(values, params)
    article = values["source"] == "article"
    names = ctc_lab.class_names(20 if article else ctc_lab.C, 0 if article else params["blank"])
    none = _each(b.padded)
    frame = pd.DataFrame(
        {
            t("target"): [_text(x, names) for x in b.targets],
            "S": [len(x) for x in b.targets],
            t("loss (padded)"): none,
            t("loss (concatenated)"): _each(b.concatenated),
            t("lattice"): b.lattice_nll,
            t("loss / S"): [v / max(len(x), 1) for v, x in zip(none, b.targets, strict=True)],
        }
    )
    # the losses as the metrics below write them (∞, not the table's "Infinity")
    losses = [t("loss (padded)"), t("loss (concatenated)"), t("lattice"), t("loss / S")]
    st.dataframe(frame.style.format(number_text, subset=losses), hide_index=True, width="stretch")
    chosen = b.padded[params["reduction"]]
    shown = ", ".join(number_text(v) for v in chosen) if isinstance(chosen, list) else number_text(chosen)
    st.metric(t("torch.nn.CTCLoss(reduction='{r}') on the batch", r=params["reduction"]), shown)
    cols = st.columns(2)
    for col, reduction in zip(cols, ("mean", "sum"), strict=True):
        mark = " ◀" if reduction == params["reduction"] else ""
        col.metric(
            f"{reduction}{mark}",
            number_text(_one(b.padded, reduction)),
            help=t("concatenated targets give {v}", v=number_text(_one(b.concatenated, reduction))),
        )
    st.caption(
        t(
            "reduction='mean' divides each sequence's loss by its target length S, then averages: "
            "the mean of the last column. Padded (N × S) and concatenated targets give the same losses."
        )
    )


def _collapse() -> None:
    st.subheader(t("The collapse rule"))
    path = widgets.param_input(PREFIX, PATH)
    try:
        merged, collapsed = ctc_lab.collapse_text(path)
    except LossValueError as error:
        st.error(
            error_text(error),
            icon="🚫",
        )
        return
    st.latex(
        rf"\texttt{{{path}}}\ \xrightarrow{{\text{{merge repeats}}}}\ \texttt{{{merged}}}\ "
        rf"\xrightarrow{{\text{{drop blanks}}}}\ \texttt{{{collapsed or '∅'}}}"
    )
