"""LinearCrossEntropyLoss's memory panel: the peak bytes of the reference and the chunked path
against the number of tokens N, on log axes (core/memory.py models them)."""

from __future__ import annotations

import math

import numpy as np

from ui.figures import adapter
from ui.figures.adapter import Figure
from ui.figures.base import LEGEND, LOSS_COLOR, PALETTE, TOOLBAR, f32

REFERENCE_COLOR, CHUNKED_COLOR, LOGITS_COLOR = LOSS_COLOR, PALETTE[0], "#868e96"


def _log_range(*arrays) -> list[float]:
    """A log axis's range (in decades) that holds every positive value, rounded out to halves."""
    values = np.concatenate([np.asarray(a, dtype=float).ravel() for a in arrays])
    values = values[np.isfinite(values) & (values > 0)]
    if values.size == 0:
        return [0.0, 1.0]
    low, high = math.log10(values.min()), math.log10(values.max())
    return [math.floor(low * 2) / 2, math.ceil(high * 2) / 2]


def memory_figure(
    tokens,
    reference,
    chunked,
    logits,
    current: tuple[float, float, float],
    labels: dict,
    threshold: float | None = None,
) -> Figure:
    """Bytes against tokens N, both axes logarithmic: each path's peak (`reference`, `chunked`), the
    N × V logits alone (`logits`, dotted), the current N marked on both paths (`current`: N and the
    two peaks), and the N from which torch's rule says chunking wins (`threshold`, a dotted line).

    labels: x, y, reference, chunked, logits, current, rule (translated)."""
    data = []
    for y, name, color, dash in (
        (logits, labels["logits"], LOGITS_COLOR, "dot"),
        (reference, labels["reference"], REFERENCE_COLOR, None),
        (chunked, labels["chunked"], CHUNKED_COLOR, None),
    ):
        data.append(
            {
                "type": "scatter",
                "x": f32(tokens),
                "y": f32(y),
                "name": name,
                "line": {"color": color, "width": 3 if dash is None else 2, "dash": dash},
                "hovertemplate": "N = %{x:,.0f}<br>" + name + ": %{y:.3s}B<extra></extra>",
            }
        )
    n, ref, chunk = current
    data.append(
        {
            "type": "scatter",
            "x": [n, n],
            "y": [ref, chunk],
            "mode": "markers",
            "name": labels["current"],
            "marker": {"size": 12, "color": [REFERENCE_COLOR, CHUNKED_COLOR], "line": {"color": "white", "width": 2}},
            "hovertemplate": labels["current"] + ": N = %{x:,.0f} → %{y:.3s}B<extra></extra>",
        }
    )
    layout = {
        "xaxis": {
            "type": "log",
            "title": {"text": labels["x"]},
            "range": [math.log10(float(np.min(tokens))), math.log10(float(np.max(tokens)))],
        },
        # a tick a decade, in bytes: Plotly's own SI labels write a billion as "1B", read as one byte
        "yaxis": {
            "type": "log",
            "title": {"text": labels["y"]},
            "range": _log_range(reference, chunked, logits),
            "dtick": 1,
            "tickformat": "~s",
            "ticksuffix": "B",
        },
        "height": 420,
        "margin": TOOLBAR,
        "hovermode": "closest",
        "legend": LEGEND,
    }
    if threshold is not None:
        layout["shapes"] = [
            {
                "type": "line",
                "x0": threshold,
                "x1": threshold,
                "xref": "x",
                "y0": 0,
                "y1": 1,
                "yref": "y domain",
                "line": {"color": "#495057", "width": 1, "dash": "dot"},
            }
        ]
        layout["annotations"] = [
            {
                "text": labels["rule"],
                "x": math.log10(threshold),
                "xref": "x",
                "y": 1,
                "yref": "y domain",
                "xanchor": "left",
                "yanchor": "top",
                "showarrow": False,
                "font": {"size": 12, "color": "#495057"},
            }
        ]
    return adapter.figure(data, layout)
