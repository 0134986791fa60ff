"""The input rule (InputScaling) is fitted once and applied alike on every path."""

import numpy as np
import pytest
import torch

from sktime_ecoscale import EcoScaleClassifier
from sktime_ecoscale.datasets import ArrayDataset
from sktime_ecoscale.utils import InputScaling, standardize_per_lead

SMALL = dict(widths=(4, 4, 8, 8), max_epochs=2, batch_size=4, device="cpu", random_state=0)


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    # two classes that differ only in amplitude: per-series standardisation erases it
    X = rng.normal(size=(16, 2, 40)).astype("float32") * np.repeat([1.0, 5.0], 8)[:, None, None]
    X[:, 1] += 3.0
    y = np.repeat(["quiet", "loud"], 8)
    return X.astype("float32"), y


def test_channel_statistics_are_those_of_the_training_series(data):
    X, _ = data
    scaling = InputScaling.fit("channel", X)
    np.testing.assert_allclose(scaling.mean, X.mean(axis=(0, 2)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(scaling.std, X.std(axis=(0, 2)), rtol=1e-5)
    scaled = scaling(X[3])
    expected = (X[3] - X.mean(axis=(0, 2))[:, None]) / X.std(axis=(0, 2))[:, None]
    np.testing.assert_allclose(scaled, expected, rtol=1e-4, atol=1e-5)


def test_series_mode_is_per_lead_standardisation(data):
    X, _ = data
    expected = standardize_per_lead(np.asarray(X[0], dtype=np.float64)).astype(np.float32)
    np.testing.assert_array_equal(InputScaling("series")(X[0]), expected)  # one rounding


def test_a_flat_channel_stays_finite():
    X = np.full((3, 2, 10), 3.0, dtype="float32")
    X[:, 0] = np.arange(10)
    scaling = InputScaling.fit("channel", X)
    assert scaling.std[1] == 1.0 and np.isfinite(scaling(X[0])).all()


def test_an_all_zero_lead_is_missing_in_the_statistics_and_the_input():
    from sktime_ecoscale.utils import prepare_series

    X = np.full((3, 2, 10), 3.0, dtype="float32")
    X[:, 0] = np.arange(10)
    X[0, 1] = 0.0  # lead off in one series: not part of the channel statistics
    scaling = InputScaling.fit("channel", X)
    assert scaling.mean[1] == 3.0
    assert np.isnan(scaling(X[0])[1]).all()  # missing, filled by the input rule:
    np.testing.assert_array_equal(prepare_series(X[0], 10, scaling)[1], np.zeros(10))


def test_fit_uses_the_training_part_only(data):
    X, y = data
    clf = EcoScaleClassifier(input_scaling="channel", valid_size=0.25, **SMALL).fit(X, y)
    stats = clf.input_scaling_
    assert stats.mode == "channel"
    full = InputScaling.fit("channel", X)
    assert not np.allclose(stats.mean, full.mean)  # the 4 validation series were left out


def test_prepare_input_is_what_predict_feeds_the_network(data):
    X, y = data
    clf = EcoScaleClassifier(input_scaling="channel", **SMALL).fit(X, y)
    prepared = clf.prepare_input(X)
    np.testing.assert_allclose(prepared, clf.input_scaling_(X), rtol=1e-6)
    with torch.inference_mode():
        logits = clf._inference_module()(torch.from_numpy(prepared)).numpy()
    probas = clf.target_encoder_.probabilities(logits)[0]
    np.testing.assert_allclose(probas, clf.predict_proba(X), rtol=1e-5, atol=1e-6)


def test_fit_dataset_fits_the_same_rule_as_fit(data):
    X, y = data
    a = EcoScaleClassifier(input_scaling="channel", **SMALL).fit(X, y)
    b = EcoScaleClassifier(input_scaling="channel", **SMALL).fit_dataset(ArrayDataset(X, y))
    np.testing.assert_allclose(a.input_scaling_.mean, b.input_scaling_.mean, rtol=1e-6)
    np.testing.assert_allclose(a.input_scaling_.std, b.input_scaling_.std, rtol=1e-6)


def test_channel_scaling_round_trips_through_model_files(data, tmp_path):
    X, y = data
    clf = EcoScaleClassifier(input_scaling="channel", **SMALL).fit(X, y)
    loaded = EcoScaleClassifier.load_model(clf.save_model(tmp_path / "m"))
    assert loaded.input_scaling_ == clf.input_scaling_
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))


def test_unknown_input_scaling_is_refused_by_name(data):
    X, y = data
    with pytest.raises(ValueError, match="input_scaling"):
        EcoScaleClassifier(input_scaling="minmax", **SMALL).fit(X, y)
