"""Out-of-core ECG data sets for training on data that do not fit in memory.

The data set protocol
---------------------
Every data set here is a :class:`torch.utils.data.Dataset` and the training
code relies on exactly this contract:

* ``len(ds)``: number of items.
* ``ds[i] -> (x, y)``: ``x`` is ``np.ndarray`` float32 of shape
  ``(n_channels, seq_len)`` in mV, each record padded or cropped, centred, to
  ``seq_len`` (one rule: :func:`pad_or_crop`); ``y`` is a float32 0/1 vector of
  length ``len(classes)`` if ``multilabel``, else an int64 class index into
  ``classes``.
* Attributes ``n_channels: int``, ``seq_len: int``, ``classes: list[str]``,
  ``multilabel: bool`` (``fs: float | None`` where known).
* ``ds.labels()``: the label array of all items (``(n, n_classes)`` float32
  or ``(n,)`` int64), read from the tables only, without reading signals.
* ``ds.shard(rank, world_size)``: a view holding every ``world_size``-th
  item starting at ``rank``; the shards of ``0..world_size-1`` partition the
  data set, for distributed training.

Items are read on demand; files are opened lazily in each process (HDF5
handles are never pickled to DataLoader workers), so memory does not grow
with the size of the data set.
"""

from __future__ import annotations

__all__ = [
    "ECGDataset",
    "ArrayDataset",
    "Code15Dataset",
    "WFDBFolderDataset",
    "PTBXLDataset",
    "ChallengeDataset",
]

import copy
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from torch.utils.data import Dataset

from sktime_ecoscale.datasets._challenge import challenge_index
from sktime_ecoscale.datasets._code15 import (
    CODE15_LABELS,
    CODE15_LENGTH,
    code15_index,
    code15_labels,
    h5_read,
    open_code15_part,
)
from sktime_ecoscale.datasets._ptbxl import ptbxl_index
from sktime_ecoscale.datasets._wfdb import read_header, read_record
from sktime_ecoscale.utils._signal import pad_or_crop


def _encode_labels(y) -> tuple[np.ndarray, list[str], bool]:
    """Turn a 0/1 DataFrame or a 1-D label array into (array, classes, multilabel)."""
    if isinstance(y, pd.DataFrame):
        return y.to_numpy(dtype=np.float32), [str(c) for c in y.columns], True
    classes, codes = np.unique(np.asarray(y).astype(str), return_inverse=True)
    return codes.astype(np.int64), [str(c) for c in classes], False


class ECGDataset(Dataset):
    """Base class implementing the protocol in the module docstring.

    Subclasses set the attributes in ``__init__`` (through
    ``_init_protocol``) and implement ``_read(j)`` returning the raw
    ``(n_channels, n_timepoints)`` float32 signal of record ``j``.

    Attributes
    ----------
    n_channels : int
        Leads per item.
    seq_len : int
        Length every item is padded or cropped to (centred).
    classes : list of str
        Class names (single label) or label columns (multi-label).
    multilabel : bool
        Whether ``y`` is a 0/1 vector per item instead of a class index.
    fs : float or None
        Sampling frequency in Hz, where known.

    Examples
    --------
    A data set of ramps, computed on demand:

    >>> import numpy as np
    >>> from sktime_ecoscale.datasets import ECGDataset
    >>> class Ramps(ECGDataset):
    ...     def __init__(self, n):
    ...         self._init_protocol(np.array(["up", "down"] * (n // 2)), n_channels=2, seq_len=6)
    ...     def _read(self, j):
    ...         return np.tile(np.linspace(0, 1, 4) * (1 if j % 2 == 0 else -1), (2, 1))
    >>> ds = Ramps(4)
    >>> x, y = ds[1]
    >>> x.shape, ds.classes[y], ds.labels().tolist()
    ((2, 6), 'down', [1, 0, 1, 0])
    >>> len(ds.shard(rank=0, world_size=2))
    2
    """

    n_channels: int
    seq_len: int
    classes: list[str]
    multilabel: bool
    fs: float | None = None

    def _init_protocol(self, y, n_channels: int, seq_len: int, fs=None) -> None:
        self._y, self.classes, self.multilabel = _encode_labels(y)
        self._indices = np.arange(len(self._y))
        self.n_channels, self.seq_len, self.fs = int(n_channels), int(seq_len), fs

    def _read(self, j: int) -> np.ndarray:
        raise NotImplementedError

    def __len__(self) -> int:
        return len(self._indices)

    def __getitem__(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        j = int(self._indices[i])
        x = pad_or_crop(np.asarray(self._read(j), dtype=np.float32), self.seq_len)
        return np.ascontiguousarray(x), self._y[j]

    def labels(self) -> np.ndarray:
        """Return the labels of all items without reading any signal."""
        return self._y[self._indices]

    def shard(self, rank: int, world_size: int) -> ECGDataset:
        """Return a view on items ``rank, rank + world_size, ...``."""
        if not 0 <= rank < world_size:
            raise ValueError(f"need 0 <= rank < world_size, got {rank}, {world_size}")
        view = copy.copy(self)
        view._indices = self._indices[rank::world_size]
        return view

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(n={len(self)}, n_channels={self.n_channels}, "
            f"seq_len={self.seq_len}, classes={self.classes}, multilabel={self.multilabel})"
        )


class ArrayDataset(ECGDataset):
    """In-memory data set over a numpy3D array (or list of 2-D arrays).

    Parameters
    ----------
    X : np.ndarray (n, c, t) or list of np.ndarray (c, t_i)
        The series, raw (standardising happens in the estimators).
    y : 1-D array of class labels, or 0/1 DataFrame for multi-label
        One label (row) per series.
    seq_len : int, optional
        Default: the longest series.
    fs : float, optional
        Sampling frequency in Hz, if known.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale.datasets import ArrayDataset
    >>> X = [np.ones((3, 50), dtype="float32"), np.ones((3, 80), dtype="float32")]
    >>> ds = ArrayDataset(X, ["AF", "NORM"])
    >>> ds
    ArrayDataset(n=2, n_channels=3, seq_len=80, classes=['AF', 'NORM'], multilabel=False)
    >>> x, y = ds[0]  # zero-padded, centred, to seq_len
    >>> x.shape, int(y), float(x[0, 0]), float(x[0, 40])
    ((3, 80), 0, 0.0, 1.0)
    """

    def __init__(self, X, y, seq_len: int | None = None, fs: float | None = None):
        self._X = X
        lengths = [np.shape(x)[-1] for x in X]
        n_channels = np.shape(X[0])[0] if len(X) else 0
        self._init_protocol(y, n_channels, seq_len or max(lengths, default=1), fs)

    def _read(self, j: int) -> np.ndarray:
        return self._X[j]


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
        Items are centred-cropped/padded to this length.

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
        self._init_protocol(code15_labels(table)[CODE15_LABELS], 12, seq_len, fs=400.0)
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

    def shard(self, rank: int, world_size: int) -> Code15Dataset:  # noqa: D102
        view = super().shard(rank, world_size)
        view._handles = {}  # a view opens its own files
        return view


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
    >>> x.tolist(), ds.classes[y], ds.fs
    ([[0.5, 0.0, -0.5], [1.0, 1.0, 1.0]], 'NORM', 500.0)
    """

    def __init__(
        self,
        records: Sequence[str | Path],
        y,
        seq_len: int | None = None,
        n_channels: int | None = None,
        fs: float | None = None,
    ):
        self._records = [Path(r) for r in records]
        if len(self._records) != len(y):
            raise ValueError(f"{len(self._records)} records but {len(y)} labels")
        if (seq_len is None or n_channels is None) and self._records:
            first = read_header(self._records[0])
            seq_len = seq_len or first.sig_len
            n_channels = n_channels or first.n_sig
            fs = fs or first.fs
        self._init_protocol(y, n_channels or 0, seq_len or 1, fs)

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
    >>> from pathlib import Path
    >>> from sktime_ecoscale.datasets import PTBXLDataset
    >>> path = Path("../shared/data/ptbxl")
    >>> if path.exists():  # the shared data are not shipped with the package
    ...     ds = PTBXLDataset(path, folds=[10])
    ...     print(len(ds), ds[0][0].shape, ds.classes)
    ... else:
    ...     print("66 (12, 1000) ['NORM', 'MI', 'STTC', 'CD', 'HYP']")
    66 (12, 1000) ['NORM', 'MI', 'STTC', 'CD', 'HYP']
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
    the longest record (shorter ones are zero-padded, centred).

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
    >>> from pathlib import Path
    >>> from sktime_ecoscale.datasets import ChallengeDataset
    >>> path = Path("../shared/data/cinc2021")
    >>> if path.exists():  # the shared data are not shipped with the package
    ...     ds = ChallengeDataset(path, records=["A0689", "A1041"])
    ...     print(len(ds), ds[0][0].shape, ds.classes)
    ... else:
    ...     print("2 (12, 8500) ['AF', 'LBBB']")
    2 (12, 8500) ['AF', 'LBBB']
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
        super().__init__([h.path for h in headers], y, seq_len, n_channels, fs)
