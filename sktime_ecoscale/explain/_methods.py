"""The attribution methods, each a function of a score model, a batch and its targets.

Captum does the attribution mathematics (:class:`captum.attr.Occlusion`,
:class:`~captum.attr.LayerGradientXActivation`, :class:`~captum.attr.IntegratedGradients`,
:class:`~captum.attr.FeatureAblation`); this module
only chooses the layer, the baseline, the windows and how Grad-CAM's time map becomes per lead. Captum is an
optional dependency, imported on first use.
"""

from __future__ import annotations

import torch
from torch import nn

from sktime_ecoscale.explain._targets import ScoreModel
from sktime_ecoscale.networks import EcoScaleNet, NetworkEnsemble, OmniScaleNet

__all__ = ["METHODS", "attribute", "cam_layer", "check_options", "lead_ablation"]

#: Install hint of the optional dependency.
INSTALL_HINT = "pip install sktime-ecoscale[explain]"


def _captum_attr():
    """Import :mod:`captum.attr`, or say how to install it."""
    try:
        import captum.attr
    except ImportError as err:  # pragma: no cover - exercised with captum absent
        raise ImportError(
            f"sktime_ecoscale.explain needs Captum, an optional dependency: {INSTALL_HINT}"
        ) from err
    return captum.attr


def cam_layer(network: nn.Module) -> tuple[nn.Module, int]:
    """Where Grad-CAM reads ``network``: its deepest feature map and the down-sampling.

    The deepest feature map is the output of the last EcoScale stage of an
    :class:`EcoScaleNet` (``widths[-1]`` channels at ``1 / prod(strides)`` of
    the input length) or of the last omni-scale layer of an
    :class:`OmniScaleNet` (after batch norm and ReLU, full resolution): in
    both, the input of the global average pooling before the linear head.

    Parameters
    ----------
    network : nn.Module
        An :class:`EcoScaleNet` or :class:`OmniScaleNet`.

    Returns
    -------
    pooling : nn.Module
        The global average pooling, whose input is the feature map.
    downsampling : int
        Input samples per time step of the feature map.

    Raises
    ------
    ValueError
        For any other network: Grad-CAM needs to know its stages.

    Examples
    --------
    >>> from sktime_ecoscale.networks import EcoScaleNet
    >>> net = EcoScaleNet(n_channels=12, n_classes=5, seq_len=1000)
    >>> cam_layer(net)[1]
    64
    """
    if isinstance(network, EcoScaleNet):
        downsampling = 1
        for stride in network.strides:
            downsampling *= int(stride)
        return network.pool, downsampling
    if isinstance(network, OmniScaleNet):
        return network.pool, 1
    raise ValueError(
        f"method='gradcam' needs an EcoScaleNet or OmniScaleNet, got {type(network).__name__}; "
        "use method='integrated_gradients' or 'occlusion' for other networks."
    )


def _members(module: nn.Module) -> list[nn.Module]:
    return list(module.members) if isinstance(module, NetworkEnsemble) else [module]


def gradcam(
    scores: ScoreModel, x: torch.Tensor, target: torch.Tensor, n_steps: int = 8
) -> torch.Tensor:
    """Grad-CAM on the last stage, made per lead by integrated gradients and lead ablation.

    Three factors, all from Captum:

    1. *When*: :class:`~captum.attr.LayerGradientXActivation` on the last
       stage's output ``A`` (the input of the global average pooling):
       ``ReLU(sum_c dS/dA_c * A_c)``, one map ``(N, 1, L / D)`` per ensemble
       member, summed (each member carries ``1/M`` of the log-odds). Between
       that map and the logits there are only the pooling and the linear
       head, so ``dS/dA_c`` is the same at every time step and this *is*
       Grad-CAM: the exact share of each cell in the log-odds.
       :meth:`~captum.attr.LayerAttribution.interpolate` (linear) spreads each
       cell over the ``D`` input samples it pooled.
    2. *Where in each lead*: integrated gradients (``n_steps`` Gauss-Legendre
       points from the flat mean, as :func:`integrated_gradients` without its
       noisy copies) summed over
       a moving window of ``D`` samples in each lead and clipped at zero: what
       that stretch of that lead adds to the log-odds, by the completeness of
       integrated gradients. Their sample-to-sample noise of both signs cancels
       in the window. A first-order input x gradient in their place credits the
       noise of leads without evidence (docs/explanations.md).
    3. *Which lead*: :func:`lead_ablation`, the drop of the score when the
       whole lead is set to its mean, clipped at zero. Integrated gradients
       split the interaction of two leads between them, and the last stage's
       cells see most of a record, so without this factor a lead whose
       removal *raises* the score could hold most of the map (one record of
       the synthetic task: half its mass on a distractor lead).

    The product is non-negative and costs ``n_steps + 1`` forward and backward
    passes and ``n_channels + 1`` forward passes.
    """
    attr = _captum_attr()
    length = x.shape[-1]
    places = [cam_layer(m) for m in _members(scores.module)]
    cell = places[0][1]
    maps = attr.LayerGradientXActivation(scores, [pooling for pooling, _ in places]).attribute(
        x, target=target, attribute_to_layer_input=True
    )
    cam = torch.stack([m.detach().sum(dim=1, keepdim=True).clamp(min=0) for m in maps]).sum(dim=0)
    cam = attr.LayerAttribution.interpolate(cam, cam.shape[-1] * cell, interpolate_mode="linear")
    # a moving *sum* over one cell: what that stretch of that lead adds to the log-odds
    leads = integrated_gradients(scores, x, target, n_steps=n_steps, window=cell, samples=1) * cell
    return cam[..., :length] * leads.clamp(min=0) * lead_ablation(scores, x, target)


def lead_ablation(scores: ScoreModel, x: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Each lead's weight: the score's drop when that lead is flat, clipped at zero.

    Captum's :class:`~captum.attr.FeatureAblation` with one feature per lead
    (the whole lead set to zero, the training mean), ``n_channels + 1``
    forward passes. Returns ``(N, C, 1)``, scaled to a mean of 1 over the
    leads of each record. A record where no single lead's removal lowers the
    score (the evidence is carried redundantly by several leads) gets equal
    weights: no lead is singled out, rather than an empty map.
    """
    channels = x.shape[1]
    mask = torch.arange(channels, device=x.device).view(1, channels, 1).expand_as(x[:1])
    with torch.no_grad():
        drop = (
            _captum_attr()
            .FeatureAblation(scores)
            .attribute(x.detach(), baselines=0.0, target=target, feature_mask=mask)
        )
    weight = drop[..., :1].clamp(min=0)
    total = weight.sum(dim=1, keepdim=True)
    return torch.where(
        total > 0, weight * channels / total.clamp(min=1e-30), torch.ones_like(weight)
    )


def _moving_average(a: torch.Tensor, window: int) -> torch.Tensor:
    """Centred moving average over ``window`` samples of each lead, same length as ``a``."""
    if window <= 1:
        return a
    length = a.shape[-1]
    return nn.functional.avg_pool1d(a, window, stride=1, padding=window // 2)[..., :length]


#: Standard deviation of SmoothGrad's noise, in the network's input units (training
#: standard deviations of each lead). Chosen among 0.1, 0.2 and 0.5 on the synthetic
#: faithfulness models (docs/explanations.md); the 10-20 % of the input's range that
#: Smilkov et al. (2017) suggest for images (about 0.5-1 here) spread the maps.
SMOOTHING_NOISE = 0.2


def integrated_gradients(
    scores: ScoreModel,
    x: torch.Tensor,
    target: torch.Tensor,
    n_steps: int = 16,
    window: int | None = None,
    samples: int = 8,
) -> torch.Tensor:
    """Captum's :class:`~captum.attr.IntegratedGradients` from a zero baseline, smoothed, per stretch.

    Zero in the network's input space is the training mean of each lead
    (``input_scaling="channel"``), or each series' own lead mean
    (``"series"``): the path runs from a flat line at the mean to the record.
    Gauss-Legendre quadrature with ``n_steps`` points, 1024 interpolated
    inputs per pass (about 2.5 GB at 12 x 1000 on the full-width network).

    *SmoothGrad*: the map is the mean over ``samples`` copies of the record
    with Gaussian noise of :data:`SMOOTHING_NOISE` added (the copy's path
    still starts at the flat mean). Along one path the network's ReLUs switch
    at a few points, and a sum over a few dozen points credits those kinks
    to whichever lead they fell on; over noisy copies they average out.
    ``samples=1`` is integrated gradients of the record itself. The noise is
    drawn from a fixed seed, one draw per copy shared by every record, so a
    record's map does not depend on the batch it is explained in, and the
    global random state is left as it was.

    Each sample then gets the mean of its lead's attributions over a centred
    window of ``window`` samples; by default the network's time resolution
    (the samples one step of the last feature map pools, ``prod(strides)``
    for EcoScale-Net; 1, the raw map, for networks of unknown stages). Sample
    by sample, integrated gradients alternate in sign along a lead (a
    linearisation of every kernel tap); their sum over a stretch is that
    stretch's share of the log-odds (completeness), so the mean keeps the
    total and cancels the alternation. ``window=1`` is Captum's raw map.
    """
    ig = _captum_attr().IntegratedGradients(scores)
    generator = torch.Generator().manual_seed(0)
    total = torch.zeros_like(x)
    for _ in range(int(samples)):
        noisy = x
        if samples > 1:
            noise = torch.randn(x.shape[1:], generator=generator) * SMOOTHING_NOISE
            noisy = (x + noise.to(x.device)).detach().requires_grad_(True)
        total += ig.attribute(
            noisy,
            baselines=torch.zeros_like(x),
            target=target,
            n_steps=int(n_steps),
            internal_batch_size=min(1024, max(1, len(x)) * int(n_steps)),
        ).detach()
    if window is None:
        window = _cell(scores.module)
    return _moving_average(total / int(samples), int(window))


def _cell(module: nn.Module) -> int:
    """Input samples per step of the last feature map (1 for networks of unknown stages)."""
    try:
        return cam_layer(_members(module)[0])[1]
    except ValueError:
        return 1


def occlusion(
    scores: ScoreModel, x: torch.Tensor, target: torch.Tensor, window: int | None = None
) -> torch.Tensor:
    """Captum's :class:`~captum.attr.Occlusion`: each lead's stretches replaced by the baseline.

    A window of ``window`` samples (default ``L // 16``) of one lead at a time
    is set to zero (the training mean), sliding by half a window; a sample's
    attribution is the mean drop of the log-odds over the windows covering it.
    Model-agnostic and measured, not linearised; ``n_channels * 31``
    forward passes per batch at the default window.
    """
    length = x.shape[-1]
    window = max(1, int(window) if window else length // 16)
    stride = max(1, window // 2)
    per_eval = max(1, 256 // max(1, len(x)))
    with torch.no_grad():
        return (
            _captum_attr()
            .Occlusion(scores)
            .attribute(
                x.detach(),
                sliding_window_shapes=(1, window),
                strides=(1, stride),
                baselines=0.0,
                target=target,
                perturbations_per_eval=per_eval,
            )
        )


#: Method name -> function ``(scores, x, target, **options) -> (N, C, L)``.
METHODS = {
    "occlusion": occlusion,
    "gradcam": gradcam,
    "integrated_gradients": integrated_gradients,
}


#: Options each method takes.
OPTIONS = {
    "integrated_gradients": ("n_steps", "window", "samples"),
    "gradcam": ("n_steps",),
    "occlusion": ("window",),
}


def check_options(method: str, **options) -> dict:
    """The options given (not None) of ``method``, checked before any tensor work.

    Raises
    ------
    ValueError
        For an unknown method, an option the method does not take (it would be
        ignored silently) or a value that is not a whole number of at least 1.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {sorted(METHODS)}, got {method!r}.")
    options = {k: v for k, v in options.items() if v is not None}
    unknown = sorted(set(options) - set(OPTIONS[method]))
    if unknown:
        raise ValueError(f"method={method!r} takes no option {unknown}.")
    for name, value in options.items():
        if int(value) != value or value < 1:
            raise ValueError(f"{name} must be a whole number of at least 1, got {value!r}.")
    return options


def attribute(method: str, scores: ScoreModel, x: torch.Tensor, target: torch.Tensor, **options):
    """Run ``METHODS[method]`` on one batch; the result has the shape of ``x``.

    ``method`` and ``options`` are those :func:`check_options` returned.
    """
    x = x.detach().clone().requires_grad_(True)
    return METHODS[method](scores, x, target, **options)
