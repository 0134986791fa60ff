"""EcoScaleClassifier: EcoScale-Net as an sktime classifier."""

from __future__ import annotations

import numbers

from sktime_ecoscale.classification._base import BaseDeepECGClassifier
from sktime_ecoscale.classification._docs import (
    FITTED_ATTRIBUTES,
    MODEL_FILES_NOTE,
    TRAINING_PARAMETERS,
)
from sktime_ecoscale.networks import EcoScaleNet, ensemble_of

__all__ = ["EcoScaleClassifier"]


class EcoScaleClassifier(BaseDeepECGClassifier):
    """EcoScale-Net time series classifier for multi-lead ECGs, trained with skorch.

    A lightweight multi-kernel 1-D CNN (Kang, Nam, Lee, 2025): a ResNet-style
    backbone with an EcoScale block (bottlenecked omni-scale convolutions
    whose kernel lists are capped by the down-sampling of each stage) after
    every stage. Takes any number of channels and any length; raw signals in
    any unit work because every series is standardised per lead inside
    ``fit`` and ``predict``. A multi-column ``y`` trains one network with one
    head per column (sigmoid for 0/1 columns).

    Parameters
    ----------
    widths : tuple of int or "auto", default="auto"
        Channels of the four stages; "auto" scales ``(32, 64, 128, 256)``
        down on small training sets
        (:func:`~sktime_ecoscale.classification.training_budget`).
    blocks_per_stage : int, default=1
        Residual basic blocks per stage before its EcoScale block.
    kernel_lists : tuple of tuple of int, optional
        Per-stage kernel lists; default from
        :func:`~sktime_ecoscale.networks.ecoscale_kernel_lists` and the
        training length.
    kernel_span : int, None or "auto", default="auto"
        Span of the kernel-capping rule in samples. "auto": the paper's
        ``seq_len / 32`` from 512 samples on and at least ``min(16, seq_len /
        4)`` below (:func:`~sktime_ecoscale.networks.ecoscale_kernel_span`);
        ``None``: ``seq_len / 32`` always.
    strides : tuple of int or "auto", default="auto"
        Strides of the stem convolution, stem max-pool and stages 1-4; "auto"
        halves six times from 961 samples on and fewer times on shorter
        series (:func:`~sktime_ecoscale.networks.ecoscale_strides`).
    dropout : float or "auto", default="auto"
        Dropout inside the blocks; "auto" resolves through
        :func:`~sktime_ecoscale.classification.training_budget` (0).
    n_networks : int or "auto", default="auto"
        Networks of an ensemble, trained side by side on the same batches
        (each with its own loss and initialisation) and saved as one model;
        predictions average their logits. "auto" resolves through
        :func:`~sktime_ecoscale.classification.training_budget`.
    {training}

    Attributes
    ----------
    {attributes}

    Notes
    -----
    {notes}

    See Also
    --------
    OmniScaleClassifier : the OS-CNN baseline with the same training machinery.

    References
    ----------
    .. [1] Kang, Nam, Lee. "EcoScale-Net: A Lightweight Multi-Kernel Network for
       Long-Sequence 12-lead ECG Classification", arXiv 2510.24748, 2025.

    Examples
    --------
    >>> from sktime.datasets import load_unit_test
    >>> from sktime_ecoscale import EcoScaleClassifier
    >>> X_train, y_train = load_unit_test(split="train", return_X_y=True)
    >>> X_test, y_test = load_unit_test(split="test", return_X_y=True)
    >>> clf = EcoScaleClassifier(max_epochs=3, widths=(8, 8, 16, 16), random_state=0)
    >>> clf.fit(X_train, y_train)
    EcoScaleClassifier(...)
    >>> clf.predict_proba(X_test[:2]).shape
    (2, 2)
    """

    def __init__(
        self,
        widths="auto",
        blocks_per_stage: int = 1,
        kernel_lists=None,
        kernel_span="auto",
        strides="auto",
        dropout: float | str = "auto",
        n_networks: int | str = "auto",
        max_epochs: int | str = "auto",
        batch_size: int | str = "auto",
        lr: float = 3e-3,
        optimizer: str = "adamw",
        weight_decay: float = 1e-2,
        optimizer_kwargs: dict | None = None,
        lr_schedule: str = "onecycle",
        valid_size: float = 0.0,
        patience: int | None = 10,
        class_weight=None,
        decision_threshold=None,
        calibration=None,
        augment="auto",
        label_smoothing: float | str = "auto",
        input_scaling: str = "channel",
        device: str = "auto",
        predict_batch_size: int = 64,
        random_state: int | None = None,
        verbose: int = 0,
        callbacks=None,
        checkpoint_dir=None,
        distributed: bool = False,
        mixed_precision: str = "no",
        init_model=None,
        freeze_epochs: int = 0,
        backbone_lr_scale: float = 1.0,
        leads=None,
        fs: float | None = None,
    ):
        self.widths = widths
        self.blocks_per_stage = blocks_per_stage
        self.kernel_lists = kernel_lists
        self.kernel_span = kernel_span
        self.strides = strides
        self.dropout = dropout
        self.n_networks = n_networks
        super().__init__(
            max_epochs=max_epochs,
            batch_size=batch_size,
            lr=lr,
            optimizer=optimizer,
            weight_decay=weight_decay,
            optimizer_kwargs=optimizer_kwargs,
            lr_schedule=lr_schedule,
            valid_size=valid_size,
            patience=patience,
            class_weight=class_weight,
            decision_threshold=decision_threshold,
            calibration=calibration,
            augment=augment,
            label_smoothing=label_smoothing,
            input_scaling=input_scaling,
            device=device,
            predict_batch_size=predict_batch_size,
            random_state=random_state,
            verbose=verbose,
            callbacks=callbacks,
            checkpoint_dir=checkpoint_dir,
            distributed=distributed,
            mixed_precision=mixed_precision,
            init_model=init_model,
            freeze_epochs=freeze_epochs,
            backbone_lr_scale=backbone_lr_scale,
            leads=leads,
            fs=fs,
        )

    def _check_params(self) -> None:
        super()._check_params()
        n = self.n_networks
        if n != "auto" and (not isinstance(n, numbers.Integral) or isinstance(n, bool) or n < 1):
            raise ValueError(f"n_networks must be 'auto' or a positive integer, got {n!r}.")

    def _budget_overrides(self) -> dict:
        def as_tuple(value):
            return value if isinstance(value, str) else tuple(value)

        return {
            "widths": as_tuple(self.widths),
            "strides": as_tuple(self.strides),
            "dropout": self.dropout,
            "n_networks": self.n_networks,
            "kernel_span": self.kernel_span,
        }

    def _network_kwargs(self) -> dict:
        """Network hyperparameters, with the fitted budget's widths and dropout."""
        return {
            "widths": self.budget_.widths,
            "blocks_per_stage": self.blocks_per_stage,
            "kernel_lists": self.kernel_lists,
            "kernel_span": self.budget_.kernel_span,
            "strides": self.budget_.strides,
            "dropout": self.budget_.dropout,
            **getattr(self, "network_overrides_", {}),  # a fine-tuned fit: the source's kernels
        }

    def _architecture_of(self, source) -> dict:
        member = source.net_.module_
        member = member.members[0] if hasattr(member, "members") else member
        return {
            "kernel_lists": [list(k) for k in member.kernel_lists],
            "blocks_per_stage": source.blocks_per_stage,
        }

    def _build_network(self, n_channels, n_outputs, seq_len):
        return ensemble_of(
            self.budget_.n_networks,
            lambda: EcoScaleNet(n_channels, n_outputs, seq_len, **self._network_kwargs()),
        )

    @classmethod
    def get_test_params(cls, parameter_set="default"):
        """Return tiny parameter sets for sktime's conformance tests.

        Returns
        -------
        list of dict
        """
        return [
            {
                "widths": (4, 4, 8, 8),
                "max_epochs": 2,
                "batch_size": 4,
                "valid_size": 0.0,
                "n_networks": 1,
                "random_state": 0,
                "device": "cpu",
            },
            {
                "widths": (4, 8, 8, 8),
                "max_epochs": 3,
                "batch_size": 8,
                "valid_size": 0.25,
                "patience": 2,
                "augment": False,
                "lr_schedule": "cosine",
                "optimizer": "adam",
                "class_weight": "balanced",
                "decision_threshold": "f1",
                "calibration": "temperature",
                "n_networks": 1,
                "random_state": 1,
                "device": "cpu",
            },
        ]


if EcoScaleClassifier.__doc__:  # None under python -OO
    EcoScaleClassifier.__doc__ = (
        EcoScaleClassifier.__doc__.replace("{training}", TRAINING_PARAMETERS)
        .replace("{attributes}", FITTED_ATTRIBUTES)
        .replace("{notes}", MODEL_FILES_NOTE)
    )
