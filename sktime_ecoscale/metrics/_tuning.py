"""Per-class decision thresholds that maximise F1 or F-beta on held-out scores.

The tuning a clinical study does on its validation records (Strodthoff et al.
2020 tune one threshold per label of PTB-XL): for each class (one-vs-rest), the
threshold among all distinct scores that maximises that class's F-beta, found
with one sort and cumulative counts, not a grid.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from sktime_ecoscale.metrics._targets import as_targets

__all__ = ["tune_thresholds"]


def _best_threshold(y: np.ndarray, score: np.ndarray, beta: float) -> float:
    """Threshold of the highest F-beta of one column; NaN without a positive record."""
    n_pos = int(y.sum())
    if n_pos == 0:
        return float("nan")
    order = np.argsort(-score, kind="mergesort")
    s, hit = score[order], y[order].astype(float)
    tp = np.cumsum(hit)
    fp = np.cumsum(1.0 - hit)
    last = np.flatnonzero(np.r_[s[1:] != s[:-1], True])  # tied scores cross together
    tp, fp = tp[last], fp[last]
    b2 = beta**2
    f = (1 + b2) * tp / ((1 + b2) * tp + fp + b2 * (n_pos - tp))
    best = int(np.argmax(f))  # the highest threshold among equal maxima
    chosen = s[last[best]]
    if best + 1 < len(last):  # halfway to the next lower score: the same decisions here
        return float((chosen + s[last[best + 1]]) / 2)
    return float(chosen)


def tune_thresholds(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    beta: float = 1.0,
) -> pd.Series:
    """One threshold per class that maximises its F-beta on ``(y_true, y_score)``.

    Each class is taken one-vs-rest (a multi-label column, a class of a
    multi-class problem, or the positive class of a binary one); a record is
    called positive when its score is ``>=`` the threshold. The threshold lies
    halfway between the best score and the next lower one, so that scores
    close to the tuning data's keep their decisions. Tune on data the model did
    not train on.

    Parameters
    ----------
    y_true : array-like of shape (n,) or (n, n_labels), or pd.DataFrame
        Class labels or a 0/1 indicator matrix; see :func:`auroc`.
    y_score : array-like or pd.DataFrame
        Scores or probabilities; see :func:`auroc`.
    labels : array-like, optional
        Class order of the ``y_score`` columns; see :func:`auroc`.
    beta : float, default=1.0
        ``1`` maximises F1; ``2`` weighs recall as the PhysioNet/CinC 2020
        Challenge's F-beta does.

    Returns
    -------
    pd.Series
        Threshold per class (index: class or label names; the positive class
        for a binary problem). NaN for a class with no positive record.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale.metrics import f1_at_thresholds, tune_thresholds
    >>> y = np.array([0, 0, 0, 1, 1, 1])
    >>> score = np.array([0.1, 0.2, 0.35, 0.3, 0.4, 0.45])
    >>> t = tune_thresholds(y, score)
    >>> t.round(3).to_dict()
    {1: 0.25}
    >>> float(f1_at_thresholds(y, score, thresholds=0.5)), round(float(f1_at_thresholds(y, score, thresholds=t)), 3)
    (0.0, 0.857)
    """
    if not np.isfinite(beta) or beta <= 0:
        raise ValueError(f"beta must be a positive number, got {beta!r}")
    t = as_targets(y_true, y_score, labels=labels)
    values = [_best_threshold(t.y[:, k], t.score[:, k], float(beta)) for k in range(len(t.names))]
    return pd.Series(values, index=list(t.names), dtype=float)
