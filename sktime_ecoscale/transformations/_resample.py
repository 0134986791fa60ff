"""Polyphase resampling."""

from __future__ import annotations

__all__ = ["Resample"]

import numpy as np

from sktime_ecoscale.transformations._base import BaseECGTransformer
from sktime_ecoscale.utils._signal import resample


class Resample(BaseECGTransformer):
    """Resample each series from ``from_hz`` to ``to_hz`` (polyphase FIR).

    Uses :func:`scipy.signal.resample_poly`, which low-pass filters before
    decimating, so no aliasing. The output has
    ``ceil(n_timepoints * to_hz / from_hz)`` samples.

    Parameters
    ----------
    to_hz : float, default=100
        Target sampling rate.
    from_hz : float, default=500
        Sampling rate of the input.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale.transformations import Resample
    >>> X = np.random.default_rng(0).normal(size=(2, 12, 5000))
    >>> Resample(to_hz=100, from_hz=500).fit_transform(X).shape
    (2, 12, 1000)
    """

    def __init__(self, to_hz: float = 100, from_hz: float = 500):
        self.to_hz = to_hz
        self.from_hz = from_hz
        super().__init__()
        if not (to_hz > 0 and from_hz > 0):
            raise ValueError(f"to_hz and from_hz must be > 0, got {to_hz}, {from_hz}")
        if to_hz != from_hz:  # shortening changes the length, so equal output is not kept
            self.set_tags(**{"transform-returns-same-time-index": False})

    def _transform_array(self, X: np.ndarray) -> np.ndarray:
        return resample(X, self.from_hz, self.to_hz)  # the one resampling rule

    @classmethod
    def get_test_params(cls, parameter_set="default"):
        """Return testing parameter settings for the estimator."""
        return [{"to_hz": 2, "from_hz": 4}, {"to_hz": 300, "from_hz": 100}]
