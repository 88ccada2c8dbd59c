"""Every chart of the app goes through `show`: presentation mode's larger fonts and lines, and a
CSV of the figure's data beside Plotly's own PNG download (made only when clicked: a rerun builds
no CSV and stores no file, and the click does not rerun the page)."""

from __future__ import annotations

import streamlit as st

from ui.figures import figure_csv
from ui.i18n import t
from ui.lecture import presenting

CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}


def show(fig, key: str, csv: bool = True) -> None:
    if presenting():
        fig = fig.presented()
    st.plotly_chart(fig.for_streamlit(), key=key, config=CONFIG)
    if csv:
        st.download_button(
            t("Data as CSV"),
            lambda: figure_csv(fig),
            file_name=f"{key}.csv",
            mime="text/csv",
            key=f"{key}.csv",
            on_click="ignore",
            icon=":material/download:",
        )


def show_in(where, fig, key: str, csv: bool = True) -> None:
    """`show` inside a column or container."""
    with where:
        show(fig, key, csv)
