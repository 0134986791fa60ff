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

GRID = {"lr": [1e-3, 1e-2]}


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    y = np.array(["a", "b"] * 12)
    X = rng.normal(size=(len(y), 2, 64)).astype(np.float32)
    X[y == "b", 0, 20:30] += 2.0
    return X, y


def _estimator():
    return EcoScaleClassifier(
        widths=(4, 4, 8, 8), max_epochs=2, valid_size=0.0, augment=False, device="cpu",
        random_state=0,
    )


def test_sktime_grid_search_on_two_loky_workers(data):
    X, y = data
    parallel = TSCGridSearchCV(
        _estimator(), GRID, cv=2, backend="loky", backend_params={"n_jobs": 2}
    ).fit(X, y)
    sequential = TSCGridSearchCV(_estimator(), GRID, cv=2).fit(X, y)
    assert len(parallel.cv_results_["params"]) == len(GRID["lr"])
    # fixed random_state: workers train the same models as the main process
    np.testing.assert_allclose(
        parallel.cv_results_["mean_test_score"], sequential.cv_results_["mean_test_score"]
    )
    assert parallel.best_params_ == sequential.best_params_
    assert parallel.predict(X[:3]).shape == (3,)


def test_sklearn_grid_search_with_loky_backend(data):
    X, y = data
    with parallel_backend("loky", n_jobs=2):
        search = GridSearchCV(_estimator(), GRID, cv=2, n_jobs=2).fit(X, y)
    assert set(search.best_params_) == {"lr"}
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
