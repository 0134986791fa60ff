"""Fine-tuning vs training from scratch: a learning curve on a PTB-XL task the source never saw.

The source model learns the 5 diagnostic superclasses on PTB-XL folds 1-8 (the
bundled 500-record sample, 100 Hz). The target task is the *form* statements
with at least 15 records (NDT, STD_, ABQRS, PVC, NST_; multi-label), which the
source never saw. For each fraction of the target's training records (folds
1-8) and each seed: ``EcoScaleClassifier(init_model=source)`` against
``EcoScaleClassifier()`` from scratch and sktime's MiniRocket (one per label),
scored on the same test records (folds 9-10) by macro-AUROC over the labels
with positives in the test folds. One JSON line per fit::

    THREADS=1 .venv/bin/python benchmarks/bench_finetune.py --fractions 0.1,0.25,0.5,1 \
        --seeds 0,1,2 --out results/finetune.jsonl
    .venv/bin/python benchmarks/bench_finetune.py --table results/finetune.jsonl

``--source pretrained:ptbxl-superclass-100hz --models finetuned`` fine-tunes the
starter model shipped with the package instead (trained the same way by
``scripts/train_starter_models.sh``) on the same subsets.
"""

from __future__ import annotations

import argparse
import json
import os
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

FORM_MIN_POSITIVES = 15


def target_task():
    """(X_train, Y_train, X_test, Y_test) of the form statements, folds 1-8 -> 9-10."""
    from sktime_ecoscale.datasets import load_ptbxl_sample

    X, Y, meta = load_ptbxl_sample(target="form", return_metadata=True)
    Y = Y.loc[:, Y.sum() >= FORM_MIN_POSITIVES]
    train = (meta["strat_fold"] <= 8).to_numpy()
    return X[train], Y[train].reset_index(drop=True), X[~train], Y[~train].reset_index(drop=True)


def subset(n: int, fraction: float, seed: int) -> np.ndarray:
    """A seeded random ``fraction`` of ``n`` training records (the same for every model)."""
    rng = np.random.default_rng(1000 + seed)
    return np.sort(rng.permutation(n)[: max(8, round(fraction * n))])


def macro_auroc(Y_true: pd.DataFrame, scores: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    keep = [j for j, c in enumerate(Y_true.columns) if 0 < Y_true[c].sum() < len(Y_true)]
    return float(np.mean([roc_auc_score(Y_true.iloc[:, j], scores[:, j]) for j in keep]))


def source_model(path: Path, n_networks: int):
    """The superclass model on folds 1-8, trained once and saved (reused on reruns)."""
    from sktime_ecoscale import EcoScaleClassifier
    from sktime_ecoscale.datasets import load_ptbxl_sample

    if (path / "config.json").is_file():
        return EcoScaleClassifier.load_model(path)
    X, Y, meta = load_ptbxl_sample(target="superclass", return_metadata=True)
    train = (meta["strat_fold"] <= 8).to_numpy()
    start = time.perf_counter()
    clf = EcoScaleClassifier(n_networks=n_networks, random_state=0).fit(
        X[train], Y[train].reset_index(drop=True)
    )
    print(f"source model: {time.perf_counter() - start:.0f} s", flush=True)
    clf.save_model(path)
    return clf


def fit_score(model: str, X, Y, Xt, Yt, seed: int, source_dir: Path, n_networks: int) -> dict:
    start = time.perf_counter()
    if model == "minirocket":
        from sktime.classification.kernel_based import RocketClassifier

        scores = []
        for col in Y.columns:
            est = RocketClassifier(rocket_transform="minirocket", random_state=seed)
            est.fit(X, Y[col].to_numpy())
            proba = est.predict_proba(Xt)
            scores.append(
                proba[:, list(est.classes_).index(1)] if 1 in est.classes_ else 0 * proba[:, 0]
            )
        scores = np.stack(scores, 1)
    else:
        from sktime_ecoscale import EcoScaleClassifier

        init = {"init_model": str(source_dir)} if model == "finetuned" else {}
        clf = EcoScaleClassifier(n_networks=n_networks, random_state=seed, **init).fit(X, Y)
        proba = clf.predict_proba(Xt)
        if isinstance(proba, pd.DataFrame):  # (label, class) columns
            scores = np.column_stack([proba[c][1].to_numpy() for c in Y.columns])
        else:  # a single label is a single binary output: the column of class 1
            scores = proba[:, list(clf.classes_).index(1)][:, None]
    return {"auroc": macro_auroc(Yt, scores), "fit_s": time.perf_counter() - start}


def table(paths) -> str:
    rows = pd.concat([pd.read_json(p, lines=True) for p in paths], ignore_index=True)
    if "source" in rows:  # a bundled starter model as the source: its own column
        from sktime_ecoscale.classification._pretrained import PRETRAINED_DIR

        starter = rows["source"].fillna("").str.startswith(str(PRETRAINED_DIR))
        rows.loc[starter, "model"] = "finetuned_starter"
    g = rows.groupby(["fraction", "n_train", "model"])["auroc"].agg(["mean", "std", "count"])
    g = g.reset_index().pivot(index=["fraction", "n_train"], columns="model")
    lines = [
        "| fraction (records) | " + " | ".join(m for m in g["mean"].columns) + " |",
        "|---|" + "---|" * len(g["mean"].columns),
    ]
    for (fraction, n), row in g.iterrows():
        cells = [
            f"{row[('mean', m)]:.3f} ± {0 if np.isnan(row[('std', m)]) else row[('std', m)]:.3f} "
            f"({int(row[('count', m)])})"
            for m in g["mean"].columns
        ]
        lines.append(f"| {fraction:g} ({n}) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fractions", default="0.1,0.25,0.5,1")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--models", default="finetuned,scratch,minirocket")
    parser.add_argument("--n-networks", type=int, default=1)
    parser.add_argument(
        "--source",
        default="results/finetune_source",
        help="source model folder (trained here if missing), or pretrained:NAME for a bundled "
        "starter model",
    )
    parser.add_argument("--out", type=Path, default=Path("results/finetune.jsonl"))
    parser.add_argument(
        "--table", type=Path, nargs="+", default=None, help="print the table of results files"
    )
    args = parser.parse_args(argv)
    if args.table is not None:
        print(table(args.table))
        return
    warnings.filterwarnings("ignore")
    import torch

    torch.set_num_threads(int(os.environ.get("THREADS", "1")))
    from sktime_ecoscale.classification._pretrained import model_location

    args.source = model_location(args.source)  # "pretrained:NAME": the bundled folder
    source_model(args.source, args.n_networks)  # trained only where no model is saved yet
    X, Y, Xt, Yt = target_task()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    for fraction in [float(f) for f in args.fractions.split(",")]:
        for seed in [int(s) for s in args.seeds.split(",")]:
            idx = subset(len(X), fraction, seed)
            # labels with at least 2 positives in this subset (a model cannot learn from none)
            labels = [c for c in Y.columns if Y[c].iloc[idx].sum() >= 2]
            Ys, Yts = Y.loc[idx, labels].reset_index(drop=True), Yt[labels]
            for model in args.models.split(","):
                record = {
                    "fraction": fraction,
                    "n_train": len(idx),
                    "seed": seed,
                    "model": model,
                    "labels": labels,
                    "source": str(args.source) if model == "finetuned" else None,
                }
                record |= fit_score(model, X[idx], Ys, Xt, Yts, seed, args.source, args.n_networks)
                print(json.dumps(record), flush=True)
                with open(args.out, "a") as fh:
                    fh.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
