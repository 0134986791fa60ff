"""Calibration: expected calibration error and temperature scaling of probabilities."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from sktime_ecoscale.metrics._targets import Targets, as_targets

__all__ = ["expected_calibration_error", "fit_temperature", "apply_temperature"]

_EPS = 1e-7


def _bin_gap(confidence: np.ndarray, correct: np.ndarray, n_bins: int) -> float:
    """sum_b (n_b / n) |accuracy_b - confidence_b| over equal-width bins of [0, 1]."""
    bins = np.minimum((confidence * n_bins).astype(int), n_bins - 1)
    acc = np.bincount(bins, weights=correct.astype(float), minlength=n_bins)
    conf = np.bincount(bins, weights=confidence, minlength=n_bins)
    return float(np.abs(acc - conf).sum() / len(confidence))


def expected_calibration_error(y_true, y_score, n_bins: int = 15, labels=None) -> float:
    """Expected calibration error (Guo et al., ICML 2017), equal-width bins.

    Multi-class: of the top label (confidence ``max_c p_c`` against whether
    the argmax is right). Binary: of the positive-class probability.
    Multi-label: the mean over labels of their binary ECE.

    Parameters
    ----------
    y_true : array-like or DataFrame
        Labels (1-D) or a 0/1 indicator matrix (multi-label).
    y_score : array-like or DataFrame
        Probabilities, in the formats the other metrics take.
    n_bins : int, default=15
        Bins of ``[0, 1]``.
    labels : sequence, optional
        Class of each score column.

    Returns
    -------
    float
        In ``[0, 1]``; 0 is perfectly calibrated.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale.metrics import expected_calibration_error
    >>> y = np.array([0, 0, 1, 1])
    >>> float(expected_calibration_error(y, np.array([0.0, 0.0, 1.0, 1.0])))
    0.0
    >>> round(float(expected_calibration_error(y, np.array([0.4, 0.4, 0.6, 0.6]))), 3)  # under-confident
    0.4
    """
    if int(n_bins) < 1:
        raise ValueError(f"n_bins must be >= 1, got {n_bins!r}")
    t = as_targets(y_true, y_score, labels)
    _check_probabilities(t)
    if t.kind == "multiclass":
        top = t.score.argmax(axis=1)
        correct = t.y[np.arange(t.n), top]
        return _bin_gap(t.score.max(axis=1), correct, int(n_bins))
    return float(
        np.mean([_bin_gap(t.score[:, k], t.y[:, k], int(n_bins)) for k in range(len(t.names))])
    )


def _check_probabilities(t: Targets) -> None:
    if t.score.min() < 0 or t.score.max() > 1:
        raise ValueError("y_score must be probabilities in [0, 1] for calibration metrics")


def _logits(t: Targets) -> np.ndarray:
    p = np.clip(t.score, _EPS, 1 - _EPS)
    return np.log(p) if t.kind == "multiclass" else np.log(p) - np.log1p(-p)


def _nll(t: Targets, logits: np.ndarray, temperature: float) -> float:
    z = logits / temperature
    if t.kind == "multiclass":
        z = z - z.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return float(-log_p[t.y].mean())
    # binary cross-entropy of sigmoid(z), stable form
    return float((np.logaddexp(0, z) - t.y * z).mean())


def fit_temperature(y_true, y_score, labels=None) -> float:
    """The temperature ``T`` that minimises the log loss of ``y_score`` re-scaled by ``1 / T``.

    Temperature scaling (Guo et al. 2017): logits divided by one scalar, fitted
    on held-out records. ``T > 1`` softens over-confident probabilities; the
    ranking of a binary or multi-label score, hence its AUROC, does not change,
    nor the argmax of a multi-class one.

    Parameters
    ----------
    y_true, y_score, labels
        As in :func:`expected_calibration_error` (held-out probabilities).

    Returns
    -------
    float
        ``T`` in ``[0.05, 20]``.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale.metrics import apply_temperature, fit_temperature
    >>> rng = np.random.default_rng(0)
    >>> z = rng.normal(size=2000)
    >>> y = (rng.random(2000) < 1 / (1 + np.exp(-z))).astype(int)  # calibrated at T = 1
    >>> over = 1 / (1 + np.exp(-3 * z))                            # three times too sharp
    >>> round(fit_temperature(y, over), 1)
    3.0
    """
    from scipy.optimize import minimize_scalar

    t = as_targets(y_true, y_score, labels)
    _check_probabilities(t)
    logits = _logits(t)
    result = minimize_scalar(
        lambda log_t: _nll(t, logits, float(np.exp(log_t))),
        bounds=(np.log(0.05), np.log(20.0)),
        method="bounded",
        options={"xatol": 1e-4},
    )
    return float(np.exp(result.x))


def apply_temperature(
    y_score: ArrayLike, temperature: float, multiclass: bool | None = None
) -> np.ndarray:
    """Probabilities re-scaled by ``1 / temperature`` on the logit scale.

    Parameters
    ----------
    y_score : array-like of shape (n,) or (n, K)
        Probabilities: softmax rows (multi-class) or independent positive-class
        probabilities (binary, multi-label).
    temperature : float
        From :func:`fit_temperature`.
    multiclass : bool, optional
        Whether the rows are softmax distributions (two columns of a binary
        classifier included); default: a 2-D array whose rows sum to 1.

    Returns
    -------
    np.ndarray of the shape of ``y_score``

    Examples
    --------
    >>> import numpy as np
    >>> apply_temperature(np.array([[0.9, 0.1], [0.5, 0.5]]), 2.0).round(3)
    array([[0.75, 0.25],
           [0.5 , 0.5 ]])
    """
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature!r}")
    p = np.clip(np.asarray(y_score, dtype=float), _EPS, 1 - _EPS)
    if multiclass is None:
        multiclass = p.ndim == 2 and p.shape[1] >= 2 and np.allclose(p.sum(axis=1), 1, atol=1e-4)
    if multiclass:
        z = np.log(p) / temperature
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)
    return 1 / (1 + np.exp(-(np.log(p) - np.log1p(-p)) / temperature))
