"""Robustness of one 12-lead model: missing leads, missing samples, baseline wander and noise.

A PTB-XL superclass model (folds 1-8 of the bundled sample; reused from
``--model``, e.g. the source model of ``bench_finetune.py``) is scored by
macro-AUROC on folds 9-10 under corruptions of the test records, against
sktime's MiniRocket (one per label, fitted on the same records) under the same
corruptions:

* the PhysioNet/CinC 2021 lead sets (12, 6, 4, 3, 2 leads): the other leads
  missing (NaN: the input rule's missing lead; MiniRocket gets zeros);
* 0-50 % of the samples missing in gaps of 0.1-1 s (NaN; MiniRocket gets
  sktime_ecoscale's RepairMissing, linear interpolation);
* baseline wander (0.3 Hz sine, 0.5 mV) and white noise at SNR 20, 10 and 5 dB;
* with ``--extra``: 50 Hz power-line hum (0.1 mV) and muscle noise (high-passed white
  noise, 0.1 mV, in a burst of 30 % of each lead).

``--augment`` sets the 12-lead model's augmentation when the script trains it
(e.g. ``'{"lead_subsets": 0.5}'``, on top of the default strengths);
``--lead-set-models 2,3`` also trains a default model on each of those lead
sets alone (same records and seed) and scores it on the same leads of the test
records, the reference a 12-lead model given fewer leads is measured against.

::

    THREADS=2 .venv/bin/python benchmarks/bench_robustness.py --model results/finetune_source \
        --out results/robustness.json
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
#: The lead sets of the PhysioNet/CinC Challenge 2021.
LEAD_SETS = {
    "12": LEADS,
    "6": ["I", "II", "III", "aVR", "aVL", "aVF"],
    "4": ["I", "II", "III", "V2"],
    "3": ["I", "II", "V2"],
    "2": ["I", "II"],
}
FS = 100.0


def drop_leads(X: np.ndarray, keep: list[str]) -> np.ndarray:
    out = X.astype(np.float64).copy()
    out[:, [i for i, name in enumerate(LEADS) if name not in keep]] = np.nan
    return out


def drop_samples(X: np.ndarray, fraction: float, seed: int) -> np.ndarray:
    """NaN gaps of 0.1-1 s in every lead until ``fraction`` of the samples are missing."""
    rng = np.random.default_rng(seed)
    out = X.astype(np.float64).copy()
    n, c, length = X.shape
    for i in range(n):
        for j in range(c):
            lost = 0
            while lost < fraction * length:
                width = int(rng.integers(int(0.1 * FS), int(1.0 * FS) + 1))
                start = int(rng.integers(0, length - width))
                before = np.isnan(out[i, j, start : start + width]).sum()
                out[i, j, start : start + width] = np.nan
                lost += width - before
    return out


def wander_and_noise(X: np.ndarray, snr_db: float | None, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(X.shape[-1]) / FS
    phase = rng.uniform(0, 2 * np.pi, size=X.shape[:2])[..., None]
    out = X.astype(np.float64) + 0.5 * np.sin(2 * np.pi * 0.3 * t + phase)
    if snr_db is not None:
        power = np.mean(X.astype(np.float64) ** 2, axis=-1, keepdims=True)
        out += rng.normal(size=X.shape) * np.sqrt(power / 10 ** (snr_db / 10))
    return out


def hum(X: np.ndarray, amplitude_mv: float, seed: int) -> np.ndarray:
    """50 Hz power-line interference (the same on every lead, random phase per record)."""
    rng = np.random.default_rng(seed)
    t = np.arange(X.shape[-1]) / FS
    phase = rng.uniform(0, 2 * np.pi, size=(X.shape[0], 1, 1))
    return X.astype(np.float64) + amplitude_mv * np.sin(2 * np.pi * 50.0 * t + phase)


def muscle(X: np.ndarray, sd_mv: float, seed: int) -> np.ndarray:
    """Muscle noise: high-passed white noise in one burst of 30 % of the record per lead."""
    rng = np.random.default_rng(seed)
    n, c, length = X.shape
    white = rng.normal(size=(n, c, length + 1))
    emg = (white[..., 1:] - white[..., :-1]) / np.sqrt(2) * sd_mv
    width = int(0.3 * length)
    starts = rng.integers(0, length - width + 1, size=(n, c, 1))
    steps = np.arange(length)[None, None, :]
    return X.astype(np.float64) + emg * ((steps >= starts) & (steps < starts + width))


def main(argv=None) -> None:
    from sklearn.base import clone
    from sktime.classification.kernel_based import RocketClassifier

    from sktime_ecoscale import EcoScaleClassifier
    from sktime_ecoscale.datasets import load_ptbxl_sample
    from sktime_ecoscale.metrics import auroc
    from sktime_ecoscale.transformations import RepairMissing

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=Path("results/finetune_source"))
    parser.add_argument("--out", type=Path, default=Path("results/robustness.json"))
    parser.add_argument("--no-minirocket", action="store_true")
    parser.add_argument("--figure", type=Path, default=Path("docs/_static/robustness.png"))
    parser.add_argument("--augment", type=json.loads, default=None, metavar="JSON")
    parser.add_argument("--lead-set-models", default="", metavar="K,...")
    parser.add_argument("--task", choices=["superclass", "norm"], default="superclass")
    parser.add_argument(
        "--extra", action="store_true", help="also 50 Hz hum (0.1 mV) and muscle noise (0.1 mV)"
    )
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    import torch

    torch.set_num_threads(int(os.environ.get("THREADS", "1")))
    X, Y, meta = load_ptbxl_sample(target=args.task, return_metadata=True)
    train = (meta["strat_fold"] <= 8).to_numpy()
    # one 0/1 column per label; NORM vs other as one label (NORM the positive class)
    labels = Y if isinstance(Y, pd.DataFrame) else pd.DataFrame({"NORM": (Y == "NORM") * 1})
    Xtr, Ytr = (
        X[train],
        (Y[train].reset_index(drop=True) if args.task == "superclass" else Y[train]),
    )
    Xt, Yt = X[~train], labels[~train].reset_index(drop=True)
    if (args.model / "config.json").is_file():
        eco = EcoScaleClassifier.load_model(args.model, device="cpu")
    else:
        from sktime_ecoscale.classification._augment import Augmenter

        augment = "auto" if args.augment is None else Augmenter(**args.augment)
        eco = EcoScaleClassifier(n_networks=1, random_state=0, augment=augment, leads=LEADS)
        eco.fit(Xtr, Ytr)
        eco.save_model(args.model)
    rockets = {}
    if not args.no_minirocket:
        base = RocketClassifier(rocket_transform="minirocket", random_state=0)
        targets = labels[train].reset_index(drop=True)
        rockets = {c: clone(base).fit(Xtr, targets[c].to_numpy()) for c in Yt.columns}

    def positive_scores(model, Xc):
        proba = model.predict_proba(Xc)
        if isinstance(proba, pd.DataFrame):  # multi-label: P(label = 1) per label
            return np.column_stack([proba[c][1].to_numpy() for c in Yt.columns])
        return proba[:, list(model.classes_).index("NORM")][:, None]

    def eco_score(Xc):
        return float(auroc(Yt, positive_scores(eco, Xc)))

    def rocket_score(Xc):
        if not rockets:
            return None
        Xr = RepairMissing().fit_transform(Xc) if np.isnan(Xc).any() else Xc
        cols = [r.predict_proba(Xr)[:, list(r.classes_).index(1)] for r in rockets.values()]
        return float(auroc(Yt, np.column_stack(cols)))

    cases = {f"leads_{k}": drop_leads(Xt, keep) for k, keep in LEAD_SETS.items()}
    cases |= {f"missing_{int(100 * f)}pct": drop_samples(Xt, f, seed=1) for f in (0.1, 0.25, 0.5)}
    cases |= {"wander": wander_and_noise(Xt, None, seed=2)}
    cases |= {f"wander_noise_{snr}dB": wander_and_noise(Xt, snr, seed=3) for snr in (20, 10, 5)}
    if args.extra:
        cases |= {"hum_50Hz": hum(Xt, 0.1, seed=4), "muscle": muscle(Xt, 0.1, seed=5)}
    record = {"model": str(args.model), "task": args.task, "n_test": len(Xt)}
    record["augment"] = args.augment
    for name, Xc in cases.items():
        record[name] = {"ecoscale": eco_score(Xc), "minirocket": rocket_score(Xc)}
        print(name, record[name], flush=True)
    for k in filter(None, args.lead_set_models.split(",")):
        idx = [LEADS.index(lead) for lead in LEAD_SETS[k]]
        alone = EcoScaleClassifier(n_networks=1, random_state=0, leads=LEAD_SETS[k])
        scores = positive_scores(alone.fit(Xtr[:, idx], Ytr), Xt[:, idx])
        record[f"leads_{k}"]["trained_on_these_leads"] = float(auroc(Yt, scores))
        print(f"leads_{k}", record[f"leads_{k}"], flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, indent=2))
    plot(record, args.figure)


def plot(record: dict, path: Path) -> None:
    """Bars of macro-AUROC per corruption, EcoScale and MiniRocket side by side."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cases = [k for k, v in record.items() if isinstance(v, dict) and "ecoscale" in v]
    x = np.arange(len(cases))
    fig, ax = plt.subplots(figsize=(10, 3.6), dpi=100)
    for offset, model, color in ((-0.2, "ecoscale", "C0"), (0.2, "minirocket", "C1")):
        values = [record[c][model] for c in cases]
        if all(v is not None for v in values):
            ax.bar(x + offset, values, 0.4, label=model, color=color)
    alone = [
        (i, record[c]["trained_on_these_leads"])
        for i, c in enumerate(cases)
        if "trained_on_these_leads" in record[c]
    ]
    if alone:
        ax.scatter(
            *zip(*alone),
            marker="_",
            s=400,
            color="k",
            zorder=3,
            label="model trained on these leads",
        )
    ax.set(xticks=x, ylabel="macro-AUROC, PTB-XL folds 9-10", ylim=(0.4, 1.0))
    ax.set_xticklabels([c.replace("_", " ") for c in cases], rotation=30, ha="right", fontsize=8)
    ax.axhline(0.5, color="grey", lw=0.6, ls="--")
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)


if __name__ == "__main__":
    main()
