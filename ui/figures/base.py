"""What every figure builder shares: the colours, the legend and margins, float32 arrays, a y-range
that holds the data, and the axes of two panels. Plain dicts only: no plotly here (adapter.py)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

LOSS_COLOR = "#d9480f"
GRAD_COLOR = "#1971c2"
OVERLAY_COLORS = ("#868e96", "#2f9e44", "#9c36b5", "#e8590c", "#0c8599")
# Lines on shared axes (core.compare.Line) by their palette slot (Line.color), or by their position
# when a line names none: blue, orange, green, purple, amber, dark grey.
PALETTE = ("#1971c2", "#d9480f", "#2f9e44", "#9c36b5", "#e67700", "#495057")
# One colour per trained loss (the playground), by position.
TRAIN_COLORS = ("#d9480f", "#1971c2", "#2f9e44", "#9c36b5", "#e67700")
# The legend in a row below the plot, at the figure's bottom edge (the bottom margin grows to hold
# it): above the plot, Plotly's toolbar (top right) covered it on a phone.
LEGEND = {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0, "xanchor": "left"}
# Panels titled above the plot: a top margin that holds the titles below Plotly's toolbar (30 put
# them under it on a phone).
TITLED = {"l": 10, "r": 10, "t": 60, "b": 10}
TIGHT = {"l": 10, "r": 10, "t": 10, "b": 10}
# Room above the plot for Plotly's toolbar.
TOOLBAR = {"l": 10, "r": 10, "t": 30, "b": 10}


def f32(a) -> np.ndarray:
    """Arrays go out as float32: half the bytes (docs/architecture.md §6)."""
    return np.asarray(a, dtype=np.float32)


def nice_range(*arrays, pad: float = 0.08, cap: float = 1e4) -> list[float]:
    """A y-range that holds every finite value (clipped to ±cap), padded and rounded outward. Axis
    ranges are fixed so that a rerun does not make the view jump."""
    values = np.concatenate([np.asarray(a, dtype=float).ravel() for a in arrays])
    values = np.clip(values[np.isfinite(values)], -cap, cap)
    if values.size == 0:
        return [-1.0, 1.0]
    low, high = float(values.min()), float(values.max())
    size = max(abs(low), abs(high))
    if high - low <= 1e-9 * max(size, 1.0):  # flat (a constant gradient): ±10 % of its value, or ±1 around 0
        low, high = (low - 0.1 * size, high + 0.1 * size) if size > 1e-6 else (low - 1.0, high + 1.0)
    span = max(high - low, 1e-6)
    low, high = low - pad * span, high + pad * span
    step = 10 ** math.floor(math.log10(span)) / 10
    return [math.floor(low / step) * step, math.ceil(high / step) * step]


def rows(top: float = 0.6, gap: float = 0.07) -> dict:
    """Two panels stacked on one shared x axis: axes x/y on top, x2/y2 below."""
    split = (1 - gap) * (1 - top)
    return {
        "xaxis": {"anchor": "y", "domain": [0, 1], "matches": "x2", "showticklabels": False},
        "yaxis": {"anchor": "x", "domain": [split + gap, 1]},
        "xaxis2": {"anchor": "y2", "domain": [0, 1]},
        "yaxis2": {"anchor": "x2", "domain": [0, split]},
    }


def cols(gap: float, titles: tuple = ()) -> dict:
    """Two panels side by side: axes x/y on the left, x2/y2 on the right, a title above each."""
    left, right = [0, (1 - gap) / 2], [(1 + gap) / 2, 1]
    layout: dict[str, Any] = {
        "xaxis": {"anchor": "y", "domain": left},
        "yaxis": {"anchor": "x", "domain": [0, 1]},
        "xaxis2": {"anchor": "y2", "domain": right},
        "yaxis2": {"anchor": "x2", "domain": [0, 1]},
    }
    layout["annotations"] = [
        panel_title(title, sum(domain) / 2) for title, domain in zip(titles, (left, right), strict=False)
    ]
    return layout


def panel_title(text: str, x: float = 0.5) -> dict:
    """A title above the plot, centred on `x` (paper coordinates): an annotation, in TITLED's margin."""
    return {
        "text": text,
        "x": x,
        "y": 1.0,
        "xref": "paper",
        "yref": "paper",
        "xanchor": "center",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 14},
    }


def point_trace(point, name: str, hover_value: str = "", **extra) -> dict:
    """The current point of a plane (the page's x): a large dot in the loss colour, ringed in white;
    its hover gives the coordinates, then `hover_value` (a loss) when given."""
    value = f" · {hover_value}" if hover_value else ""
    return {
        "type": "scatter",
        "x": [float(point[0])],
        "y": [float(point[1])],
        "mode": "markers",
        "name": name,
        "marker": {"size": 13, "color": LOSS_COLOR, "line": {"color": "white", "width": 2}},
        "hovertemplate": name + ": (%{x:.3g}, %{y:.3g})" + value + "<extra></extra>",
        **extra,
    }


def axes(row: int) -> dict:
    """The axes of a trace in panel `row` (1 or 2)."""
    return {} if row == 1 else {"xaxis": "x2", "yaxis": "y2"}


def grid(x) -> dict:
    """An evenly spaced x as start and step: the figure then carries no x arrays at all."""
    return {"x0": float(x[0]), "dx": float(x[1] - x[0])}
