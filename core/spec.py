"""The shape of one catalog entry: `LossSpec` and its parts (`Sweep`, `Preset`, `Case`).

To add a loss (the README's recipe, "The catalog"): write its `LossSpec` in the family module
`core/losses/<family>.py` and add it to `LOSSES` in `core/catalog.py`; write its page file
`pages/<ClassName>.py` (the torch class name, e.g. `pages/HuberLoss.py`), which only calls
`render("<key>")`; translate its texts in `ui/kit/zh/<family>.py` and register them in `tests/claims/`.
The catalog-wide tests then cover it (torch signature, from-scratch formula against torch, curve
gradients, snippet, invalid values), and every view reads it from its fields, never by its key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch

from core.params import Choice, Param

# Columns of one or more samples: a float64/int64 tensor of shape (N,) per numeric field, or a
# list of N strings for a text field. Sliders give N = 1, the batch table N rows, a curve N points.
Columns = dict[str, Any]
Tensors = dict[str, torch.Tensor]


@dataclass(frozen=True)
class Case:
    """The exact tensors passed to the loss, by argument name, in the order of its forward call."""

    # argument name -> tensor, in the order of the loss's forward call (the module is called positionally)
    args: Tensors
    # Code that rebuilds a tensor, for snippets, where a literal would be too long (article presets
    # drawn from a seeded generator). Its names may use `g`, a generator seeded with `seed`.
    code: dict[str, str] = field(default_factory=dict)
    # the seed of `g` in `code`; None when no code draws from it
    seed: int | None = None


@dataclass(frozen=True)
class Sweep:
    """What the 1-D curve varies: one numeric input field, over [low, high]."""

    # the input swept (a name of LossSpec.inputs), or a function of the current slider values giving it
    field: str | Callable[[dict], str]
    # the range swept, when `bounds` is None: from `low`...
    low: float
    high: float  # ...to `high`
    # the x axis's label (plain English text, translated; language-neutral symbols)
    label: str
    # how many points the curve evaluates (each one a torch forward and backward)
    points: int = 500
    # params -> (low, high), when the range depends on the loss's parameters; None for [low, high]
    bounds: Callable[[dict], tuple[float, float]] | None = None

    def field_for(self, values: dict) -> str:
        return self.field(values) if callable(self.field) else self.field

    def range_for(self, params: dict) -> tuple[float, float]:
        return self.bounds(params) if self.bounds else (self.low, self.high)


@dataclass(frozen=True)
class Preset:
    """A named starting point: parameter and input values, or exact tensors (`make`)."""

    # short and stable: the link's value of "<loss key>.preset"
    key: str
    # its name in the preset picker (English, translated)
    title: str
    # parameter values it sets (name -> value); the others keep their defaults
    params: dict = field(default_factory=dict)
    # slider values it sets (input or option name -> value); the others keep their defaults
    values: dict = field(default_factory=dict)
    # exact tensors (e.g. the article's seeded random batch); the sliders do not describe them
    make: Callable[[], Case] | None = None
    # what to see in it, shown while the preset's state lasts (a claim checked in tests/claims); "" for none
    note: str = ""

    def exact(self) -> Case:
        """The exact tensors of a preset that has them (`make`)."""
        if self.make is None:
            raise ValueError(f"the preset {self.key!r} sets values, not exact tensors")
        return self.make()


@dataclass(frozen=True)
class Fit:
    """How the training playground (core/training.py) fits a model under this loss."""

    task: str  # "regression" (real targets y) or "classification" (0/1 labels y)
    # the loss of the model's outputs (N × `outputs`) for the targets, with the playground's options
    # (its sliders of this loss's parameters: beta, delta, pos_weight, label_smoothing)
    loss: Callable[[torch.Tensor, torch.Tensor, dict], torch.Tensor]
    outputs: int = 1  # numbers the model predicts per sample


@dataclass(frozen=True, kw_only=True)
class LossSpec:
    """One loss of torch.nn, as the app shows it. Every field is given by keyword.

    Identity and torch's API: `key`, `title`, `family`, `module`, `functional`, `params`, `kwargs`,
    `code_kwargs`, `module_params`. One sample and the batch: `inputs`, `options`, `build`, `batch`,
    `presets`, `hidden`.
    The maths: `wrt`, `scratch`, `terms`, `reduce_line`, `formula`, `flags`. The page: `sweep`, texts
    (`summary`, `notice`, `pitfall`, `grad_note`, `batch_apart`), views (`view`, `panels`, `overlay`, `shares`, `distance`).
    """

    # short and stable: the prefix of its link's parameters ("huber.delta=0.5") and of its widgets' keys
    key: str
    # the torch.nn class name: the page's title, its address and its file (pages/<title>.py)
    title: str
    # one of FAMILIES: its group in the sidebar and on the home page, and its module in core/losses/
    family: str
    # the torch.nn class, called for every value the page shows
    module: type[torch.nn.Module]
    # the same loss in torch.nn.functional (the tests check both agree)
    functional: Callable[..., torch.Tensor]
    # the constructor keywords a learner varies, each with torch's default and the UI's range
    params: tuple[Param, ...]
    # one sample's fields: a slider each, a column of the batch table
    inputs: tuple[Param, ...]
    # (columns, params) -> the loss's forward arguments, as tensors, in the order of its forward call
    build: Callable[[Columns, dict], Tensors]
    # the forward arguments differentiated by autograd (the gradients shown)
    wrt: tuple[str, ...]
    # (arguments, params) -> the reduced loss, from the maths with elementary ops (checked against torch)
    scratch: Callable[[Tensors, dict], torch.Tensor]
    # (arguments, params) -> one (LaTeX line with the numbers substituted, value) per element of the
    # 'none' output: the formula worked by hand
    terms: Callable[[Tensors, dict], list[tuple[str, float]]]
    # what the 1-D curve varies
    sweep: Sweep
    # the loss of one sample, in LaTeX
    formula: str
    # one line under the title: what the loss measures (English, translated)
    summary: str
    # "what to notice" on the curve: the one idea to take away (a claim checked in tests/claims)
    notice: str
    # a few rows (input and option name -> value) for the batch table of the reductions tab, after its
    # first row, which is the sliders' sample (core/compute.batch_of)
    batch: tuple[dict, ...]
    # named starting points, in the preset picker's order; () for none
    presets: tuple[Preset, ...] = ()
    # case-level values that are not torch keywords (e.g. CrossEntropyLoss's kind of target): a widget
    # each, one value for the whole batch
    options: tuple[Param, ...] = ()
    # a common mistake with this loss, shown under the notice (a claim); "" for none
    pitfall: str = ""
    # params -> the constructor's keyword arguments, when they are not the params one to one
    # (e.g. a distance function chosen by name); None for one to one
    kwargs: Callable[[dict], dict] | None = None
    # params -> {keyword: its value as Python source} for "Copy as PyTorch", where `kwargs` makes a
    # value that has no literal; None when every value is a literal
    code_kwargs: Callable[[dict], dict] | None = None
    # (args, params, per-element losses, value) -> the LaTeX line of a reduction that is not a plain
    # sum or mean (e.g. weighted means); None for the plain line
    reduce_line: Callable[..., str] | None = None
    # (arguments, params) -> [core.flags.Flag]: why a result is infinite, NaN or clamped; None for none
    flags: Callable[[Tensors, dict], list] | None = None
    # the 2-D view below the curve, by name (ui/views/loss/extras.py's VIEWS): "softmax_plane", "log_prob_plane",
    # "ranking_planes", "distance_labels", "angle_labels", "triplet", "class_shares_index",
    # "class_shares_multi_hot", "class_shares_listed"; "" for none
    view: str = ""
    # shown under the gradient of an argument whose torch gradient is not the plain derivative
    grad_note: str = ""
    # why the batch's first row, the sliders' values, may not get the sample's losses (the build makes a
    # batch's tensors together: CTCLoss's noise); shown when it does not (a claim); "" when it always does
    batch_apart: str = ""
    # how the training playground fits a model under it; None: not in the playground
    fit: Fit | None = None
    # the parameter the curve's "Compare values" overlay varies, and the values it draws; None for none
    overlay: tuple[str, tuple[float, ...]] | None = None
    # the inputs and options an option or a parameter hides ({**params, **slider values} -> their
    # names): CE's class index or its probabilities; LinearCrossEntropyLoss's bias while bias=False
    hidden: Callable[[dict], tuple[str, ...]] | None = None
    # the case's arguments that are the module's own parameters, not forward arguments: argument name
    # -> its attribute path in the module (LinearCrossEntropyLoss: {"linear_weight": "linear.weight",
    # "linear_bias": "linear.bias"}); core/compute.forward puts them in place with
    # torch.func.functional_call. The functional takes them by the argument's name. {} for none
    module_params: dict[str, str] = field(default_factory=dict)
    # the panels drawn from the evaluated case, in order, by name (ui/views/loss/panels.py's PANELS):
    # ("ctc_gradient",), ("linear_equality", "lce_memory"); () for none
    panels: tuple[str, ...] = ()
    # the class-shares views: (the first sample's input row x, its target, params) -> each class's share
    # of that sample's loss, by hand (core/geometry.class_shares checks they add up to torch's loss)
    shares: Callable[[torch.Tensor, torch.Tensor, dict], torch.Tensor] | None = None
    # the triplet views: params -> (the loss's distance d(x, y) from torch, (p, eps) of its ring
    # ||x - n + eps||_p, p = 0 when no ring can be drawn)
    distance: Callable[[dict], tuple[Callable, tuple[float, float]]] | None = None

    def visible_inputs(self, values: dict, params: dict | None = None) -> tuple[Param, ...]:
        """The inputs shown for these slider values (and parameters, when a parameter hides some)."""
        hidden = self.hidden({**(params or {}), **values}) if self.hidden else ()
        return tuple(p for p in self.inputs if p.name not in hidden)

    def visible_options(self, values: dict, params: dict | None = None) -> tuple[Param, ...]:
        """The options shown for these slider values and parameters (LinearCrossEntropyLoss hides its
        bias b0..b2 while bias=False)."""
        hidden = self.hidden({**(params or {}), **values}) if self.hidden else ()
        return tuple(p for p in self.options if p.name not in hidden)

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
        return next(p.choices for p in self.params if isinstance(p, Choice) and p.name == "reduction")


FAMILIES = ("regression", "probabilistic", "classification", "margin", "embedding", "sequence")
