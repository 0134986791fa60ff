"""Lead names as fitted facts: a named subset of the training leads at predict is a set of missing leads."""

import numpy as np
import pytest
from sktime.datatypes import convert_to

from sktime_ecoscale import EcoScaleClassifier
from sktime_ecoscale.classification import load_model

LEADS = ["I", "II", "V1"]
TINY = dict(widths=(4, 4, 8, 8), max_epochs=2, n_networks=1, device="cpu", random_state=0)


def _panel(X, names):
    Xm = convert_to(X, "pd-multiindex")
    Xm.columns = names
    return Xm


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(16, 3, 40)).astype(np.float32)
    y = np.array(["a", "b"] * 8)
    X[y == "b", 1] += 1.0
    return X, y


@pytest.fixture(scope="module")
def fitted(data):
    X, y = data
    return EcoScaleClassifier(**TINY).fit(_panel(X, LEADS), y)


def test_leads_come_from_the_panel_columns_or_the_parameter(data, fitted):
    X, y = data
    assert fitted.leads_ == LEADS
    assert EcoScaleClassifier(**TINY).fit(X, y).leads_ is None  # numpy: unnamed
    named = EcoScaleClassifier(leads=["aVR", "aVL", "aVF"], **TINY).fit(X, y)
    assert named.leads_ == ["aVR", "aVL", "aVF"]
    with pytest.raises(ValueError, match="2 lead names"):
        EcoScaleClassifier(leads=["I", "II"], **TINY).fit(X, y)


def test_a_named_subset_in_any_order_is_the_missing_lead_rule(data, fitted):
    X, _ = data
    subset = fitted.predict_proba(_panel(X[:, [1, 0]], ["II", "I"]))
    missing = X.copy()
    missing[:, 2] = np.nan  # V1 missing: the input rule's missing lead
    np.testing.assert_array_equal(subset, fitted.predict_proba(missing))
    full_reordered = fitted.predict_proba(_panel(X[:, [2, 0, 1]], ["V1", "I", "II"]))
    np.testing.assert_array_equal(full_reordered, fitted.predict_proba(X))
    prepared = fitted.prepare_input(_panel(X[:, [1, 0]], ["II", "I"]))
    assert prepared.shape[1] == 3 and not prepared[:, 2].any()  # V1 at the training mean


def test_unknown_or_repeated_leads_are_clear_errors(data, fitted):
    X, _ = data
    with pytest.raises(ValueError, match=r"leads \['V6'\] that the model never saw"):
        fitted.predict(_panel(X, ["I", "II", "V6"]))
    with pytest.raises(ValueError, match="names a lead twice"):
        fitted.predict(_panel(X, ["I", "i", "II"]))  # the same lead in two spellings
    with pytest.raises(ValueError, match="2 channels but the model was fitted on 3"):
        fitted.predict(X[:, :2])  # unnamed: no mapping


def test_lead_names_survive_save_and_load(data, fitted, tmp_path):
    X, _ = data
    back = load_model(fitted.save_model(tmp_path / "m"), device="cpu")
    assert back.leads_ == LEADS
    panel = _panel(X[:, [1]], ["II"])
    np.testing.assert_array_equal(back.predict_proba(panel), fitted.predict_proba(panel))


# ---------------------------------------------------------------- sampling rate
def _timed(X, fs, names=("I", "II", "V1")):
    import pandas as pd

    frames = []
    for i, x in enumerate(X):
        time = pd.to_timedelta(np.arange(x.shape[-1]) / fs, unit="s")
        index = pd.MultiIndex.from_product([[i], time], names=["instance", "time"])
        frames.append(pd.DataFrame(x.T, index=index, columns=list(names)))
    return pd.concat(frames)


def test_sampling_rate_is_a_fitted_fact_and_other_rates_are_resampled(data, tmp_path):
    from sktime_ecoscale.utils import resample

    X, y = data
    clf = EcoScaleClassifier(**TINY).fit(_timed(X, 100.0), y)
    assert clf.fs_ == 100.0
    slow = np.stack([resample(x, 100.0, 50.0) for x in X])  # the same records at 50 Hz
    with pytest.warns(UserWarning, match="assumed to be the model's 100 Hz"):
        expected = clf.predict_proba(np.stack([resample(x, 50.0, 100.0) for x in slow]))
    np.testing.assert_allclose(clf.predict_proba(_timed(slow, 50.0)), expected, atol=1e-6)
    with pytest.warns(UserWarning, match="no sampling rate .* assumed to be the model's 100 Hz"):
        clf.predict_proba(X)
    back = load_model(clf.save_model(tmp_path / "m"), device="cpu")
    assert back.fs_ == 100.0
    np.testing.assert_array_equal(
        back.predict_proba(_timed(slow, 50.0)), clf.predict_proba(_timed(slow, 50.0))
    )


def test_fs_parameter_and_conflicts(data):
    X, y = data
    assert EcoScaleClassifier(fs=250, **TINY).fit(X, y).fs_ == 250.0
    assert EcoScaleClassifier(**TINY).fit(X, y).fs_ is None  # numpy, no fs: unknown
    with pytest.raises(ValueError, match="fs=500 but the data is sampled at 100 Hz"):
        EcoScaleClassifier(fs=500, **TINY).fit(_timed(X, 100.0), y)
    with pytest.raises(ValueError, match="fs must be None or a sampling rate"):
        EcoScaleClassifier(fs=-1, **TINY).fit(X, y)
