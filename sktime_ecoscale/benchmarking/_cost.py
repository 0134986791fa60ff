"""What each benchmarked model costs: parameters and FLOPs per series."""

from __future__ import annotations

__all__ = ["model_cost", "count_parameters"]

import numpy as np


def count_parameters(module) -> int:
    """Number of parameters of a torch module."""
    return int(sum(p.numel() for p in module.parameters()))


def _minirocket_cost(X_train, n_classes: int) -> tuple[int, int, str]:
    """Fitted numbers and an operation estimate of MiniRocket + ridge per series."""
    from sktime.transformations.panel.rocket import MiniRocketMultivariate

    transform = MiniRocketMultivariate(random_state=0).fit(X_train[: min(len(X_train), 64)])
    n_per_combo, channel_idx, dilations, n_feat_per_dil, biases = transform.parameters
    n_features = len(biases)
    n_channels, length = X_train.shape[1], X_train.shape[2]
    out = 1 if n_classes == 2 else n_classes
    # learned numbers: the bias quantiles, StandardScaler scales, ridge weights
    params = n_features + n_features + out * (n_features + 1)
    # additions/comparisons counted as FLOPs: per dilation the 9-tap sums of
    # every channel (2 * 9 * C * L), per kernel the channel sum and 3 adds
    # (4 * c * L), per feature the PPV count (2 * L); ridge: 2 * out * features
    n_kernels = 84
    flops = len(dilations) * 18 * n_channels * length
    flops += int(4 * length * np.sum(n_per_combo)) if len(n_per_combo) else 0
    flops += n_features * 2 * length + 2 * out * n_features
    return (
        int(params),
        int(flops),
        f"estimate: {n_kernels} kernels x {len(dilations)} dilations, {n_features} features",
    )


def model_cost(name: str, estimator, X_train, y_train, recorder=None, multilabel=False):
    """``(parameters, FLOPs per series, note)`` of a benchmarked model.

    Deep models: torch's parameter count and FLOP counter on one series of the
    training shape. sktime's peers fit one clone per label on multi-label
    ``y`` (vectorisation), so their counts are multiplied by the label count.
    """
    import torch

    from sktime_ecoscale.profiling import count_flops  # the project's one FLOP counter

    n_series, n_channels, length = X_train.shape
    n_labels = y_train.shape[1] if multilabel else 1
    if name in ("ecoscale", "omniscale"):
        module = recorder.nets[-1].module_
        x = torch.zeros(1, n_channels, length)
        return count_parameters(module), count_flops(module, x), "torch FLOP counter, one network"
    if name == "minirocket":
        n_classes = 2 if multilabel else len(np.unique(np.asarray(y_train)))
        params, flops, note = _minirocket_cost(X_train, n_classes)
        if multilabel:
            note += f"; x{n_labels} one-vs-rest clones"
        return params * n_labels, flops * n_labels, note
    if name == "inceptiontime":
        # build the network only (no training) for its size
        y_col = np.asarray(y_train.iloc[:, 0] if multilabel else y_train).reshape(-1)
        est = estimator.clone().set_params(num_epochs=1, verbose=False)
        idx = np.concatenate([np.flatnonzero(y_col == c)[:2] for c in np.unique(y_col)])
        est.fit(X_train[idx], y_col[idx])
        module = est.network
        x = torch.zeros(
            1, length, n_channels
        )  # InceptionTimeNetworkTorch takes (batch, time, channels)
        params, flops = count_parameters(module), count_flops(module, x)
        note = "torch FLOP counter, one network"
        if multilabel:
            note += f"; x{n_labels} one-vs-rest clones"
        return params * n_labels, flops * n_labels, note
    raise ValueError(f"unknown model {name!r}")
