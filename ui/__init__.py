"""Shared UI: figure builders (plotly only, pure) and widget/page helpers (streamlit)."""
