"""Fine-tuning: start a fit from a trained model's backbone (``init_model``).

One owner for the decisions of a fine-tuned fit: which model it starts from,
which architecture the new network must have to take its weights (the
source's widths, strides, kernels and ensemble size), how the leads map by
name, and how the backbone trains (frozen for ``freeze_epochs``, then at
``backbone_lr_scale`` times the head's learning rate). The weights themselves
move with :func:`~sktime_ecoscale.networks.transfer_backbone`.
"""

from __future__ import annotations

import numbers
from pathlib import Path

from torch import nn

from sktime_ecoscale.utils._panel import check_lead_names

__all__ = [
    "check_finetune_params",
    "describe_init_model",
    "finetune_callbacks",
    "lead_channel_map",
    "load_source",
    "with_source_architecture",
]


def check_finetune_params(est) -> None:
    """Reject bad ``init_model``, ``freeze_epochs``, ``backbone_lr_scale`` and ``leads``."""
    source = est.init_model
    is_estimator = callable(getattr(source, "_build_network", None))  # a deep ECG classifier
    if source is not None and not (isinstance(source, (str, Path)) or is_estimator):
        raise ValueError(
            "init_model must be None, the path of a saved model or a fitted "
            f"EcoScaleClassifier/OmniScaleClassifier, got {type(source).__name__}."
        )
    freeze = est.freeze_epochs
    if not isinstance(freeze, numbers.Integral) or isinstance(freeze, bool) or freeze < 0:
        raise ValueError(f"freeze_epochs must be an integer >= 0, got {freeze!r}.")
    scale = est.backbone_lr_scale
    if isinstance(scale, bool) or not isinstance(scale, numbers.Real) or not scale > 0:
        raise ValueError(f"backbone_lr_scale must be a number > 0, got {scale!r}.")
    check_lead_names(est.leads, None, "leads")  # the count is checked against X in fit


def describe_init_model(value) -> str | None:
    """A stable text for ``init_model`` (checkpoint fingerprints): a path, or a digest of the weights."""
    if value is None or isinstance(value, (str, Path)):
        return None if value is None else str(value)
    import hashlib

    digest = hashlib.sha256()
    for name, tensor in value.net_.module_.state_dict().items():
        digest.update(name.encode())
        digest.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return f"{type(value).__name__} weights sha256:{digest.hexdigest()}"


def load_source(est):
    """The fitted estimator ``init_model`` names (loaded from disk for a path), or None."""
    source = est.init_model
    if source is None:
        return None
    if isinstance(source, (str, Path)):
        try:
            source = type(est).load_model(source, device="cpu")
        except TypeError as err:  # a saved model of the other class
            raise ValueError(f"init_model: {err}") from None
    if type(source) is not type(est):
        raise ValueError(
            f"init_model is a {type(source).__name__}; a {type(est).__name__} can only start "
            f"from a {type(est).__name__}."
        )
    if not getattr(source, "_is_fitted", False):
        raise ValueError(
            "init_model is not fitted (a cloned estimator, e.g. inside a grid search, loses its "
            "weights: pass the path of a saved model instead)."
        )
    return source


def with_source_architecture(overrides: dict, source) -> dict:
    """``overrides`` of the budget rule with ``source``'s widths, strides and ensemble size.

    Only where the estimator leaves them ``"auto"``: an explicit value wins (and
    fails in :func:`~sktime_ecoscale.networks.transfer_backbone` if it differs).
    """
    overrides = dict(overrides)
    if source is None:
        return overrides
    budget = source.budget_
    shared = {"widths": budget.widths, "strides": budget.strides, "n_networks": budget.n_networks}
    for key, value in shared.items():
        if isinstance(overrides.get(key), str) and overrides[key] == "auto":
            overrides[key] = value
    return overrides


def lead_channel_map(source, est, n_channels: int) -> list[int | None]:
    """For each input channel of ``est``, the channel of ``source`` whose filters it starts from.

    Both name their leads (``leads_``: the ``leads`` parameter or a pandas panel's
    column names): by name, case-insensitively, and a lead
    the source never saw starts from the mean of its filters (``None``).
    Otherwise the channels map by position, which needs equal counts.
    """
    names = getattr(est, "leads_", None) or est.leads
    if names is not None and len(names) != n_channels:
        raise ValueError(f"leads names {len(names)} leads but the data has {n_channels} channels.")
    source_names = getattr(source, "leads_", None) or source.leads
    if names is not None and source_names is not None:
        index = {name.lower(): i for i, name in enumerate(source_names)}
        mapping = [index.get(name.lower()) for name in names]
        if all(m is None for m in mapping):
            raise ValueError(
                f"none of the leads {list(names)} is a lead of init_model ({list(source_names)})."
            )
        return mapping
    if n_channels != source.n_channels_:
        raise ValueError(
            f"init_model was trained on {source.n_channels_} channels and the data has "
            f"{n_channels}; name the leads of both (the leads parameter) to map them."
        )
    return list(range(n_channels))


def finetune_callbacks(est, module: nn.Module) -> list:
    """skorch's Freezer/Unfreezer for the backbone's first ``freeze_epochs`` epochs."""
    from skorch.callbacks import Freezer, Unfreezer

    from sktime_ecoscale.networks import backbone_patterns

    if not est.freeze_epochs:
        return []
    patterns = backbone_patterns(module)
    return [
        ("freeze_backbone", Freezer(patterns, at=1)),
        ("unfreeze_backbone", Unfreezer(patterns, at=int(est.freeze_epochs) + 1)),
    ]


def backbone_param_groups(est, module: nn.Module) -> list:
    """skorch ``optimizer__param_groups`` giving the backbone ``backbone_lr_scale``."""
    from sktime_ecoscale.networks import backbone_patterns

    if est.backbone_lr_scale == 1:
        return []
    return [
        (pattern, {"lr_scale": float(est.backbone_lr_scale)})
        for pattern in backbone_patterns(module)
    ]
