"""The fast figure path: the only module of ui/figures that touches plotly's object model and the
internals Streamlit relies on (`BaseFigure`, `convert_to_base64`). Builders hand `figure` plain
dicts; Streamlit gets them as base64 typed arrays without plotly building or validating anything.
tests/ui/test_figures.py checks, for every builder, that what Streamlit gets equals what plotly's
own validated `go.Figure(spec).to_dict()` makes (less the template): a plotly upgrade that changes
either side fails there."""

from __future__ import annotations

import functools

# Imported here, before any figure exists: plotly looks pandas up in sys.modules without the import
# lock, so a session drawing a chart while another session's first run is still importing pandas
# saw a half-initialized module (AttributeError: no 'Series'; bench/load.py, a class at cold start).
import pandas  # noqa: F401
import plotly.graph_objects as go
from _plotly_utils.basevalidators import ColorscaleValidator
from _plotly_utils.utils import convert_to_base64
from plotly.basedatatypes import BaseFigure

# An empty template: plotly's default one is ~7 KB of JSON per figure, and Streamlit's own theme
# styles the chart in the browser anyway (theme="streamlit").
NO_TEMPLATE: dict = {}


class Figure:
    """A figure as the plain dicts its builder made. Streamlit gets it without plotly's object
    model: building a go.Figure and copying it back to a dict was a third of a loss page's rerun
    (a class at once, bench/load.py). Anything else (the tests, the CSV, plotly's API) reads the
    go.Figure, built on first use."""

    def __init__(self, spec: dict):
        self.spec = spec
        self._plotly: go.Figure | None = None

    def plotly(self) -> go.Figure:
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

    def presented(self, taller: bool = True) -> Figure:
        """For a projector: larger text, a taller figure (unless not `taller`), thicker lines."""
        spec = _clean(self.spec)
        layout = spec["layout"]
        layout["font"] = {**layout.get("font", {}), "size": 20}
        layout["height"] = (layout.get("height") or 450) * (1.25 if taller else 1)
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


def figure(data: list, layout: dict) -> Figure:
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
    """As plotly's validation expands it (plotly.colors.get_colorscale spaces the stops a last
    digit apart: 0.7777777777777777 where validation has 0.7777777777777778)."""
    return ColorscaleValidator("colorscale", "heatmap").validate_coerce(name)
