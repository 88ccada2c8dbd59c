"""Figure builders: pure functions from core's results (numpy) and translated labels to
`go.Figure`. Arrays go out as float32 (half the bytes; DESIGN.md §5); axis ranges are fixed so a
rerun does not make the view jump."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

LOSS_COLOR = "#d9480f"
GRAD_COLOR = "#1971c2"
OVERLAY_COLORS = ("#868e96", "#2f9e44", "#9c36b5", "#e8590c", "#0c8599")


# An empty template: plotly's default one is ~7 KB of JSON per figure, and Streamlit's own theme
# styles the chart in the browser anyway (theme="streamlit").
NO_TEMPLATE = go.layout.Template()


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


def _grid(x) -> dict:
    """An evenly spaced x as start and step: the figure then carries no x arrays at all."""
    return {"x0": float(x[0]), "dx": float(x[1] - x[0])}


def curve_figure(curve, labels: dict, overlays: tuple = ()) -> go.Figure:
    """The loss (top) and its gradient (bottom) along the swept input, the current point marked.

    curve: core.compute.Curve; overlays: (name, Curve) pairs drawn dashed for comparison;
    labels: x, loss, grad, point (translated).
    """
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.07, row_heights=[0.6, 0.4])
    fig.update_layout(template=NO_TEMPLATE)
    for i, (name, other) in enumerate(overlays):
        style = dict(color=OVERLAY_COLORS[i % len(OVERLAY_COLORS)], width=1.5, dash="dash")
        hover = "%{x:.4g}: %{y:.5g}<extra>" + name + "</extra>"
        for row, y in ((1, other.loss), (2, other.grad)):
            fig.add_trace(
                go.Scatter(
                    **_grid(other.x),
                    y=f32(y),
                    name=name,
                    line=style,
                    legendgroup=name,
                    showlegend=row == 1,
                    hovertemplate=hover,
                ),
                row,
                1,
            )
    for row, y, name, color in (
        (1, curve.loss, labels["loss"], LOSS_COLOR),
        (2, curve.grad, labels["grad"], GRAD_COLOR),
    ):
        hover = labels["x"] + " = %{x:.4g}<br>" + name + " = %{y:.6g}<extra></extra>"
        fig.add_trace(
            go.Scatter(**_grid(curve.x), y=f32(y), name=name, line=dict(color=color, width=3), hovertemplate=hover),
            row,
            1,
        )
    for row, y, color in ((1, curve.loss0, LOSS_COLOR), (2, curve.grad0, GRAD_COLOR)):
        fig.add_trace(
            go.Scatter(
                x=[curve.x0],
                y=[y],
                mode="markers",
                name=labels["point"],
                showlegend=row == 1,
                marker=dict(size=13, color=color, line=dict(color="white", width=2)),
                hovertemplate=labels["point"] + ": %{x:.4g} → %{y:.6g}<extra></extra>",
            ),
            row,
            1,
        )
    every = (curve,) + tuple(c for _, c in overlays)
    fig.update_xaxes(range=[float(curve.x[0]), float(curve.x[-1])], showgrid=True)
    fig.update_xaxes(title_text=labels["x"], row=2, col=1)
    fig.update_yaxes(title_text=labels["loss"], range=nice_range(*(c.loss for c in every)), row=1, col=1)
    fig.update_yaxes(title_text=labels["grad"], range=nice_range(*(c.grad for c in every)), row=2, col=1)
    fig.update_layout(
        height=520,
        margin=dict(l=10, r=10, t=30, b=10),
        hovermode="closest",
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
    )
    return fig


def thumbnail_figure(x, y) -> go.Figure:
    """A small line of a loss curve for the home gallery: no axes, no interaction."""
    fig = go.Figure(
        go.Scatter(x=f32(x), y=f32(y), mode="lines", line=dict(color=LOSS_COLOR, width=2.5), hoverinfo="skip")
    )
    fig.update_xaxes(visible=False, range=[float(x[0]), float(x[-1])])
    fig.update_yaxes(visible=False, range=nice_range(y))
    fig.update_layout(
        template=NO_TEMPLATE, height=90, margin=dict(l=0, r=0, t=0, b=0), showlegend=False, dragmode=False
    )
    return fig


def heatmap_figure(z, x_labels, y_labels, labels: dict, bound: float | None = None) -> go.Figure:
    """A time × class heatmap (CTC gradient), diverging around zero, symmetric to ±bound."""
    z = f32(z)
    if bound is None:
        bound = float(np.nanmax(np.abs(z))) if z.size and np.isfinite(z).any() else 1.0
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=list(x_labels),
            y=list(y_labels),
            colorscale="RdBu",
            zmid=0,
            zmin=-bound,
            zmax=bound,
            hovertemplate=labels["x"] + " %{x}, " + labels["y"] + " %{y}: %{z:.4g}<extra></extra>",
        )
    )
    fig.update_layout(
        template=NO_TEMPLATE,
        height=320,
        margin=dict(l=10, r=10, t=10, b=10),
        xaxis_title=labels["x"],
        yaxis_title=labels["y"],
    )
    fig.update_xaxes(dtick=1 if len(list(x_labels)) <= 20 else None)
    return fig


def lattice_figure(z, state_names, labels: dict, path=None, colorscale="Viridis", zmin=None, zmax=None) -> go.Figure:
    """A time × extended-target heatmap (alpha, beta, occupancy). Cells off every valid alignment
    (−inf in log space) are left blank; the best path is drawn on top.

    State names repeat (∅ sits between every pair of labels), so rows are positions with names as ticks.
    """
    z = np.asarray(z, dtype=np.float64).T  # rows: states, columns: frames
    z = np.where(np.isfinite(z), z, np.nan).astype(np.float32)
    frames, states = z.shape[1], z.shape[0]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x0=0,
            dx=1,
            y0=0,
            dy=1,
            colorscale=colorscale,
            zmin=zmin,
            zmax=zmax,
            hovertemplate=labels["x"] + " %{x}, " + labels["y"] + " %{y}: %{z:.4g}<extra></extra>",
            colorbar=dict(thickness=12),
        )
    )
    if path:
        fig.add_trace(
            go.Scatter(
                x=np.arange(frames),
                y=np.asarray(path),
                mode="lines+markers",
                name=labels["path"],
                line=dict(color="white", width=3),
                marker=dict(size=7, color="#d9480f", line=dict(color="white", width=1.5)),
                hovertemplate=labels["path"] + ": t %{x} → %{y}<extra></extra>",
            )
        )
    fig.update_yaxes(
        tickmode="array",
        tickvals=list(range(states)),
        ticktext=list(state_names),
        title_text=labels["y"],
        autorange=True,
    )
    fig.update_xaxes(title_text=labels["x"], range=[-0.5, frames - 0.5], dtick=1 if frames <= 20 else None)
    fig.update_layout(
        template=NO_TEMPLATE, height=max(260, 60 + 16 * states), showlegend=False, margin=dict(l=10, r=10, t=10, b=10)
    )
    return fig


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
}


def lines_figure(lines, labels: dict, point: float | None = None) -> go.Figure:
    """Several losses on shared axes (core.compare.Line): the losses on top, their gradients below.
    A reference that is not a torch loss (the 0-1 loss) is dashed; `point` marks an x (an outlier)."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.07, row_heights=[0.6, 0.4])
    for line in lines:
        style = dict(color=LINE_COLORS.get(line.key, "#868e96"), width=2.5, dash=None if line.torch_loss else "dot")
        # BCEWithLogits and SoftMargin draw the same curve: the second one dashed, so both show
        if line.key == "bce_logits" and any(other.key == "soft_margin" for other in lines):
            style["dash"] = "dash"
        for row, y in ((1, line.loss), (2, line.grad)):
            fig.add_trace(
                go.Scatter(
                    **_grid(line.x),
                    y=f32(y),
                    name=line.label,
                    legendgroup=line.key,
                    line=style,
                    showlegend=row == 1,
                    hovertemplate=line.label + ": %{x:.4g} → %{y:.5g}<extra></extra>",
                ),
                row,
                1,
            )
    if point is not None:
        for row in (1, 2):
            fig.add_vline(x=point, line=dict(color="#868e96", width=1, dash="dot"), row=row, col=1)
    x = lines[0].x
    fig.update_xaxes(range=[float(x[0]), float(x[-1])])
    fig.update_xaxes(title_text=labels["x"], row=2, col=1)
    fig.update_yaxes(title_text=labels["loss"], range=nice_range(*(line.loss for line in lines)), row=1, col=1)
    fig.update_yaxes(title_text=labels["grad"], range=nice_range(*(line.grad for line in lines)), row=2, col=1)
    fig.update_layout(
        template=NO_TEMPLATE,
        height=560,
        margin=dict(l=10, r=10, t=30, b=10),
        hovermode="closest",
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
    )
    return fig
