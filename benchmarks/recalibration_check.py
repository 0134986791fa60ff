"""Batch-norm statistics after window-augmented training: which estimate predicts best.

Fits ``EcoScaleClassifier`` with the window augmentation (``WINDOW_AUGMENT``,
given explicitly: from 500 samples on the rule no longer chooses it) on the
training part of one cross-validation fold of a development set (the folds of
``recipe_experiments.py``, inside the official training split), once, and
prints its accuracy on that part and on the held-out part with three
estimates of the batch-norm statistics of the same trained weights:

* ``training batches``: the running averages gathered while training
  (augmented batches of the training batch size);
* ``recalibrated``: what ``fit`` does after augmented training,
  re-estimated on the clean training series in batches of
  ``predict_batch_size`` (64), every batch weighing alike however few series
  the last one holds;
* ``recalibrated, training batch size``: the same on clean series in full
  batches of the training batch size only, the batches the network was
  normalised with while it trained.

::

    THREADS=1 .venv/bin/python benchmarks/recalibration_check.py ACSF1

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
    parser.add_argument("--fold", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    import torch

    import sktime_ecoscale.classification._training as training_module
    from sktime_ecoscale import EcoScaleClassifier
    from sktime_ecoscale.classification._budget import WINDOW_AUGMENT
    from sktime_ecoscale.classification._skorch import recalibrate_batchnorm

    torch.set_num_threads(int(os.environ.get("THREADS", "1")))
    kept = {}  # the fit's recalibration call, replayed below on the same weights
    training_module.recalibrate_batchnorm = lambda module, data, **kw: kept.update(
        module=module, data=data, kw=kw
    )
    X, y, _, _ = load_suite_set(args.set)
    train, valid = cv_splits(y, 3, args.seed)[args.fold]
    start = time.perf_counter()
    clf = EcoScaleClassifier(random_state=args.seed, augment=dict(WINDOW_AUGMENT))
    clf.fit(X[train], y[train])
    print(f"{args.set} fold {args.fold}: fit {time.perf_counter() - start:.0f} s, {clf.budget_}")
    norms = [m for m in kept["module"].modules() if isinstance(m, torch.nn.BatchNorm1d)]
    running = [(m.running_mean.clone(), m.running_var.clone()) for m in norms]

    def report(label: str) -> None:
        clf._inference_cache_ = {}  # predict rebuilds its fused network from module_
        fit_acc = (clf.predict(X[train]) == y[train]).mean()
        held_acc = (clf.predict(X[valid]) == y[valid]).mean()
        print(f"  {label}: training accuracy {fit_acc:.3f}, held-out accuracy {held_acc:.3f}")

    report("training batches")
    recalibrate_batchnorm(kept["module"], kept["data"], **kept["kw"])
    report(f"recalibrated (batches of {kept['kw']['batch_size']})")
    for m, (mean, var) in zip(norms, running):
        m.running_mean.copy_(mean)
        m.running_var.copy_(var)
    batch = clf.budget_.batch_size
    full = len(kept["data"]) // batch * batch  # full batches only
    subset = torch.utils.data.Subset(kept["data"], list(range(full)))
    recalibrate_batchnorm(kept["module"], subset, **{**kept["kw"], "batch_size": batch})
    report(f"recalibrated, training batch size ({batch}, {full} series)")


if __name__ == "__main__":
    main()
