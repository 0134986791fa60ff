"""The starter models shipped with the package: they load, score as documented, fine-tune by name."""

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.metrics import roc_auc_score

from sktime_ecoscale import EcoScaleClassifier, pretrained
from sktime_ecoscale.classification import load_model, pretrained_models, pretrained_path
from sktime_ecoscale.datasets import load_ptbxl, load_ptbxl_sample
from sktime_ecoscale.utils import ecg_panel

SUPERCLASSES = ["NORM", "MI", "STTC", "CD", "HYP"]
#: Macro-AUROC on folds 9-10 (147 records) stated in classification/pretrained/README.md.
DOCUMENTED_AUROC = {"ptbxl-superclass-100hz": 0.834, "ptbxl-superclass-500hz": 0.833}


def _macro_auroc(Y, clf, X) -> float:
    """Macro-AUROC over the superclasses of ``clf``'s probabilities on a time-indexed panel."""
    proba = clf.predict_proba(ecg_panel(X, clf.fs_, clf.leads_))
    scores = proba.xs(1, axis=1, level=1)[SUPERCLASSES].to_numpy()
    return float(np.mean([roc_auc_score(Y[c], scores[:, j]) for j, c in enumerate(SUPERCLASSES)]))


@pytest.mark.parametrize("name", sorted(pretrained_models()))
def test_starter_model_loads_with_its_leads_rate_and_labels(name):
    clf = pretrained(name)
    assert isinstance(clf, EcoScaleClassifier)
    assert clf.fs_ == float(name.removesuffix("hz").rsplit("-", 1)[1])
    assert [lead.upper() for lead in clf.leads_] == [
        "I", "II", "III", "AVR", "AVL", "AVF", "V1", "V2", "V3", "V4", "V5", "V6",
    ]  # fmt: skip
    assert list(clf.target_encoder_.names) == SUPERCLASSES
    assert clf.budget_.n_networks == 1
    # the same files through the path form every model argument accepts
    X, _ = load_ptbxl_sample(target="superclass", folds=[10])
    X = ecg_panel(X[:3], 100.0, clf.leads_)  # 100 Hz: the 500 Hz model resamples it
    by_name = load_model(f"pretrained:{name}").predict_proba(X)
    pd.testing.assert_frame_equal(clf.predict_proba(X), by_name)


def test_starter_100hz_scores_as_documented_on_the_held_out_folds():
    X, Y = load_ptbxl_sample(target="superclass", folds=[9, 10])
    auroc = _macro_auroc(Y, pretrained("ptbxl-superclass-100hz"), X)
    assert abs(auroc - DOCUMENTED_AUROC["ptbxl-superclass-100hz"]) < 0.005, auroc


def test_starter_500hz_scores_as_documented_on_the_held_out_folds(shared_data):
    X, Y = load_ptbxl(shared_data / "ptbxl", sampling_rate=500, target="superclass", folds=[9, 10])
    auroc = _macro_auroc(Y, pretrained("ptbxl-superclass-500hz"), X)
    assert abs(auroc - DOCUMENTED_AUROC["ptbxl-superclass-500hz"]) < 0.005, auroc


def test_unknown_starter_name_lists_the_bundled_models():
    with pytest.raises(ValueError, match="ptbxl-superclass-100hz"):
        pretrained_path("ptbxl-rhythm")
    with pytest.raises(ValueError, match="not a bundled starter model"):
        load_model("pretrained:nope")


def test_fine_tune_from_a_starter_model_by_name_on_two_leads():
    X, y = load_ptbxl_sample(target="norm", folds=[1])
    source = pretrained("ptbxl-superclass-100hz")
    clf = EcoScaleClassifier(
        init_model="pretrained:ptbxl-superclass-100hz",
        # a subset of the leads, in another order: mapped by name (the panel names them)
        max_epochs=1,
        lr=1e-12,
        device="cpu",
        random_state=0,
    ).fit(ecg_panel(X[:, [1, 0]], 100.0, ["II", "I"]), y)
    assert clf.net_.module_.head[-1].out_features == 2  # a new head for NORM vs other
    assert clf.budget_.widths == source.budget_.widths and clf.budget_.n_networks == 1
    src, dst = source.net_.module_.state_dict(), clf.net_.module_.state_dict()
    stem = [name for name in dst if dst[name].ndim == 3 and dst[name].shape[1] == 2]
    assert stem, "no first-layer filter over the two leads"
    for name in stem:  # first-layer filters: the source's lead II and lead I columns
        torch.testing.assert_close(dst[name], src[name][:, [1, 0]], rtol=0, atol=1e-6)
    later = [
        n for n in dst if n.startswith("stages") and "running" not in n and "num_batches" not in n
    ]
    assert later
    for name in later:
        torch.testing.assert_close(dst[name], src[name], rtol=0, atol=1e-6, msg=name)


def test_cli_predicts_with_a_starter_model_by_name(shared_data, tmp_path):
    from sktime_ecoscale.cli import main

    out = tmp_path / "p.csv"
    spec = f"ptbxl:{shared_data / 'ptbxl'}"
    args = ["predict", "--model", "pretrained:ptbxl-superclass-100hz", "--data", spec]
    assert main([*args, "--data-option", "folds=[10]", "--out", str(out)]) == 0
    header, *rows = out.read_text().splitlines()
    assert len(rows) == 66 and "p_NORM" in header
