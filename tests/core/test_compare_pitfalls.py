"""The compare views and the pitfalls: every curve is torch's (checked against the catalog and
the maths), every before/after says what the pitfall claims, and every code prints its number."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from core import compare, compute, pitfalls
from core.catalog import BY_KEY
from tests.core.test_snippets import RUNNER


def test_regression_lines_are_the_catalogs_losses_against_the_residual():
    lines = {line.key: line for line in compare.regression(beta=0.5, delta=2.0, var=1.5)}
    for key, params in (("l1", {}), ("mse", {}), ("smooth_l1", {"beta": 0.5}), ("huber", {"delta": 2.0})):
        spec = BY_KEY[key]
        xs = lines[key].x[::25]
        loss, grad = compute.curve_points(spec, {"input": 0.0, "target": 0.0}, params, xs)
        np.testing.assert_allclose(lines[key].loss[::25], loss, rtol=1e-12)
        np.testing.assert_allclose(lines[key].grad[::25], grad, rtol=1e-12)
    r = lines["gaussian_nll"].x
    np.testing.assert_allclose(lines["gaussian_nll"].loss, 0.5 * (math.log(1.5) + r**2 / 1.5), rtol=1e-12)


def test_an_outlier_costs_what_the_curves_say():
    costs = compare.outlier_costs(5.0, beta=1.0, delta=1.0, var=1.0)
    assert costs["l1"] == (5.0, 1.0) and costs["mse"] == (25.0, 10.0)
    assert costs["smooth_l1"] == (4.5, 1.0) and costs["huber"] == (4.5, 1.0)
    assert costs["gaussian_nll"][0] == pytest.approx(12.5)


def test_classification_surrogates_against_the_margin():
    lines = {line.key: line for line in compare.classification()}
    m = lines["hinge"].x
    np.testing.assert_allclose(lines["hinge"].loss, np.maximum(0, 1 - m), atol=1e-12)
    np.testing.assert_allclose(lines["squared_hinge"].loss, np.maximum(0, 1 - m) ** 2 / 2, atol=1e-12)
    np.testing.assert_allclose(lines["soft_margin"].loss, np.log1p(np.exp(-m)), rtol=1e-12)
    np.testing.assert_allclose(lines["bce_logits"].loss, lines["soft_margin"].loss, rtol=1e-12)
    np.testing.assert_array_equal(lines["zero_one"].loss, (m <= 0).astype(float))
    assert not lines["zero_one"].torch_loss and all(line.torch_loss for k, line in lines.items() if k != "zero_one")
    # every surrogate lies on or above the 0-1 loss where m < 0 (the logistic ones scaled by 1/log 2)
    assert np.all(lines["hinge"].loss >= lines["zero_one"].loss)
    assert np.all(lines["soft_margin"].loss / math.log(2) >= lines["zero_one"].loss - 1e-12)


def test_bce_on_a_sigmoid_clamps_at_100_and_loses_its_gradient():
    bce, logits = compare.probability()
    far = bce.x < -101
    assert np.all(bce.loss[far] == 100.0) and np.all(np.abs(bce.grad[far]) < 1e-30)
    np.testing.assert_allclose(logits.loss[far], -logits.x[far], rtol=1e-12)
    np.testing.assert_allclose(logits.grad[far], -1.0, rtol=1e-12)


def test_bce_on_a_sigmoid_loses_its_gradient_long_before_its_loss_clamps():
    # torch's BCE backward divides by max(p (1 - p), 1e-12): below p ≈ 1e-12 (a logit of about −27.6) the
    # gradient through the sigmoid vanishes, while the loss is still exact (−x) down to −100
    bce, _ = compare.probability()
    middle = (bce.x < -40) & (bce.x > -99)
    np.testing.assert_allclose(bce.loss[middle], -bce.x[middle], rtol=1e-9)
    assert np.all(np.abs(bce.grad[middle]) < 1e-3)


def test_finite_differences_of_the_compare_curves():
    bce, logits = compare.probability()
    exact = bce.x > -27  # see above: below it torch's BCE gradient is not the loss's slope
    trimmed = compare.Line("bce", bce.label, bce.x[exact], bce.loss[exact], bce.grad[exact])
    for line in compare.regression() + compare.classification()[1:] + [trimmed, logits]:
        slopes = np.diff(line.loss) / np.diff(line.x)
        left, right = slopes[:-1], slopes[1:]
        # away from kinks the one-sided slopes agree, and autograd's derivative lies between them
        smooth = np.abs(left - right) < 0.2 * np.maximum(np.abs(left), np.abs(right)) + 0.1
        assert smooth.mean() > 0.9, line.key
        g = line.grad[1:-1][smooth]
        low, high = np.minimum(left, right)[smooth], np.maximum(left, right)[smooth]
        slack = 0.05 * (high - low) + 1e-6
        outside = ~((g >= low - slack) & (g <= high + slack))
        assert outside.sum() <= 2, (line.key, line.x[1:-1][smooth][outside])  # a point or two where the clamp starts


# ---------------------------------------------------------------- pitfalls


def test_softmax_first_shrinks_the_gradient_and_keeps_the_loss_up():
    for scale in (2.0, 5.0, 10.0):
        before, after = pitfalls.run("softmax_ce", scale)
        assert before.grad < after.grad and before.loss > after.loss
    before, after = pitfalls.run("softmax_ce", 10.0)
    assert after.loss < 1e-3 < 0.5 < before.loss


def test_kl_given_probabilities_is_negative_and_the_fix_is_a_divergence():
    before, after = pitfalls.run("kl_probabilities", 0.0)
    assert before.loss == pytest.approx(-0.3335, abs=1e-4) and after.loss > 0
    assert pitfalls.run("kl_probabilities", 1.0)[1].loss == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("classes", [3, 7, 20])
def test_mean_divides_by_the_classes_too(classes):
    before, after = pitfalls.run("kl_mean", classes)
    assert before.loss == pytest.approx(after.loss / classes, rel=1e-12)


def test_bce_clamp_and_the_fused_loss():
    before, after = pitfalls.run("bce_extreme", -120.0)
    assert before.loss == 100.0 and before.grad < 1e-30
    assert after.loss == pytest.approx(120.0) and after.grad == pytest.approx(1.0)


def test_padding_hides_a_class_and_the_rest():
    before, after = pitfalls.run("multilabel_padding", 0.9)
    assert before.loss < after.loss
    assert after.loss == pytest.approx(0.85)  # classes 0 and 2 against 1 and 3, / 4


@pytest.mark.parametrize("residual", [-4.0, -0.5, 0.3, 3.0])
def test_huber_is_beta_times_smooth_l1(residual):
    before, after = pitfalls.run("beta_delta", residual)
    assert after.loss == pytest.approx(2.0 * before.loss, rel=1e-12)


@pytest.mark.parametrize("extra", [0, 2, 8])
def test_far_classes_shrink_multi_margin(extra):
    before, after = pitfalls.run("multi_margin_classes", extra)
    assert after.loss == pytest.approx(before.loss * 2 / (2 + extra), rel=1e-12)


@pytest.mark.parametrize("frames", [1, 2, 3, 6])
def test_ctc_infinity_and_zero_infinity(frames):
    before, after = pitfalls.run("ctc_infinity", frames)
    if frames < 3:
        assert before.loss == math.inf and after.loss == 0.0
    else:
        assert math.isfinite(before.loss) and after.loss == before.loss


def test_every_demo_has_a_mistake_and_a_fix_that_differ_at_its_default():
    assert len(pitfalls.DEMOS) == 8
    for demo in pitfalls.DEMOS:
        before, after = demo.run(demo.control.default)
        assert before.loss != after.loss, demo.key


def test_the_code_of_every_side_prints_its_number(tmp_path):
    expected, paths = {}, []
    for demo in pitfalls.DEMOS:
        for value in (demo.control.low, demo.control.default, demo.control.high):
            for i, side in enumerate(demo.run(demo.control.validate(type(demo.control.default)(value)))):
                path = tmp_path / f"{demo.key}_{value}_{i}.py"
                path.write_text(side.code)
                paths.append(str(path))
                expected[str(path)] = side.loss
    done = subprocess.run([sys.executable, "-c", RUNNER, *paths], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    printed = json.loads(done.stdout)
    for path in paths:
        assert float(printed[path]) == expected[path] or (math.isnan(expected[path])), open(path).read()
