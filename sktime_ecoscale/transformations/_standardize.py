"""Per-series, per-lead standardisation."""

from __future__ import annotations

__all__ = ["StandardizeLeads"]

import numpy as np

from sktime_ecoscale.transformations._base import BaseECGTransformer
from sktime_ecoscale.utils._signal import standardize_per_lead


class StandardizeLeads(BaseECGTransformer):
    """Standardise every lead of every series to zero mean and unit variance.

    Stateless: each series uses its own statistics (see
    :func:`sktime_ecoscale.utils.standardize_per_lead`).

    Parameters
    ----------
    eps : float, default=1e-6
        Floor on the standard deviation; flat leads become zeros.

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

    def __init__(self, eps: float = 1e-6):
        self.eps = eps
        super().__init__()

    def _transform_array(self, X: np.ndarray) -> np.ndarray:
        return standardize_per_lead(X, self.eps)

    @classmethod
    def get_test_params(cls, parameter_set="default"):
        """Return testing parameter settings for the estimator."""
        return [{}, {"eps": 1e-3}]
