"""Per-series, per-lead standardisation."""

from __future__ import annotations

__all__ = ["StandardizeLeads", "standardize_per_lead"]

import numpy as np

from sktime_ecoscale.transformations._base import BaseECGTransformer


def standardize_per_lead(X: np.ndarray, eps: float = 1e-8) -> np.ndarray:
    """Subtract each lead's mean and divide by its standard deviation (+ eps).

    Statistics are taken over time only, separately for every series and
    lead, so amplitude differences between leads and devices vanish.

    Parameters
    ----------
    X : np.ndarray, shape (..., n_timepoints)
    eps : float, default=1e-8
        Added to the standard deviation; flat leads become all zeros.

    Returns
    -------
    np.ndarray, same shape and float dtype as ``X``.

    Examples
    --------
    >>> import numpy as np
    >>> Z = standardize_per_lead(np.array([[1.0, 2.0, 3.0], [10.0, 10.0, 10.0]]))
    >>> np.round(Z, 3)
    array([[-1.225,  0.   ,  1.225],
           [ 0.   ,  0.   ,  0.   ]])
    """
    X = np.asarray(X)
    if X.dtype.kind != "f":
        X = X.astype(np.float64)
    mean = X.mean(axis=-1, keepdims=True)
    std = X.std(axis=-1, keepdims=True)
    return ((X - mean) / (std + eps)).astype(X.dtype, copy=False)


class StandardizeLeads(BaseECGTransformer):
    """Standardise every lead of every series to zero mean and unit variance.

    Stateless: each series uses its own statistics (see
    :func:`standardize_per_lead`).

    Parameters
    ----------
    eps : float, default=1e-8
        Added to the standard deviation.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale.transformations import StandardizeLeads
    >>> X = np.random.default_rng(0).normal(3, 5, size=(2, 12, 100))
    >>> Xt = StandardizeLeads().fit_transform(X)
    >>> bool(np.allclose(Xt.mean(-1), 0) and np.allclose(Xt.std(-1), 1))
    True
    """

    _tags = {"transform-returns-same-time-index": True}

    def __init__(self, eps: float = 1e-8):
        self.eps = eps
        super().__init__()

    def _transform_array(self, X: np.ndarray) -> np.ndarray:
        return standardize_per_lead(X, self.eps)

    @classmethod
    def get_test_params(cls, parameter_set="default"):
        """Return testing parameter settings for the estimator."""
        return [{}, {"eps": 1e-3}]
