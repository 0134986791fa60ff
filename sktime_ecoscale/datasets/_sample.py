"""The real ECGs shipped inside the package, as sktime ships its data sets.

A clone or a ``pip install`` has no PhysioNet download beside it, so the package
carries a compact sample: the 500 PTB-XL 1.0.3 records at 100 Hz (ecg_id 1-500,
CC BY 4.0, Wagner et al., Sci Data 2020) as LZMA-compressed int16 ADC samples
with the tables the labels need (about 5 MB), and four small UCR/UEA ECG sets as
gzipped ``.ts`` files. ``scripts/build_data_sample.py`` builds them from the
original files and checks that :func:`load_ptbxl_sample` returns exactly what
:func:`~sktime_ecoscale.datasets.load_ptbxl` reads from those files.
"""

from __future__ import annotations

__all__ = ["BUNDLED_TS", "SAMPLE_DIR", "bundled_ts_path", "load_ptbxl_sample"]

import functools
import io
import lzma
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from sktime_ecoscale.datasets._ptbxl import ptbxl_metadata, read_ptbxl_tables, select_ptbxl
from sktime_ecoscale.datasets._utils import to_return_type

#: Folder of the bundled files (package data).
SAMPLE_DIR = Path(__file__).with_name("data")
#: UCR/UEA ECG sets shipped as ``ucr/NAME/NAME_{TRAIN,TEST}.ts.gz``.
BUNDLED_TS = ("ECG200", "TwoLeadECG", "AtrialFibrillation", "StandWalkJump")
#: Columns of ``ptbxl_database.csv`` kept in the sample (what the readers use).
PTBXL_COLUMNS = [
    "ecg_id",
    "patient_id",
    "age",
    "sex",
    "scp_codes",
    "baseline_drift",
    "static_noise",
    "burst_noise",
    "electrodes_problems",
    "strat_fold",
    "filename_lr",
    "filename_hr",
]


@functools.lru_cache(maxsize=1)
def _signals() -> tuple[np.ndarray, dict[int, int]]:
    """All 500 records in mV (float32), decoded once per process, and ecg_id -> row."""
    path = SAMPLE_DIR / "ptbxl100.npz.xz"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: bundled PTB-XL sample not found (broken install?)")
    # allow_pickle=False: the file holds plain arrays only, nothing to execute
    with np.load(io.BytesIO(lzma.decompress(path.read_bytes())), allow_pickle=False) as f:
        digital = np.cumsum(f["diff"], axis=-1, dtype=np.int16)
        # the same arithmetic as read_record: (ADC - baseline) * (unit scale / gain)
        mv = (digital.astype(np.float64) - f["baseline"][..., None]) * f["factor"][..., None]
        rows = {int(e): i for i, e in enumerate(f["ecg_id"])}
    mv = mv.astype(np.float32)
    mv.flags.writeable = False  # shared by every call: callers get copies
    return mv, rows


def load_ptbxl_sample(
    target: str = "superclass",
    folds: Iterable[int] | None = None,
    min_likelihood: float = 0.0,
    return_metadata: bool = False,
    return_type: str = "numpy3D",
):
    """Load the bundled PTB-XL sample: 500 real 12-lead ECGs at 100 Hz, no download.

    The records are PTB-XL 1.0.3's ecg_id 1-500 (Wagner et al., *PTB-XL, a
    large publicly available electrocardiography dataset*, Sci Data 2020;
    CC BY 4.0, licence text in the package's ``datasets/data`` folder). The
    result is exactly what :func:`~sktime_ecoscale.datasets.load_ptbxl`
    returns for the same records read from PhysioNet's files at
    ``sampling_rate=100``.

    Parameters
    ----------
    target, folds, min_likelihood, return_metadata, return_type
        As in :func:`~sktime_ecoscale.datasets.load_ptbxl`.

    Returns
    -------
    X : np.ndarray of shape (n, 12, 1000), float32 in mV (or the requested container)
    y : pd.DataFrame or np.ndarray
        Labels as described under ``target`` of ``load_ptbxl``.
    metadata : pd.DataFrame
        Only if ``return_metadata``.

    Examples
    --------
    >>> from sktime_ecoscale.datasets import load_ptbxl_sample
    >>> X, y, meta = load_ptbxl_sample(target="norm", return_metadata=True)
    >>> X.shape, X.dtype
    ((500, 12, 1000), dtype('float32'))
    >>> sorted(set(y)), int((y == "NORM").sum())
    (['NORM', 'other'], 297)
    >>> int((meta["strat_fold"] >= 9).sum())  # the test folds 9 and 10
    147
    """
    db, scp = read_ptbxl_tables(
        SAMPLE_DIR / "ptbxl_database.csv.gz", SAMPLE_DIR / "scp_statements.csv.gz"
    )
    db, y = select_ptbxl(db, scp, target, folds, min_likelihood, "bundled ptbxl_database.csv")
    signals, rows = _signals()
    X = signals[[rows[int(e)] for e in db.index]]  # fancy indexing: a writeable copy
    X = to_return_type(X, return_type)
    if isinstance(y, pd.DataFrame):
        y = y.reset_index(drop=True)
    return (X, y, ptbxl_metadata(db)) if return_metadata else (X, y)


def bundled_ts_path(name: str, split: str) -> Path | None:
    """Path of a bundled ``NAME_SPLIT.ts.gz``, or None for a set that is not bundled."""
    if name not in BUNDLED_TS:
        return None
    return SAMPLE_DIR / "ucr" / name / f"{name}_{split.upper()}.ts.gz"
