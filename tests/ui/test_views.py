"""The 2-D views are declared on each LossSpec (`view`) and drawn by name: every declared view
exists, and every view is declared by some loss."""

from core.catalog import LOSSES
from ui.geometry import VIEWS


def test_every_declared_view_is_drawn_and_every_view_is_declared():
    declared = {spec.view for spec in LOSSES if spec.view}
    assert declared == set(VIEWS)
    assert {spec.title for spec in LOSSES if spec.view == "logit_plane"} == {"CrossEntropyLoss", "NLLLoss"}
