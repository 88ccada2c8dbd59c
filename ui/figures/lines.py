"""Several losses on shared axes (core.compare.Line): the Compare page, and one loss under both
labels (ui/views/loss/extras.py)."""

from __future__ import annotations

import numpy as np

from ui.figures import adapter
from ui.figures.adapter import Figure
from ui.figures.base import LEGEND, PALETTE, TOOLBAR, axes, f32, grid, nice_range, rows


def _same_curve(a, b) -> bool:
    return a.x.shape == b.x.shape and np.allclose(a.x, b.x) and np.allclose(a.loss, b.loss, equal_nan=True)


def lines_figure(lines, labels: dict, point: float | None = None) -> Figure:
    """Several losses on shared axes (core.compare.Line): the losses on top, their gradients below.
    Each line in its palette slot (Line.color: the same colour whichever others are shown), or by its
    position when it names none. A reference that is not a torch loss (the 0-1 loss) is dotted;
    `point` marks an x (an outlier)."""
    data = []
    for i, line in enumerate(lines):
        style = {
            "color": PALETTE[(i if line.color is None else line.color) % len(PALETTE)],
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
                    **grid(line.x),
                    "y": f32(y),
                    "name": line.label,
                    "legendgroup": line.key,
                    "line": style,
                    "showlegend": row == 1,
                    "hovertemplate": line.label + ": %{x:.4g} → %{y:.5g}<extra></extra>",
                    **axes(row),
                }
            )
    layout = rows()
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
    return adapter.figure(
        data,
        {
            **layout,
            "height": 560,
            "margin": TOOLBAR,
            "hovermode": "closest",
            "legend": LEGEND,
        },
    )
