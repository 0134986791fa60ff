"""Smoke tests of ``ecoscale benchmark`` on the shared PTB-XL (quick settings)."""

import numpy as np
import pandas as pd
import pytest

from sktime_ecoscale.benchmarking import (
    _run,
    load_benchmark_data,
    macro_auroc,
    macro_f1,
    run_benchmark,
)
from sktime_ecoscale.cli import main

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def ptbxl(shared_data):
    """The shared PTB-XL subset (the tests skip without ``../shared/data``)."""
    return shared_data / "ptbxl"


@pytest.fixture
def tiny_models(monkeypatch):
    """Shrink our networks so the smoke test checks the plumbing, not training."""
    make = _run.make_estimator

    def small(name, **kwargs):
        est = make(name, **kwargs)
        if name == "ecoscale":
            est.set_params(widths=(4, 4, 8, 8), n_networks=1, device="cpu")
        elif name == "minirocket":
            est.set_params(num_kernels=840)  # sktime's own, with fewer kernels
        return est

    monkeypatch.setattr(_run, "make_estimator", small)


@pytest.fixture
def few_records(monkeypatch):
    """Every 4th record of each task (split kept), to keep the smoke test fast."""
    load = _run.load_benchmark_data

    def subsample(*args, **kwargs):
        data = load(*args, **kwargs)
        for t in data.tasks:
            keep = np.arange(0, len(t.test_fold), 4)
            t.X, t.test_fold = t.X[keep], t.test_fold[keep]
            t.y = t.y.iloc[keep].reset_index(drop=True) if t.multilabel else t.y[keep]
        return data

    monkeypatch.setattr(_run, "load_benchmark_data", subsample)


def test_ptbxl_splits(ptbxl):
    data = load_benchmark_data(f"ptbxl:{ptbxl}", split="reference")
    assert [t.name for t in data.tasks] == ["norm", "superclass"]
    norm, sup = data.tasks
    assert (norm.n_train, norm.n_test) == (353, 147)
    assert sup.multilabel and sup.labels == ["NORM", "MI", "STTC", "CD", "HYP"]
    official = load_benchmark_data(f"ptbxl:{ptbxl}", task="norm", split="official").tasks[0]
    assert (official.n_train, official.n_test) == (434, 66)


def test_metrics_single_and_multilabel():
    y = pd.DataFrame({"a": [0, 1, 1, 0], "b": [1, 0, 1, 0]})
    proba = pd.concat({c: pd.DataFrame({0: 1 - y[c] * 0.8, 1: y[c] * 0.8}) for c in y}, axis=1)
    assert macro_f1(y, y) == 1.0 and macro_auroc(y, proba) == 1.0
    labels = np.array(["NORM", "other", "NORM", "other"])
    assert macro_auroc(labels, np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.3, 0.7]])) == 1.0
    with pytest.raises(ValueError):  # how sktime's evaluate tells label scores apart
        macro_f1(np.array([0, 1]), np.array([[0.8, 0.2], [0.3, 0.7]]))


def test_run_benchmark_superclass_quick(tmp_path, tiny_models, few_records, ptbxl):
    res = run_benchmark(
        f"ptbxl:{ptbxl}",
        out=tmp_path,
        task="superclass",
        models=["ecoscale", "minirocket"],
        quick=True,
        progress=False,
    )
    assert list(res["model"]) == ["ecoscale", "minirocket"]
    assert (res["error"].fillna("") == "").all(), res["error"].tolist()
    for col in [
        "macro_f1",
        "macro_auroc",
        "accuracy",
        "fit_seconds",
        "predict_seconds",
        "parameters",
        "flops_per_series",
        "split",
    ]:
        assert res[col].notna().all(), col
    on_disk = pd.read_csv(tmp_path / "results.csv")
    assert len(on_disk) == 2 and "flops_per_series" in on_disk
    assert "superclass macro-AUROC" in (tmp_path / "report.md").read_text()
    pngs = sorted(p.name for p in tmp_path.glob("*.png"))
    assert pngs == [
        "pareto_superclass.png",
        "per_class_f1_superclass.png",
        "training_curves_superclass.png",
    ]
    for name in pngs:
        assert (tmp_path / name).read_bytes()[:8] == PNG_MAGIC


def test_cli_benchmark(tmp_path, tiny_models, few_records, capsys, ptbxl):
    out = tmp_path / "bench"
    code = main(
        [
            "benchmark",
            "--data",
            f"ptbxl:{ptbxl}",
            "--out",
            str(out),
            "--task",
            "norm",
            "--models",
            "ecoscale",
            "--quick",
            "--no-progress",
        ]
    )
    assert code == 0
    assert "EcoScale" in capsys.readouterr().out
    res = pd.read_csv(out / "results.csv")
    assert res.loc[0, "task"] == "norm" and res.loc[0, "split"].startswith("reference")
    assert (out / "pareto_norm.png").read_bytes()[:8] == PNG_MAGIC
