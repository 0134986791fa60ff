"""Scores for sktime's ``evaluate``: single-label and multi-label alike.

``evaluate`` hands ``y_true`` over as a DataFrame (one column per label) and
the predictions in sktime's formats: labels (array or DataFrame) and
probabilities (``(n, n_classes)`` array, or a DataFrame with columns
``(label, class)`` for multi-label). These functions accept all of them.
``evaluate`` tells probability scores apart by the ``y_pred_proba`` argument.
"""

from __future__ import annotations

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
