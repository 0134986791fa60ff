"""The benchmarked estimators and what each costs (parameters, FLOPs per series)."""

from __future__ import annotations

__all__ = ["MODEL_NAMES", "make_estimator", "model_cost", "FitRecorder"]

import contextlib
import io
import re
import time

import numpy as np
from skorch.callbacks import Callback

MODEL_NAMES = ("ecoscale", "omniscale", "minirocket", "inceptiontime")
#: Epochs of the deep models under ``quick=True`` (smoke tests only).
QUICK_EPOCHS = 2
#: OS-CNN's budget in the benchmark. Its full-length kernels make one epoch on
#: 353 PTB-XL records at 12 x 1000 take minutes on 2 cores (measured: more than
#: 3.5 min per epoch under load), so its default 60 epochs would take hours:
#: it gets this many epochs (its one-cycle schedule runs to the end) and stops
#: early, keeping its best validation weights, once a fit passes the time cap.
OMNISCALE_MAX_EPOCHS = 10
OMNISCALE_TIME_BUDGET_S = 600.0


def _recorder_callbacks(recorder, time_budget=None):
    callbacks = [] if recorder is None else [("benchmark_recorder", recorder)]
    if time_budget is not None:
        callbacks.insert(0, ("time_budget", TimeBudget(time_budget)))
    return callbacks or None


class TimeBudget(Callback):
    """Stop training once ``seconds`` of wall clock have passed (checked per epoch).

    Stops the way Ctrl-C does in skorch, so ``on_train_end`` still runs and
    early stopping restores the best validation weights.
    """

    def __init__(self, seconds: float = 600.0):
        self.seconds = seconds

    def on_train_begin(self, net, **kwargs):
        self.start_ = time.perf_counter()

    def on_epoch_end(self, net, **kwargs):
        if time.perf_counter() - self.start_ > self.seconds:
            net.history.record("stopped_by_time_budget", True)
            raise KeyboardInterrupt


class _Shared:
    """A box whose copies are itself, so it outlives sktime's and skorch's cloning."""

    def __init__(self):
        self.items = []

    def __deepcopy__(self, memo):
        return self


class FitRecorder(Callback):
    """skorch callback that keeps the net fitted inside sktime's ``evaluate``.

    ``evaluate`` fits a clone and drops it; this callback's ``store`` survives
    the cloning (its copies are itself) and receives the fitted skorch net, so
    the benchmark reads ``history`` and the module without fitting twice.
    """

    def __init__(self, store=None):
        self.store = _Shared() if store is None else store

    @property
    def nets(self) -> list:
        """The fitted skorch nets, in fit order."""
        return self.store.items

    def on_train_end(self, net, **kwargs):
        self.store.items.append(net)


def make_estimator(
    name: str,
    *,
    quick: bool = False,
    inceptiontime_epochs: int = 30,
    random_state: int = 0,
    recorder: FitRecorder | None = None,
):
    """Return the sktime estimator benchmarked under ``name``.

    ``ecoscale`` and ``omniscale`` are this package's classifiers with their
    defaults (plus ``random_state``); ``minirocket`` is sktime's
    ``RocketClassifier(rocket_transform="minirocket")``; ``inceptiontime``
    sktime's ``InceptionTimeClassifierTorch(num_epochs, batch_size=32)``.
    ``quick`` cuts every deep model to :data:`QUICK_EPOCHS` epochs.

    Parameters
    ----------
    name : {"ecoscale", "omniscale", "minirocket", "inceptiontime"}
        The model, one of :data:`MODEL_NAMES`.
    quick : bool, default=False
        Train the deep models for :data:`QUICK_EPOCHS` epochs only (smoke tests).
    inceptiontime_epochs : int, default=30
        Epochs of InceptionTime when ``quick`` is False.
    random_state : int, default=0
        Seed passed to the estimator.
    recorder : FitRecorder, optional
        Callback that keeps the fitted skorch nets of the deep models of this
        package (ignored by the sktime peers).

    Returns
    -------
    sktime BaseClassifier
        An unfitted estimator.

    Raises
    ------
    ValueError
        If ``name`` is not one of :data:`MODEL_NAMES`.

    Examples
    --------
    >>> from sktime_ecoscale.benchmarking import make_estimator
    >>> est = make_estimator("ecoscale", quick=True)
    >>> type(est).__name__, est.get_params()["max_epochs"]
    ('EcoScaleClassifier', 2)
    >>> type(make_estimator("minirocket")).__name__
    'RocketClassifier'
    """
    if name == "ecoscale":
        from sktime_ecoscale import EcoScaleClassifier

        est = EcoScaleClassifier(random_state=random_state, callbacks=_recorder_callbacks(recorder))
    elif name == "omniscale":
        from sktime_ecoscale import OmniScaleClassifier

        est = OmniScaleClassifier(
            max_epochs=OMNISCALE_MAX_EPOCHS,
            random_state=random_state,
            callbacks=_recorder_callbacks(recorder, OMNISCALE_TIME_BUDGET_S),
        )
    elif name == "minirocket":
        from sktime.classification.kernel_based import RocketClassifier

        return RocketClassifier(rocket_transform="minirocket", random_state=random_state)
    elif name == "inceptiontime":
        from sktime.classification.deep_learning import InceptionTimeClassifierTorch

        epochs = QUICK_EPOCHS if quick else inceptiontime_epochs
        # verbose only prints the epoch loss, which is its training curve here
        return InceptionTimeClassifierTorch(
            num_epochs=epochs, batch_size=32, random_state=random_state, verbose=True
        )
    else:
        raise ValueError(f"model must be one of {MODEL_NAMES}, got {name!r}")
    if quick:
        est.set_params(max_epochs=QUICK_EPOCHS)
    return est


def parse_epoch_losses(text: str) -> list[list[float]]:
    """Epoch losses printed by sktime's torch classifiers, one list per fit."""
    runs: list[list[float]] = []
    for match in re.finditer(r"Epoch (\d+): Loss: ([-+0-9.eE]+|nan)", text):
        if int(match.group(1)) == 1:
            runs.append([])
        if runs:
            runs[-1].append(float(match.group(2)))
    return runs


@contextlib.contextmanager
def capture_stdout():
    """Collect what is printed (sktime's torch classifiers print their losses)."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        yield buffer


# ------------------------------------------------------------------ cost
def count_parameters(module) -> int:
    """Number of parameters of a torch module."""
    return int(sum(p.numel() for p in module.parameters()))


def _minirocket_cost(X_train, n_classes: int) -> tuple[int, int, str]:
    """Fitted numbers and an operation estimate of MiniRocket + ridge per series."""
    from sktime.transformations.panel.rocket import MiniRocketMultivariate

    transform = MiniRocketMultivariate(random_state=0).fit(X_train[: min(len(X_train), 64)])
    n_per_combo, channel_idx, dilations, n_feat_per_dil, biases = transform.parameters
    n_features = len(biases)
    n_channels, length = X_train.shape[1], X_train.shape[2]
    out = 1 if n_classes == 2 else n_classes
    # learned numbers: the bias quantiles, StandardScaler scales, ridge weights
    params = n_features + n_features + out * (n_features + 1)
    # additions/comparisons counted as FLOPs: per dilation the 9-tap sums of
    # every channel (2 * 9 * C * L), per kernel the channel sum and 3 adds
    # (4 * c * L), per feature the PPV count (2 * L); ridge: 2 * out * features
    n_kernels = 84
    flops = len(dilations) * 18 * n_channels * length
    flops += int(4 * length * np.sum(n_per_combo)) if len(n_per_combo) else 0
    flops += n_features * 2 * length + 2 * out * n_features
    return (
        int(params),
        int(flops),
        f"estimate: {n_kernels} kernels x {len(dilations)} dilations, {n_features} features",
    )


def model_cost(name: str, estimator, X_train, y_train, recorder=None, multilabel=False):
    """``(parameters, FLOPs per series, note)`` of a benchmarked model.

    Deep models: torch's parameter count and FLOP counter on one series of the
    training shape. sktime's peers fit one clone per label on multi-label
    ``y`` (vectorisation), so their counts are multiplied by the label count.
    """
    import torch

    from sktime_ecoscale.profiling import count_flops  # the project's one FLOP counter

    n_series, n_channels, length = X_train.shape
    n_labels = y_train.shape[1] if multilabel else 1
    if name in ("ecoscale", "omniscale"):
        module = recorder.nets[-1].module_
        x = torch.zeros(1, n_channels, length)
        return count_parameters(module), count_flops(module, x), "torch FLOP counter, one network"
    if name == "minirocket":
        n_classes = 2 if multilabel else len(np.unique(np.asarray(y_train)))
        params, flops, note = _minirocket_cost(X_train, n_classes)
        if multilabel:
            note += f"; x{n_labels} one-vs-rest clones"
        return params * n_labels, flops * n_labels, note
    if name == "inceptiontime":
        # build the network only (no training) for its size
        y_col = np.asarray(y_train.iloc[:, 0] if multilabel else y_train).reshape(-1)
        est = estimator.clone().set_params(num_epochs=1, verbose=False)
        idx = np.concatenate([np.flatnonzero(y_col == c)[:2] for c in np.unique(y_col)])
        est.fit(X_train[idx], y_col[idx])
        module = est.network
        x = torch.zeros(
            1, length, n_channels
        )  # InceptionTimeNetworkTorch takes (batch, time, channels)
        params, flops = count_parameters(module), count_flops(module, x)
        note = "torch FLOP counter, one network"
        if multilabel:
            note += f"; x{n_labels} one-vs-rest clones"
        return params * n_labels, flops * n_labels, note
    raise ValueError(f"unknown model {name!r}")
