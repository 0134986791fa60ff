"""Across seeds and data sets: means and spreads, ranks, wins, critical differences."""

from __future__ import annotations

__all__ = ["summarise_seeds", "rank_models", "plot_critical_difference", "plot_suite_pareto"]

from pathlib import Path

import numpy as np
import pandas as pd

METRICS = ("macro_f1", "accuracy", "macro_auroc")
#: Fewest tasks for a critical-difference test (autorank's own minimum).
MIN_TASKS_FOR_CD = 5


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    return plt


def summarise_seeds(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per (task, model): mean and standard deviation over the seeds.

    Parameters
    ----------
    rows : pd.DataFrame
        One row per (task, model, seed), with the columns of :data:`METRICS`,
        ``fit_seconds``, ``predict_seconds``, ``parameters`` and
        ``flops_per_series``; rows with an ``error`` are left out.

    Returns
    -------
    pd.DataFrame
        Columns ``task, model, seeds``, ``<metric>`` (mean) and
        ``<metric>_std`` (sample standard deviation, NaN for one seed), the
        median fit and predict seconds, parameters and FLOPs per series.

    Examples
    --------
    >>> import pandas as pd
    >>> from sktime_ecoscale.benchmarking._ranks import summarise_seeds
    >>> rows = pd.DataFrame({"task": ["t", "t"], "model": ["m", "m"], "seed": [0, 1],
    ...                      "macro_f1": [0.8, 0.9], "accuracy": [0.8, 0.9],
    ...                      "macro_auroc": [0.9, 0.9], "fit_seconds": [1.0, 3.0],
    ...                      "predict_seconds": [0.1, 0.1], "parameters": [10, 10],
    ...                      "flops_per_series": [5.0, 5.0], "error": ["", ""]})
    >>> s = summarise_seeds(rows).iloc[0]
    >>> print(f"{s['macro_f1']:.3f} {s['macro_f1_std']:.3f} {s['seeds']} {s['fit_seconds']}")
    0.850 0.071 2 2.0
    """
    ok = rows[rows["error"].fillna("") == ""]
    out = []
    for (task, model), group in ok.groupby(["task", "model"], sort=False):
        row = {"task": task, "model": model, "seeds": len(group)}
        for metric in METRICS:
            values = group[metric].astype(float)
            row[metric] = values.mean()
            row[f"{metric}_std"] = values.std(ddof=1) if len(values) > 1 else np.nan
        for col in ("fit_seconds", "predict_seconds", "parameters", "flops_per_series"):
            row[col] = group[col].astype(float).median()
        out.append(row)
    return pd.DataFrame(out)


def _score_table(summary: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Tasks x models of the seed-mean metric, tasks where every model has a score."""
    table = summary.pivot(index="task", columns="model", values=metric)
    return table.dropna(axis=0, how="any")


def rank_models(summary: pd.DataFrame, metric: str = "macro_f1", reference: str = "ecoscale"):
    """Mean rank per model across tasks, and wins and losses against ``reference``.

    Ranks are taken per task on the seed-mean ``metric`` (1 = best, ties
    share the mean rank), over the tasks where every model has a score.

    Parameters
    ----------
    summary : pd.DataFrame
        Output of :func:`summarise_seeds`.
    metric : str, default="macro_f1"
        Column to rank on.
    reference : str, default="ecoscale"
        Model that the others are counted against.

    Returns
    -------
    pd.DataFrame
        Index: model, best mean rank first; columns ``mean_rank``, ``wins``
        and ``losses`` (tasks where the model is above / below the
        reference), ``tasks``, and the median ``fit_seconds`` and
        ``predict_seconds`` over the tasks.

    Examples
    --------
    >>> import pandas as pd
    >>> from sktime_ecoscale.benchmarking._ranks import rank_models
    >>> summary = pd.DataFrame({"task": ["a", "a", "b", "b"], "model": ["ecoscale", "x"] * 2,
    ...                         "macro_f1": [0.9, 0.8, 0.7, 0.75],
    ...                         "fit_seconds": [1, 2, 3, 4], "predict_seconds": [1, 1, 1, 1]})
    >>> rank_models(summary)[["mean_rank", "wins", "losses"]].to_dict("index")
    {'ecoscale': {'mean_rank': 1.5, 'wins': 0, 'losses': 0}, 'x': {'mean_rank': 1.5, 'wins': 1, 'losses': 1}}
    """
    table = _score_table(summary, metric)
    ranks = table.rank(axis=1, ascending=False, method="average")
    out = pd.DataFrame({"mean_rank": ranks.mean(axis=0), "tasks": len(table)})
    if reference in table:
        ref = table[reference]
        out["wins"] = [int((table[m] > ref).sum()) for m in out.index]
        out["losses"] = [int((table[m] < ref).sum()) for m in out.index]
    for col in ("fit_seconds", "predict_seconds"):
        out[col] = summary.groupby("model")[col].median().reindex(out.index)
    return out.sort_values(["mean_rank"], kind="stable")


def plot_critical_difference(
    summary: pd.DataFrame, path: Path, metric: str = "macro_f1", labels: dict | None = None
) -> tuple[Path | None, str]:
    """Critical-difference diagram (Friedman test, Nemenyi post hoc) by autorank.

    Returns ``(path or None, sentence)``: the figure is written only where
    there are at least :data:`MIN_TASKS_FOR_CD` tasks scored for every model
    (autorank's minimum); the sentence states the test's outcome or why
    there is no diagram.
    """
    table = _score_table(summary, metric)
    if len(table) < MIN_TASKS_FOR_CD or table.shape[1] < 2:
        return None, (
            f"no critical-difference diagram: {len(table)} tasks scored for every model "
            f"(autorank's Friedman test needs at least {MIN_TASKS_FOR_CD})"
        )
    plt = _pyplot()  # the file backend before autorank imports pyplot
    from autorank import autorank, plot_stats

    table = table.rename(columns=labels or {})
    result = autorank(
        table, alpha=0.05, verbose=False, order="descending", force_mode="nonparametric"
    )
    ax = plot_stats(result, allow_insignificant=True)
    fig = ax.figure
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    verdict = "differ" if result.pvalue < 0.05 else "do not differ significantly"
    sentence = (
        f"Friedman test over {len(table)} tasks ({metric}): p = {result.pvalue:.3g}, the models "
        f"{verdict} at alpha 0.05; Nemenyi critical difference {result.cd:.2f} ranks (autorank)"
    )
    return path, sentence


def plot_suite_pareto(
    summary: pd.DataFrame, path: Path, metric: str = "macro_f1", labels: dict | None = None
) -> Path | None:
    """Mean ``metric`` over the suite against median FLOPs per series, one point per model."""
    table = _score_table(summary, metric)
    if table.empty:
        return None
    flops = summary.groupby("model")["flops_per_series"].median().reindex(table.columns)
    keep = flops.notna() & (flops > 0)
    if not keep.any():
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4.2))
    score = table.mean(axis=0)
    for model in table.columns[keep.to_numpy()]:
        ax.scatter(flops[model], score[model], s=60, zorder=3)
        ax.annotate(
            (labels or {}).get(model, model),
            (flops[model], score[model]),
            textcoords="offset points",
            xytext=(6, 4),
        )
    ax.set_xscale("log")
    ax.set_xlabel("median FLOPs per series over the suite (log scale)")
    ax.set_ylabel(f"mean {metric} over {len(table)} tasks")
    ax.set_title("Accuracy vs cost across the suite")
    ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
