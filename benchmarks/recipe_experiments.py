"""Cross-validated experiments on the training splits of the development suite.

Used to choose the default training-budget rule (docs/recipe.md). Every
candidate is scored by stratified k-fold cross-validation *inside the official
training split*; the official test splits are only read by
``benchmarks/recipe_suite.py``. One JSON object per line is appended to
``--out``::

    .venv/bin/python benchmarks/recipe_experiments.py --sets GunPoint,ArrowHead \
        --spec '{"max_epochs": 200}' --seeds 0 --folds 3 --out /tmp/cv.jsonl

``--spec`` takes estimator parameters as JSON, plus the experiment-only keys
``separate_networks`` (average the probabilities of that many separately
seeded classifiers; ``n_networks`` is the estimator's own ensemble) and ``norm``
(``"global"``: per-channel statistics of the training split, what
``input_scaling="channel"`` does inside the package; ``"none"``: raw input;
absent: the estimator's own ``input_scaling``) and ``recalibrate`` (``false``: keep the
batch-norm statistics of the augmented training batches instead of re-estimating
them on the clean training series after the fit) and ``weight_averaging`` (a fraction
``f``: the network's weights averaged over the epochs after ``f * max_epochs``, equally,
then the batch-norm statistics re-estimated as after any augmented fit; a candidate, not
in the package).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings

import numpy as np
import pandas as pd
from skorch.callbacks import Callback

sys.path.insert(0, os.path.dirname(__file__))
from _suite import load_suite_set  # noqa: E402


def _subset(X, idx):
    return X[idx] if isinstance(X, np.ndarray) else [X[i] for i in idx]


def _take(y, idx):
    return y.iloc[idx].reset_index(drop=True) if isinstance(y, pd.DataFrame) else y[idx]


def _to_panel(X):
    """numpy3D as is; a list of (C, L_i) arrays as sktime's df-list."""
    if isinstance(X, np.ndarray):
        return X
    return [pd.DataFrame(x.T) for x in X]


def _global_scale(X, Xt):
    """Scale by the per-channel mean and std over all training series and time."""
    flat = np.concatenate([np.asarray(x, dtype=np.float64) for x in X], axis=-1)
    mean, std = flat.mean(axis=-1, keepdims=True), flat.std(axis=-1, keepdims=True) + 1e-8

    def apply(P):
        out = [((np.asarray(x, dtype=np.float64) - mean) / std).astype(np.float32) for x in P]
        return np.stack(out) if isinstance(P, np.ndarray) else out

    return apply(X), apply(Xt)


class TailAverage(Callback):
    """skorch callback: the weights averaged over the last epochs replace the final ones."""

    def __init__(self, start: float):
        self.start = start

    def on_train_begin(self, net, **kwargs):
        self.average_, self.count_ = None, 0

    def on_epoch_end(self, net, **kwargs):
        if len(net.history) <= self.start * net.max_epochs:
            return
        weights = [p.detach().clone() for p in net.module_.parameters()]
        self.count_ += 1
        if self.average_ is None:
            self.average_ = weights
            return
        for average, w in zip(self.average_, weights):
            average += (w - average) / self.count_

    def on_train_end(self, net, **kwargs):
        import torch

        if self.average_ is not None:
            with torch.no_grad():
                for p, average in zip(net.module_.parameters(), self.average_):
                    p.copy_(average)


def fit_predict(model: str, spec: dict, seed: int, X, y, Xt):
    """Fit one model and return (probabilities or label scores, predicted labels, fit s)."""
    import torch

    # every fit at THREADS: a MiniRocket fit leaves torch at one thread per core, and the
    # next fits of two side-by-side runs then oversubscribed the cores (a 144 s EcoScale
    # fit of TwoLeadECG ran for over 20 minutes after one)
    torch.set_num_threads(int(os.environ.get("THREADS", "1")))
    spec = dict(spec)
    start = time.perf_counter()
    if model == "ecoscale":
        from sktime_ecoscale import EcoScaleClassifier

        # separate classifiers averaged by probability (the estimator's own
        # ensemble is its n_networks parameter, passed through like any other)
        n_networks = int(spec.pop("separate_networks", 1))
        if "weight_averaging" in spec:
            spec["callbacks"] = [("tail_average", TailAverage(spec.pop("weight_averaging")))]
        if spec.pop("norm", None) == "global":  # per-channel statistics of the training split
            X, Xt = _global_scale(X, Xt)
        if "rule" in spec:  # resolve the training-budget rule on this training set
            from sktime_ecoscale.classification._budget import training_budget

            n_classes = y.shape[1] if isinstance(y, pd.DataFrame) else len(np.unique(y))
            lengths = [np.asarray(x).shape[-1] for x in X]
            budget = training_budget(
                len(X), np.asarray(X[0]).shape[0], max(lengths), n_classes, **spec.pop("rule")
            )
            spec = {
                "batch_size": budget.batch_size,
                "max_epochs": budget.max_epochs,
                "widths": budget.widths,
                **spec,
            }
        members = [
            EcoScaleClassifier(random_state=seed * 1000 + i, **spec).fit(_to_panel(X), y)
            for i in range(n_networks)
        ]
        fit_s = time.perf_counter() - start
        probas = [m.predict_proba(_to_panel(Xt)) for m in members]
        clf = members[0]
        if isinstance(y, pd.DataFrame):
            mean = sum(p.to_numpy() for p in probas) / n_networks
            scores = mean.reshape(len(Xt), y.shape[1], 2)[:, :, 1]
            pred = (scores >= 0.5).astype(int)
            return scores, pred, fit_s
        mean = sum(probas) / n_networks
        return mean, clf.classes_[mean.argmax(axis=1)], fit_s
    if model in ("minirocket", "inceptiontime"):
        from sktime.classification.kernel_based import RocketClassifier

        if model == "minirocket":
            est = RocketClassifier(rocket_transform="minirocket", random_state=seed)
        else:
            from sktime.classification.deep_learning import InceptionTimeClassifierTorch

            est = InceptionTimeClassifierTorch(random_state=seed, **spec)
        if not isinstance(X, np.ndarray):  # unequal length: pad for the peers
            from sktime.transformations.panel.padder import PaddingTransformer

            # to the longest series of both splits (a test series longer than every
            # training series would be refused; lengths only, no labels)
            longest = max(np.asarray(x).shape[-1] for x in [*X, *Xt])
            est = PaddingTransformer(pad_length=longest) * est
        if isinstance(y, pd.DataFrame):
            from sklearn.base import clone

            scores, preds = [], []
            for col in y.columns:
                e = clone(est).fit(_to_panel(X), y[col].to_numpy())
                p = e.predict_proba(_to_panel(Xt))
                scores.append(
                    p[:, list(e.classes_).index(1)] if 1 in list(e.classes_) else p[:, -1]
                )
                preds.append(e.predict(_to_panel(Xt)))
            fit_s = time.perf_counter() - start
            return np.stack(scores, 1), np.stack(preds, 1).astype(int), fit_s
        est.fit(_to_panel(X), y)
        fit_s = time.perf_counter() - start
        return est.predict_proba(_to_panel(Xt)), est.predict(_to_panel(Xt)), fit_s
    raise ValueError(model)


def score(y_true, scores, pred) -> dict:
    from sklearn.metrics import accuracy_score, f1_score, roc_auc_score

    out = {"accuracy": accuracy_score(np.asarray(y_true), np.asarray(pred))}
    out["macro_f1"] = f1_score(np.asarray(y_true), np.asarray(pred), average="macro")
    try:
        if isinstance(y_true, pd.DataFrame):
            out["auroc"] = roc_auc_score(y_true.to_numpy(), scores, average="macro")
        elif scores.shape[1] == 2:
            out["auroc"] = roc_auc_score(y_true, scores[:, 1])
        else:
            out["auroc"] = roc_auc_score(y_true, scores, multi_class="ovr")
    except ValueError:
        out["auroc"] = float("nan")
    return out


def cv_splits(y, folds: int, seed: int):
    from sklearn.model_selection import KFold, StratifiedKFold

    n = len(y)
    if isinstance(y, pd.DataFrame):
        return list(KFold(folds, shuffle=True, random_state=seed).split(np.zeros(n)))
    k = min(folds, int(pd.Series(y).value_counts().min()))
    if k < 2:
        return list(KFold(folds, shuffle=True, random_state=seed).split(np.zeros(n)))
    return list(StratifiedKFold(k, shuffle=True, random_state=seed).split(np.zeros(n), y))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", required=True)
    parser.add_argument("--spec", default="{}")
    parser.add_argument("--model", default="ecoscale")
    parser.add_argument("--seeds", default="0")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--label", default=None)
    parser.add_argument(
        "--only-folds",
        default=None,
        help="comma-separated fold indices to run (a cheap screen; default: every fold)",
    )
    parser.add_argument("--out", required=True)
    parser.add_argument(
        "--min-steps",
        type=int,
        default=None,
        help="the rule's minimum optimiser steps for this run (default: the package's MIN_STEPS)",
    )
    args = parser.parse_args(argv)
    if args.min_steps is not None:  # a candidate of the step rule, resolved per fold as usual
        import sktime_ecoscale.classification._budget as budget_module

        budget_module.MIN_STEPS = args.min_steps
    warnings.filterwarnings("ignore")
    import torch

    torch.set_num_threads(int(os.environ.get("THREADS", "1")))
    spec = json.loads(args.spec)
    if spec.pop("recalibrate", True) is False:  # keep the training batches' statistics
        import sktime_ecoscale.classification._training as training_module

        training_module.recalibrate_batchnorm = lambda *a, **k: None
    if spec.get("norm") in ("none", "global"):
        import sktime_ecoscale.utils._input as data_module

        data_module.standardize_per_lead = lambda x, eps=1e-6: x
    label = args.label or args.spec
    for name in args.sets.split(","):
        X, y, _, _ = load_suite_set(name)
        for seed in [int(s) for s in args.seeds.split(",")]:
            rows = []
            splits = cv_splits(y, args.folds, seed)
            if args.only_folds is not None:
                splits = [splits[int(k)] for k in args.only_folds.split(",")]
            for train_idx, valid_idx in splits:
                s, p, fit_s = fit_predict(
                    args.model,
                    spec,
                    seed,
                    _subset(X, train_idx),
                    _take(y, train_idx),
                    _subset(X, valid_idx),
                )
                rows.append({**score(_take(y, valid_idx), s, p), "fit_s": fit_s})
            mean = pd.DataFrame(rows).mean().to_dict()
            record = {"set": name, "model": args.model, "label": label, "seed": seed, **mean}
            if args.only_folds is not None:
                record["folds"] = args.only_folds
            print(json.dumps(record), flush=True)
            with open(args.out, "a") as fh:
                fh.write(json.dumps(record) + "\n")


if __name__ == "__main__":
    main()
