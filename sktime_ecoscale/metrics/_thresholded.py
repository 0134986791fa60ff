"""Metrics of thresholded decisions: F1 at given thresholds, F-beta / G-beta, F-max.

A record is called positive for a class when its score is ``>=`` the class's
threshold (sklearn's ``precision_recall_curve`` convention). The confusion
counts of all resamples of a bootstrap are one matrix product of the
resampling weights with the ``(n, K)`` hit/miss indicators.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from sktime_ecoscale.metrics._targets import (
    Targets,
    as_targets,
    as_thresholds,
    average_classes,
    check_average,
    finish,
)

__all__ = ["f1_at_thresholds", "f_beta", "g_beta", "f_max"]


def _counts(t: Targets, w: np.ndarray, thresholds, per_label: bool):
    """Weighted TP, FP, FN, ``(B, K)`` each.

    ``per_label``: each record counts ``1 / (its number of labels)`` (at least 1),
    the normalisation of the 2020 Challenge's F-beta and G-beta.
    """
    pred = t.score >= as_thresholds(thresholds, t)[None, :]
    record = 1.0 / np.maximum(t.y.sum(axis=1), 1) if per_label else np.ones(t.n)
    hit = t.y * record[:, None]
    tp = w @ (hit * pred)
    fn = w @ (hit * ~pred)
    fp = w @ ((~t.y * record[:, None]) * pred)
    return tp, fp, fn


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def _f1_per_class(t, w, thresholds):
    tp, fp, fn = _counts(t, w, thresholds, per_label=False)
    return _ratio(2 * tp, 2 * tp + fp + fn)


def _f_beta_per_class(t, w, thresholds, beta):
    tp, fp, fn = _counts(t, w, thresholds, per_label=True)
    b2 = beta**2
    return _ratio((1 + b2) * tp, (1 + b2) * tp + fp + b2 * fn)


def _g_beta_per_class(t, w, thresholds, beta):
    tp, fp, fn = _counts(t, w, thresholds, per_label=True)
    return _ratio(tp, tp + fp + beta * fn)


_THRESHOLD_DOC = """
    y_true : array-like of shape (n,) or (n, n_labels), or pd.DataFrame
        Class labels or a 0/1 indicator matrix; see :func:`auroc`.
    y_score : array-like or pd.DataFrame
        Scores or probabilities (or 0/1 decisions, with the default
        threshold); see :func:`auroc`. Multi-class probabilities are
        thresholded one-vs-rest, per class.
    thresholds : float, array-like of shape (n_classes,) or dict, default=0.5
        One threshold for all classes, one per ``y_score`` column, or
        ``{class: threshold}``. A record is positive for a class when its
        score is ``>=`` the threshold.
    labels : array-like, optional
        Class order of the ``y_score`` columns; see :func:`auroc`.
    average : {"macro", None}, default="macro"
        ``"macro"``: unweighted mean over the classes where the value is
        defined; ``None``: a Series with one value per class."""


def f1_at_thresholds(
    y_true: ArrayLike,
    y_score: ArrayLike,
    thresholds=0.5,
    *,
    labels: ArrayLike | None = None,
    average: str | None = "macro",
):
    """F1 score of the decisions made by per-class thresholds.

    Parameters
    ----------{params}

    Returns
    -------
    float or pd.Series
        ``2 TP / (2 TP + FP + FN)`` per class; ``nan`` for a class neither
        present nor predicted (sklearn gives 0 there; the PhysioNet/CinC code
        gives ``nan`` and leaves it out of the mean, as here). Otherwise equal
        to ``sklearn.metrics.f1_score`` on the thresholded indicator matrix.

    Examples
    --------
    >>> from sktime_ecoscale.metrics import f1_at_thresholds
    >>> f1_at_thresholds([0, 1, 1, 0], [0.2, 0.7, 0.4, 0.6], thresholds=0.5)
    0.5
    >>> y = [[1, 0], [0, 1], [1, 1]]
    >>> s = [[0.9, 0.2], [0.4, 0.3], [0.6, 0.8]]
    >>> f1_at_thresholds(y, s, thresholds=[0.5, 0.25], average=None).to_dict()
    {{0: 1.0, 1: 1.0}}
    """
    check_average(average)
    t = as_targets(y_true, y_score, labels)
    per_class = _f1_per_class(t, np.ones((1, t.n)), thresholds)
    return finish(average_classes(per_class, average), t, per_class, "F1")


def f_beta(
    y_true: ArrayLike,
    y_score: ArrayLike,
    thresholds=0.5,
    *,
    beta: float = 2.0,
    labels: ArrayLike | None = None,
    average: str | None = "macro",
):
    """F-beta measure of the PhysioNet/CinC Challenge 2020 (beta = 2).

    Parameters
    ----------{params}
    beta : float, default=2
        Weight of recall against precision (the Challenge used 2).

    Returns
    -------
    float or pd.Series
        ``(1 + b^2) TP / ((1 + b^2) TP + FP + b^2 FN)`` per class, where each
        record adds ``1 / (number of its labels)`` to the counts (the 2020
        Challenge's normalisation, so multi-label records do not dominate).
        For single-label targets this is ``sklearn.metrics.fbeta_score``;
        ``nan`` where the denominator is 0.

    References
    ----------
    Perez Alday E. A. et al., "Classification of 12-lead ECGs: the
    PhysioNet/Computing in Cardiology Challenge 2020", Physiol. Meas. 41
    (2020) 124003; ``compute_beta_measures`` in
    physionetchallenges/evaluation-2020.

    Examples
    --------
    >>> from sktime_ecoscale.metrics import f_beta
    >>> round(f_beta([0, 1, 1, 0], [0.2, 0.7, 0.4, 0.6]), 4)
    0.5
    """
    check_average(average)
    t = as_targets(y_true, y_score, labels)
    per_class = _f_beta_per_class(t, np.ones((1, t.n)), thresholds, beta)
    return finish(average_classes(per_class, average), t, per_class, "F-beta")


def g_beta(
    y_true: ArrayLike,
    y_score: ArrayLike,
    thresholds=0.5,
    *,
    beta: float = 2.0,
    labels: ArrayLike | None = None,
    average: str | None = "macro",
):
    """G-beta measure of the PhysioNet/CinC Challenge 2020 (beta = 2).

    Parameters
    ----------{params}
    beta : float, default=2
        Weight of false negatives (the Challenge used 2).

    Returns
    -------
    float or pd.Series
        ``TP / (TP + FP + b FN)`` per class, with the same per-record
        normalisation as :func:`f_beta` (for ``beta=1`` the Jaccard index);
        ``nan`` where the denominator is 0.

    References
    ----------
    As :func:`f_beta`.

    Examples
    --------
    >>> from sktime_ecoscale.metrics import g_beta
    >>> round(g_beta([0, 1, 1, 0], [0.2, 0.7, 0.4, 0.6]), 4)
    0.25
    """
    check_average(average)
    t = as_targets(y_true, y_score, labels)
    per_class = _g_beta_per_class(t, np.ones((1, t.n)), thresholds, beta)
    return finish(average_classes(per_class, average), t, per_class, "G-beta")


for _f in (f1_at_thresholds, f_beta, g_beta):
    if _f.__doc__:  # None under python -OO
        _f.__doc__ = _f.__doc__.format(params=_THRESHOLD_DOC)


def _kernel(per_class, beta: bool):
    def kernel(t, w, thresholds=0.5, average="macro", **kw):
        check_average(average)
        extra = (kw.pop("beta", 2.0),) if beta else ()
        if kw:
            raise TypeError(f"unexpected arguments {sorted(kw)}")
        return average_classes(per_class(t, w, thresholds, *extra), average)

    return kernel


# bootstrap_ci looks these up: the same computation with resampling weights
f1_at_thresholds._kernel = _kernel(_f1_per_class, beta=False)
f_beta._kernel = _kernel(_f_beta_per_class, beta=True)
g_beta._kernel = _kernel(_g_beta_per_class, beta=True)


def _f_curve(t: Targets, average: str) -> tuple[np.ndarray, np.ndarray]:
    """F at every distinct score, as thresholds fall: ``(thresholds desc, F)``.

    Lowering the threshold past one score adds one (record, class) prediction,
    which changes that record's precision, recall or F1 only: the sums over
    records are cumulative sums of those changes, one sort for all thresholds.
    """
    n, k = t.y.shape
    flat = t.score.ravel()
    order = np.argsort(-flat, kind="mergesort")
    rec = order // k
    hit = t.y.ravel()[order].astype(float)
    # running predicted / true-positive counts of each record, in event order
    by_rec = np.argsort(rec, kind="mergesort")
    pos = np.arange(len(order))
    start = np.maximum.accumulate(np.where(np.r_[True, np.diff(rec[by_rec]) != 0], pos, 0))
    csum = np.cumsum(hit[by_rec])
    n_pred, n_tp = np.empty(len(order)), np.empty(len(order))
    n_pred[by_rec] = pos - start + 1
    n_tp[by_rec] = csum - csum[start] + hit[by_rec][start]
    n_true = t.y.sum(axis=1)[rec].astype(float)
    pred0, tp0 = n_pred - 1, n_tp - hit
    with np.errstate(invalid="ignore", divide="ignore"):
        if average == "cafa":
            # precision: mean over records with >= 1 prediction; recall: over records with a label
            d_prec = n_tp / n_pred - np.where(pred0 > 0, tp0 / np.maximum(pred0, 1), 0.0)
            n_scored = np.count_nonzero(t.y.any(axis=1))
            precision = np.cumsum(d_prec) / np.cumsum(pred0 == 0)
            recall = np.cumsum(np.where(n_true > 0, hit / np.maximum(n_true, 1), 0.0))
            recall = recall / n_scored if n_scored else np.full(len(order), np.nan)
            f = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
            f = np.where(np.isnan(recall), np.nan, f)
        else:  # "samples": mean over all records of the record's own F1
            after = 2 * n_tp / (n_pred + n_true)
            before = np.where(pred0 + n_true > 0, 2 * tp0 / np.maximum(pred0 + n_true, 1), 0.0)
            f = np.cumsum(after - before) / n
    s = flat[order]
    last = np.flatnonzero(np.r_[s[1:] != s[:-1], True])  # all tied scores cross together
    return s[last], f[last]


def f_max(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    labels: ArrayLike | None = None,
    thresholds: ArrayLike | None = None,
    average: str = "cafa",
    return_threshold: bool = False,
):
    """Maximum over one threshold common to all classes of a record-centred F1 (F-max).

    Parameters
    ----------
    y_true : array-like of shape (n,) or (n, n_labels), or pd.DataFrame
        Class labels or a 0/1 indicator matrix; see :func:`auroc`.
    y_score : array-like or pd.DataFrame
        Scores or probabilities; see :func:`auroc`.
    labels : array-like, optional
        Class order of the ``y_score`` columns; see :func:`auroc`.
    thresholds : array-like, optional
        Candidate thresholds (e.g. ``np.linspace(0, 1, 101)``, the grid of
        the CAFA evaluation). Default: every distinct score, i.e. the exact
        maximum.
    average : {"cafa", "samples"}, default="cafa"
        ``"cafa"``: F1 of the precision averaged over the records with at
        least one positive decision and the recall averaged over the records
        with at least one label (CAFA's protein-centric F-max, which
        Strodthoff et al. report for PTB-XL; for a single binary column it is
        the positive class's F1). ``"samples"``: mean over all records of
        each record's own F1, i.e. ``sklearn.metrics.f1_score(...,
        average="samples", zero_division=0)``.
    return_threshold : bool, default=False
        Also return the threshold that reaches the maximum (the highest one,
        on ties).

    Returns
    -------
    float, or (float, float) with ``return_threshold``
        F-max in [0, 1] (``nan`` for ``"cafa"`` when no record has a label).

    References
    ----------
    Radivojac P. et al., "A large-scale evaluation of computational protein
    function prediction", Nat. Methods 10 (2013) 221-227.
    Strodthoff N. et al., "Deep learning for ECG analysis: benchmarks and
    insights from PTB-XL", IEEE J. Biomed. Health Inform. 25 (2021) 1519-1528.

    Examples
    --------
    >>> from sktime_ecoscale.metrics import f_max
    >>> y = [[1, 0, 0], [0, 1, 1], [0, 0, 1]]
    >>> s = [[0.9, 0.3, 0.1], [0.2, 0.6, 0.4], [0.1, 0.5, 0.7]]
    >>> best, at = f_max(y, s, return_threshold=True)
    >>> round(best, 4), at
    (0.9091, 0.6)
    """
    if average not in ("cafa", "samples"):
        raise ValueError(f"average must be 'cafa' or 'samples', got {average!r}")
    t = as_targets(y_true, y_score, labels)
    cut, f = _f_curve(t, average)
    if thresholds is not None:
        grid = np.asarray(thresholds, dtype=float).reshape(-1)
        if grid.size == 0 or not np.isfinite(grid).all():
            raise ValueError("thresholds must be a non-empty array of finite numbers")
        # index of the lowest distinct score still >= each grid threshold
        idx = np.searchsorted(-cut, -grid, side="right") - 1
        f = np.where(idx >= 0, f[np.maximum(idx, 0)], 0.0)  # nothing predicted: F = 0
        cut = grid
        by_cut = np.argsort(-cut, kind="mergesort")  # ties -> highest threshold first
        cut, f = cut[by_cut], f[by_cut]
    if np.isnan(f).all():
        best, at = float("nan"), float("nan")
    else:
        i = int(np.nanargmax(f))
        best, at = float(f[i]), float(cut[i])
    return (best, at) if return_threshold else best
