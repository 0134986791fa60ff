"""Sampling rate as a fitted fact: a 500 Hz model given 100 Hz records, and the reverse.

PTB-XL ships every record at 100 and 500 Hz. One default network (one seed) is
trained on folds 1-8 at each rate (``fs`` given, so the rate is a fitted fact)
and scored by macro-AUROC on folds 9-10 (5 superclasses) at its own rate and at
the other one. The other rate is passed the way a user would: a pandas panel
whose ``TimedeltaIndex`` tells the rate, which ``predict`` resamples to the
model's rate (``utils.resample``, polyphase) before the input rule::

    THREADS=1 .venv/bin/python benchmarks/bench_rates.py --data ../shared/data/ptbxl \\
        --out results/rates.json
"""

from __future__ import annotations

import argparse
import json
import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

LEADS = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]


def time_indexed(X: np.ndarray, fs: float) -> list[pd.DataFrame]:
    """sktime df-list: one frame per record, lead columns, a TimedeltaIndex at ``fs``."""
    from sktime_ecoscale.utils import ecg_panel

    return ecg_panel(X, fs, leads=LEADS)


def main(argv=None) -> dict:
    import torch

    from sktime_ecoscale import EcoScaleClassifier
    from sktime_ecoscale.datasets import load_ptbxl
    from sktime_ecoscale.metrics import auroc

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/ptbxl"))
    parser.add_argument("--models", type=Path, default=Path("results/rate_models"))
    parser.add_argument("--out", type=Path, default=Path("results/rates.json"))
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    torch.set_num_threads(int(os.environ.get("THREADS", "1")))
    data, models, record = {}, {}, {}
    for fs in (100, 500):
        X, Y, meta = load_ptbxl(
            args.data, sampling_rate=fs, target="superclass", return_metadata=True
        )
        train = (meta["strat_fold"] <= 8).to_numpy()
        data[fs] = (X[~train], Y[~train].reset_index(drop=True))
        path = args.models / f"fs{fs}"
        if (path / "config.json").is_file():
            models[fs] = EcoScaleClassifier.load_model(path, device="cpu")
        else:
            clf = EcoScaleClassifier(n_networks=1, random_state=0, leads=LEADS, fs=fs)
            models[fs] = clf.fit(X[train], Y[train].reset_index(drop=True))
            models[fs].save_model(path)
    for model_fs, clf in models.items():
        for input_fs, (Xt, Yt) in data.items():
            X_in = Xt if input_fs == model_fs else time_indexed(Xt, input_fs)
            proba = clf.predict_proba(X_in)
            scores = np.column_stack([proba[c][1].to_numpy() for c in Yt.columns])
            record[f"model {model_fs} Hz, input {input_fs} Hz"] = float(auroc(Yt, scores))
            print(
                model_fs, input_fs, record[f"model {model_fs} Hz, input {input_fs} Hz"], flush=True
            )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, indent=2))
    return record


if __name__ == "__main__":
    main()
