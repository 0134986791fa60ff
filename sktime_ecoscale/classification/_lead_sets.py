"""Batch-norm statistics for reduced lead sets: one 12-lead model that serves 6, 4, 3 and 2 leads.

A lead the input lacks reaches the network as a flat line at the training
mean (zero after scaling), the way lead dropout showed it in training. The
weights cope with that; the batch-norm statistics do not: they describe
twelve live leads, and with ten of them flat every normalised activation is
shifted and mis-scaled. Measured on the PTB-XL superclass task (folds 1-8 ->
9-10, one default network, macro-AUROC; ``benchmarks/bench_robustness.py``):
given leads I and II only, the 12-lead model scored 0.720 with its clean
statistics and 0.814 with statistics re-estimated on the training series with
the same ten leads missing, against 0.813 for a model trained on I and II
alone in the same run (0.831 in another).

So, at the end of ``fit``, for every reduced lead set of the PhysioNet/CinC
Challenge 2021 that the model's named leads contain, the statistics are
re-estimated on the training series with the other leads missing
(:func:`lead_set_statistics`, a forward pass each; the weights are
untouched), kept as ``lead_set_norms_`` and saved with the model. At predict
time every series whose present leads are exactly such a set is served by
the network with that set's statistics; any other pattern of missing leads
keeps the clean statistics.
"""

from __future__ import annotations

import copy

import numpy as np
import torch
from torch import nn

__all__ = [
    "CHALLENGE_LEAD_SETS",
    "check_statistics",
    "lead_set_key",
    "lead_set_statistics",
    "lead_sets_of",
    "present_lead_keys",
]

#: The reduced lead sets of the PhysioNet/CinC Challenge 2021 (Reyna et al. 2021).
CHALLENGE_LEAD_SETS = (
    ("I", "II", "III", "aVR", "aVL", "aVF"),
    ("I", "II", "III", "V2"),
    ("I", "II", "V2"),
    ("I", "II"),
)
#: The batch-norm buffers a lead set replaces.
_STATISTICS = ("running_mean", "running_var")


def _is_statistic(name: str) -> bool:
    return name.rsplit(".", 1)[-1] in _STATISTICS


def lead_set_key(leads) -> str:
    """The key of a lead set: its names joined by commas, in the model's lead order."""
    return ",".join(str(lead) for lead in leads)


def lead_sets_of(leads) -> dict[str, np.ndarray]:
    """Key -> boolean mask over ``leads`` of each Challenge set that ``leads`` strictly contains.

    Names compare case-insensitively (``aVR``, ``AVR``).

    Examples
    --------
    >>> from sktime_ecoscale.classification._lead_sets import lead_sets_of
    >>> twelve = ["I", "II", "III", "AVR", "AVL", "AVF", "V1", "V2", "V3", "V4", "V5", "V6"]
    >>> list(lead_sets_of(twelve))
    ['I,II,III,AVR,AVL,AVF', 'I,II,III,V2', 'I,II,V2', 'I,II']
    >>> lead_sets_of(["I", "II"]), lead_sets_of(None)
    ({}, {})
    """
    if not leads:
        return {}
    folded = [str(lead).casefold() for lead in leads]
    sets = {}
    for lead_set in CHALLENGE_LEAD_SETS:
        wanted = {lead.casefold() for lead in lead_set}
        mask = np.array([lead in wanted for lead in folded])
        if int(mask.sum()) == len(wanted) and not mask.all():
            sets[lead_set_key(np.asarray(leads, dtype=object)[mask])] = mask
    return sets


class _KeepLeads(torch.utils.data.Dataset):
    """Items of ``dataset`` with the leads outside ``mask`` missing (zero: the scaled mean)."""

    def __init__(self, dataset, mask: np.ndarray):
        self.dataset = dataset
        self.mask = torch.as_tensor(mask, dtype=torch.float32)[:, None]

    def __len__(self) -> int:
        return len(self.dataset)

    def __getitem__(self, i):
        x, y = self.dataset[i]
        return torch.as_tensor(x, dtype=torch.float32) * self.mask, y


def lead_set_statistics(
    module: nn.Module, dataset, leads, *, batch_size: int, device: str, seed: int = 0
) -> dict[str, dict[str, torch.Tensor]]:
    """Batch-norm statistics of ``module`` for each reduced lead set that ``leads`` contains.

    Parameters
    ----------
    module : nn.Module
        The trained network (not modified: a copy is recalibrated).
    dataset : torch Dataset
        Scaled training items ``(x, y)``.
    leads : sequence of str or None
        The model's lead names; without names there are no sets.
    batch_size, device, seed
        As :func:`~sktime_ecoscale.classification._skorch.recalibrate_batchnorm`.

    Returns
    -------
    dict
        Lead-set key -> ``{buffer name: tensor}`` of every batch-norm running
        mean and variance (empty without named leads or batch norm).
    """
    from sktime_ecoscale.classification._skorch import recalibrate_batchnorm

    sets = lead_sets_of(leads)
    if not sets or not any(
        isinstance(m, nn.modules.batchnorm._BatchNorm) for m in module.modules()
    ):
        return {}
    out = {}
    for key, mask in sets.items():
        variant = copy.deepcopy(module)
        recalibrate_batchnorm(
            variant, _KeepLeads(dataset, mask), batch_size=batch_size, device=device, seed=seed
        )
        out[key] = {
            name: tensor.detach().cpu().clone()
            for name, tensor in variant.state_dict().items()
            if _is_statistic(name)
        }
    return out


def check_statistics(module: nn.Module, norms: dict, where: str) -> None:
    """Refuse lead-set statistics that are not batch-norm buffers of ``module``'s shapes."""
    expected = module.state_dict()
    statistics = {name for name in expected if _is_statistic(name)}
    for key, buffers in norms.items():
        if set(buffers) != statistics:  # also refuses any name that is no such buffer
            raise ValueError(
                f"{where}: lead set {key!r} holds {len(buffers)} batch-norm statistics, "
                f"the network has {len(statistics)}."
            )
        for name, tensor in buffers.items():
            if tuple(tensor.shape) != tuple(expected[name].shape):
                raise ValueError(
                    f"{where}: lead set {key!r}: {name!r} has shape {tuple(tensor.shape)}, "
                    f"the network {tuple(expected[name].shape)}."
                )


def present_lead_keys(batch: torch.Tensor, leads, norms: dict) -> list[str | None]:
    """Per series of a scaled batch: the key of the lead set it holds, or None (clean statistics).

    A missing lead is one that is zero over the whole series (what the input
    rule makes of an absent or all-NaN lead).
    """
    if not norms:
        return [None] * len(batch)
    present = (batch != 0).any(dim=-1).cpu().numpy()
    names = np.asarray(leads, dtype=object)
    keys = []
    for row in present:
        key = lead_set_key(names[row]) if not row.all() else None
        keys.append(key if key in norms else None)
    return keys
