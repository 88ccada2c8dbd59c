"""A linear head over the plane of its 2-D input (core.geometry.HeadPlane): the loss as filled
contours, the boundaries between the classes the head predicts, each class's direction w_c as an
arrow from the origin, and the current input marked."""

from __future__ import annotations

import numpy as np

from ui.figures import adapter
from ui.figures.adapter import Figure
from ui.figures.base import TITLED, f32, panel_title, point_trace

# One colour per class (the loss's contours are orange): blue, green, purple, then dark grey.
CLASS_COLORS = ("#1971c2", "#2f9e44", "#9c36b5", "#495057")
BOUNDARY_COLOR = "#212529"


def class_color(c: int) -> str:
    return CLASS_COLORS[min(c, len(CLASS_COLORS) - 1)]


def head_figure(plane, labels: dict) -> Figure:
    """`labels`: "x", "y" (the axes), "loss" (the panel's title), "point" (the current input),
    "boundary", "classes" (a name per class, written in its region) and "arrows" (a name per class
    direction, written at its tip). The target class's arrow (an index target's) is drawn thicker."""
    low, high = float(plane.x[0]), float(plane.x[-1])
    hover = labels["x"] + " %{x:.3g}, " + labels["y"] + " %{y:.3g}: %{z:.4g}<extra></extra>"
    data: list[dict] = [
        {
            "type": "contour",
            "z": f32(plane.loss),
            "x0": low,
            "dx": float(plane.x[1] - plane.x[0]),
            "y0": float(plane.y[0]),
            "dy": float(plane.y[1] - plane.y[0]),
            "colorscale": "Oranges",
            "hovertemplate": hover,
            "contours": {"showlabels": True},
            # below the plot, centred on it: the square plot is narrower than the figure on a wide
            # screen, and a colorbar at the figure's right edge stood far from it
            "colorbar": {
                "orientation": "h",
                "thickness": 10,
                "lenmode": "pixels",
                "len": 260,
                "x": 0.5,
                "xanchor": "center",
                "yref": "container",
                "y": 0,
                "yanchor": "bottom",
            },
        },
        {
            "type": "scatter",
            "x": f32(plane.boundaries[:, 0]),
            "y": f32(plane.boundaries[:, 1]),
            "mode": "lines",
            "name": labels["boundary"],
            "hoverinfo": "skip",
            "connectgaps": False,
            "line": {"color": BOUNDARY_COLOR, "width": 2},
        },
    ]
    shown = [c for c in range(len(plane.weight)) if np.isfinite(plane.spots[c]).all()]
    data.append(
        {
            "type": "scatter",
            "x": [float(plane.spots[c][0]) for c in shown],
            "y": [float(plane.spots[c][1]) for c in shown],
            "mode": "text",
            "text": [labels["classes"][c] for c in shown],
            "textfont": {"color": [class_color(c) for c in shown], "size": 13},
            "name": labels["boundary"],
            "hoverinfo": "skip",
        }
    )
    # each arrow's name beside it, short of its tip (which points into its class's region, named there)
    tips = np.asarray(plane.weight, dtype=float)
    lengths = np.linalg.norm(tips, axis=1, keepdims=True)
    unit = np.divide(tips, lengths, out=np.zeros_like(tips), where=lengths > 1e-9)
    beside = 0.7 * tips + 0.3 * np.stack([-unit[:, 1], unit[:, 0]], 1)
    data.append(
        {
            "type": "scatter",
            "x": f32(beside[:, 0]),
            "y": f32(beside[:, 1]),
            "mode": "text",
            "text": list(labels["arrows"]),
            "textfont": {"color": [class_color(c) for c in range(len(tips))], "size": 16},
            "name": labels["arrows"][0],
            "hovertemplate": "%{text}<extra></extra>",
        }
    )
    data.append(point_trace(plane.point, labels["point"], f"{plane.point_loss:.4g}"))
    arrows = [
        {
            "x": float(tip[0]),
            "y": float(tip[1]),
            "ax": 0.0,
            "ay": 0.0,
            "xref": "x",
            "yref": "y",
            "axref": "x",
            "ayref": "y",
            "showarrow": True,
            "arrowhead": 3,
            "arrowwidth": 4 if c == plane.target else 2.5,
            "arrowcolor": class_color(c),
            "text": "",
        }
        for c, tip in enumerate(tips)
        if np.linalg.norm(tip) > 1e-9
    ]
    return adapter.figure(
        data,
        {
            "xaxis": {"title": {"text": labels["x"]}, "range": [low, high], "constrain": "domain", "zeroline": True},
            "yaxis": {
                "title": {"text": labels["y"]},
                "range": [float(plane.y[0]), float(plane.y[-1])],
                "scaleanchor": "x",
                "scaleratio": 1,
                "constrain": "domain",
                "zeroline": True,
            },
            "annotations": [panel_title(labels["loss"]), *arrows],
            "height": 520,
            "margin": {**TITLED, "b": 60},
            "showlegend": False,
        },
    )
