"""What is special about EcoScaleClassifier: formats, multi-label, interop, real data."""

import copy

import numpy as np
import pandas as pd
import pytest
import torch
from skorch.callbacks import Callback
from sktime.datasets import load_basic_motions, load_unit_test
from sktime.datatypes import convert_to

from sktime_ecoscale import EcoScaleClassifier

TINY = dict(
    widths=(4, 4, 8, 8), max_epochs=2, batch_size=8, n_networks=1, random_state=0, device="cpu"
)


@pytest.fixture(scope="module")
def motions():
    X, y = load_basic_motions(return_X_y=True)  # nested_univ, 6 channels, 4 classes
    return X, y


@pytest.mark.parametrize("mtype", ["numpy3D", "nested_univ", "pd-multiindex"])
def test_fit_predict_on_every_panel_format(motions, mtype):
    X, y = motions
    Xm = convert_to(X, mtype)
    clf = EcoScaleClassifier(**TINY).fit(Xm, y)
    proba = clf.predict_proba(Xm)
    assert proba.shape == (len(y), 4)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    assert set(clf.predict(Xm)) <= set(np.unique(y))


def test_same_probabilities_whatever_the_input_format(motions):
    X, y = motions
    p_nested = EcoScaleClassifier(**TINY).fit(X, y).predict_proba(X)
    X3 = convert_to(X, "numpy3D")
    p_numpy = EcoScaleClassifier(**TINY).fit(X3, y).predict_proba(X3)
    np.testing.assert_array_equal(p_nested, p_numpy)


def test_integer_labels_and_raw_units_in_mv():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3, 50)).astype(np.float32)
    y = np.repeat([3, 7], 20)
    X[y == 7, 0, :] += np.sin(np.linspace(0, 20, 50))
    clf = EcoScaleClassifier(**TINY).fit(X * 1000.0, y)  # µV instead of mV
    assert set(clf.classes_) == {3, 7}
    # the input scaling is fitted on the training units: µV in, the same network input as mV
    in_mv = EcoScaleClassifier(**TINY).fit(X, y)
    got, expected = clf.prepare_input(X * 1000.0), in_mv.prepare_input(X)
    # Equal up to float32 rounding, and no more. Each path rounds in float32 a
    # handful of times - the µV input itself (X * 1000), the fitted mean and std
    # cast to float32, the subtraction, the division - each by at most half an
    # ulp, u = eps / 2, of a value no larger than |z| + |mean| / std, with z the
    # result and |mean| / std below 1 here (normal noise around 0). Ten
    # roundings over the two paths bound the difference: about 3e-6; observed
    # 2.4e-7. (atol=1e-5 once failed at 1.28e-5: it compared probabilities, after
    # the network had amplified these roundings.)
    u = np.finfo(np.float32).eps / 2
    np.testing.assert_allclose(got, expected, rtol=0, atol=10 * u * (np.abs(expected).max() + 1))


def test_unequal_length_series_are_padded_inside():
    rng = np.random.default_rng(1)
    lengths = [30, 45, 60, 38] * 5
    X = pd.concat(
        {
            i: pd.DataFrame(rng.normal(size=(n, 2)), columns=["a", "b"])
            for i, n in enumerate(lengths)
        },
        names=["instance", "time"],
    )
    y = np.array(["x", "y"] * 10)
    clf = EcoScaleClassifier(**TINY).fit(X, y)
    assert clf.get_tag("capability:unequal_length")
    assert clf.seq_len_ == 60
    assert clf.predict(X).shape == (20,)


def test_multilabel_trains_one_network_with_one_head_per_column(motions):
    X, y = motions
    rng = np.random.default_rng(0)
    Y = pd.DataFrame(
        {
            "walking": (y == "walking").astype(int),
            "running": (y == "running").astype(int),
            "noise": rng.integers(0, 2, len(y)),
        }
    )
    clf = EcoScaleClassifier(**TINY).fit(X, Y)
    assert not hasattr(clf, "classifiers_")  # no per-column clones
    assert clf.net_.module_.head[-1].out_features == 3  # one sigmoid logit per column
    pred = clf.predict(X)
    assert isinstance(pred, pd.DataFrame) and list(pred.columns) == list(Y.columns)
    assert set(np.unique(pred.to_numpy())) <= {0, 1}
    proba = clf.predict_proba(X)
    assert list(proba.columns) == [(c, k) for c in Y.columns for k in (0, 1)]
    np.testing.assert_allclose(proba.T.groupby(level=0).sum().T.to_numpy(), 1.0, rtol=1e-5)


def test_multioutput_with_a_multiclass_column(motions):
    X, y = motions
    Y = pd.DataFrame({"activity": y, "moving": np.where(y == "standing", "no", "yes")})
    clf = EcoScaleClassifier(**TINY).fit(X, Y)
    assert clf.net_.module_.head[-1].out_features == 4 + 2  # softmax blocks
    proba = clf.predict_proba(X)
    assert proba["activity"].shape == (len(y), 4)
    assert set(clf.predict(X)["moving"]) <= {"no", "yes"}


def test_same_random_state_same_probabilities():
    X, y = load_unit_test(return_X_y=True)
    p1 = EcoScaleClassifier(**TINY).fit(X, y).predict_proba(X)
    p2 = EcoScaleClassifier(**TINY).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(p1, p2)
    p3 = EcoScaleClassifier(**{**TINY, "random_state": 1}).fit(X, y).predict_proba(X)
    assert not np.array_equal(p1, p3)


class _WeightsOfEachEpoch(Callback):
    """Records the network's state (weights and batch-norm buffers) at the end of every epoch.

    Taken after each training batch, the last one of an epoch standing: early
    stopping ends the last epoch before a later ``on_epoch_end`` runs, and
    validation changes no state.
    """

    def initialize(self):
        self.states_ = {}
        return self

    def on_batch_end(self, net, batch=None, training=None, **kwargs):
        if training:
            self.states_[len(net.history)] = copy.deepcopy(net.module_.state_dict())


def test_early_stopping_restores_best_weights():
    X, y = load_unit_test(return_X_y=True)
    params = {**TINY, "max_epochs": 30, "valid_size": 0.3, "patience": 2, "augment": False}
    recorder = ("states", _WeightsOfEachEpoch())
    clf = EcoScaleClassifier(**params, callbacks=[recorder]).fit(X, y)
    valid = clf.history_[:, "valid_loss"]
    last = len(valid)
    assert last < 30  # stopped early
    best = int(np.argmin(valid)) + 1  # epochs count from 1
    assert last - best == 2  # stopped `patience` epochs after the best
    states = dict(clf.net_.callbacks_)["states"].states_
    final = clf.net_.module_.state_dict()
    assert all(torch.equal(final[k], states[best][k]) for k in final)  # the best epoch's network
    assert not all(torch.equal(final[k], states[last][k]) for k in final)  # not the last one's


def test_sklearn_gridsearchcv_and_cross_val_score(motions):
    from sklearn.base import clone
    from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score

    X, y = motions
    X3, y = convert_to(X, "numpy3D")[::2], y[::2]  # 40 series, 10 per class: the suite's time
    cv = StratifiedKFold(2)
    scores = cross_val_score(EcoScaleClassifier(**TINY), X3, y, cv=cv)
    # the same by hand: a fresh clone fitted and scored on each fold
    by_hand = [
        clone(EcoScaleClassifier(**TINY)).fit(X3[train], y[train]).score(X3[test], y[test])
        for train, test in cv.split(X3, y)
    ]
    np.testing.assert_array_equal(scores, by_hand)
    # a network that cannot learn (lr 1e-12, chance is 0.25) against one that does
    # (25 epochs at lr 1e-2: 0.25-0.30 against 0.70-0.93 measured over seeds 0-2)
    learns = {**TINY, "max_epochs": 25}
    gs = GridSearchCV(EcoScaleClassifier(**learns), {"lr": [1e-12, 1e-2]}, cv=cv).fit(X3, y)
    frozen, learning = gs.cv_results_["mean_test_score"]
    assert learning > frozen + 0.2, gs.cv_results_["mean_test_score"]
    assert gs.best_params_ == {"lr": 1e-2}
    # the refit is the best candidate fitted on all series
    best = EcoScaleClassifier(**{**learns, "lr": 1e-2}).fit(X3, y)
    np.testing.assert_array_equal(gs.predict_proba(X3[:5]), best.predict_proba(X3[:5]))


def test_sktime_tscgridsearchcv_and_pipeline(motions):
    from sklearn.model_selection import KFold
    from sktime.classification.model_selection import TSCGridSearchCV
    from sktime.transformations.panel.padder import PaddingTransformer

    X, y = motions
    grid, cv = {"widths": [(4, 4, 8, 8), (4, 4, 4, 4)]}, KFold(2)
    gs = TSCGridSearchCV(EcoScaleClassifier(**TINY), param_grid=grid, cv=cv).fit(X, y)
    # the search by hand, on the nested_univ panel: same folds, candidates, accuracy
    by_hand, probas = [], []
    for widths in grid["widths"]:
        folds = []
        for train, test in cv.split(X):
            est = EcoScaleClassifier(**{**TINY, "widths": widths}).fit(X.iloc[train], y[train])
            folds.append(est.score(X.iloc[test], y[test]))
            probas.append(est.predict_proba(X.iloc[test]))
        by_hand.append(np.mean(folds))
    np.testing.assert_allclose(gs.cv_results_["mean_test_score"], by_hand)
    assert gs.best_params_ == {"widths": grid["widths"][int(np.argmax(by_hand))]}
    assert not np.array_equal(probas[0], probas[2])  # the widths reach the network
    pipe = PaddingTransformer(pad_length=110) * EcoScaleClassifier(**TINY)
    assert pipe.fit(X, y).predict(X[:3]).shape == (3,)


def test_sktime_save_load_round_trip(motions, tmp_path):
    from sktime.base import load

    X, y = motions
    clf = EcoScaleClassifier(**TINY).fit(X, y)
    clf.save(tmp_path / "model")  # writes model.zip (pickle: trusted files only)
    loaded = load(tmp_path / "model.zip")
    np.testing.assert_array_equal(clf.predict_proba(X), loaded.predict_proba(X))


def test_fit_predict_on_real_ptbxl(shared_data):
    from sktime_ecoscale.datasets import load_ptbxl

    X, y, meta = load_ptbxl(
        shared_data / "ptbxl", sampling_rate=100, target="norm", return_metadata=True
    )
    train = meta["strat_fold"].to_numpy() <= 8
    clf = EcoScaleClassifier(widths=(8, 8, 16, 16), max_epochs=2, random_state=0, device="cpu")
    clf.fit(X[train], y[train])
    pred = clf.predict(X[~train])
    assert pred.shape == (int((~train).sum()),)
    assert set(pred) <= set(np.unique(y))
    assert clf.n_channels_ == 12 and clf.seq_len_ == 1000
