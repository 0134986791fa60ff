"""Batch-norm recalibration after window-augmented training: with it and without it.

Fits ``EcoScaleClassifier`` with the window augmentation (``WINDOW_AUGMENT``,
given explicitly: from 500 samples on the rule no longer chooses it) on the training part of one
cross-validation fold of a development set (the folds of
``recipe_experiments.py``, inside the official training split) and prints its
accuracy on that part and on the held-out part, with the estimator's usual
recalibration of the batch-norm statistics on clean training series
(``recal``) or keeping the statistics of the augmented training batches
(``norecal``)::

    THREADS=1 .venv/bin/python benchmarks/recalibration_check.py ACSF1 norecal

Written for ACSF1 (docs/recipe.md), where the window augmentation with
recalibration fitted the training series worse than without it.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings

sys.path.insert(0, os.path.dirname(__file__))
from _suite import load_suite_set  # noqa: E402
from recipe_experiments import cv_splits  # noqa: E402


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set")
    parser.add_argument("mode", choices=["recal", "norecal"])
    parser.add_argument("--fold", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    import torch

    import sktime_ecoscale.classification._training as training_module
    from sktime_ecoscale import EcoScaleClassifier
    from sktime_ecoscale.classification._budget import WINDOW_AUGMENT

    torch.set_num_threads(int(os.environ.get("THREADS", "1")))
    if args.mode == "norecal":
        training_module.recalibrate_batchnorm = lambda *a, **k: None
    X, y, _, _ = load_suite_set(args.set)
    train, valid = cv_splits(y, 3, args.seed)[args.fold]
    start = time.perf_counter()
    clf = EcoScaleClassifier(random_state=args.seed, augment=dict(WINDOW_AUGMENT)).fit(
        X[train], y[train]
    )
    fit_s = time.perf_counter() - start
    print(
        f"{args.set} fold {args.fold} {args.mode}: fit {fit_s:.0f} s, "
        f"training accuracy {(clf.predict(X[train]) == y[train]).mean():.3f}, "
        f"held-out accuracy {(clf.predict(X[valid]) == y[valid]).mean():.3f}, "
        f"budget {clf.budget_}"
    )


if __name__ == "__main__":
    main()
