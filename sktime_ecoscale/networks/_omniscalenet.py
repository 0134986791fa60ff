"""OS-CNN (Omni-Scale CNN, Tang et al., ICLR 2022): the baseline EcoScale-Net improves on.

One OS-block: two layers with every kernel size in ``{1, 2} + primes`` up to a
receptive-field limit (``seq_len / 4``), then a layer with ``{1, 2}``; channels
per kernel size come from a parameter budget. Global average pooling and a
linear head follow. At 12 x 4096 this is the tsai-style reference of the
project's reference notes (14.93 M parameters, 122.3 GFLOPs with 6 outputs).
"""

from __future__ import annotations

import torch
from torch import nn

from sktime_ecoscale.networks._ecoscalenet import OmniScaleLayer
from sktime_ecoscale.networks._kernels import omni_scale_kernel_sizes

__all__ = ["OmniScaleNet", "os_cnn_channels"]

#: OS-CNN's default parameter budgets per layer (official code):
#: ``8 * 128 * in_channels`` for layer 1 and ``5*128*256 + 2*256*128`` for the others.
_LAYER2_BUDGET = 5 * 128 * 256 + 2 * 256 * 128


def os_cnn_channels(budget: int, in_channels: int, kernel_sizes: list[int]) -> int:
    """Channels per kernel size from OS-CNN's parameter budget, at least 1.

    ``floor(budget / (in_channels * sum(kernel_sizes)))``; long inputs drive this
    to zero, and the tsai-style reference floors it at one channel per size.

    Parameters
    ----------
    budget : int
        Parameter budget of the layer.
    in_channels : int
        Input channels of the layer.
    kernel_sizes : list of int
        Kernel sizes of the layer.

    Returns
    -------
    int
        Output channels per kernel size.

    Examples
    --------
    >>> os_cnn_channels(8 * 128 * 12, 12, [1, 2, 3, 5])
    93
    """
    return max(1, budget // (in_channels * sum(kernel_sizes)))


class OmniScaleNet(nn.Module):
    """OS-CNN baseline: one OS-block with true-size convolutions, GAP and a linear head.

    Parameters
    ----------
    n_channels : int
        Input channels (leads).
    n_classes : int
        Output logits.
    seq_len : int
        Input length; the largest kernel is ``receptive_field`` (default
        ``seq_len // 4``, the OS-CNN paper's limit).
    receptive_field : int, optional
        Override of the largest kernel size.
    max_kernel : int, optional
        Extra cap on the kernel size (the official code caps at 89).

    Examples
    --------
    >>> import torch
    >>> from sktime_ecoscale.networks import OmniScaleNet
    >>> net = OmniScaleNet(n_channels=2, n_classes=3, seq_len=64)
    >>> net.kernel_sizes
    [1, 2, 3, 5, 7, 11, 13]
    >>> net(torch.randn(4, 2, 64)).shape
    torch.Size([4, 3])
    """

    MIN_SEQ_LEN = 1
    #: Weights that read the input channels (dim 1), for :func:`transfer_backbone`.
    INPUT_WEIGHTS = ("layer1.convs.*.weight",)

    def __init__(
        self,
        n_channels: int,
        n_classes: int,
        seq_len: int,
        receptive_field: int | None = None,
        max_kernel: int | None = None,
    ):
        super().__init__()
        limit = receptive_field if receptive_field is not None else max(2, int(seq_len) // 4)
        if max_kernel is not None:
            limit = min(limit, int(max_kernel))
        self.kernel_sizes = omni_scale_kernel_sizes(max(2, limit))
        c1 = os_cnn_channels(8 * 128 * n_channels, n_channels, self.kernel_sizes)
        self.layer1 = OmniScaleLayer(n_channels, c1, self.kernel_sizes, single_convolution=True)
        c2 = os_cnn_channels(_LAYER2_BUDGET, self.layer1.out_channels, self.kernel_sizes)
        self.layer2 = OmniScaleLayer(
            self.layer1.out_channels, c2, self.kernel_sizes, single_convolution=True
        )
        # The {1, 2} layer keeps the width of its input per kernel size (2 x 173
        # channels at 12 x 4096, as in the tsai-style reference).
        c3 = self.layer2.out_channels
        self.layer3 = OmniScaleLayer(self.layer2.out_channels, c3, [1, 2])
        self.norms = nn.ModuleList(
            nn.Sequential(nn.BatchNorm1d(layer.out_channels), nn.ReLU(inplace=True))
            for layer in (self.layer1, self.layer2, self.layer3)
        )
        self.pool = nn.AdaptiveAvgPool1d(1)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(self.layer3.out_channels, n_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for layer, norm in zip((self.layer1, self.layer2, self.layer3), self.norms):
            x = norm(layer(x))
        return self.head(self.pool(x))
