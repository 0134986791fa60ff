"""OmniScaleClassifier: the OS-CNN baseline as an sktime classifier."""

from __future__ import annotations

from sktime_ecoscale.classification._base import BaseDeepECGClassifier
from sktime_ecoscale.classification._docs import (
    FITTED_ATTRIBUTES,
    MODEL_FILES_NOTE,
    TRAINING_PARAMETERS,
)
from sktime_ecoscale.networks import OmniScaleNet

__all__ = ["OmniScaleClassifier"]


class OmniScaleClassifier(BaseDeepECGClassifier):
    """OS-CNN (Omni-Scale CNN) classifier, the baseline EcoScale-Net is compared with.

    Same training machinery and input handling as
    :class:`~sktime_ecoscale.EcoScaleClassifier`; only the network differs:
    one OS-block of true-size convolutions with every prime kernel size up to
    ``seq_len / 4`` (Tang et al., ICLR 2022).

    Parameters
    ----------
    receptive_field : int, optional
        Largest kernel size; default a quarter of the training length.
    max_kernel : int, optional
        Extra cap on the kernel size (the official code uses 89).
    {training}

    Attributes
    ----------
    {attributes}

    Notes
    -----
    {notes}

    References
    ----------
    .. [1] Tang, Long, Liu, Zhou, Jiang. "Omni-Scale CNNs: a simple and effective
       kernel size configuration for time series classification", ICLR 2022.

    Examples
    --------
    >>> from sktime.datasets import load_unit_test
    >>> from sktime_ecoscale import OmniScaleClassifier
    >>> X_train, y_train = load_unit_test(split="train", return_X_y=True)
    >>> clf = OmniScaleClassifier(max_epochs=2, random_state=0).fit(X_train, y_train)
    >>> clf.predict(X_train[:3]).shape
    (3,)
    """

    def __init__(
        self,
        receptive_field: int | None = None,
        max_kernel: int | None = None,
        max_epochs: int | str = "auto",
        batch_size: int | str = "auto",
        lr: float = 1e-3,
        optimizer: str = "adam",
        weight_decay: float = 0.0,
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
        self.receptive_field = receptive_field
        self.max_kernel = max_kernel
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

    def _budget_overrides(self) -> dict:
        return {"n_networks": 1}  # the published OS-CNN baseline: one network

    def _network_kwargs(self) -> dict:
        kwargs = {"receptive_field": self.receptive_field, "max_kernel": self.max_kernel}
        return {**kwargs, **getattr(self, "network_overrides_", {})}  # fine-tuned: the source's

    def _architecture_of(self, source) -> dict:
        return {"receptive_field": max(source.net_.module_.kernel_sizes), "max_kernel": None}

    def _build_network(self, n_channels, n_outputs, seq_len):
        return OmniScaleNet(n_channels, n_outputs, seq_len, **self._network_kwargs())

    @classmethod
    def get_test_params(cls, parameter_set="default"):
        """Return tiny parameter sets for sktime's conformance tests.

        Returns
        -------
        list of dict
        """
        return [
            {
                "max_epochs": 2,
                "batch_size": 4,
                "valid_size": 0.0,
                "random_state": 0,
                "device": "cpu",
                "max_kernel": 5,
            },
            {
                "max_epochs": 2,
                "batch_size": 8,
                "valid_size": 0.25,
                "patience": 1,
                "augment": False,
                "random_state": 1,
                "device": "cpu",
                "max_kernel": 3,
            },
        ]


if OmniScaleClassifier.__doc__:  # None under python -OO
    OmniScaleClassifier.__doc__ = (
        OmniScaleClassifier.__doc__.replace("{training}", TRAINING_PARAMETERS)
        .replace("{attributes}", FITTED_ATTRIBUTES)
        .replace("{notes}", MODEL_FILES_NOTE)
    )
