"""Resumable training: SIGKILL mid-run then resume equals an uninterrupted run (CPU)."""

import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from skorch.callbacks import Callback

from sktime_ecoscale import EcoScaleClassifier
from sktime_ecoscale.classification._checkpoint import CHECKPOINT_FILE, atomic_write

# One fit script, three modes: "full" (no checkpoint), "kill" (checkpoint, and
# SIGKILL in the middle of epoch 2, after epoch 1 was saved), "resume".
FIT_SCRIPT = textwrap.dedent(
    """
    import os, signal, sys, warnings
    import numpy as np
    import torch
    from skorch.callbacks import Callback
    from sktime_ecoscale import EcoScaleClassifier

    warnings.simplefilter("ignore")
    torch.set_num_threads(1)
    mode, ckpt, out = sys.argv[1], sys.argv[2], sys.argv[3]

    class KillDuring(Callback):
        def __init__(self, epoch):
            self.epoch = epoch

        def on_batch_end(self, net, training=False, **kwargs):
            if training and len(net.history) == self.epoch:
                os.kill(os.getpid(), signal.SIGKILL)

    rng = np.random.default_rng(0)
    X = rng.normal(size=(24, 2, 32)).astype("float32")
    y = np.array([0, 1] * 12)
    X[y == 1, 0] += 1.0
    clf = EcoScaleClassifier(
        widths=(4, 4, 8, 8), max_epochs=3, batch_size=6, valid_size=0.25, patience=5,
        device="cpu", random_state=0, checkpoint_dir=None if mode == "full" else ckpt,
        callbacks=[KillDuring(2)] if mode == "kill" else None,
    )
    clf.fit(X, y)
    state = clf.net_.module_.state_dict().values()
    weights = np.concatenate([v.detach().double().numpy().ravel() for v in state])
    np.savez(out, proba=clf.predict_proba(X), weights=weights, epochs=len(clf.history_))
    """
)


def _run(script, *args):
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [sys.executable, str(script), *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_sigkill_then_resume_is_bit_identical(tmp_path):
    script = tmp_path / "fit.py"
    script.write_text(FIT_SCRIPT)
    ckpt = tmp_path / "ckpt"

    full = _run(script, "full", ckpt, tmp_path / "full.npz")
    assert full.returncode == 0, full.stderr

    killed = _run(script, "kill", ckpt, tmp_path / "killed.npz")
    assert killed.returncode == -signal.SIGKILL
    assert not (tmp_path / "killed.npz").exists()
    # the commit file and skorch's files of the committed epoch: no temp file, no older epoch
    assert sorted(p.name for p in ckpt.iterdir()) == [
        "1_history.json",
        "1_optimizer.pt",
        "1_params.pt",
        CHECKPOINT_FILE,
    ]
    import torch

    saved = torch.load(ckpt / CHECKPOINT_FILE, weights_only=True)
    assert saved["epoch"] == 1 and saved["generation"] == "1" and not saved["finished"]

    resumed = _run(script, "resume", ckpt, tmp_path / "resumed.npz")
    assert resumed.returncode == 0, resumed.stderr
    a, b = np.load(tmp_path / "full.npz"), np.load(tmp_path / "resumed.npz")
    assert int(a["epochs"]) == int(b["epochs"]) == 3
    assert np.array_equal(a["weights"], b["weights"])
    assert np.array_equal(a["proba"], b["proba"])


def _data(n=16, length=32):
    rng = np.random.default_rng(1)
    return rng.normal(size=(n, 2, length)).astype("float32"), np.array([0, 1] * (n // 2))


def _clf(**kwargs):
    params = dict(
        widths=(4, 4, 8, 8),
        max_epochs=2,
        batch_size=8,
        valid_size=0.0,
        device="cpu",
        random_state=0,
    )
    params.update(kwargs)
    return EcoScaleClassifier(**params)


def test_finished_checkpoint_reloads_and_other_settings_are_refused(tmp_path):
    X, y = _data()
    first = _clf(checkpoint_dir=tmp_path).fit(X, y)
    again = _clf(checkpoint_dir=tmp_path).fit(X, y)  # finished: restored, no training
    assert np.array_equal(first.predict_proba(X), again.predict_proba(X))
    assert len(again.history_) == 2
    with pytest.raises(ValueError, match="different params"):
        _clf(checkpoint_dir=tmp_path, lr=1e-2).fit(X, y)
    with pytest.raises(ValueError, match="different data"):
        _clf(checkpoint_dir=tmp_path).fit(X[:-2], y[:-2])


def test_checkpoint_needs_random_state(tmp_path):
    X, y = _data()
    with pytest.raises(ValueError, match="integer random_state"):
        _clf(checkpoint_dir=tmp_path, random_state=None).fit(X, y)


def test_damaged_generation_file_is_refused_not_skipped(tmp_path):
    X, y = _data()
    _clf(checkpoint_dir=tmp_path).fit(X, y)
    (params,) = tmp_path.glob("*_params.pt")
    params.write_bytes(b"half a tensor")  # e.g. a disk that lost the file's content
    with pytest.raises(ValueError, match=f"{CHECKPOINT_FILE}: cannot read.*Delete it"):
        _clf(checkpoint_dir=tmp_path).fit(X, y)


def test_corrupt_checkpoint_names_the_file(tmp_path):
    X, y = _data()
    (tmp_path / CHECKPOINT_FILE).write_bytes(b"not a checkpoint")
    with pytest.raises(ValueError, match=f"{CHECKPOINT_FILE}: cannot read.*Delete it"):
        _clf(checkpoint_dir=tmp_path).fit(X, y)


class _CtrlC(Callback):
    """Simulates Ctrl-C in the middle of epoch 2."""

    def on_batch_end(self, net, training=False, **kwargs):
        if training and len(net.history) == 2:
            raise KeyboardInterrupt


def test_ctrl_c_leaves_a_usable_model_and_warns():
    X, y = _data()
    clf = _clf(max_epochs=4, callbacks=[_CtrlC()])
    with pytest.warns(RuntimeWarning, match="interrupted .* at epoch 2 of 4"):
        clf.fit(X, y)
    assert clf.is_fitted and not clf.net_.module_.training
    assert clf.predict_proba(X).shape == (len(X), 2)


def test_atomic_write_keeps_old_file_on_failure(tmp_path):
    target = tmp_path / "state.bin"
    atomic_write(target, lambda f: f.write(b"old"))

    def crash(f):
        f.write(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        atomic_write(target, crash)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["state.bin"]


class _NumpyScalar(Callback):
    """Records a numpy float32 in the history, as user scoring callbacks do."""

    def on_epoch_end(self, net, **kwargs):
        net.history.record("margin", np.float32(0.5))


def test_checkpoint_writes_a_history_with_numpy_scalars(tmp_path):
    X, y = _data()
    clf = _clf(checkpoint_dir=tmp_path, callbacks=[_NumpyScalar()]).fit(X, y)
    again = _clf(checkpoint_dir=tmp_path, callbacks=[_NumpyScalar()]).fit(X, y)  # restored
    assert again.history_[-1, "margin"] == 0.5 == clf.history_[-1, "margin"]
