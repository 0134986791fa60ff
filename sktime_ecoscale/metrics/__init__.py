"""Metrics of clinical ECG studies, with bootstrap confidence intervals.

Plain functions of ``(y_true, y_score)`` for binary, multi-class and
multi-label targets (sktime's multioutput DataFrames included): per-class and
macro AUROC / AUPRC, F1 at given thresholds, F-max, the PhysioNet/CinC 2020
F-beta / G-beta and the 2020-2021 Challenge score (with the official weight
matrix), per-class thresholds that maximise F1 / F-beta
(:func:`tune_thresholds`), calibration (:func:`expected_calibration_error`,
temperature scaling), :func:`bootstrap_ci` for any of them and
:func:`scorer` to use them
in scikit-learn / sktime model selection. Needs numpy, pandas and
scikit-learn only: no torch, no estimators.
"""

__all__ = [
    "auroc",
    "auprc",
    "f1_at_thresholds",
    "f_beta",
    "g_beta",
    "f_max",
    "tune_thresholds",
    "expected_calibration_error",
    "fit_temperature",
    "apply_temperature",
    "clinical_report",
    "challenge_score",
    "challenge_weights",
    "scored_classes",
    "bootstrap_ci",
    "BootstrapCI",
    "scorer",
    "METRICS",
    "SINUS_RHYTHM",
]

from sktime_ecoscale.metrics._bootstrap import BootstrapCI, bootstrap_ci
from sktime_ecoscale.metrics._calibration import (
    apply_temperature,
    expected_calibration_error,
    fit_temperature,
)
from sktime_ecoscale.metrics._challenge import (
    SINUS_RHYTHM,
    challenge_score,
    challenge_weights,
    scored_classes,
)
from sktime_ecoscale.metrics._ranking import auprc, auroc
from sktime_ecoscale.metrics._report import clinical_report
from sktime_ecoscale.metrics._scorer import METRICS, scorer
from sktime_ecoscale.metrics._thresholded import f1_at_thresholds, f_beta, f_max, g_beta
from sktime_ecoscale.metrics._tuning import tune_thresholds
