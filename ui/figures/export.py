"""Figures leaving the chart: a figure's data as CSV, and a loss curve as a small SVG line for the
home gallery."""

from __future__ import annotations

import csv
import io

import numpy as np

from ui.figures.adapter import Figure
from ui.figures.base import LOSS_COLOR, nice_range


def figure_csv(fig: Figure) -> str:
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
