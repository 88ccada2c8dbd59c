"""Figure builders: pure functions from core's results (numpy) and translated labels to
`go.Figure`. Arrays go out as float32 (half the bytes; docs/architecture.md §3); axis ranges are fixed so a
rerun does not make the view jump."""

from __future__ import annotations

import csv
import functools
import io
import math

import numpy as np

# Imported here, before any figure exists: plotly looks pandas up in sys.modules without the import
# lock, so a session drawing a chart while another session's first run is still importing pandas
# saw a half-initialized module (AttributeError: no 'Series'; bench/load.py, a class at cold start).
import pandas  # noqa: F401
import plotly.colors
import plotly.graph_objects as go
from _plotly_utils.utils import convert_to_base64
from plotly.basedatatypes import BaseFigure

LOSS_COLOR = "#d9480f"
GRAD_COLOR = "#1971c2"
OVERLAY_COLORS = ("#868e96", "#2f9e44", "#9c36b5", "#e8590c", "#0c8599")
# The legend in a row below the plot, at the figure's bottom edge (the bottom margin grows to hold
# it): above the plot, Plotly's toolbar (top right) covered it on a phone.
LEGEND = {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0, "xanchor": "left"}
# Panels titled above the plot: a top margin that holds the titles below Plotly's toolbar (30 put
# them under it on a phone).
TITLED = {"l": 10, "r": 10, "t": 60, "b": 10}


# An empty template: plotly's default one is ~7 KB of JSON per figure, and Streamlit's own theme
# styles the chart in the browser anyway (theme="streamlit").
NO_TEMPLATE: dict = {}


def f32(a) -> np.ndarray:
    return np.asarray(a, dtype=np.float32)


def nice_range(*arrays, pad: float = 0.08, cap: float = 1e4) -> list[float]:
    """A y-range that holds every finite value (clipped to ±cap), padded and rounded outward."""
    values = np.concatenate([np.asarray(a, dtype=float).ravel() for a in arrays])
    values = np.clip(values[np.isfinite(values)], -cap, cap)
    if values.size == 0:
        return [-1.0, 1.0]
    low, high = float(values.min()), float(values.max())
    span = max(high - low, 1e-6)
    low, high = low - pad * span, high + pad * span
    step = 10 ** math.floor(math.log10(span)) / 10
    return [math.floor(low / step) * step, math.ceil(high / step) * step]


class Figure:
    """A figure as the plain dicts its builder made. Streamlit gets it without plotly's object
    model: building a go.Figure and copying it back to a dict was a third of a loss page's rerun
    (a class at once, bench/load.py). Anything else (the tests, the CSV, plotly's API) reads the
    go.Figure, built on first use."""

    def __init__(self, spec: dict):
        self.spec = spec
        self._plotly: go.Figure | None = None

    def plotly(self) -> Figure:
        if self._plotly is None:
            self._plotly = go.Figure(self.spec, _validate=False)
        return self._plotly

    def __getattr__(self, name: str):  # data, layout, to_dict, to_json, ...
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.plotly(), name)

    def for_streamlit(self) -> BaseFigure:
        """What st.plotly_chart takes: a figure whose dict is this one with its arrays as base64
        typed arrays (what go.Figure.to_dict makes; st.plotly_chart only calls to_dict)."""
        ready = _clean(self.spec)  # a copy: the arrays are replaced in it
        convert_to_base64(ready)
        return _Ready(ready)

    def presented(self) -> Figure:
        """For a projector: larger text, a taller figure, thicker lines."""
        spec = _clean(self.spec)
        layout = spec["layout"]
        layout["font"] = {**layout.get("font", {}), "size": 20}
        layout["height"] = (layout.get("height") or 450) * 1.25
        for trace in spec["data"]:
            if trace.get("type") == "scatter":
                trace["line"] = {**trace.get("line", {}), "width": 5}
            if "colorbar" in trace:  # between two panels its labels at 20 would run into the next panel's axis
                trace["colorbar"] = {**trace["colorbar"], "tickfont": {"size": 14}}
        return Figure(spec)


class _Ready(BaseFigure):
    """A plotly figure in Streamlit's eyes (an instance of BaseFigure) that is only its dict."""

    def __init__(self, ready: dict):  # no BaseFigure.__init__: nothing is validated or built
        self.__dict__["_ready"] = ready

    def to_dict(self) -> dict:
        return self.__dict__["_ready"]


def _figure(data: list, layout: dict) -> Figure:
    """A figure from plain dicts, not validated: plotly's subplot and trace helpers cost ~15 ms a
    figure and its validation ~1.3 ms, which every rerun of every session would pay (a class at
    once, bench/load.py). tests/conftest.py validates every figure a test makes instead.
    None values are left out, as validation would."""
    return Figure({"data": _clean(data), "layout": _clean({"template": NO_TEMPLATE, **layout})})


def _clean(value):
    """A copy of dicts and lists (arrays shared) without None values, and named colorscales as
    plotly.py defines them (as validation did: plotly.js has other 'Blues', and no 'Oranges')."""
    if isinstance(value, dict):
        return {
            k: _clean(_colorscale(v) if k == "colorscale" and isinstance(v, str) else v)
            for k, v in value.items()
            if v is not None
        }
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


@functools.cache
def _colorscale(name: str) -> list:
    return plotly.colors.get_colorscale(name)


def _rows(top: float = 0.6, gap: float = 0.07) -> dict:
    """Two panels stacked on one shared x axis: axes x/y on top, x2/y2 below."""
    split = (1 - gap) * (1 - top)
    return {
        "xaxis": {"anchor": "y", "domain": [0, 1], "matches": "x2", "showticklabels": False},
        "yaxis": {"anchor": "x", "domain": [split + gap, 1]},
        "xaxis2": {"anchor": "y2", "domain": [0, 1]},
        "yaxis2": {"anchor": "x2", "domain": [0, split]},
    }


def _cols(gap: float, titles: tuple = ()) -> dict:
    """Two panels side by side: axes x/y on the left, x2/y2 on the right, a title above each."""
    left, right = [0, (1 - gap) / 2], [(1 + gap) / 2, 1]
    layout = {
        "xaxis": {"anchor": "y", "domain": left},
        "yaxis": {"anchor": "x", "domain": [0, 1]},
        "xaxis2": {"anchor": "y2", "domain": right},
        "yaxis2": {"anchor": "x2", "domain": [0, 1]},
    }
    layout["annotations"] = [
        {
            "text": title,
            "x": sum(domain) / 2,
            "y": 1.0,
            "xref": "paper",
            "yref": "paper",
            "xanchor": "center",
            "yanchor": "bottom",
            "showarrow": False,
            "font": {"size": 14},
        }
        for title, domain in zip(titles, (left, right), strict=False)
    ]
    return layout


def _axes(row: int) -> dict:
    """The axes of a trace in panel `row` (1 or 2)."""
    return {} if row == 1 else {"xaxis": "x2", "yaxis": "y2"}


def _grid(x) -> dict:
    """An evenly spaced x as start and step: the figure then carries no x arrays at all."""
    return {"x0": float(x[0]), "dx": float(x[1] - x[0])}


def curve_figure(curve, labels: dict, overlays: tuple = ()) -> Figure:
    """The loss (top) and its gradient (bottom) along the swept input, the current point marked.

    curve: core.compute.Curve; overlays: (name, Curve) pairs drawn dashed for comparison;
    labels: x, loss, grad, point (translated).
    """
    data = []
    for i, (name, other) in enumerate(overlays):
        style = {"color": OVERLAY_COLORS[i % len(OVERLAY_COLORS)], "width": 1.5, "dash": "dash"}
        hover = "%{x:.4g}: %{y:.5g}<extra>" + name + "</extra>"
        for row, y in ((1, other.loss), (2, other.grad)):
            data.append(
                {
                    "type": "scatter",
                    **_grid(other.x),
                    "y": f32(y),
                    "name": name,
                    "line": style,
                    "legendgroup": name,
                    "showlegend": row == 1,
                    "hovertemplate": hover,
                    **_axes(row),
                }
            )
    for row, y, name, color in (
        (1, curve.loss, labels["loss"], LOSS_COLOR),
        (2, curve.grad, labels["grad"], GRAD_COLOR),
    ):
        hover = labels["x"] + " = %{x:.4g}<br>" + name + " = %{y:.6g}<extra></extra>"
        data.append(
            {
                "type": "scatter",
                **_grid(curve.x),
                "y": f32(y),
                "name": name,
                "line": {"color": color, "width": 3},
                "hovertemplate": hover,
                **_axes(row),
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
                **_axes(row),
            }
        )
    every = (curve,) + tuple(c for _, c in overlays)
    layout = _rows()
    span = [float(curve.x[0]), float(curve.x[-1])]
    layout["xaxis"].update(range=span, showgrid=True)
    layout["xaxis2"].update(range=span, showgrid=True, title={"text": labels["x"]})
    layout["yaxis"].update(title={"text": labels["loss"]}, range=nice_range(*(c.loss for c in every)))
    layout["yaxis2"].update(title={"text": labels["grad"]}, range=nice_range(*(c.grad for c in every)))
    return _figure(
        data,
        {
            **layout,
            "height": 520,
            "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
            "hovermode": "closest",
            "legend": LEGEND,
        },
    )


def thumbnail_svg(x, y, width: int = 300, height: int = 90) -> str:
    """A loss curve as a small line for the home gallery, no axes: an SVG image (made by us from
    the numbers only). A whole class opens the home page at once, and 21 Plotly charts were the
    heaviest part of its run and of the students' browsers (bench/load.py)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    low, high = nice_range(y)
    keep = np.isfinite(y)
    px = (x[keep] - x[0]) / (x[-1] - x[0]) * width
    py = height - (np.clip(y[keep], low, high) - low) / (high - low) * height
    points = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(px, py, strict=True))
    return (
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" preserveAspectRatio="none">'
        f'<polyline fill="none" stroke="{LOSS_COLOR}" stroke-width="2.5" stroke-linejoin="round" '
        f'points="{points}"/></svg>'
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
    return _figure(
        data,
        {
            "height": 320,
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
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
    return _figure(
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
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        },
    )


LINE_COLORS = {
    "l1": "#1971c2",
    "mse": "#d9480f",
    "smooth_l1": "#2f9e44",
    "huber": "#9c36b5",
    "gaussian_nll": "#e67700",
    "zero_one": "#495057",
    "hinge": "#1971c2",
    "squared_hinge": "#9c36b5",
    "soft_margin": "#2f9e44",
    "bce_logits": "#d9480f",
    "bce": "#1971c2",
    # one loss under both labels (ui/views/loss/extras.py)
    "label+1": "#1971c2",
    "label-1": "#d9480f",
}


def _same_curve(a, b) -> bool:
    return a.x.shape == b.x.shape and np.allclose(a.x, b.x) and np.allclose(a.loss, b.loss, equal_nan=True)


def lines_figure(lines, labels: dict, point: float | None = None) -> Figure:
    """Several losses on shared axes (core.compare.Line): the losses on top, their gradients below.
    A reference that is not a torch loss (the 0-1 loss) is dotted; `point` marks an x (an outlier)."""
    data = []
    for i, line in enumerate(lines):
        style = {
            "color": LINE_COLORS.get(line.key, "#868e96"),
            "width": 2.5,
            "dash": None if line.torch_loss else "dot",
        }
        # a curve that another one already draws (BCEWithLogits and SoftMargin at y = 1) is dashed, so both show
        if any(_same_curve(line, other) for other in lines[:i]):
            style["dash"] = "dash"
        for row, y in ((1, line.loss), (2, line.grad)):
            data.append(
                {
                    "type": "scatter",
                    **_grid(line.x),
                    "y": f32(y),
                    "name": line.label,
                    "legendgroup": line.key,
                    "line": style,
                    "showlegend": row == 1,
                    "hovertemplate": line.label + ": %{x:.4g} → %{y:.5g}<extra></extra>",
                    **_axes(row),
                }
            )
    layout = _rows()
    span = [float(lines[0].x[0]), float(lines[0].x[-1])]
    layout["xaxis"].update(range=span)
    layout["xaxis2"].update(range=span, title={"text": labels["x"]})
    layout["yaxis"].update(title={"text": labels["loss"]}, range=nice_range(*(line.loss for line in lines)))
    layout["yaxis2"].update(title={"text": labels["grad"]}, range=nice_range(*(line.grad for line in lines)))
    if point is not None:
        layout["shapes"] = [
            {
                "type": "line",
                "x0": point,
                "x1": point,
                "xref": xref,
                "y0": 0,
                "y1": 1,
                "yref": f"{yref} domain",
                "line": {"color": "#868e96", "width": 1, "dash": "dot"},
            }
            for xref, yref in (("x", "y"), ("x2", "y2"))
        ]
    return _figure(
        data,
        {
            **layout,
            "height": 560,
            "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
            "hovermode": "closest",
            "legend": LEGEND,
        },
    )


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
                **_axes(2),
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
        data.append(
            {
                "type": "scatter",
                "x": [plane.point[0]],
                "y": [plane.point[1]],
                "mode": "markers",
                "name": labels["point"],
                "showlegend": col == 1,
                "marker": {"size": 13, "color": LOSS_COLOR, "line": {"color": "white", "width": 2}},
                "hovertemplate": labels["point"] + ": (%{x:.3g}, %{y:.3g})<extra></extra>",
                **_axes(col),
            }
        )
    titles = (labels["loss"], labels["extra"]) if panels == 2 else (labels["loss"],)
    layout = _cols(gap, titles) if panels == 2 else {"annotations": _cols(gap, titles)["annotations"]}
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
    return _figure(data, {**layout, "height": 430, "margin": TITLED, "showlegend": False})


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
    return _figure(
        data,
        {
            "xaxis": {"range": [-3.5, 3.5], "zeroline": True},
            "yaxis": {"range": [-3.5, 3.5], "scaleanchor": "x", "scaleratio": 1},
            "annotations": arrows,
            "height": 480,
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
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
    return _figure(
        data,
        {
            "xaxis": {"range": [-3.2, 3.2], "zeroline": True},
            "yaxis": {"range": [-3.2, 3.2], "scaleanchor": "x", "scaleratio": 1, "zeroline": True},
            "height": 380,
            "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
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
            **_axes(2),
        },
    ]
    layout = _cols(0.12, (labels["scores"], labels["shares"]))
    layout["yaxis"]["range"] = nice_range(np.append(scores, 0))
    layout["yaxis2"]["range"] = nice_range(np.append(shares, 0))
    return _figure(data, {**layout, "height": 330, "margin": TITLED, "showlegend": False})


def figure_csv(fig: go.Figure) -> str:
    """A figure's data as CSV (csv.writer: a name such as "d(a, p)" is quoted, not altered), one row
    per point: trace, x, y (and z for heatmaps and contours)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["trace", "x", "y", "z"])
    for i, trace in enumerate(fig.data):
        name = str(trace.name if trace.name is not None else f"trace {i}")
        if trace.type in ("heatmap", "contour"):
            z = np.asarray(trace.z, dtype=float)
            xs = _axis_values(trace.x, trace.x0, trace.dx, z.shape[1])
            ys = _axis_values(trace.y, trace.y0, trace.dy, z.shape[0])
            writer.writerows(
                [name, xs[c], ys[r], f"{z[r, c]:.8g}"] for r in range(z.shape[0]) for c in range(z.shape[1])
            )
            continue
        y = np.asarray(trace.y if trace.y is not None else [], dtype=object)
        xs = _axis_values(trace.x, trace.x0, trace.dx, len(y))
        writer.writerows([name, x, _cell(v), ""] for x, v in zip(xs, y, strict=True))
    return out.getvalue()


def _axis_values(values, start, step, n: int) -> list:
    if values is not None:
        return [_cell(v) for v in values]
    return [f"{(start or 0) + (1 if step is None else step) * i:.8g}" for i in range(n)]


def _cell(v) -> str:
    return f"{v:.8g}" if isinstance(v, (float, np.floating)) else str(v)


TRAIN_COLORS = ("#d9480f", "#1971c2", "#2f9e44", "#9c36b5", "#e67700")


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
    return _figure(
        data,
        {
            "height": 420,
            "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
            "xaxis": {"title": {"text": "x"}},
            "yaxis": {"title": {"text": "y"}, "range": nice_range(y, *predictions.values())},
            "legend": LEGEND,
        },
    )


def boundary_figure(x, y, axis, predictions: dict, labels: dict) -> Figure:
    """2-D classification: the points by label and each loss's decision boundary P(class 1) = 0.5."""
    x, y = np.asarray(x), np.asarray(y)
    data = []
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
    return _figure(
        data,
        {
            "height": 460,
            "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
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
    return _figure(
        data,
        {
            "height": 300,
            "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
            "xaxis": {"title": {"text": labels["step"]}},
            "yaxis": {"title": {"text": labels["loss"]}},
            "legend": LEGEND,
        },
    )
