"""Several independently initialised networks trained and served as one module."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import nn

__all__ = ["NetworkEnsemble", "ensemble_of"]


class NetworkEnsemble(nn.Module):
    """Members trained side by side on the same batches, averaged at inference.

    In training mode the forward pass returns every member's logits stacked,
    ``(n_members, N, n_logits)``, so that a loss can be applied to each member
    on its own (deep ensembles: the members differ by their initialisation,
    and each learns alone). In eval mode it returns the mean of the members'
    logits, ``(N, n_logits)``. For a softmax head this is the normalised
    geometric mean of the members' probabilities (each member's normaliser
    is a constant across classes), for a sigmoid logit the analogous
    log-odds average; the output has the shape of a single member's, so
    fusing, ONNX export and serving see one ordinary network.

    Parameters
    ----------
    members : sequence of nn.Module
        Networks with the same input and output shapes.

    Examples
    --------
    >>> import torch
    >>> from sktime_ecoscale.networks import EcoScaleNet, NetworkEnsemble
    >>> torch.manual_seed(0)  # doctest: +ELLIPSIS
    <torch._C.Generator object at ...>
    >>> ens = NetworkEnsemble([EcoScaleNet(1, 3, 128, widths=(4, 8, 8, 8)) for _ in range(3)])
    >>> x = torch.randn(5, 1, 128)
    >>> ens.train()(x).shape
    torch.Size([3, 5, 3])
    >>> ens.eval()(x).shape
    torch.Size([5, 3])
    """

    def __init__(self, members: Sequence[nn.Module]):
        super().__init__()
        if len(members) < 1:
            raise ValueError("NetworkEnsemble needs at least one member network.")
        self.members = nn.ModuleList(members)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        outputs = torch.stack([member(x) for member in self.members])
        if self.training:
            return outputs
        return outputs.mean(dim=0)


def ensemble_of(n_networks: int, build: Callable[[], nn.Module]) -> nn.Module:
    """``build()`` once for one network, else a :class:`NetworkEnsemble` of ``n_networks`` builds.

    Parameters
    ----------
    n_networks : int
        How many independently initialised networks to build (>= 1).
    build : callable
        Builds one fresh network per call.

    Returns
    -------
    torch.nn.Module
        The network itself when ``n_networks == 1`` (no wrapper, so single
        networks keep their layer names), else the ensemble of the builds.

    Examples
    --------
    >>> from sktime_ecoscale.networks import EcoScaleNet, ensemble_of
    >>> type(ensemble_of(1, lambda: EcoScaleNet(1, 2, 64))).__name__
    'EcoScaleNet'
    >>> len(ensemble_of(3, lambda: EcoScaleNet(1, 2, 64)).members)
    3
    """
    members = [build() for _ in range(int(n_networks))]
    return members[0] if len(members) == 1 else NetworkEnsemble(members)
