"""run_benchmark: every model on every task through sktime's ``evaluate``."""

from __future__ import annotations

__all__ = ["run_benchmark"]

import json
import time
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from sktime_ecoscale.benchmarking._data import BenchmarkTask, load_benchmark_data
from sktime_ecoscale.benchmarking._metrics import accuracy, macro_auroc, macro_f1, per_class_f1
from sktime_ecoscale.benchmarking._models import (
    MODEL_NAMES,
    FitRecorder,
    capture_stdout,
    make_estimator,
    model_cost,
    parse_epoch_losses,
)
from sktime_ecoscale.benchmarking._report import (
    plot_pareto,
    plot_per_class_f1,
    plot_training_curves,
    write_report,
)

RESULT_COLUMNS = [
    "data",
    "task",
    "model",
    "macro_f1",
    "macro_auroc",
    "accuracy",
    "fit_seconds",
    "predict_seconds",
    "parameters",
    "flops_per_series",
    "split",
    "n_train",
    "n_test",
    "epochs",
    "params_note",
    "flops_note",
    "error",
]


def _history(name: str, recorder: FitRecorder, printed: str) -> dict:
    """Per-epoch losses: skorch's history for ours, printed losses for InceptionTime."""
    if name in ("ecoscale", "omniscale") and recorder.nets:
        hist = recorder.nets[-1].history
        return {
            "train_loss": [float(v) for v in hist[:, "train_loss"]],
            "valid_loss": [float(v) for v in hist[:, "valid_loss"]]
            if "valid_loss" in hist[-1]
            else [],
        }
    runs = parse_epoch_losses(printed)
    if not runs:
        return {}
    n = min(len(r) for r in runs)
    note = f"mean of {len(runs)} clones" if len(runs) > 1 else ""
    return {
        "train_loss": np.mean([r[:n] for r in runs], axis=0).tolist(),
        "valid_loss": [],
        "note": note,
    }


def _evaluate_one(name: str, task: BenchmarkTask, estimator, recorder) -> tuple[dict, dict, dict]:
    """Fit/predict one model on the task's fixed split with sktime's ``evaluate``."""
    from sklearn.model_selection import PredefinedSplit
    from sktime.classification.model_evaluation import evaluate

    with capture_stdout() as printed, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = evaluate(
            estimator,
            cv=PredefinedSplit(task.test_fold),  # one fixed split; split() needs no y
            X=task.X,
            y=task.y,
            scoring=[macro_f1, accuracy, macro_auroc],
            return_data=True,
            error_score="raise",
        ).iloc[0]
    y_test, y_pred = res["y_test"], res["y_pred"]
    scores = per_class_f1(y_test, y_pred, labels=None if task.multilabel else task.labels)
    history = _history(name, recorder, printed.getvalue())
    row = {
        "macro_f1": res["test_macro_f1"],
        "macro_auroc": res["test_macro_auroc"],
        "accuracy": res["test_accuracy"],
        "fit_seconds": res["fit_time"],
        "predict_seconds": res["pred_time"],
        "epochs": len(history.get("train_loss", [])) or np.nan,
    }
    return row, scores, history


def run_benchmark(
    data: str | Path | None = None,
    out: str | Path = "results/benchmark",
    task: str = "auto",
    models: Sequence[str] = MODEL_NAMES,
    inceptiontime_epochs: int = 30,
    random_state: int = 0,
    progress: bool = True,
    split: str = "reference",
    quick: bool = False,
) -> pd.DataFrame:
    """Benchmark EcoScale against OS-CNN, MiniRocket and InceptionTime on ECGs.

    Each (task, model) pair is fitted and scored once on a fixed split by
    sktime's :func:`~sktime.classification.model_evaluation.evaluate` with a
    :class:`~sklearn.model_selection.PredefinedSplit`. Writes into ``out``:
    ``results.csv`` (one row per task and model), ``per_class_f1.csv``,
    ``histories.json``, ``report.md`` and PNG figures (macro-F1 against FLOPs,
    per-class F1, training curves).

    Parameters
    ----------
    data : str or Path, optional
        Data set spec (``"ptbxl:PATH"``, ``"challenge:PATH"``, ``"code15:PATH"``,
        ``"ts:PATH"``, a bare path, or ``"basic_motions"``). Default: the shared
        PTB-XL at ``<repo>/../shared/data/ptbxl`` if present, else sktime's
        BasicMotions; the choice is printed.
    out : str or Path, default="results/benchmark"
        Output folder (created).
    task : {"auto", "norm", "superclass"}, default="auto"
        PTB-XL task: ``"norm"`` (NORM vs other), ``"superclass"`` (5-label
        multi-label); ``"auto"`` runs both.
    models : sequence of str, default=("ecoscale", "omniscale", "minirocket", "inceptiontime")
        Models to run, see :func:`~sktime_ecoscale.benchmarking.make_estimator`.
    inceptiontime_epochs : int, default=30
        Epochs of ``InceptionTimeClassifierTorch``.
    random_state : int, default=0
        Seed of every model.
    progress : bool, default=True
        Show a progress bar over the (task, model) steps and print the data used.
    split : {"reference", "official"}, default="reference"
        PTB-XL split: ``"reference"`` trains on folds 1-8 and tests on 9+10
        (the split of the published comparison figures, 147 test records);
        ``"official"`` trains on folds 1-9 and tests on fold 10 (66 records).
    quick : bool, default=False
        Two epochs per deep model: a smoke test, not a benchmark.

    Returns
    -------
    pd.DataFrame
        The rows of ``results.csv``.

    Examples
    --------
    A smoke run (two epochs) on sktime's BasicMotions:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from sktime_ecoscale.benchmarking import run_benchmark
    >>> out = Path(tempfile.mkdtemp())
    >>> res = run_benchmark("basic_motions", out=out, models=["ecoscale"], quick=True,
    ...                     progress=False)
    >>> res[["data", "task", "model", "n_train", "n_test", "epochs", "error"]].to_dict("records")
    [{'data': 'BasicMotions', 'task': 'classes', 'model': 'ecoscale', 'n_train': 40, 'n_test': 40, 'epochs': 2, 'error': ''}]
    >>> sorted(p.name for p in out.iterdir() if p.suffix in (".csv", ".json", ".md"))
    ['histories.json', 'per_class_f1.csv', 'report.md', 'results.csv']
    """
    from tqdm.auto import tqdm

    unknown = [m for m in models if m not in MODEL_NAMES]
    if unknown:
        raise ValueError(f"unknown models {unknown}; choose from {MODEL_NAMES}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    bench = load_benchmark_data(data, task=task, split=split, random_state=random_state)
    if progress:
        print(f"ecoscale benchmark: data = {bench.description}", flush=True)
    rows, per_class, histories, estimators = [], {}, {}, {}
    steps = [(t, m) for t in bench.tasks for m in models]
    bar = tqdm(steps, disable=not progress, unit="model")
    for t, name in bar:
        bar.set_description(f"{t.name}/{name}")
        recorder = FitRecorder()
        est = make_estimator(
            name,
            quick=quick,
            inceptiontime_epochs=inceptiontime_epochs,
            random_state=random_state,
            recorder=recorder,
        )
        estimators[name] = est
        row = {
            "data": bench.name,
            "task": t.name,
            "model": name,
            "split": t.split,
            "n_train": t.n_train,
            "n_test": t.n_test,
            "error": "",
        }
        start = time.perf_counter()
        try:
            scores, classes, hist = _evaluate_one(name, t, est, recorder)
            row.update(scores)
            per_class.setdefault(t.name, {})[name] = classes
            histories.setdefault(t.name, {})[name] = hist
            train = t.test_fold == -1
            y_train = t.y[train] if t.multilabel else np.asarray(t.y)[train]
            params, flops, note = model_cost(name, est, t.X[train], y_train, recorder, t.multilabel)
            row.update(parameters=params, flops_per_series=flops, params_note=note, flops_note=note)
        except Exception as err:  # one failing model must not sink the whole run
            row["error"] = f"{type(err).__name__}: {err}"
            row.setdefault("fit_seconds", time.perf_counter() - start)
        rows.append(row)
        _write_tables(rows, per_class, histories, out)
    bar.close()
    results = pd.DataFrame(rows).reindex(columns=RESULT_COLUMNS)
    figures = _figures(results, per_class, histories, out, bench)
    run = [
        f"`run_benchmark(data={str(data)!r}, task={task!r}, models={list(models)}, "
        f"inceptiontime_epochs={inceptiontime_epochs}, random_state={random_state}, "
        f"split={split!r}, quick={quick})`",
        "each (task, model): `sktime.classification.model_evaluation.evaluate` with "
        "`sklearn.model_selection.PredefinedSplit` (one fixed train/test split), "
        "scoring macro-F1, accuracy and macro-AUROC",
        "deep models train on the training part only (a validation hold-out, if their "
        "`valid_size` asks for one, comes out of it); the test part is never seen in training",
        "the benchmark callbacks only record the fitted net (`benchmark_recorder`) or stop "
        "training at a wall-clock cap (`time_budget`, OS-CNN only); they do not change training",
    ] + [
        f"task `{t.name}`: {t.split}, {t.n_train} train / {t.n_test} test series, "
        f"{'multi-label' if t.multilabel else 'classes'} {[str(c) for c in t.labels]}"
        for t in bench.tasks
    ]
    if quick:
        run.append("**quick mode: 2 epochs per deep model; a smoke test, not a benchmark**")
    write_report(
        results,
        out,
        data_description=bench.description,
        run_description=run,
        figures=figures,
        estimators=estimators,
    )
    return results


def _write_tables(rows, per_class, histories, out: Path) -> None:
    """Written after every step, so a long run that stops still leaves its results."""
    pd.DataFrame(rows).reindex(columns=RESULT_COLUMNS).to_csv(out / "results.csv", index=False)
    frames = [
        pd.DataFrame(v).rename_axis("class").reset_index().assign(task=k)
        for k, v in per_class.items()
    ]
    if frames:
        pd.concat(frames).to_csv(out / "per_class_f1.csv", index=False)
    (out / "histories.json").write_text(json.dumps(histories, indent=1))


def _figures(results, per_class, histories, out: Path, bench) -> list[Path]:
    figures = []
    for t in bench.tasks:
        figures.append(plot_pareto(results, t.name, out / f"pareto_{t.name}.png"))
        if t.name in per_class and (t.multilabel or len(t.labels) > 2):
            frame = pd.DataFrame(per_class[t.name])
            figures.append(plot_per_class_f1(frame, t.name, out / f"per_class_f1_{t.name}.png"))
        figures.append(
            plot_training_curves(
                histories.get(t.name, {}), t.name, out / f"training_curves_{t.name}.png"
            )
        )
    return [f for f in figures if f is not None]
