"""The benchmarked estimators and what each costs (parameters, FLOPs per series)."""

from __future__ import annotations

__all__ = [
    "MODEL_NAMES",
    "make_estimator",
    "fit_history",
    "FitRecorder",
    "time_boxed_inceptiontime",
]

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
OMNISCALE_TIME_BUDGET_S = 45.0
#: InceptionTime's budget in the benchmark: at most this many epochs, and no
#: epoch started after this many seconds of one fit (one clone per label on
#: multi-label tasks). One epoch on the 353 PTB-XL records takes 16-25 s on
#: 2 cores, its 1,500 default epochs would take hours.
INCEPTIONTIME_EPOCHS = 30
INCEPTIONTIME_TIME_BUDGET_S = 30.0
#: EcoScale's networks in the budgeted run: one, as one InceptionTime network
#: (the default, ``n_networks="auto"``, trains three up to 1,000 series: 3x the fit).
ECOSCALE_NETWORKS = 1


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


def time_boxed_inceptiontime(seconds: float):
    """sktime's ``InceptionTimeClassifierTorch``, starting no epoch after ``seconds`` of a fit.

    sktime's torch classifiers take no training callbacks, so the budget is a
    subclass whose ``_run_epoch`` skips the epochs left once a fit has run
    ``seconds`` (its optimiser has no schedule, so stopping early is simply
    fewer epochs). The cap is a class attribute so that sktime's clones (one
    per label on multi-label ``y``) keep it; the class is named after it
    (``InceptionTimeWithin60s``), so the report and the reuse check see it.
    The network, its training and its predictions are sktime's own.

    Examples
    --------
    >>> from sktime_ecoscale.benchmarking._models import time_boxed_inceptiontime
    >>> est = time_boxed_inceptiontime(60)(num_epochs=30)
    >>> type(est).__name__, type(est.clone()).max_seconds
    ('InceptionTimeWithin60s', 60.0)
    """
    from sktime.classification.deep_learning import InceptionTimeClassifierTorch

    name = f"InceptionTimeWithin{int(round(seconds))}s"
    if name in globals():
        return globals()[name]

    def _fit(self, X, y):
        self._budget_start, self._budget_epoch = time.perf_counter(), None
        return InceptionTimeClassifierTorch._fit(self, X, y)

    def _run_epoch(self, epoch, dataloader):
        elapsed = time.perf_counter() - self._budget_start
        if epoch > 0 and elapsed > self.max_seconds:
            if self._budget_epoch is None:  # say it once per fit
                self._budget_epoch = epoch
                print(
                    f"Time budget: stopped after {epoch} epochs, {elapsed / epoch:.3f} s per epoch"
                )
            return None
        return InceptionTimeClassifierTorch._run_epoch(self, epoch, dataloader)

    cls = type(
        name,
        (InceptionTimeClassifierTorch,),
        {
            "max_seconds": float(seconds),
            "_fit": _fit,
            "_run_epoch": _run_epoch,
            "__module__": __name__,
        },
    )
    globals()[name] = cls  # importable by name (pickle, spawned workers)
    return cls


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
    inceptiontime_epochs: int = INCEPTIONTIME_EPOCHS,
    inceptiontime_seconds: float | None = INCEPTIONTIME_TIME_BUDGET_S,
    omniscale_seconds: float = OMNISCALE_TIME_BUDGET_S,
    ecoscale_networks: int | None = ECOSCALE_NETWORKS,
    random_state: int = 0,
    recorder: FitRecorder | None = None,
):
    """Return the sktime estimator benchmarked under ``name``.

    Without ``full`` every deep model runs on a stated budget, so that the
    default suite fits in minutes on 2 cores: ``ecoscale`` is
    ``EcoScaleClassifier`` with ``ecoscale_networks`` networks (its own
    recipe otherwise), ``omniscale`` ``OmniScaleClassifier`` stopped at
    ``omniscale_seconds``, ``inceptiontime`` sktime's
    ``InceptionTimeClassifierTorch(num_epochs, batch_size=32)`` starting no
    epoch after ``inceptiontime_seconds``; ``minirocket`` is sktime's
    ``RocketClassifier(rocket_transform="minirocket")`` (no budget needed).
    ``quick`` cuts every deep model to :data:`QUICK_EPOCHS` epochs; ``full``
    gives every model its own defaults (EcoScale's ensemble, OS-CNN without a
    time cap, InceptionTime its 1,500 epochs and batch 64: a publication
    run, hours on a CPU).

    Parameters
    ----------
    name : {"ecoscale", "omniscale", "minirocket", "inceptiontime"}
        The model, one of :data:`MODEL_NAMES`.
    quick : bool, default=False
        Train the deep models for :data:`QUICK_EPOCHS` epochs only (smoke tests).
    full : bool, default=False
        Every model with its own default budget (ignores the two below).
    inceptiontime_epochs : int, default=INCEPTIONTIME_EPOCHS
        Epochs of InceptionTime (stated budget; its default is 1,500).
    inceptiontime_seconds : float or None, default=INCEPTIONTIME_TIME_BUDGET_S
        No InceptionTime epoch starts after this many seconds of a fit
        (:func:`time_boxed_inceptiontime`); ``None``: all epochs.
    omniscale_seconds : float, default=OMNISCALE_TIME_BUDGET_S
        Wall-clock cap of one OS-CNN fit (checked per batch), at most
        :data:`OMNISCALE_MAX_EPOCHS` epochs.
    ecoscale_networks : int or None, default=ECOSCALE_NETWORKS
        ``n_networks`` of EcoScale; ``None``: its default rule.
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
    >>> make_estimator("ecoscale").get_params()["n_networks"]   # the budgeted run: one network
    1
    >>> type(make_estimator("inceptiontime")).__name__
    'InceptionTimeWithin30s'
    """
    if name == "ecoscale":
        from sktime_ecoscale import EcoScaleClassifier

        networks = {} if full or ecoscale_networks is None else {"n_networks": ecoscale_networks}
        est = EcoScaleClassifier(
            random_state=random_state, callbacks=_recorder_callbacks(recorder), **networks
        )
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
        if inceptiontime_seconds is not None and not quick:
            InceptionTimeClassifierTorch = time_boxed_inceptiontime(inceptiontime_seconds)  # noqa: N806
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
    out = {
        "train_loss": np.mean([r[:n] for r in runs], axis=0).tolist(),
        "valid_loss": [],
        "note": note,
    }
    stops = re.findall(r"Time budget: stopped after \d+ epochs, ([0-9.]+) s per epoch", printed)
    if stops:  # time_boxed_inceptiontime's line
        out["budget_limited"] = True
        out["seconds_per_epoch"] = float(np.median([float(s) for s in stops]))
    return out


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
