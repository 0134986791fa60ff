"""ONNX export of an ``(N, C, L) -> logits`` network (torch only; no estimator code).

Lives with the networks so that both the estimators (``export_onnx``) and the
profiler use it without the profiler importing the classification layer.
"""

from __future__ import annotations

import os
import warnings

import torch

__all__ = ["INPUT_NAME", "OUTPUT_NAME", "onnx_export_module"]

#: Names of the graph's input and output.
INPUT_NAME = "ecg"
OUTPUT_NAME = "logits"


def onnx_export_module(
    module: torch.nn.Module, path: str | os.PathLike, n_channels: int, seq_len: int, opset: int = 17
) -> str:
    """Export an ``(N, C, L) -> logits`` network to ONNX with dynamic ``N`` and ``L``.

    The one export routine: :func:`export_onnx` and the profiler call it.
    """
    device = next(module.parameters()).device
    example = torch.zeros(2, int(n_channels), int(seq_len), device=device)
    path = os.fspath(path)
    with warnings.catch_warnings():
        # the TorchScript exporter announces its deprecation (the dynamo
        # exporter needs the optional onnxscript package), and notes slices it
        # cannot constant-fold: neither affects the graph's results
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("ignore", message="Constant folding")
        torch.onnx.export(
            module,
            (example,),
            path,
            input_names=[INPUT_NAME],
            output_names=[OUTPUT_NAME],
            dynamic_axes={INPUT_NAME: {0: "batch", 2: "length"}, OUTPUT_NAME: {0: "batch"}},
            opset_version=opset,
            dynamo=False,
        )
    return path
