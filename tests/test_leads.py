"""Lead names as fitted facts: a named subset of the training leads at predict is a set of missing leads."""

import numpy as np
import pytest
import torch
from sktime.datatypes import convert_to

from sktime_ecoscale import EcoScaleClassifier
from sktime_ecoscale.classification import load_model

LEADS = ["I", "II", "V1"]
TINY = dict(widths=(4, 4, 8, 8), max_epochs=2, n_networks=1, device="cpu", random_state=0)


def _panel(X, names):
    Xm = convert_to(X, "pd-multiindex")
    Xm.columns = names
    return Xm


def _two_class(n, channels, length, seed, signal):
    """Noise, classes "a"/"b" alternating; class "b" gets ``+amount`` in each lead of ``signal``."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, channels, length)).astype(np.float32)
    y = np.array(["a", "b"] * (n // 2))
    for lead, amount in signal.items():
        X[y == "b", lead] += amount
    return X, y


@pytest.fixture(scope="module")
def data():
    return _two_class(16, 3, 40, seed=0, signal={1: 1.0})


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


def test_an_all_zero_lead_is_a_missing_lead_but_a_flat_univariate_series_is_data(data, fitted):
    X, y = data
    zeroed, missing = X.copy(), X.copy()
    zeroed[:, 2] = 0.0  # V1 stored as zeros (lead off, a padded reduced lead set)
    missing[:, 2] = np.nan
    np.testing.assert_array_equal(fitted.predict_proba(zeroed), fitted.predict_proba(missing))
    assert not np.array_equal(fitted.predict_proba(zeroed), fitted.predict_proba(X))
    uni = EcoScaleClassifier(**TINY).fit(X[:, :1] + 5.0, y)  # channel mean 5
    flat = np.zeros((2, 1, 40), dtype=np.float32)
    assert uni.prepare_input(flat).min() < -1.0  # scaled as data, not filled as missing


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


# ------------------------------------------------- data sets and ecoscale predict
def test_data_sets_carry_lead_names_and_fit_dataset_records_them(data):
    from sktime_ecoscale.datasets import ArrayDataset

    X, y = data
    ds = ArrayDataset(X, y, leads=LEADS, fs=100.0)
    clf = EcoScaleClassifier(**TINY).fit_dataset(ds)
    assert clf.leads_ == LEADS and clf.fs_ == 100.0
    assert ds.view([0, 1]).leads == LEADS
    assert ArrayDataset(X, y).leads is None
    with pytest.raises(ValueError, match="2 lead names"):
        ArrayDataset(X, y, leads=["I", "II"])


def test_ecoscale_predict_serves_a_data_set_as_predict_serves_a_panel(data, fitted):
    from sktime_ecoscale.cli._predict import predict_dataset
    from sktime_ecoscale.datasets import ArrayDataset

    X, y = data
    sub = X[:, [1, 0]]  # a named subset in another order: the missing-lead rule
    table = predict_dataset(fitted, ArrayDataset(sub, y, leads=["II", "I"]), chunk_size=5)
    panel = _panel(sub, ["II", "I"])
    np.testing.assert_allclose(
        table[["p_a", "p_b"]].to_numpy(), fitted.predict_proba(panel), rtol=0, atol=1e-5
    )
    assert table["label"].tolist() == list(fitted.predict(panel))
    with pytest.raises(ValueError, match=r"leads \['V6'\] that the model never saw"):
        predict_dataset(fitted, ArrayDataset(X, y, leads=["I", "II", "V6"]))


def test_ecoscale_predict_resamples_a_data_set_at_another_rate(data):
    from sktime_ecoscale.cli._predict import predict_dataset
    from sktime_ecoscale.datasets import ArrayDataset
    from sktime_ecoscale.utils import resample

    X, y = data
    clf = EcoScaleClassifier(**TINY).fit(_timed(X, 100.0), y)
    slow = np.stack([resample(x, 100.0, 50.0) for x in X])
    table = predict_dataset(clf, ArrayDataset(slow, y, fs=50.0, leads=LEADS))
    np.testing.assert_allclose(
        table[["p_a", "p_b"]].to_numpy(),
        clf.predict_proba(_timed(slow, 50.0)),
        rtol=0,
        atol=1e-6,
    )


def test_cli_predict_aligns_the_leads_of_wfdb_records_by_name(data, fitted, tmp_path):
    import pandas as pd

    from sktime_ecoscale.cli import main
    from sktime_ecoscale.datasets import ChallengeDataset

    X, _ = data
    folder = tmp_path / "records"
    folder.mkdir()
    for i, x in enumerate(X[:6]):  # two-lead records, leads II and I, 1000 ADC units per mV
        name = f"A{i:02d}"
        lines = [f"{name} 2 100 {x.shape[-1]}"]
        lines += [f"{name}.dat 16 1000/mV 16 0 0 0 0 {lead}" for lead in ("II", "I")]
        (folder / f"{name}.hea").write_text("\n".join([*lines, "#Dx: 426783006"]) + "\n")
        np.round(x[[1, 0]] * 1000).astype("<i2").T.tofile(folder / f"{name}.dat")
    ds = ChallengeDataset(folder)
    assert ds.leads == ["II", "I"]
    model_dir, csv = tmp_path / "model", tmp_path / "pred.csv"
    fitted.save_model(model_dir)
    args = ["predict", "--model", str(model_dir), "--data", f"challenge:{folder}"]
    assert main([*args, "--out", str(csv)]) == 0
    records = np.stack([ds.raw(i) for i in range(len(ds))])
    expected = fitted.predict_proba(_panel(records, ["II", "I"]))
    got = pd.read_csv(csv)[["p_a", "p_b"]].to_numpy()
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-6)


def _close(actual, expected):
    """Equal up to float32 rounding of another batch split or preparation path."""
    np.testing.assert_allclose(actual, expected, rtol=0, atol=1e-5)


TWELVE = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]


@pytest.fixture(scope="module")
def twelve_lead():
    X, y = _two_class(24, 12, 48, seed=2, signal={7: 1.0})  # V2 carries the class
    return X, y, EcoScaleClassifier(leads=TWELVE, **TINY).fit(X, y)


def test_reduced_lead_sets_get_their_own_batch_norm_statistics(twelve_lead):
    from torch import nn

    X, _, clf = twelve_lead
    assert sorted(clf.lead_set_norms_) == ["I,II", "I,II,III,V2", "I,II,III,aVR,aVL,aVF", "I,II,V2"]
    norms = [m for m in clf.net_.module_.modules() if isinstance(m, nn.BatchNorm1d)]
    # running mean and variance of every batch norm (24 series: too few to refit the head)
    assert len(clf.lead_set_norms_["I,II"]) == 2 * len(norms)
    two = X.astype(float).copy()
    two[:, 2:] = np.nan  # only I and II
    with_sets = clf.predict_proba(two)
    saved, clf.lead_set_norms_ = clf.lead_set_norms_, {}
    try:
        clean_statistics = clf.predict_proba(two)
    finally:
        clf.lead_set_norms_ = saved
    assert np.abs(with_sets - clean_statistics).max() > 1e-4  # the set's statistics are used
    # a batch mixing full and reduced records: each row as if predicted alone
    mixed = X.astype(float).copy()
    mixed[::2, 2:] = np.nan
    _close(clf.predict_proba(mixed)[::2], with_sets[::2])
    _close(clf.predict_proba(mixed)[1::2], clf.predict_proba(X)[1::2])
    # a named panel of I and II only is the same missing-lead pattern
    _close(clf.predict_proba(_panel(X[:, :2], ["I", "II"])), with_sets)
    # a pattern that is no Challenge set (V1 alone missing) keeps the clean statistics
    one_off = X.astype(float).copy()
    one_off[:, 6] = np.nan
    saved, clf.lead_set_norms_ = clf.lead_set_norms_, {}
    try:
        expected = clf.predict_proba(one_off)
    finally:
        clf.lead_set_norms_ = saved
    _close(clf.predict_proba(one_off), expected)


def test_lead_set_statistics_survive_save_and_load_and_are_checked(twelve_lead, tmp_path):
    import json

    X, _, clf = twelve_lead
    two = X.astype(float).copy()
    two[:, 2:] = np.nan
    clf.save_model(tmp_path / "m")
    back = load_model(tmp_path / "m")
    _close(back.predict_proba(two), clf.predict_proba(two))
    config = json.loads((tmp_path / "m" / "config.json").read_text())
    config["lead_sets"] = config["lead_sets"][1:]  # a set's tensors no longer listed
    (tmp_path / "m" / "config.json").write_text(json.dumps(config))
    with pytest.raises(ValueError, match="belongs to no lead set"):
        load_model(tmp_path / "m")
    # unnamed leads: no sets, nothing extra saved
    unnamed = EcoScaleClassifier(**TINY).fit(X, np.array(["a", "b"] * 12))
    assert unnamed.lead_set_norms_ == {}


@pytest.fixture(scope="module")
def twelve_lead_100():
    """As ``twelve_lead`` with 120 series: enough for the lead sets' head refit."""
    X, y = _two_class(120, 12, 48, seed=3, signal={7: 1.0, 1: 0.5})  # V2, and some in II
    return X, y, EcoScaleClassifier(leads=TWELVE, **TINY).fit(X, y)


def test_reduced_lead_sets_get_a_refitted_head_and_the_clean_head_stays(twelve_lead_100, tmp_path):
    from torch import nn

    from sktime_ecoscale.classification._lead_sets import statistics_only

    X, _, clf = twelve_lead_100
    module = clf.net_.module_
    heads = [name for name, m in module.named_modules() if isinstance(m, nn.Linear)]
    clean = {h: module.get_submodule(h).weight.detach().clone() for h in heads}
    for tensors in clf.lead_set_norms_.values():
        for h in heads:
            assert tensors[f"{h}.weight"].shape == clean[h].shape
            assert tensors[f"{h}.bias"].shape == module.get_submodule(h).bias.shape
    two = X.astype(float).copy()
    two[:, 2:] = np.nan  # only I and II
    with_head = clf.predict_proba(two)
    saved = clf.lead_set_norms_
    clf.lead_set_norms_ = statistics_only(saved)  # the same statistics, the clean head
    clf._inference_cache_.clear()
    try:
        clean_head = clf.predict_proba(two)
    finally:
        clf.lead_set_norms_ = saved
        clf._inference_cache_.clear()
    assert np.abs(with_head - clean_head).max() > 1e-4  # the set's head serves
    clf.save_model(tmp_path / "m")  # the heads travel with the model file
    _close(load_model(tmp_path / "m").predict_proba(two), with_head)
    few = EcoScaleClassifier(leads=TWELVE, **TINY).fit(X[:24], np.array(["a", "b"] * 12))
    assert not any(n.endswith(".bias") and "running" not in n for n in few.lead_set_norms_["I,II"])
    for h in heads:  # predicting with a set's head leaves the network's own head as trained
        assert torch.equal(module.get_submodule(h).weight, clean[h])


def test_incomplete_lead_set_statistics_are_refused(twelve_lead_100):
    from sktime_ecoscale.classification._lead_sets import check_statistics, statistics_only

    _, _, clf = twelve_lead_100
    norms = {k: dict(v) for k, v in clf.lead_set_norms_.items()}
    check_statistics(clf.net_.module_, norms, "model")  # complete: accepted
    # statistics without heads (files written before heads were refitted): accepted
    check_statistics(
        clf.net_.module_,
        statistics_only(norms),
        "model",
    )
    head_bias = next(n for n in norms["I,II"] if n.endswith(".bias") and "running" not in n)
    partial = {k: dict(v) for k, v in norms.items()}
    partial["I,II"].pop(head_bias)  # a head's weight without its bias
    with pytest.raises(ValueError, match="head tensors \\(all or none\\)"):
        check_statistics(clf.net_.module_, partial, "model")
    norms["I,II"].pop(next(n for n in norms["I,II"] if "running" in n))
    with pytest.raises(ValueError, match="lead set 'I,II' holds .* of the network's"):
        check_statistics(clf.net_.module_, norms, "model")


def test_only_the_modules_named_head_are_refitted_as_heads():
    from torch import nn

    from sktime_ecoscale.classification._lead_sets import _heads
    from sktime_ecoscale.networks import EcoScaleNet, NetworkEnsemble

    net = NetworkEnsemble([EcoScaleNet(2, 3, 128, widths=(4, 4, 4, 4)) for _ in range(2)])
    heads = _heads(net)
    assert len(heads) == 2 and all(isinstance(net.get_submodule(h), nn.Linear) for h in heads)
    net.members[0].projection = nn.Linear(4, 4)  # a linear layer that is not a head
    assert _heads(net) == heads
