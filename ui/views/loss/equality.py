"""LinearCrossEntropyLoss's equality panel: the loss from its own module beside the same loss from
nn.Linear then nn.CrossEntropyLoss (same weight and bias), both computed by torch under the page's
parameters, and whether they agree (core.geometry.linear_equality)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from core import compute, geometry
from core.latex import number_text
from ui.kit.i18n import t


def _numbers(value: np.ndarray) -> str:
    if np.ndim(value) == 0:
        return number_text(float(value))
    flat = np.ravel(value)
    more = f", … ({flat.size})" if flat.size > 6 else ""
    return ", ".join(number_text(v) for v in flat[:6]) + more


def linear_equality(shown: compute.Sample, result: compute.Evaluation) -> None:
    """The panel, for the tensors the value panel shows (the sliders' or a preset's)."""
    eq = geometry.linear_equality(shown)
    st.subheader("LinearCrossEntropyLoss(x) == CrossEntropyLoss(Linear(x))")
    with st.container(border=True):
        left, right = st.columns(2)
        left.metric("LinearCrossEntropyLoss(x)", _numbers(eq.fused))
        right.metric("CrossEntropyLoss(Linear(x))", _numbers(eq.composed))
    numbers = {
        "d": f"{eq.difference:.3g}",
        "ulps": f"{eq.ulps:.3g}",
        "eps": f"{eq.eps:.3g}",
        "limit": geometry.ULPS,
    }
    if eq.agree:
        st.success(
            t(
                "The same loss: they differ by {d} ({ulps} machine epsilons at this size, ε = {eps}); agreeing "
                "means at most {limit}.",
                **numbers,
            ),
            icon="✅",
        )
    else:
        st.error(
            t("They differ by {d} ({ulps} machine epsilons at this size, ε = {eps}): more than {limit}.", **numbers)
        )
    options = compute.torch_kwargs(shown.spec, shown.params).get("options")
    if eq.chunked:
        path = t(
            "torch took its chunked path (options given), which computes the logits a chunk of samples at a time: "
            "the same loss."
        )
    elif options is not None:
        path = t(
            "options are given, but the chunked path needs label_smoothing = 0 and class-index targets: torch "
            "warned and took the reference path, the same value exactly."
        )
    else:
        path = t("options=None: torch's reference path, nn.Linear then cross-entropy: the same value exactly.")
    st.caption(
        " ".join(
            (
                t(
                    "Both computed by torch with the same weight and bias, under the page's class weights, "
                    "ignore_index, label_smoothing and reduction."
                ),
                path,
            )
        )
    )
