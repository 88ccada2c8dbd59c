"""Every chart of the app goes through `show`: presentation mode's larger fonts and lines, and a
CSV of the figure's data beside Plotly's own PNG download (made only when clicked: a rerun builds
no CSV and stores no file, and the click does not rerun the page)."""

from __future__ import annotations

import streamlit as st

from ui.figures.export import figure_csv
from ui.kit.i18n import t
from ui.kit.lecture import presenting

# The toolbar keeps what a lecture uses: the PNG download, reset axes and Streamlit's fullscreen. The
# zoom, pan, zoom in/out and autoscale buttons were five more tab stops per chart for a keyboard
# (a drag still zooms with a mouse; reset axes undoes it).
CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "modeBarButtonsToRemove": ["zoom2d", "pan2d", "zoomIn2d", "zoomOut2d", "autoScale2d"],
}


def show(fig, key: str, csv: bool = True, taller: bool = True) -> None:
    """`taller`: whether presentation mode may make the figure taller (not the loss page's curve,
    which shares the screen with the controls and the value)."""
    if presenting():
        fig = fig.presented(taller)
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
