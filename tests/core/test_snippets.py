"""Every "Copy as PyTorch" snippet, run in a fresh Python, prints exactly the number core computed."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np

from core import compute
from core.catalog import LOSSES
from core.snippet import snippet

# Runs each snippet file with runpy in one interpreter (one torch import) and reports its output.
RUNNER = """
import contextlib, io, json, runpy, sys
out = {}
for path in sys.argv[1:]:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        runpy.run_path(path, run_name="__main__")
    out[path] = buffer.getvalue()
print(json.dumps(out))
"""


def _non_default_params(spec):
    """Every declared parameter moved off its default where it can be: the snippet must carry it."""
    out = {}
    for p in spec.params:
        if p.kind == "choice":
            out[p.name] = next(c for c in p.choices if c != p.default and c != "none")
        elif p.kind == "bool":
            out[p.name] = not p.default
        elif p.kind == "vector":
            out[p.name] = tuple(round(0.5 + 0.25 * i, 2) for i in range(p.length))
        elif p.kind in ("float", "int"):
            out[p.name] = p.high if p.default != p.high else p.low
    return out


def _jobs():
    for spec in LOSSES:
        yield spec, compute.sample_case(spec, {}, {}), {}
        params = _non_default_params(spec)
        if spec.key == "cross_entropy":
            params["ignore_index"] = 1
        if spec.key == "poisson_nll":
            params["log_input"] = True  # the batch has a negative input: a log-rate, not a rate
        yield spec, compute.batch_case(spec, list(spec.batch), {}, params), params
        for preset in spec.presets:
            case = preset.make() if preset.make else compute.sample_case(spec, preset.values, preset.params)
            yield spec, case, preset.params


def test_snippets_print_the_number_core_computed(tmp_path):
    expected, paths = {}, []
    for i, (spec, case, params) in enumerate(_jobs()):
        path = tmp_path / f"snippet_{i}_{spec.key}.py"
        code = snippet(spec, case, params)
        assert "eval(" not in code and "exec(" not in code
        path.write_text(code)
        paths.append(str(path))
        expected[str(path)] = compute.evaluate(spec, case, params).value
    done = subprocess.run([sys.executable, "-c", RUNNER, *paths], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    printed = json.loads(done.stdout)
    assert len(printed) == len(paths) > 60
    for path in paths:
        got = json.loads(printed[path].strip().replace("inf", "Infinity").replace("nan", "NaN"))
        np.testing.assert_array_equal(
            np.asarray(got, dtype=float), np.asarray(expected[path], dtype=float), err_msg=open(path).read()
        )


def test_snippet_shows_only_changed_params_and_the_reduction():
    spec = next(s for s in LOSSES if s.key == "smooth_l1")
    code = snippet(spec, compute.sample_case(spec, {}, {}), {})
    assert "nn.SmoothL1Loss(reduction='mean')" in code and "beta" not in code
    code = snippet(spec, compute.sample_case(spec, {}, {}), {"beta": 0.5, "reduction": "sum"})
    assert "nn.SmoothL1Loss(reduction='sum', beta=0.5)" in code


def test_article_snippets_redraw_from_the_seeded_generator():
    spec = next(s for s in LOSSES if s.key == "triplet_margin")
    code = snippet(spec, spec.preset("article").make(), {})
    assert "torch.Generator().manual_seed(0)" in code
    assert "anchor = torch.randn((100, 128), generator=g, dtype=torch.float64)" in code
    assert len(code) < 1000
