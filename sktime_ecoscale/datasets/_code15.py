"""CODE-15% reader (Ribeiro et al., Nat Commun 2020): exams.csv + HDF5 parts."""

from __future__ import annotations

__all__ = ["load_code15", "CODE15_LABELS"]

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sktime_ecoscale.datasets._utils import read_csv, require_file, to_return_type

CODE15_LABELS = ["1dAVb", "RBBB", "LBBB", "SB", "AF", "ST"]
CODE15_LEADS = ["I", "II", "III", "AVR", "AVL", "AVF", "V1", "V2", "V3", "V4", "V5", "V6"]
CODE15_FS = 400
CODE15_LENGTH = 4096
_PART_RE = re.compile(r"^exams_part(\d+)\.hdf5$")
# What h5py raises on corrupt files varies with the damaged structure.
_H5_ERRORS = (OSError, RuntimeError, KeyError, TypeError, ValueError, IndexError, AttributeError)
_META_COLUMNS = ["exam_id", "patient_id", "age", "is_male", "normal_ecg", "trace_file"]


@dataclass
class Code15Part:
    """One HDF5 part: its file and the rows (ascending) selected in it."""

    file: Path
    rows: np.ndarray


def open_code15_part(file: Path):
    """Open a CODE-15% part read-only and check its schema.

    Returns
    -------
    h5py.File
        Caller closes it.

    Raises
    ------
    FileNotFoundError, ValueError
        Missing file; not HDF5 / corrupt; missing or misshapen datasets.
    """
    import h5py

    require_file(file, "CODE-15% HDF5 part")
    try:
        f = h5py.File(file, "r")
    except _H5_ERRORS as e:
        raise ValueError(f"{file}: not a readable HDF5 file ({e})") from None
    try:
        for name in ("tracings", "exam_id"):
            if name not in f or not isinstance(f[name], h5py.Dataset):
                raise ValueError(f"{file}: HDF5 dataset {name!r} missing (CODE-15% schema)")
        tr, ids = f["tracings"], f["exam_id"]
        if tr.ndim != 3 or tr.shape[2] != 12 or ids.ndim != 1 or ids.shape[0] != tr.shape[0]:
            raise ValueError(
                f"{file}: expected tracings (N, 4096, 12) and exam_id (N,), "
                f"got {tr.shape} and {ids.shape}"
            )
        if tr.dtype.kind != "f" or ids.dtype.kind not in "iu":
            raise ValueError(
                f"{file}: expected float tracings and integer exam_id, "
                f"got {tr.dtype} and {ids.dtype}"
            )
    except _H5_ERRORS as e:
        f.close()
        if isinstance(e, ValueError) and str(e).startswith(str(file)):
            raise
        raise ValueError(f"{file}: corrupt HDF5 file ({e})") from None
    return f


def h5_read(file: Path, what: str, fn):
    """Run ``fn()`` reading from ``file``; turn h5py errors into ValueError."""
    try:
        return fn()
    except _H5_ERRORS as e:
        raise ValueError(f"{file}: cannot read {what}, file corrupt or truncated ({e})") from None


def read_rows(dataset, rows: np.ndarray) -> np.ndarray:
    """Read ascending ``rows`` of an HDF5 dataset (h5py rejects empty selections)."""
    if len(rows) == 0:
        return np.empty((0,) + dataset.shape[1:], dtype=dataset.dtype)
    return dataset[rows]


def code15_index(
    path: str | Path,
    parts: Iterable[int] | None = None,
    exam_ids: Iterable[int] | None = None,
) -> tuple[list[Code15Part], pd.DataFrame]:
    """Select exams and locate them in the HDF5 parts, without reading tracings.

    Shared by :func:`load_code15` and :class:`Code15Dataset`. Exams come in
    part order, then in file order.

    Returns
    -------
    parts : list of Code15Part
    table : pd.DataFrame
        Rows of ``exams.csv`` aligned with the exams, in the same order.
    """
    folder = Path(path)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: CODE-15% folder not found")
    csv = folder / "exams.csv"
    table = read_csv(csv, "CODE-15% exam table", ["exam_id", "trace_file", *CODE15_LABELS])
    if parts is None:
        found = [(int(m.group(1)), p) for p in folder.iterdir() if (m := _PART_RE.match(p.name))]
        files = [p for _, p in sorted(found)]
        if not files:
            raise FileNotFoundError(f"{folder}: no exams_part*.hdf5 files found")
    else:
        files = [folder / f"exams_part{int(i)}.hdf5" for i in parts]
    wanted = None if exam_ids is None else set(int(e) for e in exam_ids)
    out_parts, frames = [], []
    for file in files:
        with open_code15_part(file) as f:
            ids = h5_read(file, "exam_id", lambda: f["exam_id"][:])
        rows_csv = table[table["trace_file"] == file.name]
        if wanted is not None:
            rows_csv = rows_csv[rows_csv["exam_id"].isin(wanted)]
        pos = pd.Series(np.arange(len(ids)), index=ids)
        pos = pos[~pos.index.duplicated()]
        missing = ~rows_csv["exam_id"].isin(pos.index)
        if missing.any():
            raise ValueError(
                f"{file}: exam_id(s) {rows_csv['exam_id'][missing].tolist()[:5]} listed "
                f"in {csv.name} are not in this file"
            )
        rows = pos[rows_csv["exam_id"]].to_numpy()
        order = np.argsort(rows, kind="stable")
        out_parts.append(Code15Part(file, rows[order]))
        frames.append(rows_csv.iloc[order])
    table = pd.concat(frames, ignore_index=True) if frames else table.iloc[:0]
    if wanted is not None:
        lost = wanted - set(table["exam_id"])
        if lost:
            raise ValueError(
                f"{folder}: exam_id(s) {sorted(lost)[:5]} not found in exams.csv "
                "or in the selected parts"
            )
    return out_parts, table


def code15_labels(table: pd.DataFrame) -> pd.DataFrame:
    """0/1 label DataFrame (columns ``CODE15_LABELS``) from the exam table."""
    return table[CODE15_LABELS].astype(bool).astype(np.int64).reset_index(drop=True)


def trim_zero_padding(x: np.ndarray) -> np.ndarray:
    """Drop leading and trailing samples where all leads are exactly zero.

    Parameters
    ----------
    x : np.ndarray of shape (n_channels, n_timepoints)

    Returns
    -------
    np.ndarray, a view of ``x``; an all-zero series is returned unchanged.
    """
    nz = np.flatnonzero(np.any(x != 0, axis=0))
    return x[:, nz[0] : nz[-1] + 1] if len(nz) else x


def load_code15(
    path: str | Path,
    parts: Iterable[int] | None = None,
    exam_ids: Iterable[int] | None = None,
    remove_padding: bool | str = False,
    return_metadata: bool = False,
    return_type: str | None = None,
):
    """Load CODE-15% exams (12 leads, 400 Hz) and their six labels into memory.

    Reads ``exams.csv`` and the ``exams_part{i}.hdf5`` parts (``tracings``
    float32 ``(N, 4096, 12)``, ``exam_id`` ``(N,)``). The full set is about
    68 GB: select ``parts`` or ``exam_ids``, or stream it with
    :class:`Code15Dataset`.

    Parameters
    ----------
    path : str or Path
        Folder with ``exams.csv`` and the HDF5 parts.
    parts : iterable of int, optional
        Part numbers to read. Default: every ``exams_part*.hdf5`` present;
        exams of absent parts are skipped.
    exam_ids : iterable of int, optional
        Exams to keep. Unknown ids raise ValueError.
    remove_padding : bool or "trim", default=False
        ``True`` / ``"trim"`` strips each exam's centred zero padding,
        giving 2800 (7 s) or 4000 (10 s) samples; X is then a list.
    return_metadata : bool, default=False
        Also return exam_id, patient_id, age, is_male, normal_ecg, trace_file.
    return_type : str, optional
        ``"numpy3D"`` (default without trimming), ``"list"`` (default with
        trimming), ``"nested_univ"``, ``"pd-multiindex"`` or ``"df-list"``.

    Returns
    -------
    X : np.ndarray (n, 12, 4096) float32 in mV, or the requested container.
    y : pd.DataFrame
        0/1 columns 1dAVb, RBBB, LBBB, SB, AF, ST.
    metadata : pd.DataFrame
        Only if ``return_metadata``.

    Raises
    ------
    FileNotFoundError
        Missing folder, ``exams.csv`` or requested part.
    ValueError
        Missing columns or HDF5 datasets, unknown exam ids, corrupt files.

    Examples
    --------
    >>> import tempfile
    >>> from sktime_ecoscale.datasets import load_code15, make_code15_like
    >>> folder = make_code15_like(tempfile.mkdtemp(), n_exams=10, n_parts=2)
    >>> X, y = load_code15(folder, parts=[1], remove_padding=True)
    >>> len(X), sorted({x.shape[1] for x in X}) <= [2800, 4000]
    (5, True)
    """
    if remove_padding not in (False, True, "trim"):
        raise ValueError(f"remove_padding must be False, True or 'trim', got {remove_padding!r}")
    index, table = code15_index(path, parts, exam_ids)
    chunks = []
    for part in index:
        with open_code15_part(part.file) as f:
            data = h5_read(
                part.file, "tracings", lambda f=f, rows=part.rows: read_rows(f["tracings"], rows)
            )
        chunks.append(np.ascontiguousarray(data.transpose(0, 2, 1), dtype=np.float32))
    X = np.concatenate(chunks) if chunks else np.empty((0, 12, CODE15_LENGTH), np.float32)
    if remove_padding:
        X = [trim_zero_padding(x) for x in X]
    X = to_return_type(X, return_type or ("list" if remove_padding else "numpy3D"))
    y = code15_labels(table)
    if not return_metadata:
        return X, y
    meta_cols = [c for c in _META_COLUMNS + ["death", "timey"] if c in table]
    return X, y, table[meta_cols].reset_index(drop=True)
