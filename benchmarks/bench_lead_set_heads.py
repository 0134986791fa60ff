"""Reduced lead sets: the 12-lead model's refitted head against statistics only and a 2-lead model.

For a PTB-XL task (folds 1-8 -> 9-10, the bundled records at 100 Hz) and a seed:
one default 12-lead network (``n_networks=1``), scored by macro-AUROC on the test
records given all twelve leads and given leads I and II only, the latter twice:
with the lead set's batch-norm statistics and refitted head (what ``predict``
does) and with the statistics only (the head as trained on twelve leads); and a
default network trained on leads I and II alone. One JSON line per run::

    THREADS=1 .venv/bin/python benchmarks/bench_lead_set_heads.py --task norm --seed 1
    THREADS=1 .venv/bin/python benchmarks/bench_lead_set_heads.py --task norm --seed 0 \
        --what two   # only the 2-lead model

``--train-folds 1,2,3,4,5,6 --test-folds 7,8`` validates inside the training folds
(to choose a training option without the test folds); ``--augment JSON`` passes
augmentation fields to the 12-lead model (for example ``'{"lead_subsets": 0.5}'``).
"""

from __future__ import annotations

import argparse
import json
import os
import warnings
from pathlib import Path

import numpy as np

LEADS = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ptbxl"


def macro_auroc(clf, X, y, task: str, leads: list[int]) -> float:
    """Macro-AUROC of ``clf`` on the test records given the leads ``leads`` (named)."""
    from sklearn.metrics import roc_auc_score

    from sktime_ecoscale.utils import ecg_panel

    proba = clf.predict_proba(ecg_panel(X[:, leads], 100, [LEADS[i] for i in leads]))
    if task == "norm":
        return round(
            float(roc_auc_score(y == "NORM", proba[:, list(clf.classes_).index("NORM")])), 3
        )
    scores = proba.xs(1, axis=1, level=1)
    return round(float(np.mean([roc_auc_score(y[c], scores[c]) for c in y.columns])), 3)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task", choices=["norm", "superclass"], default="norm")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--what", default="twelve,two", help="twelve, two or both")
    parser.add_argument("--data", type=Path, default=SHARED)
    parser.add_argument("--train-folds", default="1,2,3,4,5,6,7,8")
    parser.add_argument("--test-folds", default="9,10")
    parser.add_argument("--augment", default=None, help="JSON fields for the 12-lead model")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    import torch

    from sktime_ecoscale import EcoScaleClassifier
    from sktime_ecoscale.classification._lead_sets import statistics_only
    from sktime_ecoscale.datasets import load_ptbxl
    from sktime_ecoscale.utils import ecg_panel

    torch.set_num_threads(int(os.environ.get("THREADS", "1")))
    train_folds = [int(f) for f in args.train_folds.split(",")]
    test_folds = [int(f) for f in args.test_folds.split(",")]
    X, y = load_ptbxl(args.data, target=args.task, folds=train_folds)
    Xt, yt = load_ptbxl(args.data, target=args.task, folds=test_folds)
    out: dict = {"task": args.task, "seed": args.seed, "train": train_folds, "test": test_folds}
    if "twelve" in args.what:
        augment = json.loads(args.augment) if args.augment else "auto"
        out["augment"] = augment
        clf = EcoScaleClassifier(n_networks=1, augment=augment, random_state=args.seed)
        clf.fit(ecg_panel(X, 100, LEADS), y)
        out["heads"] = {
            "12": macro_auroc(clf, Xt, yt, args.task, list(range(12))),
            "2": macro_auroc(clf, Xt, yt, args.task, [0, 1]),
        }
        # the same statistics, the head as trained on twelve leads
        clf.lead_set_norms_ = statistics_only(clf.lead_set_norms_)
        clf._inference_cache_.clear()
        out["stats"] = {"2": macro_auroc(clf, Xt, yt, args.task, [0, 1])}
    if "two" in args.what:
        two = EcoScaleClassifier(n_networks=1, random_state=args.seed)
        two.fit(ecg_panel(X[:, :2], 100, LEADS[:2]), y)
        out["two_lead_model"] = macro_auroc(two, Xt, yt, args.task, [0, 1])
    print(json.dumps(out), flush=True)
    return out


if __name__ == "__main__":
    main()
