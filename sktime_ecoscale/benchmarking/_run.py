"""run_benchmark: every model on every task of the suite, through sktime's ClassificationBenchmark."""

from __future__ import annotations

__all__ = ["run_benchmark"]

import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from sktime_ecoscale.benchmarking._bench import (
    BOOTSTRAP_RESAMPLES,
    SCORERS,
    FitExtras,
    SuiteBenchmark,
    benchmarked_model,
)
from sktime_ecoscale.benchmarking._models import (
    ECOSCALE_NETWORKS,
    INCEPTIONTIME_EPOCHS,
    INCEPTIONTIME_TIME_BUDGET_S,
    MODEL_NAMES,
    OMNISCALE_TIME_BUDGET_S,
)
from sktime_ecoscale.benchmarking._parallel import PairPool, forget_pairs, pair_cost
from sktime_ecoscale.benchmarking._ranks import summarise_seeds
from sktime_ecoscale.benchmarking._report import (
    plot_pareto,
    plot_per_class_f1,
    plot_training_curves,
    write_report,
)
from sktime_ecoscale.benchmarking._suite import load_benchmark_suite

#: sktime's results file inside ``out`` (its checkpoints: ``<file>.parts/``).
SKTIME_RESULTS = "sktime_results.json"
#: The per-fit records (intervals, per-class F1, curves, costs) beside it.
FIT_RECORDS = "fits.json"

RESULT_COLUMNS = [
    "data",
    "task",
    "model",
    "seed",
    "macro_f1",
    "macro_f1_low",
    "macro_f1_high",
    "macro_auroc",
    "macro_auroc_low",
    "macro_auroc_high",
    "accuracy",
    "accuracy_low",
    "accuracy_high",
    "fit_seconds",
    "predict_seconds",
    "parameters",
    "flops_per_series",
    "epochs",
    "budget_limited",
    "seconds_per_epoch",
    "split",
    "n_train",
    "n_test",
    "cost_note",
    "error",
]


def _pair_fit(fit: FitExtras) -> tuple:
    return fit.name, fit.seed, fit.description


def _model_id(name: str, seed: int) -> str:
    return f"{name}-seed{seed}"


def _rows(suite, fits, stored, extras, failed) -> list[dict]:
    """One row per (task, model, seed) from sktime's results and the fit records."""
    by_key = {(r.task_id, r.model_id): r for r in stored}
    errors = {(f.task_id, f.model_id): f"{f.exception_type}: {f.exception_message}" for f in failed}
    rows = []
    for st in suite:
        for model_id, fit in fits.items():
            row = {
                "data": st.data,
                "task": st.task_id,
                "model": fit.name,
                "seed": fit.seed,
                "split": st.task.split,
                "n_train": st.task.n_train,
                "n_test": st.task.n_test,
                "error": errors.get((st.task_id, model_id), ""),
            }
            result = by_key.get((st.task_id, model_id))
            record = extras.get(f"{st.task_id}|{model_id}", {})
            if result is not None:
                scores = result.folds[0].scores
                for metric in ("macro_f1", "accuracy", "macro_auroc"):
                    row[metric] = float(scores[metric])
                    low, high = record.get(f"{metric}_ci", (np.nan, np.nan))
                    row[f"{metric}_low"], row[f"{metric}_high"] = low, high
                row["fit_seconds"] = float(scores["fit_time"])
                row["predict_seconds"] = float(scores["pred_time"])
                for key in ("parameters", "flops_per_series", "epochs", "cost_note"):
                    row[key] = record.get(key)
                row["budget_limited"] = bool(record.get("budget_limited", False))
                row["seconds_per_epoch"] = record.get("seconds_per_epoch")
            elif not row["error"]:
                row["error"] = "not run"
            rows.append(row)
    return rows


def run_benchmark(
    data: str | Sequence[str] | None = None,
    out: str | Path = "results/benchmark",
    task: str = "auto",
    models: Sequence[str] = MODEL_NAMES,
    seeds: Sequence[int] | int = 1,
    inceptiontime_epochs: int = INCEPTIONTIME_EPOCHS,
    inceptiontime_seconds: float | None = INCEPTIONTIME_TIME_BUDGET_S,
    omniscale_seconds: float = OMNISCALE_TIME_BUDGET_S,
    ecoscale_networks: int | None = ECOSCALE_NETWORKS,
    n_jobs: int = 1,
    progress: bool = True,
    split: str = "reference",
    quick: bool = False,
    full: bool = False,
    rerun: bool = False,
) -> pd.DataFrame:
    """Benchmark EcoScale against OS-CNN, MiniRocket and InceptionTime on a suite of ECG tasks.

    Runs on sktime's
    :class:`~sktime.benchmarking.classification.ClassificationBenchmark`: each
    task of the suite is added with ``add_task`` (its fixed train/test split as
    a :class:`~sklearn.model_selection.PredefinedSplit`, macro-F1, accuracy
    and macro-AUROC as scorers), each (model, seed) with ``add_estimator``,
    and ``run`` fits the grid, writing each result to ``out/sktime_results.json``
    as it finishes. A rerun with the same ``out`` skips the finished pairs (after
    Ctrl-C or a crash it fits the rest only); a pair whose estimator changed
    since it was stored is fitted again. Writes into ``out``: ``results.csv``
    (one row per task, model and seed, with 95 % bootstrap intervals),
    ``summary.csv`` (mean and spread over the seeds), ``report.md`` (verdict
    table, mean ranks, critical-difference diagram) and PNG figures.

    Parameters
    ----------
    data : str, sequence of str or None, default=None
        The suite, see :func:`~sktime_ecoscale.benchmarking.load_benchmark_suite`;
        ``None``: the bundled PTB-XL sample and UCR/UEA ECG sets.
    out : str or Path, default="results/benchmark"
        Output folder (created); also what a rerun resumes from.
    task : {"auto", "norm", "superclass"}, default="auto"
        PTB-XL task(s).
    models : sequence of str, default=("ecoscale", "omniscale", "minirocket", "inceptiontime")
        Models to run, see :func:`~sktime_ecoscale.benchmarking.make_estimator`.
    seeds : int or sequence of int, default=1
        Seeds of every model: a count (``3`` means 0, 1, 2) or the seeds.
    inceptiontime_epochs : int, default=30
        Epochs of ``InceptionTimeClassifierTorch`` (its default is 1,500).
    inceptiontime_seconds : float or None, default=30
        No InceptionTime epoch starts after this many seconds of a fit (per
        label clone); such rows are marked budget-limited. ``None``: no cap.
    omniscale_seconds : float, default=45
        Wall-clock cap of one OS-CNN fit; such rows are marked budget-limited.
    ecoscale_networks : int or None, default=1
        ``n_networks`` of EcoScale, one network as one InceptionTime network;
        ``None``: its own rule (three networks up to 1,000 series).
    n_jobs : int, default=1
        Worker processes fitting pairs side by side (the torch threads are
        shared out between them); sktime's run loop stores every result.
    progress : bool, default=True
        Progress bar (with an ETA) over the (task, model, seed) fits left.
    split : {"reference", "official"}, default="reference"
        PTB-XL split.
    quick : bool, default=False
        Two epochs per deep model: a smoke test, not a benchmark.
    full : bool, default=False
        Every model with its own default budget (a publication run).
    rerun : bool, default=False
        Fit everything again instead of reusing stored results.

    Returns
    -------
    pd.DataFrame
        The rows of ``results.csv``.

    Examples
    --------
    A smoke run (two epochs) of EcoScale and MiniRocket on a bundled UCR set;
    the second call reuses the stored results and fits nothing:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from sktime_ecoscale.benchmarking import run_benchmark
    >>> out = Path(tempfile.mkdtemp())
    >>> res = run_benchmark("TwoLeadECG", out=out, models=["ecoscale", "minirocket"],
    ...                     quick=True, progress=False)
    >>> res[["task", "model", "seed", "n_train", "epochs", "error"]].to_dict("records")[0]
    {'task': 'TwoLeadECG', 'model': 'ecoscale', 'seed': 0, 'n_train': 23, 'epochs': 2, 'error': ''}
    >>> again = run_benchmark("TwoLeadECG", out=out, models=["ecoscale", "minirocket"],
    ...                       quick=True, progress=False)
    >>> again["macro_f1"].tolist() == res["macro_f1"].tolist()
    True
    """
    from sklearn.model_selection import PredefinedSplit
    from sktime.benchmarking.benchmarks import BenchmarkingResults
    from tqdm.auto import tqdm

    unknown = [m for m in models if m not in MODEL_NAMES]
    if unknown:
        raise ValueError(f"unknown models {unknown}; choose from {MODEL_NAMES}")
    seed_list = list(range(int(seeds))) if np.isscalar(seeds) else [int(s) for s in seeds]
    if not seed_list:
        raise ValueError("seeds must name at least one seed")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    suite = load_benchmark_suite(data, task=task, split=split)
    if progress:
        for name in dict.fromkeys(t.description for t in suite):
            print(f"ecoscale benchmark: data = {name}", flush=True)
    fits, estimators = {}, {}
    options = dict(
        quick=quick,
        full=full,
        inceptiontime_epochs=inceptiontime_epochs,
        inceptiontime_seconds=inceptiontime_seconds,
        omniscale_seconds=omniscale_seconds,
        ecoscale_networks=ecoscale_networks,
    )
    for name in models:
        for seed in seed_list:
            model_id = _model_id(name, seed)
            estimators[model_id], fits[model_id] = benchmarked_model(name, seed, options)
    tasks = {t.task_id: t.task for t in suite}
    bench = SuiteBenchmark(out / FIT_RECORDS, fits, tasks)  # reads the stored records once
    # reuse a stored result only if it came from the same estimator
    changed = set()
    for key, record in bench.extras.items():
        model_id = key.split("|", 1)[1]
        if model_id in fits and record.get("description") != fits[model_id].description:
            changed.add(model_id)
    force = "all" if rerun else (sorted(changed) or "none")
    left = [
        (t, m)
        for t in tasks
        for m in fits
        if rerun or m in changed or f"{t}|{m}" not in bench.extras
    ]
    bar = tqdm(total=len(left), disable=not progress, unit="fit")
    bar.set_description(f"{len(tasks)} tasks x {len(models)} models x {len(seed_list)} seeds")
    bench.on_done = lambda t, m: (bar.set_postfix_str(f"{t} {m}"), bar.update())
    for model_id, est in estimators.items():
        bench.add_estimator(est, estimator_id=model_id)
    for st in suite:
        data_xy = (st.task.X, st.task.y)
        split_ = PredefinedSplit(st.task.test_fold)
        bench.add_task(data_xy, split_, list(SCORERS), task_id=st.task_id)
    if rerun:  # pair files a killed run left are not reused either
        forget_pairs(out, (f"{t}|{m}" for t, m in left))
    if n_jobs > 1 and len(left) > 1:
        bench.pool = PairPool(out, n_jobs, dict(data=data, task=task, split=split), options)
        bench.pool.submit(
            (
                (pair_cost(tasks[t], fits[m].name), f"{t}|{m}", t, *_pair_fit(fits[m]))
                for t, m in left
            ),
            on_done=bench.on_done,
        )
    try:
        with warnings.catch_warnings():
            # sktime's result objects take a standard deviation over our single fold
            warnings.filterwarnings("ignore", "Degrees of freedom", RuntimeWarning)
            warnings.filterwarnings("ignore", "invalid value encountered", RuntimeWarning)
            bench.run(output_file=str(out / SKTIME_RESULTS), force_rerun=force)
            results = BenchmarkingResults(path=str(out / SKTIME_RESULTS)).results
    except BaseException:
        if bench.pool is not None:  # Ctrl-C: the finished pairs stay in out/pairs
            bench.pool.close(cancel=True)
        raise
    if bench.pool is not None:
        bench.pool.close()
        forget_pairs(out, (f"{t}|{m}" for t, m in left))  # sktime has stored them
    bar.close()
    rows = _rows(suite, fits, results, bench.extras, bench.failed_experiments)
    frame = pd.DataFrame(rows).reindex(columns=RESULT_COLUMNS)
    frame["epochs"] = frame["epochs"].astype("Int64")  # none for MiniRocket
    frame.to_csv(out / "results.csv", index=False)
    summary = summarise_seeds(frame)
    summary.to_csv(out / "summary.csv", index=False)
    figures = _figures(suite, summary, bench.extras, fits, out)
    run = [
        f"`run_benchmark(data={data!r}, task={task!r}, models={list(models)}, "
        f"seeds={seed_list}, inceptiontime_epochs={inceptiontime_epochs}, "
        f"inceptiontime_seconds={inceptiontime_seconds}, omniscale_seconds={omniscale_seconds}, "
        f"ecoscale_networks={ecoscale_networks}, split={split!r}, quick={quick}, full={full}, "
        f"n_jobs={n_jobs})`",
        "sktime's `ClassificationBenchmark`: `add_task` per task (its fixed train/test split as "
        "`sklearn.model_selection.PredefinedSplit`, scorers macro-F1, accuracy, macro-AUROC), "
        "`add_estimator` per (model, seed), `run(output_file)`; finished pairs are reused on a "
        "rerun (`sktime_results.json`, per-fit records in `fits.json`)",
        "intervals: 95 % stratified bootstrap of the test records "
        f"({BOOTSTRAP_RESAMPLES} resamples, `sktime_ecoscale.metrics.bootstrap_ci`)",
        "deep models train on the training part only; the test part is never seen in training",
    ] + [
        f"task `{st.task_id}`: {st.task.split}, {st.task.n_train} train / {st.task.n_test} test "
        f"series of {st.task.X.shape[1]} x {st.task.X.shape[2]}, "
        f"{'multi-label' if st.task.multilabel else 'classes'} {[str(c) for c in st.task.labels]}"
        for st in suite
    ]
    if quick:
        run.append("**quick mode: 2 epochs per deep model; a smoke test, not a benchmark**")
    write_report(
        frame,
        summary,
        out,
        data_description="; ".join(dict.fromkeys(t.description for t in suite)),
        run_description=run,
        figures=figures,
        estimators={m: est for m, est in estimators.items() if m.endswith(f"seed{seed_list[0]}")},
        per_class=_per_class(suite, bench.extras, fits),
    )
    return frame


def _first_seeds(fits) -> dict:
    """Model name -> model id of its first seed, in the order the models were given."""
    first = {}
    for model_id, fit in fits.items():
        first.setdefault(fit.name, model_id)
    return first


def _per_class(suite, extras, fits) -> dict:
    """Task -> model -> per-class rows with intervals (first seed; models with probabilities)."""
    out = {}
    for st in suite:
        records = {
            name: extras.get(f"{st.task_id}|{m}", {}).get("per_class")
            for name, m in _first_seeds(fits).items()
        }
        records = {k: v for k, v in records.items() if v}
        if records:
            out[st.task_id] = records
    return out


def _figures(suite, summary, extras, fits, out: Path) -> list[Path]:
    """Per task: accuracy vs cost, per-class F1 (several classes), training curves (first seed)."""
    figures = []
    first = _first_seeds(fits)
    for st in suite:
        safe = st.task_id.replace("/", "_")
        figures.append(plot_pareto(summary, st.task_id, out / f"pareto_{safe}.png"))
        records = {name: extras.get(f"{st.task_id}|{m}") for name, m in first.items()}
        records = {k: v for k, v in records.items() if v}
        if records and (st.task.multilabel or len(st.task.labels) > 2):
            frame = pd.DataFrame({k: v["per_class_f1"] for k, v in records.items()})
            figures.append(plot_per_class_f1(frame, st.task_id, out / f"per_class_f1_{safe}.png"))
        histories = {k: v.get("history", {}) for k, v in records.items()}
        figures.append(
            plot_training_curves(histories, st.task_id, out / f"training_curves_{safe}.png")
        )
    return [f for f in figures if f is not None]
