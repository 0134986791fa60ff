"""The training-budget rule: how long, in what batches, how wide and how regularised to train.

This module owns one decision, the way :func:`~sktime_ecoscale.networks.ecoscale_kernel_lists`
owns the kernel lists: given the shape of the training data (number of series,
channels, length, classes) it returns the batch size, the number of epochs, the
stage widths and the regularisation that the estimators use wherever a
parameter is ``"auto"``. The estimators call :func:`training_budget` once per
fit and keep the result as ``budget_``.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import asdict, dataclass

from sktime_ecoscale.networks import ecoscale_kernel_span, ecoscale_strides

__all__ = ["AUTO", "TrainingBudget", "training_budget"]

#: The value of a parameter that the rule resolves.
AUTO = "auto"
#: Optimiser steps every fit gets at least (small data sets train for more epochs).
MIN_STEPS = 2000
#: Epochs every fit gets at least (large data sets: the cost grows with the data, no faster).
MIN_EPOCHS = 20
#: Upper bound on epochs: one step per epoch (at most 8 series) still reaches MIN_STEPS.
MAX_EPOCHS = 2000
#: Upper bound on epochs with augmentation: every epoch shows new variants of the series.
MAX_AUGMENTED_EPOCHS = 60
#: Regularisation of the augmented (12-lead ECG) regime: dropout and label smoothing.
AUGMENTED_DROPOUT = 0.3
AUGMENTED_LABEL_SMOOTHING = 0.1
#: Stage widths of the full-size network, used from ``FULL_WIDTH_SERIES`` series on.
FULL_WIDTHS = (32, 64, 128, 256)
FULL_WIDTH_SERIES = 256
#: Narrowest fraction of the full widths (tiny data sets).
MIN_WIDTH_SCALE = 0.25
#: Strides of every network fitted before the stride rule (model files without them).
LEGACY_STRIDES = (2, 2, 2, 2, 2, 2)
#: Networks of the default ensemble, and the training-set size up to which it is used.
ENSEMBLE_SIZE = 3
ENSEMBLE_MAX_SERIES = 1000
#: Augmentation (shift, scaling, noise, lead dropout) is on from this many channels ...
AUGMENT_MIN_CHANNELS = 8
#: ... and this length on: multi-lead ECG-like recordings, where it was measured to help.
AUGMENT_MIN_LENGTH = 500
#: Light augmentation of every other series of ``WINDOW_MIN_LENGTH`` samples up to
#: ``WINDOW_MAX_LENGTH`` (exclusive): random windows of 90 % of the length and +-10 %
#: amplitude per channel; no shift, noise or lead dropout (they destroyed class
#: shapes of short series).
WINDOW_AUGMENT = {
    "max_shift": 0.0,
    "scale": 0.1,
    "noise": 0.0,
    "lead_dropout": 0.0,
    "crop": 0.9,
    "wander": 0.0,
}
WINDOW_MIN_LENGTH = 64
#: On long series (ACSF1, 1,460 samples) the windows lost heavily in
#: cross-validation (docs/recipe.md); on 82-427 samples they gained.
WINDOW_MAX_LENGTH = 500


@dataclass(frozen=True)
class TrainingBudget:
    """Resolved training budget of one fit; see :func:`training_budget`.

    Attributes
    ----------
    batch_size : int
        Series per optimiser step.
    max_epochs : int
        Passes over the training data.
    widths : tuple of int
        Stage widths of the EcoScale network.
    strides : tuple of int
        Strides of the EcoScale network's six down-sampling points.
    dropout : float
        Dropout inside the network's blocks.
    augment : bool or dict
        Training augmentation, as the estimators' ``augment`` parameter.
    label_smoothing : float
        Label smoothing of the cross-entropy heads.
    n_networks : int
        Networks of the ensemble trained side by side (1: a single network).
    steps : int
        Optimiser steps of the whole fit, ``max_epochs * ceil(n_series / batch_size)``.
    kernel_span : int or None
        Span of the kernel-list rule (``None``: the paper's ``seq_len / 32``,
        what every model fitted before this field was trained with).

    Examples
    --------
    >>> from sktime_ecoscale.classification import TrainingBudget, training_budget
    >>> budget = training_budget(100, 1, 150, 2)
    >>> budget.batch_size, budget.steps
    (16, 2002)
    >>> TrainingBudget.from_dict(budget.to_dict()) == budget
    True
    """

    batch_size: int
    max_epochs: int
    widths: tuple[int, ...]
    strides: tuple[int, ...]
    dropout: float
    augment: bool | dict
    label_smoothing: float
    n_networks: int
    steps: int
    kernel_span: int | None = None

    def to_dict(self) -> dict:
        """Return the budget as a plain dict (stored in model files)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict) -> TrainingBudget:
        """Inverse of :meth:`to_dict`."""
        values = dict(values)
        values["widths"] = tuple(int(w) for w in values["widths"])
        # files written before the stride rule: every network halved six times
        values["strides"] = tuple(int(s) for s in values.get("strides", LEGACY_STRIDES))
        values.setdefault("n_networks", 1)  # files written before ensembles
        values.setdefault("kernel_span", None)  # files written before the span rule
        return cls(**values)


def _floor_pow2(x: float) -> int:
    return 2 ** int(math.floor(math.log2(max(x, 1.0))))


def _auto(value) -> bool:
    return isinstance(value, str) and value == AUTO


def _is_window_augment(augment) -> bool:
    if not isinstance(augment, dict):
        return False
    from sktime_ecoscale.classification._augment import Augmenter

    return Augmenter(**augment).to_dict() == Augmenter(**WINDOW_AUGMENT).to_dict()


def training_budget(
    n_series: int,
    n_channels: int,
    seq_len: int,
    n_classes: int,
    *,
    batch_size: int | str = AUTO,
    max_epochs: int | str = AUTO,
    widths: tuple[int, ...] | str = AUTO,
    strides: tuple[int, ...] | str = AUTO,
    dropout: float | str = AUTO,
    augment: bool | dict | str = AUTO,
    label_smoothing: float | str = AUTO,
    n_networks: int | str = AUTO,
    kernel_span: int | None | str = AUTO,
) -> TrainingBudget:
    """Return the batch size, epochs, widths and regularisation for a training set.

    Every keyword left at ``"auto"`` follows the rule below; any other value
    is used as given (an explicit value always wins). The rule, and why:

    * **batch size** ``= clip(2 ** floor(log2(n_series / 4)), 8, 32)``: at
      least about four optimiser steps per epoch on small data (with 23
      series and batch 32 an epoch is a single step), 32 from 128 series on.
    * **epochs** ``= clip(ceil(MIN_STEPS / steps_per_epoch), MIN_EPOCHS,
      MAX_EPOCHS)`` with ``MIN_STEPS = 2000`` (``MAX_AUGMENTED_EPOCHS`` in
      place of ``MAX_EPOCHS`` with augmentation, below): every fit takes at least
      two thousand optimiser steps, so a few dozen series train for hundreds of
      epochs (InceptionTime's published recipe uses 1,500, FCN's 2,000), while
      from about 3,200 series on (batch 32) the fit stops at ``MIN_EPOCHS = 20``
      and its cost grows linearly with the data, never faster. In 3-fold
      cross-validation on the training splits 2,000 steps beat 1,000 on
      ArrowHead (0.917 against 0.847, seeds 0 and 1) and ECG200 (0.869
      against 0.849, seed 0) and tied on ItalyPowerDemand (0.970), at twice
      the fit time of these small sets (docs/recipe.md).
    * **widths** ``= (32, 64, 128, 256) * clip(sqrt(n_series / 256), 0.25,
      1)``, the first stage rounded to a multiple of 4 and the others
      doubling: fewer series, narrower stages (fewer weights to over-fit and
      cheaper steps); full width from 256 series on.
    * **kernel span** ``= ecoscale_kernel_span(seq_len) = max(seq_len / 32,
      min(16, seq_len / 4))``: the paper's span from 512 samples on; short
      series get kernels that cover at least 16 samples (or a quarter of
      the series), where ``seq_len / 32`` left kernels of 1 and 2 (see
      :func:`~sktime_ecoscale.networks.ecoscale_kernel_span`).
    * **strides** ``= ecoscale_strides(seq_len)``: the six halvings of the
      authors' network from 961 samples on, fewer on shorter series, so the
      last stage still sees at least 16 samples (see
      :func:`~sktime_ecoscale.networks.ecoscale_strides`).
    * **augmentation**: the strong set (random shift, amplitude scaling,
      noise, lead dropout) for multi-lead, long recordings (``n_channels >= 8``
      and ``seq_len >= 500``, i.e. 12-lead ECGs): lead dropout needs leads to
      drop, and on short univariate series the same perturbations destroy the
      shapes that separate the classes. Every other series from
      ``WINDOW_MIN_LENGTH = 64`` to ``WINDOW_MAX_LENGTH = 500`` samples
      (exclusive) gets light augmentation only,
      ``WINDOW_AUGMENT``: a random window of 90 % of the series (one offset
      per series and step; the network ends in global average pooling, so it
      predicts on the whole series) and +-10 % amplitude per channel. In
      3-fold cross-validation on the training splits (seeds 0 and 1) it
      raised ArrowHead from 0.792 to 0.847 and TwoLeadECG from 0.952 to
      1.000; ItalyPowerDemand (24 samples) lost with it (0.926 against
      0.970, seed 0), hence the length floor; ECG200 lost too (0.849
      against 0.885), the rule's open cost (docs/recipe.md). From
      ``WINDOW_MAX_LENGTH = 500`` samples on, series of fewer than 8
      channels get none: on ACSF1 (1,460 samples) the windows lost 0.29 in
      3-fold cross-validation on its training split (0.389 against 0.679
      without), while on OSULeaf (427 samples) they still gained.
    * **dropout** and **label smoothing**: ``0`` without augmentation; in
      cross-validation on the training splits of the development suite
      (docs/recipe.md) both only slowed fitting there: with them the network
      could not fit a few dozen series within the budget. With augmentation
      (the 12-lead regime) ``0.3`` and ``0.1``, and the epochs are capped at
      ``MAX_AUGMENTED_EPOCHS = 60`` (each epoch sees new variants): in 3-fold
      cross-validation on the PTB-XL NORM training records this beat 143
      epochs without them (1,000 steps, the step rule of the time) (accuracy 0.844 against 0.830, AUROC 0.893 against
      0.882) at a third of the fit time.

    * **ensemble** ``n_networks = 3`` up to ``ENSEMBLE_MAX_SERIES = 1000``
      series, ``1`` above: three networks trained side by side (each on its
      own loss, logits averaged) gained in 3-fold cross-validation on the
      training splits, most where a single network varies most with its
      initialisation (ArrowHead 0.694 -> 0.806, TwoLeadECG 0.827 -> 0.905,
      ItalyPowerDemand 0.941 -> 0.970, PTB-XL NORM 0.844 -> 0.864; GunPoint
      and ECG200 unchanged), at three times the fit and predict cost. On
      large data one network varies less and its fit is already the costly
      part, so the cost there stays linear in the data.

    Parameters
    ----------
    n_series, n_channels, seq_len, n_classes : int
        Shape of the training data (``seq_len`` the longest series).
    batch_size, max_epochs : int or "auto", default="auto"
    widths, strides : tuple of int or "auto", default="auto"
    dropout, label_smoothing : float or "auto", default="auto"
    augment : bool, dict or "auto", default="auto"
    n_networks : int or "auto", default="auto"
    kernel_span : int, None or "auto", default="auto"
        Explicit values, taken as given (``kernel_span=None``: the paper's rule).

    Returns
    -------
    TrainingBudget

    Examples
    --------
    >>> from sktime_ecoscale.classification import training_budget
    >>> b = training_budget(23, 1, 82, 2)        # TwoLeadECG: a few dozen short series
    >>> b.batch_size, b.max_epochs, b.widths, b.augment["crop"], b.augment["noise"]
    (8, 667, (8, 16, 32, 64), 0.9, 0.0)
    >>> training_budget(67, 1, 24, 2).augment    # ItalyPowerDemand: too short for windows
    False
    >>> training_budget(100, 1, 1460, 10).augment  # ACSF1: long and univariate, none
    False
    >>> b = training_budget(353, 12, 1000, 2)    # the PTB-XL subset: 12 leads x 1000
    >>> b.batch_size, b.max_epochs, b.widths, b.augment, b.dropout, b.label_smoothing
    (32, 60, (32, 64, 128, 256), True, 0.3, 0.1)
    >>> training_budget(23, 1, 82, 2).n_networks, training_budget(20000, 12, 1000, 5).n_networks
    (3, 1)
    >>> training_budget(20000, 12, 1000, 5).max_epochs  # large data: the minimum epochs
    20
    >>> training_budget(23, 1, 82, 2, max_epochs=5).max_epochs  # explicit wins
    5
    """
    for name, value in (
        ("n_series", n_series),
        ("n_channels", n_channels),
        ("seq_len", seq_len),
        ("n_classes", n_classes),
    ):
        if not isinstance(value, numbers.Integral) or int(value) < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    if _auto(batch_size):
        batch_size = min(32, max(8, _floor_pow2(n_series / 4)))
    steps_per_epoch = math.ceil(n_series / int(batch_size))
    if hasattr(augment, "to_dict"):  # an Augmenter: its strengths, as plain data
        augment = augment.to_dict()
    if _auto(augment):
        if n_channels >= AUGMENT_MIN_CHANNELS and seq_len >= AUGMENT_MIN_LENGTH:
            augment = True
        elif WINDOW_MIN_LENGTH <= seq_len < WINDOW_MAX_LENGTH:
            augment = dict(WINDOW_AUGMENT)
        else:
            augment = False
    # the strong (12-lead) regime caps the epochs and adds dropout; windows alone do not
    augmented = bool(augment) and not _is_window_augment(augment)
    if _auto(max_epochs):
        cap = MAX_AUGMENTED_EPOCHS if augmented else MAX_EPOCHS
        max_epochs = min(cap, max(MIN_EPOCHS, math.ceil(MIN_STEPS / steps_per_epoch)))
    if _auto(widths):
        scale = min(1.0, max(MIN_WIDTH_SCALE, math.sqrt(n_series / FULL_WIDTH_SERIES)))
        base = max(4, 4 * round(FULL_WIDTHS[0] * scale / 4))  # a multiple of 4
        widths = tuple(base * w // FULL_WIDTHS[0] for w in FULL_WIDTHS)
    if _auto(strides):
        strides = ecoscale_strides(seq_len)
    if _auto(kernel_span):
        kernel_span = ecoscale_kernel_span(seq_len)
    if kernel_span is not None and (
        isinstance(kernel_span, bool)
        or not isinstance(kernel_span, numbers.Integral)
        or kernel_span < 1
    ):
        raise ValueError(
            f"kernel_span must be a positive integer, None or 'auto', got {kernel_span!r}."
        )
    if _auto(dropout):
        dropout = AUGMENTED_DROPOUT if augmented else 0.0
    if _auto(label_smoothing):
        label_smoothing = AUGMENTED_LABEL_SMOOTHING if augmented else 0.0
    if _auto(n_networks):
        n_networks = ENSEMBLE_SIZE if n_series <= ENSEMBLE_MAX_SERIES else 1
    if (
        isinstance(n_networks, bool)
        or not isinstance(n_networks, numbers.Integral)
        or n_networks < 1
    ):
        raise ValueError(f"n_networks must be a positive integer or 'auto', got {n_networks!r}.")
    return TrainingBudget(
        batch_size=int(batch_size),
        max_epochs=int(max_epochs),
        widths=tuple(int(w) for w in widths),
        strides=tuple(int(s) for s in strides),
        dropout=float(dropout),
        augment=augment,
        label_smoothing=float(label_smoothing),
        n_networks=int(n_networks),
        steps=int(max_epochs) * steps_per_epoch,
        kernel_span=None if kernel_span is None else int(kernel_span),
    )
