"""Decision thresholds: tuned per class, applied by ``predict`` only, kept by every format."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import fbeta_score

from sktime_ecoscale import EcoScaleClassifier
from sktime_ecoscale.classification._export import decision_path
from sktime_ecoscale.datasets import ArrayDataset, load_ucr_uea
from sktime_ecoscale.metrics import tune_thresholds

TINY = dict(
    widths=(4, 4, 8, 8), max_epochs=3, batch_size=16, n_networks=1, random_state=0, device="cpu"
)


@pytest.fixture(scope="module")
def ecg200(shared_data):
    X, y = load_ucr_uea("ECG200", split="train", data_home=shared_data / "ucr")
    return X, np.asarray(y)


def _best_by_grid(y, score, beta):
    """Brute force: sklearn's F-beta at every distinct score used as the threshold."""
    return max(fbeta_score(y, score >= s, beta=beta, zero_division=0) for s in np.unique(score))


@pytest.mark.parametrize("beta", [1.0, 2.0])
def test_tuned_thresholds_reach_the_best_f_beta_of_every_class(beta):
    rng = np.random.default_rng(0)
    y = rng.random((300, 4)) < [0.05, 0.2, 0.5, 0.8]
    score = np.clip(y * 0.3 + rng.random((300, 4)), 0, 1)
    tuned = tune_thresholds(y.astype(int), score, labels=list("abcd"), beta=beta)
    assert list(tuned.index) == list("abcd")
    for k, name in enumerate("abcd"):
        reached = fbeta_score(y[:, k], score[:, k] >= tuned[name], beta=beta)
        assert reached == pytest.approx(_best_by_grid(y[:, k], score[:, k], beta), abs=1e-12)


def test_tuned_threshold_of_a_binary_problem_and_of_a_class_without_positives():
    y = np.array(["n", "n", "n", "p", "p", "p"])
    tuned = tune_thresholds(y, np.array([0.1, 0.2, 0.35, 0.3, 0.4, 0.45]))
    assert tuned.to_dict() == {"p": pytest.approx(0.25)}
    none = tune_thresholds(np.zeros((4, 1), int), np.ones((4, 1)) * 0.3)
    assert np.isnan(none.iloc[0])
    with pytest.raises(ValueError, match="beta"):
        tune_thresholds(y, np.ones(6), beta=0)


def test_a_threshold_changes_predict_and_not_predict_proba(ecg200):
    X, y = ecg200
    argmax = EcoScaleClassifier(**TINY).fit(X, y)
    p1 = argmax.predict_proba(X)[:, 1]
    t = float(np.median(p1))  # half the series on each side: a real change from 0.5
    assert abs(t - 0.5) > 1e-3
    thresholded = EcoScaleClassifier(**TINY, decision_threshold=t).fit(X, y)
    np.testing.assert_array_equal(thresholded.predict_proba(X), argmax.predict_proba(X))
    expected = argmax.classes_[(p1 >= t).astype(int)]
    np.testing.assert_array_equal(thresholded.predict(X), expected)
    assert (thresholded.predict(X) != argmax.predict(X)).any()
    assert thresholded.decision_thresholds_.to_dict() == {"1": t}
    assert argmax.decision_thresholds_ is None


def test_f1_thresholds_are_tuned_on_the_validation_data(ecg200):
    X, y = ecg200
    clf = EcoScaleClassifier(**TINY, decision_threshold="f1")
    clf.fit_dataset(ArrayDataset(X[:70], y[:70]), valid_dataset=ArrayDataset(X[70:], y[70:]))
    by_hand = tune_thresholds(y[70:], clf.predict_proba(X[70:]), labels=list(clf.classes_))
    assert clf.decision_thresholds_.iloc[0] == pytest.approx(by_hand.iloc[0], abs=1e-6)
    p1 = clf.predict_proba(X)[:, 1]
    expected = clf.classes_[(p1 >= clf.decision_thresholds_.iloc[0]).astype(int)]
    np.testing.assert_array_equal(clf.predict(X), expected)


def test_without_a_validation_split_thresholds_come_from_out_of_fold_fits(ecg200):
    X, y = ecg200
    clf = EcoScaleClassifier(**{**TINY, "max_epochs": 2}, decision_threshold="fbeta").fit(X, y)
    t = clf.decision_thresholds_.iloc[0]
    assert 0.0 < t < 1.0
    # the main network is the one a fit without thresholds trains
    plain = EcoScaleClassifier(**{**TINY, "max_epochs": 2}).fit(X, y)
    np.testing.assert_array_equal(clf.predict_proba(X), plain.predict_proba(X))


def test_multilabel_and_multiclass_rules(ecg200, shared_data):
    X, y = ecg200
    rng = np.random.default_rng(0)
    labels = pd.DataFrame(
        {"abnormal": (y == "-1").astype(int), "noise": rng.integers(0, 2, len(y))}
    )
    clf = EcoScaleClassifier(**TINY, decision_threshold={"abnormal": 0.3}).fit(X, labels)
    assert clf.decision_thresholds_.to_dict() == {"abnormal": 0.3, "noise": 0.5}
    proba, pred = clf.predict_proba(X), clf.predict(X)
    np.testing.assert_array_equal(pred["abnormal"], (proba[("abnormal", 1)] >= 0.3).astype(int))
    np.testing.assert_array_equal(pred["noise"], (proba[("noise", 1)] >= 0.5).astype(int))
    # multi-class: argmax of each probability over its class's threshold
    from sktime.datasets import load_basic_motions

    Xm, ym = load_basic_motions(split="train", return_type="numpy3D")
    multi = EcoScaleClassifier(**TINY, decision_threshold={"walking": 0.9}).fit(Xm, ym)
    t = multi.decision_thresholds_
    assert t.to_dict() == {"badminton": 0.25, "running": 0.25, "standing": 0.25, "walking": 0.9}
    p = multi.predict_proba(Xm)
    np.testing.assert_array_equal(multi.predict(Xm), multi.classes_[np.argmax(p / t.to_numpy(), 1)])


def test_thresholds_survive_save_load_and_onnx_export(ecg200, tmp_path):
    X, y = ecg200
    clf = EcoScaleClassifier(**TINY, decision_threshold=0.7).fit(X, y)
    clf.save_model(tmp_path / "model")
    loaded = EcoScaleClassifier.load_model(tmp_path / "model")
    pd.testing.assert_series_equal(loaded.decision_thresholds_, clf.decision_thresholds_)
    np.testing.assert_array_equal(loaded.predict(X), clf.predict(X))
    pytest.importorskip("onnx")
    path = clf.export_onnx(tmp_path / "model.onnx")
    decision = json.loads(decision_path(path).read_text())
    assert decision["decision_thresholds"] == [0.7]
    assert decision["columns"] == ["1"] and decision["outputs"][0]["classes"] == ["-1", "1"]


@pytest.mark.parametrize(
    "value, message",
    [
        ("f2", "decision_threshold must be None"),
        (1.5, r"floats in \(0, 1\)"),
        ({"AF": True}, r"floats in \(0, 1\)"),
        ({"AF": 0.3}, r"names \['AF'\]"),
    ],
)
def test_bad_thresholds_are_refused_before_training(ecg200, value, message):
    X, y = ecg200
    clf = EcoScaleClassifier(**TINY, decision_threshold=value)
    with pytest.raises(ValueError, match=message):
        clf.fit(X, y)
    assert not hasattr(clf, "net_")


# ---------------------------------------------------------------- calibration
def test_temperature_calibration_is_fitted_held_out_saved_and_keeps_the_argmax(tmp_path):
    from sktime_ecoscale.classification import load_model
    from sktime_ecoscale.classification._data import training_views
    from sktime_ecoscale.datasets import ArrayDataset
    from sktime_ecoscale.metrics import fit_temperature

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 1, 48)).astype(np.float32)
    y = np.array(["a", "b", "c"] * 20)
    X[y == "b", 0, :24] += 1.0
    X[y == "c", 0, 24:] += 1.0
    params = dict(widths=(4, 4, 8, 8), n_networks=1, max_epochs=30, valid_size=0.25, device="cpu")
    plain = EcoScaleClassifier(random_state=0, **params).fit(X, y)
    calibrated = EcoScaleClassifier(random_state=0, calibration="temperature", **params).fit(X, y)
    assert plain.temperatures_ is None and len(calibrated.temperatures_) == 1
    T = calibrated.temperatures_[0]
    assert T > 0 and T != 1.0
    # the same network; probabilities softened or sharpened by T, the argmax kept
    P0, P1 = plain.predict_proba(X), calibrated.predict_proba(X)
    np.testing.assert_array_equal(P0.argmax(1), P1.argmax(1))
    logits = np.log(P0)
    expected = np.exp(logits / T) / np.exp(logits / T).sum(1, keepdims=True)
    np.testing.assert_allclose(P1, expected, atol=1e-5)
    # T is the log-loss optimum on the validation records (the held-out ones)
    targets = calibrated.target_encoder_.encode(y)
    _, _, valid = training_views(calibrated, ArrayDataset(X), targets)
    held = valid.indices
    assert T == pytest.approx(fit_temperature(y[held], P0[held], labels=["a", "b", "c"]), rel=1e-3)
    back = load_model(calibrated.save_model(tmp_path / "m"), device="cpu")
    np.testing.assert_array_equal(back.predict_proba(X), P1)
    assert back.temperatures_ == calibrated.temperatures_
    with pytest.raises(ValueError, match="calibration must be"):
        EcoScaleClassifier(calibration="platt", **params).fit(X, y)
