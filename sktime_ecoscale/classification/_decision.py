"""Decision thresholds: the ``decision_threshold`` parameter, learned in ``fit``, used by ``predict``.

One owner for how probabilities become labels. Thresholds live on the
one-vs-rest columns of :func:`sktime_ecoscale.metrics.tune_thresholds`: a
multi-label column is predicted where its probability is ``>=`` its threshold;
a two-class problem predicts its second (positive) class where that class's
probability is ``>=`` the threshold; a multi-class problem predicts the class
with the largest probability relative to its threshold, ``argmax p_c / t_c``
(which reduces to the two-class rule for two classes). ``predict_proba`` is
never changed.

Probabilities may first be calibrated (``calibration="temperature"``: one
temperature per output head). Tuned thresholds (``"f1"``, ``"fbeta"``) and
temperatures are fitted on data the network did
not train on: the validation split when there is one (``valid_size > 0`` or
``fit_dataset(valid_dataset=...)``), else out-of-fold probabilities of
:data:`THRESHOLD_CV_FOLDS` extra fits on the training series (same
hyperparameters, each on the other folds).
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

__all__ = [
    "THRESHOLD_CV_FOLDS",
    "check_decision_threshold",
    "learn_decisions",
    "fit_temperatures",
    "check_calibration",
    "temperatures_from_config",
    "decide",
    "threshold_columns",
    "default_threshold",
    "thresholds_to_config",
    "thresholds_from_config",
]

#: Folds of the out-of-fold fits that tune thresholds when nothing is held out.
THRESHOLD_CV_FOLDS = 3
#: Tuned rules and the beta of the F-beta each maximises (2: the Challenge's F-beta).
TUNED = {"f1": 1.0, "fbeta": 2.0}


def threshold_columns(encoder) -> list:
    """Names of the one-vs-rest columns the thresholds apply to."""
    if encoder.multioutput:
        return list(encoder.names)
    classes = list(encoder.classes[0])
    return classes[1:] if len(classes) == 2 else classes


def default_threshold(encoder) -> float:
    """The untuned threshold: 0.5 on 0/1 columns, chance on a multi-class head."""
    if encoder.multioutput or len(encoder.classes[0]) == 2:
        return 0.5
    return 1.0 / len(encoder.classes[0])


def check_decision_threshold(est, encoder=None) -> None:
    """Refuse an invalid ``decision_threshold`` before any tensor work.

    Without ``encoder`` only the value's type is checked; with the fitted
    target encoder also the problem type and the names of a dict's keys.
    """
    spec = est.decision_threshold
    if spec is None:
        return
    if isinstance(spec, str):
        if spec not in TUNED:
            raise ValueError(
                f"decision_threshold must be None, {sorted(TUNED)}, a float in (0, 1) or a dict, "
                f"got {spec!r}."
            )
    elif isinstance(spec, dict):
        for value in spec.values():
            _check_float(value)
    else:
        _check_float(spec)
    if encoder is None:
        return
    if encoder.multioutput and not all(encoder.binary):
        raise ValueError(
            "decision_threshold needs a single-output y or a multi-label y of 0/1 columns; "
            "y has columns with other values."
        )
    if isinstance(spec, dict):
        known = threshold_columns(encoder)
        unknown = [k for k in spec if k not in known]
        if unknown:
            raise ValueError(f"decision_threshold names {unknown}, which are not among {known}.")


def _check_float(value) -> None:
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and 0 < value < 1
    if not ok:
        raise ValueError(f"decision_threshold values must be floats in (0, 1), got {value!r}.")


def _fixed(est, encoder) -> pd.Series:
    columns, spec = threshold_columns(encoder), est.decision_threshold
    table = spec if isinstance(spec, dict) else {}
    scalar = spec if isinstance(spec, numbers.Real) else default_threshold(encoder)
    return pd.Series([float(table.get(c, scalar)) for c in columns], index=columns, dtype=float)


def _metric_targets(encoder, targets: np.ndarray, probas: list[np.ndarray]):
    """Encoded targets and probabilities in the metrics' ``(y_true, y_score)`` reading."""
    if encoder.multioutput:
        scores = np.column_stack([p[:, 1] for p in probas])
        return targets.astype(int), scores, list(encoder.names)
    classes = list(encoder.classes[0])
    return np.asarray(classes, dtype=object)[targets.astype(int)], probas[0], classes


def _out_of_fold_logits(est, train) -> np.ndarray:
    """Logits of each training item from a fit that did not see it."""
    from sklearn.base import clone
    from sklearn.model_selection import KFold, StratifiedKFold

    from sktime_ecoscale.classification._data import network_logits

    targets = train.labels()
    seed = est._seed()
    if est.target_encoder_.multioutput:
        folds = KFold(THRESHOLD_CV_FOLDS, shuffle=True, random_state=seed % (2**32 - 1))
    else:
        folds = StratifiedKFold(THRESHOLD_CV_FOLDS, shuffle=True, random_state=seed % (2**32 - 1))
    logits = np.zeros((len(train), est.target_encoder_.n_logits), dtype=np.float32)
    for k, (fit_idx, held_idx) in enumerate(folds.split(np.zeros(len(targets)), targets)):
        member = clone(est).set_params(
            decision_threshold=None,
            calibration=None,
            checkpoint_dir=None,
            verbose=0,
            random_state=seed + 1 + k,
        )
        for name in ("n_channels_", "seq_len_", "target_encoder_", "input_scaling_"):
            setattr(member, name, getattr(est, name))
        member._fit_datasets(train.view(fit_idx), None, targets[fit_idx])
        logits[held_idx] = network_logits(member, train.view(held_idx))
    return logits


def learn_decisions(est, train, valid) -> tuple[list | None, pd.Series | None]:
    """The fitted ``temperatures_`` and ``decision_thresholds_`` of ``est``.

    Both are fitted on the same held-out logits (the validation split, else
    out-of-fold fits), computed once: first one temperature per output head
    (``calibration="temperature"``, :func:`sktime_ecoscale.metrics.fit_temperature`),
    then the thresholds on the calibrated probabilities.

    Parameters
    ----------
    est : BaseDeepECGClassifier
        Trained, with ``target_encoder_``.
    train, valid : DatasetView
        The scaled training and validation views of the fit (``valid`` may be None).

    Returns
    -------
    temperatures : list of float or None
        One per output head (None: uncalibrated).
    thresholds : pd.Series or None
        One threshold per one-vs-rest column (index: labels or classes).
    """
    from sktime_ecoscale.classification._data import network_logits
    from sktime_ecoscale.metrics import tune_thresholds

    encoder, spec = est.target_encoder_, est.decision_threshold
    calibrate = est.calibration == "temperature"
    if not calibrate and not isinstance(spec, str):
        return None, (None if spec is None else _fixed(est, encoder))
    if valid is not None and len(valid):
        targets, logits = valid.labels(), network_logits(est, valid)
    else:
        targets, logits = train.labels(), _out_of_fold_logits(est, train)
    temperatures = fit_temperatures(encoder, targets, logits) if calibrate else None
    if not isinstance(spec, str):
        return temperatures, (None if spec is None else _fixed(est, encoder))
    probas = encoder.probabilities(logits, temperatures)
    y_true, y_score, labels = _metric_targets(encoder, targets, probas)
    tuned = tune_thresholds(y_true, y_score, labels=labels, beta=TUNED[spec])
    tuned.index = threshold_columns(encoder)
    # a column without positives keeps the default
    return temperatures, tuned.fillna(default_threshold(encoder))


def fit_temperatures(encoder, targets: np.ndarray, logits: np.ndarray) -> list[float]:
    """One temperature per output head, fitted on held-out logits by log loss."""
    from sktime_ecoscale.metrics import fit_temperature

    temperatures = []
    for j, p in enumerate(encoder.probabilities(logits)):
        y = targets[:, j] if encoder.multioutput else targets
        y = y.astype(int)
        if len(np.unique(y)) < 2:  # nothing to calibrate against
            temperatures.append(1.0)
            continue
        temperatures.append(fit_temperature(y, p, labels=list(range(p.shape[1]))))
    return temperatures


def check_calibration(est) -> None:
    """Refuse a ``calibration`` other than None or "temperature"."""
    if est.calibration not in (None, "temperature"):
        raise ValueError(f"calibration must be None or 'temperature', got {est.calibration!r}.")


def temperatures_from_config(encoder, values, where: str = "config") -> list | None:
    """Fitted temperatures back from a model file (None: uncalibrated, or an older file)."""
    if values is None:
        return None
    ok = all(isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0 for v in values)
    if len(values) != len(encoder.output_sizes) or not ok:
        raise ValueError(
            f"{where}: temperatures must be {len(encoder.output_sizes)} positive numbers, got {values!r}."
        )
    return [float(v) for v in values]


def decide(encoder, probas: list[np.ndarray], thresholds: pd.Series | None, index=None):
    """Labels from probabilities: argmax / 0.5 without thresholds, else the rule above."""
    if thresholds is None:
        return encoder.decode(probas, index=index)
    t = thresholds.to_numpy(dtype=float)
    if encoder.multioutput:
        return encoder.decode(probas, thresholds=t, index=index)
    classes, p = encoder.classes[0], probas[0]
    if len(classes) == 2:
        return classes[(p[:, 1] >= t[0]).astype(int)]
    return classes[np.argmax(p / t[None, :], axis=1)]


def thresholds_to_config(thresholds: pd.Series | None) -> list | None:
    """JSON of fitted thresholds: one float per one-vs-rest column, in the encoder's order."""
    return None if thresholds is None else [float(t) for t in thresholds.to_numpy()]


def thresholds_from_config(encoder, values, where: str = "config") -> pd.Series | None:
    """Fitted thresholds back from :func:`thresholds_to_config` (None: untuned, or an older file)."""
    if values is None:
        return None
    columns = threshold_columns(encoder)
    numbers_ok = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
    if len(values) != len(columns) or not numbers_ok:
        raise ValueError(
            f"{where}: decision_thresholds must be {len(columns)} numbers, got {values!r}."
        )
    return pd.Series([float(v) for v in values], index=columns, dtype=float)
