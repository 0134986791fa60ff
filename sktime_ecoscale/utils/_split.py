"""The validation-split rule of every fit path (``fit``, ``fit_dataset``, ``ecoscale train``)."""

from __future__ import annotations

import numpy as np

__all__ = ["split_indices"]


def split_indices(
    targets: np.ndarray, valid_size: float, seed: int
) -> tuple[np.ndarray, np.ndarray | None]:
    """Hold out ``valid_size`` of the series for early stopping, stratified where possible.

    The split reads only the targets, never a signal. It is stratified by
    class for single-label targets whose every class has at least two series
    and that leave room for each class on both sides; otherwise (multi-label or
    multi-output targets, rare classes) it is a plain random split.

    Parameters
    ----------
    targets : np.ndarray
        Encoded targets, one per series: ``(n,)`` class indices, or ``(n, k)``.
    valid_size : float
        Fraction held out; it is rounded to a count of series.
    seed : int
        Seed of the split.

    Returns
    -------
    train : np.ndarray
        Sorted indices of the training series.
    valid : np.ndarray or None
        Sorted indices of the held-out series; ``None`` (and every series in
        ``train``) when fewer than two would be left on either side.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale.utils import split_indices
    >>> targets = np.array([0, 0, 0, 0, 0, 0, 1, 1, 1, 1])
    >>> train, valid = split_indices(targets, 0.4, seed=0)
    >>> len(train), targets[valid].tolist()                  # both classes held out
    (6, [0, 0, 1, 1])
    >>> split_indices(targets, 0.1, seed=0)[1] is None      # one series: none held out
    True
    """
    targets = np.asarray(targets)
    n = len(targets)
    n_valid = int(round(valid_size * n))
    if n_valid < 2 or n - n_valid < 2:
        return np.arange(n), None
    from sklearn.model_selection import train_test_split

    strat = targets if targets.ndim == 1 else None
    if strat is not None:
        counts = np.unique(strat, return_counts=True)[1]
        if counts.min() < 2 or min(n_valid, n - n_valid) < len(counts):
            strat = None
    train, valid = train_test_split(
        np.arange(n), test_size=n_valid, random_state=seed, stratify=strat
    )
    return np.sort(train), np.sort(valid)
