"""The data set protocol, its one view class, and the in-memory data set.

The data set protocol
---------------------
Every data set of :mod:`sktime_ecoscale.datasets` is a
:class:`torch.utils.data.Dataset` and the training code relies on exactly
this contract:

* ``len(ds)``: number of items.
* ``ds.raw(i)``: the raw signal of item ``i``, ``(n_channels, n_timepoints)``
  in its own units (mV for the ECG readers), neither scaled nor padded.
* ``ds[i] -> (x, y)``: ``x`` is ``ds.raw(i)`` through the input rule
  :func:`~sktime_ecoscale.utils.prepare_series`: scaled by ``ds.scaling``
  (``None``, raw units, unless the view was made with a fitted scaling), then
  zero-padded at the end or cropped to ``seq_len``; float32
  ``(n_channels, seq_len)``. ``y`` is a float32 0/1 vector of length
  ``len(classes)`` if ``multilabel``, else an int64 class index into
  ``classes``.
* Attributes ``n_channels: int``, ``seq_len: int``, ``classes: list[str]``,
  ``multilabel: bool`` (``fs: float | None`` where known).
* ``ds.labels()``: the label array of all items (``(n, n_classes)`` float32
  or ``(n,)`` int64), read from the tables only, without reading signals.
* ``ds.view(indices, scaling)``: a :class:`DatasetView` holding some items,
  optionally scaled; ``ds.shard(rank, world_size)`` is the view of every
  ``world_size``-th item starting at ``rank``.

Items are read on demand, so memory does not grow with the size of the data
set. The estimators' ``fit``, ``fit_dataset`` and ``predict`` and the command
line all feed their networks through :class:`DatasetView`: one class, one rule.
"""

from __future__ import annotations

__all__ = ["ECGDataset", "DatasetView", "ArrayDataset"]

import numpy as np
import pandas as pd
from torch.utils.data import Dataset

from sktime_ecoscale.utils._input import InputScaling, prepare_series
from sktime_ecoscale.utils._panel import check_lead_names


def _encode_labels(y, n: int) -> tuple[np.ndarray, list[str], bool]:
    """Turn a 0/1 DataFrame, a 1-D label array or ``None`` into (array, classes, multilabel)."""
    if y is None:  # unlabelled (prediction) data: every item carries 0
        return np.zeros(n, dtype=np.int64), [], False
    if isinstance(y, pd.DataFrame):
        return np.array(y, dtype=np.float32), [str(c) for c in y.columns], True
    classes, codes = np.unique(np.asarray(y).astype(str), return_inverse=True)
    return codes.astype(np.int64), [str(c) for c in classes], False


class ECGDataset(Dataset):
    """Base class implementing the protocol in the module docstring.

    Subclasses set the attributes in ``__init__`` (through
    ``_init_protocol``) and implement ``_read(j)`` returning the raw
    ``(n_channels, n_timepoints)`` signal of record ``j``.

    Attributes
    ----------
    n_channels : int
        Leads per item.
    seq_len : int
        Length every item is padded (at the end) or cropped to.
    classes : list of str
        Class names (single label) or label columns (multi-label).
    multilabel : bool
        Whether ``y`` is a 0/1 vector per item instead of a class index.
    fs : float or None
        Sampling frequency in Hz, where known.
    leads : list of str or None
        Lead names in channel order, where known (``fit_dataset`` records them
        as ``leads_``; ``ecoscale predict`` aligns a data set's leads by name).
    scaling : InputScaling or None
        Scaling applied to the items (``None``: raw units).

    Examples
    --------
    A data set of ramps, computed on demand:

    >>> import numpy as np
    >>> from sktime_ecoscale.datasets import ECGDataset
    >>> class Ramps(ECGDataset):
    ...     def __init__(self, n):
    ...         self._init_protocol(np.array(["up", "down"] * (n // 2)), n_channels=2, seq_len=6)
    ...     def _read(self, j):
    ...         return np.tile(np.arange(4.0) * (1 if j % 2 == 0 else -1), (2, 1))
    >>> ds = Ramps(4)
    >>> x, y = ds[1]                  # float32, zero-padded at the end to seq_len
    >>> x[0].tolist(), ds.classes[y], ds.labels().tolist()
    ([-0.0, -1.0, -2.0, -3.0, 0.0, 0.0], 'down', [1, 0, 1, 0])
    >>> ds.raw(1).shape, len(ds.shard(rank=0, world_size=2))
    ((2, 4), 2)
    """

    n_channels: int
    seq_len: int
    classes: list[str]
    multilabel: bool
    fs: float | None = None
    leads: list[str] | None = None
    scaling: InputScaling | None = None

    def _init_protocol(
        self, y, n_channels: int, seq_len: int, fs=None, n: int = 0, leads=None
    ) -> None:
        self._y, self.classes, self.multilabel = _encode_labels(y, n)
        self.n_channels, self.seq_len, self.fs = int(n_channels), int(seq_len), fs
        self.leads = check_lead_names(leads, self.n_channels, type(self).__name__)

    def _read(self, j: int) -> np.ndarray:
        raise NotImplementedError

    def _label(self, i: int):
        return self._y[i]

    def __len__(self) -> int:
        return len(self._y)

    def raw(self, i: int) -> np.ndarray:
        """Return the raw signal of item ``i``: neither scaled nor padded."""
        return self._read(int(i))

    def __getitem__(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        return prepare_series(self.raw(i), self.seq_len, self.scaling), self._label(int(i))

    def labels(self) -> np.ndarray:
        """Return the labels of all items without reading any signal."""
        return self._y

    def view(self, indices=None, scaling: InputScaling | None = None) -> DatasetView:
        """Return a view on items ``indices`` (default all), scaled by ``scaling`` if given."""
        return DatasetView(self, indices, scaling)

    def shard(self, rank: int, world_size: int) -> DatasetView:
        """Return a view on items ``rank, rank + world_size, ...``."""
        if not 0 <= rank < world_size:
            raise ValueError(f"need 0 <= rank < world_size, got {rank}, {world_size}")
        return self.view(np.arange(rank, len(self), world_size))

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(n={len(self)}, n_channels={self.n_channels}, "
            f"seq_len={self.seq_len}, classes={self.classes}, multilabel={self.multilabel})"
        )


class DatasetView(ECGDataset):
    """Some items of a protocol data set, optionally scaled: the one view class.

    Splits (training / validation), shards, the scaled inputs of ``fit``,
    ``fit_dataset`` and ``predict``, and the chunks of ``ecoscale predict`` are
    all views. A view reads its base's raw signals and applies the input rule
    itself, so the base's own padding never reaches the scaling.

    Parameters
    ----------
    base : protocol data set
        The data set viewed. One without ``raw`` is read through its items.
    indices : array-like of int, optional
        Items of ``base`` in the view, in order; default all.
    scaling : InputScaling, optional
        Fitted scaling of the items; default none (raw units).
    targets : np.ndarray, optional
        Targets of ``base``'s items (aligned with ``base``) replacing
        ``base.labels()``, e.g. the estimator's encoded targets.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale.datasets import ArrayDataset
    >>> from sktime_ecoscale.utils import InputScaling
    >>> ds = ArrayDataset([np.full((1, 2), 3.0), np.full((1, 4), 5.0), np.ones((1, 3))], ["a", "b", "a"])
    >>> view = ds.view([2, 0], scaling=InputScaling("channel", mean=(1.0,), std=(2.0,)))
    >>> view.indices.tolist(), view.labels().tolist(), view[1][0].tolist()
    ([2, 0], [0, 0], [[1.0, 1.0, 0.0, 0.0]])
    >>> view.view([1]).indices.tolist()     # a view of a view is a view of the base
    [0]
    """

    def __init__(self, base, indices=None, scaling: InputScaling | None = None, targets=None):
        self.base = base
        self.indices = np.arange(len(base)) if indices is None else np.asarray(indices, np.int64)
        self.scaling = scaling
        labels = base.labels() if targets is None else targets
        self._y = np.require(labels, requirements="W")  # torch warns on read-only arrays
        self.n_channels, self.seq_len = int(base.n_channels), int(base.seq_len)
        self.classes, self.multilabel = list(base.classes), bool(base.multilabel)
        self.fs = getattr(base, "fs", None)
        self.leads = getattr(base, "leads", None)

    def __len__(self) -> int:
        return len(self.indices)

    def raw(self, i: int) -> np.ndarray:
        """Return the raw signal of item ``i`` of the view (item ``indices[i]`` of the base)."""
        j = int(self.indices[i])
        read = getattr(self.base, "raw", None)
        return read(j) if read is not None else self.base[j][0]

    def _label(self, i: int):
        return self._y[self.indices[i]]

    def labels(self) -> np.ndarray:
        """Return the labels of the view's items without reading any signal."""
        return self._y[self.indices]

    def view(self, indices=None, scaling: InputScaling | None = None) -> DatasetView:
        """Return a view on items ``indices`` of this view; ``scaling`` replaces its scaling."""
        indices = self.indices if indices is None else self.indices[np.asarray(indices, np.int64)]
        scaling = self.scaling if scaling is None else scaling
        return DatasetView(self.base, indices, scaling, targets=self._y)


class ArrayDataset(ECGDataset):
    """In-memory data set over a numpy3D array (or list of 2-D arrays).

    Parameters
    ----------
    X : np.ndarray (n, c, t) or list of np.ndarray (c, t_i)
        The series, raw (scaling happens in the estimators).
    y : 1-D array of class labels, 0/1 DataFrame for multi-label, or None
        One label (row) per series; ``None`` for unlabelled series (items
        then carry 0, ``classes`` is empty).
    seq_len : int, optional
        Default: the longest series.
    fs : float, optional
        Sampling frequency in Hz, if known.
    leads : list of str, optional
        Lead names in channel order, if known.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale.datasets import ArrayDataset
    >>> X = [np.ones((3, 50), dtype="float32"), np.ones((3, 80), dtype="float32")]
    >>> ds = ArrayDataset(X, ["AF", "NORM"])
    >>> ds
    ArrayDataset(n=2, n_channels=3, seq_len=80, classes=['AF', 'NORM'], multilabel=False)
    >>> x, y = ds[0]  # zero-padded at the end to seq_len
    >>> x.shape, int(y), float(x[0, 49]), float(x[0, 50])
    ((3, 80), 0, 1.0, 0.0)
    """

    def __init__(
        self,
        X,
        y=None,
        seq_len: int | None = None,
        fs: float | None = None,
        leads: list[str] | None = None,
    ):
        self._X = X
        lengths = [np.shape(x)[-1] for x in X]
        n_channels = np.shape(X[0])[0] if len(X) else 0
        length = seq_len or max(lengths, default=1)
        self._init_protocol(y, n_channels, length, fs, n=len(X), leads=leads)

    def _read(self, j: int) -> np.ndarray:
        return self._X[j]
