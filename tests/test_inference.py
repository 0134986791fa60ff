"""Fused inference (fuse_for_inference), the classifier's fused predict path, ONNX export."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from sktime_ecoscale import EcoScaleClassifier
from sktime_ecoscale.networks import EcoScaleNet, OmniScaleNet, fold_batch_norm, fuse_for_inference
from sktime_ecoscale.utils import standardize_per_lead


def _randomise_batch_norms(net: nn.Module, seed: int = 0) -> nn.Module:
    """Non-trivial running statistics and affine terms, as after training."""
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, nn.BatchNorm1d):
                m.running_mean.copy_(torch.rand(m.num_features, generator=gen) * 2 - 1)
                m.running_var.copy_(torch.rand(m.num_features, generator=gen) * 1.5 + 0.5)
                m.weight.copy_(torch.rand(m.num_features, generator=gen) + 0.5)
                m.bias.copy_(torch.rand(m.num_features, generator=gen) - 0.5)
    return net.eval()


@pytest.mark.parametrize(
    "net, length",
    [
        (EcoScaleNet(12, 6, seq_len=4096, widths=(8, 8, 16, 16)), 512),  # long kernel lists
        (EcoScaleNet(3, 2, seq_len=100), 100),
        (EcoScaleNet(1, 4, seq_len=64, blocks_per_stage=2), 37),  # odd length
        (OmniScaleNet(2, 3, seq_len=64), 64),
    ],
)
def test_fused_equals_unfused(net, length):
    torch.manual_seed(0)
    _randomise_batch_norms(net)
    fused = fuse_for_inference(net)
    x = standardize_per_lead(np.random.default_rng(0).normal(size=(4, net_channels(net), length)))
    x = x.astype(np.float32)
    x = torch.from_numpy(x)
    with torch.no_grad():
        torch.testing.assert_close(fused(x), net(x), atol=1e-4, rtol=0)
    kinds = {type(m) for m in fused.modules()}
    assert nn.BatchNorm1d not in kinds and nn.Dropout not in kinds
    assert not any(p.requires_grad for p in fused.parameters())
    assert net.training is False and any(isinstance(m, nn.BatchNorm1d) for m in net.modules())


def net_channels(net: nn.Module) -> int:
    first = next(m for m in net.modules() if isinstance(m, nn.Conv1d))
    return first.in_channels


def test_fold_batch_norm_keeps_stride_and_padding():
    conv = nn.Conv1d(3, 5, 7, stride=2, padding=3, bias=False)
    bn = _randomise_batch_norms(nn.Sequential(nn.BatchNorm1d(5)))[0]
    x = torch.randn(2, 3, 31)
    torch.testing.assert_close(fold_batch_norm(conv, bn)(x), bn(conv(x)), atol=1e-5, rtol=0)


def test_fold_batch_norm_leaves_its_inputs_alone_and_folds_the_running_statistics():
    conv = nn.Conv1d(3, 5, 7, dilation=2, padding=6)  # with bias, in training mode
    bn = _randomise_batch_norms(nn.Sequential(nn.BatchNorm1d(5)))[0].train()
    before = [t.clone() for t in (*conv.state_dict().values(), *bn.state_dict().values())]
    fused = fold_batch_norm(conv, bn)
    after = [*conv.state_dict().values(), *bn.state_dict().values()]
    assert conv.training and bn.training  # modes untouched
    assert all(torch.equal(a, b) for a, b in zip(before, after))
    assert fused is not conv and not fused.training
    x = torch.randn(2, 3, 40)
    with torch.no_grad():
        torch.testing.assert_close(fused(x), bn.eval()(conv(x)), atol=1e-5, rtol=0)
    with pytest.raises(ValueError, match="running statistics"):
        fold_batch_norm(conv, nn.BatchNorm1d(5, track_running_stats=False))


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 3, 96)).astype(np.float32) * 50.0  # raw units
    y = np.array(["a", "b", "c"] * 4)
    clf = EcoScaleClassifier(
        widths=(4, 4, 8, 8), max_epochs=2, n_networks=1, device="cpu", random_state=0
    )
    clf.fit(X, y)
    _randomise_batch_norms(clf.net_.module_, seed=1)  # edits the weights: the cache must follow
    return clf, X


def test_classifier_predicts_with_fused_copy(fitted):
    clf, X = fitted
    proba = clf.predict_proba(X)
    fused = clf._inference_cache_["module"]
    assert not any(isinstance(m, nn.BatchNorm1d) for m in fused.modules())
    # reference: the trained (unfused) network through skorch
    logits = clf.net_.forward(clf.prepare_input(X)).numpy()
    expected = clf.target_encoder_.probabilities(logits)[0]
    np.testing.assert_allclose(proba, expected, atol=1e-5)
    # cached while the weights do not change, rebuilt when they do
    clf.predict_proba(X[:2])
    assert clf._inference_cache_["module"] is fused
    with torch.no_grad():
        clf.net_.module_.head[-1].bias.add_(1.0)
    clf.predict_proba(X[:2])
    assert clf._inference_cache_["module"] is not fused


def test_predict_batching_is_bounded_and_consistent(fitted):
    clf, X = fitted
    full = clf.predict_proba(X)
    # set directly: set_params would reset the fitted estimator
    clf.predict_batch_size = 5  # 12 series -> batches of 5, 5, 2
    try:
        np.testing.assert_allclose(clf.predict_proba(X), full, atol=1e-6)
    finally:
        clf.predict_batch_size = 256


def test_export_onnx_matches_pytorch(fitted, tmp_path):
    ort = pytest.importorskip("onnxruntime")
    clf, X = fitted
    path = clf.export_onnx(tmp_path / "eco.onnx")
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    for n, length in ((3, 96), (1, 150)):  # dynamic batch and length
        x = standardize_per_lead(np.random.default_rng(n).normal(size=(n, 3, length))).astype(
            np.float32
        )
        (onnx_out,) = session.run(None, {"ecg": x})
        with torch.no_grad():
            torch_out = clf._inference_module()(torch.from_numpy(x)).numpy()
        np.testing.assert_allclose(onnx_out, torch_out, atol=1e-4)
    # end to end: the prepared input, ONNX logits through the encoder give predict_proba
    x = clf.prepare_input(X)
    proba = clf.target_encoder_.probabilities(session.run(None, {"ecg": x})[0])[0]
    np.testing.assert_allclose(proba, clf.predict_proba(X), atol=1e-5)


def test_int8_export_is_a_quantised_graph_with_the_same_interface(fitted, tmp_path):
    import onnx
    import onnxruntime as ort

    clf, X = fitted
    path = clf.export_onnx(tmp_path / "int8.onnx", quantize="int8", calibration_X=X)
    ops = {node.op_type for node in onnx.load(path).graph.node}
    assert {"QuantizeLinear", "DequantizeLinear"} <= ops
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    x = clf.prepare_input(X)
    logits = session.run(None, {"ecg": x})[0]
    reference = clf._inference_module()(torch.from_numpy(x)).detach().numpy()
    assert logits.shape == reference.shape and np.isfinite(logits).all()
    # int8 rounding moves the logits by a fraction of their spread, not more
    assert np.abs(logits - reference).max() < 0.5 * (np.ptp(reference) + 1e-3)
    with pytest.raises(ValueError, match="needs calibration_X"):
        clf.export_onnx(tmp_path / "x.onnx", quantize="int8")
    with pytest.raises(ValueError, match="quantize must be"):
        clf.export_onnx(tmp_path / "x.onnx", quantize="int4", calibration_X=X)


@pytest.mark.parametrize(
    "kernel_sizes, channels, length", [((1, 2, 3, 5, 7), (3, 4), 50), ((1, 2), (2, 3), 9)]
)
def test_the_one_convolution_layer_trains_as_the_parallel_kernels(kernel_sizes, channels, length):
    """Training-time fusion: same outputs and same gradients, each kernel its own taps only."""
    from sktime_ecoscale.networks import OmniScaleLayer

    torch.manual_seed(0)
    layer = OmniScaleLayer(channels[0], channels[1], kernel_sizes)
    x = torch.randn(4, channels[0], length, requires_grad=True)
    target = torch.randn(4, layer.out_channels, length)
    grads = {}
    for name, forward in (("fused", layer.forward_combined), ("parallel", layer.forward_parallel)):
        layer.zero_grad()
        x.grad = None
        out = forward(x)
        ((out - target) ** 2).sum().backward()
        grads[name] = (out.detach(), x.grad.clone(), [c.weight.grad.clone() for c in layer.convs])
    (out_f, gx_f, gw_f), (out_p, gx_p, gw_p) = grads["fused"], grads["parallel"]
    torch.testing.assert_close(out_f, out_p, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(gx_f, gx_p, atol=1e-5, rtol=1e-5)
    for conv, g_f, g_p in zip(layer.convs, gw_f, gw_p):
        assert g_f.shape == conv.weight.shape  # gradients only for the kernel's own taps
        torch.testing.assert_close(g_f, g_p, atol=1e-5, rtol=1e-5)
