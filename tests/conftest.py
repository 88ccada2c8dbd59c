"""Shared test settings: hypothesis profiles (HYPOTHESIS_PROFILE=thorough for a long local run),
plotly's validation of every figure the tests make (the app skips it for speed), and one scan of
the installed packages for Streamlit components per test run instead of one per AppTest."""

import functools
import os

import plotly.graph_objects as go
import pytest
from hypothesis import settings
from streamlit import config as streamlit_config
from streamlit.components.v2 import manifest_scanner

# The default run draws the same examples every time (derandomize): CI passes or fails on the code,
# not on the draw; "thorough" explores new, random examples (run it before a release, and on a change
# to a claim).
settings.register_profile("default", max_examples=40, deadline=None, derandomize=True)
settings.register_profile("thorough", max_examples=600, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# The app shows a visitor no exception's details (.streamlit/config.toml: client.showErrorDetails =
# "none"), and AppTest honours that; the tests must read the message and the stack of any exception.
streamlit_config.set_option("client.showErrorDetails", "full")

# Every new AppTest scans the metadata of every installed package for Streamlit v2 components
# (~0.33 s, 95 % of opening a page in AppTest). The app uses none, and the installed packages do
# not change during a test run: scan once.
manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)


def validated(build):
    """`ui.figures.adapter.figure`, then plotly's full validation of what it made: an unknown or invalid
    property raises ValueError, as it would have in the app before validation was skipped."""

    def checked(data, layout):
        fig = build(data, layout)
        go.Figure(fig.spec)
        return fig

    return checked


@pytest.fixture(autouse=True, scope="session")
def _figures_are_validated():
    from ui.figures import adapter

    original = adapter.figure
    adapter.figure = validated(original)
    yield
    adapter.figure = original


@pytest.fixture
def one_thread():
    """torch on one thread, as the server runs it (ui/kit/startup.py): timings and memory measured as
    the app measures them; two threads on a busy two-core machine spin. (Use it per module with
    `pytestmark = pytest.mark.usefixtures("one_thread")`.)"""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)
