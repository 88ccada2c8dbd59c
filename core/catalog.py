"""The catalog: every loss of torch.nn, one `LossSpec` each, in the order the app shows them."""

from __future__ import annotations

from core.losses.classification import (
    BCE,
    BCE_LOGITS,
    CROSS_ENTROPY,
    LINEAR_CROSS_ENTROPY,
    MULTILABEL_SOFT_MARGIN,
    NLL,
)
from core.losses.embedding import COSINE_EMBEDDING, TRIPLET_DISTANCE, TRIPLET_MARGIN
from core.losses.margin import HINGE_EMBEDDING, MARGIN_RANKING, MULTI_MARGIN, MULTILABEL_MARGIN, SOFT_MARGIN
from core.losses.probabilistic import GAUSSIAN, KL_DIV, POISSON
from core.losses.regression import HUBER, L1, MSE, SMOOTH_L1
from core.losses.sequence import CTC
from core.spec import LossSpec

LOSSES: tuple[LossSpec, ...] = (
    # regression
    L1,
    MSE,
    SMOOTH_L1,
    HUBER,
    # probabilistic
    POISSON,
    GAUSSIAN,
    KL_DIV,
    # classification
    BCE,
    BCE_LOGITS,
    CROSS_ENTROPY,
    LINEAR_CROSS_ENTROPY,
    NLL,
    MULTILABEL_SOFT_MARGIN,
    # margin & ranking
    MARGIN_RANKING,
    HINGE_EMBEDDING,
    SOFT_MARGIN,
    MULTI_MARGIN,
    MULTILABEL_MARGIN,
    # embedding
    COSINE_EMBEDDING,
    TRIPLET_MARGIN,
    TRIPLET_DISTANCE,
    # sequence
    CTC,
)

BY_KEY: dict[str, LossSpec] = {spec.key: spec for spec in LOSSES}


def get(key: str) -> LossSpec:
    return BY_KEY[key]
