"""Shared base for the ECG series-to-series transformers."""

from __future__ import annotations

__all__ = ["BaseECGTransformer", "check_numeric"]

import numpy as np
import pandas as pd
from sktime.transformations.base import BaseTransformer


def check_numeric(X: np.ndarray, name: str, allow_nan: bool = False) -> np.ndarray:
    """Return ``X`` as a float array or raise ValueError naming the problem and fix."""
    if X.dtype.kind not in "fiub":
        raise ValueError(
            f"{name} needs numeric series, got dtype {X.dtype}; convert X to float first"
        )
    X = X.astype(np.float64) if X.dtype.kind != "f" else X
    bad = ~np.isfinite(X) if not allow_nan else np.isinf(X)
    if bad.any():
        what = "NaN or inf" if not allow_nan else "inf"
        fix = "; repair it first, e.g. with RepairMissing()" if not allow_nan else ""
        raise ValueError(f"{name} got {what} values in X ({int(bad.sum())} samples){fix}")
    return X


class BaseECGTransformer(BaseTransformer):
    """Instance-wise series-to-series transformer over numpy3D or df-list.

    Subclasses implement ``_transform_array(X)`` on a float array of shape
    ``(n_instances, n_channels, n_timepoints)``. Unequal-length panels arrive
    as df-list and are transformed one series at a time, so every subclass
    handles unequal lengths honestly.
    """

    _tags = {
        "authors": ["sktime-ecoscale developers"],
        "maintainers": ["sktime-ecoscale developers"],
        "python_dependencies": "scipy",
        "scitype:transform-input": "Series",
        "scitype:transform-output": "Series",
        "scitype:instancewise": True,
        # numpy3D stays numpy3D; pandas panels (possibly unequal) go through df-list
        "X_inner_mtype": ["df-list", "numpy3D"],
        "y_inner_mtype": "None",
        "fit_is_empty": True,
        "requires_y": False,
        "capability:missing_values": False,
        "capability:unequal_length": True,
        "capability:categorical_in_X": False,
    }

    _allow_nan = False

    def _transform(self, X, y=None):
        """Transform X (numpy3D or df-list) and return the same container."""
        if isinstance(X, np.ndarray):
            return self._transform_array(self._check(X))
        out = []
        for df in X:
            arr = self._check(df.to_numpy().T[None])
            res = self._transform_array(arr)[0].T
            index = df.index if len(res) == len(df) else pd.RangeIndex(len(res))
            out.append(pd.DataFrame(res, index=index, columns=_columns(df, res)))
        return out

    def _check(self, X: np.ndarray) -> np.ndarray:
        return check_numeric(X, type(self).__name__, allow_nan=self._allow_nan)

    def _transform_array(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError


def _columns(df: pd.DataFrame, res: np.ndarray):
    return df.columns if res.shape[1] == df.shape[1] else pd.RangeIndex(res.shape[1])
