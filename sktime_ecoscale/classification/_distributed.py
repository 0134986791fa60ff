"""Data-parallel and mixed-precision training through Hugging Face Accelerate.

We do not write a distribution layer: skorch ships
:class:`skorch.hf.AccelerateMixin`, and Accelerate drives
``torch.nn.parallel.DistributedDataParallel`` (NCCL on GPUs, gloo on CPUs)
under the launcher the user already runs (``torchrun`` or
``accelerate launch``). This module adds only what our estimators need on top:

* the augmentation hook of :class:`ECGNeuralNet`, inside Accelerate's autocast;
* epoch losses averaged over processes, so that early stopping takes the same
  decision on every rank (a rank that stops alone would hang the others);
* the learning-rate schedule counted in optimiser steps per process;
* checkpoints written by rank 0 only.

Why Accelerate rather than hand-written DDP: Accelerate reads the launcher's
environment (``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``, ``MASTER_ADDR``) and
picks the backend and device itself, shards every ``DataLoader`` (each
process reads only its own batches, so an out-of-core data set is read once
in total per epoch), keeps the shuffling generator in step across ranks and
adds bf16/fp16 autocast with gradient scaling. The same estimator code runs on
one CPU, one GPU, eight GPUs or a cluster.

Launchers (checked on a 2-core CPU machine, see ``docs/distributed.md``):
``torchrun --nproc_per_node N`` and ``accelerate launch --multi_gpu
--num_processes N`` start N processes on CPU and GPU alike;
``accelerate launch --cpu --num_processes N`` starts only one unless MPI is
configured (``--mpirun_hostfile``).
"""

from __future__ import annotations

import math
import os
import warnings

from skorch.hf import AccelerateMixin

from sktime_ecoscale.classification._checkpoint import TrainingCheckpoint
from sktime_ecoscale.classification._skorch import ECGNeuralNet, _no_print

__all__ = [
    "ECGNeuralNetAccelerate",
    "RankZeroCheckpoint",
    "make_accelerator",
    "is_main_process",
    "close_process_group",
    "MIXED_PRECISION",
]

#: Values of the estimators' ``mixed_precision`` parameter.
MIXED_PRECISION = ("no", "bf16", "fp16")


def is_main_process() -> bool:
    """Whether this process is rank 0 (always true outside a distributed launch).

    Use it to write files once: models, reports, plots.

    Returns
    -------
    bool
        True on rank 0 of an initialised process group, else whether the
        ``RANK`` environment variable (set by torchrun) is 0 or unset.

    Examples
    --------
    >>> is_main_process()
    True
    """
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        return dist.get_rank() == 0
    return int(os.environ.get("RANK", "0")) == 0


def close_process_group() -> bool:
    """Wait for every rank, then close the default process group, if there is one.

    Call it on every rank at the end of a distributed job. A rank that exits
    while another still uses the group (rank 0 saving the model) can abort in
    gloo's teardown ("terminate called without an active exception"), and a
    group left open makes torch warn at exit.

    Returns
    -------
    bool
        Whether a process group was closed (False outside a distributed launch).

    Examples
    --------
    >>> close_process_group()  # a plain process has no group
    False
    """
    import torch.distributed as dist

    if not (dist.is_available() and dist.is_initialized()):
        return False
    dist.barrier()
    dist.destroy_process_group()
    return True


def make_accelerator(device: str, mixed_precision: str = "no", distributed: bool = True):
    """Create the :class:`accelerate.Accelerator` for a resolved ``device``.

    Parameters
    ----------
    device : str
        ``"cpu"`` or ``"cuda[:N]"`` (already resolved by ``select_device``).
        Under a launcher each process takes its own GPU (``LOCAL_RANK``).
    mixed_precision : {"no", "bf16", "fp16"}, default="no"
        Autocast precision on GPU. CPU training always runs in float32: a
        warning says so when another value is asked for.
    distributed : bool, default=True
        Whether the caller asked for data parallelism; warns when the
        process was not started by a multi-process launcher.

    Returns
    -------
    accelerate.Accelerator

    Examples
    --------
    >>> acc = make_accelerator("cpu", distributed=False)
    >>> acc.num_processes, str(acc.device)
    (1, 'cpu')
    """
    from accelerate import Accelerator

    cpu = not str(device).startswith("cuda")
    if cpu and mixed_precision != "no":
        # fp16 autocast does not exist on CPU and bf16 is slower than fp32 on
        # most CPUs: one rule, GPU only
        warnings.warn(
            f"mixed_precision={mixed_precision!r} applies on GPU only; training on CPU in float32.",
            UserWarning,
            stacklevel=3,
        )
        mixed_precision = "no"
    accelerator = Accelerator(cpu=cpu, mixed_precision=mixed_precision)
    if distributed and accelerator.num_processes == 1:
        warnings.warn(
            "distributed=True but this process was not started by a multi-process launcher; "
            "training on one process. Launch with `torchrun --nproc_per_node N ...` or "
            "`accelerate launch --multi_gpu --num_processes N ...`.",
            UserWarning,
            stacklevel=3,
        )
    return accelerator


class ECGNeuralNetAccelerate(AccelerateMixin, ECGNeuralNet):
    """:class:`ECGNeuralNet` trained through an :class:`accelerate.Accelerator`.

    Data-parallel over the processes of a ``torchrun``/``accelerate launch``
    job, with optional bf16/fp16 autocast on GPU. Each process iterates only
    its own batches of ``batch_size`` items, so one optimiser step sees
    ``batch_size * num_processes`` items (the effective batch).

    Parameters
    ----------
    accelerator : accelerate.Accelerator
        See :func:`make_accelerator`.
    *args, **kwargs
        Passed to :class:`ECGNeuralNet` and :class:`skorch.hf.AccelerateMixin`;
        ``device`` must be ``None`` (Accelerate places tensors).

    Notes
    -----
    The module stays wrapped in ``DistributedDataParallel`` until training
    ends, so early stopping's best weights and checkpoints keep one key
    layout; :meth:`partial_fit` unwraps it afterwards, leaving a plain
    module for prediction and saving.
    """

    def __init__(self, *args, accelerator, unwrap_after_train=False, **kwargs):
        # AccelerateMixin's "auto" sink prints even with verbose=0; print once, when asked
        sink = accelerator.print if kwargs.get("verbose", 1) else _no_print
        kwargs.setdefault("callbacks__print_log__sink", sink)
        super().__init__(
            *args, accelerator=accelerator, unwrap_after_train=unwrap_after_train, **kwargs
        )

    def _initialize_accelerator(self):
        # DDP refuses a module without trainable parameters, like our loss:
        # move such criteria to the device instead of preparing them
        if self._wrapped_with_accelerator:
            return self
        all_criteria, trainable = self._criteria, []
        for name in all_criteria:
            criterion = getattr(self, name + "_")
            if any(p.requires_grad for p in getattr(criterion, "parameters", list)()):
                trainable.append(name)
            elif hasattr(criterion, "to"):
                setattr(self, name + "_", criterion.to(self.accelerator.device))
        self._criteria = trainable
        try:
            return super()._initialize_accelerator()
        finally:
            self._criteria = all_criteria

    # --------------------------------------------------------------- steps
    def train_step_single(self, batch, **fit_params):
        # AccelerateMixin's step does not call ECGNeuralNet's: augment here,
        # on the batch Accelerate already placed on this process's device
        if self.augmenter is not None:
            Xi, yi = batch
            batch = (self.augmenter(Xi), yi)
        return AccelerateMixin.train_step_single(self, batch, **fit_params)

    def train_step(self, batch, **fit_params):
        step = super().train_step(batch, **fit_params)
        return {**step, "loss": self._mean_over_processes(step["loss"])}

    def validation_step(self, batch, **fit_params):
        step = super().validation_step(batch, **fit_params)
        return {**step, "loss": self._mean_over_processes(step["loss"])}

    def _mean_over_processes(self, loss):
        # every rank records the same losses, so early stopping agrees
        return self.accelerator.reduce(loss.detach(), reduction="mean")

    def train_batches_per_epoch(self, n_items: int) -> int:
        """Optimiser steps per epoch on each process (the schedule's unit)."""
        total = super().train_batches_per_epoch(n_items)
        return max(1, math.ceil(total / self.accelerator.num_processes))

    # ------------------------------------------------------------ lifecycle
    def partial_fit(self, X, y=None, classes=None, **fit_params):
        try:
            return super().partial_fit(X, y=y, classes=classes, **fit_params)
        finally:
            self.unwrap()

    def unwrap(self) -> ECGNeuralNetAccelerate:
        """Replace the DDP/autocast-wrapped module by the plain trained one."""
        self._unwrap_accelerator()
        return self

    def finish_training(self) -> None:
        self.unwrap()

    def adapt_checkpoint(self, checkpoint):
        """Checkpoints are written by rank 0 only (the others wait)."""
        return RankZeroCheckpoint.from_checkpoint(checkpoint)

    def __getstate__(self):
        # an Accelerator holds process-group handles and cannot be pickled;
        # a pickled net predicts (with the plain module) but does not train
        state = super().__getstate__()
        state["accelerator"] = None
        return state


class RankZeroCheckpoint(TrainingCheckpoint):
    """:class:`TrainingCheckpoint` written by rank 0 only; every rank reads it to resume.

    The saved state is rank 0's (weights are identical on all ranks; random
    generators are rank 0's), so a resumed distributed run continues the
    schedule and the weights exactly but its dropout and augmentation draws
    may differ from an uninterrupted one.
    """

    @classmethod
    def from_checkpoint(cls, checkpoint: TrainingCheckpoint) -> RankZeroCheckpoint:
        """The same checkpoint (folder and fingerprint), written by rank 0 only."""
        return cls(checkpoint.directory, checkpoint.fields)

    def commit(self, net, generation: str, finished: bool) -> None:
        # every rank has run skorch's save_params (its barriers and the
        # unwrapping are collective; only rank 0 writes); rank 0 commits
        if net.accelerator.is_main_process:
            super().commit(net, generation, finished)
        net.accelerator.wait_for_everyone()  # nobody reads a half-written epoch
