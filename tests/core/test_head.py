"""LinearCrossEntropyLoss's views, in numbers: the head plane is torch's loss at each x of its grid,
its regions the argmax of the head's logits, its boundaries where the two largest logits tie; the
equality panel's two numbers agree for every setting the page allows, and the chunked path is taken
exactly when torch takes it."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, assume, given, settings

from core import compute, geometry
from core.catalog import LOSSES
from core.params import LossValueError
from tests.core.fallback import recording_fallback
from tests.core.strategies import values_of

HEADS = [spec for spec in LOSSES if spec.view == "head_plane"]
SPEC = HEADS[0] if HEADS else None
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _sample(values: dict, params: dict) -> compute.Sample:
    try:
        return compute.check(SPEC, values, params)
    except LossValueError:
        assume(False)
        raise


def _logits(plane, x, y):
    return np.array([x, y]) @ plane.weight.T + plane.bias


def test_the_head_plane_is_declared_by_linear_cross_entropy():
    assert [spec.title for spec in HEADS] == ["LinearCrossEntropyLoss"]


def test_the_head_plane_is_torchs_loss_at_every_point():
    spec = SPEC
    params = {"reduction": "sum", "bias": True, "label_smoothing": 0.1, "weight": (1.0, 2.0, 0.5)}
    values = {**spec.defaults(), "b0": 0.5, "b1": -0.3}
    plane = geometry.head_plane_of(compute.check(spec, values, params), grid=11)
    for i, j in ((0, 0), (3, 7), (10, 10), (5, 2)):
        at = {**values, "x0": float(plane.x[j]), "x1": float(plane.y[i])}
        expected = compute.evaluate(spec, compute.sample_case(spec, at, params), params).value
        assert plane.loss[i, j] == pytest.approx(expected, rel=1e-12)
    here = compute.evaluate(spec, compute.sample_case(spec, values, params), params).value
    assert plane.point == (values["x0"], values["x1"]) and plane.point_loss == pytest.approx(here, rel=1e-12)


@SETTINGS
@given(values_of(SPEC.all_inputs) if SPEC else values_of(()), values_of(SPEC.params) if SPEC else values_of(()))
def test_regions_are_the_argmax_and_boundaries_where_two_top_logits_tie(values, params):
    plane = geometry.head_plane_of(_sample(values, params), grid=21)
    for i in range(0, 21, 4):
        for j in range(0, 21, 4):
            logits = _logits(plane, plane.x[j], plane.y[i])
            assert logits[plane.predicted[i, j]] >= logits.max() - 1e-12
    assert _logits(plane, *plane.point)[plane.point_class] >= _logits(plane, *plane.point).max() - 1e-12
    on = plane.boundaries[np.isfinite(plane.boundaries).all(1)]
    for point in on:
        top = np.sort(_logits(plane, *point))[-2:]
        assert top[1] - top[0] <= 1e-9 * max(1.0, abs(top[1]))
        assert np.all((point >= plane.x[0] - 1e-12) & (point <= plane.x[-1] + 1e-12))
    for c, spot in enumerate(plane.spots):
        if np.isfinite(spot).all():
            assert int(np.argmax(_logits(plane, *spot))) == c
        else:
            assert not (plane.predicted == c).any()


def test_three_directions_at_120_degrees_give_three_regions_meeting_at_the_origin():
    values = {
        **SPEC.defaults(),
        **{"w0x": 2.0, "w0y": 0.0, "w1x": -1.0, "w1y": 1.7320508, "w2x": -1.0, "w2y": -1.7320508},
    }
    plane = geometry.head_plane_of(compute.check(SPEC, values, {"bias": False}), grid=41)
    assert set(np.unique(plane.predicted)) == {0, 1, 2}
    # the boundaries are the three rays from the origin at 60°, 180° and 300°
    on = plane.boundaries[np.isfinite(plane.boundaries).all(1)]
    angles = np.degrees(np.arctan2(on[:, 1], on[:, 0])) % 360
    away = np.hypot(*on.T) > 0.1
    assert np.all(np.min(np.abs(angles[away, None] - np.array([60.0, 180.0, 300.0])), axis=1) < 0.1)


def test_regions_do_not_depend_on_the_losss_parameters():
    """'Label smoothing, class weights and ignore_index change the loss's contours, not these regions.'"""
    base = geometry.head_plane_of(compute.check(SPEC, SPEC.defaults(), {}), grid=15)
    assert SPEC.defaults()["y"] == 0  # ignore_index=0 ignores the sample: a loss of 0 everywhere
    for params in ({"label_smoothing": 0.3}, {"weight": (0.2, 1.0, 3.0)}, {"ignore_index": 0}):
        other = geometry.head_plane_of(compute.check(SPEC, SPEC.defaults(), params), grid=15)
        np.testing.assert_array_equal(other.predicted, base.predicted)
        np.testing.assert_array_equal(other.boundaries, base.boundaries)
        assert not np.array_equal(other.loss, base.loss), params


@SETTINGS
@given(values_of(SPEC.all_inputs) if SPEC else values_of(()), values_of(SPEC.params) if SPEC else values_of(()))
def test_linear_cross_entropy_equals_cross_entropy_of_linear_for_every_setting(values, params):
    sample = _sample(values, params)
    eq = geometry.linear_equality(sample)
    assert eq.agree, (eq.difference, eq.tolerance)
    np.testing.assert_array_equal(eq.fused, compute.evaluation_of(sample).value)
    if not eq.chunked:  # the reference path is nn.Linear then cross-entropy: the same operations
        np.testing.assert_array_equal(eq.fused, eq.composed)


@SETTINGS
@given(values_of(SPEC.all_inputs) if SPEC else values_of(()), values_of(SPEC.params) if SPEC else values_of(()))
def test_the_chunked_path_is_taken_exactly_when_torch_takes_it(values, params):
    sample = _sample(values, params)
    kwargs = compute.torch_kwargs(SPEC, sample.params)
    _, ignored = recording_fallback(lambda: compute.forward(SPEC, kwargs, sample.case.args))
    chunked = geometry.chunked_path(kwargs, sample.case.args["target"])
    assert chunked == (kwargs["options"] is not None and not ignored)


def test_the_equality_notices_a_difference():
    """A broken head (the composed side given another bias) must not count as agreeing."""
    eq = geometry.Equality(
        np.array(1.0), np.array(1.0 + 1e-12), 1e-12, 1.0, float(torch.finfo(torch.float64).eps), False
    )
    assert not eq.agree and eq.ulps > geometry.ULPS
    eq = geometry.Equality(np.array(1.0), np.array(1.0), 0.0, 1.0, 2.2e-16, True)
    assert eq.agree and eq.ulps == 0
