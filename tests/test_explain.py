"""Attributions (sktime_ecoscale.explain) and ``ecoscale explain``: faithful, aligned, selectable.

Faithfulness is checked on a task where the answer is known: class 1 is a
bump in lead 1 inside samples 100-140 of a quiet 3 x 256 record; both classes
carry a distractor bump in leads 0 and 2 at random times, so a model (and an
explanation) must tell the leads apart. On the shared PTB-XL records a
deletion test checks that the samples an explanation ranks highest matter to
the model more than random ones.
"""

import argparse
import sys

import numpy as np
import pandas as pd
import pytest

from sktime_ecoscale import EcoScaleClassifier, OmniScaleClassifier
from sktime_ecoscale.datasets import make_lead_bump_task
from sktime_ecoscale.datasets._generate import BUMP_LEAD as LEAD
from sktime_ecoscale.datasets._generate import BUMP_WINDOW as WINDOW
from sktime_ecoscale.explain import (
    DEFAULT_METHOD,
    METHODS,
    explain,
    target_labels,
    target_probabilities,
)

pytest.importorskip("captum")

#: Measured by ``benchmarks/bench_explain_faithfulness.py --n-series 600 --epochs 80``
#: (mean share of positive attribution mass in lead 1, samples 100-140, on the
#: models of random_state 0 / 1 / 2), with one thread / two threads (the same
#: seeds train different models under another float summation order), 2026-12-08:
#:
#: - occlusion 0.936 / 0.869 / 0.915 (mean 0.907) / 0.898 / 0.855 / 0.898 (0.884);
#: - gradcam 0.970 / 0.909 / 0.975 (0.951) / 0.977 / 0.856 / 0.967 (0.933);
#: - integrated_gradients 0.906 / 0.857 / 0.930 (0.898) / 0.880 / 0.818 / 0.884
#:   (0.861); one copy (``samples=1``, 32 steps) 0.882 / 0.776 / 0.863 (0.840) /
#:   0.842 / 0.693 / 0.820 (0.785); sample by sample (``window=1``) 0.723 / 0.553 /
#:   0.683 (0.653) / 0.654 / 0.449 / 0.593 (0.565).
#:
#: Every method meets the issue's bar of 0.8 on every model, so that is asserted per model.
BAR = 0.8
EPOCHS = 80
SEEDS = (0, 1, 2)


def _bump_model(fitted_once, seed: int):
    def fit():
        X, y = make_lead_bump_task(600, seed=0)
        return EcoScaleClassifier(
            widths=(8, 16, 16, 16), max_epochs=EPOCHS, n_networks=1, device="cpu", random_state=seed
        ).fit(X, y)  # about 35 s

    return fitted_once(f"bump-{seed}", fit)


@pytest.fixture(scope="module")
def bump_model(fitted_once):
    X_test, y_test = make_lead_bump_task(60, seed=1)
    return _bump_model(fitted_once, SEEDS[0]), X_test, y_test


@pytest.fixture(scope="module")
def bump_models(bump_model, fitted_once):
    return [bump_model[0]] + [_bump_model(fitted_once, seed) for seed in SEEDS[1:]]


def _mass_in_lead_and_window(A: np.ndarray) -> float:
    positive = np.clip(A, 0, None)
    total = positive.sum(axis=(1, 2))
    return float(
        np.mean(positive[:, LEAD, WINDOW].sum(axis=1) / np.where(total > 0, total, np.inf))
    )


def test_the_bump_model_has_learned_the_task(bump_model):
    clf, X, y = bump_model
    assert (clf.predict(X) == y).mean() >= 0.95


def test_the_bump_model_decides_by_the_bump_alone(bump_model):
    # the premise of the faithfulness bar: flattening the bump removes the evidence,
    # flattening leads 0 and 2 (distractors and noise) changes next to nothing
    clf, X, y = bump_model
    positives = X[y == 1]

    def log_odds(Z):
        p = np.clip(target_probabilities(clf, Z)[:, 1], 1e-7, 1 - 1e-7)
        return np.log(p / (1 - p))

    no_bump, no_distractors = positives.copy(), positives.copy()
    no_bump[:, LEAD, WINDOW] = 0.0
    no_distractors[:, [0, 2]] = 0.0
    assert np.mean(log_odds(no_bump) - log_odds(positives)) < -5
    assert abs(np.mean(log_odds(no_distractors) - log_odds(positives))) < 1


def test_where_the_positive_mass_lies_on_the_bump_task(bump_model, bump_models):
    # one test for every method over the three models
    _, X, y = bump_model

    def shares(method, **options):
        return [
            _mass_in_lead_and_window(explain(clf, X[y == 1], target=1, method=method, **options))
            for clf in bump_models
        ]

    for method in METHODS:  # the bar, for each method shipped, on each model
        assert min(shares(method)) >= BAR, (method, shares(method))
    # what lifts integrated gradients there: the noisy copies, and the averaging over the
    # network's resolution (Captum's raw map: 0.65 on the mean)
    default = np.mean(shares("integrated_gradients"))
    assert default >= np.mean(shares("integrated_gradients", samples=1, n_steps=32)) + 0.02
    assert (
        default >= np.mean(shares("integrated_gradients", samples=1, window=1, n_steps=32)) + 0.15
    )


@pytest.mark.parametrize(
    "method, options", [(m, {}) for m in METHODS] + [("integrated_gradients", {"window": 1})]
)
def test_every_method_points_far_above_chance_at_the_lead_and_window(bump_model, method, options):
    clf, X, y = bump_model
    # a map spread evenly would put 1/3 * 40/256 = 0.05 there
    A = explain(clf, X[y == 1], target=1, method=method, **options)
    assert _mass_in_lead_and_window(A) >= 0.5


@pytest.mark.parametrize("method", list(METHODS))
def test_shapes_and_unequal_lengths_cropped_back(bump_model, method):
    clf, X, _ = bump_model
    A = explain(clf, X[:3], method=method)
    assert A.shape == (3, 3, 256) and A.dtype == np.float32 and np.isfinite(A).all()
    frames = [pd.DataFrame(X[0, :, :200].T), pd.DataFrame(X[1].T)]  # sktime df-list
    for panel in (frames, [X[0, :, :200], X[1]]):
        A = explain(clf, panel, method=method)
        assert isinstance(A, list) and [a.shape for a in A] == [(3, 200), (3, 256)]


def test_the_attribution_is_aligned_with_the_bump(bump_model):
    clf, X, y = bump_model
    t = np.arange(256)
    for x in X[y == 1][:5]:
        centre = int(np.argmax(x[LEAD] * ((t >= 100) & (t < 140))))
        A = explain(clf, x[None], target=1)[0]
        assert abs(int(np.argmax(A[LEAD])) - centre) <= 16


def test_target_default_is_the_prediction_and_explicit_classes_differ(bump_model):
    clf, X, _ = bump_model
    predicted = clf.predict(X[:6])
    A_none = explain(clf, X[:6], method="integrated_gradients", n_steps=8)
    A_pred = explain(clf, X[:6], target=list(predicted), method="integrated_gradients", n_steps=8)
    A_one = explain(clf, X[:6], target=1, method="integrated_gradients", n_steps=8)
    A_zero = explain(clf, X[:6], target=0, method="integrated_gradients", n_steps=8)
    np.testing.assert_allclose(A_none, A_pred)
    # two classes: the log-odds of class 0 are minus those of class 1, and IG is linear
    np.testing.assert_allclose(A_zero, -A_one, atol=1e-4 * np.abs(A_one).max())
    with pytest.raises(ValueError, match="not a class or label"):
        explain(clf, X[:2], target="no such class")
    with pytest.raises(ValueError, match="one per series"):
        explain(clf, X[:2], target=[0, 1, 1])
    with pytest.raises(ValueError, match="method must be one of"):
        explain(clf, X[:2], method="lime")


def test_probabilities_match_predict_proba_and_the_module_mode_is_restored(bump_model):
    clf, X, _ = bump_model
    module = clf.net_.module_
    modes = [m.training for m in module.modules()]
    before = clf.predict_proba(X[:4])
    explain(clf, X[:4], method="gradcam")
    assert [m.training for m in module.modules()] == modes
    np.testing.assert_allclose(target_probabilities(clf, X[:4]), before, atol=1e-5)
    np.testing.assert_allclose(clf.predict_proba(X[:4]), before)


def test_multi_label_targets_are_the_labels_log_odds():
    X, y = make_lead_bump_task(24, seed=2)
    labels = pd.DataFrame({"bump": y, "odd": (np.arange(24) // 2) % 2})
    clf = EcoScaleClassifier(
        widths=(4, 4, 8, 8), max_epochs=2, n_networks=1, device="cpu", random_state=0
    ).fit(X, labels)
    assert target_labels(clf) == ["bump", "odd"]
    P = target_probabilities(clf, X[:5])
    proba = clf.predict_proba(X[:5])
    np.testing.assert_allclose(
        P, proba.xs(1, axis=1, level=1)[["bump", "odd"]].to_numpy(), atol=1e-5
    )
    A_bump = explain(clf, X[:5], target="bump", method="integrated_gradients", n_steps=8)
    A_odd = explain(clf, X[:5], target="odd", method="integrated_gradients", n_steps=8)
    A_none = explain(clf, X[:5], method="integrated_gradients", n_steps=8)
    assert A_bump.shape == (5, 3, 256) and not np.allclose(A_bump, A_odd)
    most_probable = np.argmax(P, axis=1)
    np.testing.assert_allclose(A_none, np.where(most_probable[:, None, None] == 0, A_bump, A_odd))


def test_an_ensemble_is_explained_as_a_whole_and_gradcam_per_member():
    X, y = make_lead_bump_task(16, seed=3)
    clf = EcoScaleClassifier(
        widths=(4, 4, 8, 8), max_epochs=1, n_networks=2, device="cpu", random_state=0
    ).fit(X, y)
    assert len(clf.net_.module_.members) == 2
    for method in METHODS:
        A = explain(clf, X[:3], method=method)
        assert A.shape == (3, 3, 256) and np.isfinite(A).all()
    assert (explain(clf, X[:3], method="gradcam") >= 0).all()


def test_gradcam_is_captums_layer_gradcam_times_windowed_ig_times_lead_ablation(bump_model):
    import torch
    from captum.attr import IntegratedGradients, LayerAttribution, LayerGradCam

    from sktime_ecoscale.explain._targets import ScoreModel

    clf, X, _ = bump_model
    net = clf.net_.module_.eval()
    scores = ScoreModel(net, [2], [False])
    x = torch.from_numpy(clf.prepare_input(X[:4]))
    cam = LayerGradCam(scores, net.stages[-1]).attribute(x, target=1, relu_attributions=True)
    cam = LayerAttribution.interpolate(cam.detach(), 256, "linear")  # 16 cells of 16 samples
    ig = IntegratedGradients(scores).attribute(x, torch.zeros_like(x), target=1, n_steps=8)
    windowed = torch.nn.functional.avg_pool1d(ig.detach(), 16, stride=1, padding=8)[..., :256] * 16
    with torch.no_grad():  # each lead's weight: the score's drop without it, mean 1 over leads
        score = scores(x)[:, 1]
        drops = []
        for lead in range(3):
            flat = x.clone()
            flat[:, lead] = 0.0
            drops.append((score - scores(flat)[:, 1]).clamp(min=0))
        drops = torch.stack(drops, dim=1)[..., None]
    total = drops.sum(dim=1, keepdim=True)
    # records where no lead's removal lowers the score get equal weights
    weights = torch.where(total > 0, drops * 3 / total, torch.ones_like(drops))
    expected = (cam * windowed.clamp(min=0) * weights).numpy()
    A = explain(clf, X[:4], target=1, method="gradcam")
    np.testing.assert_allclose(A, expected, rtol=1e-4, atol=1e-5 * np.abs(expected).max())
    assert not np.allclose(A, explain(clf, X[:4], target=1, method="gradcam", n_steps=2))


def test_lead_ablation_weighs_leads_by_their_measured_drop_and_falls_back_to_equal():
    import torch

    from sktime_ecoscale.explain._methods import lead_ablation

    class Scores(torch.nn.Module):  # score: 2 * lead 0 - lead 1 (lead 2 unused)
        def forward(self, x):
            s = 2 * x[:, 0].sum(-1) - x[:, 1].sum(-1)
            return torch.stack([-s, s], dim=1)

    x = torch.ones(2, 3, 5)
    x[1] = -1.0  # removing lead 0 raises the score, removing lead 1 lowers it
    w = lead_ablation(Scores(), x, torch.tensor([1, 1]))
    assert w.shape == (2, 3, 1)
    np.testing.assert_allclose(w[0, :, 0], [3.0, 0.0, 0.0])  # only lead 0 carries evidence
    np.testing.assert_allclose(w[1, :, 0], [0.0, 3.0, 0.0])
    x[0, 0] = 0.0  # no lead's removal lowers the score: equal weights, not an empty map
    x[0, 1] = 1.0
    np.testing.assert_allclose(lead_ablation(Scores(), x, torch.tensor([1, 1]))[0, :, 0], 1.0)


@pytest.mark.parametrize(
    "method, options, message",
    [
        ("integrated_gradients", {"window": 0}, "window must be a whole number"),
        ("occlusion", {"window": -4}, "window must be a whole number"),
        ("gradcam", {"n_steps": 2.5}, "n_steps must be a whole number"),
        ("integrated_gradients", {"samples": 0}, "samples must be a whole number"),
        ("gradcam", {"samples": 4}, r"method='gradcam' takes no option \['samples'\]"),
        ("occlusion", {"n_steps": 8}, r"method='occlusion' takes no option \['n_steps'\]"),
    ],
)
def test_bad_options_are_refused_before_any_attribution(bump_model, method, options, message):
    clf, X, _ = bump_model
    with pytest.raises(ValueError, match=message):
        explain(clf, X[:2], method=method, **options)


def test_integrated_gradients_are_captums_averaged_over_noisy_copies_and_the_resolution(
    bump_model,
):
    import torch
    from captum.attr import IntegratedGradients

    from sktime_ecoscale.explain._methods import SMOOTHING_NOISE
    from sktime_ecoscale.explain._targets import ScoreModel

    clf, X, _ = bump_model
    scores = ScoreModel(clf.net_.module_.eval(), [2], [False])
    x = torch.from_numpy(clf.prepare_input(X[:4]))
    ig = IntegratedGradients(scores)
    raw = ig.attribute(x, torch.zeros_like(x), target=1, n_steps=32).detach()

    def cells(a):  # strides (1, 1, 2, 2, 2, 2) on 256 samples: a cell is 16 samples
        return torch.nn.functional.avg_pool1d(a, 16, stride=1, padding=8)[..., :256].numpy()

    tol = dict(rtol=1e-4, atol=1e-5 * float(raw.abs().max()))
    plain = dict(target=1, method="integrated_gradients", samples=1, n_steps=32)
    np.testing.assert_allclose(explain(clf, X[:4], **plain), cells(raw), **tol)
    np.testing.assert_allclose(explain(clf, X[:4], window=1, **plain), raw.numpy(), **tol)
    # the default: 8 copies with seeded noise, one draw per copy for every record
    generator = torch.Generator().manual_seed(0)
    copies = [
        ig.attribute(
            x + torch.randn(x.shape[1:], generator=generator) * SMOOTHING_NOISE,
            torch.zeros_like(x),
            target=1,
            n_steps=16,
        ).detach()
        for _ in range(8)
    ]
    A = explain(clf, X[:4], target=1, method="integrated_gradients")
    np.testing.assert_allclose(A, cells(sum(copies) / 8), **tol)
    # so a record's map does not depend on its batch, and the global seed is left alone
    state = torch.get_rng_state()
    A_one = explain(clf, X[2:3], target=1, method="integrated_gradients")
    np.testing.assert_allclose(A_one[0], A[2], **tol)
    assert torch.equal(state, torch.get_rng_state())


def test_omniscale_gradcam_reads_its_last_layer():
    X, y = make_lead_bump_task(12, seed=4)
    clf = OmniScaleClassifier(max_epochs=1, max_kernel=5, device="cpu", random_state=0).fit(
        X[:, :, :64], y
    )
    A = explain(clf, X[:2, :, :64], method="gradcam")
    assert A.shape == (2, 3, 64) and (A >= 0).all()


def test_missing_captum_names_the_extra(bump_model, monkeypatch):
    clf, X, _ = bump_model
    for name in [m for m in sys.modules if m == "captum" or m.startswith("captum.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "captum", None)
    with pytest.raises(ImportError, match=r"pip install sktime-ecoscale\[explain\]"):
        explain(clf, X[:1], method="gradcam")


# ----------------------------------------------------------- PTB-XL records
@pytest.fixture(scope="module")
def ptbxl_model(shared_data, fitted_once):
    from sktime_ecoscale.datasets import load_ptbxl

    def fit():
        X, y = load_ptbxl(shared_data / "ptbxl", target="norm", folds=range(1, 9))
        return EcoScaleClassifier(
            widths=(8, 16, 16, 32), max_epochs=25, n_networks=1, device="cpu", random_state=0
        ).fit(X, y)  # folds 1-8: 353 records, about 30 s

    clf = fitted_once("ptbxl-norm", fit)
    X_test, _ = load_ptbxl(shared_data / "ptbxl", target="norm", folds=[10])
    return clf, X_test[:24]


def _probability_drop(clf, X, cls, replace_at) -> np.ndarray:
    before = target_probabilities(clf, X)[np.arange(len(X)), cls]
    X_del = X.copy()
    for i, where in enumerate(replace_at):
        lead_mean = np.broadcast_to(X[i].mean(axis=1, keepdims=True), X[i].shape)
        X_del[i].reshape(-1)[where] = lead_mean.reshape(-1)[where]
    return before - target_probabilities(clf, X_del)[np.arange(len(X)), cls]


def test_deleting_the_top_attributed_samples_hurts_more_than_random(ptbxl_model):
    clf, X = ptbxl_model
    cls = np.argmax(target_probabilities(clf, X), axis=1)
    k = X[0].size // 10
    rng = np.random.default_rng(0)
    random = np.mean(
        [
            _probability_drop(
                clf, X, cls, [rng.choice(X[0].size, k, replace=False) for _ in X]
            ).mean()
            for _ in range(3)
        ]
    )
    drops = {}
    for method in METHODS:
        A = explain(clf, X, method=method)  # the predicted class
        top = [np.argsort(a.ravel())[-k:] for a in A]
        drops[method] = _probability_drop(clf, X, cls, top).mean()
    assert min(drops.values()) > random + 0.01, (drops, random)
    # the default is the method whose top samples the model needs most on real ECGs
    assert max(drops, key=drops.get) == DEFAULT_METHOD, drops


def test_cli_writes_a_png_and_the_attributions_per_record(ptbxl_model, shared_data, tmp_path):
    from sktime_ecoscale.cli import _explain

    clf, _ = ptbxl_model
    model_dir = clf.save_model(tmp_path / "model")
    parser = argparse.ArgumentParser()
    _explain.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(
        [
            "explain",
            "--model",
            str(model_dir),
            "--data",
            f"ptbxl:{shared_data / 'ptbxl'}",
            "--data-option",
            "folds=[10]",
            "--records",
            "9,38",
            "--out",
            str(tmp_path / "out"),
            "--method",
            "gradcam",
        ]
    )
    assert args.run(args) == 0
    for record in ("9", "38"):
        assert (tmp_path / "out" / f"{record}.png").stat().st_size > 10_000
        assert np.load(tmp_path / "out" / f"{record}.npy").shape == (12, 1000)
    args.records = "9,no-such-record"
    with pytest.raises(SystemExit, match="not in the data set"):
        args.run(args)
    args.records, args.window = "9", 8  # Grad-CAM's resolution is its cells: no window
    with pytest.raises(SystemExit, match=r"method='gradcam' takes no option \['window'\]"):
        args.run(args)
    args.method, args.out = "integrated_gradients", str(tmp_path / "raw")
    args.window, args.n_steps, args.samples = 1, 4, 1
    assert args.run(args) == 0
    from sktime_ecoscale.datasets import open_dataset

    dataset = open_dataset(f"ptbxl:{shared_data / 'ptbxl'}", folds=[10])
    [(_, i)] = _explain.select_records(dataset, "9")
    signal = np.asarray(dataset.raw(i), dtype=np.float32)
    # the options reach explain: the file is the raw 4-step map of the predicted class
    expected = explain(
        clf, [signal], method="integrated_gradients", window=1, n_steps=4, samples=1
    )[0]
    np.testing.assert_allclose(np.load(tmp_path / "raw" / "9.npy"), expected, rtol=1e-4, atol=1e-6)
