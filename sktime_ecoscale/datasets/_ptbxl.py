"""PTB-XL reader (Wagner et al., Sci Data 2020), original PhysioNet layout."""

from __future__ import annotations

__all__ = ["load_ptbxl", "PTBXL_SUPERCLASSES", "PTBXL_TARGETS"]

import ast
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from sktime_ecoscale.datasets._utils import multi_hot, read_csv, to_return_type
from sktime_ecoscale.datasets._wfdb import read_record

PTBXL_SUPERCLASSES = ["NORM", "MI", "STTC", "CD", "HYP"]
PTBXL_TARGETS = ("superclass", "subclass", "diagnostic", "form", "rhythm", "scp", "norm")
NOISE_COLUMNS = ["baseline_drift", "static_noise", "burst_noise", "electrodes_problems"]
_DB_COLUMNS = ["patient_id", "scp_codes", "strat_fold", "filename_lr", "filename_hr"]


def _parse_scp(text: str, path: Path, ecg_id) -> dict[str, float]:
    try:
        codes = ast.literal_eval(text)
        if not isinstance(codes, dict):
            raise ValueError
        return {str(k): float(v) for k, v in codes.items()}
    except (ValueError, SyntaxError, TypeError):
        raise ValueError(
            f"{path}: scp_codes of ecg_id {ecg_id} is not a dict literal: {text!r}"
        ) from None


def read_ptbxl_tables(db_path: Path, scp_path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read ``ptbxl_database.csv`` and ``scp_statements.csv`` (plain or compressed)."""
    db = read_csv(db_path, "PTB-XL database", ["ecg_id", *_DB_COLUMNS], index_col="ecg_id")
    scp = read_csv(
        scp_path,
        "PTB-XL statements",
        ["diagnostic", "form", "rhythm", "diagnostic_class", "diagnostic_subclass"],
        index_col=0,
    )
    return db, scp


def select_ptbxl(
    db: pd.DataFrame,
    scp: pd.DataFrame,
    target: str = "superclass",
    folds: Iterable[int] | None = None,
    min_likelihood: float = 0.0,
    db_path: Path | str = "ptbxl_database.csv",
) -> tuple[pd.DataFrame, pd.DataFrame | np.ndarray]:
    """Select the rows of the PTB-XL tables and build the labels of ``target``.

    The one labelling rule, shared by :func:`load_ptbxl`, :class:`PTBXLDataset`
    and the bundled sample (:func:`load_ptbxl_sample`), so all three agree.
    ``db_path`` only names the table in error messages.
    """
    if target not in PTBXL_TARGETS:
        raise ValueError(f"target must be one of {PTBXL_TARGETS}, got {target!r}")
    if folds is not None:
        folds = {int(f) for f in folds}
        db = db[db["strat_fold"].isin(folds)]
    codes = [_parse_scp(t, db_path, i) for i, t in zip(db.index, db["scp_codes"])]
    diagnostic = scp.index[scp["diagnostic"] == 1]
    diag_set = set(diagnostic)

    # Strodthoff et al. (2020) keep every statement regardless of likelihood
    # (PTB-XL gives NORM likelihood 0 in some records); min_likelihood=0 does that.
    def keep(c: dict[str, float]) -> list[str]:
        return [k for k, v in c.items() if k not in diag_set or v >= min_likelihood]

    kept = [keep(c) for c in codes]
    if target in ("superclass", "subclass", "norm"):
        col = "diagnostic_subclass" if target == "subclass" else "diagnostic_class"
        mapping = scp.loc[diagnostic, col].dropna()
        classes = sorted(mapping.unique()) if target == "subclass" else PTBXL_SUPERCLASSES
        sets = [{mapping[k] for k in c if k in mapping.index} for c in kept]
        y = multi_hot(sets, classes, index=db.index)
        if target == "norm":
            y = np.where(y["NORM"].to_numpy() == 1, "NORM", "other").astype(object)
    else:
        allowed = list(scp.index if target == "scp" else scp.index[scp[target] == 1])
        y = multi_hot(kept, allowed, index=db.index)
    return db, y


def ptbxl_index(
    path: str | Path,
    sampling_rate: int = 100,
    target: str = "superclass",
    folds: Iterable[int] | None = None,
    min_likelihood: float = 0.0,
) -> tuple[pd.DataFrame, pd.DataFrame | np.ndarray, list[Path]]:
    """Read the PTB-XL tables: selected rows, labels and record paths, no signals.

    Shared by :func:`load_ptbxl` and :class:`PTBXLDataset`, so both agree.

    Returns
    -------
    db : pd.DataFrame
        Selected rows of ``ptbxl_database.csv``, indexed by ``ecg_id``.
    y : pd.DataFrame or np.ndarray
        Labels, see :func:`load_ptbxl`.
    records : list of Path
        Header path of each selected record.
    """
    root = Path(path)
    if sampling_rate not in (100, 500):
        raise ValueError(f"sampling_rate must be 100 or 500, got {sampling_rate!r}")
    if target not in PTBXL_TARGETS:
        raise ValueError(f"target must be one of {PTBXL_TARGETS}, got {target!r}")
    db_path = root / "ptbxl_database.csv"
    db, scp = read_ptbxl_tables(db_path, root / "scp_statements.csv")
    db, y = select_ptbxl(db, scp, target, folds, min_likelihood, db_path)
    fname = "filename_lr" if sampling_rate == 100 else "filename_hr"
    records = [root / f"{f}.hea" for f in db[fname]]
    return db, y, records


def ptbxl_metadata(db: pd.DataFrame) -> pd.DataFrame:
    meta = pd.DataFrame(index=db.index)
    meta["ecg_id"] = db.index.to_numpy()
    for col in ["patient_id", "strat_fold", "age", "sex"]:
        meta[col] = db[col] if col in db else np.nan
    for col in NOISE_COLUMNS:
        # The noise columns hold free text naming the leads; presence is the flag.
        meta[col] = db[col].notna().to_numpy() if col in db else False
    return meta.reset_index(drop=True)


def load_ptbxl(
    path: str | Path,
    sampling_rate: int = 100,
    target: str = "superclass",
    folds: Iterable[int] | None = None,
    min_likelihood: float = 0.0,
    return_metadata: bool = False,
    return_type: str = "numpy3D",
):
    """Load PTB-XL 12-lead ECGs and labels from the original PhysioNet layout.

    Parameters
    ----------
    path : str or Path
        Folder holding ``ptbxl_database.csv``, ``scp_statements.csv`` and
        ``records100/`` / ``records500/``.
    sampling_rate : {100, 500}, default=100
        100 reads ``records100`` (1000 samples), 500 reads ``records500`` (5000).
    target : str, default="superclass"
        * ``"superclass"``: 0/1 DataFrame with columns NORM, MI, STTC, CD, HYP
          (``diagnostic_class`` of the diagnostic statements; multi-label).
        * ``"subclass"``: 0/1 DataFrame of the 23 diagnostic subclasses.
        * ``"norm"``: 1-D object array of ``"NORM"`` (NORM superclass present)
          or ``"other"``.
        * ``"diagnostic"``, ``"form"``, ``"rhythm"``: 0/1 DataFrame of the
          statements of that kind; ``"scp"``: of all 71 SCP statements.
    folds : iterable of int, optional
        ``strat_fold`` values to keep (1..10; 9 and 10 are the recommended
        validation and test folds). Default: all.
    min_likelihood : float, default=0.0
        Diagnostic statements with a likelihood below this are dropped. The
        default keeps all, as in the Strodthoff et al. (2020) benchmark.
    return_metadata : bool, default=False
        Also return a DataFrame with ecg_id, patient_id, strat_fold, age, sex
        and the boolean noise flags baseline_drift, static_noise, burst_noise,
        electrodes_problems.
    return_type : {"numpy3D", "nested_univ", "pd-multiindex", "df-list", "list"}
        Container of X.

    Returns
    -------
    X : np.ndarray of shape (n, 12, 1000 or 5000), float32 in mV (or the
        requested container); leads I, II, III, AVR, AVL, AVF, V1..V6.
    y : pd.DataFrame or np.ndarray
        Labels as described under ``target``, rows aligned with X.
    metadata : pd.DataFrame
        Only if ``return_metadata``.

    Raises
    ------
    FileNotFoundError
        If a table or record file is missing.
    ValueError
        For bad arguments, missing columns, or corrupt or truncated records.

    Examples
    --------
    The test fold of a PTB-XL folder (here the 500-record subset shared beside
    the repository, not shipped with the package):

    >>> from sktime_ecoscale.datasets import load_ptbxl
    >>> X, y = load_ptbxl("../shared/data/ptbxl", folds=[10])
    >>> X.shape, X.dtype, list(y.columns)
    ((66, 12, 1000), dtype('float32'), ['NORM', 'MI', 'STTC', 'CD', 'HYP'])
    >>> y.sum().tolist()  # records per superclass
    [36, 8, 16, 11, 7]
    >>> X[0, :2, :4].round(3)  # leads I and II of the first record, in mV
    array([[-0.145, -0.115, -0.064, -0.093],
           [-0.097, -0.083, -0.06 , -0.101]], dtype=float32)
    """
    db, y, records = ptbxl_index(path, sampling_rate, target, folds, min_likelihood)
    X = to_return_type([read_record(r)[0] for r in records], return_type)
    if isinstance(y, pd.DataFrame):
        y = y.reset_index(drop=True)
    return (X, y, ptbxl_metadata(db)) if return_metadata else (X, y)
