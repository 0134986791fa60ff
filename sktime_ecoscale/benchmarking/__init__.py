"""Benchmarking EcoScale against OS-CNN, MiniRocket and InceptionTime on ECGs.

Runs a suite of ECG tasks (fixed splits: PTB-XL folds, UCR/UEA train/test
files) through sktime's ``ClassificationBenchmark``, which checkpoints every
(task, estimator) result so that a rerun resumes, and writes a results table,
a markdown report with ranks and a critical-difference diagram, and figures;
``ecoscale benchmark`` is its command line.
"""

__all__ = [
    "run_benchmark",
    "load_benchmark_data",
    "load_benchmark_suite",
    "DEFAULT_SUITE",
    "SuiteTask",
    "make_estimator",
    "BenchmarkData",
    "BenchmarkTask",
    "MODEL_NAMES",
    "SPLITS",
    "macro_f1",
    "macro_auroc",
    "accuracy",
]

from sktime_ecoscale.benchmarking._data import (
    SPLITS,
    BenchmarkData,
    BenchmarkTask,
    load_benchmark_data,
)
from sktime_ecoscale.benchmarking._metrics import accuracy, macro_auroc, macro_f1
from sktime_ecoscale.benchmarking._models import MODEL_NAMES, make_estimator
from sktime_ecoscale.benchmarking._run import run_benchmark
from sktime_ecoscale.benchmarking._suite import DEFAULT_SUITE, SuiteTask, load_benchmark_suite
