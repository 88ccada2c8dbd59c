"""Opening a page of the app in AppTest (deploy/apptest.py), and reading what it shows."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from core.spec import LossSpec
from deploy.apptest import TIMEOUT, open_page
from deploy.server import ROOT

__all__ = ["ROOT", "TIMEOUT", "main_value", "open_page", "open_tab", "shown"]


def open_tab(at: AppTest, spec: LossSpec, panel: str, label: str) -> AppTest:
    """Open a loss page's tab (only the open tab's content runs), as a click does: the tab's state
    and the panel the page remembers across languages."""
    at.session_state[f"{spec.key}.tab"] = label
    at.session_state[f"{spec.key}.panel"] = panel
    return at.run()


def shown(at: AppTest) -> tuple:
    """What a change must alter: the metrics, the tables, the charts' figures, the formulas and the code."""
    return (
        tuple(m.value for m in at.metric),
        tuple(d.value.to_json() for d in at.dataframe),
        tuple(c.proto.spec for c in at.get("plotly_chart")),
        tuple(x.value for x in at.latex),
        tuple(c.value for c in at.code),
    )


def main_value(at: AppTest) -> str:
    return at.metric[0].value
