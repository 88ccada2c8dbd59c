"""Everything a page computes from a spec: cases from slider values or table rows, evaluation
with the real torch module (every reduction, autograd gradients), the 1-D curve, the
from-scratch value and the step-by-step breakdown."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import torch
from torch.func import functional_call

from core.expr import Term, reduced
from core.params import LossValueError, Vector, validate_all
from core.spec import Case, Columns, LossSpec

F64 = torch.float64


# ---------------------------------------------------------------- inputs
#
# Values are validated once, where they enter: `check` turns a sample's values and parameters (from
# widgets, a link) into a `Sample`, `table_of` a batch table's rows. Every function that takes a
# `Sample` (here, in core/geometry.py, core/snippet.py, the loss page) trusts it and validates
# nothing again. The functions that take plain dicts (`sample_case`, `evaluate`, `curve`, ...) are
# boundaries of their own, for tests, benches and the other pages: they validate, then do the same.


def check_params(spec: LossSpec, params: dict) -> dict:
    """Validated constructor parameters, torch's defaults for the missing ones."""
    return validate_all(spec.params, params, "parameters")


def check_values(spec: LossSpec, values: dict) -> dict:
    """Validated slider values (inputs and options), defaults for the missing ones."""
    return validate_all(spec.all_inputs, values, "inputs")


@dataclass(frozen=True, eq=False)
class Sample:
    """One sample of a loss, validated: every input and option, every constructor parameter (the
    defaults filled in), and the tensors torch is given. Make one with `check` (it validates) or
    `Sample.trusted` (values the caller vouches for); what takes a Sample trusts it."""

    spec: LossSpec
    values: dict  # every input and option, validated
    params: dict  # every constructor parameter, validated
    case: Case  # the tensors: built from `values` and `params`, or others shown instead (`showing`)

    @classmethod
    def trusted(cls, spec: LossSpec, values: dict, params: dict) -> Sample:
        """A sample of values and parameters already valid (validated, or the code's own); builds its
        tensors, and raises LossValueError for a combination the loss refuses (a negative rate once
        log_input is off)."""
        return cls(spec, values, params, _case(spec, [_row(spec, values)], _options(spec, values), params))

    def but(self, values: dict | None = None, params: dict | None = None) -> Sample:
        """The same sample with a few values or parameters changed by the code itself, with values it
        vouches for (an overlay's declared values, both labels of a pair): not validated again."""
        return Sample.trusted(self.spec, {**self.values, **(values or {})}, {**self.params, **(params or {})})

    def showing(self, case: Case, params: dict | None = None) -> Sample:
        """The same values, other tensors (a preset's own, the batch table's) and, when given, the
        parameters fitted to them."""
        return replace(self, case=case, params=self.params if params is None else params)

    def reduced(self, reduction: str) -> Sample:
        """The same tensors under another reduction (which no loss's build reads)."""
        return replace(self, params={**self.params, "reduction": reduction})


def check(spec: LossSpec, values: dict, params: dict) -> Sample:
    """The boundary: a sample's values and parameters validated once (defaults for the missing
    ones), with its tensors. Raises LossValueError for a value, or a combination, not allowed."""
    return Sample.trusted(spec, check_values(spec, values), check_params(spec, params))


def table_of(sample: Sample, rows: list[dict]) -> Sample:
    """The batch table: its rows (one dict per sample) validated, a source of their own; the
    options and parameters are the sample's, trusted."""
    spec = sample.spec
    return sample.showing(_case(spec, _checked_rows(spec, rows), _options(spec, sample.values), sample.params))


def batch_of(sample: Sample, rows: list[dict]) -> Sample:
    """The Reductions tab's batch: the sample's own row first (trusted, as the sample is: it follows the
    sliders), then the table's rows, validated as `table_of` validates them; with no rows, the sample
    alone. The options and parameters are the sample's."""
    spec = sample.spec
    checked = _checked_rows(spec, rows) if rows else []
    first = _row(spec, sample.values)
    return sample.showing(_case(spec, [first, *checked], _options(spec, sample.values), sample.params))


def first_row(result: Evaluation) -> np.ndarray:
    """A batch's first row of per-element losses (reduction='none'), shaped as one sample's are."""
    per = np.asarray(result.per_element)
    return per[:1] if per.ndim else per.reshape(1)


def same_losses(a, b) -> bool:
    """Whether two arrays of losses are the same numbers, in the same shape (NaN equal to NaN)."""
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=True))


def class_vector_misfits(spec: LossSpec, case: Case, params: dict) -> list[tuple[str, int, int]]:
    """Per-class parameters (weight, pos_weight) whose length is not the number of classes of
    `case`, as (name, length, classes): a preset's own tensors may have more or fewer classes than
    the sliders' three (the article's CrossEntropyLoss has 5), which torch refuses. The classes are
    the last dimension of the input, against which torch broadcasts each of these (one entry fits any);
    for a loss that holds its own head (`module_params`, LinearCrossEntropyLoss), its weight's rows."""
    if spec.module_params:
        head = case.args[next(iter(spec.module_params))]
        classes = head.shape[0]
    else:
        first = next(iter(case.args.values()))
        classes = first.shape[-1] if first.ndim else 1
    return [
        (p.name, len(params[p.name]), classes)
        for p in spec.params
        if isinstance(p, Vector) and params.get(p.name) is not None and len(params[p.name]) not in (1, classes)
    ]


def columns(spec: LossSpec, rows: list[dict], options: dict | None = None) -> Columns:
    """Validated rows (one dict per sample) as columns, plus the options as plain values."""
    return _columns(spec, _checked_rows(spec, rows), validate_all(spec.options, options or {}, "options"))


def columns_of(sample: Sample) -> Columns:
    """A sample's values as the columns of one sample, plus its options."""
    return _columns(sample.spec, [_row(sample.spec, sample.values)], _options(sample.spec, sample.values))


def _checked_rows(spec: LossSpec, rows: list[dict]) -> list[dict]:
    if not rows:
        raise LossValueError("rows", rows, "at least one row")
    return [validate_all(spec.inputs, row, "inputs") for row in rows]


def _row(spec: LossSpec, values: dict) -> dict:
    return {p.name: values[p.name] for p in spec.inputs}


def _options(spec: LossSpec, values: dict) -> dict:
    return {p.name: values[p.name] for p in spec.options}


def _columns(spec: LossSpec, rows: list[dict], options: dict) -> Columns:
    """Valid rows as columns (each input's own: a tensor per numeric field, a list per text field),
    plus the options."""
    cols: Columns = {p.name: p.column([row[p.name] for row in rows]) for p in spec.inputs}
    cols.update(options)
    return cols


def _case(spec: LossSpec, rows: list[dict], options: dict, params: dict) -> Case:
    return Case(spec.build(_columns(spec, rows, options), params))


def torch_kwargs(spec: LossSpec, params: dict) -> dict:
    """Constructor keyword arguments: vectors (class weights) become float64 tensors; other values,
    a tuple such as out_features=() included, are passed as they are."""
    vectors = {p.name for p in spec.params if isinstance(p, Vector)}
    out = {k: torch.tensor(v, dtype=F64) if k in vectors and v is not None else v for k, v in params.items()}
    return spec.kwargs(out) if spec.kwargs else out


def forward(spec: LossSpec, kwargs: dict, args: dict) -> torch.Tensor:
    """The torch.nn module built from `kwargs`, called on a case's arguments: its forward arguments
    positionally, in order, and the arguments that are the module's own parameters (the head's weight
    and bias of LinearCrossEntropyLoss, `spec.module_params`) put in place of them by
    `torch.func.functional_call`, so that autograd differentiates with respect to them too. Such a
    module creates its own parameters on the meta device: no memory, no draw from torch's global
    random generator, and they are never read (the case's take their place)."""
    inputs = tuple(v for k, v in args.items() if k not in spec.module_params)
    if not spec.module_params:
        return spec.module(**kwargs)(*inputs)
    module = spec.module(**{**kwargs, "device": "meta"})
    own = {path: args[name] for name, path in spec.module_params.items() if name in args}
    return functional_call(module, own, inputs)


def batch_case(spec: LossSpec, rows: list[dict], options: dict | None, params: dict) -> Case:
    """The tensors for a batch of samples (the reduction table)."""
    params = check_params(spec, params)
    return _case(spec, _checked_rows(spec, rows), validate_all(spec.options, options or {}, "options"), params)


def sample_case(spec: LossSpec, values: dict, params: dict) -> Case:
    """The tensors for the one sample the sliders describe."""
    return check(spec, values, params).case


# ---------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class Evaluation:
    """The real torch results for one case and one set of parameters."""

    reduction: str
    value: float | np.ndarray  # under the chosen reduction (an array for 'none')
    by_reduction: dict[str, float]  # every scalar reduction the loss offers
    per_element: np.ndarray  # reduction='none'
    # d(value)/d(argument) by autograd, for each argument of spec.wrt the case has; for 'none', of the sum
    grads: dict[str, np.ndarray]
    status: str  # 'finite', 'inf' or 'nan'
    flags: tuple  # core.flags.Flag: why a result is infinite, clamped, ... (from the spec)

    @property
    def finite(self) -> bool:
        return self.status == "finite"


def evaluate(spec: LossSpec, case: Case, params: dict) -> Evaluation:
    """Call the real `torch.nn` module: the chosen reduction with autograd, then every other."""
    return _evaluate(spec, case, check_params(spec, params))


def evaluation_of(sample: Sample) -> Evaluation:
    """`evaluate` for a sample (its tensors, its parameters)."""
    return _evaluate(sample.spec, sample.case, sample.params)


def _evaluate(spec: LossSpec, case: Case, params: dict) -> Evaluation:
    reduction = params["reduction"]
    kwargs = torch_kwargs(spec, params)
    args = {k: v.detach().requires_grad_(k in spec.wrt) for k, v in case.args.items()}
    loss = forward(spec, kwargs, args)
    names = [k for k in spec.wrt if k in args]  # an optional argument (a bias switched off) may be absent
    wrt = [args[k] for k in names]
    grads = torch.autograd.grad(loss.sum(), wrt, allow_unused=True) if wrt else ()
    results = {reduction: loss.detach()}
    with torch.no_grad():
        for r in spec.reductions():
            if r not in results:
                results[r] = forward(spec, {**kwargs, "reduction": r}, args)
    value = results[reduction].numpy()
    status = _status(value)
    return Evaluation(
        reduction=reduction,
        value=float(value) if value.ndim == 0 else value,
        by_reduction={r: float(v) for r, v in results.items() if r != "none"},
        per_element=results["none"].numpy(),
        grads={k: (g.numpy() if g is not None else np.zeros(args[k].shape)) for k, g in zip(names, grads, strict=True)},
        status=status,
        flags=tuple(spec.flags(case.args, params)) if spec.flags else (),
    )


def _status(value: np.ndarray) -> str:
    if np.isnan(value).any():
        return "nan"
    return "finite" if np.isfinite(value).all() else "inf"


# ---------------------------------------------------------------- curve


@dataclass(frozen=True)
class Curve:
    """The loss of one sample along the swept input, and its derivative by autograd.

    The loss of the sample is torch's `reduction='none'` output summed over the sample's
    elements (KLDiv has one per class), i.e. what `reduction='sum'` gives for that one sample.
    """

    field: str
    label: str
    x: np.ndarray
    loss: np.ndarray
    grad: np.ndarray
    x0: float
    loss0: float
    grad0: float


def curve_points(spec: LossSpec, values: dict, params: dict, xs) -> tuple[np.ndarray, np.ndarray]:
    """Loss and d loss/dx of the sample at each x of `xs` for the swept field (one batched call)."""
    params = check_params(spec, params)
    return _curve_points(spec, check_values(spec, values), params, xs)


def _curve_points(spec: LossSpec, values: dict, params: dict, xs) -> tuple[np.ndarray, np.ndarray]:
    name = spec.sweep.field_for(values)
    x = torch.as_tensor(xs, dtype=F64).detach().clone().requires_grad_()
    n = x.shape[0]
    cols = _columns(spec, [_row(spec, values)], _options(spec, values))
    cols = {
        k: (v.expand(n) if isinstance(v, torch.Tensor) else v * n if isinstance(v, list) else v)
        for k, v in cols.items()
    }
    cols[name] = x
    args = spec.build(cols, params)
    kwargs = {**torch_kwargs(spec, params), "reduction": "none"}
    per_sample = forward(spec, kwargs, args).reshape(n, -1).sum(1)
    (grad,) = torch.autograd.grad(per_sample.sum(), x)
    return per_sample.detach().numpy(), grad.numpy()


def curve(spec: LossSpec, values: dict, params: dict) -> Curve:
    """The curve over the sweep's range, with the current point."""
    return _curve(spec, check_values(spec, values), check_params(spec, params))


def curve_of(sample: Sample) -> Curve:
    """`curve` for a sample (its values and parameters; a preset's own tensors play no part)."""
    return _curve(sample.spec, sample.values, sample.params)


def _curve(spec: LossSpec, values: dict, params: dict) -> Curve:
    sweep = spec.sweep
    name = sweep.field_for(values)
    x0 = float(values[name])
    xs = np.linspace(*sweep.range_for(params), sweep.points)
    both = np.append(xs, x0)  # one torch call for the curve and the current point
    loss, grad = _curve_points(spec, values, params, both)
    return Curve(name, sweep.label, xs, loss[:-1], grad[:-1], x0, float(loss[-1]), float(grad[-1]))


# ---------------------------------------------------------------- by hand


def scratch_value(spec: LossSpec, case: Case, params: dict) -> np.ndarray:
    """The loss from the spec's own formula (elementary torch ops), under params' reduction."""
    return _scratch(spec, case, check_params(spec, params))


def scratch_of(sample: Sample) -> np.ndarray:
    """`scratch_value` for a sample."""
    return _scratch(sample.spec, sample.case, sample.params)


def _scratch(spec: LossSpec, case: Case, params: dict) -> np.ndarray:
    with torch.no_grad():
        return spec.scratch({k: v.detach() for k, v in case.args.items()}, params).numpy()


@dataclass(frozen=True)
class Breakdown:
    """The computation by hand: one LaTeX line per element (up to a limit), then the reduction."""

    lines: tuple[str, ...]
    hidden: int  # element lines not shown
    value: float | np.ndarray  # the from-scratch result, which the last line ends with


def breakdown(spec: LossSpec, case: Case, params: dict, limit: int = 6) -> Breakdown:
    return _breakdown(spec, case, check_params(spec, params), limit)


def breakdown_of(sample: Sample, limit: int = 6) -> Breakdown:
    """`breakdown` for a sample (its tensors, its parameters)."""
    return _breakdown(sample.spec, sample.case, sample.params, limit)


def _breakdown(spec: LossSpec, case: Case, params: dict, limit: int) -> Breakdown:
    args = {k: v.detach() for k, v in case.args.items()}
    with torch.no_grad():
        terms = spec.terms(args, params)
        value = spec.scratch(args, params).numpy()
        none = spec.scratch(args, {**params, "reduction": "none"}).numpy().reshape(-1)
    lines = [line for term in terms[:limit] for line in (term.lines() if isinstance(term, Term) else [_latex(term)])]
    reduction = params["reduction"]
    if reduction != "none":
        lines.append(reduction_line(spec, args, params, none, float(value)))
    return Breakdown(tuple(lines), max(0, len(terms) - limit), float(value) if value.ndim == 0 else value)


def reduction_line(spec: LossSpec, args, params: dict, none: np.ndarray, value: float) -> str:
    """How the per-element losses become the reported number."""
    return _latex(reduction_term(spec, args, params, none, value))


def reduction_term(spec: LossSpec, args, params: dict, none: np.ndarray, value: float):
    if spec.reduce_line:
        return spec.reduce_line(args, params, none, value)
    return reduced(params["reduction"], none, value)


def _latex(term) -> str:
    return term.latex() if isinstance(term, Term) else term[0] if isinstance(term, tuple) else term
