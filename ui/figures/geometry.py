"""The 2-D views of a loss page: a loss over a plane of two inputs, the triplet in the plane, two
embedding vectors, and each class's score beside its share of the loss."""

from __future__ import annotations

import numpy as np

from ui.figures import adapter
from ui.figures.adapter import Figure
from ui.figures.base import LOSS_COLOR, TIGHT, TITLED, axes, cols, f32, nice_range, point_trace


def plane_figure(plane, labels: dict, lines: tuple = ()) -> Figure:
    """A loss over a plane of two inputs (core.geometry.Plane) as filled contours, the current point
    marked; a second panel for `plane.extra` (a probability) when there is one. `lines`:
    (name, x, y) boundaries drawn on the loss panel (a margin band)."""
    panels = 2 if plane.extra is not None else 1
    # between the panels: the left colorbar, its labels, and the right panel's axis and title (0.18
    # was too little on a projector's narrow column: the right panel's title ran into the labels)
    gap = 0.26
    grid = {
        "x0": float(plane.x[0]),
        "dx": float(plane.x[1] - plane.x[0]),
        "y0": float(plane.y[0]),
        "dy": float(plane.y[1] - plane.y[0]),
    }
    hover = labels["x"] + " %{x:.3g}, " + labels["y"] + " %{y:.3g}: %{z:.4g}<extra></extra>"
    data = [
        {
            "type": "contour",
            "z": f32(plane.loss),
            **grid,
            "colorscale": "Oranges",
            "hovertemplate": hover,
            "contours": {"showlabels": True},
            "colorbar": {"x": (1 - gap) / 2 if panels == 2 else 1.0, "thickness": 10},
        }
    ]
    if panels == 2:
        data.append(
            {
                "type": "contour",
                "z": f32(plane.extra),
                **grid,
                "colorscale": "Blues",
                "zmin": 0,
                "zmax": 1,
                "hovertemplate": hover,
                "contours": {"showlabels": True},
                "colorbar": {"thickness": 10},
                **axes(2),
            }
        )
    for name, x, y in lines:
        data.append(
            {
                "type": "scatter",
                "x": f32(x),
                "y": f32(y),
                "mode": "lines",
                "name": name,
                "hoverinfo": "skip",
                "line": {"color": "#1971c2", "width": 2, "dash": "dash"},
            }
        )
    for col in range(1, panels + 1):
        data.append(point_trace(plane.point, labels["point"], showlegend=col == 1, **axes(col)))
    titles = (labels["loss"], labels["extra"]) if panels == 2 else (labels["loss"],)
    layout = cols(gap, titles) if panels == 2 else {"annotations": cols(gap, titles)["annotations"]}
    if panels == 1:
        layout["annotations"][0]["x"] = 0.5
    for col in range(1, panels + 1):
        suffix = "" if col == 1 else str(col)
        layout.setdefault(f"xaxis{suffix}", {}).update(
            title={"text": labels["x"]}, range=[float(plane.x[0]), float(plane.x[-1])], constrain="domain"
        )
        layout.setdefault(f"yaxis{suffix}", {}).update(
            title={"text": labels["y"]},
            range=[float(plane.y[0]), float(plane.y[-1])],
            scaleanchor=f"x{suffix}",
            scaleratio=1,
            constrain="domain",
        )
    return adapter.figure(data, {**layout, "height": 430, "margin": TITLED, "showlegend": False})


def triplet_figure(points, ring: np.ndarray, labels: dict, swap: bool) -> Figure:
    """Anchor, positive and negative in the plane, their distances, the margin ring around the anchor
    or rings (core.geometry.margin_rings: a negative outside them costs nothing) and arrows where
    gradient descent would move each point."""
    data = [
        {
            "type": "scatter",
            "x": f32(ring[:, 0]),
            "y": f32(ring[:, 1]),
            "mode": "lines",
            "name": labels["ring"],
            "line": {"color": "#868e96", "dash": "dash"},
            "hoverinfo": "skip",
        }
    ]
    pairs = [("anchor", "positive", points.d_pos, "#2f9e44"), ("anchor", "negative", points.d_neg, "#e03131")]
    if swap:
        pairs.append(("positive", "negative", points.d_swap, "#9c36b5"))
    for a, b, d, color in pairs:
        pa, pb = getattr(points, a), getattr(points, b)
        data.append(
            {
                "type": "scatter",
                "x": [pa[0], pb[0]],
                "y": [pa[1], pb[1]],
                "mode": "lines+text",
                "line": {"color": color},
                "text": ["", f"d = {d:.3g}"],
                "textposition": "top center",
                "name": f"d({a[0]}, {b[0]})",
                "hoverinfo": "skip",
            }
        )
    colors = {"anchor": "#1971c2", "positive": "#2f9e44", "negative": "#e03131"}
    arrows = []
    for name, color in colors.items():
        point = getattr(points, name)
        data.append(
            {
                "type": "scatter",
                "x": [point[0]],
                "y": [point[1]],
                "mode": "markers+text",
                "text": [labels[name]],
                "textposition": "bottom center",
                "marker": {"size": 15, "color": color},
                "name": labels[name],
                "hovertemplate": labels[name] + ": (%{x:.3g}, %{y:.3g})<extra></extra>",
            }
        )
        step = -np.asarray(points.grads[name])  # descent moves against the gradient
        if np.linalg.norm(step) > 1e-9:
            arrows.append(
                {
                    "x": float(point[0] + 0.6 * step[0]),
                    "y": float(point[1] + 0.6 * step[1]),
                    "ax": float(point[0]),
                    "ay": float(point[1]),
                    "xref": "x",
                    "yref": "y",
                    "axref": "x",
                    "ayref": "y",
                    "showarrow": True,
                    "arrowhead": 3,
                    "arrowwidth": 2.5,
                    "arrowcolor": color,
                    "text": "",
                }
            )
    return adapter.figure(
        data,
        {
            "xaxis": {"range": [-3.5, 3.5], "zeroline": True},
            "yaxis": {"range": [-3.5, 3.5], "scaleanchor": "x", "scaleratio": 1},
            "annotations": arrows,
            "height": 480,
            "margin": TIGHT,
            "showlegend": False,
        },
    )


def vectors_figure(x1, x2, labels: dict) -> Figure:
    """Two 2-D vectors as arrows from the origin."""
    data = [
        {
            "type": "scatter",
            "x": [0, vec[0]],
            "y": [0, vec[1]],
            "mode": "lines+text",
            "text": ["", name],
            "textposition": "top center",
            "line": {"color": color, "width": 4},
            "name": name,
            "hovertemplate": name + ": (%{x:.3g}, %{y:.3g})<extra></extra>",
        }
        for vec, name, color in ((x1, labels["x1"], "#1971c2"), (x2, labels["x2"], LOSS_COLOR))
    ]
    return adapter.figure(
        data,
        {
            "xaxis": {"range": [-3.2, 3.2], "zeroline": True},
            "yaxis": {"range": [-3.2, 3.2], "scaleanchor": "x", "scaleratio": 1, "zeroline": True},
            "height": 380,
            "margin": TIGHT,
            "showlegend": False,
        },
    )


def bars_figure(scores, shares, names, targets, labels: dict) -> Figure:
    """Each class's score and its share of the loss; the true classes outlined."""
    outline = ["#212529" if target else "rgba(0,0,0,0)" for target in targets]
    hover = "%{x}: %{y:.4g}<extra></extra>"
    data = [
        {
            "type": "bar",
            "x": list(names),
            "y": f32(scores),
            "hovertemplate": hover,
            "marker": {"color": "#1971c2", "line": {"color": outline, "width": 3}},
        },
        {
            "type": "bar",
            "x": list(names),
            "y": f32(shares),
            "hovertemplate": hover,
            "marker": {"color": LOSS_COLOR, "line": {"color": outline, "width": 3}},
            **axes(2),
        },
    ]
    layout = cols(0.12, (labels["scores"], labels["shares"]))
    layout["yaxis"]["range"] = nice_range(np.append(scores, 0))
    layout["yaxis2"]["range"] = nice_range(np.append(shares, 0))
    return adapter.figure(data, {**layout, "height": 330, "margin": TITLED, "showlegend": False})
