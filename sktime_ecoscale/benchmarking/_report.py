"""What a benchmark run leaves behind: results.csv, report.md and PNG figures."""

from __future__ import annotations

__all__ = [
    "write_report",
    "results_table",
    "verdict_table",
    "machine_info",
    "plot_pareto",
    "plot_per_class_f1",
    "plot_training_curves",
]

import os
import platform
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from sktime_ecoscale.benchmarking._ranks import (
    _pyplot,
    plot_critical_difference,
    plot_suite_pareto,
    rank_models,
)

MODEL_LABELS = {
    "ecoscale": "EcoScale",
    "omniscale": "OS-CNN",
    "minirocket": "MiniRocket",
    "inceptiontime": "InceptionTime",
}


def machine_info() -> dict:
    """Platform, CPU count, torch threads and the versions that matter."""
    import sklearn
    import sktime
    import torch

    import sktime_ecoscale

    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "sktime": sktime.__version__,
        "scikit-learn": sklearn.__version__,
        "sktime-ecoscale": sktime_ecoscale.__version__,
        # other work on the machine inflates wall-clock times; say how much there was
        "load_average_1_5_15min": ", ".join(f"{v:.1f}" for v in os.getloadavg()),
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def describe_estimator(est) -> str:
    """``repr`` of an estimator without the benchmark's own callbacks, which are named."""
    callbacks = est.get_params().get("callbacks") if "callbacks" in est.get_params() else None
    if not callbacks:
        return " ".join(repr(est).split())
    text = " ".join(repr(est.clone().set_params(callbacks=None)).split())
    extra = []
    for name, cb in callbacks:
        extra.append(f"{name}({cb.seconds:.0f} s)" if hasattr(cb, "seconds") else name)
    return f"{text} + benchmark callbacks: {', '.join(extra)}"


def _pareto_front(flops: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Indices of the points no other point beats on both cost and score."""
    order = np.lexsort((-score, flops))
    front, best = [], -np.inf
    for i in order:
        if score[i] > best:
            front.append(i)
            best = score[i]
    return np.array(front, dtype=int)


def plot_pareto(results: pd.DataFrame, task: str, path: Path) -> Path | None:
    """Macro-F1 against FLOPs per series (log x), one labelled point per model."""
    if "task" not in results:  # nothing scored (every fit failed)
        return None
    rows = results[(results["task"] == task)].dropna(subset=["macro_f1", "flops_per_series"])
    rows = rows[rows["flops_per_series"] > 0]
    if rows.empty:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4.2))
    flops, score = rows["flops_per_series"].to_numpy(float), rows["macro_f1"].to_numpy(float)
    ax.scatter(flops, score, s=60, zorder=3)
    for f, s, m in zip(flops, score, rows["model"]):
        ax.annotate(MODEL_LABELS.get(m, m), (f, s), textcoords="offset points", xytext=(6, 4))
    front = _pareto_front(flops, score)
    ax.step(
        flops[front], score[front], where="post", color="grey", ls="--", lw=1, label="Pareto front"
    )
    ax.set_xscale("log")
    ax.set_xlabel("FLOPs per series (log scale)")
    ax.set_ylabel("macro-F1 (test)")
    ax.set_title(f"Accuracy vs cost: {task}")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_per_class_f1(per_class: pd.DataFrame, task: str, path: Path) -> Path | None:
    """Grouped bars: F1 of each class (rows) for each model (columns)."""
    if per_class.empty:
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 4.2))
    n_models = per_class.shape[1]
    x = np.arange(per_class.shape[0])
    width = 0.8 / n_models
    for j, model in enumerate(per_class.columns):
        ax.bar(
            x + (j - (n_models - 1) / 2) * width,
            per_class[model].to_numpy(float),
            width,
            label=MODEL_LABELS.get(model, model),
        )
    ax.set_xticks(x, [str(c) for c in per_class.index])
    ax.set_ylim(0, 1)
    ax.set_ylabel("F1 (test)")
    ax.set_title(f"Per-class F1: {task}")
    ax.legend(fontsize=8)
    ax.grid(True, axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_training_curves(histories: dict, task: str, path: Path) -> Path | None:
    """Train (and validation) loss per epoch of each deep model."""
    histories = {m: h for m, h in histories.items() if h and h.get("train_loss")}
    if not histories:
        return None
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(histories), figsize=(4.2 * len(histories), 3.4), squeeze=False)
    for ax, (model, hist) in zip(axes[0], histories.items()):
        epochs = np.arange(1, len(hist["train_loss"]) + 1)
        ax.plot(epochs, hist["train_loss"], label="train loss")
        if hist.get("valid_loss"):
            ax.plot(
                np.arange(1, len(hist["valid_loss"]) + 1), hist["valid_loss"], label="valid loss"
            )
        ax.set_title(
            MODEL_LABELS.get(model, model) + (f" ({hist['note']})" if hist.get("note") else ""),
            fontsize=9,
        )
        ax.set_xlabel("epoch")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    axes[0][0].set_ylabel("loss")
    fig.suptitle(f"Training curves: {task}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _fmt(value, digits=3):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "n/a"
    if isinstance(value, (int, np.integer)) or (isinstance(value, float) and value >= 1000):
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def _pm(mean, std, digits=3) -> str:
    if mean is None or pd.isna(mean):
        return "n/a"
    return f"{mean:.{digits}f}" + ("" if pd.isna(std) else f" ± {std:.{digits}f}")


def results_table(summary: pd.DataFrame) -> str:
    """Per task and model: seed mean ± standard deviation, costs, as a markdown table.

    Parameters
    ----------
    summary : pd.DataFrame
        Output of :func:`~sktime_ecoscale.benchmarking._ranks.summarise_seeds`.

    Returns
    -------
    str
    """
    head = (
        "| task | model | seeds | macro-F1 | macro-AUROC | accuracy | fit s | predict s "
        "| parameters | FLOPs/series |"
    )
    lines = [head, "|" + "---|" * 10]
    for _, r in summary.iterrows():
        lines.append(
            f"| {r['task']} | {MODEL_LABELS.get(r['model'], r['model'])} | {r['seeds']} "
            f"| {_pm(r['macro_f1'], r['macro_f1_std'])} "
            f"| {_pm(r['macro_auroc'], r['macro_auroc_std'])} "
            f"| {_pm(r['accuracy'], r['accuracy_std'])} | {_fmt(r['fit_seconds'], 1)} "
            f"| {_fmt(r['predict_seconds'], 2)} | {_fmt(r['parameters'])} "
            f"| {_fmt(r['flops_per_series'])} |"
        )
    return "\n".join(lines)


def verdict_table(ranks: pd.DataFrame) -> str:
    """Per model: mean rank, wins and losses against EcoScale, median fit and predict s."""
    lines = [
        "| model | mean rank (macro-F1) | wins / losses vs EcoScale | median fit s "
        "| median predict s |",
        "|---|---|---|---|---|",
    ]
    for model, r in ranks.iterrows():
        vs = (
            "—"
            if model == "ecoscale" or "wins" not in r
            else f"{int(r['wins'])} / {int(r['losses'])}"
        )
        lines.append(
            f"| {MODEL_LABELS.get(model, model)} | {r['mean_rank']:.2f} | {vs} "
            f"| {_fmt(r['fit_seconds'], 1)} | {_fmt(r['predict_seconds'], 2)} |"
        )
    return "\n".join(lines)


def interval_table(rows: pd.DataFrame) -> str:
    """Per task, model and seed: macro-F1 and macro-AUROC with 95 % bootstrap intervals."""
    lines = ["| task | model | seed | macro-F1 (95 % CI) | macro-AUROC (95 % CI) | note |"]
    lines.append("|---|---|---|---|---|---|")
    for _, r in rows[rows["error"].fillna("") == ""].iterrows():
        note = ""
        if r.get("budget_limited") is True:
            note = f"budget-limited (about {_fmt(r['seconds_per_epoch'], 0)} s per epoch)"
        lines.append(
            f"| {r['task']} | {MODEL_LABELS.get(r['model'], r['model'])} | {r['seed']} "
            f"| {_fmt(r['macro_f1'])} ({_fmt(r['macro_f1_low'])}-{_fmt(r['macro_f1_high'])}) "
            f"| {_fmt(r['macro_auroc'])} ({_fmt(r['macro_auroc_low'])}-"
            f"{_fmt(r['macro_auroc_high'])}) | {note} |"
        )
    return "\n".join(lines)


def per_class_table(records: dict) -> str:
    """Per class and model (first seed): AUROC, AUPRC and F1 at 0.5 with 95 % intervals."""
    lines = [
        "| class | model | positives | AUROC (95 % CI) | AUPRC (95 % CI) | F1 at 0.5 (95 % CI) |"
    ]
    lines.append("|---|---|---|---|---|---|")
    rows = [(r["class"], model, r) for model, rs in records.items() for r in rs]
    order = {cls: i for i, cls in enumerate(dict.fromkeys(c for c, _, _ in rows))}
    # class by class (models side by side), macro last
    for cls, model, r in sorted(rows, key=lambda x: (x[0] == "macro", order[x[0]])):
        cells = [
            f"{_fmt(r[m])} ({_fmt(r[m + ' low'])}-{_fmt(r[m + ' high'])})"
            for m in ("AUROC", "AUPRC", "F1")
        ]
        lines.append(
            f"| {cls} | {MODEL_LABELS.get(model, model)} | {r['positives']} | "
            + " | ".join(cells)
            + " |"
        )
    return "\n".join(lines)


def write_report(
    rows: pd.DataFrame,
    summary: pd.DataFrame,
    out: Path,
    *,
    data_description: str,
    run_description: list[str],
    figures: list[Path],
    estimators: dict,
    per_class: dict | None = None,
) -> Path:
    """Write ``report.md``: verdict, per-task table, intervals, what was run, machine, figures."""
    info = machine_info()
    lines = ["# EcoScale benchmark", "", f"Data: {data_description}", ""]
    if not summary.empty:
        ranks = rank_models(summary)
        lines += [
            f"## Verdict ({int(ranks['tasks'].iloc[0])} tasks scored for every model)",
            "",
            verdict_table(ranks),
            "",
        ]
        cd_path, sentence = plot_critical_difference(
            summary, out / "critical_difference.png", labels=MODEL_LABELS
        )
        lines += [f"{sentence[0].upper()}{sentence[1:]}.", ""]
        pareto = plot_suite_pareto(summary, out / "pareto_suite.png", labels=MODEL_LABELS)
        figures = [p for p in (cd_path, pareto) if p is not None] + list(figures)
    lines += ["## Per task (mean ± standard deviation over seeds)", "", results_table(summary), ""]
    errors = rows[rows["error"].fillna("") != ""]
    for _, r in errors.iterrows():
        lines.append(f"- **{r['task']} / {r['model']} seed {r['seed']}**: {r['error']}")
    lines += ["", "## Per seed, with 95 % bootstrap intervals", "", interval_table(rows), ""]
    if per_class:
        lines += [
            "## Per class (first seed, 95 % bootstrap intervals)",
            "",
            "One-vs-rest for several classes; F1 of the decision probability >= 0.5 "
            "(what the models predict for one or two classes and per label).",
            "",
        ]
        for task, records in per_class.items():
            lines += [f"### {task}", "", per_class_table(records), ""]
    lines += ["## What was run", ""] + [f"- {t}" for t in run_description]
    lines += ["", "Estimators (first seed; as passed to `add_estimator`):", ""]
    for name, est in estimators.items():
        lines.append(f"- `{name}`: `{describe_estimator(est)}`")
    lines += [
        "",
        "Cost columns:",
        "",
        "- parameters: torch nets: `sum(p.numel())`; MiniRocket: fitted numbers used at "
        "prediction (one bias per feature, the scaler's scales, ridge weights + intercepts); "
        "the 84 kernels themselves are fixed, not learned.",
        "- FLOPs per series: torch nets: `torch.utils.flop_counter.FlopCounterMode` on one series "
        "(2 FLOPs per multiply-add; convolutions and linear layers); MiniRocket: an estimate "
        "counting its additions and comparisons (see `cost_note` in results.csv).",
        "- On multi-label y sktime's peers fit one clone per label (sktime's vectorisation), "
        "so their parameters, FLOPs and fit time are for all clones together; ours train one "
        "network with one head per label.",
        "- MiniRocket's `predict_proba` in sktime is one-hot (ridge classifier), so its AUROC is "
        "computed on hard 0/1 scores.",
        "- fit/predict seconds: wall clock measured by `evaluate`; medians over seeds.",
        "- budget-limited: stopped by the stated wall-clock cap before its epochs ran out.",
    ]
    lines += ["", "## Machine", ""] + [f"- {k}: {v}" for k, v in info.items()]
    lines += ["", "## Figures", ""] + [f"![{p.stem}]({p.name})" for p in figures]
    path = out / "report.md"
    path.write_text("\n".join(lines) + "\n")
    return path
