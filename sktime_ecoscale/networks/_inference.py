"""Inference-time rewrite of the networks: fused omni-scale layers and folded batch norm.

Training wants the structure of the paper (one true-size convolution per
kernel size, batch norm with running statistics, dropout). Inference wants as
few, as large operations as possible: on a CPU, one convolution with
``n * C`` output channels runs far faster than ``n`` convolutions with ``C``
each, and a batch norm in eval mode is an affine map that a preceding
convolution absorbs for free. :func:`fuse_for_inference` does both on a copy,
leaving the trained network untouched.
"""

from __future__ import annotations

import copy

import torch
from torch import nn
from torch.nn.utils.fusion import fuse_conv_bn_eval

from sktime_ecoscale.networks._ecoscalenet import EcoScaleBlock, OmniScaleLayer
from sktime_ecoscale.networks._omniscalenet import OmniScaleNet

__all__ = ["fold_batch_norm", "fuse_for_inference"]

#: Where an omni-scale layer's output goes straight into a batch norm (after
#: the concatenation, which the fused convolution performs itself): pairs of
#: (omni-scale layer, batch norm) attribute paths, per parent class.
_OMNI_NORM_PAIRS: dict[type, tuple[tuple[str, str], ...]] = {
    EcoScaleBlock: (("omni1", "norm1.0"), ("omni2", "norm2.0"), ("omni3", "norm3.0")),
    OmniScaleNet: (("layer1", "norms.0.0"), ("layer2", "norms.1.0"), ("layer3", "norms.2.0")),
}


def fold_batch_norm(conv: nn.Conv1d, bn: nn.BatchNorm1d) -> nn.Conv1d:
    """Return a convolution equal to ``bn(conv(x))`` with ``bn`` in eval mode.

    Batch norm with frozen statistics is ``gamma * (z - mean) / sqrt(var + eps)
    + beta``, an affine map per output channel, so it folds into the
    convolution's weight and bias. The arithmetic is torch's
    :func:`torch.nn.utils.fusion.fuse_conv_bn_eval`, applied to eval-mode
    copies, so that the inputs may be in either mode.

    Parameters
    ----------
    conv : nn.Conv1d
        Convolution (with or without bias).
    bn : nn.BatchNorm1d
        Batch norm over ``conv.out_channels`` features, with running statistics.

    Returns
    -------
    nn.Conv1d
        A new convolution with bias, in eval mode; the inputs are not modified.

    Raises
    ------
    ValueError
        If ``bn`` keeps no running statistics (``track_running_stats=False``).

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> conv, bn = nn.Conv1d(2, 3, 5, padding=2), nn.BatchNorm1d(3).eval()
    >>> bn.running_mean.uniform_(-1, 1); bn.running_var.uniform_(0.5, 2)  # doctest: +ELLIPSIS
    tensor(...)
    >>> x = torch.randn(4, 2, 16)
    >>> torch.allclose(fold_batch_norm(conv, bn)(x), bn(conv(x)), atol=1e-5)
    True
    """
    if bn.running_mean is None or bn.running_var is None:
        raise ValueError("Cannot fold a batch norm without running statistics.")
    # torch copies ``conv`` and only reads ``bn``; it wants both in eval mode
    conv, bn = (copy.deepcopy(m).eval() if m.training else m for m in (conv, bn))
    with torch.no_grad():
        return fuse_conv_bn_eval(conv, bn)


def fuse_for_inference(module: nn.Module) -> nn.Module:
    """Return an eval-only copy of a network, rewritten for fast inference.

    On a deep copy of ``module`` (which is left untouched):

    1. every :class:`~sktime_ecoscale.networks.OmniScaleLayer` becomes its
       single fused convolution (:meth:`OmniScaleLayer.fused_conv`): one large
       convolution instead of one per kernel size, and no concatenation;
    2. every batch norm is folded into the convolution before it: the
       ``conv -> bn`` pairs of the backbone, and the batch norm that follows an
       omni-scale layer's concatenation in :class:`EcoScaleBlock` and
       :class:`OmniScaleNet` (the fused convolution produces the concatenated
       channels directly, so the fold is exact);
    3. dropout is removed.

    The result computes the same function as ``module.eval()`` up to float
    rounding, has ``requires_grad=False`` everywhere and stays a plain,
    picklable ``nn.Module``. It is meant for inference only: calling
    ``.train()`` on it does not bring batch norm or dropout back.

    Parameters
    ----------
    module : nn.Module
        An :class:`~sktime_ecoscale.networks.EcoScaleNet`,
        :class:`~sktime_ecoscale.networks.OmniScaleNet`, or any module built
        from their parts.

    Returns
    -------
    nn.Module
        The fused copy, in eval mode.

    Examples
    --------
    >>> import torch
    >>> from sktime_ecoscale.networks import EcoScaleNet, fuse_for_inference
    >>> net = EcoScaleNet(n_channels=2, n_classes=3, seq_len=256).eval()
    >>> fast = fuse_for_inference(net)
    >>> x = torch.randn(4, 2, 256)
    >>> torch.allclose(fast(x), net(x), atol=1e-4)
    True
    >>> sum(isinstance(m, torch.nn.BatchNorm1d) for m in fast.modules())
    0
    """
    fused = copy.deepcopy(module).eval()
    _fuse_omni_layers(fused)
    _fold_sequential_norms(fused)
    _remove_dropout(fused)
    _prune_identities(fused)
    for param in fused.parameters():
        param.requires_grad_(False)
    return fused.eval()


def _fuse_omni_layers(root: nn.Module) -> None:
    """Replace omni-scale layers by fused convolutions, absorbing a following batch norm."""
    for parent in list(root.modules()):
        for layer_path, norm_path in _OMNI_NORM_PAIRS.get(type(parent), ()):
            layer = parent.get_submodule(layer_path)
            norm = parent.get_submodule(norm_path)
            if not isinstance(norm, nn.modules.batchnorm._BatchNorm):
                continue  # a user replaced the norm: fused below, without a fold
            pad, conv = layer.fused_conv()
            _set_submodule(parent, layer_path, nn.Sequential(pad, fold_batch_norm(conv, norm)))
            _set_submodule(parent, norm_path, nn.Identity())
    # omni-scale layers of other parents: fuse without a fold
    for parent in list(root.modules()):
        for name, child in list(parent.named_children()):
            if isinstance(child, OmniScaleLayer):
                setattr(parent, name, child.fused_conv())


def _fold_sequential_norms(root: nn.Module) -> None:
    """Fold ``Conv1d -> BatchNorm1d`` neighbours of every ``nn.Sequential``."""
    for parent in list(root.modules()):
        if not isinstance(parent, nn.Sequential):
            continue
        children = list(parent.named_children())
        for (name_a, a), (name_b, b) in zip(children, children[1:]):
            if isinstance(a, nn.Conv1d) and isinstance(b, nn.BatchNorm1d):
                setattr(parent, name_a, fold_batch_norm(a, b))
                setattr(parent, name_b, nn.Identity())


def _remove_dropout(root: nn.Module) -> None:
    for parent in list(root.modules()):
        for name, child in list(parent.named_children()):
            if isinstance(child, nn.Dropout):
                setattr(parent, name, nn.Identity())


def _prune_identities(root: nn.Module) -> None:
    """Drop the identities the rewrite left in ``nn.Sequential`` containers (less overhead)."""
    # children before parents, so a rebuilt container holds already-pruned children
    for parent in reversed(list(root.modules())):
        for name, child in list(parent.named_children()):
            if isinstance(child, nn.Sequential):
                kept = [m for m in child if not isinstance(m, nn.Identity)]
                if len(kept) != len(child):
                    replacement = nn.Sequential(*kept) if len(kept) > 1 else None
                    setattr(parent, name, replacement or (kept[0] if kept else nn.Identity()))


def _set_submodule(root: nn.Module, path: str, new: nn.Module) -> None:
    parent_path, _, name = path.rpartition(".")
    parent = root.get_submodule(parent_path) if parent_path else root
    setattr(parent, name, new)


def fused_copy(module: nn.Module, cache: dict, buffers: dict | None = None) -> nn.Module:
    """:func:`fuse_for_inference` of ``module``, reused from ``cache`` while its weights are unchanged.

    ``cache`` keeps the fused copy and a copy of the weights it was fused from;
    any change (training, ``load_state_dict``, an in-place edit) is found by
    ``torch.equal`` (public API; about a millisecond per million weights) and
    fuses again.

    Parameters
    ----------
    module : nn.Module
        The trained network.
    cache : dict
        Filled and reused across calls (start with ``{}``).
    buffers : dict, optional
        Buffers (e.g. batch-norm statistics) that replace the module's own in
        the fused copy; the module itself is not changed. Use one ``cache``
        per set of buffers.

    Returns
    -------
    nn.Module

    Examples
    --------
    >>> import torch
    >>> from sktime_ecoscale.networks import EcoScaleNet, fused_copy
    >>> net, cache = EcoScaleNet(1, 2, 64, widths=(4, 4, 8, 8)).eval(), {}
    >>> first = fused_copy(net, cache)
    >>> fused_copy(net, cache) is first  # weights unchanged: the same copy
    True
    >>> with torch.no_grad():
    ...     _ = net.head[-1].bias.add_(1.0)
    >>> fused_copy(net, cache) is first  # fused again after the edit
    False
    """
    tensors = [t.detach() for t in (*module.parameters(), *module.buffers())]
    fused_from = cache.get("weights")
    unchanged = (
        cache.get("module_id") == id(module)
        and fused_from is not None
        and len(fused_from) == len(tensors)
        and all(a.shape == b.shape and torch.equal(a, b) for a, b in zip(fused_from, tensors))
    )
    if not unchanged:
        source = module
        if buffers:
            source = copy.deepcopy(module)
            unexpected = source.load_state_dict(buffers, strict=False).unexpected_keys
            if unexpected:
                raise KeyError(f"buffers not in the module: {unexpected[:3]}")
        cache["module"] = fuse_for_inference(source)
        cache["weights"] = [t.clone() for t in tensors]
        cache["module_id"] = id(module)
        cache.pop("key", None)  # the version-counter key of older pickles
    return cache["module"]
