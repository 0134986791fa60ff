"""Validation of the deep classifiers' hyperparameters: one place, before any tensor work."""

from __future__ import annotations

import inspect
import numbers

from sktime_ecoscale.classification._augment import resolve_augment
from sktime_ecoscale.classification._budget import AUTO
from sktime_ecoscale.classification._data import INPUT_SCALINGS
from sktime_ecoscale.classification._decision import check_calibration, check_decision_threshold
from sktime_ecoscale.classification._distributed import MIXED_PRECISION
from sktime_ecoscale.classification._finetune import check_finetune_params
from sktime_ecoscale.classification._skorch import LR_SCHEDULES, OPTIMIZERS

__all__ = ["check_training_params"]


def check_training_params(est) -> None:
    """Raise ``ValueError`` naming the first invalid shared hyperparameter of ``est``.

    Parameters
    ----------
    est : BaseDeepECGClassifier
        The estimator whose ``get_params`` values are checked (subclass
        parameters such as ``widths`` are checked by the network's builder).
    """

    def _positive_int(name):
        value = getattr(est, name)
        if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}.")

    for name in ("max_epochs", "batch_size", "predict_batch_size"):
        if not (name != "predict_batch_size" and getattr(est, name) == AUTO):
            _positive_int(name)
    if not (isinstance(est.lr, numbers.Real) and est.lr > 0):
        raise ValueError(f"lr must be a positive number, got {est.lr!r}.")
    if not (isinstance(est.weight_decay, numbers.Real) and est.weight_decay >= 0):
        raise ValueError(f"weight_decay must be >= 0, got {est.weight_decay!r}.")
    kwargs = est.optimizer_kwargs
    if kwargs is not None and not (
        isinstance(kwargs, dict) and all(isinstance(k, str) for k in kwargs)
    ):
        raise ValueError(f"optimizer_kwargs must be None or a dict with str keys, got {kwargs!r}.")
    if kwargs and {"lr", "weight_decay", "params"} & set(kwargs):
        raise ValueError(
            "optimizer_kwargs must not set lr, weight_decay or params; use the estimator's "
            f"own parameters, got keys {sorted(kwargs)}."
        )
    if est.optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {sorted(OPTIMIZERS)}, got {est.optimizer!r}.")
    accepted = set(inspect.signature(OPTIMIZERS[est.optimizer]).parameters)
    unknown = sorted(set(kwargs or {}) - accepted)
    if unknown:
        raise ValueError(
            f"optimizer_kwargs has keys {unknown} that optimizer={est.optimizer!r} does not "
            f"accept; it accepts {sorted(accepted - {'params', 'lr', 'weight_decay'})}."
        )
    check_decision_threshold(est)
    check_calibration(est)
    check_finetune_params(est)
    if est.lr_schedule not in LR_SCHEDULES:
        raise ValueError(
            f"lr_schedule must be one of {list(LR_SCHEDULES)}, got {est.lr_schedule!r}."
        )
    if not (isinstance(est.valid_size, numbers.Real) and 0 <= est.valid_size < 1):
        raise ValueError(f"valid_size must be in [0, 1), got {est.valid_size!r}.")
    if est.patience is not None and (
        not isinstance(est.patience, numbers.Integral) or est.patience < 1
    ):
        raise ValueError(f"patience must be None or a positive integer, got {est.patience!r}.")
    ls = est.label_smoothing
    if ls != AUTO and not (isinstance(ls, numbers.Real) and 0 <= ls < 1):
        raise ValueError(f"label_smoothing must be 'auto' or in [0, 1), got {ls!r}.")
    if est.input_scaling not in INPUT_SCALINGS:
        raise ValueError(
            f"input_scaling must be one of {INPUT_SCALINGS}, got {est.input_scaling!r}."
        )
    if not isinstance(est.device, str) or not (
        est.device in ("auto", "cpu") or est.device.startswith("cuda")
    ):
        raise ValueError(f"device must be 'auto', 'cpu' or 'cuda[:N]', got {est.device!r}.")
    if est.class_weight not in (None, "balanced") and not isinstance(est.class_weight, dict):
        raise ValueError(
            f"class_weight must be None, 'balanced' or a dict, got {est.class_weight!r}."
        )
    if est.augment != AUTO:
        resolve_augment(est.augment)
    if not isinstance(est.distributed, bool):
        raise ValueError(f"distributed must be True or False, got {est.distributed!r}.")
    if est.mixed_precision not in MIXED_PRECISION:
        raise ValueError(
            f"mixed_precision must be one of {list(MIXED_PRECISION)}, got {est.mixed_precision!r}."
        )
