"""One reading of ``(y_true, y_score)`` for every metric: binary, multi-class, multi-label.

Each metric turns its inputs into a :class:`Targets` (an ``(n, K)`` 0/1 matrix and
the matching ``(n, K)`` scores) here, so all of them accept the same formats and
refuse bad input with the same messages. The metric kernels then work on columns
and on resampling weights only, which is what lets the bootstrap run them for
many resamples at once.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.exceptions import UndefinedMetricWarning

__all__ = ["Targets", "as_targets", "check_average", "average_classes", "finish", "as_thresholds"]


@dataclass(frozen=True)
class Targets:
    """Targets as ``K`` one-vs-rest columns.

    ``y`` is the ``(n, K)`` boolean indicator, ``score`` the ``(n, K)`` scores,
    ``names`` the class (multi-class), label (multi-label) or positive-class
    (binary, ``K == 1``) names, ``kind`` one of ``"binary"``, ``"multiclass"``,
    ``"multilabel"``.
    """

    y: np.ndarray
    score: np.ndarray
    names: tuple
    kind: str

    @property
    def n(self) -> int:
        return self.y.shape[0]


def _scores(y_score) -> np.ndarray:
    try:
        s = np.asarray(y_score, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"y_score must be numeric scores or probabilities: {err}") from None
    if s.ndim == 0 or s.ndim > 2:
        raise ValueError(f"y_score must be 1-D (binary) or 2-D (n, n_classes), got shape {s.shape}")
    if not np.isfinite(s).all():
        raise ValueError("y_score contains NaN or infinite values")
    return s


def _positive_columns(df: pd.DataFrame) -> tuple[np.ndarray, list]:
    """Positive-class column of each label of sktime's ``(label, class)`` probabilities."""
    names, cols = [], []
    for label in df.columns.get_level_values(0).unique():
        sub = df[label]
        classes = list(sub.columns)
        if 1 in classes:
            cols.append(sub[1].to_numpy(dtype=float))
        elif len(classes) == 1:  # only the negative class was seen in fit: P(positive) = 1 - P(it)
            cols.append(1.0 - sub[classes[0]].to_numpy(dtype=float))
        else:
            cols.append(sub[max(classes)].to_numpy(dtype=float))
        names.append(label)
    return np.column_stack(cols), names


def _plain(values) -> list:
    """numpy scalars -> Python ones, so class names print as ``'a'``, not ``np.str_('a')``."""
    return [v.item() if isinstance(v, np.generic) else v for v in values]


def _classes(y: np.ndarray, labels, score_names) -> list:
    if labels is not None:
        classes = _plain(labels)
        if len(set(classes)) != len(classes):
            raise ValueError(f"labels has duplicates: {classes}")
        missing = sorted(map(str, set(pd.unique(y)) - set(classes)))
        if missing:
            raise ValueError(f"y_true holds classes not in labels: {missing}; labels={classes}")
        return classes
    present = set(pd.unique(y))
    if score_names is not None and present <= set(score_names):
        return list(score_names)  # a probability DataFrame names its columns
    try:
        return _plain(sorted(present))
    except TypeError:
        raise ValueError("y_true mixes label types that cannot be sorted; pass labels=") from None


def _two_classes(classes: list) -> list:
    """The ``[negative, positive]`` pair of a binary target."""
    if len(classes) == 1:
        # one class present: 0/1 (or bool) targets still say which one is positive
        (only,) = classes
        if isinstance(only, (bool, np.bool_)):
            return [False, True]
        if only in (0, 1):
            return [0, 1]
        raise ValueError(
            f"y_true holds one class only ({only!r}); pass labels=[negative, positive]"
        )
    if len(classes) > 2:
        raise ValueError(
            f"y_score holds one score per record (binary) but y_true has {len(classes)} classes "
            f"{classes}; pass an (n, n_classes) probability matrix"
        )
    return classes


def _binary(y: np.ndarray, s: np.ndarray, classes: list) -> Targets:
    classes = _two_classes(classes)
    positive = np.asarray(y == classes[1], dtype=bool)
    return Targets(positive[:, None], s[:, None], (classes[1],), "binary")


def as_targets(y_true, y_score, labels=None) -> Targets:
    """Read ``(y_true, y_score)`` in any supported format; see the metrics' docstrings."""
    names_true = list(y_true.columns) if isinstance(y_true, pd.DataFrame) else None
    names_score = None
    if isinstance(y_score, pd.DataFrame):
        if isinstance(y_score.columns, pd.MultiIndex):
            y_score, names_score = _positive_columns(y_score)
        else:
            names_score = list(y_score.columns)
    s = _scores(y_score)
    y = np.asarray(y_true)
    if y.ndim == 0 or y.ndim > 2:
        raise ValueError(
            f"y_true must be 1-D labels or a 2-D indicator matrix, got shape {y.shape}"
        )
    if len(y) == 0:
        raise ValueError("y_true is empty")
    if len(y) != len(s):
        raise ValueError(f"y_true has {len(y)} records but y_score has {len(s)}")
    if y.ndim == 2 and y.shape[1] == 1:  # a one-column DataFrame is single-label
        y, names_true = y[:, 0], None
    if pd.isna(y).any():
        raise ValueError("y_true contains missing values")
    if y.ndim == 1:
        return _single_label(y, s, labels, names_score)
    return _multilabel(y, s, labels, names_true, names_score)


def _single_label(y, s, labels, names_score) -> Targets:
    classes = _classes(y, labels, names_score)
    if s.ndim == 1 or s.shape[1] == 1:
        return _binary(y, s.reshape(-1), classes)
    k = s.shape[1]
    if k == 2 and len(classes) <= 2:
        return _binary(y, s[:, 1], classes)  # column 1 is the positive (second) class
    if len(classes) != k:
        raise ValueError(
            f"y_score has {k} columns but {len(classes)} classes are known ({classes}); "
            "pass labels= with one class per column, in column order"
        )
    onehot = (y[:, None] == np.asarray(classes, dtype=object)[None, :]).astype(bool)
    return Targets(onehot, s, tuple(classes), "multiclass")


def _multilabel(y, s, labels, names_true, names_score) -> Targets:
    try:
        yf = y.astype(float)
    except (TypeError, ValueError):
        yf = None
    if yf is None or not np.isin(yf, (0.0, 1.0)).all():
        raise ValueError(
            "y_true is 2-D, so it is read as a multi-label 0/1 indicator matrix, "
            "but it holds values other than 0 and 1"
        )
    n_labels = y.shape[1]
    if s.ndim != 2 or s.shape[1] != n_labels:
        raise ValueError(
            f"y_true has {n_labels} label columns but y_score has shape {s.shape}; pass one "
            "positive-class score per label (sktime's (label, class) DataFrame is read as is)"
        )
    if names_true is not None and labels is not None and list(labels) != names_true:
        raise ValueError(f"labels {list(labels)} differ from y_true's columns {names_true}")
    names = names_true or (list(labels) if labels is not None else None) or names_score
    names = list(range(n_labels)) if names is None else _plain(names)
    if len(names) != n_labels:
        raise ValueError(f"labels has {len(names)} names for {n_labels} label columns")
    if names_score is not None and names_score != names:
        if set(names_score) != set(names):
            raise ValueError(f"y_score's columns {names_score} differ from the labels {names}")
        s = s[:, [names_score.index(c) for c in names]]  # same labels, other order
    return Targets(yf.astype(bool), s, tuple(names), "multilabel")


def check_average(average) -> None:
    """Refuse an unknown ``average`` before any work."""
    if average not in ("macro", None):
        raise ValueError(f"average must be 'macro' or None, got {average!r}")


def average_classes(values: np.ndarray, average) -> np.ndarray:
    """``(B, K)`` per-class values -> ``(B,)`` macro mean over defined classes, or as is.

    Undefined classes (``nan``) are left out of the mean, as the PhysioNet/CinC
    evaluation code does with ``nanmean``.
    """
    if average is None:
        return values
    ok = ~np.isnan(values)
    count = ok.sum(axis=1)
    total = np.where(ok, values, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def finish(values: np.ndarray, t: Targets, per_class: np.ndarray | None = None, what: str = ""):
    """Single-resample kernel output -> float, or a Series over ``t.names``."""
    row = values[0]
    undefined = per_class[0] if per_class is not None else row
    if np.ndim(undefined) and np.isnan(undefined).any():
        bad = [n for n, v in zip(t.names, undefined) if np.isnan(v)]
        warnings.warn(
            f"{what} is undefined for {bad} (no positive or no negative records); "
            "left out of the macro average",
            UndefinedMetricWarning,
            stacklevel=3,
        )
    if np.ndim(row) == 0:
        return float(row)
    return pd.Series(row, index=list(t.names), dtype=float)


def as_thresholds(thresholds, t: Targets) -> np.ndarray:
    """A scalar, one value per column, or a mapping ``{name: threshold}`` -> ``(K,)``."""
    k = len(t.names)
    if isinstance(thresholds, (Mapping, pd.Series)):
        table = dict(thresholds.items())
        missing = [n for n in t.names if n not in table]
        if missing:
            raise ValueError(f"thresholds gives no value for {missing}")
        out = np.array([table[n] for n in t.names], dtype=float)
    else:
        out = np.asarray(thresholds, dtype=float)
        if out.ndim == 0:
            out = np.full(k, float(out))
        elif out.shape != (k,):
            raise ValueError(f"thresholds needs one value or {k} (one per column), got {out.shape}")
    if not np.isfinite(out).all():
        raise ValueError("thresholds must be finite numbers")
    return out
