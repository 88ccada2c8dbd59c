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
        # the last of its valid extremes that is not the default (nor reduction='none')
        # (a value torch requires, fixed by the view, has no other: LinearCrossEntropyLoss's in_features)
        out[p.name] = next((v for v in reversed(p.ends()) if v != p.default and v != "none"), p.default)
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


# ---------------------------------------------------------------- every value (issue 12)

import contextlib  # noqa: E402
import io  # noqa: E402
import math  # noqa: E402
from functools import singledispatch  # noqa: E402

import pytest  # noqa: E402
from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from core.params import Float, LossValueError, Param, Vector  # noqa: E402
from core.snippet import literal  # noqa: E402
from tests.core.strategies import draws, value_of  # noqa: E402

SPECS = pytest.mark.parametrize("spec", LOSSES, ids=lambda s: s.key)


def run(code: str):
    """The snippet run as a program (a fresh namespace, __main__), and what it printed, parsed."""
    assert "eval(" not in code and "exec(" not in code
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "<snippet>", "exec"), {"__name__": "__main__"})  # the test runs it; the app never does
    return json.loads(
        out.getvalue().strip().replace("-inf", "-Infinity").replace("inf", "Infinity").replace("nan", "NaN")
    )


def same(printed, value, code: str) -> None:
    np.testing.assert_array_equal(np.asarray(printed, dtype=float), np.asarray(value, dtype=float), err_msg=code)


def edge_floats(low: float, high: float) -> st.SearchStrategy:
    """The range's ends, 0 and 1 where allowed (a probability of 0 or 1, a zero weight), or any value."""
    ends = [v for v in (low, high, 0.0, 1.0) if low <= v <= high]
    return st.sampled_from(ends) | st.floats(low, high, allow_nan=False)


@singledispatch
def edge_value(p: Param) -> st.SearchStrategy:
    """A value of `p`; a number drawn often at its range's ends, at 0 and at 1."""
    return value_of(p)


@edge_value.register
def _(p: Float) -> st.SearchStrategy:
    return edge_floats(p.low, p.high)


@edge_value.register
def _(p: Vector) -> st.SearchStrategy:
    entries = st.tuples(*[edge_floats(p.low, p.high)] * p.length)
    return st.none() | entries if p.optional else entries


def edge_draws(spec, max_rows: int = 3) -> st.SearchStrategy:
    def values(params):
        return st.fixed_dictionaries({p.name: edge_value(p) for p in params})

    return st.tuples(
        values(spec.params), st.lists(values(spec.inputs), min_size=1, max_size=max_rows), values(spec.options)
    )


def check_snippet(spec, case, params) -> None:
    code = snippet(spec, case, params)
    same(run(code), compute.evaluate(spec, case, params).value, code)


@SPECS
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(data=st.data())
def test_every_snippet_runs_and_prints_the_value_shown(spec, data):
    """Hypothesis draws of every parameter, input and option (zeros, probabilities 0 and 1, the
    range's ends included; every reduction): the snippet runs and prints compute.evaluate's value."""
    params, rows, options = data.draw(draws(spec) | edge_draws(spec))
    try:
        case = compute.batch_case(spec, rows, options, params)
        compute.evaluate(spec, case, params)
    except LossValueError:
        assume(False)
    check_snippet(spec, case, params)


@SPECS
def test_every_preset_and_reduction_snippet_prints_the_value_shown(spec):
    cases = [(compute.sample_case(spec, {}, {}), {}), (compute.batch_case(spec, list(spec.batch), {}, {}), {})]
    for preset in spec.presets:
        case = preset.make() if preset.make else compute.sample_case(spec, preset.values, preset.params)
        cases.append((case, preset.params))
    for case, params in cases:
        misfits = compute.class_vector_misfits(spec, case, params)
        params = {**params, **{name: None for name, _, _ in misfits}}  # as the page does (_fit_to_case)
        for reduction in spec.reductions():
            check_snippet(spec, case, {**params, "reduction": reduction})


@SPECS
@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan], ids=["inf", "-inf", "nan"])
def test_snippets_rebuild_infinite_and_nan_entries(spec, bad):
    """Any float tensor holding ±∞ or NaN, where torch accepts it: the snippet still runs and prints
    torch's value (no bare `inf`, which is a NameError)."""
    base = compute.batch_case(spec, list(spec.batch), {}, {})
    tried = 0
    for name, tensor in base.args.items():
        if not tensor.is_floating_point():
            continue
        changed = tensor.clone()
        changed.view(-1)[0] = bad
        case = type(base)({**base.args, name: changed})
        for reduction in spec.reductions():
            params = {"reduction": reduction}
            try:
                compute.evaluate(spec, case, params)
            except (RuntimeError, ValueError):
                continue  # torch refuses this value here (BCELoss's input outside [0, 1], ...)
            check_snippet(spec, case, params)
            tried += 1
    assert tried or spec.key == "bce"


def test_kl_div_with_a_zero_probability_prints_its_value():
    """Issue 12, example 4: KLDivLoss with some q_c = 0 (input -inf), or log_target with some p_c = 0."""
    spec = next(s for s in LOSSES if s.key == "kl_div")
    for values, params in (({"q0": 0.0}, {}), ({"p0": 0.0}, {"log_target": True})):
        case = compute.sample_case(spec, {**spec.defaults(), **values}, params)
        code = snippet(spec, case, params)
        assert 'float("-inf")' in code
        check_snippet(spec, case, params)


def test_literal_writes_every_float_as_python():
    assert literal([1.5, math.inf, -math.inf, [math.nan, -0.0], 3]) == (
        '[1.5, float("inf"), float("-inf"), [float("nan"), -0.0], 3]'
    )
    for x in (0.1, 1e-300, -2.5e17, 5e-324):
        assert float(literal(x)) == x
