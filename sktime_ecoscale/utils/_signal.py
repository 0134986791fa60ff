"""Signal helpers used on every path into a network (fit, predict, lazy data sets).

One function per decision: how a series is standardised and how it is brought
to a fixed length. Estimators, transformers and data sets call these.
"""

from __future__ import annotations

import warnings

import numpy as np

__all__ = ["pad_or_crop", "resample", "resampled_length", "standardize_per_lead"]


def standardize_per_lead(X: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Standardise each lead of each series to zero mean and unit variance.

    Works on one series ``(n_channels, n_timepoints)`` or a panel
    ``(n_instances, n_channels, n_timepoints)``; statistics run over the last
    axis. A flat lead (variance below ``eps``) becomes zeros instead of noise.
    Raw signals in mV, in µV or in ADC units all give the same result, which
    is why the estimators standardise inside ``fit`` and ``predict``.

    Parameters
    ----------
    X : np.ndarray
        Real-valued array, last axis is time.
    eps : float, default 1e-6
        Floor on the standard deviation.

    Returns
    -------
    np.ndarray
        Array of the same shape; float input keeps its dtype, other input
        becomes float32.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[[1.0, 2.0, 3.0], [5.0, 5.0, 5.0]]])
    >>> standardize_per_lead(x).round(3)
    array([[[-1.225,  0.   ,  1.225],
            [ 0.   ,  0.   ,  0.   ]]])
    """
    X = np.asarray(X)
    if X.dtype.kind != "f":
        X = X.astype(np.float32)
    if np.isnan(X).any():  # statistics of the recorded samples; NaN stays NaN
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN lead
            mean = np.nanmean(X, axis=-1, keepdims=True)
            std = np.nanstd(X, axis=-1, keepdims=True)
    else:
        mean = X.mean(axis=-1, keepdims=True)
        std = X.std(axis=-1, keepdims=True)
    return ((X - mean) / np.maximum(std, eps)).astype(X.dtype, copy=False)


def pad_or_crop(
    x: np.ndarray, length: int, align: str = "center", value: float = 0.0
) -> np.ndarray:
    """Bring the last axis of ``x`` to ``length`` by padding or cropping.

    The single rule for fixed lengths: readers, lazy data sets, the
    :class:`~sktime_ecoscale.transformations.PadCrop` transformer and the
    estimators all call it.

    Parameters
    ----------
    x : np.ndarray
        Array whose last axis is time.
    length : int
        Target length.
    align : {"center", "left"}, default "center"
        Where the original samples sit: centred (padding or cropping both
        ends, odd remainders at the end, as CODE-15% pads its 7 s
        recordings), or at the start.
    value : float, default 0.0
        Pad value.

    Returns
    -------
    np.ndarray
        Array with last axis ``length``, same dtype.

    Examples
    --------
    >>> import numpy as np
    >>> pad_or_crop(np.arange(1, 4), 7)
    array([0, 0, 1, 2, 3, 0, 0])
    >>> pad_or_crop(np.arange(1, 8), 3)
    array([3, 4, 5])
    >>> pad_or_crop(np.arange(1, 4), 5, align="left")
    array([1, 2, 3, 0, 0])
    """
    if align not in ("center", "left"):
        raise ValueError(f"align must be 'center' or 'left', got {align!r}.")
    length = int(length)
    if length <= 0:
        raise ValueError(f"length must be a positive integer, got {length}.")
    n = x.shape[-1]
    if n == length:
        return x
    if n > length:
        start = (n - length) // 2 if align == "center" else 0
        return x[..., start : start + length]
    out = np.full(x.shape[:-1] + (length,), value, dtype=x.dtype)
    start = (length - n) // 2 if align == "center" else 0
    out[..., start : start + n] = x
    return out


def _rate_ratio(from_hz: float, to_hz: float):
    from fractions import Fraction

    if not (from_hz > 0 and to_hz > 0):
        raise ValueError(f"sampling rates must be > 0, got {from_hz} and {to_hz}")
    return Fraction(to_hz / from_hz).limit_denominator(1000)


def resampled_length(n: int, from_hz: float, to_hz: float) -> int:
    """Samples that :func:`resample` returns for ``n`` input samples.

    Parameters
    ----------
    n : int
        Input samples.
    from_hz, to_hz : float
        Sampling rates, > 0.

    Returns
    -------
    int
        ``ceil(n * p / q)`` for the rational ratio ``p / q`` that :func:`resample` uses.

    Examples
    --------
    >>> resampled_length(5000, 500, 100), resampled_length(5001, 500, 100)
    (1000, 1001)
    """
    ratio = _rate_ratio(from_hz, to_hz)
    return -(-int(n) * ratio.numerator // ratio.denominator)


def resample(x: np.ndarray, from_hz: float, to_hz: float) -> np.ndarray:
    """Resample the last axis from ``from_hz`` to ``to_hz`` (polyphase FIR, no aliasing).

    The one resampling rule: the :class:`~sktime_ecoscale.transformations.Resample`
    transformer and the estimators (input at another rate than the training
    rate) call it. :func:`scipy.signal.resample_poly` low-pass filters before
    decimating; the output has ``ceil(n * to_hz / from_hz)`` samples.

    Parameters
    ----------
    x : np.ndarray
        Last axis is time.
    from_hz, to_hz : float
        Sampling rates, > 0.

    Returns
    -------
    np.ndarray of the input's dtype

    Examples
    --------
    >>> import numpy as np
    >>> resample(np.zeros((12, 5000)), 500, 100).shape
    (12, 1000)
    """
    from scipy.signal import resample_poly

    ratio = _rate_ratio(from_hz, to_hz)
    if ratio == 1:
        return x
    return resample_poly(x, ratio.numerator, ratio.denominator, axis=-1).astype(x.dtype)
