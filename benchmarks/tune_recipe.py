"""Experiments behind EcoScaleClassifier's default recipe (issue 5), on the shared PTB-XL.

Fits ``EcoScaleClassifier`` with overrides given as JSON on folds 1-8 and
reports NORM-vs-other macro-F1, AUROC and the best F1 any threshold would give
(an oracle, for diagnosis only) on folds 9-10::

    .venv/bin/python benchmarks/tune_recipe.py '{}' '{"max_epochs": 100, "seeds": [0, 1]}'

``"ema": 1`` adds an exponential moving average of the weights (decay 0.99).
The figures are in docs/recipe.md.
"""

from __future__ import annotations

import json
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import torch
from sklearn.metrics import f1_score, roc_auc_score
from skorch.callbacks import Callback

from sktime_ecoscale import EcoScaleClassifier
from sktime_ecoscale.datasets import load_ptbxl

PTBXL = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "ptbxl"


class EMA(Callback):
    """Exponential moving average of the weights, swapped in at the end of training."""

    def __init__(self, decay: float = 0.99):
        self.decay = decay

    def on_train_begin(self, net, **kwargs):
        self.shadow = {k: v.detach().clone() for k, v in net.module_.state_dict().items()}

    def on_batch_end(self, net, training=False, **kwargs):
        if not training:
            return
        with torch.no_grad():
            for k, v in net.module_.state_dict().items():
                if v.dtype.is_floating_point:
                    self.shadow[k].mul_(self.decay).add_(v.detach(), alpha=1 - self.decay)
                else:
                    self.shadow[k].copy_(v)

    def on_train_end(self, net, **kwargs):
        net.module_.load_state_dict(self.shadow)


def main(specs: list[str]) -> None:
    warnings.filterwarnings("ignore")
    torch.set_num_threads(1)
    X, y, meta = load_ptbxl(PTBXL, sampling_rate=100, target="norm", return_metadata=True)
    fold = meta["strat_fold"].to_numpy()
    train, test = fold <= 8, fold >= 9
    y_test = (y[test] == "NORM").astype(int)
    for spec in specs or ["{}"]:
        params = json.loads(spec)
        seeds = params.pop("seeds", [0])
        label = json.dumps(params)
        if params.pop("ema", None):
            params["callbacks"] = [EMA(0.99)]
        for seed in seeds:
            start = time.perf_counter()
            clf = EcoScaleClassifier(random_state=seed, **params).fit(X[train], y[train])
            fit_s = time.perf_counter() - start
            pred = clf.predict(X[test])
            p_norm = clf.predict_proba(X[test])[:, list(clf.classes_).index("NORM")]
            oracle = max(
                f1_score(y_test, (p_norm >= t).astype(int), average="macro")
                for t in np.linspace(0.05, 0.95, 19)
            )
            print(
                f"{label} seed {seed}: macro-F1 {f1_score(y[test], pred, average='macro'):.3f} "
                f"AUROC {roc_auc_score(y_test, p_norm):.3f} oracle-F1 {oracle:.3f} "
                f"fit {fit_s:.0f} s, {len(clf.history_)} epochs",
                flush=True,
            )


if __name__ == "__main__":
    main(sys.argv[1:])
