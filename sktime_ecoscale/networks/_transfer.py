"""Transfer a trained backbone into a new network: new head, leads mapped by position."""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence

import torch
from torch import nn

from sktime_ecoscale.networks._ensemble import NetworkEnsemble

__all__ = ["backbone_patterns", "transfer_backbone"]

#: Name of the classification head in every network of the package.
HEAD = "head"


def _members(module: nn.Module) -> list[tuple[str, nn.Module]]:
    """``(prefix, network)`` of each member: one for a plain network."""
    if isinstance(module, NetworkEnsemble):
        return [(f"members.{i}.", m) for i, m in enumerate(module.members)]
    return [("", module)]


def backbone_patterns(module: nn.Module) -> list[str]:
    """Parameter-name patterns (``fnmatch``) of everything but the heads.

    The form skorch's ``Freezer``/``Unfreezer`` and ``optimizer__param_groups``
    take. Every network of the package names its classifier ``head``.

    Parameters
    ----------
    module : nn.Module
        An :class:`~sktime_ecoscale.networks.EcoScaleNet`,
        :class:`~sktime_ecoscale.networks.OmniScaleNet` or an ensemble of them.

    Returns
    -------
    list of str

    Examples
    --------
    >>> from sktime_ecoscale.networks import EcoScaleNet, ensemble_of
    >>> backbone_patterns(EcoScaleNet(1, 2, 64))
    ['stem.*', 'stages.*']
    >>> backbone_patterns(ensemble_of(2, lambda: EcoScaleNet(1, 2, 64)))[:2]
    ['members.0.stem.*', 'members.0.stages.*']
    """
    patterns = []
    for prefix, member in _members(module):
        for name, child in member.named_children():
            if name != HEAD and any(True for _ in child.parameters()):
                patterns.append(f"{prefix}{name}.*")
    return patterns


def transfer_backbone(
    source: nn.Module,
    target: nn.Module,
    channel_map: Sequence[int | None] | None = None,
) -> list[str]:
    """Copy every weight but the head from ``source`` into ``target``, in place.

    The networks must share their architecture except for the head (any
    number of outputs) and the input layer's channels. ``channel_map[j]`` is
    the source channel that target channel ``j`` reads (its trained filters),
    or ``None`` for a lead the source never saw, which starts from the mean of
    the source's filters over its channels; default: channel ``j`` reads
    source channel ``j``. Ensemble members map by position (a single source
    network seeds every member, a single target takes the first member).

    Parameters
    ----------
    source, target : nn.Module
        Networks of the package (or ensembles), target freshly built.
    channel_map : sequence of int or None, optional
        One entry per target input channel.

    Returns
    -------
    list of str
        Names of the target tensors that were copied (the head's are not).

    Raises
    ------
    ValueError
        If a backbone tensor's shape differs (another width, kernel list or
        depth), or ``channel_map`` does not fit the channel counts.

    Examples
    --------
    >>> import torch
    >>> from sktime_ecoscale.networks import EcoScaleNet
    >>> src = EcoScaleNet(12, 5, 1000, widths=(4, 8, 8, 8))
    >>> dst = EcoScaleNet(2, 3, 1000, widths=(4, 8, 8, 8))    # leads I and II, 3 classes
    >>> copied = transfer_backbone(src, dst, channel_map=[0, 1])
    >>> torch.equal(dst.stem[0][0].weight, src.stem[0][0].weight[:, :2])
    True
    >>> any(name.startswith("head") for name in copied)
    False
    """
    src_members, dst_members = _members(source), _members(target)
    src_in, dst_in = _input_channels(src_members[0][1]), _input_channels(dst_members[0][1])
    if channel_map is None:
        if src_in != dst_in:
            raise ValueError(
                f"the source network reads {src_in} channels and the new one {dst_in}; "
                "name the leads of both to map them."
            )
        channel_map = list(range(dst_in))
    channel_map = list(channel_map)
    if len(channel_map) != dst_in or any(
        c is not None and not 0 <= int(c) < src_in for c in channel_map
    ):
        raise ValueError(
            f"channel_map needs {dst_in} entries, each a source channel in 0..{src_in - 1} "
            f"or None; got {channel_map}."
        )
    copied = []
    for i, (dst_prefix, dst_net) in enumerate(dst_members):
        src_prefix, src_net = src_members[i % len(src_members)]
        src_state = src_net.state_dict()
        inputs = set(_input_weight_names(dst_net))
        with torch.no_grad():
            for name, tensor in dst_net.state_dict().items():
                if name.split(".")[0] == HEAD:
                    continue
                if name not in src_state:
                    raise ValueError(
                        f"the source network has no tensor {name!r}; not the same architecture."
                    )
                value = src_state[name]
                if any(fnmatch.fnmatch(name, pattern) for pattern in inputs):
                    value = _map_channels(value, channel_map)
                if value.shape != tensor.shape:
                    raise ValueError(
                        f"tensor {name!r} has shape {tuple(value.shape)} in the source network and "
                        f"{tuple(tensor.shape)} in the new one: widths, kernels or depth differ."
                    )
                tensor.copy_(value)  # state_dict tensors share storage with the module
                copied.append(dst_prefix + name)
    return copied


def _input_weight_names(network: nn.Module) -> list[str]:
    """The network's declared input-layer weights (dim 1 = input channels)."""
    names = getattr(network, "INPUT_WEIGHTS", None)
    if names is None:
        raise ValueError(
            f"{type(network).__name__} does not declare its input weights (INPUT_WEIGHTS)."
        )
    return list(names)


def _input_channels(network: nn.Module) -> int:
    state = network.state_dict()
    for pattern in _input_weight_names(network):
        for name, tensor in state.items():
            if fnmatch.fnmatch(name, pattern):
                return int(tensor.shape[1])
    raise ValueError(f"{type(network).__name__}: no input weights found.")


def _map_channels(weight: torch.Tensor, channel_map: list) -> torch.Tensor:
    """Columns of ``weight`` (dim 1) picked by ``channel_map``; None: their mean."""
    mean = weight.mean(dim=1)
    columns = [mean if c is None else weight[:, int(c)] for c in channel_map]
    return torch.stack(columns, dim=1)
