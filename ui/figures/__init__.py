"""Figure builders: pure functions from core's results (numpy) and translated labels to figures
as plain dicts. Import what you need from its module; this package re-exports nothing.

- `base`: colours, legend and margins, float32 arrays, `nice_range`, the axes of two panels;
- `loss`: a loss page's curve and the CTC heatmaps; `lines`: several losses on shared axes;
- `geometry`: a loss over a plane, the triplet, two vectors, scores and shares;
- `training`: the playground's fit, boundaries and history; `export`: CSV and the SVG thumbnail;
- `adapter`: the only module touching plotly's and Streamlit's internals (the fast figure path).

Nothing here imports streamlit (tests/core/test_layering.py)."""
