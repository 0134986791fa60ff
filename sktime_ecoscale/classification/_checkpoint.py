"""Resumable training on skorch's ``Checkpoint``: the full training state after every epoch.

skorch's :class:`~skorch.callbacks.Checkpoint` writes the module, optimiser
and history files; :class:`TrainingCheckpoint` adds only what an exact,
crash-safe resume needs and skorch lacks:

* **crash safety.** Every save writes a new *generation* of skorch's files
  (the epoch as ``fn_prefix``: ``3_params.pt``, ``3_optimizer.pt``,
  ``3_history.json``), flushes them to disk, and then commits by replacing
  one small file, ``checkpoint.pt``, atomically (temporary file, ``fsync``,
  ``os.replace``); older generations are removed after the commit. A run
  killed at any moment (``SIGKILL``, power loss, a pre-empted job) leaves the
  last committed epoch whole, never a half-written one.
* **the rest of the state**: the random generators (torch, numpy, Python:
  shuffling, dropout and augmentation draw from them) and the early-stopping
  state (misses, best loss, best weights), in the commit file. The learning
  rate schedule is a pure function of the history's length
  (:class:`~sktime_ecoscale.classification._skorch.StepLRSchedule`).
* **a fingerprint** of the hyperparameters and data in the commit file,
  checked before any tensor is read: a checkpoint of another fit is refused.

A later ``fit`` with the same hyperparameters and data restores it with
skorch's own :meth:`~skorch.net.NeuralNet.load_params` (``weights_only``
loading), so on CPU the resumed run ends bit-identical to an uninterrupted
one. skorch's ``LoadInitState`` is not used: it loads whatever files it finds
and ignores a missing one, where a resumable fit must refuse a foreign or
damaged checkpoint. Every file holds only tensors, plain Python values or
JSON: loading a checkpoint never runs code.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import warnings
from pathlib import Path

import numpy as np
import torch
from skorch.callbacks import Checkpoint, EarlyStopping

__all__ = ["TrainingCheckpoint", "make_checkpoint", "fit_resumable", "warn_if_interrupted"]

#: Name of the commit file inside ``checkpoint_dir``; it names the generation to resume.
CHECKPOINT_FILE = "checkpoint.pt"
#: Version of the checkpoint layout; bump when its keys change (2: skorch's files).
CHECKPOINT_FORMAT = 2
#: skorch's files of one generation: ``<generation>_<name>``.
_GENERATION_FILE = re.compile(r"^(\d+(?:-final)?)_(params\.pt|optimizer\.pt|history\.json)$")
#: Parameters that change neither the trained weights nor the data seen.
_NOT_FINGERPRINTED = ("checkpoint_dir", "verbose", "callbacks", "predict_batch_size")


def atomic_write(path: Path, write) -> None:
    """Call ``write(file)`` on a temporary sibling of ``path``, fsync, then rename it to ``path``.

    Readers see either the old file or the complete new one, whatever
    happens in between.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    _fsync_directory(path.parent)


def _fsync_directory(folder: Path) -> None:
    """Make renames and new files in ``folder`` durable (POSIX; a no-op elsewhere)."""
    if hasattr(os, "O_DIRECTORY"):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _fsync_file(path: Path) -> None:
    with open(path, "r+b") as f:  # a writable handle: Windows refuses fsync on read-only ones
        os.fsync(f.fileno())


def _fingerprint_fields(estimator, train_ds, valid_ds, train_targets) -> dict:
    """What a checkpoint must agree on to be resumed: settings and data."""
    from sktime_ecoscale.classification._finetune import describe_init_model
    from sktime_ecoscale.classification._jsonsafe import encode_params

    params = {
        k: v for k, v in estimator.get_params(deep=False).items() if k not in _NOT_FINGERPRINTED
    }
    params["init_model"] = describe_init_model(params.get("init_model"))
    targets = np.ascontiguousarray(train_targets)
    return {
        "estimator": type(estimator).__name__,
        "params": json.dumps(encode_params(params), sort_keys=True),
        "device": str(estimator.device_),
        "data": json.dumps(
            {
                "n_train": len(train_ds),
                "n_valid": 0 if valid_ds is None else len(valid_ds),
                "n_channels": int(estimator.n_channels_),
                "seq_len": int(estimator.seq_len_),
                "targets": estimator.target_encoder_.to_config(),
                "labels_sha256": hashlib.sha256(targets.tobytes()).hexdigest(),
            },
            sort_keys=True,
            default=str,
        ),
    }


class TrainingCheckpoint(Checkpoint):
    """skorch ``Checkpoint`` after every epoch, crash-safe and with the whole training state.

    Placed last among the callbacks, so that it records the state the others
    (early stopping in particular) reached at the end of the epoch. See the
    module docstring for what it adds to skorch's.

    Parameters
    ----------
    directory : str or Path
        Folder of the checkpoint (created if needed).
    fields : dict of str
        Fingerprint of hyperparameters and data; a checkpoint with other
        fields is refused.
    """

    def __init__(self, directory, fields: dict):
        super().__init__(
            monitor=None,  # every epoch
            f_params="params.pt",
            f_optimizer="optimizer.pt",
            f_criterion=None,
            f_history="history.json",
            dirname=str(directory),
            event_name=None,
            load_best=False,
        )
        self.directory = directory
        self.fields = fields

    @property
    def path(self) -> Path:
        """The commit file."""
        return Path(self.directory) / CHECKPOINT_FILE

    # ------------------------------------------------------------- reading
    def load(self) -> dict | None:
        """Return the committed state, ``None`` if there is none; refuse a foreign one."""
        if not self.path.exists():
            return None
        try:
            state = torch.load(self.path, map_location="cpu", weights_only=True)
        except Exception as err:  # truncated, corrupt or unsafe content
            # torch's own message suggests weights_only=False: never for us
            raise self._damaged(err) from err
        if not isinstance(state, dict) or state.get("format") != CHECKPOINT_FORMAT:
            raise ValueError(
                f"{self.path}: not a checkpoint of format {CHECKPOINT_FORMAT}; "
                "delete it or choose another checkpoint_dir."
            )
        saved = json.loads(state["fields"])
        differ = sorted(
            k for k in set(saved) | set(self.fields) if saved.get(k) != self.fields.get(k)
        )
        if differ:
            raise ValueError(
                f"{self.path} was written by a fit with different {' and '.join(differ)}; "
                "resume with the same hyperparameters and data, or use another "
                "checkpoint_dir (or delete this one) to start afresh."
            )
        return state

    def restore(self, net, state: dict) -> None:
        """Put ``net`` (initialised) and the random generators back into ``state``."""
        self.fn_prefix = f"{state['generation']}_"
        try:
            net.load_params(checkpoint=self)  # skorch: module, optimiser, history
        except Exception as err:  # a generation file missing or damaged
            raise self._damaged(err) from err
        for name, cb in net.callbacks_:
            saved = state["early_stopping"].get(name)
            if isinstance(cb, EarlyStopping) and saved is not None:
                cb.misses_ = int(saved["misses"])
                cb.dynamic_threshold_ = float(saved["threshold"])
                cb.best_epoch_ = int(saved["best_epoch"])
                cb.best_model_weights_ = saved["best_weights"]
        _set_rng_state(state["rng"])

    def _damaged(self, err: Exception) -> ValueError:
        return ValueError(
            f"{self.path}: cannot read the training checkpoint ({type(err).__name__}); "
            "it is damaged or was not written by sktime-ecoscale. Delete it to start "
            "training afresh."
        )

    # ------------------------------------------------------------- writing
    def save(self, net, finished: bool = False) -> None:
        """Write a new generation of skorch's files, then commit it atomically."""
        generation = f"{len(net.history)}{'-final' if finished else ''}"
        self.fn_prefix = f"{generation}_"
        super().save_model(net)  # skorch: params, optimizer, history under the new prefix
        self.commit(net, generation, finished)

    def commit(self, net, generation: str, finished: bool) -> None:
        """Flush ``generation``'s files, point the commit file at it, remove older ones."""
        folder = Path(self.directory)
        for name in self._file_names():  # on disk before the commit that points to them
            _fsync_file(folder / f"{generation}_{name}")
        _fsync_directory(folder)
        early_stopping = {
            name: {
                "misses": int(cb.misses_),
                "threshold": float(cb.dynamic_threshold_),
                "best_epoch": int(cb.best_epoch_),
                "best_weights": cb.best_model_weights_,
            }
            for name, cb in net.callbacks_
            if isinstance(cb, EarlyStopping) and getattr(cb, "misses_", None) is not None
        }
        state = {
            "format": CHECKPOINT_FORMAT,
            "fields": json.dumps(self.fields, sort_keys=True),
            "generation": generation,
            "epoch": len(net.history),
            "finished": bool(finished),
            "early_stopping": early_stopping,
            "rng": _get_rng_state(),
        }
        atomic_write(self.path, lambda f: torch.save(state, f))
        for path in folder.iterdir():  # the generations no commit points to any more
            match = _GENERATION_FILE.match(path.name)
            if match and match.group(1) != generation:
                path.unlink(missing_ok=True)

    def _file_names(self) -> list[str]:
        return [name for name in (self.f_params, self.f_optimizer, self.f_history) if name]

    def save_model(self, net):
        """skorch's per-epoch hook (``monitor=None``: every epoch)."""
        self.save(net)

    def _save_params(self, f, net, f_name, log_name):
        # skorch reports a failed write and carries on; a resumable run must
        # stop there instead of committing an incomplete generation
        if f_name != "f_history":
            net.save_params(**{f_name: f})
        elif getattr(getattr(net, "accelerator", None), "is_main_process", True):
            # skorch's History.to_file is a plain json.dump: numpy scalars that
            # a user callback records would stop the fit
            text = json.dumps(net.history.to_list(), default=_json_scalar)
            Path(f).write_text(text)

    def initialize(self):
        super().initialize()  # skorch: checks the file names, creates the folder
        self.pending_ = None
        return self

    def on_train_begin(self, net, **kwargs):
        # after EarlyStopping.on_train_begin (which resets it), before the first epoch
        if self.pending_ is not None:
            self.restore(net, self.pending_)
            self.pending_ = None

    def on_train_end(self, net, **kwargs):
        if stopped_normally(net):
            self.save(net, finished=True)  # the final (possibly best-restored) weights


def make_checkpoint(estimator, train_ds, valid_ds, train_targets) -> TrainingCheckpoint | None:
    """The checkpoint callback for ``estimator.checkpoint_dir``, or ``None`` without one."""
    if estimator.checkpoint_dir is None:
        return None
    if estimator.random_state is None:
        raise ValueError(
            "checkpoint_dir needs an integer random_state, so that a resumed fit sees the "
            "same validation split and shuffling; set e.g. random_state=0."
        )
    return TrainingCheckpoint(
        estimator.checkpoint_dir, _fingerprint_fields(estimator, train_ds, valid_ds, train_targets)
    )


def fit_resumable(net, train_ds, checkpoint: TrainingCheckpoint | None) -> None:
    """Train ``net`` on ``train_ds``, continuing from ``checkpoint`` when it holds a state."""
    state = None if checkpoint is None else checkpoint.load()
    if state is None:
        net.fit(train_ds, y=None)
        return
    net.initialize()
    if state["finished"]:
        checkpoint.restore(net, state)
        return
    checkpoint.pending_ = state  # applied in on_train_begin, after EarlyStopping resets
    net.partial_fit(train_ds, y=None, epochs=max(0, net.max_epochs - int(state["epoch"])))


def stopped_normally(net) -> bool:
    """Whether training ran all ``max_epochs`` or early stopping ended it."""
    if len(net.history) >= net.max_epochs and "train_loss" in net.history[-1]:
        return True
    return any(
        isinstance(cb, EarlyStopping) and getattr(cb, "misses_", 0) >= cb.patience
        for _, cb in net.callbacks_
    )


def warn_if_interrupted(net) -> None:
    """Warn when a KeyboardInterrupt (Ctrl-C) ended training early."""
    if stopped_normally(net):
        return
    epoch = len(net.history)
    warnings.warn(
        f"Training was interrupted (KeyboardInterrupt) at epoch {epoch} of {net.max_epochs}; "
        "the model is usable but holds the weights reached so far (the best ones if early "
        "stopping was on). With checkpoint_dir set, calling fit again resumes after the last "
        "completed epoch.",
        RuntimeWarning,
        stacklevel=3,
    )


# ----------------------------------------------------------------- helpers
def _json_scalar(value):
    """JSON fallback for numpy scalars in the history."""
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


def _get_rng_state() -> dict:
    """Torch, numpy and Python generator states as tensors and plain values."""
    name, keys, pos, has_gauss, cached = np.random.get_state()
    version, internal, gauss = random.getstate()
    state = {
        "torch": torch.get_rng_state(),
        "numpy": {
            "name": name,
            "keys": torch.from_numpy(keys.astype(np.int64)),
            "pos": int(pos),
            "has_gauss": int(has_gauss),
            "cached": float(cached),
        },
        "python": [int(version), [int(v) for v in internal], gauss],
    }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def _set_rng_state(state: dict) -> None:
    torch.set_rng_state(state["torch"])
    np_state = state["numpy"]
    np.random.set_state(
        (
            np_state["name"],
            np_state["keys"].numpy().astype(np.uint32),
            np_state["pos"],
            np_state["has_gauss"],
            np_state["cached"],
        )
    )
    version, internal, gauss = state["python"]
    random.setstate((version, tuple(internal), gauss))
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])
