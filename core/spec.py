"""The shape of one catalog entry: `LossSpec` and its parts (`Sweep`, `Preset`, `Case`).

A note on adding a loss: write one `LossSpec` in the family module of `core/losses/`, add it to
`LOSSES` in `core/catalog.py`, and the catalog-wide tests cover it (torch signature, from-scratch
formula against torch, curve gradients, snippet, invalid values).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch

from core.params import Param

# Columns of one or more samples: a float64/int64 tensor of shape (N,) per numeric field, or a
# list of N strings for a text field. Sliders give N = 1, the batch table N rows, a curve N points.
Columns = dict[str, Any]
Tensors = dict[str, torch.Tensor]


@dataclass(frozen=True)
class Case:
    """The exact tensors passed to the loss, by argument name, in the order of its forward call."""

    args: Tensors
    # Code that rebuilds a tensor, for snippets, where a literal would be too long (article presets
    # drawn from a seeded generator). Its names may use `g`, a generator seeded with `seed`.
    code: dict[str, str] = field(default_factory=dict)
    seed: int | None = None


@dataclass(frozen=True)
class Sweep:
    """What the 1-D curve varies: one numeric input field, over [low, high]."""

    field: str | Callable[[dict], str]  # the input swept, or a function of the current values
    low: float
    high: float
    label: str  # axis label (plain text, language-neutral symbols)
    points: int = 500
    bounds: Callable[[dict], tuple[float, float]] | None = None  # params -> range, when it depends

    def field_for(self, values: dict) -> str:
        return self.field(values) if callable(self.field) else self.field

    def range_for(self, params: dict) -> tuple[float, float]:
        return self.bounds(params) if self.bounds else (self.low, self.high)


@dataclass(frozen=True)
class Preset:
    """A named starting point: parameter and input values, or exact tensors (`make`)."""

    key: str
    title: str
    params: dict = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    make: Callable[[], Case] | None = None  # exact tensors; the sliders do not describe them
    note: str = ""


@dataclass(frozen=True)
class LossSpec:
    key: str  # short, stable, used in URLs
    title: str  # the torch.nn class name
    family: str  # one of FAMILIES
    module: type[torch.nn.Module]
    functional: Callable[..., torch.Tensor]
    params: tuple[Param, ...]  # constructor keywords a learner varies, with torch's defaults
    inputs: tuple[Param, ...]  # one sample's fields: a slider each, a column of the batch table
    build: Callable[[Columns, dict], Tensors]  # (columns, params) -> the loss's arguments
    wrt: tuple[str, ...]  # arguments differentiated by autograd
    scratch: Callable[[Tensors, dict], torch.Tensor]  # from the maths, with elementary ops
    # one (LaTeX line with the numbers substituted, value) per element of the 'none' output
    terms: Callable[[Tensors, dict], list[tuple[str, float]]]
    sweep: Sweep
    formula: str  # LaTeX, per sample
    summary: str  # one line
    notice: str  # "what to notice" on the curve: the one idea to take away
    batch: tuple[dict, ...]  # a few rows for the reduction view
    presets: tuple[Preset, ...] = ()
    options: tuple[Param, ...] = ()  # case-level values that are not torch keywords
    pitfall: str = ""
    kwargs: Callable[[dict], dict] | None = None  # params -> constructor kwargs, when not 1:1
    code_kwargs: Callable[[dict], dict] | None = None  # params -> kwargs as code text
    # (args, params, per-element losses, value) -> the LaTeX line of a non-plain reduction
    reduce_line: Callable[..., str] | None = None
    flags: Callable[[Tensors, dict], list] | None = None  # -> [core.flags.Flag]  # why a result is inf/NaN/clamped
    # the 2-D view below the curve, by name (ui/views/loss/extras.py's VIEWS): "softmax_plane", "log_prob_plane",
    # "ranking_planes", "distance_labels", "angle_labels", "triplet", "class_shares_index",
    # "class_shares_multi_hot", "class_shares_listed"; "" for none
    view: str = ""
    # shown under the gradient of an argument whose torch gradient is not the plain derivative
    grad_note: str = ""
    # the parameter the curve's "Compare values" overlay varies, and the values it draws; None for none
    overlay: tuple[str, tuple[float, ...]] | None = None
    # the inputs an option hides (slider values -> their names): CE's class index or its probabilities
    hidden: Callable[[dict], tuple[str, ...]] | None = None
    # a panel drawn from the evaluated case, by name (ui/views/loss/page.py's PANELS): "ctc_gradient"; "" for none
    panel: str = ""
    # the class-shares views: (the first sample's input row x, its target, params) -> each class's share
    # of that sample's loss, by hand (core/geometry.class_shares checks they add up to torch's loss)
    shares: Callable[[torch.Tensor, torch.Tensor, dict], torch.Tensor] | None = None
    # the triplet views: params -> (the loss's distance d(x, y) from torch, (p, eps) of its ring
    # ||x - n + eps||_p, p = 0 when no ring can be drawn)
    distance: Callable[[dict], tuple[Callable, tuple[float, float]]] | None = None

    def visible_inputs(self, values: dict) -> tuple[Param, ...]:
        hidden = self.hidden(values) if self.hidden else ()
        return tuple(p for p in self.inputs if p.name not in hidden)

    @property
    def all_inputs(self) -> tuple[Param, ...]:
        return self.inputs + self.options

    def defaults(self) -> dict:
        """Default slider values: every input and option."""
        return {p.name: p.default for p in self.all_inputs}

    def param_defaults(self) -> dict:
        return {p.name: p.default for p in self.params}

    def opened_by(self, preset: Preset) -> tuple[dict, dict]:
        """The slider values and the parameters a preset opens: the defaults, overridden by its own.
        A preset's title and note are checked in this state (tests/claims), and the page shows the
        note only while it lasts."""
        return {**self.defaults(), **preset.values}, {**self.param_defaults(), **preset.params}

    def preset(self, key: str) -> Preset:
        for preset in self.presets:
            if preset.key == key:
                return preset
        raise KeyError(key)

    def reductions(self) -> tuple[str, ...]:
        return next(p.choices for p in self.params if p.name == "reduction")


FAMILIES = ("regression", "probabilistic", "classification", "margin", "embedding", "sequence")
