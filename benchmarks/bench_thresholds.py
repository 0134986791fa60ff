"""Argmax / 0.5 against learned decision thresholds on PTB-XL, with bootstrap intervals.

For each task (NORM vs other, the five superclasses) and seed, one fit with
``decision_threshold="f1"`` and no validation split trains the same network a
plain fit trains (its ``predict_proba`` is unchanged) and tunes the
thresholds on out-of-fold probabilities of 3 extra fits; the test folds 9-10
are scored at argmax / 0.5 (from ``predict_proba``) and at the learned
thresholds (``predict``). ``--valid`` adds a fit that tunes on a 20 %
validation split instead (one fit, on 80 % of the series). Rows go to a JSON
lines file; nothing is tuned on the test folds.

    python benchmarks/bench_thresholds.py --tasks norm superclass --seeds 0 1 2 \
        --n-networks 1 --valid --out results/thresholds.jsonl
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _binary_macro_f1(y_true, y_score, thresholds, labels):
    """Macro-F1 over both classes (the benchmark's figure), positive class at ``thresholds``."""
    from sklearn.metrics import f1_score

    t = float(np.asarray(thresholds, dtype=float).reshape(-1)[0])
    pred = np.asarray(labels, dtype=object)[(np.asarray(y_score)[:, 1] >= t).astype(int)]
    return f1_score(np.asarray(y_true, dtype=object), pred, average="macro", labels=labels)


def _macro_f1(y_true, y_score, thresholds, labels):
    from sktime_ecoscale.metrics import bootstrap_ci, f1_at_thresholds

    binary = np.ndim(y_true) == 1 and len(labels) == 2
    metric = _binary_macro_f1 if binary else f1_at_thresholds
    if binary and isinstance(thresholds, pd.Series):
        thresholds = thresholds.to_numpy()
    ci = bootstrap_ci(
        metric, y_true, y_score, n=1000, random_state=0, thresholds=thresholds, labels=labels
    )
    return {"f1": float(ci.estimate), "low": float(ci.low), "high": float(ci.high)}


def _scores(clf, X_test, y_test):
    """``(y_true, score matrix, labels, default thresholds)`` in the metrics' reading."""
    proba = clf.predict_proba(X_test)
    if isinstance(proba, pd.DataFrame):  # multi-label: the positive column of each label
        labels = list(y_test.columns)
        return y_test.to_numpy(), np.column_stack([proba[(c, 1)] for c in labels]), labels, 0.5
    labels = list(clf.classes_)
    return np.asarray(y_test), proba, labels, 0.5


#: Where the thresholds are tuned -> the fit's valid_size.
TUNINGS = {"out_of_fold": 0.0, "validation_split": 0.2}


def run(task: str, seed: int, n_networks, tunings) -> list[dict]:
    from sktime_ecoscale import EcoScaleClassifier
    from sktime_ecoscale.datasets import load_ptbxl

    X_train, y_train = load_ptbxl(SHARED / "ptbxl", target=task, folds=range(1, 9))
    X_test, y_test = load_ptbxl(SHARED / "ptbxl", target=task, folds=[9, 10])
    rows = []
    settings = [(t, TUNINGS[t]) for t in tunings]
    for tuning, valid_size in settings:
        start = time.perf_counter()
        clf = EcoScaleClassifier(
            decision_threshold="f1", valid_size=valid_size, n_networks=n_networks, random_state=seed
        ).fit(X_train, y_train)
        seconds = time.perf_counter() - start
        y_true, score, labels, default = _scores(clf, X_test, y_test)
        row = {
            "task": task,
            "seed": seed,
            "tuning": tuning,
            "n_networks": clf.budget_.n_networks,
            "fit_seconds": round(seconds, 1),
            "thresholds": clf.decision_thresholds_.round(4).to_dict(),
        }
        if tuning == "out_of_fold":  # the network of a plain fit: argmax / 0.5 on it
            row["argmax"] = _macro_f1(y_true, score, default, labels)
        row["tuned"] = _macro_f1(y_true, score, clf.decision_thresholds_, labels)
        print(json.dumps(row, default=str), flush=True)
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", nargs="+", default=["norm", "superclass"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--n-networks", default="auto", help="'auto' (the default) or an int")
    parser.add_argument("--valid", action="store_true", help="also tune on a validation split")
    parser.add_argument(
        "--tunings",
        nargs="+",
        choices=sorted(TUNINGS),
        default=None,
        help="which tunings to run (default out_of_fold, plus validation_split with --valid)",
    )
    parser.add_argument("--out", type=Path, default=Path("results/thresholds.jsonl"))
    args = parser.parse_args()
    n_networks = args.n_networks if args.n_networks == "auto" else int(args.n_networks)
    tunings = args.tunings or ["out_of_fold"] + (["validation_split"] if args.valid else [])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("a") as fh:
        for task in args.tasks:
            for seed in args.seeds:
                for row in run(task, seed, n_networks, tunings):
                    fh.write(json.dumps(row, default=str) + "\n")


if __name__ == "__main__":
    main()
