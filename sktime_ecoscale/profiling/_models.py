"""The networks the profiler measures, built by name (training graph + inference runner)."""

from __future__ import annotations

import os
import tempfile

import numpy as np
import torch
from torch import nn

__all__ = ["MODELS", "build_model"]

#: Models the profiler knows, in the default order.
MODELS = ("ecoscale", "ecoscale-fused", "ecoscale-onnx", "omniscale", "inceptiontime")


# ------------------------------------------------------------------ models
def _inceptiontime(n_channels: int, n_classes: int, seq_len: int) -> nn.Module:
    """sktime's InceptionTime network, built as its classifier builds it (defaults)."""
    from sktime.networks.inceptiontime import InceptionTimeNetworkTorch

    # the network InceptionTimeClassifierTorch() builds with its defaults
    # (hidden activation ReLU, no output activation), through sktime's public class
    return InceptionTimeNetworkTorch(
        input_size=n_channels, num_classes=n_classes, activation_hidden=nn.ReLU()
    )


class _ChannelsLast(nn.Module):
    """Feeds ``(N, C, L)`` to a network that takes ``(N, L, C)`` (sktime's torch networks)."""

    def __init__(self, net: nn.Module):
        super().__init__()
        self.net = net

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x.transpose(1, 2))


class _OnnxRunner:
    """Calls an ONNX Runtime session like a module, on a torch tensor."""

    def __init__(self, module: nn.Module, n_channels: int, seq_len: int, threads: int):
        import onnxruntime

        from sktime_ecoscale.networks._onnx import INPUT_NAME, onnx_export_module

        self._dir = tempfile.TemporaryDirectory()
        path = os.path.join(self._dir.name, "net.onnx")
        onnx_export_module(module, path, n_channels=n_channels, seq_len=seq_len)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            path, options, providers=["CPUExecutionProvider"]
        )
        self.input_name = INPUT_NAME
        self.threads = threads

    def __call__(self, x: torch.Tensor) -> np.ndarray:
        return self.session.run(None, {self.input_name: x.numpy()})[0]


def _ecoscale(n_channels: int, n_classes: int, seq_len: int, n_series: int | None) -> nn.Module:
    """The network EcoScaleClassifier's default builds for ``n_series`` training series.

    ``None``: the authors' full-width single network.
    """
    from sktime_ecoscale.classification import training_budget
    from sktime_ecoscale.networks import EcoScaleNet, ensemble_of

    if n_series is None:
        return EcoScaleNet(n_channels, n_classes, seq_len=seq_len)
    budget = training_budget(int(n_series), n_channels, seq_len, max(2, n_classes))
    return ensemble_of(
        budget.n_networks,
        lambda: EcoScaleNet(
            n_channels,
            n_classes,
            seq_len=seq_len,
            widths=budget.widths,
            strides=budget.strides,
            dropout=budget.dropout,
        ),
    )


def build_model(
    name: str, n_channels: int, n_classes: int, seq_len: int, n_series: int | None = None
):
    """Return (training graph, inference callable builder) for a model name."""
    from sktime_ecoscale.networks import OmniScaleNet, fuse_for_inference

    if name.startswith("ecoscale"):
        net = _ecoscale(n_channels, n_classes, seq_len, n_series)
        variant = name.partition("-")[2]
        if variant == "":
            return net, lambda threads: net.eval()
        if variant == "fused":
            return net, lambda threads: fuse_for_inference(net.eval())
        if variant == "onnx":
            return net, lambda threads: _OnnxRunner(
                fuse_for_inference(net.eval()), n_channels, seq_len, threads
            )
    if name == "omniscale":
        net = OmniScaleNet(n_channels, n_classes, seq_len=seq_len)
        return net, lambda threads: net.eval()
    if name == "inceptiontime":
        net = _ChannelsLast(_inceptiontime(n_channels, n_classes, seq_len))
        return net, lambda threads: net.eval()
    raise ValueError(f"Unknown model {name!r}; known: {list(MODELS)}.")
