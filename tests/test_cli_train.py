"""``ecoscale train`` / ``ecoscale predict`` end to end, checked against the Python API."""

import numpy as np
import pandas as pd
import pytest

from sktime_ecoscale import EcoScaleClassifier
from sktime_ecoscale.cli import main
from sktime_ecoscale.datasets import make_code15_like, open_dataset

TINY = [
    "--max-epochs",
    "1",
    "--widths",
    "4,4,8,8",
    "--device",
    "cpu",
    "--batch-size",
    "8",
    "--verbose",
    "0",
]


@pytest.fixture(scope="module")
def ptbxl(shared_data):
    """The shared PTB-XL subset (the tests skip without ``../shared/data``)."""
    return shared_data / "ptbxl"


def _check_against_python_api(model_dir, spec, csv, options=()):
    """The CSV equals predict_proba/predict of the model loaded with the Python API."""
    clf = EcoScaleClassifier.load_model(model_dir)
    ds = open_dataset(spec, **dict(options))
    X = np.stack([ds[i][0] for i in range(len(ds))])
    table = pd.read_csv(csv)
    assert len(table) == len(ds)
    proba, labels = clf.predict_proba(X), clf.predict(X)
    if isinstance(proba, pd.DataFrame):  # multi-label: P(1) per output, then 0/1 labels
        names = list(labels.columns)
        expected = np.column_stack([proba[n][1].to_numpy() for n in names])
        got = table[[f"p_{n}" for n in names]].to_numpy()
        assert np.array_equal(table[names].to_numpy(), labels.to_numpy())
    else:
        expected, got = proba, table[[f"p_{c}" for c in clf.classes_]].to_numpy()
        assert np.array_equal(table["label"].astype(str), labels.astype(str))
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-6)
    return clf, table


def test_train_predict_code15_like(tmp_path, capsys):
    data = make_code15_like(tmp_path / "code15", n_exams=8)
    spec, model_dir, csv = f"code15:{data}", tmp_path / "model", tmp_path / "pred.csv"
    assert main(["train", "--data", spec, "--out", str(model_dir), "--valid-size", "0", *TINY]) == 0
    assert "trained EcoScaleClassifier on 8 records" in capsys.readouterr().out
    assert (
        main(
            [
                "predict",
                "--model",
                str(model_dir),
                "--data",
                spec,
                "--out",
                str(csv),
                "--chunk-size",
                "3",
            ]
        )
        == 0
    )
    clf, table = _check_against_python_api(model_dir, spec, csv)
    assert set(clf.target_encoder_.names) == {"1dAVb", "RBBB", "LBBB", "SB", "AF", "ST"}
    assert table["record"].tolist() == open_dataset(spec).exam_ids.tolist()


def test_train_predict_ptbxl_norm_fold(tmp_path, ptbxl):
    options = ["--data-option", "target=norm", "--data-option", "folds=[10]"]
    spec, model_dir, csv = f"ptbxl:{ptbxl}", tmp_path / "model", tmp_path / "pred.csv"
    assert (
        main(
            [
                "train",
                "--data",
                spec,
                "--out",
                str(model_dir),
                "--valid-size",
                "0.2",
                *options,
                *TINY,
            ]
        )
        == 0
    )
    assert (
        main(["predict", "--model", str(model_dir), "--data", spec, "--out", str(csv), *options])
        == 0
    )
    clf, table = _check_against_python_api(
        model_dir, spec, csv, options=[("target", "norm"), ("folds", [10])]
    )
    assert list(clf.classes_) == ["NORM", "other"]
    assert len(clf.history_) == 1 and "valid_loss" in clf.history_[-1]


def test_bad_data_option_is_a_usage_error():
    with pytest.raises(SystemExit):
        main(["train", "--data", "code15:x", "--out", "m", "--data-option", "no-equals-sign"])


def test_predict_report_scores_the_labelled_records_at_the_model_thresholds(tmp_path, ptbxl):
    from sktime_ecoscale.metrics import clinical_report

    options = ["--data-option", "target=norm", "--data-option", "folds=[10]"]
    spec, model_dir, csv = f"ptbxl:{ptbxl}", tmp_path / "model", tmp_path / "pred.csv"
    assert (
        main(
            [
                "train",
                "--data",
                spec,
                "--out",
                str(model_dir),
                "--valid-size",
                "0.3",
                "--decision-threshold",
                "f1",
                *options,
                *TINY,
            ]
        )
        == 0
    )
    report = tmp_path / "report.md"
    assert (
        main(
            [
                "predict",
                "--model",
                str(model_dir),
                "--data",
                spec,
                "--out",
                str(csv),
                "--report",
                str(report),
                *options,
            ]
        )
        == 0
    )
    clf, table = _check_against_python_api(
        model_dir, spec, csv, options=[("target", "norm"), ("folds", [10])]
    )
    t = clf.decision_thresholds_
    assert list(t.index) == ["other"] and 0 < t.iloc[0] < 1
    text = report.read_text()
    assert "decision_thresholds_ ('f1')" in text
    ds = open_dataset(spec, target="norm", folds=[10])
    y_true = np.asarray(ds.classes, dtype=object)[np.asarray(ds.labels())]
    # full-precision probabilities, as the CLI's report uses: the F1 threshold is a
    # midpoint between two scores of these very records, so the CSV's rounded
    # probabilities can fall on the other side of it
    proba = clf.predict_proba(np.stack([ds[i][0] for i in range(len(ds))]))
    assert list(clf.classes_) == ["NORM", "other"]
    expected = clinical_report(
        y_true,
        proba,
        thresholds=t.to_numpy(),
        labels=["NORM", "other"],
    )
    assert expected.round(3).to_string() in text  # the Python API's table, same resamples
    with pytest.raises(SystemExit):  # a usage error, before any data is read
        main(["train", "--data", spec, "--out", str(model_dir), "--decision-threshold", "f3"])


def test_train_init_model_fine_tunes_a_saved_model(tmp_path):
    """``--init-model`` starts from a saved model: its backbone, a new head for the new labels."""
    data = make_code15_like(tmp_path / "code15", n_exams=8)
    spec, source_dir, tuned_dir = f"code15:{data}", tmp_path / "source", tmp_path / "tuned"
    ds = open_dataset(spec)
    X = np.stack([ds[i][0] for i in range(len(ds))])
    source = EcoScaleClassifier(widths=(4, 4, 8, 8), max_epochs=1, n_networks=1, device="cpu")
    source.fit(X, np.array(["a", "b"] * 4)).save_model(source_dir)
    args = ["train", "--data", spec, "--out", str(tuned_dir), "--valid-size", "0", *TINY]
    assert main([*args, "--init-model", str(source_dir), "--freeze-epochs", "1"]) == 0
    tuned = EcoScaleClassifier.load_model(tuned_dir)
    assert tuned.net_.module_.head[-1].out_features == 6  # the six CODE-15% labels
    # one frozen epoch: the backbone is the source's
    for name, value in source.net_.module_.state_dict().items():
        if not name.startswith("head") and "running" not in name and "num_batches" not in name:
            assert np.array_equal(tuned.net_.module_.state_dict()[name].numpy(), value.numpy()), (
                name
            )


def test_train_networks_sets_the_ensemble_size_and_is_refused_for_omniscale(tmp_path, capsys):
    data = make_code15_like(tmp_path / "code15", n_exams=8)
    args = ["train", "--data", f"code15:{data}", "--valid-size", "0", *TINY]
    assert main([*args, "--out", str(tmp_path / "two"), "--networks", "2"]) == 0
    assert EcoScaleClassifier.load_model(tmp_path / "two").budget_.n_networks == 2
    omni = [a for a in args if a not in ("--widths", "4,4,8,8")]
    with pytest.raises(SystemExit, match="--networks applies to --model ecoscale only"):
        main([*omni, "--out", str(tmp_path / "omni"), "--model", "omniscale", "--networks", "2"])


@pytest.mark.parametrize("main_rank", [True, False])
def test_train_ranks_save_once_and_all_close_the_process_group(tmp_path, monkeypatch, main_rank):
    """Under a launcher only rank 0 saves, and every rank closes the group after the save."""
    from sktime_ecoscale import classification

    events = []
    monkeypatch.setattr(classification, "is_main_process", lambda: main_rank)
    monkeypatch.setattr(
        classification, "close_process_group", lambda: events.append("closed") or True
    )
    save = EcoScaleClassifier.save_model
    monkeypatch.setattr(
        EcoScaleClassifier,
        "save_model",
        lambda self, path: events.append("saved") or save(self, path),
    )
    data = make_code15_like(tmp_path / "code15", n_exams=8)
    model_dir = tmp_path / "model"
    args = ["train", "--data", f"code15:{data}", "--out", str(model_dir), "--valid-size", "0"]
    assert main([*args, *TINY]) == 0
    assert events == (["saved", "closed"] if main_rank else ["closed"])
    assert model_dir.exists() == main_rank
