"""Hyperparameter search over two local worker processes (joblib's loky backend).

On a cluster the same code runs on dask or ray workers by naming the backend
(see ``docs/distributed.md``); here loky stands in for them, which exercises
what they need as well: estimators pickled to other processes, fitted there,
scores sent back.
"""

from __future__ import annotations

import numpy as np
import pytest
from joblib import parallel_backend
from sklearn.model_selection import GridSearchCV
from sktime.classification.model_selection import TSCGridSearchCV

from sktime_ecoscale import EcoScaleClassifier

#: A network that cannot learn (lr 1e-12) next to one that does.
GRID = {"lr": [1e-12, 1e-2]}
#: Log loss, not accuracy: a continuous score that differs between any two
#: models, so equal scores mean equal models (2 epochs on 24 series predict
#: one class, and accuracy would tie at 0.5 whatever the workers trained).
#: 6 epochs at lr 1e-2 move the log loss well away from log(2); lr 1e-12 does not.
SCORING = "neg_log_loss"
#: Workers and the main process run the same float32 operations; allow for a
#: different reduction order (thread count): a few float32 ulps of the score.
RTOL = 1e-6


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    y = np.array(["a", "b"] * 12)
    X = rng.normal(size=(len(y), 2, 64)).astype(np.float32)
    X[y == "b", 0, 20:30] += 2.0
    return X, y


def _estimator():
    return EcoScaleClassifier(
        widths=(4, 4, 8, 8),
        max_epochs=6,
        valid_size=0.0,
        augment=False,
        device="cpu",
        random_state=0,
    )


def _check_same_search(parallel, sequential):
    """Workers trained the models the main process trains, and the grid reached them."""
    scores = np.asarray(parallel.cv_results_["mean_test_score"])
    expected = np.asarray(sequential.cv_results_["mean_test_score"])
    assert [p["lr"] for p in parallel.cv_results_["params"]] == GRID["lr"]
    np.testing.assert_allclose(scores, expected, rtol=RTOL)
    for k in range(2):  # per fold, not only on average
        np.testing.assert_allclose(
            parallel.cv_results_[f"split{k}_test_score"],
            sequential.cv_results_[f"split{k}_test_score"],
            rtol=RTOL,
        )
    # the two learning rates give two different models (lr reaches the network) ...
    assert abs(scores[0] - scores[1]) > 100 * RTOL * abs(scores).max(), scores
    # ... and the best is the better score's
    best = {"lr": GRID["lr"][int(np.argmax(expected))]}
    assert parallel.best_params_ == sequential.best_params_ == best


def test_sktime_grid_search_on_two_loky_workers(data):
    X, y = data
    parallel = TSCGridSearchCV(
        _estimator(), GRID, cv=2, scoring=SCORING, backend="loky", backend_params={"n_jobs": 2}
    ).fit(X, y)
    sequential = TSCGridSearchCV(_estimator(), GRID, cv=2, scoring=SCORING).fit(X, y)
    _check_same_search(parallel, sequential)
    # the refit is the best candidate fitted on all series
    best = _estimator().set_params(**parallel.best_params_).fit(X, y)
    np.testing.assert_array_equal(parallel.predict_proba(X[:3]), best.predict_proba(X[:3]))


def test_sklearn_grid_search_with_loky_backend(data):
    X, y = data
    with parallel_backend("loky", n_jobs=2):
        search = GridSearchCV(_estimator(), GRID, cv=2, n_jobs=2, scoring=SCORING).fit(X, y)
    sequential = GridSearchCV(_estimator(), GRID, cv=2, scoring=SCORING).fit(X, y)
    _check_same_search(search, sequential)
