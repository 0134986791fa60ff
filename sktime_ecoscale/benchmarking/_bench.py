"""sktime's ClassificationBenchmark, keeping what the report needs from each fit."""

from __future__ import annotations

__all__ = ["SuiteBenchmark", "FitExtras", "benchmarked_model", "fit_and_score", "SCORERS"]

import json
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sktime.benchmarking._benchmarking_dataclasses import FoldResults
from sktime.benchmarking.classification import ClassificationBenchmark

from sktime_ecoscale.benchmarking._cost import model_cost
from sktime_ecoscale.benchmarking._metrics import (
    accuracy,
    bootstrap_auroc,
    bootstrap_label_scores,
    macro_auroc,
    macro_f1,
    per_class_f1,
    per_class_intervals,
)
from sktime_ecoscale.benchmarking._models import (
    FitRecorder,
    capture_stdout,
    fit_history,
    make_estimator,
)
from sktime_ecoscale.benchmarking._parallel import read_pair
from sktime_ecoscale.benchmarking._report import describe_estimator
from sktime_ecoscale.classification._jsonsafe import json_default

#: Resamples of the bootstrap confidence intervals (95 %, stratified).
BOOTSTRAP_RESAMPLES = 1000
#: sktime scorers of every task.
SCORERS = (macro_f1, accuracy, macro_auroc)


@dataclass
class FitExtras:
    """How one (task, model, seed) fit is benchmarked beyond sktime's scores.

    Parameters
    ----------
    name : str
        The model family (``"ecoscale"``, ``"minirocket"``, ...).
    seed : int
        Its ``random_state``.
    recorder : FitRecorder or None
        Callback that keeps the fitted skorch nets (our models only).
    description : str
        The estimator as configured (what a rerun compares to reuse a result).
    """

    name: str
    seed: int
    recorder: object
    description: str


def benchmarked_model(name: str, seed: int, options: dict) -> tuple[object, FitExtras]:
    """The estimator benchmarked as ``name`` with ``seed``, and how its fit is recorded.

    ``options`` are :func:`~sktime_ecoscale.benchmarking.make_estimator`'s
    budget keywords. Our deep models get a :class:`FitRecorder`; the
    description is what a rerun compares to reuse a stored result.
    """
    recorder = FitRecorder() if name in ("ecoscale", "omniscale") else None
    est = make_estimator(name, random_state=seed, recorder=recorder, **options)
    return est, FitExtras(name, seed, recorder, describe_estimator(est))


class SuiteBenchmark(ClassificationBenchmark):
    """:class:`~sktime.benchmarking.classification.ClassificationBenchmark` with a record per fit.

    sktime runs the (task, estimator) grid, checkpoints each result to its
    results file and skips finished pairs on a rerun. This subclass's one
    addition, in :meth:`_run_validation` (the hook sktime calls per pair):
    it asks ``evaluate`` for the test labels and predictions, turns them into
    bootstrap intervals, per-class F1, the training curve and the model's
    parameters and FLOPs, and writes them to ``extras_path`` before sktime
    writes its own result, so every stored result has its record. The
    predictions themselves are not kept in sktime's results file.

    Parameters
    ----------
    extras_path : Path
        JSON file of the per-fit records, keyed ``"task_id|model_id"``.
    fits : dict
        ``model_id -> FitExtras``.
    tasks : dict
        ``task_id -> BenchmarkTask`` (for the training part's shape).
    on_done : callable, optional
        Called with ``(task_id, model_id)`` after each fit (progress bars).
    pool : PairPool, optional
        Worker processes fitting pairs ahead; their scores are taken, not refitted.
    """

    def __init__(self, extras_path: Path, fits: dict, tasks: dict, on_done=None, pool=None):
        super().__init__(return_data=True)
        self.pool = pool
        self.extras_path = Path(extras_path)
        self.fits = fits
        self.suite_tasks = tasks
        self.on_done = on_done
        self.extras = self.load_extras(self.extras_path)

    @staticmethod
    def load_extras(path: Path) -> dict:
        """The stored per-fit records (empty when there are none)."""
        path = Path(path)
        return json.loads(path.read_text()) if path.exists() else {}

    def _ids(self, task, estimator) -> tuple[str, str]:
        task_id = next(k for k, v in self.tasks.entities.items() if v is task)
        model_id = next(k for k, v in self.estimators.entities.items() if v is estimator)
        return task_id, model_id

    def _run_validation(self, task, estimator):
        """Fit and score one (task, estimator) pair: sktime's hook, called once per pair.

        The pair's scores come from :func:`fit_and_score`, here or, when a
        :class:`~sktime_ecoscale.benchmarking._parallel.PairPool` fits pairs
        ahead (``self.pool``), from the worker that fitted it; a pair file a
        worker left in ``out/pairs/`` (a run killed before sktime stored it)
        is taken as it is.
        """
        task_id, model_id = self._ids(task, estimator)
        key = f"{task_id}|{model_id}"
        # a pair a worker finished (this run, or one killed before sktime stored it)
        result = read_pair(self.extras_path.parent, key, self.fits[model_id].description)
        from_worker = self.pool is not None and key in self.pool.futures  # reports its progress
        if result is None and from_worker:
            result = self.pool.result(key)
        if result is None:
            result = fit_and_score(
                estimator,
                self.suite_tasks[task_id],
                self.fits[model_id],
                backend=self.backend,
                backend_params=self.backend_params,
            )
        folds, record = result
        self.extras[key] = record
        tmp = self.extras_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.extras, indent=1, default=json_default))
        os.replace(tmp, self.extras_path)  # atomic: a crash leaves the old file whole
        if self.on_done is not None and not from_worker:
            self.on_done(task_id, model_id)
        # sktime's file keeps scores, not predictions
        return {ix: FoldResults(scores) for ix, scores in folds.items()}


def fit_and_score(estimator, bench_task, fit: FitExtras, backend=None, backend_params=None):
    """Fit ``estimator`` on the task's training part, score the test part, keep the record.

    sktime's ``evaluate`` as :class:`ClassificationBenchmark` calls it (the
    task's split as a ``PredefinedSplit``, :data:`SCORERS`), with
    ``return_data=True`` so the record sees the test predictions.

    Returns
    -------
    folds : dict
        Fold index -> scores (the scorers' names, ``fit_time``, ``pred_time``).
    record : dict
        Intervals, per-class F1, training curve and costs (see :class:`SuiteBenchmark`).
    """
    from sklearn.model_selection import PredefinedSplit
    from sktime.classification.model_evaluation import evaluate

    if fit.recorder is not None:
        fit.recorder.nets.clear()
    with capture_stdout() as printed, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        frame = evaluate(
            classifier=estimator,
            cv=PredefinedSplit(bench_task.test_fold),
            scoring=list(SCORERS),
            backend=backend,
            backend_params=backend_params,
            error_score=np.nan,
            return_data=True,
            X=bench_task.X,
            y=bench_task.y,
        )
    folds = {}
    for ix, row in frame.iterrows():
        scores = {s.__name__: float(row["test_" + s.__name__]) for s in SCORERS}
        scores["fit_time"], scores["pred_time"] = float(row["fit_time"]), float(row["pred_time"])
        folds[int(ix)] = scores
    record = _record(bench_task, fit, estimator, frame.iloc[0], printed.getvalue())
    return folds, record


def _record(bench_task, fit: FitExtras, estimator, row, printed: str) -> dict:
    y_test, y_pred = row["y_test"], row["y_pred"]
    proba = row.get("y_pred_proba")
    record = {"description": fit.description, "seed": fit.seed}
    per_class = per_class_f1(
        y_test, y_pred, labels=None if bench_task.multilabel else bench_task.labels
    )
    record["per_class_f1"] = {str(k): float(v) for k, v in per_class.items()}
    labels_ci = bootstrap_label_scores(y_test, y_pred, BOOTSTRAP_RESAMPLES, fit.seed)
    record["macro_f1_ci"] = labels_ci["macro_f1"]
    record["accuracy_ci"] = labels_ci["accuracy"]
    record["macro_auroc_ci"] = [np.nan, np.nan]
    if proba is not None:
        with warnings.catch_warnings():  # undefined resamples are left out
            warnings.simplefilter("ignore")
            record["macro_auroc_ci"] = bootstrap_auroc(y_test, proba, BOOTSTRAP_RESAMPLES, fit.seed)
        record["per_class"] = per_class_intervals(
            y_test,
            proba,
            BOOTSTRAP_RESAMPLES,
            fit.seed,
            # the probability columns' classes, also when one is absent from the test part
            classes=None if bench_task.multilabel else bench_task.labels,
        )
    history = fit_history(fit.name, fit.recorder, printed)
    record["history"] = history
    record["epochs"] = len(history.get("train_loss", [])) or None
    record["budget_limited"] = bool(history.get("budget_limited", False))
    record["seconds_per_epoch"] = history.get("seconds_per_epoch")
    train = bench_task.test_fold == -1
    y = bench_task.y
    y_train = y[train] if bench_task.multilabel else np.asarray(y)[train]
    params, flops, note = model_cost(
        fit.name, estimator, bench_task.X[train], y_train, fit.recorder, bench_task.multilabel
    )
    record.update(parameters=params, flops_per_series=flops, cost_note=note)
    return record
