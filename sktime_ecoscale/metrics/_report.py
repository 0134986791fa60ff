"""The per-class table of a clinical study: AUROC, AUPRC and F1 with bootstrap intervals."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from sktime_ecoscale.metrics._bootstrap import bootstrap_ci
from sktime_ecoscale.metrics._ranking import auprc, auroc
from sktime_ecoscale.metrics._targets import as_targets, as_thresholds
from sktime_ecoscale.metrics._thresholded import f1_at_thresholds

__all__ = ["clinical_report"]

_METRICS = {"AUROC": auroc, "AUPRC": auprc, "F1": f1_at_thresholds}


def clinical_report(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    thresholds=0.5,
    labels: ArrayLike | None = None,
    n: int = 1000,
    confidence: float = 0.95,
    random_state: int | None = 0,
) -> pd.DataFrame:
    """Per-class and macro AUROC, AUPRC and F1 with percentile bootstrap intervals.

    Parameters
    ----------
    y_true : array-like of shape (n,) or (n, n_labels), or pd.DataFrame
        Class labels or a 0/1 indicator matrix; see :func:`auroc`.
    y_score : array-like or pd.DataFrame
        Scores or probabilities, e.g. ``predict_proba``; see :func:`auroc`.
    thresholds : float, array-like or mapping, default=0.5
        Decision thresholds of the F1 column (e.g. a fitted classifier's
        ``decision_thresholds_``); see :func:`f1_at_thresholds`.
    labels : array-like, optional
        Class order of the ``y_score`` columns; see :func:`auroc`.
    n : int, default=1000
        Bootstrap resamples (stratified, as :func:`bootstrap_ci`).
    confidence : float, default=0.95
        Nominal coverage of the intervals.
    random_state : int or None, default=0
        Seed of the resampling (the same resamples for every metric).

    Returns
    -------
    pd.DataFrame
        One row per class (the positive class of a binary problem) and a
        ``"macro"`` row; columns ``positives``, ``threshold`` and, for each of
        AUROC, AUPRC and F1, the estimate and its ``low`` / ``high`` bounds.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale.metrics import clinical_report
    >>> rng = np.random.default_rng(0)
    >>> y = (rng.random((400, 2)) < [0.2, 0.5]).astype(int)
    >>> score = np.clip(0.4 * y + 0.6 * rng.random((400, 2)), 0, 1)
    >>> table = clinical_report(y, score, labels=["MI", "NORM"], n=200)
    >>> list(table.index), list(table.columns[:5])
    (['MI', 'NORM', 'macro'], ['positives', 'threshold', 'AUROC', 'AUROC low', 'AUROC high'])
    >>> bool((table["AUROC low"] <= table["AUROC"]).all() and (table["AUROC"] <= table["AUROC high"]).all())
    True
    """
    t = as_targets(y_true, y_score, labels=labels)
    names = list(t.names)
    table = pd.DataFrame(index=[*names, "macro"])
    table["positives"] = [*t.y.sum(axis=0).astype(int).tolist(), int(t.y.any(axis=1).sum())]
    table["threshold"] = [*as_thresholds(thresholds, t).tolist(), np.nan]
    for name, metric in _METRICS.items():
        kwargs = {"thresholds": thresholds} if metric is f1_at_thresholds else {}
        common = dict(
            n=n, confidence=confidence, random_state=random_state, labels=labels, **kwargs
        )
        per_class = bootstrap_ci(functools.partial(metric, average=None), y_true, y_score, **common)
        macro = bootstrap_ci(metric, y_true, y_score, **common)
        for column, attribute in (
            (name, "estimate"),
            (f"{name} low", "low"),
            (f"{name} high", "high"),
        ):
            values = pd.Series(getattr(per_class, attribute)).reindex(names)
            table[column] = [*values.to_numpy(dtype=float), float(getattr(macro, attribute))]
    return table
