"""Does temperature scaling help? ECE and AUROC of the default before and after, on test splits.

For each set and seed: the training split is divided 80/20 (stratified where
the labels allow); ``EcoScaleClassifier`` (the default recipe; ``--n-networks``
members) trains on the 80 %, the temperature is fitted on the held-out 20 %
(:func:`sktime_ecoscale.metrics.fit_temperature`, the same held-out data the
validation-split thresholds use), and expected calibration error, macro-AUROC
and log loss are measured on the official test split before and after::

    THREADS=1 .venv/bin/python benchmarks/bench_calibration.py \
        --sets ptbxl_norm,ptbxl_superclass,ECG200,ArrowHead --seeds 0,1,2 --out results/calibration.jsonl
    .venv/bin/python benchmarks/bench_calibration.py --table results/calibration.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(__file__))
from _suite import load_suite_set  # noqa: E402


def _scores(clf, X, y) -> np.ndarray:
    proba = clf.predict_proba(X)
    if isinstance(y, pd.DataFrame):
        return np.column_stack([proba[c][1].to_numpy() for c in y.columns])
    return np.asarray(proba)


def _split(y, seed: int):
    from sklearn.model_selection import train_test_split

    idx = np.arange(len(y))
    strat = None if isinstance(y, pd.DataFrame) else y
    return train_test_split(idx, test_size=0.2, random_state=seed, stratify=strat)


def _take(y, idx):
    return y.iloc[idx].reset_index(drop=True) if isinstance(y, pd.DataFrame) else y[idx]


def _measure(y, scores, classes) -> dict:
    from sklearn.metrics import log_loss

    from sktime_ecoscale.metrics import auroc, expected_calibration_error

    out = {"ece": expected_calibration_error(y, scores, labels=classes)}
    out["auroc"] = float(auroc(y, scores, labels=classes))
    if isinstance(y, pd.DataFrame):
        out["log_loss"] = float(
            np.mean([log_loss(y[c], scores[:, j], labels=[0, 1]) for j, c in enumerate(y.columns)])
        )
    else:
        out["log_loss"] = float(log_loss(y, scores, labels=classes))
    return out


def run_one(name: str, seed: int, n_networks: int) -> dict:
    from sktime_ecoscale import EcoScaleClassifier
    from sktime_ecoscale.metrics import apply_temperature, fit_temperature

    X, y, Xt, yt = load_suite_set(name)
    fit_idx, cal_idx = _split(y, seed)
    clf = EcoScaleClassifier(n_networks=n_networks, random_state=seed).fit(
        X[fit_idx], _take(y, fit_idx)
    )
    classes = None if isinstance(y, pd.DataFrame) else list(clf.classes_)
    multiclass = not isinstance(y, pd.DataFrame)
    T = fit_temperature(_take(y, cal_idx), _scores(clf, X[cal_idx], y), labels=classes)
    test = _scores(clf, Xt, yt)
    before = _measure(yt, test, classes)
    after = _measure(yt, apply_temperature(test, T, multiclass=multiclass), classes)
    return {
        "set": name,
        "seed": seed,
        "n_networks": n_networks,
        "temperature": T,
        **{f"{k}_before": v for k, v in before.items()},
        **{f"{k}_after": v for k, v in after.items()},
    }


def table(path: Path) -> str:
    rows = pd.read_json(path, lines=True)
    cols = [
        "temperature",
        "ece_before",
        "ece_after",
        "auroc_before",
        "auroc_after",
        "log_loss_before",
        "log_loss_after",
    ]
    lines = ["| set (seeds) | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    for name, g in rows.groupby("set", sort=False):
        cells = [f"{g[c].mean():.3f} ± {g[c].std(ddof=1) if len(g) > 1 else 0:.3f}" for c in cols]
        lines.append(f"| {name} ({len(g)}) | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="ptbxl_norm,ptbxl_superclass,ECG200,ArrowHead")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--n-networks", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("results/calibration.jsonl"))
    parser.add_argument("--table", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.table is not None:
        print(table(args.table))
        return
    warnings.filterwarnings("ignore")
    import torch

    torch.set_num_threads(int(os.environ.get("THREADS", "1")))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    for name in args.sets.split(","):
        for seed in [int(s) for s in args.seeds.split(",")]:
            record = run_one(name, seed, args.n_networks)
            print(json.dumps(record), flush=True)
            with open(args.out, "a") as fh:
                fh.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
