"""The input rule and the torch data sets that feed the networks.

:class:`InputScaling` owns how a series is scaled before the network, on every
path (``fit``, ``fit_dataset``, ``predict``, the exported graph's callers):
the data sets below call it one series at a time. Preparing items on demand
(instead of a scaled copy of the whole panel) keeps fit and predict memory
bounded by a batch, whatever the panel's size.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from torch.utils.data import Dataset

from sktime_ecoscale.utils._signal import pad_or_crop, standardize_per_lead

__all__ = ["INPUT_SCALINGS", "InputScaling", "PanelDataset", "ScaledDataset", "panel_to_arrays"]

#: The values of the estimators' ``input_scaling`` parameter.
INPUT_SCALINGS = ("channel", "series")
#: Series a lazy data set contributes to the channel statistics at most.
SCALING_SAMPLE = 512


@dataclass(frozen=True)
class InputScaling:
    """How every series is scaled before the network: one rule for all paths.

    ``"channel"``: each channel minus its mean, divided by its standard
    deviation, both estimated once on the training series (all series and
    time points together). Differences in amplitude between series survive:
    a resting and a running accelerometer, a low- and a high-voltage QRS.
    ``"series"``: each lead of each series standardised on its own
    (:func:`~sktime_ecoscale.utils.standardize_per_lead`): indifferent to
    units and gains, but amplitude information is lost.

    Parameters
    ----------
    mode : {"channel", "series"}
    mean, std : tuple of float, optional
        Per-channel statistics (``"channel"`` only).

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale.classification import InputScaling
    >>> X = np.array([[[0.0, 2.0]], [[4.0, 6.0]]])     # 2 series, 1 channel
    >>> scaling = InputScaling.fit("channel", X)
    >>> scaling.mean, round(scaling.std[0], 3)
    ((3.0,), 2.236)
    >>> scaling(X[0]).round(3)
    array([[-1.342, -0.447]], dtype=float32)
    >>> InputScaling.from_dict(scaling.to_dict()) == scaling
    True
    """

    mode: str
    mean: tuple[float, ...] | None = None
    std: tuple[float, ...] | None = None

    def __post_init__(self):
        if self.mode not in INPUT_SCALINGS:
            raise ValueError(f"input_scaling must be one of {INPUT_SCALINGS}, got {self.mode!r}.")
        if self.mode == "channel" and (self.mean is None or self.std is None):
            raise ValueError("channel scaling needs its per-channel mean and std.")

    @classmethod
    def fit(cls, mode: str, series, indices=None) -> InputScaling:
        """Estimate the statistics ``mode`` needs from training series.

        ``series`` is anything indexable by integers that yields
        ``(n_channels, n_timepoints)`` arrays, or ``(x, y)`` items of a data set.
        """
        if mode == "series":
            return cls("series")
        indices = np.arange(len(series)) if indices is None else np.asarray(indices)
        if len(indices) > SCALING_SAMPLE:  # lazy data sets: an even sample, one pass
            indices = indices[np.linspace(0, len(indices) - 1, SCALING_SAMPLE).astype(int)]
        total = total_sq = count = 0.0
        for i in indices:
            x = series[int(i)]
            x = np.asarray(x[0] if isinstance(x, tuple) else x, dtype=np.float64)
            total = total + x.sum(axis=-1)
            total_sq = total_sq + np.square(x).sum(axis=-1)
            count += x.shape[-1]
        mean = total / count
        std = np.sqrt(np.maximum(total_sq / count - mean**2, 0.0))
        std = np.where(std < 1e-6, 1.0, std)  # a flat channel stays flat
        return cls("channel", tuple(float(m) for m in mean), tuple(float(s) for s in std))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Scale one series ``(n_channels, n_timepoints)`` or a panel; float32 out."""
        x = np.asarray(x, dtype=np.float32)
        if self.mode == "series":
            return standardize_per_lead(x)
        mean = np.asarray(self.mean, dtype=np.float32)[:, None]
        std = np.asarray(self.std, dtype=np.float32)[:, None]
        return (x - mean) / std

    def to_dict(self) -> dict:
        """Plain dict (stored in model files)."""
        return {"mode": self.mode, "mean": self.mean, "std": self.std}

    @classmethod
    def from_dict(cls, values: dict) -> InputScaling:
        """Inverse of :meth:`to_dict`."""
        mean, std = values.get("mean"), values.get("std")
        return cls(
            str(values["mode"]),
            None if mean is None else tuple(float(v) for v in mean),
            None if std is None else tuple(float(v) for v in std),
        )


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
    """Items ``(x, y)``: series ``i`` scaled by ``scaling`` and zero-padded to ``length``.

    Padding comes after scaling, at the end, so the padded zeros equal the
    (scaled) mean and disturb global average pooling least.

    Parameters
    ----------
    series : np.ndarray (n, C, L) or list of (C, L_i) arrays
    targets : np.ndarray or None
        Encoded targets; ``None`` at predict time (items then carry 0).
    length : int
        Length every item is padded (or cropped) to.
    scaling : InputScaling, optional
        The input rule; default per-series standardisation.
    indices : np.ndarray, optional
        Subset of the series this view exposes.
    """

    def __init__(self, series, targets, length: int, scaling=None, indices=None):
        self.series = series
        self.targets = targets
        self.length = int(length)
        self.scaling = scaling if scaling is not None else InputScaling("series")
        self.indices = np.arange(len(series)) if indices is None else np.asarray(indices)

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, i):
        j = self.indices[i]
        x = self.scaling(self.series[j])
        x = pad_or_crop(x, self.length, align="left")
        y = 0 if self.targets is None else self.targets[j]
        return x, y

    def subset(self, indices) -> PanelDataset:
        """A view on some of the series (no copy)."""
        return PanelDataset(
            self.series, self.targets, self.length, self.scaling, self.indices[np.asarray(indices)]
        )


class ScaledDataset(Dataset):
    """Wraps a raw-signal data set so that its items are scaled by ``scaling``."""

    def __init__(self, base: Dataset, scaling: InputScaling):
        self.base = base
        self.scaling = scaling

    def __len__(self) -> int:
        return len(self.base)

    def __getitem__(self, i):
        x, y = self.base[i]
        return self.scaling(x), y
