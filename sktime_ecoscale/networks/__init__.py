"""PyTorch networks: plain ``nn.Module`` classes, no training code."""

from sktime_ecoscale.networks._dropout import ByteDropout
from sktime_ecoscale.networks._ecoscalenet import (
    BasicBlock1d,
    EcoScaleBlock,
    EcoScaleNet,
    OmniScaleLayer,
)
from sktime_ecoscale.networks._ensemble import NetworkEnsemble, ensemble_of
from sktime_ecoscale.networks._inference import fold_batch_norm, fuse_for_inference, fused_copy
from sktime_ecoscale.networks._kernels import (
    ecoscale_kernel_lists,
    ecoscale_kernel_span,
    ecoscale_strides,
    omni_scale_kernel_sizes,
    primes_up_to,
    stage_downsampling,
)
from sktime_ecoscale.networks._omniscalenet import OmniScaleNet, os_cnn_channels
from sktime_ecoscale.networks._onnx import quantize_onnx_int8
from sktime_ecoscale.networks._transfer import backbone_patterns, transfer_backbone

__all__ = [
    "BasicBlock1d",
    "ByteDropout",
    "backbone_patterns",
    "EcoScaleBlock",
    "EcoScaleNet",
    "NetworkEnsemble",
    "OmniScaleLayer",
    "OmniScaleNet",
    "ecoscale_kernel_lists",
    "ecoscale_kernel_span",
    "ecoscale_strides",
    "ensemble_of",
    "fold_batch_norm",
    "fuse_for_inference",
    "fused_copy",
    "omni_scale_kernel_sizes",
    "os_cnn_channels",
    "primes_up_to",
    "quantize_onnx_int8",
    "stage_downsampling",
    "transfer_backbone",
]
