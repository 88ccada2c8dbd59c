"""The playground's figures: a 1-D regression fit, 2-D decision boundaries, and the training loss
of each run against the step."""

from __future__ import annotations

from typing import Any

import numpy as np

from ui.figures import adapter
from ui.figures.adapter import Figure
from ui.figures.base import LEGEND, TOOLBAR, TRAIN_COLORS, f32, nice_range


def fit_figure(x, y, outlier, grid, predictions: dict, labels: dict, truth=None) -> Figure:
    """1-D regression: the data (outliers marked), the true line and each loss's fitted function."""
    x, y, outlier = np.asarray(x).ravel(), np.asarray(y), np.asarray(outlier, dtype=bool)
    data = [
        {
            "type": "scatter",
            "x": f32(x[~outlier]),
            "y": f32(y[~outlier]),
            "mode": "markers",
            "name": labels["data"],
            "marker": {"color": "#868e96", "size": 7},
        },
        {
            "type": "scatter",
            "x": f32(x[outlier]),
            "y": f32(y[outlier]),
            "mode": "markers",
            "name": labels["outliers"],
            "marker": {"color": "#212529", "size": 9, "symbol": "x"},
        },
    ]
    grid = np.asarray(grid).ravel()
    if truth is not None:
        data.append(
            {
                "type": "scatter",
                "x": f32(grid),
                "y": f32(truth),
                "mode": "lines",
                "name": labels["truth"],
                "line": {"color": "#868e96", "dash": "dot", "width": 2},
            }
        )
    for i, (name, pred) in enumerate(predictions.items()):
        data.append(
            {
                "type": "scatter",
                "x": f32(grid),
                "y": f32(pred),
                "mode": "lines",
                "name": name,
                "line": {"color": TRAIN_COLORS[i % len(TRAIN_COLORS)], "width": 3},
            }
        )
    return adapter.figure(
        data,
        {
            "height": 420,
            "margin": TOOLBAR,
            "xaxis": {"title": {"text": "x"}},
            "yaxis": {"title": {"text": "y"}, "range": nice_range(y, *predictions.values())},
            "legend": LEGEND,
        },
    )


def boundary_figure(x, y, axis, predictions: dict, labels: dict) -> Figure:
    """2-D classification: the points by label and each loss's decision boundary P(class 1) = 0.5."""
    x, y = np.asarray(x), np.asarray(y)
    data: list[dict[str, Any]] = []
    for label, color, symbol in ((0, "#1971c2", "circle"), (1, "#d9480f", "diamond")):
        mask = y == label
        data.append(
            {
                "type": "scatter",
                "x": f32(x[mask, 0]),
                "y": f32(x[mask, 1]),
                "mode": "markers",
                "name": f"{labels['class']} {label}",
                "marker": {"color": color, "size": 7, "symbol": symbol},
            }
        )
    step = float(axis[1] - axis[0])
    for i, (name, prob) in enumerate(predictions.items()):
        color = TRAIN_COLORS[(i + 1) % len(TRAIN_COLORS)]
        data.append(
            {
                "type": "contour",
                "z": f32(np.asarray(prob).reshape(len(axis), len(axis))),
                "x0": float(axis[0]),
                "dx": step,
                "y0": float(axis[0]),
                "dy": step,
                "name": name,
                "showscale": False,
                "contours": {"start": 0.5, "end": 0.5, "size": 1, "coloring": "none"},
                "line": {"color": color, "width": 3},
                "hoverinfo": "skip",
                "showlegend": True,
            }
        )
    span = [float(axis[0]), float(axis[-1])]
    return adapter.figure(
        data,
        {
            "height": 460,
            "margin": TOOLBAR,
            "xaxis": {"range": span, "constrain": "domain"},
            "yaxis": {"range": span, "scaleanchor": "x", "scaleratio": 1, "constrain": "domain"},
            "legend": LEGEND,
        },
    )


def history_figure(histories: dict, labels: dict) -> Figure:
    """The training loss of each run against the step."""
    data = [
        {
            "type": "scatter",
            "x": f32(steps),
            "y": f32(values),
            "mode": "lines",
            "name": name,
            "line": {"color": TRAIN_COLORS[i % len(TRAIN_COLORS)], "width": 2.5},
        }
        for i, (name, (steps, values)) in enumerate(histories.items())
    ]
    return adapter.figure(
        data,
        {
            "height": 300,
            "margin": TOOLBAR,
            "xaxis": {"title": {"text": labels["step"]}},
            "yaxis": {"title": {"text": labels["loss"]}},
            "legend": LEGEND,
        },
    )
