"""Threshold-free ranking metrics: AUROC and AUPRC (average precision).

Both are computed from one sort per class and *record weights*: the point
estimate uses weight 1 for every record, a bootstrap resample uses how often
each record was drawn. So ``B`` resamples cost ``B`` weighted cumulative sums
over the same sorted order, not ``B`` sorts, which is what makes
:func:`~sktime_ecoscale.metrics.bootstrap_ci` fast for these two.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from sktime_ecoscale.metrics._targets import (
    Targets,
    as_targets,
    average_classes,
    check_average,
    finish,
)

__all__ = ["auroc", "auprc"]


def _groups(score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ascending sort order and the start of each run of tied scores."""
    order = np.argsort(score, kind="mergesort")
    s = score[order]
    starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])
    return order, starts


def _tie_sums(t: Targets, k: int, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weight of positives and of negatives in each tie group, ``(B, G)`` each, ascending."""
    order, starts = _groups(t.score[:, k])
    ws = w[:, order]
    pos = t.y[order, k]
    wp = np.add.reduceat(ws * pos, starts, axis=1)
    wn = np.add.reduceat(ws, starts, axis=1) - wp
    return wp, wn


def _auroc_per_class(t: Targets, w: np.ndarray) -> np.ndarray:
    out = np.empty((w.shape[0], len(t.names)))
    for k in range(len(t.names)):
        wp, wn = _tie_sums(t, k, w)
        below = np.cumsum(wn, axis=1) - wn  # negatives scored strictly lower
        pairs = (wp * (below + 0.5 * wn)).sum(axis=1)  # ties count one half (Mann-Whitney)
        n_pos, n_neg = wp.sum(axis=1), wn.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[:, k] = np.where((n_pos > 0) & (n_neg > 0), pairs / (n_pos * n_neg), np.nan)
    return out


def _auprc_per_class(t: Targets, w: np.ndarray) -> np.ndarray:
    out = np.empty((w.shape[0], len(t.names)))
    for k in range(len(t.names)):
        wp, wn = _tie_sums(t, k, w)
        # thresholds from the highest score down: cumulative TP and FP at each
        tp = np.cumsum(wp[:, ::-1], axis=1)
        fp = np.cumsum(wn[:, ::-1], axis=1)
        n_pos = tp[:, -1]
        with np.errstate(invalid="ignore", divide="ignore"):
            precision = np.where(tp + fp > 0, tp / (tp + fp), 0.0)
            # AP = sum over thresholds of (recall gained) x (precision there)
            ap = (wp[:, ::-1] * precision).sum(axis=1) / n_pos
        out[:, k] = np.where(n_pos > 0, ap, np.nan)
    return out


def _ones(t: Targets) -> np.ndarray:
    return np.ones((1, t.n))


def auroc(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    average: str | None = "macro",
):
    """Area under the ROC curve, per class (one-vs-rest) or macro-averaged.

    Parameters
    ----------
    y_true : array-like of shape (n,) or (n, n_labels), or pd.DataFrame
        Class labels (binary, multi-class) or a 0/1 indicator matrix
        (multi-label; a DataFrame as sktime's multioutput estimators take).
    y_score : array-like of shape (n,), (n, n_classes) or (n, n_labels), or pd.DataFrame
        Scores or probabilities. Binary: the positive-class score, or two
        columns (negative, positive). Multi-class: one column per class, in
        the order of ``labels``. Multi-label: one positive-class score per
        label, or sktime's ``predict_proba`` DataFrame with ``(label, class)``
        columns.
    labels : array-like, optional
        Class order of the ``y_score`` columns, as sklearn's ``labels`` /
        an estimator's ``classes_`` (binary: ``[negative, positive]``).
        Default: the sorted classes of ``y_true``. For multi-label arrays,
        names of the label columns.
    average : {"macro", None}, default="macro"
        ``"macro"``: unweighted mean over classes (binary: the positive
        class's AUROC); ``None``: a Series with one value per class.

    Returns
    -------
    float or pd.Series
        AUROC in [0, 1]. A class without positive or without negative records
        is ``nan`` (with an ``UndefinedMetricWarning``) and left out of the
        macro mean, as in the PhysioNet/CinC evaluation code.

    Notes
    -----
    Equal to ``sklearn.metrics.roc_auc_score`` (``multi_class="ovr"`` for
    multi-class); tied scores count one half. Computed from ranks, so that
    :func:`bootstrap_ci` evaluates many resamples at once.

    Examples
    --------
    >>> from sktime_ecoscale.metrics import auroc
    >>> auroc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    0.75
    >>> proba = [[0.7, 0.2, 0.1], [0.2, 0.5, 0.3], [0.1, 0.3, 0.6], [0.3, 0.4, 0.3]]
    >>> auroc(["a", "b", "c", "b"], proba, average=None).round(3).to_dict()
    {'a': 1.0, 'b': 1.0, 'c': 1.0}
    """
    check_average(average)
    t = as_targets(y_true, y_score, labels)
    per_class = _auroc_per_class(t, _ones(t))
    return finish(average_classes(per_class, average), t, per_class, "AUROC")


def auprc(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    average: str | None = "macro",
):
    """Area under the precision-recall curve (average precision), per class or macro.

    Parameters
    ----------
    y_true : array-like of shape (n,) or (n, n_labels), or pd.DataFrame
        Class labels or a 0/1 indicator matrix; see :func:`auroc`.
    y_score : array-like or pd.DataFrame
        Scores or probabilities; see :func:`auroc`.
    labels : array-like, optional
        Class order of the ``y_score`` columns; see :func:`auroc`.
    average : {"macro", None}, default="macro"
        ``"macro"``: unweighted mean over classes; ``None``: one value per class.

    Returns
    -------
    float or pd.Series
        Average precision, ``sum_n (R_n - R_{n-1}) P_n`` over the distinct
        scores (no interpolation), equal to
        ``sklearn.metrics.average_precision_score`` and to the AUPRC of the
        PhysioNet/CinC evaluation code. A class without positive records is
        ``nan`` and left out of the macro mean.

    Examples
    --------
    >>> from sktime_ecoscale.metrics import auprc
    >>> round(auprc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 4)
    0.8333
    """
    check_average(average)
    t = as_targets(y_true, y_score, labels)
    per_class = _auprc_per_class(t, _ones(t))
    return finish(average_classes(per_class, average), t, per_class, "AUPRC")


def _kernel(per_class):
    def kernel(t: Targets, w: np.ndarray, average: str | None = "macro") -> np.ndarray:
        check_average(average)
        return average_classes(per_class(t, w), average)

    return kernel


# bootstrap_ci looks these up: the same computation with resampling weights
auroc._kernel = _kernel(_auroc_per_class)
auprc._kernel = _kernel(_auprc_per_class)
