"""Embedding losses: CosineEmbedding on two 2-D vectors set by angle and length, and the two
triplet losses on an anchor, a positive and a negative point in the plane."""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

from core.expr import Expr, Let, N, Term, absolute, each, maximum, minimum, sqrt, total
from core.flags import Flag
from core.losses._common import number, reduce, sign
from core.params import REDUCTION, Bool, Choice, Float, eps, margin
from core.presets import Draw, exact, seeded
from core.spec import LossSpec, Preset, Sweep

# ---------------------------------------------------------------- CosineEmbeddingLoss

COS_EPS = float(torch.tensor(1e-12, dtype=torch.float32))  # torch adds it to each squared norm, as a float


def _polar(length, degrees):
    rad = degrees * (math.pi / 180)
    return torch.stack([length * torch.cos(rad), length * torch.sin(rad)], dim=-1)


def _cosine_of(a):
    x1, x2 = a["input1"], a["input2"]
    return (x1 * x2).sum(-1) / torch.sqrt(((x1 * x1).sum(-1) + COS_EPS) * ((x2 * x2).sum(-1) + COS_EPS))


def _cosine_elements(a, p):
    cos = _cosine_of(a)
    y = a["target"]
    return torch.where(y == 1, 1 - cos, torch.where(y == -1, (cos - p["margin"]).clamp(min=0), 0 * cos))


def _cosine_expr(u, v):
    """cos(x₁, x₂) as torch computes it: x₁·x₂ / √((|x₁|² + ε)(|x₂|² + ε)), ε = 1e-12."""
    eps = N(COS_EPS, r"10^{-12}")
    dot = total([N(a) * N(b) for a, b in zip(u, v, strict=True)])
    sq1 = total([N(a) ** 2 for a in u]) + eps
    sq2 = total([N(b) ** 2 for b in v]) + eps
    return dot / sqrt(sq1 * sq2)


def _cosine_terms(a, p):
    y = a["target"].reshape(-1)
    loss = _cosine_elements(a, p).reshape(-1)
    dim = a["input1"].shape[-1]
    x1, x2 = a["input1"].reshape(-1, dim).tolist(), a["input2"].reshape(-1, dim).tolist()
    out = []
    for i, value in enumerate(loss.tolist()):
        cos = _cosine_expr(x1[i], x2[i])
        if y[i] == 1:
            out.append(Term(1 - cos, value, "y = 1"))
        elif y[i] == -1:
            out.append(Term(maximum(0, cos - N(p["margin"])), value, "y = -1"))
        else:  # torch: a label other than ±1 costs nothing
            out.append(Term(None, value, f"y = {float(y[i]):g}"))
    return out


def _zero_vectors(a, pairs: dict, guard: float) -> list[Flag]:
    """The zero vectors of the cosines torch computes (`pairs`: (argument, argument) -> their symbols), by the
    rows they are zero in: a zero_vector flag for each argument that is zero in some row where the other of one
    of its pairs is not, a zero_vectors flag for each pair whose two arguments are zero in the same row."""
    zero = {key: (a[key].detach() == 0).all(-1) for pair in pairs for key in pair}
    both = [
        Flag("zero_vectors", {"point": first, "other": second, "guard": f"{guard:.0e}"})
        for (k1, k2), (first, second) in pairs.items()
        if bool((zero[k1] & zero[k2]).any())
    ]
    alone: dict[str, str] = {}  # argument -> symbol, in the order of first appearance
    for (k1, k2), symbols in pairs.items():
        for key, other, symbol in ((k1, k2, symbols[0]), (k2, k1, symbols[1])):
            if bool((zero[key] & ~zero[other]).any()):
                alone.setdefault(key, symbol)
    return [Flag("zero_vector", {"point": symbol, "guard": f"{guard:.0e}"}) for symbol in alone.values()] + both


COSINE_GUARD = math.sqrt(COS_EPS)  # √(0 + 1e-12): what a zero vector's length becomes in the denominator


COSINE_EMBEDDING = LossSpec(
    key="cosine_embedding",
    overlay=("margin", (-0.5, 0.0, 0.5)),
    view="angle_labels",
    title="CosineEmbeddingLoss",
    family="embedding",
    module=nn.CosineEmbeddingLoss,
    functional=F.cosine_embedding_loss,
    params=(
        REDUCTION,
        margin(
            0.0,
            -1.0,
            1.0,
            help="A dissimilar pair (y = -1) costs cos − margin while its cosine is above the margin, and nothing once it is at or below.",
        ),
    ),
    inputs=(
        number("len1", 1.0, 0.0, 3.0, "The length of x₁."),
        number("angle1", 0.0, -180.0, 180.0, "The direction of x₁.", step=1.0, unit="°"),
        number("len2", 1.0, 0.0, 3.0, "The length of x₂."),
        number("angle2", 60.0, -180.0, 180.0, "The direction of x₂.", step=1.0, unit="°"),
        sign(
            help="1: a similar pair, whose cost 1 − cos is zero only when the vectors point the same way; -1: a dissimilar pair, which costs while its cosine is above the margin."
        ),
    ),
    build=lambda c, p: {
        "input1": _polar(c["len1"], c["angle1"]),
        "input2": _polar(c["len2"], c["angle2"]),
        "target": c["y"].to(torch.float64),
    },
    wrt=("input1", "input2"),
    scratch=lambda a, p: reduce(_cosine_elements(a, p), p["reduction"]),
    terms=_cosine_terms,
    sweep=Sweep("angle2", -180.0, 180.0, "direction of x₂ in degrees (x₁ fixed)"),
    flags=lambda a, p: _zero_vectors(a, {("input1", "input2"): ("x₁", "x₂")}, COSINE_GUARD),
    formula=r"\ell = \begin{cases} 1 - \cos(x_1, x_2) & y = 1 \\ \max\big(0,\ \cos(x_1, x_2) - "
    r"\text{margin}\big) & y = -1 \end{cases}",
    summary="Compares directions, not lengths: similar pairs should align, dissimilar ones fall below a cosine margin.",
    notice="Only the angle matters: multiplying a vector by a positive number leaves the loss unchanged, except for vectors so short that the 1e-12 torch adds to each squared length counts (a zero vector has cosine 0 with everything). Dissimilar pairs cost nothing once their cosine is at or below the margin.",
    batch=(
        {"len1": 1.0, "angle1": 0.0, "len2": 1.0, "angle2": 60.0, "y": 1},
        {"len1": 2.0, "angle1": 30.0, "len2": 0.5, "angle2": 45.0, "y": -1},
    ),
    presets=(
        Preset(
            "article",
            "Article example",
            make=exact(
                input1=[[0.3, 0.5, 0.7], [0.3, 0.5, 0.7]], input2=[[0.1, 0.3, 0.5], [0.1, 0.3, 0.5]], target=[1.0, -1.0]
            ),
            note="x1 = [[0.3, 0.5, 0.7]] twice, x2 = [[0.1, 0.3, 0.5]] twice, y = [1, -1], as in the article.",
        ),
        Preset(
            "opposite",
            "Dissimilar, margin 0.5",
            params={"margin": 0.5},
            values={"y": -1, "angle2": 30.0},
            note="A dissimilar pair whose cosine is above the margin pays cos − margin; turn x₂ away until the "
            "cosine falls to the margin and the cost is zero from there on.",
        ),
    ),
)

# ---------------------------------------------------------------- TripletMarginLoss

POINTS = (
    number("ax", 0.0, -3.0, 3.0, "The anchor's x coordinate."),
    number("ay", 0.0, -3.0, 3.0, "The anchor's y coordinate."),
    number("px", 1.0, -3.0, 3.0, "The positive's x coordinate."),
    number("py", 0.5, -3.0, 3.0, "The positive's y coordinate."),
    number("nx", 1.5, -3.0, 3.0, "The negative's x coordinate."),
    number("ny", -0.5, -3.0, 3.0, "The negative's y coordinate."),
)


def _points(cols, params):
    def point(k):
        return torch.stack([cols[f"{k}x"], cols[f"{k}y"]], dim=-1)

    return {"anchor": point("a"), "positive": point("p"), "negative": point("n")}


def _minkowski(x, y, p, eps):
    """torch.pairwise_distance: the p-norm of x − y + eps."""
    return ((x - y + eps).abs() ** p).sum(-1) ** (1 / p)


def _triplet_distances(
    a: dict[str, torch.Tensor], dist: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    d_pos = dist(a["anchor"], a["positive"])
    d_neg = dist(a["anchor"], a["negative"])
    return d_pos, d_neg, dist(a["positive"], a["negative"])


def _triplet_from(d_pos: torch.Tensor, d_neg: torch.Tensor, d_swap: torch.Tensor, p: dict) -> torch.Tensor:
    if p["swap"]:
        d_neg = torch.minimum(d_neg, d_swap)
    return (p["margin"] + d_pos - d_neg).clamp(min=0)


def _triplet_terms_with(dist, dist_expr):
    """By hand: each distance written out from the coordinates (`dist_expr(u, v, p)`), then the hinge."""

    def terms(a, p):
        d_pos, d_neg, d_swap = (d.reshape(-1) for d in _triplet_distances(a, lambda x, y: dist(x, y, p)))
        loss = _triplet_from(d_pos, d_neg, d_swap, p)
        dim = a["anchor"].shape[-1]
        anchor, pos, neg = (a[k].reshape(-1, dim).tolist() for k in ("anchor", "positive", "negative"))

        def line(i):
            negative: Expr = Let("d(a, n)", dist_expr(anchor[i], neg[i], p))
            if p["swap"]:
                negative = minimum(negative, Let("d(p, n)", dist_expr(pos[i], neg[i], p)))
            return maximum(0, N(p["margin"]) + Let("d(a, p)", dist_expr(anchor[i], pos[i], p)) - negative)

        return each(loss, line)

    return terms


def _minkowski_expr(u, v, p, eps):
    """torch.pairwise_distance written out: (Σ |u_k − v_k + ε|^p)^(1/p)."""
    diffs = [absolute(N(a) - N(b) + N(eps)) for a, b in zip(u, v, strict=True)]
    if p == 1:
        return total(diffs)
    if p == 2:  # |d|² = d²
        return sqrt(total([(N(a) - N(b) + N(eps)) ** 2 for a, b in zip(u, v, strict=True)]))
    return total([d ** N(p) for d in diffs]) ** (1 / N(p))


def _triplet_dist(x, y, p):
    return _minkowski(x, y, p["p"], p["eps"])


SWAP = Bool("swap", False, help="Use the smaller of d(a, n) and d(p, n) as the negative distance.")
TRIPLET_SWEEP = Sweep("nx", -3.0, 3.0, "negative's x coordinate (others fixed)")
TRIPLET_FORMULA = r"\ell = \max\big(0,\ \text{margin} + d(a, p) - d(a, n)\big)"
TRIPLET_BATCH = (
    {"ax": 0.0, "ay": 0.0, "px": 1.0, "py": 0.5, "nx": 1.5, "ny": -0.5},
    {"ax": 0.0, "ay": 0.0, "px": 0.5, "py": 0.0, "nx": 2.5, "ny": 1.0},
)


def _triplet_margin_distance(p):
    """TripletMarginLoss's distance: torch.pairwise_distance with the loss's p and eps, and its ring."""
    return (
        lambda x, y: float(F.pairwise_distance(x, y, p=p["p"], eps=p["eps"])),
        (float(p["p"]), float(p["eps"])),
    )


def _chosen_distance(p):
    """TripletMarginWithDistanceLoss's distance_function (None: torch.pairwise_distance), and its ring:
    torch.pairwise_distance's and nn.PairwiseDistance's eps is 1e-6; the cosine distance has none."""
    function = _DISTANCES[p["distance_function"]] or F.pairwise_distance
    ring = {None: (2.0, 1e-6), "l1": (1.0, 1e-6)}.get(p["distance_function"], (0.0, 0.0))
    return (lambda x, y: float(function(x, y))), ring


TRIPLET_MARGIN = LossSpec(
    key="triplet_margin",
    distance=_triplet_margin_distance,
    overlay=("margin", (0.5, 1.0, 2.0)),
    view="triplet",
    title="TripletMarginLoss",
    family="embedding",
    module=nn.TripletMarginLoss,
    functional=F.triplet_margin_loss,
    params=(
        REDUCTION,
        margin(
            1.0,
            low=0.01,
            help="How much farther from the anchor the negative must be than the positive (torch requires margin > 0).",
        ),
        Float(
            "p",
            2.0,
            low=1.0,
            high=4.0,
            step=0.1,
            help="The p of the distance's p-norm, any real p from 1 to 4 here: 1 is the L1 distance, 2 the Euclidean.",
        ),
        eps(1e-6, "Added to each coordinate of the difference x − y before the norm, as torch.pairwise_distance does."),
        SWAP,
    ),
    inputs=POINTS,
    build=_points,
    wrt=("anchor", "positive", "negative"),
    scratch=lambda a, p: reduce(
        _triplet_from(*_triplet_distances(a, lambda x, y: _triplet_dist(x, y, p)), p), p["reduction"]
    ),
    terms=_triplet_terms_with(_triplet_dist, lambda u, v, p: _minkowski_expr(u, v, p["p"], p["eps"])),
    sweep=TRIPLET_SWEEP,
    formula=TRIPLET_FORMULA + r",\quad d(x, y) = \lVert x - y + \varepsilon \rVert_p",
    summary="The anchor should be closer to the positive than to the negative, by at least the margin.",
    notice="The loss is zero once the negative is farther from the anchor than the positive by the margin; swap also checks the positive–negative distance.",
    batch=TRIPLET_BATCH,
    presets=(
        Preset(
            "article",
            "Article example",
            make=seeded(
                0,
                anchor=Draw("randn", (100, 128)),
                positive=Draw("randn", (100, 128)),
                negative=Draw("randn", (100, 128)),
            ),
            note="anchor, positive and negative: random 100 x 128, as in the article.",
        ),
        Preset(
            "swap",
            "swap finds the harder negative",
            params={"swap": True},
            values={"px": 2.0, "py": 0.0, "nx": 1.8, "ny": 1.2},
            note="The negative is closer to the positive than to the anchor: swap uses d(p, n), and the loss is "
            "larger than without swap.",
        ),
    ),
)

# ---------------------------------------------------------------- TripletMarginWithDistanceLoss

DISTANCE = Choice(
    "distance_function",
    None,
    choices=(None, "cosine", "l1"),
    help="None: torch.pairwise_distance, the L2 norm of x − y + 1e-6; cosine: 1 − F.cosine_similarity(x, y), which clamps each length at 1e-8; l1: nn.PairwiseDistance(p=1), the L1 norm of x − y + 1e-6.",
)
_COSINE_SIM_EPS = 1e-8  # F.cosine_similarity's default


def _cosine_distance(x, y):
    return 1 - F.cosine_similarity(x, y)


_DISTANCES = {None: None, "cosine": _cosine_distance, "l1": nn.PairwiseDistance(p=1)}
_DISTANCE_CODE = {
    None: "None",
    "cosine": "lambda x, y: 1 - F.cosine_similarity(x, y)",
    "l1": "nn.PairwiseDistance(p=1)",
}


def _cosine_pairs(p) -> dict:
    """The pairs torch's triplet loss measures: d(a, p), d(a, n), and with swap d(p, n)."""
    pairs = {("anchor", "positive"): ("a", "p"), ("anchor", "negative"): ("a", "n")}
    return pairs | ({("positive", "negative"): ("p", "n")} if p["swap"] else {})


def _distance_expr(u, v, p):
    """The chosen distance written out from the coordinates: 1 − u·v / (max(|u|, ε) max(|v|, ε)) with
    F.cosine_similarity's ε = 1e-8, or torch.pairwise_distance's norm of u − v + 1e-6."""
    if p["distance_function"] == "cosine":
        eps = N(_COSINE_SIM_EPS)
        norm_u = maximum(sqrt(total([N(a) ** 2 for a in u])), eps)
        norm_v = maximum(sqrt(total([N(b) ** 2 for b in v])), eps)
        return 1 - total([N(a) * N(b) for a, b in zip(u, v, strict=True)]) / (norm_u * norm_v)
    return _minkowski_expr(u, v, 1.0 if p["distance_function"] == "l1" else 2.0, 1e-6)


def _distance_by_hand(x, y, p):
    if p["distance_function"] == "cosine":
        nx = (x * x).sum(-1, keepdim=True).sqrt().clamp(min=_COSINE_SIM_EPS)
        ny = (y * y).sum(-1, keepdim=True).sqrt().clamp(min=_COSINE_SIM_EPS)
        return 1 - ((x / nx) * (y / ny)).sum(-1)
    return _minkowski(x, y, 1.0 if p["distance_function"] == "l1" else 2.0, 1e-6)


TRIPLET_DISTANCE = LossSpec(
    key="triplet_distance",
    distance=_chosen_distance,
    overlay=("margin", (0.5, 1.0, 2.0)),
    view="triplet",
    title="TripletMarginWithDistanceLoss",
    family="embedding",
    module=nn.TripletMarginWithDistanceLoss,
    functional=F.triplet_margin_with_distance_loss,
    params=(
        REDUCTION,
        DISTANCE,
        margin(
            1.0,
            low=0.01,
            help="How much farther from the anchor the negative must be than the positive, in the chosen distance (torch requires margin > 0).",
        ),
        SWAP,
    ),
    inputs=POINTS,
    build=_points,
    wrt=("anchor", "positive", "negative"),
    scratch=lambda a, p: reduce(
        _triplet_from(*_triplet_distances(a, lambda x, y: _distance_by_hand(x, y, p)), p), p["reduction"]
    ),
    terms=_triplet_terms_with(_distance_by_hand, _distance_expr),
    sweep=TRIPLET_SWEEP,
    formula=TRIPLET_FORMULA,
    summary="The triplet loss with a distance of your choice: the cosine distance compares directions only, L1 adds up the coordinates' absolute differences.",
    notice="The same triplet hinge with the distance of your choice: with the cosine distance only directions matter, so moving a point along its ray from the origin changes nothing.",
    batch=TRIPLET_BATCH,
    presets=(
        Preset(
            "cosine",
            "Cosine distance",
            params={"distance_function": "cosine", "margin": 0.2},
            values={"ax": 1.0, "ay": 0.0, "px": 3.0, "py": 0.3, "nx": 1.2, "ny": 1.0},
            note="The positive lies far from the anchor but in its direction, the negative near it in another "
            "direction: in the cosine distance the positive is the closer one and the triplet costs nothing, "
            "while the L2 distance (None) charges it. Move the negative towards the anchor's direction and the "
            "cost rises.",
        ),
    ),
    flags=lambda a, p: (
        _zero_vectors(a, _cosine_pairs(p), _COSINE_SIM_EPS) if p["distance_function"] == "cosine" else []
    ),
    kwargs=lambda p: {**p, "distance_function": _DISTANCES[p["distance_function"]]},
    code_kwargs=lambda p: {"distance_function": _DISTANCE_CODE[p["distance_function"]]},
)
