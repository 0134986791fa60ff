"""Benchmark data: a data set spec turned into tasks with one fixed train/test split."""

from __future__ import annotations

__all__ = ["BenchmarkTask", "BenchmarkData", "load_benchmark_data", "default_data_spec", "SPLITS"]

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

#: PTB-XL splits. "reference": folds 1-8 -> 9+10, the split of the figures quoted
#: in issue 5 (and a test set of 147 instead of 66 records). "official": folds
#: 1-9 -> 10; fold 9 is training data for every model because ``fit(X, y)``
#: (what sktime's ``evaluate`` calls) takes no validation set; the deep
#: classifiers hold out their own ``valid_size`` of it for early stopping.
SPLITS = {
    "reference": ((1, 2, 3, 4, 5, 6, 7, 8), (9, 10)),
    "official": ((1, 2, 3, 4, 5, 6, 7, 8, 9), (10,)),
}
PTBXL_TASKS = ("norm", "superclass")
# Multi-label sets without folds: labels rarer than this cannot be scored
# (AUROC needs both classes in the test part), so they are dropped.
_MIN_POSITIVES = 5


@dataclass
class BenchmarkTask:
    """One classification task on one fixed split.

    ``test_fold`` follows :class:`sklearn.model_selection.PredefinedSplit`:
    ``-1`` marks training series, ``0`` test series.

    Parameters
    ----------
    name : str
        Task name, e.g. ``"norm"`` or ``"superclass"``.
    X : np.ndarray of shape (n, n_channels, length)
        The series.
    y : np.ndarray of shape (n,) or pd.DataFrame of shape (n, n_labels)
        Class labels, or 0/1 label columns when ``multilabel``.
    test_fold : np.ndarray of shape (n,)
        ``-1`` for training series, ``0`` for test series.
    split : str
        Sentence describing the split.
    multilabel : bool, default=False
        Whether ``y`` holds several 0/1 label columns.

    Attributes
    ----------
    n_train, n_test : int
        Number of training and test series.
    labels : list
        Label columns (multi-label) or sorted classes (single label).

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale.benchmarking import BenchmarkTask
    >>> task = BenchmarkTask("toy", np.zeros((4, 2, 8)), np.array(["b", "a", "a", "b"]),
    ...                      np.array([-1, -1, 0, 0]), "2 -> 2")
    >>> task.n_train, task.n_test
    (2, 2)
    >>> ", ".join(task.labels)
    'a, b'
    """

    name: str
    X: np.ndarray
    y: np.ndarray | pd.DataFrame
    test_fold: np.ndarray
    split: str
    multilabel: bool = False

    @property
    def n_train(self) -> int:
        return int(np.sum(self.test_fold == -1))

    @property
    def n_test(self) -> int:
        return int(np.sum(self.test_fold == 0))

    @property
    def labels(self) -> list:
        """Label columns (multi-label) or sorted classes (single label)."""
        if self.multilabel:
            return list(self.y.columns)
        return sorted(pd.unique(np.asarray(self.y)))


@dataclass
class BenchmarkData:
    """Tasks read from one data source, and a sentence saying what it is.

    Returned by :func:`load_benchmark_data`.

    Parameters
    ----------
    name : str
        Short name of the data source, e.g. ``"PTB-XL"``.
    description : str
        Sentence saying what the data is and where it was read from.
    tasks : list of BenchmarkTask
        The tasks benchmarked on it.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_ecoscale.benchmarking import BenchmarkData, BenchmarkTask
    >>> task = BenchmarkTask("toy", np.zeros((4, 2, 8)), np.array([0, 1, 0, 1]),
    ...                      np.array([-1, -1, 0, 0]), "2 -> 2")
    >>> data = BenchmarkData("Toy", "four zero series", [task])
    >>> [t.name for t in data.tasks]
    ['toy']
    """

    name: str
    description: str
    tasks: list[BenchmarkTask] = field(default_factory=list)


#: Spec of the PTB-XL sample bundled with the package (the default data).
SAMPLE_SPEC = "ptbxl-sample"
#: UCR/UEA ECG sets bundled with the package (their official train/test files).
BUNDLED_UCR = ("ECG200", "TwoLeadECG", "AtrialFibrillation", "StandWalkJump")


def default_data_spec() -> str:
    """The main job's data: the PTB-XL sample bundled with the package.

    Real 12-lead ECGs on every machine, a fresh clone included (the same 500
    records as the shared ``../shared/data/ptbxl`` folder, see
    :func:`~sktime_ecoscale.datasets.load_ptbxl_sample`).
    """
    return SAMPLE_SPEC


def _fold_split(folds: np.ndarray, split: str) -> tuple[np.ndarray, str]:
    if split not in SPLITS:
        raise ValueError(f"split must be one of {list(SPLITS)}, got {split!r}")
    train, test = SPLITS[split]
    test_fold = np.full(len(folds), -2)
    test_fold[np.isin(folds, train)] = -1
    test_fold[np.isin(folds, test)] = 0
    desc = f"{split}: folds {train[0]}-{train[-1]} -> {'+'.join(map(str, test))}"
    return test_fold, desc


def _keep(task: BenchmarkTask) -> BenchmarkTask:
    """Drop series that are in neither part (folds outside the split)."""
    keep = task.test_fold >= -1
    if keep.all():
        return task
    y = task.y[keep].reset_index(drop=True) if isinstance(task.y, pd.DataFrame) else task.y[keep]
    return BenchmarkTask(
        task.name, task.X[keep], y, task.test_fold[keep], task.split, task.multilabel
    )


def _random_split(n: int, random_state: int, test_size: float = 0.3) -> tuple[np.ndarray, str]:
    rng = np.random.default_rng(random_state)
    test_fold = np.full(n, -1)
    test_fold[rng.permutation(n)[: max(1, round(test_size * n))]] = 0
    return (
        test_fold,
        f"random {round(100 * (1 - test_size))}/{round(100 * test_size)} (seed {random_state})",
    )


def _ptbxl_tasks(path: Path | None, task: str, split: str) -> list[BenchmarkTask]:
    """PTB-XL tasks from a folder, or from the bundled sample when ``path`` is None."""
    from sktime_ecoscale.datasets import load_ptbxl, load_ptbxl_sample

    names = PTBXL_TASKS if task == "auto" else (task,)
    tasks = []
    for name in names:
        if name not in PTBXL_TASKS:
            raise ValueError(f"PTB-XL task must be one of {('auto', *PTBXL_TASKS)}, got {name!r}")
        if path is None:
            X, y, meta = load_ptbxl_sample(target=name, return_metadata=True)
        else:
            X, y, meta = load_ptbxl(path, sampling_rate=100, target=name, return_metadata=True)
        test_fold, desc = _fold_split(meta["strat_fold"].to_numpy(), split)
        tasks.append(
            _keep(BenchmarkTask(name, X, y, test_fold, desc, multilabel=name == "superclass"))
        )
    return tasks


def _train_test_task(parts, split: str) -> BenchmarkTask:
    """One task from a ``[(X_train, y_train), (X_test, y_test)]`` pair of files."""
    X = np.concatenate([np.asarray(p[0], dtype=np.float32) for p in parts])
    y = np.concatenate([np.asarray(p[1]) for p in parts])
    test_fold = np.repeat([-1, 0], [len(parts[0][1]), len(parts[1][1])])
    return BenchmarkTask("classes", X, y, test_fold, split)


def _multilabel_frame(y: pd.DataFrame, test_fold: np.ndarray) -> pd.DataFrame:
    y = y.reset_index(drop=True).astype(int)
    enough = [
        c
        for c in y.columns
        if min(y.loc[test_fold == p, c].sum() for p in (-1, 0)) >= 1
        and y[c].sum() >= _MIN_POSITIVES
    ]
    if not enough:
        raise ValueError("no label has enough positive records on both sides of the split")
    return y[enough]


def _xy_task(name: str, X, y, test_fold, desc: str) -> BenchmarkTask:
    if isinstance(y, pd.DataFrame) and y.shape[1] > 1:
        return BenchmarkTask(name, X, _multilabel_frame(y, test_fold), test_fold, desc, True)
    return BenchmarkTask(name, X, np.asarray(y).reshape(-1), test_fold, desc, False)


def load_benchmark_data(
    data: str | Path | None = None,
    task: str = "auto",
    split: str = "reference",
    random_state: int = 0,
) -> BenchmarkData:
    """Read a data set spec into benchmark tasks with fixed train/test splits.

    Parameters
    ----------
    data : str or Path, optional
        ``"ptbxl:PATH"``, ``"challenge:PATH"``, ``"code15:PATH"``,
        ``"ts:PATH"`` or a bare path (see
        :func:`sktime_ecoscale.datasets.load_dataset`), ``"ptbxl-sample"``
        (the 500 PTB-XL records bundled with the package, the default), the
        name of a bundled UCR/UEA ECG set (:data:`BUNDLED_UCR`) or
        ``"basic_motions"`` (sktime's BasicMotions, 6 channels, 4 classes).
    task : {"auto", "norm", "superclass"}, default="auto"
        PTB-XL task; ``"auto"`` runs both. Other sources have one task.
    split : {"reference", "official"}, default="reference"
        PTB-XL split, see :data:`SPLITS`. UCR/UEA sets and BasicMotions use
        their own train/test files; Challenge and CODE-15% folders a seeded
        random 70/30 split.
    random_state : int, default=0
        Seed of the random split.

    Returns
    -------
    BenchmarkData

    Examples
    --------
    >>> from sktime_ecoscale.benchmarking import load_benchmark_data
    >>> data = load_benchmark_data("basic_motions")
    >>> [(t.name, t.n_train, t.n_test) for t in data.tasks]
    [('classes', 40, 40)]
    """
    from sktime_ecoscale.datasets import load_dataset
    from sktime_ecoscale.datasets._spec import parse_spec

    if data is None:
        data = default_data_spec()
    if str(data) == SAMPLE_SPEC:
        tasks = _ptbxl_tasks(None, task, split)
        return BenchmarkData(
            "PTB-XL", "PTB-XL sample bundled with the package (500 records, 100 Hz)", tasks
        )
    if str(data) == "basic_motions":
        from sktime.datasets import load_basic_motions

        parts = [load_basic_motions(split=s, return_type="numpy3D") for s in ("train", "test")]
        task_ = _train_test_task(parts, "BasicMotions train -> test")
        return BenchmarkData("BasicMotions", "sktime's BasicMotions (shipped with sktime)", [task_])
    if str(data) in BUNDLED_UCR:
        from sktime_ecoscale.datasets import load_ucr_uea

        parts = [load_ucr_uea(str(data), split=s) for s in ("train", "test")]
        task_ = _train_test_task(parts, "official train file -> test file")
        return BenchmarkData(str(data), f"UCR/UEA {data} bundled with the package", [task_])
    kind, path = parse_spec(data)
    if kind == "ptbxl":
        return BenchmarkData(
            "PTB-XL", f"PTB-XL at {path} (100 Hz)", _ptbxl_tasks(path, task, split)
        )
    if task not in ("auto", "classes", "multilabel"):
        raise ValueError(f"task {task!r} is for PTB-XL; use 'auto' with {kind} data")
    if kind == "ts":
        parts = [load_dataset(f"ts:{path}", split=s) for s in ("train", "test")]
        task_ = _train_test_task(parts, "train file -> test file")
        return BenchmarkData(path.stem, f"UCR/UEA set at {path}", [task_])
    X, y = load_dataset(f"{kind}:{path}")[:2]
    X = np.asarray(X, dtype=np.float32)
    test_fold, desc = _random_split(len(X), random_state)
    name = "multilabel" if isinstance(y, pd.DataFrame) and y.shape[1] > 1 else "classes"
    return BenchmarkData(kind, f"{kind} at {path}", [_xy_task(name, X, y, test_fold, desc)])
