"""ONNX export of a fitted deep ECG classifier's fused inference network.

What is exported is the network only: the input rule (scaling and padding)
stays the caller's job, done by the fitted classifier's ``prepare_input``
exactly as inside ``predict``. The graph is the fused network of
:func:`~sktime_ecoscale.networks.fuse_for_inference` (one convolution per
omni-scale layer, batch norm folded, no dropout), so ONNX Runtime runs the
same small set of large convolutions as the PyTorch inference path.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from sktime_ecoscale.classification._decision import threshold_columns, thresholds_to_config
from sktime_ecoscale.networks._onnx import INPUT_NAME, OUTPUT_NAME, onnx_export_module

__all__ = [
    "export_onnx",
    "decision_config",
    "decision_path",
    "onnx_export_module",
    "INPUT_NAME",
    "OUTPUT_NAME",
]


def export_onnx(
    clf,
    path: str | os.PathLike,
    seq_len: int | None = None,
    opset: int = 17,
    quantize: str | None = None,
    calibration_X=None,
) -> str:
    """Write the fitted classifier's fused network to an ONNX file.

    Parameters
    ----------
    clf : BaseDeepECGClassifier
        A fitted :class:`~sktime_ecoscale.EcoScaleClassifier` or
        :class:`~sktime_ecoscale.OmniScaleClassifier`.
    path : str or path-like
        Output file (``.onnx``).
    seq_len : int, optional
        Length of the example input used for tracing; default the training
        length ``clf.seq_len_``. The batch axis ``N`` and the length axis
        ``L`` are exported as dynamic, so any ``N`` and ``L`` the network
        accepts run.
    opset : int, default 17
        ONNX opset version.
    quantize : None or "int8", default None
        ``"int8"``: ONNX Runtime static quantisation (QDQ; weights per
        channel, activations calibrated on ``calibration_X``), see
        :func:`~sktime_ecoscale.networks.quantize_onnx_int8`. Its cost on
        PTB-XL is in docs/performance.md.
    calibration_X : sktime panel, optional
        With ``quantize="int8"``: training series (raw, as for ``fit``;
        prepared here by ``prepare_input``) whose activations set the int8
        ranges. A few dozen are enough.

    Returns
    -------
    str
        ``path``, as a string.

    Notes
    -----
    Input ``"ecg"``: float32 ``(N, n_channels, L)`` **prepared by**
    ``clf.prepare_input(X)`` (scaled by the fitted ``input_scaling_`` and
    zero-padded after scaling, if series of unequal length share a batch). Output
    ``"logits"``: float32 ``(N, n_logits)``; ``predict_proba`` applies the
    softmax (or sigmoid, per 0/1 column) of the classifier's target encoder
    to these logits. ONNX Runtime reproduces PyTorch's logits within 1e-4.
    Beside the graph, ``<name>.decision.json`` (:func:`decision_config`) holds
    the classes, the decision thresholds and the input scaling, so a serving
    process reproduces ``predict`` without the Python estimator.

    Examples
    --------
    >>> import tempfile, os
    >>> import numpy as np
    >>> from sktime_ecoscale import EcoScaleClassifier
    >>> X = np.random.default_rng(0).normal(size=(8, 2, 64)).astype("float32")
    >>> y = np.array([0, 1] * 4)
    >>> clf = EcoScaleClassifier(widths=(4, 4, 8, 8), max_epochs=1, device="cpu").fit(X, y)
    >>> path = clf.export_onnx(os.path.join(tempfile.mkdtemp(), "ecoscale.onnx"))
    >>> import onnxruntime
    >>> session = onnxruntime.InferenceSession(path)
    >>> session.run(None, {"ecg": clf.prepare_input(X[:3])})[0].shape
    (3, 2)
    """
    clf.check_is_fitted()
    if quantize not in (None, "int8"):
        raise ValueError(f"quantize must be None or 'int8', got {quantize!r}.")
    if quantize == "int8" and calibration_X is None:
        raise ValueError(
            "quantize='int8' needs calibration_X: training series to set the int8 ranges."
        )
    length = int(seq_len if seq_len is not None else clf.seq_len_)
    if quantize is None:
        written = onnx_export_module(
            clf._inference_module(), path, n_channels=clf.n_channels_, seq_len=length, opset=opset
        )
    else:
        import tempfile

        from sktime_ecoscale.networks import quantize_onnx_int8

        calibration = clf.prepare_input(calibration_X)
        with tempfile.TemporaryDirectory() as tmp:
            fp32 = onnx_export_module(
                clf._inference_module(), Path(tmp) / "fp32.onnx", clf.n_channels_, length, opset
            )
            written = quantize_onnx_int8(fp32, path, calibration)
    decision_path(written).write_text(json.dumps(decision_config(clf), indent=2, default=_plain))
    return written


def decision_path(onnx_path: str | os.PathLike) -> Path:
    """The JSON written beside an exported graph: ``model.onnx`` -> ``model.decision.json``."""
    return Path(onnx_path).with_suffix(".decision.json")


def _plain(value):
    return value.item() if hasattr(value, "item") else str(value)


def decision_config(clf) -> dict:
    """What turns the graph's logits into ``predict``'s labels, as JSON-safe values.

    ``outputs``: per head its name, classes and whether it is one sigmoid logit
    (a 0/1 label) or a softmax block, in logit order; ``decision_thresholds``:
    one per one-vs-rest column (``columns``) or None for argmax / 0.5; ``temperatures``:
    one per head, dividing its logits (``calibration="temperature"``), or None; ``input_scaling``:
    the fitted scaling :meth:`prepare_input` applies.
    """
    enc = clf.target_encoder_
    thresholds = getattr(clf, "decision_thresholds_", None)
    return {
        "outputs": [
            {
                "name": None if enc.names is None else str(name),
                "classes": classes.tolist(),
                "sigmoid": binary,
            }
            for name, classes, binary in zip(enc.names or [None], enc.classes, enc.binary)
        ],
        "columns": [_plain(c) for c in threshold_columns(enc)],
        "decision_thresholds": thresholds_to_config(thresholds),
        # per head: divide its logits by this before the sigmoid / softmax (None: 1)
        "temperatures": getattr(clf, "temperatures_", None),
        "input_scaling": clf.input_scaling_.to_dict(),
    }
