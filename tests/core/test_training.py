"""The playground's training: seeded data, deterministic runs, and the outcome the page teaches."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from core import training


def line_fit(data: training.Data, loss: str, steps: int = 600, lr: float = 0.05, seed: int = 0) -> tuple[float, float]:
    """The slope and intercept a linear model reaches under `loss`."""
    model = training.make_model("linear", 1, training.outputs_for(loss), seed=seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        training.loss_value(loss, model(data.x), data.y, {}).backward()
        optimizer.step()
    weight, bias = model.parameters()  # a linear model's only ones
    return weight[0, 0].item(), bias[0].item()


def accuracy(data: training.Data, probability: np.ndarray) -> float:
    return float(((probability > 0.5) == data.y.numpy().astype(bool)).mean())


def test_data_is_seeded_and_has_the_outliers_asked_for():
    a = training.regression_data(n=80, outlier_fraction=0.25, seed=3)
    b = training.regression_data(n=80, outlier_fraction=0.25, seed=3)
    assert torch.equal(a.x, b.x) and torch.equal(a.y, b.y) and int(a.outlier.sum()) == 20
    c = training.classification_data("moons", n=100, positive_share=0.3, label_noise=0.0, seed=1)
    assert int(c.y.sum()) == 30 and not c.outlier.any()


def test_training_is_deterministic_for_a_seed():
    data = training.classification_data("blobs", seed=2)
    first = list(training.train(data, "bce_logits", "mlp", steps=60, seed=5))
    second = list(training.train(data, "bce_logits", "mlp", steps=60, seed=5))
    assert [s.loss for s in first] == [s.loss for s in second]
    assert [s.step for s in first] == list(range(10, 61, 10))
    np.testing.assert_array_equal(first[-1].prediction, second[-1].prediction)


def test_interleaved_runs_train_like_single_runs():
    # the page trains several losses in lock step: grad mode must not leak between the generators
    data = training.regression_data(seed=0)
    together = list(zip(training.train(data, "l1", steps=40), training.train(data, "mse", steps=40), strict=True))
    alone = list(training.train(data, "mse", steps=40))
    assert [b.loss for _, b in together] == [s.loss for s in alone]


def test_under_outliers_l1_and_huber_keep_the_slope_mse_does_not():
    data = training.regression_data(outlier_fraction=0.2, outlier_size=8.0, seed=0)
    slopes = {loss: line_fit(data, loss)[0] for loss in ("l1", "huber", "mse")}
    err = {k: abs(v - training.TRUE_SLOPE) for k, v in slopes.items()}
    assert err["l1"] < err["mse"] and err["huber"] < err["mse"]
    intercepts = {loss: line_fit(data, loss)[1] for loss in ("l1", "mse")}
    assert abs(intercepts["mse"] - training.TRUE_INTERCEPT) > 1.0 > abs(intercepts["l1"] - training.TRUE_INTERCEPT)


@pytest.mark.parametrize("loss", training.CLASSIFICATION_LOSSES)
def test_every_classification_loss_learns_the_blobs(loss):
    data = training.classification_data("blobs", seed=0)
    last = list(training.train(data, loss, "linear", steps=200, lr=0.05))[-1]
    assert accuracy(data, last.prediction) > 0.85


def test_the_gaussian_nll_learns_a_variance():
    data = training.regression_data(outlier_fraction=0.0, seed=0)
    model = training.make_model("linear", 1, 2, seed=0)
    first = training.loss_value("gaussian_nll", model(data.x), data.y, {})
    last = list(training.train(data, "gaussian_nll", steps=300))[-1]
    assert last.loss < first.item() and np.isfinite(last.loss)
