"""A loss page's figures: the loss and its gradient along the swept input (with overlays), and the
CTC heatmaps (the gradient over time × class, the lattice of alpha, beta and occupancy)."""

from __future__ import annotations

import numpy as np

from ui.figures import adapter
from ui.figures.adapter import Figure
from ui.figures.base import (
    GRAD_COLOR,
    LEGEND,
    LOSS_COLOR,
    OVERLAY_COLORS,
    TIGHT,
    TOOLBAR,
    axes,
    f32,
    grid,
    nice_range,
    rows,
)


def curve_figure(curve, labels: dict, overlays: tuple = (), name: str = "") -> Figure:
    """The loss (top) and its gradient (bottom) along the swept input, the current point marked.

    curve: core.compute.Curve; overlays: (name, Curve) pairs drawn dashed for comparison;
    labels: x, loss, grad, point (translated); name: the curve's own name among the overlays (its
    parameter and value, as theirs), its legend entry for both rows as each overlay has one; without
    it the rows are named loss and gradient.
    """
    data = []
    for i, (label, other) in enumerate(overlays):
        style = {"color": OVERLAY_COLORS[i % len(OVERLAY_COLORS)], "width": 1.5, "dash": "dash"}
        hover = "%{x:.4g}: %{y:.5g}<extra>" + label + "</extra>"
        for row, y in ((1, other.loss), (2, other.grad)):
            data.append(
                {
                    "type": "scatter",
                    **grid(other.x),
                    "y": f32(y),
                    "name": label,
                    "line": style,
                    "legendgroup": label,
                    "showlegend": row == 1,
                    "hovertemplate": hover,
                    **axes(row),
                }
            )
    for row, y, quantity, color in (
        (1, curve.loss, labels["loss"], LOSS_COLOR),
        (2, curve.grad, labels["grad"], GRAD_COLOR),
    ):
        hover = labels["x"] + " = %{x:.4g}<br>" + quantity + " = %{y:.6g}<extra>" + name + "</extra>"
        # among overlays the loss row carries the curve's name and the legend entry of both rows; the
        # gradient row keeps its own (the CSV's trace column tells the two rows apart)
        own = (
            {"name": name if row == 1 else quantity, "legendgroup": name, "showlegend": row == 1}
            if name
            else {"name": quantity}
        )
        data.append(
            {
                "type": "scatter",
                **grid(curve.x),
                "y": f32(y),
                **own,
                "line": {"color": color, "width": 3},
                "hovertemplate": hover,
                **axes(row),
            }
        )
    for row, y, color in ((1, curve.loss0, LOSS_COLOR), (2, curve.grad0, GRAD_COLOR)):
        data.append(
            {
                "type": "scatter",
                "x": [curve.x0],
                "y": [y],
                "mode": "markers",
                "name": labels["point"],
                "showlegend": row == 1,
                "marker": {"size": 13, "color": color, "line": {"color": "white", "width": 2}},
                "hovertemplate": labels["point"] + ": %{x:.4g} → %{y:.6g}<extra></extra>",
                **axes(row),
            }
        )
    every = (curve,) + tuple(c for _, c in overlays)
    layout = rows()
    span = [float(curve.x[0]), float(curve.x[-1])]
    layout["xaxis"].update(range=span, showgrid=True)
    layout["xaxis2"].update(range=span, showgrid=True, title={"text": labels["x"]})
    layout["yaxis"].update(title={"text": labels["loss"]}, range=nice_range(*(c.loss for c in every)))
    layout["yaxis2"].update(title={"text": labels["grad"]}, range=nice_range(*(c.grad for c in every)))
    return adapter.figure(
        data,
        {
            **layout,
            "height": 300,
            "margin": TOOLBAR,
            "hovermode": "closest",
            "legend": LEGEND,
        },
    )


def heatmap_figure(z, x_labels, y_labels, labels: dict, bound: float | None = None) -> Figure:
    """A time × class heatmap (CTC gradient), diverging around zero, symmetric to ±bound."""
    z = f32(z)
    if bound is None:
        bound = float(np.nanmax(np.abs(z))) if z.size and np.isfinite(z).any() else 1.0
    x_labels = list(x_labels)
    data = [
        {
            "type": "heatmap",
            "z": z,
            "x": x_labels,
            "y": list(y_labels),
            "colorscale": "RdBu",
            "zmid": 0,
            "zmin": -bound,
            "zmax": bound,
            "hovertemplate": labels["x"] + " %{x}, " + labels["y"] + " %{y}: %{z:.4g}<extra></extra>",
        }
    ]
    return adapter.figure(
        data,
        {
            "height": 300,
            "margin": TIGHT,
            "xaxis": {"title": {"text": labels["x"]}, "dtick": 1 if len(x_labels) <= 20 else None},
            "yaxis": {"title": {"text": labels["y"]}},
        },
    )


def lattice_figure(z, state_names, labels: dict, path=None, colorscale="Viridis", zmin=None, zmax=None) -> Figure:
    """A time × extended-target heatmap (alpha, beta, occupancy). Cells off every valid alignment
    (−inf in log space, or NaN) are left blank; the best path is drawn on top.

    State names repeat (∅ sits between every pair of labels), so rows are positions with names as ticks.
    """
    z = np.asarray(z, dtype=np.float64).T  # rows: states, columns: frames
    z = np.where(np.isfinite(z), z, np.nan).astype(np.float32)
    states, frames = z.shape
    data = [
        {
            "type": "heatmap",
            "z": z,
            "x0": 0,
            "dx": 1,
            "y0": 0,
            "dy": 1,
            "colorscale": colorscale,
            "zmin": zmin,
            "zmax": zmax,
            "colorbar": {"thickness": 12},
            "hovertemplate": labels["x"] + " %{x}, " + labels["y"] + " %{y}: %{z:.4g}<extra></extra>",
        }
    ]
    if path:
        data.append(
            {
                "type": "scatter",
                "x": np.arange(frames),
                "y": np.asarray(path),
                "mode": "lines+markers",
                "name": labels["path"],
                "line": {"color": "white", "width": 3},
                "marker": {"size": 7, "color": LOSS_COLOR, "line": {"color": "white", "width": 1.5}},
                "hovertemplate": labels["path"] + ": t %{x} → %{y}<extra></extra>",
            }
        )
    return adapter.figure(
        data,
        {
            "yaxis": {
                "tickmode": "array",
                "tickvals": list(range(states)),
                "ticktext": list(state_names),
                "title": {"text": labels["y"]},
                "autorange": True,
            },
            "xaxis": {
                "title": {"text": labels["x"]},
                "range": [-0.5, frames - 0.5],
                "dtick": 1 if frames <= 20 else None,
            },
            "height": max(260, 60 + 16 * states),
            "showlegend": False,
            "margin": TIGHT,
        },
    )
