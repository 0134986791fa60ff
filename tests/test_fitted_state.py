"""fit_dataset and load_model leave sktime's fitted state exactly as fit does."""

import numpy as np
import pandas as pd
import pytest

from sktime_ecoscale import EcoScaleClassifier
from sktime_ecoscale.classification._fitted_state import SKTIME_FITTED_ATTRIBUTES
from sktime_ecoscale.datasets import ArrayDataset

SMALL = dict(widths=(4, 4, 8, 8), max_epochs=1, batch_size=4, device="cpu", random_state=0)
COMPARED = ("classes_", "n_classes_", "_class_dictionary", "_y_inner_mtype", "_is_vectorized")


@pytest.fixture(scope="module")
def panel():
    X = np.random.default_rng(0).normal(size=(12, 2, 32)).astype("float32")
    return X


def _y(multilabel):
    if multilabel:
        return pd.DataFrame({"MI": [0, 1, 1, 0] * 3, "STTC": [1, 0, 1, 0] * 3})
    return np.array(["af", "norm", "other"] * 4)


def _same_state(a, b):
    for name in SKTIME_FITTED_ATTRIBUTES:
        assert hasattr(b, name), name
    for name in COMPARED:
        left, right = getattr(a, name), getattr(b, name)
        if isinstance(left, np.ndarray):
            np.testing.assert_array_equal(left, right)
        else:
            assert left == right, name
    for key in ("is_univariate", "mtype"):
        assert a._y_metadata[key] == b._y_metadata[key], key


@pytest.mark.parametrize("multilabel", [False, True])
def test_fit_dataset_sets_the_state_fit_sets(panel, multilabel):
    y = _y(multilabel)
    fitted = EcoScaleClassifier(**SMALL).fit(panel, y)
    from_dataset = EcoScaleClassifier(**SMALL).fit_dataset(ArrayDataset(panel, y))
    _same_state(fitted, from_dataset)
    pred_a, pred_b = fitted.predict(panel), from_dataset.predict(panel)
    assert type(pred_a) is type(pred_b)
    if multilabel:
        assert list(pred_a.columns) == list(pred_b.columns) == ["MI", "STTC"]


@pytest.mark.parametrize("multilabel", [False, True])
def test_load_model_restores_the_state_fit_set(panel, multilabel, tmp_path):
    fitted = EcoScaleClassifier(**SMALL).fit(panel, _y(multilabel))
    loaded = EcoScaleClassifier.load_model(fitted.save_model(tmp_path / "m"))
    _same_state(fitted, loaded)
    pd.testing.assert_frame_equal(
        pd.DataFrame(np.asarray(fitted.predict_proba(panel))),
        pd.DataFrame(np.asarray(loaded.predict_proba(panel))),
    )
