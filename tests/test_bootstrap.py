"""Bootstrap intervals: the vectorised path equals the loop, strata hold, coverage is nominal."""

import functools

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from sktime_ecoscale.metrics import (
    BootstrapCI,
    auprc,
    auroc,
    bootstrap_ci,
    challenge_score,
    f1_at_thresholds,
    f_beta,
    f_max,
    g_beta,
)


def _multilabel(n=150, k=3, seed=0):
    rng = np.random.default_rng(seed)
    y = (rng.random((n, k)) < 0.3).astype(int)
    return y, np.round(0.5 * y + rng.random((n, k)), 2)


def _loop(metric, **kwargs):
    # a plain wrapper has no vectorised kernel: bootstrap_ci calls it per resample
    return lambda y_true, y_score: metric(y_true, y_score, **kwargs)


@pytest.mark.parametrize(
    "metric, kwargs",
    [
        (auroc, {}),
        (auprc, {"average": None}),
        (f1_at_thresholds, {"thresholds": 0.7}),
        (f_beta, {"thresholds": [0.6, 0.7, 0.8]}),
        (g_beta, {"beta": 1.5, "average": None}),
    ],
)
def test_vectorised_equals_loop_multilabel(metric, kwargs):
    y, s = _multilabel()
    fast = bootstrap_ci(metric, y, s, n=60, random_state=1, **kwargs)
    slow = bootstrap_ci(_loop(metric, **kwargs), y, s, n=60, random_state=1)
    np.testing.assert_allclose(fast.values, slow.values, rtol=0, atol=1e-12, equal_nan=True)
    np.testing.assert_allclose(np.asarray(fast.low), np.asarray(slow.low), atol=1e-12)


def test_vectorised_equals_loop_binary_multiclass_and_challenge():
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 200)
    s = np.round(y + rng.normal(size=200), 1)
    for metric in (auroc, auprc):
        fast = bootstrap_ci(metric, y, s, n=80, random_state=3).values
        np.testing.assert_allclose(
            fast, bootstrap_ci(_loop(metric), y, s, n=80, random_state=3).values, atol=1e-12
        )
    classes = np.array(["CD", "MI", "NORM"])
    yc = classes[rng.integers(0, 3, 200)]
    p = rng.dirichlet(np.ones(3), 200) + (yc[:, None] == classes) * 0.5
    fast = bootstrap_ci(auroc, yc, p, n=50, random_state=4, average=None)
    slow = bootstrap_ci(_loop(auroc, average=None), yc, p, n=50, random_state=4)
    np.testing.assert_allclose(fast.values, slow.values, atol=1e-12)
    assert list(fast.low.index) == list(classes)
    codes = pd.DataFrame((rng.random((200, 3)) < 0.3).astype(int), columns=["NSR", "AF", "IAVB"])
    score = np.clip(codes.to_numpy() + rng.normal(0, 0.4, codes.shape), 0, 1)
    fast = bootstrap_ci(challenge_score, codes, score, n=50, random_state=5)
    slow = bootstrap_ci(_loop(challenge_score), codes, score, n=50, random_state=5)
    np.testing.assert_allclose(fast.values, slow.values, atol=1e-12)


def test_partials_and_names_take_the_vectorised_path():
    y, s = _multilabel()
    by_name = bootstrap_ci("auroc", y, s, n=40, random_state=0, average=None)
    by_partial = bootstrap_ci(functools.partial(auroc, average=None), y, s, n=40, random_state=0)
    np.testing.assert_array_equal(by_name.values, by_partial.values)
    pd.testing.assert_series_equal(by_name.estimate, auroc(y, s, average=None))
    # a metric without a kernel (F-max) falls back to the loop
    ci = bootstrap_ci(f_max, y, s, n=20, random_state=0)
    assert ci.low <= ci.estimate <= ci.high and ci.values.shape == (20,)


def test_strata_keep_class_and_label_counts():
    rng = np.random.default_rng(6)
    y = rng.integers(0, 3, 120)
    s = rng.random(120)
    count = lambda yt, ys: float(np.sum(yt == 2))  # noqa: E731
    assert np.unique(bootstrap_ci(count, y, s, n=50, random_state=0).values).size == 1
    assert (
        np.unique(bootstrap_ci(count, y, s, n=50, random_state=0, stratify=False).values).size > 1
    )
    # multi-label: label sets with >= 10 records keep their size, so every label keeps its positives
    ym = np.repeat(np.array([[1, 0], [0, 1], [1, 1], [0, 0]]), 30, axis=0)
    positives = lambda yt, ys: np.asarray(yt).sum(axis=0).astype(float)  # noqa: E731
    values = bootstrap_ci(positives, ym, rng.random((120, 2)), n=30, random_state=0).values
    assert (values == 60).all()


def test_reproducible_and_validated():
    y, s = _multilabel()
    a = bootstrap_ci(auroc, y, s, n=30, random_state=7)
    b = bootstrap_ci(auroc, y, s, n=30, random_state=7)
    c = bootstrap_ci(auroc, y, s, n=30, random_state=8)
    np.testing.assert_array_equal(a.values, b.values)
    assert not np.array_equal(a.values, c.values)
    assert isinstance(a, BootstrapCI) and a.n == 30 and a.confidence == 0.95
    with pytest.raises(ValueError, match="positive int"):
        bootstrap_ci(auroc, y, s, n=0)
    with pytest.raises(ValueError, match="confidence"):
        bootstrap_ci(auroc, y, s, confidence=1.0)
    with pytest.raises(ValueError, match="unknown metric"):
        bootstrap_ci("accuracy", y, s)
    with pytest.raises(ValueError, match="stratify=False"):  # continuous y_true: no classes
        bootstrap_ci(lambda a, b: float(np.mean(a)), np.arange(10.0), np.zeros(10), n=5)


def test_interval_covers_a_known_auroc_at_the_nominal_rate():
    # negatives ~ N(0, 1), positives ~ N(1, 1): AUROC = Phi(1 / sqrt(2)) = 0.760
    truth = norm.cdf(1 / np.sqrt(2))
    y = np.r_[np.zeros(100, int), np.ones(100, int)]
    covered = 0
    for rep in range(200):
        s = np.random.default_rng([0, rep]).normal(size=200) + y
        ci = bootstrap_ci(auroc, y, s, n=500, random_state=rep)
        covered += ci.low <= truth <= ci.high
    # coverage of 200 intervals ~ Binomial(200, 0.95) / 200, sd 0.015: the band is 3 sd wide
    # each side, and the seeds are fixed (here 0.93; a 90% interval would give 0.86)
    assert 0.90 <= covered / 200 <= 0.99


def test_interval_covers_a_known_mean_through_the_loop():
    covered = 0
    for rep in range(200):
        s = np.random.default_rng([7, rep]).exponential(size=100)  # mean 1
        ci = bootstrap_ci(
            lambda y, v: float(np.mean(v)),
            np.zeros(100),
            s,
            n=400,
            random_state=rep,
            stratify=False,
        )
        covered += ci.low <= 1.0 <= ci.high
    assert 0.90 <= covered / 200 <= 0.99  # here 0.935; a 90% interval would give 0.87
