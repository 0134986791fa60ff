"""The metrics as scikit-learn scorers (``cross_val_score``, ``GridSearchCV``, ...)."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import numpy as np

from sktime_ecoscale.metrics._challenge import challenge_score
from sktime_ecoscale.metrics._ranking import auprc, auroc
from sktime_ecoscale.metrics._thresholded import f1_at_thresholds, f_beta, f_max, g_beta

__all__ = ["scorer", "resolve", "METRICS"]

#: The metrics of this package by name.
METRICS: dict[str, Callable] = {
    f.__name__: f for f in (auroc, auprc, f1_at_thresholds, f_beta, g_beta, f_max, challenge_score)
}


def resolve(metric: Callable | str) -> Callable:
    """A metric function from itself or its name in :data:`METRICS`."""
    if isinstance(metric, str):
        if metric not in METRICS:
            raise ValueError(f"unknown metric {metric!r}; known: {sorted(METRICS)}")
        return METRICS[metric]
    if not callable(metric):
        raise ValueError(f"metric must be a callable or a name, got {metric!r}")
    return metric


def _takes_labels(fn: Callable) -> bool:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):  # no signature to read: do not guess
        return False
    return any(p.name == "labels" or p.kind is p.VAR_KEYWORD for p in params)


def scorer(metric: Callable | str, **kwargs) -> Callable:
    """A scikit-learn scorer ``scorer(estimator, X, y) -> float`` for a metric.

    The scorer calls ``estimator.predict_proba(X)`` and passes the
    estimator's ``classes_`` as ``labels``, so a multi-class test fold that
    lacks a class is still scored against the right probability columns
    (``sklearn.metrics.make_scorer`` cannot do that). For binary targets,
    and multi-class folds that hold every class,
    ``make_scorer(auroc, response_method="predict_proba")`` works as well.

    Parameters
    ----------
    metric : callable or str
        A metric of this package or its name (``"auroc"``), or any
        ``metric(y_true, y_score, **kwargs) -> float`` (given ``labels=`` only
        if it takes that argument).
    **kwargs
        Fixed arguments of the metric (``thresholds=...``); ``average``
        must stay ``"macro"`` (a scorer returns one number).

    Returns
    -------
    callable
        ``scorer(estimator, X, y)``, greater is better, usable as
        ``scoring=`` in scikit-learn and sktime tuning.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import cross_val_score
    >>> from sktime_ecoscale.metrics import scorer
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 3))
    >>> y = np.array(["a", "b", "c"] * 20)
    >>> X[:, 0] += (y == "b") * 2
    >>> scores = cross_val_score(LogisticRegression(), X, y, cv=3, scoring=scorer("auroc"))
    >>> scores.shape
    (3,)
    """
    fn = resolve(metric)
    pass_labels = _takes_labels(fn)

    def score(estimator, X, y) -> float:
        proba = estimator.predict_proba(X)
        if isinstance(proba, list):  # sklearn multi-output: one (n, n_classes) array per label
            proba = np.column_stack([p[:, -1] for p in proba])
        kw = dict(kwargs)
        classes = getattr(estimator, "classes_", None)
        if pass_labels and classes is not None and np.ndim(y) == 1 and np.ndim(classes) == 1:
            kw.setdefault("labels", list(classes))
        return float(fn(y, proba, **kw))

    score.__name__ = f"scorer_{getattr(fn, '__name__', 'metric')}"
    score.__doc__ = f"scikit-learn scorer of {getattr(fn, '__name__', fn)!r} on predict_proba."
    return score
