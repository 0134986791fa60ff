"""Scores for sktime's ``evaluate``: single-label and multi-label alike.

``evaluate`` hands ``y_true`` over as a DataFrame (one column per label) and
the predictions in sktime's formats: labels (array or DataFrame) and
probabilities (``(n, n_classes)`` array, or a DataFrame with columns
``(label, class)`` for multi-label). These functions accept all of them.
``evaluate`` tells probability scores apart by the ``y_pred_proba`` argument.
"""

from __future__ import annotations

import warnings

__all__ = ["macro_f1", "macro_auroc", "accuracy", "per_class_f1", "positive_scores"]

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, f1_score, roc_auc_score


def _2d(y) -> np.ndarray:
    arr = np.asarray(y)
    return arr.reshape(len(arr), -1)


def _pair(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    """Labels as ``(n,)`` (single label) or ``(n, n_labels)`` int (multi-label)."""
    t, p = _2d(y_true), _2d(y_pred)
    if t.shape != p.shape:
        # also how evaluate's probe with a probability matrix is refused
        raise ValueError(f"y_true {t.shape} and y_pred {p.shape} differ in shape")
    if t.shape[1] == 1:
        return t[:, 0], p[:, 0]
    return t.astype(int), p.astype(int)


def macro_f1(y_true, y_pred) -> float:
    """Macro-averaged F1 over the classes (single label) or labels (multi-label).

    Parameters
    ----------
    y_true : array-like of shape (n,) or (n, n_labels), or pd.DataFrame
        True class labels, or a 0/1 indicator matrix for multi-label.
    y_pred : array-like of the same shape as ``y_true``
        Predicted labels.

    Returns
    -------
    float
        Unweighted mean of the per-class F1 scores (0 for a class never
        predicted nor present).

    Examples
    --------
    >>> from sktime_ecoscale.benchmarking import macro_f1
    >>> macro_f1(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    0.7333333333333334
    >>> macro_f1([[1, 0], [0, 1]], [[1, 0], [1, 1]])  # multi-label
    0.8333333333333333
    """
    t, p = _pair(y_true, y_pred)
    return float(f1_score(t, p, average="macro", zero_division=0))


def accuracy(y_true, y_pred) -> float:
    """Accuracy; for multi-label the subset accuracy (all labels right).

    Parameters
    ----------
    y_true : array-like of shape (n,) or (n, n_labels), or pd.DataFrame
        True class labels, or a 0/1 indicator matrix for multi-label.
    y_pred : array-like of the same shape as ``y_true``
        Predicted labels.

    Returns
    -------
    float
        Fraction of series whose prediction (all labels, for multi-label) is
        right.

    Examples
    --------
    >>> from sktime_ecoscale.benchmarking import accuracy
    >>> accuracy(["a", "a", "b", "b"], ["a", "b", "b", "b"])
    0.75
    >>> accuracy([[1, 0], [0, 1]], [[1, 0], [1, 1]])  # subset accuracy
    0.5
    """
    t, p = _pair(y_true, y_pred)
    return float(accuracy_score(t, p))


def per_class_f1(y_true, y_pred, labels=None) -> dict:
    """F1 of each class (single label) or label column (multi-label)."""
    t, p = _pair(y_true, y_pred)
    if t.ndim == 2:
        names = (
            list(y_true.columns) if isinstance(y_true, pd.DataFrame) else list(range(t.shape[1]))
        )
        return dict(zip(names, f1_score(t, p, average=None, zero_division=0).tolist()))
    labels = sorted(pd.unique(t)) if labels is None else list(labels)
    return dict(zip(labels, f1_score(t, p, labels=labels, average=None, zero_division=0).tolist()))


def positive_scores(y_pred_proba, n_labels: int) -> np.ndarray:
    """``(n, n_labels)`` probability of the positive class from sktime's multi-label format."""
    if isinstance(y_pred_proba, pd.DataFrame) and isinstance(y_pred_proba.columns, pd.MultiIndex):
        cols = y_pred_proba.columns
        out = []
        for label in cols.get_level_values(0).unique():
            classes = list(y_pred_proba[label].columns)
            out.append(y_pred_proba[label][max(classes)].to_numpy(dtype=float))
        return np.column_stack(out)
    arr = np.asarray(y_pred_proba, dtype=float)
    if arr.shape[1] == 2 * n_labels:  # (label, class) pairs flattened, classes 0/1
        return arr[:, 1::2]
    return arr


def macro_auroc(y_true, y_pred_proba) -> float:
    """Macro-averaged area under the ROC curve (one-vs-rest for multi-class).

    Parameters
    ----------
    y_true : array-like of shape (n,) or (n, n_labels), or pd.DataFrame
        True class labels, or a 0/1 indicator matrix for multi-label.
    y_pred_proba : array-like of shape (n, n_classes), or pd.DataFrame
        Class probabilities in sktime's ``predict_proba`` format: columns in
        sorted class order, or for multi-label ``(label, class)`` columns or
        ``(n, n_labels)`` positive-class scores.

    Returns
    -------
    float
        Unweighted mean AUROC over classes/labels; ``nan`` when undefined
        (a class missing from ``y_true``).

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale.benchmarking import macro_auroc
    >>> proba = np.array([[0.9, 0.1], [0.6, 0.4], [0.3, 0.7], [0.2, 0.8]])
    >>> macro_auroc(["a", "a", "b", "b"], proba)
    1.0
    >>> macro_auroc(["a", "a", "a", "a"], proba)  # one class only: undefined
    nan
    """
    try:
        return _macro_auroc(y_true, y_pred_proba)
    except ValueError:  # a class missing from the test part: undefined
        return float("nan")


def _macro_auroc(y_true, y_pred_proba) -> float:
    t = _2d(y_true)
    if t.shape[1] > 1:
        return float(
            roc_auc_score(t.astype(int), positive_scores(y_pred_proba, t.shape[1]), average="macro")
        )
    t = t[:, 0]
    proba = np.asarray(y_pred_proba, dtype=float)
    classes = sorted(pd.unique(t))
    if proba.shape[1] == 2:
        # sktime orders probability columns by sorted class; so does roc_auc_score
        return float(roc_auc_score(t, proba[:, 1]))
    return float(roc_auc_score(t, proba, multi_class="ovr", average="macro", labels=classes))


def bootstrap_label_scores(
    y_true, y_pred, n: int = 1000, random_state: int = 0, confidence: float = 0.95
) -> dict:
    """Stratified bootstrap intervals of macro-F1 and accuracy from predicted labels.

    All resamples at once: each resample is a vector of record counts
    drawn as :func:`sktime_ecoscale.metrics.bootstrap_ci` draws them
    (stratified by the true class or label set, so every class keeps its size), and
    the per-class true/false positives are count-weighted sums, one matrix
    product for all resamples. Accuracy of multi-label ``y`` is the exact
    match ratio, as :func:`accuracy`.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n,) or (n, n_labels), or pd.DataFrame
        As for :func:`macro_f1`.
    n : int, default=1000
        Number of resamples.
    random_state : int, default=0
        Seed of the resampling.
    confidence : float, default=0.95
        Nominal coverage of the percentile intervals.

    Returns
    -------
    dict
        ``{"macro_f1": (low, high), "accuracy": (low, high)}``.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale.benchmarking._metrics import bootstrap_label_scores
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 3, 400)
    >>> pred = np.where(rng.random(400) < 0.8, y, rng.integers(0, 3, 400))
    >>> ci = bootstrap_label_scores(y, pred, random_state=0)
    >>> lo, hi = ci["macro_f1"]
    >>> bool(lo < macro_f1(y, pred) < hi), bool(hi - lo < 0.15)
    (True, True)
    """
    from sktime_ecoscale.metrics._bootstrap import _counts, _draw, _strata

    t, p = _pair(y_true, y_pred)
    if t.ndim == 1:
        classes = np.unique(np.concatenate([t, p]))
        true_1h = (t[:, None] == classes[None, :]).astype(float)
        pred_1h = (p[:, None] == classes[None, :]).astype(float)
    else:
        true_1h, pred_1h = t.astype(float), p.astype(float)
    # the resamples bootstrap_ci draws: within classes, or within label sets (rare ones pooled)
    rng = np.random.default_rng(random_state)
    counts = _counts(_draw(len(t), _strata(t, True, len(t)), int(n), rng), len(t))
    tp = counts @ (true_1h * pred_1h)
    fp = counts @ ((1 - true_1h) * pred_1h)
    fn = counts @ (true_1h * (1 - pred_1h))
    denom = 2 * tp + fp + fn
    f1 = np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)
    present = denom > 0  # sklearn averages over the labels present in y_true or y_pred
    if t.ndim == 2:
        present = np.ones_like(present)  # multi-label: every label column counts
    macro = (f1 * present).sum(axis=1) / np.maximum(present.sum(axis=1), 1)
    correct = (t == p) if t.ndim == 1 else (t == p).all(axis=1)
    acc = counts @ correct.astype(float) / counts.sum(axis=1)
    alpha = (1 - confidence) / 2
    return {
        name: (float(np.quantile(v, alpha)), float(np.quantile(v, 1 - alpha)))
        for name, v in (("macro_f1", macro), ("accuracy", acc))
    }


def bootstrap_auroc(
    y_true, y_pred_proba, n: int = 1000, random_state: int = 0, confidence: float = 0.95
) -> tuple[float, float]:
    """Stratified bootstrap interval of :func:`macro_auroc`, all resamples at once.

    The target is turned into 0/1 columns (one per label, one per class
    one-vs-rest, or the positive class of a binary target) and passed to
    :func:`sktime_ecoscale.metrics.bootstrap_ci` with its vectorised AUROC.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale.benchmarking._metrics import bootstrap_auroc
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 300)
    >>> p1 = np.clip(0.5 * y + rng.random(300) * 0.6, 0, 1)
    >>> low, high = bootstrap_auroc(y, np.column_stack([1 - p1, p1]), random_state=0)
    >>> bool(low < macro_auroc(y, np.column_stack([1 - p1, p1])) < high)
    True
    """
    from sktime_ecoscale.metrics import auroc, bootstrap_ci

    target, scores, _ = indicator_scores(y_true, y_pred_proba)
    ci = bootstrap_ci(auroc, target, scores, n=n, random_state=random_state, confidence=confidence)
    return float(ci.low), float(ci.high)


def indicator_scores(y_true, y_pred_proba, classes=None) -> tuple[np.ndarray, np.ndarray, list]:
    """0/1 targets, their scores and names from sktime's ``y_test`` / ``y_pred_proba``.

    One column per label (multi-label), one per class one-vs-rest
    (multi-class), or the positive (last) class of a binary target.
    ``classes``: the probability columns' classes (the estimator's); default
    the sorted classes of ``y_true``, which misses a class absent from it.
    """
    t = _2d(y_true)
    if t.shape[1] > 1:
        names = (
            list(y_true.columns) if isinstance(y_true, pd.DataFrame) else list(range(t.shape[1]))
        )
        return t.astype(int), positive_scores(y_pred_proba, t.shape[1]), names
    t = t[:, 0]
    proba = np.asarray(y_pred_proba, dtype=float)
    classes = sorted(pd.unique(t)) if classes is None else list(classes)
    if proba.shape[1] == 2:
        return (t == classes[-1]).astype(int), proba[:, 1], [classes[-1]]
    return (t[:, None] == np.asarray(classes)[None, :]).astype(int), proba, classes


def per_class_intervals(
    y_true, y_pred_proba, n: int = 1000, random_state: int = 0, classes=None
) -> list[dict]:
    """Per class (one-vs-rest) and macro AUROC, AUPRC and F1 at 0.5, with 95 % bootstrap CIs.

    :func:`sktime_ecoscale.metrics.clinical_report` on :func:`indicator_scores`,
    as JSON-ready rows (``class`` first; ``nan`` where a resample is undefined).
    """
    from sktime_ecoscale.metrics import clinical_report

    target, scores, names = indicator_scores(y_true, y_pred_proba, classes)
    binary = target.ndim == 1  # 0/1 target: the report's one row is the positive class
    with warnings.catch_warnings():  # undefined resamples are left out
        warnings.simplefilter("ignore")
        table = clinical_report(
            target,
            scores,
            labels=None if binary else [str(c) for c in names],
            n=n,
            random_state=random_state,
        )
    if binary:  # one class: its macro row is the same row again
        table = table.iloc[:1].set_axis([str(names[0])])
    return [{"class": str(name), **row} for name, row in table.to_dict(orient="index").items()]
