"""Synthetic data: sets in real on-disk layouts, and a task whose answer is known."""

from __future__ import annotations

__all__ = ["make_code15_like", "make_lead_bump_task", "synthetic_ecg"]

from pathlib import Path

import numpy as np
import pandas as pd

from sktime_ecoscale.datasets._code15 import (
    CODE15_FS,
    CODE15_LABELS,
    CODE15_LEADS,
    CODE15_LENGTH,
)
from sktime_ecoscale.utils._signal import pad_or_crop

# Label prevalences, roughly twice those of CODE-15% so small sets see positives.
_PREVALENCE = {"1dAVb": 0.08, "RBBB": 0.08, "LBBB": 0.06, "SB": 0.10, "AF": 0.08, "ST": 0.10}
_CSV_COLUMNS = [
    "exam_id", "age", "is_male", "nn_predicted_age", *CODE15_LABELS[:4], "ST", "AF",
    "patient_id", "death", "timey", "normal_ecg", "trace_file",
]  # fmt: skip


def synthetic_ecg(
    labels: dict[str, bool],
    n_samples: int,
    fs: float,
    rng: np.random.Generator,
    lead_gain: np.ndarray,
) -> np.ndarray:
    """Draw one ECG-like 12-lead signal (mV) whose shape reflects its labels.

    Each beat is a sum of Gaussian P, QRS and T waves, projected on the leads
    by ``lead_gain`` (12 x 3). Labels change what a cardiologist would see:
    SB slows the rate, AF makes RR irregular and removes P, 1dAVb lengthens
    PR, RBBB/LBBB widen QRS, ST shifts the ST segment. A classifier can
    therefore learn each label from the signal.

    Returns
    -------
    np.ndarray of shape (12, n_samples), float32.
    """
    t = np.arange(n_samples) / fs
    hr = rng.uniform(42, 55) if labels["SB"] else rng.uniform(62, 100)
    rr = 60.0 / hr
    n_beats = int(t[-1] / rr) + 3
    jitter = 0.25 if labels["AF"] else 0.03
    beats = np.cumsum(rr * (1 + jitter * rng.standard_normal(n_beats)).clip(0.5)) - rr
    pr = 0.26 if labels["1dAVb"] else 0.16
    qrs_w = 0.030 if (labels["RBBB"] or labels["LBBB"]) else 0.012
    st = 0.15 if labels["ST"] else 0.0
    d = t[None, :] - beats[:, None]  # time since each beat's QRS
    p = 0.0 if labels["AF"] else 0.12 * np.exp(-0.5 * ((d + pr) / 0.025) ** 2).sum(0)
    qrs = 1.2 * np.exp(-0.5 * (d / qrs_w) ** 2).sum(0)
    if labels["LBBB"]:  # notched, inverted-tail QRS distinguishes LBBB from RBBB
        qrs -= 0.5 * np.exp(-0.5 * ((d - 2.5 * qrs_w) / qrs_w) ** 2).sum(0)
    tw = 0.3 * np.exp(-0.5 * ((d - 0.3) / 0.05) ** 2).sum(0)
    stseg = st * ((d > 0.05) & (d < 0.25)).sum(0)
    waves = np.stack([p + tw, qrs, stseg])  # (3, n)
    x = lead_gain @ waves
    x += 0.03 * rng.standard_normal(x.shape)  # noise
    x += 0.1 * np.sin(2 * np.pi * rng.uniform(0.1, 0.4) * t + rng.uniform(0, 6.3))  # wander
    if labels["AF"]:
        x += 0.05 * np.sin(2 * np.pi * rng.uniform(4, 7) * t)  # fibrillatory waves
    return x.astype(np.float32)


def make_code15_like(path: str | Path, n_exams: int, n_parts: int = 2, seed: int = 0) -> Path:
    """Write a synthetic data set in the exact CODE-15% on-disk schema.

    Creates ``exams.csv`` and ``exams_part{i}.hdf5`` (``i`` in
    ``0..n_parts-1``) in ``path``. Each HDF5 part holds ``tracings`` float32
    ``(N, 4096, 12)`` at 400 Hz, with 7 s (2800) or 10 s (4000) recordings
    centred and zero-padded, and ``exam_id`` int64 ``(N,)``. Labels are random
    but shape the signal (see :func:`synthetic_ecg`), so they are learnable.
    Parts are written a few exams at a time, so memory stays small for any
    ``n_exams``.

    Parameters
    ----------
    path : str or Path
        Output folder (created if needed).
    n_exams : int
        Number of exams, split as evenly as possible over the parts.
    n_parts : int, default=2
        Number of HDF5 parts.
    seed : int, default=0
        Random seed; equal seeds give identical files.

    Returns
    -------
    Path
        The output folder.

    Examples
    --------
    >>> import tempfile
    >>> from sktime_ecoscale.datasets import load_code15, make_code15_like
    >>> folder = make_code15_like(tempfile.mkdtemp(), n_exams=6, n_parts=2)
    >>> X, y = load_code15(folder)
    >>> X.shape, list(y.columns)
    ((6, 12, 4096), ['1dAVb', 'RBBB', 'LBBB', 'SB', 'AF', 'ST'])
    """
    import h5py

    if n_exams < 0 or n_parts < 1:
        raise ValueError(f"need n_exams >= 0 and n_parts >= 1, got {n_exams}, {n_parts}")
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    lead_gain = rng.uniform(-1.0, 1.0, size=(len(CODE15_LEADS), 3))
    lead_gain[:, 1] = np.abs(lead_gain[:, 1]) + 0.3  # keep QRS visible on every lead
    exam_ids = rng.choice(np.arange(1, 10 * n_exams + 10), size=n_exams, replace=False)
    rows = []
    for part, ids in enumerate(np.array_split(exam_ids, n_parts)):
        name = f"exams_part{part}.hdf5"
        with h5py.File(folder / name, "w") as f:
            f.create_dataset("exam_id", data=ids.astype(np.int64))
            tr = f.create_dataset("tracings", (len(ids), CODE15_LENGTH, 12), dtype="f4")
            for k, exam_id in enumerate(ids):
                labels = {c: bool(rng.random() < _PREVALENCE[c]) for c in CODE15_LABELS}
                seconds = 10 if rng.random() < 0.7 else 7
                x = synthetic_ecg(labels, int(seconds * CODE15_FS), CODE15_FS, rng, lead_gain)
                tr[k] = pad_or_crop(x, CODE15_LENGTH).T
                rows.append(
                    {
                        "exam_id": int(exam_id),
                        "age": int(rng.integers(18, 90)),
                        "is_male": bool(rng.random() < 0.45),
                        "nn_predicted_age": float(rng.uniform(18, 90)),
                        **labels,
                        "patient_id": int(rng.integers(1, 10**6)),
                        "death": np.nan,
                        "timey": np.nan,
                        "normal_ecg": not any(labels.values()),
                        "trace_file": name,
                    }
                )
    pd.DataFrame(rows, columns=_CSV_COLUMNS).to_csv(folder / "exams.csv", index=False)
    return folder


#: Where :func:`make_lead_bump_task` puts the evidence: lead 1, samples 100-140.
BUMP_LEAD, BUMP_WINDOW = 1, slice(100, 140)


def make_lead_bump_task(n_series: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A 3-lead task decided by one bump in one lead and time window: ground truth for explanations.

    Each record is 3 x 256 samples of Gaussian noise (standard deviation
    0.05). Class 1 (every other record) carries a bump (Gaussian, sigma 4
    samples, height 1) in lead 1 centred in samples 112-128, so within
    ``BUMP_WINDOW`` (100-140) to +-3 sigma. Every record, of either class,
    also carries one such bump at a random time in lead 0 and in lead 2:
    a model has to tell the leads apart, and an explanation that points at
    bumps without regard to the lead is caught. The share of an
    attribution's positive mass inside lead 1, samples 100-140, is what the
    project's faithfulness tests and ``benchmarks/bench_explain_faithfulness.py``
    measure; a map spread evenly puts 0.05 there.

    Parameters
    ----------
    n_series : int
        Records to draw (classes alternate 0, 1, 0, ...).
    seed : int, default 0
        Seed of the generator.

    Returns
    -------
    X : np.ndarray of shape (n_series, 3, 256), float32
    y : np.ndarray of shape (n_series,), int

    Examples
    --------
    >>> X, y = make_lead_bump_task(4, seed=0)
    >>> X.shape, y.tolist()
    ((4, 3, 256), [0, 1, 0, 1])
    >>> bool(X[1, BUMP_LEAD, BUMP_WINDOW].max() > 0.8 > X[0, BUMP_LEAD].max())
    True
    """
    rng = np.random.default_rng(seed)
    X = 0.05 * rng.normal(size=(n_series, 3, 256))
    y = np.arange(n_series) % 2
    t = np.arange(256)

    def bump(centre: float) -> np.ndarray:
        return np.exp(-0.5 * ((t - centre) / 4.0) ** 2)

    for i in range(n_series):
        if y[i] == 1:
            X[i, BUMP_LEAD] += bump(rng.uniform(112, 128))
        for lead in (0, 2):
            X[i, lead] += bump(rng.uniform(12, 244))
    return X.astype(np.float32), y
