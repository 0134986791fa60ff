"""Out-of-core ECG data sets for training on data that do not fit in memory.

Each class reads its records on demand and follows the data set protocol of
:mod:`sktime_ecoscale.datasets._protocol` (items through the one input rule,
views through :class:`~sktime_ecoscale.datasets.DatasetView`). Files are
opened lazily in each process (HDF5 handles are never pickled to DataLoader
workers), so memory does not grow with the size of the data set.
"""

from __future__ import annotations

__all__ = [
    "ECGDataset",
    "ArrayDataset",
    "DatasetView",
    "Code15Dataset",
    "WFDBFolderDataset",
    "PTBXLDataset",
    "ChallengeDataset",
]

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from sktime_ecoscale.datasets._challenge import challenge_index
from sktime_ecoscale.datasets._code15 import (
    CODE15_LABELS,
    CODE15_LEADS,
    CODE15_LENGTH,
    code15_index,
    code15_labels,
    h5_read,
    open_code15_part,
)
from sktime_ecoscale.datasets._protocol import ArrayDataset, DatasetView, ECGDataset
from sktime_ecoscale.datasets._ptbxl import ptbxl_index
from sktime_ecoscale.datasets._wfdb import read_header, read_record


class Code15Dataset(ECGDataset):
    """CODE-15% exams read one at a time from the HDF5 parts.

    Only ``exams.csv`` and the ``exam_id`` vectors are read up front; each
    item reads one ``(4096, 12)`` slice. HDF5 files are opened on first use in
    each process. Items are in the order of :func:`load_code15`.

    Parameters
    ----------
    path : str or Path
        CODE-15% folder.
    parts, exam_ids
        As in :func:`load_code15`.
    seq_len : int, default=4096
        Items are padded (at the end) or cropped to this length.

    Examples
    --------
    >>> import tempfile
    >>> from sktime_ecoscale.datasets import Code15Dataset, make_code15_like
    >>> ds = Code15Dataset(make_code15_like(tempfile.mkdtemp(), n_exams=4))
    >>> x, y = ds[0]
    >>> x.shape, y.dtype.name, ds.classes
    ((12, 4096), 'float32', ['1dAVb', 'RBBB', 'LBBB', 'SB', 'AF', 'ST'])
    """

    def __init__(
        self,
        path: str | Path,
        parts: Iterable[int] | None = None,
        exam_ids: Iterable[int] | None = None,
        seq_len: int = CODE15_LENGTH,
    ):
        index, table = code15_index(path, parts, exam_ids)
        self._files = [p.file for p in index]
        self._file_idx = np.concatenate(
            [np.full(len(p.rows), k) for k, p in enumerate(index)] or [np.empty(0, int)]
        ).astype(np.int64)
        self._rows = np.concatenate([p.rows for p in index] or [np.empty(0, int)])
        self.exam_ids = table["exam_id"].to_numpy()
        self._init_protocol(
            code15_labels(table)[CODE15_LABELS], 12, seq_len, fs=400.0, leads=CODE15_LEADS
        )
        self._handles: dict = {}
        self._pid = os.getpid()

    def _handle(self, k: int):
        if self._pid != os.getpid():  # forked worker: never share HDF5 handles
            self._handles, self._pid = {}, os.getpid()
        if k not in self._handles:
            self._handles[k] = open_code15_part(self._files[k])
        return self._handles[k]

    def _read(self, j: int) -> np.ndarray:
        k, row = int(self._file_idx[j]), int(self._rows[j])
        f = self._handle(k)
        return h5_read(self._files[k], f"exam row {row}", lambda: f["tracings"][row]).T

    def close(self) -> None:
        """Close the HDF5 files opened by this process."""
        for f in self._handles.values():
            f.close()
        self._handles = {}

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_handles"] = {}
        return state


def _header_lead_names(names: list[str]) -> list[str] | None:
    """A header's signal descriptions as lead names, if each is a distinct standard lead.

    Other descriptions (``lead0``, ``ECG1``, empty, repeated) leave the data set
    unnamed, so its channels are taken by position, as before lead names.

    Examples
    --------
    >>> _header_lead_names(["II", "I", " AVR "]), _header_lead_names(["lead0", "lead1"])
    (['II', 'I', 'AVR'], None)
    >>> _header_lead_names(["I", "i"]), _header_lead_names(["I", ""])
    (None, None)
    """
    names = [n.strip() for n in names]
    standard = {n.lower() for n in CODE15_LEADS}  # the 12 standard leads, compared in any case
    if not all(n.lower() in standard for n in names):
        return None
    if len({n.lower() for n in names}) != len(names):
        return None
    return names


class WFDBFolderDataset(ECGDataset):
    """WFDB records (``.hea`` + ``.dat``/``.mat``) read on demand.

    Parameters
    ----------
    records : sequence of path
        Header files of the records.
    y : pd.DataFrame (0/1, multi-label) or 1-D array of class labels
        One row per record.
    seq_len : int, optional
        Default: the length of the first record.
    n_channels : int, optional
        Default: from the first record's header.
    fs : float, optional
        Sampling frequency in Hz. Default: from the first record's header.
    leads : list of str, optional
        Lead names. Default: the first record's signal descriptions, where
        each is a distinct standard lead name (I, II, III, aVR, aVL, aVF,
        V1-V6, any case); else unnamed (channels taken by position).

    Examples
    --------
    Two 2-lead records of 3 samples in WFDB format 16 (gain 1000 ADC/mV):

    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from sktime_ecoscale.datasets import WFDBFolderDataset
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name in ("r1", "r2"):
    ...     lines = [f"{name} 2 500 3"] + [f"{name}.dat 16 1000/mV 16 0 0 0 0 {lead}"
    ...                                    for lead in ("I", "II")]
    ...     _ = (folder / f"{name}.hea").write_text("\\n".join(lines) + "\\n")
    ...     np.array([[500, 0, -500], [1000, 1000, 1000]], "<i2").T.tofile(folder / f"{name}.dat")
    >>> ds = WFDBFolderDataset([folder / "r1.hea", folder / "r2.hea"], ["NORM", "AF"])
    >>> x, y = ds[0]
    >>> x.tolist(), ds.classes[y], ds.fs, ds.leads
    ([[0.5, 0.0, -0.5], [1.0, 1.0, 1.0]], 'NORM', 500.0, ['I', 'II'])
    """

    def __init__(
        self,
        records: Sequence[str | Path],
        y,
        seq_len: int | None = None,
        n_channels: int | None = None,
        fs: float | None = None,
        leads: list[str] | None = None,
    ):
        self._records = [Path(r) for r in records]
        if len(self._records) != len(y):
            raise ValueError(f"{len(self._records)} records but {len(y)} labels")
        shape_unknown = seq_len is None or n_channels is None
        first = read_header(self._records[0]) if self._records else None
        if first is not None and shape_unknown:
            seq_len = seq_len or first.sig_len
            n_channels = n_channels or first.n_sig
            fs = fs or first.fs
        if first is not None and leads is None and n_channels == first.n_sig:
            leads = _header_lead_names(first.sig_names)  # its standard lead names
        self._init_protocol(y, n_channels or 0, seq_len or 1, fs, leads=leads)

    def _read(self, j: int) -> np.ndarray:
        return read_record(self._records[j])[0]


class PTBXLDataset(WFDBFolderDataset):
    """PTB-XL records read on demand; arguments as in :func:`load_ptbxl`.

    ``target="norm"`` gives a single-label set with classes
    ``["NORM", "other"]``; the other targets are multi-label.

    Parameters
    ----------
    path : str or Path
        Folder holding ``ptbxl_database.csv``, ``scp_statements.csv`` and
        ``records100/`` / ``records500/``.
    sampling_rate : {100, 500}, default=100
        Which records to read.
    target : str, default="superclass"
        Label set, see :func:`load_ptbxl`.
    folds : iterable of int, optional
        ``strat_fold`` values to keep. Default: all.
    min_likelihood : float, default=0.0
        Diagnostic statements with a lower likelihood are dropped.
    seq_len : int, optional
        Default: 10 s at ``sampling_rate``.

    Attributes
    ----------
    ecg_ids : np.ndarray
        ``ecg_id`` of each record, in item order.

    Examples
    --------
    A PTB-XL folder in miniature (two 12-lead records of 3 samples, folds 1
    and 10), read through the same tables and WFDB files as the real one:

    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> import pandas as pd
    >>> from sktime_ecoscale.datasets import PTBXLDataset
    >>> root = Path(tempfile.mkdtemp())
    >>> (root / "records100").mkdir()
    >>> pd.DataFrame({"diagnostic": [1, 1], "form": 0, "rhythm": 0,
    ...               "diagnostic_class": ["NORM", "MI"], "diagnostic_subclass": ["NORM", "IMI"]},
    ...              index=["NORM", "IMI"]).to_csv(root / "scp_statements.csv")
    >>> pd.DataFrame({"ecg_id": [1, 2], "patient_id": [7, 8], "strat_fold": [1, 10],
    ...               "scp_codes": ["{'NORM': 100.0}", "{'IMI': 50.0}"],
    ...               "filename_lr": ["records100/r1", "records100/r2"],
    ...               "filename_hr": ["records500/r1", "records500/r2"]}
    ...              ).to_csv(root / "ptbxl_database.csv", index=False)
    >>> for k, name in enumerate(["r1", "r2"], start=1):
    ...     leads = [f"{name}.dat 16 1000/mV 16 0 0 0 0 lead{i}" for i in range(12)]
    ...     _ = (root / "records100" / f"{name}.hea").write_text(
    ...         "\\n".join([f"{name} 12 100 3", *leads]) + "\\n")
    ...     np.full((3, 12), 500 * k, "<i2").tofile(root / "records100" / f"{name}.dat")
    >>> ds = PTBXLDataset(root, folds=[10], seq_len=4)
    >>> len(ds), ds.ecg_ids.tolist(), ds.classes, ds.labels().tolist()
    (1, [2], ['NORM', 'MI', 'STTC', 'CD', 'HYP'], [[0.0, 1.0, 0.0, 0.0, 0.0]])
    >>> x, y = ds[0]                  # in mV, zero-padded at the end to seq_len
    >>> x.shape, x[0].tolist()
    ((12, 4), [1.0, 1.0, 1.0, 0.0])
    """

    def __init__(
        self,
        path: str | Path,
        sampling_rate: int = 100,
        target: str = "superclass",
        folds: Iterable[int] | None = None,
        min_likelihood: float = 0.0,
        seq_len: int | None = None,
    ):
        db, y, records = ptbxl_index(path, sampling_rate, target, folds, min_likelihood)
        self.ecg_ids = db.index.to_numpy()
        super().__init__(records, y, seq_len or 10 * sampling_rate, 12, float(sampling_rate))


class ChallengeDataset(WFDBFolderDataset):
    """PhysioNet/CinC Challenge records read on demand (multi-label).

    Arguments as in :func:`load_physionet_challenge`; ``seq_len`` defaults to
    the longest record (shorter ones are zero-padded at the end).

    Parameters
    ----------
    path : str or Path
        Folder with ``*.hea`` and ``*.mat`` files.
    records : sequence of str, optional
        Record names to read. Default: all.
    classes : sequence of str, optional
        Label columns, in order. Default: sorted union of the labels found.
    label_names : {"abbreviation", "dx", "code"}, default="abbreviation"
        Naming of the label columns.
    seq_len : int, optional
        Default: the longest record.

    Attributes
    ----------
    record_names : list of str
        Record name of each item, in item order.

    Examples
    --------
    Two 2-lead records of unequal length, labelled by SNOMED-CT codes in
    their headers (without a ``dx_mapping_*.csv`` in the folder, codes stay
    codes):

    >>> import tempfile
    >>> from pathlib import Path
    >>> import numpy as np
    >>> from sktime_ecoscale.datasets import ChallengeDataset
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name, n, dx in [("A01", 4, "164889003"), ("A02", 6, "164889003,426783006")]:
    ...     leads = [f"{name}.dat 16 1000/mV 16 0 0 0 0 {lead}" for lead in ("I", "II")]
    ...     _ = (folder / f"{name}.hea").write_text(
    ...         "\\n".join([f"{name} 2 500 {n}", *leads, f"#Dx: {dx}"]) + "\\n")
    ...     np.full((n, 2), 2000, "<i2").tofile(folder / f"{name}.dat")
    >>> ds = ChallengeDataset(folder)
    >>> ds.record_names, ds.classes, ds.seq_len, ds.labels().tolist()
    (['A01', 'A02'], ['164889003', '426783006'], 6, [[1.0, 0.0], [1.0, 1.0]])
    >>> ds[0][0].tolist()             # the shorter record, zero-padded at the end
    [[2.0, 2.0, 2.0, 2.0, 0.0, 0.0], [2.0, 2.0, 2.0, 2.0, 0.0, 0.0]]
    """

    def __init__(
        self,
        path: str | Path,
        records: Sequence[str] | None = None,
        classes: Sequence[str] | None = None,
        label_names: str = "abbreviation",
        seq_len: int | None = None,
    ):
        headers, y = challenge_index(path, records, classes, label_names)
        self.record_names = [h.record_name for h in headers]
        seq_len = seq_len or max((h.sig_len for h in headers), default=1)
        n_channels = headers[0].n_sig if headers else 12
        fs = headers[0].fs if headers else None
        leads = _header_lead_names(headers[0].sig_names) if headers else None
        super().__init__([h.path for h in headers], y, seq_len, n_channels, fs, leads)
