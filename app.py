"""Loss Explorer, home page: what the app is, and the catalog of every torch.nn loss it covers."""

import pandas as pd
import streamlit as st

from core.catalog import LOSSES
from core.spec import FAMILIES

FAMILY_TITLES = {
    "regression": "Regression",
    "probabilistic": "Probabilistic",
    "classification": "Classification",
    "margin": "Margin & ranking",
    "embedding": "Embedding",
    "sequence": "Sequence",
}

st.set_page_config(page_title="Loss Explorer", page_icon="📉", layout="wide")
st.title("Loss Explorer")
st.write(
    "See every loss function of `torch.nn` at work: set the inputs, the targets and the loss's own "
    "parameters, and read the value, the curve and the gradient computed by real PyTorch. "
    f"The catalog below lists all {len(LOSSES)} losses, by family."
)

for family in FAMILIES:
    specs = [s for s in LOSSES if s.family == family]
    st.subheader(FAMILY_TITLES[family])
    st.dataframe(
        pd.DataFrame(
            {
                "Loss": [s.title for s in specs],
                "What it does": [s.summary for s in specs],
                "Parameters": [", ".join(p.name for p in s.params) for s in specs],
                "Article example": ["✓" if any(p.key == "article" for p in s.presets) else "" for s in specs],
            }
        ),
        hide_index=True,
        width="stretch",
    )
