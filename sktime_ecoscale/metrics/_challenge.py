"""The PhysioNet/CinC Challenge 2020-2021 score, with the official 2021 weight matrix.

The score is a class-weighted accuracy: a record whose true classes are ``L``
and whose decisions are ``O`` adds ``sum_{j in L, k in O} W[j, k] / |L u O|``;
the total is scaled so that the always-"sinus rhythm" classifier scores 0 and
the perfect one 1. Each record's share is fixed once its decisions are made,
so a bootstrap resample's score is a weighted sum of per-record shares.
Equivalent SNOMED-CT codes (``"713427006|59118001"`` in ``weights.csv``) form
one class, as in the official ``evaluate_model.py``.
"""

from __future__ import annotations

import functools
from importlib import resources

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from sktime_ecoscale.metrics._targets import Targets, as_targets, as_thresholds, finish

__all__ = ["challenge_score", "challenge_weights", "scored_classes", "SINUS_RHYTHM"]

#: SNOMED-CT code of sinus rhythm, the Challenge's "normal" (inactive) class.
SINUS_RHYTHM = "426783006"


def _data(name: str):
    return resources.files("sktime_ecoscale.metrics").joinpath("data", name)


@functools.lru_cache(maxsize=1)
def _official_weights() -> pd.DataFrame:
    with _data("weights.csv").open("r") as f:
        table = pd.read_csv(f, index_col=0, dtype={0: str})
    table.index = table.index.astype(str)
    return table


@functools.lru_cache(maxsize=1)
def _abbreviations() -> dict:
    mapping = scored_classes()
    return dict(zip(mapping["Abbreviation"], mapping["SNOMEDCTCode"]))


def challenge_weights() -> pd.DataFrame:
    """The official weight matrix of the PhysioNet/CinC Challenge 2021.

    Returns
    -------
    pd.DataFrame
        26 x 26 weights; rows are true classes, columns decisions. Index and
        columns are SNOMED-CT codes, equivalent codes joined by ``"|"``
        (e.g. ``"713427006|59118001"``, complete and plain right bundle
        branch block). Source and licence: ``metrics/data/README.md``.

    Examples
    --------
    >>> from sktime_ecoscale.metrics import challenge_weights
    >>> w = challenge_weights()
    >>> w.shape, float(w.loc["426783006", "164889003"])
    ((26, 26), 0.25)
    """
    return _official_weights().copy()


def scored_classes() -> pd.DataFrame:
    """The 30 scored SNOMED-CT codes of the Challenge 2021 (``dx_mapping_scored.csv``).

    Returns
    -------
    pd.DataFrame
        Columns ``Dx`` (name), ``SNOMEDCTCode`` (str), ``Abbreviation``, the
        per-source counts and ``Notes`` (which codes are scored as one).

    Examples
    --------
    >>> from sktime_ecoscale.metrics import scored_classes
    >>> dx = scored_classes()
    >>> len(dx), dx.set_index("Abbreviation").loc["NSR", "SNOMEDCTCode"]
    (30, '426783006')
    """
    with _data("dx_mapping_scored.csv").open("r") as f:
        return pd.read_csv(f, dtype={"SNOMEDCTCode": str}).fillna({"Notes": ""})


def _weight_table(weights) -> tuple[list[frozenset], np.ndarray, dict]:
    """Weight matrix -> (classes as sets of equivalent codes, values, abbreviations)."""
    official = weights is None
    table = _official_weights() if official else weights
    if not isinstance(table, pd.DataFrame):
        raise ValueError("weights must be None (the official matrix) or a square pd.DataFrame")
    rows = [frozenset(str(c).strip() for c in str(r).split("|")) for r in table.index]
    cols = [frozenset(str(c).strip() for c in str(r).split("|")) for r in table.columns]
    if rows != cols:
        raise ValueError(
            "weights must have the same classes, in the same order, as rows and columns"
        )
    values = np.nan_to_num(table.to_numpy(dtype=float), nan=0.0)  # nansum, as the official code
    return rows, values, _abbreviations() if official else {}


def _class_of(name, classes: list[frozenset], abbreviations: dict) -> int:
    key = str(name).strip()
    codes = set(key.split("|")) | {abbreviations.get(key, key)}
    for g, group in enumerate(classes):
        if group & codes:
            return g
    return -1


def _shares(labels: np.ndarray, decisions: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Each record's ``sum_{j in L, k in O} W[j, k] / max(|L u O|, 1)``."""
    norm = np.maximum((labels | decisions).sum(axis=1), 1)
    return ((labels.astype(float) @ values) * decisions).sum(axis=1) / norm


def _kernel(
    t: Targets, w: np.ndarray, thresholds=0.5, weights=None, normal_class: str = SINUS_RHYTHM
) -> np.ndarray:
    classes, values, abbreviations = _weight_table(weights)
    where = np.array([_class_of(n, classes, abbreviations) for n in t.names])
    if (where < 0).all():
        raise ValueError(
            f"none of the classes {list(t.names)} is scored by the weight matrix; name them by "
            "SNOMED-CT code (e.g. '426783006') or by the abbreviations of scored_classes() "
            "(e.g. 'NSR')"
        )
    normal = _class_of(normal_class, classes, abbreviations)
    if normal < 0:
        raise ValueError(f"normal_class {normal_class!r} is not a class of the weight matrix")
    decided = t.score >= as_thresholds(thresholds, t)[None, :]
    labels = np.zeros((t.n, len(classes)), dtype=bool)
    decisions = np.zeros_like(labels)
    for j, g in enumerate(where):  # equivalent codes: positive if any of them is
        if g >= 0:  # columns outside the scored classes are not scored
            labels[:, g] |= t.y[:, j]
            decisions[:, g] |= decided[:, j]
    always_normal = np.zeros_like(labels)
    always_normal[:, normal] = True
    observed = w @ _shares(labels, decisions, values)
    correct = w @ _shares(labels, labels, values)
    inactive = w @ _shares(labels, always_normal, values)
    span = correct - inactive
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(span != 0, (observed - inactive) / np.where(span != 0, span, 1), 0.0)


def challenge_score(
    y_true: ArrayLike,
    y_score: ArrayLike,
    thresholds=0.5,
    *,
    labels: ArrayLike | None = None,
    weights: pd.DataFrame | None = None,
    normal_class: str = SINUS_RHYTHM,
) -> float:
    """The PhysioNet/CinC Challenge 2020-2021 score ("Challenge metric").

    Parameters
    ----------
    y_true : array-like of shape (n, n_labels) or (n,), or pd.DataFrame
        0/1 diagnoses, one column per class (or single-label classes). Class
        names (DataFrame columns or ``labels``) are SNOMED-CT codes
        (``"164889003"``), codes joined by ``"|"``, or the abbreviations of
        :func:`scored_classes` (``"AF"``, what
        ``load_physionet_challenge`` names its columns). Unscored classes
        are ignored, as in the official evaluation.
    y_score : array-like or pd.DataFrame
        Scores, probabilities or 0/1 decisions, same columns as ``y_true``;
        see :func:`auroc`.
    thresholds : float, array-like or dict, default=0.5
        Decision thresholds (score ``>=`` threshold); see
        :func:`f1_at_thresholds`.
    labels : array-like, optional
        Class names of array columns; see :func:`auroc`.
    weights : pd.DataFrame, optional
        A square weight matrix (rows true, columns decided classes; ``"|"``
        joins equivalent classes). Default: the official 2021 matrix,
        :func:`challenge_weights`.
    normal_class : str, default="426783006"
        The class the inactive classifier always outputs (sinus rhythm).

    Returns
    -------
    float
        ``(observed - inactive) / (correct - inactive)``: 1 for the perfect
        classifier, 0 for always-``normal_class`` (0 too when both coincide,
        as in the official code); can be negative. Equivalent codes form one
        class: labelled or decided if any of them is.

    References
    ----------
    Reyna M. A. et al., "Will two do? Varying dimensions in
    electrocardiography: the PhysioNet/Computing in Cardiology Challenge
    2021", Computing in Cardiology 48 (2021); ``compute_challenge_metric``
    in physionetchallenges/evaluation-2021.

    Examples
    --------
    >>> import pandas as pd
    >>> from sktime_ecoscale.metrics import challenge_score
    >>> y = pd.DataFrame({"NSR": [1, 0, 0], "AF": [0, 1, 1]})
    >>> challenge_score(y, y.to_numpy())  # perfect
    1.0
    >>> challenge_score(y, [[1, 0], [1, 0], [1, 0]])  # always sinus rhythm
    0.0
    >>> round(challenge_score(y, [[0.9, 0.2], [0.6, 0.7], [0.1, 0.4]]), 4)
    0.2143
    """
    t = as_targets(y_true, y_score, labels)
    return finish(_kernel(t, np.ones((1, t.n)), thresholds, weights, normal_class), t)


# bootstrap_ci looks this up: the same computation with resampling weights
challenge_score._kernel = _kernel
