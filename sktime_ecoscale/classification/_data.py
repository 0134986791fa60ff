"""From an estimator's data to the data-set views that feed its network, and back.

The input rule itself (:class:`~sktime_ecoscale.utils.InputScaling` and
:func:`~sktime_ecoscale.utils.prepare_series`) lives in :mod:`sktime_ecoscale.utils`,
below the data sets that apply it; the one view class is
:class:`~sktime_ecoscale.datasets.DatasetView`. This module only composes
them, once for every path: :func:`training_views` (``fit``, ``fit_dataset``,
``ecoscale train``), :func:`inference_view` (``predict``, ``prepare_input``)
and :func:`network_logits` (``predict`` and ``ecoscale predict``). Items are
prepared on demand (not a scaled copy of the panel), so memory stays bounded
by a batch whatever the panel's size.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import torch

from sktime_ecoscale.datasets._protocol import ArrayDataset, DatasetView
from sktime_ecoscale.utils._input import INPUT_SCALINGS, InputScaling
from sktime_ecoscale.utils._panel import (
    align_leads,
    match_sampling_rate,
    panel_lead_names,
    panel_sampling_rate,
)
from sktime_ecoscale.utils._split import split_indices
from sktime_ecoscale.utils._validation import check_arrays

__all__ = [
    "INPUT_SCALINGS",
    "InputScaling",
    "inference_view",
    "network_logits",
    "panel_to_arrays",
    "training_views",
]


def panel_to_arrays(X) -> list[np.ndarray] | np.ndarray:
    """Return the series of an sktime inner panel as ``(n_channels, n_timepoints)`` arrays.

    ``numpy3D`` comes back as the array itself (no copy); ``df-list`` (one
    DataFrame per series, time by variables) as a list of arrays.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> [x.shape for x in panel_to_arrays([pd.DataFrame(np.zeros((5, 2))), pd.DataFrame(np.zeros((3, 2)))])]
    [(2, 5), (2, 3)]
    """
    if isinstance(X, np.ndarray):
        return X
    if isinstance(X, list):
        return [np.asarray(df.to_numpy() if isinstance(df, pd.DataFrame) else df).T for df in X]
    raise TypeError(f"Expected a numpy3D array or a df-list panel, got {type(X).__name__}.")


def training_views(
    est, dataset, targets: np.ndarray, valid_dataset=None
) -> tuple[InputScaling, DatasetView, DatasetView | None]:
    """Split, fit the input scaling on the training part, and view both parts scaled.

    The one preparation of every fit path. Without ``valid_dataset`` the
    validation part is ``est.valid_size`` of ``dataset``, held out by
    :func:`~sktime_ecoscale.utils.split_indices` (stratified where the classes
    allow); the scaling's statistics are those of the raw training series.

    Parameters
    ----------
    est : BaseDeepECGClassifier
        Reads ``input_scaling``, ``valid_size`` and its seed.
    dataset : protocol data set
        The training data, raw (an :class:`~sktime_ecoscale.datasets.ArrayDataset`
        over an in-memory panel, or any lazy data set).
    targets : np.ndarray
        Encoded targets of ``dataset``'s items (they replace its labels).
    valid_dataset : protocol data set, optional
        Explicit validation data; ``valid_size`` is then not used.

    Returns
    -------
    scaling : InputScaling
        The fitted scaling (the estimator's ``input_scaling_``).
    train, valid : DatasetView
        Scaled views; ``valid`` is ``None`` when nothing is held out.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale import EcoScaleClassifier
    >>> from sktime_ecoscale.datasets import ArrayDataset
    >>> X = np.random.default_rng(0).normal(size=(10, 1, 8))
    >>> targets = np.array([0, 1] * 5)
    >>> est = EcoScaleClassifier(valid_size=0.2, random_state=0)
    >>> scaling, train, valid = training_views(est, ArrayDataset(X), targets)
    >>> len(train), sorted(valid.labels().tolist()), train[0][0].shape, scaling.mode
    (8, [0, 1], (1, 8), 'channel')
    """
    base = DatasetView(dataset, targets=targets)
    if valid_dataset is not None:
        train_idx, valid_idx = np.arange(len(base)), None
    else:
        train_idx, valid_idx = split_indices(base.labels(), est.valid_size, est._seed())
    scaling = InputScaling.fit(est.input_scaling, base, train_idx)
    if valid_dataset is not None:
        valid = DatasetView(valid_dataset, scaling=scaling)
    else:
        valid = None if valid_idx is None else base.view(valid_idx, scaling=scaling)
    return scaling, base.view(train_idx, scaling=scaling), valid


def inference_view(series, scaling: InputScaling | None) -> DatasetView:
    """The predict-time view of an in-memory panel: scaled, padded to its longest series."""
    return ArrayDataset(series).view(scaling=scaling or InputScaling("series"))


def network_logits(est, view) -> np.ndarray:
    """Logits of ``est``'s fused inference network for every item of ``view``.

    One batch of ``est.predict_batch_size`` items is in memory at a time,
    whatever the size of ``view``.
    """
    from sktime_ecoscale.classification._lead_sets import present_lead_keys

    # lead-set key -> fused network, looked up once per call, not once per batch
    modules = {None: est._inference_module()}
    weight = next(modules[None].parameters())
    norms = getattr(est, "lead_set_norms_", None) or {}
    loader = torch.utils.data.DataLoader(view, batch_size=est.predict_batch_size)
    chunks = []
    with torch.inference_mode():
        for xb, _ in loader:
            xb = xb.to(weight.device, weight.dtype)
            keys = present_lead_keys(xb, getattr(est, "leads_", None), norms)
            groups = dict.fromkeys(keys)
            if len(groups) == 1:  # one pattern in the batch (nearly always): no regrouping
                (key,) = groups
                chunks.append(_module_for(est, modules, key)(xb).float().cpu().numpy())
                continue
            # series holding a reduced lead set: the network with that set's statistics
            out = None
            for key in groups:
                rows = [i for i, k in enumerate(keys) if k == key]
                logits = _module_for(est, modules, key)(xb[rows]).float().cpu().numpy()
                if out is None:
                    out = np.empty((len(xb), logits.shape[1]), dtype=logits.dtype)
                out[rows] = logits
            chunks.append(out)
    return np.concatenate(chunks, axis=0)


def _module_for(est, modules: dict, key: str | None):
    """The fused network for lead set ``key`` (None: clean statistics), fetched once."""
    if key not in modules:
        modules[key] = est._inference_module(key)
    return modules[key]


def serve_series(est, series, leads, rate, where: str = "predict"):
    """Series as the model was trained on them: its rate and lead order, checked.

    The one predict-time rule of every path (``predict`` on a panel,
    ``ecoscale predict`` on a data set): a series at another known rate is
    resampled to ``fs_``; named leads go in the fitted order (a lead the input
    lacks is a missing lead, filled by the input rule); then the checks.

    Parameters
    ----------
    est : fitted estimator
    series : sequence of np.ndarray (n_channels, n_timepoints)
        Raw series.
    leads : list of str or None
        Their lead names, where known.
    rate : float or None
        Their sampling rate in Hz, where known.
    where : str
        Calling path, for messages.

    Returns
    -------
    list of np.ndarray or np.ndarray
    """
    series = match_sampling_rate(series, rate, getattr(est, "fs_", None), where)
    series = align_leads(series, leads, getattr(est, "leads_", None), where)
    check_arrays(
        series,
        min_length=est._min_seq_len,
        n_channels=est.n_channels_,
        where=where,
        allow_missing=True,
    )
    return series


def predict_view(est, X) -> DatasetView:
    """The predict-time view of an inner panel: :func:`serve_series`, then the input rule."""
    series = serve_series(est, panel_to_arrays(X), panel_lead_names(X), panel_sampling_rate(X))
    return inference_view(series, getattr(est, "input_scaling_", None))
