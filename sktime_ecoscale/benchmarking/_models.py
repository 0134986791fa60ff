"""The benchmarked estimators and what each costs (parameters, FLOPs per series)."""

from __future__ import annotations

__all__ = ["MODEL_NAMES", "make_estimator", "model_cost", "fit_history", "FitRecorder"]

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
#: early, keeping its best validation weights, once a fit passes the time cap
#: (checked per batch, so a cap shorter than one epoch stops inside it).
OMNISCALE_MAX_EPOCHS = 10
OMNISCALE_TIME_BUDGET_S = 60.0


def _recorder_callbacks(recorder, time_budget=None):
    callbacks = [] if recorder is None else [("benchmark_recorder", recorder)]
    if time_budget is not None:
        callbacks.insert(0, ("time_budget", TimeBudget(time_budget)))
    return callbacks or None


class TimeBudget(Callback):
    """Stop training once ``seconds`` of wall clock have passed (checked per batch).

    Stops the way Ctrl-C does in skorch (``partial_fit`` catches the
    ``KeyboardInterrupt``), so ``on_train_end`` still runs and early stopping
    restores the best validation weights. Records ``stopped_by_time_budget``
    and the measured ``seconds_per_batch`` in the net's history, and an
    estimate of the seconds a whole epoch takes (``seconds_per_epoch``).
    """

    def __init__(self, seconds: float = 600.0):
        self.seconds = seconds

    def on_train_begin(self, net, X=None, **kwargs):
        self.start_ = time.perf_counter()
        self.batches_ = 0
        n = len(X) if X is not None and hasattr(X, "__len__") else 0
        self.epoch_batches_ = max(1, -(-n // int(net.batch_size))) if n else None

    def on_batch_end(self, net, training=False, **kwargs):
        if not training:
            return
        self.batches_ += 1
        elapsed = time.perf_counter() - self.start_
        if elapsed > self.seconds:
            per_batch = elapsed / self.batches_
            net.history.record("stopped_by_time_budget", True)
            net.history.record("seconds_per_batch", per_batch)
            if self.epoch_batches_:
                net.history.record("seconds_per_epoch", per_batch * self.epoch_batches_)
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
    full: bool = False,
    inceptiontime_epochs: int = 30,
    omniscale_seconds: float = OMNISCALE_TIME_BUDGET_S,
    random_state: int = 0,
    recorder: FitRecorder | None = None,
):
    """Return the sktime estimator benchmarked under ``name``.

    ``ecoscale`` and ``omniscale`` are this package's classifiers with their
    defaults (plus ``random_state``); ``minirocket`` is sktime's
    ``RocketClassifier(rocket_transform="minirocket")``; ``inceptiontime``
    sktime's ``InceptionTimeClassifierTorch(num_epochs, batch_size=32)``.
    ``quick`` cuts every deep model to :data:`QUICK_EPOCHS` epochs; ``full``
    gives every model its own defaults (OS-CNN without a time cap,
    InceptionTime its 1,500 epochs and batch 64: a publication run, hours on
    a CPU).

    Parameters
    ----------
    name : {"ecoscale", "omniscale", "minirocket", "inceptiontime"}
        The model, one of :data:`MODEL_NAMES`.
    quick : bool, default=False
        Train the deep models for :data:`QUICK_EPOCHS` epochs only (smoke tests).
    full : bool, default=False
        Every model with its own default budget (ignores the two below).
    inceptiontime_epochs : int, default=30
        Epochs of InceptionTime (stated budget; its default is 1,500).
    omniscale_seconds : float, default=OMNISCALE_TIME_BUDGET_S
        Wall-clock cap of one OS-CNN fit (checked per batch), at most
        :data:`OMNISCALE_MAX_EPOCHS` epochs.
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

        if full:
            est = OmniScaleClassifier(
                random_state=random_state, callbacks=_recorder_callbacks(recorder)
            )
        else:
            est = OmniScaleClassifier(
                max_epochs=OMNISCALE_MAX_EPOCHS,
                random_state=random_state,
                callbacks=_recorder_callbacks(recorder, omniscale_seconds),
            )
    elif name == "minirocket":
        from sktime.classification.kernel_based import RocketClassifier

        return RocketClassifier(rocket_transform="minirocket", random_state=random_state)
    elif name == "inceptiontime":
        from sktime.classification.deep_learning import InceptionTimeClassifierTorch

        # verbose only prints the epoch loss, which is its training curve here
        if full and not quick:
            return InceptionTimeClassifierTorch(random_state=random_state, verbose=True)
        epochs = QUICK_EPOCHS if quick else inceptiontime_epochs
        return InceptionTimeClassifierTorch(
            num_epochs=epochs, batch_size=32, random_state=random_state, verbose=True
        )
    else:
        raise ValueError(f"model must be one of {MODEL_NAMES}, got {name!r}")
    if quick:
        est.set_params(max_epochs=QUICK_EPOCHS)
    return est


def fit_history(name: str, recorder, printed: str) -> dict:
    """Per-epoch losses of one fit, and whether a time budget stopped it.

    Our models: the fitted skorch net's history (kept by ``recorder``);
    sktime's InceptionTime: the losses it prints with ``verbose=True``.
    """
    if name in ("ecoscale", "omniscale") and recorder is not None and recorder.nets:
        rows = list(recorder.nets[-1].history)
        out = {
            "train_loss": [float(r["train_loss"]) for r in rows if "train_loss" in r],
            "valid_loss": [float(r["valid_loss"]) for r in rows if "valid_loss" in r],
        }
        stopped = [r for r in rows if r.get("stopped_by_time_budget")]
        if stopped:
            out["budget_limited"] = True
            out["seconds_per_epoch"] = stopped[-1].get("seconds_per_epoch")
        durations = [float(r["dur"]) for r in rows if "dur" in r and "train_loss" in r]
        if durations and "seconds_per_epoch" not in out:
            out["seconds_per_epoch"] = float(np.median(durations))
        return out
    runs = parse_epoch_losses(printed)
    if not runs:
        return {}
    n = min(len(r) for r in runs)
    note = f"mean of {len(runs)} clones" if len(runs) > 1 else ""
    return {
        "train_loss": np.mean([r[:n] for r in runs], axis=0).tolist(),
        "valid_loss": [],
        "note": note,
    }


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
