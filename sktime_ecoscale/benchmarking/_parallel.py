"""Fitting the benchmark's (task, model, seed) pairs in worker processes.

sktime's ``ClassificationBenchmark`` fits its grid one pair after the other in
one process, and small convolutional networks use a second core poorly. Here
``n_jobs`` worker processes (one torch thread each when the cores are shared
out) fit the pairs ahead of it, largest first; sktime's run loop stays the
one owner of the results file: its per-pair hook
(:meth:`SuiteBenchmark._run_validation`) takes a pair's scores from the worker
that fitted it instead of fitting it again. Each worker also writes its pair's
scores to ``out/pairs/`` as soon as it has them, so a run killed midway
reuses on the rerun every pair a worker finished, even one sktime had not
stored yet.
"""

from __future__ import annotations

__all__ = ["PairPool", "forget_pairs", "pair_cost", "read_pair"]

import hashlib
import json
import os
import threading
import time
from concurrent.futures import Future
from pathlib import Path

from sktime_ecoscale.classification._jsonsafe import json_default

#: Folder of the per-pair scores inside the benchmark's output folder.
PAIRS = "pairs"

# the worker's suite, loaded once per process by _init_worker
_WORKER: dict = {}


def pair_cost(task, model: str) -> float:
    """A rough relative cost of fitting ``model`` on ``task``, to start the largest first.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale.benchmarking import BenchmarkTask
    >>> task = BenchmarkTask("t", np.zeros((4, 2, 10)), ["a", "b"] * 2, np.array([-1, -1, 0, 0]), "")
    >>> pair_cost(task, "ecoscale") > pair_cost(task, "minirocket")
    True
    """
    n_train, n_channels, length = task.n_train, task.X.shape[1], task.X.shape[2]
    clones = task.y.shape[1] if task.multilabel and model != "ecoscale" else 1
    weight = 0.05 if model == "minirocket" else 1.0
    return weight * clones * n_train * n_channels * length


def _pair_file(out: Path, key: str) -> Path:
    return Path(out) / PAIRS / (hashlib.sha1(key.encode()).hexdigest()[:16] + ".json")


def _parse(text: str, key: str, description: str | None):
    stored = json.loads(text)
    if stored.get("key") != key:
        return None
    if description is not None and stored["record"].get("description") != description:
        return None  # a run of another configuration of the model left it
    return {int(k): v for k, v in stored["folds"].items()}, stored["record"]


def read_pair(out: Path, key: str, description: str | None = None):
    """``(fold scores, record)`` a worker stored for ``key``, or ``None``.

    With ``description``, only a pair fitted by that estimator configuration.
    """
    path = _pair_file(out, key)
    return _parse(path.read_text(), key, description) if path.exists() else None


def _exit_with(parent: int) -> None:
    """Watchdog of a worker: end it once its parent process is gone (killed, crashed)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)  # the pair being fitted is lost; finished pairs are in their files


def _init_worker(suite_args: dict, threads: int) -> None:
    import torch

    from sktime_ecoscale.benchmarking._suite import load_benchmark_suite

    # a killed run must not leave workers fitting on
    threading.Thread(target=_exit_with, args=(os.getppid(),), daemon=True).start()
    torch.set_num_threads(threads)
    suite = load_benchmark_suite(**suite_args)
    _WORKER["tasks"] = {st.task_id: st.task for st in suite}


def _fit_pair(out: str, key: str, task_id: str, name: str, seed: int, options: dict):
    """Fit and score one pair in a worker; store and return ``(fold scores, record)``."""
    from sktime_ecoscale.benchmarking._bench import benchmarked_model, fit_and_score

    est, fit = benchmarked_model(name, seed, options)
    folds, record = fit_and_score(est, _WORKER["tasks"][task_id], fit)
    text = json.dumps({"key": key, "folds": folds, "record": record}, default=json_default)
    path = _pair_file(Path(out), key)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)  # atomic: a pair file is whole or absent
    return _parse(text, key, None)  # what a reader of the file gets


class PairPool:
    """Worker processes fitting the pairs left, largest first.

    Parameters
    ----------
    out : Path
        The benchmark's output folder (pair files go to ``out/pairs/``).
    n_jobs : int
        Worker processes.
    suite_args : dict
        Keyword arguments of ``load_benchmark_suite`` (each worker loads the suite once).
    options : dict
        Keyword arguments of ``make_estimator`` besides the model, seed and recorder.
    """

    def __init__(self, out: Path, n_jobs: int, suite_args: dict, options: dict):
        self.out = Path(out)
        (self.out / PAIRS).mkdir(parents=True, exist_ok=True)
        # joblib's loky executor: fresh interpreters (no forked torch thread pools)
        # that, unlike multiprocessing's spawn, do not re-run an unguarded __main__
        from joblib.externals.loky import ProcessPoolExecutor

        threads = max(1, (os.cpu_count() or 1) // n_jobs)
        self.executor = ProcessPoolExecutor(
            max_workers=n_jobs, initializer=_init_worker, initargs=(suite_args, threads)
        )
        self.options = options
        self.futures: dict[str, Future] = {}

    def submit(self, pairs, on_done=None) -> None:
        """Start ``(cost, key, task_id, name, seed, description)`` pairs, largest cost first.

        A pair whose file a finished worker left (a killed run) is not started
        again if it came from the same estimator ``description``.

        ``on_done(task_id, model_id)`` is called as each worker finishes
        (from the executor's thread; progress bars).
        """
        for _, key, task_id, name, seed, description in sorted(pairs, key=lambda p: -p[0]):
            if read_pair(self.out, key, description) is None:
                future = self.executor.submit(
                    _fit_pair, str(self.out), key, task_id, name, seed, self.options
                )
                if on_done is not None:
                    future.add_done_callback(lambda _, k=key: on_done(*k.split("|", 1)))
                self.futures[key] = future

    def result(self, key: str):
        """The pair's ``(fold scores, record)``, waited for; ``None`` if no worker fits it."""
        future = self.futures.get(key)
        return None if future is None else future.result()

    def close(self, cancel: bool = False) -> None:
        """Stop the workers (``cancel``: without waiting for the pairs they are fitting)."""
        # loky fails the pending futures itself (cancelling them here breaks its manager thread)
        self.executor.shutdown(wait=not cancel, kill_workers=cancel)


def forget_pairs(out: Path, keys) -> None:
    """Remove the pair files of ``keys`` in the output folder ``out``."""
    for key in keys:
        _pair_file(Path(out), key).unlink(missing_ok=True)
