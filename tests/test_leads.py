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
