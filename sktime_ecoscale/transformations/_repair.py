"""Repair of missing samples and leads."""

from __future__ import annotations

__all__ = ["RepairMissing"]

import numpy as np

from sktime_ecoscale.transformations._base import BaseECGTransformer


class RepairMissing(BaseECGTransformer):
    """Fill NaN samples: interpolate within a lead, fill fully missing leads.

    NaN runs inside a lead are interpolated linearly between the nearest
    observed samples (held constant at the ends). A lead with no observed
    sample is filled with zeros, or with the mean of the other leads at each
    time point.

    Parameters
    ----------
    lead_fill : {"zeros", "mean"}, default="zeros"
        How to fill a lead that is missing entirely.
    add_mask : bool, default=False
        Append one channel that is 1.0 where any lead was missing, else 0.0,
        so a model can tell repaired samples from recorded ones.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale.transformations import RepairMissing
    >>> X = np.array([[[0.0, np.nan, 2.0], [np.nan, np.nan, np.nan]]])
    >>> RepairMissing(lead_fill="mean").fit_transform(X)
    array([[[0., 1., 2.],
            [0., 1., 2.]]])
    """

    _tags = {
        "capability:missing_values": True,
        "capability:missing_values:removes": True,
    }
    _allow_nan = True

    def __init__(self, lead_fill: str = "zeros", add_mask: bool = False):
        self.lead_fill = lead_fill
        self.add_mask = add_mask
        super().__init__()
        if lead_fill not in ("zeros", "mean"):
            raise ValueError(f"lead_fill must be 'zeros' or 'mean', got {lead_fill!r}")

    def _transform_array(self, X: np.ndarray) -> np.ndarray:
        missing = np.isnan(X)
        out = X.copy()
        t = np.arange(X.shape[-1])
        dead = []
        for i, c in zip(*np.nonzero(missing.any(axis=-1))):
            ok = ~missing[i, c]
            if ok.any():
                out[i, c, ~ok] = np.interp(t[~ok], t[ok], X[i, c, ok])
            else:
                dead.append((i, c))
        for i, c in dead:  # after interpolation, so "mean" uses repaired leads
            others = [k for k in range(X.shape[1]) if k != c and (i, k) not in dead]
            fill = out[i, others].mean(axis=0) if self.lead_fill == "mean" and others else 0.0
            out[i, c] = fill
        if self.add_mask:
            mask = missing.any(axis=1, keepdims=True).astype(X.dtype)
            out = np.concatenate([out, mask], axis=1)
        return out

    @classmethod
    def get_test_params(cls, parameter_set="default"):
        """Return testing parameter settings for the estimator."""
        return [{}, {"lead_fill": "mean", "add_mask": True}]
