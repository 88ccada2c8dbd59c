""" "Copy as PyTorch": a short program that rebuilds the current tensors and parameters and
prints the number the app shows, computed by torch.nn."""

from __future__ import annotations

import torch

from core.compute import check_params
from core.spec import Case, LossSpec


def tensor_code(t: torch.Tensor) -> str:
    """A literal that rebuilds `t` exactly (Python's float repr round-trips float64)."""
    if t.is_floating_point():
        return f"torch.tensor({t.tolist()!r}, dtype=torch.float64)"
    return f"torch.tensor({t.tolist()!r})"


def snippet(spec: LossSpec, case: Case, params: dict) -> str:
    params = check_params(spec, params)
    lines = ["import torch"]
    if spec.code_kwargs:  # a distance function written with F
        lines.append("import torch.nn.functional as F")
    lines += ["from torch import nn", ""]
    if case.code:  # a preset drawn from a seeded generator: the same draws, not 1000s of literals
        lines.append(f"g = torch.Generator().manual_seed({case.seed})")
    lines += [f"{name} = {case.code.get(name) or tensor_code(t)}" for name, t in case.args.items()]
    lines.append(f"loss_fn = nn.{spec.title}({_kwargs_code(spec, params)})")
    lines.append(f"loss = loss_fn({', '.join(case.args)})")
    lines.append("print(loss.tolist())")
    return "\n".join(lines) + "\n"


def _kwargs_code(spec: LossSpec, params: dict) -> str:
    """Constructor arguments that differ from torch's defaults, plus the reduction always."""
    code = spec.code_kwargs(params) if spec.code_kwargs else {}
    parts = []
    for p in spec.params:
        value = params[p.name]
        if p.name != "reduction" and value == p.default:
            continue
        if p.name in code:
            parts.append(f"{p.name}={code[p.name]}")
        elif isinstance(value, tuple):
            parts.append(f"{p.name}=torch.tensor({list(value)!r}, dtype=torch.float64)")
        else:
            parts.append(f"{p.name}={value!r}")
    return ", ".join(parts)
