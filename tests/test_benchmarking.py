"""Smoke tests of ``ecoscale benchmark`` on the shared PTB-XL (quick settings)."""

import json
import re

import numpy as np
import pandas as pd
import pytest
import torch

from sktime_ecoscale.benchmarking import (
    _bench,
    _models,
    _parallel,
    _run,
    load_benchmark_data,
    load_benchmark_suite,
    macro_auroc,
    macro_f1,
    run_benchmark,
)
from sktime_ecoscale.benchmarking._bench import SuiteBenchmark
from sktime_ecoscale.cli import main

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def ptbxl(shared_data):
    """The shared PTB-XL subset (the tests skip without ``../shared/data``)."""
    return shared_data / "ptbxl"


@pytest.fixture
def tiny_models(monkeypatch):
    """Shrink our networks so the smoke test checks the plumbing, not training."""
    make = _bench.make_estimator

    def small(name, **kwargs):
        est = make(name, **kwargs)
        if name == "ecoscale":
            est.set_params(widths=(4, 4, 8, 8), n_networks=1, device="cpu")
        elif name == "minirocket":
            est.set_params(num_kernels=840)  # sktime's own, with fewer kernels
        return est

    monkeypatch.setattr(_bench, "make_estimator", small)  # benchmarked_model builds them


@pytest.fixture
def few_records(monkeypatch):
    """Every 4th record of each task (split kept), to keep the smoke test fast."""
    load = _run.load_benchmark_suite

    def subsample(*args, **kwargs):
        suite = load(*args, **kwargs)
        for st in suite:
            t = st.task
            keep = np.arange(0, len(t.test_fold), 4)
            t.X, t.test_fold = t.X[keep], t.test_fold[keep]
            t.y = t.y.iloc[keep].reset_index(drop=True) if t.multilabel else t.y[keep]
        return suite

    monkeypatch.setattr(_run, "load_benchmark_suite", subsample)


@pytest.fixture
def count_fits(monkeypatch):
    """Count the (task, estimator) fits sktime's benchmark hands to our hook."""
    calls = []
    run_one = SuiteBenchmark._run_validation

    def counted(self, task, estimator):
        calls.append(self._ids(task, estimator))
        return run_one(self, task, estimator)

    monkeypatch.setattr(SuiteBenchmark, "_run_validation", counted)
    return calls


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
        seeds=2,
        quick=True,
        progress=False,
    )
    assert list(res["model"]) == ["ecoscale", "ecoscale", "minirocket", "minirocket"]
    assert list(res["seed"]) == [0, 1, 0, 1] and set(res["task"]) == {"PTB-XL/superclass"}
    assert (res["error"].fillna("") == "").all(), res["error"].tolist()
    for col in [
        "macro_f1",
        "macro_f1_low",
        "macro_auroc_high",
        "accuracy",
        "fit_seconds",
        "predict_seconds",
        "parameters",
        "flops_per_series",
        "split",
    ]:
        assert res[col].notna().all(), col
    # each interval brackets its point estimate
    for metric in ("macro_f1", "accuracy", "macro_auroc"):
        assert (res[f"{metric}_low"] <= res[metric] + 1e-9).all(), metric
        assert (res[metric] <= res[f"{metric}_high"] + 1e-9).all(), metric
    on_disk = pd.read_csv(tmp_path / "results.csv")
    assert len(on_disk) == 4 and "flops_per_series" in on_disk
    summary = pd.read_csv(tmp_path / "summary.csv")
    eco = summary[summary["model"] == "ecoscale"].iloc[0]
    assert eco["seeds"] == 2
    assert eco["macro_f1"] == pytest.approx(res.loc[res["model"] == "ecoscale", "macro_f1"].mean())
    report = (tmp_path / "report.md").read_text()
    assert "## Verdict" in report and "issue" not in report.lower()
    # per-class table: every superclass for both models, and the macro row, with intervals
    section = report.split("## Per class")[1].split("\n## ")[0]
    for cls in ["CD", "HYP", "MI", "NORM", "STTC", "macro"]:
        for model in ("EcoScale", "MiniRocket"):
            assert re.search(rf"\| {cls} \| {model}[^|]* \| \d+ \| \d\.\d{{3}} \(", section), (
                cls,
                model,
            )
    pngs = sorted(p.name for p in tmp_path.glob("*.png"))
    assert pngs == [
        "pareto_PTB-XL_superclass.png",
        "pareto_suite.png",
        "per_class_f1_PTB-XL_superclass.png",
        "training_curves_PTB-XL_superclass.png",
    ]
    for name in pngs:
        assert (tmp_path / name).read_bytes()[:8] == PNG_MAGIC


def test_benchmark_resumes_through_sktime(tmp_path, tiny_models, count_fits):
    """A rerun fits nothing; after a crash midway it fits only what is left."""
    suite, models = "TwoLeadECG,AtrialFibrillation", ["ecoscale", "minirocket"]
    first = run_benchmark(suite, out=tmp_path, models=models, quick=True, progress=False)
    assert len(count_fits) == 4 and (first["error"].fillna("") == "").all()
    assert (tmp_path / "sktime_results.json").exists()
    again = run_benchmark(suite, out=tmp_path, models=models, quick=True, progress=False)
    assert len(count_fits) == 4  # nothing fitted the second time
    pd.testing.assert_frame_equal(first, again)


def test_benchmark_resumes_after_a_crash(tmp_path, tiny_models, monkeypatch):
    suite, models = "TwoLeadECG,AtrialFibrillation", ["ecoscale", "minirocket"]
    calls, crash = [], {"at": 3}
    run_one = SuiteBenchmark._run_validation

    def crashing(self, task, estimator):
        calls.append(self._ids(task, estimator))
        if len(calls) == crash["at"]:
            raise KeyboardInterrupt  # Ctrl-C in the middle of the third fit
        return run_one(self, task, estimator)

    monkeypatch.setattr(SuiteBenchmark, "_run_validation", crashing)
    with pytest.raises(KeyboardInterrupt):
        run_benchmark(suite, out=tmp_path, models=models, quick=True, progress=False)
    finished = calls[:2]
    calls.clear()
    crash["at"] = None
    resumed = run_benchmark(suite, out=tmp_path, models=models, quick=True, progress=False)
    assert len(calls) == 2 and not set(calls) & set(finished)
    assert (resumed["error"].fillna("") == "").all() and len(resumed) == 4


def _no_fitting_here(*args, **kwargs):
    raise AssertionError("the pair was fitted in the main process")


def test_pairs_are_fitted_in_worker_processes(tmp_path, monkeypatch):
    """n_jobs=2: workers fit every pair, sktime's loop stores them, a rerun fits nothing."""
    suite, models = "TwoLeadECG,AtrialFibrillation", ["ecoscale", "minirocket"]
    reference = run_benchmark(
        suite, out=tmp_path / "serial", models=models, quick=True, progress=False
    )
    monkeypatch.setattr(_bench, "fit_and_score", _no_fitting_here)  # the workers are unaffected
    first = run_benchmark(
        suite, out=tmp_path / "workers", models=models, quick=True, progress=False, n_jobs=2
    )
    assert (first["error"].fillna("") == "").all(), first["error"].tolist()
    assert len(first) == 4 and not list((tmp_path / "workers" / "pairs").iterdir())
    # MiniRocket is deterministic on any thread count: the same scores as fitted in-process
    rocket = first["model"] == "minirocket"
    assert first.loc[rocket, "macro_f1"].tolist() == reference.loc[rocket, "macro_f1"].tolist()
    again = run_benchmark(
        suite, out=tmp_path / "workers", models=models, quick=True, progress=False, n_jobs=2
    )
    pd.testing.assert_frame_equal(first, again)


def test_a_pair_a_worker_finished_is_not_fitted_again(tmp_path, monkeypatch):
    """A pair file left by a killed run is taken as it is on the rerun."""
    options = dict(
        quick=True,
        full=False,
        inceptiontime_epochs=_models.INCEPTIONTIME_EPOCHS,
        inceptiontime_seconds=_models.INCEPTIONTIME_TIME_BUDGET_S,
        omniscale_seconds=_models.OMNISCALE_TIME_BUDGET_S,
        ecoscale_networks=_models.ECOSCALE_NETWORKS,
    )
    (tmp_path / "pairs").mkdir()
    threads = torch.get_num_threads()
    _parallel._init_worker(dict(data="TwoLeadECG", task="auto", split="reference"), threads)
    folds, record = _parallel._fit_pair(
        str(tmp_path), "TwoLeadECG|minirocket-seed0", "TwoLeadECG", "minirocket", 0, options
    )
    monkeypatch.setattr(_bench, "fit_and_score", _no_fitting_here)
    res = run_benchmark(
        "TwoLeadECG", out=tmp_path, models=["minirocket"], quick=True, progress=False
    )
    assert res["error"].tolist() == [""]
    assert res["macro_f1"].tolist() == [folds[0]["macro_f1"]]
    assert res["macro_f1_low"].tolist() == [record["macro_f1_ci"][0]]


def test_a_pair_file_of_another_configuration_is_not_taken(tmp_path, monkeypatch):
    """A pair file left by a run of a differently configured model is fitted again."""
    (tmp_path / "pairs").mkdir()
    key = "TwoLeadECG|minirocket-seed0"
    _parallel._init_worker(
        dict(data="TwoLeadECG", task="auto", split="reference"), torch.get_num_threads()
    )
    _parallel._fit_pair(str(tmp_path), key, "TwoLeadECG", "minirocket", 0, {"quick": True})
    path = next((tmp_path / "pairs").iterdir())
    stored = json.loads(path.read_text())
    stored["record"]["description"] = "another configuration"
    stored["folds"]["0"]["macro_f1"] = -1.0  # would show if it were taken
    path.write_text(json.dumps(stored))
    fitted = []
    real = _bench.fit_and_score
    monkeypatch.setattr(_bench, "fit_and_score", lambda *a, **k: fitted.append(1) or real(*a, **k))
    res = run_benchmark("TwoLeadECG", out=tmp_path, models=["minirocket"], progress=False)
    assert fitted == [1] and res["macro_f1"].iloc[0] > 0.9


def test_changed_estimator_is_refitted(tmp_path, tiny_models, count_fits):
    run_benchmark("TwoLeadECG", out=tmp_path, models=["minirocket"], quick=True, progress=False)
    run_benchmark(
        "TwoLeadECG", out=tmp_path, models=["minirocket"], quick=True, progress=False, rerun=True
    )
    assert len(count_fits) == 2


def test_suite_names_tasks_uniquely():
    suite = load_benchmark_suite()
    assert [t.task_id for t in suite] == [
        "PTB-XL/norm",
        "PTB-XL/superclass",
        "ECG200",
        "TwoLeadECG",
        "AtrialFibrillation",
        "StandWalkJump",
    ]
    with pytest.raises(ValueError, match="twice"):
        load_benchmark_suite("ECG200,ECG200")


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
    assert res.loc[0, "task"] == "PTB-XL/norm" and res.loc[0, "split"].startswith("reference")
    assert (out / "pareto_PTB-XL_norm.png").read_bytes()[:8] == PNG_MAGIC
