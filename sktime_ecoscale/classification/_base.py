"""Shared sktime machinery of the deep ECG classifiers (EcoScale, OS-CNN).

Subclasses only say which network to build (:meth:`_build_network`) and which
extra hyperparameters it takes; everything else — input preparation, label
encoding, the skorch net, validation split, early stopping, batched and
memory-bounded inference, scikit-learn compatibility — lives here once.
"""

from __future__ import annotations

import numpy as np
from sktime.classification.base import BaseClassifier
from torch import nn

from sktime_ecoscale.classification._budget import TrainingBudget, training_budget
from sktime_ecoscale.classification._data import network_logits, predict_view
from sktime_ecoscale.classification._decision import decide
from sktime_ecoscale.classification._finetune import with_source_architecture
from sktime_ecoscale.classification._fit import fit_on_dataset, fit_panel
from sktime_ecoscale.classification._params import check_training_params
from sktime_ecoscale.classification._training import build_net, train_network
from sktime_ecoscale.datasets._protocol import DatasetView
from sktime_ecoscale.utils._validation import check_panel_input

__all__ = ["BaseDeepECGClassifier"]


class BaseDeepECGClassifier(BaseClassifier):
    """Base class: an sktime classifier that trains a PyTorch network through skorch.

    Parameters
    ----------
    max_epochs, batch_size, lr, optimizer, weight_decay, optimizer_kwargs, lr_schedule, \
valid_size, patience, class_weight, decision_threshold, calibration, augment, label_smoothing, device, \
predict_batch_size, random_state, verbose, callbacks, checkpoint_dir, \
distributed, mixed_precision, init_model, freeze_epochs, backbone_lr_scale, leads, fs
        Training parameters shared by every subclass, documented once on
        :class:`~sktime_ecoscale.EcoScaleClassifier`.

    Examples
    --------
    A subclass only builds its network; fitting, prediction and persistence
    come from this class:

    >>> from torch import nn
    >>> from sktime.datasets import load_unit_test
    >>> from sktime_ecoscale.classification import BaseDeepECGClassifier
    >>> class TinyCNN(BaseDeepECGClassifier):
    ...     def _build_network(self, n_channels, n_outputs, seq_len):
    ...         return nn.Sequential(
    ...             nn.Conv1d(n_channels, 4, kernel_size=3, padding=1), nn.ReLU(),
    ...             nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(4, n_outputs))
    >>> X, y = load_unit_test(split="train", return_type="numpy3D")
    >>> clf = TinyCNN(max_epochs=1, device="cpu", random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)
    """

    _tags = {
        # packaging info
        "authors": ["sktime-ecoscale developers"],
        "maintainers": ["sktime-ecoscale developers"],
        "python_dependencies": ["torch", "skorch"],
        # estimator type and capabilities
        "X_inner_mtype": ["df-list", "numpy3D"],
        "y_inner_mtype": ["numpy1D", "pd_DataFrame_Table"],
        "capability:multivariate": True,
        "capability:unequal_length": True,  # zero-padded inside, after standardising
        # NaN samples are repaired by the input rule (utils.fill_missing), alike in fit and predict
        "capability:missing_values": True,
        "capability:multioutput": True,  # one shared network, one head per column
        "capability:predict_proba": True,
        "capability:class_weight": True,
        "capability:random_state": True,
        "property:randomness": "derandomized",  # same random_state, same result on CPU
        "tests:vm": True,
    }

    def __init__(
        self,
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
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.optimizer = optimizer
        self.weight_decay = weight_decay
        self.optimizer_kwargs = optimizer_kwargs
        self.lr_schedule = lr_schedule
        self.valid_size = valid_size
        self.patience = patience
        self.class_weight = class_weight
        self.decision_threshold = decision_threshold
        self.calibration = calibration
        self.augment = augment
        self.label_smoothing = label_smoothing
        self.input_scaling = input_scaling
        self.device = device
        self.predict_batch_size = predict_batch_size
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        self.checkpoint_dir = checkpoint_dir
        self.distributed = distributed
        self.mixed_precision = mixed_precision
        self.init_model = init_model
        self.freeze_epochs = freeze_epochs
        self.backbone_lr_scale = backbone_lr_scale
        self.leads = leads
        self.fs = fs
        super().__init__()

    # ------------------------------------------------------------------ hooks
    def _build_network(self, n_channels: int, n_outputs: int, seq_len: int) -> nn.Module:
        """Return the untrained network for this input shape (subclasses)."""
        raise NotImplementedError

    @property
    def _min_seq_len(self) -> int:
        """Shortest series the network accepts (subclasses may raise it)."""
        return 1

    # ------------------------------------------------------------- validation
    def _check_params(self) -> None:
        """Reject invalid hyperparameters at fit time, naming the parameter."""
        check_training_params(self)

    # ------------------------------------------------ checks before sktime's
    # sktime converts and checks X and y first, with messages that do not say
    # how to fix the data (or a numpy error for a None label); ours run before.
    def fit(self, X, y):
        allow_missing = bool(self.get_tag("capability:missing_values"))
        check_panel_input(X, y, where="fit", allow_missing=allow_missing)
        return super().fit(X, y)

    def predict(self, X):
        check_panel_input(
            X, where="predict", allow_missing=bool(self.get_tag("capability:missing_values"))
        )
        return super().predict(X)

    def predict_proba(self, X):
        check_panel_input(
            X, where="predict_proba", allow_missing=bool(self.get_tag("capability:missing_values"))
        )
        return super().predict_proba(X)

    # NaN is found by check_panel_input (in blocks) and check_arrays (per series); sktime's
    # own "has_nans" scan would allocate a mask as large as X, so memory would grow with it.
    METADATA_REQ_IN_CHECKS = ["n_instances", "is_univariate", "is_equal_length", "feature_kind"]

    def _check_capabilities(self, X_metadata):
        return super()._check_capabilities({"has_nans": False, **X_metadata})

    fit.__doc__ = BaseClassifier.fit.__doc__
    predict.__doc__ = BaseClassifier.predict.__doc__
    predict_proba.__doc__ = BaseClassifier.predict_proba.__doc__

    # ----------------------------------------------------- native model files
    def save_model(self, path):
        """Save the fitted model as safetensors weights plus a JSON configuration.

        Unlike sktime's pickle-based ``save``, the files never run code when
        loaded; see :func:`~sktime_ecoscale.classification.save_model`.

        Parameters
        ----------
        path : str or Path
            Folder to write (or a path ending in ``.zip``).

        Returns
        -------
        Path
        """
        from sktime_ecoscale.classification._persistence import save_model

        return save_model(self, path)

    @classmethod
    def load_model(cls, path, device=None):
        """Load a model written by :meth:`save_model`, validating it first.

        Parameters
        ----------
        path : str or Path
            Model folder or ``.zip``.
        device : str, optional
            Device to predict on; by default the saved one, or CPU when it
            was CUDA and no GPU is available.

        Returns
        -------
        BaseDeepECGClassifier
            A fitted instance of ``cls``; see
            :func:`~sktime_ecoscale.classification.load_model`.
        """
        from sktime_ecoscale.classification._persistence import load_model

        model = load_model(path, device=device)
        if not isinstance(model, cls):
            raise TypeError(f"{path} holds a {type(model).__name__}, not a {cls.__name__}.")
        return model

    # -------------------------------------------------------------------- fit
    def _fit(self, X, y):
        """Fit the network to a panel ``X`` and labels ``y`` (sktime inner types)."""
        return fit_panel(self, X, y)

    def fit_dataset(self, dataset, valid_dataset=None):
        """Fit on a (lazy, out-of-core) data set instead of an in-memory panel.

        Parameters
        ----------
        dataset : torch.utils.data.Dataset
            A data set following the protocol of :mod:`sktime_ecoscale.datasets`
            (``raw(i)``, the unpadded signal of item ``i`` in raw units;
            attributes ``n_channels``, ``seq_len``, ``classes``,
            ``multilabel``; method ``labels()``). Each signal goes through the
            input rule of ``fit``: scaled by ``input_scaling_`` (fitted on the
            raw training signals), then zero-padded at the end or cropped to
            ``seq_len``. Items are read batch by batch: memory does not grow
            with its size.
        valid_dataset : Dataset, optional
            Validation data for early stopping. Without it, ``valid_size`` of
            ``dataset`` is held out by the rule ``fit`` uses (stratified where
            the classes allow; labels only are read to split).

        Returns
        -------
        self
        """
        return fit_on_dataset(self, dataset, valid_dataset)

    def _seed(self) -> int:
        if self.random_state is None:
            if not hasattr(self, "_drawn_seed"):
                self._drawn_seed = int(np.random.randint(0, 2**31 - 1))
            return self._drawn_seed
        return int(self.random_state) % (2**31 - 1)

    def _budget_overrides(self) -> dict:
        """Network parameters of the subclass that the budget rule resolves (e.g. widths)."""
        return {}

    def _architecture_of(self, source) -> dict:
        """Network keyword arguments that make a new network take ``source``'s weights (subclasses)."""
        return {}

    def _resolve_budget(self, n_series: int, source=None) -> TrainingBudget:
        """Resolve every ``"auto"`` training parameter through :func:`training_budget`.

        ``source``: the model a fine-tuned fit starts from, whose widths,
        strides and ensemble size replace the rule's where they are ``"auto"``.
        """
        overrides = with_source_architecture(self._budget_overrides(), source)
        return training_budget(
            int(n_series),
            int(self.n_channels_),
            int(self.seq_len_),
            max(2, int(sum(self.target_encoder_.output_sizes))),
            batch_size=self.batch_size,
            max_epochs=self.max_epochs,
            augment=self.augment,
            label_smoothing=self.label_smoothing,
            **overrides,
        )

    def _make_net(self, train_targets, has_validation: bool, module: nn.Module | None = None):
        """The skorch net of this estimator (:func:`~._training.build_net`); a hook."""
        return build_net(self, train_targets, has_validation, module=module)

    def _fit_datasets(self, train_ds, valid_ds, train_targets) -> None:
        """Seed, build and train: the one training path of every fit method."""
        train_network(self, train_ds, valid_ds, train_targets)

    # ---------------------------------------------------------------- predict
    def _inference_module(self, lead_set: str | None = None) -> nn.Module:
        """The trained network fused for inference, cached in ``_inference_cache_``.

        Fused at the end of ``fit``, rebuilt whenever the weights change
        (resumed, loaded or edited): the cache keeps a copy of the weights it
        was fused from and compares with ``torch.equal``. A dict created in
        ``fit``: ``predict`` updates it and never adds attributes (sktime).
        ``lead_set``: a key of ``lead_set_norms_``, the same network with
        that reduced lead set's batch-norm statistics.
        """
        from sktime_ecoscale.networks import fused_copy

        buffers = None if lead_set is None else self.lead_set_norms_[lead_set]
        cache = getattr(self, "_inference_cache_", None)
        if cache is None:  # e.g. an estimator restored by an older pickle
            return fused_copy(self.net_.module_, {}, buffers=buffers)
        if lead_set is not None:
            cache = cache.setdefault(f"lead_set:{lead_set}", {})
        return fused_copy(self.net_.module_, cache, buffers=buffers)

    def _inference_dataset(self, X) -> DatasetView:
        """The predict-time view of an inner panel: the training input rule."""
        return predict_view(self, X)

    def prepare_input(self, X) -> np.ndarray:
        """Return ``X`` exactly as the network sees it (the rule of ``fit`` and ``predict``).

        Parameters
        ----------
        X : sktime panel (numpy3D, pandas multiindex, df-list, ...)

        Returns
        -------
        np.ndarray of shape (n_series, n_channels, max length)
        """
        from sktime.datatypes import convert_to

        self.check_is_fitted()
        dataset = self._inference_dataset(convert_to(X, to_type=self.get_tag("X_inner_mtype")))
        return np.stack([dataset[i][0] for i in range(len(dataset))])

    def _logits(self, X) -> np.ndarray:
        return network_logits(self, self._inference_dataset(X))

    def export_onnx(self, path, seq_len=None, opset=17, quantize=None, calibration_X=None):
        """Export the fused inference network to ONNX; see :func:`~._export.export_onnx`.

        The exported graph takes float32 input ``(N, n_channels, L)`` prepared
        by :meth:`prepare_input` (the fitted ``input_scaling_``) and returns
        logits; ``N`` and ``L`` are dynamic. ``quantize="int8"`` with
        ``calibration_X`` (training series) writes a statically quantised graph.
        """
        from sktime_ecoscale.classification._export import export_onnx

        return export_onnx(self, path, seq_len, opset, quantize, calibration_X)

    def _predict_proba(self, X):
        probas = self.target_encoder_.probabilities(self._logits(X), self._temperatures())
        if not self.target_encoder_.multioutput:
            return probas[0]
        return self.target_encoder_.proba_frame(probas)

    def _temperatures(self):
        return getattr(self, "temperatures_", None)  # older pickles: uncalibrated

    def _predict(self, X):
        probas = self.target_encoder_.probabilities(self._logits(X), self._temperatures())
        return decide(self.target_encoder_, probas, getattr(self, "decision_thresholds_", None))

    # ----------------------------------------------------- sklearn interplay
    def reset(self):
        """Reset to the unfitted state, keeping scikit-learn's callback context.

        scikit-learn >= 1.8 sets ``_parent_callback_ctx`` on an estimator before
        calling ``fit`` and deletes it afterwards; sktime's ``fit`` begins with
        ``reset()``, which would drop it and break ``GridSearchCV``.
        """
        kept = {k: v for k, v in self.__dict__.items() if k == "_parent_callback_ctx"}
        super().reset()
        self.__dict__.update(kept)
        return self

    def __sklearn_tags__(self):
        """scikit-learn >= 1.6 tags, so GridSearchCV and cross_val_score accept us."""
        from sklearn.utils import ClassifierTags, InputTags, Tags, TargetTags

        return Tags(
            estimator_type="classifier",
            target_tags=TargetTags(required=True, one_d_labels=True, multi_output=True),
            classifier_tags=ClassifierTags(multi_class=True, multi_label=True),
            input_tags=InputTags(two_d_array=False, three_d_array=True),
        )
