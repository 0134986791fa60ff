"""Ensembles: members trained on their own losses, served as one averaged network."""

import numpy as np
import pytest
import torch

from sktime_ecoscale import EcoScaleClassifier
from sktime_ecoscale.classification import TrainingBudget, training_budget
from sktime_ecoscale.classification._targets import MultiHeadLoss
from sktime_ecoscale.networks import EcoScaleNet, NetworkEnsemble, fuse_for_inference


def _members(n=3, seed=0):
    torch.manual_seed(seed)
    return [EcoScaleNet(2, 3, 64, widths=(4, 8, 8, 8)) for _ in range(n)]


def test_eval_output_is_the_mean_of_the_members_logits_and_training_keeps_them_apart():
    members = _members()
    ens = NetworkEnsemble(members)
    x = torch.randn(6, 2, 64)
    ens.eval()
    expected = torch.stack([m(x) for m in members]).mean(0)
    assert torch.allclose(ens(x), expected, atol=1e-6)
    assert ens.train()(x).shape == (3, 6, 3)


def test_the_loss_of_a_stacked_output_is_the_mean_of_the_members_losses():
    loss = MultiHeadLoss([3], [False])
    logits = torch.randn(4, 5, 3)
    target = torch.tensor([0, 1, 2, 1, 0])
    expected = torch.stack([loss(z, target) for z in logits]).mean()
    assert torch.allclose(loss(logits, target), expected)
    # and not the loss of the averaged logits
    assert not torch.allclose(loss(logits, target), loss(logits.mean(0), target))


def test_fused_ensemble_computes_the_same_function():
    ens = NetworkEnsemble(_members()).eval()
    x = torch.randn(5, 2, 64)
    assert torch.allclose(fuse_for_inference(ens)(x), ens(x), atol=1e-4)


def test_members_start_from_different_weights():
    ens = NetworkEnsemble(_members(2))
    a, b = (next(m.parameters()) for m in ens.members)
    assert not torch.equal(a, b)


def test_budget_resolves_n_networks_and_explicit_wins():
    assert training_budget(24, 2, 40, 2, n_networks=4).n_networks == 4
    with pytest.raises(ValueError, match="n_networks"):
        training_budget(24, 2, 40, 2, n_networks=0)
    old = training_budget(24, 2, 40, 2).to_dict()
    del old["n_networks"]  # a model file written before ensembles
    assert TrainingBudget.from_dict(old).n_networks == 1


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "many"])
def test_invalid_n_networks_is_rejected_before_training(bad):
    X = np.zeros((8, 1, 32), dtype="float32")
    y = np.array([0, 1] * 4)
    with pytest.raises(ValueError, match="n_networks"):
        EcoScaleClassifier(n_networks=bad).fit(X, y)


def test_ensemble_estimator_saves_as_one_model_and_loads_back_identically(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(16, 2, 48)).astype("float32")
    y = np.array([0, 1] * 8)
    X[y == 1, :, 10:20] += 2.0
    clf = EcoScaleClassifier(
        n_networks=2, max_epochs=3, widths=(4, 8, 8, 8), device="cpu", random_state=0
    ).fit(X, y)
    assert clf.budget_.n_networks == 2
    assert isinstance(clf.net_.module_, NetworkEnsemble) and len(clf.net_.module_.members) == 2
    path = tmp_path / "ens.ecoscale"
    clf.save_model(path)
    loaded = EcoScaleClassifier.load_model(path)
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
