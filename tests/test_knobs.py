"""Every training knob reachable: nested augmentation strengths and optimiser arguments."""

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV

from sktime_ecoscale import EcoScaleClassifier
from sktime_ecoscale.classification import Augmenter


def _data(n=16, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2, 32)).astype("float32")
    y = np.array([0, 1] * (n // 2))
    X[y == 1, 0, 8:16] += 3.0
    return X, y


def _small(**kw):
    return EcoScaleClassifier(
        widths=(4, 4, 8, 8), max_epochs=2, n_networks=1, device="cpu", random_state=0, **kw
    )


def test_augmentation_strengths_are_nested_parameters():
    clf = _small(augment=Augmenter()).set_params(augment__noise=0.05, augment__lead_dropout=0.0)
    assert clf.augment.noise == 0.05 and clf.get_params()["augment__lead_dropout"] == 0.0
    X, y = _data()
    clf.fit(X, y)
    assert clf.budget_.augment == Augmenter(noise=0.05, lead_dropout=0.0).to_dict()
    assert clf.net_.augmenter == Augmenter(noise=0.05, lead_dropout=0.0)


def test_optimizer_kwargs_reach_the_torch_optimizer():
    X, y = _data()
    clf = _small(optimizer="sgd", optimizer_kwargs={"momentum": 0.8, "nesterov": True}).fit(X, y)
    group = clf.net_.optimizer_.param_groups[0]
    assert group["momentum"] == 0.8 and group["nesterov"] is True
    adam = _small(optimizer_kwargs={"betas": (0.8, 0.9)}).fit(X, y)
    assert adam.net_.optimizer_.param_groups[0]["betas"] == (0.8, 0.9)


@pytest.mark.parametrize(
    "kwargs, match",
    [({"momentum": 0.9}, "does not accept"), ({"lr": 0.1}, "own parameters"), ("fast", "dict")],
)
def test_bad_optimizer_kwargs_are_rejected_before_training(kwargs, match):
    X, y = _data()
    with pytest.raises(ValueError, match=match):
        _small(optimizer_kwargs=kwargs).fit(X, y)  # adamw has no momentum


@pytest.mark.parametrize(
    "augment, match",
    [
        ({"noise": -0.1}, "'noise'.*>= 0"),
        ({"lead_dropout": 1.0}, "'lead_dropout'.*below 1"),
        ({"crop": 1.5}, "'crop'.*at most 1"),
        ({"scale": float("nan")}, "'scale'.*number"),
        ({"wander": "strong"}, "'wander'.*number"),
    ],
)
def test_out_of_range_augmentation_strengths_are_rejected_before_training(augment, match):
    X, y = _data()
    clf = _small(augment=augment)
    with pytest.raises(ValueError, match=match):
        clf.fit(X, y)
    assert not hasattr(clf, "net_")  # refused before any network was built


def test_grid_search_over_an_augmentation_strength_and_an_optimiser_argument():
    X, y = _data(24)
    grid = GridSearchCV(
        _small(augment=Augmenter(lead_dropout=0.0)),
        {
            "augment__noise": [0.0, 0.5],
            "optimizer_kwargs": [{"betas": (0.9, 0.999)}, {"amsgrad": True}],
        },
        cv=2,
        error_score="raise",
    ).fit(X, y)
    seen = {(p["augment__noise"], tuple(p["optimizer_kwargs"])) for p in grid.cv_results_["params"]}
    assert seen == {(0.0, ("betas",)), (0.5, ("betas",)), (0.0, ("amsgrad",)), (0.5, ("amsgrad",))}
    best = grid.best_estimator_
    assert best.augment.noise == grid.best_params_["augment__noise"]
    assert best.net_.augmenter.noise == grid.best_params_["augment__noise"]


def test_augmenter_parameter_survives_save_and_load(tmp_path):
    X, y = _data()
    clf = _small(augment=Augmenter(noise=0.03)).fit(X, y)
    clf.save_model(tmp_path / "m.ecoscale")
    loaded = EcoScaleClassifier.load_model(tmp_path / "m.ecoscale")
    assert loaded.get_params()["augment"] == Augmenter(noise=0.03)
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))


def test_baseline_wander_is_a_smooth_per_lead_offset_and_off_by_default():
    import torch

    from sktime_ecoscale.classification import Augmenter

    x = torch.zeros(4, 3, 500)
    quiet = Augmenter(max_shift=0, scale=0, noise=0, lead_dropout=0)
    torch.manual_seed(0)
    assert torch.equal(quiet(x), x)  # wander=0: nothing added, nothing drawn
    torch.manual_seed(0)
    out = Augmenter(max_shift=0, scale=0, noise=0, lead_dropout=0, wander=0.5)(x)
    assert out.abs().max() <= 0.5 + 1e-6 and out.abs().max() > 0.05
    # low frequency: at most 3 cycles over the series, so neighbouring samples barely move
    assert (out[..., 1:] - out[..., :-1]).abs().max() <= 2 * torch.pi * 3 * 0.5 / 499 + 1e-6
    assert not torch.equal(out[:, 0], out[:, 1])  # each lead its own wander


def test_lead_subsets_keep_one_to_all_but_one_lead_and_are_off_by_default():
    import torch

    from sktime_ecoscale.classification import Augmenter

    x = torch.ones(4000, 12, 8)
    quiet = dict(max_shift=0, scale=0, noise=0, lead_dropout=0)
    torch.manual_seed(0)
    assert torch.equal(Augmenter(**quiet)(x), x)  # lead_subsets=0: nothing zeroed
    torch.manual_seed(0)
    out = Augmenter(**quiet, lead_subsets=0.5)(x)
    kept = (out[:, :, 0] != 0).sum(dim=1)
    assert torch.equal(out != 0, (out[:, :, :1] != 0).expand_as(out))  # whole leads only
    picked = kept < 12
    # about half of the series keep a subset; sizes 1..11 about alike (~182 each)
    assert 1800 < int(picked.sum()) < 2200
    counts = torch.bincount(kept[picked], minlength=12)[1:12]
    assert int(counts.min()) > 120 and int(counts.max()) < 250
    # every lead is dropped about alike (no lead favoured by the draw)
    dropped = (out[picked][:, :, 0] == 0).float().mean(dim=0)
    assert float(dropped.max() - dropped.min()) < 0.1
    # series not picked still get independent lead dropout, and never lose every lead
    both = Augmenter(**{**quiet, "lead_dropout": 0.5}, lead_subsets=0.5)(x)
    assert int((both[:, :, 0] != 0).sum(dim=1).min()) >= 1


def test_hum_muscle_and_stretch_augmentations():
    import torch

    from sktime_ecoscale.classification._augment import Augmenter, resolve_augment

    quiet = dict(max_shift=0, scale=0, noise=0, lead_dropout=0)
    x = torch.zeros(64, 3, 1000)
    torch.manual_seed(0)
    hum = resolve_augment({**quiet, "hum": 0.5}, fs=500.0)(x)
    assert torch.equal(hum[:, 0], hum[:, 2])  # the same interference on every lead
    spectrum = torch.fft.rfft(hum[:, 0], dim=-1).abs()
    peaks = spectrum.argmax(dim=-1) * 500.0 / 1000  # Hz
    assert set(peaks.tolist()) == {50.0, 60.0} and float(hum.abs().max()) <= 0.5
    torch.manual_seed(0)
    emg = Augmenter(**quiet, muscle=0.5)(x)
    share = (emg != 0).float().mean(dim=-1)  # one burst of 10-50 % per series and lead
    assert float(share.min()) >= 0.09 and float(share.max()) <= 0.51
    lag1 = (emg[..., 1:] * emg[..., :-1]).sum() / (emg * emg).sum()
    assert float(lag1) < -0.3  # high-passed: neighbours anti-correlated (white noise: 0)
    ramp = torch.linspace(0, 1, 200).repeat(4, 2, 1)
    torch.manual_seed(1)
    stretched = Augmenter(**quiet, stretch=0.2)(ramp)
    assert stretched.shape == ramp.shape and not torch.equal(stretched, ramp)
    slope = stretched[0, 0, 10] - stretched[0, 0, 9]
    assert 0.8 / 1.2 / 199 - 1e-6 <= float(slope) <= 1 / 0.8 / 199 + 1e-6
    torch.manual_seed(0)
    assert torch.equal(Augmenter(**quiet)(x), x)  # all off: nothing added
