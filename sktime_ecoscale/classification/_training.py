"""The one training path of the deep classifiers: build the skorch net, train, finish.

``fit`` and ``fit_dataset`` both end in :func:`train_network`; what differs
between a plain and an Accelerate (DDP, autocast) run lives in the net's own
hooks (``adapt_checkpoint``, ``finish_training``), not in branches here.
"""

from __future__ import annotations

import contextlib
import copy

import numpy as np
import torch
from torch import nn

from sktime_ecoscale.classification._augment import resolve_augment
from sktime_ecoscale.classification._checkpoint import (
    fit_resumable,
    make_checkpoint,
    warn_if_interrupted,
)
from sktime_ecoscale.classification._distributed import ECGNeuralNetAccelerate, make_accelerator
from sktime_ecoscale.classification._finetune import (
    backbone_param_groups,
    finetune_callbacks,
    lead_channel_map,
    load_source,
)
from sktime_ecoscale.classification._lead_sets import lead_set_statistics
from sktime_ecoscale.classification._skorch import (
    OPTIMIZERS,
    ECGNeuralNet,
    make_callbacks,
    recalibrate_batchnorm,
    select_device,
)
from sktime_ecoscale.classification._targets import MultiHeadLoss, class_weight_tensors
from sktime_ecoscale.networks import transfer_backbone

__all__ = ["build_net", "train_network"]


def _criterion(est, train_targets: np.ndarray | None) -> MultiHeadLoss:
    enc = est.target_encoder_
    # no targets: a net that serves a loaded model, whose loss is never computed
    weights = (
        None
        if train_targets is None
        else class_weight_tensors(enc, train_targets, est.class_weight)
    )
    return MultiHeadLoss(
        enc.output_sizes,
        enc.binary,
        class_weights=weights,
        label_smoothing=est.budget_.label_smoothing,
    )


def build_net(
    est, train_targets: np.ndarray | None, has_validation: bool, module: nn.Module | None = None
) -> ECGNeuralNet:
    """Build the skorch net of ``est`` from its hyperparameters and resolved ``budget_``.

    ``module``: an already built network (a loaded model's), used as it is;
    by default a fresh one from ``est._build_network``. ``train_targets=None``
    builds the loss without class weights (nothing is trained on it).
    """
    est.device_ = select_device(est.device)
    net_class, placement = ECGNeuralNet, {"device": est.device_}
    if est.distributed or est.mixed_precision != "no":
        # Accelerate places tensors and wraps the module (DDP, autocast)
        accelerator = make_accelerator(est.device_, est.mixed_precision, est.distributed)
        est.device_ = str(accelerator.device)
        net_class, placement = ECGNeuralNetAccelerate, {"accelerator": accelerator, "device": None}
    if module is None:
        module = est._build_network(est.n_channels_, est.target_encoder_.n_logits, est.seq_len_)
    callbacks = make_callbacks(
        lr_schedule=est.lr_schedule,
        max_epochs=est.budget_.max_epochs,
        has_validation=has_validation,
        patience=est.patience,
        verbose=est.verbose,
        user_callbacks=copy.deepcopy(est.callbacks),  # skorch mutates callbacks
    )
    return net_class(
        module=module,
        criterion=_criterion(est, train_targets),
        optimizer=OPTIMIZERS[est.optimizer],
        lr=est.lr,
        max_epochs=est.budget_.max_epochs,
        batch_size=est.budget_.batch_size,
        iterator_train__shuffle=True,
        iterator_train__drop_last=False,
        iterator_valid__batch_size=est.predict_batch_size,
        train_split=None,
        callbacks=callbacks,
        verbose=int(est.verbose >= 1),
        augmenter=resolve_augment(est.budget_.augment, fs=getattr(est, "fs_", None)),
        optimizer__weight_decay=est.weight_decay,
        **_optimizer_kwargs(est),
        **placement,
    )


def _optimizer_kwargs(est) -> dict:
    """The optimiser's extra arguments: the user's, else Adam(W)'s fused kernel where torch has one.

    The fused kernel updates every parameter in one call instead of one loop
    step per tensor: 23 % less time per step for a small EcoScaleNet on one CPU
    thread (measured 55.7 -> 42.5 ms); the update is the same algorithm, its
    float rounding differs in the last bits from the loop's.
    """
    kwargs = dict(est.optimizer_kwargs or {})
    fusable = est.optimizer in ("adam", "adamw") and str(est.device_).split(":")[0] in (
        "cpu",
        "cuda",
    )
    if fusable and not {"fused", "foreach", "capturable", "differentiable"} & set(kwargs):
        kwargs["fused"] = True
    return {f"optimizer__{key}": value for key, value in kwargs.items()}


#: Largest convolution width (output channels), batch and batch x length at which ATen's own CPU
#: convolutions train faster than oneDNN's (one thread, ms per step, oneDNN / ATen): widths up to 96 at
#: batch 8 x 100 samples 65 / 40 and 8 x 300 62 / 49; width 128 at 16 x 150 89 / 175,
#: width 256 at 32 x 1000 429 / 1073 (BasicMotions default fit, 40 epochs: 49.6 -> 35.5 s, median of 2).
#: With the kernel-span rule's longer kernels, batch 16 turned it round (benchmarks/bench_conv_backend.py,
#: 2026-12-07): ECG200 with widths up to 96, 16 x 96, 391 / 849 ms; at batch 8 ATen still won on
#: TwoLeadECG (125 / 105 and 149 / 114) and lost on BasicMotions (147 / 200 and 165 / 213), ArrowHead
#: went either way (111 / 128, 125 / 108): hence the batch bound.
SMALL_NETWORK = {"width": 96, "batch_size": 8, "batch_x_length": 2400}


def _convolution_backend(est):
    """oneDNN convolutions off while training a small network on the CPU, else as torch has them."""
    widths = [m.out_channels for m in est.net_.module.modules() if isinstance(m, torch.nn.Conv1d)]
    small = (
        str(est.device_).startswith("cpu")
        and bool(widths)
        and max(widths) <= SMALL_NETWORK["width"]
        and est.budget_.batch_size <= SMALL_NETWORK["batch_size"]
        and est.budget_.batch_size * est.seq_len_ <= SMALL_NETWORK["batch_x_length"]
    )
    return _onednn_off() if small else contextlib.nullcontext()


@contextlib.contextmanager
def _onednn_off():
    """Turn oneDNN off for the block and restore the previous setting (no TF32 side effects)."""
    before = torch.backends.mkldnn.enabled
    torch.backends.mkldnn.enabled = False
    try:
        yield
    finally:
        torch.backends.mkldnn.enabled = before


def train_network(est, train_ds, valid_ds, train_targets: np.ndarray) -> None:
    """Resolve the budget, seed, build and train ``est.net_``; fuse it for inference.

    Parameters
    ----------
    est : BaseDeepECGClassifier
        With ``n_channels_``, ``seq_len_``, ``target_encoder_`` and
        ``input_scaling_`` set; gets ``budget_``, ``net_``, ``history_``.
    train_ds, valid_ds : torch Dataset
        Scaled items ``(x, y)``; ``valid_ds`` may be None.
    train_targets : np.ndarray
        Encoded targets of ``train_ds`` (class weights).
    """
    from skorch.helper import predefined_split

    seed = est._seed()
    source = load_source(est)  # fine-tuning: the trained model to start from, else None
    channel_map = lead_channel_map(source, est, est.n_channels_) if source is not None else None
    est.budget_ = est._resolve_budget(len(train_ds), source=source)
    est.network_overrides_ = {} if source is None else est._architecture_of(source)
    torch.manual_seed(seed)
    np.random.seed(seed % (2**32 - 1))
    module = None
    if source is not None:
        module = est._build_network(est.n_channels_, est.target_encoder_.n_logits, est.seq_len_)
        transfer_backbone(source.net_.module_, module, channel_map)
    net = est.net_ = est._make_net(
        train_targets, has_validation=valid_ds is not None, module=module
    )
    if source is not None:
        groups = backbone_param_groups(est, module)
        net.set_params(callbacks=[*net.callbacks, *finetune_callbacks(est, module)])
        if groups:
            net.set_params(optimizer__param_groups=groups)
    if valid_ds is not None:
        net.set_params(train_split=predefined_split(valid_ds))
        if est.budget_.augment:  # validate with clean-data batch-norm statistics
            net.set_params(calibration_data=train_ds)
    if len(train_ds) % est.budget_.batch_size == 1 and len(train_ds) > 1:
        # a last batch of one series breaks batch norm in training mode
        net.set_params(iterator_train__drop_last=True)
    checkpoint = make_checkpoint(est, train_ds, valid_ds, train_targets)
    if checkpoint is not None:  # last, so it records the other callbacks' end-of-epoch state
        checkpoint = net.adapt_checkpoint(checkpoint)
        net.set_params(callbacks=[*net.callbacks, ("checkpoint", checkpoint)])
    with _convolution_backend(est):
        fit_resumable(net, train_ds, checkpoint)  # skorch returns on Ctrl-C
    net.finish_training()  # also after a resumed, already finished run
    warn_if_interrupted(net)
    if est.budget_.augment:
        recalibrate_batchnorm(
            net.module_,
            train_ds,
            batch_size=est.predict_batch_size,
            device=est.device_,  # net.device is None under Accelerate
            seed=seed,
        )
    net.module_.eval()
    # batch-norm statistics of the reduced lead sets the model's named leads contain
    est.lead_set_norms_ = lead_set_statistics(
        net.module_,
        train_ds,
        getattr(est, "leads_", None),
        batch_size=est.predict_batch_size,
        device=est.device_,
        seed=seed,
        criterion=net.criterion_,
    )
    est.history_ = net.history
    est._inference_cache_ = {}
    est._inference_module()  # fuse once here: predict must not add attributes
