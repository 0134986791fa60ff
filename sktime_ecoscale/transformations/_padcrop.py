"""Fixed-length padding/cropping."""

from __future__ import annotations

__all__ = ["PadCrop"]

import numpy as np

from sktime_ecoscale.transformations._base import BaseECGTransformer
from sktime_ecoscale.utils._signal import pad_or_crop


class PadCrop(BaseECGTransformer):
    """Pad or crop every series to ``length`` samples.

    Makes unequal-length panels equal (e.g. Challenge records of 10 s and
    17 s). Uses the same rule as the readers and lazy data sets
    (:func:`sktime_ecoscale.datasets.pad_or_crop`).

    Parameters
    ----------
    length : int, default=1000
        Output length.
    align : {"center", "left"}, default="center"
        Where to pad/crop: symmetrically, or at the end only.
    value : float, default=0.0
        Pad value.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale.transformations import PadCrop
    >>> PadCrop(length=1024).fit_transform(np.ones((3, 12, 1000))).shape
    (3, 12, 1024)
    """

    _tags = {"capability:unequal_length:removes": True}

    def __init__(self, length: int = 1000, align: str = "center", value: float = 0.0):
        self.length = length
        self.align = align
        self.value = value
        super().__init__()
        if align not in ("center", "left"):
            raise ValueError(f"align must be 'center' or 'left', got {align!r}")
        if int(length) <= 0:
            raise ValueError(f"length must be a positive integer, got {length}")

    def _transform_array(self, X: np.ndarray) -> np.ndarray:
        return pad_or_crop(X, self.length, self.align, self.value)

    @classmethod
    def get_test_params(cls, parameter_set="default"):
        """Return testing parameter settings for the estimator."""
        return [{"length": 8}, {"length": 30, "align": "left", "value": -1.0}]
