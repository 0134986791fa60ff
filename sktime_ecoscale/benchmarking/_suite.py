"""The benchmark suite: several ECG data sets, each with its fixed train/test split."""

from __future__ import annotations

__all__ = ["DEFAULT_SUITE", "BUNDLED_UCR", "SuiteTask", "load_benchmark_suite"]

from collections.abc import Sequence
from dataclasses import dataclass

from sktime_ecoscale.benchmarking._data import BUNDLED_UCR, BenchmarkTask, load_benchmark_data

#: The main job's suite: the bundled PTB-XL sample (NORM vs other and the five
#: superclasses, folds 1-8 -> 9+10) and the bundled UCR/UEA ECG sets. All of it
#: ships with the package, so a fresh clone without ``../shared`` runs it too.
DEFAULT_SUITE = ("ptbxl-sample", *BUNDLED_UCR)


@dataclass
class SuiteTask:
    """A task of the suite: its id in the benchmark, its data set and the task.

    Parameters
    ----------
    task_id : str
        Unique id, ``"PTB-XL/norm"`` or the data set's name for one-task sets.
    data : str
        Name of the data set.
    description : str
        Where the data came from.
    task : BenchmarkTask
        The series, labels and split.

    Examples
    --------
    >>> from sktime_ecoscale.benchmarking import load_benchmark_suite
    >>> st = load_benchmark_suite("TwoLeadECG")[0]
    >>> st.task_id, st.data, st.task.X.shape[1:]
    ('TwoLeadECG', 'TwoLeadECG', (1, 82))
    """

    task_id: str
    data: str
    description: str
    task: BenchmarkTask


def load_benchmark_suite(
    data: str | Sequence[str] | None = None,
    task: str = "auto",
    split: str = "reference",
    random_state: int = 0,
) -> list[SuiteTask]:
    """Read the benchmark suite: every task of every data set named.

    Parameters
    ----------
    data : str, sequence of str or None, default=None
        Data set specs (a comma-separated string or a sequence): any spec of
        :func:`~sktime_ecoscale.benchmarking.load_benchmark_data`, or the name
        of a bundled UCR/UEA ECG set (:data:`BUNDLED_UCR`). ``None``: the
        :data:`DEFAULT_SUITE`.
    task : {"auto", "norm", "superclass"}, default="auto"
        PTB-XL task(s); other data sets have one task each.
    split : {"reference", "official"}, default="reference"
        PTB-XL split.
    random_state : int, default=0
        Seed of the random split of sets without one.

    Returns
    -------
    list of SuiteTask

    Examples
    --------
    >>> from sktime_ecoscale.benchmarking import load_benchmark_suite
    >>> suite = load_benchmark_suite("ECG200,TwoLeadECG")
    >>> [(t.task_id, t.task.n_train, t.task.n_test) for t in suite]
    [('ECG200', 100, 100), ('TwoLeadECG', 23, 1139)]
    """
    if data is None:
        specs = list(DEFAULT_SUITE)
    elif isinstance(data, str):
        specs = [s.strip() for s in data.split(",") if s.strip()]
    else:
        specs = [str(s) for s in data]
    suite: list[SuiteTask] = []
    for spec in specs:
        bench = load_benchmark_data(spec, task=task, split=split, random_state=random_state)
        name, description, tasks = bench.name, bench.description, bench.tasks
        for t in tasks:
            task_id = name if len(tasks) == 1 and t.name == "classes" else f"{name}/{t.name}"
            suite.append(SuiteTask(task_id, name, description, t))
    ids = [t.task_id for t in suite]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"the suite names these tasks twice: {duplicates}")
    return suite
