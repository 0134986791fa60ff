"""EcoScale-Net: a lightweight multi-kernel 1-D CNN for long multi-lead ECGs.

The module reads like the paper's figure: a stem, four residual stages and one
EcoScale block after each stage, global average pooling and a linear head.
Training code lives in :mod:`sktime_ecoscale.classification`.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from sktime_ecoscale.networks._dropout import ByteDropout
from sktime_ecoscale.networks._kernels import (
    DEFAULT_STAGE_DOWNSAMPLING,
    ecoscale_kernel_lists,
    ecoscale_strides,
    stage_downsampling,
)

__all__ = ["BasicBlock1d", "EcoScaleBlock", "EcoScaleNet", "OmniScaleLayer"]


def conv_bn(in_ch: int, out_ch: int, kernel_size: int = 1, stride: int = 1) -> nn.Sequential:
    """Return a bias-free convolution followed by batch normalisation."""
    padding = (kernel_size - 1) // 2 if stride > 1 else "same"
    conv = nn.Conv1d(in_ch, out_ch, kernel_size, stride=stride, padding=padding, bias=False)
    return nn.Sequential(conv, nn.BatchNorm1d(out_ch))


class OmniScaleLayer(nn.Module):
    """Parallel 'same'-padded convolutions, one per kernel size, concatenated.

    Parameters
    ----------
    in_channels : int
        Input channels.
    out_channels_per_kernel : int
        Output channels of each kernel size; the layer outputs
        ``len(kernel_sizes) * out_channels_per_kernel`` channels.
    kernel_sizes : sequence of int
        Kernel sizes; each kernel's parameters are its true taps (no zero-tap
        parameters). :meth:`fused_conv` gives the equivalent single convolution.
    single_convolution : bool, default=False
        Run the kernels, in training too, as one convolution whose weight pads
        every kernel to the largest size (:meth:`forward_combined`) instead of
        one convolution per kernel size (:meth:`forward_parallel`): the same
        outputs and gradients. It pays where the kernels are many and long
        (OS-CNN at 12 x 1000: 9x per training step); EcoScale-Net's few short
        kernels gain nothing from it (``benchmarks/bench_fused_training.py``).

    Examples
    --------
    >>> import torch
    >>> from sktime_ecoscale.networks import OmniScaleLayer
    >>> _ = torch.manual_seed(0)
    >>> layer = OmniScaleLayer(in_channels=2, out_channels_per_kernel=4, kernel_sizes=(1, 3, 5))
    >>> x = torch.randn(1, 2, 50)
    >>> layer(x).shape
    torch.Size([1, 12, 50])
    >>> torch.allclose(layer.fused_conv()(x), layer(x), atol=1e-6)
    True
    >>> torch.allclose(layer.forward_combined(x), layer(x), atol=1e-6)
    True
    """

    def __init__(
        self,
        in_channels: int,
        out_channels_per_kernel: int,
        kernel_sizes: Sequence[int],
        single_convolution: bool = False,
    ):
        super().__init__()
        self.kernel_sizes = tuple(int(k) for k in kernel_sizes)
        self.single_convolution = bool(single_convolution)
        self.convs = nn.ModuleList(
            nn.Conv1d(in_channels, out_channels_per_kernel, k, bias=False)
            for k in self.kernel_sizes
        )
        self.out_channels = out_channels_per_kernel * len(self.kernel_sizes)
        # 'same' padding done once for all kernels: PyTorch's convention puts
        # (k - 1) // 2 zeros on the left and the rest on the right.
        k_max = max(self.kernel_sizes)
        self._pad = ((k_max - 1) // 2, k_max - 1 - (k_max - 1) // 2)

    def combined_weight(self) -> torch.Tensor:
        """The kernels as one ``(out, in, k_max)`` weight, each zero-padded in place.

        Each kernel of size ``k`` sits, zero-padded, inside a kernel of the
        largest size so that its taps keep their 'same'-padding alignment. Built
        with :func:`torch.nn.functional.pad` and :func:`torch.cat` from the
        parameters, so gradients reach each kernel's own taps only: the zero taps
        have no parameter behind them.
        """
        k_max = max(self.kernel_sizes)
        left_max = (k_max - 1) // 2
        parts = []
        for conv, k in zip(self.convs, self.kernel_sizes):
            offset = left_max - (k - 1) // 2
            parts.append(nn.functional.pad(conv.weight, (offset, k_max - k - offset)))
        return torch.cat(parts, dim=0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.single_convolution:
            return self.forward_combined(x)
        return self.forward_parallel(x)

    def forward_combined(self, x: torch.Tensor) -> torch.Tensor:
        """One convolution with :meth:`combined_weight`: the same outputs and gradients."""
        return nn.functional.conv1d(nn.functional.pad(x, self._pad), self.combined_weight())

    def forward_parallel(self, x: torch.Tensor) -> torch.Tensor:
        """One convolution per kernel size, concatenated."""
        left, right = self._pad
        padded = nn.functional.pad(x, (left, right))
        length = x.shape[-1]
        outs = []
        for conv, k in zip(self.convs, self.kernel_sizes):
            start = left - (k - 1) // 2
            outs.append(conv(padded[..., start : start + length + k - 1]))
        return torch.cat(outs, dim=1)

    def fused_conv(self) -> nn.Sequential:
        """Return one padded convolution computing exactly what the layer computes.

        The combined weight (:meth:`combined_weight`) as a plain
        :class:`~torch.nn.Conv1d`, detached: used for inference (see
        :func:`~sktime_ecoscale.networks.fuse_for_inference`) and export.
        """
        k_max = max(self.kernel_sizes)
        first = self.convs[0]
        fused = nn.Conv1d(first.in_channels, self.out_channels, k_max, bias=False)
        fused.weight.data.copy_(self.combined_weight().detach())
        return nn.Sequential(nn.ConstantPad1d(self._pad, 0.0), fused).to(first.weight.device)


class BasicBlock1d(nn.Module):
    """Residual basic block: two k3 convolutions with batch norm and dropout.

    When the block strides or changes width, its shortcut is a max-pool with
    that stride followed by a 1x1 convolution and batch norm, as in the
    authors' network. Pooling uses ``ceil_mode`` so any length >= 1 works.

    Parameters
    ----------
    in_channels : int
        Input channels.
    out_channels : int
        Output channels.
    stride : int, default 1
        Stride of the first convolution (and of the shortcut's max-pool).
    dropout : float, default 0.2
        Dropout after each activation.

    Examples
    --------
    >>> import torch
    >>> from sktime_ecoscale.networks import BasicBlock1d
    >>> block = BasicBlock1d(4, 8, stride=2)
    >>> block(torch.randn(2, 4, 25)).shape
    torch.Size([2, 8, 13])
    """

    def __init__(self, in_channels: int, out_channels: int, stride: int = 1, dropout: float = 0.2):
        super().__init__()
        self.conv1 = conv_bn(in_channels, out_channels, 3, stride)
        self.conv2 = conv_bn(out_channels, out_channels, 3)
        self.act = nn.ReLU(inplace=True)
        self.dropout = ByteDropout(dropout)
        if stride == 1 and in_channels == out_channels:
            self.shortcut = nn.Identity()
        else:
            pool = nn.MaxPool1d(stride, stride, ceil_mode=True) if stride > 1 else nn.Identity()
            self.shortcut = nn.Sequential(pool, conv_bn(in_channels, out_channels, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.dropout(self.act(self.conv1(x)))
        out = self.conv2(out)
        return self.dropout(self.act(out + self.shortcut(x)))


class EcoScaleBlock(nn.Module):
    """The EcoScale block: bottlenecked omni-scale layers with a projected residual.

    Structure, for ``C`` channels and kernel list ``K`` with ``n = len(K)``:
    a 1x1 residual projection; 1x1 bottleneck ``C -> C/2``; omni-scale layer 1
    (``n * C/2``); 1x1 bottleneck to ``n * C/4``; omni-scale layer 2 (same K,
    ``n * C/2``); 1x1 bottleneck to ``C/2``; omni-scale layer 3 with
    ``{1, 2}`` concatenated to ``C``; 1x1 fusion; add the residual.

    Parameters
    ----------
    channels : int
        Width ``C`` of the block's input and output (even).
    kernel_sizes : sequence of int
        Kernel list ``K`` of omni-scale layers 1 and 2.
    dropout : float, default 0.2
        Dropout after each omni-scale layer and at the block output.

    Examples
    --------
    >>> import torch
    >>> from sktime_ecoscale.networks import EcoScaleBlock
    >>> block = EcoScaleBlock(channels=8, kernel_sizes=(1, 2, 3, 5))
    >>> block(torch.randn(2, 8, 40)).shape  # width and length are kept
    torch.Size([2, 8, 40])
    """

    def __init__(self, channels: int, kernel_sizes: Sequence[int], dropout: float = 0.2):
        super().__init__()
        half = max(channels // 2, 1)
        quarter = max(channels // 4, 1)
        n = len(kernel_sizes)
        self.residual = conv_bn(channels, channels, 1)
        self.reduce1 = nn.Sequential(nn.Conv1d(channels, half, 1), nn.ReLU(inplace=True))
        self.omni1 = OmniScaleLayer(half, half, kernel_sizes)
        self.norm1 = nn.Sequential(
            nn.BatchNorm1d(n * half), nn.ReLU(inplace=True), ByteDropout(dropout)
        )
        self.reduce2 = nn.Sequential(nn.Conv1d(n * half, n * quarter, 1), nn.ReLU(inplace=True))
        self.omni2 = OmniScaleLayer(n * quarter, half, kernel_sizes)
        self.norm2 = nn.Sequential(
            nn.BatchNorm1d(n * half), nn.ReLU(inplace=True), ByteDropout(dropout)
        )
        self.reduce3 = nn.Sequential(nn.Conv1d(n * half, half, 1), nn.ReLU(inplace=True))
        self.omni3 = OmniScaleLayer(half, half, (1, 2))
        self.norm3 = nn.Sequential(nn.BatchNorm1d(2 * half), nn.ReLU(inplace=True))
        self.fuse = conv_bn(2 * half, channels, 1)
        self.act = nn.ReLU(inplace=True)
        self.dropout = ByteDropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.norm1(self.omni1(self.reduce1(x)))
        out = self.norm2(self.omni2(self.reduce2(out)))
        out = self.norm3(self.omni3(self.reduce3(out)))
        return self.dropout(self.act(self.fuse(out) + self.residual(x)))


class EcoScaleNet(nn.Module):
    """EcoScale-Net for multi-lead ECG classification, any channel count and length.

    Input ``(N, n_channels, L)`` float32, output logits ``(N, n_classes)``. The
    topology is the authors' (a stride-2 stem with max-pooling, four residual
    stages, one :class:`EcoScaleBlock` after each stage, global average pooling,
    a linear head), generalised to any number of leads and any length ``L >=
    MIN_SEQ_LEN`` (no divisibility requirement: pooling and strides round up).

    Parameters
    ----------
    n_channels : int
        Number of input channels (leads), at least 1.
    n_classes : int
        Number of output logits.
    seq_len : int, optional
        Typical input length; decides the kernel lists through
        :func:`~sktime_ecoscale.networks.ecoscale_kernel_lists`. The network
        still accepts any length. ``None`` uses ``[1, 2]`` everywhere.
    widths : sequence of int, default (32, 64, 128, 256)
        Channels of the four stages (the authors use 64, 128, 256, 512).
    blocks_per_stage : int, default 1
        Residual basic blocks per stage (the authors use 2).
    kernel_lists : sequence of sequence of int, optional
        Override of the per-stage kernel lists.
    kernel_span : int, optional
        Span of the capping rule, passed to ``ecoscale_kernel_lists``.
    strides : sequence of int, optional
        Strides of the stem convolution, stem max-pool and the first block of
        each stage (1 or more). Default: :func:`~sktime_ecoscale.networks.ecoscale_strides`
        of ``seq_len``, six halvings from 961 samples on, fewer below.
    dropout : float, default 0.2
        Dropout rate in blocks.
    head_dropout : float, default 0.0
        Dropout before the linear head.

    Examples
    --------
    >>> import torch
    >>> from sktime_ecoscale.networks import EcoScaleNet
    >>> net = EcoScaleNet(n_channels=12, n_classes=6, seq_len=4096)
    >>> net.kernel_lists
    [[1, 2, 3, 5, 7, 11, 13], [1, 2, 3, 5, 7], [1, 2, 3], [1, 2]]
    >>> net(torch.randn(2, 12, 4096)).shape
    torch.Size([2, 6])
    >>> net(torch.randn(2, 12, 17)).shape  # any length from MIN_SEQ_LEN
    torch.Size([2, 6])
    >>> EcoScaleNet(n_channels=1, n_classes=2, seq_len=82).strides  # short: fewer halvings
    (1, 1, 1, 1, 2, 2)
    """

    #: Shortest input the network accepts.
    MIN_SEQ_LEN = 1
    #: Weights that read the input channels (dim 1), for :func:`transfer_backbone`.
    INPUT_WEIGHTS = ("stem.0.0.weight",)

    def __init__(
        self,
        n_channels: int,
        n_classes: int,
        seq_len: int | None = None,
        widths: Sequence[int] = (32, 64, 128, 256),
        blocks_per_stage: int = 1,
        kernel_lists: Sequence[Sequence[int]] | None = None,
        kernel_span: int | None = None,
        strides: Sequence[int] | None = None,
        dropout: float = 0.2,
        head_dropout: float = 0.0,
    ):
        super().__init__()
        if n_channels < 1 or n_classes < 1:
            raise ValueError(
                f"n_channels and n_classes must be >= 1, got {n_channels} and {n_classes}."
            )
        widths = [int(w) for w in widths]
        if len(widths) != len(DEFAULT_STAGE_DOWNSAMPLING):
            raise ValueError(f"widths must have 4 entries (one per stage), got {widths}.")
        strides = tuple(int(s) for s in (ecoscale_strides(seq_len) if strides is None else strides))
        downsampling = stage_downsampling(strides)  # also checks the strides
        if kernel_lists is None:
            kernel_lists = ecoscale_kernel_lists(
                seq_len, span=kernel_span, stage_downsampling=downsampling
            )
        if len(kernel_lists) != len(widths):
            raise ValueError(
                f"kernel_lists needs one list per stage ({len(widths)}), got {len(kernel_lists)}."
            )
        self.kernel_lists = [sorted(int(k) for k in ks) for ks in kernel_lists]
        self.n_channels = n_channels
        self.n_classes = n_classes
        self.strides = strides

        stem_pool = (
            nn.MaxPool1d(3, stride=strides[1], padding=1, ceil_mode=True)
            if strides[1] > 1
            else nn.Identity()
        )
        self.stem = nn.Sequential(
            conv_bn(n_channels, widths[0], 7, stride=strides[0]),
            nn.ReLU(inplace=True),
            stem_pool,
        )
        stages = []
        in_ch = widths[0]
        for width, kernels, stride in zip(widths, self.kernel_lists, strides[2:]):
            blocks = [BasicBlock1d(in_ch, width, stride=stride, dropout=dropout)]
            blocks += [
                BasicBlock1d(width, width, dropout=dropout) for _ in range(blocks_per_stage - 1)
            ]
            blocks.append(EcoScaleBlock(width, kernels, dropout=dropout))
            stages.append(nn.Sequential(*blocks))
            in_ch = width
        self.stages = nn.Sequential(*stages)
        self.pool = nn.AdaptiveAvgPool1d(1)
        self.head = nn.Sequential(
            nn.Flatten(), ByteDropout(head_dropout), nn.Linear(in_ch, n_classes)
        )

    def forward_features(self, x: torch.Tensor) -> torch.Tensor:
        """Return the pooled embedding ``(N, widths[-1])`` before the head."""
        return self.pool(self.stages(self.stem(x)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.forward_features(x))
