"""Shared test settings: hypothesis profiles (HYPOTHESIS_PROFILE=thorough for a long local run),
and plotly's validation of every figure the tests make (the app skips it for speed)."""

import os

import plotly.graph_objects as go
import pytest
from hypothesis import settings

settings.register_profile("default", max_examples=40, deadline=None)
settings.register_profile("thorough", max_examples=600, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def validated(build):
    """`ui.figures._figure`, then plotly's full validation of what it made: an unknown or invalid
    property raises ValueError, as it would have in the app before validation was skipped."""

    def checked(data, layout):
        fig = build(data, layout)
        go.Figure(fig.to_dict())
        return fig

    return checked


@pytest.fixture(autouse=True, scope="session")
def _figures_are_validated():
    import ui.figures

    original = ui.figures._figure
    ui.figures._figure = validated(original)
    yield
    ui.figures._figure = original
