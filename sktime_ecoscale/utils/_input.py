"""The input rule: how one raw series becomes a network input, on every path.

:func:`prepare_series` is the one function that turns a raw series into what
a network sees: scaled by the fitted :class:`InputScaling`, then padded or
cropped to a fixed length, aligned at the start. ``fit``, ``fit_dataset``,
``predict``, ``prepare_input`` (and so the ONNX callers), the lazy data sets
and ``ecoscale train`` / ``ecoscale predict`` all call it, so a model is
served exactly the inputs it was trained on, whichever path trained it.
:meth:`InputScaling.fit` is the one way the statistics are estimated: on the
raw training series, never on their padding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sktime_ecoscale.utils._signal import pad_or_crop, standardize_per_lead

__all__ = [
    "INPUT_ALIGN",
    "INPUT_SCALINGS",
    "MAX_INTERPOLATED_GAP",
    "SCALING_SAMPLE",
    "InputScaling",
    "fill_missing",
    "mark_absent_leads",
    "prepare_series",
]

#: The values of the estimators' ``input_scaling`` parameter.
INPUT_SCALINGS = ("channel", "series")
#: Series a data set contributes to the channel statistics at most.
SCALING_SAMPLE = 512
#: Longest run of missing (NaN) samples, as a fraction of the series length, that
#: is filled by linear interpolation; longer runs, and a lead with no recorded
#: sample (a missing lead), are set to 0, the training mean after scaling, which
#: is what a lead dropped by the training augmentation looks like.
MAX_INTERPOLATED_GAP = 0.02
#: Where a series sits in its fixed-length input: at the start (padding at the
#: end, cropping keeps the start). Padding after scaling puts zeros at the
#: scaled mean, which disturbs global average pooling least.
INPUT_ALIGN = "left"


def mark_absent_leads(x: np.ndarray) -> np.ndarray:
    """Set to NaN the leads of a multi-lead series that are exactly 0 throughout.

    Many sources store a lead that was not recorded (lead off, a reduced
    lead set padded to 12) as zeros. Scaled by training statistics such a
    lead would become a constant ``-mean / std``, a signal the network never
    saw; as NaN it is a missing lead, like an absent column (0 after
    scaling). A single-lead series is left alone: a flat series is data.

    Parameters
    ----------
    x : np.ndarray of shape (n_channels, n_timepoints) or (n_series, n_channels, n_timepoints)
        Raw series.

    Returns
    -------
    np.ndarray
        float64; a copy with NaN leads where some lead was all zero, else ``x``.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale.utils import mark_absent_leads
    >>> mark_absent_leads(np.array([[1.0, 2.0], [0.0, 0.0]]))
    array([[ 1.,  2.],
           [nan, nan]])
    >>> mark_absent_leads(np.array([[0.0, 0.0]]))       # one lead: a flat series is data
    array([[0., 0.]])
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim < 2 or x.shape[-2] < 2 or x.shape[-1] == 0:
        return x
    absent = ~np.any(x != 0, axis=-1)  # NaN != 0 is True: a lead with NaN is not all-zero
    if not absent.any():
        return x
    x = x.copy()
    x[absent] = np.nan
    return x


def _raw_series(series, i: int) -> np.ndarray:
    """Raw series ``i`` of a data set (its ``raw``), an array or a sequence of arrays."""
    read = getattr(series, "raw", None)
    x = read(i) if read is not None else series[i]
    return x[0] if isinstance(x, tuple) else x  # a data set without ``raw``: its item


@dataclass(frozen=True)
class InputScaling:
    """How every series is scaled before the network: fitted once, applied on every path.

    ``"channel"``: each channel minus its mean, divided by its standard
    deviation, both estimated once on the raw training series (all series and
    time points together, padding excluded). Differences in amplitude between
    series survive: a resting and a running accelerometer, a low- and a
    high-voltage QRS. ``"series"``: each lead of each series standardised on
    its own (:func:`~sktime_ecoscale.utils.standardize_per_lead`): indifferent
    to units and gains, but amplitude information is lost.

    Parameters
    ----------
    mode : {"channel", "series"}
        The rule.
    mean, std : tuple of float, optional
        Per-channel statistics (``"channel"`` only).

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale.utils import InputScaling
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
        """Estimate the statistics ``mode`` needs from raw training series.

        Parameters
        ----------
        mode : {"channel", "series"}
            The rule to fit.
        series : data set, np.ndarray (n, C, L) or sequence of (C, L_i) arrays
            The training series. A data set is read through its ``raw(i)``
            (the unpadded signal), so padding never enters the statistics.
        indices : array-like of int, optional
            The series to use (e.g. the training part of a split); default all.
            Of more than :data:`SCALING_SAMPLE` series an even sample is read.

        Returns
        -------
        InputScaling
        """
        if mode == "series":
            return cls("series")
        indices = np.arange(len(series)) if indices is None else np.asarray(indices)
        if len(indices) > SCALING_SAMPLE:  # big data sets: an even sample, one pass
            indices = indices[np.linspace(0, len(indices) - 1, SCALING_SAMPLE).astype(int)]
        total = total_sq = count = 0.0
        for i in indices:
            x = mark_absent_leads(_raw_series(series, int(i)))
            recorded = ~np.isnan(x)  # missing samples do not enter the statistics
            x = np.where(recorded, x, 0.0)
            total = total + x.sum(axis=-1)
            total_sq = total_sq + np.square(x).sum(axis=-1)
            count = count + recorded.sum(axis=-1)
        count = np.maximum(count, 1)  # a channel never recorded: mean 0, std 1
        mean = total / count
        std = np.sqrt(np.maximum(total_sq / count - mean**2, 0.0))
        std = np.where(std < 1e-6, 1.0, std)  # a flat channel stays flat
        return cls("channel", tuple(float(m) for m in mean), tuple(float(s) for s in std))

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Scale one series ``(n_channels, n_timepoints)`` or a panel; float32 out.

        Computed in float64 and rounded once, so that the same signal in other
        units (µV or mV) scales to the same float32 values.
        """
        x = mark_absent_leads(x)  # an all-zero lead of several is a missing lead
        if self.mode == "series":
            return np.asarray(standardize_per_lead(x), dtype=np.float32)
        mean = np.asarray(self.mean, dtype=np.float64)[:, None]
        std = np.asarray(self.std, dtype=np.float64)[:, None]
        return ((x - mean) / std).astype(np.float32)

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


def prepare_series(x: np.ndarray, length: int, scaling: InputScaling | None = None) -> np.ndarray:
    """Turn one raw series into a network input: scale, then pad or crop.

    The input rule of every path. The series is scaled by ``scaling`` (the
    estimator's fitted ``input_scaling_``; ``None`` keeps raw units), then
    brought to ``length`` samples with :data:`INPUT_ALIGN` alignment: zeros
    appended after the signal, or the end cropped off.

    Parameters
    ----------
    x : np.ndarray of shape (n_channels, n_timepoints)
        The raw series, in its own units.
    length : int
        Length of the network input.
    scaling : InputScaling, optional
        The fitted scaling; default none (raw units).

    Returns
    -------
    np.ndarray of shape (n_channels, length)
        C-contiguous float32.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale.utils import InputScaling, prepare_series
    >>> x = np.array([[1.0, 2.0, 3.0]])
    >>> scaling = InputScaling("channel", mean=(2.0,), std=(0.5,))
    >>> prepare_series(x, 5, scaling)        # scaled first, then zero-padded at the end
    array([[-2.,  0.,  2.,  0.,  0.]], dtype=float32)
    >>> prepare_series(x, 2)                 # raw units, cropped: the start is kept
    array([[1., 2.]], dtype=float32)
    """
    x = np.asarray(x, dtype=np.float32) if scaling is None else scaling(x)
    x = fill_missing(x)
    return np.ascontiguousarray(pad_or_crop(x, length, align=INPUT_ALIGN), dtype=np.float32)


def fill_missing(x: np.ndarray, max_gap: float = MAX_INTERPOLATED_GAP) -> np.ndarray:
    """Fill the NaN samples of one scaled series ``(n_channels, n_timepoints)``.

    The missing-value rule of every path (part of :func:`prepare_series`): a
    run of NaN of at most ``max_gap * n_timepoints`` samples (at least one)
    is interpolated linearly between its recorded neighbours (held at the
    ends); longer runs and leads with no recorded sample become 0, the
    training mean after scaling (a missing lead looks like one dropped by the
    training augmentation).

    Parameters
    ----------
    x : np.ndarray of shape (n_channels, n_timepoints)
        A scaled series (NaN where samples are missing).
    max_gap : float, default MAX_INTERPOLATED_GAP
        Longest interpolated run, as a fraction of the length.

    Returns
    -------
    np.ndarray
        ``x`` itself when nothing is missing, else a filled float32 copy.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[0.0, np.nan, 2.0] + [1.0] * 97, [np.nan] * 100])
    >>> out = fill_missing(x)
    >>> out[0, :3].tolist(), float(np.abs(out[1]).max())   # a short gap, a missing lead
    ([0.0, 1.0, 2.0], 0.0)
    >>> fill_missing(np.array([[1.0] + [np.nan] * 10 + [1.0] * 89]))[0, 1:11].tolist() == [0.0] * 10
    True
    """
    missing = np.isnan(x)
    if not missing.any():
        return x
    out = np.array(x, dtype=np.float32)
    limit = max(1, int(max_gap * x.shape[-1]))
    t = np.arange(x.shape[-1])
    for c in np.flatnonzero(missing.any(axis=-1)):
        gaps = missing[c]
        if gaps.all():
            out[c] = 0.0
            continue
        out[c, gaps] = np.interp(t[gaps], t[~gaps], out[c, ~gaps])
        # runs longer than the limit: the mean (0), not a straight line over a lost beat
        edges = np.diff(np.r_[0, gaps.astype(np.int8), 0])
        for start, stop in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)):
            if stop - start > limit:
                out[c, start:stop] = 0.0
    return out
