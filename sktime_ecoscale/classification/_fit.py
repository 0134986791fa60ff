"""The two fit paths of the deep classifiers: an in-memory panel and a protocol data set.

Both set the same fitted attributes, then go through the same preparation
(:func:`~._data.training_views`: one split rule, one input rule, statistics
of the raw training series) and the same training
(:meth:`BaseDeepECGClassifier._fit_datasets`). An in-memory panel is viewed
as an :class:`~sktime_ecoscale.datasets.ArrayDataset`, so ``fit(X, y)`` and
``fit_dataset(ArrayDataset(X, y))`` train on identical inputs.
"""

from __future__ import annotations

import numpy as np

from sktime_ecoscale.classification._data import panel_to_arrays, training_views
from sktime_ecoscale.classification._decision import check_decision_threshold, learn_decisions
from sktime_ecoscale.classification._fitted_state import set_fitted_state, y_metadata_of
from sktime_ecoscale.classification._targets import TargetEncoder
from sktime_ecoscale.datasets._protocol import ArrayDataset
from sktime_ecoscale.utils._panel import (
    check_lead_names,
    check_sampling_rate,
    panel_lead_names,
    panel_sampling_rate,
)
from sktime_ecoscale.utils._validation import check_arrays

__all__ = ["fit_panel", "fit_on_dataset"]


def _train(est, dataset, targets: np.ndarray, valid_dataset=None) -> None:
    check_decision_threshold(est, est.target_encoder_)
    est.input_scaling_, train, valid = training_views(est, dataset, targets, valid_dataset)
    est._fit_datasets(train, valid, train.labels())
    est.temperatures_, est.decision_thresholds_ = learn_decisions(est, train, valid)


def _fitted_leads(est, panel_names, n_channels: int) -> list[str] | None:
    """``leads_``: the ``leads`` parameter, else the panel's column names, else None."""
    if est.leads is not None:
        return check_lead_names(est.leads, n_channels, "leads")
    return panel_names


def _fitted_rate(est, data_rate) -> float | None:
    """``fs_``: the ``fs`` parameter, else the data's own rate (a time index), else None."""
    fs = check_sampling_rate(est.fs, "fs")
    if fs is None:
        return None if data_rate is None else float(data_rate)
    if data_rate is not None and abs(float(data_rate) - fs) > 1e-6 * fs:
        raise ValueError(
            f"fs={est.fs} but the data is sampled at {data_rate:g} Hz; resample it or drop fs."
        )
    return fs


def fit_panel(est, X, y):
    """Fit ``est`` to an sktime inner panel ``X`` and labels ``y`` (its ``_fit``).

    Returns
    -------
    est
    """
    est._check_params()
    series = panel_to_arrays(X)
    check_arrays(
        series, min_length=est._min_seq_len, n_channels=None, where="fit", allow_missing=True
    )
    if len(series) != len(y):
        raise ValueError(f"X has {len(series)} series but y has {len(y)} labels.")
    est.n_channels_ = series[0].shape[0]
    est.leads_ = _fitted_leads(est, panel_lead_names(X), est.n_channels_)
    est.fs_ = _fitted_rate(est, panel_sampling_rate(X))
    est.seq_len_ = max(s.shape[-1] for s in series)
    est.target_encoder_ = TargetEncoder.from_y(y)
    _train(est, ArrayDataset(series, seq_len=est.seq_len_), est.target_encoder_.encode(y))
    return est


def fit_on_dataset(est, dataset, valid_dataset=None):
    """Fit ``est`` to a protocol data set (its ``fit_dataset``), sktime's fitted state included.

    Returns
    -------
    est
    """
    est.reset()
    est._check_params()
    labels = np.asarray(dataset.labels())
    classes = list(dataset.classes)
    est.target_encoder_ = TargetEncoder.for_labels(classes, multilabel=bool(dataset.multilabel))
    y_metadata, y_inner_mtype = y_metadata_of(
        dataset.multilabel, classes if dataset.multilabel else None
    )
    set_fitted_state(
        est,
        classes=[0, 1] if dataset.multilabel else classes,
        y_metadata=y_metadata,
        y_inner_mtype=y_inner_mtype,
        n_channels=dataset.n_channels,
    )
    est.n_channels_ = int(dataset.n_channels)
    est.leads_ = _fitted_leads(est, getattr(dataset, "leads", None), est.n_channels_)
    est.fs_ = _fitted_rate(est, getattr(dataset, "fs", None))
    est.seq_len_ = int(dataset.seq_len)
    _train(est, dataset, labels, valid_dataset)
    est._is_fitted = True
    return est
