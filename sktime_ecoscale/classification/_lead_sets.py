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
(:func:`lead_set_statistics`, a forward pass each; the backbone's weights are
untouched), kept as ``lead_set_norms_`` and saved with the model. At predict
time every series whose present leads are exactly such a set is served by
the network with that set's statistics; any other pattern of missing leads
keeps the clean statistics.

The linear head is refitted per lead set too (:func:`refit_heads`): on the
pooled features of the training series with the other leads missing, the
training loss plus an L2 pull towards the trained head, whose strength is
chosen by 5-fold cross-validation on those series (from 100 training series on:
fewer keep the trained head): the features that survive
without ten leads are not weighted as the 12-lead head weighs them. On PTB-XL
NORM vs other (one default network, seeds 0-2,
``benchmarks/bench_lead_set_heads.py``) the 12-lead model given leads I and II
went from 0.830 mean AUROC (statistics only) to 0.852, against 0.895 for models
trained on I and II alone; on the superclasses it changed little either way.
Twelve leads keep the trained head.
"""

from __future__ import annotations

import copy

import numpy as np
import torch
from torch import nn

from sktime_ecoscale.networks._transfer import HEAD

__all__ = [
    "CHALLENGE_LEAD_SETS",
    "check_statistics",
    "lead_set_key",
    "lead_set_statistics",
    "lead_sets_of",
    "present_lead_keys",
    "refit_heads",
    "statistics_only",
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
#: Candidate strengths of the head refit's pull towards the trained head (chosen by CV).
HEAD_PENALTIES = (1e-4, 1e-3, 1e-2, 1e-1, 1.0)
#: Folds of that cross-validation.
HEAD_CV_FOLDS = 5
#: At most this many training series (a seeded random subset) feed a head refit: a
#: linear layer needs no more, and an out-of-core data set is not read four more times.
HEAD_MAX_SERIES = 20_000
#: Fewer training series than this keep the trained head: 5-fold cross-validation on a
#: few dozen series cannot choose the penalty (the statistics are still re-estimated).
HEAD_MIN_SERIES = 100


def _is_statistic(name: str) -> bool:
    return name.rsplit(".", 1)[-1] in _STATISTICS


def statistics_only(norms: dict) -> dict:
    """``lead_set_norms_`` without the refitted heads: each set's batch-norm statistics only."""
    return {
        key: {name: t for name, t in tensors.items() if _is_statistic(name)}
        for key, tensors in norms.items()
    }


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
    module: nn.Module,
    dataset,
    leads,
    *,
    batch_size: int,
    device: str,
    seed: int = 0,
    criterion: nn.Module | None = None,
) -> dict[str, dict[str, torch.Tensor]]:
    """Batch-norm statistics (and refitted heads) of ``module`` for each reduced lead set.

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
    criterion : nn.Module, optional
        The training loss; given, and with at least :data:`HEAD_MIN_SERIES`
        series, each set's linear heads are refitted too (:func:`refit_heads`).

    Returns
    -------
    dict
        Lead-set key -> ``{name: tensor}`` of every batch-norm running mean
        and variance, and with ``criterion`` every head's weight and bias
        (empty without named leads or batch norm).
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
        reduced = _KeepLeads(dataset, mask)
        recalibrate_batchnorm(variant, reduced, batch_size=batch_size, device=device, seed=seed)
        out[key] = {
            name: tensor.detach().cpu().clone()
            for name, tensor in variant.state_dict().items()
            if _is_statistic(name)
        }
        if criterion is not None and len(dataset) >= HEAD_MIN_SERIES:
            out[key].update(refit_heads(variant, reduced, criterion, batch_size, device, seed))
    return out


def _heads(module: nn.Module) -> list[str]:
    """Names of the linear heads: the linear layer inside each network's ``HEAD`` module.

    By name, as :func:`~sktime_ecoscale.networks.transfer_backbone` finds the head, so a
    linear layer elsewhere in a backbone is never refitted as a head.
    """
    return [
        name
        for name, m in module.named_modules()
        if HEAD in name.split(".") and isinstance(m, nn.Linear)
    ]


def _head_inputs(module, dataset, heads, batch_size: int, device: str):
    """The input of every head over ``dataset`` (eval mode), and the targets."""
    layers = dict(module.named_modules())
    features: dict[str, list] = {h: [] for h in heads}
    hooks = [
        layers[h].register_forward_hook(
            lambda _m, inputs, _out, h=h: features[h].append(inputs[0].detach().cpu())
        )
        for h in heads
    ]
    targets = []
    module.eval()
    try:
        loader = torch.utils.data.DataLoader(dataset, batch_size=batch_size, shuffle=False)
        with torch.no_grad():
            for x, y in loader:
                module(x.to(device))
                targets.append(torch.as_tensor(y))
    finally:
        for hook in hooks:
            hook.remove()
    return {h: torch.cat(v).float() for h, v in features.items()}, torch.cat(targets)


def _fit_head(F, y, W0, b0, criterion, penalty: float):
    """``criterion(F W^T + b, y) + penalty * |W - W0|^2``, minimised by L-BFGS from ``W0, b0``."""
    W, b = W0.clone().requires_grad_(True), b0.clone().requires_grad_(True)
    opt = torch.optim.LBFGS([W, b], max_iter=100, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = criterion(F @ W.T + b, y) + penalty * ((W - W0) ** 2).sum()
        loss.backward()
        return loss

    with torch.enable_grad():
        opt.step(closure)
    return W.detach(), b.detach()


def _choose_penalty(F, y, W0, b0, criterion, seed: int) -> float:
    """The penalty of :data:`HEAD_PENALTIES` with the lowest 5-fold held-out loss."""
    order = torch.randperm(len(F), generator=torch.Generator().manual_seed(seed))
    folds = [order[k::HEAD_CV_FOLDS] for k in range(HEAD_CV_FOLDS)]
    losses = []
    for penalty in HEAD_PENALTIES:
        total = 0.0
        for held in folds:
            keep = torch.ones(len(F), dtype=torch.bool)
            keep[held] = False
            W, b = _fit_head(F[keep], y[keep], W0, b0, criterion, penalty)
            with torch.no_grad():
                total += float(criterion(F[held] @ W.T + b, y[held])) * len(held)
        losses.append(total / len(F))
    return HEAD_PENALTIES[int(np.argmin(losses))]


def refit_heads(
    module: nn.Module, dataset, criterion, batch_size: int, device: str, seed: int = 0
) -> dict[str, torch.Tensor]:
    """Each linear head refitted on ``module``'s pooled features of ``dataset``.

    The loss is the training loss ``criterion`` plus ``penalty * |W - W0|^2``
    (``W0``: the trained head), the penalty chosen from :data:`HEAD_PENALTIES`
    by :data:`HEAD_CV_FOLDS`-fold cross-validation of the held-out loss; an
    unpenalised refit over-fits the training series the backbone already
    separates. At most :data:`HEAD_MAX_SERIES` series are used. ``module``
    is not modified.

    Returns
    -------
    dict
        ``{"<head>.weight": tensor, "<head>.bias": tensor}`` for every head.
    """
    heads = _heads(module)
    if not heads:
        return {}
    if len(dataset) > HEAD_MAX_SERIES:
        pick = np.random.default_rng(seed).choice(len(dataset), HEAD_MAX_SERIES, replace=False)
        dataset = torch.utils.data.Subset(dataset, np.sort(pick).tolist())
    features, targets = _head_inputs(module, dataset, heads, batch_size, device)
    criterion = copy.deepcopy(criterion).to("cpu")  # class weights may live on the GPU
    state = module.state_dict()
    out = {}
    for head in heads:
        W0 = state[f"{head}.weight"].detach().cpu().float()
        b0 = state[f"{head}.bias"].detach().cpu().float()
        penalty = _choose_penalty(features[head], targets, W0, b0, criterion, seed)
        W, b = _fit_head(features[head], targets, W0, b0, criterion, penalty)
        out[f"{head}.weight"], out[f"{head}.bias"] = W, b
    return out


def check_statistics(module: nn.Module, norms: dict, where: str) -> None:
    """Refuse lead-set tensors that are not ``module``'s batch-norm statistics (and heads).

    Each set holds every batch-norm running mean and variance, and either the
    weight and bias of every linear head (a refitted head) or none of them
    (files written before heads were refitted), each of its tensor's shape.
    """
    expected = module.state_dict()
    statistics = {name for name in expected if _is_statistic(name)}
    heads = {f"{h}.{p}" for h in _heads(module) for p in ("weight", "bias")}
    for key, buffers in norms.items():
        names = set(buffers)
        if names not in (statistics, statistics | heads):  # refuses any other name too
            raise ValueError(
                f"{where}: lead set {key!r} holds {len(names & statistics)} of the network's "
                f"{len(statistics)} batch-norm statistics and {len(names & heads)} of its "
                f"{len(heads)} head tensors (all or none), and {len(names - statistics - heads)} "
                "other tensors."
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
