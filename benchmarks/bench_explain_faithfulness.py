"""Faithfulness of the attribution methods on a task whose answer is known.

Trains EcoScale-Net on ``make_lead_bump_task`` (class 1: a bump in lead 1,
samples 100-140; distractor bumps in leads 0 and 2) for each seed, checks
that the model decides by the bump (the change of the class-1 log-odds when
the bump, or the distractors, are removed), and scores every method by the
share of its positive attribution mass (class 1, positive test records) in
lead 1, samples 100-140: the measure of ``tests/test_explain.py``, whose bar
is 0.8. Options of a method are scored as extra rows (``gradcam:n_steps=4``).

    THREADS=1 .venv/bin/python benchmarks/bench_explain_faithfulness.py \\
        --n-series 600 --epochs 80 --seeds 0,1,2 \\
        --variants integrated_gradients:window=1 --out results/explain_faithfulness.jsonl

``--timing`` instead times each method on 64 random 12 x 1000 records (the
issue's budget: Grad-CAM under 10 s on 2 cores), full-width networks
(widths 32-256) fitted for one epoch, one network and the default ensemble
of three, median of ``--repeats`` runs:

    THREADS=2 .venv/bin/python benchmarks/bench_explain_faithfulness.py --timing \
        --variants gradcam:n_steps=16
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np
import torch

from sktime_ecoscale import EcoScaleClassifier
from sktime_ecoscale.datasets._generate import BUMP_LEAD, BUMP_WINDOW, make_lead_bump_task
from sktime_ecoscale.explain import METHODS, explain, target_probabilities


def mass_in_lead_and_window(A: np.ndarray) -> float:
    """Mean share of each record's positive attribution mass in lead 1, samples 100-140."""
    positive = np.clip(A, 0, None)
    total = positive.sum(axis=(1, 2))
    inside = positive[:, BUMP_LEAD, BUMP_WINDOW].sum(axis=1)
    return float(np.mean(inside / np.where(total > 0, total, np.inf)))


def _log_odds(clf, X) -> np.ndarray:
    p = np.clip(target_probabilities(clf, X)[:, 1], 1e-7, 1 - 1e-7)
    return np.log(p / (1 - p))


def model_reliance(clf, X: np.ndarray) -> dict:
    """Mean change of the class-1 log-odds when the evidence or the distractors are flattened."""
    base = _log_odds(clf, X)
    no_bump = X.copy()
    no_bump[:, BUMP_LEAD, BUMP_WINDOW] = 0.0
    no_distractors = X.copy()
    no_distractors[:, [0, 2]] = 0.0
    return {
        "without_bump": float(np.mean(_log_odds(clf, no_bump) - base)),
        "without_distractors": float(np.mean(_log_odds(clf, no_distractors) - base)),
    }


def _variant(spec: str) -> tuple[str, dict]:
    method, _, options = spec.partition(":")
    kwargs = {}
    for item in filter(None, options.split(";")):
        key, _, value = item.partition("=")
        kwargs[key] = int(value)
    return method, kwargs


def timing(specs: list[str], repeats: int) -> None:
    """Median seconds of ``explain`` per method on 64 random 12 x 1000 records."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 12, 1000)).astype(np.float32)
    y = np.arange(64) % 2
    for n_networks in (1, 3):
        clf = EcoScaleClassifier(
            widths=(32, 64, 128, 256),
            max_epochs=1,
            n_networks=n_networks,
            device="cpu",
            random_state=0,
        ).fit(X, y)
        row = {"n_networks": n_networks, "threads": torch.get_num_threads()}
        for spec in specs:
            method, kwargs = _variant(spec)
            seconds = []
            for _ in range(repeats):
                start = time.perf_counter()
                explain(clf, X, method=method, batch_size=64, **kwargs)
                seconds.append(time.perf_counter() - start)
            row[spec] = round(float(np.median(seconds)), 2)
        print(json.dumps(row), flush=True)


def _probability_drop(clf, X, cls, replace_at) -> float:
    before = target_probabilities(clf, X)[np.arange(len(X)), cls]
    X_del = X.copy()
    for i, where in enumerate(replace_at):
        lead_mean = np.broadcast_to(X[i].mean(axis=1, keepdims=True), X[i].shape)
        X_del[i].reshape(-1)[where] = lead_mean.reshape(-1)[where]
    return float(np.mean(before - target_probabilities(clf, X_del)[np.arange(len(X)), cls]))


def deletion(root: str, seeds: list[int], specs: list[str]) -> None:
    """Probability drop: top-10 % attributed samples replaced, against random ones."""
    from sktime_ecoscale.datasets import load_ptbxl

    X_train, y_train = load_ptbxl(root, target="norm", folds=range(1, 9))
    X, _ = load_ptbxl(root, target="norm", folds=[10])
    X = X[:24]
    for seed in seeds:
        clf = EcoScaleClassifier(
            widths=(8, 16, 16, 32), max_epochs=25, n_networks=1, device="cpu", random_state=seed
        ).fit(X_train, y_train)
        cls = np.argmax(target_probabilities(clf, X), axis=1)
        k = X[0].size // 10
        rng = np.random.default_rng(0)
        draws = [[rng.choice(X[0].size, k, replace=False) for _ in X] for _ in range(3)]
        row = {
            "seed": seed,
            "random": round(np.mean([_probability_drop(clf, X, cls, d) for d in draws]), 3),
        }
        for spec in specs:
            method, kwargs = _variant(spec)
            A = explain(clf, X, method=method, **kwargs)
            top = [np.argsort(a.ravel())[-k:] for a in A]
            row[spec] = round(_probability_drop(clf, X, cls, top), 3)
        print(json.dumps(row), flush=True)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-series", type=int, default=600)
    parser.add_argument("--epochs", type=int, default=80)
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--methods", default=",".join(METHODS), help="methods to score")
    parser.add_argument("--variants", default="", help="extra METHOD:key=value;... rows")
    parser.add_argument("--out", default=None, help="JSON lines to append to")
    parser.add_argument("--timing", action="store_true", help="time the methods instead")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--deletion", metavar="PTBXL_DIR", help="run the deletion measure instead")
    args = parser.parse_args(argv)
    torch.set_num_threads(int(os.environ.get("THREADS", "1")))
    specs = [m for m in args.methods.split(",") if m] + [v for v in args.variants.split(",") if v]
    if args.timing:
        timing(specs, args.repeats)
        return
    if args.deletion:
        deletion(args.deletion, [int(s) for s in args.seeds.split(",")], specs)
        return
    X_train, y_train = make_lead_bump_task(args.n_series, seed=0)
    X_test, y_test = make_lead_bump_task(60, seed=1)
    positives = X_test[y_test == 1]
    for seed in (int(s) for s in args.seeds.split(",")):
        start = time.perf_counter()
        clf = EcoScaleClassifier(
            widths=(8, 16, 16, 16),
            max_epochs=args.epochs,
            n_networks=1,
            device="cpu",
            random_state=seed,
        ).fit(X_train, y_train)
        row = {
            "n_series": args.n_series,
            "epochs": args.epochs,
            "seed": seed,
            "fit_s": round(time.perf_counter() - start, 1),
            "accuracy": float((clf.predict(X_test) == y_test).mean()),
            **model_reliance(clf, positives),
        }
        for spec in specs:
            method, kwargs = _variant(spec)
            start = time.perf_counter()
            A = explain(clf, positives, target=1, method=method, **kwargs)
            row[spec] = round(mass_in_lead_and_window(A), 3)
            row[f"{spec} s"] = round(time.perf_counter() - start, 2)
        print(json.dumps(row), flush=True)
        if args.out:
            with open(args.out, "a") as f:
                f.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
