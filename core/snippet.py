""" "Copy as PyTorch": a short program that rebuilds the current tensors and parameters and
prints the number the app shows, computed by torch.nn."""

from __future__ import annotations

import inspect
import math

import torch

from core.compute import Sample, check_params
from core.params import Vector
from core.spec import Case, LossSpec


def literal(x) -> str:
    """Python source for a number or a nested list of numbers that runs as it stands: float's repr
    round-trips every finite float64, and inf, -inf and NaN (whose repr, `inf`, is no Python name)
    are written float("inf"), float("-inf"), float("nan")."""
    if isinstance(x, (list, tuple)):
        return "[" + ", ".join(literal(v) for v in x) + "]"
    if isinstance(x, float) and not math.isfinite(x):
        return 'float("nan")' if math.isnan(x) else ('float("inf")' if x > 0 else 'float("-inf")')
    return repr(x)


def tensor_code(t: torch.Tensor) -> str:
    """A literal that rebuilds `t` exactly, infinite and NaN entries included."""
    if t.is_floating_point():
        return f"torch.tensor({literal(t.tolist())}, dtype=torch.float64)"
    return f"torch.tensor({literal(t.tolist())})"


def snippet(spec: LossSpec, case: Case, params: dict) -> str:
    return _snippet(spec, case, check_params(spec, params))


def snippet_of(sample: Sample) -> str:
    """`snippet` for a sample (its tensors, its parameters): validated already, not again."""
    return _snippet(sample.spec, sample.case, sample.params)


def _snippet(spec: LossSpec, case: Case, params: dict) -> str:
    kwargs = _kwargs_code(spec, params)
    lines = ["import torch"]
    if "F." in kwargs:  # a distance function written with F
        lines.append("import torch.nn.functional as F")
    lines += ["from torch import nn", ""]
    if case.code:  # a preset drawn from a seeded generator: the same draws, not 1000s of literals
        lines.append(f"g = torch.Generator().manual_seed({case.seed})")
    lines += [f"{name} = {case.code.get(name) or tensor_code(t)}" for name, t in case.args.items()]
    own = {name: path for name, path in spec.module_params.items() if name in case.args}
    if own:  # the module holds the head: built in float64 like the page, its parameters copied in
        lines.append(f"loss_fn = nn.{spec.title}({kwargs}).double()")
        lines.append("with torch.no_grad():")
        lines += [f"    loss_fn.{path}.copy_({name})" for name, path in own.items()]
    else:
        lines.append(f"loss_fn = nn.{spec.title}({kwargs})")
    forward = [name for name in case.args if name not in spec.module_params]
    lines.append(f"loss = loss_fn({', '.join(forward)})")
    lines.append("print(loss.tolist())")
    return "\n".join(lines) + "\n"


def _kwargs_code(spec: LossSpec, params: dict) -> str:
    """Constructor arguments that differ from torch's defaults, plus the reduction and the ones torch
    requires (LinearCrossEntropyLoss's in_features and num_classes) always."""
    code = spec.code_kwargs(params) if spec.code_kwargs else {}
    signature = inspect.signature(spec.module.__init__).parameters
    required = {name for name, q in signature.items() if q.default is inspect.Parameter.empty and name != "self"}
    parts = []
    for p in spec.params:
        value = params[p.name]
        if p.name != "reduction" and p.name not in required and value == p.default:
            continue
        if p.name in code:
            parts.append(f"{p.name}={code[p.name]}")
        elif isinstance(p, Vector) and value is not None:
            parts.append(f"{p.name}=torch.tensor({literal(list(value))}, dtype=torch.float64)")
        else:
            parts.append(f"{p.name}={literal(value)}")
    return ", ".join(parts)
