"""ONNX export of an ``(N, C, L) -> logits`` network (torch only; no estimator code).

Lives with the networks so that both the estimators (``export_onnx``) and the
profiler use it without the profiler importing the classification layer.
"""

from __future__ import annotations

import os
import warnings

import numpy as np
import torch

__all__ = ["INPUT_NAME", "OUTPUT_NAME", "onnx_export_module", "quantize_onnx_int8"]

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


def quantize_onnx_int8(
    fp32_path: str | os.PathLike,
    int8_path: str | os.PathLike,
    calibration: np.ndarray,
    batch_size: int = 16,
) -> str:
    """Write an int8 copy of an exported graph: ONNX Runtime static quantisation (QDQ).

    Weights are quantised per output channel, activations per tensor with
    ranges observed on ``calibration`` (prepared training series, the network's
    own input), so the int8 graph takes the same float32 input and returns
    float32 logits. Needs ``onnxruntime``.

    Parameters
    ----------
    fp32_path : path-like
        The float32 graph of :func:`onnx_export_module`.
    int8_path : path-like
        Output file.
    calibration : np.ndarray of shape (n, n_channels, L), float32
        Inputs whose activation ranges set the int8 scales (a few dozen
        training series are enough; more cost time only).
    batch_size : int, default=16
        Series per calibration batch.

    Returns
    -------
    str
        ``int8_path``.

    Examples
    --------
    >>> import os, tempfile
    >>> import numpy as np
    >>> from sktime_ecoscale.networks import EcoScaleNet, fuse_for_inference, quantize_onnx_int8
    >>> from sktime_ecoscale.networks._onnx import onnx_export_module
    >>> net = fuse_for_inference(EcoScaleNet(2, 3, 64, widths=(4, 4, 8, 8)).eval())
    >>> folder = tempfile.mkdtemp()
    >>> fp32 = onnx_export_module(net, os.path.join(folder, "fp32.onnx"), n_channels=2, seq_len=64)
    >>> calibration = np.random.default_rng(0).normal(size=(16, 2, 64)).astype("float32")
    >>> int8 = quantize_onnx_int8(fp32, os.path.join(folder, "int8.onnx"), calibration)
    >>> import onnxruntime
    >>> onnxruntime.InferenceSession(int8).run(None, {"ecg": calibration[:4]})[0].shape
    (4, 3)
    """
    import tempfile

    from onnxruntime.quantization import (
        CalibrationDataReader,
        QuantFormat,
        QuantType,
        quant_pre_process,
        quantize_static,
    )

    calibration = np.ascontiguousarray(calibration, dtype=np.float32)
    if calibration.ndim != 3 or len(calibration) == 0:
        raise ValueError(
            f"calibration must be a non-empty (n, C, L) array, got shape {calibration.shape}"
        )

    class _Batches(CalibrationDataReader):
        def __init__(self):
            self._starts = iter(range(0, len(calibration), batch_size))

        def get_next(self):
            start = next(self._starts, None)
            return None if start is None else {INPUT_NAME: calibration[start : start + batch_size]}

    with tempfile.TemporaryDirectory() as tmp:
        prepared = os.path.join(tmp, "prepared.onnx")
        quant_pre_process(os.fspath(fp32_path), prepared, skip_symbolic_shape=True)
        quantize_static(
            prepared,
            os.fspath(int8_path),
            _Batches(),
            quant_format=QuantFormat.QDQ,
            activation_type=QuantType.QInt8,
            weight_type=QuantType.QInt8,
            per_channel=True,
        )
    return os.fspath(int8_path)
