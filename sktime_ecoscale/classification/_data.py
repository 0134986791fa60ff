"""Torch data sets that feed the networks: standardise and pad one series at a time.

Preparing items on demand (instead of a standardised copy of the whole panel)
keeps fit and predict memory bounded by a batch, whatever the panel's size.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from torch.utils.data import Dataset

from sktime_ecoscale.utils._signal import pad_or_crop, standardize_per_lead

__all__ = ["PanelDataset", "StandardizedDataset", "panel_to_arrays"]


def panel_to_arrays(X) -> list[np.ndarray] | np.ndarray:
    """Return the series of an sktime inner panel as ``(n_channels, n_timepoints)`` arrays.

    ``numpy3D`` comes back as the array itself (no copy); ``df-list`` (one
    DataFrame per series, time by variables) as a list of arrays.
    """
    if isinstance(X, np.ndarray):
        return X
    if isinstance(X, list):
        return [np.asarray(df.to_numpy() if isinstance(df, pd.DataFrame) else df).T for df in X]
    raise TypeError(f"Expected a numpy3D array or a df-list panel, got {type(X).__name__}.")


class PanelDataset(Dataset):
    """Items ``(x, y)``: series ``i`` standardised per lead and zero-padded to ``length``.

    Padding comes after standardisation, at the end, so the padded zeros equal
    the series' mean and disturb global average pooling least.

    Parameters
    ----------
    series : np.ndarray (n, C, L) or list of (C, L_i) arrays
    targets : np.ndarray or None
        Encoded targets; ``None`` at predict time (items then carry 0).
    length : int
        Length every item is padded (or cropped) to.
    indices : np.ndarray, optional
        Subset of the series this view exposes.
    """

    def __init__(self, series, targets, length: int, indices=None):
        self.series = series
        self.targets = targets
        self.length = int(length)
        self.indices = np.arange(len(series)) if indices is None else np.asarray(indices)

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, i):
        j = self.indices[i]
        x = standardize_per_lead(np.asarray(self.series[j], dtype=np.float32))
        x = pad_or_crop(x, self.length, align="left")
        y = 0 if self.targets is None else self.targets[j]
        return x, y

    def subset(self, indices) -> PanelDataset:
        """A view on some of the series (no copy)."""
        return PanelDataset(self.series, self.targets, self.length, self.indices[np.asarray(indices)])


class StandardizedDataset(Dataset):
    """Wraps a raw-signal data set so that its items are standardised per lead."""

    def __init__(self, base: Dataset):
        self.base = base

    def __len__(self) -> int:
        return len(self.base)

    def __getitem__(self, i):
        x, y = self.base[i]
        return standardize_per_lead(np.asarray(x, dtype=np.float32)), y
