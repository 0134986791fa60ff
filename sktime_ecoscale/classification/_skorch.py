"""The one skorch adapter every estimator of this package trains through.

skorch owns the training loop. We add hooks, not flags: augmentation in
``train_step_single``, a learning-rate schedule that is a pure function of the
global step (so a resumed run continues exactly where it stopped), and the
callbacks assembled from the estimator's flat hyperparameters.
"""

from __future__ import annotations

import math

import torch
from skorch import NeuralNet
from skorch.callbacks import Callback, EarlyStopping, ProgressBar

__all__ = [
    "ECGNeuralNet",
    "OPTIMIZERS",
    "StepLRSchedule",
    "make_callbacks",
    "recalibrate_batchnorm",
    "select_device",
]

#: Optimisers reachable through the estimators' ``optimizer`` parameter.
OPTIMIZERS = {
    "adamw": torch.optim.AdamW,
    "adam": torch.optim.Adam,
    "sgd": torch.optim.SGD,
    "rmsprop": torch.optim.RMSprop,
}

#: Learning-rate schedules reachable through ``lr_schedule``.
LR_SCHEDULES = ("onecycle", "cosine", "constant")


def select_device(device: str) -> str:
    """Resolve ``"auto"``, ``"cpu"``, ``"cuda"`` (or ``"cuda:N"``) to a torch device string.

    Examples
    --------
    >>> select_device("cpu")
    'cpu'
    """
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} was requested but CUDA is not available; "
            "use device='cpu' or device='auto'."
        )
    return device


class StepLRSchedule(Callback):
    """Sets the learning rate before every batch from the global step alone.

    Keeping no state of its own (unlike ``torch.optim.lr_scheduler``) makes it
    resume-safe: the step count is recomputed from the history.

    Parameters
    ----------
    kind : {"onecycle", "cosine", "constant"}
        One-cycle (linear warm-up over ``pct_start``, cosine down to
        ``lr / final_div``), plain cosine decay, or a constant rate.
    max_epochs : int
        Length of the schedule in epochs.
    pct_start : float, default 0.25
        Warm-up fraction of the one-cycle schedule.
    """

    def __init__(
        self, kind: str, max_epochs: int, pct_start: float = 0.25, final_div: float = 100.0
    ):
        self.kind = kind
        self.max_epochs = max_epochs
        self.pct_start = pct_start
        self.final_div = final_div

    def initialize(self):
        self.steps_per_epoch_ = None
        return self

    def factor(self, progress: float) -> float:
        """Multiplier of the base learning rate at ``progress`` in [0, 1]."""
        progress = min(max(progress, 0.0), 1.0)
        floor = 1.0 / self.final_div
        if self.kind == "constant":
            return 1.0
        if self.kind == "cosine":
            return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress))
        if progress < self.pct_start:
            start = 1.0 / 25.0
            return start + (1 - start) * progress / self.pct_start
        tail = (progress - self.pct_start) / max(1e-12, 1 - self.pct_start)
        return floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * tail))

    def on_epoch_begin(self, net, dataset_train=None, **kwargs):
        self.steps_per_epoch_ = net.train_batches_per_epoch(len(dataset_train))
        self.epoch_ = len(net.history) - 1  # the new epoch's row is already there
        self.batch_ = 0

    def on_batch_begin(self, net, training=False, **kwargs):
        if not training:
            return
        total = self.max_epochs * self.steps_per_epoch_
        step = self.epoch_ * self.steps_per_epoch_ + self.batch_
        lr = net.lr * self.factor(step / max(1, total - 1))
        for group in net.optimizer_.param_groups:
            group["lr"] = lr * group.get("lr_scale", 1.0)  # e.g. a fine-tuned backbone
        self.batch_ += 1


class ECGNeuralNet(NeuralNet):
    """skorch ``NeuralNet`` with an augmentation hook and logit inference.

    Parameters
    ----------
    augmenter : callable or None
        Applied to each training batch ``(N, C, L)`` before the forward pass.
    calibration_data : Dataset or None
        Clean training series; when given, batch-norm statistics are
        re-estimated on them (:func:`recalibrate_batchnorm`) before every
        validation pass, so that the validation loss, early stopping and the
        training curves describe the model as it will predict.
    *args, **kwargs
        Passed to :class:`skorch.NeuralNet`.
    """

    def __init__(self, *args, augmenter=None, calibration_data=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.augmenter = augmenter
        self.calibration_data = calibration_data

    def run_single_epoch(self, iterator, training, prefix, step_fn, **fit_params):
        if not training and iterator is not None and self.calibration_data is not None:
            recalibrate_batchnorm(
                self.module_,
                self.calibration_data,
                batch_size=self.batch_size,
                device=self.device,
                max_series=1024,
            )
        return super().run_single_epoch(iterator, training, prefix, step_fn, **fit_params)

    def train_step_single(self, batch, **fit_params):
        if self.augmenter is not None:
            Xi, yi = batch
            batch = (self.augmenter(Xi.to(self.device)), yi)
        return super().train_step_single(batch, **fit_params)

    def train_batches_per_epoch(self, n_items: int) -> int:
        """Optimiser steps in one epoch over ``n_items`` (the unit of the LR schedule)."""
        batch_size = self.batch_size if self.batch_size > 0 else n_items
        return max(1, math.ceil(n_items / batch_size))

    # hooks of the training path (classification/_training.py); Accelerate overrides them
    def adapt_checkpoint(self, checkpoint):
        """The checkpoint callback this net writes with (here: as given)."""
        return checkpoint

    def finish_training(self) -> None:
        """Leave ``module_`` as the plain trained network (here: nothing to undo)."""


def recalibrate_batchnorm(
    module: torch.nn.Module,
    dataset,
    *,
    batch_size: int,
    device: str,
    max_series: int = 4096,
    seed: int = 0,
) -> None:
    """Re-estimate batch-norm statistics on clean (non-augmented) training series.

    Running statistics gathered while training describe augmented batches
    (noise, scaling, dropped leads); at predict time the series are clean, and
    the mismatch biases the outputs. One forward pass over up to
    ``max_series`` training series, with only the batch-norm layers in
    training mode, replaces them by the statistics of clean data.
    """
    norms = [m for m in module.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    if not norms or len(dataset) < 2:
        return
    generator = torch.Generator().manual_seed(seed)
    n = min(len(dataset), max_series)
    indices = torch.randperm(len(dataset), generator=generator)[:n].sort().values.tolist()
    subset = torch.utils.data.Subset(dataset, indices)
    # a last batch of one series cannot give batch statistics
    drop_last = n % batch_size == 1
    loader = torch.utils.data.DataLoader(
        subset, batch_size=batch_size, shuffle=False, drop_last=drop_last
    )
    module.eval()
    momenta = [bn.momentum for bn in norms]
    for bn in norms:
        bn.reset_running_stats()
        bn.momentum = None  # cumulative average over the whole pass
        bn.train()
    with torch.no_grad():
        for X, _ in loader:
            module(torch.as_tensor(X).to(device=device, dtype=torch.float32))
    for bn, momentum in zip(norms, momenta):
        bn.momentum = momentum
    module.eval()


def make_callbacks(
    *,
    lr_schedule: str,
    max_epochs: int,
    has_validation: bool,
    patience: int | None,
    verbose: int,
    user_callbacks=None,
) -> list:
    """Assemble the callback list from flat hyperparameters (one place for it)."""
    callbacks = [("lr_schedule", StepLRSchedule(lr_schedule, max_epochs))]
    if has_validation and patience:
        callbacks.append(
            (
                "early_stopping",
                EarlyStopping(
                    monitor="valid_loss", patience=patience, load_best=True, sink=_no_print
                ),
            )
        )
    if verbose >= 2:
        callbacks.append(("progress_bar", ProgressBar()))
    for i, cb in enumerate(user_callbacks or []):
        name, cb = cb if isinstance(cb, tuple) else (f"user_{i}_{type(cb).__name__}", cb)
        callbacks.append((name, cb))
    return callbacks


def _no_print(*args, **kwargs):
    """Sink for skorch callbacks' messages when the estimator is silent."""
