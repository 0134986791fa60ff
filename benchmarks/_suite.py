"""The development suite behind the default recipe: ECG and non-ECG sets, official splits.

Each entry loads ``(X_train, y_train, X_test, y_test)``; ``X`` is numpy3D for
equal-length sets and a df-list-compatible list of ``(C, L_i)`` arrays
otherwise (JapaneseVowels). The shared sets are read from ``../shared/data``;
the others ship with sktime. Nothing here looks at a test split unless asked
for the official split.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"

SUITE = (
    "ptbxl_norm",
    "ptbxl_superclass",
    "ECG200",
    "TwoLeadECG",
    "AtrialFibrillation",
    "StandWalkJump",
    "GunPoint",
    "ArrowHead",
    "ItalyPowerDemand",
    "OSULeaf",
    "BasicMotions",
    "JapaneseVowels",
    "ACSF1",
)


def _ptbxl(target: str):
    from sktime_ecoscale.datasets import load_ptbxl

    X, y, meta = load_ptbxl(
        SHARED / "ptbxl", sampling_rate=100, target=target, return_metadata=True
    )
    fold = meta["strat_fold"].to_numpy()
    train, test = fold <= 8, fold >= 9
    if isinstance(y, pd.DataFrame):
        return X[train], y[train].reset_index(drop=True), X[test], y[test].reset_index(drop=True)
    y = np.asarray(y)
    return X[train], y[train], X[test], y[test]


def _ts(folder: str, name: str):
    from sktime.datasets import load_from_tsfile

    out = []
    for split in ("TRAIN", "TEST"):
        X, y = load_from_tsfile(
            str(SHARED / folder / name / f"{name}_{split}.ts"), return_data_type="numpy3D"
        )
        out += [X.astype(np.float32), np.asarray(y)]
    return tuple(out)


def _sktime(name: str):
    from sktime import datasets

    loader = {
        "GunPoint": datasets.load_gunpoint,
        "ArrowHead": datasets.load_arrow_head,
        "ItalyPowerDemand": datasets.load_italy_power_demand,
        "OSULeaf": datasets.load_osuleaf,
        "BasicMotions": datasets.load_basic_motions,
        "JapaneseVowels": datasets.load_japanese_vowels,
        "ACSF1": datasets.load_acsf1,
    }[name]
    out = []
    for split in ("train", "test"):
        if name == "JapaneseVowels":  # unequal length: keep a list of (C, L_i) arrays
            X, y = loader(split=split, return_X_y=True)
            X = [
                np.stack([np.asarray(X.iloc[i, j], dtype=np.float32) for j in range(X.shape[1])])
                for i in range(len(X))
            ]
        else:
            X, y = loader(split=split, return_X_y=True, return_type="numpy3D")
            X = np.asarray(X, dtype=np.float32)
        out += [X, np.asarray(y)]
    return tuple(out)


def load_suite_set(name: str):
    """Return ``(X_train, y_train, X_test, y_test)`` of one development set."""
    if name == "ptbxl_norm":
        return _ptbxl("norm")
    if name == "ptbxl_superclass":
        return _ptbxl("superclass")
    if name in ("ECG200", "TwoLeadECG"):
        return _ts("ucr", name)
    if name in ("AtrialFibrillation", "StandWalkJump"):
        return _ts("uea", name)
    return _sktime(name)


def describe(name: str) -> dict:
    """Shape facts of one set (n_train, n_test, channels, length, classes)."""
    X, y, Xt, _ = load_suite_set(name)
    lengths = [np.asarray(x).shape[-1] for x in X]
    n_classes = y.shape[1] if isinstance(y, pd.DataFrame) else len(np.unique(y))
    return {
        "set": name,
        "n_train": len(X),
        "n_test": len(Xt),
        "channels": np.asarray(X[0]).shape[0],
        "length": max(lengths),
        "classes": n_classes,
    }


if __name__ == "__main__":
    print(pd.DataFrame([describe(n) for n in SUITE]).to_string(index=False))
