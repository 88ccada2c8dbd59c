"""The 2-D views' numbers: planes are torch's loss at each grid point, the triplet's arrows are
autograd's gradients, and each class's share adds up to torch's loss."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from core import compute, geometry
from core.catalog import BY_KEY
from tests.core.strategies import values_of


@pytest.mark.parametrize(
    "key, fields, span",
    [
        ("cross_entropy", ("z0", "z1"), (-5.0, 5.0)),
        ("nll", ("x0", "x1"), (-6.0, 1.0)),
        ("margin_ranking", ("x1", "x2"), (-3.0, 3.0)),
    ],
)
def test_a_plane_is_torchs_loss_at_every_point(key, fields, span):
    spec = BY_KEY[key]
    params = {"reduction": "sum"}
    plane = geometry.plane(spec, spec.defaults(), params, fields, span, grid=11)
    for i, j in ((0, 0), (3, 7), (10, 10), (5, 2)):
        values = {**spec.defaults(), fields[0]: float(plane.x[j]), fields[1]: float(plane.y[i])}
        expected = compute.evaluate(spec, compute.sample_case(spec, values, params), params).value
        assert plane.loss[i, j] == pytest.approx(expected, rel=1e-12)


def test_the_true_class_probability_plane():
    spec = BY_KEY["cross_entropy"]
    plane = geometry.plane(
        spec, spec.defaults(), {}, ("z0", "z1"), (-5.0, 5.0), grid=5, extra=geometry.true_class_probability(True)
    )
    z = np.array([plane.x[4], plane.y[0], spec.defaults()["z2"]])
    assert plane.extra[0, 4] == pytest.approx(np.exp(z[0]) / np.exp(z).sum())


@pytest.mark.parametrize("key", ["triplet_margin", "triplet_distance"])
def test_triplet_arrows_are_autograds_gradients(key):
    spec = BY_KEY[key]
    points = geometry.triplet(spec, spec.defaults(), {})
    result = compute.evaluate(spec, compute.sample_case(spec, spec.defaults(), {}), {"reduction": "sum"})
    for name in ("anchor", "positive", "negative"):
        np.testing.assert_array_equal(points.grads[name], result.grads[name][0])
    assert points.loss == pytest.approx(max(0.0, 1.0 + points.d_pos - points.d_neg))


def test_the_margin_ring_is_a_p_circle():
    ring = geometry.p_ball(np.array([1.0, -1.0]), 2.0, 1.0)
    assert np.allclose(np.abs(ring - [1.0, -1.0]).sum(1), 2.0)
    ring = geometry.p_ball(np.zeros(2), 1.5, 2.0)
    assert np.allclose(np.hypot(*ring.T), 1.5)


@pytest.mark.parametrize("key", ["multi_margin", "multilabel_margin", "multilabel_soft_margin"])
def test_class_shares_add_up_to_torchs_loss(key):
    spec = BY_KEY[key]

    @settings(max_examples=60, deadline=None)
    @given(values_of(spec.inputs), values_of(spec.params))
    def check(values, params):
        case = compute.sample_case(spec, values, params)
        shares = geometry.class_shares(spec, case, params)
        torch_value = compute.evaluate(spec, case, {**params, "reduction": "sum"}).value
        assert shares.sum() == pytest.approx(torch_value, rel=1e-9, abs=1e-12)
        assert np.all(shares >= -1e-15)

    check()
