"""Zero-phase Butterworth filtering (band-pass, baseline-wander removal)."""

from __future__ import annotations

__all__ = ["BandPass"]

import numpy as np
from scipy.signal import butter, sosfiltfilt

from sktime_ecoscale.transformations._base import BaseECGTransformer


class BandPass(BaseECGTransformer):
    """Zero-phase Butterworth band-pass, high-pass or low-pass filter.

    The filter runs forward and backward (:func:`scipy.signal.sosfiltfilt`),
    so waves are not shifted in time. ``BandPass(low_hz=0.5, high_hz=None)``
    removes baseline wander; ``BandPass(0.5, 40)`` is a common ECG band.

    Parameters
    ----------
    low_hz : float or None, default=0.5
        Lower cut-off; None for a low-pass filter.
    high_hz : float or None, default=40.0
        Upper cut-off, below ``fs / 2``; None for a high-pass filter.
    fs : float, default=500.0
        Sampling rate of the input in Hz.
    order : int, default=4
        Butterworth order (doubled by the forward-backward pass).

    Raises
    ------
    ValueError
        Bad cut-offs, or series too short for the filter's padding.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale.transformations import BandPass
    >>> t = np.arange(5000) / 500
    >>> X = np.sin(2 * np.pi * 0.1 * t)[None, None]  # pure baseline wander
    >>> Xt = BandPass(low_hz=0.5, high_hz=None, fs=500).fit_transform(X)
    >>> bool(np.abs(Xt[..., 500:-500]).max() < 0.01)
    True
    """

    def __init__(self, low_hz=0.5, high_hz=40.0, fs: float = 500.0, order: int = 4):
        self.low_hz = low_hz
        self.high_hz = high_hz
        self.fs = fs
        self.order = order
        super().__init__()
        self._sos()  # validate early

    def _sos(self) -> np.ndarray:
        low, high, nyq = self.low_hz, self.high_hz, self.fs / 2
        if low is None and high is None:
            raise ValueError("BandPass needs low_hz or high_hz (or both)")
        for name, f in (("low_hz", low), ("high_hz", high)):
            if f is not None and not 0 < f < nyq:
                raise ValueError(f"{name}={f} must lie in (0, fs/2 = {nyq})")
        if low is not None and high is not None and low >= high:
            raise ValueError(f"low_hz={low} must be below high_hz={high}")
        if low is None:
            return butter(self.order, high, "lowpass", fs=self.fs, output="sos")
        if high is None:
            return butter(self.order, low, "highpass", fs=self.fs, output="sos")
        return butter(self.order, [low, high], "bandpass", fs=self.fs, output="sos")

    def _transform_array(self, X: np.ndarray) -> np.ndarray:
        sos = self._sos()
        # scipy's default padding length; shorter series cannot be filtered
        padlen = 3 * (2 * len(sos) + 1 - min((sos[:, 2] == 0).sum(), (sos[:, 5] == 0).sum()))
        if X.shape[-1] <= padlen:
            raise ValueError(
                f"BandPass(order={self.order}) needs series longer than {padlen} samples, "
                f"got {X.shape[-1]}; use a lower order or longer series"
            )
        return sosfiltfilt(sos, X, axis=-1).astype(X.dtype)

    @classmethod
    def get_test_params(cls, parameter_set="default"):
        """Return testing parameter settings for the estimator."""
        return [
            {"low_hz": 0.5, "high_hz": None, "fs": 10.0, "order": 1},
            {"low_hz": 0.5, "high_hz": 3.0, "fs": 10.0, "order": 1},
        ]
